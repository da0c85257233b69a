//! Middleware around every request.

pub mod cookies;
pub mod security;
pub mod session;

//! Middleware around every request.

pub mod cookies;
pub mod documents;
pub mod security;
pub mod session;

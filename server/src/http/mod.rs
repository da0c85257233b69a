//! Middleware around every request.

pub mod certification;
pub mod client_address;
pub mod documents;
pub mod logo;
pub mod parcours;
pub mod security;
pub mod session;
pub mod static_files;

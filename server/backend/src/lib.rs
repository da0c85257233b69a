//! Server-only code: persistence, sessions, login throttling, the audit trail and the
//! use cases that the server functions call. Never compiled into the WASM.
//!
//! Each use case is one function: it authorizes with `domain::policy`, opens a transaction,
//! changes data, writes the audit entry in the same transaction, and commits.

pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod db;
pub mod demo;
pub mod error;
pub mod exports;
pub mod identity;
pub mod organisations;
pub mod passwords;
pub mod pdf;
pub mod referentiels;
pub mod sessions;
pub mod settings;
pub mod throttle;

pub use db::Db;
pub use error::{BackendError, BackendResult};
pub use identity::Identity;

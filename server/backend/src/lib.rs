//! Server-only code: persistence (`db`), the use cases (`services`), sessions, login throttling,
//! password hashing, exports and the demo data. Never compiled into the WASM.
//!
//! ```text
//! app::api (server functions) ─┐
//! cedre::http (routes) ────────┼─> services::<aggregate>  ── domain (policy, rules, state machines)
//! cedre::cli ──────────────────┘        │
//!                                       └─> db::UnitOfWork ─> db::<aggregate> (queries, rows) ─> db::stored
//! ```

pub mod db;
pub mod demo;
pub mod digest;
pub mod error;
pub mod exports;
pub mod identity;
pub mod passwords;
pub mod pdf;
pub mod services;
pub mod settings;
pub mod totp;

pub use db::Db;
pub use error::{BackendError, BackendResult};
pub use identity::Identity;
pub use services::{
    accounts, assessments, audit, auditors, audits, committee, corrective, costs, demandes,
    editions, evidence, home, logo, mailer, manual, organisations, parcours, parcours_documents,
    programme, referentiels, second_factor, security, sessions, throttle,
};

//! Cedre's domain rules, free of I/O: validated values, the organisation model,
//! roles and the authorization policy. Built for the server and for WASM.
//!
//! French domain nouns are kept where English has no exact match (`Siae`,
//! `Referentiel`, ...): see the glossary in `docs/ARCHITECTURE.md`.

pub mod account;
pub mod assessment;
pub mod audit;
pub mod certification;
pub mod email;
pub mod evidence;
pub mod home;
pub mod manual;
pub mod organisation;
pub mod outbox;
pub mod parcours;
pub mod password;
pub mod policy;
pub mod referentiel;
pub mod role;
pub mod second_factor;
pub mod security;
pub mod session;
pub mod siret;
pub mod time;
pub mod validation;
pub mod workflow;

//! Use cases, one function each: authorize with `domain::policy`, read what the change needs,
//! decide with `domain`, write through `crate::db` inside one [`crate::db::UnitOfWork`], which
//! appends the typed audit event and commits.

pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod editions;
pub mod evidence;
pub mod home;
pub mod logo;
pub mod manual;
pub mod organisations;
pub mod referentiels;
pub mod second_factor;
pub mod security;
pub mod sessions;
pub mod throttle;

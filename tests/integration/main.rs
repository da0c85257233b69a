//! Integration tests: the application router against a real database, SQLite always and
//! PostgreSQL when `CEDRE_TEST_POSTGRES_URL` is set (`.ci/run` sets it).

mod accounts;
mod audit_cycle;
mod audit_trail;
mod auth;
mod authorization;
mod boundary;
mod certification;
mod corrective;
mod costs;
mod demo;
mod forced_password;
mod form_echo;
mod manual;
mod manual_evidence;
mod manual_logo;
mod manual_structured;
mod notifications;
mod organisations;
mod parcours;
mod policy;
mod programme;
mod referentiel;
mod roles;
mod schema;
mod second_factor;
mod security_journal;
mod serving;
mod sessions;
mod unit_of_work;
mod uploads;

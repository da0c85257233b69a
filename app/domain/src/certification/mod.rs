//! The certification cycle (seed « B – La démarche de certification »): the SIAE's demande, its
//! validation by the regional board and its transmission to the federation, the external audit
//! and its report, the committee's decision and the three-year certificate.

pub mod audit;
pub mod certificate;
pub mod committee;
pub mod conflict;
pub mod corrective;
pub mod cost;
pub mod demande;
pub mod notice;
pub mod offline;
pub mod programme;
pub mod view;

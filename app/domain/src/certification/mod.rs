//! The certification cycle (seed « B – La démarche de certification »): the SIAE's demande, its
//! validation by the regional board and its transmission to the federation; then, to come, the
//! external audit, the committee's decision and the three-year certificate.

pub mod conflict;
pub mod demande;
pub mod view;

//! The parcours of the people a SIAE supports (seed 002, fiches outil 14 to 19): the six
//! engagements réciproques and the aid to choosing one.

pub mod choice;
pub mod engagement;

//! The manuel qualité: its sections and their kinds, the lifecycle of a section version, the
//! comparison of two versions, what its pages show, and the Markdown users write, turned into
//! a data tree for the pages and the PDF.

pub mod diff;
pub mod edition;
pub mod markdown;
pub mod section;
pub mod version;
pub mod view;

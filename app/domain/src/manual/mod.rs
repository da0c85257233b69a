//! The manuel qualité: its sections and their kinds, what a version holds (Markdown text, or an
//! organigramme, a fiche de poste, a table), the lifecycle of a section version, the comparison
//! of two versions, what its pages show, and the Markdown users write, turned into a data tree
//! for the pages and the PDF.

pub mod chart;
pub mod chart_layout;
pub mod content;
pub mod diff;
pub mod edition;
pub mod job;
pub mod logo;
pub mod markdown;
pub mod section;
pub mod tables;
pub mod version;
pub mod view;

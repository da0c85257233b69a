//! The manuel qualité: the sections users write, and how they reach the PDF.

pub mod markdown;

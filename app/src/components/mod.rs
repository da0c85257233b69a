//! Pieces shared by pages: the layout, islands, forms, tables, error panels, data loading.

pub mod chart;
pub mod errors;
pub mod forms;
pub mod islands;
pub mod layout;
pub mod load;
pub mod markdown;
pub mod section_content;
pub mod session;
pub mod status;
pub mod table;

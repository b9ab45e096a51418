//! The report view, one piece per file: Yew function components where there is state (hooks),
//! plain view functions returning `Html` elsewhere (each component type costs ~2 KB of wasm).
//! They render; sorting, filtering and counting live in [`crate::report`].
//!
//! Tree: [`report_page::ReportPage`] → `report_header`, `load_status_bar`, `error_panel`,
//! `counters_bar`, `pivot_table`, `status_chart`, `person_pivot`, `filter_bar` (`SearchBox`, `preset_bar`,
//! `MultiSelect` ×3), `VirtualTable` (→ `task_row` per visible row) or `grouped_tables`
//! (→ `group_section` → `VirtualTable`), `print_view` (while printing), `report_footer`.
//! Components: `ReportPage`, `VirtualTable`, `SearchBox`, `MultiSelect`.
//! Smaller view helpers: [`badge`], [`sort_header`], [`empty_state`], [`skeleton_state`];
//! text helpers in [`labels`]; control edits in [`view_edit`].

pub mod badge;
pub mod column_chooser;
pub mod counters_bar;
pub mod date_filter;
pub mod empty_state;
pub mod error_panel;
pub mod filter_bar;
pub mod group_section;
pub mod grouped_tables;
pub mod labels;
pub mod load_status_bar;
pub mod multi_select;
pub mod person_pivot;
pub mod pivot_table;
pub mod preset_bar;
pub mod print_view;
pub mod report_footer;
pub mod report_header;
pub mod report_page;
pub mod search_box;
pub mod selection;
pub mod skeleton_state;
pub mod sort_header;
pub mod status_chart;
pub mod task_row;
pub mod view_edit;
pub mod virtual_table;

//! The report view: Yew function components, one per file. They render; sorting, filtering and
//! counting live in [`crate::report`].
//!
//! Tree: [`report_page::ReportPage`] → `ReportHeader`, `LoadStatusBar`, `ErrorPanel`,
//! `CountersBar`, `PivotTable`, `StatusChart`, `FilterBar` (`SearchBox`, `PresetBar`,
//! `MultiSelect` ×3), `VirtualTable` (→ `TaskRow` per visible row) or `GroupedTables`
//! (→ `GroupSection` → `VirtualTable`), `PrintView` (while printing), `ReportFooter`.
//! View helpers (plain functions, no component state): [`badge`], [`sort_header`],
//! [`empty_state`], [`skeleton_state`]; text helpers in [`labels`]; control edits in
//! [`view_edit`].

pub mod badge;
pub mod counters_bar;
pub mod empty_state;
pub mod error_panel;
pub mod filter_bar;
pub mod group_section;
pub mod grouped_tables;
pub mod labels;
pub mod load_status_bar;
pub mod multi_select;
pub mod pivot_table;
pub mod preset_bar;
pub mod print_view;
pub mod report_footer;
pub mod report_header;
pub mod report_page;
pub mod search_box;
pub mod skeleton_state;
pub mod sort_header;
pub mod status_chart;
pub mod task_row;
pub mod view_edit;
pub mod virtual_table;

//! Custom Yew hooks of the report view, plus the few browser calls they and the components
//! make ([`dom`]).

pub mod dom;
pub mod use_day_clock;
pub mod use_debounce;
pub mod use_frame_fit;
pub mod use_print_mode;
pub mod use_saved_view;
pub mod use_task_loader;
pub mod use_value;
pub mod use_virtual_window;

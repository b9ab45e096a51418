//! WebAssembly entry point: a visible panel on panic, then the app.

fn main() {
    task_report::boot::start();
}

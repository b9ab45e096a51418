//! `b24-emulator`: run a local Bitrix24 portal for a static app (see `--help`).

use std::io::Write;
use std::process::ExitCode;

use b24_emulator::cli::{self, Command};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match cli::parse(&args) {
        Ok(Command::Run(config)) => *config,
        Ok(Command::Help) => {
            print!("{}", cli::HELP);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("b24-emulator: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("b24-emulator: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: b24_emulator::Config) -> ExitCode {
    let app = config.app.clone();
    let handles = match b24_emulator::serve(config).await {
        Ok(h) => h,
        Err(message) => {
            eprintln!("b24-emulator: {message}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{}", handles.startup_line());
    let _ = stdout.flush();
    eprintln!(
        "b24-emulator: serving {} ({})\n  portal page: {}/\n  app:         {}\n  webhook:     {}\n  stats:       {}/__stats\nPress Ctrl-C to stop.",
        app.display(),
        handles.app_dir().display(),
        handles.portal_url,
        handles.app_url,
        handles.webhook_url,
        handles.portal_url,
    );
    wait_for_signal().await;
    eprintln!("b24-emulator: stopping");
    handles.shutdown().await;
    ExitCode::SUCCESS
}

/// Ctrl-C, or SIGTERM on Unix (so the extracted archive's temp dir is removed).
async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

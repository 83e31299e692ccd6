use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use gradebook::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = cli::data_path(&cli).and_then(|path| match cli.command {
        Some(cmd) => cli::run(path, cmd, &mut std::io::stdout().lock()),
        None => gradebook::tui::start(&path),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped reading (`| head`) is not a failure.
        Err(gradebook::error::Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Not eprintln!: with the terminal gone, a failed write must not panic.
            let message = gradebook::text::clean(&e.to_string()).into_owned();
            let _ = writeln!(std::io::stderr(), "gradebook: {message}");
            ExitCode::FAILURE
        }
    }
}

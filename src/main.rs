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
        Err(e) => {
            eprintln!("gradebook: {}", gradebook::text::clean(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

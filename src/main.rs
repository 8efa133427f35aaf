//! The `phare` command: a thin layer over the library.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(mut err) => {
            // A closed pipe (`phare lookup ... | head`) is not an error.
            if let Some(io) = err.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            cli::name_flags(&mut err);
            eprintln!("error: {err:#}");
            let code = err
                .downcast_ref::<phare::Error>()
                .map(|e| e.kind.exit_code())
                .unwrap_or(1);
            ExitCode::from(code)
        }
    }
}

//! The `followup` binary: parse arguments, run, map the outcome to an exit code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(followup::run(std::env::args_os()))
}

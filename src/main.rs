//! The `followup` binary: parse arguments, run, map the outcome to an exit code.

/// mimalloc: reading ten thousand customers makes and frees millions of small strings, which
/// it does in about half the time of the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(followup::run(std::env::args_os()))
}

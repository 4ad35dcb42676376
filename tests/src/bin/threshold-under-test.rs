//! The `threshold` command under another name. Cargo builds a package's own binaries before
//! its integration tests, so the tests that need a real process (signals, a kill -9, several
//! servers on one database) always run the current code; the name keeps it apart from the
//! api crate's `threshold` in the same target folder.

fn main() -> std::process::ExitCode {
    threshold_api::cli::run()
}

fn main() -> std::process::ExitCode {
    threshold_api::cli::run()
}

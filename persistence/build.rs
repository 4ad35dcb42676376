// The migration macros read ../migrations at compile time but do not tell cargo so.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}

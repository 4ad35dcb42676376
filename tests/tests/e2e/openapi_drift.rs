//! The committed `openapi.yaml` is what integrators read: it must be the document the code
//! produces, regenerated with `make openapi` whenever a route or schema changes.

use std::path::Path;

#[test]
fn committed_openapi_yaml_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml");
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read {}: {error}; run make openapi to create it",
            path.display()
        )
    });
    let current = threshold_api::http::openapi::spec_yaml();
    if committed == current {
        return;
    }
    let first_difference = committed
        .lines()
        .zip(current.lines())
        .position(|(old, new)| old != new)
        .unwrap_or_else(|| committed.lines().count().min(current.lines().count()));
    let line = |text: &str| {
        text.lines()
            .nth(first_difference)
            .unwrap_or("<end of file>")
            .to_owned()
    };
    panic!(
        "openapi.yaml is out of date with the code: run make openapi and commit the result.\n\
         first difference at line {}:\n  committed: {}\n  current:   {}",
        first_difference + 1,
        line(&committed),
        line(&current),
    );
}

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

/// Every error response shows an example of its own status, as the server sends it: a 409
/// one of the rules its description names, never one error copied everywhere.
#[test]
fn every_error_response_shows_an_example_of_its_own() {
    let spec = serde_json::to_value(threshold_api::http::openapi::spec()).expect("JSON");
    let rule_codes: Vec<&str> = threshold_domain::Rule::ALL
        .iter()
        .map(|rule| rule.code())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("an item") {
            let Some(responses) = operation["responses"].as_object() else {
                continue;
            };
            for (status, response) in responses {
                if !(status.starts_with('4') || status.starts_with('5')) {
                    continue;
                }
                let example = &response["content"]["application/problem+json"]["example"];
                let what = format!("{method} {path} {status}");
                assert_eq!(example["status"].to_string(), *status, "{what}: {example}");
                let code = example["code"].as_str().unwrap_or_else(|| panic!("{what}"));
                assert_eq!(
                    example["type"],
                    format!("urn:threshold:problem:{code}"),
                    "{what}"
                );
                if status == "409" {
                    assert!(rule_codes.contains(&code), "{what}: {code}");
                    let description = response["description"].as_str().unwrap_or("");
                    assert!(
                        description.contains(code),
                        "{what}: {code} not in {description}"
                    );
                }
                seen.insert((status.clone(), code.to_owned()));
            }
        }
    }
    for (status, code) in [
        ("400", "request.malformed"),
        ("401", "auth.unauthenticated"),
        ("403", "auth.forbidden"),
        ("404", "not_found"),
        ("412", "precondition.failed"),
        ("422", "validation.failed"),
        ("503", "service.unavailable"),
    ] {
        assert!(
            seen.contains(&(status.to_owned(), code.to_owned())),
            "{status} {code}: {seen:?}"
        );
    }
}

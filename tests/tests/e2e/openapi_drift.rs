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

/// Every HUD integer field of the API's bodies names its code list: a `$ref` to a schema of
/// the list's codes (`enum`) with their labels (`x-enum-descriptions`), so that Swagger UI
/// offers the choices and generated clients type the field as a union of codes.
#[test]
fn every_hud_code_field_carries_its_list() {
    let spec = serde_json::to_value(threshold_api::http::openapi::spec()).expect("JSON");
    let schemas = spec["components"]["schemas"].as_object().expect("schemas");
    let hud_fields = [
        "relationship_to_hoh",
        "destination",
        "destination_subsidy_type",
        "disabling_condition",
        "prior_living_situation",
        "length_of_stay",
        "project_type",
        "record_type",
        "funder",
        "assessment_type",
        "assessment_level",
        "prioritization_status",
        "name_data_quality",
        "ssn_data_quality",
        "dob_data_quality",
        "sex",
        "race_none",
        "veteran_status",
        // A program's CoCs, inventories and participations (HUD 2.03, 2.07, 2.08, 2.09).
        "geography_type",
        "household_type",
        "availability",
        "es_bed_type",
        "hmis_participation_type",
        "access_point",
        "prevention_assessment",
        "crisis_assessment",
        "housing_assessment",
        "direct_services",
        "receives_referrals",
    ];
    let list_of = |property: &serde_json::Value| -> Option<String> {
        let reference = property["$ref"].as_str().or_else(|| {
            property["oneOf"]
                .as_array()?
                .iter()
                .find_map(|choice| choice["$ref"].as_str())
        })?;
        Some(
            reference
                .trim_start_matches("#/components/schemas/")
                .to_owned(),
        )
    };
    let mut checked = 0;
    for (name, schema) in schemas {
        let Some(properties) = schema["properties"].as_object() else {
            continue;
        };
        for (field, property) in properties {
            if !hud_fields.contains(&field.as_str()) {
                continue;
            }
            let list = list_of(property)
                .unwrap_or_else(|| panic!("{name}.{field} names no HUD list: {property}"));
            let codes = schemas[&list]["enum"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let labels = schemas[&list]["x-enum-descriptions"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(!codes.is_empty(), "{name}.{field}: {list} has no codes");
            assert_eq!(codes.len(), labels.len(), "{list}: a label for each code");
            // A field's own description replaces the list's in Swagger UI and in generated
            // clients' comments: it carries every code with its label too.
            let described = property["description"].as_str().or_else(|| {
                property["oneOf"]
                    .as_array()?
                    .iter()
                    .find_map(|choice| choice["description"].as_str())
            });
            if let Some(description) = described {
                for (code, label) in codes.iter().zip(&labels) {
                    let line = format!("- `{code}`: {}", label.as_str().unwrap_or_default());
                    assert!(
                        description.contains(&line),
                        "{name}.{field}: its description lacks {line:?}: {description}"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 35, "only {checked} HUD fields found");
    // One list the way HUD writes it: 3.12's 435, with its label.
    let destination = &schemas["Destination"];
    let at = destination["enum"]
        .as_array()
        .and_then(|codes| codes.iter().position(|code| code == 435))
        .expect("435 is a destination");
    assert_eq!(
        destination["x-enum-descriptions"][at],
        threshold_domain::codes::Destination::try_from(435)
            .expect("435")
            .label()
    );
}

/// A text field refused when blank says so: the pattern `\S` beside its length, so that a
/// schema-valid body is never refused as blank (`name` of a program, an assessment's
/// location, a HUD record's text).
#[test]
fn blank_text_is_outside_the_schema() {
    let spec = serde_json::to_value(threshold_api::http::openapi::spec()).expect("JSON");
    let schemas = &spec["components"]["schemas"];
    for (schema, field) in [
        ("CreateProgram", "name"),
        ("CreateAssessment", "assessment_location"),
        ("CreateIncomeBenefits", "other_income_source_identify"),
    ] {
        let property = &schemas[schema]["properties"][field];
        let text = if property["oneOf"].is_array() {
            &property["oneOf"][0]
        } else {
            property
        };
        assert_eq!(text["pattern"], "\\S", "{schema}.{field}: {property}");
        assert_eq!(text["minLength"], 1, "{schema}.{field}: {property}");
    }
}

//! Request bodies: their size, their structure, their bytes and how they are labelled.

use serde_json::{json, Value};
use threshold_tests::{both_backends, TestApp};

use super::{
    admin_post, assert_invalid_exactly, assert_refused, assert_still_serving, send_json, short,
};
use crate::common::{create_client, create_organization, create_program};

/// `{"name": "Harbor Light"}` padded with blanks to exactly `size` bytes.
fn organization_of_size(size: usize) -> Vec<u8> {
    let start = r#"{"name": "Harbor Light""#;
    format!("{start}{}}}", " ".repeat(size - start.len() - 1)).into_bytes()
}

both_backends!(
    fn a_body_at_the_limit_is_read_and_one_byte_more_is_413(backend: Backend) {
        let app = TestApp::builder(backend).max_body_bytes(1024).spawn();
        let at_limit = organization_of_size(1024);
        assert_eq!(at_limit.len(), 1024);
        let response = send_json(&app, "POST", "/v1/organizations", at_limit);
        assert_eq!(response.status, 201, "{}", short(&response));
        let path = format!(
            "/v1/organizations/{}",
            response.body["id"].as_str().unwrap()
        );

        let over = organization_of_size(1025);
        let response = send_json(&app, "POST", "/v1/organizations", over.clone());
        assert_refused(&app, &response, 413, "request.too_large", "1025 bytes");
        let response = send_json(&app, "PATCH", &path, over);
        assert_refused(
            &app,
            &response,
            413,
            "request.too_large",
            "a PATCH of 1025 bytes",
        );
        let response = send_json(&app, "POST", "/v1/organizations", vec![b' '; 64 * 1024]);
        assert_refused(
            &app,
            &response,
            413,
            "request.too_large",
            "64 KiB of blanks",
        );
        let list = app.get("/v1/organizations", Some(&app.admin_token()));
        assert_eq!(list.body["data"].as_array().map(Vec::len), Some(1));
    }

    fn deep_nesting_is_400_and_shallow_nesting_422(app: &TestApp) {
        let deep = [
            "[".repeat(100_000),
            format!(r#"{{"name": {}"#, "[".repeat(100_000)),
            r#"{"a":"#.repeat(50_000),
            format!("{}{}", "[".repeat(50_000), "]".repeat(50_000)),
        ];
        for body in deep {
            let what = format!("{}...", &body[..12]);
            let response = send_json(app, "POST", "/v1/organizations", body);
            assert_refused(app, &response, 400, "request.malformed", &what);
        }
        // Within the parser's depth, the value is read and its type refused.
        let body = format!(r#"{{"name": {}{}}}"#, "[".repeat(100), "]".repeat(100));
        let response = send_json(app, "POST", "/v1/organizations", body);
        assert_invalid_exactly(app, &response, "100 levels", &[("name", "invalid")]);
    }

    fn huge_arrays_are_refused(app: &TestApp) {
        let organization = create_organization(app, "Harbor Light");
        let program = create_program(app, &organization, json!({}));
        let client = create_client(app, "Jordan");
        let whole = format!("[{}0]", "0,".repeat(300_000));
        let response = send_json(app, "POST", "/v1/organizations", whole);
        assert_refused(app, &response, 422, "validation.failed", "an array body");

        let answers: Vec<Value> = (0..10_000)
            .map(|_| json!({"question": "Nights outside", "answer": "12"}))
            .collect();
        let response = admin_post(
            app,
            &format!("/v1/clients/{client}/assessments"),
            &json!({"assessment_date": "2024-03-04", "assessment_location": "Office",
                    "assessment_type": 3, "assessment_level": 2, "prioritization_status": 1,
                    "answers": answers}),
        );
        assert_invalid_exactly(app, &response, "10,000 answers", &[("answers", "too_long")]);

        let enrollment = |extra: Value| {
            let mut body = json!({"program_id": program, "entry_date": "2024-03-01",
                                  "relationship_to_hoh": 1});
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            admin_post(app, &format!("/v1/clients/{client}/enrollments"), &body)
        };
        let ids: Vec<String> = (0..20_000)
            .map(|_| uuid::Uuid::now_v7().to_string())
            .collect();
        let response = enrollment(json!({"assessment_ids": ids}));
        assert_refused(
            app,
            &response,
            422,
            "validation.failed",
            "20,000 assessment ids",
        );
        let follow_ups: Vec<Value> = (0..5_000)
            .map(|_| json!({"reason": "Call", "due_date": "2024-03-08"}))
            .collect();
        let response = enrollment(json!({"follow_ups": follow_ups}));
        assert_refused(app, &response, 422, "validation.failed", "5,000 follow-ups");
        let enrollments = app.get(
            &format!("/v1/clients/{client}/enrollments"),
            Some(&app.admin_token()),
        );
        assert_eq!(enrollments.body["data"], json!([]), "nothing was enrolled");
    }

    fn nul_characters_are_422_before_any_storage(app: &TestApp) {
        let client = create_client(app, "Jordan");
        let response = admin_post(app, "/v1/clients", &json!({"first_name": "Jo\u{0}rdan"}));
        assert_invalid_exactly(
            app,
            &response,
            "NUL in a name",
            &[("first_name", "invalid")],
        );

        let response = app.patch(
            &format!("/v1/clients/{client}"),
            Some(&app.admin_token()),
            &json!({"last_name": "\u{0}", "middle_name": "Q", "colour": "red"}),
        );
        assert_invalid_exactly(
            app,
            &response,
            "NUL in a patch",
            &[("colour", "unknown_field"), ("last_name", "invalid")],
        );

        let response = admin_post(
            app,
            &format!("/v1/clients/{client}/assessments"),
            &json!({"assessment_date": "2024-03-04", "assessment_location": "Office",
                    "assessment_type": 3, "assessment_level": 2, "prioritization_status": 1,
                    "answers": [{"question": "Fleeing\u{0}", "answer": "No"}]}),
        );
        assert_invalid_exactly(
            app,
            &response,
            "NUL deep in a body",
            &[("answers[0].question", "invalid")],
        );
        // The escape itself, and a NUL byte written raw into the JSON text (which JSON
        // does not allow in a string).
        let response = send_json(app, "POST", "/v1/organizations", r#"{"name": "A\u0000"}"#);
        assert_refused(app, &response, 422, "validation.failed", "an escaped NUL");
        let response = send_json(
            app,
            "POST",
            "/v1/organizations",
            b"{\"name\": \"A\0\"}".to_vec(),
        );
        assert_refused(app, &response, 400, "request.malformed", "a raw NUL byte");

        let stored = app.get(&format!("/v1/clients/{client}"), Some(&app.admin_token()));
        assert_eq!(stored.body["last_name"], "Lee");
        assert_eq!(
            stored.body["version"], 1,
            "the refused patch changed nothing"
        );
    }

    fn bytes_that_are_not_utf8_are_400(app: &TestApp) {
        for (body, what) in [
            (
                b"{\"name\": \"\xff\xfe\"}".to_vec(),
                "invalid UTF-8 in a string",
            ),
            (
                b"{\"na\xc3\x28me\": \"A\"}".to_vec(),
                "invalid UTF-8 in a key",
            ),
            (
                b"\xef\xbb\xbf{\"name\": \"A\"}".to_vec(),
                "a byte order mark",
            ),
            (b"\xff\xff\xff\xff".to_vec(), "nothing but 0xFF"),
        ] {
            let response = send_json(app, "POST", "/v1/organizations", body);
            assert_refused(app, &response, 400, "request.malformed", what);
        }
        let list = app.get("/v1/organizations", Some(&app.admin_token()));
        assert_eq!(list.body["data"], json!([]));
    }

    fn repeated_and_unknown_keys_are_422(app: &TestApp) {
        let body = r#"{"name": "Harbor Light", "name": "Harbor Dark"}"#;
        let response = send_json(app, "POST", "/v1/organizations", body);
        assert_invalid_exactly(
            app,
            &response,
            "a key given twice",
            &[("name", "duplicate_field")],
        );

        let organization = create_organization(app, "Harbor Light");
        let body = format!(
            r#"{{"organization_id": "{organization}", "name": "Shelter", "project_type": 0,
                 "project_type": 1, "operating_start_date": "2020-01-01", "colour": "red",
                 "colour": "blue"}}"#
        );
        let response = send_json(app, "POST", "/v1/programs", body);
        assert_invalid_exactly(
            app,
            &response,
            "keys twice, one unknown",
            &[
                ("colour", "unknown_field"),
                ("project_type", "duplicate_field"),
            ],
        );
        let programs = app.get("/v1/programs", Some(&app.admin_token()));
        assert_eq!(programs.body["data"], json!([]));
    }

    fn bodies_not_labelled_json_are_400(app: &TestApp) {
        let body = br#"{"name": "Harbor Light"}"#;
        for content_type in [
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            Some("application/xml"),
            Some("application/jsonx"),
            Some("json"),
            None,
        ] {
            let mut request = app
                .request("POST", "/v1/organizations")
                .token(Some(&app.admin_token()));
            if let Some(content_type) = content_type {
                request = request.header("Content-Type", content_type);
            }
            let response = request.body(body.to_vec()).send();
            let what = format!("Content-Type {content_type:?}");
            assert_refused(app, &response, 400, "request.malformed", &what);
        }
        let list = app.get("/v1/organizations", Some(&app.admin_token()));
        assert_eq!(list.body["data"], json!([]));
        assert_still_serving(app, "the content types");
    }
);

//! Operations routes, the shared error handling, and organizations as the first resource
//! exercising auth, validation, ETags, dry runs and pagination.

use crate::common::{
    assert_created, assert_forbidden, assert_lists_only, assert_malformed_queries,
    assert_not_found, assert_stale_patch, assert_stored, assert_unauthenticated, ids_of_pages,
    ids_one_per_page, pages_by_link, patch_if,
};
use serde_json::json;
use threshold_tests::{assert_problem, both_backends, Role, TestApp};
use uuid::Uuid;

fn create_organization(app: &TestApp, token: &str, name: &str) -> serde_json::Value {
    let response = app.post(
        "/v1/organizations",
        Some(token),
        &json!({"name": name, "victim_service_provider": false}),
    );
    response.assert_status(201);
    response.body
}

both_backends!(
    fn health_and_readiness(app: &TestApp) {
        let response = app.get("/healthz", None);
        response.assert_status(200);
        assert_eq!(response.body["status"], "ok");
        let response = app.get("/readyz", None);
        response.assert_status(200);
        assert_eq!(response.body["status"], "ok");
    }

    fn openapi_and_swagger_ui(app: &TestApp) {
        let response = app.get("/openapi.json", None);
        response.assert_status(200);
        assert!(
            response.body.get("openapi").is_some(),
            "no `openapi` key in {}",
            response.describe()
        );
        app.get("/swagger-ui/", None).assert_status(200);
        let redirect = app.get("/swagger-ui", None);
        assert!(
            (300..400).contains(&redirect.status),
            "expected a redirect, got {}",
            redirect.describe()
        );
        assert_eq!(redirect.header("location"), Some("/swagger-ui/"));
    }

    fn unknown_route_is_a_problem(app: &TestApp) {
        let response = app.get("/no/such/route", None);
        assert_not_found(&response);
        let response = app.get("/v1/organizations/not-a-uuid", Some(&app.admin_token()));
        assert_not_found(&response);
    }

    fn a_known_path_with_another_method_is_405_naming_the_methods(app: &TestApp) {
        let token = app.admin_token();
        let id = Uuid::now_v7();
        let response = app.request("TRACE", "/healthz").send();
        assert_problem(&response, 405, "request.method_not_allowed");
        assert_eq!(response.header("allow"), Some("GET"));
        let response = app
            .request("PUT", &format!("/v1/organizations/{id}"))
            .token(Some(&token))
            .send();
        assert_problem(&response, 405, "request.method_not_allowed");
        assert_eq!(response.header("allow"), Some("GET, PATCH"));
        let exit = format!("/v1/clients/{id}/enrollments/{id}/exit");
        let response = app.request("PUT", &exit).token(Some(&token)).send();
        assert_problem(&response, 405, "request.method_not_allowed");
        assert_eq!(response.header("allow"), Some("POST, DELETE"));
        // A literal path is itself, not an ID of its neighbour `/v1/imports/{import_id}`.
        let response = app.get("/v1/imports/hmis-csv", Some(&token));
        assert_problem(&response, 405, "request.method_not_allowed");
        assert_eq!(response.header("allow"), Some("POST"));
        // A path nobody documents stays a 404, whatever the method.
        let response = app.request("TRACE", "/v1/nothing-here").send();
        assert_not_found(&response);
    }

    fn organization_create_get_list(app: &TestApp) {
        let token = app.admin_token();
        let response = app.post(
            "/v1/organizations",
            Some(&token),
            &json!({"name": "Harbor Light Services", "victim_service_provider": true}),
        );
        let id = assert_created(&response, "/v1/organizations");
        let location = format!("/v1/organizations/{id}");
        assert_eq!(response.body["name"], "Harbor Light Services");
        assert_eq!(response.body["victim_service_provider"], true);
        assert_eq!(response.body["version"], 1);
        assert_eq!(response.body["created_by"], "test-admin");

        assert_stored(app, &token, &location, "\"1\"", &response.body);

        let missing = app.get(
            &format!("/v1/organizations/{}", Uuid::now_v7()),
            Some(&token),
        );
        assert_not_found(&missing);

        assert_lists_only(app, &token, "/v1/organizations", &response.body);
        let list = app.get("/v1/organizations", Some(&token));
        assert_eq!(list.header("link"), None);
    }

    fn organizations_need_a_token_and_the_admin_role(app: &TestApp) {
        let body = json!({"name": "Harbor Light"});
        let response = app.post("/v1/organizations", None, &body);
        assert_unauthenticated(&response);
        assert_eq!(response.header("www-authenticate"), Some("Bearer"));
        assert_unauthenticated(&app.get("/v1/organizations", None));
        let response = app.get("/v1/organizations", Some("not-a-jwt"));
        assert_unauthenticated(&response);

        let viewer = app.token("vera", &[Role::Viewer], Some(Uuid::now_v7()));
        let response = app.post("/v1/organizations", Some(&viewer), &body);
        assert_forbidden(&response);
        app.get("/v1/organizations", Some(&viewer))
            .assert_status(200);
    }

    fn bodies_are_checked(app: &TestApp) {
        let token = app.admin_token();
        let response = app.post(
            "/v1/organizations",
            Some(&token),
            &json!({"name": "Harbor Light", "colour": "red"}),
        );
        assert_problem(&response, 422, "validation.failed");
        assert_eq!(response.body["errors"][0]["field"], "colour");
        assert_eq!(response.body["errors"][0]["code"], "unknown_field");

        // Cut short, or not sent as JSON.
        for (content_type, body) in [
            ("application/json", "{\"name\": "),
            ("text/plain", "{\"name\": \"Harbor Light\"}"),
        ] {
            let response = app
                .request("POST", "/v1/organizations")
                .token(Some(&token))
                .header("Content-Type", content_type)
                .body(body)
                .send();
            assert_eq!(response.status, 400, "{content_type} {body}");
            assert_problem(&response, 400, "request.malformed");
        }

        let list = app.get("/v1/organizations", Some(&token));
        assert_eq!(
            list.body["data"],
            json!([]),
            "a refused body stored something"
        );
    }

    fn bodies_over_the_limit_are_refused(backend: Backend) {
        let app = TestApp::builder(backend).max_body_bytes(1024).spawn();
        let name = "x".repeat(2048);
        let response = app.post(
            "/v1/organizations",
            Some(&app.admin_token()),
            &json!({ "name": name }),
        );
        assert_problem(&response, 413, "request.too_large");
    }

    fn updates_check_if_match(app: &TestApp) {
        let token = app.admin_token();
        let created = create_organization(app, &token, "Harbor Light");
        let path = format!("/v1/organizations/{}", created["id"].as_str().unwrap());

        assert_stale_patch(
            app,
            &path,
            &token,
            "\"0\"",
            &json!({"name": "Harbor Light Services"}),
        );

        let updated = patch_if(
            app,
            &path,
            &token,
            "\"1\"",
            &json!({"name": "Harbor Light Services"}),
        );
        updated.assert_status(200);
        assert_eq!(updated.etag(), "\"2\"");
        assert_eq!(updated.body["name"], "Harbor Light Services");
        assert_eq!(updated.body["version"], 2);

        let fetched = app.get(&path, Some(&token));
        assert_eq!(fetched.etag(), "\"2\"");
        assert_eq!(fetched.body["name"], "Harbor Light Services");
    }

    fn dry_run_stores_nothing(app: &TestApp) {
        let token = app.admin_token();
        let body = json!({"name": "Harbor Light"});
        let response = app.post("/v1/organizations?dry_run=true", Some(&token), &body);
        response.assert_status(200);
        assert_eq!(response.body["name"], "Harbor Light");
        assert_eq!(response.header("location"), None);
        let list = app.get("/v1/organizations", Some(&token));
        assert_eq!(list.body["data"], json!([]));
    }

    fn query_strings_are_checked(app: &TestApp) {
        let token = app.admin_token();
        let queries = [
            "colour=red",
            "cursor=not-a-cursor",
            "limit=0",
            "limit=201",
            "limit=x",
        ];
        assert_malformed_queries(app, &token, "/v1/organizations", &queries);
    }

    fn pagination_walks_every_page(app: &TestApp) {
        let token = app.admin_token();
        let mut created: Vec<String> = ["First", "Second", "Third"]
            .into_iter()
            .map(|name| {
                create_organization(app, &token, name)["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        created.sort();

        // By next_cursor.
        assert_eq!(
            ids_one_per_page(app, &token, "/v1/organizations"),
            created,
            "pages in id order, each organization once"
        );

        // By the Link header alone.
        let pages = pages_by_link(app, &token, "/v1/organizations?limit=1");
        assert_eq!(ids_of_pages(&pages), created);
    }
);

//! What operations and browser applications rely on: CORS for the allowed origins only,
//! `X-Request-Id` on every response, and Prometheus metrics at `/metrics`.

use crate::common::{assert_not_found, assert_unauthenticated, create_organization};
use serde_json::json;
use threshold_tests::{assert_problem, both_backends, Backend, Response, TestApp};
use uuid::Uuid;

const ALLOWED: &str = "https://app.example.org";
const OTHER_ALLOWED: &str = "http://localhost:5173";
const DISALLOWED: &str = "https://elsewhere.example.net";

fn cors_app(backend: Backend) -> TestApp {
    TestApp::builder(backend)
        .cors_origins(&format!("{ALLOWED}, {OTHER_ALLOWED}"))
        .spawn()
}

/// What a browser sends before a cross-origin `PATCH` with a token and `If-Match`.
fn preflight(app: &TestApp, path: &str, origin: &str) -> Response {
    app.request("OPTIONS", path)
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "PATCH")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type, if-match, idempotency-key, x-request-id",
        )
        .send()
}

/// A `GET` from a page of `origin`, with `token` when there is one.
fn get_from(app: &TestApp, origin: &str, path: &str, token: Option<&str>) -> Response {
    app.request("GET", path)
        .token(token)
        .header("Origin", origin)
        .send()
}

/// The comma-separated items of a header, in lowercase.
fn listed(response: &Response, name: &str) -> Vec<String> {
    response
        .header(name)
        .unwrap_or_else(|| panic!("no {name} in {response:?}"))
        .split(',')
        .map(|item| item.trim().to_ascii_lowercase())
        .collect()
}

fn assert_no_cors_headers(response: &Response) {
    let cors: Vec<_> = response
        .headers
        .iter()
        .filter(|(name, _)| name.starts_with("access-control-"))
        .collect();
    assert!(cors.is_empty(), "unexpected CORS headers {cors:?}");
}

/// The value of a series in a Prometheus text body, if it is there.
fn sample<'a>(metrics: &'a str, series: &str) -> Option<&'a str> {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
}

both_backends!(
    fn preflight_from_an_allowed_origin_is_answered(backend: Backend) {
        let app = cors_app(backend);
        let path = format!("/v1/clients/{}", Uuid::now_v7());
        for origin in [ALLOWED, OTHER_ALLOWED] {
            let response = preflight(&app, &path, origin);
            response.assert_status(200);
            assert_eq!(response.header("access-control-allow-origin"), Some(origin));
            let methods = listed(&response, "access-control-allow-methods");
            for method in ["get", "post", "put", "patch", "delete", "options"] {
                assert!(methods.iter().any(|item| item == method), "{methods:?}");
            }
            let headers = listed(&response, "access-control-allow-headers");
            for header in [
                "authorization",
                "content-type",
                "if-match",
                "if-none-match",
                "idempotency-key",
                "x-request-id",
            ] {
                assert!(headers.iter().any(|item| item == header), "{headers:?}");
            }
            assert_eq!(response.header("access-control-max-age"), Some("3600"));
            assert_eq!(response.header("access-control-allow-credentials"), None);
        }
    }

    fn requests_from_an_allowed_origin_may_read_the_answer(backend: Backend) {
        let app = cors_app(backend);
        let response = get_from(&app, ALLOWED, "/v1/organizations", Some(&app.admin_token()));
        response.assert_status(200);
        assert_eq!(
            response.header("access-control-allow-origin"),
            Some(ALLOWED)
        );
        let exposed = listed(&response, "access-control-expose-headers");
        for header in ["etag", "location", "link", "x-request-id", "retry-after"] {
            assert!(exposed.iter().any(|item| item == header), "{exposed:?}");
        }
        // An error answer is readable too, so the application can show the problem.
        let response = get_from(&app, ALLOWED, "/v1/organizations", None);
        assert_unauthenticated(&response);
        assert_eq!(
            response.header("access-control-allow-origin"),
            Some(ALLOWED)
        );
    }

    fn other_origins_get_no_cors_headers(backend: Backend) {
        let app = cors_app(backend);
        let response = preflight(&app, "/v1/organizations", DISALLOWED);
        assert_problem(&response, 400, "request.malformed");
        assert_no_cors_headers(&response);
        // Served as usual (curl and servers send any Origin), but a browser keeps the
        // answer from the page.
        let response = get_from(
            &app,
            DISALLOWED,
            "/v1/organizations",
            Some(&app.admin_token()),
        );
        response.assert_status(200);
        assert_no_cors_headers(&response);
        // Without an Origin (not a browser's cross-origin request) there is nothing to grant.
        let response = app.get("/healthz", None);
        response.assert_status(200);
        assert_no_cors_headers(&response);
    }

    fn no_origin_is_allowed_by_default(app: &TestApp) {
        let response = preflight(app, "/v1/organizations", ALLOWED);
        assert_problem(&response, 400, "request.malformed");
        assert_no_cors_headers(&response);
        let response = get_from(app, ALLOWED, "/healthz", None);
        response.assert_status(200);
        assert_no_cors_headers(&response);
    }

    fn a_star_allows_every_origin(backend: Backend) {
        let app = TestApp::builder(backend).cors_origins("*").spawn();
        let response = preflight(&app, "/v1/organizations", DISALLOWED);
        response.assert_status(200);
        assert_eq!(
            response.header("access-control-allow-origin"),
            Some(DISALLOWED)
        );
    }

    fn options_that_is_not_a_preflight_is_a_method_not_allowed(backend: Backend) {
        let app = cors_app(backend);
        let response = app.request("OPTIONS", "/v1/organizations").send();
        assert_problem(&response, 405, "request.method_not_allowed");
        assert_eq!(response.header("allow"), Some("GET, POST"));
    }

    fn a_sane_request_id_is_echoed(backend: Backend) {
        let app = cors_app(backend);
        let id = "checkout-42_a.B";
        let response = app
            .request("GET", "/healthz")
            .header("X-Request-Id", id)
            .send();
        response.assert_status(200);
        assert_eq!(response.header("x-request-id"), Some(id));
        // On errors too, whoever answered them.
        let response = app
            .request("GET", "/no/such/route")
            .header("X-Request-Id", id)
            .send();
        assert_not_found(&response);
        assert_eq!(response.header("x-request-id"), Some(id));
        let response = app
            .request("OPTIONS", "/v1/organizations")
            .header("Origin", DISALLOWED)
            .header("Access-Control-Request-Method", "GET")
            .header("X-Request-Id", id)
            .send();
        assert_problem(&response, 400, "request.malformed");
        assert_eq!(response.header("x-request-id"), Some(id));
        let response = preflight(&app, "/v1/organizations", ALLOWED);
        response.assert_status(200);
        assert!(response.header("x-request-id").is_some());
    }

    fn a_missing_or_insane_request_id_is_replaced(app: &TestApp) {
        let generated = |response: &Response| -> Uuid {
            let id = response
                .header("x-request-id")
                .unwrap_or_else(|| panic!("no X-Request-Id in {response:?}"));
            Uuid::parse_str(id).unwrap_or_else(|_| panic!("`{id}` is not a UUID"))
        };
        let first = generated(&app.get("/healthz", None));
        let second = generated(&app.get("/healthz", None));
        assert_ne!(first, second, "each request gets an id of its own");
        for insane in ["x".repeat(300), "two words".into(), "a/b".into()] {
            let response = app
                .request("GET", "/healthz")
                .header("X-Request-Id", &insane)
                .send();
            response.assert_status(200);
            generated(&response);
        }
        // 128 characters are still fine.
        let long = "y".repeat(128);
        let response = app
            .request("GET", "/healthz")
            .header("X-Request-Id", &long)
            .send();
        assert_eq!(response.header("x-request-id"), Some(long.as_str()));
    }

    fn a_trailing_slash_names_the_same_resource(app: &TestApp) {
        let admin = app.admin_token();
        let organization = create_organization(app, "Harbor Light");
        let without = app.get("/v1/organizations?limit=5", Some(&admin));
        let with = app.get("/v1/organizations/?limit=5", Some(&admin));
        with.assert_status(200);
        assert_eq!(with.body, without.body);
        let one = app.get(&format!("/v1/organizations/{organization}/"), Some(&admin));
        one.assert_status(200);
        assert_eq!(one.body["id"], organization.as_str());
        let created = app.post("/v1/clients/", Some(&admin), &json!({"first_name": "Ana"}));
        created.assert_status(201);
        // Unknown paths stay unknown, slash or not; Swagger UI keeps its own.
        assert_not_found(&app.get("/v1/nothing-here/", Some(&admin)));
        app.get("/swagger-ui/", None).assert_status(200);
    }

    fn metrics_count_requests_by_route_pattern(app: &TestApp) {
        let token = app.admin_token();
        app.get("/healthz", None).assert_status(200);
        app.get("/healthz", None).assert_status(200);
        let missing = Uuid::now_v7();
        let response = app.get(&format!("/v1/clients/{missing}"), Some(&token));
        assert_not_found(&response);
        let response = app.get("/no/such/route", None);
        assert_not_found(&response);

        // Open without a token, like /healthz.
        let response = app.get("/metrics", None);
        response.assert_status(200);
        let content_type = response.header("content-type").unwrap_or("");
        assert!(
            content_type.starts_with("text/plain"),
            "Content-Type `{content_type}`"
        );
        let text = &response.text;
        for (series, value) in [
            (
                r#"threshold_http_requests_total{method="GET",route="/healthz",status="200"}"#,
                "2",
            ),
            (
                r#"threshold_http_requests_total{method="GET",route="/v1/clients/{client_id}",status="404"}"#,
                "1",
            ),
            (
                r#"threshold_http_requests_total{method="GET",route="unmatched",status="404"}"#,
                "1",
            ),
            (
                r#"threshold_http_request_duration_seconds_count{method="GET",route="/healthz"}"#,
                "2",
            ),
            (
                r#"threshold_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"}"#,
                "2",
            ),
        ] {
            assert_eq!(sample(text, series), Some(value), "{series} in\n{text}");
        }
        assert!(
            !text.contains(&missing.to_string()) && !text.contains("/no/such/route"),
            "a raw path became a label:\n{text}"
        );
        for gauge in [
            "threshold_db_pool_connections",
            "threshold_db_pool_idle_connections",
        ] {
            let value = sample(text, gauge).unwrap_or_else(|| panic!("no {gauge} in\n{text}"));
            value
                .parse::<u32>()
                .unwrap_or_else(|_| panic!("{gauge} is `{value}`"));
        }
        assert!(text.contains("# TYPE threshold_http_requests_total counter"));
        assert!(text.contains("# TYPE threshold_http_request_duration_seconds histogram"));

        // The scrape itself is counted for the next one.
        let again = app.get("/metrics", None);
        assert_eq!(
            sample(
                &again.text,
                r#"threshold_http_requests_total{method="GET",route="/metrics",status="200"}"#
            ),
            Some("1")
        );
    }
);

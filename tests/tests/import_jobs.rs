//! Import jobs around the archive itself: the size limit of its own
//! (`THRESHOLD_MAX_IMPORT_BYTES`), the content type, and a job a restart interrupted, which the
//! worker marks failed when it starts again.

mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use common::create_organization;
use threshold_api::app;
use threshold_api::cors::CorsOrigins;
use threshold_api::hmis::import::worker;
use threshold_api::settings::{LogFormat, Settings, Toggle};
use threshold_persistence::db::DatabaseUrl;
use threshold_persistence::imports::{self, ImportJobRow};
use threshold_tests::{assert_problem, both_backends, Response, TestApp, JWT_SECRET};
use uuid::Uuid;

fn post_archive(
    app: &TestApp,
    organization_id: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Response {
    app.request(
        "POST",
        &format!("/v1/imports/hmis-csv?organization_id={organization_id}"),
    )
    .token(Some(&app.admin_token()))
    .header("Content-Type", content_type)
    .body(body)
    .send()
}

/// The same settings as the harness's, on `database_url`: the state a restarted server
/// would build.
fn settings_for(database_url: &str) -> Settings {
    Settings {
        database_url: database_url.to_owned(),
        bind: "127.0.0.1:0".into(),
        jwt_secret: Some(JWT_SECRET.into()),
        jwt_public_key: None,
        jwt_issuer: None,
        jwt_audience: None,
        db_pool_size: 2,
        max_body_bytes: 1_048_576,
        max_import_bytes: 104_857_600,
        auto_exit: Toggle::Off,
        workers: Some(1),
        cors_origins: CorsOrigins::None,
        log_format: LogFormat::Text,
    }
}

both_backends!(
    fn an_archive_over_the_import_limit_is_413(backend: Backend) {
        let app = TestApp::builder(backend).max_import_bytes(1024).spawn();
        let organization = create_organization(&app, "Harbor");
        let response = post_archive(&app, &organization, "application/zip", vec![b'P'; 4096]);
        assert_problem(&response, 413, "request.too_large");
        // The import's limit, not the JSON bodies': the same archive is queued where only the
        // body limit is small.
        let app = TestApp::builder(backend).max_body_bytes(1024).spawn();
        let organization = create_organization(&app, "Harbor");
        let response = post_archive(&app, &organization, "application/zip", vec![b'P'; 4096]);
        response.assert_status(202);
    }

    fn a_body_that_is_not_a_zip_is_400(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        for content_type in ["application/json", "text/csv", "application/octet-stream"] {
            let response = post_archive(app, &organization, content_type, b"PK\x03\x04".to_vec());
            assert_problem(&response, 400, "request.malformed");
        }
        let response = app
            .request(
                "POST",
                &format!("/v1/imports/hmis-csv?organization_id={organization}"),
            )
            .token(Some(&app.admin_token()))
            .body(b"PK\x03\x04".to_vec())
            .send();
        assert_problem(&response, 400, "request.malformed");
    }

    fn a_job_left_running_fails_when_the_worker_starts_again(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let id = Uuid::now_v7().hyphenated().to_string();
        let mut conn = DatabaseUrl::parse(app.database_url())
            .expect("the app's database URL")
            .connect()
            .expect("a connection");
        let at = Utc::now().naive_utc();
        imports::insert_job(
            &mut conn,
            &ImportJobRow {
                id: id.clone(),
                status: "running".into(),
                dry_run: false,
                organization_id: organization.clone(),
                created_by: "test-admin".into(),
                created_at: at,
                started_at: Some(at),
                finished_at: None,
                counts: "{}".into(),
                errors: "[]".into(),
                source: None,
                archive: b"PK\x05\x06".to_vec(),
            },
        )
        .expect("the job is stored");
        drop(conn);
        let path = format!("/v1/imports/{id}");

        // The running server's worker recovered when it started, before this job: it
        // leaves it alone.
        std::thread::sleep(Duration::from_millis(600));
        let job = app.get(&path, Some(&app.admin_token()));
        job.assert_status(200);
        assert_eq!(job.body["status"], "running", "{}", job.describe());

        // A restart: a new state on the same database, its worker started as the server
        // starts it.
        let restarted = app::prepare(&settings_for(app.database_url())).expect("a second state");
        worker::start(&restarted.clone().into_inner());
        let deadline = Instant::now() + Duration::from_secs(30);
        let job = loop {
            let job = app.get(&path, Some(&app.admin_token()));
            job.assert_status(200);
            if job.body["status"] != "running" {
                break job;
            }
            assert!(
                Instant::now() < deadline,
                "still running: {}",
                job.describe()
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        drop(restarted);
        assert_eq!(job.body["status"], "failed", "{}", job.describe());
        let errors = job.body["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{}", job.describe());
        let reason = errors[0]["reason"].as_str().unwrap_or("");
        assert!(
            reason.contains("interrupted by a restart"),
            "{}",
            job.describe()
        );
        assert!(job.body["finished_at"].is_string(), "{}", job.describe());
        assert_eq!(job.body["counts"], serde_json::json!({}));
    }
);

//! Import jobs around the archive itself: the size limit of its own
//! (`THRESHOLD_MAX_IMPORT_BYTES`), the content type, and a job its server left running when
//! it stopped, which a worker marks failed (the kill itself is in `faults.rs`, several
//! servers in `two_servers.rs`).

use std::time::{Duration, Instant};

use crate::common::create_organization;
use crate::common::imports::{finished, large_archive, poll_job};
use chrono::Utc;
use threshold_persistence::db::DatabaseUrl;
use threshold_persistence::ids::ImportJobId;
use threshold_persistence::imports::{self, ImportJobRow};
use threshold_tests::{assert_problem, both_backends, Backend, Response, TestApp};

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

/// A ZIP of one file of `size` blanks, stored uncompressed, so the archive is larger still.
fn stored_zip(size: usize) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer
        .start_file("Notes.txt", options)
        .expect("a zip entry");
    writer.write_all(&vec![b' '; size]).expect("zip content");
    writer.finish().expect("a finished zip").into_inner()
}

/// The boundary of the forms the tests send.
const BOUNDARY: &str = "threshold-form-7d1f";

/// A `multipart/form-data` body of `parts`: `(name, file name, bytes)`.
fn form(parts: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: application/zip\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn form_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

both_backends!(
    fn an_archive_uploaded_as_a_forms_file_part_is_imported(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let archive = large_archive(3);
        let by_form = post_archive(
            app,
            &organization,
            &form_type(),
            form(&[("file", "export.zip", &archive)]),
        );
        by_form.assert_status(202);
        let location = by_form.header("location").expect("a Location").to_owned();
        let job = poll_job(app, &location, Duration::from_secs(60), finished);
        assert_eq!(job["status"], "succeeded", "{job}");
        // The same archive sent as the body itself is the same import: nothing new.
        let by_body = post_archive(app, &organization, "application/zip", archive);
        by_body.assert_status(202);
        let location = by_body.header("location").expect("a Location").to_owned();
        let again = poll_job(app, &location, Duration::from_secs(60), finished);
        assert_eq!(again["status"], "succeeded", "{again}");
        for (file, counts) in again["counts"].as_object().expect("counts") {
            assert_eq!(counts["created"], 0, "{file}: {again}");
        }
    }

    fn a_form_without_one_file_part_is_400(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let archive = large_archive(1);
        for parts in [
            vec![],
            vec![("archive", "export.zip", archive.as_slice())],
            vec![
                ("file", "a.zip", archive.as_slice()),
                ("file", "b.zip", archive.as_slice()),
            ],
            vec![
                ("file", "a.zip", archive.as_slice()),
                ("note", "n.txt", b"hello".as_slice()),
            ],
        ] {
            let response = post_archive(app, &organization, &form_type(), form(&parts));
            assert_problem(&response, 400, "request.malformed");
        }
        // Not a form at all, though it says it is.
        let response = post_archive(app, &organization, &form_type(), b"PK\x03\x04".to_vec());
        assert_problem(&response, 400, "request.malformed");
    }

    fn a_form_over_the_import_limit_is_413(backend: Backend) {
        let app = TestApp::builder(backend).max_import_bytes(1024).spawn();
        let organization = create_organization(&app, "Harbor");
        let body = form(&[("file", "big.zip", &stored_zip(4096))]);
        let response = post_archive(&app, &organization, &form_type(), body);
        assert_problem(&response, 413, "request.too_large");
    }

    fn an_archive_over_the_import_limit_is_413(backend: Backend) {
        let app = TestApp::builder(backend).max_import_bytes(1024).spawn();
        let organization = create_organization(&app, "Harbor");
        let response = post_archive(&app, &organization, "application/zip", stored_zip(4096));
        assert_problem(&response, 413, "request.too_large");
        // The import's limit, not the JSON bodies': the same archive is queued where only the
        // body limit is small.
        let app = TestApp::builder(backend).max_body_bytes(1024).spawn();
        let organization = create_organization(&app, "Harbor");
        let response = post_archive(&app, &organization, "application/zip", stored_zip(4096));
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

    fn a_job_left_running_by_a_stopped_server_is_marked_failed(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let id = ImportJobId::new();
        let mut conn = DatabaseUrl::parse(app.database_url())
            .expect("the app's database URL")
            .connect()
            .expect("a connection");
        let path = format!("/v1/imports/{id}");
        let status = || {
            let job = app.get(&path, Some(&app.admin_token()));
            job.assert_status(200);
            job
        };
        if app.backend() == Backend::Postgres {
            // Another server on the same database runs it: this session holds it.
            assert!(imports::hold(&mut conn, id).expect("the job's lock"));
        }
        let at = Utc::now().naive_utc();
        imports::insert_job(
            &mut conn,
            &ImportJobRow {
                id,
                status: "running".into(),
                dry_run: false,
                organization_id: organization.parse().expect("an organization ID"),
                created_by: "test-admin".into(),
                created_at: at,
                started_at: Some(at),
                finished_at: None,
                counts: "{}".into(),
                errors: "[]".into(),
                source: None,
                archive: b"PK\x05\x06".to_vec(),
                ignored: "[]".into(),
                mode: "strict".into(),
                max_skipped_percent: 5,
            },
        )
        .expect("the job is stored");
        if app.backend() == Backend::Postgres {
            // The worker polls every 250 ms: a job held by a live server stays running.
            let deadline = Instant::now() + Duration::from_secs(1);
            while Instant::now() < deadline {
                let job = status();
                assert_eq!(job.body["status"], "running", "{}", job.describe());
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        // Its server stops (on SQLite, one process serves the file: whatever is running
        // when the worker polls was left by a server that stopped).
        drop(conn);

        let deadline = Instant::now() + Duration::from_secs(30);
        let job = loop {
            let job = status();
            if job.body["status"] != "running" {
                break job;
            }
            assert!(
                Instant::now() < deadline,
                "still running: {}",
                job.describe()
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert_eq!(job.body["status"], "failed", "{}", job.describe());
        let errors = job.body["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{}", job.describe());
        let reason = errors[0]["reason"].as_str().unwrap_or("");
        assert!(
            reason.contains("interrupted") && reason.contains("nothing was written"),
            "{}",
            job.describe()
        );
        assert!(job.body["finished_at"].is_string(), "{}", job.describe());
        assert_eq!(job.body["counts"], serde_json::json!({}));
    }
);

//! Archives built to hurt the HMIS import. What the ZIP's directory shows (no ZIP at all,
//! too many entries, paths out of the root, sizes a ZIP bomb declares) is refused when the
//! archive arrives; what only its content shows fails the job, never the server.

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::Value;
use threshold_tests::{both_backends, Response, TestApp};

use super::{assert_refused, assert_still_serving, fields_of, short};
use crate::common::create_organization;
use crate::common::imports::post_import;

const MIB: u32 = 1024 * 1024;

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in files {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("a zip entry");
        writer.write_all(content).expect("zip content");
    }
    writer.finish().expect("a finished zip").into_inner()
}

/// The archive with every entry declaring `size` bytes uncompressed, in its local header
/// and in the central directory, as a ZIP bomb's do: a few bytes that claim to be a lot.
fn declaring(mut zip: Vec<u8>, size: u32) -> Vec<u8> {
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(30) {
        let offset = match &zip[at..at + 4] {
            b"PK\x03\x04" => 22,
            b"PK\x01\x02" => 24,
            _ => continue,
        };
        zip[at + offset..at + offset + 4].copy_from_slice(&size.to_le_bytes());
        patched += 1;
    }
    assert!(patched >= 2, "no ZIP headers to patch");
    zip
}

fn post_archive(app: &TestApp, organization: &str, body: Vec<u8>) -> Response {
    let query = format!("?organization_id={organization}");
    post_import(app, &app.admin_token(), &query, body)
}

fn codes_of(response: &Response) -> Vec<String> {
    fields_of(response)
        .into_iter()
        .map(|(_, code)| code)
        .collect()
}

/// Polls the job until it is done (at most 60 s); answers it.
fn finished(app: &TestApp, queued: &Response) -> Value {
    assert_eq!(queued.status, 202, "{}", short(queued));
    let location = queued.header("location").expect("a Location").to_owned();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let job = app.get(&location, Some(&app.admin_token()));
        assert_eq!(job.status, 200, "{}", short(&job));
        if matches!(job.body["status"].as_str(), Some("succeeded" | "failed")) {
            return job.body;
        }
        assert!(Instant::now() < deadline, "not done: {}", short(&job));
        std::thread::sleep(Duration::from_millis(100));
    }
}

const STAMP: &str = "2024-03-01 10:00:00";

/// An archive from `source` of one organization and user and one client named `first_name`.
fn one_client(source: &str, first_name: &str) -> Vec<u8> {
    let export = format!(
        "ExportID,SourceType,SourceID,SourceName,ExportDate,ExportStartDate,ExportEndDate,\
         SoftwareName,CSVVersion,ExportPeriodType,ExportDirective,HashStatus,ImplementationID\r\n\
         X1,3,{source},Source,{STAMP},2024-01-01,2024-12-31,Other,2026 v1.0,3,2,1,impl\r\n"
    );
    let organization = format!(
        "OrganizationID,OrganizationName,VictimServiceProvider,DateCreated,DateUpdated,UserID,\
         DateDeleted,ExportID\r\nO-1,Harbor,0,{STAMP},{STAMP},U-1,,X1\r\n"
    );
    let user = format!(
        "UserID,UserFirstName,UserLastName,UserEmail,DateCreated,DateUpdated,DateDeleted,\
         ExportID\r\nU-1,Dana,Reyes,dana@example.org,{STAMP},{STAMP},,X1\r\n"
    );
    let client = format!(
        "PersonalID,FirstName,LastName,NameDataQuality,SSNDataQuality,DOB,DOBDataQuality,Sex,\
         RaceNone,VeteranStatus,DateCreated,DateUpdated,UserID,DateDeleted,ExportID\r\n\
         C-1,{first_name},Lopez,1,99,1980-01-01,1,0,99,0,{STAMP},{STAMP},U-1,,X1\r\n"
    );
    zip_of(&[
        ("Export.csv", export.as_bytes()),
        ("Organization.csv", organization.as_bytes()),
        ("User.csv", user.as_bytes()),
        ("Client.csv", client.as_bytes()),
    ])
}

both_backends!(
    fn bodies_that_are_no_zip_are_400(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let mut truncated = zip_of(&[("Export.csv", b"ExportID\r\n")]);
        truncated.truncate(truncated.len() - 10);
        for (body, what) in [
            (
                b"PersonalID,FirstName\r\nC-1,Ana\r\n".to_vec(),
                "a bare CSV",
            ),
            (
                b"PK\x03\x04 and then nothing a ZIP holds".to_vec(),
                "a ZIP's first bytes",
            ),
            (
                b"\x1f\x8b\x08\x00\x00\x00\x00\x00".to_vec(),
                "a gzip header",
            ),
            (truncated, "a ZIP cut short"),
            (
                (0..4096u32).map(|n| (n * 7919 % 251) as u8).collect(),
                "noise",
            ),
        ] {
            let response = post_archive(app, &organization, body);
            assert_refused(app, &response, 400, "request.malformed", what);
            assert_eq!(codes_of(&response), ["not_zip"], "{what}");
        }
    }

    fn names_out_of_the_root_are_400_each_listed(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let csv: &[u8] = b"PersonalID\r\nC-1\r\n";
        let zip = zip_of(&[
            ("Export.csv", csv),
            ("/Client.csv", csv),
            ("..\\Client.csv", csv),
            ("exports/2024/Client.csv", csv),
            ("....csv", csv),
        ]);
        let response = post_archive(app, &organization, zip);
        assert_refused(app, &response, 400, "request.malformed", "paths");
        let listed: Vec<(String, String)> = fields_of(&response);
        let outside = |name: &str| (name.to_owned(), "outside_root".to_owned());
        assert_eq!(
            listed,
            [
                outside("/Client.csv"),
                outside("..\\Client.csv"),
                outside("exports/2024/Client.csv"),
                outside("....csv"),
            ]
        );
    }

    fn more_entries_than_the_format_has_are_400(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let names: Vec<String> = (0..65).map(|n| format!("File{n}.csv")).collect();
        let files: Vec<(&str, &[u8])> =
            names.iter().map(|name| (name.as_str(), &b""[..])).collect();
        let response = post_archive(app, &organization, zip_of(&files));
        assert_refused(app, &response, 400, "request.malformed", "65 entries");
        assert_eq!(codes_of(&response), ["too_many_entries"]);
    }

    fn zip_bombs_that_declare_their_size_are_400(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let header: &[u8] = b"PersonalID,FirstName\r\n";
        let one = declaring(zip_of(&[("Client.csv", header)]), 600 * MIB);
        let response = post_archive(app, &organization, one);
        assert_refused(
            app,
            &response,
            400,
            "request.malformed",
            "one file of 600 MiB",
        );
        assert_eq!(
            fields_of(&response),
            [("Client.csv".into(), "too_large".into())]
        );
        // Each file under the cap of one, together over the cap of an archive.
        let files: Vec<(&str, &[u8])> = ["Client.csv", "Enrollment.csv", "Exit.csv"]
            .into_iter()
            .map(|name| (name, header))
            .collect();
        let three = declaring(zip_of(&files), 400 * MIB);
        let response = post_archive(app, &organization, three);
        assert_refused(app, &response, 400, "request.malformed", "three of 400 MiB");
        assert_eq!(fields_of(&response), [(String::new(), "too_large".into())]);
    }

    fn a_nul_in_a_csv_fails_the_job_and_nothing_else(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let archive = one_client("src-a", "Ana");
        let job = finished(app, &post_archive(app, &organization, archive));
        assert_eq!(
            job["status"], "succeeded",
            "the archive itself imports: {job}"
        );

        let archive = one_client("src-b", "A\0na");
        let job = finished(app, &post_archive(app, &organization, archive));
        assert_eq!(job["status"], "failed", "{job}");
        let errors = job["errors"].as_array().expect("errors");
        assert!(
            errors
                .iter()
                .any(|error| error["file"] == "Client.csv" && error["column"] == "FirstName"),
            "the row and column are named: {job}"
        );
        let clients = app.get("/v1/clients?q=Lopez", Some(&app.admin_token()));
        assert_eq!(clients.body["data"].as_array().map(Vec::len), Some(1));
        assert_still_serving(app, "a NUL in a CSV");
    }
);

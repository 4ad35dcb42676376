//! Writes lock only what their rules read (PostgreSQL; SQLite has one writer at a time):
//! while another transaction holds one scope's lock (a program, a household, a client, an
//! organization as an HMIS import holds it), the writes that need it wait for it, and every
//! write that shares no scope with it goes through. An import into one organization leaves
//! writes into another alone.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::json;
use threshold_persistence::ids::Id;
use threshold_persistence::locks::{hold_all, Mode, Scope};
use threshold_persistence::{write_transaction, StoreError};
use threshold_tests::{Backend, Request, Response, TestApp};

use crate::common::imports::{start_large_import, Count};
use crate::common::races::{posting, racing_app};
use crate::common::{
    create_client, create_organization, create_program, enroll_head, enrollment_body,
    enrollments_path, household_of, id_of, member_body,
};

/// Long enough for any one request on a busy machine; a write that waits for a lock nobody
/// lets go of never answers within it.
const GOES_THROUGH: Duration = Duration::from_secs(20);
/// How long a write that must wait is watched not answering.
const WATCHED: Duration = Duration::from_millis(700);

/// A transaction of its own holding the locks of some scopes until dropped.
struct Held {
    release: Option<mpsc::Sender<()>>,
    holder: Option<thread::JoinHandle<()>>,
}

impl Held {
    fn new(app: &TestApp, scopes: Vec<(Scope, Mode)>) -> Held {
        let db = app.state().db.clone();
        let (taken, ready) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let holder = thread::spawn(move || {
            let mut conn = db.get().expect("a connection");
            write_transaction(&mut conn, |conn| -> Result<(), StoreError> {
                hold_all(conn, scopes.clone())?;
                taken.send(()).expect("the test waits");
                let _ = released.recv();
                Ok(())
            })
            .expect("the locks are held and let go");
        });
        ready
            .recv_timeout(GOES_THROUGH)
            .expect("the locks were taken");
        Held {
            release: Some(release),
            holder: Some(holder),
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        drop(self.release.take());
        if let Some(holder) = self.holder.take() {
            let _ = holder.join();
        }
    }
}

/// Sends a request from a thread of its own; its answer comes on the channel.
fn sent(request: Request) -> mpsc::Receiver<Response> {
    let (answer, answered) = mpsc::channel();
    thread::spawn(move || {
        let _ = answer.send(request.send());
    });
    answered
}

/// The request answers while the locks are held: it needed none of them.
fn goes_through(what: &str, request: Request, status: u16) -> Response {
    let response = sent(request)
        .recv_timeout(GOES_THROUGH)
        .unwrap_or_else(|_| panic!("{what}: waited for a lock it does not need"));
    assert_eq!(response.status, status, "{what}: {}", response.describe());
    response
}

/// The request does not answer while the locks are held; it answers once they are let go.
fn waits(what: &str, request: Request, held: Held, status: u16) -> Response {
    let answered = sent(request);
    if let Ok(response) = answered.recv_timeout(WATCHED) {
        panic!(
            "{what}: answered while a lock it needs was held: {}",
            response.describe()
        );
    }
    drop(held);
    let response = answered
        .recv_timeout(GOES_THROUGH)
        .unwrap_or_else(|_| panic!("{what}: never answered once the lock was let go"));
    assert_eq!(response.status, status, "{what}: {}", response.describe());
    response
}

fn uuid(id: &str) -> uuid::Uuid {
    id.parse().expect("a UUID")
}

struct Setup {
    app: TestApp,
    token: String,
    /// Two programs with a capacity in one organization, one program in another.
    organization_a: String,
    program_a1: String,
    program_a2: String,
    program_b: String,
}

fn setup() -> Setup {
    let app = racing_app(Backend::Postgres, 8);
    let token = app.admin_token();
    let organization_a = create_organization(&app, "Harbor");
    let program_a1 = create_program(&app, &organization_a, json!({ "capacity": 50 }));
    let program_a2 = create_program(&app, &organization_a, json!({ "capacity": 50 }));
    let organization_b = create_organization(&app, "Lighthouse");
    let program_b = create_program(&app, &organization_b, json!({}));
    Setup {
        app,
        token,
        organization_a,
        program_a1,
        program_a2,
        program_b,
    }
}

impl Setup {
    /// A new client's enrollment as the head of a new household of `program`.
    fn enrolling(&self, name: &str, program: &str) -> Request {
        let client = create_client(&self.app, name);
        posting(
            &self.app,
            &self.token,
            &enrollments_path(&client),
            &enrollment_body(program, "2024-03-01", 1),
        )
    }

    fn lock(&self, scope: Scope, mode: Mode) -> Held {
        Held::new(&self.app, vec![(scope, mode)])
    }
}

#[test]
fn while_a_program_is_locked_only_new_enrollments_counted_in_it_wait() {
    let s = setup();
    let held = s.lock(
        Scope::Program(Id::from_uuid(uuid(&s.program_a1))),
        Mode::Exclusive,
    );
    goes_through(
        "an enrollment in another program of the organization",
        s.enrolling("Ada", &s.program_a2),
        201,
    );
    goes_through(
        "an enrollment in another organization's program",
        s.enrolling("Bea", &s.program_b),
        201,
    );
    waits(
        "an enrollment counted against the locked program's capacity",
        s.enrolling("Cy", &s.program_a1),
        held,
        201,
    );
}

#[test]
fn while_a_household_is_locked_only_writes_to_it_wait() {
    let s = setup();
    let head = enroll_head(
        &s.app,
        &create_client(&s.app, "Head"),
        &s.program_b,
        "2024-03-01",
    );
    let household = household_of(&head).to_owned();
    let other = enroll_head(
        &s.app,
        &create_client(&s.app, "Other"),
        &s.program_b,
        "2024-03-01",
    );
    let held = s.lock(
        Scope::Household(Id::from_uuid(uuid(&household))),
        Mode::Exclusive,
    );
    goes_through(
        "a new household in the same program",
        s.enrolling("Dee", &s.program_b),
        201,
    );
    let other_client = other["client_id"].as_str().expect("client_id");
    goes_through(
        "an exit from another household of the program",
        posting(
            &s.app,
            &s.token,
            &format!("{}/{}/exit", enrollments_path(other_client), id_of(&other)),
            &json!({ "exit_date": "2024-04-01", "destination": 101 }),
        ),
        200,
    );
    let joining = create_client(&s.app, "Joiner");
    waits(
        "a member joining the locked household",
        posting(
            &s.app,
            &s.token,
            &enrollments_path(&joining),
            &member_body(&s.program_b, &household, "2024-03-02", 2),
        ),
        held,
        201,
    );
}

#[test]
fn while_a_client_is_locked_only_writes_about_them_wait() {
    let s = setup();
    let locked = create_client(&s.app, "Locked");
    let held = s.lock(Scope::Client(Id::from_uuid(uuid(&locked))), Mode::Exclusive);
    goes_through(
        "another client's enrollment in the same program",
        s.enrolling("Eve", &s.program_b),
        201,
    );
    let other = create_client(&s.app, "Other");
    goes_through(
        "a change to another client",
        s.app
            .request("PATCH", &format!("/v1/clients/{other}"))
            .token(Some(&s.token))
            .json(&json!({ "first_name": "Otto" })),
        200,
    );
    waits(
        "an enrollment of the locked client",
        posting(
            &s.app,
            &s.token,
            &enrollments_path(&locked),
            &enrollment_body(&s.program_b, "2024-03-01", 1),
        ),
        held,
        201,
    );
}

#[test]
fn while_an_organization_is_locked_as_an_import_locks_it_only_its_writes_wait() {
    let s = setup();
    let held = s.lock(
        Scope::Organization(Id::from_uuid(uuid(&s.organization_a))),
        Mode::Exclusive,
    );
    goes_through(
        "an enrollment in another organization",
        s.enrolling("Fay", &s.program_b),
        201,
    );
    goes_through(
        "a new client",
        posting(
            &s.app,
            &s.token,
            "/v1/clients",
            &json!({ "first_name": "Gus" }),
        ),
        201,
    );
    waits(
        "an enrollment in the locked organization",
        s.enrolling("Hal", &s.program_a2),
        held,
        201,
    );
}

/// Whether a transaction holds the organization's lock exclusively, as an import does.
fn import_holds(app: &TestApp, organization: &str) -> bool {
    let (high, low) = Scope::Organization(Id::from_uuid(uuid(organization))).keys();
    let mut conn = app.state().db.get().expect("a connection");
    let found: Count = diesel::sql_query(format!(
        "SELECT COUNT(*) AS count FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 \
         AND classid = {}::oid AND objid = {}::oid \
         AND mode = 'ExclusiveLock' AND granted",
        high as u32, low as u32
    ))
    .get_result(&mut *conn)
    .expect("the locks");
    found.count > 0
}

#[test]
fn an_import_into_one_organization_does_not_hold_up_writes_into_another() {
    let s = setup();
    let job = start_large_import(&s.app, &s.organization_a);
    let started = Instant::now();
    while !import_holds(&s.app, &s.organization_a) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the import never took its organization's lock"
        );
        thread::sleep(Duration::from_millis(10));
    }

    // Into the importing organization: waits for the import.
    let into_a = sent(s.enrolling("Ivy", &s.program_a2));
    // Into another: goes through, again and again, while the import still writes.
    let mut slowest = Duration::ZERO;
    for index in 0..5 {
        let began = Instant::now();
        goes_through(
            "an enrollment in another organization during an import",
            s.enrolling(&format!("Jo{index}"), &s.program_b),
            201,
        );
        slowest = slowest.max(began.elapsed());
    }
    assert!(
        import_holds(&s.app, &s.organization_a),
        "the import ended before the writes did: it cannot show they went past it"
    );
    assert!(
        into_a.try_recv().is_err(),
        "a write into the importing organization went through during the import"
    );
    // Seconds of import against a fraction of one: these writes did not queue behind it.
    assert!(
        slowest < Duration::from_secs(3),
        "a write into another organization took {slowest:?} during the import"
    );

    let answered = into_a
        .recv_timeout(Duration::from_secs(120))
        .expect("the write into the importing organization answered after the import");
    assert_eq!(answered.status, 201, "{}", answered.describe());
    let job_now = s.app.get(&job, Some(&s.token));
    assert_eq!(
        job_now.body["status"],
        "succeeded",
        "{}",
        job_now.describe()
    );
}

#[test]
fn while_an_organization_is_locked_as_an_import_locks_it_changes_to_its_programs_wait() {
    let s = setup();
    let held = s.lock(
        Scope::Organization(Id::from_uuid(uuid(&s.organization_a))),
        Mode::Exclusive,
    );
    let renaming = |program: &str, name: &str| {
        s.app
            .request("PATCH", &format!("/v1/programs/{program}"))
            .token(Some(&s.token))
            .json(&json!({ "name": name }))
    };
    goes_through(
        "a change to another organization's program",
        renaming(&s.program_b, "Lighthouse Beds"),
        200,
    );
    waits(
        "a change to a program of the locked organization",
        renaming(&s.program_a1, "Harbor Beds"),
        held,
        200,
    );
}

//! Faults, with the real `threshold serve` as a child process: PostgreSQL going away and
//! coming back (behind a proxy the test cuts), a kill -9 in the middle of an import, and a
//! SIGTERM while requests are in flight.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::common::imports::*;
use crate::common::*;
use diesel::prelude::*;
use serde_json::{json, Value};
use threshold_tests::{
    assert_problem, both_backends, postgres_admin_url, Backend, Response, ServerProcess, Signal,
    TestDatabase,
};

/// How long a request may take to say the database is gone.
const UNAVAILABLE_WITHIN: Duration = Duration::from_secs(10);

/// The server's shutdown timeout (`app::server`): in-flight requests get this long.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30);

// PostgreSQL going away -----------------------------------------------------------------

/// A TCP proxy in front of PostgreSQL. [`Proxy::cut`] closes its port and every connection
/// through it, as a stopped database or a broken network looks to the server;
/// [`Proxy::restore`] opens the same port again.
struct Proxy {
    address: SocketAddr,
    upstream: String,
    live: Arc<Mutex<Vec<TcpStream>>>,
    accepting: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl Proxy {
    fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the proxy");
        let mut proxy = Proxy {
            address: listener.local_addr().expect("the proxy's address"),
            upstream: upstream.to_owned(),
            live: Arc::default(),
            accepting: None,
        };
        proxy.accept(listener);
        proxy
    }

    fn accept(&mut self, listener: TcpListener) {
        let stopped = Arc::new(AtomicBool::new(false));
        let (upstream, live, flag) = (
            self.upstream.clone(),
            Arc::clone(&self.live),
            Arc::clone(&stopped),
        );
        let thread = thread::spawn(move || {
            for client in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let mut live = live.lock().unwrap();
                for (from, to) in [(&client, &server), (&server, &client)] {
                    let (mut from, mut to) = (from.try_clone().unwrap(), to.try_clone().unwrap());
                    thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(Shutdown::Both);
                        let _ = from.shutdown(Shutdown::Both);
                    });
                }
                live.extend([client, server]);
            }
        });
        self.accepting = Some((stopped, thread));
    }

    /// Closes the port (a new connection is refused) and every connection through it.
    fn cut(&mut self) {
        if let Some((stopped, thread)) = self.accepting.take() {
            stopped.store(true, Ordering::SeqCst);
            // Wakes the accept loop, which sees the flag and drops the listener.
            let _ = TcpStream::connect(self.address);
            thread.join().expect("the proxy's accept loop");
        }
        for stream in self.live.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    /// Listens on the same port again.
    fn restore(&mut self) {
        let listener = TcpListener::bind(self.address).expect("the proxy's port again");
        self.accept(listener);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.cut();
    }
}

/// `host:port` of a PostgreSQL URL.
fn host_port(url: &str) -> String {
    let authority = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = authority.split(['/', '?']).next().unwrap_or(authority);
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:5432")
    }
}

/// `url` with its host and port replaced by `address`.
fn through(url: &str, address: SocketAddr) -> String {
    url.replacen(&host_port(url), &address.to_string(), 1)
        .replacen("localhost:5432", &address.to_string(), 1)
}

/// Sends `request` and answers the response and how long it took.
fn timed(request: impl FnOnce() -> Response) -> (Response, Duration) {
    let started = Instant::now();
    let response = request();
    (response, started.elapsed())
}

/// A 503 `service.unavailable` that says when to retry.
fn assert_unavailable(response: &Response, took: Duration, what: &str) {
    assert_problem(response, 503, "service.unavailable");
    assert!(
        response.header("retry-after").is_some(),
        "{what}: no Retry-After in {}",
        response.describe()
    );
    assert!(
        took < UNAVAILABLE_WITHIN,
        "{what} took {took:?} to answer that the database is unreachable"
    );
}

#[test]
fn postgres_going_away_is_503_until_it_comes_back() {
    let database = TestDatabase::create(Backend::Postgres);
    let mut proxy = Proxy::start(&host_port(&postgres_admin_url()));
    let server = ServerProcess::spawn(&through(database.url(), proxy.address));
    // The test's own connections go straight to PostgreSQL.
    let app = server.client(database.url());
    let token = app.admin_token();
    let organization = create_organization(&app, "Harbor Light");
    // Every pooled connection has been used and is idle when the database goes.
    let reads: Vec<Response> = thread::scope(|scope| {
        let readers: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| app.get("/v1/organizations", Some(&token))))
            .collect();
        readers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    for read in &reads {
        read.assert_status(200);
    }

    proxy.cut();
    let (read, took) = timed(|| app.get("/v1/organizations", Some(&token)));
    assert_unavailable(&read, took, "a read");
    let (write, took) = timed(|| {
        app.post(
            "/v1/organizations",
            Some(&token),
            &json!({"name": "Written while down"}),
        )
    });
    assert_unavailable(&write, took, "a write");
    let (ready, took) = timed(|| app.get("/readyz", None));
    assert_unavailable(&ready, took, "/readyz");
    let (alive, took) = timed(|| app.get("/healthz", None));
    alive.assert_status(200);
    assert!(took < Duration::from_secs(1), "/healthz took {took:?}");

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let read = app.get(&format!("/v1/organizations/{organization}"), Some(&token));
        if read.status == 200 {
            break;
        }
        assert_problem(&read, 503, "service.unavailable");
        assert!(
            Instant::now() < deadline,
            "the server did not recover within 30 s: {}",
            read.describe()
        );
        thread::sleep(Duration::from_millis(100));
    }
    app.get("/readyz", None).assert_status(200);
    let organizations = ids_in(&app.get("/v1/organizations", Some(&token)));
    assert_eq!(
        organizations,
        std::slice::from_ref(&organization),
        "nothing was written while down"
    );
    app.post(
        "/v1/organizations",
        Some(&token),
        &json!({"name": "Written after"}),
    )
    .assert_status(201);
}

// An import killed half way ---------------------------------------------------------------

both_backends!(
    fn an_import_killed_half_way_leaves_nothing_and_is_marked_failed(backend: Backend) {
        let database = TestDatabase::create(backend);
        let mut server = ServerProcess::spawn(database.url());
        let app = server.client(database.url());
        let organization = create_organization(&app, "Harbor Light");
        let before = row_counts(&app);

        let job = start_large_import(&app, &organization);
        let deadline = Instant::now() + Duration::from_secs(60);
        while !a_write_is_under_way(&app) {
            assert!(
                Instant::now() < deadline,
                "the import never started writing"
            );
            thread::sleep(Duration::from_millis(5));
        }
        server.kill();
        drop(app);

        let restarted = ServerProcess::spawn(database.url());
        let app = restarted.client(database.url());
        assert_failed_as_interrupted(&app, &job, &before);
    }
);

// SIGTERM with requests in flight -----------------------------------------------------------

/// A request the server is handling, sent up to half its body: the server cannot answer it
/// before [`HalfSent::finish`].
struct HalfSent {
    stream: TcpStream,
    rest: Vec<u8>,
}

impl HalfSent {
    fn start(base_url: &str, token: &str, path: &str, body: &Value) -> HalfSent {
        let address = base_url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address).expect("a connection");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let body = serde_json::to_vec(body).unwrap();
        let (first, rest) = body.split_at(body.len() / 2);
        // The server says `100 Continue` once it has taken the request up: a request still
        // waiting in a buffer at the SIGTERM is never started (its connection is closed, and
        // the client may safely send it again elsewhere).
        write!(
            stream,
            "POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\
             Expect: 100-continue\r\n\r\n",
            body.len()
        )
        .unwrap();
        let head = read_head(&mut stream);
        assert!(head.starts_with("HTTP/1.1 100"), "no 100 Continue: {head}");
        stream.write_all(first).unwrap();
        stream.flush().unwrap();
        HalfSent {
            stream,
            rest: rest.to_vec(),
        }
    }

    /// Sends the rest of the body; answers the status and body.
    fn finish(mut self) -> (u16, Value) {
        self.stream.write_all(&self.rest).unwrap();
        let (status, body) = read_response(&mut self.stream);
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }
}

/// Reads a response's head, up to the blank line.
fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        let read = stream.read(&mut byte).expect("the response");
        assert_eq!(read, 1, "the connection closed in the head: {head:?}");
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Reads one HTTP/1.1 response with a Content-Length body.
fn read_response(stream: &mut TcpStream) -> (u16, Vec<u8>) {
    let head = read_head(stream);
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head}"));
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or_else(|| panic!("no Content-Length in {head}"));
    let mut body = vec![0; length];
    stream.read_exact(&mut body).expect("the body");
    (status, body)
}

/// How many exports and half-sent writes are in flight at the SIGTERM.
const IN_FLIGHT: usize = 3;

/// The enrollments each export carries.
const SEEDED_CLIENTS: usize = 500;

both_backends!(
    fn sigterm_lets_requests_in_flight_finish_then_exits_0(backend: Backend) {
        let database = TestDatabase::create(backend);
        let mut server = ServerProcess::spawn(database.url());
        let app = server.client(database.url());
        let token = app.admin_token();
        let organization = create_organization(&app, "Harbor Light");
        let seeded = queue_import(&app, &organization, large_archive(SEEDED_CLIENTS));
        let seeded = poll_job(&app, &seeded, Duration::from_secs(120), finished);
        assert_eq!(seeded["status"], "succeeded", "{seeded}");
        let writes: Vec<HalfSent> = (0..IN_FLIGHT)
            .map(|index| {
                HalfSent::start(
                    app.base_url(),
                    &token,
                    "/v1/clients",
                    &json!({
                        "first_name": format!("Late{index}"),
                        "last_name": "Lee",
                        "dob": "1980-01-01",
                        "dob_data_quality": 1,
                    }),
                )
            })
            .collect();

        // Exports whose answers have begun (the head is read, the body not yet).
        let export_url = format!(
            "{}/v1/exports/hmis-csv?from=2024-01-01&to=2024-12-31",
            app.base_url()
        );
        let started = Barrier::new(IN_FLIGHT + 1);
        let exported: Vec<(u16, Vec<u8>)> = thread::scope(|scope| {
            let exports: Vec<_> = (0..IN_FLIGHT)
                .map(|_| {
                    let (url, token, started) = (&export_url, &token, &started);
                    scope.spawn(move || {
                        let agent: ureq::Agent = ureq::Agent::config_builder()
                            .http_status_as_error(false)
                            .timeout_global(Some(Duration::from_secs(60)))
                            .build()
                            .into();
                        let response = agent
                            .get(url)
                            .header("Authorization", &format!("Bearer {token}"))
                            .call();
                        started.wait();
                        let mut response = response.expect("the export answers");
                        let status = response.status().as_u16();
                        let body = response
                            .body_mut()
                            .with_config()
                            .limit(64 * 1024 * 1024)
                            .read_to_vec()
                            .expect("the whole export");
                        (status, body)
                    })
                })
                .collect();
            started.wait();
            server.signal(Signal::Term);
            let terminated = Instant::now();

            // The port closes while the requests are still in flight.
            let address = app.base_url().trim_start_matches("http://").to_owned();
            loop {
                match TcpStream::connect(&address) {
                    Err(error) if error.kind() == std::io::ErrorKind::ConnectionRefused => break,
                    _ => {
                        assert!(
                            terminated.elapsed() < Duration::from_secs(10),
                            "new connections are still taken 10 s after SIGTERM"
                        );
                        thread::sleep(Duration::from_millis(20));
                    }
                }
            }
            for write in writes {
                let (status, body) = write.finish();
                assert_eq!(status, 201, "a write in flight: {body}");
            }
            exports.into_iter().map(|e| e.join().unwrap()).collect()
        });
        for (status, body) in &exported {
            assert_eq!(*status, 200, "{}", String::from_utf8_lossy(body));
            let mut archive =
                zip::ZipArchive::new(std::io::Cursor::new(body)).expect("a whole ZIP");
            let mut enrollments = String::new();
            archive
                .by_name("Enrollment.csv")
                .expect("Enrollment.csv")
                .read_to_string(&mut enrollments)
                .expect("UTF-8 CSV");
            assert_eq!(
                enrollments.lines().count(),
                1 + SEEDED_CLIENTS,
                "every enrollment"
            );
        }
        let exit = server
            .wait_exit(SHUTDOWN_TIMEOUT)
            .expect("the server exits within its shutdown timeout");
        assert_eq!(exit.code(), Some(0), "{}", server.log());
        assert!(
            server.log().contains("graceful shutdown"),
            "{}",
            server.log()
        );

        // What was in flight was written.
        let mut conn = app.state().db.get().expect("a connection");
        let late: Count = diesel::sql_query(
            "SELECT COUNT(*) AS count FROM clients WHERE first_name LIKE 'Late%'",
        )
        .get_result(&mut *conn)
        .expect("a count");
        assert_eq!(late.count, IN_FLIGHT as i64);
    }
);

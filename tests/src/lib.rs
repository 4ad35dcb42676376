//! The end-to-end harness: each test starts the real app (the same `prepare` and `server` as
//! `threshold serve`) on port 0 against a database of its own, and talks to it over HTTP.
//! Tests that need a real process (signals, a kill -9, two servers on one database) start
//! the `threshold` binary as a [`ServerProcess`] instead and talk to it the same way.
//!
//! ```ignore
//! use threshold_tests::{assert_problem, both_backends, TestApp};
//!
//! both_backends!(fn lists_nothing_at_first(app: &TestApp) {
//!     let response = app.get("/v1/organizations", Some(&app.admin_token()));
//!     response.assert_status(200);
//! });
//! ```

mod database;
mod http;
mod process;

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use actix_web::web;
use serde_json::Value;
use threshold_api::http::app;
use threshold_api::http::cors::CorsOrigins;
use threshold_api::http::state::AppState;
use threshold_api::settings::{LogFormat, Settings, Toggle, WriteLocks};
use uuid::Uuid;

pub use crate::database::{postgres_admin_url, TestDatabase, POSTGRES_URL_VAR};
pub use crate::http::{assert_problem, Request, Response};
pub use crate::process::{binary as threshold_binary, ServerProcess, ServerProcessBuilder, Signal};
pub use threshold_api::auth::{Claims, Role};

/// The HS256 secret every test app signs and checks tokens with.
pub const JWT_SECRET: &str = "threshold-end-to-end-test-secret";

/// Which database a test app stores into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Settings of a test app beyond the defaults; [`TestAppBuilder::spawn`] starts it.
#[derive(Debug, Clone)]
#[must_use = "the app starts only when spawned"]
pub struct TestAppBuilder {
    backend: Backend,
    max_body_bytes: usize,
    max_import_bytes: usize,
    jwt_issuer: Option<String>,
    jwt_audience: Option<String>,
    jwt_public_key: Option<PathBuf>,
    db_pool_size: u32,
    cors_origins: CorsOrigins,
    webhook_allow_private: bool,
    webhook_retry_base_ms: u64,
    webhook_timeout_ms: u64,
}

impl TestAppBuilder {
    /// The largest body accepted (413 above it).
    pub fn max_body_bytes(mut self, bytes: usize) -> TestAppBuilder {
        self.max_body_bytes = bytes;
        self
    }

    /// The largest import archive accepted (413 above it).
    pub fn max_import_bytes(mut self, bytes: usize) -> TestAppBuilder {
        self.max_import_bytes = bytes;
        self
    }

    /// Require this `iss`; [`TestApp::token`] then sets it.
    pub fn jwt_issuer(mut self, issuer: &str) -> TestAppBuilder {
        self.jwt_issuer = Some(issuer.to_owned());
        self
    }

    /// Require this `aud`; [`TestApp::token`] then sets it.
    pub fn jwt_audience(mut self, audience: &str) -> TestAppBuilder {
        self.jwt_audience = Some(audience.to_owned());
        self
    }

    /// Check tokens with a PEM public key (RS256/ES256) instead of the shared secret. The
    /// app then cannot mint tokens: sign them in the test with the private key.
    pub fn jwt_public_key(mut self, path: impl Into<PathBuf>) -> TestAppBuilder {
        self.jwt_public_key = Some(path.into());
        self
    }

    pub fn db_pool_size(mut self, size: u32) -> TestAppBuilder {
        self.db_pool_size = size;
        self
    }

    /// Origins allowed cross-origin access, written as in `THRESHOLD_CORS_ORIGINS`
    /// (default: none).
    pub fn cors_origins(mut self, origins: &str) -> TestAppBuilder {
        self.cors_origins = CorsOrigins::parse(origins)
            .unwrap_or_else(|error| panic!("bad CORS origins `{origins}`: {error}"));
        self
    }

    /// Whether webhooks may be delivered to loopback (default: yes, as every receiver of the
    /// tests listens there).
    pub fn webhook_allow_private(mut self, allow: bool) -> TestAppBuilder {
        self.webhook_allow_private = allow;
        self
    }

    /// The first delay before a failed webhook delivery is sent again (default 5 ms).
    pub fn webhook_retry_base_ms(mut self, milliseconds: u64) -> TestAppBuilder {
        self.webhook_retry_base_ms = milliseconds;
        self
    }

    /// How long a webhook receiver has to answer (default 2 s).
    pub fn webhook_timeout_ms(mut self, milliseconds: u64) -> TestAppBuilder {
        self.webhook_timeout_ms = milliseconds;
        self
    }

    /// The settings of a server on `database_url`.
    fn settings(&self, database_url: &str) -> Settings {
        Settings {
            database_url: database_url.to_owned(),
            database_replica_url: None,
            bind: "127.0.0.1:0".into(),
            jwt_secret: Some(JWT_SECRET.into()),
            jwt_public_key: self.jwt_public_key.clone(),
            jwt_issuer: self.jwt_issuer.clone(),
            jwt_audience: self.jwt_audience.clone(),
            db_pool_size: self.db_pool_size,
            write_locks: WriteLocks::Scoped,
            max_body_bytes: self.max_body_bytes,
            max_import_bytes: self.max_import_bytes,
            auto_exit: Toggle::Off,
            workers: Some(2),
            cors_origins: self.cors_origins.clone(),
            access_log_delay_ms: 100,
            webhook_allow_private: self.webhook_allow_private,
            webhook_poll_ms: 20,
            webhook_retry_base_ms: self.webhook_retry_base_ms,
            webhook_timeout_ms: self.webhook_timeout_ms,
            log_format: LogFormat::Text,
        }
    }

    /// Creates the database, migrates it and starts serving. Panics (failing the test)
    /// when any of that fails, PostgreSQL being unreachable included.
    pub fn spawn(self) -> TestApp {
        let database = TestDatabase::create(self.backend);
        let settings = self.settings(database.url());
        let state = app::prepare(&settings).unwrap_or_else(|error| {
            panic!(
                "cannot start the app on {:?} ({}): {error}",
                self.backend,
                database.url()
            )
        });
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on 127.0.0.1");
        let address = listener.local_addr().expect("the listener's address");
        let (handle, thread) = serve(state.clone(), listener);
        TestApp {
            backend: self.backend,
            base_url: format!("http://{address}"),
            agent: http::agent(),
            issuer: self.jwt_issuer,
            audience: self.jwt_audience,
            server: Some((handle, thread)),
            state: Some(state),
            database_url: database.url().to_owned(),
            database: Some(database),
        }
    }
}

/// Runs the server on a thread of its own, returning once it can be stopped. Once it has
/// stopped, the thread ends what `threshold serve` ends (`AppState::stopped`: the access
/// log writes what it holds) before it does.
fn serve(
    state: web::Data<AppState>,
    listener: TcpListener,
) -> (ServerHandle, JoinHandle<std::io::Result<()>>) {
    let (sender, receiver) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("threshold-test-server".into())
        .spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                match app::server(state.clone(), listener, Some(2)) {
                    Ok(server) => {
                        let _ = sender.send(Ok(server.handle()));
                        let stopped = server.await;
                        state.stopped();
                        stopped
                    }
                    Err(error) => {
                        let _ = sender.send(Err(error.to_string()));
                        Ok(())
                    }
                }
            })
        })
        .expect("a thread for the test server");
    match receiver.recv() {
        Ok(Ok(handle)) => (handle, thread),
        Ok(Err(error)) => panic!("the test server did not start: {error}"),
        Err(_) => panic!("the test server thread died while starting"),
    }
}

/// A running app with a database of its own. Dropping it stops the server and removes the
/// database.
pub struct TestApp {
    backend: Backend,
    base_url: String,
    agent: ureq::Agent,
    issuer: Option<String>,
    audience: Option<String>,
    server: Option<(ServerHandle, JoinHandle<std::io::Result<()>>)>,
    state: Option<web::Data<AppState>>,
    database_url: String,
    database: Option<TestDatabase>,
}

impl TestApp {
    /// An app with the default settings.
    pub fn spawn(backend: Backend) -> TestApp {
        TestApp::builder(backend).spawn()
    }

    /// A client of a server running elsewhere (a [`ServerProcess`]) with the suite's JWT
    /// secret: requests go to `base_url`, and [`TestApp::state`] reaches `database_url`
    /// directly. Dropping it stops no server and removes no database.
    pub fn attach(base_url: &str, database_url: &str) -> TestApp {
        let backend = if database_url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let settings = TestApp::builder(backend)
            .db_pool_size(2)
            .settings(database_url);
        let state = app::prepare(&settings)
            .unwrap_or_else(|error| panic!("cannot reach the database {database_url}: {error}"));
        TestApp {
            backend,
            base_url: base_url.trim_end_matches('/').to_owned(),
            agent: http::agent(),
            issuer: None,
            audience: None,
            server: None,
            state: Some(state),
            database_url: database_url.to_owned(),
            database: None,
        }
    }

    pub fn builder(backend: Backend) -> TestAppBuilder {
        TestAppBuilder {
            backend,
            max_body_bytes: 1_048_576,
            max_import_bytes: 104_857_600,
            jwt_issuer: None,
            jwt_audience: None,
            jwt_public_key: None,
            db_pool_size: 4,
            cors_origins: CorsOrigins::None,
            webhook_allow_private: true,
            webhook_retry_base_ms: 5,
            webhook_timeout_ms: 2_000,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The database URL the app was started with.
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// The state the handlers share, for a test that must reach the database directly.
    pub fn state(&self) -> &web::Data<AppState> {
        self.state
            .as_ref()
            .expect("the state lives as long as the app")
    }

    /// The claims [`TestApp::token`] signs, valid for an hour, with the app's required
    /// issuer and audience: change them to test refusals.
    pub fn claims(&self, sub: &str, roles: &[Role], org: Option<Uuid>) -> Claims {
        let now = chrono::Utc::now().timestamp().max(0) as u64;
        Claims {
            sub: sub.to_owned(),
            roles: roles.to_vec(),
            org,
            exp: now + 3600,
            iat: Some(now),
            iss: self.issuer.clone(),
            aud: self.audience.clone().map(serde_json::Value::String),
        }
    }

    /// Signs claims with the app's secret.
    pub fn mint(&self, claims: &Claims) -> String {
        self.state().auth.mint(claims).expect(
            "this app checks tokens with a public key and cannot mint them: sign them with \
             the private key in the test",
        )
    }

    /// A valid token for `sub` with `roles`, scoped to `org` (required for every role but
    /// admin, or the app answers 401).
    pub fn token(&self, sub: &str, roles: &[Role], org: Option<Uuid>) -> String {
        self.mint(&self.claims(sub, roles, org))
    }

    pub fn admin_token(&self) -> String {
        self.token("test-admin", &[Role::Admin], None)
    }

    /// Any request: set headers, a raw body, then `.send()`. `path` starts with `/`.
    pub fn request(&self, method: &str, path: &str) -> Request {
        Request::new(
            self.agent.clone(),
            method,
            format!("{}{path}", self.base_url),
        )
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request("GET", path).token(token).send()
    }

    pub fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.request("DELETE", path).token(token).send()
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.request("POST", path).token(token).json(body).send()
    }

    pub fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.request("PUT", path).token(token).json(body).send()
    }

    pub fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.request("PATCH", path).token(token).json(body).send()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the server before its database goes: the order of the fields is not enough,
        // the server thread holds the pool too.
        if let Some((handle, thread)) = self.server.take() {
            drop(handle.stop(false));
            if thread.join().is_err() {
                eprintln!("the test server thread panicked");
            }
        }
        self.state = None;
        self.database = None;
    }
}

/// Runs one test body on SQLite and on PostgreSQL, as `name::sqlite` and `name::postgres`.
///
/// ```ignore
/// both_backends!(fn creates(app: &TestApp) { /* the app is already running */ });
/// both_backends!(fn too_large(backend: Backend) {
///     let app = TestApp::builder(backend).max_body_bytes(1024).spawn();
/// });
/// ```
///
/// Several functions may be given in one call. The generated module imports everything
/// from the file it is in (`use super::*`).
#[macro_export]
macro_rules! both_backends {
    () => {};
    ($(#[$meta:meta])* fn $name:ident($app:ident: &TestApp) $body:block $($rest:tt)*) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn run($app: &$crate::TestApp) $body

            #[test]
            fn sqlite() {
                run(&$crate::TestApp::spawn($crate::Backend::Sqlite));
            }

            #[test]
            fn postgres() {
                run(&$crate::TestApp::spawn($crate::Backend::Postgres));
            }
        }
        $crate::both_backends!($($rest)*);
    };
    ($(#[$meta:meta])* fn $name:ident($backend:ident: Backend) $body:block $($rest:tt)*) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn run($backend: $crate::Backend) $body

            #[test]
            fn sqlite() {
                run($crate::Backend::Sqlite);
            }

            #[test]
            fn postgres() {
                run($crate::Backend::Postgres);
            }
        }
        $crate::both_backends!($($rest)*);
    };
}

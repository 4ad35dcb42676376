//! What every handler shares: the database, how tokens are checked, the access log and the
//! metrics.

use actix_web::web;
use threshold_persistence::audit::Audited;
use threshold_persistence::db::PooledConnection;
use threshold_persistence::ids::ClientId;
use threshold_persistence::{write_transaction, Database, DbConnection, StoreError};

use crate::auth::{AuthConfig, Caller};
use crate::error::ApiError;
use crate::http::access_log::{AccessLog, Viewer};
use crate::http::cors::CorsOrigins;
use crate::http::metrics::Metrics;
use crate::webhooks::deliver::Deliverer;

pub struct AppState {
    pub db: Database,
    pub auth: AuthConfig,
    pub max_body_bytes: usize,
    /// The limit of an HMIS CSV archive, apart from every other body's.
    pub max_import_bytes: usize,
    pub cors_origins: CorsOrigins,
    /// Shared by every worker, so `/metrics` counts the whole server.
    pub metrics: Metrics,
    /// Who read which client's records; closed once the server has stopped
    /// ([`AppState::stopped`]).
    pub access_log: AccessLog,
    /// The webhook deliverer, started with the server and stopped with it; its settings
    /// also check the URLs subscriptions are saved with.
    pub webhooks: Deliverer,
}

impl AppState {
    /// Runs blocking database work on the blocking thread pool, never on the executor.
    pub async fn read<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        self.on_blocking_thread(Database::get, work).await
    }

    /// Like [`AppState::read`], for a short read (one row, or one page by an index): when a
    /// pooled connection is idle it runs at once on the HTTP worker's own thread, which
    /// saves the two thread switches of handing it to a blocking thread and back (most of
    /// what a small read costs the server); otherwise it waits for a connection as `read`
    /// does, on a blocking thread, so the worker never blocks on the pool. Never for a write,
    /// which may wait for a lock, nor for a read whose size the caller does not bound.
    pub async fn read_short<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        match self.db.try_get() {
            Some(connection) => run(&self.db, Ok(connection), work),
            None => self.read(work).await,
        }
    }

    /// Like [`AppState::read`], on the read replica when one is configured and answers
    /// (`Database::get_lagging`): only for reads that tolerate a little lag, check no rule
    /// and follow no write of their request (the reports, the audit trail; the export takes
    /// its connection the same way). A client reading what it just wrote reads through
    /// `read`.
    pub async fn read_lagging<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        self.on_blocking_thread(Database::get_lagging, work).await
    }

    /// Runs `work` on a connection `take` gives, on the blocking thread pool.
    async fn on_blocking_thread<T, F>(
        &self,
        take: fn(&Database) -> Result<PooledConnection, StoreError>,
        work: F,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        let db = self.db.clone();
        web::block(move || run(&db, take(&db), work))
            .await
            .map_err(|error| ApiError::Internal(error.to_string()))?
    }

    /// Like [`AppState::read`], inside a write transaction that checks rules safely against
    /// concurrent requests (see `write_transaction`).
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnMut(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        self.read(move |connection| write_transaction(connection, work))
            .await
    }

    /// Records in the access log that `viewer` read `record`, one of the records of the
    /// client `client_id` (the client itself, an enrollment, an assessment, a service...).
    /// For the handler of a single read, once the read succeeded and only when it answers
    /// 200: a 404, an error or a 304 is not a view. Queues it and returns; the log writes it
    /// a moment later, off the request.
    pub async fn viewed<R: Audited>(
        &self,
        viewer: impl Into<Viewer>,
        client_id: ClientId,
        record: &R,
    ) {
        let access = viewer.into().access(client_id, record);
        self.access_log.viewed(access).await;
    }

    /// What runs once the server has stopped, before the process ends: the access log
    /// writes everything still queued and closes; the webhook deliverer stops (what it has
    /// not sent waits in the outbox).
    pub fn stopped(&self) {
        self.webhooks.stop();
        self.access_log.close();
    }

    /// Runs the use case `change` of `input` for `caller`, in one write transaction.
    pub async fn change<I, T, F>(&self, caller: Caller, input: I, change: F) -> Result<T, ApiError>
    where
        I: Send + 'static,
        T: Send + 'static,
        F: Fn(&mut DbConnection, &Caller, &I) -> Result<T, ApiError> + Send + 'static,
    {
        self.write(move |conn| change(conn, &caller, &input)).await
    }
}

/// Runs `work` on the connection taken; an unreachable database is noted (`Database::suspect`),
/// so that connections are tested before they are handed out again.
fn run<T>(
    db: &Database,
    connection: Result<PooledConnection, StoreError>,
    work: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let done = connection
        .map_err(ApiError::from)
        .and_then(|mut connection| work(&mut connection));
    if matches!(done, Err(ApiError::Unavailable)) {
        db.suspect();
    }
    done
}

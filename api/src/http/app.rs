//! The application: routes, shared configuration and the HTTP server. `main` and the
//! end-to-end tests start it through the same functions.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use threshold_persistence::{migrations, Database};
use utoipa::openapi::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::AuthConfig;
use crate::http::access_log::AccessLog;
use crate::http::extract;
use crate::http::metrics::Metrics;
use crate::http::request_id::RequestSpan;
use crate::http::state::AppState;
use crate::http::{conditional, cors, health, metrics, openapi, request_id, v1};
use crate::settings::Settings;
use crate::webhooks::deliver::Deliverer;

/// Every route, and the OpenAPI paths collected as they are registered.
pub fn routes(
    doc: OpenApi,
) -> (
    App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse,
            Error = actix_web::Error,
            InitError = (),
        >,
    >,
    OpenApi,
) {
    App::new()
        .into_utoipa_app()
        .openapi(doc)
        .service(health::healthz)
        .service(health::readyz)
        .service(metrics::scrape)
        .configure(v1::routes)
        .split_for_parts()
}

/// The whole application for one worker: routes, error handling, docs and state.
pub fn build_app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    use utoipa::OpenApi as _;
    let (app, paths) = routes(openapi::ApiDoc::openapi());
    let spec = openapi::finish(paths);
    let known_routes = web::Data::new(extract::KnownRoutes::from_spec(&spec));
    let max_body_bytes = state.max_body_bytes;
    let cors = cors::policy(&state.cors_origins);
    app.app_data(state)
        .app_data(known_routes)
        .app_data(web::PayloadConfig::new(max_body_bytes))
        .app_data(
            web::JsonConfig::default()
                .limit(max_body_bytes)
                .error_handler(extract::json_error),
        )
        .app_data(web::QueryConfig::default().error_handler(extract::query_error))
        .app_data(web::PathConfig::default().error_handler(extract::path_error))
        .service(web::redirect("/swagger-ui", "/swagger-ui/"))
        .service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/openapi.json", spec))
        .default_service(web::to(extract::unknown_route))
        // The last wrapped runs first: the request id is decided before the span opens,
        // and preflights are answered (and counted) before any route is looked for.
        .wrap(from_fn(conditional::not_modified))
        .wrap(from_fn(extract::refuse_nul_in_query))
        .wrap(from_fn(extract::trim_trailing_slash))
        .wrap(cors)
        .wrap(from_fn(cors::refusals_as_problems))
        .wrap(from_fn(metrics::record))
        .wrap(tracing_actix_web::TracingLogger::<RequestSpan>::new())
        .wrap(from_fn(request_id::assign))
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Auth(#[from] crate::auth::AuthConfigError),
    #[error(transparent)]
    Store(#[from] threshold_persistence::StoreError),
    #[error("cannot listen on {bind}: {reason}")]
    Bind { bind: String, reason: String },
    #[error("the access log did not start: {0}")]
    AccessLog(std::io::Error),
}

/// Connects to the database (failing fast with the real cause), runs pending migrations and
/// makes the state every handler shares.
pub fn prepare(settings: &Settings) -> Result<web::Data<AppState>, StartError> {
    let auth = AuthConfig::new(
        settings.jwt_secret.as_deref(),
        settings.jwt_public_key.as_deref(),
        settings.jwt_issuer.as_deref(),
        settings.jwt_audience.as_deref(),
    )?;
    let mut db = Database::connect(&settings.database_url, settings.db_pool_size)?;
    if let Some(replica_url) = &settings.database_replica_url {
        db = db.with_replica(replica_url)?;
    }
    threshold_persistence::locks::use_write_locks(settings.write_locks.into());
    let applied = migrations::run_pending(&settings.database_url)?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "applied migrations");
    }
    let access_log = AccessLog::start(
        db.clone(),
        Duration::from_millis(settings.access_log_delay_ms),
    )
    .map_err(StartError::AccessLog)?;
    Ok(web::Data::new(AppState {
        db,
        auth,
        max_body_bytes: settings.max_body_bytes,
        max_import_bytes: settings.max_import_bytes,
        cors_origins: settings.cors_origins.clone(),
        metrics: Metrics::default(),
        access_log,
        webhooks: Deliverer::new(settings.webhook_delivery()),
    }))
}

/// The HTTP server on a bound listener. It stops gracefully on SIGTERM or SIGINT, letting
/// requests in flight finish; then whoever started it calls [`AppState::stopped`], which
/// writes what the access log still holds.
pub fn server(
    state: web::Data<AppState>,
    listener: TcpListener,
    workers: Option<usize>,
) -> std::io::Result<Server> {
    crate::hmis::import::worker::start(
        &state.db,
        std::sync::Arc::downgrade(&state.clone().into_inner()),
    );
    state.webhooks.start(&state.db, v1::show_event)?;
    let workers =
        workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    // Database work runs on each worker's blocking threads. More of them than there are
    // pooled connections would only wait for a connection, and waking idle threads for
    // nothing costs more than the read on a small machine.
    let connections = usize::try_from(state.db.max_size()).unwrap_or(usize::MAX);
    let blocking_threads = connections.div_ceil(workers.max(1)).max(1);
    let server = HttpServer::new(move || build_app(state.clone()))
        .workers(workers)
        .worker_max_blocking_threads(blocking_threads)
        .shutdown_timeout(30)
        .listen(listener)?;
    Ok(server.run())
}

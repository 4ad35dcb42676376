//! Settings of `threshold serve`: each one a flag and an environment variable.

use std::path::PathBuf;
use std::time::Duration;

use crate::http::cors::CorsOrigins;
use crate::webhooks::deliver::DeliverySettings;

#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// `sqlite://path` (embedded; the folder is created) or `postgres://...`.
    #[arg(
        long,
        env = "THRESHOLD_DATABASE_URL",
        default_value = "sqlite://data/threshold.db"
    )]
    pub database_url: String,
    /// `postgres://...` of a streaming replica of that database (optional): the reports,
    /// the HMIS CSV export and the audit trail read from it (from the primary while it does
    /// not answer); everything else goes to the primary.
    #[arg(long, env = "THRESHOLD_DATABASE_REPLICA_URL")]
    pub database_replica_url: Option<String>,
    /// Address and port to listen on.
    #[arg(long, env = "THRESHOLD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// HS256 secret that signs and checks tokens (at least 16 bytes).
    #[arg(long, env = "THRESHOLD_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// PEM public key (RSA or EC) of an identity provider; tokens are then RS256 or ES256.
    #[arg(long, env = "THRESHOLD_JWT_PUBLIC_KEY")]
    pub jwt_public_key: Option<PathBuf>,
    /// Required `iss` of tokens, when set.
    #[arg(long, env = "THRESHOLD_JWT_ISSUER")]
    pub jwt_issuer: Option<String>,
    /// Required `aud` of tokens, when set.
    #[arg(long, env = "THRESHOLD_JWT_AUDIENCE")]
    pub jwt_audience: Option<String>,
    /// Database connections in the pool.
    #[arg(long, env = "THRESHOLD_DB_POOL_SIZE", default_value_t = 10)]
    pub db_pool_size: u32,
    /// How writes lock on PostgreSQL: `scoped`, each write locks what its rules read (a
    /// client, a household, a program, an organization) and writes that share nothing run
    /// side by side; `global`, one writer at a time in the whole installation. Processes of
    /// either kind are safe beside each other.
    #[arg(
        long,
        env = "THRESHOLD_WRITE_LOCKS",
        value_enum,
        default_value = "scoped"
    )]
    pub write_locks: WriteLocks,
    /// Largest request body accepted, in bytes (413 above it).
    #[arg(long, env = "THRESHOLD_MAX_BODY_BYTES", default_value_t = 1_048_576)]
    pub max_body_bytes: usize,
    /// Largest HMIS CSV archive `POST /v1/imports/hmis-csv` accepts, in bytes (413 above it).
    #[arg(
        long,
        env = "THRESHOLD_MAX_IMPORT_BYTES",
        default_value_t = 104_857_600
    )]
    pub max_import_bytes: usize,
    /// Run the auto-exit job inside the server, at start and then once a day.
    #[arg(long, env = "THRESHOLD_AUTO_EXIT", value_enum, default_value = "off")]
    pub auto_exit: Toggle,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "THRESHOLD_WORKERS")]
    pub workers: Option<usize>,
    /// Origins that browsers may call the API from, comma-separated and exact
    /// (`https://app.example.org`); empty: none; `*`: any (development only).
    #[arg(
        long,
        env = "THRESHOLD_CORS_ORIGINS",
        default_value = "",
        hide_default_value = true,
        value_parser = CorsOrigins::parse
    )]
    pub cors_origins: CorsOrigins,
    /// How long the access log gathers reads of clients' records before it writes their
    /// `viewed` events, in milliseconds (sooner when 2,000 are waiting).
    #[arg(long, env = "THRESHOLD_ACCESS_LOG_DELAY_MS", default_value_t = 100)]
    pub access_log_delay_ms: u64,
    /// Deliver webhooks to loopback and private addresses, and over plain `http`
    /// (development and tests only: anyone who may subscribe could reach the private network).
    #[arg(
        long,
        env = "THRESHOLD_WEBHOOK_ALLOW_PRIVATE",
        default_value_t = false,
        action = clap::ArgAction::Set,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub webhook_allow_private: bool,
    /// How often the webhook deliverer looks for due deliveries when it found none, in
    /// milliseconds.
    #[arg(long, env = "THRESHOLD_WEBHOOK_POLL_MS", default_value_t = 1000)]
    pub webhook_poll_ms: u64,
    /// The first delay before a failed webhook delivery is sent again, in milliseconds;
    /// each next one doubles (with jitter), up to 1,024 times it.
    #[arg(
        long,
        env = "THRESHOLD_WEBHOOK_RETRY_BASE_MS",
        default_value_t = 30_000
    )]
    pub webhook_retry_base_ms: u64,
    /// How long a webhook receiver has to answer, in milliseconds.
    #[arg(long, env = "THRESHOLD_WEBHOOK_TIMEOUT_MS", default_value_t = 10_000)]
    pub webhook_timeout_ms: u64,
    /// Log lines as text for people or as JSON for a log pipeline.
    #[arg(long, env = "THRESHOLD_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One line of text per event, for people.
    Text,
    /// One JSON object per line, with the request's span fields (its `request_id`).
    Json,
}

/// How writes lock on PostgreSQL (see `threshold_persistence::locks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WriteLocks {
    Scoped,
    Global,
}

impl From<WriteLocks> for threshold_persistence::locks::WriteLocks {
    fn from(locks: WriteLocks) -> Self {
        match locks {
            WriteLocks::Scoped => Self::Scoped,
            WriteLocks::Global => Self::Global,
        }
    }
}

/// A setting that is `on` or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Toggle {
    On,
    Off,
}

impl Settings {
    /// The webhook deliverer's settings.
    pub fn webhook_delivery(&self) -> DeliverySettings {
        DeliverySettings {
            allow_private: self.webhook_allow_private,
            poll: Duration::from_millis(self.webhook_poll_ms.max(1)),
            retry_base: Duration::from_millis(self.webhook_retry_base_ms),
            timeout: Duration::from_millis(self.webhook_timeout_ms.max(1)),
        }
    }
}

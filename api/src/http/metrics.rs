//! Prometheus metrics: requests by route pattern and status, their durations, and the
//! database pool, served at `GET /metrics` in the text exposition format.
//!
//! A small registry kept by hand: three metric families do not justify the `prometheus`
//! crate and its dependencies, and labels are bounded here by construction (route patterns,
//! known methods, status codes).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{get, web, Error, HttpResponse};

use crate::http::state::AppState;

/// The content type of the Prometheus text exposition format.
pub const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds of the duration histogram's buckets, in seconds.
const DURATION_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The route label of a request that matched no route (so the raw path never becomes a
/// label).
const UNMATCHED: &str = "unmatched";

#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<Series>,
}

#[derive(Debug, Default)]
struct Series {
    /// By method, route pattern and status.
    requests: BTreeMap<(&'static str, String, u16), u64>,
    /// By method and route pattern.
    durations: BTreeMap<(&'static str, String), Histogram>,
}

#[derive(Debug, Default)]
struct Histogram {
    /// Observations at or below each bound of [`DURATION_BUCKETS`] (not cumulative).
    buckets: [u64; DURATION_BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    pub fn observe(&self, method: &Method, route: Option<String>, status: u16, seconds: f64) {
        let method = method_label(method);
        let route = route.unwrap_or_else(|| UNMATCHED.to_owned());
        // A poisoned lock only means another request panicked while counting: keep going.
        let mut series = self
            .series
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *series
            .requests
            .entry((method, route.clone(), status))
            .or_default() += 1;
        let histogram = series.durations.entry((method, route)).or_default();
        if let Some(bucket) = DURATION_BUCKETS.iter().position(|bound| seconds <= *bound) {
            histogram.buckets[bucket] += 1;
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// Every series in the text exposition format, with the pool's gauges.
    pub fn render(&self, pool_connections: u32, pool_idle_connections: u32) -> String {
        let series = self
            .series
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut out = String::new();
        out.push_str(
            "# HELP threshold_http_requests_total HTTP requests answered, by method, route \
             pattern and status.\n# TYPE threshold_http_requests_total counter\n",
        );
        for ((method, route, status), count) in &series.requests {
            let _ = writeln!(
                out,
                "threshold_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        out.push_str(
            "# HELP threshold_http_request_duration_seconds Time to answer HTTP requests, by \
             method and route pattern.\n# TYPE threshold_http_request_duration_seconds histogram\n",
        );
        for ((method, route), histogram) in &series.durations {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            let mut cumulative = 0;
            for (bound, count) in DURATION_BUCKETS.iter().zip(histogram.buckets) {
                cumulative += count;
                let _ = writeln!(
                    out,
                    "threshold_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "threshold_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\n\
                 threshold_http_request_duration_seconds_sum{{{labels}}} {}\n\
                 threshold_http_request_duration_seconds_count{{{labels}}} {}",
                histogram.count, histogram.sum, histogram.count
            );
        }
        let _ = write!(
            out,
            "# HELP threshold_db_pool_connections Database connections open in the pool.\n\
             # TYPE threshold_db_pool_connections gauge\n\
             threshold_db_pool_connections {pool_connections}\n\
             # HELP threshold_db_pool_idle_connections Open database connections not in use.\n\
             # TYPE threshold_db_pool_idle_connections gauge\n\
             threshold_db_pool_idle_connections {pool_idle_connections}\n"
        );
        out
    }
}

/// Known methods by name; anything else is `other`, so a client cannot add series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::HEAD => "HEAD",
        _ => "other",
    }
}

/// A label value as the exposition format wants it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: counts and times every request, by the pattern of the route it matched.
pub async fn record(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let method = request.method().clone();
    let outcome = next.call(request).await;
    if let Some(state) = state {
        let (status, route) = match &outcome {
            Ok(response) => (response.status(), response.request().match_pattern()),
            Err(error) => (error.as_response_error().status_code(), None),
        };
        let seconds = started.elapsed().as_secs_f64();
        state
            .metrics
            .observe(&method, route, status.as_u16(), seconds);
    }
    outcome
}

/// Prometheus metrics.
///
/// Requests by method, route pattern and status, their durations, and the database pool,
/// in the Prometheus text exposition format. Open without a token, like `/healthz`.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_metrics",
    security(()),
    responses((
        status = 200,
        description = "Metrics in the Prometheus text exposition format (version 0.0.4)",
        content_type = "text/plain",
        body = String,
    ))
)]
#[get("/metrics")]
pub async fn scrape(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.db.pool_state();
    let mut text = state
        .metrics
        .render(pool.connections, pool.idle_connections);
    if let Some(answers) = state.db.replica_answers() {
        text.push_str(&replica_gauge(answers));
    }
    HttpResponse::Ok().content_type(PROMETHEUS_TEXT).body(text)
}

/// Whether the read replica, when one is configured, took the last lag-tolerant read.
fn replica_gauge(answers: bool) -> String {
    format!(
        "# HELP threshold_db_replica_up Whether lag-tolerant reads go to the read replica (1) \
         or, since it gave no connection, to the primary (0).\n\
         # TYPE threshold_db_replica_up gauge\n\
         threshold_db_replica_up {}\n",
        u8::from(answers)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_route_pattern_and_status() {
        let metrics = Metrics::default();
        let route = Some("/v1/clients/{client_id}".to_owned());
        metrics.observe(&Method::GET, route.clone(), 200, 0.003);
        metrics.observe(&Method::GET, route, 404, 0.2);
        metrics.observe(&Method::from_bytes(b"BREW").unwrap(), None, 404, 20.0);
        let text = metrics.render(4, 3);
        for line in [
            "threshold_http_requests_total{method=\"GET\",route=\"/v1/clients/{client_id}\",status=\"200\"} 1",
            "threshold_http_requests_total{method=\"GET\",route=\"/v1/clients/{client_id}\",status=\"404\"} 1",
            "threshold_http_requests_total{method=\"other\",route=\"unmatched\",status=\"404\"} 1",
            "threshold_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/clients/{client_id}\",le=\"0.005\"} 1",
            "threshold_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/clients/{client_id}\",le=\"0.1\"} 1",
            "threshold_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/clients/{client_id}\",le=\"0.25\"} 2",
            "threshold_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/clients/{client_id}\",le=\"+Inf\"} 2",
            "threshold_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/clients/{client_id}\"} 2",
            "threshold_http_request_duration_seconds_bucket{method=\"other\",route=\"unmatched\",le=\"10\"} 0",
            "threshold_http_request_duration_seconds_bucket{method=\"other\",route=\"unmatched\",le=\"+Inf\"} 1",
            "threshold_db_pool_connections 4",
            "threshold_db_pool_idle_connections 3",
        ] {
            assert!(text.lines().any(|candidate| candidate == line), "no `{line}` in\n{text}");
        }
    }

    #[test]
    fn the_replica_gauge_says_where_lagging_reads_go() {
        for (answers, line) in [
            (true, "threshold_db_replica_up 1"),
            (false, "threshold_db_replica_up 0"),
        ] {
            let text = replica_gauge(answers);
            assert!(text.lines().any(|candidate| candidate == line), "{text}");
            assert!(
                text.contains("# TYPE threshold_db_replica_up gauge\n"),
                "{text}"
            );
        }
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}

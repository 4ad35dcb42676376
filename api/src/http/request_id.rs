//! `X-Request-Id`: kept from the request when it is a sane value, made up otherwise, put on
//! every response and carried by the request's tracing span, so one id ties a caller's
//! report, a proxy's log and every log line of the request together.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;
use uuid::Uuid;

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest id taken from a request; longer ones are replaced, not cut.
const MAX_LEN: usize = 128;

/// A request's id: 1-128 characters of `[A-Za-z0-9._-]`, so it is safe in a header, a log
/// line and a metrics backend as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    /// The caller's id when it is sane; `None` otherwise.
    pub fn parse(value: &str) -> Option<RequestId> {
        let sane = (1..=MAX_LEN).contains(&value.len())
            && value
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'));
        sane.then(|| RequestId(value.to_owned()))
    }

    pub fn generate() -> RequestId {
        RequestId(Uuid::now_v7().to_string())
    }

    /// The id the request brought, or a new one.
    pub fn from_headers(headers: &HeaderMap) -> RequestId {
        headers
            .get(&X_REQUEST_ID)
            .and_then(|value| value.to_str().ok())
            .and_then(RequestId::parse)
            .unwrap_or_else(RequestId::generate)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn header_value(&self) -> HeaderValue {
        HeaderValue::from_str(&self.0).expect("a request id holds only header-safe characters")
    }
}

/// Middleware, outermost: decides the id before the tracing span opens and sets it on the
/// response, whatever the inner services answered.
pub async fn assign(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = RequestId::from_headers(request.headers());
    request.extensions_mut().insert(id.clone());
    let value = id.header_value();
    match next.call(request).await {
        Ok(mut response) => {
            response.headers_mut().insert(X_REQUEST_ID, value);
            Ok(response)
        }
        Err(mut error) => {
            // The error becomes a response later, outside every middleware.
            error.add_response_mapper(move |mut response| {
                response.headers_mut().insert(X_REQUEST_ID, value.clone());
                response
            });
            Err(error)
        }
    }
}

/// The root span of each request for `tracing_actix_web::TracingLogger`: the route pattern,
/// the status and the request id, which every event logged inside the request carries.
/// Failed requests are logged here: 5xx as errors, 4xx (ordinary refusals, also counted in
/// the metrics) only at debug level.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .cloned()
            .unwrap_or_else(RequestId::generate);
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        tracing::info_span!(
            "request",
            request_id = %request_id.as_str(),
            http.method = %request.method(),
            http.route = %route,
            http.target = %request.uri().path_and_query().map(|target| target.as_str()).unwrap_or(""),
            http.client_ip = %request.connection_info().realip_remote_addr().unwrap_or(""),
            http.status_code = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, error) = match outcome {
            Ok(response) => (response.status(), response.response().error()),
            Err(error) => (error.as_response_error().status_code(), Some(error)),
        };
        span.record("http.status_code", status.as_u16());
        let Some(error) = error else {
            return;
        };
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), error = %error, "request failed");
        } else {
            tracing::debug!(status = status.as_u16(), error = %error, "request refused");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sane_ids_are_kept() {
        for id in ["a", "abc-123_x.y", "0191d1b2-7c3e-7a10-9f3b-2c9d6a1e4f55"] {
            assert_eq!(RequestId::parse(id).map(|id| id.0), Some(id.to_owned()));
        }
        assert!(RequestId::parse(&"a".repeat(128)).is_some());
    }

    #[test]
    fn other_ids_are_refused() {
        for id in ["", "a b", "a/b", "ünï", "a\"b", "{id}"] {
            assert_eq!(RequestId::parse(id), None, "{id:?}");
        }
        assert_eq!(RequestId::parse(&"a".repeat(129)), None);
    }

    #[test]
    fn generated_ids_are_sane() {
        let id = RequestId::generate();
        assert_eq!(RequestId::parse(id.as_str()), Some(id));
    }
}

//! Cross-origin access for browser applications (a SPA on another origin): which origins
//! may call the API, and what they may send and read.

use actix_cors::{Cors, CorsError};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName};
use actix_web::http::{Method, Uri};
use actix_web::middleware::Next;
use actix_web::Error;

use crate::error::ApiError;
use crate::http::request_id::X_REQUEST_ID;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// How long browsers may cache a preflight answer, in seconds.
const PREFLIGHT_MAX_AGE: usize = 3600;

/// The origins allowed to call the API from a browser (`THRESHOLD_CORS_ORIGINS`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CorsOrigins {
    /// No cross-origin access: browsers only reach the API from its own origin.
    #[default]
    None,
    /// Every origin (`*`): for development only.
    Any,
    /// Exactly these origins (`https://app.example.org`), in lowercase.
    Exact(Vec<String>),
}

impl CorsOrigins {
    /// A comma-separated list of origins, `*` alone, or nothing.
    pub fn parse(value: &str) -> Result<CorsOrigins, String> {
        let items: Vec<&str> = value
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .collect();
        if items.is_empty() {
            return Ok(CorsOrigins::None);
        }
        if items.contains(&"*") {
            return if items.len() == 1 {
                Ok(CorsOrigins::Any)
            } else {
                Err("`*` allows every origin and cannot be listed with others".into())
            };
        }
        items
            .into_iter()
            .map(parse_origin)
            .collect::<Result<_, _>>()
            .map(CorsOrigins::Exact)
    }
}

/// An origin as browsers send it in `Origin`: scheme and host (and port), nothing else.
fn parse_origin(origin: &str) -> Result<String, String> {
    let refused = || {
        format!(
            "`{origin}` is not an origin: write the scheme and host (and port) only, like \
             https://app.example.org"
        )
    };
    let origin = origin.to_ascii_lowercase();
    let uri: Uri = origin.parse().map_err(|_| refused())?;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(refused());
    };
    let exact = format!("{scheme}://{authority}") == origin;
    if !exact || !matches!(scheme, "http" | "https") || authority.as_str().contains('@') {
        return Err(refused());
    }
    Ok(origin)
}

/// The CORS middleware for these origins. Requests from other origins are served as usual,
/// without CORS headers, so browsers refuse to hand the answer to the page while curl and
/// servers are not affected; preflights from them are refused (see [`refusals_as_problems`]).
pub fn policy(origins: &CorsOrigins) -> Cors {
    let cors = Cors::default()
        .allowed_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            IDEMPOTENCY_KEY,
            X_REQUEST_ID,
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::LINK,
            X_REQUEST_ID,
            header::RETRY_AFTER,
        ])
        .max_age(PREFLIGHT_MAX_AGE)
        .block_on_origin_mismatch(false);
    match origins {
        CorsOrigins::None => cors,
        CorsOrigins::Any => cors.allow_any_origin(),
        CorsOrigins::Exact(origins) => origins
            .iter()
            .fold(cors, |cors, origin| cors.allowed_origin(origin)),
    }
}

/// Middleware around [`policy`]: its refusals (a plain-text 400) become problem+json like
/// every other error, and a response that does not grant an origin carries no CORS header
/// at all (actix-cors lists the exposed headers on every response).
pub async fn refusals_as_problems(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let mut response = next.call(request).await?;
    let refusal = response
        .response()
        .error()
        .and_then(|error| error.as_error::<CorsError>())
        .map(|error| format!("cross-origin request refused: {error}"));
    if let Some(detail) = refusal {
        let (request, _) = response.into_parts();
        return Ok(ServiceResponse::from_err(
            ApiError::malformed(detail),
            request,
        ));
    }
    let headers = response.headers_mut();
    if !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
        headers.remove(header::ACCESS_CONTROL_EXPOSE_HEADERS);
    }
    Ok(response.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_means_no_cross_origin_access() {
        assert_eq!(CorsOrigins::parse(""), Ok(CorsOrigins::None));
        assert_eq!(CorsOrigins::parse(" , "), Ok(CorsOrigins::None));
    }

    #[test]
    fn a_star_alone_allows_every_origin() {
        assert_eq!(CorsOrigins::parse("*"), Ok(CorsOrigins::Any));
        assert!(CorsOrigins::parse("*, https://app.example.org").is_err());
    }

    #[test]
    fn origins_are_listed_exactly() {
        assert_eq!(
            CorsOrigins::parse("https://App.example.org, http://localhost:5173"),
            Ok(CorsOrigins::Exact(vec![
                "https://app.example.org".into(),
                "http://localhost:5173".into(),
            ]))
        );
    }

    #[test]
    fn what_is_not_an_origin_is_refused() {
        for value in [
            "app.example.org",
            "https://app.example.org/",
            "https://app.example.org/path",
            "https://app.example.org?q=1",
            "ftp://app.example.org",
            "https://user@app.example.org",
            "https://",
        ] {
            assert!(CorsOrigins::parse(value).is_err(), "{value} was accepted");
        }
    }
}

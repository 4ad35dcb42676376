//! Versions on the wire: `ETag` on single resources, `If-Match` on writes. A `GET` with
//! `If-None-Match` is answered 304 by `conditional`, from the `ETag` set here.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use serde::Serialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::usecases::Expected;

/// The strong entity tag of a record version.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The `If-Match` header of a request: `None` when absent (last writer wins).
#[derive(Debug, Clone)]
pub struct IfMatch(Option<String>);

impl IfMatch {
    pub fn from_request(request: &HttpRequest) -> IfMatch {
        IfMatch(
            request
                .headers()
                .get(header::IF_MATCH)
                .map(|value| value.to_str().unwrap_or("\u{0}").to_owned()),
        )
    }

    /// 412 unless the header is absent, `*`, or lists the current version's tag.
    pub fn check(&self, version: i32) -> Result<(), ApiError> {
        self.expected().check(version)
    }

    /// The versions the header names, for a use case to check: a tag that is not one of
    /// ours (weak, unquoted, another number's spelling) names none.
    pub fn expected(&self) -> Expected {
        let Some(header) = &self.0 else {
            return Expected::Any;
        };
        let tags: Vec<&str> = header.split(',').map(str::trim).collect();
        if tags.contains(&"*") {
            return Expected::Any;
        }
        Expected::OneOf(
            tags.into_iter()
                .filter_map(|tag| {
                    let version = tag.strip_prefix('"')?.strip_suffix('"')?.parse().ok()?;
                    (etag(version) == tag).then_some(version)
                })
                .collect(),
        )
    }
}

/// `If-Match` as the OpenAPI document lists it among a write's parameters.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatchParam {
    /// The ETag you last read
    #[param(rename = "If-Match")]
    pub if_match: Option<String>,
}

/// A single resource with its `ETag`.
pub fn tagged<T: Serialize>(
    mut response: HttpResponseBuilder,
    version: i32,
    body: &T,
) -> HttpResponse {
    response.insert_header((header::ETAG, etag(version)));
    response.json(body)
}

/// `200 OK` with a single resource and its `ETag`.
pub fn tagged_ok<T: Serialize>(version: i32, body: &T) -> HttpResponse {
    tagged(HttpResponse::Ok(), version, body)
}

/// `200 OK` with a resource that is not one versioned row (a household and its members, an
/// import job as it runs), tagged by what it holds: its JSON's SHA-256, cut to 128 bits.
/// Such a tag is for `If-None-Match` only: the resource is not written with `If-Match`.
pub fn content_tagged_ok<T: Serialize>(body: &T) -> Result<HttpResponse, ApiError> {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(body)
        .map_err(|error| ApiError::Internal(format!("a response body: {error}")))?;
    let digest = Sha256::digest(&json);
    let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16]);
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{tag}\"")))
        .content_type("application/json")
        .body(json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_semantics() {
        assert!(IfMatch(None).check(3).is_ok());
        assert!(IfMatch(Some("*".into())).check(3).is_ok());
        assert!(IfMatch(Some("\"3\"".into())).check(3).is_ok());
        assert!(IfMatch(Some("\"1\", \"3\"".into())).check(3).is_ok());
        assert!(IfMatch(Some("\"2\"".into())).check(3).is_err());
        assert!(IfMatch(Some("W/\"3\"".into())).check(3).is_err());
        assert!(IfMatch(Some("3".into())).check(3).is_err());
        assert!(IfMatch(Some("\"03\"".into())).check(3).is_err());
        assert!(IfMatch(Some("\"+3\"".into())).check(3).is_err());
        assert!(IfMatch(Some("\u{0}".into())).check(3).is_err());
    }

    #[test]
    fn a_content_tag_follows_what_the_body_holds() {
        let tag = |body: serde_json::Value| {
            let response = content_tagged_ok(&body).expect("a response");
            assert_eq!(response.status(), actix_web::http::StatusCode::OK);
            let tag = response.headers().get(header::ETAG).expect("an ETag");
            tag.to_str().expect("text").to_owned()
        };
        let first = tag(serde_json::json!({"members": [1, 2]}));
        assert_eq!(first, tag(serde_json::json!({"members": [1, 2]})));
        assert_ne!(first, tag(serde_json::json!({"members": [1, 2, 3]})));
        assert!(
            first.starts_with('"') && first.ends_with('"') && first.len() == 24,
            "{first}"
        );
    }
}

//! Versions on the wire: `ETag` on single resources, `If-Match` on writes. A `GET` with
//! `If-None-Match` is answered 304 by `conditional`, from the `ETag` set here.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use serde::Serialize;
use utoipa::IntoParams;

use threshold_persistence::rows::Stamped;

use crate::error::ApiError;
use crate::usecases::Expected;

/// What a single resource's `ETag` is made of: the version of its row and, for a resource
/// whose read shows what its row does not hold (an enrollment's `complete`, which its
/// household's records change without a new version), a word for what that shows: a
/// conditional read is answered 304 only when the body would be the same, while `If-Match`
/// names the version alone (`"3"` or `"3-complete"` both name version 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    pub version: i32,
    /// Lowercase letters (`complete`), or `None`.
    pub shows: Option<&'static str>,
}

impl From<i32> for Tag {
    fn from(version: i32) -> Tag {
        Tag {
            version,
            shows: None,
        }
    }
}

/// What can be tagged: a stored row by its version, or a read that shows more
/// ([`Tag::shows`]).
pub trait Tagged {
    fn tag(&self) -> Tag;
}

impl<R: Stamped> Tagged for R {
    fn tag(&self) -> Tag {
        Tag::from(self.version())
    }
}

/// The strong entity tag of a record version (`"3"`), or of a version and what its read
/// shows (`"3-complete"`).
pub fn etag(tag: impl Into<Tag>) -> String {
    let tag = tag.into();
    match tag.shows {
        Some(shows) => format!("\"{}-{shows}\"", tag.version),
        None => format!("\"{}\"", tag.version),
    }
}

/// The version an entity tag of ours names: `"3"`, or `"3-<lowercase letters>"`; `None` for
/// any other text (weak, unquoted, another number's spelling).
fn version_of(tag: &str) -> Option<i32> {
    let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
    let (number, shows) = match inner.split_once('-') {
        Some((number, shows)) => (number, Some(shows)),
        None => (inner, None),
    };
    let version: i32 = number.parse().ok()?;
    let ours = version.to_string() == number
        && shows
            .is_none_or(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()));
    ours.then_some(version)
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
        Expected::OneOf(tags.into_iter().filter_map(version_of).collect())
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
    tag: impl Into<Tag>,
    body: &T,
) -> HttpResponse {
    response.insert_header((header::ETAG, etag(tag)));
    response.json(body)
}

/// `200 OK` with a single resource and its `ETag`.
pub fn tagged_ok<T: Serialize>(tag: impl Into<Tag>, body: &T) -> HttpResponse {
    tagged(HttpResponse::Ok(), tag, body)
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
        // A tag of what a read shows names its version.
        assert!(IfMatch(Some("\"3-complete\"".into())).check(3).is_ok());
        assert!(IfMatch(Some("\"3-incomplete\"".into())).check(3).is_ok());
        assert!(IfMatch(Some("\"2-complete\"".into())).check(3).is_err());
        for other in [
            "\"3-\"",
            "\"3-Complete\"",
            "\"3-a1\"",
            "\"-3\"",
            "\"03-complete\"",
        ] {
            assert!(IfMatch(Some(other.into())).check(3).is_err(), "{other}");
        }
    }

    #[test]
    fn a_tag_names_its_version_and_what_its_read_shows() {
        assert_eq!(etag(3), "\"3\"");
        let shows = Tag {
            version: 3,
            shows: Some("complete"),
        };
        assert_eq!(etag(shows), "\"3-complete\"");
        assert_eq!(version_of(&etag(shows)), Some(3));
        assert_eq!(version_of(&etag(7)), Some(7));
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

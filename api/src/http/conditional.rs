//! Conditional reads (RFC 9110, 13.1.2): a `GET` whose `If-None-Match` names the `ETag` of
//! the answer it would get is answered `304 Not Modified`, with the tag and no body. One
//! middleware for every single resource: whatever answers 200 with an `ETag` honours it.
//!
//! The handler runs as for any read (the caller is checked, the resource read, a read of a
//! client's record is counted in the access log: the reader sees the record, from its
//! cache); only the body is not sent.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::HttpResponse;

/// Answers 304 in place of a 200 whose `ETag` the request's `If-None-Match` names.
pub async fn not_modified(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let asked = (request.method() == Method::GET || request.method() == Method::HEAD)
        .then(|| request.headers().get(header::IF_NONE_MATCH).cloned())
        .flatten();
    let response = next.call(request).await?.map_into_boxed_body();
    let Some(asked) = asked else {
        return Ok(response);
    };
    let tag = response.headers().get(header::ETAG);
    if response.status() != StatusCode::OK || !tag.is_some_and(|tag| names(&asked, tag)) {
        return Ok(response);
    }
    let (request, response) = response.into_parts();
    let mut unchanged = HttpResponse::NotModified();
    for (name, value) in kept(response.headers()) {
        unchanged.append_header((name.clone(), value.clone()));
    }
    Ok(ServiceResponse::new(request, unchanged.finish()))
}

/// The headers a 304 repeats: all but those that describe the body it does not carry.
fn kept(headers: &HeaderMap) -> impl Iterator<Item = (&header::HeaderName, &HeaderValue)> {
    headers.iter().filter(|(name, _)| {
        ![
            header::CONTENT_TYPE,
            header::CONTENT_LENGTH,
            header::CONTENT_ENCODING,
        ]
        .contains(name)
    })
}

/// Whether `If-None-Match` (`asked`) names the entity tag `tag`: `*`, or a list of tags of
/// which one matches by the weak comparison (`W/"3"` names `"3"`). A header that is not
/// text names nothing.
fn names(asked: &HeaderValue, tag: &HeaderValue) -> bool {
    let (Ok(asked), Ok(tag)) = (asked.to_str(), tag.to_str()) else {
        return false;
    };
    let opaque = |tag: &str| -> String { tag.trim().trim_start_matches("W/").to_owned() };
    let tag = opaque(tag);
    asked.trim() == "*" || asked.split(',').any(|listed| opaque(listed) == tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> HeaderValue {
        HeaderValue::from_str(text).expect("a header value")
    }

    #[test]
    fn if_none_match_names_a_tag_by_the_weak_comparison() {
        let tag = value("\"3\"");
        for asked in ["\"3\"", "W/\"3\"", "\"2\", \"3\"", " \"1\" ,W/\"3\" ", "*"] {
            assert!(names(&value(asked), &tag), "{asked}");
        }
        for asked in ["\"2\"", "3", "\"33\"", "\"3", "", "W/\"2\", \"4\""] {
            assert!(!names(&value(asked), &tag), "{asked}");
        }
        assert!(
            names(&value("\"3\""), &value("W/\"3\"")),
            "a weak tag of ours"
        );
    }

    #[test]
    fn a_304_keeps_every_header_but_the_bodys() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, value("\"3\""));
        headers.insert(header::CONTENT_TYPE, value("application/json"));
        headers.insert(header::CONTENT_LENGTH, value("12"));
        headers.insert(header::VARY, value("Origin"));
        let mut kept: Vec<&str> = kept(&headers).map(|(name, _)| name.as_str()).collect();
        kept.sort_unstable();
        assert_eq!(kept, ["etag", "vary"]);
    }
}

//! Request bodies and query strings, read so that every problem is reported at once.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::{PayloadError, QueryPayloadError};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use threshold_domain::FieldError;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::http::state::AppState;
use crate::usecases::Change;

mod strict_json;

/// A request body that knows the checks it must pass on its own (422), beyond its types.
pub trait CheckBody {
    fn check(&self) -> Vec<FieldError> {
        Vec::new()
    }

    /// Members a body takes beside those its type deserializes (a resource's HUD fields,
    /// `http::hud_fields::WithHud`): taken out of the object before the rest is read, so
    /// that every problem of the rest is still named by its field, and handed back with
    /// [`CheckBody::take_extra`] before the checks run.
    fn extra_fields() -> Vec<&'static str>
    where
        Self: Sized,
    {
        Vec::new()
    }

    fn take_extra(&mut self, _extra: Map<String, Value>) {}
}

/// A JSON body parsed into `T`, with every unknown field, missing field, wrong type and
/// failed check reported together as one 422. Bodies that are not JSON are a 400.
pub struct ValidJson<T>(pub T);

impl<T> FromRequest for ValidJson<T>
where
    T: DeserializeOwned + ToSchema + CheckBody + 'static,
{
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let bytes = json_bytes(request, payload);
        Box::pin(async move { parse_body::<T>(&bytes.await?).map(ValidJson) })
    }
}

/// The bytes of a JSON body: 400 unless sent as JSON, 413 over the configured limit.
pub fn json_bytes(
    request: &HttpRequest,
    payload: &mut Payload,
) -> impl Future<Output = Result<Bytes, ApiError>> + 'static {
    let json_content = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| {
            let essence = value.split(';').next().unwrap_or("").trim().to_lowercase();
            essence == "application/json"
                || (essence.starts_with("application/") && essence.ends_with("+json"))
        })
        .unwrap_or(false);
    let limit = request
        .app_data::<web::Data<AppState>>()
        .map(|state| state.max_body_bytes)
        .unwrap_or(1 << 20);
    let body = Bytes::from_request(request, payload);
    async move {
        if !json_content {
            return Err(ApiError::malformed(
                "the body must be JSON, sent with Content-Type: application/json",
            ));
        }
        body.await
            .map_err(|error| match error.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => ApiError::TooLarge { limit },
                _ => ApiError::malformed(format!("the body could not be read: {error}")),
            })
    }
}

/// Parses and checks a JSON body (see [`ValidJson`]).
pub fn parse_body<T>(bytes: &[u8]) -> Result<T, ApiError>
where
    T: DeserializeOwned + ToSchema + CheckBody,
{
    let (value, problems) = strict_json::parse(bytes)
        .map_err(|error| ApiError::malformed(format!("the body is not valid JSON: {error}")))?;
    let Value::Object(mut object) = value else {
        return Err(ApiError::invalid(
            "",
            "invalid_type",
            "the body must be a JSON object",
        ));
    };
    let mut errors = Vec::new();
    let (known, required) = fields_of::<T>();
    let extra: Map<String, Value> = T::extra_fields()
        .into_iter()
        .filter_map(|name| object.remove_entry(name))
        .collect();
    let unknown: Vec<String> = object
        .keys()
        .filter(|key| !known.contains(key.as_str()))
        .cloned()
        .collect();
    for key in unknown {
        object.remove(&key);
        errors.push(FieldError::new(
            &key,
            "unknown_field",
            format!("unknown field `{key}`"),
        ));
    }
    for key in &required {
        if !object.contains_key(key) {
            errors.push(FieldError::new(
                key,
                "required",
                format!("`{key}` is required"),
            ));
        }
    }
    // A duplicate key or a NUL makes its field unusable (unknown fields are reported already).
    for problem in problems {
        let known = top_level_key(&problem.field).filter(|key| known.contains(key));
        if let Some(key) = known {
            object.remove(&key);
            errors.push(problem);
        }
    }
    // serde stops at the first bad field: take it out and try again, until only missing
    // required fields (already reported) stand in the way.
    loop {
        match serde_path_to_error::deserialize::<_, T>(Value::Object(object.clone())) {
            Ok(mut body) => {
                body.take_extra(extra);
                // The checks that relate fields run whenever every field could be read, so
                // their problems are listed with the unknown fields'.
                errors.extend(body.check());
                if errors.is_empty() {
                    return Ok(body);
                }
                break;
            }
            Err(error) => {
                let path = error.path().to_string();
                let top = top_level_key(&path);
                let (code, message) = code_and_message(&error.inner().to_string());
                match top.filter(|key| object.contains_key(key.as_str())) {
                    Some(key) => {
                        object.remove(&key);
                        let field = if path == "." { key } else { path };
                        errors.push(FieldError::new(field, code, message));
                    }
                    None => {
                        if errors.is_empty() {
                            errors.push(FieldError::new(
                                if path == "." { String::new() } else { path },
                                code,
                                message,
                            ));
                        }
                        break;
                    }
                }
            }
        }
    }
    Err(ApiError::Invalid(errors))
}

fn top_level_key(path: &str) -> Option<String> {
    if path == "." || path.is_empty() {
        return None;
    }
    let end = path.find(['.', '[']).unwrap_or(path.len());
    Some(path[..end].to_owned())
}

/// serde's messages end with the position in the text, which means nothing here; a type
/// that refuses a value for a reason with its own code marks the message with it.
fn code_and_message(message: &str) -> (&'static str, String) {
    let message = match message.find(" at line ") {
        Some(index) => &message[..index],
        None => message,
    };
    split_marked(message)
}

/// The property names of a body, and the required ones, from its OpenAPI schema: the same
/// source the published spec comes from, so the two cannot disagree.
fn fields_of<T: ToSchema>() -> (BTreeSet<String>, Vec<String>) {
    match T::schema() {
        RefOr::T(Schema::Object(object)) => (
            object.properties.keys().cloned().collect(),
            object.required.clone(),
        ),
        _ => (BTreeSet::new(), Vec::new()),
    }
}

/// A field of a JSON Merge Patch body: absent (unchanged), `null` (cleared) or a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Patch<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Patch<T> {
    /// The new value given the current one.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Absent => current,
            Patch::Null => None,
            Patch::Value(value) => Some(value),
        }
    }

    /// The new value given the current one, converting a given value with `convert`.
    pub fn apply_with<U>(self, current: Option<U>, convert: impl FnOnce(T) -> U) -> Option<U> {
        match self {
            Patch::Absent => current,
            Patch::Null => None,
            Patch::Value(value) => Some(convert(value)),
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    pub fn as_value(&self) -> Option<&T> {
        match self {
            Patch::Value(value) => Some(value),
            _ => None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Patch::Value(value),
            None => Patch::Null,
        })
    }
}

impl<T> From<Patch<T>> for Change<T> {
    fn from(patch: Patch<T>) -> Change<T> {
        match patch {
            Patch::Absent => Change::Keep,
            Patch::Null => Change::Clear,
            Patch::Value(value) => Change::Set(value),
        }
    }
}

/// A field that a patch may change but not clear.
pub fn required_in_patch<T>(field: &str, value: &Patch<T>, errors: &mut Vec<FieldError>) {
    if matches!(value, Patch::Null) {
        errors.push(FieldError::new(
            field,
            "required",
            format!("{field} cannot be cleared"),
        ));
    }
}

/// Query-string errors (unknown parameters, values of the wrong type) are a 400.
pub fn query_error(error: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    let message = match &error {
        QueryPayloadError::Deserialize(inner) => inner.to_string(),
        other => other.to_string(),
    };
    ApiError::malformed(format!("the query string is invalid: {message}")).into()
}

/// A query string holding a NUL (`%00`) is a 400 before any handler reads it: no parameter
/// means one, and PostgreSQL cannot compare text that holds one.
pub async fn refuse_nul_in_query(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if holds_nul(request.query_string()) {
        let (request, _) = request.into_parts();
        let error = ApiError::malformed("the query string holds a NUL character (%00)");
        return Ok(ServiceResponse::from_err(error, request));
    }
    Ok(next.call(request).await?.map_into_boxed_body())
}

/// A path of the API with a trailing slash names the same resource as without it
/// (`/v1/clients/` is `/v1/clients`): the path is trimmed before any route is looked for, as
/// integrators' URL joining often leaves one. Only under `/v1/`: Swagger UI's paths keep it.
pub async fn trim_trailing_slash(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if let Some(trimmed) = without_trailing_slash(request.path(), request.query_string()) {
        if let Ok(uri) = trimmed.parse::<actix_web::http::Uri>() {
            request.match_info_mut().get_mut().update(&uri);
            request.head_mut().uri = uri;
        }
    }
    Ok(next.call(request).await?.map_into_boxed_body())
}

/// The path and query of a request under `/v1/` whose path ends in `/`, without the
/// slashes at its end; `None` for any other.
fn without_trailing_slash(path: &str, query: &str) -> Option<String> {
    if !path.starts_with("/v1/") || !path.ends_with('/') {
        return None;
    }
    let path = path.trim_end_matches('/');
    Some(if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    })
}

/// Whether percent-decoding `query` gives a NUL.
fn holds_nul(query: &str) -> bool {
    let bytes = query.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            0 => return true,
            b'%' if bytes.get(index + 1..index + 3) == Some(b"00") => return true,
            // An escape of anything else (`%25` for `%`) decodes to one character.
            b'%' if bytes.len() >= index + 3 => index += 3,
            _ => index += 1,
        }
    }
    false
}

/// Path segments of the wrong shape (an ID that is not a UUID) name nothing: 404. Unless
/// the path is a documented one of another route (`GET /v1/imports/hmis-csv` reaches
/// `GET /v1/imports/{import_id}`): then it is a 405 for that one.
pub fn path_error(error: actix_web::error::PathError, request: &HttpRequest) -> actix_web::Error {
    tracing::debug!(%error, "path refused");
    method_not_allowed(request)
        .unwrap_or(ApiError::NotFound)
        .into()
}

/// actix's own JSON errors, for any extractor that is not [`ValidJson`].
pub fn json_error(error: actix_web::error::JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError;
    match error {
        JsonPayloadError::Overflow { limit }
        | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            ApiError::TooLarge { limit }.into()
        }
        other => ApiError::malformed(other.to_string()).into(),
    }
}

/// The methods each documented path answers, read from the OpenAPI document, so that a
/// request for a known path with another method is told which ones it may use.
#[derive(Debug, Default)]
pub struct KnownRoutes(Vec<(Vec<RouteSegment>, Vec<&'static str>)>);

#[derive(Debug, PartialEq)]
enum RouteSegment {
    Literal(String),
    Parameter,
}

impl KnownRoutes {
    pub fn from_spec(spec: &utoipa::openapi::OpenApi) -> KnownRoutes {
        let routes = spec
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .split('/')
                    .map(|segment| {
                        if segment.starts_with('{') && segment.ends_with('}') {
                            RouteSegment::Parameter
                        } else {
                            RouteSegment::Literal(segment.to_owned())
                        }
                    })
                    .collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(method, present)| present.then_some(method))
                .collect();
                (segments, methods)
            })
            .collect();
        KnownRoutes(routes)
    }

    /// The methods `path` answers, if it is a documented path. A literal segment wins over a
    /// parameter (`/v1/imports/hmis-csv` over `/v1/imports/{import_id}`).
    pub fn methods_of(&self, path: &str) -> Option<&[&'static str]> {
        let segments: Vec<&str> = path.split('/').collect();
        self.0
            .iter()
            .filter(|(route, _)| {
                route.len() == segments.len()
                    && route
                        .iter()
                        .zip(&segments)
                        .all(|(expected, actual)| match expected {
                            RouteSegment::Literal(literal) => literal == actual,
                            RouteSegment::Parameter => !actual.is_empty(),
                        })
            })
            .max_by_key(|(route, _)| {
                route
                    .iter()
                    .filter(|segment| matches!(segment, RouteSegment::Literal(_)))
                    .count()
            })
            .map(|(_, methods)| methods.as_slice())
    }
}

/// A 405 naming the methods of the documented path `request` asks for, when it is one and
/// does not answer this method.
fn method_not_allowed(request: &HttpRequest) -> Option<ApiError> {
    let methods = request
        .app_data::<web::Data<KnownRoutes>>()?
        .methods_of(request.path())?;
    (!methods.contains(&request.method().as_str())).then(|| ApiError::MethodNotAllowed {
        allowed: methods.join(", "),
    })
}

/// Answers every unknown route with a problem, not an empty 404: a documented path asked
/// with a method it does not answer is a 405 with `Allow`.
pub async fn unknown_route(request: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    Err(method_not_allowed(&request).unwrap_or(ApiError::NotFound))
}

/// Field codes a type may give the problem it finds while the body is read.
const MARKED_CODES: [&str; 3] = ["date.in_future", "blank", "too_long"];

/// A serde message standing for a field problem with its own code: `[code] message`.
pub fn marked(code: &'static str, message: impl std::fmt::Display) -> String {
    format!("[{code}] {message}")
}

/// The code and message of a serde message; `invalid` unless a type marked it.
pub fn split_marked(message: &str) -> (&'static str, String) {
    for code in MARKED_CODES {
        if let Some(rest) = message
            .strip_prefix('[')
            .and_then(|rest| rest.strip_prefix(code))
            .and_then(|rest| rest.strip_prefix("] "))
        {
            return (code, rest.to_owned());
        }
    }
    ("invalid", message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use utoipa::ToSchema;

    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        name: String,
        count: i32,
        #[serde(default)]
        note: Option<String>,
    }

    impl CheckBody for Sample {
        fn check(&self) -> Vec<FieldError> {
            if self.count < 0 {
                vec![FieldError::new("count", "invalid", "count is negative")]
            } else {
                Vec::new()
            }
        }
    }

    fn fields(error: ApiError) -> Vec<(String, String)> {
        match error {
            ApiError::Invalid(errors) => errors
                .into_iter()
                .map(|error| (error.field, error.code.to_owned()))
                .collect(),
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn reports_every_problem_at_once() {
        let error =
            parse_body::<Sample>(br#"{"name": 5, "count": "x", "colour": "red"}"#).unwrap_err();
        let mut found = fields(error);
        found.sort();
        assert_eq!(
            found,
            vec![
                ("colour".into(), "unknown_field".into()),
                ("count".into(), "invalid".into()),
                ("name".into(), "invalid".into()),
            ]
        );
    }

    #[test]
    fn missing_required_fields_are_listed() {
        let error = parse_body::<Sample>(br#"{"note": "hi"}"#).unwrap_err();
        let mut found = fields(error);
        found.sort();
        assert_eq!(
            found,
            vec![
                ("count".into(), "required".into()),
                ("name".into(), "required".into())
            ]
        );
    }

    #[test]
    fn checks_run_after_types() {
        let error = parse_body::<Sample>(br#"{"name": "a", "count": -1}"#).unwrap_err();
        assert_eq!(fields(error), vec![("count".into(), "invalid".into())]);
        let body = parse_body::<Sample>(br#"{"name": "a", "count": 1, "note": "n"}"#).unwrap();
        assert_eq!(body.count, 1);
        assert_eq!(body.name, "a");
        assert_eq!(body.note.as_deref(), Some("n"));
    }

    #[test]
    fn not_json_is_malformed() {
        assert!(matches!(
            parse_body::<Sample>(b"{not json"),
            Err(ApiError::Malformed { .. })
        ));
        assert!(matches!(
            parse_body::<Sample>(b"[1, 2]"),
            Err(ApiError::Invalid(_))
        ));
    }

    #[test]
    fn finds_nul_however_the_query_writes_it() {
        assert!(holds_nul("q=a%00b"));
        assert!(holds_nul("%00"));
        assert!(holds_nul("q=a\0"));
        assert!(!holds_nul("q=%2500"));
        assert!(!holds_nul("q=100%25&limit=200"));
        assert!(!holds_nul("q=%0"));
        assert!(!holds_nul(""));
    }

    #[test]
    fn patch_distinguishes_absent_null_and_value() {
        #[derive(Deserialize)]
        struct Body {
            #[serde(default)]
            field: Patch<i32>,
        }
        let absent: Body = serde_json::from_str("{}").unwrap();
        let null: Body = serde_json::from_str(r#"{"field": null}"#).unwrap();
        let value: Body = serde_json::from_str(r#"{"field": 3}"#).unwrap();
        assert_eq!(absent.field.apply(Some(1)), Some(1));
        assert_eq!(null.field.apply(Some(1)), None);
        assert_eq!(value.field.apply(Some(1)), Some(3));
    }

    #[test]
    fn a_trailing_slash_under_v1_is_trimmed() {
        assert_eq!(
            without_trailing_slash("/v1/clients/", ""),
            Some("/v1/clients".to_owned())
        );
        assert_eq!(
            without_trailing_slash("/v1/clients//", "q=ana&limit=2"),
            Some("/v1/clients?q=ana&limit=2".to_owned())
        );
        assert_eq!(without_trailing_slash("/v1/clients", ""), None);
        assert_eq!(without_trailing_slash("/swagger-ui/", ""), None);
        assert_eq!(without_trailing_slash("/", ""), None);
    }
}

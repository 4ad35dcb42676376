//! The one place errors become RFC 9457 problem details.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use threshold_domain::{FieldError, Violations};
use threshold_persistence::{Retryable, StoreError};
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error as integrators read it (RFC 9457 problem details).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:threshold:problem:enrollment.overlap",
    "title": "The request conflicts with stored data",
    "status": 409,
    "detail": "the client already has an enrollment in this program over this period",
    "code": "enrollment.overlap",
    "errors": [{"field": "entry_date", "code": "enrollment.overlap",
                "message": "the client already has an enrollment in this program over this period"}]
}))]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:threshold:problem:` and the code.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable, machine-readable: match on this.
    pub code: String,
    /// Every field problem or broken rule at once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemItem>,
}

/// One field problem or broken rule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemItem {
    /// The request field concerned (a JSON path such as `follow_ups[0].due_date`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub code: String,
    pub message: String,
}

impl From<&FieldError> for ProblemItem {
    fn from(error: &FieldError) -> Self {
        ProblemItem {
            field: Some(error.field.clone()),
            code: error.code.to_owned(),
            message: error.message.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    Malformed {
        detail: String,
        errors: Vec<ProblemItem>,
    },
    #[error("missing, malformed, expired or badly signed token")]
    Unauthenticated,
    #[error("your role may not do this")]
    Forbidden,
    #[error("no such resource")]
    NotFound,
    /// `allowed` is the `Allow` header: the methods the path answers.
    #[error("this resource answers {allowed} only")]
    MethodNotAllowed { allowed: String },
    #[error("{0}")]
    Conflict(Violations),
    #[error("If-Match does not match the current version")]
    PreconditionFailed,
    #[error("the body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the request is invalid")]
    Invalid(Vec<FieldError>),
    #[error("this Idempotency-Key was used with another request")]
    IdempotencyKeyReused,
    #[error("the database is unavailable")]
    Unavailable,
    /// A concurrent write got in the way; the transaction is run again before giving up.
    #[error("the database is busy")]
    Busy,
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn malformed(detail: impl Into<String>) -> ApiError {
        ApiError::Malformed {
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn malformed_field(field: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError::Malformed {
            detail: message.clone(),
            errors: vec![ProblemItem {
                field: Some(field.to_owned()),
                code: "invalid".into(),
                message,
            }],
        }
    }

    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// The same error with its field names placed under `path` (`follow_ups[0].due_date`),
    /// for a part of a body checked on its own.
    pub fn within(self, path: &str) -> ApiError {
        match self {
            ApiError::Invalid(errors) => ApiError::Invalid(
                errors
                    .into_iter()
                    .map(|error| FieldError {
                        field: format!("{path}.{}", error.field),
                        ..error
                    })
                    .collect(),
            ),
            ApiError::Conflict(violations) => ApiError::Conflict(violations.within(path)),
            other => other,
        }
    }

    /// 422 when any error was found, so handlers can collect and then stop once.
    pub fn check_fields(errors: Vec<FieldError>) -> Result<(), ApiError> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(errors))
        }
    }

    fn code(&self) -> &str {
        match self {
            ApiError::Malformed { .. } => "request.malformed",
            ApiError::Unauthenticated => "auth.unauthenticated",
            ApiError::Forbidden => "auth.forbidden",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed { .. } => "request.method_not_allowed",
            ApiError::Conflict(violations) => violations.leading().rule.code(),
            ApiError::PreconditionFailed => "precondition.failed",
            ApiError::TooLarge { .. } => "request.too_large",
            ApiError::Invalid(_) => "validation.failed",
            ApiError::IdempotencyKeyReused => "idempotency.key_reused",
            ApiError::Unavailable | ApiError::Busy => "service.unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::Malformed { .. } => "The request could not be read",
            ApiError::Unauthenticated => "Authentication required",
            ApiError::Forbidden => "Not allowed",
            ApiError::NotFound => "Not found",
            ApiError::MethodNotAllowed { .. } => "Method not allowed",
            ApiError::Conflict(_) => "The request conflicts with stored data",
            ApiError::PreconditionFailed => "The resource has changed",
            ApiError::TooLarge { .. } => "The request body is too large",
            ApiError::Invalid(_) => "The request is invalid",
            ApiError::IdempotencyKeyReused => "The Idempotency-Key was used with another request",
            ApiError::Unavailable | ApiError::Busy => "The service is unavailable",
            ApiError::Internal(_) => "Internal error",
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::Invalid(errors) if errors.len() == 1 => errors[0].message.clone(),
            ApiError::Invalid(errors) => format!("{} fields are invalid", errors.len()),
            ApiError::Unavailable => "the database is unreachable; retry later".into(),
            ApiError::Busy => "the database is busy; retry later".into(),
            // Never show internals to callers; they are logged instead.
            ApiError::Internal(_) => "an unexpected error occurred".into(),
            other => other.to_string(),
        }
    }

    fn items(&self) -> Vec<ProblemItem> {
        match self {
            ApiError::Malformed { errors, .. } => errors.clone(),
            ApiError::Invalid(errors) => errors.iter().map(ProblemItem::from).collect(),
            ApiError::Conflict(violations) => violations
                .all()
                .iter()
                .map(|violation| ProblemItem {
                    field: match (&violation.within, violation.field) {
                        (Some(path), Some(field)) => Some(format!("{path}.{field}")),
                        (Some(path), None) => Some(path.clone()),
                        (None, field) => field.map(str::to_owned),
                    },
                    code: violation.rule.code().to_owned(),
                    message: violation.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn problem(&self) -> Problem {
        let code = self.code().to_owned();
        Problem {
            problem_type: format!("urn:threshold:problem:{code}"),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            code,
            errors: self.items(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Malformed { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Invalid(_) | ApiError::IdempotencyKeyReused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Unavailable | ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(message) = self {
            tracing::error!(error = %message, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            ApiError::Unauthenticated => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::MethodNotAllowed { allowed } => {
                response.insert_header((header::ALLOW, allowed.as_str()));
            }
            ApiError::Unavailable | ApiError::Busy => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        response.body(body)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(message) => {
                tracing::warn!(error = %message, "database unavailable");
                ApiError::Unavailable
            }
            StoreError::Busy => ApiError::Busy,
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<Violations> for ApiError {
    fn from(violations: Violations) -> Self {
        ApiError::Conflict(violations)
    }
}

impl Retryable for ApiError {
    fn is_retryable(&self) -> bool {
        matches!(self, ApiError::Busy)
    }
}

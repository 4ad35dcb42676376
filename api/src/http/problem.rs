//! The one place errors become RFC 9457 problem details.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ProblemItem};

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
impl ApiError {
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
            ApiError::Unprocessable { code, .. } => code,
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
            ApiError::Unprocessable { .. } => "The request cannot be processed",
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
            ApiError::Invalid(_)
            | ApiError::IdempotencyKeyReused
            | ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
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

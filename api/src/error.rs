//! The application's error: what any use case, job or handler can fail with. The HTTP layer
//! turns it into problem+json in one place (`http::problem`).

use serde::Serialize;
use threshold_domain::{FieldError, Violations};
use threshold_persistence::{Retryable, StoreError};
use utoipa::ToSchema;

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
    /// A request well formed and valid field by field that is refused as a whole for a
    /// reason of its own (422 with `code`, such as `import.unsupported_version`).
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
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

    /// A body that names a record that does not exist (or that the caller cannot see).
    pub fn unknown_reference(field: &str, message: &str) -> ApiError {
        ApiError::invalid(field, "reference.not_found", message)
    }

    /// 422 when any error was found, so handlers can collect and then stop once.
    pub fn check_fields(errors: Vec<FieldError>) -> Result<(), ApiError> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(errors))
        }
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

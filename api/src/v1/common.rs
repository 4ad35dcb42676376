//! Pieces every resource shares: audit fields, `?dry_run`, IDs in paths and bodies.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use threshold_domain::{Date, FieldError};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::errors::ApiError;

/// Who created and last changed a record, when, and its version (the `ETag`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Audit {
    /// Goes up by one with every change; the `ETag` is this number in quotes.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The `sub` of the token that created the record.
    pub created_by: String,
    pub updated_by: String,
}

impl Audit {
    pub fn new(
        version: i32,
        created_at: NaiveDateTime,
        updated_at: NaiveDateTime,
        created_by: &str,
        updated_by: &str,
    ) -> Audit {
        Audit {
            version,
            created_at: created_at.and_utc(),
            updated_at: updated_at.and_utc(),
            created_by: created_by.to_owned(),
            updated_by: updated_by.to_owned(),
        }
    }
}

/// `?dry_run=true`: run every check, write nothing, answer 200 with what would be stored.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DryRun {
    /// Check everything and answer with what would be stored, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Now, to the microsecond both backends keep.
pub fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    now.with_nanosecond_micros()
}

trait MicrosOnly {
    fn with_nanosecond_micros(self) -> Self;
}

impl MicrosOnly for NaiveDateTime {
    fn with_nanosecond_micros(self) -> Self {
        use chrono::Timelike;
        let micros = self.nanosecond() / 1_000 * 1_000;
        self.with_nanosecond(micros).unwrap_or(self)
    }
}

/// Today in UTC: no date a request gives may come after it.
pub fn today() -> Date {
    Utc::now().date_naive().into()
}

/// A date that may not lie after today (UTC), refused while the body is read so the
/// problem is listed with every other field problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct NotFuture(pub Date);

impl<'de> Deserialize<'de> for NotFuture {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let date = Date::deserialize(deserializer)?;
        if date > today() {
            return Err(serde::de::Error::custom(format!(
                "{FUTURE_MARK}{date} is in the future"
            )));
        }
        Ok(NotFuture(date))
    }
}

/// Starts serde messages whose field problem has the code `date.in_future`.
pub const FUTURE_MARK: &str = "[date.in_future] ";

/// A date that must not be in the future.
pub fn not_future(field: &str, date: Option<Date>, errors: &mut Vec<FieldError>) {
    if date.is_some_and(|date| date > today()) {
        errors.push(FieldError::new(
            field,
            "date.in_future",
            format!("{field} is in the future"),
        ));
    }
}

/// Text fields: trimmed length within bounds.
pub fn text_len(field: &str, text: Option<&str>, max: usize, errors: &mut Vec<FieldError>) {
    if let Some(text) = text {
        let length = text.trim().chars().count();
        if length == 0 {
            errors.push(FieldError::new(field, "blank", format!("{field} is blank")));
        } else if length > max {
            errors.push(FieldError::new(
                field,
                "too_long",
                format!("{field} is longer than {max} characters"),
            ));
        }
    }
}

/// A record ID from a path or body; anything else names nothing.
pub fn id_text(id: Uuid) -> String {
    id.hyphenated().to_string()
}

pub fn parse_stored_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|error| ApiError::Internal(format!("stored id {text}: {error}")))
}

//! Pieces every resource shares: audit fields, `?dry_run`, IDs in paths and bodies.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use threshold_domain::Date;
use threshold_persistence::rows::{
    ActionStepRow, AssessmentRow, ClientRow, ConsentRow, EnrollmentRow, FollowUpRow, GoalRow,
    ServiceRow, StoredSource,
};
use utoipa::{IntoParams, ToSchema};

use threshold_persistence::ids::{ClientId, UserId};

use crate::auth::Caller;
use crate::clock::today;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::IfMatch;
use crate::http::extract::marked;
use crate::http::operations::entry::Under;
use crate::usecases::Versioned;

/// Where an imported record came from (contract: "Imports from other systems"); null for a
/// record made here.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceView {
    /// The source system: its export's `SourceID`.
    pub system: String,
    /// The record's ID there (`PersonalID`, `EnrollmentID`, `ExitID`).
    pub id: String,
    /// Its `DateCreated` there: reports count timeliness from it.
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// Its `UserID` there.
    pub user_id: Option<String>,
}

impl SourceView {
    pub fn of(source: Option<&StoredSource>) -> Option<SourceView> {
        source.map(|source| SourceView {
            system: source.system.clone(),
            id: source.id.clone(),
            created_at: source.created_at.map(|at| at.and_utc()),
            updated_at: source.updated_at.and_utc(),
            user_id: source.user_id.clone(),
        })
    }
}

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

/// The audit fields of every row that carries them.
macro_rules! audit_of_rows {
    ($($row:ty),* $(,)?) => {
        $(impl From<&$row> for Audit {
            fn from(row: &$row) -> Audit {
                Audit::new(
                    row.version,
                    row.created_at,
                    row.updated_at,
                    &row.created_by,
                    &row.updated_by,
                )
            }
        })*
    };
}

audit_of_rows!(
    ClientRow,
    ConsentRow,
    EnrollmentRow,
    AssessmentRow,
    ServiceRow,
    GoalRow,
    ActionStepRow,
    FollowUpRow,
);

/// Where a client's assessments and enrollments hang.
pub const UNDER_CLIENT: Under = Under {
    path: "/clients/{client_id}",
    parameters: &[("client_id", "The client's ID")],
    not_found: Some("No such client"),
};

/// `/clients/{client_id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ClientPath {
    /// The client's ID
    #[param(value_type = Uuid)]
    pub client_id: ClientId,
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

/// What a change to a stored version takes, read in this order: the writer (401, 403), the
/// IDs in the path (404), `If-Match` (the versions it names) and `?dry_run` (400). A body,
/// when there is one, is read after it.
pub struct VersionedWrite<P> {
    pub caller: Caller,
    /// The use case's input, the record named by the path.
    pub write: Versioned<P>,
}

impl<P: DeserializeOwned + 'static> FromRequest for VersionedWrite<P> {
    type Error = actix_web::Error;
    type Future = Ready<Result<VersionedWrite<P>, actix_web::Error>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mut read = || -> Result<VersionedWrite<P>, actix_web::Error> {
            let Writer(caller) = Writer::from_request(request, payload).into_inner()?;
            let path = web::Path::<P>::from_request(request, payload).into_inner()?;
            let query = web::Query::<DryRun>::from_request(request, payload).into_inner()?;
            Ok(VersionedWrite {
                caller,
                write: Versioned {
                    target: path.into_inner(),
                    expected: IfMatch::from_request(request).expected(),
                    change: (),
                    dry_run: query.dry_run,
                },
            })
        };
        ready(read())
    }
}

/// What a read of one item takes, read in this order: the caller (401), the IDs in the
/// path (404) and a query string, which must be empty (400).
pub struct Lookup<P> {
    pub caller: Caller,
    pub path: P,
}

impl<P: DeserializeOwned + 'static> FromRequest for Lookup<P> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Lookup<P>, actix_web::Error>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mut read = || -> Result<Lookup<P>, actix_web::Error> {
            let caller = Caller::from_request(request, payload).into_inner()?;
            let path = web::Path::<P>::from_request(request, payload).into_inner()?;
            web::Query::<NoQuery>::from_request(request, payload).into_inner()?;
            Ok(Lookup {
                caller,
                path: path.into_inner(),
            })
        };
        ready(read())
    }
}

/// The words of a name search (`?q=` of the client search and of a program's roster): split
/// at white space, in lower case as `search_name` stores the names; at most 10 words of 100
/// characters (a 400 otherwise).
pub fn search_words(q: Option<&str>) -> Result<Vec<String>, ApiError> {
    let words: Vec<String> = q
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    if words.len() > 10 || words.iter().any(|word| word.chars().count() > 100) {
        return Err(ApiError::malformed_field(
            "q",
            "q is limited to 10 words of 100 characters",
        ));
    }
    Ok(words)
}

/// A `YYYY-MM-DD` date in a query (`?dob=`, `?active_on=`): a 400 naming the parameter
/// otherwise.
pub fn query_date(field: &str, text: Option<&str>) -> Result<Option<Date>, ApiError> {
    text.map(Date::parse)
        .transpose()
        .map_err(|error| ApiError::malformed_field(field, error.to_string()))
}

/// The query of an endpoint that takes no parameters: any parameter is a 400, so a typo is
/// never silently dropped.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoQuery {}

/// A date that may not lie after today (UTC), refused while the body is read so the
/// problem is listed with every other field problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct NotFuture(pub Date);

impl<'de> Deserialize<'de> for NotFuture {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let date = Date::deserialize(deserializer)?;
        if date > today() {
            return Err(serde::de::Error::custom(marked(
                "date.in_future",
                format!("{date} is in the future"),
            )));
        }
        Ok(NotFuture(date))
    }
}

/// Text of at most `MAX` characters, trimmed, not blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            Err(marked("blank", "must not be blank"))
        } else if trimmed.chars().count() > MAX {
            Err(marked(
                "too_long",
                format!("is longer than {MAX} characters"),
            ))
        } else {
            Ok(Text(trimmed.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Text<MAX> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Text::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// An email address (at most 320 characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn into_string(self) -> String {
        self.0
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use validator::ValidateEmail;
        let text = Text::<320>::deserialize(deserializer)?.into_string();
        if text.validate_email() {
            Ok(Email(text))
        } else {
            Err(serde::de::Error::custom("is not an email address"))
        }
    }
}

/// A ZIP archive.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct ZipFile(Vec<u8>);

/// A form with a ZIP archive as its `file` part.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ZipUpload {
    /// The ZIP archive.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// A follow-up as a new enrollment brings it along, and the core of [`CreateFollowUp`].
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Check in after move-in", "due_date": "2025-12-01"}))]
pub struct NewFollowUp {
    #[schema(value_type = String, min_length = 1, max_length = 500)]
    pub reason: Text<500>,
    /// Within the enrollment's period.
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub due_date: Date,
    /// A user of the program's organization.
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub assigned_to: Option<UserId>,
}

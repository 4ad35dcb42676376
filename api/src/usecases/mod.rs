//! What users do, one function each, over the domain's rules and the storage layer: the
//! HTTP handlers, the `threshold` commands, the HMIS import and the seed call these.
//!
//! A use case takes its input as plain values, the caller and a connection inside the write
//! transaction; it finds what it acts on (a 404 for what the caller may not see), checks the
//! version the caller expects, runs the domain's rules against what is stored, writes (or,
//! on a dry run, writes nothing) and answers with the rows as they are (or would be) stored.

pub mod assessments;
pub mod auto_exit;
pub mod clients;
pub mod completeness;
pub mod consents;
pub mod enroll;
pub mod enrollments;
pub mod follow_ups;
pub mod households;
pub mod hud_fields;
pub mod hud_records;
pub mod lifecycle;
pub mod matching;
pub mod program_descriptors;
pub mod records;
pub mod rosters;
pub mod scopes;
pub mod visibility;
pub mod webhooks;

use serde::Deserialize;
use threshold_persistence::ids::{AssessmentId, ClientId, ConsentId, EnrollmentId};

use crate::error::ApiError;

/// The version of a record a write expects to change (HTTP's `If-Match`): any, or one of
/// these; a write to another version is refused (412) before any rule is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Expected {
    #[default]
    Any,
    OneOf(Vec<i32>),
}

impl Expected {
    pub fn check(&self, version: i32) -> Result<(), ApiError> {
        match self {
            Expected::OneOf(versions) if !versions.contains(&version) => {
                Err(ApiError::PreconditionFailed)
            }
            _ => Ok(()),
        }
    }
}

/// A write to one stored record: the record (`target`, the IDs that find it), the version
/// the caller expects it to have, what to change (nothing for a delete or a reopening) and
/// whether only to check, writing nothing.
#[derive(Debug, Clone)]
pub struct Versioned<T, C = ()> {
    pub target: T,
    pub expected: Expected,
    pub change: C,
    pub dry_run: bool,
}

impl<T> Versioned<T> {
    /// The same write, making `change`.
    pub fn with<C>(self, change: C) -> Versioned<T, C> {
        Versioned {
            target: self.target,
            expected: self.expected,
            change,
            dry_run: self.dry_run,
        }
    }
}

/// An enrollment of a client.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct EnrollmentKey {
    pub client_id: ClientId,
    pub enrollment_id: EnrollmentId,
}

/// An assessment of a client.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct AssessmentKey {
    pub client_id: ClientId,
    pub assessment_id: AssessmentId,
}

/// A consent (release of information) of a client.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct ConsentKey {
    pub client_id: ClientId,
    pub consent_id: ConsentId,
}

/// An assessment of a client as linked to one of the client's enrollments.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct LinkKey {
    pub client_id: ClientId,
    pub enrollment_id: EnrollmentId,
    pub assessment_id: AssessmentId,
}

/// A field an edit may change: kept as it is, cleared, or set to a value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Change<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T> Change<T> {
    /// The new value given the current one.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        self.apply_with(current, |value| value)
    }

    /// The new value given the current one, converting a given value with `convert`.
    pub fn apply_with<U>(self, current: Option<U>, convert: impl FnOnce(T) -> U) -> Option<U> {
        match self {
            Change::Keep => current,
            Change::Clear => None,
            Change::Set(value) => Some(convert(value)),
        }
    }

    pub fn map<U>(self, convert: impl FnOnce(T) -> U) -> Change<U> {
        match self {
            Change::Keep => Change::Keep,
            Change::Clear => Change::Clear,
            Change::Set(value) => Change::Set(convert(value)),
        }
    }

    pub fn as_set(&self) -> Option<&T> {
        match self {
            Change::Set(value) => Some(value),
            _ => None,
        }
    }
}

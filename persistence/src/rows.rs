//! Rows as stored: one struct per table, converted to and from domain and API types by the
//! layers above. No row ever goes on the wire.
//!
//! Rows insert `None` as NULL, never as the column's DEFAULT (no nullable column has one):
//! every value is then bound, which PostgreSQL's binary COPY of many rows needs.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ids::{
    ActionStepId, AssessmentId, ClientId, ConsentId, EnrollmentId, FollowUpId, GoalId, GrantId,
    HouseholdId, OrganizationId, ProgramId, ServiceId, UserId, WebhookId,
};
use crate::schema::*;

#[macro_use]
mod stored_text;

/// Who wrote a record, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub at: NaiveDateTime,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = organizations, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct OrganizationRow {
    pub id: OrganizationId,
    pub name: String,
    pub victim_service_provider: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    /// HUD fields beside the columns (Organization.csv): `hud_fields::resources`.
    pub hud: HudFieldsJson,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = programs, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ProgramRow {
    pub id: ProgramId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub project_type: i32,
    pub operating_start_date: NaiveDate,
    pub operating_end_date: Option<NaiveDate>,
    pub continuum_project: bool,
    pub capacity: Option<i32>,
    pub auto_exit_days: Option<i32>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    /// HUD fields beside the columns (Project.csv): `hud_fields::resources`.
    pub hud: HudFieldsJson,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = grants, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct GrantRow {
    pub id: GrantId,
    pub program_id: ProgramId,
    pub funder: i32,
    pub other_funder: Option<String>,
    pub grant_identifier: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = users, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct UserRow {
    pub id: UserId,
    pub organization_id: OrganizationId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = clients, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ClientRow {
    pub id: ClientId,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub name_suffix: Option<String>,
    pub name_data_quality: i32,
    /// Never written to the audit trail: `ssn_last4` stands for it there.
    #[serde(skip_serializing, default)]
    pub ssn: Option<String>,
    pub ssn_last4: Option<String>,
    pub ssn_data_quality: i32,
    pub dob: Option<NaiveDate>,
    pub dob_data_quality: i32,
    pub sex: i32,
    /// Race and ethnicity categories, comma separated, in a fixed order.
    pub race_ethnicity: String,
    pub race_none: Option<i32>,
    pub veteran_status: i32,
    /// Lower-case "first middle last suffix", for `?q=` search.
    pub search_name: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
    /// The organization whose case manager created the client (none for an admin's or an
    /// imported client): it sees the client while nobody serves them.
    pub organization_id: Option<OrganizationId>,
    /// HUD fields beside the columns (Client.csv: V1, 3.04's additional text).
    pub hud: HudFieldsJson,
    /// Where it came from, when imported.
    pub source: Option<StoredSource>,
}

impl ClientRow {
    /// The text `?q=` searches: every name part, lower case, space separated.
    pub fn search_text(&self) -> String {
        [
            &self.first_name,
            &self.middle_name,
            &self.last_name,
            &self.name_suffix,
        ]
        .into_iter()
        .flatten()
        .map(|part| part.trim().to_lowercase())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = households, treat_none_as_default_value = false)]
pub struct HouseholdRow {
    pub id: HouseholdId,
    pub program_id: ProgramId,
    pub created_at: NaiveDateTime,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = enrollments, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct EnrollmentRow {
    pub id: EnrollmentId,
    pub client_id: ClientId,
    pub program_id: ProgramId,
    pub household_id: HouseholdId,
    pub relationship_to_hoh: i32,
    pub entry_date: NaiveDate,
    pub exit_date: Option<NaiveDate>,
    pub destination: Option<i32>,
    pub destination_subsidy_type: Option<i32>,
    pub other_destination: Option<String>,
    pub auto_exited: bool,
    pub exited_by: Option<String>,
    pub exited_at: Option<NaiveDateTime>,
    pub grant_id: Option<GrantId>,
    pub case_manager_id: Option<UserId>,
    pub enrollment_coc: Option<String>,
    pub disabling_condition: Option<i32>,
    pub prior_living_situation: Option<i32>,
    pub length_of_stay: Option<i32>,
    pub move_in_date: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
    /// HUD fields beside the columns (Enrollment.csv: 3.917 in full, 4.13, P3, R1, ...).
    pub hud: HudFieldsJson,
    /// The exit's HUD fields beside its columns (Exit.csv: W5, R15-R20, V9); empty while
    /// the enrollment is active.
    pub exit_hud: HudFieldsJson,
    /// The enrollment rules it broke as another system recorded it (a tolerant import).
    pub flags: StoredFlags,
    /// Where it came from, when imported.
    pub source: Option<StoredSource>,
    /// Where its exit came from, when imported.
    pub exit_source: Option<StoredSource>,
}

/// A release of information a client gave: revoked, never deleted. `scope` is `coc` (every
/// organization of the installation) or `organizations` (those its
/// [`ConsentOrganizationRow`]s name); `status` is `active` or `revoked`.
#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = consents, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ConsentRow {
    pub id: ConsentId,
    pub client_id: ClientId,
    pub scope: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub status: String,
    /// The `sub` of the token that recorded it.
    pub recorded_by: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
}

/// An organization a consent of scope `organizations` names.
#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(table_name = consent_organizations)]
pub struct ConsentOrganizationRow {
    pub consent_id: ConsentId,
    pub organization_id: OrganizationId,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = assessments, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct AssessmentRow {
    pub id: AssessmentId,
    pub client_id: ClientId,
    pub enrollment_id: Option<EnrollmentId>,
    pub assessment_date: NaiveDate,
    pub assessment_location: String,
    pub assessment_type: i32,
    pub assessment_level: i32,
    pub prioritization_status: i32,
    /// The question-and-answer pairs, as a JSON array.
    pub answers: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
    /// Its results (4.19.6), as a JSON array of [`StoredResult`].
    pub results: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = services, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ServiceRow {
    pub id: ServiceId,
    pub enrollment_id: EnrollmentId,
    pub date_provided: NaiveDate,
    pub record_type: i32,
    pub type_provided: i32,
    pub other_type_provided: Option<String>,
    /// Financial assistance in cents, so money is never a float.
    pub fa_amount_cents: Option<i64>,
    pub note: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = goals, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct GoalRow {
    pub id: GoalId,
    pub enrollment_id: EnrollmentId,
    pub title: String,
    pub description: Option<String>,
    pub status: String,
    pub target_date: Option<NaiveDate>,
    pub closed_date: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = action_steps, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ActionStepRow {
    pub id: ActionStepId,
    pub goal_id: GoalId,
    pub enrollment_id: EnrollmentId,
    pub description: String,
    pub assigned_to: Option<UserId>,
    pub due_date: Option<NaiveDate>,
    pub completed_date: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = follow_ups, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct FollowUpRow {
    pub id: FollowUpId,
    pub enrollment_id: EnrollmentId,
    pub reason: String,
    pub due_date: NaiveDate,
    pub assigned_to: Option<UserId>,
    pub completed_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

/// A versioned row: every change bumps its version and names who made it, and when.
pub trait Stamped {
    fn stamp(&mut self, at: NaiveDateTime, by: &str);
    /// The version, which every change bumps (the `ETag` of the API).
    fn version(&self) -> i32;
    /// The version, who created the row and who changed it last, and when.
    fn stamps(&self) -> Stamps<'_>;
}

/// The bookkeeping fields of a [`Stamped`] row.
#[derive(Debug, Clone, Copy)]
pub struct Stamps<'a> {
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: &'a str,
    pub updated_by: &'a str,
}

/// A webhook subscription: where events of the listed types are sent, signed with `secret`.
/// `organization_id` is the subscribing integration's organization (`None`: an admin's).
#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = webhooks, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct WebhookRow {
    pub id: WebhookId,
    pub organization_id: Option<OrganizationId>,
    pub url: String,
    /// The event types, as a JSON array of their names.
    pub events: String,
    pub description: Option<String>,
    pub active: bool,
    /// Never written to the audit trail.
    #[serde(skip_serializing, default)]
    pub secret: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

macro_rules! stamped {
    ($($row:ty),* $(,)?) => {
        $(impl Stamped for $row {
            fn stamp(&mut self, at: NaiveDateTime, by: &str) {
                self.version += 1;
                self.updated_at = at;
                self.updated_by = by.to_owned();
            }

            fn version(&self) -> i32 {
                self.version
            }

            fn stamps(&self) -> Stamps<'_> {
                Stamps {
                    version: self.version,
                    created_at: self.created_at,
                    updated_at: self.updated_at,
                    created_by: &self.created_by,
                    updated_by: &self.updated_by,
                }
            }
        })*
    };
}

stamped!(
    OrganizationRow,
    ProgramRow,
    GrantRow,
    ProgramCocRow,
    InventoryRow,
    HmisParticipationRow,
    CeParticipationRow,
    AffiliationRow,
    UserRow,
    ClientRow,
    ConsentRow,
    EnrollmentRow,
    AssessmentRow,
    ServiceRow,
    GoalRow,
    ActionStepRow,
    FollowUpRow,
    WebhookRow,
);

/// One answer of an assessment. `assessments.answers` keeps an assessment's answers as a
/// JSON array of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAnswer {
    pub question: String,
    pub answer: String,
}

impl StoredAnswer {
    /// The text `assessments.answers` keeps.
    pub fn encode(answers: &[StoredAnswer]) -> String {
        serde_json::to_string(answers).unwrap_or_else(|_| "[]".into())
    }

    pub fn decode(text: &str) -> Result<Vec<StoredAnswer>, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// One result of an assessment (HUD 4.19.6, AssessmentResults.csv). `assessments.results`
/// keeps an assessment's results as a JSON array of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredResult {
    pub result_type: String,
    pub result: String,
}

impl StoredResult {
    /// The text `assessments.results` keeps.
    pub fn encode(results: &[StoredResult]) -> String {
        serde_json::to_string(results).unwrap_or_else(|_| "[]".into())
    }

    pub fn decode(text: &str) -> Result<Vec<StoredResult>, serde_json::Error> {
        serde_json::from_str(text)
    }
}

mod descriptors;
mod flags;
mod hud;

pub use descriptors::{
    AffiliationRow, CeParticipationRow, HmisParticipationRow, InventoryRow, ProgramCocRow,
};
pub use flags::{StoredFlags, StoredSource};

pub use hud::{
    given, stored_fields, AnyHudRecord, CollectionColumn, CollectionTag, CurrentLivingSituations,
    Disabilities, EmploymentEducation, Events, HealthAndDv, HudCollection, HudFieldsJson,
    HudRecord, IncomeBenefits, NotHudFieldsJson, YouthEducationStatuses, DISABILITY_TYPE,
};

//! `/v1/clients/{client_id}/enrollments`: a client's stays in programs. Case managers write
//! the enrollments of their organization's programs; others of the organization read them;
//! another organization's enrollment is a 404. A program's roster
//! (`/v1/programs/{program_id}/enrollments`) and the change feed list them too.

mod completeness;
mod create;
mod exit;
mod feed;
mod item;
mod list;
mod roster;

pub use completeness::*;
pub use create::*;
pub use exit::*;
pub use feed::*;
pub use item::*;
pub use list::*;
pub use roster::*;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use threshold_domain::codes::{
    LengthOfStay, NoYesMissing, PriorLivingSituation, RelationshipToHoh,
};
use threshold_domain::enrollment::{check_move_in_date, check_new_dates, CocCode, NewEnrollment};
use threshold_domain::flags::Flag;
use threshold_domain::{Date, FieldError};
use threshold_persistence::ids::{
    AssessmentId, ClientId, EnrollmentId, GrantId, HouseholdId, ProgramId, UserId,
};
use threshold_persistence::rows::EnrollmentRow;
use utoipa::openapi::path::HttpMethod;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::today;
use crate::error::ApiError;
use crate::http::codes;
use crate::http::endpoints::Endpoints;
use crate::http::etag::{Tag, Tagged};
use crate::http::extract::{CheckBody, Patch};
use crate::http::hud_fields::{
    EnrollmentHud, EnrollmentHudView, ExitHud, ExitHudView, HudView, WithHud,
};
use crate::http::operations::entry::{query_of, with_response};
use crate::http::operations::Names;
use crate::http::v1::common::{Audit, NewFollowUp, NotFuture, SourceView, UNDER_CLIENT};
use crate::http::writes::{change_through, delete_through, update_through};
use crate::usecases::completeness::EnrollmentRead;
use crate::usecases::enrollments;

/// The rules a new enrollment may break against stored data.
const CREATE_CONFLICT: &str = "An enrollment rule is broken: `program.not_operating`, \
`grant.program_mismatch`, `grant.not_active`, `enrollment.overlap`, `enrollment.before_birth`, \
`program.at_capacity`, `enrollment.move_in_invalid`, `household.head_required`, \
`household.head_exists`, `household.program_mismatch`, `household.member_before_head`, \
`household.client_duplicate`, and for `assessment_ids` and `follow_ups`: \
`assessment.client_mismatch`, `assessment.already_linked`, `assessment.outside_enrollment`, \
`enrollment.dependents_outside_period`";

/// The rules a change to an enrollment may break against stored data.
const UPDATE_CONFLICT: &str = "An enrollment rule is broken: `program.not_operating`, \
`grant.program_mismatch`, `grant.not_active`, `enrollment.overlap`, `enrollment.before_birth`, \
`enrollment.move_in_invalid`, `household.head_exists`, `household.member_before_head`, \
`household.members_active`, `exit.before_entry`, `enrollment.dependents_outside_period`, \
`record.stage_date` (records are moved by nothing: a moved entry date would leave a \
project-start record, or a member's annual assessment, no longer dated as its stage asks)";

/// The routes of a client's enrollments, their exit and reopening, with their OpenAPI
/// entries: an enrollment is documented as the generic resources are.
pub fn endpoints() -> Endpoints {
    let (endpoints, doc) =
        Endpoints::described::<EnrollmentView, EnrollmentList, CreateEnrollment, UpdateEnrollment>(
            Names::plain("enrollments", "enrollment"),
            &UNDER_CLIENT,
        );
    let (collection, item) = (doc.collection_path(), doc.item_path());
    let exit = format!("{item}/exit");
    let list = doc.list(
        "The client's enrollments that the caller may see, newest entry first.",
        query_of::<ListEnrollments>(),
    );
    let update = "Change an enrollment (JSON Merge Patch); every rule the changed fields touch \
                  is checked\nagain.";
    let delete = doc.delete(
        "Delete an enrollment (soft: kept for audit and the HMIS export, gone from every read).",
        "Deleted, with its services, goals, action steps and follow-ups; its assessments are \
         unlinked and stay with the client",
        NOT_FOUND,
    );
    let delete_refused = "`household.members_active`: a head with active members";
    endpoints
        .route(
            HttpMethod::Post,
            &collection,
            create_enrollment,
            doc.create("Add an enrollment.", Some(CREATE_CONFLICT)),
        )
        .route(
            HttpMethod::Get,
            &collection,
            list_enrollments,
            with_response(list, "200", "A page of enrollments, newest entry first"),
        )
        .route(
            HttpMethod::Get,
            &item,
            get_enrollment,
            doc.get_of_client("Get one enrollment.", NOT_FOUND),
        )
        .route(
            HttpMethod::Patch,
            &item,
            update_through(edit_enrollment, enrollment_change, EnrollmentView::new),
            doc.update(update, NOT_FOUND, Some(UPDATE_CONFLICT)),
        )
        .route(
            HttpMethod::Delete,
            &item,
            delete_through(enrollments::delete),
            with_response(delete, "409", delete_refused),
        )
        .route(HttpMethod::Post, &exit, exit_enrollment, exit_entry(&doc))
        .route(
            HttpMethod::Get,
            &format!("{item}/completeness"),
            get_completeness,
            completeness_entry(&doc),
        )
        .route(
            HttpMethod::Delete,
            &exit,
            change_through(reopen_enrollment, EnrollmentView::new),
            reopen_entry(&doc),
        )
}

/// An enrollment the caller may not see is not found either.
const NOT_FOUND: &str = "No such enrollment, or another organization's";

/// A new enrollment: its own fields and Enrollment.csv's other columns as HUD fields.
pub type CreateEnrollment = WithHud<EnrollmentBody, EnrollmentHud>;

/// A new enrollment: its program, entry date and household, and HUD's elements at project
/// start: 3.917 prior living situation (in full: `los_under_threshold`,
/// `previous_street_essh`, `date_to_street_essh`, `times_homeless_past_three_years`,
/// `months_homeless_past_three_years`), 4.13 date of engagement, P3, R1, R2, R11-R13, V4,
/// V6, V7, V10.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = CreateEnrollment, example = json!({
    "program_id": "0193a1b2-0000-7000-8000-000000000002",
    "entry_date": "2025-11-03",
    "relationship_to_hoh": 1,
    "enrollment_coc": "CA-500",
    "disabling_condition": 0,
    "prior_living_situation": 116,
    "length_of_stay": 4,
    "los_under_threshold": 1,
    "previous_street_essh": 1,
    "date_to_street_essh": "2025-06-01",
    "times_homeless_past_three_years": 2,
    "months_homeless_past_three_years": 105
}))]
pub struct EnrollmentBody {
    #[schema(value_type = Uuid)]
    pub program_id: ProgramId,
    /// Not in the future.
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub entry_date: NotFuture,
    /// HUD 3.15.1: 1 is the head of household.
    #[schema(value_type = codes::RelationshipToHoh)]
    pub relationship_to_hoh: RelationshipToHoh,
    /// Join this household; absent = start a new household with this client as its head.
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub household_id: Option<HouseholdId>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub grant_id: Option<GrantId>,
    /// A user of the program's organization.
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub case_manager_id: Option<UserId>,
    /// HUD CoC code, like `XX-500`.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[A-Z]{2}-[0-9]{3}$")]
    pub enrollment_coc: Option<CocCode>,
    /// HUD 1.8.
    #[serde(default)]
    #[schema(value_type = Option<codes::NoYesMissing>)]
    pub disabling_condition: Option<NoYesMissing>,
    /// HUD 3.917 (exported as LivingSituation).
    #[serde(default)]
    #[schema(value_type = Option<codes::PriorLivingSituation>)]
    pub prior_living_situation: Option<PriorLivingSituation>,
    /// HUD 3.917.2.
    #[serde(default)]
    #[schema(value_type = Option<codes::LengthOfStay>)]
    pub length_of_stay: Option<LengthOfStay>,
    /// Permanent housing programs only, head of household only, within the stay; not in
    /// the future.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub move_in_date: Option<NotFuture>,
    /// Existing assessments of the client to link to the new enrollment.
    #[serde(default)]
    #[schema(max_items = 50)]
    #[schema(value_type = Vec<Uuid>)]
    pub assessment_ids: Vec<AssessmentId>,
    /// Follow-ups to make with the enrollment, in the same transaction.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub follow_ups: Vec<NewFollowUp>,
}

impl EnrollmentBody {
    pub fn as_new(&self, client_id: ClientId) -> NewEnrollment {
        NewEnrollment {
            client_id: client_id.uuid(),
            program_id: self.program_id.uuid(),
            relationship: self.relationship_to_hoh,
            entry_date: self.entry_date.0,
            move_in_date: self.move_in_date.map(|date| date.0),
        }
    }
}

impl CheckBody for EnrollmentBody {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = check_new_dates(&self.as_new(Uuid::nil().into()), today());
        for (field, count) in [
            ("assessment_ids", self.assessment_ids.len()),
            ("follow_ups", self.follow_ups.len()),
        ] {
            if count > 50 {
                errors.push(FieldError::new(
                    field,
                    "too_long",
                    format!("{field} holds at most 50"),
                ));
            }
        }
        errors
    }
}

/// JSON Merge Patch of an enrollment: its own fields and its HUD fields.
pub type UpdateEnrollment = WithHud<EnrollmentPatch, EnrollmentHud>;

/// JSON Merge Patch of an enrollment. The program, client and household do not change;
/// `null` clears a HUD field.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[schema(as = UpdateEnrollment, example = json!({"entry_date": "2025-11-04", "case_manager_id": null, "date_of_engagement": "2025-11-10"}))]
pub struct EnrollmentPatch {
    #[serde(default)]
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub entry_date: Patch<NotFuture>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub grant_id: Patch<GrantId>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub case_manager_id: Patch<UserId>,
    #[serde(default)]
    #[schema(value_type = codes::RelationshipToHoh)]
    pub relationship_to_hoh: Patch<RelationshipToHoh>,
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[A-Z]{2}-[0-9]{3}$")]
    pub enrollment_coc: Patch<CocCode>,
    #[serde(default)]
    #[schema(value_type = Option<codes::NoYesMissing>)]
    pub disabling_condition: Patch<NoYesMissing>,
    #[serde(default)]
    #[schema(value_type = Option<codes::PriorLivingSituation>)]
    pub prior_living_situation: Patch<PriorLivingSituation>,
    #[serde(default)]
    #[schema(value_type = Option<codes::LengthOfStay>)]
    pub length_of_stay: Patch<LengthOfStay>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub move_in_date: Patch<NotFuture>,
}

impl CheckBody for EnrollmentPatch {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        crate::http::extract::required_in_patch("entry_date", &self.entry_date, &mut errors);
        crate::http::extract::required_in_patch(
            "relationship_to_hoh",
            &self.relationship_to_hoh,
            &mut errors,
        );
        if let Some(entry) = self.entry_date.as_value() {
            errors.extend(check_move_in_date(
                entry.0,
                self.move_in_date.as_value().map(|move_in| move_in.0),
            ));
        }
        errors
    }
}

/// How an enrollment ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExitView {
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub exit_date: Date,
    /// HUD 3.12.
    #[schema(value_type = Option<codes::Destination>)]
    pub destination: Option<i32>,
    /// HUD 3.12.A, for destination 435.
    #[schema(value_type = Option<codes::RentalSubsidyType>)]
    pub destination_subsidy_type: Option<i32>,
    /// For destination 17.
    pub other_destination: Option<String>,
    /// Exited by the auto-exit job rather than by a person.
    pub auto_exited: bool,
    pub exited_by: Option<String>,
    pub exited_at: Option<DateTime<Utc>>,
    /// Exit.csv's other columns: W5, R15-R20, V9, ...
    #[serde(flatten)]
    #[schema(value_type = ExitHudView)]
    pub hud: HudView<ExitHud>,
    /// Where the exit came from, when imported from another system.
    pub source: Option<SourceView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnrollmentView {
    #[schema(value_type = Uuid)]
    pub id: EnrollmentId,
    #[schema(value_type = Uuid)]
    pub client_id: ClientId,
    #[schema(value_type = Uuid)]
    pub program_id: ProgramId,
    #[schema(value_type = Uuid)]
    pub household_id: HouseholdId,
    #[schema(value_type = codes::RelationshipToHoh)]
    pub relationship_to_hoh: i32,
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub entry_date: Date,
    /// `active` or `exited`.
    #[schema(example = "active")]
    pub status: String,
    /// Whether the household misses nothing the HMIS Data Standards require of the members
    /// the caller may see: the `complete` of `GET .../completeness`, which lists what is
    /// missing. A household's records and its members' changes change it without changing
    /// the enrollment's `version`; the `ETag` says both (`"3-complete"`, `"3-incomplete"`)
    /// and `If-Match` takes either.
    pub complete: bool,
    pub exit: Option<ExitView>,
    #[schema(value_type = Option<Uuid>)]
    pub grant_id: Option<GrantId>,
    #[schema(value_type = Option<Uuid>)]
    pub case_manager_id: Option<UserId>,
    pub enrollment_coc: Option<String>,
    #[schema(value_type = Option<codes::NoYesMissing>)]
    pub disabling_condition: Option<i32>,
    #[schema(value_type = Option<codes::PriorLivingSituation>)]
    pub prior_living_situation: Option<i32>,
    #[schema(value_type = Option<codes::LengthOfStay>)]
    pub length_of_stay: Option<i32>,
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub move_in_date: Option<Date>,
    #[serde(flatten)]
    #[schema(value_type = EnrollmentHudView)]
    pub hud: HudView<EnrollmentHud>,
    /// The enrollment rules it broke as another system recorded it, imported in tolerant
    /// mode; empty for an enrollment made here. Live rules govern every later write: a
    /// write may leave a flagged rule broken or mend it (which clears the flag), never
    /// break another.
    pub flags: Vec<FlagView>,
    /// Where it came from, when imported from another system.
    pub source: Option<SourceView>,
    #[serde(flatten)]
    pub audit: Audit,
    /// Set only in the change feed, for a deleted enrollment.
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A rule an imported record breaks.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagView {
    /// The rule's code (`household.head_exists`).
    pub code: String,
    pub message: String,
}

impl From<&Flag> for FlagView {
    fn from(flag: &Flag) -> FlagView {
        FlagView {
            code: flag.code.clone(),
            message: flag.message.clone(),
        }
    }
}

/// An enrollment read is tagged by its version and whether its household is complete.
impl Tagged for EnrollmentRead {
    fn tag(&self) -> Tag {
        Tag {
            version: self.row.version,
            shows: Some(if self.complete {
                "complete"
            } else {
                "incomplete"
            }),
        }
    }
}

impl EnrollmentView {
    pub fn new(read: &EnrollmentRead) -> Result<EnrollmentView, ApiError> {
        EnrollmentView::of(&read.row, read.complete)
    }

    /// The enrollment `row` whose household is `complete` or not.
    pub fn of(row: &EnrollmentRow, complete: bool) -> Result<EnrollmentView, ApiError> {
        Ok(EnrollmentView {
            id: row.id,
            client_id: row.client_id,
            program_id: row.program_id,
            household_id: row.household_id,
            relationship_to_hoh: row.relationship_to_hoh,
            entry_date: row.entry_date.into(),
            status: if row.exit_date.is_some() {
                "exited"
            } else {
                "active"
            }
            .to_owned(),
            complete,
            exit: row.exit_date.map(|exit_date| ExitView {
                exit_date: exit_date.into(),
                destination: row.destination,
                destination_subsidy_type: row.destination_subsidy_type,
                other_destination: row.other_destination.clone(),
                auto_exited: row.auto_exited,
                exited_by: row.exited_by.clone(),
                exited_at: row.exited_at.map(|at| at.and_utc()),
                hud: HudView::of(row.exit_hud.as_map()),
                source: SourceView::of(row.exit_source.as_ref()),
            }),
            grant_id: row.grant_id,
            case_manager_id: row.case_manager_id,
            enrollment_coc: row.enrollment_coc.clone(),
            disabling_condition: row.disabling_condition,
            prior_living_situation: row.prior_living_situation,
            length_of_stay: row.length_of_stay,
            move_in_date: row.move_in_date.map(Into::into),
            hud: HudView::of(row.hud.as_map()),
            flags: row.flags.0.iter().map(FlagView::from).collect(),
            source: SourceView::of(row.source.as_ref()),
            audit: Audit::from(row),
            deleted_at: row.deleted_at.map(|at| at.and_utc()),
        })
    }
}

crate::list_of!(EnrollmentList, EnrollmentView);

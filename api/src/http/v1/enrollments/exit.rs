use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{Map, Value};
use threshold_domain::codes::{Destination, RentalSubsidyType};
use threshold_domain::hud_records::Collection;
use threshold_domain::lifecycle::check_exit_destinations;
use threshold_domain::FieldError;
use threshold_persistence::ids::EnrollmentId;
use threshold_persistence::DbConnection;
use utoipa::ToSchema;

use super::{EnrollmentView, NOT_FOUND};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::codes;
use crate::http::etag::{etag, Tagged};
use crate::http::extract::CheckBody;
use crate::http::hud_fields::{ExitHud, WithHud};
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::operations::entry::Entry;
use crate::http::operations::Described;
use crate::http::records::hud::{
    exit_record, DisabilityPatch, EmploymentEducationPatch, HealthAndDvPatch, IncomeBenefitsPatch,
};
use crate::http::state::AppState;
use crate::http::v1::common::{NotFuture, Text, VersionedWrite};
use crate::usecases::completeness::{self, EnrollmentRead};
use crate::usecases::lifecycle::{self, ExitRecordsByEnrollment, Leaving, Reopen};
use crate::usecases::EnrollmentKey;

/// An exit: its own fields and Exit.csv's other columns as HUD fields.
pub type ExitEnrollment = WithHud<ExitBody, ExitHud>;

/// An exit, alone or with the household. Beside these fields it takes Exit.csv's other
/// columns as HUD fields (W5 housing assessment, R15-R20, V9, ...), recorded on every
/// enrollment the exit exits and shown in its `exit`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = ExitEnrollment, example = json!({"exit_date": "2026-01-15", "destination": 435,
                          "destination_subsidy_type": 431, "household": true,
                          "housing_assessment": 1, "subsidy_information": 1}))]
pub struct ExitBody {
    /// Not in the future, not before the entry date.
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub exit_date: NotFuture,
    /// HUD 3.12.
    #[schema(value_type = codes::Destination)]
    pub destination: Destination,
    /// HUD 3.12.A: required when a destination is 435 (rental with ongoing subsidy), and
    /// only then.
    #[serde(default)]
    #[schema(value_type = Option<codes::RentalSubsidyType>)]
    pub destination_subsidy_type: Option<RentalSubsidyType>,
    /// Required when a destination is 17 (other), and only then.
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub other_destination: Option<Text<200>>,
    /// Also exit every active member of the household, on the same date.
    #[serde(default)]
    pub household: bool,
    /// With `household`: a destination per member enrollment, overriding `destination`.
    #[serde(default)]
    #[schema(value_type = Option<BTreeMap<Uuid, codes::Destination>>)]
    pub member_destinations: Option<BTreeMap<EnrollmentId, Destination>>,
    /// The exit-stage records (HUD 5.03 stage 3, dated the exit date) of the enrollments
    /// this exit exits, by enrollment: stored in the exit's transaction, all or nothing.
    #[serde(default)]
    #[schema(value_type = Option<BTreeMap<Uuid, ExitRecords>>)]
    pub records: Option<BTreeMap<EnrollmentId, ExitRecords>>,
}

/// The exit-stage records of one enrollment: each with the fields of a record of its
/// collection, but its date and stage, which the exit gives.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExitRecords {
    /// 4.02, 4.03, 4.04, W3, P4 at exit.
    #[serde(default)]
    #[schema(value_type = Option<IncomeBenefitsPatch>)]
    pub income_benefits: Option<Map<String, Value>>,
    /// 4.05-4.10 at exit, one per `disability_type`.
    #[serde(default)]
    #[schema(value_type = Option<Vec<DisabilityPatch>>)]
    pub disabilities: Option<Vec<Map<String, Value>>>,
    /// 4.11, R7-R10 at exit.
    #[serde(default)]
    #[schema(value_type = Option<HealthAndDvPatch>)]
    pub health_and_dv: Option<Map<String, Value>>,
    /// R4-R6 at exit.
    #[serde(default)]
    #[schema(value_type = Option<EmploymentEducationPatch>)]
    pub employment_education: Option<Map<String, Value>>,
}

impl ExitRecords {
    /// Each record with its collection and its path in the request.
    fn each(&self, enrollment: EnrollmentId) -> Vec<(Collection, String, &Map<String, Value>)> {
        let base = format!("records.{enrollment}");
        let mut found = Vec::new();
        let single = [
            (Collection::IncomeBenefits, &self.income_benefits),
            (Collection::HealthAndDv, &self.health_and_dv),
            (Collection::EmploymentEducation, &self.employment_education),
        ];
        for (collection, record) in single {
            if let Some(record) = record {
                found.push((collection, format!("{base}.{}", collection.name()), record));
            }
        }
        for (index, record) in self.disabilities.iter().flatten().enumerate() {
            found.push((
                Collection::Disabilities,
                format!("{base}.disabilities[{index}]"),
                record,
            ));
        }
        found
    }
}

/// Every record of the body, read, with every problem.
fn read_records(
    records: &Option<BTreeMap<EnrollmentId, ExitRecords>>,
) -> (ExitRecordsByEnrollment, Vec<FieldError>) {
    let mut read = BTreeMap::new();
    let mut errors = Vec::new();
    for (enrollment, records) in records.iter().flatten() {
        let mut of_enrollment = Vec::new();
        for (collection, path, object) in records.each(*enrollment) {
            let (fields, mut problems) = exit_record(collection, object, &path);
            errors.append(&mut problems);
            of_enrollment.push((collection, fields));
        }
        read.insert(*enrollment, of_enrollment);
    }
    (read, errors)
}

impl ExitBody {
    fn destinations(&self) -> impl Iterator<Item = Destination> + '_ {
        std::iter::once(self.destination).chain(
            self.member_destinations
                .iter()
                .flat_map(|members| members.values().copied()),
        )
    }
}

impl CheckBody for ExitBody {
    fn check(&self) -> Vec<FieldError> {
        let destinations: Vec<Destination> = self.destinations().collect();
        let mut errors = check_exit_destinations(
            &destinations,
            self.destination_subsidy_type,
            self.other_destination.as_ref().map(Text::as_str),
        );
        errors.extend(read_records(&self.records).1);
        if self.member_destinations.is_some() && !self.household {
            errors.push(FieldError::new(
                "member_destinations",
                "not_allowed",
                "member_destinations goes with household: true",
            ));
        }
        errors
    }
}

pub(super) fn exit_entry(doc: &Described) -> Entry {
    let refused = "`enrollment.already_exited`, `exit.before_entry` or `household.members_active` \
(the head leaves last unless the whole household exits), `enrollment.dependents_outside_period` \
(a record dated after the exit date), `record.stage_duplicate` (two exit records of a kind for one \
enrollment)";
    let entry = doc.change_of_item(
        "exit_enrollment",
        "Exit an enrollment, alone or with the whole household.",
    );
    lifecycle_responses(entry.json_body::<ExitEnrollment>(), "exited", refused)
}

pub(super) fn reopen_entry(doc: &Described) -> Entry {
    let refused = "`enrollment.not_exited`, `enrollment.overlap`, `program.at_capacity`, \
`household.client_duplicate` or `household.members_active` (reopen the head first)";
    let entry = doc.change_of_item(
        "reopen_enrollment",
        "Undo an exit: the enrollment is active again.",
    );
    lifecycle_responses(entry, "reopened", refused)
}

/// What an exit or a reopening answers: the enrollment as it is now, or why not.
fn lifecycle_responses(entry: Entry, done: &str, refused: &str) -> Entry {
    entry
        .json::<EnrollmentView>(
            "200",
            &format!("The {done} enrollment"),
            &[("ETag", "The new version")],
        )
        .status("404", NOT_FOUND)
        .status("409", refused)
        .precondition_failed()
}

/// An exit undone, answered with the enrollment as it then reads (its household's
/// completeness with it), in the reopening's transaction.
pub fn reopen_enrollment(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &Reopen,
) -> Result<EnrollmentRead, ApiError> {
    let row = lifecycle::reopen(conn, caller, input)?;
    completeness::answer(conn, &caller.sight(), row, &[], input.dry_run)
}

/// The exit a body asks for.
fn leaving(body: ExitEnrollment) -> Leaving {
    let hud = body.hud.changes();
    let body = body.own;
    Leaving {
        exit_date: body.exit_date.0,
        destination: body.destination,
        destination_subsidy_type: body.destination_subsidy_type,
        other_destination: body.other_destination.map(Text::into_string),
        household: body.household,
        member_destinations: body.member_destinations,
        records: read_records(&body.records).0,
        hud,
    }
}

pub async fn exit_enrollment(
    state: web::Data<AppState>,
    write: VersionedWrite<EnrollmentKey>,
    Idempotent(body, key): Idempotent<ExitEnrollment>,
) -> Result<HttpResponse, ApiError> {
    let VersionedWrite { caller, write } = write;
    let input = write.with(leaving(body));
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let exited = lifecycle::exit(conn, &caller, &input)?;
            let read = completeness::answer(
                conn,
                &caller.sight(),
                exited.enrollment,
                &exited.others,
                input.dry_run,
            )?;
            let view = EnrollmentView::new(&read)?;
            if input.dry_run {
                // What would be stored, with the version it would have.
                let mut reply = Reply::dry_run(&view)?;
                reply.etag = Some(etag(read.tag()));
                return Ok(reply);
            }
            Reply::ok(&view, read.tag())
        })
        .await
}

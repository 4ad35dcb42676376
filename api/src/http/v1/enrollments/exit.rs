use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use threshold_domain::codes::{Destination, RentalSubsidyType};
use threshold_domain::lifecycle::check_exit_destinations;
use threshold_domain::FieldError;
use threshold_persistence::ids::EnrollmentId;
use utoipa::ToSchema;

use super::{EnrollmentView, NOT_FOUND};
use crate::error::ApiError;
use crate::http::codes;
use crate::http::etag::etag;
use crate::http::extract::CheckBody;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::operations::entry::Entry;
use crate::http::operations::Described;
use crate::http::state::AppState;
use crate::http::v1::common::{NotFuture, Text, VersionedWrite};
use crate::usecases::lifecycle::{self, Leaving};
use crate::usecases::EnrollmentKey;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"exit_date": "2026-01-15", "destination": 435,
                          "destination_subsidy_type": 431, "household": true}))]
pub struct ExitEnrollment {
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
}

impl ExitEnrollment {
    fn destinations(&self) -> impl Iterator<Item = Destination> + '_ {
        std::iter::once(self.destination).chain(
            self.member_destinations
                .iter()
                .flat_map(|members| members.values().copied()),
        )
    }
}

impl CheckBody for ExitEnrollment {
    fn check(&self) -> Vec<FieldError> {
        let destinations: Vec<Destination> = self.destinations().collect();
        let mut errors = check_exit_destinations(
            &destinations,
            self.destination_subsidy_type,
            self.other_destination.as_ref().map(Text::as_str),
        );
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
(a record dated after the exit date)";
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

/// The exit a body asks for.
fn leaving(body: ExitEnrollment) -> Leaving {
    Leaving {
        exit_date: body.exit_date.0,
        destination: body.destination,
        destination_subsidy_type: body.destination_subsidy_type,
        other_destination: body.other_destination.map(Text::into_string),
        household: body.household,
        member_destinations: body.member_destinations,
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
            let row = lifecycle::exit(conn, &caller, &input)?.enrollment;
            let view = EnrollmentView::from_row(&row)?;
            if input.dry_run {
                // What would be stored, with the version it would have.
                let mut reply = Reply::dry_run(&view)?;
                reply.etag = Some(etag(row.version));
                return Ok(reply);
            }
            Reply::ok(&view, row.version)
        })
        .await
}

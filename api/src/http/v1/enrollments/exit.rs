use std::collections::BTreeMap;

use actix_web::{delete, post, web, HttpResponse};
use serde::Deserialize;
use threshold_domain::codes::{Destination, RentalSubsidyType};
use threshold_domain::lifecycle::check_exit_destinations;
use threshold_domain::FieldError;
use threshold_persistence::ids::EnrollmentId;
use utoipa::ToSchema;

use super::EnrollmentView;
use crate::error::ApiError;
use crate::http::etag::{etag, tagged_ok, IfMatchParam};
use crate::http::extract::CheckBody;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, EnrollmentPath, NotFuture, Text, VersionedWrite};
use crate::usecases::lifecycle::{self, Exit, Reopen};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"exit_date": "2026-01-15", "destination": 435,
                          "destination_subsidy_type": 431, "household": true}))]
pub struct ExitEnrollment {
    /// Not in the future, not before the entry date.
    #[schema(value_type = String, format = Date)]
    pub exit_date: NotFuture,
    /// HUD 3.12.
    #[schema(value_type = i32)]
    pub destination: Destination,
    /// HUD 3.12.A: required when a destination is 435 (rental with ongoing subsidy), and
    /// only then.
    #[serde(default)]
    #[schema(value_type = Option<i32>)]
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
    #[schema(value_type = Option<BTreeMap<Uuid, i32>>)]
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

/// Exit an enrollment, alone or with the whole household.
#[utoipa::path(
    tag = "enrollments",
    operation_id = "exit_enrollment",
    params(EnrollmentPath, IfMatchParam, DryRun),
    request_body = ExitEnrollment,
    responses(
        (status = 200, description = "The exited enrollment", body = EnrollmentView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such enrollment, or another organization's"),
        (status = 409, description = "`enrollment.already_exited`, `exit.before_entry` or \
`household.members_active` (the head leaves last unless the whole household exits), \
`enrollment.dependents_outside_period` (a record dated after the exit date)"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[post("/clients/{client_id}/enrollments/{enrollment_id}/exit")]
pub async fn exit_enrollment(
    state: web::Data<AppState>,
    write: VersionedWrite<EnrollmentPath>,
    Idempotent(body, key): Idempotent<ExitEnrollment>,
) -> Result<HttpResponse, ApiError> {
    let input = Exit {
        client_id: write.path.client_id,
        enrollment_id: write.path.enrollment_id,
        expected: write.expected,
        exit_date: body.exit_date.0,
        destination: body.destination,
        destination_subsidy_type: body.destination_subsidy_type,
        other_destination: body.other_destination.map(Text::into_string),
        household: body.household,
        member_destinations: body.member_destinations,
        dry_run: write.dry_run,
    };
    let sub = write.caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let row = lifecycle::exit(conn, &write.caller, &input)?.enrollment;
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

/// Undo an exit: the enrollment is active again.
#[utoipa::path(
    tag = "enrollments",
    operation_id = "reopen_enrollment",
    params(EnrollmentPath, IfMatchParam, DryRun),
    responses(
        (status = 200, description = "The reopened enrollment", body = EnrollmentView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such enrollment, or another organization's"),
        (status = 409, description = "`enrollment.not_exited`, `enrollment.overlap`, \
`program.at_capacity`, `household.client_duplicate` or `household.members_active` (reopen \
the head first)"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}/enrollments/{enrollment_id}/exit")]
pub async fn reopen_enrollment(
    state: web::Data<AppState>,
    write: VersionedWrite<EnrollmentPath>,
) -> Result<HttpResponse, ApiError> {
    let input = Reopen {
        client_id: write.path.client_id,
        enrollment_id: write.path.enrollment_id,
        expected: write.expected,
        dry_run: write.dry_run,
    };
    let row = state
        .write(move |conn| lifecycle::reopen(conn, &write.caller, &input))
        .await?;
    Ok(tagged_ok(row.version, &EnrollmentView::from_row(&row)?))
}

use std::collections::BTreeMap;

use actix_web::{delete, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use threshold_domain::codes::{Destination, RentalSubsidyType};
use threshold_domain::lifecycle::{
    check_exit_destinations, check_records_kept, exit, leaving, reopen, ReopenContext,
};
use threshold_domain::FieldError;
use threshold_domain::Violations;
use threshold_persistence::reference::{program, program_facts};
use threshold_persistence::rows::Stamped;
use threshold_persistence::{enrollments, records};
use utoipa::ToSchema;
use uuid::Uuid;

use super::EnrollmentView;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::{etag, tagged, IfMatch};
use crate::http::extract::CheckBody;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NotFuture, Text};
use crate::ids::{id_text, parse_stored_id};
use crate::usecases::visibility::visible_enrollment;

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
    pub member_destinations: Option<BTreeMap<Uuid, Destination>>,
}

impl ExitEnrollment {
    fn destinations(&self) -> impl Iterator<Item = Destination> + '_ {
        std::iter::once(self.destination).chain(
            self.member_destinations
                .iter()
                .flat_map(|members| members.values().copied()),
        )
    }

    /// The destination of one leaving enrollment.
    fn destination_of(&self, enrollment_id: Uuid) -> Destination {
        self.member_destinations
            .as_ref()
            .and_then(|members| members.get(&enrollment_id).copied())
            .unwrap_or(self.destination)
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
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
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
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<ExitEnrollment>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let target = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            if_match.check(target.version)?;
            let members = enrollments::household_members(conn, &target.household_id)?;
            if let Some(named) = &body.member_destinations {
                let unknown: Vec<FieldError> = named
                    .keys()
                    .filter(|id| !members.iter().any(|member| member.id == id_text(**id)))
                    .map(|id| {
                        FieldError::new(
                            format!("member_destinations.{id}"),
                            "reference.not_found",
                            "not a member of this household",
                        )
                    })
                    .collect();
                ApiError::check_fields(unknown)?;
            }
            let others = members
                .iter()
                .filter(|member| member.id != target.id)
                .map(enrollments::facts)
                .collect::<Result<Vec<_>, _>>()?;
            let target_facts = enrollments::facts(&target)?;
            let exited = exit(&target_facts, &others, body.exit_date.0, body.household);
            // Whoever would leave must keep their records inside the shortened stay.
            let mut kept_inside = Vec::new();
            for member in leaving(&target_facts, &others, body.household) {
                kept_inside.push(check_records_kept(
                    member,
                    body.exit_date.0,
                    &records::dependents(conn, &id_text(member.id))?,
                ));
            }
            Violations::merge(kept_inside.into_iter().chain([exited.clone().map(|_| ())]))?;
            let leaving = exited?;
            let at = now();
            let mut exited_target = None;
            for member in &members {
                let id = parse_stored_id(&member.id)?;
                if !leaving.contains(&id) {
                    continue;
                }
                let destination = body.destination_of(id);
                let mut row = member.clone();
                row.exit_date = Some(body.exit_date.0.naive());
                row.destination = Some(destination.code());
                row.destination_subsidy_type = body
                    .destination_subsidy_type
                    .filter(|_| destination.asks_subsidy_type())
                    .map(|code| code.code());
                row.other_destination = body
                    .other_destination
                    .as_ref()
                    .filter(|_| destination.asks_other_text())
                    .map(|text| text.as_str().to_owned());
                row.auto_exited = false;
                row.exited_by = Some(caller.sub.clone());
                row.exited_at = Some(at);
                row.stamp(at, &caller.sub);
                if !dry_run {
                    enrollments::update(conn, &mut row)?;
                }
                if row.id == target.id {
                    exited_target = Some(row);
                }
            }
            let row = exited_target
                .ok_or_else(|| ApiError::Internal("the exited enrollment went missing".into()))?;
            let view = EnrollmentView::from_row(&row)?;
            if dry_run {
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
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
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
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let mut row = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            if_match.check(row.version)?;
            let program = program::find(conn, &row.program_id)?
                .ok_or_else(|| ApiError::Internal("enrollment without program".into()))?;
            let client_enrollments =
                enrollments::client_facts_in_program(conn, &row.client_id, &row.program_id)?;
            let household_others = enrollments::household_members(conn, &row.household_id)?
                .iter()
                .filter(|member| member.id != row.id)
                .map(enrollments::facts)
                .collect::<Result<Vec<_>, _>>()?;
            let active_in_program = enrollments::count_active_in_program(conn, &row.program_id)?;
            reopen(
                &enrollments::facts(&row)?,
                &ReopenContext {
                    program: &program_facts(&program)?,
                    client_enrollments_in_program: &client_enrollments,
                    household_others: &household_others,
                    active_in_program,
                },
            )?;
            row.exit_date = None;
            row.destination = None;
            row.destination_subsidy_type = None;
            row.other_destination = None;
            row.auto_exited = false;
            row.exited_by = None;
            row.exited_at = None;
            row.stamp(now(), &caller.sub);
            if !dry_run {
                enrollments::update(conn, &mut row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &EnrollmentView::from_row(&row)?,
    ))
}

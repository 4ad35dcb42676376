use actix_web::{delete, get, patch, web, HttpRequest, HttpResponse};
use threshold_domain::enrollment::{edit, EditContext};
use threshold_domain::lifecycle::check_delete;
use threshold_domain::records::check_dependents;
use threshold_domain::Violations;
use threshold_persistence::reference::{program, program_facts};
use threshold_persistence::rows::Stamped;
use threshold_persistence::{clients, enrollments, records};
use uuid::Uuid;

use super::create::{check_case_manager, grant_of};
use super::{EnrollmentView, UpdateEnrollment};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::ValidJson;
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery};
use crate::ids::id_text;
use crate::usecases::visibility::visible_enrollment;

/// Get one enrollment.
#[utoipa::path(
    tag = "enrollments",
    operation_id = "get_enrollment",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
    ),
    responses(
        (status = 200, description = "The enrollment", body = EnrollmentView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such enrollment, or another organization's"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}")]
pub async fn get_enrollment(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let row = state
        .read(move |conn| visible_enrollment(conn, &caller, client_id, enrollment_id))
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &EnrollmentView::from_row(&row)?,
    ))
}

/// Change an enrollment (JSON Merge Patch); every rule the changed fields touch is checked
/// again.
#[utoipa::path(
    tag = "enrollments",
    operation_id = "update_enrollment",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateEnrollment, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed enrollment", body = EnrollmentView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such enrollment, or another organization's"),
        (status = 409, description = "An enrollment rule is broken: `program.not_operating`, \
`grant.program_mismatch`, `grant.not_active`, `enrollment.overlap`, `enrollment.before_birth`, \
`enrollment.move_in_invalid`, `household.head_exists`, `household.member_before_head`, \
`household.members_active`, `exit.before_entry`, `enrollment.dependents_outside_period`"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/clients/{client_id}/enrollments/{enrollment_id}")]
pub async fn update_enrollment(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateEnrollment>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let current = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            if_match.check(current.version)?;
            let body = body.clone();
            let mut next = current.clone();
            if let Some(entry_date) = body.entry_date.as_value() {
                next.entry_date = entry_date.0.naive();
            }
            next.grant_id = body.grant_id.apply_with(current.grant_id.clone(), id_text);
            next.case_manager_id = body
                .case_manager_id
                .apply_with(current.case_manager_id.clone(), id_text);
            if let Some(relationship) = body.relationship_to_hoh.as_value() {
                next.relationship_to_hoh = relationship.code();
            }
            next.enrollment_coc = body
                .enrollment_coc
                .apply_with(current.enrollment_coc.clone(), |coc| {
                    coc.as_str().to_owned()
                });
            next.disabling_condition = body
                .disabling_condition
                .apply_with(current.disabling_condition, |code| code.code());
            next.prior_living_situation = body
                .prior_living_situation
                .apply_with(current.prior_living_situation, |code| code.code());
            next.length_of_stay = body
                .length_of_stay
                .apply_with(current.length_of_stay, |code| code.code());
            next.move_in_date = body
                .move_in_date
                .apply_with(current.move_in_date, |date| date.0.naive());

            let program = program::find(conn, &current.program_id)?
                .ok_or_else(|| ApiError::Internal("enrollment without program".into()))?;
            let grant_changed = next.grant_id != current.grant_id;
            let grant = grant_of(conn, next.grant_id.as_deref())?;
            if next.case_manager_id != current.case_manager_id {
                check_case_manager(
                    conn,
                    next.case_manager_id.as_deref(),
                    &program.organization_id,
                )?;
            }
            let client = clients::find(conn, &current.client_id)?;
            let others: Vec<_> = enrollments::client_facts_in_program(
                conn,
                &current.client_id,
                &current.program_id,
            )?
            .into_iter()
            .filter(|other| id_text(other.id) != current.id)
            .collect();
            let household_others: Vec<_> =
                enrollments::household_members(conn, &current.household_id)?
                    .iter()
                    .filter(|member| member.id != current.id)
                    .map(enrollments::facts)
                    .collect::<Result<_, _>>()?;
            let next_facts = enrollments::facts(&next)?;
            let edited = edit(
                &enrollments::facts(&current)?,
                &next_facts,
                &EditContext {
                    program: &program_facts(&program)?,
                    grant: grant.as_ref(),
                    grant_changed,
                    client_dob: client.and_then(|client| client.dob).map(Into::into),
                    client_enrollments_in_program: &others,
                    household_others: &household_others,
                },
            );
            let dependents = if next.entry_date == current.entry_date {
                Ok(())
            } else {
                check_dependents(&next_facts.period, &records::dependents(conn, &current.id)?)
            };
            Violations::merge([edited, dependents])?;
            next.stamp(now(), &caller.sub);
            if !dry_run {
                enrollments::update(conn, &mut next)?;
            }
            Ok(next)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &EnrollmentView::from_row(&row)?,
    ))
}

/// Delete an enrollment (soft: kept for audit and the HMIS export, gone from every read).
#[utoipa::path(
    tag = "enrollments",
    operation_id = "delete_enrollment",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    responses(
        (status = 204, description = "Deleted, with its services, goals, action steps and \
follow-ups; its assessments are unlinked and stay with the client"),
        (status = 404, description = "No such enrollment, or another organization's"),
        (status = 409, description = "`household.members_active`: a head with active members"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}/enrollments/{enrollment_id}")]
pub async fn delete_enrollment(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    state
        .write(move |conn| {
            let mut row = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            if_match.check(row.version)?;
            let household_others = enrollments::household_members(conn, &row.household_id)?
                .iter()
                .filter(|member| member.id != row.id)
                .map(enrollments::facts)
                .collect::<Result<Vec<_>, _>>()?;
            check_delete(&enrollments::facts(&row)?, &household_others)?;
            let at = now();
            row.stamp(at, &caller.sub);
            if !dry_run {
                row.deleted_at = Some(at);
                enrollments::update(conn, &mut row)?;
                records::cascade_delete(conn, &row.id, at, &caller.sub)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

use actix_web::{post, web, HttpResponse};
use threshold_domain::enrollment::{enroll, EnrollContext, GrantFacts};
use threshold_domain::records::link_assessment;
use threshold_domain::{new_id, FieldError, Violations};
use threshold_persistence::records::{assessment, follow_up};
use threshold_persistence::reference::{grant, grant_facts, program, program_facts, user};
use threshold_persistence::rows::{EnrollmentRow, HouseholdRow, ProgramRow};
use threshold_persistence::{clients, enrollments, households, DbConnection};
use uuid::Uuid;

use super::{CreateEnrollment, EnrollmentView};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::state::AppState;
use crate::http::v1::common::DryRun;
use crate::ids::id_text;
use crate::usecases::assessments::{assessment_facts, link};
use crate::usecases::follow_ups::{check_new_follow_up, new_follow_up_row};

/// The program an enrollment is in, which the caller must be allowed to write to.
pub(super) fn writable_program(
    conn: &mut DbConnection,
    caller: &Caller,
    program_id: &str,
) -> Result<ProgramRow, ApiError> {
    let row = program::find(conn, program_id)?
        .ok_or_else(|| ApiError::unknown_reference("program_id", "no such program"))?;
    if !caller.sees(&row.organization_id) {
        return Err(ApiError::Forbidden);
    }
    Ok(row)
}

pub(super) fn grant_of(
    conn: &mut DbConnection,
    grant_id: Option<&str>,
) -> Result<Option<GrantFacts>, ApiError> {
    let Some(grant_id) = grant_id else {
        return Ok(None);
    };
    let row = grant::find(conn, grant_id)?
        .ok_or_else(|| ApiError::unknown_reference("grant_id", "no such grant"))?;
    Ok(Some(grant_facts(&row)?))
}

/// A case manager must be staff of the program's organization.
pub(super) fn check_case_manager(
    conn: &mut DbConnection,
    case_manager_id: Option<&str>,
    organization_id: &str,
) -> Result<(), ApiError> {
    if let Some(case_manager_id) = case_manager_id {
        let found =
            user::find(conn, case_manager_id)?.filter(|row| row.organization_id == organization_id);
        if found.is_none() {
            return Err(ApiError::unknown_reference(
                "case_manager_id",
                "no such user in the program's organization",
            ));
        }
    }
    Ok(())
}

/// Add an enrollment.
#[utoipa::path(
    tag = "enrollments",
    operation_id = "create_enrollment",
    params(("client_id" = Uuid, Path, description = "The client's ID"), DryRun),
    request_body = CreateEnrollment,
    responses(
        (status = 201, description = "Created", body = EnrollmentView,
            headers(("Location" = String, description = "The new enrollment's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = EnrollmentView),
        (status = 404, description = "No such client"),
        (status = 409, description = "An enrollment rule is broken: `program.not_operating`, \
`grant.program_mismatch`, `grant.not_active`, `enrollment.overlap`, `enrollment.before_birth`, \
`program.at_capacity`, `enrollment.move_in_invalid`, `household.head_required`, \
`household.head_exists`, `household.program_mismatch`, `household.member_before_head`, \
`household.client_duplicate`, and for `assessment_ids` and `follow_ups`: \
`assessment.client_mismatch`, `assessment.already_linked`, `assessment.outside_enrollment`, \
`enrollment.dependents_outside_period`"),
    ),
    security(("bearer" = []))
)]
#[post("/clients/{client_id}/enrollments")]
pub async fn create_enrollment(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<Uuid>,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateEnrollment>,
) -> Result<HttpResponse, ApiError> {
    let client_uuid = path.into_inner();
    let client_id = id_text(client_uuid);
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let client = clients::find(conn, &client_id)?.ok_or(ApiError::NotFound)?;
            let program = writable_program(conn, &caller, &id_text(body.program_id))?;
            let grant = grant_of(conn, body.grant_id.map(id_text).as_deref())?;
            check_case_manager(
                conn,
                body.case_manager_id.map(id_text).as_deref(),
                &program.organization_id,
            )?;
            let household_row = match body.household_id {
                Some(household_id) => Some(
                    households::find(conn, &id_text(household_id))?
                        .filter(|row| {
                            program::find(conn, &row.program_id)
                                .ok()
                                .flatten()
                                .is_some_and(|owner| caller.sees(&owner.organization_id))
                        })
                        .ok_or_else(|| {
                            ApiError::unknown_reference("household_id", "no such household")
                        })?,
                ),
                None => None,
            };
            let household = household_row
                .as_ref()
                .map(|row| households::load(conn, row))
                .transpose()?;
            let new = body.as_new(client_uuid);
            let client_enrollments =
                enrollments::client_facts_in_program(conn, &client_id, &program.id)?;
            // Counted only when there is a capacity to compare the count with.
            let active_in_program = match program.capacity {
                Some(_) => enrollments::count_active_in_program(conn, &program.id)?,
                None => 0,
            };
            let enrolled = enroll(
                &new,
                &EnrollContext {
                    program: &program_facts(&program)?,
                    grant: grant.as_ref(),
                    client_dob: client.dob.map(Into::into),
                    client_enrollments_in_program: &client_enrollments,
                    active_in_program,
                    household: household.as_ref(),
                },
            );
            let at = now();
            let household_id = household_row
                .as_ref()
                .map_or_else(|| id_text(new_id()), |row| row.id.clone());
            let mut row = EnrollmentRow {
                id: id_text(new_id()),
                client_id: client_id.clone(),
                program_id: program.id.clone(),
                household_id,
                relationship_to_hoh: body.relationship_to_hoh.code(),
                entry_date: body.entry_date.0.naive(),
                exit_date: None,
                destination: None,
                destination_subsidy_type: None,
                other_destination: None,
                auto_exited: false,
                exited_by: None,
                exited_at: None,
                grant_id: body.grant_id.map(id_text),
                case_manager_id: body.case_manager_id.map(id_text),
                enrollment_coc: body
                    .enrollment_coc
                    .as_ref()
                    .map(|coc| coc.as_str().to_owned()),
                disabling_condition: body.disabling_condition.map(|code| code.code()),
                prior_living_situation: body.prior_living_situation.map(|code| code.code()),
                length_of_stay: body.length_of_stay.map(|code| code.code()),
                move_in_date: body.move_in_date.map(|date| date.0.naive()),
                version: 1,
                created_at: at,
                updated_at: at,
                created_by: caller.sub.clone(),
                updated_by: caller.sub.clone(),
                deleted_at: None,
            };
            // Every rule of the enrollment, its assessments and its follow-ups is checked
            // before anything is written, so one answer lists every problem.
            let facts = enrollments::facts(&row)?;
            let mut checks = vec![enrolled];
            let mut invalid = Vec::new();
            for (index, assessment_id) in body.assessment_ids.iter().enumerate() {
                let within = format!("assessment_ids[{index}]");
                match assessment::find(conn, &id_text(*assessment_id))? {
                    Some(found) => checks.push(
                        link_assessment(&assessment_facts(&found)?, &facts)
                            .map_err(|violations| violations.within(&within)),
                    ),
                    None => invalid.push(FieldError::new(
                        within,
                        "reference.not_found",
                        format!("no such assessment {assessment_id}"),
                    )),
                }
            }
            for (index, follow_up) in body.follow_ups.iter().enumerate() {
                match check_new_follow_up(conn, &row, follow_up.due_date, follow_up.assigned_to)
                    .map_err(|error| error.within(&format!("follow_ups[{index}]")))
                {
                    Err(ApiError::Invalid(errors)) => invalid.extend(errors),
                    Err(ApiError::Conflict(violations)) => checks.push(Err(violations)),
                    other => other?,
                }
            }
            ApiError::check_fields(invalid)?;
            Violations::merge(checks)?;
            if !dry_run {
                if household_row.is_none() {
                    households::insert(
                        conn,
                        &HouseholdRow {
                            id: row.household_id.clone(),
                            program_id: program.id.clone(),
                            created_at: at,
                            created_by: caller.sub.clone(),
                        },
                    )?;
                }
                enrollments::insert(conn, &mut row)?;
                for assessment_id in &body.assessment_ids {
                    link(conn, *assessment_id, &row, &caller.sub, false)?;
                }
                for follow_up in &body.follow_ups {
                    follow_up::insert(
                        conn,
                        &new_follow_up_row(
                            &row,
                            follow_up.reason.as_str(),
                            follow_up.due_date,
                            follow_up.assigned_to,
                            &caller.sub,
                        ),
                    )?;
                }
            }
            let view = EnrollmentView::from_row(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            Reply::created(
                &view,
                format!("/v1/clients/{}/enrollments/{}", row.client_id, row.id),
                row.version,
            )
        })
        .await
}

use actix_web::{web, HttpResponse};
use threshold_persistence::ids::ClientId;

use threshold_domain::hud_fields::FieldChanges;

use super::{CreateEnrollment, EnrollmentBody, EnrollmentView};
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::Tagged;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::state::AppState;
use crate::http::v1::common::DryRun;
use crate::usecases::completeness;
use crate::usecases::enroll::{enroll, Enroll, FirstFollowUp};

impl EnrollmentBody {
    fn into_input(self, hud: FieldChanges, client_id: ClientId, dry_run: bool) -> Enroll {
        Enroll {
            client_id,
            program_id: self.program_id,
            relationship: self.relationship_to_hoh,
            entry_date: self.entry_date.0,
            household_id: self.household_id,
            grant_id: self.grant_id,
            case_manager_id: self.case_manager_id,
            enrollment_coc: self.enrollment_coc,
            disabling_condition: self.disabling_condition,
            prior_living_situation: self.prior_living_situation,
            length_of_stay: self.length_of_stay,
            move_in_date: self.move_in_date.map(|date| date.0),
            assessment_ids: self.assessment_ids,
            follow_ups: self
                .follow_ups
                .into_iter()
                .map(|follow_up| FirstFollowUp {
                    reason: follow_up.reason.into_string(),
                    due_date: follow_up.due_date,
                    assigned_to: follow_up.assigned_to,
                })
                .collect(),
            hud,
            dry_run,
        }
    }
}

pub async fn create_enrollment(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<ClientId>,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateEnrollment>,
) -> Result<HttpResponse, ApiError> {
    let hud = body.hud.changes();
    let input = body.own.into_input(hud, path.into_inner(), query.dry_run);
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let row = enroll(conn, &caller, &input)?;
            let location = format!("/v1/clients/{}/enrollments/{}", row.client_id, row.id);
            let read = completeness::answer(conn, &caller.sight(), row, &[], input.dry_run)?;
            let view = EnrollmentView::new(&read)?;
            Reply::created_unless_dry_run(input.dry_run, &view, location, read.tag())
        })
        .await
}

use actix_web::{web, HttpResponse};

use super::{EnrollmentView, UpdateEnrollment};
use crate::error::ApiError;
use crate::http::etag::tagged_ok;
use crate::http::extract::ValidJson;
use crate::http::state::AppState;
use crate::http::v1::common::{EnrollmentPath, Lookup, VersionedWrite};
use crate::usecases::enrollments::{self, DeleteEnrollment, EditEnrollment};
use crate::usecases::visibility::visible_enrollment;
use crate::usecases::Change;

pub async fn get_enrollment(
    state: web::Data<AppState>,
    read: Lookup<EnrollmentPath>,
) -> Result<HttpResponse, ApiError> {
    let Lookup { caller, path } = read;
    let row = state
        .read(move |conn| visible_enrollment(conn, &caller, path.client_id, path.enrollment_id))
        .await?;
    Ok(tagged_ok(row.version, &EnrollmentView::from_row(&row)?))
}

pub async fn update_enrollment(
    state: web::Data<AppState>,
    write: VersionedWrite<EnrollmentPath>,
    ValidJson(body): ValidJson<UpdateEnrollment>,
) -> Result<HttpResponse, ApiError> {
    let input = EditEnrollment {
        client_id: write.path.client_id,
        enrollment_id: write.path.enrollment_id,
        expected: write.expected,
        entry_date: body.entry_date.as_value().map(|date| date.0),
        relationship: body.relationship_to_hoh.as_value().copied(),
        grant_id: body.grant_id.into(),
        case_manager_id: body.case_manager_id.into(),
        enrollment_coc: body.enrollment_coc.into(),
        disabling_condition: body.disabling_condition.into(),
        prior_living_situation: body.prior_living_situation.into(),
        length_of_stay: body.length_of_stay.into(),
        move_in_date: Change::from(body.move_in_date).map(|date| date.0),
        dry_run: write.dry_run,
    };
    let row = state.change(write.caller, input, enrollments::edit).await?;
    Ok(tagged_ok(row.version, &EnrollmentView::from_row(&row)?))
}

pub async fn delete_enrollment(
    state: web::Data<AppState>,
    write: VersionedWrite<EnrollmentPath>,
) -> Result<HttpResponse, ApiError> {
    let input = DeleteEnrollment {
        client_id: write.path.client_id,
        enrollment_id: write.path.enrollment_id,
        expected: write.expected,
        dry_run: write.dry_run,
    };
    state
        .change(write.caller, input, enrollments::delete)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

use actix_web::{web, HttpResponse};

use super::{EnrollmentView, UpdateEnrollment};
use crate::error::ApiError;
use crate::http::access_log::Viewer;
use crate::http::etag::tagged_ok;
use crate::http::state::AppState;
use crate::http::v1::common::Lookup;
use crate::usecases::enrollments::EnrollmentChange;
use crate::usecases::visibility::visible_enrollment;
use crate::usecases::{Change, EnrollmentKey};

pub async fn get_enrollment(
    state: web::Data<AppState>,
    read: Lookup<EnrollmentKey>,
) -> Result<HttpResponse, ApiError> {
    let Lookup { caller, path } = read;
    let viewer = Viewer::of(&caller);
    let row = state
        .read_short(move |conn| {
            visible_enrollment(conn, &caller, path.client_id, path.enrollment_id)
        })
        .await?;
    let response = tagged_ok(row.version, &EnrollmentView::from_row(&row)?);
    state.viewed(viewer, row.client_id, &row).await;
    Ok(response)
}

/// What a patch of an enrollment changes.
pub fn enrollment_change(body: UpdateEnrollment) -> EnrollmentChange {
    let hud = body.hud.changes();
    let body = body.own;
    EnrollmentChange {
        entry_date: body.entry_date.as_value().map(|date| date.0),
        relationship: body.relationship_to_hoh.as_value().copied(),
        grant_id: body.grant_id.into(),
        case_manager_id: body.case_manager_id.into(),
        enrollment_coc: body.enrollment_coc.into(),
        disabling_condition: body.disabling_condition.into(),
        prior_living_situation: body.prior_living_situation.into(),
        length_of_stay: body.length_of_stay.into(),
        move_in_date: Change::from(body.move_in_date).map(|date| date.0),
        hud,
    }
}

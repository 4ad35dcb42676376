use actix_web::{web, HttpResponse};
use threshold_persistence::DbConnection;

use super::{EnrollmentView, UpdateEnrollment};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::access_log::Viewer;
use crate::http::etag::{tagged_ok, Tagged};
use crate::http::state::AppState;
use crate::http::v1::common::Lookup;
use crate::usecases::completeness::{self, EnrollmentRead};
use crate::usecases::enrollments::{self, EditEnrollment, EnrollmentChange};
use crate::usecases::{Change, EnrollmentKey};

pub async fn get_enrollment(
    state: web::Data<AppState>,
    read: Lookup<EnrollmentKey>,
) -> Result<HttpResponse, ApiError> {
    let Lookup { caller, path } = read;
    let viewer = Viewer::of(&caller);
    let read = state
        .read_short(move |conn| {
            completeness::read_one(conn, &caller, path.client_id, path.enrollment_id)
        })
        .await?;
    let response = tagged_ok(read.tag(), &EnrollmentView::new(&read)?);
    state.viewed(viewer, read.row.client_id, &read.row).await;
    Ok(response)
}

/// A change to an enrollment, answered with the enrollment as it then reads (its
/// household's completeness with it), in the change's transaction.
pub fn edit_enrollment(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &EditEnrollment,
) -> Result<EnrollmentRead, ApiError> {
    let row = enrollments::edit(conn, caller, input)?;
    completeness::answer(conn, &caller.sight(), row, &[], input.dry_run)
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

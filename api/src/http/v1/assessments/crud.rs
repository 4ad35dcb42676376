use actix_web::{web, HttpResponse};
use threshold_domain::Date;
use threshold_persistence::clients;
use threshold_persistence::records::{self, AssessmentSearch};
use threshold_persistence::rows::AssessmentRow;
use threshold_persistence::DbConnection;

use super::{
    answers_of, results_of, AssessmentView, CreateAssessment, SearchAssessments, UpdateAssessment,
};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::access_log::Viewer;
use crate::http::auth::Writer;
use crate::http::etag::tagged_ok;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::pagination::Listing;
use crate::http::state::AppState;
use crate::http::v1::common::{ClientPath, DryRun, Lookup};
use crate::usecases::assessments::{self, AssessmentChange, NewAssessment};
use crate::usecases::{AssessmentKey, Change};

pub async fn create_assessment(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<ClientPath>,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateAssessment>,
) -> Result<HttpResponse, ApiError> {
    let input = NewAssessment {
        client_id: path.client_id,
        date: body.assessment_date.0,
        location: body.assessment_location.into_string(),
        assessment_type: body.assessment_type,
        level: body.assessment_level,
        prioritization_status: body.prioritization_status,
        answers: answers_of(body.answers),
        results: results_of(body.results),
        dry_run: query.dry_run,
    };
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let row = assessments::create(conn, &caller, &input)?;
            let location = format!("/v1/clients/{}/assessments/{}", row.client_id, row.id);
            let view = AssessmentView::from_row(&row)?;
            Reply::created_unless_dry_run(input.dry_run, &view, location, row.version)
        })
        .await
}

pub async fn list_assessments(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<ClientPath>,
    list: Listing<SearchAssessments>,
) -> Result<HttpResponse, ApiError> {
    let client_id = path.client_id;
    let search = AssessmentSearch {
        from: list.query.from.map(Date::naive),
        to: list.query.to.map(Date::naive),
        unlinked: list.query.unlinked,
    };
    let sight = caller.sight();
    let read = move |conn: &mut DbConnection, after, limit| {
        if !clients::exists(conn, &sight, client_id)? {
            return Err(ApiError::NotFound);
        }
        Ok(records::list_client_assessments(
            conn, &sight, client_id, &search, after, limit,
        )?)
    };
    let by_id = |row: &AssessmentRow| row.id;
    list.read_by_id(&state, read, by_id, AssessmentView::from_row)
        .await
}

pub async fn get_assessment(
    state: web::Data<AppState>,
    read: Lookup<AssessmentKey>,
) -> Result<HttpResponse, ApiError> {
    let AssessmentKey {
        client_id,
        assessment_id,
    } = read.path;
    let viewer = Viewer::of(&read.caller);
    let row = state
        .read_short(move |conn| {
            assessments::of_client(conn, &read.caller, client_id, assessment_id)
        })
        .await?;
    let response = tagged_ok(row.version, &AssessmentView::from_row(&row)?);
    state.viewed(viewer, row.client_id, &row).await;
    Ok(response)
}

/// What a patch of an assessment changes.
pub fn assessment_change(body: UpdateAssessment) -> AssessmentChange {
    AssessmentChange {
        date: body.assessment_date.as_value().map(|date| date.0),
        location: body
            .assessment_location
            .as_value()
            .map(|location| location.as_str().to_owned()),
        assessment_type: body.assessment_type.as_value().copied(),
        level: body.assessment_level.as_value().copied(),
        prioritization_status: body.prioritization_status.as_value().copied(),
        answers: Change::from(body.answers).map(answers_of),
        results: Change::from(body.results).map(results_of),
    }
}

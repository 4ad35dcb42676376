use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use threshold_domain::Date;
use threshold_persistence::clients;
use threshold_persistence::records::{self, AssessmentSearch};
use threshold_persistence::rows::AssessmentRow;
use threshold_persistence::DbConnection;

use super::{
    answers_of, AssessmentList, AssessmentView, CreateAssessment, SearchAssessments,
    UpdateAssessment,
};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::{tagged_ok, IfMatchParam};
use crate::http::extract::ValidJson;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::pagination::{read_page, PageRequest};
use crate::http::state::AppState;
use crate::http::v1::common::{AssessmentPath, ClientPath, DryRun, NoQuery, VersionedWrite};
use crate::usecases::assessments::{self, DeleteAssessment, EditAssessment, NewAssessment};
use crate::usecases::Change;

/// Record an assessment of a client.
#[utoipa::path(
    tag = "assessments",
    operation_id = "create_assessment",
    params(ClientPath, DryRun),
    request_body = CreateAssessment,
    responses(
        (status = 201, description = "Created", body = AssessmentView,
            headers(("Location" = String, description = "The new assessment's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = AssessmentView),
        (status = 404, description = "No such client"),
    ),
    security(("bearer" = []))
)]
#[post("/clients/{client_id}/assessments")]
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

/// Search a client's assessments.
#[utoipa::path(
    tag = "assessments",
    operation_id = "list_assessments",
    params(ClientPath, SearchAssessments),
    responses(
        (status = 200, description = "A page of assessments", body = AssessmentList),
        (status = 404, description = "No such client"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/assessments")]
pub async fn list_assessments(
    state: web::Data<AppState>,
    _caller: Caller,
    request: HttpRequest,
    path: web::Path<ClientPath>,
    query: web::Query<SearchAssessments>,
) -> Result<HttpResponse, ApiError> {
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let client_id = path.client_id;
    let search = AssessmentSearch {
        from: query.from.map(Date::naive),
        to: query.to.map(Date::naive),
        unlinked: query.unlinked,
    };
    let read = move |conn: &mut DbConnection, after, limit| {
        if !clients::exists(conn, client_id)? {
            return Err(ApiError::NotFound);
        }
        Ok(records::list_client_assessments(
            conn, client_id, &search, after, limit,
        )?)
    };
    let by_id = |row: &AssessmentRow| row.id;
    read_page(
        &state,
        &request,
        page,
        read,
        by_id,
        AssessmentView::from_row,
    )
    .await
}

/// Get an assessment.
#[utoipa::path(
    tag = "assessments",
    operation_id = "get_assessment",
    params(AssessmentPath),
    responses(
        (status = 200, description = "The assessment", body = AssessmentView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such assessment of this client"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/assessments/{assessment_id}")]
pub async fn get_assessment(
    state: web::Data<AppState>,
    _caller: Caller,
    path: web::Path<AssessmentPath>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let row = state
        .read(move |conn| assessments::of_client(conn, path.client_id, path.assessment_id))
        .await?;
    Ok(tagged_ok(row.version, &AssessmentView::from_row(&row)?))
}

/// Change an assessment (JSON Merge Patch). A linked assessment stays within its
/// enrollment's period.
#[utoipa::path(
    tag = "assessments",
    operation_id = "update_assessment",
    params(AssessmentPath, IfMatchParam, DryRun),
    request_body(content = UpdateAssessment, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed assessment", body = AssessmentView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such assessment of this client"),
        (status = 409, description = "`assessment.outside_enrollment`"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/clients/{client_id}/assessments/{assessment_id}")]
pub async fn update_assessment(
    state: web::Data<AppState>,
    write: VersionedWrite<AssessmentPath>,
    ValidJson(body): ValidJson<UpdateAssessment>,
) -> Result<HttpResponse, ApiError> {
    let input = EditAssessment {
        client_id: write.path.client_id,
        assessment_id: write.path.assessment_id,
        expected: write.expected,
        date: body.assessment_date.as_value().map(|date| date.0),
        location: body
            .assessment_location
            .as_value()
            .map(|location| location.as_str().to_owned()),
        assessment_type: body.assessment_type.as_value().copied(),
        level: body.assessment_level.as_value().copied(),
        prioritization_status: body.prioritization_status.as_value().copied(),
        answers: Change::from(body.answers).map(answers_of),
        dry_run: write.dry_run,
    };
    let row = state
        .write(move |conn| assessments::edit(conn, &write.caller, &input))
        .await?;
    Ok(tagged_ok(row.version, &AssessmentView::from_row(&row)?))
}

/// Delete an assessment (soft); a link to an enrollment goes with it.
#[utoipa::path(
    tag = "assessments",
    operation_id = "delete_assessment",
    params(AssessmentPath, IfMatchParam, DryRun),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such assessment of this client"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}/assessments/{assessment_id}")]
pub async fn delete_assessment(
    state: web::Data<AppState>,
    write: VersionedWrite<AssessmentPath>,
) -> Result<HttpResponse, ApiError> {
    let input = DeleteAssessment {
        client_id: write.path.client_id,
        assessment_id: write.path.assessment_id,
        expected: write.expected,
        dry_run: write.dry_run,
    };
    state
        .write(move |conn| assessments::delete(conn, &write.caller, &input))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

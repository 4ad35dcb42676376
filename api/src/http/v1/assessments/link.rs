use actix_web::{delete, get, put, web, HttpRequest, HttpResponse};
use threshold_persistence::ids::{AssessmentId, ClientId, EnrollmentId};
use threshold_persistence::records;
use threshold_persistence::rows::AssessmentRow;
use threshold_persistence::DbConnection;

use super::{AssessmentList, AssessmentView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::tagged_ok;
use crate::http::pagination::{read_page, PageQuery, PageRequest};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, EnrollmentPath, VersionedWrite};
use crate::usecases::assessments::{self, LinkAssessment, UnlinkAssessment};
use crate::usecases::visibility::visible_enrollment;

pub type ListLinkedAssessments = PageQuery;

/// The assessments linked to an enrollment.
#[utoipa::path(
    tag = "assessments",
    operation_id = "list_enrollment_assessments",
    params(EnrollmentPath, ListLinkedAssessments),
    responses(
        (status = 200, description = "A page of linked assessments", body = AssessmentList),
        (status = 404, description = "No such enrollment, or another organization's"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/assessments")]
pub async fn list_enrollment_assessments(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<EnrollmentPath>,
    query: web::Query<ListLinkedAssessments>,
) -> Result<HttpResponse, ApiError> {
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let read = move |conn: &mut DbConnection, after, limit| {
        let enrollment = visible_enrollment(conn, &caller, path.client_id, path.enrollment_id)?;
        Ok(records::list_linked_assessments(
            conn,
            enrollment.id,
            after,
            limit,
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

/// Link an existing assessment of the client to the enrollment.
#[utoipa::path(
    tag = "assessments",
    operation_id = "link_assessment",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("assessment_id" = Uuid, Path, description = "The assessment's ID"),
        DryRun,
    ),
    responses(
        (status = 200, description = "The linked assessment (linking again changes nothing)",
            body = AssessmentView, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such enrollment or assessment"),
        (status = 409, description = "`assessment.client_mismatch`, `assessment.already_linked` \
(to another enrollment) or `assessment.outside_enrollment`"),
    ),
    security(("bearer" = []))
)]
#[put("/clients/{client_id}/enrollments/{enrollment_id}/assessments/{assessment_id}")]
pub async fn link_enrollment_assessment(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<(ClientId, EnrollmentId, AssessmentId)>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, assessment_id) = path.into_inner();
    let input = LinkAssessment {
        client_id,
        enrollment_id,
        assessment_id,
        dry_run: query.dry_run,
    };
    let row = state
        .write(move |conn| assessments::link(conn, &caller, &input))
        .await?;
    Ok(tagged_ok(row.version, &AssessmentView::from_row(&row)?))
}

/// Unlink an assessment from the enrollment; it stays with the client.
#[utoipa::path(
    tag = "assessments",
    operation_id = "unlink_assessment",
    params(
        EnrollmentPath,
        ("assessment_id" = Uuid, Path, description = "The assessment's ID"),
        ("If-Match" = Option<String>, Header, description = "The assessment's ETag"),
        DryRun,
    ),
    responses(
        (status = 204, description = "Unlinked"),
        (status = 404, description = "No such enrollment, or the assessment is not linked to it"),
        (status = 412, description = "If-Match does not match the assessment's version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}/enrollments/{enrollment_id}/assessments/{assessment_id}")]
pub async fn unlink_enrollment_assessment(
    state: web::Data<AppState>,
    write: VersionedWrite<(ClientId, EnrollmentId, AssessmentId)>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, assessment_id) = write.path;
    let input = UnlinkAssessment {
        client_id,
        enrollment_id,
        assessment_id,
        expected: write.expected,
        dry_run: write.dry_run,
    };
    state
        .write(move |conn| assessments::unlink(conn, &write.caller, &input))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

use actix_web::{web, HttpResponse};
use threshold_persistence::ids::{AssessmentId, ClientId, EnrollmentId};
use threshold_persistence::records;
use threshold_persistence::rows::AssessmentRow;
use threshold_persistence::DbConnection;

use super::{AssessmentList, AssessmentView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::tagged_ok;
use crate::http::operations::entry::Entry;
use crate::http::pagination::{Listing, PageQuery};
use crate::http::state::AppState;
use crate::http::v1::common::DryRun;
use crate::usecases::assessments::{self, LinkAssessment};
use crate::usecases::visibility::visible_enrollment;
use crate::usecases::EnrollmentKey;

pub type ListLinkedAssessments = PageQuery;

/// The path of an enrollment's assessments.
const UNDER_ENROLLMENT: &[(&str, &str)] = &[
    ("client_id", "The client's ID"),
    ("enrollment_id", "The enrollment's ID"),
];
const ASSESSMENT: &[(&str, &str)] = &[("assessment_id", "The assessment's ID")];

pub(super) fn linked_entry() -> Entry {
    Entry::new(
        "assessments",
        "list_enrollment_assessments",
        "The assessments linked to an enrollment.",
    )
    .path(UNDER_ENROLLMENT)
    .query::<ListLinkedAssessments>()
    .json::<AssessmentList>("200", "A page of linked assessments", &[])
    .status("404", "No such enrollment, or another organization's")
}

pub(super) fn link_entry() -> Entry {
    Entry::new(
        "assessments",
        "link_assessment",
        "Link an existing assessment of the client to the enrollment.",
    )
    .path(UNDER_ENROLLMENT)
    .path(ASSESSMENT)
    .dry_run()
    .json::<AssessmentView>(
        "200",
        "The linked assessment (linking again changes nothing)",
        &[("ETag", "The version")],
    )
    .status("404", "No such enrollment or assessment")
    .status(
        "409",
        "`assessment.client_mismatch`, `assessment.already_linked` (to another enrollment) or \
         `assessment.outside_enrollment`",
    )
}

pub(super) fn unlink_entry() -> Entry {
    Entry::new(
        "assessments",
        "unlink_assessment",
        "Unlink an assessment from the enrollment; it stays with the client.",
    )
    .path(UNDER_ENROLLMENT)
    .path(ASSESSMENT)
    .if_match("The assessment's ETag")
    .dry_run()
    .status("204", "Unlinked")
    .status(
        "404",
        "No such enrollment, or the assessment is not linked to it",
    )
    .status("412", "If-Match does not match the assessment's version")
}

pub async fn list_enrollment_assessments(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<EnrollmentKey>,
    list: Listing<ListLinkedAssessments>,
) -> Result<HttpResponse, ApiError> {
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
    list.read_by_id(&state, read, by_id, AssessmentView::from_row)
        .await
}

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
    let row = state.change(caller, input, assessments::link).await?;
    Ok(tagged_ok(row.version, &AssessmentView::from_row(&row)?))
}

//! `/v1/clients/{client_id}/assessments`: Coordinated Entry assessments (HUD 4.19). They
//! belong to the client, and may be linked to one of the client's enrollments.

mod crud;
mod link;

pub use crud::*;
pub use link::*;

use serde::{Deserialize, Serialize};
use threshold_domain::codes::{AssessmentLevel, AssessmentType, PrioritizationStatus};
use threshold_domain::{Date, FieldError};
use threshold_persistence::ids::{AssessmentId, ClientId, EnrollmentId};
use threshold_persistence::rows::{AssessmentRow, StoredAnswer, StoredResult};
use utoipa::openapi::path::HttpMethod;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;
use crate::http::codes;
use crate::http::endpoints::Endpoints;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::operations::entry::query_of;
use crate::http::operations::Names;
use crate::http::v1::common::{Audit, NotFuture, Text, UNDER_CLIENT};
use crate::http::writes::{delete_through, update_through};
use crate::usecases::assessments::{self, AssessmentResult, QuestionAnswer};

/// The routes of a client's assessments, and of their links to enrollments, with their
/// OpenAPI entries: an assessment is documented as the generic resources are.
pub fn endpoints() -> Endpoints {
    let (endpoints, doc) =
        Endpoints::described::<AssessmentView, AssessmentList, CreateAssessment, UpdateAssessment>(
            Names::plain("assessments", "assessment"),
            &UNDER_CLIENT,
        );
    let (collection, item) = (doc.collection_path(), doc.item_path());
    let not_found = "No such assessment of this client";
    let update = "Change an assessment (JSON Merge Patch). A linked assessment stays within its\n\
                  enrollment's period.";
    let delete = "Delete an assessment (soft); a link to an enrollment goes with it.";
    let linked = "/clients/{client_id}/enrollments/{enrollment_id}/assessments";
    let link = "/clients/{client_id}/enrollments/{enrollment_id}/assessments/{assessment_id}";
    endpoints
        .route(
            HttpMethod::Post,
            &collection,
            create_assessment,
            doc.create("Record an assessment of a client.", None),
        )
        .route(
            HttpMethod::Get,
            &collection,
            list_assessments,
            doc.list(
                "Search a client's assessments.",
                query_of::<SearchAssessments>(),
            ),
        )
        .route(
            HttpMethod::Get,
            &item,
            get_assessment,
            doc.get_of_client("Get an assessment.", not_found),
        )
        .route(
            HttpMethod::Patch,
            &item,
            update_through(
                assessments::edit,
                assessment_change,
                AssessmentView::from_row,
            ),
            doc.update(update, not_found, Some("`assessment.outside_enrollment`")),
        )
        .route(
            HttpMethod::Delete,
            &item,
            delete_through(assessments::delete),
            doc.delete(delete, "Deleted", not_found),
        )
        .route(
            HttpMethod::Get,
            linked,
            list_enrollment_assessments,
            linked_entry(),
        )
        .route(
            HttpMethod::Put,
            link,
            link_enrollment_assessment,
            link_entry(),
        )
        .route(
            HttpMethod::Delete,
            link,
            delete_through(assessments::unlink),
            unlink_entry(),
        )
}

/// One question of an assessment and its answer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    #[schema(value_type = String, min_length = 1, max_length = 500)]
    pub question: Text<500>,
    #[schema(value_type = String, min_length = 1, max_length = 2000)]
    pub answer: Text<2000>,
}

/// One result of an assessment (HUD 4.19.6, AssessmentResults.csv).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentResultBody {
    /// 4.19.6 AssessmentResultType: what the result is of (a score's name).
    #[schema(value_type = String, min_length = 1, max_length = 250)]
    pub result_type: Text<250>,
    /// 4.19.6 AssessmentResult.
    #[schema(value_type = String, min_length = 1, max_length = 250)]
    pub result: Text<250>,
}

/// A result as stored and shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssessmentResultView {
    pub result_type: String,
    pub result: String,
}

/// An answer as stored and shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnswerView {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "assessment_date": "2025-11-03",
    "assessment_location": "Harbor Access Center",
    "assessment_type": 3,
    "assessment_level": 2,
    "prioritization_status": 1,
    "answers": [{"question": "Nights homeless in the last 3 years", "answer": "120"}]
}))]
pub struct CreateAssessment {
    /// Not in the future.
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub assessment_date: NotFuture,
    #[schema(value_type = String, min_length = 1, max_length = 250)]
    pub assessment_location: Text<250>,
    /// HUD 4.19.3.
    #[schema(value_type = codes::AssessmentType)]
    pub assessment_type: AssessmentType,
    /// HUD 4.19.4.
    #[schema(value_type = codes::AssessmentLevel)]
    pub assessment_level: AssessmentLevel,
    /// HUD 4.19.7.
    #[schema(value_type = codes::PrioritizationStatus)]
    pub prioritization_status: PrioritizationStatus,
    /// At most 200 question-and-answer pairs.
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// HUD 4.19.6 assessment results, at most 200.
    #[serde(default)]
    pub results: Vec<AssessmentResultBody>,
}

fn check_answers(answers: Option<&[Answer]>) -> Vec<FieldError> {
    match answers {
        Some(answers) if answers.len() > 200 => vec![FieldError::new(
            "answers",
            "too_long",
            "an assessment holds at most 200 answers",
        )],
        _ => Vec::new(),
    }
}

fn check_results(results: Option<&[AssessmentResultBody]>) -> Vec<FieldError> {
    match results {
        Some(results) if results.len() > 200 => vec![FieldError::new(
            "results",
            "too_long",
            "an assessment holds at most 200 results",
        )],
        _ => Vec::new(),
    }
}

impl CheckBody for CreateAssessment {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = check_answers(Some(&self.answers));
        errors.extend(check_results(Some(&self.results)));
        errors
    }
}

/// JSON Merge Patch of an assessment; `answers`, when given, replaces every answer.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"prioritization_status": 2}))]
pub struct UpdateAssessment {
    #[serde(default)]
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub assessment_date: Patch<NotFuture>,
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 250)]
    pub assessment_location: Patch<Text<250>>,
    #[serde(default)]
    #[schema(value_type = codes::AssessmentType)]
    pub assessment_type: Patch<AssessmentType>,
    #[serde(default)]
    #[schema(value_type = codes::AssessmentLevel)]
    pub assessment_level: Patch<AssessmentLevel>,
    #[serde(default)]
    #[schema(value_type = codes::PrioritizationStatus)]
    pub prioritization_status: Patch<PrioritizationStatus>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<Answer>>)]
    pub answers: Patch<Vec<Answer>>,
    /// Replaces every result.
    #[serde(default)]
    #[schema(value_type = Option<Vec<AssessmentResultBody>>)]
    pub results: Patch<Vec<AssessmentResultBody>>,
}

impl CheckBody for UpdateAssessment {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("assessment_date", &self.assessment_date, &mut errors);
        required_in_patch(
            "assessment_location",
            &self.assessment_location,
            &mut errors,
        );
        required_in_patch("assessment_type", &self.assessment_type, &mut errors);
        required_in_patch("assessment_level", &self.assessment_level, &mut errors);
        required_in_patch(
            "prioritization_status",
            &self.prioritization_status,
            &mut errors,
        );
        errors.extend(check_answers(self.answers.as_value().map(Vec::as_slice)));
        errors.extend(check_results(self.results.as_value().map(Vec::as_slice)));
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentView {
    #[schema(value_type = Uuid)]
    pub id: AssessmentId,
    #[schema(value_type = Uuid)]
    pub client_id: ClientId,
    /// The enrollment it is linked to; change it with the enrollment's link endpoints.
    #[schema(value_type = Option<Uuid>)]
    pub enrollment_id: Option<EnrollmentId>,
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub assessment_date: Date,
    pub assessment_location: String,
    #[schema(value_type = codes::AssessmentType)]
    pub assessment_type: i32,
    #[schema(value_type = codes::AssessmentLevel)]
    pub assessment_level: i32,
    #[schema(value_type = codes::PrioritizationStatus)]
    pub prioritization_status: i32,
    pub answers: Vec<AnswerView>,
    /// HUD 4.19.6 assessment results.
    pub results: Vec<AssessmentResultView>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl AssessmentView {
    pub fn from_row(row: &AssessmentRow) -> Result<AssessmentView, ApiError> {
        Ok(AssessmentView {
            id: row.id,
            client_id: row.client_id,
            enrollment_id: row.enrollment_id,
            assessment_date: row.assessment_date.into(),
            assessment_location: row.assessment_location.clone(),
            assessment_type: row.assessment_type,
            assessment_level: row.assessment_level,
            prioritization_status: row.prioritization_status,
            answers: StoredAnswer::decode(&row.answers)
                .map_err(|error| ApiError::Internal(format!("answers of {}: {error}", row.id)))?
                .into_iter()
                .map(|stored| AnswerView {
                    question: stored.question,
                    answer: stored.answer,
                })
                .collect(),
            results: StoredResult::decode(&row.results)
                .map_err(|error| ApiError::Internal(format!("results of {}: {error}", row.id)))?
                .into_iter()
                .map(|stored| AssessmentResultView {
                    result_type: stored.result_type,
                    result: stored.result,
                })
                .collect(),
            audit: Audit::from(row),
        })
    }
}

/// The results as a use case takes them.
fn results_of(results: Vec<AssessmentResultBody>) -> Vec<AssessmentResult> {
    results
        .into_iter()
        .map(|result| AssessmentResult {
            result_type: result.result_type.into_string(),
            result: result.result.into_string(),
        })
        .collect()
}

/// The answers as a use case takes them.
fn answers_of(answers: Vec<Answer>) -> Vec<QuestionAnswer> {
    answers
        .into_iter()
        .map(|answer| QuestionAnswer {
            question: answer.question.into_string(),
            answer: answer.answer.into_string(),
        })
        .collect()
}

crate::list_of!(AssessmentList, AssessmentView);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchAssessments {
    /// Assessed on or after this date.
    #[param(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub from: Option<Date>,
    /// Assessed on or before this date.
    #[param(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub to: Option<Date>,
    /// Only assessments linked to no enrollment.
    #[serde(default)]
    pub unlinked: bool,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

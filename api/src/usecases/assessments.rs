//! Assessments (HUD 4.19 Coordinated Entry Assessment) of a client, and their link to one of
//! the client's enrollments.

use threshold_domain::codes::{AssessmentLevel, AssessmentType, PrioritizationStatus};
use threshold_domain::records::{link_assessment, AssessmentFacts};
use threshold_domain::Date;
use threshold_persistence::ids::{AssessmentId, ClientId, EnrollmentId, Id};
use threshold_persistence::records::assessment;
use threshold_persistence::rows::{
    AssessmentRow, EnrollmentRow, Stamped, StoredAnswer, StoredResult,
};
use threshold_persistence::{clients, enrollments, DbConnection};

use super::scopes;
use super::visibility::visible_enrollment;
use super::{AssessmentKey, Change, LinkKey, Versioned};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;

/// An assessment as the linking rules see it.
pub fn assessment_facts(row: &AssessmentRow) -> Result<AssessmentFacts, ApiError> {
    Ok(AssessmentFacts {
        id: row.id.uuid(),
        client_id: row.client_id.uuid(),
        enrollment_id: row.enrollment_id.map(Id::uuid),
        date: row.assessment_date.into(),
    })
}

/// The assessment of the client with this ID (not deleted), if the caller may see the client;
/// 404 otherwise.
pub fn of_client(
    conn: &mut DbConnection,
    caller: &Caller,
    client_id: ClientId,
    assessment_id: AssessmentId,
) -> Result<AssessmentRow, ApiError> {
    super::visibility::visible_client(conn, caller, client_id)?;
    assessment::find(conn, assessment_id)?
        .filter(|row| row.client_id == client_id)
        .ok_or(ApiError::NotFound)
}

/// One question of an assessment and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionAnswer {
    pub question: String,
    pub answer: String,
}

fn answers_text(answers: &[QuestionAnswer]) -> String {
    let stored: Vec<StoredAnswer> = answers
        .iter()
        .map(|answer| StoredAnswer {
            question: answer.question.clone(),
            answer: answer.answer.clone(),
        })
        .collect();
    StoredAnswer::encode(&stored)
}

/// One result of an assessment (HUD 4.19.6): its type and the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentResult {
    pub result_type: String,
    pub result: String,
}

fn results_text(results: &[AssessmentResult]) -> String {
    let stored: Vec<StoredResult> = results
        .iter()
        .map(|result| StoredResult {
            result_type: result.result_type.clone(),
            result: result.result.clone(),
        })
        .collect();
    StoredResult::encode(&stored)
}

/// A new assessment of a client, linked to no enrollment.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub client_id: ClientId,
    pub date: Date,
    pub location: String,
    pub assessment_type: AssessmentType,
    pub level: AssessmentLevel,
    pub prioritization_status: PrioritizationStatus,
    pub answers: Vec<QuestionAnswer>,
    pub results: Vec<AssessmentResult>,
    pub dry_run: bool,
}

/// Records an assessment of a client.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &NewAssessment,
) -> Result<AssessmentRow, ApiError> {
    let client_id = input.client_id;
    // A client's assessments are the client's scope (as their edits and deletes).
    scopes::client(conn, client_id)?;
    if !clients::exists(conn, &caller.sight(), client_id)? {
        return Err(ApiError::NotFound);
    }
    let at = now();
    let row = AssessmentRow {
        id: Id::new(),
        client_id,
        enrollment_id: None,
        assessment_date: input.date.naive(),
        assessment_location: input.location.clone(),
        assessment_type: input.assessment_type.code(),
        assessment_level: input.level.code(),
        prioritization_status: input.prioritization_status.code(),
        answers: answers_text(&input.answers),
        results: results_text(&input.results),
        version: 1,
        created_at: at,
        updated_at: at,
        created_by: caller.sub.clone(),
        updated_by: caller.sub.clone(),
        deleted_at: None,
    };
    if !input.dry_run {
        assessment::insert(conn, &row)?;
    }
    Ok(row)
}

/// A change to an assessment; `None` keeps a field (none of them can be cleared), and
/// answers, when given, replace every answer.
pub type EditAssessment = Versioned<AssessmentKey, AssessmentChange>;

/// The fields a change to an assessment sets.
#[derive(Debug, Clone)]
pub struct AssessmentChange {
    pub date: Option<Date>,
    pub location: Option<String>,
    pub assessment_type: Option<AssessmentType>,
    pub level: Option<AssessmentLevel>,
    pub prioritization_status: Option<PrioritizationStatus>,
    pub answers: Change<Vec<QuestionAnswer>>,
    pub results: Change<Vec<AssessmentResult>>,
}

/// Changes an assessment; a linked one stays within its enrollment's period.
pub fn edit(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &EditAssessment,
) -> Result<AssessmentRow, ApiError> {
    let key = input.target;
    scopes::client(conn, key.client_id)?;
    let mut row = of_client(conn, caller, key.client_id, key.assessment_id)?;
    input.expected.check(row.version)?;
    if let Some(date) = input.change.date {
        row.assessment_date = date.naive();
        if let Some(enrollment_id) = row.enrollment_id {
            if let Some(enrollment) = enrollments::find(conn, None, enrollment_id)? {
                link_assessment(&assessment_facts(&row)?, &enrollments::facts(&enrollment)?)?;
            }
        }
    }
    if let Some(location) = &input.change.location {
        row.assessment_location = location.clone();
    }
    if let Some(code) = input.change.assessment_type {
        row.assessment_type = code.code();
    }
    if let Some(code) = input.change.level {
        row.assessment_level = code.code();
    }
    if let Some(code) = input.change.prioritization_status {
        row.prioritization_status = code.code();
    }
    match &input.change.answers {
        Change::Keep => {}
        Change::Clear => row.answers = answers_text(&[]),
        Change::Set(answers) => row.answers = answers_text(answers),
    }
    match &input.change.results {
        Change::Keep => {}
        Change::Clear => row.results = results_text(&[]),
        Change::Set(results) => row.results = results_text(results),
    }
    row.stamp(now(), &caller.sub);
    if !input.dry_run {
        assessment::update(conn, &row)?;
    }
    Ok(row)
}

/// Which assessment of a client to delete.
pub type DeleteAssessment = Versioned<AssessmentKey>;

/// Deletes an assessment (soft); a link to an enrollment goes with it.
pub fn delete(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &DeleteAssessment,
) -> Result<(), ApiError> {
    let key = input.target;
    scopes::client(conn, key.client_id)?;
    let mut row = of_client(conn, caller, key.client_id, key.assessment_id)?;
    input.expected.check(row.version)?;
    let at = now();
    row.stamp(at, &caller.sub);
    row.deleted_at = Some(at);
    if !input.dry_run {
        assessment::update(conn, &row)?;
    }
    Ok(())
}

/// An assessment to link to an enrollment of the same client.
#[derive(Debug, Clone)]
pub struct LinkAssessment {
    pub client_id: ClientId,
    pub enrollment_id: EnrollmentId,
    pub assessment_id: AssessmentId,
    pub dry_run: bool,
}

/// Links an assessment to an enrollment the caller may see; linking it again changes
/// nothing.
pub fn link(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &LinkAssessment,
) -> Result<AssessmentRow, ApiError> {
    let enrollment = visible_enrollment(conn, caller, input.client_id, input.enrollment_id)?;
    if assessment::find(conn, input.assessment_id)?.is_none() {
        return Err(ApiError::NotFound);
    }
    link_to(
        conn,
        input.assessment_id,
        &enrollment,
        &caller.sub,
        input.dry_run,
    )
}

/// Links an assessment to an enrollment inside the caller's transaction, checking the rules.
pub(super) fn link_to(
    conn: &mut DbConnection,
    assessment_id: AssessmentId,
    enrollment: &EnrollmentRow,
    by: &str,
    dry_run: bool,
) -> Result<AssessmentRow, ApiError> {
    let mut row = assessment::find(conn, assessment_id)?.ok_or_else(|| {
        ApiError::invalid(
            "assessment_ids",
            "reference.not_found",
            format!("no such assessment {assessment_id}"),
        )
    })?;
    link_assessment(&assessment_facts(&row)?, &enrollments::facts(enrollment)?)?;
    if row.enrollment_id == Some(enrollment.id) {
        return Ok(row);
    }
    row.enrollment_id = Some(enrollment.id);
    row.stamp(now(), by);
    if !dry_run {
        assessment::update(conn, &row)?;
    }
    Ok(row)
}

/// An assessment to unlink from the enrollment it is linked to.
/// The version expected is the assessment's.
pub type UnlinkAssessment = Versioned<LinkKey>;

/// Unlinks an assessment from the enrollment it is linked to; it stays with the client.
pub fn unlink(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &UnlinkAssessment,
) -> Result<(), ApiError> {
    let key = input.target;
    let enrollment = visible_enrollment(conn, caller, key.client_id, key.enrollment_id)?;
    let mut row = assessment::find(conn, key.assessment_id)?
        .filter(|row| row.enrollment_id == Some(enrollment.id))
        .ok_or(ApiError::NotFound)?;
    input.expected.check(row.version)?;
    row.enrollment_id = None;
    if !input.dry_run {
        row.stamp(now(), &caller.sub);
        assessment::update(conn, &row)?;
    }
    Ok(())
}

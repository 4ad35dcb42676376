//! Assessments (HUD 4.19 Coordinated Entry Assessment) and their link to an enrollment.

use threshold_domain::records::{link_assessment, AssessmentFacts};
use threshold_persistence::records::assessment;
use threshold_persistence::rows::{AssessmentRow, EnrollmentRow, Stamped};
use threshold_persistence::{enrollments, DbConnection};
use uuid::Uuid;

use crate::clock::now;
use crate::error::ApiError;
use crate::ids::{id_text, parse_stored_id};

/// An assessment as the linking rules see it.
pub fn assessment_facts(row: &AssessmentRow) -> Result<AssessmentFacts, ApiError> {
    Ok(AssessmentFacts {
        id: parse_stored_id(&row.id)?,
        client_id: parse_stored_id(&row.client_id)?,
        enrollment_id: row
            .enrollment_id
            .as_deref()
            .map(parse_stored_id)
            .transpose()?,
        date: row.assessment_date.into(),
    })
}

/// Links an assessment to an enrollment inside the caller's transaction, checking the rules.
pub fn link(
    conn: &mut DbConnection,
    assessment_id: Uuid,
    enrollment: &EnrollmentRow,
    by: &str,
    dry_run: bool,
) -> Result<AssessmentRow, ApiError> {
    let mut row = assessment::find(conn, &id_text(assessment_id))?.ok_or_else(|| {
        ApiError::invalid(
            "assessment_ids",
            "reference.not_found",
            format!("no such assessment {assessment_id}"),
        )
    })?;
    link_assessment(&assessment_facts(&row)?, &enrollments::facts(enrollment)?)?;
    if row.enrollment_id.as_deref() == Some(enrollment.id.as_str()) {
        return Ok(row);
    }
    row.enrollment_id = Some(enrollment.id.clone());
    row.stamp(now(), by);
    if !dry_run {
        assessment::update(conn, &row)?;
    }
    Ok(row)
}

//! Services.csv, Assessment.csv and AssessmentQuestions.csv: records of an enrollment,
//! their dates within its period.

use std::collections::HashMap;

use chrono::NaiveDate;
use threshold_domain::codes::{
    AssessmentLevel, AssessmentType, PrioritizationStatus, RelationshipToHoh, ServiceRecordType,
};
use threshold_domain::dates::check_not_future;
use threshold_domain::enrollment::EnrollmentFacts;
use threshold_domain::money::Cents;
use threshold_domain::records::{self, AssessmentFacts};
use threshold_domain::{Date, Period, Violations};
use threshold_persistence::ids::AssessmentId;
use threshold_persistence::rows::StoredResult;
use threshold_persistence::StoreError;

use super::plan::{AssessmentRecord, EnrollmentRecord, ServiceRecord};
use super::{Checker, Seen};
use crate::hmis::import::read::Table;
use crate::hmis::import::{codes, CausedBy, ImportError, Severity};

impl Checker<'_> {
    /// The rows of a part of Services.csv: the records of those that may be written (none
    /// of a row with an error of its own, or whose enrollment is not imported).
    pub(super) fn services(
        &mut self,
        table: &Table,
        seen: &mut Seen,
    ) -> Result<Vec<ServiceRecord>, StoreError> {
        let mut services = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            let enrollment = cells.text_ref("EnrollmentID", 32, true);
            let date = cells.date("DateProvided", true);
            cells.fail_with(check_not_future(
                "DateProvided",
                date.map(Date::from),
                self.today,
            ));
            let record_type = cells.code::<ServiceRecordType>("RecordType", true);
            let type_provided = cells.int("TypeProvided", true);
            if let (Some(record_type), Some(type_provided)) = (record_type, type_provided) {
                cells.fail_with(records::check_type_provided(
                    "TypeProvided",
                    record_type,
                    type_provided,
                ));
            }
            let other = cells.text("OtherTypeProvided", 50, false);
            let amount = cells.present("FAAmount", false).and_then(|text| {
                let amount = Cents::from_csv(text).map(i64::from);
                if amount.is_none() {
                    cells.fail(
                        "FAAmount",
                        codes::NOT_MONEY,
                        format!("`{text}` is not an amount of money"),
                    );
                }
                amount
            });
            let meta = self.meta(&mut cells, "service", "ServicesID", seen)?;
            let target = enrollment.and_then(|id| self.enrollment(id));
            if let (Some(id), None) = (enrollment, target) {
                self.not_found(
                    &mut cells,
                    "EnrollmentID",
                    "enrollment",
                    id,
                    "Enrollment.csv",
                );
            }
            if let (Some(target), Some(date), Some(meta)) = (target, date, &meta) {
                if !meta.deleted && !target.meta.deleted {
                    let period = period_of(target);
                    if let Err(violations) = records::check_service_date(&period, date.into()) {
                        for violation in violations.all() {
                            cells.fail(
                                "DateProvided",
                                violation.rule.code(),
                                violation.message.clone(),
                            );
                        }
                    }
                }
            }
            let enrollment_id = target.map(|target| target.meta.id);
            let refused = errors.iter().any(ImportError::is_error);
            self.errors.append(&mut errors);
            if let (
                false,
                Some(meta),
                Some(enrollment_id),
                Some(date),
                Some(record_type),
                Some(type_provided),
            ) = (
                refused,
                meta,
                enrollment_id,
                date,
                record_type,
                type_provided,
            ) {
                services.push(ServiceRecord {
                    meta,
                    enrollment_id,
                    date_provided: date,
                    record_type: record_type.code(),
                    type_provided,
                    other_type_provided: other,
                    fa_amount_cents: amount,
                });
            }
        }
        Ok(services)
    }

    /// AssessmentQuestions.csv as answers by the source AssessmentID.
    pub(super) fn questions(
        &mut self,
        table: &Table,
    ) -> HashMap<String, Vec<(i32, u64, String, String)>> {
        let mut answers: HashMap<String, Vec<(i32, u64, String, String)>> = HashMap::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            cells.text_ref("AssessmentQuestionID", 32, true);
            let assessment = cells.text("AssessmentID", 32, true);
            let order = cells.int("AssessmentQuestionOrder", false);
            let question = cells.text("AssessmentQuestion", 250, true);
            let answer = cells.text("AssessmentAnswer", 250, false);
            let deleted = cells.datetime("DateDeleted", false).is_some();
            cells.datetime("DateUpdated", true);
            self.errors.append(&mut errors);
            if deleted {
                self.plan.deleted_questions += 1;
            } else if let (Some(assessment), Some(question)) = (assessment, question) {
                answers.entry(assessment).or_default().push((
                    order.unwrap_or(i32::MAX),
                    row.line,
                    question,
                    answer.unwrap_or_default(),
                ));
            }
        }
        answers
    }

    /// AssessmentResults.csv (4.19.6) as results by the source AssessmentID, in file order.
    pub(super) fn results(&mut self, table: &Table) -> HashMap<String, Vec<(u64, String, String)>> {
        let mut results: HashMap<String, Vec<(u64, String, String)>> = HashMap::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            cells.text_ref("AssessmentResultID", 32, true);
            let assessment = cells.text("AssessmentID", 32, true);
            let result_type = cells.text("AssessmentResultType", 250, true);
            let result = cells.text("AssessmentResult", 250, true);
            let deleted = cells.datetime("DateDeleted", false).is_some();
            cells.datetime("DateUpdated", true);
            self.errors.append(&mut errors);
            if deleted {
                self.plan.deleted_results += 1;
            } else if let (Some(assessment), Some(result_type), Some(result)) =
                (assessment, result_type, result)
            {
                results
                    .entry(assessment)
                    .or_default()
                    .push((row.line, result_type, result));
            }
        }
        results
    }

    pub(super) fn assessments(
        &mut self,
        table: &Table,
        mut answers: HashMap<String, Vec<(i32, u64, String, String)>>,
        mut results: HashMap<String, Vec<(u64, String, String)>>,
    ) -> Result<(), StoreError> {
        let mut seen = Seen::default();
        // Every row's line by its AssessmentID, for the questions and results of those that
        // are not imported.
        let mut lines: HashMap<&str, u64> = HashMap::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            if let Some(id) = cells.raw("AssessmentID") {
                lines.entry(id).or_insert(row.line);
            }
            let enrollment = cells.text_ref("EnrollmentID", 32, true);
            let date = cells.date("AssessmentDate", true);
            cells.fail_with(check_not_future(
                "AssessmentDate",
                date.map(Date::from),
                self.today,
            ));
            let location = cells.text("AssessmentLocation", 250, true);
            let kind = cells.code::<AssessmentType>("AssessmentType", true);
            let level = cells.code::<AssessmentLevel>("AssessmentLevel", true);
            let status = cells.code::<PrioritizationStatus>("PrioritizationStatus", true);
            let meta = self.meta(&mut cells, "assessment", "AssessmentID", &mut seen)?;
            let target = enrollment.and_then(|id| self.enrollment(id));
            if let (Some(id), None) = (enrollment, target) {
                self.not_found(
                    &mut cells,
                    "EnrollmentID",
                    "enrollment",
                    id,
                    "Enrollment.csv",
                );
            }
            if let (Some(target), Some(date), Some(meta)) = (target, date, &meta) {
                if !meta.deleted && !target.meta.deleted {
                    if let Err(violations) = check_link(meta.id, target, date) {
                        // Told in the file's terms: the row, not the ids it is stored under.
                        for violation in violations.all() {
                            cells.fail(
                                "AssessmentDate",
                                violation.rule.code(),
                                "the assessment's date lies outside the enrollment's period",
                            );
                        }
                    }
                }
            }
            let linked = target.map(|target| (target.client_id, target.meta.id));
            self.errors.append(&mut errors);
            let (
                Some(meta),
                Some((client_id, enrollment_id)),
                Some(date),
                Some(location),
                Some(kind),
                Some(level),
                Some(status),
            ) = (meta, linked, date, location, kind, level, status)
            else {
                continue;
            };
            let mut questions = answers.remove(&meta.source_id).unwrap_or_default();
            questions.sort();
            let question_lines = questions.iter().map(|(_, line, _, _)| *line).collect();
            let answers = serde_json::Value::Array(
                questions
                    .into_iter()
                    .map(|(_, _, question, answer)| {
                        serde_json::json!({"question": question, "answer": answer})
                    })
                    .collect(),
            )
            .to_string();
            let stored = results.remove(&meta.source_id).unwrap_or_default();
            let result_lines = stored.iter().map(|(line, _, _)| *line).collect();
            let results = StoredResult::encode(
                &stored
                    .into_iter()
                    .map(|(_, result_type, result)| StoredResult {
                        result_type,
                        result,
                    })
                    .collect::<Vec<_>>(),
            );
            self.plan.assessments.push(AssessmentRecord {
                meta,
                client_id,
                enrollment_id,
                assessment_date: date,
                assessment_location: location,
                assessment_type: kind.code(),
                assessment_level: level.code(),
                prioritization_status: status.code(),
                answers,
                results,
                question_lines,
                result_lines,
            });
        }
        // The questions and results of no assessment imported: that of a row refused, or
        // of none in the file.
        let left = answers
            .into_iter()
            .flat_map(|(id, rows)| {
                let file = "AssessmentQuestions.csv";
                rows.into_iter()
                    .map(move |(_, line, _, _)| (file, line, id.clone()))
            })
            .chain(results.into_iter().flat_map(|(id, rows)| {
                let file = "AssessmentResults.csv";
                rows.into_iter()
                    .map(move |(line, _, _)| (file, line, id.clone()))
            }));
        for (file, line, id) in left {
            let cause = lines.get(id.as_str()).map(|line| CausedBy {
                file: "Assessment.csv".to_owned(),
                line: *line,
            });
            self.errors.push(ImportError {
                file: file.to_owned(),
                line: Some(line),
                column: Some("AssessmentID".to_owned()),
                code: match cause {
                    Some(_) => codes::DEPENDS_ON_REFUSED,
                    None => codes::REFERENCE_NOT_FOUND,
                }
                .to_owned(),
                reason: match &cause {
                    Some(cause) => format!(
                        "AssessmentID {id} is Assessment.csv line {}, which is not imported",
                        cause.line
                    ),
                    None => format!("AssessmentID {id} is not in Assessment.csv"),
                },
                severity: Severity::Error,
                caused_by: cause.map(Box::new),
            });
        }
        Ok(())
    }
}

fn period_of(enrollment: &EnrollmentRecord) -> Period {
    Period::new(
        enrollment.entry_date.into(),
        enrollment.exit.as_ref().map(|exit| exit.exit_date.into()),
    )
}

/// The link the file makes from an assessment to its enrollment, checked by the rule that
/// links one through the API. The client is the enrollment's, and the link is the one the
/// file makes, so only the assessment's date can break it.
fn check_link(
    assessment_id: AssessmentId,
    enrollment: &EnrollmentRecord,
    date: NaiveDate,
) -> Result<(), Violations> {
    let Ok(relationship) = RelationshipToHoh::try_from(enrollment.relationship_to_hoh) else {
        return Ok(());
    };
    let assessment = AssessmentFacts {
        id: assessment_id.uuid(),
        client_id: enrollment.client_id.uuid(),
        enrollment_id: Some(enrollment.meta.id.uuid()),
        date: date.into(),
    };
    let enrollment = EnrollmentFacts {
        id: enrollment.meta.id.uuid(),
        client_id: enrollment.client_id.uuid(),
        program_id: enrollment.program_id.uuid(),
        household_id: enrollment.household_id.uuid(),
        relationship,
        period: period_of(enrollment),
        move_in_date: enrollment.move_in_date.map(Into::into),
    };
    records::link_assessment(&assessment, &enrollment)
}

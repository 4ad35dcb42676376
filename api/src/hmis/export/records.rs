//! Assessment.csv, AssessmentQuestions.csv, Services.csv and the files of HUD's records
//! under an enrollment (IncomeBenefits.csv, Disabilities.csv, ...).

use serde::Deserialize;
use sha2::{Digest, Sha256};
use threshold_domain::money::Cents;
use threshold_persistence::ids::{AssessmentId, ClientId};
use threshold_persistence::rows::{AnyHudRecord, AssessmentRow, ServiceRow, StoredResult};

use crate::hmis::hmis_id;
use threshold_domain::hmis_csv::fy2026 as columns;

use super::writing::Record;
use super::Writer;

impl Writer<'_> {
    pub(super) fn assessment(&mut self, row: &AssessmentRow) -> Record {
        let mut record = Record::new(&columns::ASSESSMENT);
        record
            .set("AssessmentID", self.id(row.id))
            .set(
                "EnrollmentID",
                row.enrollment_id.map(|id| self.id(id)).unwrap_or_default(),
            )
            .set("PersonalID", self.id(row.client_id))
            .set("AssessmentLocation", row.assessment_location.clone());
        record.date("AssessmentDate", Some(row.assessment_date));
        record.int("AssessmentType", Some(row.assessment_type));
        record.int("AssessmentLevel", Some(row.assessment_level));
        record.int("PrioritizationStatus", Some(row.prioritization_status));
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            row.deleted_at,
        );
        record
    }

    pub(super) fn assessment_questions(&mut self, row: &AssessmentRow) -> Vec<Record> {
        let answers: Vec<StoredAnswer> = serde_json::from_str(&row.answers).unwrap_or_default();
        let mut records = Vec::with_capacity(answers.len());
        for (index, answer) in answers.into_iter().enumerate() {
            let order = index + 1;
            let mut record = Record::new(&columns::ASSESSMENT_QUESTIONS);
            record
                .set("AssessmentQuestionID", question_id(row.id, order))
                .set("AssessmentID", self.id(row.id))
                .set(
                    "EnrollmentID",
                    row.enrollment_id.map(|id| self.id(id)).unwrap_or_default(),
                )
                .set("PersonalID", self.id(row.client_id))
                .set("AssessmentQuestionOrder", order.to_string())
                .set("AssessmentQuestion", answer.question)
                .set("AssessmentAnswer", answer.answer);
            self.audit(
                &mut record,
                (row.created_at, &row.created_by),
                row.updated_at,
                row.deleted_at,
            );
            records.push(record);
        }
        records
    }

    pub(super) fn assessment_results(&mut self, row: &AssessmentRow) -> Vec<Record> {
        let results = StoredResult::decode(&row.results).unwrap_or_default();
        let mut records = Vec::with_capacity(results.len());
        for (index, result) in results.into_iter().enumerate() {
            let mut record = Record::new(&columns::ASSESSMENT_RESULTS);
            record
                .set("AssessmentResultID", result_id(row.id, index + 1))
                .set("AssessmentID", self.id(row.id))
                .set(
                    "EnrollmentID",
                    row.enrollment_id.map(|id| self.id(id)).unwrap_or_default(),
                )
                .set("PersonalID", self.id(row.client_id))
                .set("AssessmentResultType", result.result_type)
                .set("AssessmentResult", result.result);
            self.audit(
                &mut record,
                (row.created_at, &row.created_by),
                row.updated_at,
                row.deleted_at,
            );
            records.push(record);
        }
        records
    }

    pub(super) fn service(&mut self, row: &ServiceRow, client_id: ClientId) -> Record {
        let mut record = Record::new(&columns::SERVICES);
        record
            .set("ServicesID", self.id(row.id))
            .set("EnrollmentID", self.id(row.enrollment_id))
            .set("PersonalID", self.id(client_id))
            .set(
                "OtherTypeProvided",
                row.other_type_provided.clone().unwrap_or_default(),
            );
        record.date("DateProvided", Some(row.date_provided));
        record.int("RecordType", Some(row.record_type));
        record.int("TypeProvided", Some(row.type_provided));
        record.set_opt("FAAmount", row.fa_amount_cents, |cents| {
            Cents::from(cents).to_string()
        });
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            row.deleted_at,
        );
        record
    }
}

impl Writer<'_> {
    /// A record of one of HUD's collections: its keys, its date and stage, its fields.
    pub(super) fn hud_record(&mut self, row: &AnyHudRecord, client_id: ClientId) -> Record {
        let collection = row.collection;
        let file = collection.file();
        let mut record = Record::new(file);
        record
            .set(file.columns[0].name, self.id(row.id))
            .set("EnrollmentID", self.id(row.enrollment_id))
            .set("PersonalID", self.id(client_id));
        record.date(collection.date_column(), Some(row.information_date));
        record.int("DisabilityType", row.disability_type);
        record.int("DataCollectionStage", row.data_collection_stage);
        record.hud(collection, &row.fields);
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            row.deleted_at,
        );
        record
    }
}

/// An answer as the assessments store them.
#[derive(Debug, Default, Deserialize)]
struct StoredAnswer {
    question: String,
    answer: String,
}

/// A stable ID for the `order`th answer of an assessment: the same in every export, so an
/// import of a later file updates the answer instead of adding another.
pub fn question_id(assessment_id: AssessmentId, order: usize) -> String {
    stable_id(&format!("{}:{order}", hmis_id(assessment_id)))
}

/// A stable ID for the `order`th result of an assessment, as [`question_id`] is for its
/// answers (and never one of theirs).
pub fn result_id(assessment_id: AssessmentId, order: usize) -> String {
    stable_id(&format!("{}:result:{order}", hmis_id(assessment_id)))
}

fn stable_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

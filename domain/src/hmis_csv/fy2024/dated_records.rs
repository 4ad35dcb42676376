//! HMIS CSV FY2024: the records of a day of an enrollment: services, contacts and coordinated
//! entry, columns in header order.
//!
//! Generated from `domain/hud/csv-columns-fy2024.csv` and `domain/hud/column-lists.csv` by
//! `python3 scripts/gen-hud-codes.py`: change those, not this file.

use crate::codes::HudList;
use crate::hmis_csv::{code, date, datetime, text, uncoded, CsvFile, OPTIONAL, REQUIRED};

/// CurrentLivingSituation.csv: 4.12 current living situation; VerifiedBy of at most 100 characters.
#[rustfmt::skip]
pub const CURRENT_LIVING_SITUATION: CsvFile = CsvFile {
    name: "CurrentLivingSituation",
    columns: &[
        text("CurrentLivingSitID", "current_living_sit_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        date("InformationDate", "information_date", REQUIRED),
        code(
            "CurrentLivingSituation",
            "current_living_situation",
            HudList::CurrentLivingSituation,
            REQUIRED,
        ),
        code("CLSSubsidyType", "cls_subsidy_type", HudList::RentalSubsidyType, OPTIONAL),
        text("VerifiedBy", "verified_by", 100, OPTIONAL),
        code("LeaveSituation14Days", "leave_situation14_days", HudList::NoYesMissing, OPTIONAL),
        code("SubsequentResidence", "subsequent_residence", HudList::NoYesMissing, OPTIONAL),
        code("ResourcesToObtain", "resources_to_obtain", HudList::NoYesMissing, OPTIONAL),
        code("LeaseOwn60Day", "lease_own60_day", HudList::NoYesMissing, OPTIONAL),
        code("MovedTwoOrMore", "moved_two_or_more", HudList::NoYesMissing, OPTIONAL),
        text("LocationDetails", "location_details", 250, OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// AssessmentQuestions.csv: 4.19.5 question, 4.19.A answer of at most 500 characters.
#[rustfmt::skip]
pub const ASSESSMENT_QUESTIONS: CsvFile = CsvFile {
    name: "AssessmentQuestions",
    columns: &[
        text("AssessmentQuestionID", "assessment_question_id", 32, REQUIRED),
        text("AssessmentID", "assessment_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        text("AssessmentQuestionGroup", "assessment_question_group", 250, OPTIONAL),
        uncoded("AssessmentQuestionOrder", "assessment_question_order", OPTIONAL),
        text("AssessmentQuestion", "assessment_question", 250, REQUIRED),
        text("AssessmentAnswer", "assessment_answer", 500, OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

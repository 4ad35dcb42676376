//! HMIS CSV FY2026: the records of a day of an enrollment: services, contacts and coordinated
//! entry, columns in header order.
//!
//! Generated from `domain/hud/csv-columns-fy2026.csv` and `domain/hud/column-lists.csv` by
//! `python3 scripts/gen-hud-codes.py`: change those, not this file.

use crate::codes::HudList;
use crate::hmis_csv::fy2026::{SERVICES_SUB_TYPE_PROVIDED, SERVICES_TYPE_PROVIDED};
use crate::hmis_csv::{
    code, code_when, date, datetime, money, text, uncoded, CsvFile, OPTIONAL, REQUIRED,
};

/// Services.csv: 4.14 bed nights, P1, P2, R14, W1, W2, V2, V3, V8, C2, by RecordType.
#[rustfmt::skip]
pub const SERVICES: CsvFile = CsvFile {
    name: "Services",
    columns: &[
        text("ServicesID", "services_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        date("DateProvided", "date_provided", REQUIRED),
        code("RecordType", "record_type", HudList::ServiceRecordType, REQUIRED),
        code_when("TypeProvided", "type_provided", SERVICES_TYPE_PROVIDED, REQUIRED),
        text("OtherTypeProvided", "other_type_provided", 50, OPTIONAL),
        text("MovingOnOtherType", "moving_on_other_type", 50, OPTIONAL),
        code_when("SubTypeProvided", "sub_type_provided", SERVICES_SUB_TYPE_PROVIDED, OPTIONAL),
        money("FAAmount", "fa_amount", OPTIONAL),
        date("FAStartDate", "fa_start_date", OPTIONAL),
        date("FAEndDate", "fa_end_date", OPTIONAL),
        code("ReferralOutcome", "referral_outcome", HudList::PathReferralOutcome, OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// CurrentLivingSituation.csv: 4.12 current living situation.
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
        text("VerifiedBy", "verified_by", 200, OPTIONAL),
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

/// Assessment.csv: 4.19 coordinated entry assessment.
#[rustfmt::skip]
pub const ASSESSMENT: CsvFile = CsvFile {
    name: "Assessment",
    columns: &[
        text("AssessmentID", "assessment_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        date("AssessmentDate", "assessment_date", REQUIRED),
        text("AssessmentLocation", "assessment_location", 250, REQUIRED),
        code("AssessmentType", "assessment_type", HudList::AssessmentType, REQUIRED),
        code("AssessmentLevel", "assessment_level", HudList::AssessmentLevel, REQUIRED),
        code(
            "PrioritizationStatus",
            "prioritization_status",
            HudList::PrioritizationStatus,
            REQUIRED,
        ),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// AssessmentQuestions.csv: 4.19.5 question, 4.19.A answer.
#[rustfmt::skip]
pub const ASSESSMENT_QUESTIONS: CsvFile = CsvFile {
    name: "AssessmentQuestions",
    columns: &[
        text("AssessmentQuestionID", "assessment_question_id", 32, REQUIRED),
        text("AssessmentID", "assessment_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        text("AssessmentQuestionGroup", "assessment_question_group", 250, OPTIONAL),
        // locally determined order (not coded)
        uncoded("AssessmentQuestionOrder", "assessment_question_order", OPTIONAL),
        text("AssessmentQuestion", "assessment_question", 250, REQUIRED),
        text("AssessmentAnswer", "assessment_answer", 250, OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// AssessmentResults.csv: 4.19.6 result type, 4.19.B result.
#[rustfmt::skip]
pub const ASSESSMENT_RESULTS: CsvFile = CsvFile {
    name: "AssessmentResults",
    columns: &[
        text("AssessmentResultID", "assessment_result_id", 32, REQUIRED),
        text("AssessmentID", "assessment_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        text("AssessmentResultType", "assessment_result_type", 250, REQUIRED),
        text("AssessmentResult", "assessment_result", 250, OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// Event.csv: 4.20 coordinated entry event and referral result.
#[rustfmt::skip]
pub const EVENT: CsvFile = CsvFile {
    name: "Event",
    columns: &[
        text("EventID", "event_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        date("EventDate", "event_date", REQUIRED),
        code("Event", "event", HudList::EventType, REQUIRED),
        code("ProbSolDivRRResult", "prob_sol_div_rr_result", HudList::NoYesNotCollected, OPTIONAL),
        code(
            "ReferralCaseManageAfter",
            "referral_case_manage_after",
            HudList::NoYesNotCollected,
            OPTIONAL,
        ),
        text("LocationCrisisOrPHHousing", "location_crisis_or_ph_housing", 250, OPTIONAL),
        code("ReferralResult", "referral_result", HudList::ReferralResult, OPTIONAL),
        date("ResultDate", "result_date", OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

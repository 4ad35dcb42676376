//! HMIS CSV FY2026: the records collected at a data collection stage (5.03) of an enrollment,
//! columns in header order.
//!
//! Generated from `domain/hud/csv-columns-fy2026.csv` and `domain/hud/column-lists.csv` by
//! `python3 scripts/gen-hud-codes.py`: change those, not this file.

use crate::codes::HudList;
use crate::hmis_csv::fy2026::DISABILITIES_DISABILITY_RESPONSE;
use crate::hmis_csv::{
    code, code_when, date, datetime, money, text, uncoded, CsvFile, OPTIONAL, REQUIRED,
};

/// IncomeBenefits.csv: 4.02 income, 4.03 benefits, 4.04 insurance, W3, P4 SOAR.
#[rustfmt::skip]
pub const INCOME_BENEFITS: CsvFile = CsvFile {
    name: "IncomeBenefits",
    columns: &[
        text("IncomeBenefitsID", "income_benefits_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        date("InformationDate", "information_date", REQUIRED),
        code("IncomeFromAnySource", "income_from_any_source", HudList::NoYesMissing, OPTIONAL),
        money("TotalMonthlyIncome", "total_monthly_income", OPTIONAL),
        code("Earned", "earned", HudList::NoYesNotCollected, OPTIONAL),
        money("EarnedAmount", "earned_amount", OPTIONAL),
        code("Unemployment", "unemployment", HudList::NoYesNotCollected, OPTIONAL),
        money("UnemploymentAmount", "unemployment_amount", OPTIONAL),
        code("SSI", "ssi", HudList::NoYesNotCollected, OPTIONAL),
        money("SSIAmount", "ssi_amount", OPTIONAL),
        code("SSDI", "ssdi", HudList::NoYesNotCollected, OPTIONAL),
        money("SSDIAmount", "ssdi_amount", OPTIONAL),
        code("VADisabilityService", "va_disability_service", HudList::NoYesNotCollected, OPTIONAL),
        money("VADisabilityServiceAmount", "va_disability_service_amount", OPTIONAL),
        code(
            "VADisabilityNonService",
            "va_disability_non_service",
            HudList::NoYesNotCollected,
            OPTIONAL,
        ),
        money("VADisabilityNonServiceAmount", "va_disability_non_service_amount", OPTIONAL),
        code("PrivateDisability", "private_disability", HudList::NoYesNotCollected, OPTIONAL),
        money("PrivateDisabilityAmount", "private_disability_amount", OPTIONAL),
        code("WorkersComp", "workers_comp", HudList::NoYesNotCollected, OPTIONAL),
        money("WorkersCompAmount", "workers_comp_amount", OPTIONAL),
        code("TANF", "tanf", HudList::NoYesNotCollected, OPTIONAL),
        money("TANFAmount", "tanf_amount", OPTIONAL),
        code("GA", "ga", HudList::NoYesNotCollected, OPTIONAL),
        money("GAAmount", "ga_amount", OPTIONAL),
        code("SocSecRetirement", "soc_sec_retirement", HudList::NoYesNotCollected, OPTIONAL),
        money("SocSecRetirementAmount", "soc_sec_retirement_amount", OPTIONAL),
        code("Pension", "pension", HudList::NoYesNotCollected, OPTIONAL),
        money("PensionAmount", "pension_amount", OPTIONAL),
        code("ChildSupport", "child_support", HudList::NoYesNotCollected, OPTIONAL),
        money("ChildSupportAmount", "child_support_amount", OPTIONAL),
        code("Alimony", "alimony", HudList::NoYesNotCollected, OPTIONAL),
        money("AlimonyAmount", "alimony_amount", OPTIONAL),
        code("OtherIncomeSource", "other_income_source", HudList::NoYesNotCollected, OPTIONAL),
        money("OtherIncomeAmount", "other_income_amount", OPTIONAL),
        text("OtherIncomeSourceIdentify", "other_income_source_identify", 50, OPTIONAL),
        code("BenefitsFromAnySource", "benefits_from_any_source", HudList::NoYesMissing, OPTIONAL),
        code("SNAP", "snap", HudList::NoYesNotCollected, OPTIONAL),
        code("WIC", "wic", HudList::NoYesNotCollected, OPTIONAL),
        code("TANFChildCare", "tanf_child_care", HudList::NoYesNotCollected, OPTIONAL),
        code("TANFTransportation", "tanf_transportation", HudList::NoYesNotCollected, OPTIONAL),
        code("OtherTANF", "other_tanf", HudList::NoYesNotCollected, OPTIONAL),
        code("OtherBenefitsSource", "other_benefits_source", HudList::NoYesNotCollected, OPTIONAL),
        text("OtherBenefitsSourceIdentify", "other_benefits_source_identify", 50, OPTIONAL),
        code(
            "InsuranceFromAnySource",
            "insurance_from_any_source",
            HudList::NoYesMissing,
            OPTIONAL,
        ),
        code("Medicaid", "medicaid", HudList::NoYesNotCollected, OPTIONAL),
        code("NoMedicaidReason", "no_medicaid_reason", HudList::ReasonNotInsured, OPTIONAL),
        code("Medicare", "medicare", HudList::NoYesNotCollected, OPTIONAL),
        code("NoMedicareReason", "no_medicare_reason", HudList::ReasonNotInsured, OPTIONAL),
        code("SCHIP", "schip", HudList::NoYesNotCollected, OPTIONAL),
        code("NoSCHIPReason", "no_schip_reason", HudList::ReasonNotInsured, OPTIONAL),
        code("VHAServices", "vha_services", HudList::NoYesNotCollected, OPTIONAL),
        code("NoVHAReason", "no_vha_reason", HudList::ReasonNotInsured, OPTIONAL),
        code("EmployerProvided", "employer_provided", HudList::NoYesNotCollected, OPTIONAL),
        code(
            "NoEmployerProvidedReason",
            "no_employer_provided_reason",
            HudList::ReasonNotInsured,
            OPTIONAL,
        ),
        code("COBRA", "cobra", HudList::NoYesNotCollected, OPTIONAL),
        code("NoCOBRAReason", "no_cobra_reason", HudList::ReasonNotInsured, OPTIONAL),
        code("PrivatePay", "private_pay", HudList::NoYesNotCollected, OPTIONAL),
        code("NoPrivatePayReason", "no_private_pay_reason", HudList::ReasonNotInsured, OPTIONAL),
        code("StateHealthIns", "state_health_ins", HudList::NoYesNotCollected, OPTIONAL),
        code(
            "NoStateHealthInsReason",
            "no_state_health_ins_reason",
            HudList::ReasonNotInsured,
            OPTIONAL,
        ),
        code(
            "IndianHealthServices",
            "indian_health_services",
            HudList::NoYesNotCollected,
            OPTIONAL,
        ),
        code(
            "NoIndianHealthServicesReason",
            "no_indian_health_services_reason",
            HudList::ReasonNotInsured,
            OPTIONAL,
        ),
        code("OtherInsurance", "other_insurance", HudList::NoYesNotCollected, OPTIONAL),
        text("OtherInsuranceIdentify", "other_insurance_identify", 50, OPTIONAL),
        code("ADAP", "adap", HudList::NoYesMissing, OPTIONAL),
        code("NoADAPReason", "no_adap_reason", HudList::NoAssistanceReason, OPTIONAL),
        code("RyanWhiteMedDent", "ryan_white_med_dent", HudList::NoYesMissing, OPTIONAL),
        code("NoRyanWhiteReason", "no_ryan_white_reason", HudList::NoAssistanceReason, OPTIONAL),
        code("ConnectionWithSOAR", "connection_with_soar", HudList::NoYesMissing, OPTIONAL),
        code(
            "DataCollectionStage",
            "data_collection_stage",
            HudList::DataCollectionStage,
            REQUIRED,
        ),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// HealthAndDV.csv: 4.11 domestic violence, R7-R10 health and pregnancy.
#[rustfmt::skip]
pub const HEALTH_AND_DV: CsvFile = CsvFile {
    name: "HealthAndDV",
    columns: &[
        text("HealthAndDVID", "health_and_dvid", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        date("InformationDate", "information_date", REQUIRED),
        code(
            "DomesticViolenceSurvivor",
            "domestic_violence_survivor",
            HudList::NoYesMissing,
            OPTIONAL,
        ),
        code("WhenOccurred", "when_occurred", HudList::WhenDvOccurred, OPTIONAL),
        code("CurrentlyFleeing", "currently_fleeing", HudList::NoYesMissing, OPTIONAL),
        code("GeneralHealthStatus", "general_health_status", HudList::HealthStatus, OPTIONAL),
        code("DentalHealthStatus", "dental_health_status", HudList::HealthStatus, OPTIONAL),
        code("MentalHealthStatus", "mental_health_status", HudList::HealthStatus, OPTIONAL),
        code("PregnancyStatus", "pregnancy_status", HudList::NoYesMissing, OPTIONAL),
        date("DueDate", "due_date", OPTIONAL),
        code(
            "DataCollectionStage",
            "data_collection_stage",
            HudList::DataCollectionStage,
            REQUIRED,
        ),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// EmploymentEducation.csv: R4 grade, R5 school status, R6 employment.
#[rustfmt::skip]
pub const EMPLOYMENT_EDUCATION: CsvFile = CsvFile {
    name: "EmploymentEducation",
    columns: &[
        text("EmploymentEducationID", "employment_education_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        date("InformationDate", "information_date", REQUIRED),
        code("LastGradeCompleted", "last_grade_completed", HudList::LastGradeCompleted, OPTIONAL),
        code("SchoolStatus", "school_status", HudList::SchoolStatus, OPTIONAL),
        code("Employed", "employed", HudList::NoYesMissing, OPTIONAL),
        code("EmploymentType", "employment_type", HudList::EmploymentType, OPTIONAL),
        code("NotEmployedReason", "not_employed_reason", HudList::NotEmployedReason, OPTIONAL),
        code(
            "DataCollectionStage",
            "data_collection_stage",
            HudList::DataCollectionStage,
            REQUIRED,
        ),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// Disabilities.csv: 4.05-4.10, one row per DisabilityType and stage, W4 T-cell and viral load, W6.
#[rustfmt::skip]
pub const DISABILITIES: CsvFile = CsvFile {
    name: "Disabilities",
    columns: &[
        text("DisabilitiesID", "disabilities_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        date("InformationDate", "information_date", REQUIRED),
        code("DisabilityType", "disability_type", HudList::DisabilityType, REQUIRED),
        code_when(
            "DisabilityResponse",
            "disability_response",
            DISABILITIES_DISABILITY_RESPONSE,
            REQUIRED,
        ),
        code("IndefiniteAndImpairs", "indefinite_and_impairs", HudList::NoYesMissing, OPTIONAL),
        code("TCellCountAvailable", "t_cell_count_available", HudList::NoYesMissing, OPTIONAL),
        // count (not coded)
        uncoded("TCellCount", "t_cell_count", OPTIONAL),
        code("TCellSource", "t_cell_source", HudList::TCellViralLoadSource, OPTIONAL),
        code("ViralLoadAvailable", "viral_load_available", HudList::ViralLoadAvailable, OPTIONAL),
        // count (not coded)
        uncoded("ViralLoad", "viral_load", OPTIONAL),
        code("ViralLoadSource", "viral_load_source", HudList::TCellViralLoadSource, OPTIONAL),
        code("AntiRetroviral", "anti_retroviral", HudList::NoYesMissing, OPTIONAL),
        code(
            "DataCollectionStage",
            "data_collection_stage",
            HudList::DataCollectionStage,
            REQUIRED,
        ),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// YouthEducationStatus.csv: C3 school attendance and education status.
#[rustfmt::skip]
pub const YOUTH_EDUCATION_STATUS: CsvFile = CsvFile {
    name: "YouthEducationStatus",
    columns: &[
        text("YouthEducationStatusID", "youth_education_status_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        date("InformationDate", "information_date", REQUIRED),
        code(
            "CurrentSchoolAttend",
            "current_school_attend",
            HudList::CurrentSchoolAttended,
            OPTIONAL,
        ),
        code("MostRecentEdStatus", "most_recent_ed_status", HudList::MostRecentEdStatus, OPTIONAL),
        code("CurrentEdStatus", "current_ed_status", HudList::CurrentEdStatus, OPTIONAL),
        code(
            "DataCollectionStage",
            "data_collection_stage",
            HudList::DataCollectionStage,
            REQUIRED,
        ),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

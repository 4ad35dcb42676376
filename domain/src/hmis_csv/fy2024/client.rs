//! HMIS CSV FY2024: the client, the enrollment and the exit, columns in header order.
//!
//! Generated from `domain/hud/csv-columns-fy2024.csv` and `domain/hud/column-lists.csv` by
//! `python3 scripts/gen-hud-codes.py`: change those, not this file.

use crate::codes::HudList;
use crate::hmis_csv::{code, date, datetime, retired, text, uncoded, CsvFile, OPTIONAL, REQUIRED};

/// Client.csv: 3.01-3.04 (HispanicLatinaeo), 3.06 gender (Woman ... GenderNone,
/// DifferentIdentityText), 3.07, V1 veteran details; no 4.21 Sex.
#[rustfmt::skip]
pub const CLIENT: CsvFile = CsvFile {
    name: "Client",
    columns: &[
        text("PersonalID", "personal_id", 32, REQUIRED),
        text("FirstName", "first_name", 50, OPTIONAL),
        text("MiddleName", "middle_name", 50, OPTIONAL),
        text("LastName", "last_name", 50, OPTIONAL),
        text("NameSuffix", "name_suffix", 50, OPTIONAL),
        code("NameDataQuality", "name_data_quality", HudList::DataQuality, REQUIRED),
        text("SSN", "ssn", 9, OPTIONAL),
        code("SSNDataQuality", "ssn_data_quality", HudList::DataQuality, REQUIRED),
        date("DOB", "dob", OPTIONAL),
        code("DOBDataQuality", "dob_data_quality", HudList::DataQuality, REQUIRED),
        code("AmIndAKNative", "am_ind_ak_native", HudList::NoYes, REQUIRED),
        code("Asian", "asian", HudList::NoYes, REQUIRED),
        code("BlackAfAmerican", "black_af_american", HudList::NoYes, REQUIRED),
        // 3.04: FY2026 spells it HispanicLatinao.
        code("HispanicLatinaeo", "hispanic_latinaeo", HudList::NoYes, REQUIRED),
        code("MidEastNAfrican", "mid_east_n_african", HudList::NoYes, REQUIRED),
        code("NativeHIPacific", "native_hi_pacific", HudList::NoYes, REQUIRED),
        code("White", "white", HudList::NoYes, REQUIRED),
        code("RaceNone", "race_none", HudList::RaceNone, OPTIONAL),
        text("AdditionalRaceEthnicity", "additional_race_ethnicity", 100, OPTIONAL),
        // 3.06 gender, dropped in FY2026.
        code("Woman", "woman", HudList::NoYes, REQUIRED),
        // 3.06 gender, dropped in FY2026.
        code("Man", "man", HudList::NoYes, REQUIRED),
        // 3.06 gender, dropped in FY2026.
        code("NonBinary", "non_binary", HudList::NoYes, REQUIRED),
        // 3.06 gender, dropped in FY2026.
        code("CulturallySpecific", "culturally_specific", HudList::NoYes, REQUIRED),
        // 3.06 gender, dropped in FY2026.
        code("Transgender", "transgender", HudList::NoYes, REQUIRED),
        // 3.06 gender, dropped in FY2026.
        code("Questioning", "questioning", HudList::NoYes, REQUIRED),
        // 3.06 gender, dropped in FY2026.
        code("DifferentIdentity", "different_identity", HudList::NoYes, REQUIRED),
        // 3.06 gender, dropped in FY2026 (1.6 was RaceGenderNone).
        code("GenderNone", "gender_none", HudList::RaceNone, OPTIONAL),
        text("DifferentIdentityText", "different_identity_text", 100, OPTIONAL),
        code("VeteranStatus", "veteran_status", HudList::NoYesMissing, REQUIRED),
        uncoded("YearEnteredService", "year_entered_service", OPTIONAL),
        uncoded("YearSeparated", "year_separated", OPTIONAL),
        code("WorldWarII", "world_war_ii", HudList::NoYesMissing, OPTIONAL),
        code("KoreanWar", "korean_war", HudList::NoYesMissing, OPTIONAL),
        code("VietnamWar", "vietnam_war", HudList::NoYesMissing, OPTIONAL),
        code("DesertStorm", "desert_storm", HudList::NoYesMissing, OPTIONAL),
        code("AfghanistanOEF", "afghanistan_oef", HudList::NoYesMissing, OPTIONAL),
        code("IraqOIF", "iraq_oif", HudList::NoYesMissing, OPTIONAL),
        code("IraqOND", "iraq_ond", HudList::NoYesMissing, OPTIONAL),
        code("OtherTheater", "other_theater", HudList::NoYesMissing, OPTIONAL),
        code("MilitaryBranch", "military_branch", HudList::MilitaryBranch, OPTIONAL),
        code("DischargeStatus", "discharge_status", HudList::DischargeStatus, OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// Enrollment.csv: FY2026's columns but V10, with R3 sexual orientation and C4 translation
/// assistance.
#[rustfmt::skip]
pub const ENROLLMENT: CsvFile = CsvFile {
    name: "Enrollment",
    columns: &[
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        text("ProjectID", "project_id", 32, REQUIRED),
        date("EntryDate", "entry_date", REQUIRED),
        text("HouseholdID", "household_id", 32, REQUIRED),
        code("RelationshipToHoH", "relationship_to_hoh", HudList::RelationshipToHoh, REQUIRED),
        text("EnrollmentCoC", "enrollment_coc", 6, OPTIONAL),
        code("LivingSituation", "living_situation", HudList::PriorLivingSituation, OPTIONAL),
        code("RentalSubsidyType", "rental_subsidy_type", HudList::RentalSubsidyType, OPTIONAL),
        code("LengthOfStay", "length_of_stay", HudList::LengthOfStay, OPTIONAL),
        code("LOSUnderThreshold", "los_under_threshold", HudList::NoYesNotCollected, OPTIONAL),
        code("PreviousStreetESSH", "previous_street_essh", HudList::NoYesNotCollected, OPTIONAL),
        date("DateToStreetESSH", "date_to_street_essh", OPTIONAL),
        code(
            "TimesHomelessPastThreeYears",
            "times_homeless_past_three_years",
            HudList::TimesHomelessPastThreeYears,
            OPTIONAL,
        ),
        code(
            "MonthsHomelessPastThreeYears",
            "months_homeless_past_three_years",
            HudList::MonthsHomelessPastThreeYears,
            OPTIONAL,
        ),
        code("DisablingCondition", "disabling_condition", HudList::NoYesMissing, REQUIRED),
        date("DateOfEngagement", "date_of_engagement", OPTIONAL),
        date("MoveInDate", "move_in_date", OPTIONAL),
        date("DateOfPATHStatus", "date_of_path_status", OPTIONAL),
        code(
            "ClientEnrolledInPATH",
            "client_enrolled_in_path",
            HudList::NoYesNotCollected,
            OPTIONAL,
        ),
        code("ReasonNotEnrolled", "reason_not_enrolled", HudList::ReasonNotEnrolled, OPTIONAL),
        code("PercentAMI", "percent_ami", HudList::PercentAmi, OPTIONAL),
        code("ReferralSource", "referral_source", HudList::ReferralSource, OPTIONAL),
        uncoded("CountOutreachReferralApproaches", "count_outreach_referral_approaches", OPTIONAL),
        date("DateOfBCPStatus", "date_of_bcp_status", OPTIONAL),
        code("EligibleForRHY", "eligible_for_rhy", HudList::NoYesNotCollected, OPTIONAL),
        code("ReasonNoServices", "reason_no_services", HudList::ReasonNoServices, OPTIONAL),
        code("RunawayYouth", "runaway_youth", HudList::NoYesMissing, OPTIONAL),
        // R3, dropped in FY2026.
        retired("SexualOrientation", "sexual_orientation", "R3.1 SexualOrientation", OPTIONAL),
        text("SexualOrientationOther", "sexual_orientation_other", 100, OPTIONAL),
        code(
            "FormerWardChildWelfare",
            "former_ward_child_welfare",
            HudList::NoYesMissing,
            OPTIONAL,
        ),
        code("ChildWelfareYears", "child_welfare_years", HudList::RhyNumberOfYears, OPTIONAL),
        uncoded("ChildWelfareMonths", "child_welfare_months", OPTIONAL),
        code(
            "FormerWardJuvenileJustice",
            "former_ward_juvenile_justice",
            HudList::NoYesMissing,
            OPTIONAL,
        ),
        code("JuvenileJusticeYears", "juvenile_justice_years", HudList::RhyNumberOfYears, OPTIONAL),
        uncoded("JuvenileJusticeMonths", "juvenile_justice_months", OPTIONAL),
        // R13: 1.7 in FY2024, 1.8 in FY2026.
        code("UnemploymentFam", "unemployment_fam", HudList::NoYesNotCollected, OPTIONAL),
        // R13: 1.7 in FY2024, 1.8 in FY2026.
        code(
            "MentalHealthDisorderFam",
            "mental_health_disorder_fam",
            HudList::NoYesNotCollected,
            OPTIONAL,
        ),
        // R13: 1.7 in FY2024, 1.8 in FY2026.
        code(
            "PhysicalDisabilityFam",
            "physical_disability_fam",
            HudList::NoYesNotCollected,
            OPTIONAL,
        ),
        // R13: 1.7 in FY2024, 1.8 in FY2026.
        code(
            "AlcoholDrugUseDisorderFam",
            "alcohol_drug_use_disorder_fam",
            HudList::NoYesNotCollected,
            OPTIONAL,
        ),
        // R13: 1.7 in FY2024, 1.8 in FY2026.
        code("InsufficientIncome", "insufficient_income", HudList::NoYesNotCollected, OPTIONAL),
        // R13: 1.7 in FY2024, 1.8 in FY2026.
        code("IncarceratedParent", "incarcerated_parent", HudList::NoYesNotCollected, OPTIONAL),
        text("VAMCStation", "vamc_station", 5, OPTIONAL),
        code("TargetScreenReqd", "target_screen_reqd", HudList::NoYesNotCollected, OPTIONAL),
        code("TimeToHousingLoss", "time_to_housing_loss", HudList::TimeToHousingLoss, OPTIONAL),
        code("AnnualPercentAMI", "annual_percent_ami", HudList::AnnualPercentAmi, OPTIONAL),
        code(
            "LiteralHomelessHistory",
            "literal_homeless_history",
            HudList::LiteralHomelessHistory,
            OPTIONAL,
        ),
        code("ClientLeaseholder", "client_leaseholder", HudList::NoYesNotCollected, OPTIONAL),
        code("HOHLeaseholder", "hoh_leaseholder", HudList::NoYesNotCollected, OPTIONAL),
        code("SubsidyAtRisk", "subsidy_at_risk", HudList::NoYesNotCollected, OPTIONAL),
        code("EvictionHistory", "eviction_history", HudList::EvictionHistory, OPTIONAL),
        code("CriminalRecord", "criminal_record", HudList::NoYesNotCollected, OPTIONAL),
        code("IncarceratedAdult", "incarcerated_adult", HudList::IncarceratedAdult, OPTIONAL),
        code("PrisonDischarge", "prison_discharge", HudList::NoYesNotCollected, OPTIONAL),
        code("SexOffender", "sex_offender", HudList::NoYesNotCollected, OPTIONAL),
        code("DisabledHoH", "disabled_hoh", HudList::NoYesNotCollected, OPTIONAL),
        code("CurrentPregnant", "current_pregnant", HudList::NoYesNotCollected, OPTIONAL),
        code("SingleParent", "single_parent", HudList::NoYesNotCollected, OPTIONAL),
        code("DependentUnder6", "dependent_under6", HudList::DependentUnder6, OPTIONAL),
        code("HH5Plus", "hh5_plus", HudList::NoYesNotCollected, OPTIONAL),
        code("CoCPrioritized", "coc_prioritized", HudList::NoYesNotCollected, OPTIONAL),
        uncoded("HPScreeningScore", "hp_screening_score", OPTIONAL),
        uncoded("ThresholdScore", "threshold_score", OPTIONAL),
        // C4, dropped in FY2026.
        code("TranslationNeeded", "translation_needed", HudList::NoYesMissing, OPTIONAL),
        // C4, dropped in FY2026.
        retired("PreferredLanguage", "preferred_language", "C4.A PreferredLanguage", OPTIONAL),
        text("PreferredLanguageDifferent", "preferred_language_different", 100, OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// Exit.csv: 3.11, 3.12 destination, W5, R15-R20, V9.
#[rustfmt::skip]
pub const EXIT: CsvFile = CsvFile {
    name: "Exit",
    columns: &[
        text("ExitID", "exit_id", 32, REQUIRED),
        text("EnrollmentID", "enrollment_id", 32, REQUIRED),
        text("PersonalID", "personal_id", 32, REQUIRED),
        date("ExitDate", "exit_date", REQUIRED),
        code("Destination", "destination", HudList::Destination, REQUIRED),
        code(
            "DestinationSubsidyType",
            "destination_subsidy_type",
            HudList::RentalSubsidyType,
            OPTIONAL,
        ),
        text("OtherDestination", "other_destination", 50, OPTIONAL),
        code("HousingAssessment", "housing_assessment", HudList::HousingAssessmentAtExit, OPTIONAL),
        code("SubsidyInformation", "subsidy_information", HudList::SubsidyInformation, OPTIONAL),
        code(
            "ProjectCompletionStatus",
            "project_completion_status",
            HudList::ProjectCompletionStatus,
            OPTIONAL,
        ),
        code("EarlyExitReason", "early_exit_reason", HudList::EarlyExitReason, OPTIONAL),
        code("ExchangeForSex", "exchange_for_sex", HudList::NoYesMissing, OPTIONAL),
        code(
            "ExchangeForSexPastThreeMonths",
            "exchange_for_sex_past_three_months",
            HudList::NoYesMissing,
            OPTIONAL,
        ),
        code(
            "CountOfExchangeForSex",
            "count_of_exchange_for_sex",
            HudList::CountOfExchangeForSex,
            OPTIONAL,
        ),
        code(
            "AskedOrForcedToExchangeForSex",
            "asked_or_forced_to_exchange_for_sex",
            HudList::NoYesMissing,
            OPTIONAL,
        ),
        code(
            "AskedOrForcedToExchangeForSexPastThreeMonths",
            "asked_or_forced_to_exchange_for_sex_past_three_months",
            HudList::NoYesMissing,
            OPTIONAL,
        ),
        code(
            "WorkplaceViolenceThreats",
            "workplace_violence_threats",
            HudList::NoYesMissing,
            OPTIONAL,
        ),
        code(
            "WorkplacePromiseDifference",
            "workplace_promise_difference",
            HudList::NoYesMissing,
            OPTIONAL,
        ),
        code("CoercedToContinueWork", "coerced_to_continue_work", HudList::NoYesMissing, OPTIONAL),
        code(
            "LaborExploitPastThreeMonths",
            "labor_exploit_past_three_months",
            HudList::NoYesMissing,
            OPTIONAL,
        ),
        // 1.7 in FY2024, 1.10 in FY2026.
        code("CounselingReceived", "counseling_received", HudList::NoYesNotCollected, OPTIONAL),
        // 1.7 in FY2024, 1.10 in FY2026.
        code("IndividualCounseling", "individual_counseling", HudList::NoYesNotCollected, OPTIONAL),
        // 1.7 in FY2024, 1.10 in FY2026.
        code("FamilyCounseling", "family_counseling", HudList::NoYesNotCollected, OPTIONAL),
        // 1.7 in FY2024, 1.10 in FY2026.
        code("GroupCounseling", "group_counseling", HudList::NoYesNotCollected, OPTIONAL),
        uncoded("SessionCountAtExit", "session_count_at_exit", OPTIONAL),
        // 1.7 in FY2024, 1.10 in FY2026.
        code(
            "PostExitCounselingPlan",
            "post_exit_counseling_plan",
            HudList::NoYesNotCollected,
            OPTIONAL,
        ),
        uncoded("SessionsInPlan", "sessions_in_plan", OPTIONAL),
        code("DestinationSafeClient", "destination_safe_client", HudList::NoYesMissing, OPTIONAL),
        code("DestinationSafeWorker", "destination_safe_worker", HudList::WorkerResponse, OPTIONAL),
        code("PosAdultConnections", "pos_adult_connections", HudList::WorkerResponse, OPTIONAL),
        code("PosPeerConnections", "pos_peer_connections", HudList::WorkerResponse, OPTIONAL),
        code(
            "PosCommunityConnections",
            "pos_community_connections",
            HudList::WorkerResponse,
            OPTIONAL,
        ),
        date("AftercareDate", "aftercare_date", OPTIONAL),
        code("AftercareProvided", "aftercare_provided", HudList::AftercareProvided, OPTIONAL),
        // 1.7 in FY2024, 1.10 in FY2026.
        code("EmailSocialMedia", "email_social_media", HudList::NoYesNotCollected, OPTIONAL),
        // 1.7 in FY2024, 1.10 in FY2026.
        code("Telephone", "telephone", HudList::NoYesNotCollected, OPTIONAL),
        // 1.7 in FY2024, 1.10 in FY2026.
        code("InPersonIndividual", "in_person_individual", HudList::NoYesNotCollected, OPTIONAL),
        // 1.7 in FY2024, 1.10 in FY2026.
        code("InPersonGroup", "in_person_group", HudList::NoYesNotCollected, OPTIONAL),
        code("CMExitReason", "cm_exit_reason", HudList::CmExitReason, OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

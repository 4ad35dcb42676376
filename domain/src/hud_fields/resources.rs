//! The HUD fields of a client (Client.csv), an enrollment (Enrollment.csv), an exit
//! (Exit.csv), a program (Project.csv), a grant (Funder.csv) and an organization
//! (Organization.csv) beside the fields each resource holds as its own.
//!
//! Each resource's own fields (names, dates, codes the rules read: `entry_date`,
//! `relationship_to_hoh`, `project_type`, ...) are typed and checked by its own body; every
//! other column of its file is a HUD field named by the contract's rule, read and checked
//! against the catalog ([`super::parse_fields`]), with the consistency the Data Standards
//! and the CSV specifications ask of it ([`check_consistency`]). Which columns are which is
//! said once, here ([`Resource::own_columns`]), so that nothing of a file is lost: every
//! column is an own field, a HUD field or bookkeeping.

use chrono::Datelike;

use crate::dates::Date;
use crate::hmis_csv::{fy2026, Column, CsvFile};
use crate::rules::FieldError;

use super::{check_conditional_codes, FieldChanges, FieldSet, HudFields, HudValue};

/// A resource whose HMIS CSV file has columns beyond the resource's own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    Client,
    Enrollment,
    Exit,
    Program,
    Grant,
    Organization,
}

/// The columns every file ends with: the export's bookkeeping, which a resource holds as its
/// audit fields (`created_at`, `updated_at`, `updated_by`, `deleted_at`) or not at all.
pub const BOOKKEEPING: [&str; 5] = [
    "DateCreated",
    "DateUpdated",
    "UserID",
    "DateDeleted",
    "ExportID",
];

/// Client.csv's race and ethnicity columns (3.04), one list field of the client.
const RACE_COLUMNS: [&str; 7] = [
    "AmIndAKNative",
    "Asian",
    "BlackAfAmerican",
    "HispanicLatinao",
    "MidEastNAfrican",
    "NativeHIPacific",
    "White",
];

/// V1 Veteran's Information: asked of a veteran only (Client.csv: "expected null unless
/// VeteranStatus = 1").
pub const VETERAN_DETAILS: [&str; 12] = [
    "year_entered_service",
    "year_separated",
    "world_war_ii",
    "korean_war",
    "vietnam_war",
    "desert_storm",
    "afghanistan_oef",
    "iraq_oif",
    "iraq_ond",
    "other_theater",
    "military_branch",
    "discharge_status",
];

/// The HMIS Data Standards FY2026 element of each HUD field (by column), for the
/// descriptions of the API and the README's table of files.
const ELEMENTS: &[(&str, &[&str])] = &[
    ("2.01", &["OrganizationCommonName"]),
    ("2.02", &["ProjectCommonName", "PITCount"]),
    ("2.02.D", &["HousingType"]),
    ("2.02.A", &["RRHSubType"]),
    ("2.02.B", &["ResidentialAffiliation"]),
    ("2.02.7", &["TargetPopulation"]),
    ("2.02.8", &["HOPWAMedAssistedLivingFac"]),
    ("3.04", &["AdditionalRaceEthnicity"]),
    ("3.917", &["RentalSubsidyType"]),
    ("3.917.2", &["LOSUnderThreshold", "PreviousStreetESSH"]),
    ("3.917.3", &["DateToStreetESSH"]),
    ("3.917.4", &["TimesHomelessPastThreeYears"]),
    ("3.917.5", &["MonthsHomelessPastThreeYears"]),
    ("4.13", &["DateOfEngagement"]),
    (
        "P3",
        &[
            "DateOfPATHStatus",
            "ClientEnrolledInPATH",
            "ReasonNotEnrolled",
        ],
    ),
    ("R1", &["ReferralSource", "CountOutreachReferralApproaches"]),
    (
        "R2",
        &[
            "DateOfBCPStatus",
            "EligibleForRHY",
            "ReasonNoServices",
            "RunawayYouth",
        ],
    ),
    (
        "R11",
        &[
            "FormerWardChildWelfare",
            "ChildWelfareYears",
            "ChildWelfareMonths",
        ],
    ),
    (
        "R12",
        &[
            "FormerWardJuvenileJustice",
            "JuvenileJusticeYears",
            "JuvenileJusticeMonths",
        ],
    ),
    (
        "R13",
        &[
            "UnemploymentFam",
            "MentalHealthDisorderFam",
            "PhysicalDisabilityFam",
            "AlcoholDrugUseDisorderFam",
            "InsufficientIncome",
            "IncarceratedParent",
        ],
    ),
    (
        "R15",
        &[
            "ExchangeForSex",
            "ExchangeForSexPastThreeMonths",
            "CountOfExchangeForSex",
            "AskedOrForcedToExchangeForSex",
            "AskedOrForcedToExchangeForSexPastThreeMonths",
        ],
    ),
    (
        "R16",
        &[
            "WorkplaceViolenceThreats",
            "WorkplacePromiseDifference",
            "CoercedToContinueWork",
            "LaborExploitPastThreeMonths",
        ],
    ),
    ("R17", &["ProjectCompletionStatus", "EarlyExitReason"]),
    (
        "R18",
        &[
            "CounselingReceived",
            "IndividualCounseling",
            "FamilyCounseling",
            "GroupCounseling",
            "SessionCountAtExit",
            "PostExitCounselingPlan",
            "SessionsInPlan",
        ],
    ),
    (
        "R19",
        &[
            "DestinationSafeClient",
            "DestinationSafeWorker",
            "PosAdultConnections",
            "PosPeerConnections",
            "PosCommunityConnections",
        ],
    ),
    (
        "R20",
        &[
            "AftercareDate",
            "AftercareProvided",
            "EmailSocialMedia",
            "Telephone",
            "InPersonIndividual",
            "InPersonGroup",
        ],
    ),
    (
        "V1",
        &[
            "YearEnteredService",
            "YearSeparated",
            "WorldWarII",
            "KoreanWar",
            "VietnamWar",
            "DesertStorm",
            "AfghanistanOEF",
            "IraqOIF",
            "IraqOND",
            "OtherTheater",
            "MilitaryBranch",
            "DischargeStatus",
        ],
    ),
    ("V4", &["PercentAMI"]),
    ("V6", &["VAMCStation"]),
    (
        "V7",
        &[
            "TargetScreenReqd",
            "TimeToHousingLoss",
            "AnnualPercentAMI",
            "LiteralHomelessHistory",
            "ClientLeaseholder",
            "HOHLeaseholder",
            "SubsidyAtRisk",
            "EvictionHistory",
            "CriminalRecord",
            "IncarceratedAdult",
            "PrisonDischarge",
            "SexOffender",
            "DisabledHoH",
            "CurrentPregnant",
            "SingleParent",
            "DependentUnder6",
            "HH5Plus",
            "CoCPrioritized",
            "HPScreeningScore",
            "ThresholdScore",
        ],
    ),
    ("V9", &["CMExitReason"]),
    ("V10", &["MentalHealthConsultation"]),
    ("W5", &["HousingAssessment", "SubsidyInformation"]),
];

/// V1.1 and V1.2: the earliest year HUD's specifications take (`year 1920 to current year`).
const FIRST_SERVICE_YEAR: i32 = 1920;

/// Dates of an enrollment that lie within it: 4.13 date of engagement, P1 date of PATH
/// status determination, R2 date of RHY-BCP status determination.
const ENROLLMENT_DATES: [&str; 3] = [
    "date_of_engagement",
    "date_of_path_status",
    "date_of_bcp_status",
];

/// R18 counseling sessions: counts above 0 ("count > 0").
const SESSION_COUNTS: [&str; 2] = ["session_count_at_exit", "sessions_in_plan"];

/// HMIS CSV Project.ProjectType 13, rapid re-housing, the one project type whose
/// `RRHSubType` (2.02.A) is recorded.
const RAPID_RE_HOUSING: i32 = 13;
/// Services only (6): the one project type that says whether it is affiliated with a
/// residential project (2.02.B).
const SERVICES_ONLY: i32 = 6;

impl Resource {
    pub const ALL: [Resource; 6] = [
        Resource::Client,
        Resource::Enrollment,
        Resource::Exit,
        Resource::Program,
        Resource::Grant,
        Resource::Organization,
    ];

    /// The HMIS CSV FY2026 file the resource is exported as.
    pub const fn file(self) -> &'static CsvFile {
        match self {
            Resource::Client => &fy2026::CLIENT,
            Resource::Enrollment => &fy2026::ENROLLMENT,
            Resource::Exit => &fy2026::EXIT,
            Resource::Program => &fy2026::PROJECT,
            Resource::Grant => &fy2026::FUNDER,
            Resource::Organization => &fy2026::ORGANIZATION,
        }
    }

    /// The resource's name in the API (`program` for a Project, `grant` for a Funder).
    pub const fn name(self) -> &'static str {
        match self {
            Resource::Client => "client",
            Resource::Enrollment => "enrollment",
            Resource::Exit => "exit",
            Resource::Program => "program",
            Resource::Grant => "grant",
            Resource::Organization => "organization",
        }
    }

    /// The file's columns the resource holds as its own fields, each with the field (or
    /// what stands for it) in the API.
    pub fn own_columns(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Resource::Client => &[
                ("PersonalID", "id"),
                ("FirstName", "first_name"),
                ("MiddleName", "middle_name"),
                ("LastName", "last_name"),
                ("NameSuffix", "name_suffix"),
                ("NameDataQuality", "name_data_quality"),
                ("SSN", "ssn (write-only; ssn_last4 is read)"),
                ("SSNDataQuality", "ssn_data_quality"),
                ("DOB", "dob"),
                ("DOBDataQuality", "dob_data_quality"),
                ("Sex", "sex"),
                ("AmIndAKNative", "race_ethnicity: am_ind_ak_native"),
                ("Asian", "race_ethnicity: asian"),
                ("BlackAfAmerican", "race_ethnicity: black_af_american"),
                ("HispanicLatinao", "race_ethnicity: hispanic_latinaeo"),
                ("MidEastNAfrican", "race_ethnicity: mid_east_n_african"),
                ("NativeHIPacific", "race_ethnicity: native_hi_pacific"),
                ("White", "race_ethnicity: white"),
                ("RaceNone", "race_none"),
                ("VeteranStatus", "veteran_status"),
            ],
            Resource::Enrollment => &[
                ("EnrollmentID", "id"),
                ("PersonalID", "client_id"),
                ("ProjectID", "program_id"),
                ("EntryDate", "entry_date"),
                ("HouseholdID", "household_id"),
                ("RelationshipToHoH", "relationship_to_hoh"),
                ("EnrollmentCoC", "enrollment_coc"),
                ("LivingSituation", "prior_living_situation"),
                ("LengthOfStay", "length_of_stay"),
                ("DisablingCondition", "disabling_condition"),
                ("MoveInDate", "move_in_date"),
            ],
            Resource::Exit => &[
                ("ExitID", "the enrollment's id (one exit per enrollment)"),
                ("EnrollmentID", "the enrollment's id"),
                ("PersonalID", "the enrollment's client_id"),
                ("ExitDate", "exit_date"),
                ("Destination", "destination"),
                ("DestinationSubsidyType", "destination_subsidy_type"),
                ("OtherDestination", "other_destination"),
            ],
            Resource::Program => &[
                ("ProjectID", "id"),
                ("OrganizationID", "organization_id"),
                ("ProjectName", "name"),
                ("OperatingStartDate", "operating_start_date"),
                ("OperatingEndDate", "operating_end_date"),
                ("ContinuumProject", "continuum_project"),
                ("ProjectType", "project_type"),
            ],
            Resource::Grant => &[
                ("FunderID", "id"),
                ("ProjectID", "program_id"),
                ("Funder", "funder"),
                ("OtherFunder", "other_funder"),
                ("GrantID", "grant_identifier"),
                ("StartDate", "start_date"),
                ("EndDate", "end_date"),
            ],
            Resource::Organization => &[
                ("OrganizationID", "id"),
                ("OrganizationName", "name"),
                ("VictimServiceProvider", "victim_service_provider"),
            ],
        }
    }

    /// Whether the column called `name` is one of the resource's own fields.
    pub fn is_own(self, name: &str) -> bool {
        self.own_columns().iter().any(|(column, _)| *column == name)
    }

    /// The Data Standards element of the HUD field of `column` (`3.917.3` for
    /// `DateToStreetESSH`).
    pub fn element(column: &str) -> Option<&'static str> {
        ELEMENTS
            .iter()
            .find(|(_, columns)| columns.contains(&column))
            .map(|(element, _)| *element)
    }

    /// The race and ethnicity columns that make up one list field of a client.
    pub fn race_columns() -> &'static [&'static str] {
        &RACE_COLUMNS
    }
}

/// A resource's HUD fields are its file's columns but its own fields and the bookkeeping.
impl FieldSet for Resource {
    fn file(self) -> &'static CsvFile {
        Resource::file(self)
    }

    fn is_field(self, column: &Column) -> bool {
        !self.is_own(column.name) && !BOOKKEEPING.contains(&column.name)
    }
}

/// What the consistency of a resource's HUD fields reads of its own fields and the day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Own {
    /// Today, the last year a veteran's service years may name.
    pub today: Option<Date>,
    /// A client's 1.8 veteran status.
    pub veteran_status: Option<i32>,
    /// An enrollment's entry date (3.10) and exit date (3.11), or an exit's.
    pub entry_date: Option<Date>,
    pub exit_date: Option<Date>,
    /// A program's 2.02.6 project type.
    pub project_type: Option<i32>,
}

/// Every consistency problem of a resource's HUD fields, given its own fields: codes of a
/// list that depends on the row's other codes (W5 `subsidy_information` by
/// `housing_assessment`), and
///
/// - a client's V1 details only for a veteran (`veteran_status` 1), its years from 1920 to
///   this year, the year separated not before the year entered;
/// - an enrollment's 3.917.3 `date_to_street_essh` not after the entry date, and 4.13, P1
///   and R2's dates within the enrollment;
/// - an exit's W5 `subsidy_information` 1-4 when `housing_assessment` is 1 and 11-12 when
///   it is 2 (and only then), R18 session counts above 0, R20 `aftercare_date` not before
///   the exit;
/// - a program's 2.02.A `rrh_sub_type` only for rapid re-housing (13) and 2.02.B
///   `residential_affiliation` only for services only (6).
pub fn check_consistency(resource: Resource, fields: &HudFields, own: &Own) -> Vec<FieldError> {
    let mut errors = check_conditional_codes(resource, fields);
    match resource {
        Resource::Client => check_veteran(fields, own, &mut errors),
        Resource::Enrollment => check_enrollment_dates(fields, own, &mut errors),
        Resource::Exit => check_exit(fields, own, &mut errors),
        Resource::Program => check_program(fields, own, &mut errors),
        Resource::Grant | Resource::Organization => {}
    }
    errors
}

fn date(fields: &HudFields, field: &str) -> Option<Date> {
    match fields.get(field) {
        Some(HudValue::Date(date)) => Some(*date),
        _ => None,
    }
}

fn check_veteran(fields: &HudFields, own: &Own, errors: &mut Vec<FieldError>) {
    let veteran = own.veteran_status == Some(1);
    for field in VETERAN_DETAILS {
        if !veteran && fields.get(field).is_some() {
            errors.push(FieldError::new(
                field,
                "invalid",
                format!("`{field}` is only recorded for a veteran (`veteran_status` 1)"),
            ));
        }
    }
    let this_year = own.today.map(|today| today.naive().year());
    let mut years = [None, None];
    for (index, field) in ["year_entered_service", "year_separated"]
        .into_iter()
        .enumerate()
    {
        let Some(year) = fields.code(field) else {
            continue;
        };
        if year < FIRST_SERVICE_YEAR || this_year.is_some_and(|this_year| year > this_year) {
            errors.push(FieldError::new(
                field,
                "invalid",
                format!("`{field}` must be a year from {FIRST_SERVICE_YEAR} to this year"),
            ));
        } else {
            years[index] = Some(year);
        }
    }
    if let [Some(entered), Some(separated)] = years {
        if separated < entered {
            errors.push(FieldError::new(
                "year_separated",
                "invalid",
                format!(
                    "`year_separated` ({separated}) is before `year_entered_service` ({entered})"
                ),
            ));
        }
    }
}

fn check_enrollment_dates(fields: &HudFields, own: &Own, errors: &mut Vec<FieldError>) {
    let Some(entry) = own.entry_date else {
        return;
    };
    if let Some(started) = date(fields, "date_to_street_essh") {
        if started > entry {
            errors.push(FieldError::new(
                "date_to_street_essh",
                "invalid",
                format!(
                    "`date_to_street_essh` ({started}) is after the entry date ({entry}): the \
                     episode of homelessness started before the stay"
                ),
            ));
        }
    }
    for field in ENROLLMENT_DATES {
        let Some(day) = date(fields, field) else {
            continue;
        };
        let after_exit = own.exit_date.is_some_and(|exit| day > exit);
        if day < entry || after_exit {
            errors.push(FieldError::new(
                field,
                "invalid",
                format!("`{field}` ({day}) is not within the enrollment"),
            ));
        }
    }
}

fn check_exit(fields: &HudFields, own: &Own, errors: &mut Vec<FieldError>) {
    if let Some(subsidy) = fields.code("subsidy_information") {
        let codes: &[i32] = match fields.code("housing_assessment") {
            Some(1) => &[1, 2, 3, 4],
            Some(2) => &[11, 12],
            _ => &[],
        };
        if !codes.contains(&subsidy) {
            let message = if codes.is_empty() {
                "`subsidy_information` is only recorded when `housing_assessment` is 1 or 2"
                    .to_owned()
            } else {
                format!(
                    "{subsidy} is not one of the codes `subsidy_information` takes with this \
                     `housing_assessment` ({codes:?})"
                )
            };
            errors.push(FieldError::new("subsidy_information", "invalid", message));
        }
    }
    for field in SESSION_COUNTS {
        if fields.code(field) == Some(0) {
            errors.push(FieldError::new(
                field,
                "invalid",
                format!("`{field}` is a count of sessions above 0"),
            ));
        }
    }
    if let (Some(aftercare), Some(exit)) = (date(fields, "aftercare_date"), own.exit_date) {
        if aftercare < exit {
            errors.push(FieldError::new(
                "aftercare_date",
                "invalid",
                format!("`aftercare_date` ({aftercare}) is before the exit date ({exit})"),
            ));
        }
    }
}

fn check_program(fields: &HudFields, own: &Own, errors: &mut Vec<FieldError>) {
    for (field, project_type, name) in [
        ("rrh_sub_type", RAPID_RE_HOUSING, "rapid re-housing"),
        ("residential_affiliation", SERVICES_ONLY, "services only"),
    ] {
        if fields.get(field).is_some() && own.project_type != Some(project_type) {
            errors.push(FieldError::new(
                field,
                "invalid",
                format!("`{field}` is only recorded for {name} (`project_type` {project_type})"),
            ));
        }
    }
}

/// The problems of `after` that `before` did not have already (by field): a change is
/// refused only for what it breaks, so a record kept as another system sent it can still be
/// edited otherwise.
pub fn new_problems(before: &[FieldError], after: Vec<FieldError>) -> Vec<FieldError> {
    after
        .into_iter()
        .filter(|error| !before.iter().any(|old| old.field == error.field))
        .collect()
}

/// Applies `changes` to a resource's stored HUD fields and checks the result's consistency
/// with the resource's own fields (`own`; `own_before`, those of the stored resource, or
/// `None` for a new one): the problems the change makes, not those the stored fields had
/// already. Answers the fields to store.
pub fn apply_changes(
    resource: Resource,
    stored: &HudFields,
    changes: &FieldChanges,
    own_before: Option<&Own>,
    own: &Own,
) -> Result<HudFields, Vec<FieldError>> {
    let next = stored.merged(changes);
    let before = own_before
        .map(|own_before| check_consistency(resource, stored, own_before))
        .unwrap_or_default();
    let problems = new_problems(&before, check_consistency(resource, &next, own));
    if problems.is_empty() {
        Ok(next)
    } else {
        Err(problems)
    }
}

//! The columns of every HMIS CSV file, FY2026, in the order of the HUD HMIS CSV Format
//! Specifications: generated once from the project's `csv-columns-fy2026.csv` and kept here,
//! so the export writes, and the import can check, the same headers.

/// What a column holds, as the specification types it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text of at most this many characters (IDs are `Text(32)`).
    Text(usize),
    /// An integer code.
    Integer,
    /// `yyyy-mm-dd`.
    Date,
    /// `yyyy-mm-dd hh:mm:ss`.
    DateTime,
    /// Dollars, like `125.50`.
    Money,
}

/// One column of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnType,
    /// Must be filled on every row.
    pub required: bool,
}

/// One CSV file of an export: `name` without `.csv`, its columns in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvFile {
    pub name: &'static str,
    pub columns: &'static [Column],
}

impl CsvFile {
    /// `Client.csv` for `Client`.
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    /// The header row.
    pub fn header(&self) -> impl Iterator<Item = &'static str> {
        self.columns.iter().map(|column| column.name)
    }

    /// Where a column sits, matching its name case-insensitively.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|column| column.name.eq_ignore_ascii_case(name))
    }
}

/// The file called `name` (without `.csv`, any case).
pub fn file(name: &str) -> Option<&'static CsvFile> {
    FILES
        .iter()
        .find(|file| file.name.eq_ignore_ascii_case(name))
}

const fn column(name: &'static str, kind: ColumnType, required: bool) -> Column {
    Column {
        name,
        kind,
        required,
    }
}

use ColumnType::{Date, DateTime, Integer, Money, Text};

pub const EXPORT: CsvFile = CsvFile {
    name: "Export",
    columns: &[
        column("ExportID", Text(32), true),
        column("SourceType", Integer, true),
        column("SourceID", Text(350), false),
        column("SourceName", Text(50), false),
        column("SourceContactFirst", Text(50), false),
        column("SourceContactLast", Text(50), false),
        column("SourceContactPhone", Text(10), false),
        column("SourceContactExtension", Text(5), false),
        column("SourceContactEmail", Text(320), false),
        column("ExportDate", DateTime, true),
        column("ExportStartDate", Date, true),
        column("ExportEndDate", Date, true),
        column("SoftwareName", Text(50), true),
        column("SoftwareVersion", Text(50), false),
        column("CSVVersion", Text(50), true),
        column("ExportPeriodType", Integer, true),
        column("ExportDirective", Integer, true),
        column("HashStatus", Integer, true),
        column("ImplementationID", Text(200), true),
    ],
};

pub const ORGANIZATION: CsvFile = CsvFile {
    name: "Organization",
    columns: &[
        column("OrganizationID", Text(32), true),
        column("OrganizationName", Text(200), true),
        column("VictimServiceProvider", Integer, true),
        column("OrganizationCommonName", Text(200), false),
        column("DateCreated", DateTime, true),
        column("DateUpdated", DateTime, true),
        column("UserID", Text(32), true),
        column("DateDeleted", DateTime, false),
        column("ExportID", Text(32), true),
    ],
};

pub const USER: CsvFile = CsvFile {
    name: "User",
    columns: &[
        column("UserID", Text(32), true),
        column("UserFirstName", Text(50), false),
        column("UserLastName", Text(50), false),
        column("UserPhone", Text(10), false),
        column("UserExtension", Text(5), false),
        column("UserEmail", Text(320), false),
        column("DateCreated", DateTime, true),
        column("DateUpdated", DateTime, true),
        column("DateDeleted", DateTime, false),
        column("ExportID", Text(32), true),
    ],
};

pub const PROJECT: CsvFile = CsvFile {
    name: "Project",
    columns: &[
        column("ProjectID", Text(32), true),
        column("OrganizationID", Text(32), true),
        column("ProjectName", Text(200), true),
        column("ProjectCommonName", Text(200), false),
        column("OperatingStartDate", Date, true),
        column("OperatingEndDate", Date, false),
        column("ContinuumProject", Integer, true),
        column("ProjectType", Integer, false),
        column("HousingType", Integer, false),
        column("RRHSubType", Integer, false),
        column("ResidentialAffiliation", Integer, false),
        column("TargetPopulation", Integer, false),
        column("HOPWAMedAssistedLivingFac", Integer, false),
        column("PITCount", Integer, false),
        column("DateCreated", DateTime, true),
        column("DateUpdated", DateTime, true),
        column("UserID", Text(32), true),
        column("DateDeleted", DateTime, false),
        column("ExportID", Text(32), true),
    ],
};

pub const FUNDER: CsvFile = CsvFile {
    name: "Funder",
    columns: &[
        column("FunderID", Text(32), true),
        column("ProjectID", Text(32), true),
        column("Funder", Integer, true),
        column("OtherFunder", Text(100), false),
        column("GrantID", Text(100), true),
        column("StartDate", Date, true),
        column("EndDate", Date, false),
        column("DateCreated", DateTime, true),
        column("DateUpdated", DateTime, true),
        column("UserID", Text(32), true),
        column("DateDeleted", DateTime, false),
        column("ExportID", Text(32), true),
    ],
};

pub const CLIENT: CsvFile = CsvFile {
    name: "Client",
    columns: &[
        column("PersonalID", Text(32), true),
        column("FirstName", Text(50), false),
        column("MiddleName", Text(50), false),
        column("LastName", Text(50), false),
        column("NameSuffix", Text(50), false),
        column("NameDataQuality", Integer, true),
        column("SSN", Text(9), false),
        column("SSNDataQuality", Integer, true),
        column("DOB", Date, false),
        column("DOBDataQuality", Integer, true),
        column("Sex", Integer, false),
        column("AmIndAKNative", Integer, true),
        column("Asian", Integer, true),
        column("BlackAfAmerican", Integer, true),
        column("HispanicLatinaeo", Integer, true),
        column("MidEastNAfrican", Integer, true),
        column("NativeHIPacific", Integer, true),
        column("White", Integer, true),
        column("RaceNone", Integer, false),
        column("AdditionalRaceEthnicity", Text(100), false),
        column("VeteranStatus", Integer, true),
        column("YearEnteredService", Integer, false),
        column("YearSeparated", Integer, false),
        column("WorldWarII", Integer, false),
        column("KoreanWar", Integer, false),
        column("VietnamWar", Integer, false),
        column("DesertStorm", Integer, false),
        column("AfghanistanOEF", Integer, false),
        column("IraqOIF", Integer, false),
        column("IraqOND", Integer, false),
        column("OtherTheater", Integer, false),
        column("MilitaryBranch", Integer, false),
        column("DischargeStatus", Integer, false),
        column("DateCreated", DateTime, true),
        column("DateUpdated", DateTime, true),
        column("UserID", Text(32), true),
        column("DateDeleted", DateTime, false),
        column("ExportID", Text(32), true),
    ],
};

pub const ENROLLMENT: CsvFile = CsvFile {
    name: "Enrollment",
    columns: &[
        column("EnrollmentID", Text(32), true),
        column("PersonalID", Text(32), true),
        column("ProjectID", Text(32), true),
        column("EntryDate", Date, true),
        column("HouseholdID", Text(32), true),
        column("RelationshipToHoH", Integer, true),
        column("EnrollmentCoC", Text(6), false),
        column("LivingSituation", Integer, false),
        column("RentalSubsidyType", Integer, false),
        column("LengthOfStay", Integer, false),
        column("LOSUnderThreshold", Integer, false),
        column("PreviousStreetESSH", Integer, false),
        column("DateToStreetESSH", Date, false),
        column("TimesHomelessPastThreeYears", Integer, false),
        column("MonthsHomelessPastThreeYears", Integer, false),
        column("DisablingCondition", Integer, true),
        column("DateOfEngagement", Date, false),
        column("MoveInDate", Date, false),
        column("DateOfPATHStatus", Date, false),
        column("ClientEnrolledInPATH", Integer, false),
        column("ReasonNotEnrolled", Integer, false),
        column("PercentAMI", Integer, false),
        column("ReferralSource", Integer, false),
        column("CountOutreachReferralApproaches", Integer, false),
        column("DateOfBCPStatus", Date, false),
        column("EligibleForRHY", Integer, false),
        column("ReasonNoServices", Integer, false),
        column("RunawayYouth", Integer, false),
        column("FormerWardChildWelfare", Integer, false),
        column("ChildWelfareYears", Integer, false),
        column("ChildWelfareMonths", Integer, false),
        column("FormerWardJuvenileJustice", Integer, false),
        column("JuvenileJusticeYears", Integer, false),
        column("JuvenileJusticeMonths", Integer, false),
        column("UnemploymentFam", Integer, false),
        column("MentalHealthDisorderFam", Integer, false),
        column("PhysicalDisabilityFam", Integer, false),
        column("AlcoholDrugUseDisorderFam", Integer, false),
        column("InsufficientIncome", Integer, false),
        column("IncarceratedParent", Integer, false),
        column("VAMCStation", Text(5), false),
        column("TargetScreenReqd", Integer, false),
        column("TimeToHousingLoss", Integer, false),
        column("AnnualPercentAMI", Integer, false),
        column("LiteralHomelessHistory", Integer, false),
        column("ClientLeaseholder", Integer, false),
        column("HOHLeaseholder", Integer, false),
        column("SubsidyAtRisk", Integer, false),
        column("EvictionHistory", Integer, false),
        column("CriminalRecord", Integer, false),
        column("IncarceratedAdult", Integer, false),
        column("PrisonDischarge", Integer, false),
        column("SexOffender", Integer, false),
        column("DisabledHoH", Integer, false),
        column("CurrentPregnant", Integer, false),
        column("SingleParent", Integer, false),
        column("DependentUnder6", Integer, false),
        column("HH5Plus", Integer, false),
        column("CoCPrioritized", Integer, false),
        column("HPScreeningScore", Integer, false),
        column("ThresholdScore", Integer, false),
        column("MentalHealthConsultation", Integer, false),
        column("DateCreated", DateTime, true),
        column("DateUpdated", DateTime, true),
        column("UserID", Text(32), true),
        column("DateDeleted", DateTime, false),
        column("ExportID", Text(32), true),
    ],
};

pub const EXIT: CsvFile = CsvFile {
    name: "Exit",
    columns: &[
        column("ExitID", Text(32), true),
        column("EnrollmentID", Text(32), true),
        column("PersonalID", Text(32), true),
        column("ExitDate", Date, true),
        column("Destination", Integer, true),
        column("DestinationSubsidyType", Integer, false),
        column("OtherDestination", Text(50), false),
        column("HousingAssessment", Integer, false),
        column("SubsidyInformation", Integer, false),
        column("ProjectCompletionStatus", Integer, false),
        column("EarlyExitReason", Integer, false),
        column("ExchangeForSex", Integer, false),
        column("ExchangeForSexPastThreeMonths", Integer, false),
        column("CountOfExchangeForSex", Integer, false),
        column("AskedOrForcedToExchangeForSex", Integer, false),
        column(
            "AskedOrForcedToExchangeForSexPastThreeMonths",
            Integer,
            false,
        ),
        column("WorkplaceViolenceThreats", Integer, false),
        column("WorkplacePromiseDifference", Integer, false),
        column("CoercedToContinueWork", Integer, false),
        column("LaborExploitPastThreeMonths", Integer, false),
        column("CounselingReceived", Integer, false),
        column("IndividualCounseling", Integer, false),
        column("FamilyCounseling", Integer, false),
        column("GroupCounseling", Integer, false),
        column("SessionCountAtExit", Integer, false),
        column("PostExitCounselingPlan", Integer, false),
        column("SessionsInPlan", Integer, false),
        column("DestinationSafeClient", Integer, false),
        column("DestinationSafeWorker", Integer, false),
        column("PosAdultConnections", Integer, false),
        column("PosPeerConnections", Integer, false),
        column("PosCommunityConnections", Integer, false),
        column("AftercareDate", Date, false),
        column("AftercareProvided", Integer, false),
        column("EmailSocialMedia", Integer, false),
        column("Telephone", Integer, false),
        column("InPersonIndividual", Integer, false),
        column("InPersonGroup", Integer, false),
        column("CMExitReason", Integer, false),
        column("DateCreated", DateTime, true),
        column("DateUpdated", DateTime, true),
        column("UserID", Text(32), true),
        column("DateDeleted", DateTime, false),
        column("ExportID", Text(32), true),
    ],
};

pub const ASSESSMENT: CsvFile = CsvFile {
    name: "Assessment",
    columns: &[
        column("AssessmentID", Text(32), true),
        column("EnrollmentID", Text(32), true),
        column("PersonalID", Text(32), true),
        column("AssessmentDate", Date, true),
        column("AssessmentLocation", Text(250), true),
        column("AssessmentType", Integer, true),
        column("AssessmentLevel", Integer, true),
        column("PrioritizationStatus", Integer, true),
        column("DateCreated", DateTime, true),
        column("DateUpdated", DateTime, true),
        column("UserID", Text(32), true),
        column("DateDeleted", DateTime, false),
        column("ExportID", Text(32), true),
    ],
};

pub const ASSESSMENT_QUESTIONS: CsvFile = CsvFile {
    name: "AssessmentQuestions",
    columns: &[
        column("AssessmentQuestionID", Text(32), true),
        column("AssessmentID", Text(32), true),
        column("EnrollmentID", Text(32), true),
        column("PersonalID", Text(32), true),
        column("AssessmentQuestionGroup", Text(250), false),
        column("AssessmentQuestionOrder", Integer, false),
        column("AssessmentQuestion", Text(250), true),
        column("AssessmentAnswer", Text(250), false),
        column("DateCreated", DateTime, true),
        column("DateUpdated", DateTime, true),
        column("UserID", Text(32), true),
        column("DateDeleted", DateTime, false),
        column("ExportID", Text(32), true),
    ],
};

pub const SERVICES: CsvFile = CsvFile {
    name: "Services",
    columns: &[
        column("ServicesID", Text(32), true),
        column("EnrollmentID", Text(32), true),
        column("PersonalID", Text(32), true),
        column("DateProvided", Date, true),
        column("RecordType", Integer, true),
        column("TypeProvided", Integer, true),
        column("OtherTypeProvided", Text(50), false),
        column("MovingOnOtherType", Text(50), false),
        column("SubTypeProvided", Integer, false),
        column("FAAmount", Money, false),
        column("FAStartDate", Date, false),
        column("FAEndDate", Date, false),
        column("ReferralOutcome", Integer, false),
        column("DateCreated", DateTime, true),
        column("DateUpdated", DateTime, true),
        column("UserID", Text(32), true),
        column("DateDeleted", DateTime, false),
        column("ExportID", Text(32), true),
    ],
};

/// Every file of an export, in the order they are written.
pub const FILES: &[CsvFile] = &[
    EXPORT,
    ORGANIZATION,
    USER,
    PROJECT,
    FUNDER,
    CLIENT,
    ENROLLMENT,
    EXIT,
    ASSESSMENT,
    ASSESSMENT_QUESTIONS,
    SERVICES,
];

//! HUD HMIS code lists (FY2026 Data Standards): one type per list, which holds only
//! the list's codes, grouped by the part of the Data Standards that defines the list,
//! and `HudList`, which names any of them.
//!
//! Generated from `domain/hud/code-lists.csv` by `python3 scripts/gen-hud-codes.py`: change those,
//! not this file.

mod coc;
mod general;
mod hopwa;
mod path;
mod program;
mod project;
mod rhy;
mod universal;
mod va;

pub use coc::*;
pub use general::*;
pub use hopwa::*;
pub use path::*;
pub use program::*;
pub use project::*;
pub use rhy::*;
pub use universal::*;
pub use va::*;

super::hud_list::list_index!(
    ExportPeriodType,
    ExportDirective,
    DisabilityType,
    ServiceRecordType,
    HashStatus,
    RaceNone,
    NoYesNotCollected,
    NoYesMissing,
    SourceType,
    NoYes,
    DataCollectionStage,
    ProjectType,
    TargetPopulation,
    HopwaMedAssistedLivingFac,
    RrhSubType,
    HousingType,
    GeographyType,
    FundingSource,
    HouseholdType,
    EsBedType,
    Availability,
    HmisParticipationType,
    Destination,
    RentalSubsidyType,
    RelationshipToHoh,
    PriorLivingSituation,
    LengthOfStay,
    TimesHomelessPastThreeYears,
    MonthsHomelessPastThreeYears,
    DataQuality,
    ReasonNotInsured,
    DisabilityResponse,
    WhenDvOccurred,
    CurrentLivingSituation,
    BedNight,
    AssessmentType,
    AssessmentLevel,
    PrioritizationStatus,
    EventType,
    ReferralResult,
    Sex,
    MovingOnAssistance,
    CurrentSchoolAttended,
    MostRecentEdStatus,
    CurrentEdStatus,
    PathService,
    PathReferral,
    PathReferralOutcome,
    ReasonNotEnrolled,
    ReferralSource,
    ReasonNoServices,
    LastGradeCompleted,
    SchoolStatus,
    EmploymentType,
    NotEmployedReason,
    HealthStatus,
    RhyNumberOfYears,
    RhyService,
    CountOfExchangeForSex,
    ProjectCompletionStatus,
    EarlyExitReason,
    WorkerResponse,
    AftercareProvided,
    MilitaryBranch,
    DischargeStatus,
    SsvfService,
    SsvfSubType3,
    SsvfSubType4,
    SsvfSubType5,
    SsvfFinancialAssistance,
    PercentAmi,
    TimeToHousingLoss,
    AnnualPercentAmi,
    LiteralHomelessHistory,
    EvictionHistory,
    IncarceratedAdult,
    DependentUnder6,
    VoucherTracking,
    CmExitReason,
    MentalHealthConsultation,
    HopwaService,
    HopwaFinancialAssistance,
    NoAssistanceReason,
    ViralLoadAvailable,
    TCellViralLoadSource,
    HousingAssessmentAtExit,
    SubsidyInformation,
);

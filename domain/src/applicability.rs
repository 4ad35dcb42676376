//! Which HUD data elements an enrollment must collect, about whom, when, and what is missing.
//!
//! The rules are data: one [`Row`] per element (HMIS Data Standards Manual FY2026 numbering),
//! saying where it is recorded (the HMIS CSV file and the API fields, named by the contract's
//! `snake_case` rule), whom it is collected about, at which data collection stages (HUD 5.03),
//! and which programs require it (project types, HUD 2.02.6, and funding sources, HUD 2.06.1).
//! Functions over plain facts answer whether an element applies to a person in a program
//! ([`Subject`]), which stages are due ([`Due`]) and what one household is missing
//! ([`completeness`]).
//!
//! Source: the FY2026 HMIS Data Dictionary's "Data Collected About", "Collection Point",
//! "Project Type Applicability" and "Funder: Program – Component" entries, as encoded per
//! element in Green River's public HMIS (`greenriver/hmis-warehouse`: the FY2026 assessment
//! form rules, the FY2026 funder components, and the Current Living Situation, services and
//! occurrence-point applicability lists), read against the HMIS Data Standards Manual FY2024
//! and the FY2026 change notes where the FY2026 manual itself was not available.
//!
//! Readings and simplifications, each also noted on its row:
//! - A program with no federal partner grant (none, 34 N/A, 46 local, HOME, PIH) collects the
//!   universal elements only; HUD's one exception is 4.14, every night-by-night shelter's bed
//!   nights. Coordinated entry projects (14) collect 4.19 and 4.20 whatever funds them.
//! - "All components except SSO Coordinated Entry" leaves out project type 14 only.
//! - A "component" of a federal program is its funding source: RHY Street Outreach is
//!   funder 25, BCP-Prevention is funder 22 on a homelessness prevention project (type 12).
//! - Adults are 18 or older at project start; an unknown date of birth counts as an adult.
//! - Client elements HUD collects "at record creation" (3.01-3.04, 3.07, 4.21, V1) are due
//!   at project start: the client record must hold them when the client enters.
//! - Only an element's lead fields are listed (`income_from_any_source`, not the sources and
//!   amounts): the fields that follow from an answer are the element's own consistency rules.
//!   So W4 (T-cell and viral load) and W6 (anti-retroviral), asked after a "yes" to 4.08
//!   HIV/AIDS, have no row of their own.
//! - Occurrence-point elements (3.20, 4.12-4.14, 4.19, 4.20, P3 and the services) are recorded
//!   when their event happens, which the record cannot show has happened: they apply, they
//!   are never reported missing.
//! - "Update" records are made as things change: no update is ever due. The annual
//!   assessment is due from the head's anniversary for members still enrolled (as the APR
//!   counts it), post-exit (R20) once its 180 days have passed.
//! - 4.13 asks for any federal partner grant, and 4.21 Sex (new in FY2026) for every federal
//!   partner: their FY2026 funder lists were not available.
//! - Funding sources retired before FY2026 (12, 47, 48, 49) require nothing here.

mod completeness;
mod element;
mod hopwa_va;
mod partners;
mod program_specific;
mod scope;
mod stored;
mod subject;
mod timeline;
mod universal;

use serde::{Serialize, Serializer};

pub use completeness::{
    completeness, member_statuses, Completeness, Household, Member, MemberStatus, Missing,
    MissingReason, Recorded, Recordings,
};
pub use element::Element;
pub use scope::{Clause, FederalProgram, Funders, ProjectTypes};
pub use stored::{recordings, Stored, StoredRecord};
pub use subject::{age_on, Subject, ADULT_AGE};
pub use timeline::{annual_assessment_due, Due, POST_EXIT_DAYS};

/// HUD 5.03 Data Collection Stage: when a record of an element was collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    ProjectStart,
    Update,
    ProjectExit,
    AnnualAssessment,
    PostExit,
}

impl Stage {
    /// The HUD 5.03.1 code.
    pub const fn code(self) -> i32 {
        match self {
            Stage::ProjectStart => 1,
            Stage::Update => 2,
            Stage::ProjectExit => 3,
            Stage::AnnualAssessment => 5,
            Stage::PostExit => 6,
        }
    }
}

/// On the wire a stage is its HUD code, as the contract's `missing[].stage` writes it.
impl Serialize for Stage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(self.code())
    }
}

/// The Data Dictionary's "Data Collected About".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectedAbout {
    AllClients,
    /// Adults: 18 or older at project start.
    Adults,
    HeadsOfHousehold,
    HeadsAndAdults,
    /// Clients whose 3.07 Veteran Status is yes.
    Veterans,
}

/// When an element is collected: at data collection stages, or whenever its event happens (a
/// contact, a night, a move-in, a service), which no stage can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Stages(&'static [Stage]),
    Occurrence,
}

/// HMIS CSV files (FY2026) a collected element is written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HmisFile {
    Client,
    Enrollment,
    Exit,
    IncomeBenefits,
    HealthAndDv,
    EmploymentEducation,
    Disabilities,
    Services,
    CurrentLivingSituation,
    Assessment,
    Event,
    YouthEducationStatus,
}

impl HmisFile {
    /// The file's name in an export, without `.csv`.
    pub const fn name(self) -> &'static str {
        match self {
            HmisFile::Client => "Client",
            HmisFile::Enrollment => "Enrollment",
            HmisFile::Exit => "Exit",
            HmisFile::IncomeBenefits => "IncomeBenefits",
            HmisFile::HealthAndDv => "HealthAndDV",
            HmisFile::EmploymentEducation => "EmploymentEducation",
            HmisFile::Disabilities => "Disabilities",
            HmisFile::Services => "Services",
            HmisFile::CurrentLivingSituation => "CurrentLivingSituation",
            HmisFile::Assessment => "Assessment",
            HmisFile::Event => "Event",
            HmisFile::YouthEducationStatus => "YouthEducationStatus",
        }
    }
}

/// Where, about whom, when and by which programs one element is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub element: Element,
    pub file: HmisFile,
    /// The one kind of record of a file that holds the element, when the file holds several:
    /// `("disability_type", 5)`, `("record_type", 200)`.
    pub record_kind: Option<(&'static str, i32)>,
    /// The fields that need an answer whenever the element is collected.
    pub fields: &'static [&'static str],
    pub about: CollectedAbout,
    pub collection: Collection,
    /// The programs that collect it: any clause holding is enough.
    pub required_by: &'static [Clause],
}

/// Stage lists rows share, in HUD code order.
pub(crate) mod stages {
    use super::Stage::{self, *};

    pub const START: &[Stage] = &[ProjectStart];
    pub const EXIT: &[Stage] = &[ProjectExit];
    pub const POST_EXIT: &[Stage] = &[PostExit];
    pub const START_AND_EXIT: &[Stage] = &[ProjectStart, ProjectExit];
    pub const START_AND_UPDATE: &[Stage] = &[ProjectStart, Update];
    pub const START_UPDATE_EXIT: &[Stage] = &[ProjectStart, Update, ProjectExit];
    pub const EVERY_ASSESSMENT: &[Stage] = &[ProjectStart, Update, ProjectExit, AnnualAssessment];
}

/// Every element's row, universal elements first, in the Data Standards' order.
pub fn rows() -> impl Iterator<Item = &'static Row> {
    universal::ROWS
        .iter()
        .chain(program_specific::ROWS)
        .chain(partners::ROWS)
        .chain(hopwa_va::ROWS)
}

/// The row of one element (every element has exactly one: a test holds the table to it).
pub fn row(element: Element) -> Option<&'static Row> {
    rows().find(|row| row.element == element)
}

#[cfg(test)]
mod tests;

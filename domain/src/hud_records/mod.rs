//! The records HUD has an enrollment collect (HMIS Data Standards FY2026, section 4, and the
//! federal partners' elements), one collection per HMIS CSV file: income and benefits
//! (IncomeBenefits: 4.02, 4.03, 4.04, W3, P4), disabilities (Disabilities: 4.05-4.10, W4,
//! W6), health and domestic violence (HealthAndDV: 4.11, R7-R10), employment and education
//! (EmploymentEducation: R4-R6), current living situations (CurrentLivingSituation: 4.12),
//! coordinated entry events (Event: 4.20) and youth education statuses
//! (YouthEducationStatus: C3).
//!
//! A record's HUD fields are the file's columns as the catalog (`hmis_csv`) types them,
//! named by the contract's rule and checked against it ([`fields`]); each file's own "null
//! unless" consistency is in [`consistency`]; the dates and stages of records within their
//! enrollment in [`stages`].

pub mod consistency;
pub mod stages;
#[cfg(test)]
mod tests;

use crate::hmis_csv::{fy2026, Column, CsvFile};

pub use crate::hud_fields as fields;
pub use crate::hud_fields::{parse_fields, FieldSet, Given, HudFields, HudValue};
pub use stages::{
    check_household_records_stay, check_record_dates, check_records_stay, RecordFacts, StageRecord,
};

/// One of the seven collections of records under an enrollment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    IncomeBenefits,
    Disabilities,
    HealthAndDv,
    EmploymentEducation,
    CurrentLivingSituations,
    Events,
    YouthEducationStatuses,
}

impl Collection {
    pub const ALL: [Collection; 7] = [
        Collection::IncomeBenefits,
        Collection::Disabilities,
        Collection::HealthAndDv,
        Collection::EmploymentEducation,
        Collection::CurrentLivingSituations,
        Collection::Events,
        Collection::YouthEducationStatuses,
    ];

    /// The collection's name where one word is needed (storage, the exit request's
    /// `records`): `income_benefits`.
    pub const fn name(self) -> &'static str {
        match self {
            Collection::IncomeBenefits => "income_benefits",
            Collection::Disabilities => "disabilities",
            Collection::HealthAndDv => "health_and_dv",
            Collection::EmploymentEducation => "employment_education",
            Collection::CurrentLivingSituations => "current_living_situations",
            Collection::Events => "events",
            Collection::YouthEducationStatuses => "youth_education_statuses",
        }
    }

    /// The path segment under an enrollment: `income-benefits`.
    pub const fn segment(self) -> &'static str {
        match self {
            Collection::IncomeBenefits => "income-benefits",
            Collection::Disabilities => "disabilities",
            Collection::HealthAndDv => "health-and-dv",
            Collection::EmploymentEducation => "employment-education",
            Collection::CurrentLivingSituations => "current-living-situations",
            Collection::Events => "events",
            Collection::YouthEducationStatuses => "youth-education-statuses",
        }
    }

    /// What the audit trail and webhook events call one record of the collection (an
    /// event's `entity_type`, a record event's `record_type`): `income_benefits`,
    /// `disability`, `health_and_dv`, `employment_education`, `current_living_situation`,
    /// `event`, `youth_education_status`.
    pub const fn entity(self) -> &'static str {
        match self {
            Collection::IncomeBenefits => "income_benefits",
            Collection::Disabilities => "disability",
            Collection::HealthAndDv => "health_and_dv",
            Collection::EmploymentEducation => "employment_education",
            Collection::CurrentLivingSituations => "current_living_situation",
            Collection::Events => "event",
            Collection::YouthEducationStatuses => "youth_education_status",
        }
    }

    /// The collection whose records the audit trail calls `entity` ([`Collection::entity`]).
    pub fn from_entity(entity: &str) -> Option<Collection> {
        Collection::ALL
            .into_iter()
            .find(|collection| collection.entity() == entity)
    }

    pub fn from_name(name: &str) -> Option<Collection> {
        Collection::ALL
            .into_iter()
            .find(|collection| collection.name() == name)
    }

    /// The HMIS CSV FY2026 file the records are exported as.
    pub const fn file(self) -> &'static CsvFile {
        match self {
            Collection::IncomeBenefits => &fy2026::INCOME_BENEFITS,
            Collection::Disabilities => &fy2026::DISABILITIES,
            Collection::HealthAndDv => &fy2026::HEALTH_AND_DV,
            Collection::EmploymentEducation => &fy2026::EMPLOYMENT_EDUCATION,
            Collection::CurrentLivingSituations => &fy2026::CURRENT_LIVING_SITUATION,
            Collection::Events => &fy2026::EVENT,
            Collection::YouthEducationStatuses => &fy2026::YOUTH_EDUCATION_STATUS,
        }
    }

    /// The file's column the record's `information_date` is: `EventDate` for an event,
    /// `InformationDate` for the others.
    pub const fn date_column(self) -> &'static str {
        match self {
            Collection::Events => "EventDate",
            _ => "InformationDate",
        }
    }

    /// Whether the file has a `DataCollectionStage` (HUD 5.03): the ones collected at
    /// project start, updates, annual assessments and exit. Current living situations and
    /// events are recorded when they happen.
    pub fn has_stage(self) -> bool {
        self.file().column("DataCollectionStage").is_some()
    }
}

/// The HUD fields a record of the collection holds: the file's columns but its keys (the
/// record's own ID, `EnrollmentID`, `PersonalID`), the date and the stage (fields of every
/// record), and the export's bookkeeping (`DateCreated`, `DateUpdated`, `UserID`,
/// `DateDeleted`, `ExportID`: the record's audit fields).
impl FieldSet for Collection {
    fn file(self) -> &'static CsvFile {
        Collection::file(self)
    }

    fn is_field(self, column: &Column) -> bool {
        let own_id = self.file().columns.first().map(|column| column.name);
        Some(column.name) != own_id
            && column.name != self.date_column()
            && !NOT_FIELDS.contains(&column.name)
    }
}

/// Columns of every enrollment record's file that are not HUD fields of the record.
const NOT_FIELDS: [&str; 8] = [
    "EnrollmentID",
    "PersonalID",
    "DataCollectionStage",
    "DateCreated",
    "DateUpdated",
    "UserID",
    "DateDeleted",
    "ExportID",
];

//! HMIS CSV Format Specifications FY2024 (`CSVVersion` `2024 v1.x`): every file of an
//! export; those FY2026 left as they were are FY2026's. The lists of the columns that
//! FY2026 moved to another list or dropped are FY2024's, from the script.
//!
//! Generated from `domain/hud/csv-columns-fy2024.csv` and `domain/hud/column-lists.csv` by
//! `python3 scripts/gen-hud-codes.py`: change those, not this file.

mod client;
mod dated_records;
mod project;

pub use crate::hmis_csv::fy2026::{
    AFFILIATION, ASSESSMENT, ASSESSMENT_RESULTS, CE_PARTICIPATION, DISABILITIES,
    EMPLOYMENT_EDUCATION, EVENT, FUNDER, HEALTH_AND_DV, HMIS_PARTICIPATION, INCOME_BENEFITS,
    INVENTORY, ORGANIZATION, PROJECT, PROJECT_COC, SERVICES, USER, YOUTH_EDUCATION_STATUS,
};
pub use client::{CLIENT, ENROLLMENT, EXIT};
pub use dated_records::{ASSESSMENT_QUESTIONS, CURRENT_LIVING_SITUATION};
pub use project::EXPORT;

use crate::hmis_csv::CsvFile;

/// Every file of an export, in the specifications' order.
pub const FILES: &[CsvFile] = &[
    EXPORT,
    ORGANIZATION,
    USER,
    PROJECT,
    FUNDER,
    PROJECT_COC,
    INVENTORY,
    AFFILIATION,
    HMIS_PARTICIPATION,
    CE_PARTICIPATION,
    CLIENT,
    ENROLLMENT,
    EXIT,
    INCOME_BENEFITS,
    HEALTH_AND_DV,
    EMPLOYMENT_EDUCATION,
    DISABILITIES,
    SERVICES,
    CURRENT_LIVING_SITUATION,
    ASSESSMENT,
    ASSESSMENT_QUESTIONS,
    ASSESSMENT_RESULTS,
    EVENT,
    YOUTH_EDUCATION_STATUS,
];

//! HMIS CSV Format Specifications FY2026 (`CSVVersion` `2026 v1.0`): every file of an
//! export, and the lists of the columns whose list depends on the row.
//!
//! Generated from `domain/hud/csv-columns-fy2026.csv` and `domain/hud/column-lists.csv` by
//! `python3 scripts/gen-hud-codes.py`: change those, not this file.

mod client;
mod dated_records;
mod project;
mod stage_records;

pub use client::{CLIENT, ENROLLMENT, EXIT};
pub use dated_records::{
    ASSESSMENT, ASSESSMENT_QUESTIONS, ASSESSMENT_RESULTS, CURRENT_LIVING_SITUATION, EVENT, SERVICES,
};
pub use project::{
    AFFILIATION, CE_PARTICIPATION, EXPORT, FUNDER, HMIS_PARTICIPATION, INVENTORY, ORGANIZATION,
    PROJECT, PROJECT_COC, USER,
};
pub use stage_records::{
    DISABILITIES, EMPLOYMENT_EDUCATION, HEALTH_AND_DV, INCOME_BENEFITS, YOUTH_EDUCATION_STATUS,
};

use crate::codes::HudList;
use crate::hmis_csv::{column_is, list_when, CsvFile, ListWhen};

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

/// Disabilities.DisabilityResponse: its list depends on DisabilityType.
pub const DISABILITIES_DISABILITY_RESPONSE: &[ListWhen] = &[
    list_when(
        &[column_is("DisabilityType", &[5, 6, 7, 8, 9])],
        HudList::NoYesMissing,
    ),
    list_when(
        &[column_is("DisabilityType", &[10])],
        HudList::DisabilityResponse,
    ),
];

/// Services.TypeProvided: its list depends on RecordType.
pub const SERVICES_TYPE_PROVIDED: &[ListWhen] = &[
    list_when(&[column_is("RecordType", &[141])], HudList::PathService),
    list_when(&[column_is("RecordType", &[142])], HudList::RhyService),
    list_when(&[column_is("RecordType", &[143])], HudList::HopwaService),
    list_when(&[column_is("RecordType", &[144])], HudList::SsvfService),
    list_when(
        &[column_is("RecordType", &[151])],
        HudList::HopwaFinancialAssistance,
    ),
    list_when(
        &[column_is("RecordType", &[152])],
        HudList::SsvfFinancialAssistance,
    ),
    list_when(&[column_is("RecordType", &[161])], HudList::PathReferral),
    list_when(&[column_is("RecordType", &[200])], HudList::BedNight),
    list_when(&[column_is("RecordType", &[210])], HudList::VoucherTracking),
    list_when(
        &[column_is("RecordType", &[300])],
        HudList::MovingOnAssistance,
    ),
];

/// Services.SubTypeProvided: its list depends on RecordType and TypeProvided.
pub const SERVICES_SUB_TYPE_PROVIDED: &[ListWhen] = &[
    list_when(
        &[
            column_is("RecordType", &[144]),
            column_is("TypeProvided", &[3]),
        ],
        HudList::SsvfSubType3,
    ),
    list_when(
        &[
            column_is("RecordType", &[144]),
            column_is("TypeProvided", &[4]),
        ],
        HudList::SsvfSubType4,
    ),
    list_when(
        &[
            column_is("RecordType", &[144]),
            column_is("TypeProvided", &[5]),
        ],
        HudList::SsvfSubType5,
    ),
];

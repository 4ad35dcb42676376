//! Universal data elements (HMIS Data Standards Manual FY2026, section 3): collected by every
//! HMIS project, whatever funds it.

use super::scope::{Clause, ProjectTypes, EVERY_PROJECT, PERMANENT_HOUSING};
use super::stages::{EXIT, START};
use super::{CollectedAbout::*, Collection, Element, HmisFile, Row};

/// 3.917A is asked in emergency shelters (0, 1), street outreach (4) and safe havens (8).
const HOMELESS_PROJECTS: &[i32] = &[0, 1, 4, 8];
/// VA: Grant Per Diem – Case Management/Housing Retention.
const GPD_CASE_MANAGEMENT: &[i32] = &[45];

pub(super) const ROWS: &[Row] = &[
    // 3.01 Name: collected at record creation, due here at project start. Its data quality
    // says whether it was collected (99 is not collected; a partial name is an answer).
    Row {
        element: Element::Name,
        file: HmisFile::Client,
        record_kind: None,
        fields: &["name_data_quality"],
        about: AllClients,
        collection: Collection::Stages(START),
        required_by: EVERY_PROJECT,
    },
    // 3.02 Social Security Number: as 3.01, through its data quality.
    Row {
        element: Element::SocialSecurityNumber,
        file: HmisFile::Client,
        record_kind: None,
        fields: &["ssn_data_quality"],
        about: AllClients,
        collection: Collection::Stages(START),
        required_by: EVERY_PROJECT,
    },
    // 3.03 Date of Birth: as 3.01, through its data quality.
    Row {
        element: Element::DateOfBirth,
        file: HmisFile::Client,
        record_kind: None,
        fields: &["dob_data_quality"],
        about: AllClients,
        collection: Collection::Stages(START),
        required_by: EVERY_PROJECT,
    },
    // 3.04 Race and Ethnicity: the CSV's one column per race is the API's `race_ethnicity`
    // list; an empty list answers through `race_none` (8 and 9 are answers, 99 is not).
    Row {
        element: Element::RaceAndEthnicity,
        file: HmisFile::Client,
        record_kind: None,
        fields: &["race_ethnicity"],
        about: AllClients,
        collection: Collection::Stages(START),
        required_by: EVERY_PROJECT,
    },
    // 3.07 Veteran Status: adults only, at record creation (due at project start).
    Row {
        element: Element::VeteranStatus,
        file: HmisFile::Client,
        record_kind: None,
        fields: &["veteran_status"],
        about: Adults,
        collection: Collection::Stages(START),
        required_by: EVERY_PROJECT,
    },
    // 3.08 Disabling Condition: every client, at project start.
    Row {
        element: Element::DisablingCondition,
        file: HmisFile::Enrollment,
        record_kind: None,
        fields: &["disabling_condition"],
        about: AllClients,
        collection: Collection::Stages(START),
        required_by: EVERY_PROJECT,
    },
    // 3.10 Project Start Date.
    Row {
        element: Element::ProjectStartDate,
        file: HmisFile::Enrollment,
        record_kind: None,
        fields: &["entry_date"],
        about: AllClients,
        collection: Collection::Stages(START),
        required_by: EVERY_PROJECT,
    },
    // 3.11 Project Exit Date.
    Row {
        element: Element::ProjectExitDate,
        file: HmisFile::Exit,
        record_kind: None,
        fields: &["exit_date"],
        about: AllClients,
        collection: Collection::Stages(EXIT),
        required_by: EVERY_PROJECT,
    },
    // 3.12 Destination: every client, at project exit (30 "no exit interview completed" is
    // an answer; 99 is not).
    Row {
        element: Element::Destination,
        file: HmisFile::Exit,
        record_kind: None,
        fields: &["destination"],
        about: AllClients,
        collection: Collection::Stages(EXIT),
        required_by: EVERY_PROJECT,
    },
    // 3.15 Relationship to Head of Household.
    Row {
        element: Element::RelationshipToHoh,
        file: HmisFile::Enrollment,
        record_kind: None,
        fields: &["relationship_to_hoh"],
        about: AllClients,
        collection: Collection::Stages(START),
        required_by: EVERY_PROJECT,
    },
    // 3.16 Enrollment CoC: the head of household, at project start (HUD also updates it when
    // the household moves to another CoC; no update is ever due).
    Row {
        element: Element::EnrollmentCoc,
        file: HmisFile::Enrollment,
        record_kind: None,
        fields: &["enrollment_coc"],
        about: HeadsOfHousehold,
        collection: Collection::Stages(START),
        required_by: EVERY_PROJECT,
    },
    // 3.20 Housing Move-In Date: the head of household in permanent housing (3, 9, 10, 13),
    // whatever funds it, and in VA Grant Per Diem Case Management/Housing Retention (45); an
    // occurrence: recorded when the household moves in, which it may never do.
    Row {
        element: Element::HousingMoveInDate,
        file: HmisFile::Enrollment,
        record_kind: None,
        fields: &["move_in_date"],
        about: HeadsOfHousehold,
        collection: Collection::Occurrence,
        required_by: &[
            Clause::every_project(ProjectTypes::Only(PERMANENT_HOUSING)),
            Clause::funded_any_type(GPD_CASE_MANAGEMENT),
        ],
    },
    // 3.917A Prior Living Situation in emergency shelter, street outreach and safe haven:
    // heads and adults, at project start; the episode's start and the times and months
    // homeless in three years are always asked here.
    Row {
        element: Element::PriorLivingSituationHomeless,
        file: HmisFile::Enrollment,
        record_kind: None,
        fields: &[
            "prior_living_situation",
            "length_of_stay",
            "date_to_street_essh",
            "times_homeless_past_three_years",
            "months_homeless_past_three_years",
        ],
        about: HeadsAndAdults,
        collection: Collection::Stages(START),
        required_by: &[Clause::every_project(ProjectTypes::Only(HOMELESS_PROJECTS))],
    },
    // 3.917B Prior Living Situation in every other project type. Whether the street/shelter
    // questions follow depends on the situation and length of stay (`los_under_threshold`,
    // `previous_street_essh`): those are 3.917B's own consistency rules, not listed here.
    Row {
        element: Element::PriorLivingSituation,
        file: HmisFile::Enrollment,
        record_kind: None,
        fields: &["prior_living_situation", "length_of_stay"],
        about: HeadsAndAdults,
        collection: Collection::Stages(START),
        required_by: &[Clause::every_project(ProjectTypes::Except(
            HOMELESS_PROJECTS,
        ))],
    },
];

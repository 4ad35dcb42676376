//! Program-specific data elements common to several federal partners (HMIS Data Standards
//! Manual FY2026, section 4): collected where the grant's funding source requires them.

use super::scope::{
    Clause, ProjectTypes, COC, COC_BUILDS, ESG, ESG_RUSH, EXCEPT_COORDINATED_ENTRY as NOT_CE,
    EXCEPT_NIGHT_BY_NIGHT as NOT_NBN, EXCEPT_SHELTER_AND_OUTREACH as NOT_ES_SO, FEDERAL_PARTNERS,
    GRANT_PER_DIEM, HOPWA, HUD_VASH, PATH, PAY_FOR_SUCCESS, PERMANENT_HOUSING, RHY,
    RRH_AND_PREVENTION, RURAL_NOFO, SSVF, UNSHELTERED_NOFO, VA_CONTRACT_RESIDENTIAL, VA_SAFE_HAVEN,
};
use super::stages::{EVERY_ASSESSMENT, START, START_AND_UPDATE, START_UPDATE_EXIT};
use super::{CollectedAbout::*, Collection, Element, HmisFile, Row};

const PH: ProjectTypes = ProjectTypes::Only(PERMANENT_HOUSING);

/// The programs HUD lists for 4.02, 4.03 and 4.04, which differ only in RHY's components.
macro_rules! income_and_benefits_funders {
    ($rhy:expr) => {
        &[
            Clause::funded(COC, NOT_CE),
            Clause::funded_any_type(COC_BUILDS),
            Clause::funded(ESG, NOT_NBN),
            Clause::funded(ESG_RUSH, NOT_ES_SO),
            Clause::funded_any_type(HOPWA),
            Clause::funded(UNSHELTERED_NOFO, NOT_CE),
            Clause::funded(RURAL_NOFO, NOT_CE),
            Clause::funded_any_type(HUD_VASH),
            Clause::funded(PAY_FOR_SUCCESS, PH),
            Clause::funded_any_type(PATH),
            Clause::funded_any_type($rhy),
            Clause::funded(SSVF, RRH_AND_PREVENTION),
            Clause::funded_any_type(GRANT_PER_DIEM),
            Clause::funded_any_type(VA_SAFE_HAVEN),
            Clause::funded_any_type(VA_CONTRACT_RESIDENTIAL),
        ]
    };
}

/// The HUD programs listed for 4.05-4.10, then each element's others: 4.08 HIV/AIDS has
/// none, the other disabilities add PATH and RHY. None lists a VA program.
macro_rules! disability_funders {
    ($($other:expr),*) => {
        &[
            Clause::funded(COC, NOT_CE),
            Clause::funded_any_type(COC_BUILDS),
            Clause::funded(ESG, NOT_NBN),
            Clause::funded(ESG_RUSH, NOT_ES_SO),
            Clause::funded_any_type(HOPWA),
            Clause::funded(UNSHELTERED_NOFO, NOT_CE),
            Clause::funded(RURAL_NOFO, NOT_CE),
            Clause::funded(PAY_FOR_SUCCESS, PH),
            $($other),*
        ]
    };
}

const DISABILITY_FUNDERS: &[Clause] =
    disability_funders!(Clause::funded_any_type(PATH), Clause::funded_any_type(RHY));
const HIV_AIDS_FUNDERS: &[Clause] = disability_funders!();

/// One of the disabilities 4.05-4.10: a Disabilities record of its `disability_type`, about
/// every client, at project start, update and exit (HUD asks none at the annual assessment).
const fn disability(element: Element, disability_type: i32, funders: &'static [Clause]) -> Row {
    Row {
        element,
        file: HmisFile::Disabilities,
        record_kind: Some(("disability_type", disability_type)),
        fields: &["disability_response"],
        about: AllClients,
        collection: Collection::Stages(START_UPDATE_EXIT),
        required_by: funders,
    }
}

pub(super) const ROWS: &[Row] = &[
    // 4.02 Income and Sources: heads and adults, at every assessment. RHY: MGH (23), TLP (24)
    // and Demonstration (26) only.
    Row {
        element: Element::IncomeAndSources,
        file: HmisFile::IncomeBenefits,
        record_kind: None,
        fields: &["income_from_any_source"],
        about: HeadsAndAdults,
        collection: Collection::Stages(EVERY_ASSESSMENT),
        required_by: income_and_benefits_funders!(&[23, 24, 26]),
    },
    // 4.03 Non-Cash Benefits: as 4.02; RHY adds the Basic Center Program (22).
    Row {
        element: Element::NonCashBenefits,
        file: HmisFile::IncomeBenefits,
        record_kind: None,
        fields: &["benefits_from_any_source"],
        about: HeadsAndAdults,
        collection: Collection::Stages(EVERY_ASSESSMENT),
        required_by: income_and_benefits_funders!(&[22, 23, 24, 26]),
    },
    // 4.04 Health Insurance: every client, at every assessment; every RHY component.
    Row {
        element: Element::HealthInsurance,
        file: HmisFile::IncomeBenefits,
        record_kind: None,
        fields: &["insurance_from_any_source"],
        about: AllClients,
        collection: Collection::Stages(EVERY_ASSESSMENT),
        required_by: income_and_benefits_funders!(RHY),
    },
    // 4.05 Physical Disability.
    disability(Element::PhysicalDisability, 5, DISABILITY_FUNDERS),
    // 4.06 Developmental Disability.
    disability(Element::DevelopmentalDisability, 6, DISABILITY_FUNDERS),
    // 4.07 Chronic Health Condition.
    disability(Element::ChronicHealthCondition, 7, DISABILITY_FUNDERS),
    // 4.08 HIV/AIDS: not PATH nor RHY. HOPWA's W4 (T-cell and viral load) and W6
    // (anti-retroviral) follow a "yes" here: 4.08's own consistency rules, not rows.
    disability(Element::HivAids, 8, HIV_AIDS_FUNDERS),
    // 4.09 Mental Health Disorder.
    disability(Element::MentalHealthDisorder, 9, DISABILITY_FUNDERS),
    // 4.10 Substance Use Disorder.
    disability(Element::SubstanceUseDisorder, 10, DISABILITY_FUNDERS),
    // 4.11 Domestic Violence: heads and adults, at project start and update. Every ESG
    // component (night-by-night shelters too); not RHY.
    Row {
        element: Element::DomesticViolence,
        file: HmisFile::HealthAndDv,
        record_kind: None,
        fields: &["domestic_violence_survivor"],
        about: HeadsAndAdults,
        collection: Collection::Stages(START_AND_UPDATE),
        required_by: &[
            Clause::funded(COC, NOT_CE),
            Clause::funded_any_type(COC_BUILDS),
            Clause::funded_any_type(ESG),
            Clause::funded(ESG_RUSH, NOT_ES_SO),
            Clause::funded_any_type(HOPWA),
            Clause::funded(UNSHELTERED_NOFO, NOT_CE),
            Clause::funded(RURAL_NOFO, NOT_CE),
            Clause::funded_any_type(HUD_VASH),
            Clause::funded(PAY_FOR_SUCCESS, PH),
            Clause::funded_any_type(PATH),
            Clause::funded(SSVF, RRH_AND_PREVENTION),
            Clause::funded_any_type(GRANT_PER_DIEM),
            Clause::funded_any_type(VA_SAFE_HAVEN),
            Clause::funded_any_type(VA_CONTRACT_RESIDENTIAL),
        ],
    },
    // 4.12 Current Living Situation: heads and adults, at each contact. CoC SSO (4) and YHDP
    // (43) in any project type; ESG street outreach (11) and ES (8) in night-by-night shelters
    // (1); RUSH, Unsheltered and Rural NOFO in street outreach (4) and coordinated entry (14),
    // RUSH in night-by-night shelters too; PATH; RHY Street Outreach (25).
    Row {
        element: Element::CurrentLivingSituation,
        file: HmisFile::CurrentLivingSituation,
        record_kind: None,
        fields: &["current_living_situation"],
        about: HeadsAndAdults,
        collection: Collection::Occurrence,
        required_by: &[
            Clause::funded_any_type(&[4, 43]),
            Clause::funded_any_type(&[11]),
            Clause::funded(&[8], ProjectTypes::Only(&[1])),
            Clause::funded(ESG_RUSH, ProjectTypes::Only(&[1, 4, 14])),
            Clause::funded(UNSHELTERED_NOFO, ProjectTypes::Only(&[4, 14])),
            Clause::funded(RURAL_NOFO, ProjectTypes::Only(&[4, 14])),
            Clause::funded_any_type(PATH),
            Clause::funded_any_type(&[25]),
        ],
    },
    // 4.13 Date of Engagement: heads and adults in night-by-night shelters (1), street
    // outreach (4) and services only (6), once engaged. Simplified: any federal partner grant.
    Row {
        element: Element::DateOfEngagement,
        file: HmisFile::Enrollment,
        record_kind: None,
        fields: &["date_of_engagement"],
        about: HeadsAndAdults,
        collection: Collection::Occurrence,
        required_by: &[Clause::funded(
            FEDERAL_PARTNERS,
            ProjectTypes::Only(&[1, 4, 6]),
        )],
    },
    // 4.14 Bed-night Date: every client, each night, in every night-by-night shelter (1)
    // "regardless of funding source": the one program-specific element without a grant.
    Row {
        element: Element::BedNight,
        file: HmisFile::Services,
        record_kind: Some(("record_type", 200)),
        fields: &["date_provided"],
        about: AllClients,
        collection: Collection::Occurrence,
        required_by: &[Clause::every_project(ProjectTypes::Only(&[1]))],
    },
    // 4.19 Coordinated Entry Assessment: the head of household, at each assessment, in
    // coordinated entry projects (14) of any funding (a CoC's coordinated entry covers them
    // all). Projects of other types that assess for coordinated entry (2.09) are not seen here.
    Row {
        element: Element::CoordinatedEntryAssessment,
        file: HmisFile::Assessment,
        record_kind: None,
        fields: &[
            "assessment_date",
            "assessment_location",
            "assessment_type",
            "assessment_level",
            "prioritization_status",
        ],
        about: HeadsOfHousehold,
        collection: Collection::Occurrence,
        required_by: &[Clause::every_project(ProjectTypes::Only(&[14]))],
    },
    // 4.20 Coordinated Entry Event: as 4.19, at each event.
    Row {
        element: Element::CoordinatedEntryEvent,
        file: HmisFile::Event,
        record_kind: None,
        fields: &["event_date", "event"],
        about: HeadsOfHousehold,
        collection: Collection::Occurrence,
        required_by: &[Clause::every_project(ProjectTypes::Only(&[14]))],
    },
    // 4.21 Sex (new in FY2026, replacing 3.06 Gender): every client, at record creation (due
    // at project start). The FY2026 funder list was not available: every federal partner.
    Row {
        element: Element::Sex,
        file: HmisFile::Client,
        record_kind: None,
        fields: &["sex"],
        about: AllClients,
        collection: Collection::Stages(START),
        required_by: &[Clause::funded_any_type(FEDERAL_PARTNERS)],
    },
];

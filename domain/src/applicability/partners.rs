//! HHS federal partner elements (HMIS Data Standards Manual FY2026): PATH (P1-P4) and
//! Runaway and Homeless Youth (R1-R20; R3 Sexual Orientation was dropped in FY2026).

use super::scope::{
    Clause, ProjectTypes, GRANT_PER_DIEM, HUD_VASH, PATH, RHY, RRH_AND_PREVENTION, SSVF,
};
use super::stages::{EVERY_ASSESSMENT, EXIT, POST_EXIT, START, START_AND_EXIT, START_AND_UPDATE};
use super::{CollectedAbout::*, Collection, Element, HmisFile, Row, Stage};

/// RHY's "all components except Street Outreach": every RHY funder but 25.
const RHY_EXCEPT_OUTREACH: &[i32] = &[22, 23, 24, 26];
/// HUD: CoC – Youth Homeless Demonstration Program.
const YHDP: &[i32] = &[43];
/// RHY "except Street Outreach and (BCP) Homelessness Prevention": BCP (22) outside
/// prevention projects (12), and MGH, TLP and Demonstration.
const RHY_EXCEPT_OUTREACH_AND_PREVENTION: &[Clause] = &[
    Clause::funded(&[22], ProjectTypes::Except(&[12])),
    Clause::funded_any_type(&[23, 24, 26]),
];
const RHY_EXCEPT_OUTREACH_ONLY: &[Clause] = &[Clause::funded_any_type(RHY_EXCEPT_OUTREACH)];
const EVERY_RHY: &[Clause] = &[Clause::funded_any_type(RHY)];
const EVERY_PATH: &[Clause] = &[Clause::funded_any_type(PATH)];

/// A service (Services.csv) of one record type to heads and adults, recorded each time it
/// is given.
const fn service(element: Element, record_type: i32, required_by: &'static [Clause]) -> Row {
    Row {
        element,
        file: HmisFile::Services,
        record_kind: Some(("record_type", record_type)),
        fields: &["type_provided"],
        about: HeadsAndAdults,
        collection: Collection::Occurrence,
        required_by,
    }
}

/// An element about heads and adults, collected at `stages`.
const fn staged(
    element: Element,
    file: HmisFile,
    fields: &'static [&'static str],
    stages: &'static [Stage],
    required_by: &'static [Clause],
) -> Row {
    Row {
        element,
        file,
        record_kind: None,
        fields,
        about: HeadsAndAdults,
        collection: Collection::Stages(stages),
        required_by,
    }
}

pub(super) const ROWS: &[Row] = &[
    // P1 Services Provided – PATH Funded (RecordType 141), each service.
    service(Element::PathServices, 141, EVERY_PATH),
    // P2 Referrals Provided – PATH (RecordType 161), each referral.
    service(Element::PathReferrals, 161, EVERY_PATH),
    // P3 PATH Status: recorded when the client is enrolled in PATH or found not to be.
    Row {
        element: Element::PathStatus,
        file: HmisFile::Enrollment,
        record_kind: None,
        fields: &["date_of_path_status", "client_enrolled_in_path"],
        about: HeadsAndAdults,
        collection: Collection::Occurrence,
        required_by: EVERY_PATH,
    },
    // P4 Connection with SOAR: every assessment; PATH, and SSVF in RRH and prevention.
    staged(
        Element::SoarConnection,
        HmisFile::IncomeBenefits,
        &["connection_with_soar"],
        EVERY_ASSESSMENT,
        &[
            Clause::funded_any_type(PATH),
            Clause::funded(SSVF, RRH_AND_PREVENTION),
        ],
    ),
    // R1 Referral Source: RHY but Street Outreach, and every YHDP project.
    staged(
        Element::ReferralSource,
        HmisFile::Enrollment,
        &["referral_source"],
        START,
        &[
            Clause::funded_any_type(RHY_EXCEPT_OUTREACH),
            Clause::funded_any_type(YHDP),
        ],
    ),
    // R2 RHY – BCP Status: every client of a Basic Center Program (22), at project start.
    Row {
        element: Element::BcpStatus,
        file: HmisFile::Enrollment,
        record_kind: None,
        fields: &["date_of_bcp_status", "eligible_for_rhy"],
        about: AllClients,
        collection: Collection::Stages(START),
        required_by: &[Clause::funded_any_type(&[22])],
    },
    // R4 Last Grade Completed: at start and exit; HUD-VASH, RHY but Street Outreach, SSVF
    // in RRH and prevention.
    staged(
        Element::LastGradeCompleted,
        HmisFile::EmploymentEducation,
        &["last_grade_completed"],
        START_AND_EXIT,
        &[
            Clause::funded_any_type(HUD_VASH),
            Clause::funded_any_type(RHY_EXCEPT_OUTREACH),
            Clause::funded(SSVF, RRH_AND_PREVENTION),
        ],
    ),
    // R5 School Status: at start and exit; RHY but Street Outreach.
    staged(
        Element::SchoolStatus,
        HmisFile::EmploymentEducation,
        &["school_status"],
        START_AND_EXIT,
        RHY_EXCEPT_OUTREACH_ONLY,
    ),
    // R6 Employment Status: as R4, and VA Grant Per Diem.
    staged(
        Element::EmploymentStatus,
        HmisFile::EmploymentEducation,
        &["employed"],
        START_AND_EXIT,
        &[
            Clause::funded_any_type(HUD_VASH),
            Clause::funded_any_type(RHY_EXCEPT_OUTREACH),
            Clause::funded(SSVF, RRH_AND_PREVENTION),
            Clause::funded_any_type(GRANT_PER_DIEM),
        ],
    ),
    // R7 General Health Status: at start and exit; HUD-VASH, RHY but Street Outreach.
    staged(
        Element::GeneralHealthStatus,
        HmisFile::HealthAndDv,
        &["general_health_status"],
        START_AND_EXIT,
        &[
            Clause::funded_any_type(HUD_VASH),
            Clause::funded_any_type(RHY_EXCEPT_OUTREACH),
        ],
    ),
    // R8 Dental Health Status: at start and exit; RHY but Street Outreach.
    staged(
        Element::DentalHealthStatus,
        HmisFile::HealthAndDv,
        &["dental_health_status"],
        START_AND_EXIT,
        RHY_EXCEPT_OUTREACH_ONLY,
    ),
    // R9 Mental Health Status: at start and exit; RHY but Street Outreach.
    staged(
        Element::MentalHealthStatus,
        HmisFile::HealthAndDv,
        &["mental_health_status"],
        START_AND_EXIT,
        RHY_EXCEPT_OUTREACH_ONLY,
    ),
    // R10 Pregnancy Status: at start and update; every RHY component.
    staged(
        Element::PregnancyStatus,
        HmisFile::HealthAndDv,
        &["pregnancy_status"],
        START_AND_UPDATE,
        EVERY_RHY,
    ),
    // R11 Formerly a Ward of Child Welfare/Foster Care Agency: at project start; RHY but
    // Street Outreach.
    staged(
        Element::FormerWardChildWelfare,
        HmisFile::Enrollment,
        &["former_ward_child_welfare"],
        START,
        RHY_EXCEPT_OUTREACH_ONLY,
    ),
    // R12 Formerly a Ward of Juvenile Justice System: as R11.
    staged(
        Element::FormerWardJuvenileJustice,
        HmisFile::Enrollment,
        &["former_ward_juvenile_justice"],
        START,
        RHY_EXCEPT_OUTREACH_ONLY,
    ),
    // R13 Family Critical Issues: as R11; each issue is its own question.
    staged(
        Element::FamilyCriticalIssues,
        HmisFile::Enrollment,
        &[
            "unemployment_fam",
            "mental_health_disorder_fam",
            "physical_disability_fam",
            "alcohol_drug_use_disorder_fam",
            "insufficient_income",
            "incarcerated_parent",
        ],
        START,
        RHY_EXCEPT_OUTREACH_ONLY,
    ),
    // R14 RHY Service Connections (RecordType 142), each service; RHY but Street Outreach.
    service(
        Element::RhyServiceConnections,
        142,
        RHY_EXCEPT_OUTREACH_ONLY,
    ),
    // R15 Commercial Sexual Exploitation/Sex Trafficking: at exit; every RHY component.
    staged(
        Element::CommercialSexualExploitation,
        HmisFile::Exit,
        &["exchange_for_sex", "asked_or_forced_to_exchange_for_sex"],
        EXIT,
        EVERY_RHY,
    ),
    // R16 Labor Exploitation/Trafficking: at exit; every RHY component.
    staged(
        Element::LaborExploitation,
        HmisFile::Exit,
        &["workplace_violence_threats", "workplace_promise_difference"],
        EXIT,
        EVERY_RHY,
    ),
    // R17 Project Completion Status: at exit; RHY but Street Outreach and BCP-Prevention.
    staged(
        Element::ProjectCompletionStatus,
        HmisFile::Exit,
        &["project_completion_status"],
        EXIT,
        RHY_EXCEPT_OUTREACH_AND_PREVENTION,
    ),
    // R18 Counseling: at exit; RHY but Street Outreach.
    staged(
        Element::Counseling,
        HmisFile::Exit,
        &["counseling_received"],
        EXIT,
        RHY_EXCEPT_OUTREACH_ONLY,
    ),
    // R19 Safe and Appropriate Exit: at exit; RHY but Street Outreach and BCP-Prevention.
    staged(
        Element::SafeAndAppropriateExit,
        HmisFile::Exit,
        &[
            "destination_safe_client",
            "destination_safe_worker",
            "pos_adult_connections",
            "pos_peer_connections",
            "pos_community_connections",
        ],
        EXIT,
        RHY_EXCEPT_OUTREACH_AND_PREVENTION,
    ),
    // R20 Aftercare Plans: post-exit, within 180 days of exit; RHY but Street Outreach.
    staged(
        Element::AftercarePlans,
        HmisFile::Exit,
        &["aftercare_date", "aftercare_provided"],
        POST_EXIT,
        RHY_EXCEPT_OUTREACH_ONLY,
    ),
];

//! HOPWA (W1-W5), VA and HUD-VASH (V1-V10) and CoC/YHDP (C2, C3) elements (HMIS Data
//! Standards Manual FY2026). V5 Last Permanent Address, C1 Well-being and C4 Translation
//! Assistance Needed are not in the FY2026 export and have no row.

use super::scope::{
    Clause, ProjectTypes, COC, ESG, ESG_RUSH, GRANT_PER_DIEM, HOPWA, HUD_VASH, RRH_AND_PREVENTION,
    SSVF, VA_CONTRACT_RESIDENTIAL, VA_SAFE_HAVEN,
};
use super::stages::{EXIT, START, START_AND_EXIT, START_UPDATE_EXIT};
use super::{CollectedAbout, CollectedAbout::*, Collection, Element, HmisFile, Row, Stage};

/// The VA programs and HUD-VASH that ask about a veteran's service and VA medical center.
const VETERAN_PROGRAMS: &[Clause] = &[
    Clause::funded_any_type(HUD_VASH),
    Clause::funded(SSVF, RRH_AND_PREVENTION),
    Clause::funded_any_type(GRANT_PER_DIEM),
    Clause::funded_any_type(VA_SAFE_HAVEN),
    Clause::funded_any_type(VA_CONTRACT_RESIDENTIAL),
];
const SSVF_RRH_AND_PREVENTION: &[Clause] = &[Clause::funded(SSVF, RRH_AND_PREVENTION)];
const EVERY_HOPWA: &[Clause] = &[Clause::funded_any_type(HOPWA)];
/// Permanent supportive housing (3), where the CoC's moving-on assistance is given.
const PSH: ProjectTypes = ProjectTypes::Only(&[3]);

const fn service(
    element: Element,
    record_type: i32,
    fields: &'static [&'static str],
    about: CollectedAbout,
    required_by: &'static [Clause],
) -> Row {
    Row {
        element,
        file: HmisFile::Services,
        record_kind: Some(("record_type", record_type)),
        fields,
        about,
        collection: Collection::Occurrence,
        required_by,
    }
}

const fn staged(
    element: Element,
    file: HmisFile,
    fields: &'static [&'static str],
    about: CollectedAbout,
    stages: &'static [Stage],
    required_by: &'static [Clause],
) -> Row {
    Row {
        element,
        file,
        record_kind: None,
        fields,
        about,
        collection: Collection::Stages(stages),
        required_by,
    }
}

pub(super) const ROWS: &[Row] = &[
    // W1 Services Provided – HOPWA (RecordType 143): every client, each service.
    service(
        Element::HopwaServices,
        143,
        &["type_provided"],
        AllClients,
        EVERY_HOPWA,
    ),
    // W2 Financial Assistance – HOPWA (RecordType 151): the head, each payment; Permanent
    // Housing Placement (16) and STRMU (17) only.
    service(
        Element::HopwaFinancialAssistance,
        151,
        &["type_provided", "fa_amount"],
        HeadsOfHousehold,
        &[Clause::funded_any_type(&[16, 17])],
    ),
    // W3 Medical Assistance: every client, at start, update and exit.
    staged(
        Element::MedicalAssistance,
        HmisFile::IncomeBenefits,
        &["adap", "ryan_white_med_dent"],
        AllClients,
        START_UPDATE_EXIT,
        EVERY_HOPWA,
    ),
    // W5 Housing Assessment at Exit: every client, at exit. CoC, ESG and RUSH in
    // homelessness prevention (12); HOPWA in ES (0), TH (2), PSH (3), SSO (6) and HP (12).
    staged(
        Element::HousingAssessmentAtExit,
        HmisFile::Exit,
        &["housing_assessment"],
        AllClients,
        EXIT,
        &[
            Clause::funded(COC, ProjectTypes::Only(&[12])),
            Clause::funded(ESG, ProjectTypes::Only(&[12])),
            Clause::funded(ESG_RUSH, ProjectTypes::Only(&[12])),
            Clause::funded(HOPWA, ProjectTypes::Only(&[0, 2, 3, 6, 12])),
        ],
    ),
    // V1 Veteran's Information: veterans (3.07 yes), at record creation (due at project
    // start): years of service, every theatre of operations, branch and discharge.
    staged(
        Element::VeteranInformation,
        HmisFile::Client,
        &[
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
        ],
        Veterans,
        START,
        VETERAN_PROGRAMS,
    ),
    // V2 Services Provided – SSVF (RecordType 144): every client, each service.
    service(
        Element::SsvfServices,
        144,
        &["type_provided"],
        AllClients,
        SSVF_RRH_AND_PREVENTION,
    ),
    // V3 Financial Assistance – SSVF (RecordType 152): every client, each payment.
    service(
        Element::SsvfFinancialAssistance,
        152,
        &["type_provided", "fa_amount"],
        AllClients,
        SSVF_RRH_AND_PREVENTION,
    ),
    // V4 Percent of AMI: the head, at project start.
    staged(
        Element::PercentOfAmi,
        HmisFile::Enrollment,
        &["percent_ami"],
        HeadsOfHousehold,
        START,
        SSVF_RRH_AND_PREVENTION,
    ),
    // V6 VAMC Station Number: the head, at project start.
    staged(
        Element::VamcStation,
        HmisFile::Enrollment,
        &["vamc_station"],
        HeadsOfHousehold,
        START,
        VETERAN_PROGRAMS,
    ),
    // V7 HP Targeting Criteria: the head, at project start; SSVF prevention (12) only. Only
    // whether the screen is required is listed: the criteria follow from it.
    staged(
        Element::HpTargetingCriteria,
        HmisFile::Enrollment,
        &["target_screen_reqd"],
        HeadsOfHousehold,
        START,
        &[Clause::funded(SSVF, ProjectTypes::Only(&[12]))],
    ),
    // V8 HUD-VASH Voucher Tracking (RecordType 210): the head (the veteran), each change of
    // the voucher; HUD-VASH permanent supportive housing.
    service(
        Element::VashVoucherTracking,
        210,
        &["type_provided"],
        HeadsOfHousehold,
        &[Clause::funded(HUD_VASH, PSH)],
    ),
    // V9 HUD-VASH Exit Information: the head, at exit.
    staged(
        Element::VashExitInformation,
        HmisFile::Exit,
        &["cm_exit_reason"],
        HeadsOfHousehold,
        EXIT,
        &[Clause::funded_any_type(HUD_VASH)],
    ),
    // V10 Mental Health Consultation (new in FY2026): the head, at project start; SSVF and
    // Grant Per Diem in services only (6), prevention (12) and RRH (13).
    staged(
        Element::MentalHealthConsultation,
        HmisFile::Enrollment,
        &["mental_health_consultation"],
        HeadsOfHousehold,
        START,
        &[
            Clause::funded(SSVF, ProjectTypes::Only(&[6, 12, 13])),
            Clause::funded(GRANT_PER_DIEM, ProjectTypes::Only(&[6, 12, 13])),
        ],
    ),
    // C2 Moving On Assistance Provided (RecordType 300): the head, each time; permanent
    // supportive housing funded by CoC PSH (2), YHDP (43), Unsheltered (54) or Rural (55)
    // NOFO, or CoC Builds (56).
    service(
        Element::MovingOnAssistance,
        300,
        &["type_provided"],
        HeadsOfHousehold,
        &[Clause::funded(&[2, 43, 54, 55, 56], PSH)],
    ),
    // C3 Youth Education Status: the head, at start and exit; YHDP (43), in place of R5.
    staged(
        Element::YouthEducationStatus,
        HmisFile::YouthEducationStatus,
        &["current_school_attend"],
        HeadsOfHousehold,
        START_AND_EXIT,
        &[Clause::funded_any_type(&[43])],
    ),
];

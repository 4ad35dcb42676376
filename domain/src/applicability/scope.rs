//! Which programs collect an element: the Data Dictionary's "Project Type Applicability" and
//! "Funder: Program – Component" lists, as project types (HUD 2.02.6) and funding sources
//! (HUD 2.06.1). Codes are held as the integers HUD writes; a test checks every one of them is
//! a code of its list.

use crate::codes::{FundingSource, ProjectType};

/// A federal partner program whose grants carry HMIS data collection requirements, and the
/// FY2026 funding sources (HUD 2.06.1) that are its components.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FederalProgram {
    /// HUD Continuum of Care Program: HP (1), PSH (2), RRH (3), SSO (4), TH (5), SH (6), SRO (7),
    /// YHDP (43) and Joint TH/RRH (44).
    Coc,
    /// HUD: CoC – Builds (56, new in FY2026), listed apart in the Data Dictionary.
    CocBuilds,
    /// HUD Emergency Solutions Grants: ES (8), HP (9), RRH (10), SO (11).
    Esg,
    /// HUD: ESG – RUSH (53), listed apart from ESG in the Data Dictionary.
    EsgRush,
    /// HOPWA: hotel/motel vouchers (13), housing information (14), permanent housing (15),
    /// permanent housing placement (16), STRMU (17), short-term supportive facility (18),
    /// transitional housing (19).
    Hopwa,
    /// HUD-VASH (20).
    HudVash,
    /// HHS PATH (21).
    Path,
    /// HHS RHY: Basic Center (22), Maternity Group Home (23), Transitional Living (24), Street
    /// Outreach (25), Demonstration (26).
    Rhy,
    /// VA Contract Residential Services (27).
    VaContractResidential,
    /// VA Community Contract Safe Haven (30).
    VaSafeHaven,
    /// VA Supportive Services for Veteran Families (33).
    Ssvf,
    /// HUD Pay for Success (35).
    PayForSuccess,
    /// VA Grant Per Diem: every component (37-42, 45).
    GrantPerDiem,
    /// HUD Unsheltered Special NOFO (54).
    UnshelteredNofo,
    /// HUD Rural Special NOFO (55).
    RuralNofo,
}

pub const COC: &[i32] = &[1, 2, 3, 4, 5, 6, 7, 43, 44];
pub const COC_BUILDS: &[i32] = &[56];
pub const ESG: &[i32] = &[8, 9, 10, 11];
pub const ESG_RUSH: &[i32] = &[53];
pub const HOPWA: &[i32] = &[13, 14, 15, 16, 17, 18, 19];
pub const HUD_VASH: &[i32] = &[20];
pub const PATH: &[i32] = &[21];
pub const RHY: &[i32] = &[22, 23, 24, 25, 26];
pub const VA_CONTRACT_RESIDENTIAL: &[i32] = &[27];
pub const VA_SAFE_HAVEN: &[i32] = &[30];
pub const SSVF: &[i32] = &[33];
pub const PAY_FOR_SUCCESS: &[i32] = &[35];
pub const GRANT_PER_DIEM: &[i32] = &[37, 38, 39, 40, 41, 42, 45];
pub const UNSHELTERED_NOFO: &[i32] = &[54];
pub const RURAL_NOFO: &[i32] = &[55];

/// Every funding source of a federal partner program (the union of the lists above). The
/// others (32 VA CWT/TR, 34 N/A, 36 PIH, 46 local or other, 50-51 HOME, 52 EHV) carry no
/// program-specific element: their projects collect the universal elements only.
pub const FEDERAL_PARTNERS: &[i32] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
    30, 33, 35, 37, 38, 39, 40, 41, 42, 43, 44, 45, 53, 54, 55, 56,
];

impl FederalProgram {
    pub const ALL: [FederalProgram; 15] = [
        FederalProgram::Coc,
        FederalProgram::CocBuilds,
        FederalProgram::Esg,
        FederalProgram::EsgRush,
        FederalProgram::Hopwa,
        FederalProgram::HudVash,
        FederalProgram::Path,
        FederalProgram::Rhy,
        FederalProgram::VaContractResidential,
        FederalProgram::VaSafeHaven,
        FederalProgram::Ssvf,
        FederalProgram::PayForSuccess,
        FederalProgram::GrantPerDiem,
        FederalProgram::UnshelteredNofo,
        FederalProgram::RuralNofo,
    ];

    /// The funding sources that are this program's components.
    pub const fn funding_sources(self) -> &'static [i32] {
        match self {
            FederalProgram::Coc => COC,
            FederalProgram::CocBuilds => COC_BUILDS,
            FederalProgram::Esg => ESG,
            FederalProgram::EsgRush => ESG_RUSH,
            FederalProgram::Hopwa => HOPWA,
            FederalProgram::HudVash => HUD_VASH,
            FederalProgram::Path => PATH,
            FederalProgram::Rhy => RHY,
            FederalProgram::VaContractResidential => VA_CONTRACT_RESIDENTIAL,
            FederalProgram::VaSafeHaven => VA_SAFE_HAVEN,
            FederalProgram::Ssvf => SSVF,
            FederalProgram::PayForSuccess => PAY_FOR_SUCCESS,
            FederalProgram::GrantPerDiem => GRANT_PER_DIEM,
            FederalProgram::UnshelteredNofo => UNSHELTERED_NOFO,
            FederalProgram::RuralNofo => RURAL_NOFO,
        }
    }

    /// The federal partner program a grant's funding source belongs to, if any.
    pub fn of(funder: FundingSource) -> Option<FederalProgram> {
        FederalProgram::ALL
            .into_iter()
            .find(|program| program.funding_sources().contains(&funder.code()))
    }
}

/// Project types (HUD 2.02.6) a clause covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectTypes {
    Any,
    Only(&'static [i32]),
    Except(&'static [i32]),
}

impl ProjectTypes {
    pub fn contains(self, project_type: ProjectType) -> bool {
        match self {
            ProjectTypes::Any => true,
            ProjectTypes::Only(types) => types.contains(&project_type.code()),
            ProjectTypes::Except(types) => !types.contains(&project_type.code()),
        }
    }
}

/// Funding sources (HUD 2.06.1) a clause covers: any (even no grant at all), or a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Funders {
    Any,
    OneOf(&'static [i32]),
}

impl Funders {
    pub fn any_of(self, funders: &[FundingSource]) -> bool {
        match self {
            Funders::Any => true,
            Funders::OneOf(codes) => funders.iter().any(|funder| codes.contains(&funder.code())),
        }
    }
}

/// One line of an element's applicability: programs of these types funded by one of these
/// sources collect it. An element is required when any of its clauses holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clause {
    pub funders: Funders,
    pub project_types: ProjectTypes,
}

impl Clause {
    /// Every project of these types, whatever funds it (universal data elements).
    pub const fn every_project(project_types: ProjectTypes) -> Clause {
        Clause {
            funders: Funders::Any,
            project_types,
        }
    }

    /// Projects of these types funded by one of `funders`.
    pub const fn funded(funders: &'static [i32], project_types: ProjectTypes) -> Clause {
        Clause {
            funders: Funders::OneOf(funders),
            project_types,
        }
    }

    /// Projects of any type funded by one of `funders`.
    pub const fn funded_any_type(funders: &'static [i32]) -> Clause {
        Clause::funded(funders, ProjectTypes::Any)
    }

    pub fn holds(&self, project_type: ProjectType, funders: &[FundingSource]) -> bool {
        self.project_types.contains(project_type) && self.funders.any_of(funders)
    }
}

/// Every HMIS project, whatever its type or funding.
pub const EVERY_PROJECT: &[Clause] = &[Clause::every_project(ProjectTypes::Any)];

/// The permanent housing project types: PSH (3), PH housing only (9), PH housing with
/// services (10), RRH (13).
pub const PERMANENT_HOUSING: &[i32] = &[3, 9, 10, 13];
/// The project types HUD's "all components except SSO Coordinated Entry" leaves out: a
/// coordinated entry project is type 14.
pub const EXCEPT_COORDINATED_ENTRY: ProjectTypes = ProjectTypes::Except(&[14]);
/// ESG's "all components except ES – Night-by-Night".
pub const EXCEPT_NIGHT_BY_NIGHT: ProjectTypes = ProjectTypes::Except(&[1]);
/// ESG RUSH's "all components except Emergency Shelter or Street Outreach".
pub const EXCEPT_SHELTER_AND_OUTREACH: ProjectTypes = ProjectTypes::Except(&[0, 1, 4]);
/// SSVF's "RRH and Homelessness Prevention".
pub const RRH_AND_PREVENTION: ProjectTypes = ProjectTypes::Only(&[12, 13]);

//! Reference data: a few organizations, each with a handful of programs of various HUD
//! project types (operating since well before the five years of stays, still open), their
//! grants, and case managers.

use threshold_domain::codes::{FundingSource, ProjectType};
use threshold_domain::enrollment::CocCode;
use threshold_domain::{Date, DateRange};
use threshold_persistence::ids::{GrantId, OrganizationId, UserId};
use threshold_persistence::rows::{GrantRow, OrganizationRow, ProgramRow, Stamp, UserRow};
use threshold_persistence::seed::SeedRows;

use super::chance::{minus_days, plus_days, Chance};
use super::names::{FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES};

/// A program as the stays need it: its row, type, grants and where its case managers work.
pub struct Program {
    pub row: ProgramRow,
    pub project_type: ProjectType,
    pub organization: usize,
    pub grants: Vec<Grant>,
    /// How often households enter it, against the other programs.
    pub weight: u32,
}

/// A grant as an enrollment names it.
pub struct Grant {
    pub id: GrantId,
    pub term: DateRange,
    pub funder: FundingSource,
}

pub struct Reference {
    pub organizations: Vec<OrganizationRow>,
    /// The CoC each organization's enrollments are in.
    pub cocs: Vec<CocCode>,
    pub programs: Vec<Program>,
    pub grants: Vec<GrantRow>,
    pub users: Vec<UserRow>,
    /// The user IDs of each organization's case managers.
    pub case_managers: Vec<Vec<UserId>>,
    /// `programs`' weights, for picking one.
    pub program_weights: Vec<(usize, u32)>,
}

/// An organization: its name, the domain of its staff's email, its CoC, and the kind of
/// program it is known for beside the emergency shelter every one runs (a project type), with
/// the funders of that program's grants in turn when they are set.
struct Organization {
    name: &'static str,
    domain: &'static str,
    coc: &'static str,
    known_for: i32,
    funded_by: &'static [i32],
}

const fn organization(
    name: &'static str,
    domain: &'static str,
    coc: &'static str,
    known_for: i32,
    funded_by: &'static [i32],
) -> Organization {
    Organization {
        name,
        domain,
        coc,
        known_for,
        funded_by,
    }
}

/// The first three, which every seed has, run between them a street outreach program, a
/// coordinated entry and a youth transitional housing program funded by RHY, then by YHDP:
/// so that even a small seed has HUD records of every collection.
#[rustfmt::skip]
const ORGANIZATIONS: [Organization; 8] = [
    organization("Harbor Light Services", "harborlight", "CA-500", 4, &[]),
    organization("Northside Family Shelter", "northside", "CA-500", 14, &[]),
    organization("Valley Housing Partners", "valleyhousing", "CA-502", 2, &[24, 43]),
    organization("Crossroads Outreach", "crossroads", "CA-502", 4, &[]),
    organization("Bridgeway Community Services", "bridgeway", "WA-500", 6, &[]),
    organization("Riverbend Veterans Alliance", "riverbend", "WA-500", 13, &[33]),
    organization("Eastgate Youth Center", "eastgate", "OR-501", 2, &[24]),
    organization("Cedar Hope Housing", "cedarhope", "OR-501", 3, &[]),
];

/// Project type, program name, and how often households enter such a program.
type Kind = (i32, &'static str, u32);

const PROJECT_TYPES: [Kind; 14] = [
    (0, "Emergency Shelter", 30),
    (1, "Night Shelter", 10),
    (2, "Transitional Housing", 8),
    (3, "Supportive Housing", 5),
    (4, "Street Outreach", 12),
    (6, "Services Center", 8),
    (7, "Community Program", 3),
    (8, "Safe Haven", 3),
    (9, "Housing Only", 3),
    (10, "Housing with Services", 3),
    (11, "Day Shelter", 4),
    (12, "Homelessness Prevention", 8),
    (13, "Rapid Re-Housing", 12),
    (14, "Coordinated Entry", 15),
];

/// The funders of a project type, weighted.
pub fn funders(project_type: ProjectType) -> &'static [(i32, u32)] {
    match project_type.code() {
        0 | 1 | 11 => &[(8, 6), (46, 3), (53, 1)],
        2 => &[(5, 5), (24, 2), (41, 2), (46, 1)],
        3 => &[(2, 7), (15, 2), (20, 1)],
        4 => &[(11, 5), (21, 3), (25, 2)],
        6 => &[(4, 6), (21, 2), (46, 2)],
        8 => &[(6, 6), (30, 4)],
        9 | 10 => &[(2, 4), (36, 3), (50, 3)],
        12 => &[(9, 6), (33, 4)],
        13 => &[(3, 5), (10, 3), (33, 2)],
        14 => &[(4, 7), (46, 3)],
        _ => &[(46, 1)],
    }
}

pub fn reference(chance: &mut Chance, clients: u32, today: Date, stamp: &Stamp) -> Reference {
    let organization_count = (clients / 25_000 + 3).min(ORGANIZATIONS.len() as u32) as usize;
    let managers_per_organization = (clients / 2_500 + 3).min(40);
    let mut reference = Reference {
        organizations: Vec::new(),
        cocs: Vec::new(),
        programs: Vec::new(),
        grants: Vec::new(),
        users: Vec::new(),
        case_managers: Vec::new(),
        program_weights: Vec::new(),
    };
    for (index, known) in ORGANIZATIONS.iter().take(organization_count).enumerate() {
        let organization = OrganizationRow {
            hud: Default::default(),
            id: chance.id(),
            name: known.name.to_owned(),
            victim_service_provider: false,
            version: 1,
            created_at: stamp.at,
            updated_at: stamp.at,
            created_by: stamp.by.clone(),
            updated_by: stamp.by.clone(),
        };
        reference
            .cocs
            .push(CocCode::parse(known.coc).unwrap_or_else(|error| panic!("{error}")));
        // Every organization runs an emergency shelter and the program it is known for, and
        // three to five other kinds in all.
        let known_for = *PROJECT_TYPES
            .iter()
            .find(|(code, _, _)| *code == known.known_for)
            .unwrap_or_else(|| panic!("{} is not a project type here", known.known_for));
        let mut kinds: Vec<(Kind, &[i32])> =
            vec![(PROJECT_TYPES[0], &[]), (known_for, known.funded_by)];
        let others = chance.between(3, 5) as usize;
        while kinds.len() <= others {
            let kind = *chance.pick(&PROJECT_TYPES[1..]);
            if !kinds.iter().any(|((code, _, _), _)| *code == kind.0) {
                kinds.push((kind, &[]));
            }
        }
        let short_name = known.name.split(' ').next().unwrap_or(known.name);
        for ((code, label, weight), funders) in kinds {
            let name = format!("{short_name} {label}");
            let mut program = program(
                chance,
                &organization,
                index,
                code,
                name,
                weight,
                today,
                stamp,
            );
            let grants = grants(chance, &program, funders, today, stamp);
            program.grants = grants
                .iter()
                .map(|grant| Grant {
                    id: grant.id,
                    term: DateRange {
                        start: grant.start_date.into(),
                        end: grant.end_date.map(Into::into),
                    },
                    funder: FundingSource::try_from(grant.funder)
                        .unwrap_or_else(|error| panic!("{error}")),
                })
                .collect();
            reference.grants.extend(grants);
            reference.programs.push(program);
        }
        let mut managers = Vec::new();
        for number in 1..=managers_per_organization {
            let user = case_manager(chance, organization.id, known.domain, number, stamp);
            managers.push(user.id);
            reference.users.push(user);
        }
        reference.case_managers.push(managers);
        reference.organizations.push(organization);
    }
    reference.program_weights = reference
        .programs
        .iter()
        .enumerate()
        .map(|(index, program)| (index, program.weight))
        .collect();
    reference
}

impl Reference {
    /// Sends `percent` (1-99) of the stays into the first program, the first organization's
    /// emergency shelter, and the rest to the others as before: only the weights change, so
    /// the reference rows and the people are the same.
    pub fn make_busiest(&mut self, percent: u32) {
        let percent = percent.clamp(1, 99);
        let others: u32 = self.program_weights[1..]
            .iter()
            .map(|(_, weight)| weight)
            .sum();
        self.program_weights[0].1 = (others * percent / (100 - percent)).max(1);
    }

    /// The rows to write.
    pub fn rows(&self) -> SeedRows {
        SeedRows {
            organizations: self.organizations.clone(),
            programs: self
                .programs
                .iter()
                .map(|program| program.row.clone())
                .collect(),
            grants: self.grants.clone(),
            users: self.users.clone(),
            ..SeedRows::default()
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn program(
    chance: &mut Chance,
    organization: &OrganizationRow,
    organization_index: usize,
    code: i32,
    name: String,
    weight: u32,
    today: Date,
    stamp: &Stamp,
) -> Program {
    let project_type = ProjectType::try_from(code).unwrap_or_else(|error| panic!("{error}"));
    // Operating for six to twenty years: since well before the five years of stays.
    let operating_start = minus_days(today, chance.between(6 * 365, 20 * 365));
    Program {
        row: ProgramRow {
            hud: Default::default(),
            id: chance.id(),
            organization_id: organization.id,
            name,
            project_type: project_type.code(),
            operating_start_date: operating_start.naive(),
            operating_end_date: None,
            continuum_project: chance.percent(85),
            capacity: None,
            auto_exit_days: None,
            version: 1,
            created_at: stamp.at,
            updated_at: stamp.at,
            created_by: stamp.by.clone(),
            updated_by: stamp.by.clone(),
        },
        project_type,
        organization: organization_index,
        grants: Vec::new(),
        weight,
    }
}

/// One grant from the program's start, or two: the first ending within the five years and
/// the next taking over the day after, still open. Either way every day since the program
/// started is covered. `funders`, when given, are the grants' funders in turn (two of them:
/// two grants); otherwise each is drawn from the project type's usual funders.
fn grants(
    chance: &mut Chance,
    program: &Program,
    funders: &[i32],
    today: Date,
    stamp: &Stamp,
) -> Vec<GrantRow> {
    let start: Date = program.row.operating_start_date.into();
    let terms = if funders.len() == 2 || (funders.is_empty() && chance.percent(50)) {
        let switch = minus_days(today, chance.between(180, 4 * 365));
        vec![(start, Some(switch)), (plus_days(switch, 1), None)]
    } else {
        vec![(start, None)]
    };
    let mut out = Vec::new();
    for (term, (start, end)) in terms.into_iter().enumerate() {
        let funder: FundingSource = match funders.get(term) {
            Some(funder) => chance.code(&[(*funder, 1)]),
            None => chance.code(self::funders(program.project_type)),
        };
        let other_funder = funder.asks_other_funder().then(|| {
            (*chance.pick(&["County general fund", "United Way", "City housing trust"])).to_owned()
        });
        out.push(GrantRow {
            id: chance.id(),
            program_id: program.row.id,
            funder: funder.code(),
            other_funder,
            grant_identifier: format!("G{:02}-{}", funder.code(), chance.digits(6)),
            start_date: start.naive(),
            end_date: end.map(Date::naive),
            version: 1,
            created_at: stamp.at,
            updated_at: stamp.at,
            created_by: stamp.by.clone(),
            updated_by: stamp.by.clone(),
        });
    }
    out
}

fn case_manager(
    chance: &mut Chance,
    organization_id: OrganizationId,
    domain: &str,
    number: u32,
    stamp: &Stamp,
) -> UserRow {
    let first_names = if chance.percent(50) {
        FIRST_NAMES_FEMALE
    } else {
        FIRST_NAMES_MALE
    };
    let first_name = *chance.pick(first_names);
    let last_name = *chance.pick(LAST_NAMES);
    UserRow {
        id: chance.id(),
        organization_id,
        first_name: first_name.to_owned(),
        last_name: last_name.to_owned(),
        email: format!(
            "{}.{}.{number}@{domain}.example.org",
            first_name.to_lowercase(),
            last_name.to_lowercase()
        ),
        version: 1,
        created_at: stamp.at,
        updated_at: stamp.at,
        created_by: stamp.by.clone(),
        updated_by: stamp.by.clone(),
    }
}

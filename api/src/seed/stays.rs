//! Stays: each family's households over the last five years, one after another. The head
//! enters first; the others enter that day or a little later (never before they were born)
//! and leave with the head or before; the next stay starts on or after the day the last one
//! ended, so no client's stays overlap, in one program or any.

use chrono::NaiveDateTime;
use threshold_domain::codes::{
    Destination, LengthOfStay, NoYesMissing, PriorLivingSituation, RentalSubsidyType,
};
use threshold_domain::Date;
use threshold_persistence::ids::{HouseholdId, UserId};
use threshold_persistence::rows::{EnrollmentRow, HouseholdRow, HudFieldsJson};

use super::chance::{minus_days, plus_days, Chance};
use super::hud;
use super::names::{DESTINATIONS, LENGTHS_OF_STAY, OTHER_DESTINATIONS, PRIOR_LIVING, SUBSIDIES};
use super::people::Person;
use super::records::{assessments, services};
use super::reference::{Program, Reference};
use super::Batch;

/// What every stay is made against.
pub struct Context<'a> {
    pub reference: &'a Reference,
    pub today: Date,
    /// The first day of the five years stays fall in.
    pub window_start: Date,
    /// When the rows are written.
    pub at: NaiveDateTime,
}

/// How a stay ended.
#[derive(Clone)]
struct Exit {
    date: Date,
    destination: Destination,
    subsidy: Option<RentalSubsidyType>,
    other: Option<String>,
}

/// How many stays a family has, weighted (before the five years run out).
const STAYS: &[(u32, u32)] = &[(1, 12), (2, 18), (3, 24), (4, 20), (5, 14), (6, 12)];

/// A family's stays, written into the batch with the family's clients.
pub fn family_stays(
    chance: &mut Chance,
    context: &Context<'_>,
    family: Vec<Person>,
    batch: &mut Batch,
) {
    let wanted = chance.weighted(STAYS);
    let latest_entry = minus_days(context.today, 1);
    let mut entry = chance.day_between(context.window_start, latest_entry);
    if wanted >= 3 {
        // Families with many stays started early, or there would be no room for them.
        entry = entry.min(chance.day_between(context.window_start, latest_entry));
    }
    let mut recorded_by = None;
    for stay in 1..=wanted {
        let program_index = chance.weighted(&context.reference.program_weights);
        let program = &context.reference.programs[program_index];
        let planned_exit = plus_days(entry, stay_days(chance, program));
        let stays_on = planned_exit > context.today
            || (stay == wanted
                && entry >= minus_days(context.today, 2 * 365)
                && chance.percent(30));
        let exit = (!stays_on).then(|| exit(chance, planned_exit));
        let case_manager = *chance.pick(&context.reference.case_managers[program.organization]);
        recorded_by.get_or_insert(case_manager);
        household(
            chance,
            context,
            program,
            case_manager,
            &family,
            entry,
            exit.clone(),
            batch,
        );
        let Some(exit) = exit else { break };
        entry = plus_days(exit.date, gap_days(chance));
        if entry > context.today {
            break;
        }
    }
    for mut person in family {
        if let Some(by) = recorded_by {
            person.client.created_by = by.to_string();
            person.client.updated_by = by.to_string();
        }
        batch.clients.push(person.client);
    }
}

/// One household: the head's enrollment, then each member's who was there.
#[allow(clippy::too_many_arguments)]
fn household(
    chance: &mut Chance,
    context: &Context<'_>,
    program: &Program,
    case_manager: UserId,
    family: &[Person],
    entry: Date,
    head_exit: Option<Exit>,
    batch: &mut Batch,
) {
    let household_id = chance.id();
    batch.households.push(HouseholdRow {
        id: household_id,
        program_id: program.row.id,
        created_at: context.at,
        created_by: case_manager.to_string(),
    });
    let last_day = head_exit.as_ref().map_or(context.today, |exit| exit.date);
    let prior_living: PriorLivingSituation = chance.code(PRIOR_LIVING);
    for (position, person) in family.iter().enumerate() {
        let (member_entry, member_exit) = if position == 0 {
            (entry, head_exit.clone())
        } else {
            let mut member_entry = if chance.percent(85) {
                entry
            } else {
                plus_days(entry, chance.between(1, 30))
            };
            if let Some(dob) = person.dob {
                member_entry = member_entry.max(dob);
            }
            if member_entry > last_day {
                continue;
            }
            // Most leave with the head; some leave earlier (or, while the head stays on,
            // at all).
            let leaves_alone = match &head_exit {
                Some(_) => chance.percent(15),
                None => chance.percent(10),
            };
            let member_exit = if leaves_alone {
                let date = chance.day_between(member_entry, last_day);
                Some(exit(chance, date))
            } else {
                head_exit.clone()
            };
            (member_entry, member_exit)
        };
        let row = enrollment(
            chance,
            context,
            program,
            household_id,
            case_manager,
            person,
            member_entry,
            member_exit,
            prior_living,
        );
        services(chance, context, program, &row, position == 0, batch);
        if position == 0 {
            assessments(chance, context, program, &row, batch);
        }
        let stay = hud::Stay {
            enrollment: &row,
            person,
            program,
            funder: program
                .grants
                .iter()
                .find(|grant| Some(grant.id) == row.grant_id)
                .map(|grant| grant.funder),
            head_entry: entry,
        };
        hud::stay_records(chance, context, &stay, batch);
        batch.enrollments.push(row);
    }
}

#[allow(clippy::too_many_arguments)]
fn enrollment(
    chance: &mut Chance,
    context: &Context<'_>,
    program: &Program,
    household_id: HouseholdId,
    case_manager: UserId,
    person: &Person,
    entry: Date,
    exit: Option<Exit>,
    prior_living: PriorLivingSituation,
) -> EnrollmentRow {
    let head = person.relationship.is_head();
    let grant_id = program
        .grants
        .iter()
        .find(|grant| grant.term.contains(entry))
        .filter(|_| chance.percent(85))
        .map(|grant| grant.id);
    let last_day = exit.as_ref().map_or(context.today, |exit| exit.date);
    let move_in = (head && program.project_type.is_permanent_housing() && chance.percent(75))
        .then(|| plus_days(entry, chance.between(0, 90)))
        .filter(|move_in| *move_in <= last_day);
    let disabling_condition: NoYesMissing =
        chance.code(&[(0, 62), (1, 32), (8, 2), (9, 1), (99, 3)]);
    let length_of_stay: LengthOfStay = chance.code(LENGTHS_OF_STAY);
    // Who wrote the rows: the case manager, as a token subject names them.
    let by = case_manager.to_string();
    let mut row = EnrollmentRow {
        hud: Default::default(),
        exit_hud: Default::default(),
        flags: Default::default(),
        source: None,
        exit_source: None,
        id: chance.id(),
        client_id: person.client.id,
        program_id: program.row.id,
        household_id,
        relationship_to_hoh: person.relationship.code(),
        entry_date: entry.naive(),
        exit_date: exit.as_ref().map(|exit| exit.date.naive()),
        destination: exit.as_ref().map(|exit| exit.destination.code()),
        destination_subsidy_type: exit
            .as_ref()
            .and_then(|exit| exit.subsidy.map(RentalSubsidyType::code)),
        other_destination: exit.as_ref().and_then(|exit| exit.other.clone()),
        auto_exited: false,
        exited_by: exit.as_ref().map(|_| by.clone()),
        // The writer stamps these, and `exited_at`, with the change clock.
        exited_at: exit.as_ref().map(|_| context.at),
        grant_id,
        case_manager_id: chance.percent(95).then_some(case_manager),
        enrollment_coc: head.then(|| {
            context.reference.cocs[program.organization]
                .as_str()
                .to_owned()
        }),
        disabling_condition: Some(disabling_condition.code()),
        prior_living_situation: Some(prior_living.code()),
        length_of_stay: Some(length_of_stay.code()),
        move_in_date: move_in.map(Date::naive),
        version: 1,
        created_at: context.at,
        updated_at: context.at,
        created_by: by.clone(),
        updated_by: by,
        deleted_at: None,
    };
    // Drawn from the enrollment's own stream, so the rest of the data does not change.
    let mut own = Chance::new(row.id.uuid().as_u64_pair().1, 0);
    row.hud = homeless_history(&mut own, program, entry, last_day);
    row
}

/// 3.917's homeless history (3.917.3-3.917.5) as most stays record it, and for street
/// outreach (project type 4) 4.13's date of engagement, within the stay: the episode started
/// on or before the entry date; a few answers are 8, 9 or 99, some stays have none.
pub(super) fn homeless_history(
    chance: &mut Chance,
    program: &Program,
    entry: Date,
    last_day: Date,
) -> HudFieldsJson {
    let mut fields = serde_json::Map::new();
    if chance.percent(85) {
        let started = minus_days(entry, chance.between(0, 900));
        fields.insert("date_to_street_essh".into(), started.to_string().into());
        let times: i32 =
            chance.weighted(&[(1, 50), (2, 20), (3, 10), (4, 14), (8, 2), (9, 1), (99, 3)]);
        fields.insert("times_homeless_past_three_years".into(), times.into());
        let months: i32 = chance.weighted(&[
            (101, 30),
            (103, 15),
            (106, 15),
            (112, 10),
            (113, 24),
            (8, 2),
            (9, 1),
            (99, 3),
        ]);
        fields.insert("months_homeless_past_three_years".into(), months.into());
    }
    if program.project_type.code() == STREET_OUTREACH && chance.percent(70) {
        let engaged = plus_days(entry, chance.between(0, 21));
        if engaged <= last_day {
            fields.insert("date_of_engagement".into(), engaged.to_string().into());
        }
    }
    // Only HUD field names: never a column's.
    HudFieldsJson::new(fields).unwrap_or_default()
}

/// HUD 2.02.6 project type 4, street outreach: the one that records 4.13.
const STREET_OUTREACH: i32 = 4;

fn exit(chance: &mut Chance, date: Date) -> Exit {
    let destination: Destination = chance.code(DESTINATIONS);
    Exit {
        date,
        destination,
        subsidy: destination
            .asks_subsidy_type()
            .then(|| chance.code(SUBSIDIES)),
        other: destination
            .asks_other_text()
            .then(|| (*chance.pick(OTHER_DESTINATIONS)).to_owned()),
    }
}

/// Days from entry to exit: short for shelters and outreach, years for permanent housing.
fn stay_days(chance: &mut Chance, program: &Program) -> u32 {
    let (shortest, longest) = match program.project_type.code() {
        0 => (1, 120),
        1 | 11 => (0, 30),
        2 => (60, 720),
        3 | 9 | 10 => (180, 2_500),
        4 => (7, 240),
        8 => (30, 365),
        12 => (30, 180),
        13 => (60, 540),
        14 => (0, 90),
        _ => (20, 365),
    };
    // The shorter of two draws: most stays are short, a few run long.
    chance
        .between(shortest, longest)
        .min(chance.between(shortest, longest))
}

/// Days between one stay's exit and the next entry: some move on the same day.
fn gap_days(chance: &mut Chance) -> u32 {
    let (shortest, longest) = chance.weighted(&[
        ((0, 0), 20),
        ((1, 30), 30),
        ((31, 180), 35),
        ((181, 400), 15),
    ]);
    chance.between(shortest, longest)
}

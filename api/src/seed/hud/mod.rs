//! HUD's records of each stay, as a HUD-funded program keeps them: whatever the domain's
//! applicability table says the program collects about the person (`Subject`: who they are,
//! the project type, the grant's funding source), at project start (dated the entry date), at
//! each annual assessment (within 30 days of the head of household's anniversary), now and
//! then an update, at exit (dated the exit date), and when things happen: a current living
//! situation at each contact, a coordinated entry event.
//!
//! Every record is read and checked by the domain as the API reads and checks a request's
//! (its fields against the column catalog, the "never null" columns, each file's consistency,
//! the stage and date rules among the stay's records), and stored as the API stores it. Most
//! stays' records are complete; about one in ten ([`GAP_PERCENT`]) misses something, as real
//! data does: a project-start record never made, an answer of 99 (data not collected), no exit
//! records, no annual assessment. Completeness reports find those.

mod answers;
mod draws;
mod occurrences;
mod records;
mod tables;
#[cfg(test)]
mod tests;

use threshold_domain::applicability::{
    self, age_on, Collection as Collected, Element, FederalProgram, Row, Stage, Subject,
};
use threshold_domain::codes::FundingSource;
use threshold_domain::hud_records::stages::anniversary;
use threshold_domain::hud_records::{Collection, RecordFacts};
use threshold_domain::Date;
use threshold_persistence::rows::EnrollmentRow;

use self::answers::Profile;
use self::records::Records;
use super::chance::{minus_days, plus_days, Chance};
use super::people::Person;
use super::reference::Program;
use super::stays::Context;
use super::Batch;

/// The share of stays, in percent, whose records miss something.
pub const GAP_PERCENT: u32 = 10;
/// The share of stays of two weeks or more, in percent, with an update (HUD 5.03 stage 2): an
/// income that changed, a disclosure.
const UPDATE_PERCENT: u32 = 15;

/// One member's stay, as its records need it.
pub struct Stay<'a> {
    pub enrollment: &'a EnrollmentRow,
    pub person: &'a Person,
    pub program: &'a Program,
    /// The funding source of the enrollment's grant (HUD 2.06.1); none without a grant.
    pub funder: Option<FundingSource>,
    /// The head of household's entry date, from which annual assessments are counted.
    pub head_entry: Date,
}

/// How a stay's records fall short, when they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// The project-start record holding the element was never made.
    LeftOut(Element),
    /// The element's answer at project start is 99, data not collected.
    NotCollected(Element),
    NoExit,
    NoAnnualAssessment,
}

/// The stay's HUD records, into the batch.
pub fn stay_records(
    chance: &mut Chance,
    context: &Context<'_>,
    stay: &Stay<'_>,
    batch: &mut Batch,
) {
    let enrollment = stay.enrollment;
    let entry = Date::from(enrollment.entry_date);
    let exit = enrollment.exit_date.map(Date::from);
    let funders: Vec<FundingSource> = stay.funder.into_iter().collect();
    let age = stay.person.dob.and_then(|dob| age_on(dob, entry));
    let veteran = stay.person.client.veteran_status == 1;
    let subject = Subject {
        relationship: stay.person.relationship,
        age_at_entry: age,
        veteran,
        project_type: stay.program.project_type,
        funders: &funders,
    };
    // The elements of HUD's record files the program collects about this person.
    let collected: Vec<&'static Row> = applicability::rows()
        .filter(|row| row.file.record_collection().is_some() && subject.collects(row))
        .collect();
    if collected.is_empty() {
        return;
    }
    let facts = RecordFacts {
        entry_date: entry,
        exit_date: exit,
        head_entry_date: stay.head_entry,
    };
    let mut records = Records::new(facts, context.today, enrollment, context.at);
    let staged: Vec<&Row> = collected
        .iter()
        .copied()
        .filter(|row| matches!(row.collection, Collected::Stages(_)))
        .collect();
    if !staged.is_empty() {
        let person = answers::Person {
            age,
            female: stay.person.client.sex == 0,
            veteran,
        };
        let hopwa = funders
            .iter()
            .any(|funder| FederalProgram::of(*funder) == Some(FederalProgram::Hopwa));
        let profile = Profile::draw(chance, person, entry, enrollment.disabling_condition, hopwa);
        staged_records(chance, &staged, profile, &mut records, batch);
    }
    let collects = |element| collected.iter().any(|row| row.element == element);
    if collects(Element::CurrentLivingSituation) {
        let outreach = stay.program.project_type.code() == 4;
        occurrences::contacts(chance, &mut records, outreach, batch);
    }
    if collects(Element::CoordinatedEntryEvent) {
        occurrences::events(
            chance,
            context.reference,
            context.today,
            &mut records,
            batch,
        );
    }
}

/// Whether the row's element is collected at `stage`.
fn collected_at(row: &Row, stage: Stage) -> bool {
    matches!(row.collection, Collected::Stages(stages) if stages.contains(&stage))
}

/// The records of the stages the stay went through: project start, an update now and then,
/// each annual assessment, exit.
fn staged_records(
    chance: &mut Chance,
    rows: &[&'static Row],
    mut profile: Profile,
    records: &mut Records<'_>,
    batch: &mut Batch,
) {
    let facts = records.facts;
    let (entry, last_day) = records.period();
    let at_stage = |stage: Stage| -> Vec<&'static Row> {
        rows.iter()
            .copied()
            .filter(|row| collected_at(row, stage))
            .collect()
    };
    let annual_rows = at_stage(Stage::AnnualAssessment);
    let anniversaries = if annual_rows.is_empty() {
        Vec::new()
    } else {
        anniversaries_within(facts.head_entry_date, entry, facts.exit_date, records.today)
    };
    if chance.percent(GAP_PERCENT) {
        let (exited, annual) = (facts.exit_date.is_some(), !anniversaries.is_empty());
        records.gap = gap(chance, rows, exited, annual);
    }
    let gap = records.gap;

    let start = Stage::ProjectStart;
    records.stage(chance, batch, &at_stage(start), start, entry, &profile);
    if entry.days_until(last_day) >= 14 && chance.percent(UPDATE_PERCENT) {
        // Income changes, or domestic violence is disclosed, a while into the stay.
        let update_rows = at_stage(Stage::Update);
        let collection = [Collection::IncomeBenefits, Collection::HealthAndDv]
            .into_iter()
            .find(|collection| {
                update_rows
                    .iter()
                    .any(|row| row.file.record_collection() == Some(*collection))
            });
        if let Some(collection) = collection {
            let date = chance.day_between(plus_days(entry, 7), minus_days(last_day, 1));
            profile.moved_on(chance, date);
            let of_collection: Vec<&Row> = update_rows
                .into_iter()
                .filter(|row| row.file.record_collection() == Some(collection))
                .collect();
            records.stage(chance, batch, &of_collection, Stage::Update, date, &profile);
        }
    }
    if gap != Some(Gap::NoAnnualAssessment) {
        let annual = Stage::AnnualAssessment;
        for anniversary in anniversaries {
            let date = annual_date(chance, anniversary, entry, facts.exit_date, last_day);
            profile.moved_on(chance, date);
            records.stage(chance, batch, &annual_rows, annual, date, &profile);
        }
    }
    if let Some(exit) = facts.exit_date.filter(|_| gap != Some(Gap::NoExit)) {
        profile.moved_on(chance, exit);
        let stage = Stage::ProjectExit;
        records.stage(chance, batch, &at_stage(stage), stage, exit, &profile);
    }
}

/// One of the gaps a stay's records may have.
fn gap(chance: &mut Chance, rows: &[&'static Row], exited: bool, annual: bool) -> Option<Gap> {
    let at_start: Vec<Element> = rows
        .iter()
        .filter(|row| collected_at(row, Stage::ProjectStart))
        .map(|row| row.element)
        .collect();
    let mut gaps = Vec::new();
    if !at_start.is_empty() {
        let element = *chance.pick(&at_start);
        gaps.extend([(Gap::LeftOut(element), 3), (Gap::NotCollected(element), 3)]);
    }
    if exited {
        gaps.push((Gap::NoExit, 3));
    }
    if annual {
        gaps.push((Gap::NoAnnualAssessment, 2));
    }
    (!gaps.is_empty()).then(|| chance.weighted(&gaps))
}

/// The anniversaries of the head's entry date (`head_entry`) that fall while the member was
/// enrolled: on or after their entry, before their exit, by `today`.
fn anniversaries_within(
    head_entry: Date,
    entry: Date,
    exit: Option<Date>,
    today: Date,
) -> Vec<Date> {
    let last = exit.map_or(today, |exit| minus_days(exit, 1)).min(today);
    (1..)
        .map_while(|years| anniversary(head_entry, years).filter(|day| *day <= last))
        .filter(|day| *day >= entry)
        .collect()
}

/// An annual assessment's day: near the anniversary (within HUD's 30 days either side),
/// while the member is enrolled (before the exit day) and not after today (`last_day`).
fn annual_date(
    chance: &mut Chance,
    anniversary: Date,
    entry: Date,
    exit: Option<Date>,
    last_day: Date,
) -> Date {
    let before_exit = exit.map_or(last_day, |exit| minus_days(exit, 1));
    let earliest = minus_days(anniversary, 20).max(entry);
    let latest = plus_days(anniversary, 20).min(last_day).min(before_exit);
    chance.day_between(earliest, latest)
}

//! HUD's report universe: the enrollments active in the range, one per client, and what the
//! tables ask of each (age group, head, leaver or stayer, household type).

use std::collections::HashMap;

use chrono::{Datelike, Months};
use uuid::Uuid;

use super::chronic::chronic_at_start;
use super::facts::{IncomeRecord, ReportedEnrollment};
use super::table::{Detail, Member, Members};
use crate::dates::Date;
use crate::reports::ReportRange;

/// HUD's age groups, by age at the later of project start and report start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AgeGroup {
    Adult,
    Child,
    /// 3.03.2 date of birth: client doesn't know or prefers not to answer (8, 9).
    DontKnow,
    /// 3.03.2 data not collected (99), no date of birth, or one that gives no age.
    NotCollected,
}

/// HUD's household types, from the age groups of the household's members in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HouseholdType {
    WithoutChildren,
    AdultsAndChildren,
    OnlyChildren,
    Unknown,
}

impl HouseholdType {
    /// The column of each type in HUD's tables, after the total.
    pub(super) const ALL: [HouseholdType; 4] = [
        HouseholdType::WithoutChildren,
        HouseholdType::AdultsAndChildren,
        HouseholdType::OnlyChildren,
        HouseholdType::Unknown,
    ];
}

/// The column labels of tables split by household type.
pub(super) const HOUSEHOLD_COLUMNS: [&str; 5] = [
    "Total",
    "Without Children",
    "With Children and Adults",
    "With Only Children",
    "Unknown Household Type",
];

/// A client in the report, through the enrollment HUD's rules chose.
#[derive(Debug, Clone)]
pub(super) struct Person<'a> {
    pub fact: &'a ReportedEnrollment,
    pub member: Member,
    pub age: AgeGroup,
    pub is_head: bool,
    /// Exited on or before the report end.
    pub leaver: bool,
    pub household: HouseholdType,
    /// Chronically homeless at project start, themself or through their head.
    pub chronic: bool,
    /// The project start date of the household's head (their own when the head is not in
    /// the report): what HUD dates annual assessments from.
    pub head_entry: Date,
    /// Age in years at the later of project start and report start, when known.
    pub years: Option<i32>,
    /// HUD's youth household: every member in the report of a known age under 25.
    pub youth_household: bool,
    /// The household holds a child of its head (3.15 relationship 2) in the report.
    pub with_head_child: bool,
}

impl Person<'_> {
    pub(super) fn is_adult(&self) -> bool {
        self.age == AgeGroup::Adult
    }

    pub(super) fn is_adult_or_head(&self) -> bool {
        self.is_adult() || self.is_head
    }

    pub(super) fn is_stayer(&self) -> bool {
        !self.leaver
    }

    /// HUD's youth under 25 (Q5a row 12): in a youth household, its head aged 12 to 24 or a
    /// member aged 18 to 24.
    pub(super) fn is_youth(&self) -> bool {
        let head_aged = self.is_head && self.years.is_some_and(|years| (12..25).contains(&years));
        let adult_aged = self.years.is_some_and(|years| (18..25).contains(&years));
        self.youth_household && (head_aged || adult_aged)
    }

    /// HUD's parenting youth under 25 with children (Q5a row 13): a youth whose household
    /// holds a child of its head.
    pub(super) fn is_parenting_youth(&self) -> bool {
        self.is_youth() && self.with_head_child
    }
}

/// The people of one report.
#[derive(Debug, Clone)]
pub(super) struct Universe<'a> {
    pub range: ReportRange,
    pub people: Vec<Person<'a>>,
    /// Every enrollment given, in the range or not, sorted by client (earlier stays in the
    /// same project): looked up, never scanned, as a report may cover a million.
    stays: Vec<(Uuid, &'a ReportedEnrollment)>,
    /// Which cells keep their members.
    pub detail: Detail<'a>,
}

/// Active at some time in the range: started by its end, not exited before its start.
pub(super) fn is_active_in(range: &ReportRange, fact: &ReportedEnrollment) -> bool {
    fact.entry_date <= range.to() && fact.exit_date.is_none_or(|exit| exit >= range.from())
}

/// Whole years from `dob` to `day`; `None` when `day` is before `dob`.
pub(super) fn age_on(dob: Date, day: Date) -> Option<i32> {
    let (born, on) = (dob.naive(), day.naive());
    if on < born {
        return None;
    }
    let before_birthday = (on.month(), on.day()) < (born.month(), born.day());
    Some(on.year() - born.year() - i32::from(before_birthday))
}

/// Age in years at the later of project start and report start, unless the date of birth
/// is not known (8, 9, 99) or gives none.
fn years(range: &ReportRange, fact: &ReportedEnrollment) -> Option<i32> {
    let client = &fact.client;
    if matches!(
        client.dob_data_quality.map(|quality| quality.code()),
        Some(8 | 9 | 99)
    ) {
        return None;
    }
    let on = fact.entry_date.max(range.from());
    client.dob.and_then(|dob| age_on(dob, on))
}

fn age_group(range: &ReportRange, fact: &ReportedEnrollment) -> AgeGroup {
    match fact.client.dob_data_quality.map(|quality| quality.code()) {
        Some(8 | 9) => return AgeGroup::DontKnow,
        Some(99) => return AgeGroup::NotCollected,
        _ => {}
    }
    match years(range, fact) {
        Some(age) if age >= 18 => AgeGroup::Adult,
        Some(_) => AgeGroup::Child,
        None => AgeGroup::NotCollected,
    }
}

/// The enrollment HUD counts for a client with several in the range: the latest project
/// start; on a tie, the one still open or exited last; then the greatest id, so the choice
/// never depends on the order of the facts.
fn latest<'a>(a: &'a ReportedEnrollment, b: &'a ReportedEnrollment) -> &'a ReportedEnrollment {
    let key = |fact: &ReportedEnrollment| {
        (
            fact.entry_date,
            fact.exit_date.is_none(),
            fact.exit_date,
            fact.enrollment_id,
        )
    };
    if key(b) > key(a) {
        b
    } else {
        a
    }
}

/// A household's members counted: adults, children, and those of unknown age; whether
/// one is 25 or older, and whether one is a child of the head.
#[derive(Debug, Clone, Copy, Default)]
struct Ages {
    adults: u32,
    children: u32,
    unknown: u32,
    over_24: bool,
    head_child: bool,
}

impl Ages {
    fn add(&mut self, group: AgeGroup, years: Option<i32>, fact: &ReportedEnrollment) {
        match group {
            AgeGroup::Adult => self.adults += 1,
            AgeGroup::Child => self.children += 1,
            AgeGroup::DontKnow | AgeGroup::NotCollected => self.unknown += 1,
        }
        self.over_24 |= years.is_some_and(|years| years >= 25);
        self.head_child |= fact.relationship.is_some_and(|r| r.code() == 2);
    }

    /// Every member of a known age under 25.
    fn youth(self) -> bool {
        self.unknown == 0 && !self.over_24
    }
}

fn household_type(ages: Ages) -> HouseholdType {
    match (ages.adults, ages.children, ages.unknown) {
        (1.., 0, 0) => HouseholdType::WithoutChildren,
        (1.., 1.., _) => HouseholdType::AdultsAndChildren,
        (0, 1.., 0) => HouseholdType::OnlyChildren,
        _ => HouseholdType::Unknown,
    }
}

impl<'a> Universe<'a> {
    pub(super) fn new(
        range: &ReportRange,
        facts: &'a [ReportedEnrollment],
        detail: Detail<'a>,
    ) -> Universe<'a> {
        // Hashed, not ordered: a report may cover a million; members are sorted as cells
        // keep them.
        let mut chosen: HashMap<Uuid, &ReportedEnrollment> = HashMap::with_capacity(facts.len());
        for fact in facts.iter().filter(|fact| is_active_in(range, fact)) {
            chosen
                .entry(fact.client_id)
                .and_modify(|kept| *kept = latest(kept, fact))
                .or_insert(fact);
        }
        let mut households: HashMap<Uuid, Ages> = HashMap::with_capacity(chosen.len());
        let mut heads: HashMap<Uuid, &ReportedEnrollment> = HashMap::with_capacity(chosen.len());
        for fact in chosen.values() {
            households.entry(fact.household_id).or_default().add(
                age_group(range, fact),
                years(range, fact),
                fact,
            );
            if fact.relationship.is_some_and(|r| r.is_head()) {
                heads
                    .entry(fact.household_id)
                    .and_modify(|kept| *kept = latest(kept, fact))
                    .or_insert(fact);
            }
        }
        let mut people: Vec<Person> = chosen
            .values()
            .map(|fact| {
                let age = age_group(range, fact);
                let ages = households.get(&fact.household_id).copied();
                let head = heads.get(&fact.household_id);
                let is_head = fact.relationship.is_some_and(|r| r.is_head());
                let adult_or_head = is_head || age == AgeGroup::Adult;
                let chronic = if adult_or_head {
                    chronic_at_start(fact)
                } else {
                    head.is_some_and(|head| chronic_at_start(head))
                };
                Person {
                    fact,
                    member: Member {
                        client_id: fact.client_id,
                        enrollment_id: fact.enrollment_id,
                        household_id: fact.household_id,
                        flagged: fact.flagged,
                    },
                    age,
                    is_head,
                    leaver: fact.exit_date.is_some_and(|exit| exit <= range.to()),
                    household: ages.map_or(HouseholdType::Unknown, household_type),
                    chronic,
                    head_entry: head.map_or(fact.entry_date, |head| head.entry_date),
                    years: years(range, fact),
                    youth_household: ages.is_some_and(Ages::youth),
                    with_head_child: ages.is_some_and(|ages| ages.head_child),
                }
            })
            .collect();
        // By client, as cells list their members.
        people.sort_unstable_by_key(|person| person.member.client_id);
        let mut stays: Vec<(Uuid, &ReportedEnrollment)> =
            facts.iter().map(|fact| (fact.client_id, fact)).collect();
        stays.sort_unstable_by_key(|(client_id, _)| *client_id);
        Universe {
            range: *range,
            people,
            stays,
            detail,
        }
    }

    /// Every enrollment given of the client.
    pub(super) fn stays_of(
        &self,
        client_id: Uuid,
    ) -> impl Iterator<Item = &'a ReportedEnrollment> + '_ {
        let start = self
            .stays
            .partition_point(|(client, _)| *client < client_id);
        self.stays[start..]
            .iter()
            .take_while(move |(client, _)| *client == client_id)
            .map(|(_, fact)| *fact)
    }

    pub(super) fn members<'p>(people: impl IntoIterator<Item = &'p Person<'a>>) -> Members
    where
        'a: 'p,
    {
        people.into_iter().map(|person| person.member).collect()
    }

    /// The anniversary of the head's project start that a stayer's annual assessment is due
    /// for: the latest one on or before the report end, once the head has been in the project
    /// 365 days or more.
    pub(super) fn annual_due(&self, person: &Person) -> Option<Date> {
        if !person.is_stayer() || person.head_entry.days_until(self.range.to()) < 365 {
            return None;
        }
        let start = person.head_entry.naive();
        let end = self.range.to().naive();
        let mut years = end.year() - start.year();
        if (end.month(), end.day()) < (start.month(), start.day()) {
            years -= 1;
        }
        let months = u32::try_from(years).ok()?.checked_mul(12)?;
        start
            .checked_add_months(Months::new(months))
            .map(Date::from)
    }

    /// The annual assessment that counts (5.03: within 30 days of the anniversary), the one
    /// nearest the anniversary.
    pub(super) fn relevant_annual<'p>(&self, person: &'p Person) -> Option<&'p IncomeRecord> {
        let anniversary = self.annual_due(person)?;
        person
            .fact
            .annual_assessments
            .iter()
            .filter(|record| anniversary.days_until(record.information_date).abs() <= 30)
            .min_by_key(|record| {
                (
                    anniversary.days_until(record.information_date).abs(),
                    record.information_date,
                )
            })
    }
}

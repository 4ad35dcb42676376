//! Clients, made a family at a time: a head of household, and for some a spouse or partner,
//! children and other members.

use threshold_domain::client::{RaceAnswer, RaceEthnicity, Ssn};
use threshold_domain::codes::{DataQuality, NoYesMissing, RaceNone, RelationshipToHoh, Sex};
use threshold_domain::Date;
use threshold_persistence::rows::{ClientRow, Stamp};

use super::chance::{minus_days, Chance};
use super::names::{FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES, SUFFIXES};

/// One member of a family: the client, how they relate to the head, and their date of birth.
pub struct Person {
    pub client: ClientRow,
    pub relationship: RelationshipToHoh,
    pub dob: Option<Date>,
}

/// Household sizes, weighted: most are one person, a few are six.
const SIZES: &[(u32, u32)] = &[(1, 55), (2, 15), (3, 13), (4, 9), (5, 5), (6, 3)];

/// A family of one to six, the head first.
pub fn family(chance: &mut Chance, today: Date, stamp: &Stamp, room: u32) -> Vec<Person> {
    let size = chance.weighted(SIZES).min(room.max(1));
    let family_name = *chance.pick(LAST_NAMES);
    let head_age = chance.weighted(&[(18, 8), (25, 30), (35, 30), (45, 20), (55, 10), (65, 4)])
        + chance.between(0, 9);
    let mut members = vec![person(chance, today, stamp, family_name, 1, head_age)];
    for position in 1..size {
        let (relationship, age) = if position == 1 && head_age >= 20 && chance.percent(50) {
            (
                3,
                (head_age + chance.between(0, 16)).saturating_sub(8).max(18),
            )
        } else if head_age >= 19 && chance.percent(80) {
            (2, chance.between(0, (head_age - 16).min(17)))
        } else if chance.percent(60) {
            (4, chance.between(0, 80))
        } else {
            (5, chance.between(18, 70))
        };
        members.push(person(chance, today, stamp, family_name, relationship, age));
    }
    members
}

fn person(
    chance: &mut Chance,
    today: Date,
    stamp: &Stamp,
    family_name: &str,
    relationship: i32,
    age: u32,
) -> Person {
    let sex: Sex = chance.code(&[(0, 48), (1, 48), (8, 1), (9, 1), (99, 2)]);
    let first_names = match sex.code() {
        0 => FIRST_NAMES_FEMALE,
        1 => FIRST_NAMES_MALE,
        _ if chance.percent(50) => FIRST_NAMES_FEMALE,
        _ => FIRST_NAMES_MALE,
    };
    let last_name = if relationship == 5 || chance.percent(10) {
        *chance.pick(LAST_NAMES)
    } else {
        family_name
    };
    let partial_name = chance.percent(4);
    let middle_name = (!partial_name && chance.percent(35)).then(|| *chance.pick(first_names));
    let name_suffix =
        (!partial_name && sex.code() == 1 && chance.percent(3)).then(|| *chance.pick(SUFFIXES));
    let name_data_quality: DataQuality = if partial_name { code(2) } else { code(1) };

    let born = minus_days(today, age * 365 + chance.between(0, 364));
    let (dob, dob_data_quality): (Option<Date>, DataQuality) = match chance.between(0, 99) {
        0..=86 => (Some(born), code(1)),
        87..=94 => (Some(born), code(2)),
        95..=96 => (None, code(8)),
        97 => (None, code(9)),
        _ => (None, code(99)),
    };
    let (ssn, ssn_data_quality): (Option<Ssn>, DataQuality) = match chance.between(0, 99) {
        0..=71 => (Some(ssn(chance)), code(1)),
        72..=84 => (None, code(8)),
        85..=91 => (None, code(9)),
        _ => (None, code(99)),
    };
    let race = race(chance);
    let veteran_status: NoYesMissing = if age < 18 {
        code(0)
    } else {
        chance.code(&[(0, 86), (1, 9), (8, 2), (9, 1), (99, 2)])
    };
    let mut client = ClientRow {
        hud: Default::default(),
        source: None,
        id: chance.id(),
        first_name: Some((*chance.pick(first_names)).to_owned()),
        middle_name: middle_name.map(str::to_owned),
        last_name: (!partial_name || chance.percent(50)).then(|| last_name.to_owned()),
        name_suffix: name_suffix.map(str::to_owned),
        name_data_quality: name_data_quality.code(),
        ssn_last4: ssn.as_ref().map(|ssn| ssn.last4().to_owned()),
        ssn: ssn.as_ref().map(|ssn| ssn.as_str().to_owned()),
        ssn_data_quality: ssn_data_quality.code(),
        dob: dob.map(Date::naive),
        dob_data_quality: dob_data_quality.code(),
        sex: sex.code(),
        race_ethnicity: race.categories_text(),
        race_none: race.race_none().map(RaceNone::code),
        veteran_status: veteran_status.code(),
        search_name: String::new(),
        version: 1,
        created_at: stamp.at,
        updated_at: stamp.at,
        created_by: stamp.by.clone(),
        updated_by: stamp.by.clone(),
        deleted_at: None,
        organization_id: None,
    };
    client.search_name = client.search_text();
    Person {
        client,
        relationship: code(relationship),
        dob,
    }
}

/// A code known to be in its list.
fn code<C: threshold_domain::codes::CodeList>(code: i32) -> C {
    C::try_from(code).unwrap_or_else(|error| panic!("{error}"))
}

/// Nine digits as the Social Security Administration hands them out: no area 000, 666 or
/// 900-999, no group 00, no serial 0000.
fn ssn(chance: &mut Chance) -> Ssn {
    let area = chance.between(1, 899);
    let area = if area == 666 { 667 } else { area };
    let text = format!(
        "{area:03}{:02}{:04}",
        chance.between(1, 99),
        chance.between(1, 9999)
    );
    Ssn::parse(&text).unwrap_or_else(|error| panic!("{error}"))
}

fn race(chance: &mut Chance) -> RaceAnswer {
    let answer = match chance.between(0, 99) {
        0..=2 => RaceAnswer::new(Vec::new(), Some(code(8))),
        3..=4 => RaceAnswer::new(Vec::new(), Some(code(9))),
        5..=6 => RaceAnswer::new(Vec::new(), None),
        roll => {
            let first = chance.weighted(&[
                (RaceEthnicity::White, 40),
                (RaceEthnicity::BlackAfAmerican, 30),
                (RaceEthnicity::HispanicLatinaeo, 15),
                (RaceEthnicity::AmIndAkNative, 5),
                (RaceEthnicity::Asian, 5),
                (RaceEthnicity::NativeHiPacific, 3),
                (RaceEthnicity::MidEastNAfrican, 2),
            ]);
            let mut categories = vec![first];
            if roll >= 85 {
                categories.push(*chance.pick(&RaceEthnicity::ALL));
            }
            RaceAnswer::new(categories, None)
        }
    };
    answer.unwrap_or_else(|error| panic!("{}", error.message))
}

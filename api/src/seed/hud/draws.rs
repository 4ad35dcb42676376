//! How often people have each income, benefit, insurance, disability and the rest, drawn
//! for one person ([`super::answers::Profile`] keeps what is drawn).

use threshold_domain::hud_records::consistency::{BENEFITS, INCOME_SOURCES, INSURANCE};

use super::answers::{Person, DISABILITY_TYPES};
use super::tables::*;
use crate::seed::chance::Chance;

/// "From any source" and, when 1, the sources at 1 (by their index in the domain's list).
#[derive(Debug, Clone, PartialEq)]
pub struct Sources {
    pub any: i32,
    /// `(index, monthly amount in cents)`; the amount is 0 for benefits and insurance.
    pub yes: Vec<(usize, i64)>,
    /// The description of an "other" source at 1.
    pub other: Option<&'static str>,
}

/// One of 4.05-4.10.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disability {
    pub response: i32,
    /// Answered after a yes only.
    pub indefinite: Option<i32>,
}

/// 4.02: whether there is income, and when there is, one to three sources (by who has
/// them) with their monthly amounts.
pub fn income(chance: &mut Chance, person: Person) -> Sources {
    let any = chance.weighted(ANY_INCOME);
    let mut yes: Vec<(usize, i64)> = Vec::new();
    if any == 1 {
        let count = chance.weighted(&[(1, 75), (2, 22), (3, 3)]);
        while yes.len() < count {
            let weights: Vec<(usize, u32)> = INCOME
                .iter()
                .enumerate()
                .map(|(index, source)| {
                    let allowed = !yes.iter().any(|(taken, _)| *taken == index)
                        && (person.veteran || !source.veterans_only)
                        && person.age_or_adult() >= source.from_age;
                    (index, if allowed { source.weight } else { 0 })
                })
                .collect();
            let index = chance.weighted(&weights);
            let source = &INCOME[index];
            let dollars = chance.between(source.dollars.0, source.dollars.1);
            let cents = if source.with_cents {
                chance.between(0, 99)
            } else {
                0
            };
            let position = INCOME_SOURCES
                .iter()
                .position(|(name, _)| *name == source.field)
                .unwrap_or_else(|| panic!("{} is not a 4.02 source", source.field));
            yes.push((position, i64::from(dollars) * 100 + i64::from(cents)));
        }
    }
    let other_index = INCOME_SOURCES.len() - 1;
    let other = yes
        .iter()
        .any(|(index, _)| *index == other_index)
        .then(|| *chance.pick(OTHER_INCOME));
    Sources { any, yes, other }
}

/// The sources at 1 of a "from any source" 1: each as likely as its percentage, at least
/// the first.
fn yes_sources(chance: &mut Chance, percents: &[u32]) -> Vec<(usize, i64)> {
    let mut yes: Vec<(usize, i64)> = percents
        .iter()
        .enumerate()
        .filter(|(_, percent)| chance.percent(**percent))
        .map(|(index, _)| (index, 0))
        .collect();
    if yes.is_empty() {
        yes.push((0, 0));
    }
    yes
}

/// 4.03 non-cash benefits.
pub fn benefits(chance: &mut Chance) -> Sources {
    let any = chance.weighted(ANY_BENEFITS);
    let yes = if any == 1 {
        yes_sources(chance, &BENEFIT_PERCENTS)
    } else {
        Vec::new()
    };
    let other = yes
        .iter()
        .any(|(index, _)| *index == BENEFITS.len() - 1)
        .then(|| *chance.pick(OTHER_BENEFITS));
    Sources { any, yes, other }
}

/// 4.04 health insurance: Medicare from 65, CHIP for children, VA health care for
/// veterans.
pub fn insurance(chance: &mut Chance, person: Person) -> Sources {
    let any = chance.weighted(ANY_INSURANCE);
    let yes = if any == 1 {
        let age = person.age_or_adult();
        let mut percents = INSURANCE_PERCENTS;
        percents[1] = if age >= 65 { 90 } else { percents[1] };
        percents[2] = if age < 19 { 40 } else { 0 };
        percents[3] = if person.veteran { 70 } else { 0 };
        yes_sources(chance, &percents)
    } else {
        Vec::new()
    };
    let other = yes
        .iter()
        .any(|(index, _)| *index == INSURANCE.len() - 1)
        .then(|| *chance.pick(OTHER_INSURANCE));
    Sources { any, yes, other }
}

/// W3: ADAP or Ryan White assistance, with the reason when not received.
pub fn medical_assistance(chance: &mut Chance) -> (i32, Option<i32>) {
    let receives = chance.weighted(&[(1, 35), (0, 58), (8, 4), (9, 3)]);
    let reason = (receives == 0).then(|| chance.weighted(NO_ASSISTANCE_REASON));
    (receives, reason)
}

/// 4.05-4.10, in line with 3.08 disabling condition (see `Profile::draw`).
pub fn disabilities(
    chance: &mut Chance,
    person: Person,
    disabling: Option<i32>,
) -> [Disability; 6] {
    let child = person.age_or_adult() < 18;
    let mut drawn = DISABILITY_TYPES.map(|kind| {
        let response = chance.weighted(disability_responses(kind, child));
        let yes = if kind == 10 {
            (1..=3).contains(&response)
        } else {
            response == 1
        };
        Disability {
            response,
            indefinite: yes.then(|| chance.weighted(&[(1, 65), (0, 33), (8, 1), (9, 1)])),
        }
    });
    match disabling {
        Some(1) if !drawn.iter().any(|d| d.indefinite == Some(1)) => {
            // Mental health, physical or a chronic condition, long-continued.
            let index = *chance.pick(&[4, 4, 0, 2]);
            drawn[index] = Disability {
                response: 1,
                indefinite: Some(1),
            };
        }
        Some(0) => {
            for (index, disability) in drawn.iter_mut().enumerate() {
                // A developmental disability and HIV/AIDS are disabling by definition.
                if index == 1 || index == 3 {
                    *disability = Disability {
                        response: 0,
                        indefinite: None,
                    };
                } else if disability.indefinite.is_some() {
                    disability.indefinite = Some(0);
                }
            }
        }
        _ => {}
    }
    drawn
}

/// W4: the latest T-cell count, and the viral load when one is available.
pub fn hiv_details(chance: &mut Chance) -> (i32, i32, Option<i32>) {
    let t_cells = chance.between(150, 1_200) as i32;
    // W4.3: 0 not available, 1 available, 2 undetectable.
    let available = chance.weighted(&[(2, 60), (1, 30), (0, 10)]);
    let viral_load = (available == 1).then(|| chance.between(50, 90_000) as i32);
    (t_cells, available, viral_load)
}

/// 4.11: a survivor says when it happened and whether they are fleeing.
pub fn domestic_violence(chance: &mut Chance) -> (i32, Option<(i32, i32)>) {
    let survivor = chance.weighted(&[(1, 20), (0, 74), (8, 3), (9, 3)]);
    let details =
        (survivor == 1).then(|| (chance.weighted(WHEN_OCCURRED), chance.weighted(FLEEING)));
    (survivor, details)
}

/// R6: employed, with the kind of work, or the reason not.
pub fn employment(chance: &mut Chance) -> (i32, Option<i32>) {
    let employed = chance.weighted(&[(1, 28), (0, 68), (8, 2), (9, 2)]);
    let detail = match employed {
        1 => Some(chance.weighted(&[(1, 35), (2, 45), (3, 20)])),
        0 => Some(chance.weighted(&[(1, 55), (2, 25), (3, 20)])),
        _ => None,
    };
    (employed, detail)
}

/// C3: whether in school, with the status then.
pub fn youth_education(chance: &mut Chance) -> (i32, Option<i32>) {
    let attends = chance.weighted(&[(0, 50), (1, 15), (2, 30), (8, 3), (9, 2)]);
    let status = match attends {
        0 => Some(chance.weighted(MOST_RECENT_EDUCATION)),
        1 | 2 => Some(chance.weighted(CURRENT_EDUCATION)),
        _ => None,
    };
    (attends, status)
}

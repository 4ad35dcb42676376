//! The records made when something happens rather than at a stage: a current living
//! situation at each contact (4.12), a coordinated entry event (4.20).

use std::borrow::Cow;

use threshold_domain::hud_records::Collection;
use threshold_domain::Date;

use super::answers::{Answer, Answers};
use super::records::Records;
use super::tables::*;
use crate::seed::chance::{plus_days, Chance};
use crate::seed::reference::Reference;
use crate::seed::Batch;

/// Contacts with the person during the stay, each with where they were living: street
/// outreach meets everyone on the day they enroll and a few times after, other programs
/// note it now and then.
pub fn contacts(chance: &mut Chance, records: &mut Records<'_>, outreach: bool, batch: &mut Batch) {
    let (entry, last_day) = records.period();
    let count = if outreach {
        chance.between(1, 4)
    } else {
        chance.between(0, 2)
    };
    for contact in 0..count {
        let date = if outreach && contact == 0 {
            entry
        } else {
            chance.day_between(entry, last_day)
        };
        let table = if outreach {
            OUTREACH_SITUATIONS
        } else {
            CONTACT_SITUATIONS
        };
        let situation = chance.weighted(table);
        let mut answers: Answers = vec![("current_living_situation", Answer::Code(situation))];
        match situation {
            // On the street, in a shelter or a safe haven: where, often.
            101 | 116 | 118 if chance.percent(60) => answers.push((
                "location_details",
                Answer::Text((*chance.pick(LOCATIONS)).into()),
            )),
            435 => answers.push((
                "cls_subsidy_type",
                Answer::Code(chance.weighted(CLS_SUBSIDIES)),
            )),
            _ => {}
        }
        // Housed or in an institution: whether they must leave within 14 days, and if so
        // what they have to go on.
        if (200..500).contains(&situation) {
            let leaving = chance.weighted(&[(1, 45), (0, 55)]);
            answers.push(("leave_situation14_days", Answer::Code(leaving)));
            if leaving == 1 {
                for field in [
                    "subsequent_residence",
                    "resources_to_obtain",
                    "lease_own60_day",
                    "moved_two_or_more",
                ] {
                    answers.push((field, Answer::Code(chance.weighted(&[(0, 70), (1, 30)]))));
                }
            }
        }
        records.add(
            chance,
            batch,
            Collection::CurrentLivingSituations,
            date,
            None,
            &answers,
        );
    }
}

/// A head of household's coordinated entry events, for most: a problem-solving conversation,
/// a referral to an assessment, to a service or to a housing opening, with its result.
pub fn events(
    chance: &mut Chance,
    reference: &Reference,
    today: Date,
    records: &mut Records<'_>,
    batch: &mut Batch,
) {
    if !chance.percent(65) {
        return;
    }
    let (entry, last_day) = records.period();
    for _ in 0..chance.between(1, 3) {
        let date = chance.day_between(entry, last_day);
        let event = chance.weighted(EVENTS);
        let mut answers: Answers = vec![("event", Answer::Code(event))];
        match event {
            2 => answers.push((
                "prob_sol_div_rr_result",
                Answer::Code(chance.weighted(&[(1, 40), (0, 60)])),
            )),
            5 => answers.push((
                "referral_case_manage_after",
                Answer::Code(chance.weighted(&[(1, 60), (0, 40)])),
            )),
            10..=15 | 17 | 18 => {
                answers.push((
                    "location_crisis_or_ph_housing",
                    Answer::Text(opening(chance, reference, event)),
                ));
                let result = chance.weighted(REFERRAL_RESULTS);
                if result != 0 {
                    let decided = plus_days(date, chance.between(1, 30)).min(today);
                    answers.push(("referral_result", Answer::Code(result)));
                    answers.push(("result_date", Answer::Text(decided.to_string().into())));
                }
            }
            _ => {}
        }
        records.add(chance, batch, Collection::Events, date, None, &answers);
    }
}

/// Where the opening a referral is to lies: a program of the kind the event names, or the
/// housing authority for a voucher.
fn opening(chance: &mut Chance, reference: &Reference, event: i32) -> Cow<'static, str> {
    let project_types: &[i32] = match event {
        10 => &[0, 1],
        11 => &[2],
        12 | 13 => &[13],
        14 => &[3],
        15 => &[9, 10],
        _ => &[],
    };
    let programs: Vec<&str> = reference
        .programs
        .iter()
        .filter(|program| project_types.contains(&program.project_type.code()))
        .map(|program| program.row.name.as_str())
        .collect();
    if programs.is_empty() {
        Cow::Borrowed("County Housing Authority")
    } else {
        Cow::Owned((*chance.pick(&programs)).to_owned())
    }
}

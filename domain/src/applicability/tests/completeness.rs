//! Household completeness: a CoC permanent supportive housing household of three (head,
//! partner of 18, child) at project start, exit and annual assessment, and a shelter without a
//! HUD grant.

use uuid::Uuid;

use super::*;
use Element::*;

const ENTRY: &str = "2025-01-15";

type Fields = &'static [(Element, &'static str)];

/// What a CoC PSH asks of every member at project start (stated from the Data Standards).
const EVERYONE_AT_START: Fields = &[
    (Name, "name_data_quality"),
    (SocialSecurityNumber, "ssn_data_quality"),
    (DateOfBirth, "dob_data_quality"),
    (RaceAndEthnicity, "race_ethnicity"),
    (DisablingCondition, "disabling_condition"),
    (ProjectStartDate, "entry_date"),
    (RelationshipToHoh, "relationship_to_hoh"),
    (HealthInsurance, "insurance_from_any_source"),
    (PhysicalDisability, "disability_response"),
    (DevelopmentalDisability, "disability_response"),
    (ChronicHealthCondition, "disability_response"),
    (HivAids, "disability_response"),
    (MentalHealthDisorder, "disability_response"),
    (SubstanceUseDisorder, "disability_response"),
    (Sex, "sex"),
];
/// What it adds for heads and adults.
const ADULTS_AT_START: Fields = &[
    (VeteranStatus, "veteran_status"),
    (PriorLivingSituation, "prior_living_situation"),
    (PriorLivingSituation, "length_of_stay"),
    (IncomeAndSources, "income_from_any_source"),
    (NonCashBenefits, "benefits_from_any_source"),
    (DomesticViolence, "domestic_violence_survivor"),
];
const HEAD_AT_START: Fields = &[(EnrollmentCoc, "enrollment_coc")];
const EVERYONE_AT_EXIT: Fields = &[
    (ProjectExitDate, "exit_date"),
    (Destination, "destination"),
    (HealthInsurance, "insurance_from_any_source"),
    (PhysicalDisability, "disability_response"),
    (DevelopmentalDisability, "disability_response"),
    (ChronicHealthCondition, "disability_response"),
    (HivAids, "disability_response"),
    (MentalHealthDisorder, "disability_response"),
    (SubstanceUseDisorder, "disability_response"),
];
const ADULTS_AT_EXIT: Fields = &[
    (IncomeAndSources, "income_from_any_source"),
    (NonCashBenefits, "benefits_from_any_source"),
];
const EVERYONE_ANNUALLY: Fields = &[(HealthInsurance, "insurance_from_any_source")];
const ADULTS_ANNUALLY: Fields = ADULTS_AT_EXIT;

fn answer(member: &mut Member, stage: Stage, fields: Fields) {
    for (element, field) in fields {
        member
            .recorded
            .record(*element, stage, field, Recorded::Answered);
    }
}

fn member(relationship_code: i32, dob: &str, funders: &[i32]) -> Member {
    Member {
        enrollment_id: Uuid::now_v7(),
        client_id: Uuid::now_v7(),
        relationship: relationship(relationship_code),
        dob: Some(date(dob)),
        veteran: false,
        entry_date: date(ENTRY),
        exit_date: None,
        funders: funders.iter().map(|code| funder(*code)).collect(),
        recorded: Recordings::new(),
    }
}

/// The PSH household of three, every start answer recorded: head, partner of 18 exactly at
/// entry, child of 9.
fn psh_household(as_of: &str) -> Household {
    let mut head = member(HEAD, "1985-06-01", &[2]);
    let mut partner = member(PARTNER, "2007-01-15", &[2]);
    let mut child = member(CHILD, "2015-05-05", &[2]);
    for adult in [&mut head, &mut partner] {
        answer(adult, Stage::ProjectStart, ADULTS_AT_START);
    }
    answer(&mut head, Stage::ProjectStart, HEAD_AT_START);
    for anyone in [&mut head, &mut partner, &mut child] {
        answer(anyone, Stage::ProjectStart, EVERYONE_AT_START);
    }
    Household {
        project_type: project_type(3),
        members: vec![head, partner, child],
        as_of: date(as_of),
    }
}

fn partner_of(household: &Household) -> &Member {
    &household.members[1]
}

/// The one missing field of the partner's income at `stage`, for `reason`.
fn partners_income(household: &Household, stage: Stage, reason: MissingReason) -> Missing {
    let partner = partner_of(household);
    Missing {
        element: IncomeAndSources,
        field: "income_from_any_source",
        stage,
        client_id: partner.client_id,
        enrollment_id: partner.enrollment_id,
        reason,
    }
}

#[test]
fn a_complete_coc_psh_household_of_three_at_project_start() {
    let household = psh_household("2025-02-01");
    let answer = completeness(&household);
    assert_eq!(answer.missing, Vec::new());
    assert!(answer.complete);
}

#[test]
fn the_adults_income_missing_at_project_start() {
    let mut household = psh_household("2025-02-01");
    household.members[1].recorded = {
        let mut recorded = Recordings::new();
        for (element, field) in EVERYONE_AT_START.iter().chain(ADULTS_AT_START) {
            if *element != IncomeAndSources {
                recorded.record(*element, Stage::ProjectStart, field, Recorded::Answered);
            }
        }
        recorded
    };
    let expected = partners_income(&household, Stage::ProjectStart, MissingReason::Absent);
    let answer = completeness(&household);
    assert!(!answer.complete);
    assert_eq!(answer.missing, vec![expected]);
    let [head, partner, child] = [0, 1, 2].map(|at| household.members[at].enrollment_id);
    assert!(answer.enrollment_complete(head) && answer.enrollment_complete(child));
    assert!(!answer.enrollment_complete(partner));

    // Recorded as 99 it is not collected; 8 (client doesn't know) is an answer.
    for (code, missing) in [(99, true), (8, false), (9, false)] {
        let mut household = psh_household("2025-02-01");
        let recorded = Recorded::of_code(Some(code));
        household.members[1].recorded.record(
            IncomeAndSources,
            Stage::ProjectStart,
            "income_from_any_source",
            recorded,
        );
        let expected =
            partners_income(&household, Stage::ProjectStart, MissingReason::NotCollected);
        let answer = completeness(&household).missing;
        assert_eq!(
            answer,
            if missing { vec![expected] } else { vec![] },
            "{code}"
        );
    }
}

fn exited_household() -> Household {
    let mut household = psh_household("2025-07-01");
    for member in &mut household.members {
        member.exit_date = Some(date("2025-06-30"));
        answer(member, Stage::ProjectExit, EVERYONE_AT_EXIT);
    }
    for adult in &mut household.members[..2] {
        answer(adult, Stage::ProjectExit, ADULTS_AT_EXIT);
    }
    household
}

#[test]
fn the_adults_income_missing_at_exit() {
    assert!(completeness(&exited_household()).complete);
    let mut household = exited_household();
    household.members[1].recorded.record(
        IncomeAndSources,
        Stage::ProjectExit,
        "income_from_any_source",
        Recorded::Absent,
    );
    let expected = partners_income(&household, Stage::ProjectExit, MissingReason::Absent);
    assert_eq!(completeness(&household).missing, vec![expected]);
}

#[test]
fn nothing_of_the_exit_is_owed_before_the_exit() {
    // The start answers alone complete a household still enrolled.
    let household = psh_household("2025-07-01");
    assert!(completeness(&household).complete);
}

fn household_past_its_anniversary() -> Household {
    let mut household = psh_household("2026-01-20");
    for member in &mut household.members {
        answer(member, Stage::AnnualAssessment, EVERYONE_ANNUALLY);
    }
    for adult in &mut household.members[..2] {
        answer(adult, Stage::AnnualAssessment, ADULTS_ANNUALLY);
    }
    household
}

#[test]
fn the_adults_income_missing_at_the_annual_assessment() {
    assert!(completeness(&household_past_its_anniversary()).complete);
    let mut household = household_past_its_anniversary();
    household.members[1].recorded.record(
        IncomeAndSources,
        Stage::AnnualAssessment,
        "income_from_any_source",
        Recorded::of_code(None),
    );
    let expected = partners_income(
        &household,
        Stage::AnnualAssessment,
        MissingReason::NotCollected,
    );
    assert_eq!(completeness(&household).missing, vec![expected]);
}

#[test]
fn the_annual_assessment_is_owed_from_the_anniversary_and_asks_a_child_for_insurance_only() {
    assert!(completeness(&psh_household("2026-01-14")).complete);
    let household = psh_household("2026-01-15");
    let owed: Vec<(usize, &str, &str)> = completeness(&household)
        .missing
        .iter()
        .map(|missing| {
            let member = household
                .members
                .iter()
                .position(|member| member.enrollment_id == missing.enrollment_id);
            assert_eq!(missing.stage, Stage::AnnualAssessment);
            assert_eq!(missing.reason, MissingReason::Absent);
            (
                member.unwrap_or(usize::MAX),
                missing.element.number(),
                missing.field,
            )
        })
        .collect();
    assert_eq!(
        owed,
        vec![
            (0, "4.02", "income_from_any_source"),
            (0, "4.03", "benefits_from_any_source"),
            (0, "4.04", "insurance_from_any_source"),
            (1, "4.02", "income_from_any_source"),
            (1, "4.03", "benefits_from_any_source"),
            (1, "4.04", "insurance_from_any_source"),
            (2, "4.04", "insurance_from_any_source"),
        ]
    );
}

/// Each member's status (complete on `as_of`, until when), in the household's order.
fn statuses(household: &Household) -> Vec<(bool, Option<Date>)> {
    member_statuses(household)
        .into_iter()
        .map(|status| (status.complete, status.until))
        .collect()
}

#[test]
fn a_complete_stay_misses_its_annual_assessment_from_the_first_anniversary() {
    // Entered 2025-01-15: complete until the anniversary, 2026-01-15, for every member.
    let anniversary = Some(date("2026-01-15"));
    assert_eq!(
        statuses(&psh_household("2025-07-01")),
        vec![(true, anniversary); 3]
    );
    // Past it, with the assessment recorded: complete for good.
    assert_eq!(
        statuses(&household_past_its_anniversary()),
        vec![(true, None); 3]
    );
    // Past it without: incomplete for good.
    assert_eq!(
        statuses(&psh_household("2026-01-20")),
        vec![(false, None); 3]
    );
}

#[test]
fn a_member_missing_something_now_is_incomplete_for_good() {
    let mut household = psh_household("2025-07-01");
    household.members[1].recorded.record(
        IncomeAndSources,
        Stage::ProjectStart,
        "income_from_any_source",
        Recorded::Absent,
    );
    let anniversary = Some(date("2026-01-15"));
    assert_eq!(
        statuses(&household),
        vec![(true, anniversary), (false, None), (true, anniversary)]
    );
}

#[test]
fn a_status_holds_on_every_day_until_its_end_and_not_on_that_day() {
    // Exited 2025-06-30 with every exit answer: no post-exit element applies to PSH.
    assert_eq!(statuses(&exited_household()), vec![(true, None); 3]);
    // The child's exit is to come, without its answers. The partner's annual assessment
    // will be missing from the anniversary until the partner's exit six weeks later, whose
    // answers are recorded: complete again from that day.
    let mut household = psh_household("2025-06-01");
    household.members[2].exit_date = Some(date("2025-06-30"));
    household.members[1].exit_date = Some(date("2026-03-01"));
    answer(
        &mut household.members[1],
        Stage::ProjectExit,
        EVERYONE_AT_EXIT,
    );
    answer(
        &mut household.members[1],
        Stage::ProjectExit,
        ADULTS_AT_EXIT,
    );
    let found = statuses(&household);
    assert_eq!(
        found,
        vec![
            (true, Some(date("2026-01-15"))),
            (true, Some(date("2026-01-15"))),
            (true, Some(date("2025-06-30")))
        ]
    );
    // Each member's status holds on every day up to its end, and read again on that day
    // it holds on from there the same way: two years, day by day, as completeness answers.
    for (index, member) in household.members.iter().enumerate() {
        let (mut complete, mut until) = found[index];
        let mut day = household.as_of;
        while day <= date("2027-06-01") {
            let on_day = Household {
                as_of: day,
                ..household.clone()
            };
            if until == Some(day) {
                (complete, until) = statuses(&on_day)[index];
            }
            let misses = completeness(&on_day)
                .missing
                .iter()
                .any(|missing| missing.enrollment_id == member.enrollment_id);
            assert_eq!(!misses, complete, "member {index} on {day}");
            day = day.succ();
        }
    }
}

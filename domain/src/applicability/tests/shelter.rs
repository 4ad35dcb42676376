//! Completeness of an emergency shelter without a HUD grant (universal elements only), the
//! order of what is missing and its JSON.

use uuid::Uuid;

use super::*;
use Element::*;

/// Universal elements an entry/exit shelter (type 0) asks of everyone at project start.
const EVERYONE: &[(Element, &str)] = &[
    (Name, "name_data_quality"),
    (SocialSecurityNumber, "ssn_data_quality"),
    (DateOfBirth, "dob_data_quality"),
    (RaceAndEthnicity, "race_ethnicity"),
    (DisablingCondition, "disabling_condition"),
    (ProjectStartDate, "entry_date"),
    (RelationshipToHoh, "relationship_to_hoh"),
];
/// And of the head (an adult): 3.07, 3.16 and the shelter's 3.917A.
const HEAD: &[(Element, &str)] = &[
    (VeteranStatus, "veteran_status"),
    (EnrollmentCoc, "enrollment_coc"),
    (PriorLivingSituationHomeless, "prior_living_situation"),
    (PriorLivingSituationHomeless, "length_of_stay"),
    (PriorLivingSituationHomeless, "date_to_street_essh"),
    (
        PriorLivingSituationHomeless,
        "times_homeless_past_three_years",
    ),
    (
        PriorLivingSituationHomeless,
        "months_homeless_past_three_years",
    ),
];

fn shelter_member(relationship_code: i32, dob: &str, entry: &str) -> Member {
    Member {
        enrollment_id: Uuid::now_v7(),
        client_id: Uuid::now_v7(),
        relationship: relationship(relationship_code),
        dob: Some(date(dob)),
        veteran: false,
        entry_date: date(entry),
        exit_date: None,
        funders: Vec::new(),
        recorded: Recordings::new(),
    }
}

/// A head and a child in an entry/exit shelter with no grant, nothing recorded.
fn shelter() -> Household {
    Household {
        project_type: project_type(0),
        members: vec![
            shelter_member(super::HEAD, "1990-04-01", "2025-03-01"),
            shelter_member(CHILD, "2020-04-01", "2025-03-02"),
        ],
        as_of: date("2026-06-01"),
    }
}

#[test]
fn an_emergency_shelter_without_a_hud_grant_needs_the_universal_elements_only() {
    let mut household = shelter();
    for (element, field) in EVERYONE.iter().chain(HEAD) {
        let recorded = Recorded::of_value(Some(()));
        household.members[0]
            .recorded
            .record(*element, Stage::ProjectStart, field, recorded);
    }
    for (element, field) in EVERYONE {
        household.members[1].recorded.record(
            *element,
            Stage::ProjectStart,
            field,
            Recorded::Answered,
        );
    }
    // More than a year on, still enrolled: no annual assessment without a grant asking one.
    assert_eq!(completeness(&household).missing, Vec::new());
}

#[test]
fn a_shelter_with_nothing_recorded_misses_universal_elements_of_each_member() {
    let household = shelter();
    let missing = completeness(&household).missing;
    let head: Vec<(Element, &str)> = missing
        .iter()
        .filter(|missing| missing.enrollment_id == household.members[0].enrollment_id)
        .map(|missing| (missing.element, missing.field))
        .collect();
    let child: Vec<(Element, &str)> = missing
        .iter()
        .filter(|missing| missing.enrollment_id == household.members[1].enrollment_id)
        .map(|missing| (missing.element, missing.field))
        .collect();
    let mut expected_head = EVERYONE.to_vec();
    expected_head.insert(4, HEAD[0]);
    expected_head.extend(&HEAD[1..]);
    assert_eq!(head, expected_head);
    assert_eq!(child, EVERYONE.to_vec());
    assert!(missing.iter().all(|missing| {
        missing.stage == Stage::ProjectStart
            && missing.reason == MissingReason::Absent
            && missing.element.number().starts_with("3.")
    }));
}

#[test]
fn an_exited_member_owes_the_exit_and_the_rest_of_the_household_does_not() {
    let mut household = shelter();
    household.members[1].exit_date = Some(date("2025-04-01"));
    let missing = completeness(&household).missing;
    let at_exit: Vec<(Uuid, &str)> = missing
        .iter()
        .filter(|missing| missing.stage == Stage::ProjectExit)
        .map(|missing| (missing.enrollment_id, missing.field))
        .collect();
    let child = household.members[1].enrollment_id;
    assert_eq!(at_exit, vec![(child, "exit_date"), (child, "destination")]);
}

#[test]
fn the_order_is_head_first_then_entry_date_whatever_the_input_order() {
    let household = shelter();
    let mut reversed = household.clone();
    reversed.members.reverse();
    let missing = completeness(&household);
    assert_eq!(completeness(&reversed), missing);
    assert_eq!(
        missing.missing[0].enrollment_id,
        household.members[0].enrollment_id
    );
    // Two non-heads: the earlier entry first.
    let mut three = household.clone();
    three
        .members
        .push(shelter_member(CHILD, "2021-01-01", "2025-03-01"));
    let order: Vec<Uuid> = completeness(&three)
        .missing
        .iter()
        .map(|missing| missing.enrollment_id)
        .fold(Vec::new(), |mut seen, id| {
            if seen.last() != Some(&id) {
                seen.push(id);
            }
            seen
        });
    let ids: Vec<Uuid> = three
        .members
        .iter()
        .map(|member| member.enrollment_id)
        .collect();
    assert_eq!(order, vec![ids[0], ids[2], ids[1]]);
}

#[test]
fn completeness_serializes_as_the_contract_writes_it() {
    let household = shelter();
    let answer = completeness(&household);
    let json = serde_json::to_value(&answer).unwrap();
    let head = &household.members[0];
    assert_eq!(json["complete"], serde_json::json!(false));
    assert_eq!(
        json["missing"][0],
        serde_json::json!({
            "element": "3.01",
            "field": "name_data_quality",
            "stage": 1,
            "client_id": head.client_id.to_string(),
            "enrollment_id": head.enrollment_id.to_string(),
            "reason": "absent",
        })
    );
    let mut not_collected = household.clone();
    not_collected.members[0].recorded.record(
        Name,
        Stage::ProjectStart,
        "name_data_quality",
        Recorded::of_code(Some(99)),
    );
    let json = serde_json::to_value(completeness(&not_collected)).unwrap();
    assert_eq!(json["missing"][0]["reason"], "not_collected");
}

#[test]
fn an_empty_household_is_complete() {
    let empty = Household {
        project_type: project_type(3),
        members: Vec::new(),
        as_of: date("2025-01-01"),
    };
    assert_eq!(
        completeness(&empty),
        Completeness {
            complete: true,
            missing: Vec::new()
        }
    );
}

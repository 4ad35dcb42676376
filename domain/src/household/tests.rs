use super::*;
use crate::dates::Period;

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn relationship(code: i32) -> RelationshipToHoh {
    RelationshipToHoh::try_from(code).unwrap()
}

fn head() -> RelationshipToHoh {
    relationship(1_i32)
}

fn child() -> RelationshipToHoh {
    relationship(2_i32)
}

fn spouse() -> RelationshipToHoh {
    relationship(3_i32)
}

/// A stored enrollment of a new client; `household()` sets its program and household.
fn member(rel: RelationshipToHoh, entry: &str, exit: Option<&str>) -> EnrollmentFacts {
    EnrollmentFacts {
        id: Uuid::now_v7(),
        client_id: Uuid::now_v7(),
        program_id: Uuid::nil(),
        household_id: Uuid::nil(),
        relationship: rel,
        period: Period::new(date(entry), exit.map(date)),
        move_in_date: None,
    }
}

fn with_move_in(mut enrollment: EnrollmentFacts, move_in: &str) -> EnrollmentFacts {
    enrollment.move_in_date = Some(date(move_in));
    enrollment
}

fn household(mut members: Vec<EnrollmentFacts>) -> Household {
    let id = Uuid::now_v7();
    let program_id = Uuid::now_v7();
    for one in &mut members {
        one.household_id = id;
        one.program_id = program_id;
    }
    Household {
        id,
        program_id,
        members,
    }
}

/// Member `index` of `household`, as stored in it.
fn at(household: &Household, index: usize) -> EnrollmentFacts {
    household.members[index].clone()
}

/// Every rule `change_head` reports for member `index`, in order; empty when it accepts.
fn broken(household: &Household, index: usize) -> Vec<Rule> {
    match household.change_head(&at(household, index), spouse()) {
        Ok(_) => Vec::new(),
        Err(error) => error.all().iter().map(|one| one.rule).collect(),
    }
}

#[test]
fn member_finds_by_enrollment_id() {
    let household = household(vec![
        member(head(), "2024-01-01", None),
        member(child(), "2024-01-01", None),
        member(child(), "2024-02-01", Some("2024-03-01")),
    ]);
    for one in &household.members {
        assert_eq!(household.member(one.id), Some(one));
    }
    assert_eq!(household.member(Uuid::now_v7()), None);
    assert_eq!(household.member(household.id), None);
}

#[test]
fn head_and_active_members() {
    let household = household(vec![
        member(child(), "2024-01-01", Some("2024-02-01")),
        member(head(), "2024-01-01", None),
        member(child(), "2024-01-01", None),
    ]);
    assert_eq!(household.head(), Some(&household.members[1]));
    let active: Vec<Uuid> = household.active_members().map(|one| one.id).collect();
    assert_eq!(active, [household.members[1].id, household.members[2].id]);
}

#[test]
fn change_of_head_names_the_new_and_old_head() {
    let household = household(vec![
        member(head(), "2024-01-01", None),
        member(child(), "2024-01-01", None),
    ]);
    let candidate = at(&household, 1);
    assert_eq!(
        household.change_head(&candidate, spouse()),
        Ok(HeadChange {
            new_head: candidate.id,
            old_head: Some(household.members[0].id),
            previous_head_relationship: spouse(),
            new_head_move_in: None,
        })
    );
}

#[test]
fn exited_candidate_is_refused() {
    let household = household(vec![
        member(head(), "2024-01-01", None),
        member(child(), "2024-01-01", Some("2024-02-01")),
    ]);
    let error = household
        .change_head(&at(&household, 1), spouse())
        .unwrap_err();
    assert_eq!(error.leading().rule, Rule::EnrollmentAlreadyExited);
    assert_eq!(error.leading().field, Some("enrollment_id"));
    assert_eq!(broken(&household, 1), [Rule::EnrollmentAlreadyExited]);
}

#[test]
fn candidate_entering_a_day_after_the_old_head_is_refused_same_day_is_fine() {
    let later = household(vec![
        member(head(), "2024-03-01", None),
        member(child(), "2024-03-02", None),
    ]);
    let error = later.change_head(&at(&later, 1), spouse()).unwrap_err();
    assert_eq!(error.leading().rule, Rule::HouseholdMemberBeforeHead);
    assert_eq!(broken(&later, 1), [Rule::HouseholdMemberBeforeHead]);
    let same_day = household(vec![
        member(head(), "2024-03-01", None),
        member(child(), "2024-03-01", None),
    ]);
    assert_eq!(broken(&same_day, 1), []);
}

#[test]
fn candidate_entering_after_another_member_is_refused() {
    let household = household(vec![
        member(head(), "2024-03-01", None),
        member(child(), "2024-03-05", None),
        member(child(), "2024-03-04", None),
        member(child(), "2024-03-05", None),
    ]);
    assert_eq!(broken(&household, 1), [Rule::HouseholdMemberBeforeHead]);
    assert_eq!(broken(&household, 3), [Rule::HouseholdMemberBeforeHead]);
    let only_head_before = household_without(&household, 2);
    assert_eq!(
        broken(&only_head_before, 1),
        [Rule::HouseholdMemberBeforeHead]
    );
}

/// `household` without member `index`.
fn household_without(household: &Household, index: usize) -> Household {
    let mut fewer = household.clone();
    fewer.members.remove(index);
    fewer
}

#[test]
fn candidate_entering_with_the_earliest_members_is_fine() {
    let household = household(vec![
        member(head(), "2024-03-01", None),
        member(child(), "2024-03-05", None),
        member(child(), "2024-03-01", None),
    ]);
    assert_eq!(broken(&household, 2), []);
}

#[test]
fn exited_member_who_entered_first_still_counts() {
    let household = household(vec![
        member(head(), "2024-03-01", None),
        member(child(), "2024-02-29", Some("2024-03-10")),
        member(child(), "2024-03-01", None),
    ]);
    assert_eq!(broken(&household, 2), [Rule::HouseholdMemberBeforeHead]);
}

#[test]
fn old_heads_move_in_date_passes_to_the_new_head() {
    let household = household(vec![
        with_move_in(member(head(), "2024-01-01", None), "2024-02-01"),
        member(child(), "2024-01-01", None),
    ]);
    let change = household.change_head(&at(&household, 1), child()).unwrap();
    assert_eq!(change.new_head_move_in, Some(date("2024-02-01")));
    assert_eq!(change.old_head, Some(household.members[0].id));
    assert_eq!(change.previous_head_relationship, child());
}

#[test]
fn old_heads_move_in_date_wins_over_the_candidates_own() {
    let household = household(vec![
        with_move_in(member(head(), "2024-01-01", None), "2024-02-01"),
        with_move_in(member(child(), "2024-01-01", None), "2024-03-01"),
    ]);
    let change = household.change_head(&at(&household, 1), spouse()).unwrap();
    assert_eq!(change.new_head_move_in, Some(date("2024-02-01")));
}

#[test]
fn candidates_own_move_in_date_is_kept_when_the_old_head_has_none() {
    let household = household(vec![
        member(head(), "2024-01-01", None),
        with_move_in(member(child(), "2024-01-01", None), "2024-03-01"),
    ]);
    let change = household.change_head(&at(&household, 1), spouse()).unwrap();
    assert_eq!(change.new_head_move_in, Some(date("2024-03-01")));
}

#[test]
fn move_in_date_on_the_new_heads_entry_is_fine_a_day_before_is_not() {
    let with_move_in_on = |move_in| {
        household(vec![
            with_move_in(member(head(), "2024-03-01", None), move_in),
            member(child(), "2024-03-01", None),
        ])
    };
    let day_before = with_move_in_on("2024-02-29");
    let error = day_before
        .change_head(&at(&day_before, 1), spouse())
        .unwrap_err();
    assert_eq!(error.leading().rule, Rule::MoveInInvalid);
    assert_eq!(error.leading().rule.code(), "enrollment.move_in_invalid");
    assert_eq!(broken(&day_before, 1), [Rule::MoveInInvalid]);
    assert_eq!(broken(&with_move_in_on("2024-03-01"), 1), []);
    assert_eq!(broken(&with_move_in_on("2024-03-02"), 1), []);
}

#[test]
fn candidates_own_move_in_date_before_its_entry_is_refused() {
    let household = household(vec![
        member(head(), "2024-03-01", None),
        with_move_in(member(child(), "2024-03-01", None), "2024-02-29"),
    ]);
    assert_eq!(broken(&household, 1), [Rule::MoveInInvalid]);
}

#[test]
fn candidate_already_head_has_no_old_head() {
    let household = household(vec![
        with_move_in(member(head(), "2024-01-01", None), "2024-02-01"),
        member(child(), "2024-01-01", None),
    ]);
    let candidate = at(&household, 0);
    assert_eq!(
        household.change_head(&candidate, spouse()),
        Ok(HeadChange {
            new_head: candidate.id,
            old_head: None,
            previous_head_relationship: spouse(),
            new_head_move_in: Some(date("2024-02-01")),
        })
    );
}

#[test]
fn household_without_a_head_gets_one_without_an_old_head() {
    let household = household(vec![
        member(child(), "2024-01-01", None),
        member(child(), "2024-01-02", None),
    ]);
    let change = household.change_head(&at(&household, 0), spouse()).unwrap();
    assert_eq!(change.old_head, None);
    assert_eq!(change.new_head_move_in, None);
}

#[test]
fn exited_late_candidate_with_an_early_move_in_lists_every_rule() {
    let household = household(vec![
        with_move_in(member(head(), "2024-01-01", None), "2024-01-15"),
        member(child(), "2024-02-01", Some("2024-03-01")),
    ]);
    let error = household
        .change_head(&at(&household, 1), spouse())
        .unwrap_err();
    assert_eq!(error.leading().rule, Rule::MoveInInvalid);
    assert_eq!(
        broken(&household, 1),
        [
            Rule::MoveInInvalid,
            Rule::HouseholdMemberBeforeHead,
            Rule::EnrollmentAlreadyExited,
        ]
    );
}

#[test]
fn nobody_joins_a_household_whose_head_has_exited() {
    let program_id = Uuid::now_v7();
    let head_id = Uuid::now_v7();
    let head = EnrollmentFacts {
        id: head_id,
        client_id: Uuid::now_v7(),
        program_id,
        household_id: Uuid::now_v7(),
        relationship: RelationshipToHoh::SELF_HEAD,
        period: crate::dates::Period::new(
            Date::parse("2024-03-01").unwrap(),
            Some(Date::parse("2024-04-15").unwrap()),
        ),
        move_in_date: None,
    };
    let household = Household {
        id: head.household_id,
        program_id,
        members: vec![head],
    };
    let joining = NewEnrollment {
        client_id: Uuid::now_v7(),
        program_id,
        relationship: RelationshipToHoh::try_from(2_i32).unwrap(),
        entry_date: Date::parse("2024-03-05").unwrap(),
        move_in_date: None,
    };
    let broken: Vec<Rule> = household
        .check_join(&joining)
        .into_iter()
        .map(|violation| violation.rule)
        .collect();
    assert_eq!(broken, vec![Rule::HouseholdMembersActive]);
}

#[test]
fn a_head_stepping_down_takes_a_relation_2_to_5() {
    for code in [2, 3, 4, 5] {
        assert_eq!(check_previous_head_relationship(relationship(code)), None);
    }
    for code in [1, 99] {
        let error = check_previous_head_relationship(relationship(code)).unwrap();
        assert_eq!(
            (error.field.as_str(), error.code, error.message.as_str()),
            (
                "previous_head_relationship",
                "invalid",
                "previous_head_relationship must be 2, 3, 4 or 5"
            )
        );
    }
}

use super::*;
use crate::codes::CodeList;

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn project_type(code: i32) -> ProjectType {
    ProjectType::try_from(code).unwrap()
}

fn head() -> RelationshipToHoh {
    RelationshipToHoh::try_from(1_i32).unwrap()
}

fn child() -> RelationshipToHoh {
    RelationshipToHoh::try_from(2_i32).unwrap()
}

fn range(start: &str, end: Option<&str>) -> DateRange {
    DateRange {
        start: date(start),
        end: end.map(date),
    }
}

/// An emergency shelter (type 1, not permanent housing) without a capacity.
fn program(start: &str, end: Option<&str>) -> ProgramFacts {
    let operating = range(start, end);
    ProgramFacts {
        id: Uuid::now_v7(),
        project_type: project_type(1_i32),
        operating,
        capacity: None,
    }
}

fn open_program() -> ProgramFacts {
    program("2020-01-01", None)
}

fn grant(program_id: Uuid, start: &str, end: Option<&str>) -> GrantFacts {
    GrantFacts {
        id: Uuid::now_v7(),
        program_id,
        term: range(start, end),
    }
}

/// A new client's enrollment request, without a move-in date.
fn request(program: &ProgramFacts, relationship: RelationshipToHoh, entry: &str) -> NewEnrollment {
    NewEnrollment {
        client_id: Uuid::now_v7(),
        program_id: program.id,
        relationship,
        entry_date: date(entry),
        move_in_date: None,
    }
}

/// A stored enrollment; `household()` sets its program and household.
fn member(
    client: Uuid,
    rel: RelationshipToHoh,
    entry: &str,
    exit: Option<&str>,
) -> EnrollmentFacts {
    EnrollmentFacts {
        id: Uuid::now_v7(),
        client_id: client,
        program_id: Uuid::nil(),
        household_id: Uuid::nil(),
        relationship: rel,
        period: Period::new(date(entry), exit.map(date)),
        move_in_date: None,
    }
}

fn household(program_id: Uuid, mut members: Vec<EnrollmentFacts>) -> Household {
    let id = Uuid::now_v7();
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

/// A household of `program` whose head entered on `head_entry` and is still active.
fn headed_household(program: &ProgramFacts, head_entry: &str) -> Household {
    let first = member(Uuid::now_v7(), head(), head_entry, None);
    household(program.id, vec![first])
}

/// Nothing stored: no grant, no birth date, no other enrollments, nobody active, new household.
fn context(program: &ProgramFacts) -> EnrollContext<'_> {
    EnrollContext {
        program,
        grant: None,
        client_dob: None,
        client_enrollments_in_program: &[],
        active_in_program: 0,
        household: None,
    }
}

/// Every rule `enroll` reports, in order; empty when it accepts.
fn broken(new: &NewEnrollment, ctx: &EnrollContext<'_>) -> Vec<Rule> {
    match enroll(new, ctx) {
        Ok(()) => Vec::new(),
        Err(violations) => violations.all().iter().map(|one| one.rule).collect(),
    }
}

/// `broken` for the same request entering on `entry`.
fn broken_at(new: &NewEnrollment, entry: &str, ctx: &EnrollContext<'_>) -> Vec<Rule> {
    let mut moved = new.clone();
    moved.entry_date = date(entry);
    broken(&moved, ctx)
}

fn join_broken(household: &Household, new: &NewEnrollment) -> Vec<Rule> {
    let found = household.check_join(new);
    found.iter().map(|one| one.rule).collect()
}

#[test]
fn program_operating_dates_are_inclusive_at_both_ends_and_open_without_end() {
    let program = program("2024-03-01", Some("2024-06-30"));
    let new = request(&program, head(), "2024-03-01");
    let at = |entry| broken_at(&new, entry, &context(&program));
    assert_eq!(at("2024-02-29"), [Rule::ProgramNotOperating]);
    assert_eq!(at("2024-03-01"), []);
    assert_eq!(at("2024-03-02"), []);
    assert_eq!(at("2024-06-29"), []);
    assert_eq!(at("2024-06-30"), []);
    assert_eq!(at("2024-07-01"), [Rule::ProgramNotOperating]);
    let open_ended = self::program("2024-03-01", None);
    assert_eq!(broken_at(&new, "2099-12-31", &context(&open_ended)), []);
    assert_eq!(enroll(&new, &context(&open_ended)), Ok(()));
}

#[test]
fn grant_of_another_program_is_a_mismatch_whatever_its_dates() {
    let program = open_program();
    let other = grant(Uuid::now_v7(), "2030-01-01", Some("2030-12-31"));
    let new = request(&program, head(), "2024-05-01");
    let mut ctx = context(&program);
    ctx.grant = Some(&other);
    assert_eq!(broken(&new, &ctx), [Rule::GrantProgramMismatch]);
}

#[test]
fn grant_term_is_inclusive_at_both_ends_and_open_without_end() {
    let program = open_program();
    let new = request(&program, head(), "2024-03-01");
    let term = grant(program.id, "2024-03-01", Some("2024-09-30"));
    let open_ended = grant(program.id, "2024-03-01", None);
    let mut ctx = context(&program);
    ctx.grant = Some(&term);
    let at = |entry| broken_at(&new, entry, &ctx);
    assert_eq!(at("2024-02-29"), [Rule::GrantNotActive]);
    assert_eq!(at("2024-03-01"), []);
    assert_eq!(at("2024-03-02"), []);
    assert_eq!(at("2024-09-29"), []);
    assert_eq!(at("2024-09-30"), []);
    assert_eq!(at("2024-10-01"), [Rule::GrantNotActive]);
    ctx.grant = Some(&open_ended);
    assert_eq!(broken_at(&new, "2099-12-31", &ctx), []);
}

#[test]
fn new_entry_on_the_day_of_an_earlier_exit_does_not_overlap() {
    let program = open_program();
    let new = request(&program, head(), "2024-03-01");
    let earlier = member(new.client_id, head(), "2024-01-01", Some("2024-03-01"));
    let mut ctx = context(&program);
    ctx.client_enrollments_in_program = std::slice::from_ref(&earlier);
    let at = |entry| broken_at(&new, entry, &ctx);
    assert_eq!(at("2024-02-29"), [Rule::EnrollmentOverlap]);
    assert_eq!(at("2024-03-01"), []);
    assert_eq!(at("2024-03-02"), []);
}

#[test]
fn open_earlier_enrollment_overlaps_every_later_entry() {
    let program = open_program();
    let new = request(&program, head(), "2024-01-01");
    let earlier = member(new.client_id, head(), "2024-01-01", None);
    let mut ctx = context(&program);
    ctx.client_enrollments_in_program = std::slice::from_ref(&earlier);
    let at = |entry| broken_at(&new, entry, &ctx);
    for entry in ["2023-12-31", "2024-01-01", "2024-01-02", "2099-12-31"] {
        assert_eq!(at(entry), [Rule::EnrollmentOverlap], "{entry}");
    }
}

#[test]
fn open_new_entry_before_a_later_exited_stay_overlaps_it() {
    let program = open_program();
    let new = request(&program, head(), "2024-04-30");
    let later = member(new.client_id, head(), "2024-05-01", Some("2024-06-01"));
    let mut ctx = context(&program);
    ctx.client_enrollments_in_program = std::slice::from_ref(&later);
    assert_eq!(broken(&new, &ctx), [Rule::EnrollmentOverlap]);
    assert_eq!(broken_at(&new, "2024-06-01", &ctx), []);
}

#[test]
fn entry_on_the_date_of_birth_is_fine_a_day_before_is_not() {
    let program = open_program();
    let new = request(&program, head(), "2024-05-01");
    let mut ctx = context(&program);
    ctx.client_dob = Some(date("2024-05-01"));
    let at = |entry| broken_at(&new, entry, &ctx);
    assert_eq!(at("2024-04-30"), [Rule::EnrollmentBeforeBirth]);
    assert_eq!(at("2024-05-01"), []);
    assert_eq!(at("2024-05-02"), []);
    ctx.client_dob = None;
    assert_eq!(broken_at(&new, "2020-01-01", &ctx), []);
}

#[test]
fn capacity_refuses_only_when_active_enrollments_reach_it_and_none_is_unlimited() {
    let mut program = open_program();
    program.capacity = Some(5);
    let mut unlimited = program.clone();
    unlimited.capacity = None;
    let new = request(&program, head(), "2024-05-01");
    let mut ctx = context(&program);
    ctx.active_in_program = 4;
    assert_eq!(broken(&new, &ctx), []);
    ctx.active_in_program = 5;
    assert_eq!(broken(&new, &ctx), [Rule::ProgramAtCapacity]);
    ctx.active_in_program = 6;
    assert_eq!(broken(&new, &ctx), [Rule::ProgramAtCapacity]);
    ctx.program = &unlimited;
    ctx.active_in_program = 1_000_000;
    assert_eq!(broken(&new, &ctx), []);
}

#[test]
fn move_in_date_is_only_for_project_types_3_9_10_13() {
    let mut accepted = Vec::new();
    for (code, _) in ProjectType::CODES {
        let mut program = open_program();
        program.project_type = project_type(*code);
        let ctx = context(&program);
        let mut new = request(&program, head(), "2024-05-01");
        assert_eq!(broken(&new, &ctx), [], "type {code} without move-in");
        new.move_in_date = Some(date("2024-05-02"));
        match broken(&new, &ctx).as_slice() {
            [] => accepted.push(*code),
            [Rule::MoveInInvalid] => {}
            other => panic!("type {code}: unexpected {other:?}"),
        }
    }
    assert_eq!(accepted, [3, 9, 10, 13]);
}

#[test]
fn move_in_date_is_only_for_the_head_of_household() {
    let mut program = open_program();
    program.project_type = project_type(3_i32);
    let household = headed_household(&program, "2024-01-01");
    let mut new = request(&program, child(), "2024-05-01");
    let mut ctx = context(&program);
    ctx.household = Some(&household);
    assert_eq!(broken(&new, &ctx), []);
    new.move_in_date = Some(date("2024-05-01"));
    assert_eq!(broken(&new, &ctx), [Rule::MoveInInvalid]);
    let mut new_head = request(&program, head(), "2024-05-01");
    new_head.move_in_date = new.move_in_date;
    ctx.household = None;
    assert_eq!(broken(&new_head, &ctx), []);
}

#[test]
fn first_member_of_a_new_household_must_be_the_head() {
    let program = open_program();
    let ctx = context(&program);
    for code in [2_i32, 3, 4, 5, 99] {
        let relationship = RelationshipToHoh::try_from(code).unwrap();
        let new = request(&program, relationship, "2024-05-01");
        assert_eq!(broken(&new, &ctx), [Rule::HouseholdHeadRequired], "{code}");
    }
}

#[test]
fn second_head_is_refused_even_when_the_first_has_exited_but_not_without_one() {
    let program = open_program();
    let new = request(&program, head(), "2024-05-01");
    let active = headed_household(&program, "2024-01-01");
    assert_eq!(join_broken(&active, &new), [Rule::HouseholdHeadExists]);
    let exited_head = member(Uuid::now_v7(), head(), "2024-01-01", Some("2024-02-01"));
    let exited = household(program.id, vec![exited_head]);
    assert_eq!(join_broken(&exited, &new), [Rule::HouseholdHeadExists]);
    let only_child = member(Uuid::now_v7(), child(), "2024-06-01", None);
    assert_eq!(
        join_broken(&household(program.id, vec![only_child]), &new),
        []
    );
    let mut ctx = context(&program);
    ctx.household = Some(&active);
    assert_eq!(broken(&new, &ctx), [Rule::HouseholdHeadExists]);
}

#[test]
fn member_of_another_program_is_refused() {
    let program = open_program();
    let household = headed_household(&program, "2024-01-01");
    let elsewhere = request(&open_program(), child(), "2024-05-01");
    let found = join_broken(&household, &elsewhere);
    assert_eq!(found, [Rule::HouseholdProgramMismatch]);
}

#[test]
fn member_may_enter_on_the_heads_entry_date_but_not_a_day_before() {
    let program = open_program();
    let household = headed_household(&program, "2024-03-01");
    let on = |entry| join_broken(&household, &request(&program, child(), entry));
    assert_eq!(on("2024-02-29"), [Rule::HouseholdMemberBeforeHead]);
    assert_eq!(on("2024-03-01"), []);
    assert_eq!(on("2024-03-02"), []);
}

#[test]
fn active_member_joining_again_is_a_duplicate() {
    let program = open_program();
    let new = request(&program, child(), "2024-05-01");
    let mut household = headed_household(&program, "2024-01-01");
    household
        .members
        .push(member(new.client_id, child(), "2024-01-01", None));
    let found = join_broken(&household, &new);
    assert_eq!(found, [Rule::HouseholdClientDuplicate]);
}

#[test]
fn member_with_an_exited_earlier_membership_is_not_a_duplicate() {
    let program = open_program();
    let new = request(&program, child(), "2024-05-01");
    let mut household = headed_household(&program, "2024-01-01");
    let exited = member(new.client_id, child(), "2024-01-01", Some("2024-03-01"));
    household.members.push(exited);
    assert_eq!(join_broken(&household, &new), []);
}

#[test]
fn every_broken_rule_is_listed_and_the_first_in_table_order_leads() {
    let mut program = program("2024-06-01", None);
    program.capacity = Some(1);
    let other = grant(Uuid::now_v7(), "2024-01-01", None);
    let mut new = request(&program, child(), "2024-05-01");
    new.move_in_date = Some(date("2024-05-02"));
    let earlier = [member(new.client_id, head(), "2024-01-01", None)];
    let ctx = EnrollContext {
        grant: Some(&other),
        client_dob: Some(date("2024-05-15")),
        client_enrollments_in_program: &earlier,
        active_in_program: 1,
        ..context(&program)
    };
    let error = enroll(&new, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::ProgramNotOperating);
    assert_eq!(error.leading().rule.code(), "program.not_operating");
    let listed: Vec<_> = error
        .all()
        .iter()
        .map(|one| (one.rule, one.field))
        .collect();
    assert_eq!(
        listed,
        [
            (Rule::ProgramNotOperating, Some("entry_date")),
            (Rule::GrantProgramMismatch, Some("grant_id")),
            (Rule::EnrollmentOverlap, Some("entry_date")),
            (Rule::EnrollmentBeforeBirth, Some("entry_date")),
            (Rule::ProgramAtCapacity, Some("program_id")),
            (Rule::MoveInInvalid, Some("move_in_date")),
            (Rule::HouseholdHeadRequired, Some("relationship_to_hoh")),
        ]
    );
}

#[test]
fn grant_not_active_leads_the_household_rules_of_a_second_head() {
    let program = open_program();
    let term = grant(program.id, "2025-01-01", None);
    let new = request(&program, head(), "2024-05-01");
    let mut household = headed_household(&program, "2024-01-01");
    household
        .members
        .push(member(new.client_id, child(), "2024-01-01", None));
    household.program_id = Uuid::now_v7();
    let mut ctx = context(&program);
    (ctx.grant, ctx.household) = (Some(&term), Some(&household));
    let error = enroll(&new, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::GrantNotActive);
    let all = [
        Rule::GrantNotActive,
        Rule::HouseholdHeadExists,
        Rule::HouseholdProgramMismatch,
        Rule::HouseholdClientDuplicate,
    ];
    assert_eq!(broken(&new, &ctx), all);
}

#[test]
fn move_in_of_a_member_leads_member_before_head_and_duplicate() {
    let mut program = open_program();
    program.project_type = project_type(13_i32);
    let mut new = request(&program, child(), "2024-02-01");
    new.move_in_date = Some(date("2024-02-01"));
    let mut household = headed_household(&program, "2024-03-01");
    household
        .members
        .push(member(new.client_id, child(), "2024-03-01", None));
    let mut ctx = context(&program);
    ctx.household = Some(&household);
    let error = enroll(&new, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::MoveInInvalid);
    let all = [
        Rule::MoveInInvalid,
        Rule::HouseholdMemberBeforeHead,
        Rule::HouseholdClientDuplicate,
    ];
    assert_eq!(broken(&new, &ctx), all);
}

/// `check_new_dates` on 2024-06-15, as (field, code) pairs.
fn date_errors(entry: &str, move_in: Option<&str>) -> Vec<(String, &'static str)> {
    let mut new = request(&open_program(), head(), entry);
    new.move_in_date = move_in.map(date);
    let found = check_new_dates(&new, date("2024-06-15"));
    found
        .into_iter()
        .map(|error| (error.field, error.code))
        .collect()
}

fn field(name: &str, code: &'static str) -> (String, &'static str) {
    (name.to_owned(), code)
}

#[test]
fn dates_of_today_are_fine_tomorrow_is_in_the_future() {
    assert_eq!(date_errors("2024-06-14", None), []);
    assert_eq!(date_errors("2024-06-15", None), []);
    let future = [field("entry_date", "date.in_future")];
    assert_eq!(date_errors("2024-06-16", None), future);
    assert_eq!(date_errors("2024-06-01", Some("2024-06-14")), []);
    assert_eq!(date_errors("2024-06-01", Some("2024-06-15")), []);
    let future = [field("move_in_date", "date.in_future")];
    assert_eq!(date_errors("2024-06-01", Some("2024-06-16")), future);
}

#[test]
fn move_in_date_on_entry_is_fine_a_day_before_is_not() {
    let before_entry = [field("move_in_date", "enrollment.move_in_invalid")];
    assert_eq!(date_errors("2024-06-01", Some("2024-05-31")), before_entry);
    assert_eq!(date_errors("2024-06-01", Some("2024-06-01")), []);
    assert_eq!(date_errors("2024-06-01", Some("2024-06-02")), []);
}

#[test]
fn move_in_date_alone_on_entry_or_later_or_none_is_fine() {
    let entry = date("2024-06-01");
    assert_eq!(check_move_in_date(entry, None), None);
    assert_eq!(check_move_in_date(entry, Some(entry)), None);
    assert_eq!(check_move_in_date(entry, Some(entry.succ())), None);
    let error = check_move_in_date(entry, Some(entry.pred())).unwrap();
    assert_eq!(error.field, "move_in_date");
    assert_eq!(error.code, "enrollment.move_in_invalid");
    assert_eq!(error.message, "move_in_date is before entry_date");
}

#[test]
fn every_date_error_is_listed_at_once() {
    assert_eq!(
        date_errors("2024-06-20", Some("2024-06-18")),
        [
            field("entry_date", "date.in_future"),
            field("move_in_date", "date.in_future"),
            field("move_in_date", "enrollment.move_in_invalid"),
        ]
    );
}

// edit

/// A stored enrollment of a new client in `program`, without a move-in date.
fn stored(
    program: &ProgramFacts,
    rel: RelationshipToHoh,
    entry: &str,
    exit: Option<&str>,
) -> EnrollmentFacts {
    EnrollmentFacts {
        program_id: program.id,
        ..member(Uuid::now_v7(), rel, entry, exit)
    }
}

/// `enrollment` entering on `entry` instead.
fn entering(enrollment: &EnrollmentFacts, entry: &str) -> EnrollmentFacts {
    let mut moved = enrollment.clone();
    moved.period.entry = date(entry);
    moved
}

/// `enrollment` with the move-in date `move_in`.
fn moving_in(enrollment: &EnrollmentFacts, move_in: Option<&str>) -> EnrollmentFacts {
    let mut changed = enrollment.clone();
    changed.move_in_date = move_in.map(date);
    changed
}

/// `enrollment` with the relationship `rel`.
fn related(enrollment: &EnrollmentFacts, rel: RelationshipToHoh) -> EnrollmentFacts {
    let mut changed = enrollment.clone();
    changed.relationship = rel;
    changed
}

/// A permanent supportive housing program (type 3) open since 2020, without a capacity.
fn housing_program() -> ProgramFacts {
    let mut program = open_program();
    program.project_type = project_type(3_i32);
    program
}

/// Nothing stored: no grant, no birth date, no other enrollments, no household members.
fn edit_context(program: &ProgramFacts) -> EditContext<'_> {
    EditContext {
        program,
        grant: None,
        grant_changed: false,
        client_dob: None,
        client_enrollments_in_program: &[],
        household_others: &[],
    }
}

/// Every rule `edit` reports, in order; empty when it accepts.
fn edit_broken(
    current: &EnrollmentFacts,
    next: &EnrollmentFacts,
    ctx: &EditContext<'_>,
) -> Vec<Rule> {
    match edit(current, next, ctx) {
        Ok(()) => Vec::new(),
        Err(violations) => violations.all().iter().map(|one| one.rule).collect(),
    }
}

#[test]
fn edit_without_changes_is_fine() {
    let program = open_program();
    let current = stored(&program, head(), "2024-05-01", None);
    assert_eq!(edit(&current, &current, &edit_context(&program)), Ok(()));
}

#[test]
fn moved_entry_must_lie_within_the_programs_operating_dates() {
    let program = program("2024-03-01", Some("2024-06-30"));
    let current = stored(&program, head(), "2024-04-01", None);
    let ctx = edit_context(&program);
    let at = |entry| edit_broken(&current, &entering(&current, entry), &ctx);
    let error = edit(&current, &entering(&current, "2024-02-29"), &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::ProgramNotOperating);
    assert_eq!(error.leading().field, Some("entry_date"));
    assert_eq!(at("2024-02-29"), [Rule::ProgramNotOperating]);
    assert_eq!(at("2024-03-01"), []);
    assert_eq!(at("2024-03-02"), []);
    assert_eq!(at("2024-06-29"), []);
    assert_eq!(at("2024-06-30"), []);
    assert_eq!(at("2024-07-01"), [Rule::ProgramNotOperating]);
}

#[test]
fn moved_entry_may_start_on_the_day_an_earlier_stay_exited_not_a_day_before() {
    let program = open_program();
    let current = stored(&program, head(), "2024-04-01", None);
    let earlier = [member(
        current.client_id,
        head(),
        "2024-01-01",
        Some("2024-03-01"),
    )];
    let mut ctx = edit_context(&program);
    ctx.client_enrollments_in_program = &earlier;
    let at = |entry| edit_broken(&current, &entering(&current, entry), &ctx);
    assert_eq!(at("2024-02-29"), [Rule::EnrollmentOverlap]);
    assert_eq!(at("2024-03-01"), []);
    assert_eq!(at("2024-03-02"), []);
}

#[test]
fn moved_entry_of_an_exited_stay_overlaps_only_by_its_own_period() {
    let program = open_program();
    let current = stored(&program, head(), "2024-05-01", Some("2024-06-01"));
    let later = [member(current.client_id, head(), "2024-06-01", None)];
    let earlier = [member(
        current.client_id,
        head(),
        "2024-01-01",
        Some("2024-03-01"),
    )];
    let mut ctx = edit_context(&program);
    ctx.client_enrollments_in_program = &later;
    assert_eq!(
        edit_broken(&current, &entering(&current, "2024-04-01"), &ctx),
        []
    );
    ctx.client_enrollments_in_program = &earlier;
    let at = |entry| edit_broken(&current, &entering(&current, entry), &ctx);
    assert_eq!(at("2024-02-29"), [Rule::EnrollmentOverlap]);
    assert_eq!(at("2024-03-01"), []);
}

#[test]
fn moved_entry_on_the_date_of_birth_is_fine_a_day_before_is_not() {
    let program = open_program();
    let current = stored(&program, head(), "2024-06-01", None);
    let mut ctx = edit_context(&program);
    ctx.client_dob = Some(date("2024-05-01"));
    let at = |entry| edit_broken(&current, &entering(&current, entry), &ctx);
    assert_eq!(at("2024-04-30"), [Rule::EnrollmentBeforeBirth]);
    assert_eq!(at("2024-05-01"), []);
    assert_eq!(at("2024-05-02"), []);
    ctx.client_dob = None;
    assert_eq!(
        edit_broken(&current, &entering(&current, "2020-01-01"), &ctx),
        []
    );
}

#[test]
fn moved_entry_must_stay_within_the_unchanged_grants_term() {
    let program = open_program();
    let term = grant(program.id, "2024-03-01", Some("2024-09-30"));
    let current = stored(&program, head(), "2024-05-01", None);
    let mut ctx = edit_context(&program);
    ctx.grant = Some(&term);
    let at = |entry| edit_broken(&current, &entering(&current, entry), &ctx);
    assert_eq!(at("2024-02-29"), [Rule::GrantNotActive]);
    assert_eq!(at("2024-03-01"), []);
    assert_eq!(at("2024-03-02"), []);
    assert_eq!(at("2024-09-29"), []);
    assert_eq!(at("2024-09-30"), []);
    assert_eq!(at("2024-10-01"), [Rule::GrantNotActive]);
}

#[test]
fn moved_entry_on_the_exit_date_is_fine_a_day_after_is_not() {
    let program = open_program();
    let current = stored(&program, head(), "2024-01-01", Some("2024-03-01"));
    let ctx = edit_context(&program);
    let at = |entry| edit_broken(&current, &entering(&current, entry), &ctx);
    let error = edit(&current, &entering(&current, "2024-03-02"), &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::ExitBeforeEntry);
    assert_eq!(error.leading().field, Some("entry_date"));
    assert_eq!(at("2024-03-02"), [Rule::ExitBeforeEntry]);
    assert_eq!(at("2024-03-01"), []);
    assert_eq!(at("2024-02-29"), []);
}

#[test]
fn member_moved_before_the_head_is_refused_on_the_heads_day_fine() {
    let program = open_program();
    let leader = stored(&program, head(), "2024-03-01", None);
    let current = stored(&program, child(), "2024-03-05", None);
    let others = [leader];
    let mut ctx = edit_context(&program);
    ctx.household_others = &others;
    let at = |entry| edit_broken(&current, &entering(&current, entry), &ctx);
    assert_eq!(at("2024-02-29"), [Rule::HouseholdMemberBeforeHead]);
    assert_eq!(at("2024-03-01"), []);
    assert_eq!(at("2024-03-02"), []);
}

#[test]
fn member_moved_without_a_head_in_the_household_is_fine() {
    let program = open_program();
    let current = stored(&program, child(), "2024-03-05", None);
    let others = [stored(&program, child(), "2024-03-05", None)];
    let mut ctx = edit_context(&program);
    ctx.household_others = &others;
    assert_eq!(
        edit_broken(&current, &entering(&current, "2024-01-01"), &ctx),
        []
    );
}

#[test]
fn head_moved_after_a_member_is_refused_on_the_members_day_fine() {
    let program = open_program();
    let current = stored(&program, head(), "2024-02-01", None);
    let others = [
        stored(&program, child(), "2024-03-05", None),
        stored(&program, child(), "2024-03-01", Some("2024-04-01")),
    ];
    let mut ctx = edit_context(&program);
    ctx.household_others = &others;
    let at = |entry| edit_broken(&current, &entering(&current, entry), &ctx);
    assert_eq!(at("2024-02-29"), []);
    assert_eq!(at("2024-03-01"), []);
    assert_eq!(at("2024-03-02"), [Rule::HouseholdMemberBeforeHead]);
}

#[test]
fn unchanged_entry_date_is_not_checked_again() {
    let mut program = program("2024-03-01", Some("2024-06-30"));
    program.project_type = project_type(3_i32);
    let term = grant(program.id, "2025-01-01", None);
    let current = stored(&program, head(), "2024-01-01", None);
    let overlapping = [member(current.client_id, head(), "2023-01-01", None)];
    let others = [stored(&program, child(), "2023-12-31", None)];
    let ctx = EditContext {
        grant: Some(&term),
        client_dob: Some(date("2024-01-02")),
        client_enrollments_in_program: &overlapping,
        household_others: &others,
        ..edit_context(&program)
    };
    let move_in = moving_in(&current, Some("2024-02-01"));
    assert_eq!(edit(&current, &move_in, &ctx), Ok(()));
    assert_eq!(edit(&current, &current, &ctx), Ok(()));
    let moved = entering(&current, "2024-01-02");
    assert_eq!(
        edit_broken(&current, &moved, &ctx),
        [
            Rule::ProgramNotOperating,
            Rule::GrantNotActive,
            Rule::EnrollmentOverlap,
            Rule::HouseholdMemberBeforeHead,
        ]
    );
}

#[test]
fn unchanged_entry_after_a_stored_exit_is_not_checked_again() {
    let program = open_program();
    let current = stored(&program, child(), "2024-03-02", Some("2024-03-01"));
    let others = [stored(&program, head(), "2024-03-01", None)];
    let mut ctx = edit_context(&program);
    ctx.household_others = &others;
    let spouse = RelationshipToHoh::try_from(3_i32).unwrap();
    assert_eq!(edit(&current, &related(&current, spouse), &ctx), Ok(()));
    assert_eq!(
        edit_broken(&current, &entering(&current, "2024-03-03"), &ctx),
        [Rule::ExitBeforeEntry]
    );
}

#[test]
fn changed_grant_of_another_program_is_a_mismatch_whatever_its_dates() {
    let program = open_program();
    let current = stored(&program, head(), "2024-05-01", None);
    let elsewhere = grant(Uuid::now_v7(), "2030-01-01", Some("2030-12-31"));
    let mut ctx = edit_context(&program);
    ctx.grant = Some(&elsewhere);
    ctx.grant_changed = true;
    let error = edit(&current, &current, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::GrantProgramMismatch);
    assert_eq!(error.leading().field, Some("grant_id"));
    assert_eq!(
        edit_broken(&current, &current, &ctx),
        [Rule::GrantProgramMismatch]
    );
    let covering = grant(Uuid::now_v7(), "2024-01-01", None);
    ctx.grant = Some(&covering);
    assert_eq!(
        edit_broken(&current, &current, &ctx),
        [Rule::GrantProgramMismatch]
    );
}

#[test]
fn changed_grant_must_cover_the_entry_date_inclusively() {
    let program = open_program();
    let current = stored(&program, head(), "2024-03-01", None);
    let with_grant = |start: &str, end: Option<&str>| {
        let term = grant(program.id, start, end);
        let ctx = EditContext {
            grant: Some(&term),
            grant_changed: true,
            ..edit_context(&program)
        };
        edit_broken(&current, &current, &ctx)
    };
    assert_eq!(with_grant("2024-03-02", None), [Rule::GrantNotActive]);
    assert_eq!(with_grant("2024-03-01", None), []);
    assert_eq!(with_grant("2024-02-29", None), []);
    assert_eq!(
        with_grant("2024-01-01", Some("2024-02-29")),
        [Rule::GrantNotActive]
    );
    assert_eq!(with_grant("2024-01-01", Some("2024-03-01")), []);
    assert_eq!(with_grant("2024-01-01", Some("2024-03-02")), []);
}

#[test]
fn unchanged_grant_with_unchanged_entry_is_not_checked_again() {
    let program = open_program();
    let current = stored(&program, head(), "2024-05-01", None);
    let elsewhere = grant(Uuid::now_v7(), "2030-01-01", None);
    let lapsed = grant(program.id, "2020-01-01", Some("2020-12-31"));
    let mut ctx = edit_context(&program);
    ctx.grant = Some(&elsewhere);
    assert_eq!(edit_broken(&current, &current, &ctx), []);
    ctx.grant = Some(&lapsed);
    assert_eq!(edit_broken(&current, &current, &ctx), []);
    assert_eq!(
        edit_broken(&current, &entering(&current, "2024-05-02"), &ctx),
        [Rule::GrantNotActive]
    );
}

#[test]
fn removing_the_grant_is_fine() {
    let program = open_program();
    let current = stored(&program, head(), "2024-05-01", None);
    let mut ctx = edit_context(&program);
    ctx.grant_changed = true;
    assert_eq!(edit(&current, &current, &ctx), Ok(()));
}

#[test]
fn edited_move_in_date_is_only_for_project_types_3_9_10_13() {
    let mut accepted = Vec::new();
    for (code, _) in ProjectType::CODES {
        let mut program = open_program();
        program.project_type = project_type(*code);
        let ctx = edit_context(&program);
        let current = stored(&program, head(), "2024-05-01", None);
        let next = moving_in(&current, Some("2024-05-02"));
        match edit_broken(&current, &next, &ctx).as_slice() {
            [] => accepted.push(*code),
            [Rule::MoveInInvalid] => {}
            other => panic!("type {code}: unexpected {other:?}"),
        }
    }
    assert_eq!(accepted, [3, 9, 10, 13]);
}

#[test]
fn edited_move_in_date_is_only_for_the_head() {
    let program = housing_program();
    let others = [stored(&program, head(), "2024-01-01", None)];
    let current = stored(&program, child(), "2024-05-01", None);
    let mut ctx = edit_context(&program);
    ctx.household_others = &others;
    let next = moving_in(&current, Some("2024-05-01"));
    let error = edit(&current, &next, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::MoveInInvalid);
    assert_eq!(error.leading().field, Some("move_in_date"));
    assert_eq!(edit_broken(&current, &next, &ctx), [Rule::MoveInInvalid]);
}

#[test]
fn edited_move_in_date_lies_within_entry_and_exit_inclusively() {
    let program = housing_program();
    let current = stored(&program, head(), "2024-03-01", Some("2024-06-30"));
    let ctx = edit_context(&program);
    let at = |move_in| edit_broken(&current, &moving_in(&current, Some(move_in)), &ctx);
    assert_eq!(at("2024-02-29"), [Rule::MoveInInvalid]);
    assert_eq!(at("2024-03-01"), []);
    assert_eq!(at("2024-03-02"), []);
    assert_eq!(at("2024-06-29"), []);
    assert_eq!(at("2024-06-30"), []);
    assert_eq!(at("2024-07-01"), [Rule::MoveInInvalid]);
    let open = stored(&program, head(), "2024-03-01", None);
    let far = moving_in(&open, Some("2099-12-31"));
    assert_eq!(edit_broken(&open, &far, &ctx), []);
}

#[test]
fn entry_moved_past_the_move_in_date_is_refused() {
    let program = housing_program();
    let current = moving_in(
        &stored(&program, head(), "2024-03-01", None),
        Some("2024-04-01"),
    );
    let ctx = edit_context(&program);
    let at = |entry| edit_broken(&current, &entering(&current, entry), &ctx);
    assert_eq!(at("2024-04-01"), []);
    assert_eq!(at("2024-04-02"), [Rule::MoveInInvalid]);
}

#[test]
fn removing_a_move_in_date_is_fine_anywhere() {
    let program = open_program();
    let current = moving_in(
        &stored(&program, child(), "2024-03-01", None),
        Some("2024-01-01"),
    );
    let ctx = edit_context(&program);
    assert_eq!(edit(&current, &moving_in(&current, None), &ctx), Ok(()));
}

#[test]
fn member_becoming_head_while_another_head_exists_is_refused() {
    let program = open_program();
    let current = stored(&program, child(), "2024-03-01", None);
    let next = related(&current, head());
    for other_head in [
        stored(&program, head(), "2024-03-01", None),
        stored(&program, head(), "2024-03-01", Some("2024-04-01")),
    ] {
        let others = [other_head];
        let mut ctx = edit_context(&program);
        ctx.household_others = &others;
        let error = edit(&current, &next, &ctx).unwrap_err();
        assert_eq!(error.leading().rule, Rule::HouseholdHeadExists);
        assert_eq!(error.leading().field, Some("relationship_to_hoh"));
        assert_eq!(
            edit_broken(&current, &next, &ctx),
            [Rule::HouseholdHeadExists]
        );
    }
    let members = [stored(&program, child(), "2024-03-01", None)];
    let mut ctx = edit_context(&program);
    ctx.household_others = &members;
    assert_eq!(edit_broken(&current, &next, &ctx), []);
}

#[test]
fn member_becoming_head_after_another_member_entered_is_refused() {
    let program = open_program();
    let current = stored(&program, child(), "2024-03-02", None);
    let next = related(&current, head());
    let mut ctx = edit_context(&program);
    let earlier = [stored(&program, child(), "2024-03-01", None)];
    ctx.household_others = &earlier;
    assert_eq!(
        edit_broken(&current, &next, &ctx),
        [Rule::HouseholdMemberBeforeHead]
    );
    let same_day = [stored(&program, child(), "2024-03-02", None)];
    ctx.household_others = &same_day;
    assert_eq!(edit_broken(&current, &next, &ctx), []);
}

#[test]
fn head_stepping_down_with_active_members_is_refused() {
    let program = open_program();
    let current = stored(&program, head(), "2024-03-01", None);
    let next = related(&current, child());
    let others = [
        stored(&program, child(), "2024-03-01", Some("2024-04-01")),
        stored(&program, child(), "2024-03-01", None),
    ];
    let mut ctx = edit_context(&program);
    ctx.household_others = &others;
    let error = edit(&current, &next, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::HouseholdMembersActive);
    assert_eq!(error.leading().rule.code(), "household.members_active");
    assert_eq!(
        edit_broken(&current, &next, &ctx),
        [Rule::HouseholdMembersActive]
    );
}

#[test]
fn head_stepping_down_without_active_members_leaves_no_head() {
    let program = open_program();
    let current = stored(&program, head(), "2024-03-01", None);
    let next = related(&current, child());
    let mut ctx = edit_context(&program);
    assert_eq!(
        edit_broken(&current, &next, &ctx),
        [Rule::HouseholdHeadExists]
    );
    let exited = [stored(&program, child(), "2024-03-01", Some("2024-04-01"))];
    ctx.household_others = &exited;
    let error = edit(&current, &next, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::HouseholdHeadExists);
    assert_eq!(
        edit_broken(&current, &next, &ctx),
        [Rule::HouseholdHeadExists]
    );
}

#[test]
fn head_with_a_move_in_date_stepping_down_breaks_the_move_in_rule_too() {
    let program = housing_program();
    let current = moving_in(
        &stored(&program, head(), "2024-03-01", None),
        Some("2024-03-15"),
    );
    let next = related(&current, child());
    let others = [stored(&program, child(), "2024-03-01", None)];
    let mut ctx = edit_context(&program);
    ctx.household_others = &others;
    assert_eq!(
        edit_broken(&current, &next, &ctx),
        [Rule::MoveInInvalid, Rule::HouseholdMembersActive]
    );
}

#[test]
fn member_changing_to_another_member_relationship_is_fine() {
    let program = open_program();
    let current = stored(&program, child(), "2024-03-01", None);
    let others = [stored(&program, head(), "2024-03-01", None)];
    let mut ctx = edit_context(&program);
    ctx.household_others = &others;
    let spouse = RelationshipToHoh::try_from(3_i32).unwrap();
    assert_eq!(edit(&current, &related(&current, spouse), &ctx), Ok(()));
}

#[test]
fn edit_lists_every_broken_rule_and_the_first_in_table_order_leads() {
    let program = program("2024-03-01", None);
    let term = grant(program.id, "2024-03-01", None);
    let current = stored(&program, child(), "2024-03-10", Some("2024-03-20"));
    let earlier = [member(
        current.client_id,
        child(),
        "2024-01-01",
        Some("2024-03-01"),
    )];
    let others = [stored(&program, head(), "2024-03-01", None)];
    let ctx = EditContext {
        grant: Some(&term),
        client_dob: Some(date("2024-03-01")),
        client_enrollments_in_program: &earlier,
        household_others: &others,
        ..edit_context(&program)
    };
    let next = moving_in(&entering(&current, "2024-02-29"), Some("2024-03-05"));
    let error = edit(&current, &next, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::ProgramNotOperating);
    let listed: Vec<_> = error
        .all()
        .iter()
        .map(|one| (one.rule, one.field))
        .collect();
    assert_eq!(
        listed,
        [
            (Rule::ProgramNotOperating, Some("entry_date")),
            (Rule::GrantNotActive, Some("grant_id")),
            (Rule::EnrollmentOverlap, Some("entry_date")),
            (Rule::EnrollmentBeforeBirth, Some("entry_date")),
            (Rule::MoveInInvalid, Some("move_in_date")),
            (Rule::HouseholdMemberBeforeHead, Some("entry_date")),
        ]
    );
}

#[test]
fn one_of_two_heads_stepping_down_leaves_the_other_as_head() {
    // A household imported with two heads (flagged): making one of them a member mends it,
    // with the other head and a member active beside them.
    let program = open_program();
    let current = stored(&program, head(), "2024-03-01", None);
    let next = related(&current, child());
    let others = [
        stored(&program, head(), "2024-03-01", None),
        stored(&program, child(), "2024-03-01", None),
    ];
    let mut ctx = edit_context(&program);
    ctx.household_others = &others;
    assert_eq!(edit_broken(&current, &next, &ctx), []);
    // A member cannot become a third head.
    let member = stored(&program, child(), "2024-03-01", None);
    let promoted = related(&member, head());
    assert_eq!(
        edit_broken(&member, &promoted, &ctx),
        [Rule::HouseholdHeadExists]
    );
}

use super::*;
use crate::codes::{CodeList, ProjectType, RelationshipToHoh};
use crate::dates::DateRange;
use crate::records::RecordKind;

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn head() -> RelationshipToHoh {
    RelationshipToHoh::try_from(1_i32).unwrap()
}

fn child() -> RelationshipToHoh {
    RelationshipToHoh::try_from(2_i32).unwrap()
}

/// A stored enrollment of a new client, in no particular program or household.
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

/// `member` for an existing client.
fn stay_of(
    client: Uuid,
    rel: RelationshipToHoh,
    entry: &str,
    exit: Option<&str>,
) -> EnrollmentFacts {
    EnrollmentFacts {
        client_id: client,
        ..member(rel, entry, exit)
    }
}

fn with_move_in(mut enrollment: EnrollmentFacts, move_in: &str) -> EnrollmentFacts {
    enrollment.move_in_date = Some(date(move_in));
    enrollment
}

/// An emergency shelter (type 1) open since 2020 without a capacity.
fn program() -> ProgramFacts {
    ProgramFacts {
        id: Uuid::now_v7(),
        project_type: ProjectType::try_from(1_i32).unwrap(),
        operating: DateRange {
            start: date("2020-01-01"),
            end: None,
        },
        capacity: None,
    }
}

fn rules(error: &Violations) -> Vec<Rule> {
    error.all().iter().map(|one| one.rule).collect()
}

/// Every rule `exit` reports, in order; empty when it accepts.
fn exit_broken(
    target: &EnrollmentFacts,
    others: &[EnrollmentFacts],
    exit_date: &str,
    whole_household: bool,
) -> Vec<Rule> {
    match exit(target, others, date(exit_date), whole_household) {
        Ok(_) => Vec::new(),
        Err(error) => rules(&error),
    }
}

/// Nothing stored: no other enrollments, no household members, nobody active.
fn context(program: &ProgramFacts) -> ReopenContext<'_> {
    ReopenContext {
        program,
        client_enrollments_in_program: &[],
        household_others: &[],
        active_in_program: 0,
    }
}

/// Every rule `reopen` reports, in order; empty when it accepts.
fn reopen_broken(target: &EnrollmentFacts, ctx: &ReopenContext<'_>) -> Vec<Rule> {
    match reopen(target, ctx) {
        Ok(()) => Vec::new(),
        Err(error) => rules(&error),
    }
}

// exit

#[test]
fn exiting_an_exited_enrollment_is_refused() {
    let target = member(head(), "2024-01-01", Some("2024-02-01"));
    let error = exit(&target, &[], date("2024-03-01"), false).unwrap_err();
    assert_eq!(error.leading().rule, Rule::EnrollmentAlreadyExited);
    assert_eq!(error.leading().rule.code(), "enrollment.already_exited");
    assert_eq!(rules(&error), [Rule::EnrollmentAlreadyExited]);
    assert_eq!(
        exit_broken(&target, &[], "2024-03-01", true),
        [Rule::EnrollmentAlreadyExited]
    );
}

#[test]
fn exited_enrollment_is_refused_before_any_other_check() {
    let target = member(head(), "2024-01-01", Some("2024-02-01"));
    let active = [member(child(), "2024-01-01", None)];
    assert_eq!(
        exit_broken(&target, &active, "2023-12-31", false),
        [Rule::EnrollmentAlreadyExited]
    );
}

#[test]
fn exit_on_the_entry_date_is_fine_a_day_before_is_not() {
    let target = member(head(), "2024-03-01", None);
    let error = exit(&target, &[], date("2024-02-29"), false).unwrap_err();
    assert_eq!(error.leading().rule, Rule::ExitBeforeEntry);
    assert_eq!(error.leading().field, Some("exit_date"));
    assert_eq!(rules(&error), [Rule::ExitBeforeEntry]);
    assert_eq!(exit_broken(&target, &[], "2024-03-01", false), []);
    assert_eq!(exit_broken(&target, &[], "2024-03-02", false), []);
    assert_eq!(
        exit(&target, &[], date("2024-03-01"), false),
        Ok(vec![target.id])
    );
}

#[test]
fn exit_on_the_move_in_date_is_fine_a_day_before_is_not() {
    let target = with_move_in(member(head(), "2024-01-01", None), "2024-03-01");
    assert_eq!(
        exit_broken(&target, &[], "2024-02-29", false),
        [Rule::ExitBeforeEntry]
    );
    assert_eq!(exit_broken(&target, &[], "2024-03-01", false), []);
    assert_eq!(exit_broken(&target, &[], "2024-03-02", false), []);
}

#[test]
fn exit_before_both_entry_and_move_in_lists_each() {
    let target = with_move_in(member(head(), "2024-03-01", None), "2024-03-05");
    assert_eq!(
        exit_broken(&target, &[], "2024-02-29", false),
        [Rule::ExitBeforeEntry, Rule::ExitBeforeEntry]
    );
}

#[test]
fn head_exiting_alone_while_a_member_is_active_is_refused() {
    let target = member(head(), "2024-01-01", None);
    let others = [
        member(child(), "2024-01-01", Some("2024-02-01")),
        member(child(), "2024-01-01", None),
    ];
    let error = exit(&target, &others, date("2024-03-01"), false).unwrap_err();
    assert_eq!(error.leading().rule, Rule::HouseholdMembersActive);
    assert_eq!(error.leading().rule.code(), "household.members_active");
    assert_eq!(rules(&error), [Rule::HouseholdMembersActive]);
}

#[test]
fn head_exiting_alone_before_entry_with_active_members_lists_both_rules() {
    let target = member(head(), "2024-03-01", None);
    let others = [member(child(), "2024-03-01", None)];
    assert_eq!(
        exit_broken(&target, &others, "2024-02-29", false),
        [Rule::HouseholdMembersActive, Rule::ExitBeforeEntry]
    );
}

#[test]
fn head_exiting_alone_after_every_other_member_exited_is_fine() {
    let target = member(head(), "2024-01-01", None);
    let others = [
        member(child(), "2024-01-01", Some("2024-02-01")),
        member(child(), "2024-01-05", Some("2024-03-01")),
    ];
    assert_eq!(
        exit(&target, &others, date("2024-03-01"), false),
        Ok(vec![target.id])
    );
    assert_eq!(
        exit(&target, &[], date("2024-03-01"), false),
        Ok(vec![target.id])
    );
}

#[test]
fn member_exiting_alone_is_fine_while_the_head_and_others_are_active() {
    let target = member(child(), "2024-02-01", None);
    let others = [
        member(head(), "2024-01-01", None),
        member(child(), "2024-01-01", None),
    ];
    assert_eq!(
        exit(&target, &others, date("2024-02-01"), false),
        Ok(vec![target.id])
    );
    assert_eq!(
        exit_broken(&target, &others, "2024-01-31", false),
        [Rule::ExitBeforeEntry]
    );
}

#[test]
fn whole_household_exit_returns_the_target_and_every_active_member_only() {
    let target = member(head(), "2024-01-01", None);
    let first = member(child(), "2024-01-01", None);
    let gone = member(child(), "2024-01-01", Some("2024-02-01"));
    let second = member(child(), "2024-02-15", None);
    let others = [first.clone(), gone, second.clone()];
    assert_eq!(
        exit(&target, &others, date("2024-03-01"), true),
        Ok(vec![target.id, first.id, second.id])
    );
}

#[test]
fn whole_household_exit_with_nobody_else_returns_the_target() {
    let target = member(head(), "2024-01-01", None);
    let gone = [member(child(), "2024-01-01", Some("2024-02-01"))];
    assert_eq!(
        exit(&target, &gone, date("2024-03-01"), true),
        Ok(vec![target.id])
    );
}

#[test]
fn whole_household_exit_started_by_a_member_takes_the_head_along() {
    let target = member(child(), "2024-01-01", None);
    let leader = member(head(), "2024-01-01", None);
    assert_eq!(
        exit(
            &target,
            std::slice::from_ref(&leader),
            date("2024-03-01"),
            true
        ),
        Ok(vec![target.id, leader.id])
    );
}

#[test]
fn whole_household_exit_before_a_members_entry_is_refused_on_the_day_fine() {
    let target = member(head(), "2024-01-01", None);
    let late = member(child(), "2024-03-01", None);
    let others = [late.clone()];
    let error = exit(&target, &others, date("2024-02-29"), true).unwrap_err();
    assert_eq!(rules(&error), [Rule::ExitBeforeEntry]);
    assert!(error.leading().message.contains(&late.id.to_string()));
    assert_eq!(
        exit(&target, &others, date("2024-03-01"), true),
        Ok(vec![target.id, late.id])
    );
}

#[test]
fn whole_household_exit_before_a_members_move_in_is_refused() {
    let target = member(head(), "2024-01-01", None);
    let moved_in = [with_move_in(
        member(child(), "2024-01-01", None),
        "2024-03-01",
    )];
    assert_eq!(
        exit_broken(&target, &moved_in, "2024-02-29", true),
        [Rule::ExitBeforeEntry]
    );
    assert_eq!(exit_broken(&target, &moved_in, "2024-03-01", true), []);
}

#[test]
fn whole_household_exit_ignores_the_entry_of_exited_members() {
    let target = member(head(), "2024-01-01", None);
    let gone = [member(child(), "2024-05-01", Some("2024-05-02"))];
    assert_eq!(exit_broken(&target, &gone, "2024-03-01", true), []);
}

// reopen

#[test]
fn reopening_an_active_enrollment_is_refused() {
    let program = program();
    let target = member(head(), "2024-01-01", None);
    let error = reopen(&target, &context(&program)).unwrap_err();
    assert_eq!(error.leading().rule, Rule::EnrollmentNotExited);
    assert_eq!(error.leading().rule.code(), "enrollment.not_exited");
    assert_eq!(rules(&error), [Rule::EnrollmentNotExited]);
}

#[test]
fn active_enrollment_is_refused_before_any_other_check() {
    let mut program = program();
    program.capacity = Some(1);
    let target = member(head(), "2024-01-01", None);
    let mut ctx = context(&program);
    ctx.active_in_program = 5;
    assert_eq!(reopen_broken(&target, &ctx), [Rule::EnrollmentNotExited]);
}

#[test]
fn reopening_an_exited_enrollment_with_nothing_in_the_way_is_fine() {
    let program = program();
    let target = member(head(), "2024-01-01", Some("2024-02-01"));
    assert_eq!(reopen(&target, &context(&program)), Ok(()));
}

#[test]
fn reopening_overlaps_a_later_enrollment_of_the_client() {
    let program = program();
    let target = member(head(), "2024-01-01", Some("2024-02-01"));
    let client = target.client_id;
    for later in [
        stay_of(client, head(), "2024-02-01", None),
        stay_of(client, head(), "2024-02-02", Some("2024-03-01")),
        stay_of(client, head(), "2030-01-01", None),
    ] {
        let stored = [later];
        let mut ctx = context(&program);
        ctx.client_enrollments_in_program = &stored;
        let error = reopen(&target, &ctx).unwrap_err();
        assert_eq!(error.leading().rule, Rule::EnrollmentOverlap);
        assert_eq!(rules(&error), [Rule::EnrollmentOverlap]);
    }
}

#[test]
fn reopening_next_to_an_earlier_enrollment_is_fine_overlapping_it_is_not() {
    let program = program();
    let target = member(head(), "2024-03-01", Some("2024-04-01"));
    let client = target.client_id;
    let mut ctx = context(&program);
    let ended_on_entry = [stay_of(client, head(), "2024-01-01", Some("2024-03-01"))];
    ctx.client_enrollments_in_program = &ended_on_entry;
    assert_eq!(reopen_broken(&target, &ctx), []);
    let ended_before = [stay_of(client, head(), "2023-01-01", Some("2023-02-01"))];
    ctx.client_enrollments_in_program = &ended_before;
    assert_eq!(reopen_broken(&target, &ctx), []);
    let ended_day_after = [stay_of(client, head(), "2024-01-01", Some("2024-03-02"))];
    ctx.client_enrollments_in_program = &ended_day_after;
    assert_eq!(reopen_broken(&target, &ctx), [Rule::EnrollmentOverlap]);
}

#[test]
fn reopening_does_not_overlap_itself() {
    let program = program();
    let target = member(head(), "2024-01-01", Some("2024-02-01"));
    let mut ctx = context(&program);
    let itself = [target.clone()];
    ctx.client_enrollments_in_program = &itself;
    assert_eq!(reopen_broken(&target, &ctx), []);
}

#[test]
fn reopening_refuses_a_full_program_and_ignores_an_unlimited_one() {
    let mut program = program();
    program.capacity = Some(5);
    let target = member(head(), "2024-01-01", Some("2024-02-01"));
    let mut ctx = context(&program);
    ctx.active_in_program = 4;
    assert_eq!(reopen_broken(&target, &ctx), []);
    ctx.active_in_program = 5;
    let error = reopen(&target, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::ProgramAtCapacity);
    assert_eq!(rules(&error), [Rule::ProgramAtCapacity]);
    ctx.active_in_program = 6;
    assert_eq!(reopen_broken(&target, &ctx), [Rule::ProgramAtCapacity]);
    let mut unlimited = program.clone();
    unlimited.capacity = None;
    ctx.program = &unlimited;
    ctx.active_in_program = 1_000_000;
    assert_eq!(reopen_broken(&target, &ctx), []);
}

#[test]
fn reopening_a_client_active_again_in_the_household_is_a_duplicate() {
    let program = program();
    let target = member(child(), "2024-01-01", Some("2024-02-01"));
    let leader = member(head(), "2024-01-01", None);
    let again = stay_of(target.client_id, child(), "2024-03-01", None);
    let mut ctx = context(&program);
    let others = [leader.clone(), again];
    ctx.household_others = &others;
    let error = reopen(&target, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::HouseholdClientDuplicate);
    assert_eq!(rules(&error), [Rule::HouseholdClientDuplicate]);
    let exited_again = stay_of(target.client_id, child(), "2024-03-01", Some("2024-04-01"));
    let others = [leader, exited_again];
    ctx.household_others = &others;
    assert_eq!(reopen_broken(&target, &ctx), []);
}

#[test]
fn reopening_a_member_while_the_head_is_exited_is_refused() {
    let program = program();
    let target = member(child(), "2024-01-01", Some("2024-02-01"));
    let mut ctx = context(&program);
    let head_exited = [member(head(), "2024-01-01", Some("2024-02-01"))];
    ctx.household_others = &head_exited;
    let error = reopen(&target, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::HouseholdMembersActive);
    assert_eq!(rules(&error), [Rule::HouseholdMembersActive]);
    let head_reopened = [member(head(), "2024-01-01", None)];
    ctx.household_others = &head_reopened;
    assert_eq!(reopen_broken(&target, &ctx), []);
}

#[test]
fn reopening_the_head_while_members_are_exited_is_fine() {
    let program = program();
    let target = member(head(), "2024-01-01", Some("2024-02-01"));
    let mut ctx = context(&program);
    let exited = [member(child(), "2024-01-01", Some("2024-02-01"))];
    ctx.household_others = &exited;
    assert_eq!(reopen_broken(&target, &ctx), []);
}

#[test]
fn reopening_lists_every_broken_rule_in_table_order() {
    let mut program = program();
    program.capacity = Some(1);
    let target = member(child(), "2024-01-01", Some("2024-02-01"));
    let later = [stay_of(target.client_id, child(), "2024-03-01", None)];
    let others = [
        member(head(), "2024-01-01", Some("2024-02-01")),
        stay_of(target.client_id, child(), "2024-03-01", None),
    ];
    let ctx = ReopenContext {
        program: &program,
        client_enrollments_in_program: &later,
        household_others: &others,
        active_in_program: 1,
    };
    let error = reopen(&target, &ctx).unwrap_err();
    assert_eq!(error.leading().rule, Rule::EnrollmentOverlap);
    assert_eq!(
        rules(&error),
        [
            Rule::EnrollmentOverlap,
            Rule::ProgramAtCapacity,
            Rule::HouseholdClientDuplicate,
            Rule::HouseholdMembersActive,
        ]
    );
}

#[test]
fn leaving_alone_is_the_target_and_with_the_household_every_active_member() {
    let head_stay = member(head(), "2024-01-01", None);
    let others = [
        member(child(), "2024-01-02", None),
        member(child(), "2024-01-02", Some("2024-02-01")),
        member(child(), "2024-01-03", None),
    ];
    let ids = |found: Vec<&EnrollmentFacts>| found.iter().map(|one| one.id).collect::<Vec<_>>();
    assert_eq!(ids(leaving(&head_stay, &others, false)), [head_stay.id]);
    assert_eq!(
        ids(leaving(&head_stay, &others, true)),
        [head_stay.id, others[0].id, others[2].id]
    );
    assert_eq!(ids(leaving(&head_stay, &[], true)), [head_stay.id]);
}

fn record_on(on: &str) -> DatedRecord {
    DatedRecord {
        kind: RecordKind::FollowUp,
        id: Uuid::now_v7(),
        field: "due_date",
        date: date(on),
    }
}

#[test]
fn records_on_the_exit_day_are_kept_a_day_after_is_not() {
    let stay = member(head(), "2024-03-01", None);
    let exit_date = date("2024-03-31");
    assert!(check_records_kept(&stay, exit_date, &[]).is_ok());
    assert!(check_records_kept(
        &stay,
        exit_date,
        &[record_on("2024-03-01"), record_on("2024-03-31")]
    )
    .is_ok());
    let late = record_on("2024-04-01");
    let error =
        check_records_kept(&stay, exit_date, &[record_on("2024-03-15"), late.clone()]).unwrap_err();
    assert_eq!(rules(&error), [Rule::DependentsOutsidePeriod]);
    assert!(error.leading().message.contains(&late.id.to_string()));
}

#[test]
fn records_are_kept_inside_the_exit_of_a_stay_already_ended_later() {
    // The stored exit does not count: the exit being made does.
    let stay = member(head(), "2024-03-01", Some("2024-06-01"));
    let error =
        check_records_kept(&stay, date("2024-03-31"), &[record_on("2024-05-01")]).unwrap_err();
    assert_eq!(rules(&error), [Rule::DependentsOutsidePeriod]);
}

fn destination(code: i32) -> Destination {
    Destination::try_from(code).unwrap()
}

fn destination_errors(
    destinations: &[Destination],
    subsidy_type: Option<i32>,
    other: Option<&str>,
) -> Vec<(String, &'static str, String)> {
    let subsidy_type = subsidy_type.map(|code| RentalSubsidyType::try_from(code).unwrap());
    check_exit_destinations(destinations, subsidy_type, other)
        .into_iter()
        .map(|error| (error.field, error.code, error.message))
        .collect()
}

fn error(field: &str, code: &'static str, message: &str) -> (String, &'static str, String) {
    (field.to_owned(), code, message.to_owned())
}

#[test]
fn every_destination_but_435_and_17_stands_alone() {
    for (code, _) in Destination::CODES {
        let errors = destination_errors(&[destination(*code)], None, None);
        match code {
            435 => assert_eq!(
                errors,
                [error(
                    "destination_subsidy_type",
                    "required",
                    "destination_subsidy_type is required for destination 435"
                )]
            ),
            17 => assert_eq!(
                errors,
                [error(
                    "other_destination",
                    "required",
                    "other_destination is required for destination 17"
                )]
            ),
            _ => assert_eq!(errors, [], "destination {code}"),
        }
    }
}

#[test]
fn destination_435_takes_a_subsidy_type_and_17_a_text() {
    for (subsidy_type, _) in RentalSubsidyType::CODES {
        assert_eq!(
            destination_errors(&[destination(435)], Some(*subsidy_type), None),
            []
        );
    }
    assert_eq!(
        destination_errors(&[destination(17)], None, Some("With a cousin abroad")),
        []
    );
}

#[test]
fn details_no_destination_asks_for_are_refused() {
    assert_eq!(
        destination_errors(&[destination(410)], Some(431), Some("Elsewhere")),
        [
            error(
                "destination_subsidy_type",
                "not_allowed",
                "destination_subsidy_type is only for destination 435"
            ),
            error(
                "other_destination",
                "not_allowed",
                "other_destination is only for destination 17"
            ),
        ]
    );
    assert_eq!(
        destination_errors(&[destination(17)], Some(431), Some("Elsewhere")),
        [error(
            "destination_subsidy_type",
            "not_allowed",
            "destination_subsidy_type is only for destination 435"
        )]
    );
}

#[test]
fn one_subsidy_type_and_one_text_serve_every_destination_of_a_household() {
    let household = [destination(435), destination(17), destination(410)];
    assert_eq!(
        destination_errors(&household, Some(431), Some("Elsewhere")),
        []
    );
    assert_eq!(
        destination_errors(&household, None, None),
        [
            error(
                "destination_subsidy_type",
                "required",
                "destination_subsidy_type is required for destination 435"
            ),
            error(
                "other_destination",
                "required",
                "other_destination is required for destination 17"
            ),
        ]
    );
    assert_eq!(destination_errors(&[], None, None), []);
}

#[test]
fn the_head_is_not_deleted_while_another_member_is_active() {
    let head_stay = member(head(), "2024-01-01", None);
    let active_child = member(child(), "2024-01-01", None);
    let exited_child = member(child(), "2024-01-01", Some("2024-02-01"));
    let error =
        check_delete(&head_stay, &[exited_child.clone(), active_child.clone()]).unwrap_err();
    assert_eq!(rules(&error), [Rule::HouseholdMembersActive]);
    assert_eq!(
        error.leading().message,
        "the head cannot be deleted while other members are active"
    );
    assert!(check_delete(&head_stay, std::slice::from_ref(&exited_child)).is_ok());
    assert!(check_delete(&head_stay, &[]).is_ok());
    // The head itself among the members does not count, active or not.
    assert!(check_delete(&head_stay, std::slice::from_ref(&head_stay)).is_ok());
    // A member is deleted whoever else is active; a head is held back by active members
    // whether it has exited or not.
    assert!(check_delete(&active_child, std::slice::from_ref(&head_stay)).is_ok());
    let exited_head = member(head(), "2024-01-01", Some("2024-02-01"));
    assert!(check_delete(&exited_head, &[exited_child]).is_ok());
    assert!(check_delete(&exited_head, &[active_child]).is_err());
}

mod auto_exit {
    use super::super::auto_exit_date;
    use crate::codes::RelationshipToHoh;
    use crate::dates::{Date, Period};
    use crate::enrollment::EnrollmentFacts;
    use uuid::Uuid;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn active(entry: &str, last: &str) -> (EnrollmentFacts, Date) {
        let facts = EnrollmentFacts {
            id: Uuid::now_v7(),
            client_id: Uuid::now_v7(),
            program_id: Uuid::now_v7(),
            household_id: Uuid::now_v7(),
            relationship: RelationshipToHoh::SELF_HEAD,
            period: Period::new(date(entry), None),
            move_in_date: None,
        };
        (facts, date(last))
    }

    #[test]
    fn exits_on_the_last_day_of_activity_once_idle_long_enough() {
        let household = [
            active("2025-01-01", "2025-03-01"),
            active("2025-01-01", "2025-03-10"),
        ];
        assert_eq!(
            auto_exit_date(&household, 30, date("2025-04-09")),
            Some(date("2025-03-10"))
        );
        assert_eq!(auto_exit_date(&household, 30, date("2025-04-08")), None);
    }

    #[test]
    fn a_later_entry_counts_as_activity() {
        let household = [active("2025-05-01", "2025-02-01")];
        assert_eq!(auto_exit_date(&household, 10, date("2025-05-10")), None);
        assert_eq!(
            auto_exit_date(&household, 10, date("2025-05-11")),
            Some(date("2025-05-01"))
        );
    }

    #[test]
    fn nobody_active_means_nothing_to_exit() {
        assert_eq!(auto_exit_date(&[], 1, date("2025-05-11")), None);
    }
}

//! Which stages are owed on a day: exit once exited, the annual assessment from the head's
//! anniversary, post-exit once its 180 days have passed.

use super::*;

#[test]
fn the_annual_assessment_is_owed_from_the_first_anniversary_on() {
    let head = date("2024-01-15");
    assert_eq!(
        annual_assessment_due(head, head, None, date("2025-01-14")),
        None
    );
    assert_eq!(
        annual_assessment_due(head, head, None, date("2025-01-15")),
        Some(date("2025-01-15"))
    );
    assert_eq!(
        annual_assessment_due(head, head, None, date("2025-12-31")),
        Some(date("2025-01-15"))
    );
    // The second year's assessment replaces the first's.
    assert_eq!(
        annual_assessment_due(head, head, None, date("2026-01-15")),
        Some(date("2026-01-15"))
    );
    assert_eq!(annual_assessment_due(head, head, None, head), None);
    assert_eq!(
        annual_assessment_due(head, head, None, date("2023-06-01")),
        None
    );
}

#[test]
fn every_member_is_assessed_at_the_heads_anniversary() {
    let head = date("2024-01-15");
    let anniversary = Some(date("2025-01-15"));
    // Joined a month before the anniversary: assessed with the household.
    let joined_late = date("2024-12-15");
    assert_eq!(
        annual_assessment_due(head, joined_late, None, date("2025-01-20")),
        anniversary
    );
    // Joined on the day itself: assessed too.
    assert_eq!(
        annual_assessment_due(head, date("2025-01-15"), None, date("2025-01-20")),
        anniversary
    );
    // Joined after it: waits for the next.
    assert_eq!(
        annual_assessment_due(head, date("2025-01-16"), None, date("2025-02-01")),
        None
    );
}

#[test]
fn a_member_who_has_left_owes_no_annual_assessment() {
    let head = date("2024-01-15");
    let exit = Some(date("2025-02-01"));
    assert_eq!(
        annual_assessment_due(head, head, exit, date("2025-02-01")),
        None
    );
    // Still enrolled on the day asked about: the exit has not happened yet.
    assert_eq!(
        annual_assessment_due(head, head, exit, date("2025-01-20")),
        Some(date("2025-01-15"))
    );
}

#[test]
fn a_29_february_entry_has_its_anniversary_on_28_february() {
    let head = date("2024-02-29");
    assert_eq!(
        annual_assessment_due(head, head, None, date("2025-02-27")),
        None
    );
    assert_eq!(
        annual_assessment_due(head, head, None, date("2025-02-28")),
        Some(date("2025-02-28"))
    );
    assert_eq!(
        annual_assessment_due(head, head, None, date("2028-02-29")),
        Some(date("2028-02-29"))
    );
}

#[test]
fn exit_stage_items_are_owed_only_once_exited() {
    let entry = date("2025-01-15");
    let staying = Due::on(entry, entry, None, date("2025-06-01"));
    assert!(staying.includes(Stage::ProjectStart));
    assert!(!staying.includes(Stage::ProjectExit));
    assert!(!staying.includes(Stage::PostExit));
    let left = Due::on(entry, entry, Some(date("2025-05-01")), date("2025-06-01"));
    assert!(left.includes(Stage::ProjectExit));
    // An exit dated after the day asked about has not happened on it.
    let leaving = Due::on(entry, entry, Some(date("2025-07-01")), date("2025-06-01"));
    assert!(!leaving.includes(Stage::ProjectExit));
}

#[test]
fn updates_are_never_owed() {
    let entry = date("2020-01-15");
    for exit in [None, Some(date("2024-01-01"))] {
        assert!(!Due::on(entry, entry, exit, date("2025-06-01")).includes(Stage::Update));
    }
}

#[test]
fn the_annual_stage_is_owed_only_when_due() {
    let entry = date("2024-01-15");
    let before = Due::on(entry, entry, None, date("2025-01-14"));
    assert!(!before.includes(Stage::AnnualAssessment));
    let after = Due::on(entry, entry, None, date("2025-01-15"));
    assert!(after.includes(Stage::AnnualAssessment));
    assert_eq!(after.annual_assessment, Some(date("2025-01-15")));
}

#[test]
fn post_exit_is_owed_once_the_180_days_after_exit_have_passed() {
    let entry = date("2025-01-01");
    let exit = date("2025-02-01");
    let day_180 = date("2025-07-31");
    assert_eq!(exit.days_until(day_180), POST_EXIT_DAYS);
    assert!(!Due::on(entry, entry, Some(exit), day_180).includes(Stage::PostExit));
    assert!(Due::on(entry, entry, Some(exit), day_180.succ()).includes(Stage::PostExit));
}

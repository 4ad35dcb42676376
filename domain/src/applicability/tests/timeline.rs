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

/// The stages owed on a day, as a set to compare.
fn owed(due: Due) -> Vec<Stage> {
    [
        Stage::ProjectStart,
        Stage::ProjectExit,
        Stage::AnnualAssessment,
        Stage::PostExit,
    ]
    .into_iter()
    .filter(|stage| due.includes(*stage))
    .collect()
}

#[test]
fn what_is_owed_changes_only_on_the_days_changes_after_names() {
    // Heads entering on an ordinary day and on 29 February; members entering with the head,
    // before and after an anniversary; stays open, ending before, on and after anniversaries.
    let heads = ["2023-03-10", "2024-02-29"];
    for head in heads.map(date) {
        let entries = [
            head,
            date("2024-12-01"),
            date("2025-03-10"),
            date("2025-06-01"),
        ];
        for member_entry in entries.into_iter().filter(|entry| *entry >= head) {
            let exits = [
                None,
                Some("2025-03-10"),
                Some("2025-08-01"),
                Some("2026-05-01"),
            ];
            for exit in exits.map(|exit| exit.map(date)) {
                let Some(exit) = exit.map_or(Some(None), |exit| {
                    (exit >= member_entry).then_some(Some(exit))
                }) else {
                    continue;
                };
                for as_of in [member_entry, date("2025-01-01"), date("2025-09-01")] {
                    let changes = Due::changes_after(head, member_entry, exit, as_of);
                    assert!(changes.iter().all(|day| *day > as_of), "{changes:?}");
                    let mut day = as_of;
                    while day <= date("2028-01-01") {
                        let now = owed(Due::on(head, member_entry, exit, day));
                        // Each day owes what the latest change day before it owed.
                        let since = changes
                            .iter()
                            .rfind(|change| **change <= day)
                            .copied()
                            .unwrap_or(as_of);
                        assert_eq!(
                            now,
                            owed(Due::on(head, member_entry, exit, since)),
                            "head {head}, entry {member_entry}, exit {exit:?}, {as_of} -> {day}"
                        );
                        day = day.succ();
                    }
                }
            }
        }
    }
}

#[test]
fn the_change_days_are_the_exit_the_post_exit_deadline_and_the_first_owed_anniversary() {
    let head = date("2024-01-15");
    assert_eq!(
        Due::changes_after(head, head, None, date("2024-06-01")),
        vec![date("2025-01-15")]
    );
    // A member joining after the anniversary waits for the next.
    assert_eq!(
        Due::changes_after(head, date("2025-02-01"), None, date("2025-03-01")),
        vec![date("2026-01-15")]
    );
    // Exited: the exit, then 181 days after it (post-exit is overdue after 180).
    assert_eq!(
        Due::changes_after(head, head, Some(date("2024-06-30")), date("2024-06-01")),
        vec![date("2024-06-30"), date("2024-12-28"), date("2025-01-15")]
    );
    // Nothing after a day past all of them but later anniversaries, which change nothing.
    assert_eq!(
        Due::changes_after(head, head, Some(date("2024-06-30")), date("2025-02-01")),
        vec![date("2026-01-15")]
    );
}

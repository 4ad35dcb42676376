use super::*;
use crate::codes::CodeList;

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn destination(code: i32) -> Destination {
    Destination::try_from(code).unwrap()
}

fn range(from: &str, to: &str) -> ReportRange {
    ReportRange::new(date(from), date(to)).unwrap()
}

fn stay(entry: &str, exit: Option<&str>, destination_code: Option<i32>) -> Stay {
    Stay {
        period: Period::new(date(entry), exit.map(date)),
        destination: destination_code.map(destination),
    }
}

#[test]
fn destination_classes_follow_the_first_digit() {
    for (code, _) in Destination::CODES {
        let class = DestinationClass::of(destination(*code));
        let expected = match code {
            100..=199 => DestinationClass::Homeless,
            200..=299 => DestinationClass::Institutional,
            300..=399 => DestinationClass::Temporary,
            400..=499 => DestinationClass::Permanent,
            _ => DestinationClass::Other,
        };
        assert_eq!(class, expected, "destination {code}");
    }
    for other in [8, 9, 17, 24, 30, 99] {
        assert_eq!(
            DestinationClass::of(destination(other)),
            DestinationClass::Other
        );
    }
    assert_eq!(
        DestinationClass::of(destination(435)),
        DestinationClass::Permanent
    );
    assert_eq!(
        DestinationClass::of(destination(116)),
        DestinationClass::Homeless
    );
    assert!(is_dont_know_refused_missing(destination(8)));
    assert!(is_dont_know_refused_missing(destination(99)));
    assert!(!is_dont_know_refused_missing(destination(30)));
}

#[test]
fn a_range_never_runs_backwards() {
    assert!(ReportRange::new(date("2025-01-02"), date("2025-01-01")).is_err());
    let one_day = range("2025-01-01", "2025-01-01");
    assert!(one_day.contains(date("2025-01-01")));
    assert!(!one_day.contains(date("2025-01-02")));
}

#[test]
fn length_of_stay_average_and_median() {
    assert_eq!(LengthOfStay::of(&[]), None);
    let one = LengthOfStay::of(&[7]).unwrap();
    assert_eq!((one.average_days, one.median_days), (7.0, 7.0));
    let odd = LengthOfStay::of(&[30, 0, 5]).unwrap();
    assert_eq!((odd.average_days, odd.median_days), (11.67, 5.0));
    let even = LengthOfStay::of(&[10, 1, 4, 100]).unwrap();
    assert_eq!((even.average_days, even.median_days), (28.75, 7.0));
    let half = LengthOfStay::of(&[0, 1]).unwrap();
    assert_eq!((half.average_days, half.median_days), (0.5, 0.5));
}

#[test]
fn summary_counts_the_edges_of_the_range() {
    let report = range("2025-01-01", "2025-01-31");
    let stays = [
        // Exits on `from`: not active at start, an exit of the range.
        stay("2024-12-01", Some("2025-01-01"), Some(435)),
        // Enters on `to`: an entry, active at the end.
        stay("2025-01-31", None, None),
        // Runs through the whole range.
        stay("2024-06-01", None, None),
        // Enters on `from` and stays the same day: entry and exit, active on neither end.
        stay("2025-01-01", Some("2025-01-01"), Some(116)),
        // Exits on `to`: active at start, not at the end.
        stay("2024-12-31", Some("2025-01-31"), Some(204)),
        // Enters on `from`: active at start.
        stay("2025-01-01", None, None),
        // Outside the range either side.
        stay("2024-01-01", Some("2024-12-31"), Some(302)),
        stay("2025-02-01", None, None),
        // Exits the day after `to`: active at the end, not an exit.
        stay("2025-01-10", Some("2025-02-01"), Some(8)),
    ];
    let summary = Summary::of(report, &stays);
    assert_eq!(summary.active_at_start, 3);
    assert_eq!(summary.entries, 4);
    assert_eq!(summary.exits, 3);
    assert_eq!(summary.active_at_end, 4);
    assert_eq!(
        summary.exits_by_destination_class,
        ClassCounts {
            permanent: 1,
            temporary: 0,
            institutional: 1,
            homeless: 1,
            other: 0,
        }
    );
    // 31, 0 and 31 days.
    let length = summary.length_of_stay.unwrap();
    assert_eq!(length.average_days, 20.67);
    assert_eq!(length.median_days, 31.0);
}

#[test]
fn summary_of_one_day_and_of_nothing() {
    let day = range("2025-03-01", "2025-03-01");
    let stays = [
        stay("2025-03-01", Some("2025-03-01"), Some(30)),
        stay("2025-02-01", Some("2025-03-01"), None),
        stay("2025-03-01", None, None),
    ];
    let summary = Summary::of(day, &stays);
    assert_eq!(summary.active_at_start, 1);
    assert_eq!(summary.active_at_end, 1);
    assert_eq!(summary.entries, 2);
    assert_eq!(summary.exits, 2);
    // No destination and "no exit interview" both count as other.
    assert_eq!(summary.exits_by_destination_class.other, 2);
    let length = summary.length_of_stay.unwrap();
    assert_eq!((length.average_days, length.median_days), (14.0, 14.0));

    let empty = Summary::of(day, &[]);
    assert_eq!(empty.entries + empty.exits + empty.active_at_start, 0);
    assert_eq!(empty.length_of_stay, None);
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn relationship(code: i32) -> RelationshipToHoh {
    RelationshipToHoh::try_from(code).unwrap()
}

fn record(enrollment: u128, client: u128, household: u128, head: bool) -> EnrollmentRecord {
    EnrollmentRecord {
        id: id(enrollment),
        client_id: id(client),
        household_id: id(household),
        relationship: relationship(if head { 1 } else { 2 }),
        period: Period::new(date("2025-01-10"), None),
        move_in_date: None,
        destination: None,
        created_on: date("2025-01-10"),
        exit_recorded_on: None,
        flagged: false,
    }
}

fn exited(mut record: EnrollmentRecord, exit: &str, code: Option<i32>) -> EnrollmentRecord {
    record.period.exit = Some(date(exit));
    record.exit_recorded_on = Some(date(exit));
    record.destination = code.map(destination);
    record
}

fn answers(client: u128) -> ClientAnswers {
    ClientAnswers {
        id: id(client),
        name_data_quality: DataQuality::try_from(1_i32).unwrap(),
        ssn_data_quality: DataQuality::try_from(1_i32).unwrap(),
        dob_data_quality: DataQuality::try_from(2_i32).unwrap(),
        veteran_status: NoYesMissing::try_from(0_i32).unwrap(),
        sex: Sex::try_from(1_i32).unwrap(),
    }
}

#[test]
fn clean_records_pass_every_check() {
    let records = [
        record(1, 11, 100, true),
        exited(record(2, 12, 101, true), "2025-02-01", Some(435)),
    ];
    let report = DataQualityReport::check(&records, &[answers(11), answers(12)]);
    assert_eq!(report, DataQualityReport::default());
}

#[test]
fn households_need_exactly_one_head_and_members_follow_the_head() {
    let mut early_member = record(3, 13, 100, false);
    early_member.period.entry = date("2025-01-09");
    let mut same_day_member = record(4, 14, 100, false);
    same_day_member.period.entry = date("2025-01-10");
    let records = [
        record(1, 11, 100, true),
        early_member,
        same_day_member,
        // Two heads.
        record(5, 15, 200, true),
        record(6, 16, 200, true),
        // No head: its member entering early is not compared with anyone.
        {
            let mut orphan = record(7, 17, 300, false);
            orphan.period.entry = date("2020-01-01");
            orphan
        },
    ];
    let report = DataQualityReport::check(&records, &[]);
    assert_eq!(report.households_without_one_head, vec![id(200), id(300)]);
    assert_eq!(report.members_before_head, vec![id(3)]);
}

#[test]
fn overlaps_follow_the_half_open_periods() {
    let first = exited(record(1, 11, 100, true), "2025-02-01", Some(435));
    // Enters on the day the first exits: fine.
    let mut next = record(2, 11, 101, true);
    next.period.entry = date("2025-02-01");
    // Another client at the same time: fine.
    let other_client = record(3, 12, 102, true);
    // Same client, entering inside the first stay.
    let mut clash = exited(record(4, 13, 103, true), "2025-03-01", Some(435));
    clash.period.entry = date("2025-01-01");
    let mut clashing = record(5, 13, 104, true);
    clashing.period.entry = date("2025-02-28");
    let report = DataQualityReport::check(&[first, next, other_client, clash, clashing], &[]);
    assert_eq!(report.overlapping_enrollments, vec![id(4), id(5)]);
}

#[test]
fn exits_move_ins_and_destinations() {
    let backwards = exited(record(1, 11, 100, true), "2025-01-09", Some(435));
    let mut move_in_before = record(2, 12, 101, true);
    move_in_before.move_in_date = Some(date("2025-01-09"));
    let mut move_in_on_entry = record(3, 13, 102, true);
    move_in_on_entry.move_in_date = Some(date("2025-01-10"));
    let mut move_in_after_exit = exited(record(4, 14, 103, true), "2025-01-20", Some(435));
    move_in_after_exit.move_in_date = Some(date("2025-01-21"));
    let mut move_in_on_exit = exited(record(5, 15, 104, true), "2025-01-20", Some(435));
    move_in_on_exit.move_in_date = Some(date("2025-01-20"));
    let missing = exited(record(6, 16, 105, true), "2025-01-20", None);
    let refused = exited(record(7, 17, 106, true), "2025-01-20", Some(9));
    let not_collected = exited(record(8, 18, 107, true), "2025-01-20", Some(99));
    let no_interview = exited(record(9, 19, 108, true), "2025-01-20", Some(30));
    let report = DataQualityReport::check(
        &[
            backwards,
            move_in_before,
            move_in_on_entry,
            move_in_after_exit,
            move_in_on_exit,
            missing,
            refused,
            not_collected,
            no_interview,
        ],
        &[],
    );
    assert_eq!(report.exits_before_entries, vec![id(1)]);
    assert_eq!(report.move_in_outside_stay, vec![id(2), id(4)]);
    assert_eq!(report.missing_destination, vec![id(6)]);
    assert_eq!(
        report.destination_dont_know_refused_missing,
        vec![id(7), id(8)]
    );
}

#[test]
fn client_answers_of_clients_in_scope() {
    let mut unclear = answers(11);
    unclear.name_data_quality = DataQuality::try_from(8_i32).unwrap();
    unclear.ssn_data_quality = DataQuality::try_from(99_i32).unwrap();
    unclear.sex = Sex::try_from(9_i32).unwrap();
    let mut veteran = answers(12);
    veteran.veteran_status = NoYesMissing::try_from(99_i32).unwrap();
    veteran.dob_data_quality = DataQuality::try_from(9_i32).unwrap();
    // Not enrolled in the program checked: ignored.
    let mut elsewhere = answers(13);
    elsewhere.sex = Sex::try_from(99_i32).unwrap();
    let records = [record(1, 11, 100, true), record(2, 12, 101, true)];
    let report = DataQualityReport::check(&records, &[unclear, veteran, elsewhere]);
    assert_eq!(report.name_dont_know_refused_missing, vec![id(11)]);
    assert_eq!(report.ssn_dont_know_refused_missing, vec![id(11)]);
    assert_eq!(report.dob_dont_know_refused_missing, vec![id(12)]);
    assert_eq!(
        report.veteran_status_dont_know_refused_missing,
        vec![id(12)]
    );
    assert_eq!(report.sex_dont_know_refused_missing, vec![id(11)]);
}

#[test]
fn records_stored_more_than_three_days_late() {
    let mut on_time = exited(record(1, 11, 100, true), "2025-01-20", Some(435));
    on_time.created_on = date("2025-01-13");
    on_time.exit_recorded_on = Some(date("2025-01-23"));
    let mut late = exited(record(2, 12, 101, true), "2025-01-20", Some(435));
    late.created_on = date("2025-01-14");
    late.exit_recorded_on = Some(date("2025-01-24"));
    let report = DataQualityReport::check(&[on_time, late], &[]);
    assert_eq!(report.entries_recorded_late, vec![id(2)]);
    assert_eq!(report.exits_recorded_late, vec![id(2)]);
}

#[test]
fn flagged_enrollments_are_listed() {
    let flagged = EnrollmentRecord {
        flagged: true,
        ..record(1, 1, 1, true)
    };
    let report = DataQualityReport::check(&[flagged, record(2, 2, 2, true)], &[]);
    assert_eq!(report.flagged_enrollments, [id(1)]);
}

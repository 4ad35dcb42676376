use std::sync::atomic::{AtomicU64, Ordering};

use uuid::Uuid;

use super::consistency::{check_consistency, BENEFITS, INCOME_SOURCES, INSURANCE};
use super::fields::check_conditional_codes;
use super::stages::{anniversary, near_anniversary};
use super::*;
use crate::dates::Date;
use crate::money::Cents;

fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// Fields read from `entries`, which must all be valid.
fn fields(collection: Collection, entries: &[(&str, Given<'_>)]) -> HudFields {
    let (values, errors) = parse_fields(collection, entries.iter().copied());
    assert!(errors.is_empty(), "{errors:?}");
    values
        .into_iter()
        .filter_map(|(field, value)| value.map(|value| (field, value)))
        .collect()
}

fn problems(collection: Collection, entries: &[(&str, Given<'_>)]) -> Vec<(String, &'static str)> {
    check_consistency(collection, &fields(collection, entries))
        .into_iter()
        .map(|error| (error.field, error.code))
        .collect()
}

fn invalid(field: &str) -> (String, &'static str) {
    (field.to_owned(), "invalid")
}

#[test]
fn every_collection_names_its_file_date_and_fields() {
    for collection in Collection::ALL {
        assert_eq!(Collection::from_name(collection.name()), Some(collection));
        let file = collection.file();
        assert!(
            file.column(collection.date_column()).is_some(),
            "{}",
            file.name
        );
        let fields: Vec<&str> = collection
            .field_columns()
            .map(|column| column.field)
            .collect();
        assert!(!fields.is_empty());
        for excluded in [
            "enrollment_id",
            "personal_id",
            "information_date",
            "event_date",
            "data_collection_stage",
            "date_created",
            "user_id",
            "export_id",
        ] {
            assert!(!fields.contains(&excluded), "{}: {excluded}", file.name);
        }
        assert!(
            !fields.iter().any(|field| field.ends_with("_id")),
            "{}: {fields:?}",
            file.name
        );
        // Each field is found by its name, and no other column is.
        for column in collection.field_columns() {
            let found = collection.field(column.field).expect("a field");
            assert!(std::ptr::eq(found, column), "{}", column.field);
        }
        for column in file.columns {
            if !fields.contains(&column.field) {
                assert!(collection.field(column.field).is_none(), "{}", column.field);
            }
        }
    }
    assert!(Collection::IncomeBenefits.has_stage());
    assert!(Collection::Disabilities.has_stage());
    assert!(Collection::YouthEducationStatuses.has_stage());
    assert!(!Collection::CurrentLivingSituations.has_stage());
    assert!(!Collection::Events.has_stage());
    assert_eq!(Collection::Events.date_column(), "EventDate");
    // Every field the consistency rules name is one of the file's.
    for (source, amount) in INCOME_SOURCES {
        assert!(
            Collection::IncomeBenefits.field(source).is_some(),
            "{source}"
        );
        assert!(
            Collection::IncomeBenefits.field(amount).is_some(),
            "{amount}"
        );
    }
    for field in BENEFITS.iter().chain(&INSURANCE) {
        assert!(Collection::IncomeBenefits.field(field).is_some(), "{field}");
    }
    for collection in Collection::ALL {
        for rule in consistency::dependent_fields(collection) {
            assert!(collection.field(rule.field).is_some(), "{}", rule.field);
            assert!(collection.field(rule.when).is_some(), "{}", rule.when);
        }
    }
}

#[test]
fn fields_are_read_by_their_column_type() {
    let (values, errors) = parse_fields(
        Collection::IncomeBenefits,
        [
            ("income_from_any_source", Given::Integer(1)),
            ("earned_amount", Given::Number(1250.5)),
            ("ssi_amount", Given::Integer(300)),
            ("other_income_source_identify", Given::Text("Odd jobs")),
            ("medicaid", Given::Null),
        ],
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(values["income_from_any_source"], Some(HudValue::Integer(1)));
    assert_eq!(
        values["earned_amount"],
        Some(HudValue::Money(Cents::from(125_050)))
    );
    assert_eq!(
        values["ssi_amount"],
        Some(HudValue::Money(Cents::from(30_000)))
    );
    assert_eq!(values["medicaid"], None);

    let (_, errors) = parse_fields(
        Collection::IncomeBenefits,
        [
            ("income_from_any_source", Given::Integer(2)), // not on 1.8
            ("earned", Given::Integer(8)),                 // not on 1.7 NoYesMissing
            ("earned_amount", Given::Number(-1.0)),        // negative
            ("ssi_amount", Given::Number(10.005)),         // three decimals
            ("snap", Given::Text("1")),                    // text for a code
            ("other_income_source_identify", Given::Text(&"x".repeat(51))), // S50
            ("colour", Given::Text("red")),                // no such column
            ("medicare", Given::Integer(i64::from(i32::MAX) + 1)), // beyond an integer
            ("wic", Given::Bool(true)),
            ("connection_with_soar", Given::Composite),
        ],
    );
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|error| (error.field.as_str(), error.code))
        .collect();
    assert_eq!(
        found,
        [
            ("income_from_any_source", "invalid"),
            ("earned", "invalid"),
            ("earned_amount", "invalid"),
            ("ssi_amount", "invalid"),
            ("snap", "invalid"),
            ("other_income_source_identify", "invalid"),
            ("colour", "unknown_field"),
            ("medicare", "invalid"),
            ("wic", "invalid"),
            ("connection_with_soar", "invalid"),
        ]
    );
    assert!(
        errors[0].message.contains("HUD list 1.8"),
        "{}",
        errors[0].message
    );

    // Dates and blank text.
    let (values, errors) = parse_fields(
        Collection::HealthAndDv,
        [
            ("due_date", Given::Text("2026-03-01")),
            ("when_occurred", Given::Text("  ")),
        ],
    );
    assert_eq!(values["due_date"], Some(HudValue::Date(day("2026-03-01"))));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "when_occurred");
    let (_, errors) = parse_fields(
        Collection::HealthAndDv,
        [("due_date", Given::Text("2026-02-30"))],
    );
    assert_eq!(errors[0].field, "due_date");
}

#[test]
fn income_sources_agree_with_income_from_any_source_and_the_total() {
    use Given::{Integer as I, Number as N};
    let ib = Collection::IncomeBenefits;
    // 4.02: a complete "yes": two sources, the total their sum.
    let yes = [
        ("income_from_any_source", I(1)),
        ("earned", I(1)),
        ("earned_amount", N(1200.25)),
        ("ssi", I(1)),
        ("ssi_amount", I(300)),
        ("unemployment", I(0)),
        ("total_monthly_income", N(1500.25)),
    ];
    assert_eq!(problems(ib, &yes), []);
    // "Yes" without a paid source; an amount of 0 does not count.
    assert_eq!(
        problems(
            ib,
            &[
                ("income_from_any_source", I(1)),
                ("earned", I(1)),
                ("earned_amount", I(0)),
                ("total_monthly_income", I(0))
            ]
        ),
        [invalid("income_from_any_source")]
    );
    // A source at 1 needs its amount; a source at 0 has none.
    assert_eq!(
        problems(
            ib,
            &[
                ("income_from_any_source", I(1)),
                ("earned", I(1)),
                ("ssi", I(0)),
                ("ssi_amount", I(10)),
                ("total_monthly_income", I(0))
            ]
        ),
        [
            ("earned_amount".to_owned(), "required"),
            invalid("ssi_amount"),
            invalid("income_from_any_source"),
        ]
    );
    // The total is the sum, and required with a "yes".
    assert_eq!(
        problems(
            ib,
            &[
                ("income_from_any_source", I(1)),
                ("pension", I(1)),
                ("pension_amount", I(700)),
                ("total_monthly_income", I(699))
            ]
        ),
        [invalid("total_monthly_income")]
    );
    assert_eq!(
        problems(
            ib,
            &[
                ("income_from_any_source", I(1)),
                ("pension", I(1)),
                ("pension_amount", I(700))
            ]
        ),
        [("total_monthly_income".to_owned(), "required")]
    );
    // "No" (and 8, 9, 99) names no source at 1.
    for answer in [0, 8, 9, 99] {
        assert_eq!(
            problems(
                ib,
                &[
                    ("income_from_any_source", I(answer)),
                    ("alimony", I(1)),
                    ("alimony_amount", I(50)),
                    ("total_monthly_income", I(50))
                ]
            ),
            [invalid("alimony")],
            "{answer}"
        );
    }
    assert_eq!(
        problems(ib, &[("income_from_any_source", I(0)), ("earned", I(0))]),
        []
    );
    // The other source's description goes with it.
    assert_eq!(
        problems(
            ib,
            &[
                ("income_from_any_source", I(1)),
                ("other_income_source", I(1)),
                ("other_income_amount", I(40)),
                ("total_monthly_income", I(40))
            ]
        ),
        [("other_income_source_identify".to_owned(), "required")]
    );
    assert_eq!(
        problems(
            ib,
            &[("other_income_source_identify", Given::Text("Odd jobs"))]
        ),
        [invalid("other_income_source_identify")]
    );
}

#[test]
fn benefits_and_insurance_follow_their_any_source_answer() {
    use Given::Integer as I;
    let ib = Collection::IncomeBenefits;
    assert_eq!(
        problems(ib, &[("benefits_from_any_source", I(1)), ("snap", I(1))]),
        []
    );
    assert_eq!(
        problems(ib, &[("benefits_from_any_source", I(1)), ("snap", I(0))]),
        [invalid("benefits_from_any_source")]
    );
    assert_eq!(
        problems(ib, &[("benefits_from_any_source", I(0)), ("wic", I(1))]),
        [invalid("wic")]
    );
    assert_eq!(
        problems(
            ib,
            &[("insurance_from_any_source", I(1)), ("medicaid", I(1))]
        ),
        []
    );
    assert_eq!(
        problems(ib, &[("insurance_from_any_source", I(1))]),
        [invalid("insurance_from_any_source")]
    );
    assert_eq!(
        problems(
            ib,
            &[("insurance_from_any_source", I(99)), ("medicare", I(1))]
        ),
        [invalid("medicare")]
    );
}

#[test]
fn dependent_fields_of_the_other_files() {
    use Given::{Integer as I, Text as T};
    assert_eq!(
        problems(
            Collection::HealthAndDv,
            &[
                ("domestic_violence_survivor", I(1)),
                ("when_occurred", I(1)),
                ("currently_fleeing", I(0))
            ]
        ),
        []
    );
    assert_eq!(
        problems(
            Collection::HealthAndDv,
            &[
                ("domestic_violence_survivor", I(0)),
                ("currently_fleeing", I(0))
            ]
        ),
        [invalid("currently_fleeing")]
    );
    assert_eq!(
        problems(
            Collection::HealthAndDv,
            &[("pregnancy_status", I(0)), ("due_date", T("2026-05-01"))]
        ),
        [invalid("due_date")]
    );
    assert_eq!(
        problems(
            Collection::EmploymentEducation,
            &[("employed", I(0)), ("employment_type", I(1))]
        ),
        [invalid("employment_type")]
    );
    assert_eq!(
        problems(
            Collection::EmploymentEducation,
            &[("employed", I(0)), ("not_employed_reason", I(1))]
        ),
        []
    );
}

#[test]
fn a_disability_response_takes_the_list_of_its_type() {
    use Given::Integer as I;
    let d = Collection::Disabilities;
    // 4.10 substance use (type 10) answers 0-3 (4.10.2); the others 0, 1 (1.8).
    assert_eq!(
        problems(
            d,
            &[
                ("disability_type", I(10)),
                ("disability_response", I(3)),
                ("indefinite_and_impairs", I(1))
            ]
        ),
        []
    );
    let physical = fields(
        d,
        &[("disability_type", I(5)), ("disability_response", I(3))],
    );
    let errors = check_conditional_codes(d, &physical);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "disability_response");
    // Indefinite and impairs only after a yes.
    assert_eq!(
        problems(
            d,
            &[
                ("disability_type", I(5)),
                ("disability_response", I(0)),
                ("indefinite_and_impairs", I(1))
            ]
        ),
        [invalid("indefinite_and_impairs")]
    );
    // W4 details only for HIV/AIDS (8), and the counts only when available.
    assert_eq!(
        problems(
            d,
            &[
                ("disability_type", I(8)),
                ("disability_response", I(1)),
                ("t_cell_count_available", I(1)),
                ("t_cell_count", I(350))
            ]
        ),
        []
    );
    assert_eq!(
        problems(
            d,
            &[
                ("disability_type", I(6)),
                ("disability_response", I(1)),
                ("anti_retroviral", I(1))
            ]
        ),
        [invalid("anti_retroviral")]
    );
    assert_eq!(
        problems(
            d,
            &[
                ("disability_type", I(8)),
                ("disability_response", I(1)),
                ("t_cell_count_available", I(0)),
                ("t_cell_count", I(350))
            ]
        ),
        [invalid("t_cell_count")]
    );
}

#[test]
fn never_null_columns_are_required_of_a_new_record() {
    use super::fields::check_required;
    use Given::Integer as I;
    let required = |collection, entries: &[(&str, Given<'_>)]| -> Vec<String> {
        check_required(collection, &fields(collection, entries))
            .into_iter()
            .map(|error| {
                assert_eq!(error.code, "required");
                error.field
            })
            .collect()
    };
    // DisabilityType and DisabilityResponse; Event's Event; CurrentLivingSituation's own.
    assert_eq!(
        required(Collection::Disabilities, &[("disability_type", I(5))]),
        ["disability_response"]
    );
    assert_eq!(
        required(
            Collection::Disabilities,
            &[("disability_type", I(5)), ("disability_response", I(0))]
        ),
        Vec::<String>::new()
    );
    assert_eq!(required(Collection::Events, &[]), ["event"]);
    assert_eq!(
        required(Collection::CurrentLivingSituations, &[]),
        ["current_living_situation"]
    );
    // Every field of the other files may be empty.
    assert_eq!(
        required(Collection::IncomeBenefits, &[]),
        Vec::<String>::new()
    );
}

fn next_id() -> Uuid {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    Uuid::from_u128(u128::from(NEXT.fetch_add(1, Ordering::Relaxed)))
}

fn record(collection: Collection, date: &str, stage: Option<i32>) -> StageRecord {
    StageRecord {
        id: next_id(),
        collection,
        information_date: day(date),
        stage,
        disability_type: None,
    }
}

fn broken(facts: &RecordFacts, record: &StageRecord, others: &[StageRecord]) -> Vec<&'static str> {
    match check_record_dates(facts, record, others) {
        Ok(()) => Vec::new(),
        Err(violations) => violations
            .all()
            .iter()
            .map(|violation| violation.rule.code())
            .collect(),
    }
}

/// An active enrollment entered 2025-03-10 in a household whose head entered 2025-03-01.
fn active() -> RecordFacts {
    RecordFacts {
        entry_date: day("2025-03-10"),
        exit_date: None,
        head_entry_date: day("2025-03-01"),
    }
}

/// 5.03: only records at project start or exit take a slot; a checker that keeps only those
/// as `others` finds every rule a record breaks, whatever the rest of the enrollment holds.
#[test]
fn only_records_at_start_or_exit_take_a_slot() {
    let ib = Collection::IncomeBenefits;
    let facts = RecordFacts {
        exit_date: Some(day("2025-06-30")),
        ..active()
    };
    let all = [
        record(ib, "2025-03-10", Some(1)),
        record(ib, "2025-04-01", Some(2)),
        record(ib, "2025-06-30", Some(3)),
        record(ib, "2025-05-01", Some(5)),
        record(ib, "2025-05-02", None),
    ];
    let slots: Vec<bool> = all.iter().map(StageRecord::takes_a_slot).collect();
    assert_eq!(slots, [true, false, true, false, false]);
    let kept: Vec<StageRecord> = all
        .iter()
        .copied()
        .filter(StageRecord::takes_a_slot)
        .collect();
    for stage in [Some(1), Some(2), Some(3), Some(5), None] {
        for date in ["2025-03-10", "2025-04-01", "2025-06-30", "2025-07-01"] {
            let next = record(ib, date, stage);
            assert_eq!(
                broken(&facts, &next, &all),
                broken(&facts, &next, &kept),
                "stage {stage:?} on {date}"
            );
        }
    }
    assert_eq!(
        broken(&facts, &record(ib, "2025-06-30", Some(3)), &kept),
        ["record.stage_duplicate"]
    );
}

#[test]
fn project_start_is_the_entry_date_and_once_per_kind() {
    let ib = Collection::IncomeBenefits;
    let start = record(ib, "2025-03-10", Some(1));
    assert_eq!(broken(&active(), &start, &[]), Vec::<&str>::new());
    assert_eq!(
        broken(&active(), &record(ib, "2025-03-11", Some(1)), &[]),
        ["record.stage_date"]
    );
    // A second project-start income record; another kind, or an update, is fine.
    let second = record(ib, "2025-03-10", Some(1));
    assert_eq!(
        broken(&active(), &second, &[start]),
        ["record.stage_duplicate"]
    );
    assert_eq!(
        broken(&active(), &start, &[start]),
        Vec::<&str>::new(),
        "itself"
    );
    assert_eq!(
        broken(
            &active(),
            &record(Collection::HealthAndDv, "2025-03-10", Some(1)),
            &[start]
        ),
        Vec::<&str>::new()
    );
    assert_eq!(
        broken(
            &active(),
            &record(ib, "2025-04-10", Some(2)),
            &[start, record(ib, "2025-04-01", Some(2))]
        ),
        Vec::<&str>::new()
    );
    // Disabilities: one per type at each stage.
    let mut physical = record(Collection::Disabilities, "2025-03-10", Some(1));
    physical.disability_type = Some(5);
    let mut mental = physical;
    mental.id = next_id();
    mental.disability_type = Some(9);
    assert_eq!(broken(&active(), &mental, &[physical]), Vec::<&str>::new());
    let mut physical_again = physical;
    physical_again.id = next_id();
    assert_eq!(
        broken(&active(), &physical_again, &[physical, mental]),
        ["record.stage_duplicate"]
    );
}

#[test]
fn exit_records_need_the_exit_date() {
    let ib = Collection::IncomeBenefits;
    assert_eq!(
        broken(&active(), &record(ib, "2025-06-01", Some(3)), &[]),
        ["record.stage_date"]
    );
    let exited = RecordFacts {
        exit_date: Some(day("2025-06-01")),
        ..active()
    };
    assert_eq!(
        broken(&exited, &record(ib, "2025-06-01", Some(3)), &[]),
        Vec::<&str>::new()
    );
    assert_eq!(
        broken(&exited, &record(ib, "2025-05-31", Some(3)), &[]),
        ["record.stage_date"]
    );
    // The exit day is inside the period, the day after is not.
    assert_eq!(
        broken(&exited, &record(ib, "2025-06-02", Some(2)), &[]),
        ["record.outside_enrollment"]
    );
    assert_eq!(
        broken(&exited, &record(ib, "2025-03-09", Some(2)), &[]),
        ["record.outside_enrollment"]
    );
    assert_eq!(
        broken(
            &exited,
            &record(Collection::Events, "2025-03-10", None),
            &[]
        ),
        Vec::<&str>::new()
    );
    // Reopened and exited again later: the first exit's record no longer counts as one.
    let exited_again = RecordFacts {
        exit_date: Some(day("2025-08-01")),
        ..active()
    };
    let old_exit = record(ib, "2025-06-01", Some(3));
    assert_eq!(
        broken(
            &exited_again,
            &record(ib, "2025-08-01", Some(3)),
            &[old_exit]
        ),
        Vec::<&str>::new()
    );
    // Every broken rule at once, in the table's order.
    let early_exit = record(ib, "2025-03-01", Some(3));
    assert_eq!(
        broken(&exited, &early_exit, &[record(ib, "2025-06-01", Some(3))]),
        [
            "record.stage_duplicate",
            "record.stage_date",
            "record.outside_enrollment"
        ]
    );
}

#[test]
fn annual_assessments_fall_within_30_days_of_the_heads_anniversary() {
    let ib = Collection::IncomeBenefits;
    // The head entered 2025-03-01 (this member on 2025-03-10): 2026-03-01 +- 30 days.
    for (date, ok) in [
        ("2026-01-29", false),
        ("2026-01-30", true),
        ("2026-03-01", true),
        ("2026-03-31", true),
        ("2026-04-01", false),
        ("2025-03-10", false),
        ("2027-03-15", true),
    ] {
        let found = broken(&active(), &record(ib, date, Some(5)), &[]);
        assert_eq!(found.is_empty(), ok, "{date}: {found:?}");
    }
    // 29 February's anniversary is 28 February in other years.
    assert_eq!(anniversary(day("2024-02-29"), 1), Some(day("2025-02-28")));
    assert_eq!(anniversary(day("2024-02-29"), 4), Some(day("2028-02-29")));
    assert!(near_anniversary(day("2024-02-29"), day("2025-03-30")));
    assert!(!near_anniversary(day("2024-02-29"), day("2025-03-31")));
}

/// The rule codes and the collections `check_records_stay` names.
fn moved(before: &RecordFacts, after: &RecordFacts, records: &[StageRecord]) -> Vec<String> {
    match check_records_stay(before, after, records) {
        Ok(()) => Vec::new(),
        Err(violations) => violations
            .all()
            .iter()
            .map(|violation| {
                assert!(
                    records
                        .iter()
                        .any(|record| violation.message.contains(&record.id.to_string())),
                    "names its record: {}",
                    violation.message
                );
                format!(
                    "{} {}",
                    violation.rule.code(),
                    violation.field.unwrap_or("")
                )
            })
            .collect(),
    }
}

#[test]
fn a_project_start_record_keeps_the_entry_date_from_moving() {
    let start = record(Collection::IncomeBenefits, "2025-03-10", Some(1));
    let update = record(Collection::IncomeBenefits, "2025-04-10", Some(2));
    let contact = record(Collection::CurrentLivingSituations, "2025-03-12", None);
    let before = active();
    for entry in ["2025-03-09", "2025-03-11", "2025-02-01"] {
        let after = RecordFacts {
            entry_date: day(entry),
            ..before
        };
        assert_eq!(
            moved(&before, &after, &[start, update, contact]),
            ["record.stage_date income_benefits"],
            "entry moved to {entry}"
        );
        // Without a project-start record the rule has nothing to say (the period rule
        // keeps the others inside).
        assert_eq!(
            moved(&before, &after, &[update, contact]),
            Vec::<String>::new()
        );
    }
    // Not moved: nothing to say.
    assert_eq!(moved(&before, &before, &[start]), Vec::<String>::new());
    // Every project-start record is named, a disability per type.
    let mut physical = record(Collection::Disabilities, "2025-03-10", Some(1));
    physical.disability_type = Some(5);
    let later = RecordFacts {
        entry_date: day("2025-03-11"),
        ..before
    };
    assert_eq!(
        moved(&before, &later, &[start, physical]),
        [
            "record.stage_date income_benefits",
            "record.stage_date disabilities"
        ]
    );
}

#[test]
fn a_heads_move_keeps_annual_assessments_near_their_anniversary() {
    // The head entered 2025-03-01: an assessment on 2026-03-25 is 24 days after the
    // anniversary; the head's entry moved to 2025-02-15 would leave it 38 days after.
    let annual = record(Collection::IncomeBenefits, "2026-03-25", Some(5));
    let member = active();
    let head_moved = RecordFacts {
        head_entry_date: day("2025-02-15"),
        ..member
    };
    assert_eq!(
        moved(&member, &head_moved, &[annual]),
        ["record.stage_date income_benefits"]
    );
    let head_moved_a_little = RecordFacts {
        head_entry_date: day("2025-02-25"),
        ..member
    };
    assert_eq!(
        moved(&member, &head_moved_a_little, &[annual]),
        Vec::<String>::new()
    );
}

#[test]
fn a_record_that_broke_its_rule_before_the_move_is_left_to_its_flag() {
    // An imported project-start record dated after the entry date: moving the entry date
    // elsewhere does not add a violation that was there already.
    let flagged = record(Collection::IncomeBenefits, "2025-03-20", Some(1));
    let before = active();
    let after = RecordFacts {
        entry_date: day("2025-03-05"),
        ..before
    };
    assert_eq!(moved(&before, &after, &[flagged]), Vec::<String>::new());
    // Exit records of a reopened enrollment (no exit date) are not the move's to judge.
    let old_exit = record(Collection::IncomeBenefits, "2025-06-01", Some(3));
    assert_eq!(moved(&before, &after, &[old_exit]), Vec::<String>::new());
}

fn member(relationship: i32, entry: &str) -> crate::enrollment::EnrollmentFacts {
    crate::enrollment::EnrollmentFacts {
        id: next_id(),
        client_id: next_id(),
        program_id: Uuid::nil(),
        household_id: Uuid::nil(),
        relationship: crate::codes::RelationshipToHoh::try_from(relationship).expect("a code"),
        period: crate::dates::Period::new(day(entry), None),
        move_in_date: None,
    }
}

#[test]
fn a_heads_entry_move_is_held_to_every_members_records() {
    let head = member(1, "2025-03-01");
    let child = member(2, "2025-03-10");
    let head_start = record(Collection::IncomeBenefits, "2025-03-01", Some(1));
    let child_start = record(Collection::HealthAndDv, "2025-03-10", Some(1));
    // 24 days after the head's first anniversary.
    let child_annual = record(Collection::HealthAndDv, "2026-03-25", Some(5));
    let records = [
        (head.id, head_start),
        (child.id, child_start),
        (child.id, child_annual),
    ];
    let mut earlier = head.clone();
    earlier.period.entry = day("2025-02-15");
    let found =
        check_household_records_stay(&head, &earlier, std::slice::from_ref(&child), &records)
            .expect_err("two records would no longer be dated as their stages ask");
    let named: Vec<Uuid> = [head_start, child_annual]
        .iter()
        .filter(|record| {
            found
                .all()
                .iter()
                .any(|violation| violation.message.contains(&record.id.to_string()))
        })
        .map(|record| record.id)
        .collect();
    assert_eq!(named, [head_start.id, child_annual.id], "{found:?}");
    assert_eq!(
        found.all().len(),
        2,
        "the child's project start stays: {found:?}"
    );
    // Without the head's project-start record, a small move keeps the child's assessment
    // within its window.
    let mut a_little = head.clone();
    a_little.period.entry = day("2025-02-25");
    assert_eq!(
        check_household_records_stay(
            &head,
            &a_little,
            std::slice::from_ref(&child),
            &records[1..]
        ),
        Ok(())
    );
    // A member's move is held to its own records only: the head's anniversary stays.
    let mut child_later = child.clone();
    child_later.period.entry = day("2025-03-12");
    let found = check_household_records_stay(&child, &child_later, &[head], &records)
        .expect_err("the child's project start");
    assert_eq!(found.all().len(), 1, "{found:?}");
    assert!(found.all()[0].message.contains(&child_start.id.to_string()));
    // A household without a head counts a member's anniversaries from its own entry.
    assert_eq!(
        RecordFacts::of_member(&child, &[]).head_entry_date,
        day("2025-03-10")
    );
}

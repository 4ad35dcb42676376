//! The seeded HUD records, checked without a database: every record read back from what is
//! stored and held to the rules the API applies to a request's, records of every collection
//! and stage, every drawn code in its list, and completeness finding the gaps and only them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use threshold_domain::applicability::{self, completeness, Collection as Collected, Stage};
use threshold_domain::hud_fields::FieldSet;
use threshold_domain::hud_records::consistency::check_consistency;
use threshold_domain::hud_records::fields::{check_conditional_codes, check_required};
use threshold_domain::hud_records::{
    check_record_dates, parse_fields, Collection, Given, HudFields, RecordFacts,
};
use threshold_domain::Date;
use threshold_persistence::completeness::{household as stored_household, MemberRows};
use threshold_persistence::ids::{EnrollmentId, HouseholdId};
use threshold_persistence::rows::{AnyHudRecord, EnrollmentRow};

use super::answers::{Answers, Person, Profile};
use super::tables::*;
use crate::seed::chance::Chance;
use crate::seed::{Batch, Generator, Options, Reference};
use crate::usecases::hud_records::{given, DISABILITY_TYPE};

fn today() -> Date {
    Date::from_ymd(2026, 6, 15).unwrap()
}

fn generate(clients: u32, random_seed: u64, today: Date) -> (Reference, Vec<Batch>) {
    let options = Options {
        clients,
        random_seed,
        today,
        busiest_program_percent: None,
    };
    let at = today.naive().and_hms_opt(12, 0, 0).unwrap();
    let mut generator = Generator::new(&options, at);
    let mut batches = Vec::new();
    while let Some(batch) = generator.next_batch() {
        batches.push(batch);
    }
    (generator.reference, batches)
}

fn enrollments(batches: &[Batch]) -> HashMap<EnrollmentId, &EnrollmentRow> {
    batches
        .iter()
        .flat_map(|batch| &batch.enrollments)
        .map(|row| (row.id, row))
        .collect()
}

fn records(batches: &[Batch]) -> impl Iterator<Item = &AnyHudRecord> {
    batches.iter().flat_map(|batch| &batch.hud_records)
}

/// Each household's head's entry date.
fn head_entries(batches: &[Batch]) -> HashMap<HouseholdId, Date> {
    batches
        .iter()
        .flat_map(|batch| &batch.enrollments)
        .filter(|row| row.relationship_to_hoh == 1)
        .map(|row| (row.household_id, row.entry_date.into()))
        .collect()
}

/// A stored record's fields as a request would give them, with every problem the API
/// would answer for them.
fn read_back(record: &AnyHudRecord) -> (HudFields, Vec<String>) {
    let collection = record.collection;
    let kind = record.disability_type.map(serde_json::Value::from);
    let entries = record
        .fields
        .as_map()
        .iter()
        .map(|(name, value)| (name.as_str(), given(value)))
        .chain(kind.as_ref().map(|kind| (DISABILITY_TYPE, given(kind))));
    let (values, errors) = parse_fields(collection, entries);
    let fields: HudFields = values
        .into_iter()
        .filter_map(|(field, value)| value.map(|value| (field, value)))
        .collect();
    let problems = errors
        .into_iter()
        .chain(check_required(collection, &fields))
        .chain(check_consistency(collection, &fields))
        .map(|error| format!("{}: {}", error.field, error.message))
        .collect();
    (fields, problems)
}

#[test]
fn every_record_keeps_the_rules_the_api_applies_to_a_request() {
    let (_, batches) = generate(3_000, 7, today());
    let stays = enrollments(&batches);
    let heads = head_entries(&batches);
    let mut by_enrollment: HashMap<EnrollmentId, Vec<&AnyHudRecord>> = HashMap::new();
    for record in records(&batches) {
        by_enrollment
            .entry(record.enrollment_id)
            .or_default()
            .push(record);
    }
    let mut checked = 0;
    for (enrollment_id, records) in &by_enrollment {
        let stay = stays[enrollment_id];
        let facts = RecordFacts {
            entry_date: stay.entry_date.into(),
            exit_date: stay.exit_date.map(Into::into),
            head_entry_date: heads[&stay.household_id],
        };
        let stages: Vec<_> = records.iter().map(|record| record.stage_record()).collect();
        for record in records {
            let (_, problems) = read_back(record);
            assert!(problems.is_empty(), "{record:?}: {problems:?}");
            let collection = record.collection;
            assert_eq!(
                collection.has_stage(),
                record.data_collection_stage.is_some()
            );
            if let Some(stage) = record.data_collection_stage {
                assert!([1, 2, 3, 5].contains(&stage), "{record:?}");
            }
            assert_eq!(
                record.disability_type.is_some(),
                collection == Collection::Disabilities
            );
            assert!(Date::from(record.information_date) <= today());
            // The stage and date rules, among every other record of the stay.
            let verdict = check_record_dates(&facts, &record.stage_record(), &stages);
            assert!(verdict.is_ok(), "{record:?}: {verdict:?}");
            assert_eq!(record.version, 1);
            assert_eq!(record.created_by, stay.created_by);
            checked += 1;
        }
    }
    assert!(checked > 20_000, "{checked} records");
}

#[test]
fn records_of_every_collection_at_every_stage_even_in_a_small_seed() {
    // As small as the end-to-end tests' seed, on several days and seeds.
    for (random_seed, day) in [(5, "2026-06-15"), (6, "2026-01-31"), (17, "2027-03-01")] {
        for random_seed in [random_seed, random_seed + 100] {
            let (_, batches) = generate(200, random_seed, Date::parse(day).unwrap());
            let mut found: BTreeSet<(Collection, Option<i32>)> = BTreeSet::new();
            for record in records(&batches) {
                found.insert((record.collection, record.data_collection_stage));
            }
            let collections: BTreeSet<Collection> = found.iter().map(|(c, _)| *c).collect();
            assert_eq!(
                collections,
                Collection::ALL.into_iter().collect(),
                "seed {random_seed} on {day}"
            );
            let stages: BTreeSet<i32> = found.iter().filter_map(|(_, stage)| *stage).collect();
            assert_eq!(
                stages,
                BTreeSet::from([1, 2, 3, 5]),
                "seed {random_seed} on {day}"
            );
        }
    }
}

#[test]
fn completeness_finds_the_gaps_and_nothing_else_of_the_records() {
    let (reference, batches) = generate(3_000, 11, today());
    let funders: HashMap<_, i32> = reference
        .grants
        .iter()
        .map(|grant| (grant.id, grant.funder))
        .collect();
    let project_types: HashMap<_, _> = reference
        .programs
        .iter()
        .map(|program| (program.row.id, program.row.project_type))
        .collect();
    let clients: HashMap<_, _> = batches
        .iter()
        .flat_map(|batch| &batch.clients)
        .map(|client| (client.id, client))
        .collect();
    let mut records_of: HashMap<EnrollmentId, Vec<&AnyHudRecord>> = HashMap::new();
    for record in records(&batches) {
        records_of
            .entry(record.enrollment_id)
            .or_default()
            .push(record);
    }
    let mut households: BTreeMap<HouseholdId, Vec<&EnrollmentRow>> = BTreeMap::new();
    for row in batches.iter().flat_map(|batch| &batch.enrollments) {
        households.entry(row.household_id).or_default().push(row);
    }
    let (mut with_records, mut with_gaps) = (0, 0);
    for members in households.values() {
        // Read as the stored rows are read (`completeness::household`).
        let rows: Vec<MemberRows<'_>> = members
            .iter()
            .map(|row| MemberRows {
                enrollment: row,
                client: clients[&row.client_id],
                funder: row.grant_id.map(|id| funders[&id]),
                records: records_of
                    .get(&row.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            })
            .collect();
        let household =
            stored_household(project_types[&members[0].program_id], today(), &rows).unwrap();
        let verdict = completeness(&household);
        for member in &household.members {
            let staged_records = records_of
                .get(&EnrollmentId::from(member.enrollment_id))
                .is_some_and(|records| {
                    records
                        .iter()
                        .any(|record| record.data_collection_stage.is_some())
                });
            if !staged_records {
                continue;
            }
            with_records += 1;
            // Only what the records hold: gaps in the client's and the enrollment's fields
            // are not the records' to find.
            let gaps = verdict.missing.iter().any(|missing| {
                missing.enrollment_id == member.enrollment_id
                    && applicability::row(missing.element)
                        .is_some_and(|row| row.file.record_collection().is_some())
            });
            with_gaps += usize::from(gaps);
        }
    }
    let share = with_gaps as f64 / f64::from(with_records);
    assert!(with_records > 3_000, "{with_records}");
    assert!(
        (0.03..=0.15).contains(&share),
        "{with_gaps} of {with_records}"
    );
}

#[test]
fn every_element_of_a_record_file_is_answered() {
    let mut chance = Chance::new(3, 0);
    let entry = today();
    let person = Person {
        age: Some(30),
        female: true,
        veteran: true,
    };
    for row in applicability::rows() {
        let (Some(_), Collected::Stages(_)) = (row.file.record_collection(), row.collection) else {
            continue;
        };
        let profile = Profile::draw(&mut chance, person, entry, Some(1), true);
        let mut answers = Answers::new();
        profile.answer(row.element, &mut answers);
        for field in row.fields {
            assert!(
                answers.iter().any(|(answered, _)| answered == field),
                "{}: {field}",
                row.element
            );
        }
    }
}

#[test]
fn every_drawn_code_is_a_code_of_its_field() {
    fn all(collection: Collection, field: &str, table: &[(i32, u32)]) {
        for (code, _) in table {
            let (_, errors) = parse_fields(collection, [(field, Given::Integer(i64::from(*code)))]);
            assert!(errors.is_empty(), "{field}: {errors:?}");
        }
    }
    use Collection::*;
    all(IncomeBenefits, "income_from_any_source", ANY_INCOME);
    all(IncomeBenefits, "benefits_from_any_source", ANY_BENEFITS);
    all(IncomeBenefits, "insurance_from_any_source", ANY_INSURANCE);
    all(IncomeBenefits, "connection_with_soar", SOAR);
    all(IncomeBenefits, "no_adap_reason", NO_ASSISTANCE_REASON);
    all(HealthAndDv, "when_occurred", WHEN_OCCURRED);
    all(HealthAndDv, "currently_fleeing", FLEEING);
    all(HealthAndDv, "general_health_status", HEALTH_STATUS);
    all(EmploymentEducation, "last_grade_completed", LAST_GRADE);
    all(EmploymentEducation, "school_status", SCHOOL_STATUS);
    all(
        YouthEducationStatuses,
        "most_recent_ed_status",
        MOST_RECENT_EDUCATION,
    );
    all(
        YouthEducationStatuses,
        "current_ed_status",
        CURRENT_EDUCATION,
    );
    all(
        CurrentLivingSituations,
        "current_living_situation",
        OUTREACH_SITUATIONS,
    );
    all(
        CurrentLivingSituations,
        "current_living_situation",
        CONTACT_SITUATIONS,
    );
    all(CurrentLivingSituations, "cls_subsidy_type", CLS_SUBSIDIES);
    all(Events, "event", EVENTS);
    let results: Vec<_> = REFERRAL_RESULTS
        .iter()
        .copied()
        .filter(|(code, _)| *code != 0)
        .collect();
    all(Events, "referral_result", &results);
    for source in INCOME {
        assert!(
            IncomeBenefits.field(source.field).is_some(),
            "{}",
            source.field
        );
    }
    // A disability's answer takes the list of its type.
    for kind in super::answers::DISABILITY_TYPES {
        for child in [false, true] {
            for (code, _) in disability_responses(kind, child) {
                let entries = [
                    ("disability_type", Given::Integer(i64::from(kind))),
                    ("disability_response", Given::Integer(i64::from(*code))),
                ];
                let (values, errors) = parse_fields(Disabilities, entries);
                assert!(errors.is_empty(), "{errors:?}");
                let fields: HudFields = values
                    .into_iter()
                    .filter_map(|(field, value)| value.map(|value| (field, value)))
                    .collect();
                assert_eq!(
                    check_conditional_codes(Disabilities, &fields),
                    [],
                    "{kind}: {code}"
                );
            }
        }
    }
    // The stages the records are made at are HUD's.
    for stage in [
        Stage::ProjectStart,
        Stage::Update,
        Stage::ProjectExit,
        Stage::AnnualAssessment,
    ] {
        assert!(threshold_domain::codes::HudList::DataCollectionStage.is_valid(stage.code()));
    }
}

//! The generated data, checked without a database: every enrollment replayed through the
//! domain's rules in the order of entry, every dated record against its stay, every code
//! against its HUD list, and the same seed giving the same rows.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use threshold_domain::codes::{
    Destination, LengthOfStay, NoYesMissing, PriorLivingSituation, RelationshipToHoh,
    RentalSubsidyType, ServiceRecordType,
};
use threshold_domain::enrollment::{
    enroll, EnrollContext, EnrollmentFacts, GrantFacts, NewEnrollment, ProgramFacts,
};
use threshold_domain::household::Household;
use threshold_domain::lifecycle::exit;
use threshold_domain::records::{
    check_service_date, check_type_provided, link_assessment, AssessmentFacts,
};
use threshold_domain::{Date, DateRange, Period};
use threshold_persistence::ids::{ClientId, EnrollmentId, HouseholdId, ProgramId};
use uuid::Uuid;

use super::{Batch, Generator, Options, Reference, BATCH_CLIENTS};

fn today() -> Date {
    Date::from_ymd(2026, 6, 15).unwrap()
}

fn at() -> NaiveDateTime {
    today().naive().and_hms_opt(12, 0, 0).unwrap()
}

fn generate(clients: u32, random_seed: u64) -> (Reference, Vec<Batch>) {
    generate_with(&Options {
        clients,
        random_seed,
        today: today(),
        busiest_program_percent: None,
    })
}

fn generate_with(options: &Options) -> (Reference, Vec<Batch>) {
    let mut generator = Generator::new(options, at());
    let mut batches = Vec::new();
    while let Some(batch) = generator.next_batch() {
        batches.push(batch);
    }
    (generator.reference, batches)
}

fn period(row: &threshold_persistence::rows::EnrollmentRow) -> Period {
    Period::new(row.entry_date.into(), row.exit_date.map(Into::into))
}

#[test]
fn every_enrollment_keeps_the_rules_when_replayed_in_order_of_entry() {
    let (reference, batches) = generate(3_000, 7);
    replay_in_order_of_entry(&reference, &batches);
}

#[test]
fn one_program_takes_the_share_of_the_stays_asked_for_keeping_every_rule() {
    let options = Options {
        clients: 3_000,
        random_seed: 7,
        today: today(),
        busiest_program_percent: Some(70),
    };
    let (reference, batches) = generate_with(&options);
    replay_in_order_of_entry(&reference, &batches);
    let busiest = reference.programs[0].row.id;
    let enrollments: Vec<_> = batches
        .iter()
        .flat_map(|batch| &batch.enrollments)
        .collect();
    let in_busiest = enrollments
        .iter()
        .filter(|row| row.program_id == busiest)
        .count();
    let share = in_busiest as f64 / enrollments.len() as f64;
    assert!((0.65..=0.75).contains(&share), "{share}");
    // The other programs keep some stays, and the rest of the data is as without the option.
    let (plain_reference, _) = generate(3_000, 7);
    assert_eq!(reference.rows(), plain_reference.rows());
    assert!(enrollments.iter().any(|row| row.program_id != busiest));
}

/// Replays every enrollment through the domain's rules, in order of entry.
fn replay_in_order_of_entry(reference: &Reference, batches: &[Batch]) {
    let programs: HashMap<Uuid, ProgramFacts> = reference
        .programs
        .iter()
        .map(|program| {
            let facts = ProgramFacts {
                id: program.row.id.uuid(),
                project_type: program.project_type,
                operating: DateRange {
                    start: program.row.operating_start_date.into(),
                    end: program.row.operating_end_date.map(Into::into),
                },
                capacity: program.row.capacity,
            };
            (facts.id, facts)
        })
        .collect();
    let grants: HashMap<Uuid, GrantFacts> = reference
        .grants
        .iter()
        .map(|grant| {
            let facts = GrantFacts {
                id: grant.id.uuid(),
                program_id: grant.program_id.uuid(),
                term: DateRange {
                    start: grant.start_date.into(),
                    end: grant.end_date.map(Into::into),
                },
            };
            (facts.id, facts)
        })
        .collect();
    let clients: HashMap<ClientId, Option<Date>> = batches
        .iter()
        .flat_map(|batch| &batch.clients)
        .map(|client| (client.id, client.dob.map(Into::into)))
        .collect();
    let mut enrollments: Vec<_> = batches
        .iter()
        .flat_map(|batch| &batch.enrollments)
        .collect();
    // Heads enter before the members who enter the same day.
    enrollments.sort_by_key(|row| (row.entry_date, row.relationship_to_hoh != 1));
    let mut stays: HashMap<(ClientId, ProgramId), Vec<EnrollmentFacts>> = HashMap::new();
    let mut households: HashMap<HouseholdId, Vec<EnrollmentFacts>> = HashMap::new();
    for row in &enrollments {
        let entry: Date = row.entry_date.into();
        let relationship = RelationshipToHoh::try_from(row.relationship_to_hoh).unwrap();
        let new = NewEnrollment {
            client_id: row.client_id.uuid(),
            program_id: row.program_id.uuid(),
            relationship,
            entry_date: entry,
            move_in_date: row.move_in_date.map(Into::into),
        };
        // The household as it stood that day: only exits before it had happened.
        let household = households.get(&row.household_id).map(|members| Household {
            id: row.household_id.uuid(),
            program_id: row.program_id.uuid(),
            members: members
                .iter()
                .map(|member| EnrollmentFacts {
                    period: Period::new(
                        member.period.entry,
                        member.period.exit.filter(|exit| *exit < entry),
                    ),
                    ..member.clone()
                })
                .collect(),
        });
        let earlier = stays.entry((row.client_id, row.program_id)).or_default();
        let verdict = enroll(
            &new,
            &EnrollContext {
                program: &programs[&new.program_id],
                grant: row.grant_id.map(|id| &grants[&id.uuid()]),
                client_dob: clients[&row.client_id],
                client_enrollments_in_program: earlier,
                active_in_program: 0,
                household: household.as_ref(),
            },
        );
        assert!(verdict.is_ok(), "{row:?}: {verdict:?}");
        let facts = EnrollmentFacts {
            id: row.id.uuid(),
            client_id: new.client_id,
            program_id: new.program_id,
            household_id: row.household_id.uuid(),
            relationship,
            period: Period::new(entry, None),
            move_in_date: new.move_in_date,
        };
        if let Some(exit_date) = row.exit_date {
            let exited = exit(&facts, &[], exit_date.into(), false);
            assert!(exited.is_ok(), "{row:?}: {exited:?}");
            assert!(exit_date <= today().naive());
        }
        let facts = EnrollmentFacts {
            period: period(row),
            ..facts
        };
        earlier.push(facts.clone());
        households.entry(row.household_id).or_default().push(facts);
    }
    for members in households.values() {
        let heads: Vec<_> = members.iter().filter(|member| member.is_head()).collect();
        assert_eq!(heads.len(), 1, "{members:?}");
        assert!(members.len() <= 6);
        if let Some(head_exit) = heads[0].period.exit {
            for member in members {
                let member_exit = member.period.exit.expect("members leave with the head");
                assert!(member_exit <= head_exit, "{members:?}");
            }
        }
    }
}

#[test]
fn services_and_assessments_fall_within_their_stay() {
    let (_, batches) = generate(2_000, 11);
    let stays: HashMap<EnrollmentId, (ClientId, Period)> = batches
        .iter()
        .flat_map(|batch| &batch.enrollments)
        .map(|row| (row.id, (row.client_id, period(row))))
        .collect();
    let mut services = 0;
    for service in batches.iter().flat_map(|batch| &batch.services) {
        let (_, stay) = stays[&service.enrollment_id];
        assert!(check_service_date(&stay, service.date_provided.into()).is_ok());
        assert!(service.date_provided <= today().naive());
        let record_type = ServiceRecordType::try_from(service.record_type).unwrap();
        assert_eq!(
            check_type_provided("type_provided", record_type, service.type_provided),
            None,
            "a seeded service of a type its record type does not take"
        );
        services += 1;
    }
    let mut assessments = 0;
    for assessment in batches.iter().flat_map(|batch| &batch.assessments) {
        let enrollment_id = assessment.enrollment_id.unwrap();
        let (client_id, stay) = stays[&enrollment_id];
        let facts = AssessmentFacts {
            id: assessment.id.uuid(),
            client_id: assessment.client_id.uuid(),
            enrollment_id: Some(enrollment_id.uuid()),
            date: assessment.assessment_date.into(),
        };
        let enrollment = EnrollmentFacts {
            id: enrollment_id.uuid(),
            client_id: client_id.uuid(),
            program_id: Uuid::nil(),
            household_id: Uuid::nil(),
            relationship: RelationshipToHoh::SELF_HEAD,
            period: stay,
            move_in_date: None,
        };
        assert!(link_assessment(&facts, &enrollment).is_ok());
        assert!(assessment.assessment_date <= today().naive());
        let answers: serde_json::Value = serde_json::from_str(&assessment.answers).unwrap();
        assert!(answers
            .as_array()
            .is_some_and(|answers| !answers.is_empty()));
        assessments += 1;
    }
    assert!(
        services > 2_000 && assessments > 300,
        "{services} {assessments}"
    );
}

#[test]
fn codes_come_from_the_hud_lists() {
    let (_, batches) = generate(2_000, 3);
    let mut destinations = BTreeMap::new();
    for row in batches.iter().flat_map(|batch| &batch.enrollments) {
        if let Some(code) = row.destination {
            let destination = Destination::try_from(code).unwrap();
            *destinations.entry(code).or_insert(0) += 1;
            assert_eq!(
                row.destination_subsidy_type.is_some(),
                destination == Destination::RENTAL_WITH_ONGOING_SUBSIDY
            );
            assert_eq!(
                row.other_destination.is_some(),
                destination == Destination::OTHER
            );
        }
        if let Some(code) = row.destination_subsidy_type {
            RentalSubsidyType::try_from(code).unwrap();
        }
        NoYesMissing::try_from(row.disabling_condition.unwrap()).unwrap();
        PriorLivingSituation::try_from(row.prior_living_situation.unwrap()).unwrap();
        LengthOfStay::try_from(row.length_of_stay.unwrap()).unwrap();
        if let Some(coc) = &row.enrollment_coc {
            threshold_domain::enrollment::CocCode::parse(coc).unwrap();
        }
    }
    assert!(destinations.len() > 20, "{destinations:?}");
}

#[test]
fn about_three_enrollments_per_client_some_still_active() {
    let (_, batches) = generate(5_000, 1);
    let clients: usize = batches.iter().map(|batch| batch.clients.len()).sum();
    let enrollments: Vec<_> = batches
        .iter()
        .flat_map(|batch| &batch.enrollments)
        .collect();
    let active = enrollments
        .iter()
        .filter(|row| row.exit_date.is_none())
        .count();
    assert_eq!(clients, 5_000);
    let per_client = enrollments.len() as f64 / clients as f64;
    assert!((2.6..=3.4).contains(&per_client), "{per_client}");
    let active_share = active as f64 / enrollments.len() as f64;
    assert!((0.04..=0.25).contains(&active_share), "{active_share}");
    assert!(batches
        .iter()
        .all(|batch| batch.clients.len() <= BATCH_CLIENTS as usize));
}

#[test]
fn the_same_seed_gives_the_same_rows() {
    let (first_reference, first) = generate(1_200, 99);
    let (second_reference, second) = generate(1_200, 99);
    assert_eq!(first_reference.rows(), second_reference.rows());
    assert_eq!(first, second);
    let (_, other) = generate(1_200, 100);
    assert_ne!(first, other);
}

#[test]
fn every_weighted_table_holds_codes_of_its_list() {
    use threshold_domain::codes::{CodeList, FundingSource, ProjectType};

    use super::names::{DESTINATIONS, LENGTHS_OF_STAY, PRIOR_LIVING, SUBSIDIES};
    use super::reference::funders;

    fn all<C: CodeList>(table: &[(i32, u32)]) {
        for (code, _) in table {
            assert!(C::is_valid(*code), "{code} is not in {}", C::NAME);
        }
    }
    all::<Destination>(DESTINATIONS);
    all::<RentalSubsidyType>(SUBSIDIES);
    all::<PriorLivingSituation>(PRIOR_LIVING);
    all::<LengthOfStay>(LENGTHS_OF_STAY);
    for (code, _) in ProjectType::CODES {
        all::<FundingSource>(funders(ProjectType::try_from(*code).unwrap()));
    }
}

#[test]
fn the_first_organizations_run_outreach_coordinated_entry_and_youth_housing() {
    // Enough clients for all eight organizations, each with the program it is known for.
    let options = Options {
        clients: 200_000,
        random_seed: 3,
        today: today(),
        busiest_program_percent: None,
    };
    let generator = Generator::new(&options, at());
    let reference = generator.reference();
    assert_eq!(reference.organizations.len(), 8);
    let first_three: Vec<_> = reference
        .programs
        .iter()
        .filter(|program| program.organization < 3)
        .collect();
    for project_type in [0, 4, 14, 2] {
        assert!(
            first_three
                .iter()
                .any(|program| program.project_type.code() == project_type),
            "{project_type}"
        );
    }
    let youth = first_three
        .iter()
        .find(|program| program.project_type.code() == 2)
        .expect("youth transitional housing");
    let funders: Vec<i32> = youth
        .grants
        .iter()
        .map(|grant| grant.funder.code())
        .collect();
    assert_eq!(funders, [24, 43], "RHY, then YHDP");
}

#[test]
fn each_enrollments_hud_fields_keep_the_domains_rules() {
    use threshold_domain::hud_fields::resources::{check_consistency, Own, Resource};

    let (_, batches) = generate(2_000, 13);
    let mut with_history = 0;
    let mut engaged = 0;
    for row in batches.iter().flat_map(|batch| &batch.enrollments) {
        let fields = row.hud.read(Resource::Enrollment);
        // Every stored field is read back: none was left out as unreadable.
        assert_eq!(
            fields.iter().count(),
            row.hud.as_map().len(),
            "{:?}",
            row.hud
        );
        let own = Own {
            entry_date: Some(row.entry_date.into()),
            exit_date: row.exit_date.map(Into::into),
            ..Own::default()
        };
        assert!(
            check_consistency(Resource::Enrollment, &fields, &own).is_empty(),
            "{:?}",
            row.hud
        );
        with_history += usize::from(fields.get("date_to_street_essh").is_some());
        engaged += usize::from(fields.get("date_of_engagement").is_some());
    }
    assert!(
        with_history > 1_000 && engaged > 10,
        "{with_history} {engaged}"
    );
}

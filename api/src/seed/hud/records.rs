//! One stay's HUD records as they are made: each read and checked by the domain as the API
//! reads and checks a request's, against the records made before it, and stored as the API
//! stores it.

use chrono::NaiveDateTime;
use threshold_domain::applicability::{Row, Stage};
use threshold_domain::hud_records::consistency::check_consistency;
use threshold_domain::hud_records::fields::check_required;
use threshold_domain::hud_records::{
    check_record_dates, parse_fields, Collection, Given, HudFields, RecordFacts, StageRecord,
};
use threshold_domain::Date;
use threshold_persistence::rows::{AnyHudRecord, EnrollmentRow};

use super::answers::{Answer, Answers, Profile};
use super::Gap;
use crate::seed::chance::Chance;
use crate::seed::Batch;
use crate::usecases::hud_records::{disability_type_of, fields_json};

/// The records of one stay as they are made, each checked against those made before it.
pub struct Records<'a> {
    pub facts: RecordFacts,
    pub today: Date,
    /// What the stay's records miss, if anything.
    pub gap: Option<Gap>,
    made: Vec<StageRecord>,
    enrollment: &'a EnrollmentRow,
    at: NaiveDateTime,
}

impl<'a> Records<'a> {
    /// No record made yet.
    pub fn new(
        facts: RecordFacts,
        today: Date,
        enrollment: &'a EnrollmentRow,
        at: NaiveDateTime,
    ) -> Self {
        Records {
            facts,
            today,
            gap: None,
            made: Vec::new(),
            enrollment,
            at,
        }
    }

    /// The stay's first day and its last day with records: its exit, or today.
    pub fn period(&self) -> (Date, Date) {
        let last = self.facts.exit_date.unwrap_or(self.today);
        (self.facts.entry_date, last)
    }

    /// The records of `rows` at `stage`, dated `date`: a disability's of each type, one of
    /// each other collection; but what the stay's gap leaves out.
    pub fn stage(
        &mut self,
        chance: &mut Chance,
        batch: &mut Batch,
        rows: &[&'static Row],
        stage: Stage,
        date: Date,
        profile: &Profile,
    ) {
        let at_start = stage == Stage::ProjectStart;
        let gap = self.gap;
        for collection in Collection::ALL
            .into_iter()
            .filter(|collection| collection.has_stage())
        {
            let of_collection: Vec<&Row> = rows
                .iter()
                .copied()
                .filter(|row| row.file.record_collection() == Some(collection))
                .collect();
            let records: Vec<&[&Row]> = if collection == Collection::Disabilities {
                of_collection.chunks(1).collect()
            } else if of_collection.is_empty() {
                Vec::new()
            } else {
                vec![&of_collection[..]]
            };
            for elements in records {
                let left_out = elements
                    .iter()
                    .any(|row| at_start && gap == Some(Gap::LeftOut(row.element)));
                if left_out {
                    continue;
                }
                let mut answers = Answers::new();
                for row in elements {
                    if let Some((field, kind)) = row.record_kind {
                        answers.push((field, Answer::Code(kind)));
                    }
                    if at_start && gap == Some(Gap::NotCollected(row.element)) {
                        answers.push((row.fields[0], Answer::Code(99)));
                    } else {
                        profile.answer(row.element, &mut answers);
                    }
                }
                self.add(
                    chance,
                    batch,
                    collection,
                    date,
                    Some(stage.code()),
                    &answers,
                );
            }
        }
    }

    /// A record of `collection` with `answers`, read and checked by the domain as the API
    /// reads and checks a request's, and stored as the API stores it. A record that breaks a
    /// rule is the seed's bug: it panics (the seed's unit tests check every record).
    pub fn add(
        &mut self,
        chance: &mut Chance,
        batch: &mut Batch,
        collection: Collection,
        date: Date,
        stage: Option<i32>,
        answers: &Answers,
    ) {
        let entries = answers.iter().map(|(field, answer)| {
            let given = match answer {
                Answer::Code(code) => Given::Integer(i64::from(*code)),
                Answer::Cents(cents) => Given::Number(*cents as f64 / 100.0),
                Answer::Text(text) => Given::Text(text),
            };
            (*field, given)
        });
        let (values, errors) = parse_fields(collection, entries);
        let fields: HudFields = values
            .into_iter()
            .filter_map(|(field, value)| value.map(|value| (field, value)))
            .collect();
        let problems: Vec<_> = errors
            .into_iter()
            .chain(check_required(collection, &fields))
            .chain(check_consistency(collection, &fields))
            .collect();
        assert!(
            problems.is_empty() && date <= self.today,
            "a seeded {} record of {date}: {problems:?}",
            collection.name()
        );
        let enrollment = self.enrollment;
        let record = AnyHudRecord {
            id: chance.id(),
            enrollment_id: enrollment.id,
            collection,
            information_date: date.naive(),
            data_collection_stage: stage,
            disability_type: disability_type_of(collection, &fields),
            fields: fields_json(&fields),
            version: 1,
            created_at: self.at,
            updated_at: self.at,
            created_by: enrollment.created_by.clone(),
            updated_by: enrollment.created_by.clone(),
            deleted_at: None,
        };
        let stage_record = record.stage_record();
        if let Err(broken) = check_record_dates(&self.facts, &stage_record, &self.made) {
            panic!("a seeded {} record breaks {broken:?}", collection.name());
        }
        self.made.push(stage_record);
        batch.hud_records.push(record);
    }
}

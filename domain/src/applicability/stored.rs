//! What an enrollment has recorded, read from what is stored: the client's and the
//! enrollment's fields (at project start), the exit's (at exit), and HUD's records at their
//! stages. Which stored field answers which element is the applicability table's rows'
//! `fields`; this turns stored values into [`Recordings`] by them.

use std::collections::BTreeMap;

use super::{rows, HmisFile, Recorded, Recordings, Stage};
use crate::hmis_csv::ColumnType;
use crate::hud_fields::FieldSet;
use crate::hud_records::{Collection, HudFields, HudValue};

/// One stored HUD record of the enrollment.
#[derive(Debug, Clone, Copy)]
pub struct StoredRecord<'a> {
    pub collection: Collection,
    pub stage: Option<i32>,
    pub disability_type: Option<i32>,
    pub fields: &'a HudFields,
}

/// What is stored of one member's enrollment, by field: the client's and the enrollment's
/// fields as the API names them (`name_data_quality`, `prior_living_situation`), the exit's
/// when it has one, and its HUD records. A field the store does not keep is not in the maps
/// (so the element reads as absent).
#[derive(Debug, Clone, Default)]
pub struct Stored<'a> {
    pub client: BTreeMap<&'static str, Recorded>,
    pub enrollment: BTreeMap<&'static str, Recorded>,
    /// `None` while the enrollment is not exited.
    pub exit: Option<BTreeMap<&'static str, Recorded>>,
    pub records: Vec<StoredRecord<'a>>,
}

impl Stage {
    /// The stage of HUD 5.03.1 `code`; `None` for codes no stage of the table uses.
    pub fn from_code(code: i32) -> Option<Stage> {
        [
            Stage::ProjectStart,
            Stage::Update,
            Stage::ProjectExit,
            Stage::AnnualAssessment,
            Stage::PostExit,
        ]
        .into_iter()
        .find(|stage| stage.code() == code)
    }
}

impl HmisFile {
    /// The collection of HUD records under an enrollment the file's rows are, if they are
    /// (not the client's, enrollment's, exit's, services' or assessments' files).
    pub fn record_collection(self) -> Option<Collection> {
        Some(match self {
            HmisFile::IncomeBenefits => Collection::IncomeBenefits,
            HmisFile::HealthAndDv => Collection::HealthAndDv,
            HmisFile::EmploymentEducation => Collection::EmploymentEducation,
            HmisFile::Disabilities => Collection::Disabilities,
            HmisFile::CurrentLivingSituation => Collection::CurrentLivingSituations,
            HmisFile::Event => Collection::Events,
            HmisFile::YouthEducationStatus => Collection::YouthEducationStatuses,
            _ => return None,
        })
    }
}

/// A field of a stored record: a code is not collected at 99, any other value is an answer.
fn recorded_in(collection: Collection, fields: &HudFields, field: &str) -> Recorded {
    let coded = collection
        .field(field)
        .is_some_and(|column| matches!(column.kind, ColumnType::Integer(_)));
    match fields.get(field) {
        Some(HudValue::Integer(code)) if coded => Recorded::of_code(Some(*code)),
        Some(_) => Recorded::Answered,
        None => Recorded::NotCollected,
    }
}

/// Everything `stored` answers, element by element, stage by stage.
pub fn recordings(stored: &Stored<'_>) -> Recordings {
    let mut recordings = Recordings::new();
    for row in rows() {
        let at_start = |map: &BTreeMap<&'static str, Recorded>, recordings: &mut Recordings| {
            for field in row.fields {
                if let Some(recorded) = map.get(field) {
                    recordings.record(row.element, Stage::ProjectStart, field, *recorded);
                }
            }
        };
        match row.file {
            HmisFile::Client => at_start(&stored.client, &mut recordings),
            HmisFile::Enrollment => at_start(&stored.enrollment, &mut recordings),
            HmisFile::Exit => {
                for (field, recorded) in stored.exit.iter().flatten() {
                    if row.fields.contains(field) {
                        recordings.record(row.element, Stage::ProjectExit, field, *recorded);
                    }
                }
            }
            file => {
                let Some(collection) = file.record_collection() else {
                    continue;
                };
                for record in stored
                    .records
                    .iter()
                    .filter(|record| record.collection == collection)
                {
                    if let Some(("disability_type", kind)) = row.record_kind {
                        if record.disability_type != Some(kind) {
                            continue;
                        }
                    }
                    let Some(stage) = record.stage.and_then(Stage::from_code) else {
                        continue;
                    };
                    for field in row.fields {
                        let recorded = if *field == "disability_type" {
                            Recorded::Answered
                        } else {
                            recorded_in(collection, record.fields, field)
                        };
                        recordings.record(row.element, stage, field, recorded);
                    }
                }
            }
        }
    }
    recordings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applicability::Element;
    use crate::hud_records::{parse_fields, Given};

    fn fields(collection: Collection, entries: &[(&str, Given<'_>)]) -> HudFields {
        let (values, errors) = parse_fields(collection, entries.iter().copied());
        assert!(errors.is_empty(), "{errors:?}");
        values
            .into_iter()
            .filter_map(|(field, value)| value.map(|value| (field, value)))
            .collect()
    }

    #[test]
    fn each_record_collection_is_the_file_of_its_name() {
        use HmisFile::*;
        let files = [
            Client,
            Enrollment,
            Exit,
            IncomeBenefits,
            HealthAndDv,
            EmploymentEducation,
            Disabilities,
            Services,
            CurrentLivingSituation,
            Assessment,
            Event,
            YouthEducationStatus,
        ];
        let mut collections = Vec::new();
        for file in files {
            if let Some(collection) = file.record_collection() {
                assert_eq!(collection.file().name, file.name());
                collections.push(collection);
            }
        }
        collections.sort();
        assert_eq!(collections, Collection::ALL);
    }

    #[test]
    fn stored_values_answer_their_elements_at_their_stages() {
        let income = fields(
            Collection::IncomeBenefits,
            &[
                ("income_from_any_source", Given::Integer(99)),
                ("benefits_from_any_source", Given::Integer(0)),
            ],
        );
        let physical = fields(
            Collection::Disabilities,
            &[
                ("disability_type", Given::Integer(5)),
                ("disability_response", Given::Integer(1)),
            ],
        );
        let stored = Stored {
            client: BTreeMap::from([("name_data_quality", Recorded::Answered)]),
            enrollment: BTreeMap::from([("disabling_condition", Recorded::NotCollected)]),
            exit: Some(BTreeMap::from([("destination", Recorded::Answered)])),
            records: vec![
                StoredRecord {
                    collection: Collection::IncomeBenefits,
                    stage: Some(1),
                    disability_type: None,
                    fields: &income,
                },
                StoredRecord {
                    collection: Collection::Disabilities,
                    stage: Some(3),
                    disability_type: Some(5),
                    fields: &physical,
                },
            ],
        };
        let recorded = recordings(&stored);
        let start = Stage::ProjectStart;
        assert_eq!(
            recorded.get(Element::Name, start, "name_data_quality"),
            Recorded::Answered
        );
        assert_eq!(
            recorded.get(Element::DisablingCondition, start, "disabling_condition"),
            Recorded::NotCollected
        );
        assert_eq!(
            recorded.get(Element::Destination, Stage::ProjectExit, "destination"),
            Recorded::Answered
        );
        // 4.02 at 99 is not collected; 4.03 at 0 is an answer; nothing at exit is absent.
        assert_eq!(
            recorded.get(Element::IncomeAndSources, start, "income_from_any_source"),
            Recorded::NotCollected
        );
        assert_eq!(
            recorded.get(Element::NonCashBenefits, start, "benefits_from_any_source"),
            Recorded::Answered
        );
        assert_eq!(
            recorded.get(
                Element::IncomeAndSources,
                Stage::ProjectExit,
                "income_from_any_source"
            ),
            Recorded::Absent
        );
        // A disability answers its own type's element only.
        assert_eq!(
            recorded.get(
                Element::PhysicalDisability,
                Stage::ProjectExit,
                "disability_response"
            ),
            Recorded::Answered
        );
        assert_eq!(
            recorded.get(
                Element::MentalHealthDisorder,
                Stage::ProjectExit,
                "disability_response"
            ),
            Recorded::Absent
        );
    }
}

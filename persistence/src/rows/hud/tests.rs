use chrono::NaiveDate;
use serde_json::{json, Value};

use super::fields::COLUMNS;
use super::*;
use crate::rows::stored_text::StoredText;

fn instant() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 5)
        .and_then(|date| date.and_hms_micro_opt(9, 30, 0, 250))
        .expect("an instant")
}

fn income(fields: Value) -> HudRecord<IncomeBenefits> {
    HudRecord {
        id: HudRecordId::new(),
        enrollment_id: EnrollmentId::new(),
        collection: CollectionTag::new(),
        information_date: NaiveDate::from_ymd_opt(2026, 1, 5).expect("a date"),
        data_collection_stage: Some(1),
        disability_type: None,
        fields: HudFieldsJson::from_value(fields).expect("fields"),
        version: 1,
        created_at: instant(),
        updated_at: instant(),
        created_by: "cm".into(),
        updated_by: "cm".into(),
        deleted_at: None,
    }
}

/// Each collection is stored by the domain's name of it, and audited as one of its records.
#[test]
fn collections_are_stored_and_audited_by_their_names() {
    fn names<C: HudCollection>() -> (Collection, &'static str, &'static str) {
        (C::COLLECTION, C::NAME, C::ENTITY)
    }
    assert_eq!(
        [
            names::<IncomeBenefits>(),
            names::<Disabilities>(),
            names::<HealthAndDv>(),
            names::<EmploymentEducation>(),
            names::<CurrentLivingSituations>(),
            names::<Events>(),
            names::<YouthEducationStatuses>(),
        ],
        [
            (
                Collection::IncomeBenefits,
                "income_benefits",
                "income_benefits"
            ),
            (Collection::Disabilities, "disabilities", "disability"),
            (Collection::HealthAndDv, "health_and_dv", "health_and_dv"),
            (
                Collection::EmploymentEducation,
                "employment_education",
                "employment_education"
            ),
            (
                Collection::CurrentLivingSituations,
                "current_living_situations",
                "current_living_situation"
            ),
            (Collection::Events, "events", "event"),
            (
                Collection::YouthEducationStatuses,
                "youth_education_statuses",
                "youth_education_status"
            ),
        ]
    );
    for collection in Collection::ALL {
        let column = CollectionColumn::from_text(collection.name()).expect("a collection");
        assert_eq!(Collection::from(column), collection);
        assert_eq!(column.to_text(), collection.name());
    }
    assert!(CollectionColumn::from_text("services").is_err());
}

#[test]
fn fields_named_like_a_column_are_refused() {
    for column in COLUMNS {
        let error = HudFieldsJson::from_value(json!({ column: 1 })).expect_err(column);
        assert!(matches!(error, NotHudFieldsJson::Column(name) if name == column));
        let mut fields = HudFieldsJson::default();
        assert!(fields.insert(column, json!(1)).is_err(), "{column}");
        assert!(fields.as_map().is_empty());
    }
    assert!(matches!(
        HudFieldsJson::from_value(json!([1, 2])),
        Err(NotHudFieldsJson::NotAnObject)
    ));
    assert!(matches!(
        HudFieldsJson::from_text("{\"a\": "),
        Err(NotHudFieldsJson::NotJson(_))
    ));
    let fields = HudFieldsJson::from_text("{\"total_monthly_income\": 1200.5}").expect("fields");
    assert_eq!(fields.get("total_monthly_income"), Some(&json!(1200.5)));
}

/// The columns refused as fields are exactly those a record's JSON holds.
#[test]
fn a_records_json_holds_its_columns_and_its_fields_side_by_side() {
    let record = income(json!({}));
    let Value::Object(map) = serde_json::to_value(&record).expect("JSON") else {
        panic!("an object");
    };
    let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut columns = COLUMNS.to_vec();
    columns.sort_unstable();
    assert_eq!(keys, columns);

    let record = income(json!({"income_from_any_source": 1, "earned_amount": 1200.5}));
    let value = serde_json::to_value(&record).expect("JSON");
    assert_eq!(value["collection"], "income_benefits");
    assert_eq!(value["income_from_any_source"], 1);
    assert_eq!(value["earned_amount"], 1200.5);
    let back: HudRecord<IncomeBenefits> = serde_json::from_value(value).expect("read back");
    assert_eq!(back, record);
}

#[test]
fn a_records_json_is_read_back_only_as_its_own_collection() {
    let value = serde_json::to_value(income(json!({"a": 1}))).expect("JSON");
    assert!(serde_json::from_value::<HudRecord<Disabilities>>(value).is_err());
}

#[test]
fn any_record_becomes_one_of_its_own_collection_only() {
    let record = income(json!({"income_from_any_source": 0}));
    let any = AnyHudRecord::from(record.clone());
    assert_eq!(any.collection, Collection::IncomeBenefits);
    assert_eq!(any.id.uuid(), record.id.uuid());
    assert_eq!(any.clone().into_collection::<Disabilities>(), None);
    assert_eq!(any.into_collection::<IncomeBenefits>(), Some(record));
}

#[test]
fn the_collection_column_reads_only_its_own_name() {
    assert!(CollectionTag::<Events>::from_text("events").is_ok());
    assert!(CollectionTag::<Events>::from_text("disabilities").is_err());
    assert_eq!(CollectionTag::<Events>::new().to_text(), "events");
}

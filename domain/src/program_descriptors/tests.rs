use super::*;
use crate::codes::{CodeList, HudList, ProjectType};
use crate::dates::Date;
use crate::hud_fields::Given;

fn date(text: &str) -> HudValue {
    HudValue::Date(Date::parse(text).unwrap())
}

fn fields(entries: &[(&'static str, HudValue)]) -> HudFields {
    entries.iter().cloned().collect()
}

fn found(errors: &[FieldError]) -> Vec<(&str, &'static str)> {
    errors
        .iter()
        .map(|error| (error.field.as_str(), error.code))
        .collect()
}

fn parsed(
    descriptor: Descriptor,
    entries: &[(&'static str, Given<'static>)],
) -> (FieldChanges, Vec<FieldError>) {
    parse_fields(descriptor, entries.iter().copied())
}

#[test]
fn the_fields_are_the_files_columns_without_keys_or_bookkeeping() {
    let names = |descriptor: Descriptor| -> Vec<&str> {
        descriptor
            .field_columns()
            .map(|column| column.field)
            .collect()
    };
    // HMIS CSV FY2026 ProjectCoC.csv (2.03), Inventory.csv (2.07), HMISParticipation.csv
    // (2.08), CEParticipation.csv (2.09).
    assert_eq!(
        names(Descriptor::ProjectCoc),
        [
            "coc_code",
            "geocode",
            "address1",
            "address2",
            "city",
            "state",
            "zip",
            "geography_type"
        ]
    );
    assert_eq!(
        names(Descriptor::Inventory),
        [
            "coc_code",
            "household_type",
            "availability",
            "unit_inventory",
            "bed_inventory",
            "ch_vet_bed_inventory",
            "youth_vet_bed_inventory",
            "vet_bed_inventory",
            "ch_youth_bed_inventory",
            "youth_bed_inventory",
            "ch_bed_inventory",
            "other_bed_inventory",
            "es_bed_type",
            "inventory_start_date",
            "inventory_end_date",
        ]
    );
    assert_eq!(
        names(Descriptor::HmisParticipation),
        [
            "hmis_participation_type",
            "hmis_participation_status_start_date",
            "hmis_participation_status_end_date"
        ]
    );
    assert_eq!(
        names(Descriptor::CeParticipation),
        [
            "access_point",
            "prevention_assessment",
            "crisis_assessment",
            "housing_assessment",
            "direct_services",
            "receives_referrals",
            "ce_participation_status_start_date",
            "ce_participation_status_end_date"
        ]
    );
    for descriptor in Descriptor::ALL {
        let columns = descriptor.file().columns;
        assert_eq!(columns[1].name, "ProjectID");
        assert_eq!(columns[columns.len() - 5].name, "DateCreated");
        assert_eq!(columns[columns.len() - 1].name, "ExportID");
    }
}

#[test]
fn each_period_is_its_files_start_and_end_dates() {
    assert_eq!(Descriptor::ProjectCoc.period(), None);
    assert_eq!(
        Descriptor::Inventory.period(),
        Some(("inventory_start_date", "inventory_end_date"))
    );
    assert_eq!(
        Descriptor::HmisParticipation.period(),
        Some((
            "hmis_participation_status_start_date",
            "hmis_participation_status_end_date"
        ))
    );
    assert_eq!(
        Descriptor::CeParticipation.period(),
        Some((
            "ce_participation_status_start_date",
            "ce_participation_status_end_date"
        ))
    );
}

#[test]
fn codes_take_their_lists_from_the_catalog() {
    let list = |descriptor: Descriptor, field: &str| descriptor.field(field).unwrap().list();
    assert_eq!(
        list(Descriptor::ProjectCoc, "geography_type"),
        Some(HudList::GeographyType)
    );
    assert_eq!(
        list(Descriptor::Inventory, "household_type"),
        Some(HudList::HouseholdType)
    );
    assert_eq!(
        list(Descriptor::Inventory, "es_bed_type"),
        Some(HudList::EsBedType)
    );
    assert_eq!(
        list(Descriptor::HmisParticipation, "hmis_participation_type"),
        Some(HudList::HmisParticipationType)
    );
    for (code, _) in HudList::HouseholdType.codes() {
        let (values, errors) = parsed(
            Descriptor::Inventory,
            &[("household_type", Given::Integer(i64::from(*code)))],
        );
        assert_eq!(errors, []);
        assert_eq!(values["household_type"], Some(HudValue::Integer(*code)));
    }
    let (_, errors) = parsed(
        Descriptor::HmisParticipation,
        &[("hmis_participation_type", Given::Integer(3))],
    );
    assert_eq!(found(&errors), [("hmis_participation_type", "invalid")]);
}

#[test]
fn a_coc_code_is_two_capitals_a_hyphen_and_three_digits() {
    for good in ["CA-500", "XX-000"] {
        let (values, errors) = parsed(Descriptor::ProjectCoc, &[("coc_code", Given::Text(good))]);
        assert_eq!(errors, [], "{good}");
        assert_eq!(values["coc_code"], Some(HudValue::Text(good.to_owned())));
    }
    for bad in ["ca-500", "CA500", "CA-50", "CA-5000", "C1-500"] {
        let (_, errors) = parsed(Descriptor::Inventory, &[("coc_code", Given::Text(bad))]);
        assert_eq!(found(&errors), [("coc_code", "invalid")], "{bad}");
    }
}

#[test]
fn texts_keep_their_lengths_and_counts_are_never_negative() {
    let (_, errors) = parsed(
        Descriptor::ProjectCoc,
        &[
            ("state", Given::Text("CA")),
            ("zip", Given::Text("94110")),
            ("city", Given::Text("Oakland")),
        ],
    );
    assert_eq!(errors, []);
    let (_, errors) = parsed(
        Descriptor::ProjectCoc,
        &[
            ("state", Given::Text("CAL")),
            ("zip", Given::Text("941100")),
        ],
    );
    assert_eq!(found(&errors), [("state", "invalid"), ("zip", "invalid")]);
    let (_, errors) = parsed(
        Descriptor::Inventory,
        &[
            ("bed_inventory", Given::Integer(0)),
            ("unit_inventory", Given::Integer(-1)),
        ],
    );
    assert_eq!(found(&errors), [("unit_inventory", "invalid")]);
    let (_, errors) = parsed(
        Descriptor::Inventory,
        &[
            ("household_key", Given::Integer(1)),
            ("bed_inventory", Given::Text("4")),
        ],
    );
    assert_eq!(
        found(&errors),
        [
            ("household_key", "unknown_field"),
            ("bed_inventory", "invalid")
        ]
    );
}

#[test]
fn required_columns_are_required() {
    let errors = check_fields(Descriptor::Inventory, &HudFields::default());
    assert_eq!(
        found(&errors),
        [
            ("coc_code", "required"),
            ("household_type", "required"),
            ("unit_inventory", "required"),
            ("bed_inventory", "required"),
            ("inventory_start_date", "required"),
        ]
    );
    let coc = fields(&[
        ("coc_code", HudValue::Text("CA-500".into())),
        ("geocode", HudValue::Text("069001".into())),
    ]);
    assert_eq!(check_fields(Descriptor::ProjectCoc, &coc), []);
}

#[test]
fn a_period_ends_on_its_start_day_at_the_earliest() {
    for descriptor in [Descriptor::HmisParticipation, Descriptor::CeParticipation] {
        let (start, end) = descriptor.period().unwrap();
        let mut base: Vec<(&'static str, HudValue)> = descriptor
            .field_columns()
            .filter(|column| column.required && column.kind != ColumnType::Date)
            .map(|column| (column.field, HudValue::Integer(0)))
            .collect();
        base.push((start, date("2026-01-10")));
        assert_eq!(check_fields(descriptor, &fields(&base)), []);
        for fine in ["2026-01-10", "2026-01-11"] {
            let mut record = base.clone();
            record.push((end, date(fine)));
            assert_eq!(check_fields(descriptor, &fields(&record)), [], "{fine}");
        }
        let mut record = base.clone();
        record.push((end, date("2026-01-09")));
        let errors = check_fields(descriptor, &fields(&record));
        assert_eq!(found(&errors), [(end, "date.order")]);
        assert_eq!(errors[0].message, format!("{end} is before {start}"));
    }
}

#[test]
fn only_an_access_point_answers_the_access_point_questions() {
    let base = [
        ("receives_referrals", HudValue::Integer(1)),
        ("ce_participation_status_start_date", date("2026-01-01")),
    ];
    let with = |access_point: i32, answered: &[&'static str]| {
        let mut record = base.to_vec();
        record.push(("access_point", HudValue::Integer(access_point)));
        record.extend(answered.iter().map(|field| (*field, HudValue::Integer(1))));
        found(&check_fields(Descriptor::CeParticipation, &fields(&record)))
            .into_iter()
            .map(|(field, code)| (field.to_owned(), code))
            .collect::<Vec<_>>()
    };
    assert_eq!(with(0, &[]), []);
    assert_eq!(with(1, &ACCESS_POINT_ONLY), []);
    assert_eq!(
        with(1, &["prevention_assessment", "crisis_assessment"]),
        [
            ("housing_assessment".to_owned(), "required"),
            ("direct_services".to_owned(), "required"),
        ]
    );
    assert_eq!(
        with(0, &["direct_services"]),
        [("direct_services".to_owned(), "not_allowed")]
    );
}

#[test]
fn an_inventory_counts_in_one_of_the_programs_cocs() {
    assert!(check_inventory_coc("CA-500", ["CA-501", "CA-500"]).is_ok());
    let error = check_inventory_coc("CA-502", ["CA-500"]).unwrap_err();
    assert_eq!(error.leading().rule.code(), "inventory.coc_unknown");
    assert_eq!(error.leading().field, Some("coc_code"));
    assert!(check_inventory_coc("CA-500", []).is_err());
}

#[test]
fn a_coc_in_use_goes_only_when_another_record_has_its_code() {
    assert!(check_coc_removal("CA-500", [], ["CA-501"]).is_ok());
    assert!(check_coc_removal("CA-500", ["CA-500"], ["CA-500"]).is_ok());
    let error = check_coc_removal("CA-500", ["CA-501"], ["CA-501", "CA-500"]).unwrap_err();
    assert_eq!(error.leading().rule.code(), "coc.in_use");
}

#[test]
fn a_services_only_program_is_affiliated_with_residential_ones() {
    let services_only = ProjectType::try_from(6).unwrap();
    let residential = [0, 1, 2, 3, 8, 9, 10, 13];
    for (code, _) in ProjectType::CODES {
        let other = ProjectType::try_from(*code).unwrap();
        let result = check_affiliation(services_only, other);
        assert_eq!(result.is_ok(), residential.contains(code), "type {code}");
        if let Err(error) = result {
            assert_eq!(error.leading().rule.code(), "affiliation.not_residential");
            assert_eq!(error.leading().field, Some("res_program_id"));
        }
        let shelter = ProjectType::try_from(0).unwrap();
        let from_other = check_affiliation(other, shelter);
        assert_eq!(from_other.is_ok(), *code == 6, "type {code}");
    }
    let both = check_affiliation(
        ProjectType::try_from(1).unwrap(),
        ProjectType::try_from(4).unwrap(),
    )
    .unwrap_err();
    let codes: Vec<&str> = both.all().iter().map(|v| v.rule.code()).collect();
    assert_eq!(
        codes,
        [
            "affiliation.not_services_only",
            "affiliation.not_residential"
        ]
    );
}

//! The column catalog against HUD's tables, as the project's reference data holds them
//! (`domain/hud/`): every column of both versions, its type and requiredness, and the list of
//! every FY2026 integer column.

use std::collections::BTreeMap;

use super::*;

const COLUMNS_FY2026: &str = include_str!("../../hud/csv-columns-fy2026.csv");
const COLUMNS_FY2024: &str = include_str!("../../hud/csv-columns-fy2024.csv");
const COLUMN_LISTS: &str = include_str!("../../hud/column-lists.csv");

/// The rows of a reference CSV after its header, each split into its `N` fields.
fn rows<const N: usize>(csv: &'static str, header: &str) -> Vec<[&'static str; N]> {
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(header));
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            fields
                .try_into()
                .unwrap_or_else(|_| panic!("not {N} fields: {line}"))
        })
        .collect()
}

/// The specifications' name of a column type: `S32`, `I`, `D`, `T`, `M`.
fn spec_type(kind: ColumnType) -> String {
    match kind {
        ColumnType::Text(max) => format!("S{max}"),
        ColumnType::Integer(_) => "I".to_owned(),
        ColumnType::Date => "D".to_owned(),
        ColumnType::DateTime => "T".to_owned(),
        ColumnType::Money => "M".to_owned(),
    }
}

fn coding(file: &str, column: &str) -> Coding {
    let column = CsvVersion::Fy2026
        .file(file)
        .and_then(|found| found.column(column))
        .unwrap_or_else(|| panic!("{file}.{column} is in the FY2026 catalog"));
    match column.kind {
        ColumnType::Integer(coding) => coding,
        other => panic!("{file}.{} is {other:?}, not an integer", column.name),
    }
}

#[test]
fn every_column_of_both_versions_in_order_with_its_type_and_requiredness() {
    for (version, csv, count) in [
        (CsvVersion::Fy2026, COLUMNS_FY2026, 519),
        (CsvVersion::Fy2024, COLUMNS_FY2024, 531),
    ] {
        let reference = rows::<5>(csv, "file,position,column,type,required");
        assert_eq!(reference.len(), count);
        let catalog: Vec<(&str, usize, &Column)> = version
            .files()
            .iter()
            .flat_map(|file| {
                let columns = file.columns.iter().enumerate();
                columns.map(|(index, column)| (file.name, index + 1, column))
            })
            .collect();
        assert_eq!(catalog.len(), reference.len(), "{version:?}");
        for ((file, position, column), [r_file, r_position, r_column, r_type, r_required]) in
            catalog.into_iter().zip(reference)
        {
            let at = format!("{version:?} {r_file}.{r_column}");
            assert_eq!(
                (file, position.to_string().as_str()),
                (r_file, r_position),
                "{at}"
            );
            assert_eq!(column.name, r_column, "{at}");
            assert_eq!(spec_type(column.kind), r_type, "{at}");
            assert_eq!(column.required, r_required == "yes", "{at}");
        }
    }
}

#[test]
fn every_file_of_an_export_once_export_first() {
    for version in CsvVersion::ALL {
        let names: Vec<&str> = version.files().iter().map(|file| file.name).collect();
        assert_eq!(names.len(), 24, "{version:?}");
        assert_eq!(names[0], "Export");
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{version:?}");
    }
}

#[test]
fn every_field_is_its_column_named_by_the_rule() {
    for version in CsvVersion::ALL {
        for file in version.files() {
            for column in file.columns {
                assert_eq!(
                    column.field,
                    field_name(column.name),
                    "{}.{}",
                    file.name,
                    column.name
                );
            }
        }
    }
}

/// A condition of column-lists.csv (`RecordType = 144 and TypeProvided = 3`, `DisabilityType
/// in 5 6 7 8 9`) as the catalog's conditions: each column with the codes it may hold.
fn conditions(condition: &str) -> Vec<(&str, Vec<i32>)> {
    condition
        .split(" and ")
        .map(|test| {
            let (column, codes) = test
                .split_once(" = ")
                .or_else(|| test.split_once(" in "))
                .unwrap_or_else(|| panic!("a condition: {test}"));
            let codes = codes.split(' ').map(|code| code.parse().unwrap()).collect();
            (column, codes)
        })
        .collect()
}

#[test]
fn every_integer_column_takes_the_list_column_lists_names() {
    let mut by_column: BTreeMap<(&str, &str), Vec<[&str; 4]>> = BTreeMap::new();
    for row in rows::<4>(COLUMN_LISTS, "file,column,list,condition") {
        by_column.entry((row[0], row[1])).or_default().push(row);
    }
    for ((file, column), rows) in &by_column {
        let at = format!("{file}.{column}");
        match (coding(file, column), &rows[..]) {
            (Coding::Uncoded, [[_, _, "", _]]) => {}
            (Coding::List(list), [[_, _, name, _]]) => assert_eq!(list.name(), *name, "{at}"),
            (Coding::Conditional(lists), _) => {
                assert_eq!(lists.len(), rows.len(), "{at}");
                for (list_when, [_, _, name, condition]) in lists.iter().zip(rows) {
                    assert_eq!(list_when.list.name(), *name, "{at}");
                    let expected = conditions(condition);
                    let given: Vec<(&str, Vec<i32>)> = list_when
                        .when
                        .iter()
                        .map(|test| (test.column, test.codes.to_vec()))
                        .collect();
                    assert_eq!(given, expected, "{at} when {condition}");
                }
            }
            (other, rows) => panic!("{at}: the catalog has {other:?}, the reference {rows:?}"),
        }
    }
    let integer_columns = CsvVersion::Fy2026
        .files()
        .iter()
        .flat_map(|file| file.columns)
        .filter(|column| matches!(column.kind, ColumnType::Integer(_)))
        .count();
    assert_eq!(
        integer_columns,
        by_column.len(),
        "an integer column without a list row"
    );
}

#[test]
fn a_conditional_list_follows_the_row() {
    let type_provided = coding("Services", "TypeProvided");
    let service =
        |record_type: i32| move |column: &str| (column == "RecordType").then_some(record_type);
    assert_eq!(
        type_provided.list_for(service(141)),
        Some(HudList::PathService)
    );
    assert_eq!(
        type_provided.list_for(service(200)),
        Some(HudList::BedNight)
    );
    assert_eq!(type_provided.list_for(service(999)), None);
    assert_eq!(type_provided.list_for(|_| None), None);
    // P1.2 has no 13; R14.2 has 13 (pre-natal care).
    assert!(!type_provided.accepts(13, service(141)));
    assert!(type_provided.accepts(13, service(142)));
    assert!(
        !type_provided.accepts(1, |_| None),
        "no record type, no list"
    );

    let sub_type = coding("Services", "SubTypeProvided");
    let ssvf = |type_provided: i32| {
        move |column: &str| match column {
            "RecordType" => Some(144),
            "TypeProvided" => Some(type_provided),
            _ => None,
        }
    };
    assert_eq!(sub_type.list_for(ssvf(4)), Some(HudList::SsvfSubType4));
    assert_eq!(sub_type.list_for(ssvf(1)), None);

    let response = coding("Disabilities", "DisabilityResponse");
    let disability = |kind: i32| move |column: &str| (column == "DisabilityType").then_some(kind);
    // 3 (drug use disorder) is an answer of 4.10.2 only; 99 of both lists.
    assert!(response.accepts(3, disability(10)));
    assert!(!response.accepts(3, disability(5)));
    assert!(response.accepts(99, disability(5)));
}

#[test]
fn a_plain_column_checks_its_list_and_an_uncoded_one_nothing() {
    let destination = coding("Exit", "Destination");
    assert_eq!(destination, Coding::List(HudList::Destination));
    assert!(destination.accepts(435, |_| None));
    assert!(!destination.accepts(335, |_| None), "3.12 has no 335");
    assert!(!destination.accepts(0, |_| None));
    let count = coding("Enrollment", "CountOutreachReferralApproaches");
    assert_eq!(count, Coding::Uncoded);
    assert!(count.accepts(2_147_483_646, |_| None));
    assert_eq!(count.list_for(|_| None), None);
}

/// Where an FY2024 integer column's list is not the FY2026 list of the column of its name
/// (HUD's FY2026 change summary), and FY2024's columns that FY2026 dropped.
const FY2024_OWN_LISTS: &[(&str, &str, &str)] = &[
    ("Client", "HispanicLatinaeo", "1.10 NoYes"),
    ("Client", "Woman", "1.10 NoYes"),
    ("Client", "Man", "1.10 NoYes"),
    ("Client", "NonBinary", "1.10 NoYes"),
    ("Client", "CulturallySpecific", "1.10 NoYes"),
    ("Client", "Transgender", "1.10 NoYes"),
    ("Client", "Questioning", "1.10 NoYes"),
    ("Client", "DifferentIdentity", "1.10 NoYes"),
    ("Client", "GenderNone", "1.6 RaceNone"),
    ("Enrollment", "SexualOrientation", "R3.1 SexualOrientation"),
    ("Enrollment", "UnemploymentFam", "1.7 NoYesMissing"),
    ("Enrollment", "MentalHealthDisorderFam", "1.7 NoYesMissing"),
    ("Enrollment", "PhysicalDisabilityFam", "1.7 NoYesMissing"),
    (
        "Enrollment",
        "AlcoholDrugUseDisorderFam",
        "1.7 NoYesMissing",
    ),
    ("Enrollment", "InsufficientIncome", "1.7 NoYesMissing"),
    ("Enrollment", "IncarceratedParent", "1.7 NoYesMissing"),
    (
        "Enrollment",
        "TranslationNeeded",
        "1.8 NoYesReasonsForMissingData",
    ),
    ("Enrollment", "PreferredLanguage", "C4.A PreferredLanguage"),
    ("Exit", "CounselingReceived", "1.7 NoYesMissing"),
    ("Exit", "IndividualCounseling", "1.7 NoYesMissing"),
    ("Exit", "FamilyCounseling", "1.7 NoYesMissing"),
    ("Exit", "GroupCounseling", "1.7 NoYesMissing"),
    ("Exit", "PostExitCounselingPlan", "1.7 NoYesMissing"),
    ("Exit", "EmailSocialMedia", "1.7 NoYesMissing"),
    ("Exit", "Telephone", "1.7 NoYesMissing"),
    ("Exit", "InPersonIndividual", "1.7 NoYesMissing"),
    ("Exit", "InPersonGroup", "1.7 NoYesMissing"),
];

#[test]
fn an_fy2024_column_takes_fy2026s_list_unless_hud_changed_it() {
    let mut own = 0;
    for file in CsvVersion::Fy2024.files() {
        for column in file.columns {
            let ColumnType::Integer(fy2024) = column.kind else {
                continue;
            };
            let at = format!("FY2024 {}.{}", file.name, column.name);
            let changed = FY2024_OWN_LISTS
                .iter()
                .find(|(in_file, name, _)| (*in_file, *name) == (file.name, column.name));
            match changed {
                Some((_, _, list)) => {
                    own += 1;
                    let name = match fy2024 {
                        Coding::List(found) => found.name(),
                        Coding::Retired(name) => name,
                        other => panic!("{at}: {other:?}"),
                    };
                    assert_eq!(name, *list, "{at}");
                }
                None => assert_eq!(fy2024, coding(file.name, column.name), "{at}"),
            }
        }
    }
    assert_eq!(own, FY2024_OWN_LISTS.len());
}

#[test]
fn files_and_columns_are_found_in_any_case() {
    let exit = CsvVersion::Fy2026.file("exit").expect("Exit.csv");
    assert_eq!(exit.file_name(), "Exit.csv");
    let threats = exit.column("WorkPlaceViolenceThreats").expect("R16.1");
    assert_eq!(threats.name, "WorkplaceViolenceThreats");
    assert_eq!(threats.list(), Some(HudList::NoYesMissing));
    assert_eq!(exit.header().next(), Some("ExitID"));
    assert!(CsvVersion::Fy2026.file("CustomGender").is_none());
    let client_2024 = CsvVersion::Fy2024.file("Client").expect("Client.csv");
    assert!(client_2024.column("Sex").is_none(), "4.21 is new in FY2026");
    assert!(client_2024.column("HispanicLatinaeo").is_some());
}

#[test]
fn csv_version_names_the_version_and_refuses_others() {
    assert_eq!(
        CsvVersion::of_csv_version("2026 v1.0"),
        Ok(Some(CsvVersion::Fy2026))
    );
    assert_eq!(
        CsvVersion::of_csv_version("2026 v1.1"),
        Ok(Some(CsvVersion::Fy2026))
    );
    assert_eq!(
        CsvVersion::of_csv_version(" 2024 v1.3 "),
        Ok(Some(CsvVersion::Fy2024))
    );
    assert_eq!(
        CsvVersion::of_csv_version("2024 V1.0"),
        Ok(Some(CsvVersion::Fy2024))
    );
    assert_eq!(CsvVersion::of_csv_version(""), Ok(None));
    for other in [
        "2022 v1.3",
        "2026 v2.0",
        "2026",
        "v1.0",
        "FY2026",
        "2020 v1.8",
    ] {
        assert_eq!(
            CsvVersion::of_csv_version(other),
            Err(UnsupportedVersion(other.to_owned())),
            "{other}"
        );
    }
}

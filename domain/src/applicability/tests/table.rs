//! The table's own shape: one row per element, every code a code of its HUD list, fields
//! named by the contract's rule, the federal programs' funding sources.

use super::*;
use crate::applicability::scope::FEDERAL_PARTNERS;
use crate::codes::CodeList;

#[test]
fn every_element_has_exactly_one_row_in_the_data_standards_order() {
    let elements: Vec<Element> = rows().map(|row| row.element).collect();
    assert_eq!(elements, Element::ALL.to_vec());
    for element in Element::ALL {
        assert_eq!(row(element).map(|row| row.element), Some(element));
    }
}

#[test]
fn element_numbers_are_unique_but_for_the_two_forms_of_3_917() {
    let mut numbers: Vec<&str> = Element::ALL
        .iter()
        .map(|element| element.number())
        .collect();
    numbers.sort_unstable();
    let before = numbers.len();
    numbers.dedup();
    assert_eq!(before - numbers.len(), 1);
    assert_eq!(Element::PriorLivingSituationHomeless.number(), "3.917");
    assert_eq!(Element::PriorLivingSituation.number(), "3.917");
    assert_eq!(
        Element::IncomeAndSources.to_string(),
        "4.02 Income and Sources"
    );
}

fn codes_of(clause: &Clause) -> (Vec<i32>, Vec<i32>) {
    let funders = match clause.funders {
        Funders::Any => Vec::new(),
        Funders::OneOf(codes) => codes.to_vec(),
    };
    let types = match clause.project_types {
        ProjectTypes::Any => Vec::new(),
        ProjectTypes::Only(codes) | ProjectTypes::Except(codes) => codes.to_vec(),
    };
    (funders, types)
}

#[test]
fn every_funder_and_project_type_in_the_table_is_a_code_of_its_list() {
    for row in rows() {
        assert!(!row.required_by.is_empty(), "{}", row.element);
        for clause in row.required_by {
            let (funders, types) = codes_of(clause);
            for code in funders {
                assert!(
                    FundingSource::is_valid(code),
                    "{}: funder {code}",
                    row.element
                );
            }
            for code in types {
                assert!(ProjectType::is_valid(code), "{}: type {code}", row.element);
            }
        }
    }
}

#[test]
fn fields_are_snake_case_names_listed_once() {
    for row in rows() {
        assert!(!row.fields.is_empty(), "{}", row.element);
        for field in row.fields {
            let snake = field
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            assert!(snake && !field.starts_with('_'), "{}: {field}", row.element);
        }
        let mut fields = row.fields.to_vec();
        fields.sort_unstable();
        fields.dedup();
        assert_eq!(fields.len(), row.fields.len(), "{}", row.element);
    }
}

#[test]
fn staged_rows_list_their_stages_in_code_order_and_occurrences_none() {
    for row in rows() {
        if let Collection::Stages(stages) = row.collection {
            assert!(!stages.is_empty(), "{}", row.element);
            assert!(stages
                .windows(2)
                .all(|pair| pair[0].code() < pair[1].code()));
        }
    }
    assert_eq!(
        [1, 2, 3, 5, 6],
        [
            Stage::ProjectStart,
            Stage::Update,
            Stage::ProjectExit,
            Stage::AnnualAssessment,
            Stage::PostExit
        ]
        .map(Stage::code)
    );
}

#[test]
fn disabilities_and_services_name_their_kind_of_record() {
    let kinds: Vec<(&str, Option<(&str, i32)>)> = rows()
        .filter(|row| matches!(row.file, HmisFile::Disabilities | HmisFile::Services))
        .map(|row| (row.element.number(), row.record_kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("4.05", Some(("disability_type", 5))),
            ("4.06", Some(("disability_type", 6))),
            ("4.07", Some(("disability_type", 7))),
            ("4.08", Some(("disability_type", 8))),
            ("4.09", Some(("disability_type", 9))),
            ("4.10", Some(("disability_type", 10))),
            ("4.14", Some(("record_type", 200))),
            ("P1", Some(("record_type", 141))),
            ("P2", Some(("record_type", 161))),
            ("R14", Some(("record_type", 142))),
            ("W1", Some(("record_type", 143))),
            ("W2", Some(("record_type", 151))),
            ("V2", Some(("record_type", 144))),
            ("V3", Some(("record_type", 152))),
            ("V8", Some(("record_type", 210))),
            ("C2", Some(("record_type", 300))),
        ]
    );
    assert!(rows()
        .filter(|row| !matches!(row.file, HmisFile::Disabilities | HmisFile::Services))
        .all(|row| row.record_kind.is_none()));
}

#[test]
fn federal_programs_split_the_federal_partners_funders_without_overlap() {
    let mut union: Vec<i32> = FederalProgram::ALL
        .iter()
        .flat_map(|program| program.funding_sources().iter().copied())
        .collect();
    union.sort_unstable();
    let before = union.len();
    union.dedup();
    assert_eq!(before, union.len(), "a funder in two programs");
    assert_eq!(union, FEDERAL_PARTNERS.to_vec());
}

#[test]
fn each_component_maps_to_its_program() {
    let program = |code| FederalProgram::of(funder(code));
    // CoC: PSH, RRH, SSO, TH, and YHDP; ESG: ES, HP, RRH, SO.
    for code in [2, 3, 4, 5, 43] {
        assert_eq!(program(code), Some(FederalProgram::Coc), "{code}");
    }
    for code in [8, 9, 10, 11] {
        assert_eq!(program(code), Some(FederalProgram::Esg), "{code}");
    }
    assert_eq!(program(53), Some(FederalProgram::EsgRush));
    assert_eq!(program(17), Some(FederalProgram::Hopwa));
    assert_eq!(program(21), Some(FederalProgram::Path));
    assert_eq!(program(25), Some(FederalProgram::Rhy));
    assert_eq!(program(33), Some(FederalProgram::Ssvf));
    assert_eq!(program(45), Some(FederalProgram::GrantPerDiem));
    assert_eq!(program(20), Some(FederalProgram::HudVash));
    assert_eq!(program(56), Some(FederalProgram::CocBuilds));
    // No HMIS requirements of their own: universal elements only.
    for code in [32, 34, 36, 46, 50, 51, 52] {
        assert_eq!(program(code), None, "{code}");
    }
}

#[test]
fn elements_and_stages_serialize_as_the_contract_writes_them() {
    assert_eq!(
        serde_json::to_string(&Element::IncomeAndSources).unwrap(),
        "\"4.02\""
    );
    assert_eq!(
        serde_json::to_string(&Element::AftercarePlans).unwrap(),
        "\"R20\""
    );
    assert_eq!(
        serde_json::to_string(&Stage::AnnualAssessment).unwrap(),
        "5"
    );
    assert_eq!(HmisFile::HealthAndDv.name(), "HealthAndDV");
}

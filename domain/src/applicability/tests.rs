//! Tests of the applicability table, its rules and household completeness, with the facts
//! they share.

mod completeness;
mod rows;
mod shelter;
mod subjects;
mod table;
mod timeline;

use super::*;
use crate::codes::{FundingSource, ProjectType, RelationshipToHoh};
use crate::dates::Date;

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn project_type(code: i32) -> ProjectType {
    ProjectType::try_from(code).unwrap()
}

fn funder(code: i32) -> FundingSource {
    FundingSource::try_from(code).unwrap()
}

fn relationship(code: i32) -> RelationshipToHoh {
    RelationshipToHoh::try_from(code).unwrap()
}

/// A head of household (3.15 code 1).
const HEAD: i32 = 1;
/// The head's spouse or partner (3.15 code 3).
const PARTNER: i32 = 3;
/// The head's child (3.15 code 2).
const CHILD: i32 = 2;

/// A subject in a program of `project_type` funded by `funders`.
fn subject<'a>(
    relationship_code: i32,
    age_at_entry: Option<u32>,
    project_type_code: i32,
    funders: &'a [FundingSource],
) -> Subject<'a> {
    Subject {
        relationship: relationship(relationship_code),
        age_at_entry,
        veteran: false,
        project_type: project_type(project_type_code),
        funders,
    }
}

/// The elements that apply to a subject, in the table's order.
fn applying(subject: &Subject) -> Vec<Element> {
    Element::ALL
        .into_iter()
        .filter(|element| subject.applies(*element))
        .collect()
}

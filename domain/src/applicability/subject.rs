//! Whom an element is collected about, in which program: the facts that decide whether a row
//! applies to one enrollment.

use chrono::NaiveDate;

use super::{row, CollectedAbout, Collection, Element, Row, Stage};
use crate::codes::{FundingSource, ProjectType, RelationshipToHoh};
use crate::dates::Date;

/// Adults are 18 or older at project start (HMIS Data Standards Manual: "age at project
/// start", computed from 3.03 Date of Birth).
pub const ADULT_AGE: u32 = 18;

/// Whole years from `dob` to `day` (a birthday counts on the day itself; a 29 February
/// birthday on 1 March of other years); none when `day` is before `dob`.
pub fn age_on(dob: Date, day: Date) -> Option<u32> {
    NaiveDate::from(day).years_since(NaiveDate::from(dob))
}

/// One enrollment's facts that applicability reads.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// HUD 3.15: 1 is the head of household.
    pub relationship: RelationshipToHoh,
    /// Age at project start; none when the date of birth is unknown.
    pub age_at_entry: Option<u32>,
    /// Whether 3.07 Veteran Status is yes.
    pub veteran: bool,
    /// HUD 2.02.6 of the enrollment's program.
    pub project_type: ProjectType,
    /// HUD 2.06.1 of the enrollment's grant (or of the program's grants); empty when none.
    pub funders: &'a [FundingSource],
}

impl Subject<'_> {
    pub fn is_head(&self) -> bool {
        self.relationship.is_head()
    }

    /// 18 or older at project start. An unknown date of birth counts as an adult, so that the
    /// adults' questions are asked rather than silently skipped (and show as missing when
    /// unanswered).
    pub fn is_adult(&self) -> bool {
        self.age_at_entry.is_none_or(|age| age >= ADULT_AGE)
    }

    /// Whether this person is among those the element is collected about.
    pub fn is_about(&self, about: CollectedAbout) -> bool {
        match about {
            CollectedAbout::AllClients => true,
            CollectedAbout::Adults => self.is_adult(),
            CollectedAbout::HeadsOfHousehold => self.is_head(),
            CollectedAbout::HeadsAndAdults => self.is_head() || self.is_adult(),
            CollectedAbout::Veterans => self.veteran,
        }
    }

    /// Whether the program requires the row's element (its type and funding), whoever the
    /// person is.
    pub fn program_requires(&self, row: &Row) -> bool {
        row.required_by
            .iter()
            .any(|clause| clause.holds(self.project_type, self.funders))
    }

    /// Whether the row's element is collected for this enrollment: the program requires it
    /// and the person is among those it is collected about.
    pub fn collects(&self, row: &Row) -> bool {
        self.program_requires(row) && self.is_about(row.about)
    }

    /// Whether `element` is collected for this enrollment.
    pub fn applies(&self, element: Element) -> bool {
        row(element).is_some_and(|row| self.collects(row))
    }

    /// The data collection stages at which `element` is collected for this enrollment: none
    /// when it does not apply, or when it is collected at occurrences rather than stages.
    pub fn stages(&self, element: Element) -> &'static [Stage] {
        match row(element) {
            Some(row) if self.collects(row) => match row.collection {
                Collection::Stages(stages) => stages,
                Collection::Occurrence => &[],
            },
            _ => &[],
        }
    }

    /// Whether `element` is collected for this enrollment at `stage`.
    pub fn applies_at(&self, element: Element, stage: Stage) -> bool {
        self.stages(element).contains(&stage)
    }
}

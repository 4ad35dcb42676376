//! What one household's enrollments are missing of what HUD requires of them: every element
//! that applies to each member, at every stage the member owes, field by field.

use std::collections::BTreeMap;

use serde::Serialize;
use uuid::Uuid;

use super::{age_on, rows, Collection, Due, Element, Stage, Subject};
use crate::codes::{FundingSource, ProjectType, RelationshipToHoh};
use crate::dates::Date;

/// What is recorded for one field of an element at one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Recorded {
    /// No record of the element at that stage.
    #[default]
    Absent,
    /// A record, but the field is null or 99 (data not collected) where HUD wants an answer.
    NotCollected,
    /// An answer: 8 (client doesn't know) and 9 (prefers not to answer) are answers.
    Answered,
}

impl Recorded {
    /// 99 "data not collected" marks a code that was not collected.
    pub const DATA_NOT_COLLECTED: i32 = 99;

    /// A coded field of an existing record: null or 99 is not collected, any other code is an
    /// answer.
    pub fn of_code(code: Option<i32>) -> Recorded {
        match code {
            None | Some(Recorded::DATA_NOT_COLLECTED) => Recorded::NotCollected,
            Some(_) => Recorded::Answered,
        }
    }

    /// A field of an existing record that has no 99 (a date, a text, a list): null is not
    /// collected.
    pub fn of_value<T>(value: Option<T>) -> Recorded {
        match value {
            None => Recorded::NotCollected,
            Some(_) => Recorded::Answered,
        }
    }
}

/// What one enrollment has recorded, by element, stage and field (the rows' field names).
/// Anything not recorded is [`Recorded::Absent`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recordings(BTreeMap<(Element, Stage, &'static str), Recorded>);

impl Recordings {
    pub fn new() -> Recordings {
        Recordings::default()
    }

    pub fn record(
        &mut self,
        element: Element,
        stage: Stage,
        field: &'static str,
        recorded: Recorded,
    ) -> &mut Recordings {
        self.0.insert((element, stage, field), recorded);
        self
    }

    pub fn get(&self, element: Element, stage: Stage, field: &'static str) -> Recorded {
        self.0
            .get(&(element, stage, field))
            .copied()
            .unwrap_or_default()
    }
}

/// One member's enrollment in the household, with what it has recorded.
#[derive(Debug, Clone)]
pub struct Member {
    pub enrollment_id: Uuid,
    pub client_id: Uuid,
    pub relationship: RelationshipToHoh,
    pub dob: Option<Date>,
    /// Whether 3.07 Veteran Status is yes.
    pub veteran: bool,
    pub entry_date: Date,
    pub exit_date: Option<Date>,
    /// The funding source of the enrollment's grant, if it has one (HUD 2.06.1).
    pub funders: Vec<FundingSource>,
    pub recorded: Recordings,
}

/// A household in one program, on the day its completeness is asked for.
#[derive(Debug, Clone)]
pub struct Household {
    pub project_type: ProjectType,
    pub members: Vec<Member>,
    /// Today: which stages are owed depends on it.
    pub as_of: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingReason {
    Absent,
    NotCollected,
}

/// One field HUD requires that is not answered, as the contract's `missing[]` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    pub element: Element,
    pub field: &'static str,
    pub stage: Stage,
    pub client_id: Uuid,
    pub enrollment_id: Uuid,
    pub reason: MissingReason,
}

/// `{complete, missing}` for a household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completeness {
    pub complete: bool,
    pub missing: Vec<Missing>,
}

impl Completeness {
    /// Whether one member's enrollment misses nothing (the enrollment read's `complete` says
    /// it of the whole household: [`Completeness::complete`]).
    pub fn enrollment_complete(&self, enrollment_id: Uuid) -> bool {
        self.missing
            .iter()
            .all(|missing| missing.enrollment_id != enrollment_id)
    }
}

/// The stages a member may owe, in HUD code order (updates are never owed).
const OWED_STAGES: [Stage; 4] = [
    Stage::ProjectStart,
    Stage::ProjectExit,
    Stage::AnnualAssessment,
    Stage::PostExit,
];

/// Everything the household is missing, in a stable order: the head first, then members by
/// entry date and enrollment ID; for each, by stage, then element (the table's order), then
/// field (the row's order).
pub fn completeness(household: &Household) -> Completeness {
    let mut members: Vec<&Member> = household.members.iter().collect();
    members.sort_by_key(|member| {
        (
            !member.relationship.is_head(),
            member.entry_date,
            member.enrollment_id,
        )
    });
    let missing: Vec<Missing> = match head_entry(&members) {
        Some(head_entry) => members
            .iter()
            .flat_map(|member| member_missing(household, head_entry, member, household.as_of))
            .collect(),
        None => Vec::new(),
    };
    Completeness {
        complete: missing.is_empty(),
        missing,
    }
}

/// Whether one member misses nothing on a day, and until when that holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberStatus {
    pub enrollment_id: Uuid,
    /// The member misses nothing HUD requires on the household's `as_of`.
    pub complete: bool,
    /// The first day after `as_of` on that `complete` no longer holds, with what is
    /// recorded now (`None`: it holds on every day to come). What is owed changes only on
    /// the days [`Due::changes_after`] names, so a stored status holds from `as_of` to the
    /// day before this one, or until what is recorded changes.
    pub until: Option<Date>,
}

/// The status of each member, in the household's order. A household misses nothing on a
/// day when none of its members does ([`completeness`]).
pub fn member_statuses(household: &Household) -> Vec<MemberStatus> {
    let members: Vec<&Member> = household.members.iter().collect();
    let Some(head_entry) = head_entry(&members) else {
        return Vec::new();
    };
    let complete_on =
        |member: &Member, day: Date| member_missing(household, head_entry, member, day).is_empty();
    members
        .iter()
        .map(|member| {
            let complete = complete_on(member, household.as_of);
            let until = Due::changes_after(
                head_entry,
                member.entry_date,
                member.exit_date,
                household.as_of,
            )
            .into_iter()
            .find(|day| complete_on(member, *day) != complete);
            MemberStatus {
                enrollment_id: member.enrollment_id,
                complete,
                until,
            }
        })
        .collect()
}

/// The annual assessment follows the head's anniversary; a household without a head (an
/// imported, flagged one) follows its earliest entry (`members` sorted by entry date as
/// [`completeness`] sorts them, or in any order: the earliest is taken).
fn head_entry(members: &[&Member]) -> Option<Date> {
    members
        .iter()
        .find(|member| member.relationship.is_head())
        .map(|member| member.entry_date)
        .or_else(|| members.iter().map(|member| member.entry_date).min())
}

fn member_missing(
    household: &Household,
    head_entry: Date,
    member: &Member,
    as_of: Date,
) -> Vec<Missing> {
    let subject = Subject {
        relationship: member.relationship,
        age_at_entry: member.dob.and_then(|dob| age_on(dob, member.entry_date)),
        veteran: member.veteran,
        project_type: household.project_type,
        funders: &member.funders,
    };
    let due = Due::on(head_entry, member.entry_date, member.exit_date, as_of);
    let mut missing = Vec::new();
    for stage in OWED_STAGES.into_iter().filter(|stage| due.includes(*stage)) {
        for row in rows().filter(|row| subject.collects(row)) {
            let Collection::Stages(stages) = row.collection else {
                continue;
            };
            if !stages.contains(&stage) {
                continue;
            }
            for field in row.fields {
                let reason = match member.recorded.get(row.element, stage, field) {
                    Recorded::Answered => continue,
                    Recorded::Absent => MissingReason::Absent,
                    Recorded::NotCollected => MissingReason::NotCollected,
                };
                missing.push(Missing {
                    element: row.element,
                    field,
                    stage,
                    client_id: member.client_id,
                    enrollment_id: member.enrollment_id,
                    reason,
                });
            }
        }
    }
    missing
}

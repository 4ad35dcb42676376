//! The household aggregate: the enrollments of people who stay together, led by one head.

use uuid::Uuid;

use crate::enrollment::{EnrollmentFacts, NewEnrollment, Status};
use crate::rules::{Rule, RuleViolation};

/// A household and its members' enrollments that are not deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    pub id: Uuid,
    pub program_id: Uuid,
    pub members: Vec<EnrollmentFacts>,
}

impl Household {
    pub fn head(&self) -> Option<&EnrollmentFacts> {
        self.members.iter().find(|member| member.is_head())
    }

    pub fn active_members(&self) -> impl Iterator<Item = &EnrollmentFacts> {
        self.members
            .iter()
            .filter(|member| member.status() == Status::Active)
    }

    /// The rules a new member must keep: one head, one program, nobody before the head,
    /// nobody twice among the active members.
    pub fn check_join(&self, new: &NewEnrollment) -> Vec<RuleViolation> {
        let mut broken = Vec::new();
        if new.relationship.is_head() && self.head().is_some() {
            broken.push(RuleViolation::new(
                Rule::HouseholdHeadExists,
                Some("relationship_to_hoh"),
                "the household already has a head",
            ));
        }
        if new.program_id != self.program_id {
            broken.push(RuleViolation::new(
                Rule::HouseholdProgramMismatch,
                Some("program_id"),
                "every member of a household is enrolled in the same program",
            ));
        }
        if let Some(head) = self.head() {
            if !new.relationship.is_head() && new.entry_date < head.period.entry {
                broken.push(RuleViolation::new(
                    Rule::HouseholdMemberBeforeHead,
                    Some("entry_date"),
                    "a member's entry date is not before the head's",
                ));
            }
        }
        if self
            .active_members()
            .any(|member| member.client_id == new.client_id)
        {
            broken.push(RuleViolation::new(
                Rule::HouseholdClientDuplicate,
                Some("household_id"),
                "the client is already an active member of this household",
            ));
        }
        broken
    }
}

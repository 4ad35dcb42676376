//! The household aggregate: the enrollments of people who stay together, led by one head.

use uuid::Uuid;

use crate::codes::RelationshipToHoh;
use crate::dates::Date;
use crate::enrollment::{EnrollmentFacts, NewEnrollment, Status};
use crate::rules::{FieldError, Rule, RuleViolation, Violations};

/// What a change of head writes: the new head, the old head's new relationship, and the
/// move-in date passing from one to the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadChange {
    pub new_head: Uuid,
    pub old_head: Option<Uuid>,
    pub previous_head_relationship: RelationshipToHoh,
    /// The move-in date the new head takes (the old head's, or the new head's own).
    pub new_head_move_in: Option<Date>,
}

/// HUD 3.15 Relationship to Head of Household: a head who steps down takes a member's
/// relationship to the new head (2, 3, 4 or 5), not "self" (1) nor "not collected" (99).
pub fn check_previous_head_relationship(relationship: RelationshipToHoh) -> Option<FieldError> {
    (!relationship.is_relation_to_head()).then(|| {
        FieldError::new(
            "previous_head_relationship",
            "invalid",
            "previous_head_relationship must be 2, 3, 4 or 5",
        )
    })
}

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
            if !new.relationship.is_head() && head.status() == Status::Exited {
                broken.push(RuleViolation::new(
                    Rule::HouseholdMembersActive,
                    Some("household_id"),
                    "the head of household has exited: the head leaves last, so reopen the \
                     head's enrollment before adding members",
                ));
            }
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

    /// The member with this enrollment ID, if it is one.
    pub fn member(&self, enrollment_id: Uuid) -> Option<&EnrollmentFacts> {
        self.members
            .iter()
            .find(|member| member.id == enrollment_id)
    }

    /// Makes the active member `candidate` the head; the old head takes
    /// `previous_head_relationship` (2-5) and hands over the move-in date.
    pub fn change_head(
        &self,
        candidate: &EnrollmentFacts,
        previous_head_relationship: RelationshipToHoh,
    ) -> Result<HeadChange, Violations> {
        let new_head = candidate.id;
        let old_head = self.head().filter(|head| head.id != new_head);
        let mut broken = Vec::new();
        if candidate.status() == Status::Exited {
            broken.push(RuleViolation::new(
                Rule::EnrollmentAlreadyExited,
                Some("enrollment_id"),
                "only an active member can become the head of household",
            ));
        }
        if self
            .members
            .iter()
            .any(|member| member.id != new_head && member.period.entry < candidate.period.entry)
        {
            broken.push(RuleViolation::new(
                Rule::HouseholdMemberBeforeHead,
                Some("enrollment_id"),
                "another member entered before this one: no member's entry date is before the head's",
            ));
        }
        let move_in = old_head
            .and_then(|head| head.move_in_date)
            .or(candidate.move_in_date);
        if let Some(move_in) = move_in {
            if !candidate.period.covers(move_in) {
                broken.push(RuleViolation::new(
                    Rule::MoveInInvalid,
                    Some("enrollment_id"),
                    "the household's move-in date is outside the new head's stay",
                ));
            }
        }
        Violations::check(broken)?;
        Ok(HeadChange {
            new_head,
            old_head: old_head.map(|head| head.id),
            previous_head_relationship,
            new_head_move_in: move_in,
        })
    }
}

#[cfg(test)]
mod tests;

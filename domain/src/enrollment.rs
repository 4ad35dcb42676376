//! Enrollments: a client's stay in a program, and the rules for adding one.

use uuid::Uuid;

use crate::codes::{ProjectType, RelationshipToHoh};
use crate::dates::{check_not_future, Date, DateRange, Period};
use crate::household::Household;
use crate::rules::{FieldError, Rule, RuleViolation, Violations};

/// Where an enrollment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Exited,
}

impl Status {
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Exited => "exited",
        }
    }
}

/// What the rules need to know of a stored enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollmentFacts {
    pub id: Uuid,
    pub client_id: Uuid,
    pub program_id: Uuid,
    pub household_id: Uuid,
    pub relationship: RelationshipToHoh,
    pub period: Period,
    pub move_in_date: Option<Date>,
}

impl EnrollmentFacts {
    pub fn status(&self) -> Status {
        if self.period.exit.is_some() {
            Status::Exited
        } else {
            Status::Active
        }
    }

    pub fn is_head(&self) -> bool {
        self.relationship.is_head()
    }
}

/// What the rules need to know of a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramFacts {
    pub id: Uuid,
    pub project_type: ProjectType,
    pub operating: DateRange,
    pub capacity: Option<i32>,
}

/// What the rules need to know of a grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantFacts {
    pub id: Uuid,
    pub program_id: Uuid,
    pub term: DateRange,
}

/// A new enrollment as asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEnrollment {
    pub client_id: Uuid,
    pub program_id: Uuid,
    pub relationship: RelationshipToHoh,
    pub entry_date: Date,
    pub move_in_date: Option<Date>,
}

/// Checks of a request body alone (422): no date in the future, dates in order.
pub fn check_new_dates(new: &NewEnrollment, today: Date) -> Vec<FieldError> {
    [
        check_not_future("entry_date", Some(new.entry_date), today),
        check_not_future("move_in_date", new.move_in_date, today),
        check_move_in_date(new.entry_date, new.move_in_date),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// HUD 3.20 Housing Move-In Date: the client moves in on the day of entry (3.10) or later,
/// never before.
pub fn check_move_in_date(entry_date: Date, move_in_date: Option<Date>) -> Option<FieldError> {
    move_in_date
        .filter(|move_in| *move_in < entry_date)
        .map(|_| {
            FieldError::new(
                "move_in_date",
                Rule::MoveInInvalid.code(),
                "move_in_date is before entry_date",
            )
        })
}

/// Everything stored that adding an enrollment is checked against.
#[derive(Debug, Clone)]
pub struct EnrollContext<'a> {
    pub program: &'a ProgramFacts,
    pub grant: Option<&'a GrantFacts>,
    pub client_dob: Option<Date>,
    /// The client's other enrollments (not deleted) in the same program.
    pub client_enrollments_in_program: &'a [EnrollmentFacts],
    /// Active enrollments (not deleted) in the program now.
    pub active_in_program: i64,
    /// The household joined, or `None` for a new household.
    pub household: Option<&'a Household>,
}

/// Checks every rule that stored data can break when `new` is added.
pub fn enroll(new: &NewEnrollment, context: &EnrollContext<'_>) -> Result<(), Violations> {
    let mut broken = Vec::new();
    let program = context.program;
    let period = Period::new(new.entry_date, None);

    if !program.operating.contains(new.entry_date) {
        broken.push(RuleViolation::new(
            Rule::ProgramNotOperating,
            Some("entry_date"),
            "the entry date is outside the program's operating dates",
        ));
    }
    if let Some(grant) = context.grant {
        if grant.program_id != program.id {
            broken.push(RuleViolation::new(
                Rule::GrantProgramMismatch,
                Some("grant_id"),
                "the grant belongs to another program",
            ));
        } else if !grant.term.contains(new.entry_date) {
            broken.push(RuleViolation::new(
                Rule::GrantNotActive,
                Some("grant_id"),
                "the grant's dates do not cover the entry date",
            ));
        }
    }
    if context
        .client_enrollments_in_program
        .iter()
        .any(|other| other.period.overlaps(&period))
    {
        broken.push(RuleViolation::new(
            Rule::EnrollmentOverlap,
            Some("entry_date"),
            "the client already has an enrollment in this program over this period",
        ));
    }
    if context.client_dob.is_some_and(|dob| new.entry_date < dob) {
        broken.push(RuleViolation::new(
            Rule::EnrollmentBeforeBirth,
            Some("entry_date"),
            "the entry date is before the client's date of birth",
        ));
    }
    if program
        .capacity
        .is_some_and(|capacity| context.active_in_program >= i64::from(capacity))
    {
        broken.push(RuleViolation::new(
            Rule::ProgramAtCapacity,
            Some("program_id"),
            "the program is at capacity",
        ));
    }
    if new.move_in_date.is_some() {
        if !program.project_type.is_permanent_housing() {
            broken.push(RuleViolation::new(
                Rule::MoveInInvalid,
                Some("move_in_date"),
                "a move-in date is only for permanent housing programs",
            ));
        } else if !new.relationship.is_head() {
            broken.push(RuleViolation::new(
                Rule::MoveInInvalid,
                Some("move_in_date"),
                "a move-in date is only for the head of household",
            ));
        }
    }
    match context.household {
        None => {
            if !new.relationship.is_head() {
                broken.push(RuleViolation::new(
                    Rule::HouseholdHeadRequired,
                    Some("relationship_to_hoh"),
                    "the first member of a new household is its head (relationship_to_hoh 1)",
                ));
            }
        }
        Some(household) => broken.extend(household.check_join(new)),
    }
    Violations::check(broken)
}

/// Everything stored that editing an enrollment is checked against.
#[derive(Debug, Clone)]
pub struct EditContext<'a> {
    pub program: &'a ProgramFacts,
    /// The grant after the edit, if any.
    pub grant: Option<&'a GrantFacts>,
    pub grant_changed: bool,
    pub client_dob: Option<Date>,
    /// The client's other enrollments (not deleted) in the same program.
    pub client_enrollments_in_program: &'a [EnrollmentFacts],
    /// The household's other members (not deleted).
    pub household_others: &'a [EnrollmentFacts],
}

/// Checks every rule an edit from `current` to `next` can break; only rules touched by a
/// changed field are re-checked, so an edit never fails for a rule it did not touch.
pub fn edit(
    current: &EnrollmentFacts,
    next: &EnrollmentFacts,
    context: &EditContext<'_>,
) -> Result<(), Violations> {
    let mut broken = Vec::new();
    let entry_moved = next.period.entry != current.period.entry;
    let relationship_changed = next.relationship != current.relationship;
    let move_in_changed = next.move_in_date != current.move_in_date;

    if entry_moved {
        if !context.program.operating.contains(next.period.entry) {
            broken.push(RuleViolation::new(
                Rule::ProgramNotOperating,
                Some("entry_date"),
                "the entry date is outside the program's operating dates",
            ));
        }
        if context
            .client_enrollments_in_program
            .iter()
            .any(|other| other.period.overlaps(&next.period))
        {
            broken.push(RuleViolation::new(
                Rule::EnrollmentOverlap,
                Some("entry_date"),
                "the client already has an enrollment in this program over this period",
            ));
        }
        if context
            .client_dob
            .is_some_and(|dob| next.period.entry < dob)
        {
            broken.push(RuleViolation::new(
                Rule::EnrollmentBeforeBirth,
                Some("entry_date"),
                "the entry date is before the client's date of birth",
            ));
        }
        if next
            .period
            .exit
            .is_some_and(|exit| exit < next.period.entry)
        {
            broken.push(RuleViolation::new(
                Rule::ExitBeforeEntry,
                Some("entry_date"),
                "the entry date is after the exit date",
            ));
        }
    }
    if let Some(grant) = context.grant {
        if context.grant_changed || entry_moved {
            if grant.program_id != context.program.id {
                broken.push(RuleViolation::new(
                    Rule::GrantProgramMismatch,
                    Some("grant_id"),
                    "the grant belongs to another program",
                ));
            } else if !grant.term.contains(next.period.entry) {
                broken.push(RuleViolation::new(
                    Rule::GrantNotActive,
                    Some("grant_id"),
                    "the grant's dates do not cover the entry date",
                ));
            }
        }
    }
    if let Some(move_in) = next.move_in_date {
        if move_in_changed || entry_moved || relationship_changed {
            let within = next.period.covers(move_in);
            let message = if !context.program.project_type.is_permanent_housing() {
                Some("a move-in date is only for permanent housing programs")
            } else if !next.is_head() {
                Some("a move-in date is only for the head of household")
            } else if !within {
                Some("the move-in date is outside the enrollment's entry and exit dates")
            } else {
                None
            };
            if let Some(message) = message {
                broken.push(RuleViolation::new(
                    Rule::MoveInInvalid,
                    Some("move_in_date"),
                    message,
                ));
            }
        }
    }
    let others = context.household_others;
    if relationship_changed {
        if next.is_head() && others.iter().any(EnrollmentFacts::is_head) {
            broken.push(RuleViolation::new(
                Rule::HouseholdHeadExists,
                Some("relationship_to_hoh"),
                "the household already has a head",
            ));
        }
        // A household another system recorded with two heads (imported, flagged) is
        // mended by making one of them a member: the other stays its head.
        let another_head = others.iter().any(EnrollmentFacts::is_head);
        if current.is_head() && !next.is_head() && !another_head {
            if others.iter().any(|other| other.status() == Status::Active) {
                broken.push(RuleViolation::new(
                    Rule::HouseholdMembersActive,
                    Some("relationship_to_hoh"),
                    "the head cannot stop being head while other members are active; \
                     make another member the head instead",
                ));
            } else {
                broken.push(RuleViolation::new(
                    Rule::HouseholdHeadExists,
                    Some("relationship_to_hoh"),
                    "a household has exactly one head",
                ));
            }
        }
    }
    if entry_moved || relationship_changed {
        let head_entry = if next.is_head() {
            Some(next.period.entry)
        } else {
            others
                .iter()
                .find(|other| other.is_head())
                .map(|head| head.period.entry)
        };
        let before_head = match head_entry {
            Some(head_entry) if next.is_head() => {
                others.iter().any(|other| other.period.entry < head_entry)
            }
            Some(head_entry) => next.period.entry < head_entry,
            None => false,
        };
        if before_head {
            broken.push(RuleViolation::new(
                Rule::HouseholdMemberBeforeHead,
                Some("entry_date"),
                "no member's entry date is before the head's",
            ));
        }
    }
    Violations::check(broken)
}

/// A Continuum of Care code such as `CA-500`: two capital letters, a hyphen, three digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct CocCode(String);

impl CocCode {
    pub fn parse(text: &str) -> Result<CocCode, String> {
        let bytes = text.as_bytes();
        let valid = bytes.len() == 6
            && bytes[..2].iter().all(u8::is_ascii_uppercase)
            && bytes[2] == b'-'
            && bytes[3..].iter().all(u8::is_ascii_digit);
        if valid {
            Ok(CocCode(text.to_owned()))
        } else {
            Err(format!("`{text}` is not a CoC code like XX-500"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for CocCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CocCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;

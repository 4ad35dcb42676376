//! The enrollment rules, their stable codes, and what breaking them looks like.

use std::fmt;

/// Every rule of the contract's "Enrollment rules" table that stored data can break (409).
/// Declared in the table's order: when a request breaks several, the first one leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    ProgramNotOperating,
    GrantProgramMismatch,
    GrantNotActive,
    EnrollmentOverlap,
    EnrollmentBeforeBirth,
    ProgramAtCapacity,
    MoveInInvalid,
    HouseholdHeadRequired,
    HouseholdHeadExists,
    HouseholdProgramMismatch,
    HouseholdMemberBeforeHead,
    HouseholdClientDuplicate,
    HouseholdMembersActive,
    EnrollmentAlreadyExited,
    EnrollmentNotExited,
    ExitBeforeEntry,
    DependentsOutsidePeriod,
    AssessmentClientMismatch,
    AssessmentAlreadyLinked,
    AssessmentOutsideEnrollment,
    ServiceOutsideEnrollment,
    ClientHasEnrollments,
    RecordStageDuplicate,
    RecordStageDate,
    RecordOutsideEnrollment,
    InventoryCocUnknown,
    CocInUse,
    AffiliationNotServicesOnly,
    AffiliationNotResidential,
}

impl Rule {
    /// Every rule, in the table's order.
    pub const ALL: [Rule; 29] = [
        Rule::ProgramNotOperating,
        Rule::GrantProgramMismatch,
        Rule::GrantNotActive,
        Rule::EnrollmentOverlap,
        Rule::EnrollmentBeforeBirth,
        Rule::ProgramAtCapacity,
        Rule::MoveInInvalid,
        Rule::HouseholdHeadRequired,
        Rule::HouseholdHeadExists,
        Rule::HouseholdProgramMismatch,
        Rule::HouseholdMemberBeforeHead,
        Rule::HouseholdClientDuplicate,
        Rule::HouseholdMembersActive,
        Rule::EnrollmentAlreadyExited,
        Rule::EnrollmentNotExited,
        Rule::ExitBeforeEntry,
        Rule::DependentsOutsidePeriod,
        Rule::AssessmentClientMismatch,
        Rule::AssessmentAlreadyLinked,
        Rule::AssessmentOutsideEnrollment,
        Rule::ServiceOutsideEnrollment,
        Rule::ClientHasEnrollments,
        Rule::RecordStageDuplicate,
        Rule::RecordStageDate,
        Rule::RecordOutsideEnrollment,
        Rule::InventoryCocUnknown,
        Rule::CocInUse,
        Rule::AffiliationNotServicesOnly,
        Rule::AffiliationNotResidential,
    ];

    /// The rule whose code is `code`.
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.code() == code)
    }

    /// The stable, machine-readable code integrators match on.
    pub const fn code(self) -> &'static str {
        match self {
            Rule::ProgramNotOperating => "program.not_operating",
            Rule::GrantProgramMismatch => "grant.program_mismatch",
            Rule::GrantNotActive => "grant.not_active",
            Rule::EnrollmentOverlap => "enrollment.overlap",
            Rule::EnrollmentBeforeBirth => "enrollment.before_birth",
            Rule::ProgramAtCapacity => "program.at_capacity",
            Rule::MoveInInvalid => "enrollment.move_in_invalid",
            Rule::HouseholdHeadRequired => "household.head_required",
            Rule::HouseholdHeadExists => "household.head_exists",
            Rule::HouseholdProgramMismatch => "household.program_mismatch",
            Rule::HouseholdMemberBeforeHead => "household.member_before_head",
            Rule::HouseholdClientDuplicate => "household.client_duplicate",
            Rule::HouseholdMembersActive => "household.members_active",
            Rule::EnrollmentAlreadyExited => "enrollment.already_exited",
            Rule::EnrollmentNotExited => "enrollment.not_exited",
            Rule::ExitBeforeEntry => "exit.before_entry",
            Rule::DependentsOutsidePeriod => "enrollment.dependents_outside_period",
            Rule::AssessmentClientMismatch => "assessment.client_mismatch",
            Rule::AssessmentAlreadyLinked => "assessment.already_linked",
            Rule::AssessmentOutsideEnrollment => "assessment.outside_enrollment",
            Rule::ServiceOutsideEnrollment => "service.outside_enrollment",
            Rule::ClientHasEnrollments => "client.has_enrollments",
            Rule::RecordStageDuplicate => "record.stage_duplicate",
            Rule::RecordStageDate => "record.stage_date",
            Rule::RecordOutsideEnrollment => "record.outside_enrollment",
            Rule::InventoryCocUnknown => "inventory.coc_unknown",
            Rule::CocInUse => "coc.in_use",
            Rule::AffiliationNotServicesOnly => "affiliation.not_services_only",
            Rule::AffiliationNotResidential => "affiliation.not_residential",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One broken rule: which, the request field it concerns (if one), and why, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleViolation {
    pub rule: Rule,
    pub field: Option<&'static str>,
    pub message: String,
    /// The part of the request the field belongs to, such as `follow_ups[1]`.
    pub within: Option<String>,
}

impl RuleViolation {
    pub fn new(rule: Rule, field: Option<&'static str>, message: impl Into<String>) -> Self {
        Self {
            rule,
            field,
            message: message.into(),
            within: None,
        }
    }
}

/// Every rule a change breaks, in the rules table's order; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violations(Vec<RuleViolation>);

impl Violations {
    /// `Ok(())` when nothing is broken, otherwise every violation sorted by rule.
    pub fn check(mut found: Vec<RuleViolation>) -> Result<(), Violations> {
        if found.is_empty() {
            return Ok(());
        }
        found.sort_by_key(|violation| violation.rule);
        Err(Violations(found))
    }

    /// Every violation of several checks together, so one answer lists them all.
    pub fn merge(
        results: impl IntoIterator<Item = Result<(), Violations>>,
    ) -> Result<(), Violations> {
        Violations::check(
            results
                .into_iter()
                .filter_map(Result::err)
                .flat_map(|violations| violations.0)
                .collect(),
        )
    }

    /// The same violations, about the part of the request at `path` (`follow_ups[1]`).
    pub fn within(mut self, path: &str) -> Violations {
        for violation in &mut self.0 {
            violation.within = Some(path.to_owned());
        }
        self
    }

    pub fn one(violation: RuleViolation) -> Violations {
        Violations(vec![violation])
    }

    /// The rule that leads: the first broken one in the table's order.
    pub fn leading(&self) -> &RuleViolation {
        &self.0[0]
    }

    pub fn all(&self) -> &[RuleViolation] {
        &self.0
    }

    pub fn contains(&self, rule: Rule) -> bool {
        self.0.iter().any(|violation| violation.rule == rule)
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.leading().message)
    }
}

impl std::error::Error for Violations {}

/// A problem with one field of a request, found without looking at stored data (422).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_listed_once_in_order_and_found_by_its_code() {
        let mut sorted = Rule::ALL;
        sorted.sort();
        assert_eq!(sorted, Rule::ALL, "in declaration order");
        let mut unique = sorted.to_vec();
        unique.dedup();
        assert_eq!(unique.len(), Rule::ALL.len(), "each once");
        for rule in Rule::ALL {
            assert_eq!(Rule::from_code(rule.code()), Some(rule));
        }
        assert_eq!(Rule::from_code("enrollment"), None);
    }

    #[test]
    fn leading_rule_follows_table_order() {
        let error = Violations::check(vec![
            RuleViolation::new(Rule::HouseholdHeadExists, None, "two heads"),
            RuleViolation::new(Rule::EnrollmentOverlap, Some("entry_date"), "overlap"),
        ])
        .unwrap_err();
        assert_eq!(error.leading().rule.code(), "enrollment.overlap");
        assert_eq!(error.all().len(), 2);
        assert!(error.contains(Rule::HouseholdHeadExists));
    }

    #[test]
    fn merge_keeps_every_violation_in_order() {
        let late = Violations::check(vec![RuleViolation::new(
            Rule::ServiceOutsideEnrollment,
            None,
            "late",
        )]);
        let early = Violations::check(vec![RuleViolation::new(
            Rule::EnrollmentOverlap,
            None,
            "early",
        )]);
        let merged = Violations::merge([Ok(()), late, early]).unwrap_err();
        assert_eq!(merged.all().len(), 2);
        assert_eq!(merged.leading().rule, Rule::EnrollmentOverlap);
        assert!(Violations::merge([Ok(()), Ok(())]).is_ok());
    }

    #[test]
    fn nothing_broken_is_ok() {
        assert!(Violations::check(Vec::new()).is_ok());
    }
}

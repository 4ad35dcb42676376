//! Flags: the enrollment rules a record broke when another system recorded it. An import in
//! tolerant mode keeps such a record as it came (contract: "Imports from other systems") and
//! flags it with each rule it breaks; the live rules still govern every later write. A write
//! may leave a flagged rule broken as it was, or mend it, which clears the flag; it may
//! never break a rule the record is not flagged with.

use serde::{Deserialize, Serialize};

use crate::rules::{Rule, RuleViolation, Violations};

/// A rule a record breaks, with what it says and the field it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// The rule's code (`household.head_exists`).
    pub code: String,
    pub message: String,
    /// The record's field the rule is about (`relationship_to_hoh`), if it names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Flag {
    pub fn of(violation: &RuleViolation) -> Flag {
        Flag {
            code: violation.rule.code().to_owned(),
            message: violation.message.clone(),
            field: violation.field.map(str::to_owned),
        }
    }

    fn is(&self, rule: Rule) -> bool {
        self.code == rule.code()
    }
}

/// A record's flags: none for a record made here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Flags(Vec<Flag>);

impl Flags {
    /// A flag for each rule broken.
    pub fn of(violations: &Violations) -> Flags {
        Flags(violations.all().iter().map(Flag::of).collect())
    }

    pub fn new(flags: Vec<Flag>) -> Flags {
        Flags(flags)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Flag> {
        self.0.iter()
    }

    fn has(&self, rule: Rule) -> bool {
        self.0.iter().any(|flag| flag.is(rule))
    }

    /// The flags a write leaves, given the rules it was checked by (`checked`, as the live
    /// rules answer for the record as the write would leave it) and the fields it changes
    /// (`changed`): a broken rule the record is flagged with is let through, and its flag
    /// kept; any other broken rule refuses the write (`Err`, only those); a flag about a
    /// field the write changed whose rule no longer breaks is cleared. The rules check what
    /// a write changes, so a flag about a field left as it was stays.
    pub fn after_write(
        &self,
        changed: impl Fn(&str) -> bool,
        checked: Result<(), Violations>,
    ) -> Result<Flags, Violations> {
        let broken: Vec<RuleViolation> = match checked {
            Ok(()) => Vec::new(),
            Err(violations) => violations.all().to_vec(),
        };
        let new: Vec<RuleViolation> = broken
            .iter()
            .filter(|violation| !self.has(violation.rule))
            .cloned()
            .collect();
        Violations::check(new)?;
        let still = |flag: &Flag| broken.iter().any(|violation| flag.is(violation.rule));
        Ok(Flags(
            self.0
                .iter()
                .filter(|flag| {
                    let mended = flag.field.as_deref().is_some_and(&changed) && !still(flag);
                    !mended
                })
                .cloned()
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violation(rule: Rule, field: &'static str) -> RuleViolation {
        RuleViolation::new(rule, Some(field), "as recorded elsewhere")
    }

    fn two_heads() -> Flags {
        Flags::of(&Violations::one(violation(
            Rule::HouseholdHeadExists,
            "relationship_to_hoh",
        )))
    }

    #[test]
    fn a_write_that_changes_nothing_flagged_keeps_the_flags() {
        let flags = two_heads();
        let kept = flags.after_write(|field| field == "disabling_condition", Ok(()));
        assert_eq!(kept, Ok(flags));
    }

    #[test]
    fn a_write_may_leave_a_flagged_rule_broken_as_it_was() {
        let flags = two_heads();
        let checked = Violations::check(vec![violation(
            Rule::HouseholdHeadExists,
            "relationship_to_hoh",
        )]);
        let kept = flags.after_write(|field| field == "relationship_to_hoh", checked);
        assert_eq!(kept, Ok(flags));
    }

    #[test]
    fn a_write_that_mends_the_flagged_field_clears_the_flag() {
        let flags = two_heads();
        let cleared = flags.after_write(|field| field == "relationship_to_hoh", Ok(()));
        assert_eq!(cleared, Ok(Flags::default()));
    }

    #[test]
    fn a_write_never_breaks_a_rule_the_record_is_not_flagged_with() {
        let flags = two_heads();
        let checked = Violations::check(vec![
            violation(Rule::HouseholdHeadExists, "relationship_to_hoh"),
            violation(Rule::EnrollmentOverlap, "entry_date"),
        ]);
        let refused = flags
            .after_write(|_| true, checked)
            .expect_err("a new violation");
        assert_eq!(refused.all().len(), 1);
        assert_eq!(refused.leading().rule, Rule::EnrollmentOverlap);
        // A record with no flags is held to every rule, as before flags.
        let checked = Violations::check(vec![violation(Rule::EnrollmentOverlap, "entry_date")]);
        assert!(Flags::default().after_write(|_| true, checked).is_err());
    }

    #[test]
    fn flags_are_stored_as_code_message_and_field() {
        let json = serde_json::to_string(&two_heads()).expect("json");
        assert_eq!(
            json,
            r#"[{"code":"household.head_exists","message":"as recorded elsewhere","field":"relationship_to_hoh"}]"#
        );
        assert_eq!(
            serde_json::from_str::<Flags>(&json).expect("read"),
            two_heads()
        );
    }
}

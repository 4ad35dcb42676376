//! Releases of information as they are recorded and changed: what one must hold on its own,
//! and that a revoked one is final (HMIS privacy: a client may revoke a consent, which then
//! stays on file as revoked, never deleted nor revived). Whom a consent in force lets see the
//! client is `privacy::sees`.

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::dates::{check_date_order, Date};
use crate::privacy::{Consent, ConsentScope, ConsentStatus};
use crate::rules::FieldError;

/// The field code of a change to a revoked consent.
pub const REVOKED: &str = "consent.revoked";

/// What a consent must hold on its own: a scope of named organizations names at least one,
/// each once; its end, when it has one, is not before its start (one day is fine). An end in
/// the past is fine too: a consent that has run out is recorded for the record.
pub fn check_consent(consent: &Consent) -> Vec<FieldError> {
    let mut errors = match &consent.scope {
        ConsentScope::Organizations(named) => check_named(named),
        ConsentScope::Coc => Vec::new(),
    };
    errors.extend(check_date_order(
        "start_date",
        consent.start_date,
        "end_date",
        consent.end_date,
    ));
    errors
}

fn check_named(named: &[Uuid]) -> Vec<FieldError> {
    if named.is_empty() {
        return vec![FieldError::new(
            "organization_ids",
            "required",
            "a consent to named organizations names at least one",
        )];
    }
    let mut seen = BTreeSet::new();
    named
        .iter()
        .enumerate()
        .filter(|(_, id)| !seen.insert(**id))
        .map(|(index, id)| {
            FieldError::new(
                format!("organization_ids[{index}]"),
                "duplicate",
                format!("organization {id} is named twice"),
            )
        })
        .collect()
}

/// A change to a stored consent; `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentChange {
    /// `Some(None)` makes the consent open-ended.
    pub end_date: Option<Option<Date>>,
    /// Only for a consent to named organizations: the scope's kind never changes (a consent
    /// to the whole continuum of care is another release, recorded as a new consent).
    pub organizations: Option<Vec<Uuid>>,
    pub status: Option<ConsentStatus>,
}

/// The consent `change` makes of `before`, checked: a revoked consent is final (neither made
/// active again nor changed in any other way: `consent.revoked`), the organizations of a
/// CoC-wide consent are not given (`not_allowed`), and the result holds as a new consent must.
pub fn change(before: &Consent, change: &ConsentChange) -> Result<Consent, Vec<FieldError>> {
    let mut after = before.clone();
    if let Some(end_date) = change.end_date {
        after.end_date = end_date;
    }
    if let Some(status) = change.status {
        after.status = status;
    }
    if let Some(named) = &change.organizations {
        match after.scope {
            ConsentScope::Organizations(_) => {
                after.scope = ConsentScope::Organizations(named.clone())
            }
            ConsentScope::Coc => {
                return Err(vec![FieldError::new(
                    "organization_ids",
                    "not_allowed",
                    "a consent to the whole continuum of care names no organizations",
                )])
            }
        }
    }
    if before.status == ConsentStatus::Revoked && after != *before {
        let field = if after.status != before.status {
            "status"
        } else if after.end_date != before.end_date {
            "end_date"
        } else {
            "organization_ids"
        };
        return Err(vec![FieldError::new(
            field,
            REVOKED,
            "the consent is revoked, which is final: record a new consent instead",
        )]);
    }
    let errors = check_consent(&after);
    if errors.is_empty() {
        Ok(after)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn org(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn to(named: &[u128]) -> Consent {
        Consent {
            scope: ConsentScope::Organizations(named.iter().copied().map(org).collect()),
            status: ConsentStatus::Active,
            start_date: day("2026-03-01"),
            end_date: None,
        }
    }

    fn codes(errors: &[FieldError]) -> Vec<(String, &'static str)> {
        errors
            .iter()
            .map(|error| (error.field.clone(), error.code))
            .collect()
    }

    fn field(name: &str, code: &'static str) -> (String, &'static str) {
        (name.to_owned(), code)
    }

    #[test]
    fn a_consent_names_organizations_once_each_and_at_least_one() {
        assert_eq!(check_consent(&to(&[1, 2])), []);
        assert_eq!(
            codes(&check_consent(&to(&[]))),
            [field("organization_ids", "required")]
        );
        assert_eq!(
            codes(&check_consent(&to(&[1, 2, 1, 2]))),
            [
                field("organization_ids[2]", "duplicate"),
                field("organization_ids[3]", "duplicate")
            ]
        );
        let coc = Consent {
            scope: ConsentScope::Coc,
            ..to(&[])
        };
        assert_eq!(check_consent(&coc), []);
    }

    #[test]
    fn its_end_may_be_its_start_day_not_the_day_before() {
        let on = |end: &str| Consent {
            end_date: Some(day(end)),
            ..to(&[1])
        };
        assert_eq!(check_consent(&on("2026-03-01")), []);
        assert_eq!(
            codes(&check_consent(&on("2026-02-28"))),
            [field("end_date", "date.order")]
        );
    }

    #[test]
    fn a_change_sets_what_it_gives_and_keeps_the_rest() {
        let before = to(&[1]);
        let after = change(
            &before,
            &ConsentChange {
                end_date: Some(Some(day("2026-12-31"))),
                organizations: Some(vec![org(2), org(3)]),
                status: None,
            },
        )
        .unwrap();
        assert_eq!(
            after.scope,
            ConsentScope::Organizations(vec![org(2), org(3)])
        );
        assert_eq!(after.end_date, Some(day("2026-12-31")));
        assert_eq!(after.start_date, before.start_date);
        assert_eq!(after.status, ConsentStatus::Active);
        let open = ConsentChange {
            end_date: Some(None),
            ..ConsentChange::default()
        };
        assert_eq!(change(&after, &open).unwrap().end_date, None);
    }

    #[test]
    fn a_changed_consent_is_checked_as_a_new_one() {
        let before = to(&[1]);
        let early_end = ConsentChange {
            end_date: Some(Some(day("2026-02-28"))),
            ..ConsentChange::default()
        };
        assert_eq!(
            codes(&change(&before, &early_end).unwrap_err()),
            [field("end_date", "date.order")]
        );
        let nobody = ConsentChange {
            organizations: Some(Vec::new()),
            ..ConsentChange::default()
        };
        assert_eq!(
            codes(&change(&before, &nobody).unwrap_err()),
            [field("organization_ids", "required")]
        );
    }

    #[test]
    fn a_coc_consent_names_no_organizations() {
        let coc = Consent {
            scope: ConsentScope::Coc,
            ..to(&[])
        };
        let named = ConsentChange {
            organizations: Some(vec![org(1)]),
            ..ConsentChange::default()
        };
        assert_eq!(
            codes(&change(&coc, &named).unwrap_err()),
            [field("organization_ids", "not_allowed")]
        );
    }

    #[test]
    fn revoking_is_final() {
        let revoke = ConsentChange {
            status: Some(ConsentStatus::Revoked),
            ..ConsentChange::default()
        };
        let revoked = change(&to(&[1]), &revoke).unwrap();
        assert_eq!(revoked.status, ConsentStatus::Revoked);
        // Revoking it again changes nothing, and is fine.
        assert_eq!(change(&revoked, &revoke).unwrap(), revoked);
        let reactivate = ConsentChange {
            status: Some(ConsentStatus::Active),
            ..ConsentChange::default()
        };
        assert_eq!(
            codes(&change(&revoked, &reactivate).unwrap_err()),
            [field("status", REVOKED)]
        );
        let extend = ConsentChange {
            end_date: Some(Some(day("2027-01-01"))),
            ..ConsentChange::default()
        };
        assert_eq!(
            codes(&change(&revoked, &extend).unwrap_err()),
            [field("end_date", REVOKED)]
        );
        let widen = ConsentChange {
            organizations: Some(vec![org(1), org(2)]),
            ..ConsentChange::default()
        };
        assert_eq!(
            codes(&change(&revoked, &widen).unwrap_err()),
            [field("organization_ids", REVOKED)]
        );
    }
}

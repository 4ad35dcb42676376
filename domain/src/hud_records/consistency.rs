//! Each record's own consistency: the HMIS CSV FY2026 specifications' "null unless" rules
//! and the Data Standards' dependent fields, stated as data (422 `validation.failed`, on the
//! field that breaks them).
//!
//! - 4.02 Income and Sources: `income_from_any_source` 1 needs a source at 1 with an amount
//!   above 0; 0 (and 8, 9, 99) have no source at 1; an amount only beside its source at 1,
//!   which needs one; `total_monthly_income` the sum of the amounts.
//! - 4.03 Non-Cash Benefits and 4.04 Health Insurance: "from any source" 1 needs one at 1,
//!   anything else none at 1.
//! - Each "other" source at 1 needs its description, and only then has one.
//! - 4.11 Domestic Violence: `when_occurred` and `currently_fleeing` only for a survivor
//!   (1); R10 `due_date` only when pregnant (1); R6 `employment_type` only when employed
//!   (1), `not_employed_reason` only when not (0); 4.05-4.10 `indefinite_and_impairs` only
//!   with a response of 1 (or, for substance use, 1, 2 or 3); W4's T-cell and viral-load
//!   details only for HIV/AIDS (8).

use crate::money::Cents;
use crate::rules::FieldError;

use super::fields::check_conditional_codes;
use super::{Collection, HudFields};

/// 4.02's sources and their amounts.
pub const INCOME_SOURCES: [(&str, &str); 15] = [
    ("earned", "earned_amount"),
    ("unemployment", "unemployment_amount"),
    ("ssi", "ssi_amount"),
    ("ssdi", "ssdi_amount"),
    ("va_disability_service", "va_disability_service_amount"),
    (
        "va_disability_non_service",
        "va_disability_non_service_amount",
    ),
    ("private_disability", "private_disability_amount"),
    ("workers_comp", "workers_comp_amount"),
    ("tanf", "tanf_amount"),
    ("ga", "ga_amount"),
    ("soc_sec_retirement", "soc_sec_retirement_amount"),
    ("pension", "pension_amount"),
    ("child_support", "child_support_amount"),
    ("alimony", "alimony_amount"),
    ("other_income_source", "other_income_amount"),
];

/// 4.03's benefits.
pub const BENEFITS: [&str; 6] = [
    "snap",
    "wic",
    "tanf_child_care",
    "tanf_transportation",
    "other_tanf",
    "other_benefits_source",
];

/// 4.04's kinds of health insurance (W3's ADAP and Ryan White are HOPWA's own).
pub const INSURANCE: [&str; 10] = [
    "medicaid",
    "medicare",
    "schip",
    "vha_services",
    "employer_provided",
    "cobra",
    "private_pay",
    "state_health_ins",
    "indian_health_services",
    "other_insurance",
];

/// A field that holds a value only when another holds one of some codes.
pub struct OnlyWhen {
    pub field: &'static str,
    pub when: &'static str,
    pub codes: &'static [i32],
    /// Whether the field is required then, not only allowed.
    pub required: bool,
}

const fn only_when(field: &'static str, when: &'static str, codes: &'static [i32]) -> OnlyWhen {
    OnlyWhen {
        field,
        when,
        codes,
        required: false,
    }
}

const fn needed_when(field: &'static str, when: &'static str, codes: &'static [i32]) -> OnlyWhen {
    OnlyWhen {
        field,
        when,
        codes,
        required: true,
    }
}

const YES: &[i32] = &[1];

const INCOME_DEPENDENTS: &[OnlyWhen] = &[
    needed_when("other_income_source_identify", "other_income_source", YES),
    needed_when(
        "other_benefits_source_identify",
        "other_benefits_source",
        YES,
    ),
    needed_when("other_insurance_identify", "other_insurance", YES),
];

const HEALTH_DEPENDENTS: &[OnlyWhen] = &[
    only_when("when_occurred", "domestic_violence_survivor", YES),
    only_when("currently_fleeing", "domestic_violence_survivor", YES),
    only_when("due_date", "pregnancy_status", YES),
];

const EMPLOYMENT_DEPENDENTS: &[OnlyWhen] = &[
    only_when("employment_type", "employed", YES),
    only_when("not_employed_reason", "employed", &[0]),
];

const DISABILITY_DEPENDENTS: &[OnlyWhen] = &[
    only_when("t_cell_count_available", "disability_type", &[8]),
    only_when("t_cell_count", "t_cell_count_available", YES),
    only_when("t_cell_source", "t_cell_count_available", YES),
    only_when("viral_load_available", "disability_type", &[8]),
    only_when("viral_load", "viral_load_available", YES),
    only_when("viral_load_source", "viral_load_available", YES),
    only_when("anti_retroviral", "disability_type", &[8]),
];

/// The dependent fields of each collection.
pub fn dependent_fields(collection: Collection) -> &'static [OnlyWhen] {
    match collection {
        Collection::IncomeBenefits => INCOME_DEPENDENTS,
        Collection::HealthAndDv => HEALTH_DEPENDENTS,
        Collection::EmploymentEducation => EMPLOYMENT_DEPENDENTS,
        Collection::Disabilities => DISABILITY_DEPENDENTS,
        Collection::CurrentLivingSituations
        | Collection::Events
        | Collection::YouthEducationStatuses => &[],
    }
}

/// Every consistency problem of a record's fields.
pub fn check_consistency(collection: Collection, fields: &HudFields) -> Vec<FieldError> {
    let mut errors = check_conditional_codes(collection, fields);
    for rule in dependent_fields(collection) {
        let holds = fields
            .code(rule.when)
            .is_some_and(|code| rule.codes.contains(&code));
        let present = fields.get(rule.field).is_some();
        if present && !holds {
            errors.push(FieldError::new(
                rule.field,
                "invalid",
                format!(
                    "`{}` is only recorded when `{}` is {}",
                    rule.field,
                    rule.when,
                    codes(rule.codes)
                ),
            ));
        } else if rule.required && holds && !present {
            errors.push(FieldError::new(
                rule.field,
                "required",
                format!(
                    "`{}` is required when `{}` is {}",
                    rule.field,
                    rule.when,
                    codes(rule.codes)
                ),
            ));
        }
    }
    match collection {
        Collection::IncomeBenefits => {
            check_income(fields, &mut errors);
            check_any_source(fields, "benefits_from_any_source", &BENEFITS, &mut errors);
            check_any_source(fields, "insurance_from_any_source", &INSURANCE, &mut errors);
        }
        Collection::Disabilities => check_indefinite(fields, &mut errors),
        _ => {}
    }
    errors
}

fn codes(codes: &[i32]) -> String {
    codes
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(" or ")
}

/// 4.02: the sources agree with "income from any source" and the total with the amounts.
fn check_income(fields: &HudFields, errors: &mut Vec<FieldError>) {
    let mut total = Cents::from(0);
    let mut paid_source = false;
    for (source, amount_field) in INCOME_SOURCES {
        let answer = fields.code(source);
        let amount = fields.money(amount_field);
        match (answer, amount) {
            (Some(1), None) => errors.push(FieldError::new(
                amount_field,
                "required",
                format!("`{amount_field}` is required when `{source}` is 1"),
            )),
            (Some(1), Some(amount)) => {
                paid_source |= i64::from(amount) > 0;
                total = Cents::from(i64::from(total) + i64::from(amount));
            }
            (_, Some(_)) => errors.push(FieldError::new(
                amount_field,
                "invalid",
                format!("`{amount_field}` is only recorded when `{source}` is 1"),
            )),
            (_, None) => {}
        }
    }
    let any = fields.code("income_from_any_source");
    match any {
        Some(1) if !paid_source => errors.push(FieldError::new(
            "income_from_any_source",
            "invalid",
            "1 needs at least one source at 1 with an amount above 0",
        )),
        Some(1) => {}
        _ => {
            for (source, _) in INCOME_SOURCES {
                if fields.code(source) == Some(1) {
                    errors.push(FieldError::new(
                        source,
                        "invalid",
                        format!("`{source}` may be 1 only when `income_from_any_source` is 1"),
                    ));
                }
            }
        }
    }
    match fields.money("total_monthly_income") {
        Some(given) if given != total => errors.push(FieldError::new(
            "total_monthly_income",
            "invalid",
            format!("`total_monthly_income` is {given}, the sum of the amounts is {total}"),
        )),
        None if any == Some(1) => errors.push(FieldError::new(
            "total_monthly_income",
            "required",
            "`total_monthly_income` is required when `income_from_any_source` is 1",
        )),
        _ => {}
    }
}

/// 4.03 and 4.04: "from any source" 1 names one at 1; anything else names none.
fn check_any_source(
    fields: &HudFields,
    any_field: &'static str,
    sources: &[&'static str],
    errors: &mut Vec<FieldError>,
) {
    let yes: Vec<&str> = sources
        .iter()
        .copied()
        .filter(|source| fields.code(source) == Some(1))
        .collect();
    match fields.code(any_field) {
        Some(1) if yes.is_empty() => errors.push(FieldError::new(
            any_field,
            "invalid",
            format!("1 needs at least one of {} at 1", sources.join(", ")),
        )),
        Some(1) => {}
        _ => {
            for source in yes {
                errors.push(FieldError::new(
                    source,
                    "invalid",
                    format!("`{source}` may be 1 only when `{any_field}` is 1"),
                ));
            }
        }
    }
}

/// 4.05-4.10: "expected to be of long-continued and indefinite duration" follows a yes (for
/// substance use, 4.10, any of alcohol, drug or both).
fn check_indefinite(fields: &HudFields, errors: &mut Vec<FieldError>) {
    if fields.get("indefinite_and_impairs").is_none() {
        return;
    }
    let yes: &[i32] = if fields.code("disability_type") == Some(10) {
        &[1, 2, 3]
    } else {
        &[1]
    };
    if !fields
        .code("disability_response")
        .is_some_and(|response| yes.contains(&response))
    {
        errors.push(FieldError::new(
            "indefinite_and_impairs",
            "invalid",
            format!(
                "`indefinite_and_impairs` is only recorded when `disability_response` is {}",
                codes(yes)
            ),
        ));
    }
}

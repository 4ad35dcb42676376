//! What is recorded against an enrollment (assessments, services, goals, action steps,
//! follow-ups, HUD's records) falls inside its period: the enrollment is the range of time in which the
//! client's outcomes are measured.

use std::fmt;

use uuid::Uuid;

use crate::codes::ServiceRecordType;
use crate::dates::{Date, Period};
use crate::enrollment::EnrollmentFacts;
use crate::hud_records::Collection;
use crate::money::Cents;
use crate::rules::{FieldError, Rule, RuleViolation, Violations};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RecordKind {
    Assessment,
    Service,
    Goal,
    ActionStep,
    FollowUp,
    /// One of HUD's record collections (income and benefits, disabilities, ...).
    Hud(Collection),
}

impl RecordKind {
    /// The name of the collection the record is listed under in the API.
    pub const fn collection(self) -> &'static str {
        match self {
            RecordKind::Assessment => "assessments",
            RecordKind::Service => "services",
            RecordKind::Goal => "goals",
            RecordKind::ActionStep => "action_steps",
            RecordKind::FollowUp => "follow_ups",
            RecordKind::Hud(collection) => collection.name(),
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            RecordKind::Assessment => "assessment",
            RecordKind::Service => "service",
            RecordKind::Goal => "goal",
            RecordKind::ActionStep => "action step",
            RecordKind::FollowUp => "follow-up",
            RecordKind::Hud(collection) => collection.name(),
        };
        f.write_str(name)
    }
}

/// One date of one record that hangs off an enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedRecord {
    pub kind: RecordKind,
    pub id: Uuid,
    /// Which of the record's dates (`date_provided`, `due_date`, ...).
    pub field: &'static str,
    pub date: Date,
}

/// Moving the entry date or exiting must keep every record inside the new period: each record
/// left outside is named, one violation per record.
pub fn check_dependents(period: &Period, records: &[DatedRecord]) -> Result<(), Violations> {
    let broken = records
        .iter()
        .filter(|record| !period.covers(record.date))
        .map(|record| {
            RuleViolation::new(
                Rule::DependentsOutsidePeriod,
                Some(record.kind.collection()),
                format!(
                    "{} {} has {} {}, outside the enrollment's period",
                    record.kind, record.id, record.field, record.date
                ),
            )
        })
        .collect();
    Violations::check(broken)
}

/// A service is dated within the enrollment's period (entry to exit, both included).
pub fn check_service_date(period: &Period, date_provided: Date) -> Result<(), Violations> {
    if period.covers(date_provided) {
        return Ok(());
    }
    Err(Violations::one(RuleViolation::new(
        Rule::ServiceOutsideEnrollment,
        Some("date_provided"),
        "the service's date lies outside the enrollment's period",
    )))
}

/// A service's type (HUD's TypeProvided, element 4.14 and the program-specific service
/// elements P1.2, R14.2, W1.2, V2.2, W2.2, V3.3, P2.2, V8.2, C2.2) is a code of the list its
/// record type (1.4) uses: a bed night (200) is type 200 and nothing else. `field` names the
/// type in the error (`type_provided`, or `TypeProvided` in an imported file).
pub fn check_type_provided(
    field: &str,
    record_type: ServiceRecordType,
    type_provided: i32,
) -> Option<FieldError> {
    let (list, codes) = record_type.type_provided_list();
    (!codes.iter().any(|(code, _)| *code == type_provided)).then(|| {
        let known: Vec<String> = codes.iter().map(|(code, _)| code.to_string()).collect();
        FieldError::new(
            field,
            "invalid",
            format!(
                "{type_provided} is not a type of service of record type {} (HUD list {list}: {})",
                record_type.code(),
                known.join(", ")
            ),
        )
    })
}

/// A service's own data: the type of service (HUD's TypeProvided, whose list depends on the
/// record type: [`check_type_provided`]) is a positive code, and a financial-assistance amount is dollars with at most
/// two decimals from 0 to a billion ([`Cents::from_dollars`]). A field left out is not checked.
pub fn check_service(type_provided: Option<i32>, fa_amount: Option<f64>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if type_provided.is_some_and(|code| !(1..=99_999).contains(&code)) {
        errors.push(FieldError::new(
            "type_provided",
            "invalid",
            "type_provided is a positive code",
        ));
    }
    if fa_amount.is_some_and(|amount| Cents::from_dollars(amount).is_none()) {
        errors.push(FieldError::new(
            "fa_amount",
            "invalid",
            "fa_amount is an amount of dollars from 0 to 1,000,000,000 with at most two decimals",
        ));
    }
    errors
}

/// A closed date says when an achieved or abandoned goal was closed: an open goal has none.
pub fn check_goal_closed_date(goal_open: bool, closed_date: Option<Date>) -> Option<FieldError> {
    (goal_open && closed_date.is_some()).then(|| {
        FieldError::new(
            "closed_date",
            "not_allowed",
            "closed_date only on a goal that is achieved or abandoned",
        )
    })
}

/// Goals, action steps and follow-ups are dated within the enrollment's period.
pub fn check_record_dates(
    period: &Period,
    kind: RecordKind,
    dates: &[(&'static str, Option<Date>)],
) -> Result<(), Violations> {
    let broken = dates
        .iter()
        .filter_map(|(field, date)| date.map(|date| (*field, date)))
        .filter(|(_, date)| !period.covers(*date))
        .map(|(field, date)| {
            RuleViolation::new(
                Rule::DependentsOutsidePeriod,
                Some(field),
                format!("the {kind}'s {field} {date} lies outside the enrollment's period"),
            )
        })
        .collect();
    Violations::check(broken)
}

/// What the linking rules know of an assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentFacts {
    pub id: Uuid,
    pub client_id: Uuid,
    pub enrollment_id: Option<Uuid>,
    pub date: Date,
}

/// An assessment links only to an enrollment of the same client, to at most one enrollment,
/// and only when its date lies within the enrollment's period. Linking it again to the same
/// enrollment is fine.
pub fn link_assessment(
    assessment: &AssessmentFacts,
    enrollment: &EnrollmentFacts,
) -> Result<(), Violations> {
    let mut broken = Vec::new();
    if assessment.client_id != enrollment.client_id {
        broken.push(RuleViolation::new(
            Rule::AssessmentClientMismatch,
            Some("assessment_id"),
            format!("assessment {} belongs to another client", assessment.id),
        ));
    }
    if assessment
        .enrollment_id
        .is_some_and(|linked| linked != enrollment.id)
    {
        broken.push(RuleViolation::new(
            Rule::AssessmentAlreadyLinked,
            Some("assessment_id"),
            format!(
                "assessment {} is linked to another enrollment; unlink it first",
                assessment.id
            ),
        ));
    }
    if !enrollment.period.covers(assessment.date) {
        broken.push(RuleViolation::new(
            Rule::AssessmentOutsideEnrollment,
            Some("assessment_id"),
            format!(
                "assessment {} is dated {}, outside the enrollment's period",
                assessment.id, assessment.date
            ),
        ));
    }
    Violations::check(broken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::RelationshipToHoh;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn stay(entry: &str, exit: Option<&str>) -> Period {
        Period::new(date(entry), exit.map(date))
    }

    fn record(kind: RecordKind, on: &str) -> DatedRecord {
        DatedRecord {
            kind,
            id: Uuid::now_v7(),
            field: "date_provided",
            date: date(on),
        }
    }

    #[test]
    fn records_on_the_entry_and_exit_days_are_inside() {
        let period = stay("2025-01-10", Some("2025-01-20"));
        let records = [
            record(RecordKind::Service, "2025-01-10"),
            record(RecordKind::Service, "2025-01-20"),
        ];
        assert!(check_dependents(&period, &records).is_ok());
    }

    #[test]
    fn every_record_outside_is_named() {
        let period = stay("2025-01-10", Some("2025-01-20"));
        let before = record(RecordKind::Service, "2025-01-09");
        let after = record(RecordKind::FollowUp, "2025-01-21");
        let inside = record(RecordKind::Goal, "2025-01-15");
        let error =
            check_dependents(&period, &[before.clone(), inside, after.clone()]).unwrap_err();
        assert_eq!(error.leading().rule, Rule::DependentsOutsidePeriod);
        assert_eq!(error.all().len(), 2);
        assert!(error.all()[0].message.contains(&before.id.to_string()));
        assert!(error.all()[1].message.contains(&after.id.to_string()));
        assert_eq!(error.all()[1].field, Some("follow_ups"));
    }

    /// HUD's records are moved by nothing either: one dated outside is named, on its
    /// collection, by its file date.
    #[test]
    fn a_hud_record_outside_is_named_by_its_collection() {
        let period = stay("2025-01-10", Some("2025-01-20"));
        let income = DatedRecord {
            field: "information_date",
            ..record(RecordKind::Hud(Collection::IncomeBenefits), "2025-01-21")
        };
        let contact = DatedRecord {
            field: "information_date",
            ..record(
                RecordKind::Hud(Collection::CurrentLivingSituations),
                "2025-01-20",
            )
        };
        let error = check_dependents(&period, &[income.clone(), contact]).unwrap_err();
        let [violation] = error.all() else {
            panic!("one record outside: {error:?}");
        };
        assert_eq!(violation.rule, Rule::DependentsOutsidePeriod);
        assert_eq!(violation.field, Some("income_benefits"));
        assert!(violation.message.contains(&income.id.to_string()));
        assert!(violation.message.contains("information_date 2025-01-21"));
    }

    #[test]
    fn open_periods_hold_any_later_record() {
        let period = stay("2025-01-10", None);
        assert!(check_dependents(&period, &[record(RecordKind::Service, "2099-01-01")]).is_ok());
        assert!(check_dependents(&period, &[record(RecordKind::Service, "2025-01-09")]).is_err());
    }

    #[test]
    fn service_dates() {
        let period = stay("2025-01-10", Some("2025-01-20"));
        assert!(check_service_date(&period, date("2025-01-10")).is_ok());
        assert!(check_service_date(&period, date("2025-01-20")).is_ok());
        let error = check_service_date(&period, date("2025-01-21")).unwrap_err();
        assert_eq!(error.leading().rule, Rule::ServiceOutsideEnrollment);
        assert!(check_service_date(&period, date("2025-01-09")).is_err());
    }

    #[test]
    fn record_dates_check_only_given_dates() {
        let period = stay("2025-01-10", Some("2025-01-20"));
        assert!(check_record_dates(
            &period,
            RecordKind::Goal,
            &[
                ("target_date", None),
                ("closed_date", Some(date("2025-01-20")))
            ]
        )
        .is_ok());
        let error = check_record_dates(
            &period,
            RecordKind::FollowUp,
            &[("due_date", Some(date("2025-01-21")))],
        )
        .unwrap_err();
        assert_eq!(error.leading().rule, Rule::DependentsOutsidePeriod);
        assert_eq!(error.leading().field, Some("due_date"));
    }

    #[test]
    fn a_services_type_is_a_code_of_its_record_types_list() {
        let record_type = |code: i32| ServiceRecordType::try_from(code).expect("a record type");
        // Every record type, a code of its own list and one that is not.
        for (record, good, bad) in [
            (141, 1, 13),
            (142, 2, 1),
            (143, 10, 0),
            (144, 1, 11),
            (151, 7, 6),
            (152, 14, 6),
            (161, 1, 12),
            (200, 200, 1),
            (210, 12, 13),
            (300, 1, 6),
        ] {
            assert_eq!(
                check_type_provided("type_provided", record_type(record), good),
                None
            );
            let error = check_type_provided("type_provided", record_type(record), bad)
                .unwrap_or_else(|| panic!("{bad} accepted for record type {record}"));
            assert_eq!(
                (error.field.as_str(), error.code),
                ("type_provided", "invalid")
            );
        }
        let error = check_type_provided("TypeProvided", record_type(200), 1).expect("refused");
        assert_eq!(error.field, "TypeProvided");
        assert_eq!(
            error.message,
            "1 is not a type of service of record type 200 (HUD list 4.14 BedNight: 200)"
        );
    }

    #[test]
    fn type_provided_is_a_positive_code() {
        for fine in [None, Some(1), Some(200), Some(99_999)] {
            assert_eq!(check_service(fine, None), []);
        }
        for refused in [0, -1, 100_000, i32::MIN, i32::MAX] {
            let errors = check_service(Some(refused), None);
            assert_eq!(errors.len(), 1, "{refused}");
            assert_eq!(
                (
                    errors[0].field.as_str(),
                    errors[0].code,
                    errors[0].message.as_str()
                ),
                (
                    "type_provided",
                    "invalid",
                    "type_provided is a positive code"
                )
            );
        }
    }

    #[test]
    fn fa_amount_is_dollars_with_two_decimals_at_most() {
        for fine in [0.0, 0.01, 125.5, 1_000_000_000.0] {
            assert_eq!(check_service(None, Some(fine)), [], "{fine}");
        }
        for refused in [-0.01, 0.005, 1_000_000_000.01] {
            let errors = check_service(None, Some(refused));
            assert_eq!(errors.len(), 1, "{refused}");
            assert_eq!(errors[0].field, "fa_amount");
            assert_eq!(errors[0].code, "invalid");
        }
        let both: Vec<String> = check_service(Some(0), Some(-1.0))
            .into_iter()
            .map(|error| error.field)
            .collect();
        assert_eq!(both, ["type_provided", "fa_amount"]);
    }

    #[test]
    fn only_a_closed_goal_has_a_closed_date() {
        let day = Some(date("2025-01-15"));
        assert_eq!(check_goal_closed_date(true, None), None);
        assert_eq!(check_goal_closed_date(false, day), None);
        assert_eq!(check_goal_closed_date(false, None), None);
        let error = check_goal_closed_date(true, day).unwrap();
        assert_eq!(
            (error.field.as_str(), error.code, error.message.as_str()),
            (
                "closed_date",
                "not_allowed",
                "closed_date only on a goal that is achieved or abandoned"
            )
        );
    }

    fn enrollment(client_id: Uuid, period: Period) -> EnrollmentFacts {
        EnrollmentFacts {
            id: Uuid::now_v7(),
            client_id,
            program_id: Uuid::now_v7(),
            household_id: Uuid::now_v7(),
            relationship: RelationshipToHoh::SELF_HEAD,
            period,
            move_in_date: None,
        }
    }

    #[test]
    fn assessment_links() {
        let client = Uuid::now_v7();
        let target = enrollment(client, stay("2025-01-10", Some("2025-01-20")));
        let assessment = AssessmentFacts {
            id: Uuid::now_v7(),
            client_id: client,
            enrollment_id: None,
            date: date("2025-01-10"),
        };
        assert!(link_assessment(&assessment, &target).is_ok());
        let relinked = AssessmentFacts {
            enrollment_id: Some(target.id),
            ..assessment.clone()
        };
        assert!(link_assessment(&relinked, &target).is_ok());

        let elsewhere = AssessmentFacts {
            enrollment_id: Some(Uuid::now_v7()),
            ..assessment.clone()
        };
        let error = link_assessment(&elsewhere, &target).unwrap_err();
        assert_eq!(error.leading().rule, Rule::AssessmentAlreadyLinked);

        let stranger = AssessmentFacts {
            client_id: Uuid::now_v7(),
            ..assessment.clone()
        };
        let error = link_assessment(&stranger, &target).unwrap_err();
        assert_eq!(error.leading().rule, Rule::AssessmentClientMismatch);

        for outside in ["2025-01-09", "2025-01-21"] {
            let late = AssessmentFacts {
                date: date(outside),
                ..assessment.clone()
            };
            let error = link_assessment(&late, &target).unwrap_err();
            assert_eq!(error.leading().rule, Rule::AssessmentOutsideEnrollment);
        }
    }
}

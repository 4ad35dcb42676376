//! What is recorded against a stay: services of the kinds its project type gives, and for
//! heads of household, assessments. Every date falls within the stay and not after today.

use threshold_domain::codes::{
    AssessmentLevel, AssessmentType, PrioritizationStatus, ServiceRecordType,
};
use threshold_domain::Date;
use threshold_persistence::rows::{AssessmentRow, EnrollmentRow, ServiceRow, StoredAnswer};

use super::chance::Chance;
use super::names::{ASSESSMENT_LOCATIONS, ASSESSMENT_QUESTIONS, SERVICE_NOTES};
use super::reference::Program;
use super::stays::Context;
use super::Batch;

/// A HUD record type and whether it carries an amount; its types of service are the codes
/// of the list the record type uses (`ServiceRecordType::type_provided_list`).
type ServiceKind = (i32, bool);

const BED_NIGHTS: &[ServiceKind] = &[(200, false)];
const PATH: &[ServiceKind] = &[(141, false)];
const RHY: &[ServiceKind] = &[(142, false)];
const HOPWA: &[ServiceKind] = &[(143, false), (151, true)];
const SSVF: &[ServiceKind] = &[(144, false), (152, true)];
const REFERRALS: &[ServiceKind] = &[(161, false)];
const MOVING_ON: &[ServiceKind] = &[(300, false)];

pub fn service_kinds(program: &Program) -> &'static [ServiceKind] {
    match program.project_type.code() {
        0 | 1 | 8 | 11 => BED_NIGHTS,
        2 => RHY,
        3 | 9 | 10 => HOPWA,
        4 | 6 => PATH,
        12 | 13 => SSVF,
        14 => REFERRALS,
        _ => MOVING_ON,
    }
}

/// The last day something can be recorded for the stay: its exit, or today.
fn last_day(context: &Context<'_>, enrollment: &EnrollmentRow) -> Date {
    enrollment.exit_date.map_or(context.today, Into::into)
}

pub fn services(
    chance: &mut Chance,
    context: &Context<'_>,
    program: &Program,
    enrollment: &EnrollmentRow,
    head: bool,
    batch: &mut Batch,
) {
    let kinds = service_kinds(program);
    let count = match (head, kinds == BED_NIGHTS) {
        (true, true) => chance.between(1, 4),
        (true, false) => chance.between(0, 2),
        (false, _) => u32::from(chance.percent(15)),
    };
    let entry: Date = enrollment.entry_date.into();
    let last_day = last_day(context, enrollment);
    for _ in 0..count {
        let (record_type, financial) = *chance.pick(kinds);
        let record_type: ServiceRecordType = chance.code(&[(record_type, 1)]);
        let (_, types) = record_type.type_provided_list();
        let date = chance.day_between(entry, last_day);
        batch.services.push(ServiceRow {
            id: chance.id(),
            enrollment_id: enrollment.id,
            date_provided: date.naive(),
            record_type: record_type.code(),
            type_provided: chance.pick(types).0,
            other_type_provided: None,
            fa_amount_cents: financial.then(|| i64::from(chance.between(50, 2_500)) * 100),
            note: chance
                .percent(30)
                .then(|| (*chance.pick(SERVICE_NOTES)).to_owned()),
            version: 1,
            created_at: context.at,
            updated_at: context.at,
            created_by: enrollment.created_by.clone(),
            updated_by: enrollment.created_by.clone(),
            deleted_at: None,
        });
    }
}

/// Coordinated entry assesses every head of household, once or twice; other programs
/// sometimes do.
pub fn assessments(
    chance: &mut Chance,
    context: &Context<'_>,
    program: &Program,
    enrollment: &EnrollmentRow,
    batch: &mut Batch,
) {
    let count = if program.project_type.code() == 14 {
        chance.between(1, 2)
    } else {
        u32::from(chance.percent(20))
    };
    let entry: Date = enrollment.entry_date.into();
    let last_day = last_day(context, enrollment);
    for _ in 0..count {
        let assessment_type: AssessmentType = chance.code(&[(1, 20), (2, 10), (3, 70)]);
        let level: AssessmentLevel = chance.code(&[(1, 40), (2, 60)]);
        let prioritization: PrioritizationStatus = chance.code(&[(1, 60), (2, 40)]);
        let first = chance.between(0, ASSESSMENT_QUESTIONS.len() as u32 - 1) as usize;
        let asked = chance.between(2, 4) as usize;
        let answers: Vec<StoredAnswer> = (0..asked)
            .map(|offset| {
                let (question, answers) =
                    ASSESSMENT_QUESTIONS[(first + offset) % ASSESSMENT_QUESTIONS.len()];
                StoredAnswer {
                    question: question.to_owned(),
                    answer: (*chance.pick(answers)).to_owned(),
                }
            })
            .collect();
        let date = chance.day_between(entry, last_day);
        batch.assessments.push(AssessmentRow {
            id: chance.id(),
            client_id: enrollment.client_id,
            enrollment_id: Some(enrollment.id),
            assessment_date: date.naive(),
            assessment_location: (*chance.pick(ASSESSMENT_LOCATIONS)).to_owned(),
            assessment_type: assessment_type.code(),
            assessment_level: level.code(),
            prioritization_status: prioritization.code(),
            answers: StoredAnswer::encode(&answers),
            results: "[]".into(),
            version: 1,
            created_at: context.at,
            updated_at: context.at,
            created_by: enrollment.created_by.clone(),
            updated_by: enrollment.created_by.clone(),
            deleted_at: None,
        });
    }
}

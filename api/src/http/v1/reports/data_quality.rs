//! `GET /v1/reports/data-quality`: the records of each program that break a HUD
//! data-quality expectation.

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::reports::{ClientAnswers, DataQualityReport, EnrollmentRecord};
use threshold_persistence::ids::ProgramId;
use threshold_persistence::privacy::Sight;
use threshold_persistence::reports::{self, ReportScope};
use threshold_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DataQualityQuery {
    /// Only this program.
    #[param(value_type = Option<Uuid>)]
    pub program_id: Option<ProgramId>,
}

/// Enrollments that fail a check.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnrollmentCheck {
    pub count: usize,
    /// Sorted.
    pub enrollment_ids: Vec<Uuid>,
}

/// Households that fail a check.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HouseholdCheck {
    pub count: usize,
    /// Sorted.
    pub household_ids: Vec<Uuid>,
}

/// Clients enrolled in the program whose answer is 8 (doesn't know), 9 (prefers not to
/// answer) or 99 (not collected).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClientCheck {
    pub count: usize,
    /// Sorted.
    pub client_ids: Vec<Uuid>,
}

/// The checks of one program, over its enrollments that are not deleted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgramDataQuality {
    #[schema(value_type = Uuid)]
    pub program_id: ProgramId,
    pub name: String,
    /// Households with no head, or more than one, among their enrollments.
    pub households_without_one_head: HouseholdCheck,
    /// Members who entered before their household's head.
    pub members_before_head: EnrollmentCheck,
    /// Enrollments whose period overlaps another of the same client in the program.
    pub overlapping_enrollments: EnrollmentCheck,
    /// Exit dates before entry dates.
    pub exits_before_entries: EnrollmentCheck,
    /// Move-in dates before entry or after exit.
    pub move_in_outside_stay: EnrollmentCheck,
    /// Exited enrollments without a destination.
    pub missing_destination: EnrollmentCheck,
    /// Exited enrollments whose destination is 8, 9 or 99.
    pub destination_dont_know_refused_missing: EnrollmentCheck,
    pub name_dont_know_refused_missing: ClientCheck,
    pub ssn_dont_know_refused_missing: ClientCheck,
    pub dob_dont_know_refused_missing: ClientCheck,
    pub veteran_status_dont_know_refused_missing: ClientCheck,
    pub sex_dont_know_refused_missing: ClientCheck,
    /// Enrollments stored more than 3 days after their entry date.
    pub entries_recorded_late: EnrollmentCheck,
    /// Exits stored more than 3 days after their exit date.
    pub exits_recorded_late: EnrollmentCheck,
    /// Enrollments imported from another system though they break enrollment rules, each
    /// read with its `flags`.
    pub flagged_enrollments: EnrollmentCheck,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DataQualityReportView {
    /// By name.
    pub programs: Vec<ProgramDataQuality>,
}

fn enrollments(ids: Vec<Uuid>) -> EnrollmentCheck {
    EnrollmentCheck {
        count: ids.len(),
        enrollment_ids: ids,
    }
}

fn households(ids: Vec<Uuid>) -> HouseholdCheck {
    HouseholdCheck {
        count: ids.len(),
        household_ids: ids,
    }
}

fn clients(ids: Vec<Uuid>) -> ClientCheck {
    ClientCheck {
        count: ids.len(),
        client_ids: ids,
    }
}

impl ProgramDataQuality {
    fn new(program_id: ProgramId, name: String, report: DataQualityReport) -> ProgramDataQuality {
        ProgramDataQuality {
            program_id,
            name,
            households_without_one_head: households(report.households_without_one_head),
            members_before_head: enrollments(report.members_before_head),
            overlapping_enrollments: enrollments(report.overlapping_enrollments),
            exits_before_entries: enrollments(report.exits_before_entries),
            move_in_outside_stay: enrollments(report.move_in_outside_stay),
            missing_destination: enrollments(report.missing_destination),
            destination_dont_know_refused_missing: enrollments(
                report.destination_dont_know_refused_missing,
            ),
            name_dont_know_refused_missing: clients(report.name_dont_know_refused_missing),
            ssn_dont_know_refused_missing: clients(report.ssn_dont_know_refused_missing),
            dob_dont_know_refused_missing: clients(report.dob_dont_know_refused_missing),
            veteran_status_dont_know_refused_missing: clients(
                report.veteran_status_dont_know_refused_missing,
            ),
            sex_dont_know_refused_missing: clients(report.sex_dont_know_refused_missing),
            entries_recorded_late: enrollments(report.entries_recorded_late),
            exits_recorded_late: enrollments(report.exits_recorded_late),
            flagged_enrollments: enrollments(report.flagged_enrollments),
        }
    }
}

/// The checks of the programs the organization scope sees (`None`: every organization).
pub fn data_quality_report(
    conn: &mut DbConnection,
    sight: Sight,
    program_id: Option<ProgramId>,
) -> Result<DataQualityReportView, ApiError> {
    let scope = ReportScope { sight, program_id };
    let programs = super::programs_in(conn, scope)?;
    let mut by_program: BTreeMap<ProgramId, (Vec<EnrollmentRecord>, Vec<ClientAnswers>)> =
        BTreeMap::new();
    for fact in reports::data_quality_facts(conn, scope)? {
        let (enrollments, clients) = by_program.entry(fact.program_id).or_default();
        enrollments.push(fact.enrollment);
        clients.push(fact.client);
    }
    let programs = programs
        .into_iter()
        .map(|program| {
            let (enrollments, clients) = by_program.remove(&program.id).unwrap_or_default();
            Ok(ProgramDataQuality::new(
                program.id,
                program.name,
                DataQualityReport::check(&enrollments, &clients),
            ))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(DataQualityReportView { programs })
}

pub async fn get_data_quality_report(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<DataQualityQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = caller.sight();
    let program_id = query.into_inner().program_id;
    let report = state
        .read_lagging(move |conn| data_quality_report(conn, scope, program_id))
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

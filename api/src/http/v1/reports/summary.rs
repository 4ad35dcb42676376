//! `GET /v1/reports/enrollment-summary`: entries, exits and who was there, per program and
//! per grant, over a date range.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::reports::{ClassCounts, ReportRange, Summary};
use threshold_domain::Date;
use threshold_persistence::ids::{GrantId, ProgramId};
use threshold_persistence::privacy::Sight;
use threshold_persistence::reference::grant;
use threshold_persistence::reports::{self, ReportScope, SummaryFact};
use threshold_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EnrollmentSummaryQuery {
    /// The first day of the range.
    #[param(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub from: Date,
    /// The last day of the range (included), not before `from`.
    #[param(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub to: Date,
    /// Only this program.
    #[param(value_type = Option<Uuid>)]
    pub program_id: Option<ProgramId>,
    /// Only this grant's program, and only this grant in its `grants`.
    #[param(value_type = Option<Uuid>)]
    pub grant_id: Option<GrantId>,
}

/// Exits within the range by the class of their destination (by its first digit: 1xx
/// homeless, 2xx institutional, 3xx temporary, 4xx permanent; the rest, and exits without a
/// destination, other).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DestinationClassCounts {
    pub permanent: u64,
    pub temporary: u64,
    pub institutional: u64,
    pub homeless: u64,
    pub other: u64,
}

/// The numbers of a set of enrollments (deleted ones never count) over the range.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SummaryCounts {
    /// Enrollments active on `from`: entered on or before it, not exited on or before it.
    pub active_at_start: u64,
    /// Enrollments entered within the range.
    pub entries: u64,
    /// Enrollments exited within the range.
    pub exits: u64,
    /// Enrollments active on `to`.
    pub active_at_end: u64,
    pub exits_by_destination_class: DestinationClassCounts,
    /// Over the enrollments exited within the range: exit date minus entry date, in days,
    /// rounded to two decimals; null when none exited.
    pub average_length_of_stay_days: Option<f64>,
    /// Over the same enrollments; null when none exited.
    pub median_length_of_stay_days: Option<f64>,
}

impl From<Summary> for SummaryCounts {
    fn from(summary: Summary) -> Self {
        let ClassCounts {
            permanent,
            temporary,
            institutional,
            homeless,
            other,
        } = summary.exits_by_destination_class;
        SummaryCounts {
            active_at_start: summary.active_at_start,
            entries: summary.entries,
            exits: summary.exits,
            active_at_end: summary.active_at_end,
            exits_by_destination_class: DestinationClassCounts {
                permanent,
                temporary,
                institutional,
                homeless,
                other,
            },
            average_length_of_stay_days: summary.length_of_stay.map(|stay| stay.average_days),
            median_length_of_stay_days: summary.length_of_stay.map(|stay| stay.median_days),
        }
    }
}

/// The enrollments of one grant (those that name it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantSummary {
    #[schema(value_type = Uuid)]
    pub grant_id: GrantId,
    #[serde(flatten)]
    pub counts: SummaryCounts,
}

/// Every enrollment of a program, and its grants' share.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgramSummary {
    #[schema(value_type = Uuid)]
    pub program_id: ProgramId,
    pub name: String,
    #[serde(flatten)]
    pub counts: SummaryCounts,
    /// Every grant of the program, by ID.
    pub grants: Vec<GrantSummary>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "from": "2025-01-01",
    "to": "2025-03-31",
    "programs": [{
        "program_id": "0193a1b2-0000-7000-8000-000000000002",
        "name": "Harbor Shelter",
        "active_at_start": 12, "entries": 30, "exits": 25, "active_at_end": 17,
        "exits_by_destination_class": {"permanent": 10, "temporary": 6, "institutional": 2,
            "homeless": 4, "other": 3},
        "average_length_of_stay_days": 41.28, "median_length_of_stay_days": 33.0,
        "grants": []
    }]
}))]
pub struct EnrollmentSummary {
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub from: Date,
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub to: Date,
    /// By name.
    pub programs: Vec<ProgramSummary>,
}

/// The summary of the programs the caller sees (every organization's for an admin), of the
/// clients it sees.
pub fn enrollment_summary(
    conn: &mut DbConnection,
    sight: Sight,
    range: ReportRange,
    program_id: Option<ProgramId>,
    grant_id: Option<GrantId>,
) -> Result<EnrollmentSummary, ApiError> {
    let grant_program = match grant_id {
        Some(grant_id) => {
            let row = grant::find(conn, grant_id)?.ok_or(ApiError::NotFound)?;
            if program_id.is_some_and(|program_id| program_id != row.program_id) {
                return Err(ApiError::NotFound);
            }
            Some(row.program_id)
        }
        None => None,
    };
    let scope = ReportScope {
        sight,
        program_id: grant_program.or(program_id),
    };
    let programs = super::programs_in(conn, scope)?;
    let grants: Vec<(GrantId, ProgramId)> = reports::grants(conn, scope)?
        .into_iter()
        .filter(|(id, _)| grant_id.is_none_or(|wanted| wanted == *id))
        .collect();
    let facts = reports::summary_facts(conn, scope)?;
    let summary_of = |keep: &dyn Fn(&SummaryFact) -> bool| {
        let stays: Vec<_> = facts
            .iter()
            .filter(|fact| keep(fact))
            .map(|fact| fact.stay)
            .collect();
        SummaryCounts::from(Summary::of(range, &stays))
    };
    let programs = programs
        .into_iter()
        .map(|program| {
            let grants = grants
                .iter()
                .filter(|(_, grant_program)| *grant_program == program.id)
                .map(|&(grant_id, _)| GrantSummary {
                    grant_id,
                    counts: summary_of(&|fact| fact.grant_id == Some(grant_id)),
                })
                .collect();
            Ok(ProgramSummary {
                program_id: program.id,
                counts: summary_of(&|fact| fact.program_id == program.id),
                name: program.name,
                grants,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(EnrollmentSummary {
        from: range.from(),
        to: range.to(),
        programs,
    })
}

pub async fn get_enrollment_summary(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<EnrollmentSummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let range = ReportRange::new(query.from, query.to)
        .map_err(|error| ApiError::malformed_field("from", error.to_string()))?;
    let scope = caller.sight();
    let program_id = query.program_id;
    let grant_id = query.grant_id;
    let summary = state
        .read_lagging(move |conn| enrollment_summary(conn, scope, range, program_id, grant_id))
        .await?;
    Ok(HttpResponse::Ok().json(summary))
}

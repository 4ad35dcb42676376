//! HUD's CoC APR and ESG CAPER tables (HMIS Programming Specifications, FY2026; the tables
//! are those of FY2024): data quality (Q5a, Q6a-Q6f) and outcomes (Q7a, Q8a, Q19a1-2, Q22a,
//! Q23c), computed from plain facts about enrollments. Every count cell names the enrollments
//! it counts, so that a count can be listed.
//!
//! The report universe: the enrollments active in the range (project start on or before its
//! end, no exit or an exit on or after its start), one per client: the latest project start.

mod chronic;
mod data_quality;
mod facts;
mod income;
mod outcomes;
mod served;
mod ssn;
mod table;
mod timeliness;
mod universe;
mod validations;

pub use facts::{ClientAnswers, IncomeRecord, LivingSituation, ReportedEnrollment};
pub use table::{cell_id, find_cell, Cell, CellValue, Detail, Member, Members, Table};

use crate::reports::ReportRange;

/// `GET /v1/reports/hud-data-quality`: Q5a, Q6a, Q6b, Q6c, Q6d, Q6e and Q6f, in that order,
/// every cell with its members.
pub fn hud_data_quality(range: &ReportRange, facts: &[ReportedEnrollment]) -> Vec<Table> {
    hud_data_quality_with(range, facts, Detail::All)
}

/// [`hud_data_quality`], the cells keeping their members as `detail` says.
pub fn hud_data_quality_with<'a>(
    range: &ReportRange,
    facts: &'a [ReportedEnrollment],
    detail: Detail<'a>,
) -> Vec<Table> {
    let universe = universe::Universe::new(range, facts, detail);
    vec![
        validations::q5a(&universe),
        data_quality::q6a(&universe),
        data_quality::q6b(&universe),
        data_quality::q6c(&universe),
        chronic::q6d(&universe),
        timeliness::q6e(&universe),
        timeliness::q6f(&universe),
    ]
}

/// `GET /v1/reports/outcomes`: Q7a, Q8a, Q19a1, Q19a2, Q22a and Q23c, in that order, every
/// cell with its members.
pub fn outcomes(range: &ReportRange, facts: &[ReportedEnrollment]) -> Vec<Table> {
    outcomes_with(range, facts, Detail::All)
}

/// [`outcomes`], the cells keeping their members as `detail` says.
pub fn outcomes_with<'a>(
    range: &ReportRange,
    facts: &'a [ReportedEnrollment],
    detail: Detail<'a>,
) -> Vec<Table> {
    let universe = universe::Universe::new(range, facts, detail);
    vec![
        served::q7a(&universe),
        served::q8a(&universe),
        income::q19a1(&universe),
        income::q19a2(&universe),
        outcomes::q22a(&universe),
        outcomes::q23c(&universe),
    ]
}

#[cfg(test)]
mod tests;

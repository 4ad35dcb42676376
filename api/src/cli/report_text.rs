//! The reports as plain text tables, for the command line.

use threshold_domain::reports::hud::Table;

use crate::http::v1::reports::{
    cell_text, DataQualityReportView, EnrollmentSummary, SummaryCounts,
};

/// Columns padded to their widest cell; numbers right-aligned, text left-aligned.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let numeric = |column: usize| {
        rows.iter()
            .all(|row| row[column] == "-" || row[column].parse::<f64>().is_ok())
    };
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                if column > 0 && numeric(column) {
                    format!("{cell:>width$}", width = widths[column])
                } else {
                    format!("{cell:<width$}", width = widths[column])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = line(header.to_vec());
    out.push('\n');
    let rules: Vec<String> = widths.iter().map(|width| "-".repeat(*width)).collect();
    out.push_str(&line(rules.iter().map(String::as_str).collect()));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    out
}

fn days(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |days| days.to_string())
}

fn counts_row(label: String, counts: &SummaryCounts) -> Vec<String> {
    let classes = &counts.exits_by_destination_class;
    vec![
        label,
        counts.active_at_start.to_string(),
        counts.entries.to_string(),
        counts.exits.to_string(),
        counts.active_at_end.to_string(),
        classes.permanent.to_string(),
        classes.temporary.to_string(),
        classes.institutional.to_string(),
        classes.homeless.to_string(),
        classes.other.to_string(),
        days(counts.average_length_of_stay_days),
        days(counts.median_length_of_stay_days),
    ]
}

pub fn enrollment_summary(summary: &EnrollmentSummary) -> String {
    let mut rows = Vec::new();
    for program in &summary.programs {
        rows.push(counts_row(
            format!("{} ({})", program.name, program.program_id),
            &program.counts,
        ));
        for grant in &program.grants {
            rows.push(counts_row(
                format!("  grant {}", grant.grant_id),
                &grant.counts,
            ));
        }
    }
    let header = [
        "program / grant",
        "active at start",
        "entries",
        "exits",
        "active at end",
        "permanent",
        "temporary",
        "institutional",
        "homeless",
        "other",
        "average stay (days)",
        "median stay (days)",
    ];
    if rows.is_empty() {
        return format!(
            "Enrollment summary from {} to {}\n\nno programs\n",
            summary.from, summary.to
        );
    }
    format!(
        "Enrollment summary from {} to {}\n\n{}",
        summary.from,
        summary.to,
        table(&header, &rows)
    )
}

fn ids<T: ToString>(ids: &[T]) -> String {
    ids.iter().map(T::to_string).collect::<Vec<_>>().join(" ")
}

pub fn data_quality(report: &DataQualityReportView) -> String {
    let mut out = String::from("Data quality\n");
    for program in &report.programs {
        let checks = [
            (
                "households without one head",
                program.households_without_one_head.count,
                ids(&program.households_without_one_head.household_ids),
            ),
            (
                "members before head",
                program.members_before_head.count,
                ids(&program.members_before_head.enrollment_ids),
            ),
            (
                "overlapping enrollments",
                program.overlapping_enrollments.count,
                ids(&program.overlapping_enrollments.enrollment_ids),
            ),
            (
                "exits before entries",
                program.exits_before_entries.count,
                ids(&program.exits_before_entries.enrollment_ids),
            ),
            (
                "move-in outside stay",
                program.move_in_outside_stay.count,
                ids(&program.move_in_outside_stay.enrollment_ids),
            ),
            (
                "missing destination",
                program.missing_destination.count,
                ids(&program.missing_destination.enrollment_ids),
            ),
            (
                "destination 8/9/99",
                program.destination_dont_know_refused_missing.count,
                ids(&program.destination_dont_know_refused_missing.enrollment_ids),
            ),
            (
                "name quality 8/9/99 (clients)",
                program.name_dont_know_refused_missing.count,
                ids(&program.name_dont_know_refused_missing.client_ids),
            ),
            (
                "SSN quality 8/9/99 (clients)",
                program.ssn_dont_know_refused_missing.count,
                ids(&program.ssn_dont_know_refused_missing.client_ids),
            ),
            (
                "DOB quality 8/9/99 (clients)",
                program.dob_dont_know_refused_missing.count,
                ids(&program.dob_dont_know_refused_missing.client_ids),
            ),
            (
                "veteran status 8/9/99 (clients)",
                program.veteran_status_dont_know_refused_missing.count,
                ids(&program.veteran_status_dont_know_refused_missing.client_ids),
            ),
            (
                "sex 8/9/99 (clients)",
                program.sex_dont_know_refused_missing.count,
                ids(&program.sex_dont_know_refused_missing.client_ids),
            ),
            (
                "entries recorded > 3 days late",
                program.entries_recorded_late.count,
                ids(&program.entries_recorded_late.enrollment_ids),
            ),
            (
                "exits recorded > 3 days late",
                program.exits_recorded_late.count,
                ids(&program.exits_recorded_late.enrollment_ids),
            ),
            (
                "flagged (imported breaking rules)",
                program.flagged_enrollments.count,
                ids(&program.flagged_enrollments.enrollment_ids),
            ),
        ];
        let rows: Vec<Vec<String>> = checks
            .into_iter()
            .map(|(check, count, ids)| vec![check.to_owned(), count.to_string(), ids])
            .collect();
        out.push_str(&format!(
            "\n{} ({})\n{}",
            program.name,
            program.program_id,
            table(&["check", "count", "IDs"], &rows)
        ));
    }
    if report.programs.is_empty() {
        out.push_str("\nno programs\n");
    }
    out
}

/// HUD's tables, each under its question and title: row labels down, column labels across,
/// `-` where HUD greys a cell out.
pub fn hud_tables(tables: &[Table]) -> String {
    let mut out = String::new();
    for hud in tables {
        out.push_str(&format!("{} {}\n", hud.question, hud.title));
        let mut header = vec![""];
        header.extend(hud.columns.iter().copied());
        let rows: Vec<Vec<String>> = hud
            .rows
            .iter()
            .map(|row| {
                let mut cells = vec![(*row).to_owned()];
                cells.extend(hud.columns.iter().map(|column| {
                    hud.at(row, column)
                        .map(|cell| cell_text(&cell.value))
                        .unwrap_or_else(|| "-".to_owned())
                }));
                cells
            })
            .collect();
        out.push_str(&table(&header, &rows));
        out.push('\n');
    }
    out
}

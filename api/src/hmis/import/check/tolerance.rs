//! A tolerant import (contract: "Imports from other systems"): the rows whose values cannot
//! be read are taken out of the plan, and with them every row that depends on one (an
//! exit or an assessment on its enrollment; an enrollment on its client or project;
//! a grant or a program's record on its project), each said with `caused_by`: the row that
//! caused it. What is left is checked by the enrollment rules, which flag instead of
//! refusing. Services and HUD's records, checked after, are refused with an enrollment
//! not imported (`Checker::record_files`).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use threshold_persistence::ids::{AssessmentId, ClientId, EnrollmentId, ProgramId};

use super::plan::Meta;
use super::Checker;
use crate::hmis::import::{codes, CausedBy, ImportError, Severity};

/// The rows refused for their own values: their lines, by file.
#[derive(Debug, Default)]
struct Refused(HashMap<String, HashSet<u64>>);

impl Refused {
    fn contains(&self, file: &str, line: u64) -> bool {
        self.0.get(file).is_some_and(|lines| lines.contains(&line))
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Checker<'_> {
    /// Takes every refused row out of the plan with what depends on it.
    pub(super) fn skip_refused(&mut self) {
        let mut refused = Refused::default();
        for problem in self.errors.iter().filter(|problem| problem.is_error()) {
            if let Some(line) = problem.line {
                refused
                    .0
                    .entry(problem.file.clone())
                    .or_default()
                    .insert(line);
            }
        }
        if refused.is_empty() {
            return;
        }
        let mut problems = Vec::new();
        let plan = &mut self.plan;
        drop_refused(&mut plan.users, "User.csv", &refused, |record| &record.meta);
        let projects: HashMap<ProgramId, CausedBy> =
            drop_refused(&mut plan.projects, "Project.csv", &refused, |record| {
                &record.meta
            });
        let mut depends = Depends {
            problems: &mut problems,
            refused: &refused,
        };
        depends.skip(
            &mut plan.funders,
            "Funder.csv",
            "ProjectID",
            &projects,
            |record| (&record.meta, record.program_id),
        );
        depends.skip(
            &mut plan.project_cocs,
            "ProjectCoC.csv",
            "ProjectID",
            &projects,
            |record| (&record.meta, record.program_id),
        );
        depends.skip(
            &mut plan.inventories,
            "Inventory.csv",
            "ProjectID",
            &projects,
            |record| (&record.meta, record.program_id),
        );
        depends.skip(
            &mut plan.hmis_participations,
            "HMISParticipation.csv",
            "ProjectID",
            &projects,
            |record| (&record.meta, record.program_id),
        );
        depends.skip(
            &mut plan.ce_participations,
            "CEParticipation.csv",
            "ProjectID",
            &projects,
            |record| (&record.meta, record.program_id),
        );
        depends.skip(
            &mut plan.affiliations,
            "Affiliation.csv",
            "ProjectID",
            &projects,
            |record| (&record.meta, record.program_id),
        );
        depends.drop(
            &mut plan.affiliations,
            "Affiliation.csv",
            "ResProjectID",
            &projects,
            |record| (&record.meta, record.res_program_id),
        );
        let clients: HashMap<ClientId, CausedBy> =
            drop_refused(&mut plan.clients, "Client.csv", &refused, |record| {
                &record.meta
            });
        // An exit refused for its own values is left out; its enrollment stays active.
        for enrollment in &mut plan.enrollments {
            let exit_refused = enrollment
                .exit
                .as_ref()
                .is_some_and(|exit| refused.contains("Exit.csv", exit.meta.line));
            if exit_refused {
                enrollment.exit = None;
            }
        }
        plan.deleted_exits
            .retain(|meta| !refused.contains("Exit.csv", meta.line));
        // An exit goes with its enrollment: its row says so.
        let exits: HashMap<EnrollmentId, u64> = plan
            .enrollments
            .iter()
            .filter_map(|record| Some((record.meta.id, record.exit.as_ref()?.meta.line)))
            .collect();
        let enrollment_sources: HashMap<EnrollmentId, String> = plan
            .enrollments
            .iter()
            .map(|record| (record.meta.id, record.meta.source_id.clone()))
            .collect();
        let mut enrollments = depends.skip(
            &mut plan.enrollments,
            "Enrollment.csv",
            "PersonalID",
            &clients,
            |record| (&record.meta, record.client_id),
        );
        let dropped = depends.drop(
            &mut plan.enrollments,
            "Enrollment.csv",
            "ProjectID",
            &projects,
            |record| (&record.meta, record.program_id),
        );
        enrollments.extend(dropped);
        for (enrollment, cause) in &enrollments {
            if let Some(line) = exits.get(enrollment) {
                depends.problem("Exit.csv", *line, "EnrollmentID", cause);
            }
        }
        // An assessment's questions and results go with it.
        let parts: HashMap<AssessmentId, (Vec<u64>, Vec<u64>)> = plan
            .assessments
            .iter()
            .map(|record| {
                let lines = (record.question_lines.clone(), record.result_lines.clone());
                (record.meta.id, lines)
            })
            .collect();
        let assessments = depends.skip(
            &mut plan.assessments,
            "Assessment.csv",
            "EnrollmentID",
            &enrollments,
            |record| (&record.meta, record.enrollment_id),
        );
        for (assessment, cause) in &assessments {
            let Some((questions, results)) = parts.get(assessment) else {
                continue;
            };
            for line in questions {
                depends.problem("AssessmentQuestions.csv", *line, "AssessmentID", cause);
            }
            for line in results {
                depends.problem("AssessmentResults.csv", *line, "AssessmentID", cause);
            }
        }
        // HUD's records, read after, refer to the enrollments by their source IDs: one not
        // imported names the row that caused it, as one refused for its own values does.
        let unplanned = self.unplanned.entry("enrollment").or_default();
        for (id, cause) in &enrollments {
            if let Some(source_id) = enrollment_sources.get(id) {
                unplanned.insert(source_id.clone(), cause.clone());
            }
        }
        self.errors.append(&mut problems);
        // The enrollments' places changed.
        self.index_enrollments();
    }
}

/// Takes the records of `file` on refused lines out of `records`: by their ids, the row
/// each was.
fn drop_refused<T, I: Copy + Eq + Hash>(
    records: &mut Vec<T>,
    file: &str,
    refused: &Refused,
    meta: impl Fn(&T) -> &Meta<I>,
) -> HashMap<I, CausedBy> {
    let mut dropped = HashMap::new();
    records.retain(|record| {
        let meta = meta(record);
        let keep = !refused.contains(file, meta.line);
        if !keep {
            dropped.insert(
                meta.id,
                CausedBy {
                    file: file.to_owned(),
                    line: meta.line,
                },
            );
        }
        keep
    });
    dropped
}

/// Rows taken out because a row they depend on was.
struct Depends<'p> {
    problems: &'p mut Vec<ImportError>,
    refused: &'p Refused,
}

impl Depends<'_> {
    /// Takes out of `records` (of `file`) those whose parent (by `column`) is among
    /// `parents`, each with a problem naming the parent's row; by their ids, the row each
    /// was. A row refused for its own values already says so.
    fn drop<T, I: Copy + Eq + Hash, P: Eq + Hash>(
        &mut self,
        records: &mut Vec<T>,
        file: &str,
        column: &str,
        parents: &HashMap<P, CausedBy>,
        parent: impl Fn(&T) -> (&Meta<I>, P),
    ) -> HashMap<I, CausedBy> {
        let mut dropped = HashMap::new();
        if parents.is_empty() {
            return dropped;
        }
        records.retain(|record| {
            let (meta, parent) = parent(record);
            let Some(cause) = parents.get(&parent) else {
                return true;
            };
            self.problem(file, meta.line, column, cause);
            dropped.insert(
                meta.id,
                CausedBy {
                    file: file.to_owned(),
                    line: meta.line,
                },
            );
            false
        });
        dropped
    }

    /// Says that the row on `line` of `file` is not imported because of `cause`, unless it
    /// is refused for its own values, which it says already.
    fn problem(&mut self, file: &str, line: u64, column: &str, cause: &CausedBy) {
        if self.refused.contains(file, line) {
            return;
        }
        self.problems.push(ImportError {
            file: file.to_owned(),
            line: Some(line),
            column: Some(column.to_owned()),
            code: codes::DEPENDS_ON_REFUSED.to_owned(),
            reason: format!(
                "its {column} is {} line {}, which is not imported",
                cause.file, cause.line
            ),
            severity: Severity::Error,
            caused_by: Some(Box::new(cause.clone())),
        });
    }

    /// Takes out of `records` (of `file`) those refused for their own values, then those
    /// whose parent is not imported ([`Depends::drop`]); by their ids, the row each was.
    fn skip<T, I: Copy + Eq + Hash, P: Eq + Hash>(
        &mut self,
        records: &mut Vec<T>,
        file: &str,
        column: &str,
        parents: &HashMap<P, CausedBy>,
        parent: impl Fn(&T) -> (&Meta<I>, P),
    ) -> HashMap<I, CausedBy> {
        let mut dropped = drop_refused(records, file, self.refused, |record| parent(record).0);
        dropped.extend(self.drop(records, file, column, parents, parent));
        dropped
    }
}

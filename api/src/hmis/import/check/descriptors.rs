//! What a program records about itself beside its grants: ProjectCoC.csv (2.03),
//! Inventory.csv (2.07), HMISParticipation.csv (2.08), CEParticipation.csv (2.09) and
//! Affiliation.csv (2.02.C). Each row's fields are read by the column catalog and held to
//! the checks a record written through the API is: its fields (`check_fields`), an
//! inventory's CoC among its program's CoCs of the archive (`inventory.coc_unknown`), an
//! affiliation between a services-only program and a residential one.

use std::collections::HashMap;

use threshold_domain::codes::ProjectType;
use threshold_domain::program_descriptors::{
    check_affiliation, check_fields, check_inventory_coc, Descriptor, COC_CODE,
};
use threshold_domain::Violations;
use threshold_persistence::ids::ProgramId;
use threshold_persistence::StoreError;

use super::plan::{AffiliationImport, DescriptorImport};
use super::{Checker, Seen};
use crate::hmis::import::read::Table;

impl Checker<'_> {
    /// The rows of a descriptor's file, as records of kind `K`, whose source IDs are
    /// remembered under `entity`.
    pub(super) fn descriptors<K>(
        &mut self,
        table: &Table,
        descriptor: Descriptor,
        entity: &'static str,
    ) -> Result<Vec<DescriptorImport<K>>, StoreError> {
        let id_column = descriptor.file().columns[0].name;
        let projects = self.projects_by_source();
        let mut seen = Seen::default();
        let mut records = Vec::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            let program = self.reference(&mut cells, "ProjectID", "project", "Project.csv", |id| {
                projects.get(id).map(|(program, _)| *program)
            });
            let fields = cells.hud_fields(descriptor, false);
            cells.fail_fields(descriptor, check_fields(descriptor, &fields));
            let meta = self.meta(&mut cells, entity, id_column, &mut seen)?;
            self.errors.append(&mut errors);
            if let (Some(meta), Some(program_id)) = (meta, program) {
                records.push(DescriptorImport {
                    meta,
                    program_id,
                    fields,
                });
            }
        }
        Ok(records)
    }

    /// Inventory.csv's rows, each counting in one of its program's CoCs of ProjectCoC.csv.
    pub(super) fn inventories<K>(
        &mut self,
        table: &Table,
    ) -> Result<Vec<DescriptorImport<K>>, StoreError> {
        let records = self.descriptors(table, Descriptor::Inventory, "inventory")?;
        let mut cocs: HashMap<ProgramId, Vec<&str>> = HashMap::new();
        for coc in &self.plan.project_cocs {
            if let (false, Some(code)) = (coc.meta.deleted, coc.fields.text(COC_CODE)) {
                cocs.entry(coc.program_id).or_default().push(code);
            }
        }
        let mut problems = Vec::new();
        for record in records.iter().filter(|record| !record.meta.deleted) {
            let Some(code) = record.fields.text(COC_CODE) else {
                continue;
            };
            let known = cocs.get(&record.program_id).into_iter().flatten().copied();
            if let Err(violations) = check_inventory_coc(code, known) {
                problems.push((record.meta.line, violations));
            }
        }
        for (line, violations) in problems {
            self.fail_rules(table, line, "CoCCode", violations);
        }
        Ok(records)
    }

    /// Affiliation.csv: a services-only program of Project.csv serving a residential one.
    pub(super) fn affiliations(&mut self, table: &Table) -> Result<(), StoreError> {
        let projects = self.projects_by_source();
        let mut seen = Seen::default();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            let find = |id: &str| projects.get(id).copied();
            let program = self.reference(&mut cells, "ProjectID", "project", "Project.csv", find);
            let residential =
                self.reference(&mut cells, "ResProjectID", "project", "Project.csv", find);
            let meta = self.meta(&mut cells, "affiliation", "AffiliationID", &mut seen)?;
            if let (Some((_, program_type)), Some((_, residential_type)), Some(meta)) =
                (program, residential, &meta)
            {
                if !meta.deleted {
                    if let Err(violations) = check_affiliation(program_type, residential_type) {
                        for violation in violations.all() {
                            let column = match violation.field {
                                Some(_) => "ResProjectID",
                                None => "ProjectID",
                            };
                            cells.fail(column, violation.rule.code(), violation.message.clone());
                        }
                    }
                }
            }
            self.errors.append(&mut errors);
            if let (Some(meta), Some((program_id, _)), Some((res_program_id, _))) =
                (meta, program, residential)
            {
                self.plan.affiliations.push(AffiliationImport {
                    meta,
                    program_id,
                    res_program_id,
                });
            }
        }
        Ok(())
    }

    /// The archive's projects by source ID: our program's id and its project type.
    fn projects_by_source(&self) -> HashMap<String, (ProgramId, ProjectType)> {
        self.plan
            .projects
            .iter()
            .map(|project| {
                let found = (project.meta.id, project.project_type);
                (project.meta.source_id.clone(), found)
            })
            .collect()
    }

    /// A rule the row on `line` of `table` breaks, told on `column`.
    fn fail_rules(&mut self, table: &Table, line: u64, column: &str, violations: Violations) {
        for violation in violations.all() {
            self.errors.push(crate::hmis::import::ImportError {
                file: table.file.clone(),
                line: Some(line),
                column: Some(column.to_owned()),
                code: violation.rule.code().to_owned(),
                reason: violation.message.clone(),
                severity: crate::hmis::import::Severity::Error,
                caused_by: None,
            });
        }
    }
}

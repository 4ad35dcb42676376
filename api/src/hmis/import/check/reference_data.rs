//! Organization.csv, User.csv, Project.csv and Funder.csv.

use std::collections::HashSet;

use threshold_domain::codes::{NoYesMissing, ProjectType};
use threshold_domain::dates::check_date_order;
use threshold_domain::hud_fields::resources::{Own, Resource};
use threshold_domain::program::GrantFunder;
use threshold_persistence::StoreError;

use super::plan::{FunderRecord, ProjectRecord, UserRecord};
use super::{Checker, Seen};
use crate::hmis::import::codes;
use crate::hmis::import::read::Table;

impl Checker<'_> {
    pub(super) fn organizations(&mut self, table: &Table) -> Result<(), StoreError> {
        let mut seen = Seen::default();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            cells.text("OrganizationName", 200, true);
            cells.code::<NoYesMissing>("VictimServiceProvider", true);
            let meta = self.meta(&mut cells, "organization", "OrganizationID", &mut seen)?;
            self.errors.append(&mut errors);
            self.plan.organizations.extend(meta);
        }
        Ok(())
    }

    pub(super) fn users(&mut self, table: &Table) -> Result<(), StoreError> {
        let mut seen = Seen::default();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            let first_name = cells.text("UserFirstName", 50, false);
            let last_name = cells.text("UserLastName", 50, false);
            let email = cells.text("UserEmail", 320, false);
            let meta = self.meta(&mut cells, "user", "UserID", &mut seen)?;
            self.errors.append(&mut errors);
            if let Some(meta) = meta {
                self.plan.users.push(UserRecord {
                    meta,
                    first_name: first_name.unwrap_or_default(),
                    last_name: last_name.unwrap_or_default(),
                    email: email.unwrap_or_default(),
                });
            }
        }
        Ok(())
    }

    pub(super) fn projects(&mut self, table: &Table) -> Result<(), StoreError> {
        let organizations: HashSet<String> = self
            .plan
            .organizations
            .iter()
            .map(|meta| meta.source_id.clone())
            .collect();
        let mut seen = Seen::default();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            if let Some(organization) = cells.text("OrganizationID", 32, true) {
                if !organizations.contains(&organization) {
                    cells.fail(
                        "OrganizationID",
                        codes::REFERENCE_NOT_FOUND,
                        format!("OrganizationID {organization} is not in Organization.csv"),
                    );
                }
            }
            let name = cells.text("ProjectName", 200, true);
            let start = cells.date("OperatingStartDate", true);
            let end = cells.date("OperatingEndDate", false);
            let continuum = cells.code::<NoYesMissing>("ContinuumProject", true);
            let project_type = cells.code::<ProjectType>("ProjectType", true);
            if let Some(start) = start {
                cells.fail_with(check_date_order(
                    "OperatingStartDate",
                    start.into(),
                    "OperatingEndDate",
                    end.map(Into::into),
                ));
            }
            let own = Own {
                project_type: project_type.map(ProjectType::code),
                ..Own::default()
            };
            let hud = cells.resource_fields(Resource::Program, &own);
            let meta = self.meta(&mut cells, "project", "ProjectID", &mut seen)?;
            self.errors.append(&mut errors);
            if let (Some(meta), Some(name), Some(start), Some(continuum), Some(project_type)) =
                (meta, name, start, continuum, project_type)
            {
                self.plan.projects.push(ProjectRecord {
                    meta,
                    name,
                    project_type,
                    operating_start_date: start,
                    operating_end_date: end,
                    continuum_project: continuum.is_yes(),
                    hud,
                });
            }
        }
        let unplanned = super::unplanned(
            table,
            "ProjectID",
            self.plan.projects.iter().map(|project| &project.meta),
        );
        self.unplanned.insert("project", unplanned);
        Ok(())
    }

    pub(super) fn funders(&mut self, table: &Table) -> Result<(), StoreError> {
        let mut seen = Seen::default();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            let program_id =
                self.reference(&mut cells, "ProjectID", "project", "Project.csv", |id| {
                    self.project_id(id)
                });
            let code = cells.int("Funder", true);
            let other_funder = cells.text("OtherFunder", 100, false);
            let grant_identifier = cells.text("GrantID", 100, true);
            let start = cells.date("StartDate", true);
            let end = cells.date("EndDate", false);
            // A funding source FY2026 retired is kept on a grant that ended before it.
            let funder =
                code.and_then(
                    |code| match GrantFunder::recorded(code, end.map(Into::into)) {
                        Ok((funder, warning)) => {
                            if let Some(warning) = warning {
                                cells.warn("Funder", codes::RETIRED_CODE, warning);
                            }
                            Some(funder)
                        }
                        Err(refused) => {
                            cells.fail(
                                "Funder",
                                &format!("import.{}", refused.code),
                                refused.message,
                            );
                            None
                        }
                    },
                );
            // Files are read leniently: a name beside another funder is kept, not refused.
            if funder.is_some_and(GrantFunder::asks_other_funder) && other_funder.is_none() {
                cells.fail(
                    "OtherFunder",
                    codes::REQUIRED,
                    "OtherFunder is required when Funder is 46 (other)",
                );
            }
            if let Some(start) = start {
                cells.fail_with(check_date_order(
                    "StartDate",
                    start.into(),
                    "EndDate",
                    end.map(Into::into),
                ));
            }
            let meta = self.meta(&mut cells, "funder", "FunderID", &mut seen)?;
            self.errors.append(&mut errors);
            if let (Some(meta), Some(program_id), Some(funder), Some(grant), Some(start)) =
                (meta, program_id, funder, grant_identifier, start)
            {
                self.plan.funders.push(FunderRecord {
                    meta,
                    program_id,
                    funder,
                    other_funder,
                    grant_identifier: grant,
                    start_date: start,
                    end_date: end,
                });
            }
        }
        Ok(())
    }
}

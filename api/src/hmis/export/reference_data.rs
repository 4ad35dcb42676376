//! Export.csv, Organization.csv, Project.csv, Funder.csv, what programs record about
//! themselves (ProjectCoC.csv, Inventory.csv, Affiliation.csv, HMISParticipation.csv,
//! CEParticipation.csv) and User.csv, and the audit columns every record carries.

use chrono::NaiveDateTime;
use threshold_domain::hud_fields::resources::Resource;
use threshold_domain::program_descriptors::Descriptor;
use threshold_persistence::ids::ProgramId;
use threshold_persistence::rows::{
    AffiliationRow, GrantRow, OrganizationRow, ProgramRow, Stamped, UserRow,
};

use crate::usecases::program_descriptors::DescriptorRow;

use crate::hmis::{format_date, format_datetime, hmis_id, CSV_VERSION, SYSTEM_USER_ID};
use threshold_domain::hmis_csv::fy2026 as columns;

use super::writing::{flag, Record};
use super::{ExportError, User, Writer};

impl Writer<'_> {
    pub(super) fn user_id(&mut self, created_by: &str) -> String {
        match self.users.get_mut(created_by) {
            Some(user) => {
                user.referenced = true;
                user.hmis_id.clone()
            }
            None => SYSTEM_USER_ID.to_owned(),
        }
    }

    /// DateCreated, DateUpdated, UserID and DateDeleted.
    pub(super) fn audit(
        &mut self,
        record: &mut Record,
        created: (NaiveDateTime, &str),
        updated_at: NaiveDateTime,
        deleted_at: Option<NaiveDateTime>,
    ) {
        let user_id = self.user_id(created.1);
        record.datetime("DateCreated", Some(created.0));
        record.datetime("DateUpdated", Some(updated_at));
        record.set("UserID", user_id);
        record.datetime("DateDeleted", deleted_at);
    }

    pub(super) fn export_file(&mut self) -> Result<(), ExportError> {
        let request = self.request;
        let mut record = Record::new(&columns::EXPORT);
        record
            .set("ExportID", request.export_id.clone())
            .set("SourceType", "1")
            .set("SourceName", "Threshold")
            .set("ExportDate", format_datetime(request.exported_at))
            .set("ExportStartDate", format_date(request.filter.from))
            .set("ExportEndDate", format_date(request.filter.to))
            .set("SoftwareName", "Threshold")
            .set("SoftwareVersion", env!("CARGO_PKG_VERSION"))
            .set("CSVVersion", CSV_VERSION)
            .set("ExportPeriodType", "3")
            .set("ExportDirective", "2")
            .set("HashStatus", "1")
            .set("ImplementationID", "threshold");
        if let Some(organization_id) = request.filter.sight.organization() {
            record.set("SourceID", hmis_id(organization_id));
        }
        self.start(&columns::EXPORT)?;
        self.write(record)?;
        self.written = 1;
        self.done(&columns::EXPORT);
        Ok(())
    }

    pub(super) fn organization(&mut self, row: &OrganizationRow) -> Record {
        let mut record = Record::new(&columns::ORGANIZATION);
        record
            .set("OrganizationID", hmis_id(row.id))
            .set("OrganizationName", row.name.clone())
            .set("VictimServiceProvider", flag(row.victim_service_provider));
        record.hud(Resource::Organization, &row.hud);
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            None,
        );
        record
    }

    pub(super) fn project(&mut self, row: &ProgramRow) -> Record {
        let mut record = Record::new(&columns::PROJECT);
        record
            .set("ProjectID", self.id(row.id))
            .set("OrganizationID", hmis_id(row.organization_id))
            .set("ProjectName", row.name.clone())
            .set("ContinuumProject", flag(row.continuum_project))
            .set("ProjectType", row.project_type.to_string());
        record.date("OperatingStartDate", Some(row.operating_start_date));
        record.date("OperatingEndDate", row.operating_end_date);
        record.hud(Resource::Program, &row.hud);
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            None,
        );
        record
    }

    pub(super) fn funder(&mut self, row: &GrantRow) -> Record {
        let mut record = Record::new(&columns::FUNDER);
        record
            .set("FunderID", self.id(row.id))
            .set("ProjectID", self.id(row.program_id))
            .set("Funder", row.funder.to_string())
            .set("OtherFunder", row.other_funder.clone().unwrap_or_default())
            .set("GrantID", row.grant_identifier.clone());
        record.date("StartDate", Some(row.start_date));
        record.date("EndDate", row.end_date);
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            None,
        );
        record
    }

    /// A record of what a program records about itself (its CoCs, inventories, HMIS and CE
    /// participations): its ID, its program, its HUD fields.
    pub(super) fn descriptor<R: DescriptorRow + Stamped>(
        &mut self,
        descriptor: Descriptor,
        (id, program_id): (String, ProgramId),
        row: &R,
        deleted_at: Option<NaiveDateTime>,
    ) -> Record {
        let file = descriptor.file();
        let mut record = Record::new(file);
        record
            .set(file.columns[0].name, id)
            .set("ProjectID", self.id(program_id));
        record.values(descriptor, &row.fields());
        let stamps = row.stamps();
        self.audit(
            &mut record,
            (stamps.created_at, stamps.created_by),
            stamps.updated_at,
            deleted_at,
        );
        record
    }

    pub(super) fn affiliation(&mut self, row: &AffiliationRow) -> Record {
        let mut record = Record::new(&columns::AFFILIATION);
        record
            .set("AffiliationID", self.id(row.id))
            .set("ProjectID", self.id(row.program_id))
            .set("ResProjectID", self.id(row.res_program_id));
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            row.deleted_at,
        );
        record
    }

    /// The users rows may refer to, known before any row is written.
    pub(super) fn know_users(&mut self, users: Vec<UserRow>) {
        self.users = users
            .into_iter()
            .map(|row| {
                let user = User {
                    hmis_id: hmis_id(row.id),
                    row,
                    referenced: false,
                };
                // Found by `created_by`, which is text: a user's ID, or another subject.
                (user.row.id.to_string(), user)
            })
            .collect();
    }

    /// User.csv, last: the system user, and the users the other files refer to, by id.
    pub(super) fn user_file(&mut self) -> Result<(), ExportError> {
        self.start(&columns::USER)?;
        let mut system = Record::new(&columns::USER);
        system
            .set("UserID", SYSTEM_USER_ID)
            .set("UserFirstName", "Threshold")
            .set("UserLastName", "System");
        system.datetime("DateCreated", Some(self.request.exported_at));
        system.datetime("DateUpdated", Some(self.request.exported_at));
        let mut referenced: Vec<&UserRow> = self
            .users
            .values()
            .filter(|user| user.referenced)
            .map(|user| &user.row)
            .collect();
        referenced.sort_unstable_by_key(|one| one.id);
        let records: Vec<Record> = referenced.into_iter().map(user).collect();
        for record in std::iter::once(system).chain(records) {
            self.write(record)?;
            self.written += 1;
        }
        self.done(&columns::USER);
        Ok(())
    }
}

fn user(row: &UserRow) -> Record {
    let mut record = Record::new(&columns::USER);
    record
        .set("UserID", hmis_id(row.id))
        .set("UserFirstName", row.first_name.clone())
        .set("UserLastName", row.last_name.clone())
        .set("UserEmail", row.email.clone());
    record.datetime("DateCreated", Some(row.created_at));
    record.datetime("DateUpdated", Some(row.updated_at));
    record
}

//! How each file's records become rows: users, projects, funders, clients, services and
//! assessments.

use chrono::NaiveDateTime;

use threshold_domain::codes::RaceNone;
use threshold_persistence::ids::{kind, Id};
use threshold_persistence::rows::{
    AssessmentRow, ClientRow, GrantRow, ProgramRow, ServiceRow, UserRow,
};
use threshold_persistence::{clients, records, reference, DbConnection, StoreError};

use super::{Record, Writer};
use crate::hmis::import::check::{
    AssessmentRecord, ClientRecord, FunderRecord, Meta, ProjectRecord, ServiceRecord, UserRecord,
};

impl Record for UserRecord {
    type Kind = kind::User;
    type Row = UserRow;
    const FILE: &'static str = "User";
    const ENTITY: &'static str = "user";

    fn meta(&self) -> &Meta<Id<Self::Kind>> {
        &self.meta
    }

    fn create(&self, writer: &Writer<'_, '_>) -> UserRow {
        UserRow {
            id: self.meta.id,
            organization_id: writer.organization_id,
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            version: 1,
            created_at: writer.at,
            updated_at: writer.at,
            created_by: writer.by.clone(),
            updated_by: writer.by.clone(),
        }
    }

    fn fill(&self, row: &mut UserRow, _source: &str) {
        row.first_name = self.first_name.clone();
        row.last_name = self.last_name.clone();
        row.email = self.email.clone();
    }

    fn update(conn: &mut DbConnection, row: &UserRow) -> Result<(), StoreError> {
        reference::user::update(conn, row)
    }

    /// Our own exports name a system user for records no staff member wrote; it is not
    /// staff of the receiving organization.
    fn skipped(&self) -> bool {
        self.meta.source_id == crate::hmis::SYSTEM_USER_ID
    }
}

impl Record for ProjectRecord {
    type Kind = kind::Program;
    type Row = ProgramRow;
    const FILE: &'static str = "Project";
    const ENTITY: &'static str = "project";

    fn meta(&self) -> &Meta<Id<Self::Kind>> {
        &self.meta
    }

    fn create(&self, writer: &Writer<'_, '_>) -> ProgramRow {
        ProgramRow {
            hud: self.hud.json(),
            id: self.meta.id,
            organization_id: writer.organization_id,
            name: self.name.clone(),
            project_type: self.project_type.code(),
            operating_start_date: self.operating_start_date,
            operating_end_date: self.operating_end_date,
            continuum_project: self.continuum_project,
            capacity: None,
            auto_exit_days: None,
            version: 1,
            created_at: writer.at,
            updated_at: writer.at,
            created_by: writer.by.clone(),
            updated_by: writer.by.clone(),
        }
    }

    fn fill(&self, row: &mut ProgramRow, _source: &str) {
        row.hud = self.hud.json();
        row.name = self.name.clone();
        row.project_type = self.project_type.code();
        row.operating_start_date = self.operating_start_date;
        row.operating_end_date = self.operating_end_date;
        row.continuum_project = self.continuum_project;
    }

    fn update(conn: &mut DbConnection, row: &ProgramRow) -> Result<(), StoreError> {
        reference::program::update(conn, row)
    }
}

impl Record for FunderRecord {
    type Kind = kind::Grant;
    type Row = GrantRow;
    const FILE: &'static str = "Funder";
    const ENTITY: &'static str = "funder";

    fn meta(&self) -> &Meta<Id<Self::Kind>> {
        &self.meta
    }

    fn create(&self, writer: &Writer<'_, '_>) -> GrantRow {
        GrantRow {
            id: self.meta.id,
            program_id: self.program_id,
            funder: self.funder.code(),
            other_funder: self.other_funder.clone(),
            grant_identifier: self.grant_identifier.clone(),
            start_date: self.start_date,
            end_date: self.end_date,
            version: 1,
            created_at: writer.at,
            updated_at: writer.at,
            created_by: writer.by.clone(),
            updated_by: writer.by.clone(),
        }
    }

    fn fill(&self, row: &mut GrantRow, _source: &str) {
        row.funder = self.funder.code();
        row.other_funder = self.other_funder.clone();
        row.grant_identifier = self.grant_identifier.clone();
        row.start_date = self.start_date;
        row.end_date = self.end_date;
    }

    fn update(conn: &mut DbConnection, row: &GrantRow) -> Result<(), StoreError> {
        reference::grant::update(conn, row)
    }
}

impl Record for ClientRecord {
    type Kind = kind::Client;
    type Row = ClientRow;
    const FILE: &'static str = "Client";
    const ENTITY: &'static str = "client";

    fn meta(&self) -> &Meta<Id<Self::Kind>> {
        &self.meta
    }

    fn create(&self, writer: &Writer<'_, '_>) -> ClientRow {
        let mut row = ClientRow {
            hud: Default::default(),
            source: None,
            id: self.meta.id,
            first_name: None,
            middle_name: None,
            last_name: None,
            name_suffix: None,
            name_data_quality: 99,
            ssn: None,
            ssn_last4: None,
            ssn_data_quality: 99,
            dob: None,
            dob_data_quality: 99,
            sex: 99,
            race_ethnicity: String::new(),
            race_none: None,
            veteran_status: 99,
            search_name: String::new(),
            version: 1,
            created_at: writer.at,
            updated_at: writer.at,
            created_by: writer.by.clone(),
            updated_by: writer.by.clone(),
            deleted_at: None,
            organization_id: None,
        };
        self.fill(&mut row, writer.source);
        row
    }

    fn fill(&self, row: &mut ClientRow, source: &str) {
        row.source = Some(self.meta.source(source));
        row.hud = self.hud.json();
        row.first_name = self.first_name.clone();
        row.middle_name = self.middle_name.clone();
        row.last_name = self.last_name.clone();
        row.name_suffix = self.name_suffix.clone();
        row.name_data_quality = self.name_data_quality;
        row.ssn = self.ssn.as_ref().map(|ssn| ssn.as_str().to_owned());
        row.ssn_last4 = self
            .ssn
            .as_ref()
            .and_then(|ssn| ssn.last4().map(str::to_owned));
        row.ssn_data_quality = self.ssn_data_quality;
        row.dob = self.dob;
        row.dob_data_quality = self.dob_data_quality;
        row.sex = self.sex;
        row.race_ethnicity = self.race.categories_text();
        row.race_none = self.race.race_none().map(RaceNone::code);
        row.veteran_status = self.veteran_status;
        row.search_name = row.search_text();
    }

    fn delete(row: &mut ClientRow, at: NaiveDateTime) -> bool {
        row.deleted_at = Some(at);
        true
    }

    fn update(conn: &mut DbConnection, row: &ClientRow) -> Result<(), StoreError> {
        clients::update(conn, row)
    }
}

impl Record for ServiceRecord {
    type Kind = kind::Service;
    type Row = ServiceRow;
    const FILE: &'static str = "Services";
    const ENTITY: &'static str = "service";

    fn meta(&self) -> &Meta<Id<Self::Kind>> {
        &self.meta
    }

    fn create(&self, writer: &Writer<'_, '_>) -> ServiceRow {
        let mut row = ServiceRow {
            id: self.meta.id,
            enrollment_id: self.enrollment_id,
            date_provided: self.date_provided,
            record_type: 0,
            type_provided: 0,
            other_type_provided: None,
            fa_amount_cents: None,
            note: None,
            version: 1,
            created_at: writer.at,
            updated_at: writer.at,
            created_by: writer.by.clone(),
            updated_by: writer.by.clone(),
            deleted_at: None,
        };
        self.fill(&mut row, writer.source);
        row
    }

    fn fill(&self, row: &mut ServiceRow, _source: &str) {
        row.date_provided = self.date_provided;
        row.record_type = self.record_type;
        row.type_provided = self.type_provided;
        row.other_type_provided = self.other_type_provided.clone();
        row.fa_amount_cents = self.fa_amount_cents;
    }

    fn delete(row: &mut ServiceRow, at: NaiveDateTime) -> bool {
        row.deleted_at = Some(at);
        true
    }

    fn update(conn: &mut DbConnection, row: &ServiceRow) -> Result<(), StoreError> {
        records::service::update(conn, row)
    }
}

impl Record for AssessmentRecord {
    type Kind = kind::Assessment;
    type Row = AssessmentRow;
    const FILE: &'static str = "Assessment";
    const ENTITY: &'static str = "assessment";

    fn meta(&self) -> &Meta<Id<Self::Kind>> {
        &self.meta
    }

    fn create(&self, writer: &Writer<'_, '_>) -> AssessmentRow {
        let mut row = AssessmentRow {
            id: self.meta.id,
            client_id: self.client_id,
            enrollment_id: None,
            assessment_date: self.assessment_date,
            assessment_location: String::new(),
            assessment_type: 0,
            assessment_level: 0,
            prioritization_status: 0,
            answers: "[]".into(),
            results: "[]".into(),
            version: 1,
            created_at: writer.at,
            updated_at: writer.at,
            created_by: writer.by.clone(),
            updated_by: writer.by.clone(),
            deleted_at: None,
        };
        self.fill(&mut row, writer.source);
        row
    }

    fn fill(&self, row: &mut AssessmentRow, _source: &str) {
        row.enrollment_id = Some(self.enrollment_id);
        row.assessment_date = self.assessment_date;
        row.assessment_location = self.assessment_location.clone();
        row.assessment_type = self.assessment_type;
        row.assessment_level = self.assessment_level;
        row.prioritization_status = self.prioritization_status;
        row.answers = self.answers.clone();
        row.results = self.results.clone();
    }

    fn delete(row: &mut AssessmentRow, at: NaiveDateTime) -> bool {
        row.deleted_at = Some(at);
        true
    }

    fn update(conn: &mut DbConnection, row: &AssessmentRow) -> Result<(), StoreError> {
        records::assessment::update(conn, row)
    }
}

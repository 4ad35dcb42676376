//! Checking an archive: every row's types, lengths and codes, the references between files,
//! and the enrollment rules (through the domain's own functions), every problem listed.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use threshold_domain::client::{RaceEthnicity, Ssn};
use threshold_domain::codes::{
    AssessmentLevel, AssessmentType, CodeList, DataQuality, Destination, FundingSource,
    LengthOfStay, NoYesMissing, PrioritizationStatus, ProjectType, RelationshipToHoh,
    RentalSubsidyType, ServiceRecordType, Sex,
};
use threshold_domain::enrollment::{self, CocCode, EnrollContext, EnrollmentFacts, NewEnrollment};
use threshold_domain::household::Household;
use threshold_domain::{lifecycle, new_id, records, Date, DateRange, Period, Violations};
use threshold_persistence::households as stored_households;
use threshold_persistence::{enrollments, imports, reference, DbConnection, StoreError};
use uuid::Uuid;

use super::read::{Archive, Row, Table};
use super::ImportError;

/// A record of the archive: where it came from and what it becomes.
#[derive(Debug, Clone)]
pub struct Meta {
    pub line: u64,
    pub source_id: String,
    /// Our record's id: the one the source ID was imported as before, or a new one.
    pub id: String,
    /// Whether the source ID was imported before.
    pub known: bool,
    pub date_updated: NaiveDateTime,
    pub deleted: bool,
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub meta: Meta,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct ProjectRecord {
    pub meta: Meta,
    pub name: String,
    pub project_type: ProjectType,
    pub operating_start_date: NaiveDate,
    pub operating_end_date: Option<NaiveDate>,
    pub continuum_project: bool,
}

#[derive(Debug, Clone)]
pub struct FunderRecord {
    pub meta: Meta,
    pub program_id: String,
    pub funder: FundingSource,
    pub other_funder: Option<String>,
    pub grant_identifier: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub meta: Meta,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub name_suffix: Option<String>,
    pub name_data_quality: i32,
    pub ssn: Option<Ssn>,
    pub ssn_data_quality: i32,
    pub dob: Option<NaiveDate>,
    pub dob_data_quality: i32,
    pub sex: i32,
    pub race_ethnicity: Vec<RaceEthnicity>,
    pub race_none: Option<i32>,
    pub veteran_status: i32,
}

#[derive(Debug, Clone)]
pub struct ExitRecord {
    pub meta: Meta,
    pub exit_date: NaiveDate,
    pub destination: i32,
    pub destination_subsidy_type: Option<i32>,
    pub other_destination: Option<String>,
}

#[derive(Debug, Clone)]
pub struct EnrollmentRecord {
    pub meta: Meta,
    pub client_id: String,
    pub program_id: String,
    pub household_source_id: String,
    pub household_id: String,
    pub household_known: bool,
    pub relationship_to_hoh: i32,
    pub entry_date: NaiveDate,
    pub enrollment_coc: Option<String>,
    pub prior_living_situation: Option<i32>,
    pub length_of_stay: Option<i32>,
    pub disabling_condition: Option<i32>,
    pub move_in_date: Option<NaiveDate>,
    /// The exit of Exit.csv that is not deleted, if any.
    pub exit: Option<ExitRecord>,
}

#[derive(Debug, Clone)]
pub struct ServiceRecord {
    pub meta: Meta,
    pub enrollment_id: String,
    pub date_provided: NaiveDate,
    pub record_type: i32,
    pub type_provided: i32,
    pub other_type_provided: Option<String>,
    pub fa_amount_cents: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct AssessmentRecord {
    pub meta: Meta,
    pub client_id: String,
    pub enrollment_id: String,
    pub assessment_date: NaiveDate,
    pub assessment_location: String,
    pub assessment_type: i32,
    pub assessment_level: i32,
    pub prioritization_status: i32,
    /// `[{"question", "answer"}]` from AssessmentQuestions.csv, in question order.
    pub answers: String,
}

/// Everything an archive holds, checked, with the ids each record is written under.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub source: String,
    /// Organization.csv rows: their records go into the job's organization.
    pub organizations: Vec<Meta>,
    pub users: Vec<UserRecord>,
    pub projects: Vec<ProjectRecord>,
    pub funders: Vec<FunderRecord>,
    pub clients: Vec<ClientRecord>,
    pub enrollments: Vec<EnrollmentRecord>,
    /// Exit.csv rows with a DateDeleted: the enrollment's exit is undone.
    pub deleted_exits: Vec<Meta>,
    pub assessments: Vec<AssessmentRecord>,
    pub questions: usize,
    pub services: Vec<ServiceRecord>,
}

impl Plan {
    pub fn rows(&self) -> u64 {
        (self.organizations.len()
            + self.users.len()
            + self.projects.len()
            + self.funders.len()
            + self.clients.len()
            + self.enrollments.len()
            + self.assessments.len()
            + self.services.len()) as u64
    }
}

/// The cells of one row, read by column name; each problem is added to `errors`.
struct Cells<'a> {
    table: &'a Table,
    row: &'a Row,
    errors: &'a mut Vec<ImportError>,
}

impl Cells<'_> {
    fn raw(&self, column: &str) -> Option<&str> {
        self.table
            .column(column)
            .and_then(|index| self.row.fields.get(index))
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }

    fn fail(&mut self, column: &str, reason: impl Into<String>) {
        self.errors.push(ImportError {
            file: self.table.file.clone(),
            line: Some(self.row.line),
            column: Some(column.to_owned()),
            reason: reason.into(),
        });
    }

    fn present(&mut self, column: &str, required: bool) -> Option<String> {
        let value = self.raw(column).map(str::to_owned);
        if value.is_none() && required {
            self.fail(column, format!("{column} is required"));
        }
        value
    }

    fn text(&mut self, column: &str, max: usize, required: bool) -> Option<String> {
        let value = self.present(column, required)?;
        if value.chars().count() > max {
            self.fail(
                column,
                format!("{column} is longer than {max} characters (S{max})"),
            );
            return None;
        }
        Some(value)
    }

    fn int(&mut self, column: &str, required: bool) -> Option<i32> {
        let value = self.present(column, required)?;
        match value.parse::<i32>() {
            Ok(number) => Some(number),
            Err(_) => {
                self.fail(column, format!("`{value}` is not an integer"));
                None
            }
        }
    }

    fn code<T: CodeList>(&mut self, column: &str, required: bool) -> Option<T> {
        let number = self.int(column, required)?;
        match T::try_from(number) {
            Ok(code) => Some(code),
            Err(error) => {
                self.fail(column, format!("unknown code: {error}"));
                None
            }
        }
    }

    fn date(&mut self, column: &str, required: bool) -> Option<NaiveDate> {
        let value = self.present(column, required)?;
        match NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
            Ok(date) if value.len() == 10 => Some(date),
            _ => {
                self.fail(column, format!("`{value}` is not a date yyyy-mm-dd"));
                None
            }
        }
    }

    fn datetime(&mut self, column: &str, required: bool) -> Option<NaiveDateTime> {
        let value = self.present(column, required)?;
        match NaiveDateTime::parse_from_str(&value, "%Y-%m-%d %H:%M:%S") {
            Ok(instant) => Some(instant),
            Err(_) => {
                self.fail(
                    column,
                    format!("`{value}` is not a date and time yyyy-mm-dd hh:mm:ss"),
                );
                None
            }
        }
    }
}

/// Reads, resolves and checks; on any problem, every problem and nothing to write.
pub fn check(
    conn: &mut DbConnection,
    archive: &Archive,
    today: Date,
) -> Result<Plan, (Option<String>, Vec<ImportError>)> {
    let mut checker = Checker {
        conn,
        seen: HashMap::new(),
        errors: Vec::new(),
        plan: Plan::default(),
        today,
    };
    let result = checker.run(archive);
    let source = Some(checker.plan.source.clone());
    match result {
        Err(error) => Err((
            source,
            vec![ImportError {
                file: String::new(),
                line: None,
                column: None,
                reason: format!("the database could not be read: {error}"),
            }],
        )),
        Ok(()) if checker.errors.is_empty() => Ok(checker.plan),
        Ok(()) => {
            let mut errors = checker.errors;
            errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err((source, errors))
        }
    }
}

struct Checker<'c> {
    conn: &'c mut DbConnection,
    /// Every source ID each entity's file holds, its row good or not: a reference to a
    /// bad row is not reported again.
    seen: HashMap<&'static str, HashSet<String>>,
    errors: Vec<ImportError>,
    plan: Plan,
    today: Date,
}

fn id_text(id: Uuid) -> String {
    id.hyphenated().to_string()
}

impl Checker<'_> {
    fn run(&mut self, archive: &Archive) -> Result<(), StoreError> {
        self.plan.source = source_of(archive.table("Export"));
        let empty = Table::default();
        let table = |name: &str| archive.table(name).unwrap_or(&empty);
        self.organizations(table("Organization"))?;
        self.users(table("User"))?;
        self.projects(table("Project"))?;
        self.funders(table("Funder"))?;
        self.clients(table("Client"))?;
        let exits = self.exits(table("Exit"))?;
        self.enrollments(table("Enrollment"), exits)?;
        self.services(table("Services"))?;
        let answers = self.questions(table("AssessmentQuestions"));
        self.assessments(table("Assessment"), answers)?;
        self.enrollment_rules()?;
        Ok(())
    }

    /// The id, the date updated and the deleted mark every record has.
    fn meta(
        &mut self,
        cells: &mut Cells<'_>,
        entity: &'static str,
        id_column: &str,
        seen: &mut HashSet<String>,
    ) -> Result<Option<Meta>, StoreError> {
        let source_id = cells.text(id_column, 32, true);
        let date_updated = cells.datetime("DateUpdated", true);
        let deleted = cells.datetime("DateDeleted", false).is_some();
        let Some(source_id) = source_id else {
            return Ok(None);
        };
        self.seen
            .entry(entity)
            .or_default()
            .insert(source_id.clone());
        if !seen.insert(source_id.clone()) {
            cells.fail(id_column, format!("{source_id} appears twice in the file"));
            return Ok(None);
        }
        let Some(date_updated) = date_updated else {
            return Ok(None);
        };
        let stored = imports::record_id(self.conn, &self.plan.source, entity, &source_id)?;
        Ok(Some(Meta {
            line: cells.row.line,
            known: stored.is_some(),
            id: stored.unwrap_or_else(|| id_text(new_id())),
            source_id,
            date_updated,
            deleted,
        }))
    }

    fn organizations(&mut self, table: &Table) -> Result<(), StoreError> {
        let mut seen = HashSet::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = Cells {
                table,
                row,
                errors: &mut errors,
            };
            cells.text("OrganizationName", 200, true);
            cells.code::<NoYesMissing>("VictimServiceProvider", true);
            let meta = self.meta(&mut cells, "organization", "OrganizationID", &mut seen)?;
            self.errors.append(&mut errors);
            self.plan.organizations.extend(meta);
        }
        Ok(())
    }

    fn users(&mut self, table: &Table) -> Result<(), StoreError> {
        let mut seen = HashSet::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = Cells {
                table,
                row,
                errors: &mut errors,
            };
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

    fn projects(&mut self, table: &Table) -> Result<(), StoreError> {
        let organizations: HashSet<String> = self
            .plan
            .organizations
            .iter()
            .map(|meta| meta.source_id.clone())
            .collect();
        let mut seen = HashSet::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = Cells {
                table,
                row,
                errors: &mut errors,
            };
            if let Some(organization) = cells.text("OrganizationID", 32, true) {
                if !organizations.contains(&organization) {
                    cells.fail(
                        "OrganizationID",
                        format!("OrganizationID {organization} is not in Organization.csv"),
                    );
                }
            }
            let name = cells.text("ProjectName", 200, true);
            let start = cells.date("OperatingStartDate", true);
            let end = cells.date("OperatingEndDate", false);
            let continuum = cells.code::<NoYesMissing>("ContinuumProject", true);
            let project_type = cells.code::<ProjectType>("ProjectType", true);
            if let (Some(start), Some(end)) = (start, end) {
                if end < start {
                    cells.fail(
                        "OperatingEndDate",
                        "OperatingEndDate is before OperatingStartDate",
                    );
                }
            }
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
                    continuum_project: continuum.code() == 1,
                });
            }
        }
        Ok(())
    }

    fn project_id(&self, source_id: &str) -> Option<String> {
        self.plan
            .projects
            .iter()
            .find(|project| project.meta.source_id == source_id)
            .map(|project| project.meta.id.clone())
    }

    /// A reference to a record of another file, which must be there.
    fn reference(
        &self,
        cells: &mut Cells<'_>,
        column: &str,
        entity: &str,
        file: &str,
        resolve: impl Fn(&str) -> Option<String>,
    ) -> Option<String> {
        let source_id = cells.text(column, 32, true)?;
        let resolved = resolve(&source_id);
        let bad_row = self
            .seen
            .get(entity)
            .is_some_and(|seen| seen.contains(&source_id));
        if resolved.is_none() && !bad_row {
            cells.fail(column, format!("{column} {source_id} is not in {file}"));
        }
        resolved
    }

    fn funders(&mut self, table: &Table) -> Result<(), StoreError> {
        let mut seen = HashSet::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = Cells {
                table,
                row,
                errors: &mut errors,
            };
            let program_id =
                self.reference(&mut cells, "ProjectID", "project", "Project.csv", |id| {
                    self.project_id(id)
                });
            let funder = cells.code::<FundingSource>("Funder", true);
            let other_funder = cells.text("OtherFunder", 100, false);
            if funder == Some(FundingSource::LOCAL_OR_OTHER) && other_funder.is_none() {
                cells.fail(
                    "OtherFunder",
                    "OtherFunder is required when Funder is 46 (other)",
                );
            }
            let grant_identifier = cells.text("GrantID", 100, true);
            let start = cells.date("StartDate", true);
            let end = cells.date("EndDate", false);
            if let (Some(start), Some(end)) = (start, end) {
                if end < start {
                    cells.fail("EndDate", "EndDate is before StartDate");
                }
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

    fn clients(&mut self, table: &Table) -> Result<(), StoreError> {
        const RACES: [(&str, RaceEthnicity); 7] = [
            ("AmIndAKNative", RaceEthnicity::AmIndAkNative),
            ("Asian", RaceEthnicity::Asian),
            ("BlackAfAmerican", RaceEthnicity::BlackAfAmerican),
            ("HispanicLatinaeo", RaceEthnicity::HispanicLatinaeo),
            ("MidEastNAfrican", RaceEthnicity::MidEastNAfrican),
            ("NativeHIPacific", RaceEthnicity::NativeHiPacific),
            ("White", RaceEthnicity::White),
        ];
        let mut seen = HashSet::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = Cells {
                table,
                row,
                errors: &mut errors,
            };
            let first_name = cells.text("FirstName", 50, false);
            let middle_name = cells.text("MiddleName", 50, false);
            let last_name = cells.text("LastName", 50, false);
            let name_suffix = cells.text("NameSuffix", 50, false);
            let name_dq = cells.code::<DataQuality>("NameDataQuality", true);
            let ssn = cells
                .present("SSN", false)
                .and_then(|text| match Ssn::parse(&text) {
                    Ok(ssn) => Some(ssn),
                    Err(reason) => {
                        cells.fail("SSN", reason);
                        None
                    }
                });
            let ssn_dq = cells.code::<DataQuality>("SSNDataQuality", true);
            let dob = cells.date("DOB", false);
            if dob.is_some_and(|dob| Date::from(dob) > self.today) {
                cells.fail("DOB", "DOB is in the future");
            }
            let dob_dq = cells.code::<DataQuality>("DOBDataQuality", true);
            // FY2024 files have no Sex column: the answer was not collected.
            let sex = if table.has_column("Sex") {
                cells.code::<Sex>("Sex", false).map_or(99, Sex::code)
            } else {
                Sex::NOT_COLLECTED.code()
            };
            let mut races = Vec::new();
            for (column, race) in RACES {
                // Some producers spell the FY2024 name HispanicLatinao.
                let column = if column == "HispanicLatinaeo"
                    && !table.has_column(column)
                    && table.has_column("HispanicLatinao")
                {
                    "HispanicLatinao"
                } else {
                    column
                };
                if cells
                    .code::<NoYesMissing>(column, false)
                    .map(NoYesMissing::code)
                    == Some(1)
                {
                    races.push(race);
                }
            }
            let race_none = cells.code::<NoYesMissing>("RaceNone", false);
            if race_none.is_some_and(|none| !matches!(none.code(), 8 | 9 | 99)) {
                cells.fail("RaceNone", "RaceNone must be 8, 9 or 99");
            }
            let race_none = if races.is_empty() {
                Some(race_none.map_or(99, NoYesMissing::code))
            } else {
                None
            };
            let veteran = cells.code::<NoYesMissing>("VeteranStatus", true);
            let meta = self.meta(&mut cells, "client", "PersonalID", &mut seen)?;
            self.errors.append(&mut errors);
            if let (Some(meta), Some(name_dq), Some(ssn_dq), Some(dob_dq), Some(veteran)) =
                (meta, name_dq, ssn_dq, dob_dq, veteran)
            {
                self.plan.clients.push(ClientRecord {
                    meta,
                    first_name,
                    middle_name,
                    last_name,
                    name_suffix,
                    name_data_quality: name_dq.code(),
                    ssn,
                    ssn_data_quality: ssn_dq.code(),
                    dob,
                    dob_data_quality: dob_dq.code(),
                    sex,
                    race_ethnicity: races,
                    race_none,
                    veteran_status: veteran.code(),
                });
            }
        }
        Ok(())
    }

    /// Exit.csv by the source EnrollmentID it exits.
    fn exits(&mut self, table: &Table) -> Result<HashMap<String, ExitRecord>, StoreError> {
        let mut seen = HashSet::new();
        let mut exits = HashMap::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = Cells {
                table,
                row,
                errors: &mut errors,
            };
            let enrollment = cells.text("EnrollmentID", 32, true);
            let exit_date = cells.date("ExitDate", true);
            if exit_date.is_some_and(|date| Date::from(date) > self.today) {
                cells.fail("ExitDate", "ExitDate is in the future");
            }
            let destination = cells.code::<Destination>("Destination", true);
            let subsidy = cells.code::<RentalSubsidyType>("DestinationSubsidyType", false);
            if destination == Some(Destination::RENTAL_WITH_ONGOING_SUBSIDY) && subsidy.is_none() {
                cells.fail(
                    "DestinationSubsidyType",
                    "DestinationSubsidyType is required when Destination is 435",
                );
            }
            let other = cells.text("OtherDestination", 50, false);
            if destination == Some(Destination::OTHER) && other.is_none() {
                cells.fail(
                    "OtherDestination",
                    "OtherDestination is required when Destination is 17",
                );
            }
            let meta = self.meta(&mut cells, "exit", "ExitID", &mut seen)?;
            self.errors.append(&mut errors);
            let (Some(meta), Some(enrollment)) = (meta, enrollment) else {
                continue;
            };
            if meta.deleted {
                self.plan.deleted_exits.push(meta);
                continue;
            }
            if let (Some(exit_date), Some(destination)) = (exit_date, destination) {
                if exits.contains_key(&enrollment) {
                    self.errors.push(ImportError {
                        file: table.file.clone(),
                        line: Some(meta.line),
                        column: Some("EnrollmentID".into()),
                        reason: format!("enrollment {enrollment} has more than one exit"),
                    });
                    continue;
                }
                exits.insert(
                    enrollment,
                    ExitRecord {
                        meta,
                        exit_date,
                        destination: destination.code(),
                        destination_subsidy_type: subsidy.map(RentalSubsidyType::code),
                        other_destination: other,
                    },
                );
            }
        }
        Ok(exits)
    }

    fn enrollments(
        &mut self,
        table: &Table,
        mut exits: HashMap<String, ExitRecord>,
    ) -> Result<(), StoreError> {
        let mut seen = HashSet::new();
        let clients: HashMap<String, String> = self
            .plan
            .clients
            .iter()
            .map(|client| (client.meta.source_id.clone(), client.meta.id.clone()))
            .collect();
        let mut households: HashMap<String, (String, bool)> = HashMap::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = Cells {
                table,
                row,
                errors: &mut errors,
            };
            let client_id =
                self.reference(&mut cells, "PersonalID", "client", "Client.csv", |id| {
                    clients.get(id).cloned()
                });
            let program_id =
                self.reference(&mut cells, "ProjectID", "project", "Project.csv", |id| {
                    self.project_id(id)
                });
            let entry_date = cells.date("EntryDate", true);
            let household = cells.text("HouseholdID", 32, true);
            let relationship = cells.code::<RelationshipToHoh>("RelationshipToHoH", true);
            let coc = cells.text("EnrollmentCoC", 6, false).and_then(|text| {
                match CocCode::parse(&text) {
                    Ok(coc) => Some(coc.as_str().to_owned()),
                    Err(reason) => {
                        cells.fail("EnrollmentCoC", reason);
                        None
                    }
                }
            });
            let living = cells
                .code::<threshold_domain::codes::PriorLivingSituation>("LivingSituation", false);
            let length = cells.code::<LengthOfStay>("LengthOfStay", false);
            let disabling = cells.code::<NoYesMissing>("DisablingCondition", false);
            let move_in = cells.date("MoveInDate", false);
            let meta = self.meta(&mut cells, "enrollment", "EnrollmentID", &mut seen)?;
            self.errors.append(&mut errors);
            let Some(meta) = meta else { continue };
            let exit = exits.remove(&meta.source_id);
            let (
                Some(client_id),
                Some(program_id),
                Some(entry_date),
                Some(household),
                Some(relationship),
            ) = (client_id, program_id, entry_date, household, relationship)
            else {
                continue;
            };
            let (household_id, household_known) = match households.get(&household) {
                Some(known) => known.clone(),
                None => {
                    let stored =
                        imports::record_id(self.conn, &self.plan.source, "household", &household)?;
                    let resolved = (
                        stored.clone().unwrap_or_else(|| id_text(new_id())),
                        stored.is_some(),
                    );
                    households.insert(household.clone(), resolved.clone());
                    resolved
                }
            };
            self.plan.enrollments.push(EnrollmentRecord {
                meta,
                client_id,
                program_id,
                household_source_id: household,
                household_id,
                household_known,
                relationship_to_hoh: relationship.code(),
                entry_date,
                enrollment_coc: coc,
                prior_living_situation: living.map(|code| code.code()),
                length_of_stay: length.map(LengthOfStay::code),
                disabling_condition: disabling.map(NoYesMissing::code),
                move_in_date: move_in,
                exit,
            });
        }
        for (enrollment, exit) in exits {
            self.errors.push(ImportError {
                file: "Exit.csv".into(),
                line: Some(exit.meta.line),
                column: Some("EnrollmentID".into()),
                reason: format!("EnrollmentID {enrollment} is not in Enrollment.csv"),
            });
        }
        Ok(())
    }

    fn enrollment(&self, source_id: &str) -> Option<&EnrollmentRecord> {
        self.plan
            .enrollments
            .iter()
            .find(|enrollment| enrollment.meta.source_id == source_id)
    }

    fn services(&mut self, table: &Table) -> Result<(), StoreError> {
        let mut seen = HashSet::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = Cells {
                table,
                row,
                errors: &mut errors,
            };
            let enrollment = cells.text("EnrollmentID", 32, true);
            let date = cells.date("DateProvided", true);
            if date.is_some_and(|date| Date::from(date) > self.today) {
                cells.fail("DateProvided", "DateProvided is in the future");
            }
            let record_type = cells.code::<ServiceRecordType>("RecordType", true);
            let type_provided = cells.int("TypeProvided", true);
            let other = cells.text("OtherTypeProvided", 50, false);
            let amount =
                cells
                    .present("FAAmount", false)
                    .and_then(|text| match text.parse::<f64>() {
                        Ok(amount) if amount >= 0.0 && amount.is_finite() => {
                            Some((amount * 100.0).round() as i64)
                        }
                        _ => {
                            cells.fail("FAAmount", format!("`{text}` is not an amount of money"));
                            None
                        }
                    });
            let meta = self.meta(&mut cells, "service", "ServicesID", &mut seen)?;
            let target = enrollment.as_deref().and_then(|id| self.enrollment(id));
            if let (Some(id), None) = (&enrollment, target) {
                cells.fail(
                    "EnrollmentID",
                    format!("EnrollmentID {id} is not in Enrollment.csv"),
                );
            }
            if let (Some(target), Some(date), Some(meta)) = (target, date, &meta) {
                if !meta.deleted && !target.meta.deleted {
                    let period = period_of(target);
                    if let Err(violations) = records::check_service_date(&period, date.into()) {
                        for violation in violations.all() {
                            cells.fail(
                                "DateProvided",
                                format!("{}: {}", violation.rule.code(), violation.message),
                            );
                        }
                    }
                }
            }
            let enrollment_id = target.map(|target| target.meta.id.clone());
            self.errors.append(&mut errors);
            if let (
                Some(meta),
                Some(enrollment_id),
                Some(date),
                Some(record_type),
                Some(type_provided),
            ) = (meta, enrollment_id, date, record_type, type_provided)
            {
                self.plan.services.push(ServiceRecord {
                    meta,
                    enrollment_id,
                    date_provided: date,
                    record_type: record_type.code(),
                    type_provided,
                    other_type_provided: other,
                    fa_amount_cents: amount,
                });
            }
        }
        Ok(())
    }

    /// AssessmentQuestions.csv as answers by the source AssessmentID.
    fn questions(&mut self, table: &Table) -> HashMap<String, Vec<(i32, u64, String, String)>> {
        let mut answers: HashMap<String, Vec<(i32, u64, String, String)>> = HashMap::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = Cells {
                table,
                row,
                errors: &mut errors,
            };
            cells.text("AssessmentQuestionID", 32, true);
            let assessment = cells.text("AssessmentID", 32, true);
            let order = cells.int("AssessmentQuestionOrder", false);
            let question = cells.text("AssessmentQuestion", 250, true);
            let answer = cells.text("AssessmentAnswer", 250, false);
            let deleted = cells.datetime("DateDeleted", false).is_some();
            cells.datetime("DateUpdated", true);
            self.errors.append(&mut errors);
            self.plan.questions += 1;
            if let (Some(assessment), Some(question), false) = (assessment, question, deleted) {
                answers.entry(assessment).or_default().push((
                    order.unwrap_or(i32::MAX),
                    row.line,
                    question,
                    answer.unwrap_or_default(),
                ));
            }
        }
        answers
    }

    fn assessments(
        &mut self,
        table: &Table,
        mut answers: HashMap<String, Vec<(i32, u64, String, String)>>,
    ) -> Result<(), StoreError> {
        let mut seen = HashSet::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = Cells {
                table,
                row,
                errors: &mut errors,
            };
            let enrollment = cells.text("EnrollmentID", 32, true);
            let date = cells.date("AssessmentDate", true);
            if date.is_some_and(|date| Date::from(date) > self.today) {
                cells.fail("AssessmentDate", "AssessmentDate is in the future");
            }
            let location = cells.text("AssessmentLocation", 250, true);
            let kind = cells.code::<AssessmentType>("AssessmentType", true);
            let level = cells.code::<AssessmentLevel>("AssessmentLevel", true);
            let status = cells.code::<PrioritizationStatus>("PrioritizationStatus", true);
            let meta = self.meta(&mut cells, "assessment", "AssessmentID", &mut seen)?;
            let target = enrollment.as_deref().and_then(|id| self.enrollment(id));
            if let (Some(id), None) = (&enrollment, target) {
                cells.fail(
                    "EnrollmentID",
                    format!("EnrollmentID {id} is not in Enrollment.csv"),
                );
            }
            if let (Some(target), Some(date), Some(meta)) = (target, date, &meta) {
                if !meta.deleted && !target.meta.deleted && !period_of(target).covers(date.into()) {
                    cells.fail(
                        "AssessmentDate",
                        "assessment.outside_enrollment: the assessment's date lies outside the \
                         enrollment's period",
                    );
                }
            }
            let linked = target.map(|target| (target.client_id.clone(), target.meta.id.clone()));
            self.errors.append(&mut errors);
            let (
                Some(meta),
                Some((client_id, enrollment_id)),
                Some(date),
                Some(location),
                Some(kind),
                Some(level),
                Some(status),
            ) = (meta, linked, date, location, kind, level, status)
            else {
                continue;
            };
            let mut questions = answers.remove(&meta.source_id).unwrap_or_default();
            questions.sort();
            let answers = serde_json::Value::Array(
                questions
                    .into_iter()
                    .map(|(_, _, question, answer)| {
                        serde_json::json!({"question": question, "answer": answer})
                    })
                    .collect(),
            )
            .to_string();
            self.plan.assessments.push(AssessmentRecord {
                meta,
                client_id,
                enrollment_id,
                assessment_date: date,
                assessment_location: location,
                assessment_type: kind.code(),
                assessment_level: level.code(),
                prioritization_status: status.code(),
                answers,
            });
        }
        Ok(())
    }

    /// The enrollment rules over the file's enrollments that are not deleted, each checked
    /// by the domain as if added in entry order (heads first on a day), then exited. An
    /// enrollment new to us is checked against stored data too: the client's stored
    /// enrollments in the program, the stored household it joins, and the stored program's
    /// dates and capacity. The transaction holds the writer lock, so what is read here stays
    /// true until the import is written.
    fn enrollment_rules(&mut self) -> Result<(), StoreError> {
        let programs: HashMap<String, enrollment::ProgramFacts> = self
            .plan
            .projects
            .iter()
            .filter_map(|project| {
                Some((
                    project.meta.id.clone(),
                    enrollment::ProgramFacts {
                        id: Uuid::parse_str(&project.meta.id).ok()?,
                        project_type: project.project_type,
                        operating: DateRange {
                            start: project.operating_start_date.into(),
                            end: project.operating_end_date.map(Into::into),
                        },
                        capacity: None,
                    },
                ))
            })
            .collect();
        let mut stored = Stored::new(&mut *self.conn, &self.plan)?;
        let births: HashMap<String, Option<NaiveDate>> = self
            .plan
            .clients
            .iter()
            .map(|client| (client.meta.id.clone(), client.dob))
            .collect();
        let mut order: Vec<&EnrollmentRecord> = self
            .plan
            .enrollments
            .iter()
            .filter(|enrollment| !enrollment.meta.deleted)
            .collect();
        order.sort_by_key(|enrollment| {
            (
                enrollment.entry_date,
                enrollment.relationship_to_hoh != 1,
                enrollment.meta.line,
            )
        });
        let mut added: Vec<EnrollmentFacts> = Vec::new();
        let mut households: BTreeMap<String, Household> = BTreeMap::new();
        let mut broken = Vec::new();
        for record in order {
            let (Some(file_program), Ok(id), Ok(client_id), Ok(household_id)) = (
                programs.get(&record.program_id),
                Uuid::parse_str(&record.meta.id),
                Uuid::parse_str(&record.client_id),
                Uuid::parse_str(&record.household_id),
            ) else {
                continue;
            };
            let Ok(relationship) = RelationshipToHoh::try_from(record.relationship_to_hoh) else {
                continue;
            };
            let new_to_us = !record.meta.known;
            let program = match stored.programs.get(&record.program_id) {
                Some(stored_program) if new_to_us => stored_program.clone(),
                _ => file_program.clone(),
            };
            let new = NewEnrollment {
                client_id,
                program_id: program.id,
                relationship,
                entry_date: record.entry_date.into(),
                move_in_date: record.move_in_date.map(Into::into),
            };
            for error in enrollment::check_new_dates(&new, self.today) {
                broken.push((record.meta.line, column_of(&error.field), error.message));
            }
            let mut others: Vec<EnrollmentFacts> = added
                .iter()
                .filter(|other| other.client_id == client_id && other.program_id == program.id)
                .cloned()
                .collect();
            let file_household = households.get(&record.household_id);
            let mut joined = None;
            let mut active_in_program = 0;
            if new_to_us {
                others.extend(stored.client_enrollments(&mut *self.conn, record)?);
                if let Some(stored_household) = stored.household(&mut *self.conn, record)? {
                    joined = Some(merged(stored_household, file_household));
                }
                if record.exit.is_none() && program.capacity.is_some() {
                    active_in_program = stored.active_in_program(&mut *self.conn, record)?;
                }
            }
            let household = match &joined {
                Some(joined) => joined.as_ref(),
                None => file_household,
            };
            let context = EnrollContext {
                program: &program,
                grant: None,
                client_dob: births
                    .get(&record.client_id)
                    .copied()
                    .flatten()
                    .map(Into::into),
                client_enrollments_in_program: &others,
                active_in_program,
                household,
            };
            report(
                &mut broken,
                record.meta.line,
                enrollment::enroll(&new, &context),
            );
            let mut facts = EnrollmentFacts {
                id,
                client_id,
                program_id: program.id,
                household_id,
                relationship,
                period: Period::new(new.entry_date, None),
                move_in_date: new.move_in_date,
            };
            if let Some(exit) = &record.exit {
                let exit_date: Date = exit.exit_date.into();
                if let Err(violations) = lifecycle::exit(&facts, &[], exit_date, true) {
                    for violation in violations.all() {
                        broken.push((
                            exit.meta.line,
                            "ExitDate".to_owned(),
                            format!("{}: {}", violation.rule.code(), violation.message),
                        ));
                    }
                }
                facts.period = Period::new(new.entry_date, Some(exit_date));
            } else if new_to_us {
                stored.entered(&record.program_id);
            }
            households
                .entry(record.household_id.clone())
                .or_insert_with(|| Household {
                    id: household_id,
                    program_id: program.id,
                    members: Vec::new(),
                })
                .members
                .push(facts.clone());
            added.push(facts);
        }
        let exit_lines: HashSet<u64> = self
            .plan
            .enrollments
            .iter()
            .filter_map(|enrollment| enrollment.exit.as_ref().map(|exit| exit.meta.line))
            .collect();
        for (line, column, reason) in broken {
            let file = if column == "ExitDate" && exit_lines.contains(&line) {
                "Exit.csv"
            } else {
                "Enrollment.csv"
            };
            self.errors.push(ImportError {
                file: file.into(),
                line: Some(line),
                column: Some(column),
                reason,
            });
        }
        Ok(())
    }
}

/// What is stored that an enrollment new to us is checked against. A stored enrollment the
/// file lists gives way to the file's version of it (deleted there, it is gone), which the
/// rules already see among the file's enrollments.
struct Stored {
    /// Our ids of every enrollment the file lists, deleted or not.
    in_file: HashSet<String>,
    /// Clients the file maps to stored clients.
    known_clients: HashSet<String>,
    /// The stored programs the file names, as they will be after the import: the stored row
    /// (its capacity too, which files do not carry), with the file's dates and type when its
    /// row is the newer and will be written over it.
    programs: HashMap<String, enrollment::ProgramFacts>,
    /// Stored households by id, their members that the file does not list; `None` when
    /// the household is not stored.
    households: HashMap<String, Option<Household>>,
    /// Active enrollments per program once the file is in: stored ones it does not list,
    /// its own active ones we already have, and the new active ones checked so far.
    active: HashMap<String, i64>,
    /// The file's active enrollments per program that we already have.
    known_active: HashMap<String, i64>,
}

impl Stored {
    fn new(conn: &mut DbConnection, plan: &Plan) -> Result<Stored, StoreError> {
        let mut programs = HashMap::new();
        for project in plan.projects.iter().filter(|project| project.meta.known) {
            let Some(row) = reference::program::find(conn, &project.meta.id)? else {
                continue;
            };
            let mut facts = reference::program_facts(&row)?;
            if !project.meta.deleted && project.meta.date_updated > row.updated_at {
                facts.project_type = project.project_type;
                facts.operating = DateRange {
                    start: project.operating_start_date.into(),
                    end: project.operating_end_date.map(Into::into),
                };
            }
            programs.insert(project.meta.id.clone(), facts);
        }
        let mut known_active: HashMap<String, i64> = HashMap::new();
        for record in &plan.enrollments {
            if record.meta.known && !record.meta.deleted && record.exit.is_none() {
                *known_active.entry(record.program_id.clone()).or_default() += 1;
            }
        }
        Ok(Stored {
            in_file: plan
                .enrollments
                .iter()
                .map(|record| record.meta.id.clone())
                .collect(),
            known_clients: plan
                .clients
                .iter()
                .filter(|client| client.meta.known)
                .map(|client| client.meta.id.clone())
                .collect(),
            programs,
            households: HashMap::new(),
            active: HashMap::new(),
            known_active,
        })
    }

    fn listed(&self, id: Uuid) -> bool {
        self.in_file.contains(&id_text(id))
    }

    /// The client's stored enrollments in the record's program.
    fn client_enrollments(
        &self,
        conn: &mut DbConnection,
        record: &EnrollmentRecord,
    ) -> Result<Vec<EnrollmentFacts>, StoreError> {
        if !self.known_clients.contains(&record.client_id) {
            return Ok(Vec::new());
        }
        let stored =
            enrollments::client_facts_in_program(conn, &record.client_id, &record.program_id)?;
        Ok(stored
            .into_iter()
            .filter(|facts| !self.listed(facts.id))
            .collect())
    }

    /// The stored household the record joins, if its HouseholdID maps to one.
    fn household(
        &mut self,
        conn: &mut DbConnection,
        record: &EnrollmentRecord,
    ) -> Result<Option<&Household>, StoreError> {
        if !record.household_known {
            return Ok(None);
        }
        if !self.households.contains_key(&record.household_id) {
            let household = match stored_households::find(conn, &record.household_id)? {
                Some(row) => {
                    let mut household = stored_households::load(conn, &row)?;
                    household.members.retain(|member| !self.listed(member.id));
                    Some(household)
                }
                None => None,
            };
            self.households
                .insert(record.household_id.clone(), household);
        }
        Ok(self
            .households
            .get(&record.household_id)
            .and_then(Option::as_ref))
    }

    /// How many enrollments are active in the record's program before it is added.
    fn active_in_program(
        &mut self,
        conn: &mut DbConnection,
        record: &EnrollmentRecord,
    ) -> Result<i64, StoreError> {
        if let Some(active) = self.active.get(&record.program_id) {
            return Ok(*active);
        }
        let stored = imports::active_enrollment_ids(conn, &record.program_id)?
            .into_iter()
            .filter(|id| !self.in_file.contains(id))
            .count();
        let active = i64::try_from(stored).unwrap_or(i64::MAX)
            + self
                .known_active
                .get(&record.program_id)
                .copied()
                .unwrap_or(0);
        self.active.insert(record.program_id.clone(), active);
        Ok(active)
    }

    /// A new enrollment that stays active now takes a place in its program.
    fn entered(&mut self, program_id: &str) {
        if let Some(active) = self.active.get_mut(program_id) {
            *active += 1;
        }
    }
}

/// A stored household together with the members the file has added to it so far; `None`
/// when it has no member left, so that the new one must be its head.
fn merged(stored: &Household, file: Option<&Household>) -> Option<Household> {
    let mut household = stored.clone();
    if let Some(file) = file {
        household.members.extend(file.members.iter().cloned());
    }
    (!household.members.is_empty()).then_some(household)
}

fn report(broken: &mut Vec<(u64, String, String)>, line: u64, result: Result<(), Violations>) {
    if let Err(violations) = result {
        for violation in violations.all() {
            broken.push((
                line,
                column_of(violation.field.unwrap_or("")),
                format!("{}: {}", violation.rule.code(), violation.message),
            ));
        }
    }
}

/// The CSV column a rule's field stands for.
fn column_of(field: &str) -> String {
    match field {
        "entry_date" => "EntryDate",
        "move_in_date" => "MoveInDate",
        "relationship_to_hoh" => "RelationshipToHoH",
        "program_id" => "ProjectID",
        "household_id" | "household" => "HouseholdID",
        "client_id" => "PersonalID",
        "exit_date" => "ExitDate",
        _ => "EnrollmentID",
    }
    .to_owned()
}

fn period_of(enrollment: &EnrollmentRecord) -> Period {
    Period::new(
        enrollment.entry_date.into(),
        enrollment.exit.as_ref().map(|exit| exit.exit_date.into()),
    )
}

/// Export.csv's SourceID, else its SourceName, else `default`: IDs of two sources never meet.
fn source_of(export: Option<&Table>) -> String {
    export
        .and_then(|table| {
            let row = table.rows.first()?;
            ["SourceID", "SourceName"].into_iter().find_map(|column| {
                table
                    .column(column)
                    .and_then(|index| row.fields.get(index))
                    .filter(|value| !value.is_empty())
                    .cloned()
            })
        })
        .unwrap_or_else(|| "default".into())
}

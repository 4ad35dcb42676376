//! What a checked archive becomes: its records, with the ids each is written under. Ids are
//! kept as UUIDs, not text: a file's plan is held whole until it is written (but services
//! and HUD's records under enrollments, checked and written a part at a time).

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use threshold_domain::client::{RaceAnswer, RecordedSsn};
use threshold_domain::codes::ProjectType;
use threshold_domain::flags::Flags;
use threshold_domain::hud_records::HudFields;
use threshold_domain::program::GrantFunder;
use threshold_persistence::ids::{
    kind, AffiliationId, AssessmentId, ClientId, EnrollmentId, GrantId, HouseholdId, HudRecordId,
    Id, OrganizationId, ProgramId, ServiceId, UserId,
};
use threshold_persistence::rows::{HudCollection, HudFieldsJson, StoredSource};

use crate::usecases::hud_fields::to_json;

/// HUD fields as the JSON text they are stored as, from the check until the write: the
/// plan of a large archive is held whole, and the text takes a fifth of the memory the
/// fields read as a map do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldsText(Box<str>);

impl FieldsText {
    /// The fields as stored, without those in `skip` (kept in columns of their own).
    pub fn of(fields: &HudFields, skip: &[&str]) -> FieldsText {
        // A map of JSON values always prints.
        let text = serde_json::to_string(&to_json(fields, skip)).unwrap_or_else(|_| "{}".into());
        FieldsText(text.into_boxed_str())
    }

    pub fn json(&self) -> HudFieldsJson {
        // The text was printed from fields of this type, so it reads back.
        serde_json::from_str(&self.0).unwrap_or_default()
    }
}

/// A record of the archive: where it came from and what it becomes, under an id `I` of the
/// kind of record it becomes.
#[derive(Debug, Clone)]
pub struct Meta<I> {
    pub line: u64,
    pub source_id: String,
    /// Our record's id: the one the source ID was imported as before, or a new one.
    pub id: I,
    /// Whether the source ID was imported before.
    pub known: bool,
    pub date_updated: NaiveDateTime,
    /// The row's DateCreated and UserID at the source.
    pub date_created: Option<NaiveDateTime>,
    pub user_id: Option<Arc<str>>,
    /// The source's DateUpdated when the record was last imported, if it was.
    pub last_seen: Option<NaiveDateTime>,
    pub deleted: bool,
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub meta: Meta<UserId>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct ProjectRecord {
    pub meta: Meta<ProgramId>,
    pub name: String,
    pub project_type: ProjectType,
    pub operating_start_date: NaiveDate,
    pub operating_end_date: Option<NaiveDate>,
    pub continuum_project: bool,
    /// Project.csv's other columns (HUD fields of the program).
    pub hud: FieldsText,
}

#[derive(Debug, Clone)]
pub struct FunderRecord {
    pub meta: Meta<GrantId>,
    pub program_id: ProgramId,
    pub funder: GrantFunder,
    pub other_funder: Option<String>,
    pub grant_identifier: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub meta: Meta<ClientId>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub name_suffix: Option<String>,
    pub name_data_quality: i32,
    pub ssn: Option<RecordedSsn>,
    pub ssn_data_quality: i32,
    pub dob: Option<NaiveDate>,
    pub dob_data_quality: i32,
    pub sex: i32,
    pub race: RaceAnswer,
    pub veteran_status: i32,
    /// Client.csv's other columns (HUD fields of the client).
    pub hud: FieldsText,
}

#[derive(Debug, Clone)]
pub struct ExitRecord {
    /// An exit is imported as its enrollment: its id is the enrollment's.
    pub meta: Meta<EnrollmentId>,
    pub exit_date: NaiveDate,
    pub destination: i32,
    pub destination_subsidy_type: Option<i32>,
    pub other_destination: Option<String>,
    /// Exit.csv's other columns (HUD fields of the exit).
    pub hud: FieldsText,
}

#[derive(Debug, Clone)]
pub struct EnrollmentRecord {
    pub meta: Meta<EnrollmentId>,
    pub client_id: ClientId,
    pub program_id: ProgramId,
    pub household_source_id: String,
    pub household_id: HouseholdId,
    pub household_known: bool,
    pub relationship_to_hoh: i32,
    pub entry_date: NaiveDate,
    pub enrollment_coc: Option<String>,
    pub prior_living_situation: Option<i32>,
    pub length_of_stay: Option<i32>,
    pub disabling_condition: Option<i32>,
    pub move_in_date: Option<NaiveDate>,
    /// Enrollment.csv's other columns (HUD fields of the enrollment).
    pub hud: FieldsText,
    /// The enrollment rules it (or its exit) breaks, in a tolerant import.
    pub flags: Flags,
    /// The exit of Exit.csv that is not deleted, if any (boxed: most enrollments have none).
    pub exit: Option<Box<ExitRecord>>,
}

#[derive(Debug, Clone)]
pub struct ServiceRecord {
    pub meta: Meta<ServiceId>,
    pub enrollment_id: EnrollmentId,
    pub date_provided: NaiveDate,
    pub record_type: i32,
    pub type_provided: i32,
    pub other_type_provided: Option<String>,
    pub fa_amount_cents: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct AssessmentRecord {
    pub meta: Meta<AssessmentId>,
    pub client_id: ClientId,
    pub enrollment_id: EnrollmentId,
    pub assessment_date: NaiveDate,
    pub assessment_location: String,
    pub assessment_type: i32,
    pub assessment_level: i32,
    pub prioritization_status: i32,
    /// `[{"question", "answer"}]` from AssessmentQuestions.csv, in question order.
    pub answers: String,
    /// `[{"result_type", "result"}]` from AssessmentResults.csv, in file order.
    pub results: String,
    /// The lines of its rows of AssessmentQuestions.csv and AssessmentResults.csv, which go
    /// with it.
    pub question_lines: Vec<u64>,
    pub result_lines: Vec<u64>,
}

/// A record of one of HUD's collections under an enrollment (IncomeBenefits.csv,
/// Disabilities.csv, ...): its date, its stage (HUD 5.03) and its HUD fields.
#[derive(Debug, Clone)]
pub struct HudRecordImport<C: HudCollection> {
    pub meta: Meta<HudRecordId<C>>,
    pub enrollment_id: EnrollmentId,
    /// InformationDate, or EventDate for an event.
    pub information_date: NaiveDate,
    pub stage: Option<i32>,
    /// A disability's type (4.05-4.10), stored in a column of its own.
    pub disability_type: Option<i32>,
    /// The other HUD fields.
    pub fields: FieldsText,
}

/// A record of what a program records about itself (ProjectCoC.csv, Inventory.csv,
/// HMISParticipation.csv, CEParticipation.csv): its HUD fields, under an id of kind `K`.
pub struct DescriptorImport<K> {
    pub meta: Meta<Id<K>>,
    pub program_id: ProgramId,
    pub fields: HudFields,
}

// By hand: derived, they would ask the same of the kind `K`, a marker.
impl<I> Meta<I> {
    /// Where the row's record came from: the source `system`, the row's ID and dates there.
    pub fn source(&self, system: &str) -> StoredSource {
        StoredSource {
            system: system.to_owned(),
            id: self.source_id.clone(),
            created_at: self.date_created,
            updated_at: self.date_updated,
            user_id: self.user_id.as_deref().map(str::to_owned),
        }
    }
}

impl<K> Clone for DescriptorImport<K> {
    fn clone(&self) -> Self {
        DescriptorImport {
            meta: self.meta.clone(),
            program_id: self.program_id,
            fields: self.fields.clone(),
        }
    }
}

impl<K> std::fmt::Debug for DescriptorImport<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DescriptorImport")
            .field("meta", &self.meta)
            .field("program_id", &self.program_id)
            .field("fields", &self.fields)
            .finish()
    }
}

/// An Affiliation.csv row: a services-only program serving a residential one (2.02.C).
#[derive(Debug, Clone)]
pub struct AffiliationImport {
    pub meta: Meta<AffiliationId>,
    pub program_id: ProgramId,
    pub res_program_id: ProgramId,
}

/// Everything an archive holds, checked, with the ids each record is written under.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub source: String,
    /// Export.csv's HashStatus (1.5): whether the export's SSNs are hashed.
    pub hash_status: Option<i32>,
    /// Organization.csv rows: their records go into the job's organization.
    pub organizations: Vec<Meta<OrganizationId>>,
    pub users: Vec<UserRecord>,
    pub projects: Vec<ProjectRecord>,
    pub funders: Vec<FunderRecord>,
    pub project_cocs: Vec<DescriptorImport<kind::ProgramCoc>>,
    pub inventories: Vec<DescriptorImport<kind::Inventory>>,
    pub hmis_participations: Vec<DescriptorImport<kind::HmisParticipation>>,
    pub ce_participations: Vec<DescriptorImport<kind::CeParticipation>>,
    pub affiliations: Vec<AffiliationImport>,
    pub clients: Vec<ClientRecord>,
    pub enrollments: Vec<EnrollmentRecord>,
    /// Exit.csv rows with a DateDeleted: the enrollment's exit is undone.
    pub deleted_exits: Vec<Meta<EnrollmentId>>,
    pub assessments: Vec<AssessmentRecord>,
    /// AssessmentQuestions.csv's and AssessmentResults.csv's rows with a DateDeleted:
    /// nothing to write (the others are written with their assessments).
    pub deleted_questions: usize,
    pub deleted_results: usize,
}

impl Plan {
    /// Lets go of what no file checked after the plan is written reads: the files of
    /// services and HUD's records read the enrollments' IDs, dates, households and heads, and
    /// the writer, at the end, what each enrollment was last imported as.
    pub fn written(&mut self) {
        self.users = Vec::new();
        self.funders = Vec::new();
        self.project_cocs = Vec::new();
        self.inventories = Vec::new();
        self.hmis_participations = Vec::new();
        self.ce_participations = Vec::new();
        self.affiliations = Vec::new();
        // Clients and assessments were taken as they were written.
        for enrollment in &mut self.enrollments {
            enrollment.hud = FieldsText::default();
            enrollment.household_source_id = String::new();
            enrollment.enrollment_coc = None;
            if let Some(exit) = &mut enrollment.exit {
                exit.hud = FieldsText::default();
                exit.other_destination = None;
                exit.meta.source_id = String::new();
            }
        }
    }

    /// The records of the plan (services and HUD's records under enrollments are not
    /// planned: they are checked and written a part of a file at a time).
    pub fn rows(&self) -> u64 {
        (self.organizations.len()
            + self.users.len()
            + self.projects.len()
            + self.funders.len()
            + self.project_cocs.len()
            + self.inventories.len()
            + self.hmis_participations.len()
            + self.ce_participations.len()
            + self.affiliations.len()
            + self.clients.len()
            + self.enrollments.len()
            + self.assessments.len()) as u64
    }
}

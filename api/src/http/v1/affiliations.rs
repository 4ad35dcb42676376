//! `/v1/programs/{program_id}/affiliations` (HUD 2.02.C, HMIS CSV Affiliation.csv): the
//! residential programs a services-only program serves. Admins write; every caller reads; a
//! delete is soft.

use serde::{Deserialize, Serialize};
use threshold_domain::codes::ProjectType;
use threshold_domain::program_descriptors::check_affiliation;
use threshold_domain::FieldError;
use threshold_persistence::error::StoreError;
use threshold_persistence::ids::{AffiliationId, Id, ProgramId};
use threshold_persistence::page::Page;
use threshold_persistence::program_descriptors::affiliation;
use threshold_persistence::reference::program;
use threshold_persistence::rows::AffiliationRow;
use threshold_persistence::DbConnection;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::extract::{required_in_patch, CheckBody, Patch};
use crate::http::pagination::PageQuery;
use crate::http::reference::{Deletable, Docs, Names, ReferenceResource, UnderProgram};
use crate::http::resource::audit_of;
use crate::http::v1::common::Audit;
use crate::usecases::scopes;

/// The affiliations of a program.
pub struct Affiliations;

impl ReferenceResource for Affiliations {
    type Parent = UnderProgram;
    type Row = AffiliationRow;
    type Create = CreateAffiliation;
    type Update = UpdateAffiliation;
    type View = AffiliationView;
    type Query = PageQuery;

    const NAMES: Names = Names::plain("affiliations", "affiliation");
    // Both rules can refuse a create and an update: the documentation names them together.
    const DOCS: Docs = Docs::new(
        "List the residential programs a services-only program serves (HUD 2.02.C).",
        "Affiliate a services-only program with a residential program it serves (HUD 2.02.C).",
    )
    .conflict(
        "affiliation.not_services_only`, `affiliation.not_residential",
        "the program is not services-only (project type 6), or `res_program_id` names a \
         program that is not residential (project types 0, 1, 2, 3, 8, 9, 10, 13)",
    )
    .not_found("No such affiliation in this program");

    /// An affiliation is found under its own program only.
    fn visible(_caller: &Caller, program_id: ProgramId, row: &AffiliationRow) -> bool {
        row.program_id == program_id
    }

    fn list(
        conn: &mut DbConnection,
        _caller: &Caller,
        program_id: ProgramId,
        _query: &PageQuery,
        after: Option<AffiliationId>,
        limit: i64,
    ) -> Result<Page<AffiliationRow>, StoreError> {
        affiliation::list(conn, program_id, after, limit)
    }

    fn to_row(program_id: ProgramId, body: &CreateAffiliation, by: &str) -> AffiliationRow {
        let at = now();
        AffiliationRow {
            id: Id::new(),
            program_id,
            res_program_id: body.res_program_id,
            version: 1,
            created_at: at,
            updated_at: at,
            created_by: by.to_owned(),
            updated_by: by.to_owned(),
            deleted_at: None,
        }
    }

    fn lock(conn: &mut DbConnection, program_id: ProgramId) -> Result<(), ApiError> {
        scopes::program_descriptors(conn, program_id)?;
        Ok(())
    }

    fn check_new(
        conn: &mut DbConnection,
        _program_id: ProgramId,
        row: &AffiliationRow,
    ) -> Result<(), ApiError> {
        check_programs(conn, row)
    }

    fn apply_patch(row: &mut AffiliationRow, patch: &UpdateAffiliation) -> Result<(), ApiError> {
        if let Patch::Value(res_program_id) = patch.res_program_id {
            row.res_program_id = res_program_id;
        }
        Ok(())
    }

    fn check_change(
        conn: &mut DbConnection,
        before: &AffiliationRow,
        after: &AffiliationRow,
    ) -> Result<(), ApiError> {
        if before.res_program_id == after.res_program_id {
            return Ok(());
        }
        check_programs(conn, after)
    }

    fn view(row: &AffiliationRow) -> Result<AffiliationView, ApiError> {
        Ok(AffiliationView {
            id: row.id,
            program_id: row.program_id,
            res_program_id: row.res_program_id,
            audit: audit_of(row),
        })
    }
}

impl Deletable for Affiliations {}

/// The residential program exists (422 `reference.not_found` otherwise), and the two
/// programs' types are those HUD 2.02.C affiliates (409).
fn check_programs(conn: &mut DbConnection, row: &AffiliationRow) -> Result<(), ApiError> {
    let residential = program::find(conn, row.res_program_id)?
        .ok_or_else(|| ApiError::unknown_reference("res_program_id", "no such program"))?;
    let services = program::find(conn, row.program_id)?.ok_or(ApiError::NotFound)?;
    let project_type = |code: i32| {
        ProjectType::try_from(code).map_err(|error| ApiError::Internal(error.to_string()))
    };
    check_affiliation(
        project_type(services.project_type)?,
        project_type(residential.project_type)?,
    )?;
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"res_program_id": "0190b6a2-7c1e-7f3a-9d2b-4e5f6a7b8c9d"}))]
pub struct CreateAffiliation {
    /// The residential program served (HMIS CSV Affiliation.ResProjectID): emergency
    /// shelter, transitional housing, safe haven or permanent housing.
    #[schema(value_type = Uuid)]
    pub res_program_id: ProgramId,
}

impl CheckBody for CreateAffiliation {}

/// JSON Merge Patch of an affiliation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"res_program_id": "0190b6a2-7c1e-7f3a-9d2b-4e5f6a7b8c9d"}))]
pub struct UpdateAffiliation {
    #[serde(default)]
    #[schema(value_type = Uuid)]
    pub res_program_id: Patch<ProgramId>,
}

impl CheckBody for UpdateAffiliation {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("res_program_id", &self.res_program_id, &mut errors);
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AffiliationView {
    #[schema(value_type = Uuid)]
    pub id: AffiliationId,
    /// The services-only program.
    #[schema(value_type = Uuid)]
    pub program_id: ProgramId,
    /// The residential program it serves.
    #[schema(value_type = Uuid)]
    pub res_program_id: ProgramId,
    #[serde(flatten)]
    pub audit: Audit,
}

//! `/v1/organizations`: agencies. Admins write; every caller reads.

use serde::{Deserialize, Serialize};
use threshold_domain::FieldError;
use threshold_persistence::error::StoreError;
use threshold_persistence::ids::{Id, OrganizationId};
use threshold_persistence::page::Page;
use threshold_persistence::reference;
use threshold_persistence::rows::OrganizationRow;
use threshold_persistence::DbConnection;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::pagination::PageQuery;
use crate::http::reference::{Docs, Names, ReferenceResource, TopLevel};
use crate::http::resource::audit_of;
use crate::http::v1::common::{Audit, Text};

/// The agencies.
pub struct Organizations;

impl ReferenceResource for Organizations {
    type Parent = TopLevel;
    type Row = OrganizationRow;
    type Create = CreateOrganization;
    type Update = UpdateOrganization;
    type View = OrganizationView;
    type Query = PageQuery;

    const NAMES: Names = Names::plain("organizations", "organization");
    const DOCS: Docs = Docs::new("List organizations.", "Add an organization.");

    fn list(
        conn: &mut DbConnection,
        _caller: &Caller,
        (): (),
        _query: &PageQuery,
        after: Option<OrganizationId>,
        limit: i64,
    ) -> Result<Page<OrganizationRow>, StoreError> {
        reference::list_organizations(conn, after, limit)
    }

    fn to_row((): (), body: &CreateOrganization, by: &str) -> OrganizationRow {
        let at = now();
        OrganizationRow {
            hud: Default::default(),
            id: Id::new(),
            name: body.name.as_str().to_owned(),
            victim_service_provider: body.victim_service_provider,
            version: 1,
            created_at: at,
            updated_at: at,
            created_by: by.to_owned(),
            updated_by: by.to_owned(),
        }
    }

    fn apply_patch(row: &mut OrganizationRow, patch: &UpdateOrganization) -> Result<(), ApiError> {
        if let Patch::Value(name) = &patch.name {
            row.name = name.as_str().to_owned();
        }
        if let Patch::Value(flag) = patch.victim_service_provider {
            row.victim_service_provider = flag;
        }
        Ok(())
    }

    fn view(row: &OrganizationRow) -> Result<OrganizationView, ApiError> {
        Ok(OrganizationView {
            id: row.id,
            name: row.name.clone(),
            victim_service_provider: row.victim_service_provider,
            audit: audit_of(row),
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Harbor Light Services", "victim_service_provider": false}))]
pub struct CreateOrganization {
    /// 1-200 characters.
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Text<200>,
    #[serde(default)]
    pub victim_service_provider: bool,
}

impl CheckBody for CreateOrganization {}

/// JSON Merge Patch of an organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Harbor Light"}))]
pub struct UpdateOrganization {
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Patch<Text<200>>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub victim_service_provider: Patch<bool>,
}

impl CheckBody for UpdateOrganization {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("name", &self.name, &mut errors);
        required_in_patch(
            "victim_service_provider",
            &self.victim_service_provider,
            &mut errors,
        );
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationView {
    #[schema(value_type = Uuid)]
    pub id: OrganizationId,
    pub name: String,
    pub victim_service_provider: bool,
    #[serde(flatten)]
    pub audit: Audit,
}

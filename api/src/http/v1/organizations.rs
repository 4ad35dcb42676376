//! `/v1/organizations`: agencies. Admins write; every caller reads.

use serde::{Deserialize, Serialize};
use threshold_domain::hud_fields::present;
use threshold_domain::hud_fields::resources::{Own, Resource};
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
use crate::http::hud_fields::{HudView, OrganizationHud, OrganizationHudView, WithHud};
use crate::http::pagination::PageQuery;
use crate::http::reference::{Docs, Names, ReferenceResource, TopLevel};
use crate::http::resource::audit_of;
use crate::http::v1::common::{Audit, Text};
use crate::usecases::hud_fields;

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
            hud: hud_fields::to_json(&present(body.hud.changes()), &[]),
            id: Id::new(),
            name: body.own.name.as_str().to_owned(),
            victim_service_provider: body.own.victim_service_provider,
            version: 1,
            created_at: at,
            updated_at: at,
            created_by: by.to_owned(),
            updated_by: by.to_owned(),
        }
    }

    fn apply_patch(row: &mut OrganizationRow, patch: &UpdateOrganization) -> Result<(), ApiError> {
        if let Patch::Value(name) = &patch.own.name {
            row.name = name.as_str().to_owned();
        }
        if let Patch::Value(flag) = patch.own.victim_service_provider {
            row.victim_service_provider = flag;
        }
        row.hud = hud_fields::apply(
            Resource::Organization,
            &row.hud,
            &patch.hud.changes(),
            Some(&Own::default()),
            &Own::default(),
        )?;
        Ok(())
    }

    fn view(row: &OrganizationRow) -> Result<OrganizationView, ApiError> {
        Ok(OrganizationView {
            id: row.id,
            name: row.name.clone(),
            victim_service_provider: row.victim_service_provider,
            hud: HudView::of(row.hud.as_map()),
            audit: audit_of(row),
        })
    }
}

/// A new organization: its own fields and Organization.csv's other column as a HUD field.
pub type CreateOrganization = WithHud<OrganizationBody, OrganizationHud>;

/// JSON Merge Patch of an organization: its own fields and its HUD field.
pub type UpdateOrganization = WithHud<OrganizationPatch, OrganizationHud>;

/// A new organization (HUD 2.01), with `organization_common_name` as a HUD field.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = CreateOrganization, example = json!({"name": "Harbor Light Services", "victim_service_provider": false, "organization_common_name": "Harbor Light"}))]
pub struct OrganizationBody {
    /// 1-200 characters.
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Text<200>,
    #[serde(default)]
    pub victim_service_provider: bool,
}

impl CheckBody for OrganizationBody {}

/// JSON Merge Patch of an organization; `null` clears a HUD field.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = UpdateOrganization, example = json!({"name": "Harbor Light"}))]
pub struct OrganizationPatch {
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Patch<Text<200>>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub victim_service_provider: Patch<bool>,
}

impl CheckBody for OrganizationPatch {
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
    #[schema(value_type = OrganizationHudView)]
    pub hud: HudView<OrganizationHud>,
    #[serde(flatten)]
    pub audit: Audit,
}

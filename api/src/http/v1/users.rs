//! `/v1/users`: staff such as case managers. Admins write; callers read their own
//! organization's staff (admins read all).

use serde::{Deserialize, Serialize};
use threshold_domain::FieldError;
use threshold_persistence::error::StoreError;
use threshold_persistence::ids::{Id, OrganizationId, UserId};
use threshold_persistence::page::Page;
use threshold_persistence::reference;
use threshold_persistence::rows::UserRow;
use threshold_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::pagination::PageRequest;
use crate::http::reference::{
    known_organization, Docs, ListQuery, Names, ReferenceResource, TopLevel,
};
use crate::http::resource::audit_of;
use crate::http::v1::common::{Audit, Email, Text};

/// The staff.
pub struct Users;

impl ReferenceResource for Users {
    type Parent = TopLevel;
    type Row = UserRow;
    type Create = CreateUser;
    type Update = UpdateUser;
    type View = UserView;
    type Query = ListUsers;

    const NAMES: Names = Names::plain("users", "user");
    const DOCS: Docs = Docs::new("List users.", "Add a user.")
        .get_not_found("No such user in an organization the caller can see");

    /// Callers other than admins see their own organization's staff only.
    fn visible(caller: &Caller, (): (), row: &UserRow) -> bool {
        caller.sees(row.organization_id)
    }

    /// A caller who asks for another organization's staff than their own gets none.
    fn lists_anything(caller: &Caller, query: &ListUsers) -> bool {
        match (caller.scope(), query.organization_id) {
            (Some(own), Some(asked)) => asked == own,
            _ => true,
        }
    }

    fn list(
        conn: &mut DbConnection,
        caller: &Caller,
        (): (),
        query: &ListUsers,
        after: Option<UserId>,
        limit: i64,
    ) -> Result<Page<UserRow>, StoreError> {
        let organization_id = caller.scope().or(query.organization_id);
        reference::list_users(conn, organization_id, after, limit)
    }

    fn check_create(conn: &mut DbConnection, body: &CreateUser) -> Result<(), ApiError> {
        known_organization(conn, body.organization_id)
    }

    fn to_row((): (), body: &CreateUser, by: &str) -> UserRow {
        let at = now();
        UserRow {
            id: Id::new(),
            organization_id: body.organization_id,
            first_name: body.first_name.as_str().to_owned(),
            last_name: body.last_name.as_str().to_owned(),
            email: body.email.clone().into_string(),
            version: 1,
            created_at: at,
            updated_at: at,
            created_by: by.to_owned(),
            updated_by: by.to_owned(),
        }
    }

    fn apply_patch(row: &mut UserRow, patch: &UpdateUser) -> Result<(), ApiError> {
        if let Patch::Value(first_name) = patch.first_name.clone() {
            row.first_name = first_name.into_string();
        }
        if let Patch::Value(last_name) = patch.last_name.clone() {
            row.last_name = last_name.into_string();
        }
        if let Patch::Value(email) = patch.email.clone() {
            row.email = email.into_string();
        }
        Ok(())
    }

    fn view(row: &UserRow) -> Result<UserView, ApiError> {
        Ok(UserView {
            id: row.id,
            organization_id: row.organization_id,
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone(),
            email: row.email.clone(),
            audit: audit_of(row),
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "organization_id": "0193a1b2-0000-7000-8000-000000000001",
    "first_name": "Dana",
    "last_name": "Reyes",
    "email": "dana.reyes@example.org"
}))]
pub struct CreateUser {
    #[schema(value_type = Uuid)]
    pub organization_id: OrganizationId,
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub first_name: Text<100>,
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub last_name: Text<100>,
    #[schema(value_type = String, format = Email, max_length = 320)]
    pub email: Email,
}

impl CheckBody for CreateUser {}

/// JSON Merge Patch of a user (the organization does not change).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "dana@example.org"}))]
pub struct UpdateUser {
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub first_name: Patch<Text<100>>,
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub last_name: Patch<Text<100>>,
    #[serde(default)]
    #[schema(value_type = String, format = Email, max_length = 320)]
    pub email: Patch<Email>,
}

impl CheckBody for UpdateUser {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("first_name", &self.first_name, &mut errors);
        required_in_patch("last_name", &self.last_name, &mut errors);
        required_in_patch("email", &self.email, &mut errors);
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    #[schema(value_type = Uuid)]
    pub id: UserId,
    #[schema(value_type = Uuid)]
    pub organization_id: OrganizationId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[serde(flatten)]
    pub audit: Audit,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListUsers {
    /// Only this organization's staff (admins; others always see their own).
    #[param(value_type = Option<Uuid>)]
    pub organization_id: Option<OrganizationId>,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

impl ListQuery for ListUsers {
    fn page(&self) -> Result<PageRequest, ApiError> {
        PageRequest::new(self.limit, self.cursor.as_deref())
    }
}

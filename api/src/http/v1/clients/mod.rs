//! `/v1/clients`: people served, shared across the continuum of care. Case managers and
//! admins write; every caller reads the clients it may see. The full SSN is write-only.
//! `POST /v1/clients/match` is the duplicate check at intake (admins and case managers).

mod create;
mod item;
mod list;
mod matching;

pub use create::*;
pub use item::*;
pub use list::*;
pub use matching::*;

use serde::{Deserialize, Serialize};
use threshold_domain::client::{races_from_text, RaceAnswer, RaceEthnicity, Ssn};
use threshold_domain::codes::{DataQuality, NoYesMissing, RaceNone, Sex};
use threshold_domain::{Date, FieldError};
use threshold_persistence::ids::ClientId;
use threshold_persistence::rows::ClientRow;
use utoipa::openapi::path::HttpMethod;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::http::codes;
use crate::http::endpoints::Endpoints;
use crate::http::extract::{CheckBody, Patch};
use crate::http::hud_fields::{ClientHud, ClientHudView, HudView, WithHud};
use crate::http::operations::entry::{query_of, with_response, Under};
use crate::http::operations::Names;
use crate::http::v1::common::{Audit, NotFuture, SourceView, Text};
use crate::http::writes::{delete_through, update_through};
use crate::usecases::clients;

/// The routes of `/v1/clients` with their OpenAPI entries: a client is documented as the
/// generic resources are, its list and its delete with more to say.
pub fn endpoints() -> Endpoints {
    let (endpoints, doc) = Endpoints::described::<ClientView, ClientList, CreateClient, UpdateClient>(
        Names::plain("clients", "client"),
        &Under::TOP,
    );
    let not_found = "No such client";
    let search = doc.list(
        "Search clients by name and date of birth.",
        query_of::<SearchClients>(),
    );
    let delete = doc.delete(
        "Delete a client (soft). A client with enrollments is not deleted.",
        "Deleted",
        not_found,
    );
    let refused = "`client.has_enrollments`: the client has enrollments";
    endpoints
        .route(
            HttpMethod::Post,
            "/clients",
            create_client,
            doc.create("Add a client.", None),
        )
        .route(
            HttpMethod::Get,
            "/clients",
            list_clients,
            with_response(search, "200", "A page of clients, oldest record first"),
        )
        // Before `/clients/{client_id}`: actix gives a request to the first resource whose
        // path matches, and `match` would be taken for a client's ID.
        .route(
            HttpMethod::Post,
            "/clients/match",
            match_clients,
            match_entry(),
        )
        .route(
            HttpMethod::Get,
            "/clients/{client_id}",
            get_client,
            doc.get_of_client("Get a client.", not_found),
        )
        .route(
            HttpMethod::Patch,
            "/clients/{client_id}",
            update_through(clients::edit, client_change, ClientView::from_row),
            doc.update("Change a client (JSON Merge Patch).", not_found, None),
        )
        .route(
            HttpMethod::Delete,
            "/clients/{client_id}",
            delete_through(clients::delete),
            with_response(delete, "409", refused),
        )
}

/// A part of a name: 1-50 characters, as HMIS CSV columns hold.
pub type Name = Text<50>;

/// A new client: its own fields and its HUD fields (Client.csv's V1 veteran details and
/// additional race and ethnicity text), one object.
pub type CreateClient = WithHud<ClientBody, ClientHud>;

/// A new client: the fields of the person's identity and, beside them, Client.csv's other
/// columns as HUD fields (V1 veteran's information, for a veteran only; 3.04's additional
/// race and ethnicity text).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = CreateClient, example = json!({
    "first_name": "Jordan",
    "last_name": "Lee",
    "name_data_quality": 1,
    "ssn": "123456789",
    "ssn_data_quality": 1,
    "dob": "1990-04-12",
    "dob_data_quality": 1,
    "sex": 1,
    "race_ethnicity": ["black_af_american"],
    "veteran_status": 0
}))]
pub struct ClientBody {
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50)]
    pub first_name: Option<Name>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50)]
    pub middle_name: Option<Name>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50)]
    pub last_name: Option<Name>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50)]
    pub name_suffix: Option<Name>,
    /// HUD 3.01.5; 99 when absent.
    #[serde(default)]
    #[schema(value_type = Option<codes::DataQuality>)]
    pub name_data_quality: Option<DataQuality>,
    /// Nine digits. Write-only: responses carry `ssn_last4`.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{9}$", write_only)]
    pub ssn: Option<Ssn>,
    /// HUD 3.02.2; 99 when absent.
    #[serde(default)]
    #[schema(value_type = Option<codes::DataQuality>)]
    pub ssn_data_quality: Option<DataQuality>,
    /// Not in the future.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub dob: Option<NotFuture>,
    /// HUD 3.03.2; 99 when absent.
    #[serde(default)]
    #[schema(value_type = Option<codes::DataQuality>)]
    pub dob_data_quality: Option<DataQuality>,
    /// HUD 4.21; 99 when absent.
    #[serde(default)]
    #[schema(value_type = Option<codes::Sex>)]
    pub sex: Option<Sex>,
    #[serde(default)]
    #[schema(value_type = Vec<RaceCategory>)]
    pub race_ethnicity: Vec<RaceEthnicity>,
    /// 8, 9 or 99, only when `race_ethnicity` is empty (99 when absent then).
    #[serde(default)]
    #[schema(value_type = Option<codes::RaceNone>)]
    pub race_none: Option<RaceNone>,
    /// HUD 1.8; 99 when absent.
    #[serde(default)]
    #[schema(value_type = Option<codes::NoYesMissing>)]
    pub veteran_status: Option<NoYesMissing>,
}

/// HUD 3.04 race and ethnicity categories.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum RaceCategory {
    AmIndAkNative,
    Asian,
    BlackAfAmerican,
    HispanicLatinaeo,
    MidEastNAfrican,
    NativeHiPacific,
    White,
}

impl CheckBody for ClientBody {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Err(error) =
            RaceAnswer::new(self.race_ethnicity.clone(), self.race_none.map(Into::into))
        {
            errors.push(error);
        }
        errors
    }
}

/// JSON Merge Patch of a client. `null` clears a name, the SSN, the date of birth or a HUD
/// field, and resets a data-quality field to 99.
pub type UpdateClient = WithHud<ClientPatch, ClientHud>;

/// JSON Merge Patch of a client. `null` clears a name, the SSN, the date of birth or a HUD
/// field, and resets a data-quality field to 99.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[schema(as = UpdateClient, example = json!({"last_name": "Lee-Park", "dob": "1990-04-21"}))]
pub struct ClientPatch {
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50)]
    pub first_name: Patch<Name>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50)]
    pub middle_name: Patch<Name>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50)]
    pub last_name: Patch<Name>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50)]
    pub name_suffix: Patch<Name>,
    #[serde(default)]
    #[schema(value_type = Option<codes::DataQuality>)]
    pub name_data_quality: Patch<DataQuality>,
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{9}$", write_only)]
    pub ssn: Patch<Ssn>,
    #[serde(default)]
    #[schema(value_type = Option<codes::DataQuality>)]
    pub ssn_data_quality: Patch<DataQuality>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub dob: Patch<NotFuture>,
    #[serde(default)]
    #[schema(value_type = Option<codes::DataQuality>)]
    pub dob_data_quality: Patch<DataQuality>,
    #[serde(default)]
    #[schema(value_type = Option<codes::Sex>)]
    pub sex: Patch<Sex>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<RaceCategory>>)]
    pub race_ethnicity: Patch<Vec<RaceEthnicity>>,
    #[serde(default)]
    #[schema(value_type = Option<codes::RaceNone>)]
    pub race_none: Patch<RaceNone>,
    #[serde(default)]
    #[schema(value_type = Option<codes::NoYesMissing>)]
    pub veteran_status: Patch<NoYesMissing>,
}

impl CheckBody for ClientPatch {}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientView {
    #[schema(value_type = Uuid)]
    pub id: ClientId,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub name_suffix: Option<String>,
    #[schema(value_type = codes::DataQuality)]
    pub name_data_quality: i32,
    /// The last four digits of the SSN; the full number is never returned.
    pub ssn_last4: Option<String>,
    #[schema(value_type = codes::DataQuality)]
    pub ssn_data_quality: i32,
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub dob: Option<Date>,
    #[schema(value_type = codes::DataQuality)]
    pub dob_data_quality: i32,
    #[schema(value_type = codes::Sex)]
    pub sex: i32,
    #[schema(value_type = Vec<RaceCategory>)]
    pub race_ethnicity: Vec<RaceEthnicity>,
    #[schema(value_type = Option<codes::RaceNone>)]
    pub race_none: Option<i32>,
    #[schema(value_type = codes::NoYesMissing)]
    pub veteran_status: i32,
    #[serde(flatten)]
    #[schema(value_type = ClientHudView)]
    pub hud: HudView<ClientHud>,
    /// Where it came from, when imported from another system.
    pub source: Option<SourceView>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl ClientView {
    pub fn from_row(row: &ClientRow) -> Result<ClientView, ApiError> {
        Ok(ClientView {
            id: row.id,
            first_name: row.first_name.clone(),
            middle_name: row.middle_name.clone(),
            last_name: row.last_name.clone(),
            name_suffix: row.name_suffix.clone(),
            name_data_quality: row.name_data_quality,
            ssn_last4: row.ssn_last4.clone(),
            ssn_data_quality: row.ssn_data_quality,
            dob: row.dob.map(Into::into),
            dob_data_quality: row.dob_data_quality,
            sex: row.sex,
            race_ethnicity: races_from_text(&row.race_ethnicity),
            race_none: row.race_none,
            veteran_status: row.veteran_status,
            hud: HudView::of(row.hud.as_map()),
            source: SourceView::of(row.source.as_ref()),
            audit: Audit::from(row),
        })
    }
}

crate::list_of!(ClientList, ClientView);

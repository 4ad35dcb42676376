//! `/v1/clients/{client_id}/consents`: a client's releases of information. A consent in force
//! (active, today within its dates) lets the organizations it names, or with scope `coc`
//! every organization, see the client; never a client a victim service provider serves.
//! Recorded and changed by case managers (and admins) who may see the client, read by every
//! role that may; revoked by a `PATCH` of `status`, never deleted.

mod crud;

pub use crud::*;

use serde::{Deserialize, Serialize};
use threshold_domain::consent::check_consent;
use threshold_domain::privacy::{self, Consent};
use threshold_domain::{Date, FieldError};
use threshold_persistence::consents::ConsentRecord;
use threshold_persistence::ids::{ClientId, ConsentId, OrganizationId};
use utoipa::openapi::path::HttpMethod;
use utoipa::ToSchema;

use crate::clock::today;
use crate::error::ApiError;
use crate::http::endpoints::Endpoints;
use crate::http::extract::{required_in_patch, CheckBody, Patch};
use crate::http::operations::entry::{query_of, with_response};
use crate::http::operations::Names;
use crate::http::pagination::PageQuery;
use crate::http::v1::common::{Audit, NotFuture, UNDER_CLIENT};
use crate::http::writes::update_through;
use crate::usecases::consents;

/// The most organizations one consent names.
const MAX_ORGANIZATIONS: usize = 200;

/// The routes of a client's consents with their OpenAPI entries: documented as the generic
/// resources are, without a delete (a consent is revoked instead: `DELETE` is a 405).
pub fn endpoints() -> Endpoints {
    let (endpoints, doc) =
        Endpoints::described::<ConsentView, ConsentList, CreateConsent, UpdateConsent>(
            Names::plain("consents", "consent"),
            &UNDER_CLIENT,
        );
    let (collection, item) = (doc.collection_path(), doc.item_path());
    let not_found = "No such consent of this client, or a client the caller may not see";
    let update = doc.update(
        "Change or revoke a consent (JSON Merge Patch): its `end_date`, the organizations it \
         names, or `status: revoked`.",
        not_found,
        None,
    );
    let invalid = "The request is invalid: every problem is listed in `errors` \
                   (`reference.not_found`: an organization that does not exist; `date.order`: an \
                   end before the start; `duplicate`: an organization named twice)";
    let refused = "The request is invalid: every problem is listed in `errors` \
                   (`consent.revoked`: a revoked consent is final, neither made active again nor \
                   changed; `reference.not_found`: an organization that does not exist; \
                   `date.order`: an end before the start)";
    endpoints
        .route(
            HttpMethod::Post,
            &collection,
            create_consent,
            with_response(
                doc.create("Record a release of information of a client.", None),
                "422",
                invalid,
            ),
        )
        .route(
            HttpMethod::Get,
            &collection,
            list_consents,
            doc.list(
                "List a client's consents, revoked ones included.",
                query_of::<PageQuery>(),
            ),
        )
        .route(
            HttpMethod::Get,
            &item,
            get_consent,
            doc.get_of_client("Get a consent.", not_found),
        )
        .route(
            HttpMethod::Patch,
            &item,
            update_through(consents::edit, consent_change, ConsentView::from_record),
            with_response(update, "422", refused),
        )
}

/// What a consent covers: `organizations`, those named in `organization_ids`; `coc`, every
/// organization of the installation (the continuum of care).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentScope {
    Organizations,
    Coc,
}

/// `active`, or `revoked` (final).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    Active,
    Revoked,
}

impl From<ConsentStatus> for privacy::ConsentStatus {
    fn from(status: ConsentStatus) -> privacy::ConsentStatus {
        match status {
            ConsentStatus::Active => privacy::ConsentStatus::Active,
            ConsentStatus::Revoked => privacy::ConsentStatus::Revoked,
        }
    }
}

/// A new consent: active from `start_date`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "scope": "organizations",
    "organization_ids": ["0193c0de-0000-7000-8000-00000000000b"],
    "start_date": "2025-11-03",
    "end_date": "2026-11-02"
}))]
pub struct CreateConsent {
    pub scope: ConsentScope,
    /// The organizations it names: required with scope `organizations` (1-200, each once),
    /// not given with `coc`.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Uuid>>, min_items = 1, max_items = 200)]
    pub organization_ids: Option<Vec<OrganizationId>>,
    /// The first day it is in force: today unless given; not in the future.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub start_date: Option<NotFuture>,
    /// The last day it is in force, not before `start_date`; open-ended unless given.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub end_date: Option<Date>,
}

impl CreateConsent {
    /// The consent as the domain's rules see it (today's start when none is given).
    fn facts(&self) -> Consent {
        Consent {
            scope: match self.scope {
                ConsentScope::Coc => privacy::ConsentScope::Coc,
                ConsentScope::Organizations => privacy::ConsentScope::Organizations(
                    self.organization_ids
                        .iter()
                        .flatten()
                        .map(|id| id.uuid())
                        .collect(),
                ),
            },
            status: privacy::ConsentStatus::Active,
            start_date: self.start_date.map_or_else(today, |date| date.0),
            end_date: self.end_date,
        }
    }
}

fn check_count(organization_ids: Option<&Vec<OrganizationId>>) -> Option<FieldError> {
    organization_ids
        .filter(|named| named.len() > MAX_ORGANIZATIONS)
        .map(|_| {
            FieldError::new(
                "organization_ids",
                "too_long",
                format!("a consent names at most {MAX_ORGANIZATIONS} organizations"),
            )
        })
}

impl CheckBody for CreateConsent {
    fn check(&self) -> Vec<FieldError> {
        let given = self.organization_ids.as_ref();
        match (self.scope, given) {
            (ConsentScope::Organizations, None) => vec![FieldError::new(
                "organization_ids",
                "required",
                "organization_ids is required with scope `organizations`",
            )],
            (ConsentScope::Coc, Some(_)) => vec![FieldError::new(
                "organization_ids",
                "not_allowed",
                "a consent of scope `coc` names every organization: organization_ids is only \
                 for scope `organizations`",
            )],
            _ => match check_count(given) {
                Some(too_many) => vec![too_many],
                None => check_consent(&self.facts()),
            },
        }
    }
}

/// JSON Merge Patch of a consent. Its scope, start and recorder do not change (a consent to
/// other terms is a new consent); a revoked consent does not change at all.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "revoked"}))]
pub struct UpdateConsent {
    /// `null` makes the consent open-ended.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub end_date: Patch<Date>,
    /// Replaces the organizations a consent of scope `organizations` names (1-200, each
    /// once).
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>, min_items = 1, max_items = 200)]
    pub organization_ids: Patch<Vec<OrganizationId>>,
    /// `revoked` revokes the consent; a revoked consent is never active again.
    #[serde(default)]
    #[schema(value_type = ConsentStatus)]
    pub status: Patch<ConsentStatus>,
}

impl CheckBody for UpdateConsent {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("organization_ids", &self.organization_ids, &mut errors);
        required_in_patch("status", &self.status, &mut errors);
        errors.extend(check_count(self.organization_ids.as_value()));
        errors
    }
}

/// What a patch of a consent changes.
pub fn consent_change(body: UpdateConsent) -> consents::ConsentEdit {
    consents::ConsentEdit {
        end_date: body.end_date.into(),
        organization_ids: body.organization_ids.as_value().cloned(),
        status: body.status.as_value().map(|status| (*status).into()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentView {
    #[schema(value_type = Uuid)]
    pub id: ConsentId,
    #[schema(value_type = Uuid)]
    pub client_id: ClientId,
    pub scope: ConsentScope,
    /// The organizations a consent of scope `organizations` names, in the order of their IDs;
    /// empty for `coc`.
    #[schema(value_type = Vec<Uuid>)]
    pub organization_ids: Vec<OrganizationId>,
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub start_date: Date,
    /// Open-ended when `null`.
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub end_date: Option<Date>,
    pub status: ConsentStatus,
    /// The `sub` of the token that recorded the consent.
    pub recorded_by: String,
    #[serde(flatten)]
    pub audit: Audit,
}

impl ConsentView {
    pub fn from_record(record: &ConsentRecord) -> Result<ConsentView, ApiError> {
        let row = &record.row;
        let stored = |what: &str, text: &str| {
            ApiError::Internal(format!("consent {}: stored {what} `{text}`", row.id))
        };
        Ok(ConsentView {
            id: row.id,
            client_id: row.client_id,
            scope: match row.scope.as_str() {
                "organizations" => ConsentScope::Organizations,
                "coc" => ConsentScope::Coc,
                other => return Err(stored("scope", other)),
            },
            organization_ids: record.organization_ids.clone(),
            start_date: row.start_date.into(),
            end_date: row.end_date.map(Into::into),
            status: match row.status.as_str() {
                "active" => ConsentStatus::Active,
                "revoked" => ConsentStatus::Revoked,
                other => return Err(stored("status", other)),
            },
            recorded_by: row.recorded_by.clone(),
            audit: Audit::from(row),
        })
    }
}

crate::list_of!(ConsentList, ConsentView);

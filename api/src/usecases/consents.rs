//! Releases of information (consents) of a client: recorded and changed by those who may see
//! the client, revoked by a change and never deleted. Whom a consent in force lets see the
//! client is `threshold_domain::privacy`'s rule, applied by every read of a client.

use threshold_domain::consent::{self, ConsentChange};
use threshold_domain::privacy::{Consent, ConsentScope, ConsentStatus};
use threshold_domain::{Date, FieldError};
use threshold_persistence::consents::{self, scope_text, status_text, ConsentRecord};
use threshold_persistence::ids::{ClientId, ConsentId, Id, OrganizationId};
use threshold_persistence::page::Page;
use threshold_persistence::rows::{ConsentRow, Stamped};
use threshold_persistence::{clients, DbConnection};

use super::scopes;
use super::visibility::visible_client;
use super::{Change, ConsentKey, Versioned};
use crate::auth::Caller;
use crate::clock::{now, today};
use crate::error::ApiError;

/// What a consent covers, as a request gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The organizations it names, in any order, each once.
    Organizations(Vec<OrganizationId>),
    /// Every organization of the installation.
    Coc,
}

/// The consent of the client with this ID, if the caller may see the client; 404 otherwise.
pub fn of_client(
    conn: &mut DbConnection,
    caller: &Caller,
    key: ConsentKey,
) -> Result<ConsentRecord, ApiError> {
    visible_client(conn, caller, key.client_id)?;
    consents::find(conn, &caller.sight(), key.client_id, key.consent_id)?.ok_or(ApiError::NotFound)
}

/// A page of the client's consents, revoked ones included, oldest first; 404 for a client
/// the caller may not see (or that does not exist).
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    client_id: ClientId,
    after: Option<ConsentId>,
    limit: i64,
) -> Result<Page<ConsentRecord>, ApiError> {
    let sight = caller.sight();
    if !clients::exists(conn, &sight, client_id)? {
        return Err(ApiError::NotFound);
    }
    Ok(consents::list(conn, &sight, client_id, after, limit)?)
}

/// A new consent of a client, active from `start_date` (today when not given).
#[derive(Debug, Clone)]
pub struct NewConsent {
    pub client_id: ClientId,
    pub scope: Scope,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub dry_run: bool,
}

/// Records a consent of a client the caller may see.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &NewConsent,
) -> Result<ConsentRecord, ApiError> {
    let client_id = input.client_id;
    scopes::client(conn, client_id)?;
    if !clients::exists(conn, &caller.sight(), client_id)? {
        return Err(ApiError::NotFound);
    }
    let facts = Consent {
        scope: match &input.scope {
            Scope::Coc => ConsentScope::Coc,
            Scope::Organizations(named) => {
                ConsentScope::Organizations(named.iter().map(|id| id.uuid()).collect())
            }
        },
        status: ConsentStatus::Active,
        start_date: input.start_date.unwrap_or_else(today),
        end_date: input.end_date,
    };
    ApiError::check_fields(consent::check_consent(&facts))?;
    let named = match &input.scope {
        Scope::Coc => Vec::new(),
        Scope::Organizations(named) => known(conn, named)?,
    };
    let at = now();
    let record = ConsentRecord {
        row: ConsentRow {
            id: Id::new(),
            client_id,
            scope: scope_text(&facts.scope).to_owned(),
            start_date: facts.start_date.naive(),
            end_date: facts.end_date.map(Date::naive),
            status: status_text(facts.status).to_owned(),
            recorded_by: caller.sub.clone(),
            version: 1,
            created_at: at,
            updated_at: at,
            created_by: caller.sub.clone(),
            updated_by: caller.sub.clone(),
        },
        organization_ids: named,
    };
    if !input.dry_run {
        consents::insert(conn, &record)?;
    }
    Ok(record)
}

/// A change to a consent.
pub type EditConsent = Versioned<ConsentKey, ConsentEdit>;

/// The fields a change to a consent sets; its scope's kind, start and recorder never change.
#[derive(Debug, Clone, Default)]
pub struct ConsentEdit {
    /// Cleared: open-ended.
    pub end_date: Change<Date>,
    /// Only for a consent to named organizations; replaces them all.
    pub organization_ids: Option<Vec<OrganizationId>>,
    /// `revoked` revokes it, for good.
    pub status: Option<ConsentStatus>,
}

/// Changes a consent: its end, the organizations it names, or its status (revoking it). A
/// revoked consent is final (422 `consent.revoked`).
pub fn edit(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &EditConsent,
) -> Result<ConsentRecord, ApiError> {
    let key = input.target;
    scopes::client(conn, key.client_id)?;
    let mut record = of_client(conn, caller, key)?;
    input.expected.check(record.row.version)?;
    let change = ConsentChange {
        end_date: match &input.change.end_date {
            Change::Keep => None,
            Change::Clear => Some(None),
            Change::Set(date) => Some(Some(*date)),
        },
        organizations: input
            .change
            .organization_ids
            .as_ref()
            .map(|named| named.iter().map(|id| id.uuid()).collect()),
        status: input.change.status,
    };
    let after = consent::change(&record.facts()?, &change).map_err(ApiError::Invalid)?;
    let before = record.clone();
    if let Some(named) = &input.change.organization_ids {
        record.organization_ids = known(conn, named)?;
    }
    record.row.end_date = after.end_date.map(Date::naive);
    record.row.status = status_text(after.status).to_owned();
    // A change that changes nothing (revoking a revoked consent again) writes nothing.
    if record == before {
        return Ok(record);
    }
    record.stamp(now(), &caller.sub);
    if !input.dry_run {
        consents::update(conn, &record)?;
    }
    Ok(record)
}

/// The organizations a consent names, in the order of their IDs: each must exist (422
/// `reference.not_found`, naming each unknown one by its place in the request).
fn known(
    conn: &mut DbConnection,
    named: &[OrganizationId],
) -> Result<Vec<OrganizationId>, ApiError> {
    let unknown = consents::unknown_organizations(conn, named)?;
    let errors: Vec<FieldError> = named
        .iter()
        .enumerate()
        .filter(|(_, id)| unknown.contains(id))
        .map(|(index, id)| {
            FieldError::new(
                format!("organization_ids[{index}]"),
                "reference.not_found",
                format!("no such organization {id}"),
            )
        })
        .collect();
    ApiError::check_fields(errors)?;
    let mut sorted = named.to_vec();
    sorted.sort_unstable();
    Ok(sorted)
}

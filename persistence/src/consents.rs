//! Releases of information (consents): a client's, with the organizations each names. Reads
//! take the caller's [`Sight`] and leave out the consents of a client it may not see; writes
//! record their audit event, the organizations named among its fields.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use threshold_domain::privacy::{Consent, ConsentScope, ConsentStatus};

use crate::audit::{self, Audited, OrganizationOf};
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{ClientId, ConsentId, EntityId, OrganizationId};
use crate::page::Page;
use crate::privacy::Sight;
use crate::rows::{ConsentOrganizationRow, ConsentRow, Stamped, Stamps};
use crate::schema::{consent_organizations, consents};

/// A consent as stored: its row and the organizations it names (none for a CoC-wide one), in
/// the order of their IDs. The audit trail records it whole, the organizations as
/// `organization_ids`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsentRecord {
    #[serde(flatten)]
    pub row: ConsentRow,
    pub organization_ids: Vec<OrganizationId>,
}

/// `scope` as stored.
pub fn scope_text(scope: &ConsentScope) -> &'static str {
    match scope {
        ConsentScope::Coc => "coc",
        ConsentScope::Organizations(_) => "organizations",
    }
}

/// `status` as stored.
pub fn status_text(status: ConsentStatus) -> &'static str {
    match status {
        ConsentStatus::Active => "active",
        ConsentStatus::Revoked => "revoked",
    }
}

impl ConsentRecord {
    /// The consent as the domain's rules see it.
    pub fn facts(&self) -> Result<Consent, StoreError> {
        let row = &self.row;
        let scope = match row.scope.as_str() {
            "coc" => ConsentScope::Coc,
            "organizations" => ConsentScope::Organizations(
                self.organization_ids.iter().map(|id| id.uuid()).collect(),
            ),
            other => return Err(StoreError::corrupt(row.id, format!("scope `{other}`"))),
        };
        let status = match row.status.as_str() {
            "active" => ConsentStatus::Active,
            "revoked" => ConsentStatus::Revoked,
            other => return Err(StoreError::corrupt(row.id, format!("status `{other}`"))),
        };
        Ok(Consent {
            scope,
            status,
            start_date: row.start_date.into(),
            end_date: row.end_date.map(Into::into),
        })
    }
}

impl Stamped for ConsentRecord {
    fn stamp(&mut self, at: NaiveDateTime, by: &str) {
        self.row.stamp(at, by);
    }

    fn version(&self) -> i32 {
        self.row.version()
    }

    fn stamps(&self) -> Stamps<'_> {
        self.row.stamps()
    }
}

impl Audited for ConsentRecord {
    const ENTITY: &'static str = "consent";

    fn id(&self) -> EntityId {
        self.row.id.cast()
    }

    fn actor(&self) -> &str {
        &self.row.updated_by
    }

    fn at(&self) -> NaiveDateTime {
        self.row.updated_at
    }

    /// Consents are about a client, whom organizations share: their events are admins'.
    fn organization_of(&self) -> OrganizationOf {
        OrganizationOf::Known(None)
    }

    fn action(before: &Self, after: &Self) -> &'static str {
        if before.row.status != after.row.status && after.row.status == "revoked" {
            "revoke"
        } else {
            "update"
        }
    }
}

/// The consent of the client with this ID, if `sight` sees the client.
pub fn find(
    conn: &mut DbConnection,
    sight: &Sight,
    client_id: ClientId,
    id: ConsentId,
) -> Result<Option<ConsentRecord>, StoreError> {
    let row: Option<ConsentRow> = consents::table
        .find(id)
        .filter(consents::client_id.eq(client_id))
        .filter(sight.sees_client(consents::client_id))
        .first(conn)
        .optional()?;
    row.map(|row| with_organizations(conn, row)).transpose()
}

/// The client's consents, revoked ones included, oldest first, a page at a time; none when
/// `sight` does not see the client.
pub fn list(
    conn: &mut DbConnection,
    sight: &Sight,
    client_id: ClientId,
    after: Option<ConsentId>,
    limit: i64,
) -> Result<Page<ConsentRecord>, StoreError> {
    let mut query = consents::table
        .filter(consents::client_id.eq(client_id))
        .into_boxed();
    if let Sight::Organization { .. } = sight {
        query = query.filter(sight.sees_client(consents::client_id));
    }
    if let Some(after) = after {
        query = query.filter(consents::id.gt(after));
    }
    let rows: Vec<ConsentRow> = query
        .order(consents::id.asc())
        .limit(limit + 1)
        .load(conn)?;
    let page = Page::from_probe(rows, limit);
    let ids: Vec<ConsentId> = page.rows.iter().map(|row| row.id).collect();
    let mut named = organizations_of(conn, &ids)?;
    Ok(Page {
        rows: page
            .rows
            .into_iter()
            .map(|row| ConsentRecord {
                organization_ids: named.remove(&row.id).unwrap_or_default(),
                row,
            })
            .collect(),
        more: page.more,
    })
}

pub fn insert(conn: &mut DbConnection, record: &ConsentRecord) -> Result<(), StoreError> {
    diesel::insert_into(consents::table)
        .values(&record.row)
        .execute(conn)?;
    insert_organizations(conn, record)?;
    audit::created(conn, record)
}

pub fn update(conn: &mut DbConnection, record: &ConsentRecord) -> Result<(), StoreError> {
    let id = record.row.id;
    let before_row: ConsentRow = consents::table.find(id).first(conn)?;
    let before = with_organizations(conn, before_row)?;
    diesel::update(consents::table.find(id))
        .set(&record.row)
        .execute(conn)?;
    if before.organization_ids != record.organization_ids {
        diesel::delete(
            consent_organizations::table.filter(consent_organizations::consent_id.eq(id)),
        )
        .execute(conn)?;
        insert_organizations(conn, record)?;
    }
    audit::updated(conn, &before, record)
}

fn insert_organizations(conn: &mut DbConnection, record: &ConsentRecord) -> Result<(), StoreError> {
    // A consent names a few organizations: one statement each.
    for organization_id in &record.organization_ids {
        diesel::insert_into(consent_organizations::table)
            .values(ConsentOrganizationRow {
                consent_id: record.row.id,
                organization_id: *organization_id,
            })
            .execute(conn)?;
    }
    Ok(())
}

fn with_organizations(
    conn: &mut DbConnection,
    row: ConsentRow,
) -> Result<ConsentRecord, StoreError> {
    let organization_ids = organizations_of(conn, &[row.id])?
        .remove(&row.id)
        .unwrap_or_default();
    Ok(ConsentRecord {
        row,
        organization_ids,
    })
}

/// The organizations each of these consents names, in the order of their IDs.
fn organizations_of(
    conn: &mut DbConnection,
    ids: &[ConsentId],
) -> Result<HashMap<ConsentId, Vec<OrganizationId>>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<ConsentOrganizationRow> = consent_organizations::table
        .filter(consent_organizations::consent_id.eq_any(ids))
        .order((
            consent_organizations::consent_id.asc(),
            consent_organizations::organization_id.asc(),
        ))
        .load(conn)?;
    let mut named: HashMap<ConsentId, Vec<OrganizationId>> = HashMap::new();
    for row in rows {
        named
            .entry(row.consent_id)
            .or_default()
            .push(row.organization_id);
    }
    Ok(named)
}

/// Which of these organizations do not exist.
pub fn unknown_organizations(
    conn: &mut DbConnection,
    ids: &[OrganizationId],
) -> Result<Vec<OrganizationId>, StoreError> {
    use crate::schema::organizations;
    let found: Vec<OrganizationId> = organizations::table
        .filter(organizations::id.eq_any(ids))
        .select(organizations::id)
        .load(conn)?;
    Ok(ids
        .iter()
        .copied()
        .filter(|id| !found.contains(id))
        .collect())
}

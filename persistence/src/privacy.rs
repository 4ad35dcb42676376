//! Client privacy in queries: the one place the rule of `threshold_domain::privacy::sees`
//! becomes SQL, so that every query showing a client (a read, a search and its count, a list
//! of enrollments, the change feed, the audit trail, a report, an export) leaves out the
//! clients the caller may not see, in the database, before paging.
//!
//! A query that shows clients takes a [`Sight`] and filters with [`Sight::sees_client`] on the
//! column that holds the client's ID (`tests/privacy.rs` checks that every query that reads
//! client-bearing tables does, and that the SQL answers as the domain's rule does, case by
//! case, on both backends).

use chrono::NaiveDate;
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Text};

use crate::db::{DbConnection, MultiBackend};
use crate::error::StoreError;
use crate::ids::{ClientId, OrganizationId};
use crate::schema::{assessments, clients, consents, enrollments, organizations};

/// Who is looking, as queries filter for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    /// An admin: every client.
    Everything,
    /// A member of an organization, on a day (consents are in force by date).
    Organization {
        organization_id: OrganizationId,
        today: NaiveDate,
    },
}

/// A column holding a client's ID, which [`Sight::sees_client`] filters on. The condition is
/// SQL text naming the column, so it only compiles in a query that has the column's table
/// (`AppearsOnTable`): a condition on a client a query does not read is a type error, not
/// an error of the database at run time.
pub trait ClientColumn: Copy {
    /// The column as SQL names it (`table.column`).
    const SQL: &'static str;
}

impl ClientColumn for clients::id {
    const SQL: &'static str = "clients.id";
}

impl ClientColumn for enrollments::client_id {
    const SQL: &'static str = "enrollments.client_id";
}

impl ClientColumn for assessments::client_id {
    const SQL: &'static str = "assessments.client_id";
}

impl ClientColumn for consents::client_id {
    const SQL: &'static str = "consents.client_id";
}

/// The client an audit event is about: a client's own events and an enrollment's (other
/// events name no client, or are admins' only).
#[derive(Debug, Clone, Copy)]
pub struct AuditedClient;

impl diesel::Expression for AuditedClient {
    type SqlType = Text;
}

impl<QS> diesel::AppearsOnTable<QS> for AuditedClient where
    crate::schema::audit_events::entity_id: diesel::AppearsOnTable<QS>
{
}

impl ClientColumn for AuditedClient {
    const SQL: &'static str = "(CASE audit_events.entity_type \
        WHEN 'client' THEN audit_events.entity_id \
        WHEN 'enrollment' THEN (SELECT pv_ae.client_id FROM enrollments pv_ae \
          WHERE pv_ae.id = audit_events.entity_id) END)";
}

/// Whether a victim service provider serves the client whose ID is the SQL `client`.
fn sealed_sql(client: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM enrollments pv_se \
         JOIN programs pv_sp ON pv_sp.id = pv_se.program_id \
         JOIN organizations pv_so ON pv_so.id = pv_sp.organization_id \
         WHERE pv_se.client_id = {client} AND pv_se.deleted_at IS NULL \
         AND pv_so.victim_service_provider)"
    )
}

/// A condition on the rows of query source `QS`.
pub type Condition<QS> = Box<dyn BoxableExpression<QS, MultiBackend, SqlType = Bool>>;

impl Sight {
    /// The organization looking, unless it is an admin.
    pub fn organization(&self) -> Option<OrganizationId> {
        match self {
            Sight::Everything => None,
            Sight::Organization {
                organization_id, ..
            } => Some(*organization_id),
        }
    }

    /// Whether the client whose ID is in `column` may be seen (always, for an admin):
    ///
    /// - served by the organization (a non-deleted enrollment in one of its programs), unless
    ///   a victim service provider serves the client and the organization is not one;
    /// - otherwise, when no victim service provider serves the client: created by the
    ///   organization while nobody serves the client, or named by a consent in force today
    ///   (active, its dates around today; `coc` names every organization).
    pub fn sees_client<QS: 'static, C: ClientColumn + AppearsOnTable<QS>>(
        &self,
        _column: C,
    ) -> Condition<QS> {
        let Sight::Organization {
            organization_id,
            today,
        } = *self
        else {
            return Box::new(sql::<Bool>("1 = 1"));
        };
        let client = C::SQL;
        let sealed = sealed_sql(client);
        let org = organization_id.to_string();
        Box::new(
            sql::<Bool>(&format!(
                "((EXISTS (SELECT 1 FROM enrollments pv_e \
                   JOIN programs pv_p ON pv_p.id = pv_e.program_id \
                   WHERE pv_e.client_id = {client} AND pv_e.deleted_at IS NULL \
                   AND pv_p.organization_id = "
            ))
            .bind::<Text, _>(org.clone())
            .sql(&format!(
                ") AND (NOT {sealed} OR EXISTS (SELECT 1 FROM organizations pv_o \
                   WHERE pv_o.id = "
            ))
            .bind::<Text, _>(org.clone())
            .sql(&format!(
                " AND pv_o.victim_service_provider))) \
                 OR (NOT {sealed} AND ((NOT EXISTS (SELECT 1 FROM enrollments pv_ue \
                   WHERE pv_ue.client_id = {client} AND pv_ue.deleted_at IS NULL) \
                   AND EXISTS (SELECT 1 FROM clients pv_c WHERE pv_c.id = {client} \
                   AND pv_c.organization_id = "
            ))
            .bind::<Text, _>(org.clone())
            .sql(&format!(
                ")) OR EXISTS (SELECT 1 FROM consents pv_k WHERE pv_k.client_id = {client} \
                   AND pv_k.status = 'active' AND pv_k.start_date <= "
            ))
            .bind::<Date, _>(today)
            .sql(" AND (pv_k.end_date IS NULL OR pv_k.end_date >= ")
            .bind::<Date, _>(today)
            .sql(
                ") AND (pv_k.scope = 'coc' OR EXISTS (SELECT 1 FROM consent_organizations pv_ko \
                   WHERE pv_ko.consent_id = pv_k.id AND pv_ko.organization_id = ",
            )
            .bind::<Text, _>(org)
            .sql("))))))"),
        )
    }

    /// Whether a victim service provider serves the client whose ID is in `column`: the
    /// client is sealed to it, and no consent shows them to anyone else (nor may anything
    /// say to anyone else that they exist).
    pub fn sealed_client<QS: 'static, C: ClientColumn + AppearsOnTable<QS>>(
        _column: C,
    ) -> Condition<QS> {
        Box::new(sql::<Bool>(&sealed_sql(C::SQL)))
    }

    /// Whether the client with this ID (not deleted) may be seen.
    pub fn sees(&self, conn: &mut DbConnection, client_id: ClientId) -> Result<bool, StoreError> {
        let found: i64 = clients::table
            .filter(clients::id.eq(client_id))
            .filter(clients::deleted_at.is_null())
            .filter(self.sees_client(clients::id))
            .count()
            .get_result(conn)?;
        Ok(found > 0)
    }

    /// Whether the client with this ID is sealed away from this sight: a victim service
    /// provider serves them and the organization looking is not one (never, for an admin).
    /// What an organization's own enrollments of the client show it turns on this alone.
    pub fn sealed_away(
        &self,
        conn: &mut DbConnection,
        client_id: ClientId,
    ) -> Result<bool, StoreError> {
        let Some(organization_id) = self.organization() else {
            return Ok(false);
        };
        let sealed: i64 = clients::table
            .filter(clients::id.eq(client_id))
            .filter(Sight::sealed_client(clients::id))
            .count()
            .get_result(conn)?;
        if sealed == 0 {
            return Ok(false);
        }
        let victim_service_provider: Option<bool> = organizations::table
            .find(organization_id)
            .select(organizations::victim_service_provider)
            .first(conn)
            .optional()?;
        Ok(victim_service_provider != Some(true))
    }
}

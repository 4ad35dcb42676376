//! Clients: every read takes the caller's [`Sight`], and leaves out a client it may not see.

use crate::multi_row::{on_backend, ROWS_PER_STATEMENT};
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::audit;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{ClientId, OrganizationId};
use crate::page::Page;
use crate::privacy::{Condition, Sight};
use crate::rows::ClientRow;
use crate::schema::{clients, enrollments, programs};

/// A client that is not deleted, if `sight` sees them.
pub fn find(
    conn: &mut DbConnection,
    sight: &Sight,
    id: ClientId,
) -> Result<Option<ClientRow>, StoreError> {
    let query = clients::table
        .find(id)
        .filter(clients::deleted_at.is_null());
    // By primary key, so at most one row: loaded without `LIMIT ?`.
    let found: Vec<ClientRow> = match sight {
        // Behind every client URL: see `multi_row::on_backend`.
        Sight::Everything => on_backend!(conn, |backend| query.load(backend))?,
        Sight::Organization { .. } => query.filter(sight.sees_client(clients::id)).load(conn)?,
    };
    Ok(found.into_iter().next())
}

/// The clients (not deleted) of `ids` that `sight` sees, a thousand a query, in no
/// particular order.
pub fn find_all(
    conn: &mut DbConnection,
    sight: &Sight,
    ids: &[ClientId],
) -> Result<Vec<ClientRow>, StoreError> {
    let mut found: Vec<ClientRow> = Vec::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut query = clients::table
            .filter(clients::id.eq_any(chunk))
            .filter(clients::deleted_at.is_null())
            .into_boxed();
        if let Sight::Organization { .. } = sight {
            query = query.filter(sight.sees_client(clients::id));
        }
        found.extend(query.load::<ClientRow>(conn)?);
    }
    Ok(found)
}

/// The organizations whose programs have (or had) an enrollment of the client.
pub fn organizations_serving(
    conn: &mut DbConnection,
    id: ClientId,
) -> Result<Vec<OrganizationId>, StoreError> {
    Ok(enrollments::table
        .inner_join(programs::table)
        .filter(enrollments::client_id.eq(id))
        .select(programs::organization_id)
        .distinct()
        .load(conn)?)
}

/// Whether a client exists, is not deleted and is seen by `sight`, without reading the row.
pub fn exists(conn: &mut DbConnection, sight: &Sight, id: ClientId) -> Result<bool, StoreError> {
    if let Sight::Everything = sight {
        return Ok(clients::table
            .find(id)
            .filter(clients::deleted_at.is_null())
            .select(clients::id)
            .first::<ClientId>(conn)
            .optional()?
            .is_some());
    }
    sight.sees(conn, id)
}

pub fn insert(conn: &mut DbConnection, row: &ClientRow) -> Result<(), StoreError> {
    diesel::insert_into(clients::table)
        .values(row)
        .execute(conn)?;
    audit::created(conn, row)
}

pub fn update(conn: &mut DbConnection, row: &ClientRow) -> Result<(), StoreError> {
    let before: ClientRow = clients::table.find(row.id).first(conn)?;
    diesel::update(clients::table.find(row.id))
        .set(row)
        .execute(conn)?;
    crate::stale::touch_client(row.id);
    audit::updated(conn, &before, row)
}

/// What `GET /v1/clients` filters on.
#[derive(Debug, Clone, Default)]
pub struct ClientSearch {
    /// Every word must appear in the client's names.
    pub words: Vec<String>,
    pub dob: Option<NaiveDate>,
}

/// The clients `sight` sees that match `search`, a page at a time.
pub fn search(
    conn: &mut DbConnection,
    sight: &Sight,
    search: &ClientSearch,
    after: Option<ClientId>,
    limit: i64,
) -> Result<Page<ClientRow>, StoreError> {
    let mut query = clients::table
        .filter(clients::deleted_at.is_null())
        .into_boxed();
    if let Sight::Organization { .. } = sight {
        query = query.filter(sight.sees_client(clients::id));
    }
    for word in &search.words {
        query = query.filter(names_hold(word));
    }
    if let Some(dob) = search.dob {
        query = query.filter(clients::dob.eq(dob));
    }
    if let Some(after) = after {
        query = query.filter(clients::id.gt(after));
    }
    let rows = query.order(clients::id.asc()).limit(limit + 1).load(conn)?;
    Ok(Page::from_probe(rows, limit))
}

/// A client as a duplicate check compares them, and whether the caller may see them.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct MatchCandidate {
    pub id: ClientId,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub dob: Option<NaiveDate>,
    pub dob_data_quality: i32,
    pub ssn: Option<String>,
    pub ssn_last4: Option<String>,
    pub ssn_data_quality: i32,
    /// `Sight::sees_client`, computed in the same query.
    pub visible: bool,
    /// `Sight::sealed_client`: served by a victim service provider, whose clients no
    /// answer may even say exist to anyone else.
    pub sealed: bool,
}

/// The clients (not deleted) born on `dob` or whose SSN ends in `ssn_last4`, each looked up
/// by its index, whether `sight` sees them or not: a duplicate check must know that a
/// client it may not see matches (and say only that). Each client once, by ID.
pub fn match_candidates(
    conn: &mut DbConnection,
    sight: &Sight,
    dob: Option<NaiveDate>,
    ssn_last4: Option<&str>,
) -> Result<Vec<MatchCandidate>, StoreError> {
    let candidates = || {
        clients::table
            .filter(clients::deleted_at.is_null())
            .select((
                clients::id,
                clients::first_name,
                clients::last_name,
                clients::dob,
                clients::dob_data_quality,
                clients::ssn,
                clients::ssn_last4,
                clients::ssn_data_quality,
                sight.sees_client::<clients::table, _>(clients::id),
                Sight::sealed_client::<clients::table, _>(clients::id),
            ))
            .into_boxed()
    };
    let mut found: Vec<MatchCandidate> = Vec::new();
    if let Some(dob) = dob {
        found.extend(
            candidates()
                .filter(clients::dob.eq(dob))
                .load::<MatchCandidate>(conn)?,
        );
    }
    if let Some(last4) = ssn_last4 {
        found.extend(
            candidates()
                .filter(clients::ssn_last4.eq(last4))
                .load::<MatchCandidate>(conn)?,
        );
    }
    found.sort_by_key(|candidate| candidate.id);
    found.dedup_by_key(|candidate| candidate.id);
    Ok(found)
}

/// Whether the client has any enrollment that is not deleted.
pub fn has_enrollments(conn: &mut DbConnection, client_id: ClientId) -> Result<bool, StoreError> {
    let count: i64 = enrollments::table
        .filter(enrollments::client_id.eq(client_id))
        .filter(enrollments::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Whether the client's names hold `word` (one lower-case word of a search), as the client
/// search and a program's roster filter them: `search_name` holds every name part in lower
/// case ([`ClientRow::search_text`]), and the word may fall anywhere in it.
pub fn names_hold<QS: 'static>(word: &str) -> Condition<QS>
where
    clients::search_name: SelectableExpression<QS>,
{
    Box::new(
        clients::search_name
            .like(format!("%{}%", escape_like(word)))
            .escape('\\'),
    )
}

fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

//! Enrollments: reads scoped to what the caller may see, and the facts the rules need.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use threshold_domain::codes::RelationshipToHoh;
use threshold_domain::enrollment::EnrollmentFacts;
use threshold_domain::Period;

use crate::audit;
use crate::clock;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::household_answers::{household_answer, HouseholdAnswer};
use crate::ids::{ClientId, EnrollmentId, HouseholdId, OrganizationId, ProgramId};
use crate::locks;
use crate::multi_row::{on_backend, ROWS_PER_STATEMENT};
use crate::page::Page;
use crate::privacy::Sight;
use crate::rows::EnrollmentRow;
use crate::schema::{enrollments, programs};
use crate::stale;

/// Which organization's enrollments a caller may see: `None` for every organization.
pub type OrganizationScope = Option<OrganizationId>;

/// An enrollment that is not deleted and that the scope may see.
pub fn find(
    conn: &mut DbConnection,
    scope: OrganizationScope,
    id: EnrollmentId,
) -> Result<Option<EnrollmentRow>, StoreError> {
    Ok(find_with_organization(conn, scope, id)?.map(|(row, _)| row))
}

/// An enrollment (not deleted) with the organization of its program, which a write locks.
pub fn find_with_organization(
    conn: &mut DbConnection,
    scope: OrganizationScope,
    id: EnrollmentId,
) -> Result<Option<(EnrollmentRow, OrganizationId)>, StoreError> {
    let query = enrollments::table
        .inner_join(programs::table)
        .filter(enrollments::id.eq(id))
        .filter(enrollments::deleted_at.is_null())
        .select((enrollments::all_columns, programs::organization_id));
    // Static queries (not boxed) on the backend's own connection: diesel finds their prepared
    // statement by their type, without writing their SQL for each request (this read is
    // behind every enrollment URL).
    // By primary key, so at most one row: loaded without `LIMIT ?` (see `on_backend`).
    let found: Vec<(EnrollmentRow, OrganizationId)> = on_backend!(conn, |backend| match scope {
        Some(organization_id) => query
            .filter(programs::organization_id.eq(organization_id))
            .load(backend)?,
        None => query.load(backend)?,
    });
    Ok(found.into_iter().next())
}

/// Inserts an enrollment, stamping it with the next tick of the change clock.
pub fn insert(conn: &mut DbConnection, row: &mut EnrollmentRow) -> Result<(), StoreError> {
    let at = clock::tick(conn, row.updated_at)?;
    row.created_at = at;
    row.updated_at = at;
    diesel::insert_into(enrollments::table)
        .values(&*row)
        .execute(conn)?;
    stale::touch_household(row.household_id);
    audit::created(conn, row)
}

/// Updates an enrollment, stamping it with the next tick of the change clock.
pub fn update(conn: &mut DbConnection, row: &mut EnrollmentRow) -> Result<(), StoreError> {
    let before: EnrollmentRow = enrollments::table.find(row.id).first(conn)?;
    row.updated_at = clock::tick(conn, row.updated_at)?;
    diesel::update(enrollments::table.find(row.id))
        .set(&*row)
        .execute(conn)?;
    stale::touch_household(before.household_id);
    stale::touch_household(row.household_id);
    audit::updated(conn, &before, row)
}

/// Filters of a client's enrollment list.
#[derive(Debug, Clone, Default)]
pub struct ClientEnrollmentFilter {
    pub active: Option<bool>,
    pub program_id: Option<ProgramId>,
}

/// Where the previous page ended in a list ordered by entry date, then by ID (a client's
/// enrollments, newest first; a program's roster, earliest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryCursor {
    pub entry_date: NaiveDate,
    pub id: EnrollmentId,
}

/// A page of a client's enrollments, newest first, each with what its household's stored
/// completeness says on `day` (`household_answers`), in one statement.
pub fn list_for_client(
    conn: &mut DbConnection,
    scope: OrganizationScope,
    client_id: ClientId,
    filter: &ClientEnrollmentFilter,
    after: Option<&EntryCursor>,
    limit: i64,
    day: NaiveDate,
) -> Result<Page<(EnrollmentRow, HouseholdAnswer)>, StoreError> {
    let (unknown, incomplete) = household_answer(day);
    let answered = |rows: Vec<(EnrollmentRow, bool, bool)>| {
        rows.into_iter()
            .map(|(row, unknown, incomplete)| {
                (
                    row,
                    HouseholdAnswer {
                        unknown,
                        incomplete,
                    },
                )
            })
            .collect::<Vec<_>>()
    };
    if filter.active.is_none() && filter.program_id.is_none() && after.is_none() {
        // The first page, unfiltered (most reads): static queries on the backend's own
        // connection, as in `find_with_organization`.
        let query = enrollments::table
            .inner_join(programs::table)
            .filter(enrollments::client_id.eq(client_id))
            .filter(enrollments::deleted_at.is_null())
            .select((enrollments::all_columns, unknown, incomplete));
        let rows = match conn {
            DbConnection::Postgresql(pg) => {
                let query = query
                    .order((enrollments::entry_date.desc(), enrollments::id.desc()))
                    .limit(limit + 1);
                match scope {
                    Some(organization_id) => query
                        .filter(programs::organization_id.eq(organization_id))
                        .load(pg)?,
                    None => query.load(pg)?,
                }
            }
            DbConnection::Sqlite(sqlite) => {
                // SQLite would prepare `LIMIT ?` again at every execution (see `on_backend`),
                // and a limit written into the SQL is never cached: the client's enrollments
                // (its history, a handful as a rule) are read in order and the page kept.
                let query = query.order((enrollments::entry_date.desc(), enrollments::id.desc()));
                let mut rows: Vec<(EnrollmentRow, bool, bool)> = match scope {
                    Some(organization_id) => query
                        .filter(programs::organization_id.eq(organization_id))
                        .load(sqlite)?,
                    None => query.load(sqlite)?,
                };
                rows.truncate(usize::try_from(limit + 1).unwrap_or(usize::MAX));
                rows
            }
        };
        return Ok(Page::from_probe(answered(rows), limit));
    }
    let mut query = enrollments::table
        .inner_join(programs::table)
        .filter(enrollments::client_id.eq(client_id))
        .filter(enrollments::deleted_at.is_null())
        .select((enrollments::all_columns, unknown, incomplete))
        .into_boxed();
    if let Some(organization_id) = scope {
        query = query.filter(programs::organization_id.eq(organization_id));
    }
    match filter.active {
        Some(true) => query = query.filter(enrollments::exit_date.is_null()),
        Some(false) => query = query.filter(enrollments::exit_date.is_not_null()),
        None => {}
    }
    if let Some(program_id) = &filter.program_id {
        query = query.filter(enrollments::program_id.eq(*program_id));
    }
    if let Some(cursor) = after {
        query = query.filter(
            enrollments::entry_date
                .lt(cursor.entry_date)
                .or(enrollments::entry_date
                    .eq(cursor.entry_date)
                    .and(enrollments::id.lt(cursor.id))),
        );
    }
    let rows = query
        .order((enrollments::entry_date.desc(), enrollments::id.desc()))
        .limit(limit + 1)
        .load(conn)?;
    Ok(Page::from_probe(answered(rows), limit))
}

/// The client's enrollments (not deleted) in a program, as the overlap rule sees them.
pub fn client_facts_in_program(
    conn: &mut DbConnection,
    client_id: ClientId,
    program_id: ProgramId,
) -> Result<Vec<EnrollmentFacts>, StoreError> {
    let rows: Vec<EnrollmentRow> = enrollments::table
        .filter(enrollments::client_id.eq(client_id))
        .filter(enrollments::program_id.eq(program_id))
        .filter(enrollments::deleted_at.is_null())
        .load(conn)?;
    rows.iter().map(facts).collect()
}

/// How many enrollments (not deleted) are active in a program now.
pub fn count_active_in_program(
    conn: &mut DbConnection,
    program_id: ProgramId,
) -> Result<i64, StoreError> {
    Ok(enrollments::table
        .filter(enrollments::program_id.eq(program_id))
        .filter(enrollments::exit_date.is_null())
        .filter(enrollments::deleted_at.is_null())
        .count()
        .get_result(conn)?)
}

/// The enrollments (not deleted) of a household, of the clients `sight` sees (the rules of a
/// household read every member: `Sight::Everything`).
pub fn household_members(
    conn: &mut DbConnection,
    sight: &Sight,
    household_id: HouseholdId,
) -> Result<Vec<EnrollmentRow>, StoreError> {
    let mut query = enrollments::table
        .filter(enrollments::household_id.eq(household_id))
        .filter(enrollments::deleted_at.is_null())
        .order((enrollments::entry_date.asc(), enrollments::id.asc()))
        .into_boxed();
    if let Sight::Organization { .. } = sight {
        query = query.filter(sight.sees_client(enrollments::client_id));
    }
    Ok(query.load(conn)?)
}

/// The enrollments (not deleted) of the households `household_ids`, of the clients `sight`
/// sees, by household, entry date and ID: the members of a page's households, a thousand
/// households a query.
pub fn members_of_households(
    conn: &mut DbConnection,
    sight: &Sight,
    household_ids: &[HouseholdId],
) -> Result<Vec<EnrollmentRow>, StoreError> {
    let mut members: Vec<EnrollmentRow> = Vec::new();
    for chunk in household_ids.chunks(ROWS_PER_STATEMENT) {
        let mut query = enrollments::table
            .filter(enrollments::household_id.eq_any(chunk))
            .filter(enrollments::deleted_at.is_null())
            .into_boxed();
        if let Sight::Organization { .. } = sight {
            query = query.filter(sight.sees_client(enrollments::client_id));
        }
        members.extend(query.load::<EnrollmentRow>(conn)?);
    }
    members.sort_by(|a, b| {
        (a.household_id, a.entry_date, a.id).cmp(&(b.household_id, b.entry_date, b.id))
    });
    Ok(members)
}

impl EnrollmentRow {
    /// The stay as the period rules see it.
    pub fn period(&self) -> Period {
        Period::new(self.entry_date.into(), self.exit_date.map(Into::into))
    }
}

/// What the rules know of a stored enrollment.
pub fn facts(row: &EnrollmentRow) -> Result<EnrollmentFacts, StoreError> {
    Ok(EnrollmentFacts {
        id: row.id.uuid(),
        client_id: row.client_id.uuid(),
        program_id: row.program_id.uuid(),
        household_id: row.household_id.uuid(),
        relationship: RelationshipToHoh::try_from(row.relationship_to_hoh)
            .map_err(|error| StoreError::corrupt(row.id, error))?,
        period: row.period(),
        move_in_date: row.move_in_date.map(Into::into),
    })
}

/// The households of a program with at least one active enrollment (not deleted).
pub fn active_household_ids(
    conn: &mut DbConnection,
    program_id: ProgramId,
) -> Result<Vec<HouseholdId>, StoreError> {
    Ok(enrollments::table
        .filter(enrollments::program_id.eq(program_id))
        .filter(enrollments::exit_date.is_null())
        .filter(enrollments::deleted_at.is_null())
        .select(enrollments::household_id)
        .distinct()
        .order(enrollments::household_id.asc())
        .load(conn)?)
}

/// Where the change feed goes on from: after this `updated_at`, or after this enrollment
/// among those of that `updated_at` (two writes may stamp the same microsecond).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangePosition {
    pub updated_at: NaiveDateTime,
    pub after_id: Option<EnrollmentId>,
}

/// The change feed: enrollments (deleted ones included) changed after `since`, in the order
/// of their changes (`updated_at`, then ID), up to the changes a running transaction may
/// still commit before (`locks::changes_horizon`). Read outside a transaction. An
/// organization sees its own programs' enrollments of the clients it may see (and every
/// deletion of one of its enrollments, which names no more than the IDs it had).
pub fn changed_since(
    conn: &mut DbConnection,
    sight: &Sight,
    since: Option<ChangePosition>,
    limit: i64,
) -> Result<Page<EnrollmentRow>, StoreError> {
    let horizon = locks::changes_horizon(conn)?;
    let mut query = enrollments::table
        .inner_join(programs::table)
        .select(enrollments::all_columns)
        .into_boxed();
    if let Some(organization_id) = sight.organization() {
        query = query
            .filter(programs::organization_id.eq(organization_id))
            .filter(
                enrollments::deleted_at
                    .is_not_null()
                    .or(sight.sees_client(enrollments::client_id)),
            );
    }
    if let Some(horizon) = horizon {
        query = query.filter(enrollments::updated_at.lt(horizon));
    }
    match since {
        Some(ChangePosition {
            updated_at,
            after_id: None,
        }) => query = query.filter(enrollments::updated_at.gt(updated_at)),
        Some(ChangePosition {
            updated_at,
            after_id: Some(id),
        }) => {
            query = query.filter(
                enrollments::updated_at
                    .gt(updated_at)
                    .or(enrollments::updated_at
                        .eq(updated_at)
                        .and(enrollments::id.gt(id))),
            )
        }
        None => {}
    }
    let rows = query
        .order((enrollments::updated_at.asc(), enrollments::id.asc()))
        .limit(limit + 1)
        .load(conn)?;
    Ok(Page::from_probe(rows, limit))
}

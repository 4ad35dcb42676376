//! Program rosters: a program's enrollments (not deleted) with their clients' names, earliest
//! entry first, of the clients the caller may see; and the households of a page, so that a
//! roster names each head and counts the members without a request per household.
//!
//! The page's query walks the program's enrollments in the order of an index (migration
//! `2026-12-06-000010_program_rosters`): `(program_id, entry_date, id)` of the enrollments
//! not deleted, and the same of those not exited, which the default roster (the people in the
//! program now) reads alone.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use diesel::prelude::*;
use threshold_domain::codes::RelationshipToHoh;
use threshold_domain::roster::{RosterFilter, RosterStatus};

use crate::clients::names_hold;
use crate::completeness::today;
use crate::db::DbConnection;
use crate::enrollments::EntryCursor;
use crate::error::StoreError;
use crate::household_answers::StoredAnswer;
use crate::ids::{ClientId, EnrollmentId, HouseholdId, ProgramId};
use crate::page::Page;
use crate::privacy::Sight;
use crate::rows::EnrollmentRow;
use crate::schema::{clients, enrollment_completeness, enrollments};

/// What a roster lists of a program, beside its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterQuery {
    pub program_id: ProgramId,
    pub filter: RosterFilter,
    /// Only this household's enrollments.
    pub household_id: Option<HouseholdId>,
    /// Every word (lower case) must appear in the client's names, as in the client search.
    pub words: Vec<String>,
}

/// A client's names, as a roster shows them.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ClientNames {
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub name_suffix: Option<String>,
}

/// One enrollment of a roster, with its client's names.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterRow {
    pub enrollment: EnrollmentRow,
    pub client: ClientNames,
}

/// How many candidates a page reads at most at a time (see [`page`]).
const MOST_CANDIDATES: i64 = 1_000;

/// A page of a roster, with the households of its enrollments.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterPage {
    pub page: Page<RosterRow>,
    pub households: BTreeMap<HouseholdId, RosterHousehold>,
}

/// A page of the program's roster: its enrollments that `query` lists, of the clients `sight`
/// sees (left out before paging, so a page never shows nor counts a hidden one), ordered by
/// entry date, then ID, after `after`; with their households, each with its head and the
/// counts of its members, of the clients `sight` sees too.
///
/// Two steps: the next candidates in order by the roster's index, then every member of their
/// households that `sight` sees, which tells both which candidates the page shows and what it
/// shows of their households; again, from the last candidate, until the page is full (one
/// round as a rule: a hidden client on a roster is rare). The sight is tested on those
/// members alone: in one query with the candidates, PostgreSQL expects to test it on every
/// enrollment the filters leave and builds the hash tables of its subqueries over every
/// enrollment of the organization, tens of milliseconds on a program of 50,000 enrollments
/// whatever the page.
pub fn page(
    conn: &mut DbConnection,
    sight: &Sight,
    query: &RosterQuery,
    after: Option<&EntryCursor>,
    limit: i64,
) -> Result<RosterPage, StoreError> {
    let wanted = limit + 1;
    let mut found = Vec::new();
    let mut households = BTreeMap::new();
    // The enrollments of `households` whose clients `sight` sees.
    let mut seen = BTreeSet::new();
    let mut position = after.cloned();
    let mut chunk = wanted;
    loop {
        let candidates = in_order(conn, query, position.as_ref(), chunk)?;
        let Some(last) = candidates.last() else {
            break;
        };
        position = Some(EntryCursor {
            entry_date: last.enrollment.entry_date,
            id: last.enrollment.id,
        });
        let exhausted = (candidates.len() as i64) < chunk;
        // A household met in an earlier round is already known with all its members.
        let household_ids: BTreeSet<HouseholdId> = candidates
            .iter()
            .map(|row| row.enrollment.household_id)
            .filter(|id| !households.contains_key(id))
            .collect();
        members(conn, sight, &household_ids, &mut households, &mut seen)?;
        found.extend(
            candidates
                .into_iter()
                .filter(|row| seen.contains(&row.enrollment.id)),
        );
        if exhausted || found.len() as i64 >= wanted {
            break;
        }
        chunk = (chunk * 2).min(MOST_CANDIDATES).max(wanted);
    }
    let page = Page::from_probe(found, limit);
    let shown: BTreeSet<HouseholdId> = page
        .rows
        .iter()
        .map(|row| row.enrollment.household_id)
        .collect();
    households.retain(|id, _| shown.contains(id));
    Ok(RosterPage { page, households })
}

/// The first `count` enrollments after `after` that `query` lists, whoever may see them:
/// only [`page`] reads them, and shows only those its `Sight` sees.
fn in_order(
    conn: &mut DbConnection,
    query: &RosterQuery,
    after: Option<&EntryCursor>,
    count: i64,
) -> Result<Vec<RosterRow>, StoreError> {
    let mut rows = enrollments::table
        .inner_join(clients::table)
        .filter(enrollments::program_id.eq(query.program_id))
        .filter(enrollments::deleted_at.is_null())
        .filter(clients::deleted_at.is_null())
        .select((
            enrollments::all_columns,
            (
                clients::first_name,
                clients::middle_name,
                clients::last_name,
                clients::name_suffix,
            ),
        ))
        .into_boxed();
    // Written as the indexes' own conditions, so both backends read the rows through them.
    match query.filter.status() {
        RosterStatus::Active => rows = rows.filter(enrollments::exit_date.is_null()),
        RosterStatus::Exited => rows = rows.filter(enrollments::exit_date.is_not_null()),
        RosterStatus::All => {}
    }
    if let Some(day) = query.filter.active_on() {
        // `Period::is_active_on`: entered on or before the day, not exited by then.
        let day = day.naive();
        rows = rows.filter(enrollments::entry_date.le(day)).filter(
            enrollments::exit_date
                .is_null()
                .or(enrollments::exit_date.gt(day)),
        );
    }
    if let Some(household_id) = query.household_id {
        rows = rows.filter(enrollments::household_id.eq(household_id));
    }
    for word in &query.words {
        rows = rows.filter(names_hold(word));
    }
    if let Some(cursor) = after {
        // The bound on `entry_date` alone is a range of the index: a later page starts where
        // the last one ended instead of reading every earlier row again.
        rows = rows
            .filter(enrollments::entry_date.ge(cursor.entry_date))
            .filter(
                enrollments::entry_date
                    .gt(cursor.entry_date)
                    .or(enrollments::id.gt(cursor.id)),
            );
    }
    let found: Vec<(EnrollmentRow, ClientNames)> = rows
        .order((enrollments::entry_date.asc(), enrollments::id.asc()))
        .limit(count)
        .load(conn)?;
    Ok(found
        .into_iter()
        .map(|(enrollment, client)| RosterRow { enrollment, client })
        .collect())
}

/// The head of a household, as a roster names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdHead {
    pub enrollment_id: EnrollmentId,
    pub client_id: ClientId,
    pub names: ClientNames,
}

/// A household as a roster shows it beside each of its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterHousehold {
    /// `None` when the caller may not see the head's client (or the head's enrollment was
    /// deleted after everyone left).
    pub head: Option<HouseholdHead>,
    /// Its enrollments that are not deleted, of the clients the caller may see.
    pub members: u32,
    /// Of those, the ones not exited.
    pub active_members: u32,
    /// Whether those members miss nothing HUD requires, as their stored answers say on the
    /// day read (`completeness`); `None` when one must be worked out.
    pub complete: Option<bool>,
}

/// One member as [`members`] reads them.
type MemberRow = (
    HouseholdId,
    EnrollmentId,
    ClientId,
    i32,
    Option<NaiveDate>,
    ClientNames,
    Option<StoredAnswer>,
);

/// The members of the households `household_ids` that `sight` sees (enrollments not
/// deleted): each household added to `households` with its head and counts, as a
/// household's own read shows them, and their enrollments to `seen`.
fn members(
    conn: &mut DbConnection,
    sight: &Sight,
    household_ids: &BTreeSet<HouseholdId>,
    households: &mut BTreeMap<HouseholdId, RosterHousehold>,
    seen: &mut BTreeSet<EnrollmentId>,
) -> Result<(), StoreError> {
    if household_ids.is_empty() {
        return Ok(());
    }
    let mut members = enrollments::table
        .inner_join(clients::table)
        .left_join(enrollment_completeness::table)
        .filter(enrollments::household_id.eq_any(household_ids.iter().copied()))
        .filter(enrollments::deleted_at.is_null())
        .filter(clients::deleted_at.is_null())
        .select((
            enrollments::household_id,
            enrollments::id,
            enrollments::client_id,
            enrollments::relationship_to_hoh,
            enrollments::exit_date,
            (
                clients::first_name,
                clients::middle_name,
                clients::last_name,
                clients::name_suffix,
            ),
            (
                enrollment_completeness::as_of,
                enrollment_completeness::complete,
                enrollment_completeness::holds_until,
            )
                .nullable(),
        ))
        .into_boxed();
    if let Sight::Organization { .. } = sight {
        members = members.filter(sight.sees_client(enrollments::client_id));
    }
    let members: Vec<MemberRow> = members.load(conn)?;
    for id in household_ids {
        households.entry(*id).or_insert(RosterHousehold {
            head: None,
            members: 0,
            active_members: 0,
            complete: Some(true),
        });
    }
    let day = match sight {
        Sight::Organization { today, .. } => *today,
        Sight::Everything => today().into(),
    };
    for (household_id, enrollment_id, client_id, relationship, exit_date, names, answer) in members
    {
        seen.insert(enrollment_id);
        let Some(household) = households.get_mut(&household_id) else {
            continue;
        };
        // Complete while every member's answer holds and says so; unknown from the first
        // that does not hold (or was never stored).
        household.complete = match (household.complete, answer.and_then(|answer| answer.on(day))) {
            (Some(so_far), Some(member)) => Some(so_far && member),
            _ => None,
        };
        household.members += 1;
        if exit_date.is_none() {
            household.active_members += 1;
        }
        if relationship == RelationshipToHoh::SELF_HEAD.code() {
            household.head = Some(HouseholdHead {
                enrollment_id,
                client_id,
                names,
            });
        }
    }
    Ok(())
}

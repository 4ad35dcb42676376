//! What HUD requires of an enrollment's household and is missing (contract: `GET
//! .../completeness`), and the enrollment read's `complete`: the same answer for each
//! enrollment a read shows ([`EnrollmentRead`]), over the members the reader may see. Reads
//! take it from what the household's writes stored (`threshold_persistence::completeness`);
//! a dry run's answer is worked out from the rows as they would be.

use std::collections::{BTreeMap, BTreeSet};

use threshold_domain::applicability::{completeness as household_completeness, Completeness};
use threshold_persistence::completeness::{self as stored, today, HouseholdAnswer};
use threshold_persistence::enrollments;
use threshold_persistence::ids::{ClientId, EnrollmentId, HouseholdId};
use threshold_persistence::page::Page;
use threshold_persistence::privacy::Sight;
use threshold_persistence::rows::EnrollmentRow;
use threshold_persistence::DbConnection;

use super::visibility::{readable_enrollment, visible_enrollment};
use super::EnrollmentKey;
use crate::auth::Caller;
use crate::error::ApiError;

/// An enrollment as the API reads it: its row, and whether its household misses nothing HUD
/// requires of the members the reader may see (`complete`: what `GET .../completeness`
/// answers, for any member's enrollment). A household's records change it, not the row's
/// version.
#[derive(Debug, Clone, PartialEq)]
pub struct EnrollmentRead {
    pub row: EnrollmentRow,
    pub complete: bool,
}

impl EnrollmentRead {
    /// `row`, with its household's completeness from `households`. A deleted
    /// enrollment (the change feed's, a deletion's webhook event) is no member of its
    /// household, and what it recorded is deleted with it: it reads `false`.
    fn of(row: EnrollmentRow, households: &BTreeMap<HouseholdId, bool>) -> EnrollmentRead {
        let complete =
            row.deleted_at.is_none() && households.get(&row.household_id).copied().unwrap_or(false);
        EnrollmentRead { row, complete }
    }
}

/// The completeness of the household of the enrollment `key` names (404 when the caller may
/// not see it): worked out over every member, for the anniversaries of the head's entry
/// whoever may see the head, and told of the members the caller may see.
pub fn completeness(
    conn: &mut DbConnection,
    caller: &Caller,
    key: EnrollmentKey,
) -> Result<Completeness, ApiError> {
    let target = visible_enrollment(conn, caller, key.client_id, key.enrollment_id)?;
    let household_id = target.household_id;
    let household = stored::households(conn, &[household_id], &[], today())?
        .remove(&household_id)
        .ok_or_else(|| ApiError::Internal("an enrollment without its household".into()))?;
    let seen: BTreeSet<_> =
        enrollments::members_of_households(conn, &caller.sight(), &[household_id])?
            .into_iter()
            .map(|member| member.id.uuid())
            .collect();
    let missing: Vec<_> = household_completeness(&household)
        .missing
        .into_iter()
        .filter(|missing| seen.contains(&missing.enrollment_id))
        .collect();
    Ok(Completeness {
        complete: missing.is_empty(),
        missing,
    })
}

/// The enrollment at a client's path as the caller reads it (404 when the caller may not see
/// it): one statement for an admin, and for anyone when every member of its household is
/// complete; otherwise whom the caller sees decides, or the household is worked out.
pub fn read_one(
    conn: &mut DbConnection,
    caller: &Caller,
    client_id: ClientId,
    enrollment_id: EnrollmentId,
) -> Result<EnrollmentRead, ApiError> {
    let (row, answer) = readable_enrollment(conn, caller, client_id, enrollment_id)?;
    let sight = caller.sight();
    match settled(answer, &sight) {
        Some(complete) => Ok(EnrollmentRead { row, complete }),
        None => read(conn, &sight, row),
    }
}

/// What a household's stored answer says to `sight` without asking more: complete for
/// everyone is complete for any reader, and an admin sees every member.
fn settled(answer: HouseholdAnswer, sight: &Sight) -> Option<bool> {
    answer
        .of_everyone()
        .filter(|complete| *complete || *sight == Sight::Everything)
}

/// A page of enrollments read with their households' stored answers (one statement): the
/// households those do not settle for `sight` are asked of ([`complete_households`]).
pub fn read_answered_page(
    conn: &mut DbConnection,
    sight: &Sight,
    page: Page<(EnrollmentRow, HouseholdAnswer)>,
) -> Result<Page<EnrollmentRead>, ApiError> {
    let mut known: BTreeMap<HouseholdId, bool> = BTreeMap::new();
    let mut asked: Vec<HouseholdId> = Vec::new();
    for (row, answer) in &page.rows {
        match settled(*answer, sight) {
            Some(complete) => {
                known.insert(row.household_id, complete);
            }
            None => asked.push(row.household_id),
        }
    }
    if !asked.is_empty() {
        known.extend(complete_households(conn, sight, &asked)?);
    }
    Ok(Page {
        rows: page
            .rows
            .into_iter()
            .map(|(row, _)| EnrollmentRead::of(row, &known))
            .collect(),
        more: page.more,
    })
}

/// One stored enrollment as `sight` reads it: inside a write, as the write left it (what the
/// write changed is stored first).
pub fn read(
    conn: &mut DbConnection,
    sight: &Sight,
    row: EnrollmentRow,
) -> Result<EnrollmentRead, ApiError> {
    let complete = complete_households(conn, sight, &[row.household_id])?;
    Ok(EnrollmentRead::of(row, &complete))
}

/// The enrollment a write answers with: `row` as stored ([`read`]), or on a dry run as it
/// would be, with `also` (the other members the write changes: a household's exit) as they
/// would be.
pub fn answer(
    conn: &mut DbConnection,
    sight: &Sight,
    row: EnrollmentRow,
    also: &[EnrollmentRow],
    dry_run: bool,
) -> Result<EnrollmentRead, ApiError> {
    if !dry_run {
        return read(conn, sight, row);
    }
    let household_id = row.household_id;
    let given: Vec<&EnrollmentRow> = [&row].into_iter().chain(also).collect();
    let statuses = stored::statuses(conn, &[household_id], &given, today())?;
    // The members the reader sees: the stored ones it may see, and those the write gives.
    let mut seen: BTreeSet<EnrollmentId> =
        enrollments::members_of_households(conn, sight, &[household_id])?
            .into_iter()
            .map(|member| member.id)
            .collect();
    seen.extend(given.iter().map(|row| row.id));
    let complete = statuses
        .get(&household_id)
        .into_iter()
        .flatten()
        .filter(|status| seen.contains(&EnrollmentId::from_uuid(status.enrollment_id)))
        .all(|status| status.complete);
    Ok(EnrollmentRead::of(
        row,
        &BTreeMap::from([(household_id, complete)]),
    ))
}

/// A page of enrollments as `sight` reads them.
pub fn read_page(
    conn: &mut DbConnection,
    sight: &Sight,
    page: Page<EnrollmentRow>,
) -> Result<Page<EnrollmentRead>, ApiError> {
    let households: Vec<HouseholdId> = page.rows.iter().map(|row| row.household_id).collect();
    let complete = complete_households(conn, sight, &households)?;
    Ok(Page {
        rows: page
            .rows
            .into_iter()
            .map(|row| EnrollmentRead::of(row, &complete))
            .collect(),
        more: page.more,
    })
}

/// Whether each of `households` misses nothing, as `sight` sees its members: what the
/// writes stored (those of the current write stored first).
pub fn complete_households(
    conn: &mut DbConnection,
    sight: &Sight,
    households: &[HouseholdId],
) -> Result<BTreeMap<HouseholdId, bool>, ApiError> {
    stored::flush(conn)?;
    let households: Vec<HouseholdId> = households
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Ok(stored::complete_households(conn, sight, &households)?)
}

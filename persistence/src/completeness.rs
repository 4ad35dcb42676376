//! Household completeness (contract: `GET .../completeness`, the enrollment read's
//! `complete`): the stored client, enrollment, exit and HUD records of a household's members
//! as the domain's applicability table reads them, and each member's answer stored beside
//! its enrollment, so that a read asks one question of the database however much the
//! household has recorded.
//!
//! Every write of what the answer reads (an enrollment, a client, a HUD record) notes the
//! household it changes (`stale`); the write transaction works
//! out those households again, with every member, before it commits ([`flush`]), holding
//! each household's lock, so that two writes of one household leave the answer of the later.
//! A member's answer holds from the day it was worked out to the day the domain says it may
//! change (an anniversary, the exit, the post-exit deadline: `MemberStatus::until`); a read
//! works out any household with a member without a holding answer (stored before this
//! existed, a program's or grant's change, a day passed), and [`refresh_stale`] stores them
//! again in the background.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;
use threshold_domain::applicability::{
    member_statuses, recordings, Household, Member, MemberStatus, Recorded, Stored, StoredRecord,
};
use threshold_domain::codes::{FundingSource, NoYesMissing, ProjectType, RelationshipToHoh};
use threshold_domain::hud_fields::resources::Resource;
use threshold_domain::hud_records::{HudFields, HudValue};
use threshold_domain::Date;

use crate::clients;
pub use crate::clock::today;
use crate::db::DbConnection;
use crate::enrollments;
use crate::error::StoreError;
pub use crate::household_answers::{household_answer, HouseholdAnswer, StoredAnswer};
use crate::ids::{ClientId, EnrollmentId, GrantId, HouseholdId, OrganizationId, ProgramId};
use crate::locks::{self, Mode, Scope};
use crate::multi_row::{insert_rows, on_backend, ROWS_PER_STATEMENT};
use crate::privacy::Sight;
use crate::records::hud as stored_records;
use crate::reference::{grant, program};
use crate::rows::{stored_fields, AnyHudRecord, ClientRow, EnrollmentRow, HudFieldsJson};
use crate::schema::{enrollment_completeness, enrollments as enrollment_table, programs};
use crate::stale;

/// Works out again, and stores, the completeness of every household the transaction's
/// writes noted, holding each household's lock (the transaction runs again when one had to
/// be taken first). Run by the write transaction before it commits; a write that answers
/// with what it wrote runs it first.
/// Outside a write transaction (a read) there is nothing to store.
pub fn flush(conn: &mut DbConnection) -> Result<(), StoreError> {
    if !locks::in_write() {
        return Ok(());
    }
    let touched = stale::take();
    let mut household_ids = touched.households;
    if !touched.enrollments.is_empty() {
        let enrollments: Vec<EnrollmentId> = touched.enrollments.into_iter().collect();
        for chunk in enrollments.chunks(ROWS_PER_STATEMENT) {
            let of_enrollments: Vec<HouseholdId> = enrollment_table::table
                .filter(enrollment_table::id.eq_any(chunk))
                .select(enrollment_table::household_id)
                .load(conn)?;
            household_ids.extend(of_enrollments);
        }
    }
    if !touched.clients.is_empty() {
        let clients: Vec<ClientId> = touched.clients.into_iter().collect();
        for chunk in clients.chunks(ROWS_PER_STATEMENT) {
            let of_clients: Vec<HouseholdId> = enrollment_table::table
                .filter(enrollment_table::client_id.eq_any(chunk))
                .select(enrollment_table::household_id)
                .distinct()
                .load(conn)?;
            household_ids.extend(of_clients);
        }
    }
    if household_ids.is_empty() {
        return Ok(());
    }
    locks::hold_all(
        conn,
        household_ids
            .iter()
            .filter(|id| !touched.new_households.contains(id))
            .map(|id| (Scope::Household(*id), Mode::Exclusive)),
    )?;
    let household_ids: Vec<HouseholdId> = household_ids.into_iter().collect();
    store(conn, &household_ids, today())
}

/// Works out and stores the completeness of households on `as_of`.
fn store(
    conn: &mut DbConnection,
    household_ids: &[HouseholdId],
    as_of: Date,
) -> Result<(), StoreError> {
    let (households, members) = load(conn, household_ids, &[], as_of)?;
    let mut statuses: HashMap<EnrollmentId, MemberStatus> = households
        .values()
        .flat_map(member_statuses)
        .map(|status| (EnrollmentId::from_uuid(status.enrollment_id), status))
        .collect();
    // A member whose client is deleted counts for nothing: complete, for good.
    let rows: Vec<StatusRow> = members
        .iter()
        .map(|member| {
            let status = statuses.remove(&member.id).unwrap_or(MemberStatus {
                enrollment_id: member.id.uuid(),
                complete: true,
                until: None,
            });
            StatusRow::new(&status, as_of)
        })
        .collect();
    let members: Vec<EnrollmentId> = rows.iter().map(|row| row.enrollment_id).collect();
    for chunk in members.chunks(ROWS_PER_STATEMENT) {
        diesel::delete(
            enrollment_completeness::table
                .filter(enrollment_completeness::enrollment_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    insert_rows!(conn, enrollment_completeness::table, rows.as_slice())
}

/// Up to `limit` households with a member (not deleted) whose stored completeness does not
/// hold today, noted for the write transaction this runs in to store again: those stored
/// before completeness was, those a program or grant change forgot, those whose day to
/// change has come. Answers the households it noted.
pub fn refresh_stale(conn: &mut DbConnection, limit: i64) -> Result<Vec<HouseholdId>, StoreError> {
    let today = NaiveDate::from(today());
    let stale: Vec<HouseholdId> = enrollment_table::table
        .left_join(enrollment_completeness::table)
        .filter(enrollment_table::deleted_at.is_null())
        .filter(
            enrollment_completeness::as_of
                .is_null()
                .or(enrollment_completeness::as_of.gt(today))
                .or(enrollment_completeness::holds_until.le(today)),
        )
        .select(enrollment_table::household_id)
        .distinct()
        .limit(limit)
        .load(conn)?;
    for household_id in &stale {
        stale::touch_household(*household_id);
    }
    Ok(stale)
}

/// What [`verify`] finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verified {
    /// Members whose stored answer holds today but says otherwise than working their
    /// household out again does.
    pub wrong: Vec<EnrollmentId>,
    /// Members (not deleted) without a stored answer that holds today: read by working
    /// their household out, until [`refresh_stale`] stores one.
    pub unstored: Vec<EnrollmentId>,
}

/// Every household worked out again and compared with what is stored: for tests, and for an
/// operator who doubts a stored answer.
pub fn verify(conn: &mut DbConnection) -> Result<Verified, StoreError> {
    let today = today();
    let day = NaiveDate::from(today);
    let household_ids: Vec<HouseholdId> = enrollment_table::table
        .filter(enrollment_table::deleted_at.is_null())
        .select(enrollment_table::household_id)
        .distinct()
        .order(enrollment_table::household_id.asc())
        .load(conn)?;
    let mut verified = Verified::default();
    for chunk in household_ids.chunks(ROWS_PER_STATEMENT) {
        let (households, members) = load(conn, chunk, &[], today)?;
        let fresh: HashMap<EnrollmentId, bool> = households
            .values()
            .flat_map(member_statuses)
            .map(|status| {
                (
                    EnrollmentId::from_uuid(status.enrollment_id),
                    status.complete,
                )
            })
            .collect();
        let ids: Vec<EnrollmentId> = members.iter().map(|member| member.id).collect();
        let stored: HashMap<EnrollmentId, StoredAnswer> = enrollment_completeness::table
            .filter(enrollment_completeness::enrollment_id.eq_any(&ids))
            .select((
                enrollment_completeness::enrollment_id,
                (
                    enrollment_completeness::as_of,
                    enrollment_completeness::complete,
                    enrollment_completeness::holds_until,
                ),
            ))
            .load::<(EnrollmentId, StoredAnswer)>(conn)?
            .into_iter()
            .collect();
        for id in ids {
            match stored.get(&id).and_then(|status| status.on(day)) {
                None => verified.unstored.push(id),
                Some(answer) if answer != fresh.get(&id).copied().unwrap_or(true) => {
                    verified.wrong.push(id)
                }
                Some(_) => {}
            }
        }
    }
    Ok(verified)
}

/// Whether each household misses nothing on `today`, of its members `sight` sees (those it
/// does not see count for nothing; a household none of whose members it sees is not in the
/// answer). One query for the stored answers; the households with a member whose answer
/// does not hold today are worked out.
pub fn complete_households(
    conn: &mut DbConnection,
    sight: &Sight,
    household_ids: &[HouseholdId],
) -> Result<BTreeMap<HouseholdId, bool>, StoreError> {
    let today = today();
    let day = NaiveDate::from(today);
    let mut seen: Vec<(HouseholdId, EnrollmentId, Option<StoredAnswer>)> = Vec::new();
    for chunk in household_ids.chunks(ROWS_PER_STATEMENT) {
        let query = enrollment_table::table
            .left_join(enrollment_completeness::table)
            .filter(enrollment_table::household_id.eq_any(chunk))
            .filter(enrollment_table::deleted_at.is_null())
            .select((
                enrollment_table::household_id,
                enrollment_table::id,
                (
                    enrollment_completeness::as_of,
                    enrollment_completeness::complete,
                    enrollment_completeness::holds_until,
                )
                    .nullable(),
            ));
        let found: Vec<(HouseholdId, EnrollmentId, Option<StoredAnswer>)> = match sight {
            // Behind every enrollment read: a static query on the backend's own connection
            // (see `on_backend`).
            Sight::Everything => on_backend!(conn, |backend| query.load(backend)?),
            Sight::Organization { .. } => query
                .into_boxed()
                .filter(sight.sees_client(enrollment_table::client_id))
                .load(conn)?,
        };
        seen.extend(found);
    }
    let mut complete: BTreeMap<HouseholdId, Option<bool>> = BTreeMap::new();
    for (household_id, _, status) in &seen {
        let member = status.and_then(|status| status.on(day));
        let household = complete.entry(*household_id).or_insert(Some(true));
        *household = match (*household, member) {
            (Some(so_far), Some(member)) => Some(so_far && member),
            _ => None,
        };
    }
    let unknown: Vec<HouseholdId> = complete
        .iter()
        .filter(|(_, answer)| answer.is_none())
        .map(|(id, _)| *id)
        .collect();
    let worked_out = if unknown.is_empty() {
        BTreeMap::new()
    } else {
        statuses(conn, &unknown, &[], today)?
    };
    let worked_out: HashMap<EnrollmentId, bool> = worked_out
        .values()
        .flatten()
        .map(|status| {
            (
                EnrollmentId::from_uuid(status.enrollment_id),
                status.complete,
            )
        })
        .collect();
    let mut answers: BTreeMap<HouseholdId, bool> = BTreeMap::new();
    for (household_id, enrollment_id, status) in seen {
        let member = match status.and_then(|status| status.on(day)) {
            Some(member) => member,
            // A member with no client (deleted) counts for nothing, as it does worked out.
            None => worked_out.get(&enrollment_id).copied().unwrap_or(true),
        };
        let household = answers.entry(household_id).or_insert(true);
        *household = *household && member;
    }
    Ok(answers)
}

/// An enrollment (not deleted) that `scope` may see, with the organization of its program
/// and what its household's stored answers say on `day`: `enrollments::find_with_organization`
/// and [`household_answer`] in one statement, prepared once (the read behind `GET` of an
/// enrollment).
pub fn find_with_answer(
    conn: &mut DbConnection,
    scope: enrollments::OrganizationScope,
    id: EnrollmentId,
    day: NaiveDate,
) -> Result<Option<(EnrollmentRow, OrganizationId, HouseholdAnswer)>, StoreError> {
    let (unknown, incomplete) = household_answer(day);
    let query = enrollment_table::table
        .inner_join(programs::table)
        .filter(enrollment_table::id.eq(id))
        .filter(enrollment_table::deleted_at.is_null())
        .select((
            enrollment_table::all_columns,
            programs::organization_id,
            unknown,
            incomplete,
        ));
    // By primary key: loaded without `LIMIT ?` (see `on_backend`).
    let found: Vec<(EnrollmentRow, OrganizationId, bool, bool)> =
        on_backend!(conn, |backend| match scope {
            Some(organization_id) => query
                .filter(programs::organization_id.eq(organization_id))
                .load(backend)?,
            None => query.load(backend)?,
        });
    Ok(found
        .into_iter()
        .next()
        .map(|(row, organization_id, unknown, incomplete)| {
            (
                row,
                organization_id,
                HouseholdAnswer {
                    unknown,
                    incomplete,
                },
            )
        }))
}

#[derive(Debug, Insertable)]
#[diesel(table_name = enrollment_completeness, treat_none_as_default_value = false)]
struct StatusRow {
    enrollment_id: EnrollmentId,
    as_of: NaiveDate,
    complete: bool,
    holds_until: Option<NaiveDate>,
}

impl StatusRow {
    fn new(status: &MemberStatus, as_of: Date) -> StatusRow {
        StatusRow {
            enrollment_id: EnrollmentId::from_uuid(status.enrollment_id),
            as_of: as_of.into(),
            complete: status.complete,
            holds_until: status.until.map(Into::into),
        }
    }
}

/// Each member's status in the households `household_ids` on `as_of`, worked out from what
/// is stored ([`households`]).
pub fn statuses(
    conn: &mut DbConnection,
    household_ids: &[HouseholdId],
    given: &[&EnrollmentRow],
    as_of: Date,
) -> Result<BTreeMap<HouseholdId, Vec<MemberStatus>>, StoreError> {
    Ok(households(conn, household_ids, given, as_of)?
        .into_iter()
        .map(|(household_id, household)| (household_id, member_statuses(&household)))
        .collect())
}

/// The households `household_ids` as the applicability table reads them on `as_of`: every
/// member (not deleted, of any client), `given` among them as given (the rows a write answers
/// with, stored or, on a dry run, as they would be; a deleted one is no member). Six queries
/// at most, however many households: their members, the members' clients, programs, grants
/// and HUD records, a thousand at a time. A member whose client is deleted is left out.
pub fn households(
    conn: &mut DbConnection,
    household_ids: &[HouseholdId],
    given: &[&EnrollmentRow],
    as_of: Date,
) -> Result<BTreeMap<HouseholdId, Household>, StoreError> {
    Ok(load(conn, household_ids, given, as_of)?.0)
}

/// [`households`], and every member (not deleted), with a client or not.
fn load(
    conn: &mut DbConnection,
    household_ids: &[HouseholdId],
    given: &[&EnrollmentRow],
    as_of: Date,
) -> Result<(BTreeMap<HouseholdId, Household>, Vec<EnrollmentRow>), StoreError> {
    let given_ids: BTreeSet<EnrollmentId> = given.iter().map(|row| row.id).collect();
    let mut members: Vec<EnrollmentRow> =
        enrollments::members_of_households(conn, &Sight::Everything, household_ids)?
            .into_iter()
            .filter(|member| !given_ids.contains(&member.id))
            .collect();
    let mut added = BTreeSet::new();
    for row in given {
        if row.deleted_at.is_none() && added.insert(row.id) {
            members.push((*row).clone());
        }
    }
    let clients: HashMap<ClientId, ClientRow> = clients::find_all(
        conn,
        &Sight::Everything,
        &distinct(members.iter().map(|member| member.client_id)),
    )?
    .into_iter()
    .map(|client| (client.id, client))
    .collect();
    let project_types: HashMap<ProgramId, i32> =
        program::find_all(conn, &distinct(members.iter().map(|row| row.program_id)))?
            .into_iter()
            .map(|program| (program.id, program.project_type))
            .collect();
    let grant_ids: Vec<GrantId> = distinct(members.iter().filter_map(|member| member.grant_id));
    let funders: HashMap<GrantId, i32> = if grant_ids.is_empty() {
        HashMap::new()
    } else {
        grant::find_all(conn, &grant_ids)?
            .into_iter()
            .map(|grant| (grant.id, grant.funder))
            .collect()
    };
    let records = stored_records::of_enrollments(
        conn,
        &members.iter().map(|member| member.id).collect::<Vec<_>>(),
    )?;
    let mut by_enrollment: HashMap<EnrollmentId, Vec<&AnyHudRecord>> = HashMap::new();
    for record in &records {
        by_enrollment
            .entry(record.enrollment_id)
            .or_default()
            .push(record);
    }
    let mut by_household: BTreeMap<HouseholdId, Vec<MemberRows<'_>>> = BTreeMap::new();
    for member in &members {
        // A member whose client is deleted counts for nothing.
        let Some(client) = clients.get(&member.client_id) else {
            continue;
        };
        by_household
            .entry(member.household_id)
            .or_default()
            .push(MemberRows {
                enrollment: member,
                client,
                funder: member
                    .grant_id
                    .and_then(|grant_id| funders.get(&grant_id).copied()),
                records: by_enrollment
                    .get(&member.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            });
    }
    let mut found = BTreeMap::new();
    for (household_id, members) in by_household {
        // Every member of a household is in its program.
        let program_id = members[0].enrollment.program_id;
        let code = project_types
            .get(&program_id)
            .copied()
            .ok_or_else(|| StoreError::corrupt(program_id, "an enrollment without its program"))?;
        found.insert(household_id, household(code, as_of, &members)?);
    }
    Ok((found, members))
}

/// What one member's completeness reads: its enrollment, client, grant's funding source and
/// HUD records, as stored (or about to be: the seed's).
#[derive(Debug, Clone, Copy)]
pub struct MemberRows<'a> {
    pub enrollment: &'a EnrollmentRow,
    pub client: &'a ClientRow,
    /// The funding source of the enrollment's grant (HUD 2.06.1).
    pub funder: Option<i32>,
    pub records: &'a [&'a AnyHudRecord],
}

/// A household in a program of project type `project_type` (HUD 2.02.6) on `as_of`, as the
/// applicability table reads it.
pub fn household(
    project_type: i32,
    as_of: Date,
    members: &[MemberRows<'_>],
) -> Result<Household, StoreError> {
    let project_type = ProjectType::try_from(project_type)
        .map_err(|error| StoreError::corrupt(project_type, error))?;
    Ok(Household {
        project_type,
        members: members.iter().map(member_of).collect(),
        as_of,
    })
}

/// One member as the applicability table reads it: what its client, enrollment, exit and
/// records answer.
fn member_of(rows: &MemberRows<'_>) -> Member {
    let MemberRows {
        enrollment,
        client,
        funder,
        records,
    } = *rows;
    let fields: Vec<(&AnyHudRecord, HudFields)> = records
        .iter()
        .map(|record| {
            let fields = stored_fields(record.collection, &record.fields, record.disability_type);
            (*record, fields)
        })
        .collect();
    let stored = Stored {
        client: client_fields(client),
        enrollment: enrollment_fields(enrollment),
        exit: enrollment.exit_date.map(|_| exit_fields(enrollment)),
        records: fields
            .iter()
            .map(|(record, fields)| StoredRecord {
                collection: record.collection,
                stage: record.data_collection_stage,
                disability_type: record.disability_type,
                fields,
            })
            .collect(),
    };
    Member {
        enrollment_id: enrollment.id.uuid(),
        client_id: client.id.uuid(),
        relationship: RelationshipToHoh::try_from(enrollment.relationship_to_hoh)
            .unwrap_or(RelationshipToHoh::SELF_HEAD),
        dob: client.dob.map(Date::from),
        veteran: NoYesMissing::try_from(client.veteran_status)
            .is_ok_and(|answer| answer.code() == 1),
        entry_date: Date::from(enrollment.entry_date),
        exit_date: enrollment.exit_date.map(Date::from),
        funders: funder
            .and_then(|funder| FundingSource::try_from(funder).ok())
            .into_iter()
            .collect(),
        recorded: recordings(&stored),
    }
}

/// The distinct values, sorted.
fn distinct<T: Ord>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    values
        .into_iter()
        .collect::<BTreeSet<T>>()
        .into_iter()
        .collect()
}

fn code(value: i32) -> Recorded {
    Recorded::of_code(Some(value))
}

/// A resource's HUD fields as recorded: a code as its answer, any other value answered.
fn hud_recorded(resource: Resource, json: &HudFieldsJson) -> Vec<(&'static str, Recorded)> {
    json.read(resource)
        .iter()
        .map(|(field, value)| {
            let recorded = match value {
                HudValue::Integer(code) => Recorded::of_code(Some(*code)),
                _ => Recorded::Answered,
            };
            (field, recorded)
        })
        .collect::<Vec<_>>()
}

/// The client's universal data elements (3.01-3.04, 3.07, 4.21): every one is stored (99
/// when not collected).
fn client_fields(client: &ClientRow) -> BTreeMap<&'static str, Recorded> {
    let race = if client.race_ethnicity.is_empty() {
        Recorded::of_code(client.race_none)
    } else {
        Recorded::Answered
    };
    let mut fields = BTreeMap::from([
        ("name_data_quality", code(client.name_data_quality)),
        ("ssn_data_quality", code(client.ssn_data_quality)),
        ("dob_data_quality", code(client.dob_data_quality)),
        ("race_ethnicity", race),
        ("veteran_status", code(client.veteran_status)),
        ("sex", code(client.sex)),
    ]);
    fields.extend(hud_recorded(Resource::Client, &client.hud));
    fields
}

/// The enrollment's fields: its own and its HUD fields (3.917 in full, 4.13, ...).
fn enrollment_fields(enrollment: &EnrollmentRow) -> BTreeMap<&'static str, Recorded> {
    let optional = |value: Option<i32>| Recorded::of_code(value);
    let mut fields = BTreeMap::from([
        ("entry_date", Recorded::Answered),
        ("relationship_to_hoh", code(enrollment.relationship_to_hoh)),
        (
            "disabling_condition",
            optional(enrollment.disabling_condition),
        ),
        (
            "prior_living_situation",
            optional(enrollment.prior_living_situation),
        ),
        ("length_of_stay", optional(enrollment.length_of_stay)),
        (
            "enrollment_coc",
            Recorded::of_value(enrollment.enrollment_coc.as_ref()),
        ),
        ("move_in_date", Recorded::of_value(enrollment.move_in_date)),
    ]);
    fields.extend(hud_recorded(Resource::Enrollment, &enrollment.hud));
    fields
}

fn exit_fields(enrollment: &EnrollmentRow) -> BTreeMap<&'static str, Recorded> {
    let mut fields = BTreeMap::from([
        ("exit_date", Recorded::of_value(enrollment.exit_date)),
        ("destination", Recorded::of_code(enrollment.destination)),
    ]);
    fields.extend(hud_recorded(Resource::Exit, &enrollment.exit_hud));
    fields
}

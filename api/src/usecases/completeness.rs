//! What HUD requires of an enrollment's household and is missing (contract: `GET
//! .../completeness`): the stored client, enrollment, exit and HUD records of every member
//! the caller may see, read by the domain's applicability table; and the enrollment read's
//! `complete`, the same answer for each enrollment a read shows ([`EnrollmentRead`]), a page
//! of them read with a few queries, whatever its size.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use threshold_domain::applicability::{
    completeness as household_completeness, recordings, Completeness, Household, Member, Recorded,
    Stored, StoredRecord,
};
use threshold_domain::codes::{FundingSource, NoYesMissing, ProjectType, RelationshipToHoh};
use threshold_domain::hud_fields::resources::Resource;
use threshold_domain::hud_records::{HudFields, HudValue};
use threshold_domain::Date;
use threshold_persistence::ids::{ClientId, EnrollmentId, GrantId, HouseholdId, ProgramId};
use threshold_persistence::page::Page;
use threshold_persistence::privacy::Sight;
use threshold_persistence::records::hud as stored;
use threshold_persistence::reference::{grant, program};
use threshold_persistence::rows::{AnyHudRecord, ClientRow, EnrollmentRow, HudFieldsJson};
use threshold_persistence::{clients, enrollments, DbConnection};

use super::hud_fields;
use super::visibility::visible_enrollment;
use super::EnrollmentKey;
use crate::auth::Caller;
use crate::clock::today;
use crate::error::ApiError;
use crate::usecases::hud_records::stored_fields;

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
/// not see it).
pub fn completeness(
    conn: &mut DbConnection,
    caller: &Caller,
    key: EnrollmentKey,
) -> Result<Completeness, ApiError> {
    let target = visible_enrollment(conn, caller, key.client_id, key.enrollment_id)?;
    households(conn, &caller.sight(), &[&target])?
        .remove(&target.household_id)
        .ok_or_else(|| ApiError::Internal("an enrollment without its household".into()))
}

/// One enrollment as `sight` reads it.
pub fn read(
    conn: &mut DbConnection,
    sight: &Sight,
    row: EnrollmentRow,
) -> Result<EnrollmentRead, ApiError> {
    read_with(conn, sight, row, &[])
}

/// One enrollment as `sight` reads it, that a write answers with: `row` and `also` (the
/// other members the write changed: a household's exit) as the write left them, or, on a
/// dry run, as it would.
pub fn read_with(
    conn: &mut DbConnection,
    sight: &Sight,
    row: EnrollmentRow,
    also: &[EnrollmentRow],
) -> Result<EnrollmentRead, ApiError> {
    let shown: Vec<&EnrollmentRow> = [&row].into_iter().chain(also).collect();
    let complete = complete_households(conn, sight, &shown)?;
    Ok(EnrollmentRead::of(row, &complete))
}

/// A page of enrollments as `sight` reads them.
pub fn read_page(
    conn: &mut DbConnection,
    sight: &Sight,
    page: Page<EnrollmentRow>,
) -> Result<Page<EnrollmentRead>, ApiError> {
    let shown: Vec<&EnrollmentRow> = page.rows.iter().collect();
    let complete = complete_households(conn, sight, &shown)?;
    Ok(Page {
        rows: page
            .rows
            .into_iter()
            .map(|row| EnrollmentRead::of(row, &complete))
            .collect(),
        more: page.more,
    })
}

/// Whether each household of `shown` misses nothing, as `sight` sees its members (see
/// [`households`]).
pub fn complete_households(
    conn: &mut DbConnection,
    sight: &Sight,
    shown: &[&EnrollmentRow],
) -> Result<BTreeMap<HouseholdId, bool>, ApiError> {
    Ok(households(conn, sight, shown)?
        .into_iter()
        .map(|(household_id, found)| (household_id, found.complete))
        .collect())
}

/// The completeness of the households of the enrollments `shown`, over their members that
/// `sight` sees: the stored ones (not deleted), `shown` among them as given (the rows a
/// write answers with, stored or, on a dry run, as they would be; a deleted one is no
/// member). Six queries at most, however many households: their members, the members'
/// clients, programs, grants and HUD records, a thousand at a time.
fn households(
    conn: &mut DbConnection,
    sight: &Sight,
    shown: &[&EnrollmentRow],
) -> Result<BTreeMap<HouseholdId, Completeness>, ApiError> {
    let household_ids: Vec<HouseholdId> = distinct(shown.iter().map(|row| row.household_id));
    let given: BTreeSet<EnrollmentId> = shown.iter().map(|row| row.id).collect();
    let mut members: Vec<EnrollmentRow> =
        enrollments::members_of_households(conn, sight, &household_ids)?
            .into_iter()
            .filter(|member| !given.contains(&member.id))
            .collect();
    let mut added = BTreeSet::new();
    for row in shown {
        if row.deleted_at.is_none() && added.insert(row.id) {
            members.push((*row).clone());
        }
    }
    let clients: HashMap<ClientId, ClientRow> = clients::find_all(
        conn,
        sight,
        &distinct(members.iter().map(|member| member.client_id)),
    )?
    .into_iter()
    .map(|client| (client.id, client))
    .collect();
    let project_types: HashMap<ProgramId, i32> =
        program::find_all(conn, &distinct(shown.iter().map(|row| row.program_id)))?
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
    let records = stored::of_enrollments(
        conn,
        &members.iter().map(|member| member.id).collect::<Vec<_>>(),
    )?;
    // The records' fields, read once, by enrollment.
    let mut read: HashMap<EnrollmentId, Vec<(&AnyHudRecord, HudFields)>> = HashMap::new();
    for record in &records {
        let fields = stored_fields(record.collection, &record.fields, record.disability_type);
        read.entry(record.enrollment_id)
            .or_default()
            .push((record, fields));
    }
    // Every member of a household is in its program: the shown enrollment's says which.
    let programs: BTreeMap<HouseholdId, ProgramId> = shown
        .iter()
        .map(|row| (row.household_id, row.program_id))
        .collect();
    let mut found = BTreeMap::new();
    for (household_id, program_id) in programs {
        let code = project_types
            .get(&program_id)
            .copied()
            .ok_or_else(|| ApiError::Internal("an enrollment without its program".into()))?;
        let project_type =
            ProjectType::try_from(code).map_err(|error| ApiError::Internal(error.to_string()))?;
        let mut household = Household {
            project_type,
            members: Vec::new(),
            as_of: today(),
        };
        for member in members
            .iter()
            .filter(|member| member.household_id == household_id)
        {
            // A member whose client the reader may not see counts for nothing.
            let Some(client) = clients.get(&member.client_id) else {
                continue;
            };
            let funders = member
                .grant_id
                .and_then(|grant_id| funders.get(&grant_id).copied())
                .and_then(|funder| FundingSource::try_from(funder).ok())
                .into_iter()
                .collect();
            let records = read.get(&member.id).map(Vec::as_slice).unwrap_or_default();
            household
                .members
                .push(member_of(member, client, funders, records));
        }
        found.insert(household_id, household_completeness(&household));
    }
    Ok(found)
}

/// One member as the applicability table reads it: what its client, enrollment, exit and
/// records answer.
fn member_of(
    member: &EnrollmentRow,
    client: &ClientRow,
    funders: Vec<FundingSource>,
    records: &[(&AnyHudRecord, HudFields)],
) -> Member {
    let stored = Stored {
        client: client_fields(client),
        enrollment: enrollment_fields(member),
        exit: member.exit_date.map(|_| exit_fields(member)),
        records: records
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
        enrollment_id: member.id.uuid(),
        client_id: client.id.uuid(),
        relationship: RelationshipToHoh::try_from(member.relationship_to_hoh)
            .unwrap_or(RelationshipToHoh::SELF_HEAD),
        dob: client.dob.map(Date::from),
        veteran: NoYesMissing::try_from(client.veteran_status)
            .is_ok_and(|answer| answer.code() == 1),
        entry_date: Date::from(member.entry_date),
        exit_date: member.exit_date.map(Date::from),
        funders,
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
    hud_fields::stored(resource, json)
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

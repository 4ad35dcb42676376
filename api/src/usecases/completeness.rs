//! What HUD requires of an enrollment's household and is missing (contract: `GET
//! .../completeness`): the stored client, enrollment, exit and HUD records of every member
//! the caller may see, read by the domain's applicability table.

use std::collections::BTreeMap;

use threshold_domain::applicability::{
    completeness as household_completeness, recordings, Completeness, Household, Member, Recorded,
    Stored, StoredRecord,
};
use threshold_domain::codes::{FundingSource, NoYesMissing, ProjectType, RelationshipToHoh};
use threshold_domain::hud_fields::resources::Resource;
use threshold_domain::hud_records::{HudFields, HudValue};
use threshold_domain::Date;
use threshold_persistence::records::hud as stored;
use threshold_persistence::reference::{grant, program};
use threshold_persistence::rows::{ClientRow, EnrollmentRow, HudFieldsJson};
use threshold_persistence::{clients, enrollments, DbConnection};

use super::hud_fields;
use super::visibility::visible_enrollment;
use super::EnrollmentKey;
use crate::auth::Caller;
use crate::clock::today;
use crate::error::ApiError;
use crate::usecases::hud_records::stored_fields;

/// The completeness of the household of the enrollment `key` names (404 when the caller may
/// not see it).
pub fn completeness(
    conn: &mut DbConnection,
    caller: &Caller,
    key: EnrollmentKey,
) -> Result<Completeness, ApiError> {
    let target = visible_enrollment(conn, caller, key.client_id, key.enrollment_id)?;
    let program = program::find(conn, target.program_id)?
        .ok_or_else(|| ApiError::Internal("an enrollment without its program".into()))?;
    let project_type = ProjectType::try_from(program.project_type)
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let members = enrollments::household_members(conn, &caller.sight(), target.household_id)?;
    let ids: Vec<_> = members.iter().map(|member| member.id).collect();
    let records = stored::of_enrollments(conn, &ids)?;
    // The records' fields, read once.
    let read: Vec<(usize, HudFields)> = records
        .iter()
        .enumerate()
        .map(|(index, record)| {
            let fields = stored_fields(record.collection, &record.fields, record.disability_type);
            (index, fields)
        })
        .collect();
    let mut household = Household {
        project_type,
        members: Vec::new(),
        as_of: today(),
    };
    for member in &members {
        let Some(client) = clients::find(conn, &caller.sight(), member.client_id)? else {
            continue;
        };
        let funders = match member.grant_id {
            Some(grant_id) => grant::find(conn, grant_id)?
                .and_then(|grant| FundingSource::try_from(grant.funder).ok())
                .into_iter()
                .collect(),
            None => Vec::new(),
        };
        let member_records: Vec<StoredRecord<'_>> = read
            .iter()
            .filter(|(index, _)| records[*index].enrollment_id == member.id)
            .map(|(index, fields)| StoredRecord {
                collection: records[*index].collection,
                stage: records[*index].data_collection_stage,
                disability_type: records[*index].disability_type,
                fields,
            })
            .collect();
        let stored = Stored {
            client: client_fields(&client),
            enrollment: enrollment_fields(member),
            exit: member.exit_date.map(|_| exit_fields(member)),
            records: member_records,
        };
        household.members.push(Member {
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
        });
    }
    Ok(household_completeness(&household))
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

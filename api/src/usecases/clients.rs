//! Clients: the person's identifying data (HUD's universal data elements), shared across the
//! continuum of care; a client with enrollments is not deleted.

use threshold_domain::client::{
    check_delete, check_identity, races_from_text, Identity, RaceAnswer, RaceEthnicity, Ssn,
};
use threshold_domain::codes::{DataQuality, NoYesMissing, RaceNone, Sex};
use threshold_domain::hud_fields::resources::{Own, Resource};
use threshold_domain::hud_fields::FieldChanges;
use threshold_domain::Date;
use threshold_persistence::clients;
use threshold_persistence::ids::{ClientId, Id};
use threshold_persistence::rows::{ClientRow, Stamped};
use threshold_persistence::DbConnection;

use super::hud_fields;
use super::scopes;
use super::{Change, Versioned};
use crate::auth::Caller;
use crate::clock::{now, today};
use crate::error::ApiError;

/// The client with this ID (not deleted), if the caller may see them; 404 otherwise, exactly
/// as for a client that does not exist.
pub fn find(
    conn: &mut DbConnection,
    caller: &Caller,
    client_id: ClientId,
) -> Result<ClientRow, ApiError> {
    clients::find(conn, &caller.sight(), client_id)?.ok_or(ApiError::NotFound)
}

/// A new client; a data-quality field, sex or veteran status not given is 99 (data not
/// collected).
#[derive(Debug, Clone)]
pub struct NewClient {
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub name_suffix: Option<String>,
    pub name_data_quality: Option<DataQuality>,
    pub ssn: Option<Ssn>,
    pub ssn_data_quality: Option<DataQuality>,
    pub dob: Option<Date>,
    pub dob_data_quality: Option<DataQuality>,
    pub sex: Option<Sex>,
    pub race_ethnicity: Vec<RaceEthnicity>,
    pub race_none: Option<RaceNone>,
    pub veteran_status: Option<NoYesMissing>,
    /// Client.csv's other columns (V1, additional race and ethnicity).
    pub hud: FieldChanges,
    pub dry_run: bool,
}

/// Adds a client: the row as stored (or, on a dry run, as it would be).
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &NewClient,
) -> Result<ClientRow, ApiError> {
    let race = RaceAnswer::new(
        input.race_ethnicity.clone(),
        input.race_none.map(Into::into),
    )
    .map_err(|error| ApiError::Invalid(vec![error]))?;
    let at = now();
    let mut row = ClientRow {
        hud: Default::default(),
        source: None,
        id: Id::new(),
        first_name: input.first_name.clone(),
        middle_name: input.middle_name.clone(),
        last_name: input.last_name.clone(),
        name_suffix: input.name_suffix.clone(),
        name_data_quality: input
            .name_data_quality
            .unwrap_or(DataQuality::NOT_COLLECTED)
            .code(),
        ssn_last4: input.ssn.as_ref().map(|ssn| ssn.last4().to_owned()),
        ssn: input.ssn.as_ref().map(|ssn| ssn.as_str().to_owned()),
        ssn_data_quality: input
            .ssn_data_quality
            .unwrap_or(DataQuality::NOT_COLLECTED)
            .code(),
        dob: input.dob.map(Date::naive),
        dob_data_quality: input
            .dob_data_quality
            .unwrap_or(DataQuality::NOT_COLLECTED)
            .code(),
        sex: input.sex.unwrap_or(Sex::NOT_COLLECTED).code(),
        race_ethnicity: race.categories_text(),
        race_none: race.race_none().map(RaceNone::code),
        veteran_status: input
            .veteran_status
            .unwrap_or(NoYesMissing::NOT_COLLECTED)
            .code(),
        search_name: String::new(),
        version: 1,
        created_at: at,
        updated_at: at,
        created_by: caller.sub.clone(),
        updated_by: caller.sub.clone(),
        deleted_at: None,
        organization_id: caller.org,
    };
    check_identity_of(&row, None)?;
    row.hud = hud_fields::apply(
        Resource::Client,
        &row.hud,
        &input.hud,
        None,
        &own_fields(&row),
    )?;
    row.search_name = row.search_text();
    if !input.dry_run {
        clients::insert(conn, &row)?;
    }
    Ok(row)
}

/// What the consistency of a client's HUD fields reads of its own (V1 is a veteran's).
fn own_fields(row: &ClientRow) -> Own {
    Own {
        today: Some(today()),
        veteran_status: Some(row.veteran_status),
        ..Own::default()
    }
}

fn identity_of(row: &ClientRow) -> Identity {
    Identity {
        first_name: row.first_name.is_some(),
        last_name: row.last_name.is_some(),
        ssn: row.ssn.is_some(),
        dob: row.dob.is_some(),
        name_data_quality: row.name_data_quality,
        ssn_data_quality: row.ssn_data_quality,
        dob_data_quality: row.dob_data_quality,
    }
}

/// The client as it would be stored keeps its data-quality codes true to its data (422).
/// A change is refused only for what it breaks: a client imported with a code its data does
/// not bear out (history, kept as it came) can still be edited otherwise.
fn check_identity_of(row: &ClientRow, before: Option<&ClientRow>) -> Result<(), ApiError> {
    let broken_before: Vec<String> = before
        .map(|row| check_identity(&identity_of(row)))
        .unwrap_or_default()
        .into_iter()
        .map(|error| error.field)
        .collect();
    let errors: Vec<_> = check_identity(&identity_of(row))
        .into_iter()
        .filter(|error| !broken_before.contains(&error.field))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(errors))
    }
}

/// A change to a client. Clearing a data-quality field, sex or veteran status sets it to
/// 99 (data not collected).
pub type EditClient = Versioned<ClientId, ClientChange>;

/// The fields a change to a client sets or clears.
#[derive(Debug, Clone)]
pub struct ClientChange {
    pub first_name: Change<String>,
    pub middle_name: Change<String>,
    pub last_name: Change<String>,
    pub name_suffix: Change<String>,
    pub name_data_quality: Change<DataQuality>,
    pub ssn: Change<Ssn>,
    pub ssn_data_quality: Change<DataQuality>,
    pub dob: Change<Date>,
    pub dob_data_quality: Change<DataQuality>,
    pub sex: Change<Sex>,
    pub race_ethnicity: Change<Vec<RaceEthnicity>>,
    pub race_none: Change<RaceNone>,
    pub veteran_status: Change<NoYesMissing>,
    /// Client.csv's other columns; `None` clears one.
    pub hud: FieldChanges,
}

fn code_or_missing<T: Copy + Into<i32>>(change: &Change<T>, current: i32, missing: T) -> i32 {
    match change {
        Change::Keep => current,
        Change::Clear => missing.into(),
        Change::Set(value) => (*value).into(),
    }
}

/// Changes a client.
pub fn edit(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &EditClient,
) -> Result<ClientRow, ApiError> {
    scopes::client(conn, input.target)?;
    let mut row = find(conn, caller, input.target)?;
    let stored = row.clone();
    input.expected.check(row.version)?;
    row.first_name = input.change.first_name.clone().apply(row.first_name.take());
    row.middle_name = input
        .change
        .middle_name
        .clone()
        .apply(row.middle_name.take());
    row.last_name = input.change.last_name.clone().apply(row.last_name.take());
    row.name_suffix = input
        .change
        .name_suffix
        .clone()
        .apply(row.name_suffix.take());
    row.name_data_quality = code_or_missing(
        &input.change.name_data_quality,
        row.name_data_quality,
        DataQuality::NOT_COLLECTED,
    );
    match &input.change.ssn {
        Change::Keep => {}
        Change::Clear => {
            row.ssn = None;
            row.ssn_last4 = None;
        }
        Change::Set(ssn) => {
            row.ssn_last4 = Some(ssn.last4().to_owned());
            row.ssn = Some(ssn.as_str().to_owned());
        }
    }
    row.ssn_data_quality = code_or_missing(
        &input.change.ssn_data_quality,
        row.ssn_data_quality,
        DataQuality::NOT_COLLECTED,
    );
    row.dob = input.change.dob.clone().apply_with(row.dob, Date::naive);
    row.dob_data_quality = code_or_missing(
        &input.change.dob_data_quality,
        row.dob_data_quality,
        DataQuality::NOT_COLLECTED,
    );
    row.sex = code_or_missing(&input.change.sex, row.sex, Sex::NOT_COLLECTED);
    row.veteran_status = code_or_missing(
        &input.change.veteran_status,
        row.veteran_status,
        NoYesMissing::NOT_COLLECTED,
    );
    let races = input
        .change
        .race_ethnicity
        .clone()
        .apply(Some(races_from_text(&row.race_ethnicity)))
        .unwrap_or_default();
    let race_none = match &input.change.race_none {
        Change::Keep if races.is_empty() => row
            .race_none
            .and_then(|code| NoYesMissing::try_from(code).ok()),
        Change::Keep | Change::Clear => None,
        Change::Set(code) => Some(NoYesMissing::from(*code)),
    };
    let race = RaceAnswer::new(races, race_none).map_err(|error| ApiError::Invalid(vec![error]))?;
    row.race_ethnicity = race.categories_text();
    row.race_none = race.race_none().map(RaceNone::code);
    check_identity_of(&row, Some(&stored))?;
    row.hud = hud_fields::apply(
        Resource::Client,
        &row.hud,
        &input.change.hud,
        Some(&own_fields(&stored)),
        &own_fields(&row),
    )?;
    row.search_name = row.search_text();
    row.stamp(now(), &caller.sub);
    if !input.dry_run {
        clients::update(conn, &row)?;
    }
    Ok(row)
}

/// Which client to delete.
pub type DeleteClient = Versioned<ClientId>;

/// Deletes a client (soft); a client with enrollments is not deleted.
pub fn delete(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &DeleteClient,
) -> Result<(), ApiError> {
    scopes::client(conn, input.target)?;
    let mut row = find(conn, caller, input.target)?;
    input.expected.check(row.version)?;
    check_delete(clients::has_enrollments(conn, row.id)?)?;
    let at = now();
    row.stamp(at, &caller.sub);
    if !input.dry_run {
        row.deleted_at = Some(at);
        clients::update(conn, &row)?;
    }
    Ok(())
}

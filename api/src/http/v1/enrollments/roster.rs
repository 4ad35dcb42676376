//! `GET /v1/programs/{program_id}/enrollments`: a program's roster, its enrollments with
//! their clients' names and households, earliest entry first. Every role of the program's
//! organization reads it, and admins; another organization's program is a 404.

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::roster::{RosterFilter, RosterStatus};
use threshold_persistence::enrollments::EntryCursor;
use threshold_persistence::ids::{ClientId, EnrollmentId, HouseholdId, ProgramId};
use threshold_persistence::rosters::{self as stored, RosterQuery, RosterRow};
use utoipa::openapi::path::HttpMethod;
use utoipa::{IntoParams, ToSchema};

use super::EnrollmentView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::endpoints::Endpoints;
use crate::http::operations::entry::Entry;
use crate::http::pagination::{date_position, Listing};
use crate::http::state::AppState;
use crate::http::v1::common::{query_date, search_words};
use crate::usecases::rosters::{self, Roster};

/// Which enrollments by their status now.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RosterStatusQuery {
    Active,
    Exited,
    All,
}

impl From<RosterStatusQuery> for RosterStatus {
    fn from(status: RosterStatusQuery) -> RosterStatus {
        match status {
            RosterStatusQuery::Active => RosterStatus::Active,
            RosterStatusQuery::Exited => RosterStatus::Exited,
            RosterStatusQuery::All => RosterStatus::All,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListRoster {
    /// `active` (not exited), `exited` or `all`. Defaults to `active`, or to `all` when
    /// `active_on` is given; given both, an enrollment must pass both.
    #[param(inline)]
    pub status: Option<RosterStatusQuery>,
    /// Only enrollments active on this day, `YYYY-MM-DD`: entered on or before it and not
    /// exited by then (one that exits that day is not active on it).
    #[param(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub active_on: Option<String>,
    /// Words that must all appear in the client's names (case-insensitive), as in the
    /// client search; at most 10 words of 100 characters.
    pub q: Option<String>,
    /// Only this household's enrollments.
    #[param(value_type = Option<Uuid>)]
    pub household_id: Option<HouseholdId>,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

/// A client's names, as the client list shows them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"first_name": "Jordan", "middle_name": null, "last_name": "Lee",
                          "name_suffix": null}))]
pub struct RosterClient {
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub name_suffix: Option<String>,
}

impl From<&stored::ClientNames> for RosterClient {
    fn from(names: &stored::ClientNames) -> RosterClient {
        RosterClient {
            first_name: names.first_name.clone(),
            middle_name: names.middle_name.clone(),
            last_name: names.last_name.clone(),
            name_suffix: names.name_suffix.clone(),
        }
    }
}

/// The head of a household: their enrollment and client, and the client's names.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdHead {
    #[schema(value_type = Uuid)]
    pub enrollment_id: EnrollmentId,
    #[schema(value_type = Uuid)]
    pub client_id: ClientId,
    #[serde(flatten)]
    pub names: RosterClient,
}

/// The household an enrollment belongs to, as a roster shows it beside each member.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-0000-7000-8000-000000000006",
    "head": {"enrollment_id": "0193a1b2-0000-7000-8000-000000000007",
             "client_id": "0193a1b2-0000-7000-8000-000000000003",
             "first_name": "Jordan", "middle_name": null, "last_name": "Lee",
             "name_suffix": null},
    "member_count": 3,
    "active_member_count": 2
}))]
pub struct RosterHousehold {
    #[schema(value_type = Uuid)]
    pub id: HouseholdId,
    /// `null` when the caller may not see the head's client, or the head's enrollment was
    /// deleted after everyone left.
    pub head: Option<HouseholdHead>,
    /// The household's enrollments that are not deleted, of the clients the caller may see.
    pub member_count: u32,
    /// Of those, the ones not exited.
    pub active_member_count: u32,
}

/// One enrollment of a program's roster: the enrollment as a client's enrollment list shows
/// it, with its client's names and its household.
#[derive(Debug, Serialize, ToSchema)]
pub struct RosterEntry {
    #[serde(flatten)]
    pub enrollment: EnrollmentView,
    pub client: RosterClient,
    pub household: RosterHousehold,
}

impl RosterEntry {
    fn new(
        row: &RosterRow,
        households: &BTreeMap<HouseholdId, stored::RosterHousehold>,
        complete: &BTreeMap<HouseholdId, bool>,
    ) -> Result<RosterEntry, ApiError> {
        let household_id = row.enrollment.household_id;
        let household = households.get(&household_id);
        let complete = complete.get(&household_id).copied().unwrap_or(false);
        Ok(RosterEntry {
            enrollment: EnrollmentView::of(&row.enrollment, complete)?,
            client: RosterClient::from(&row.client),
            household: RosterHousehold {
                id: household_id,
                head: household
                    .and_then(|household| household.head.as_ref())
                    .map(|head| HouseholdHead {
                        enrollment_id: head.enrollment_id,
                        client_id: head.client_id,
                        names: RosterClient::from(&head.names),
                    }),
                member_count: household.map_or(0, |household| household.members),
                active_member_count: household.map_or(0, |household| household.active_members),
            },
        })
    }
}

crate::list_of!(RosterList, RosterEntry);

/// The route of a program's roster with its OpenAPI entry.
pub fn roster() -> Endpoints {
    let text = "A program's roster: its enrollments with their clients' names and households, \
earliest\nentry first (then by ID).\n\n\
The people in the program now by default (`status=active`); `active_on` lists those who\n\
were there on a day, `q` searches the clients' names as the client search does, and\n\
`household_id` keeps one household. Deleted enrollments and the clients the caller may not\n\
see are never listed, nor counted in a household. For every role of the program's\n\
organization, and admins; another organization's program is a 404.";
    let entry = Entry::new("enrollments", "list_program_enrollments", text)
        .path(&[("program_id", "The program's ID")])
        .query::<ListRoster>()
        .json::<RosterList>("200", "A page of the roster, earliest entry first", &[])
        .status(
            "400",
            "An unknown query parameter, a `status` other than `active`, `exited` or `all`, an \
             `active_on` that is not a `YYYY-MM-DD` date, a `household_id` that is not a UUID, \
             a `q` of more than 10 words or a word of more than 100 characters, a bad \
             `cursor`, a `limit` outside 1-200",
        )
        .status("404", "No such program, or another organization's");
    Endpoints::new().route(
        HttpMethod::Get,
        "/programs/{program_id}/enrollments",
        list_program_enrollments,
        entry,
    )
}

pub async fn list_program_enrollments(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<ProgramId>,
    list: Listing<ListRoster>,
) -> Result<HttpResponse, ApiError> {
    let asked = &list.query;
    let filter = RosterFilter::new(
        asked.status.map(Into::into),
        query_date("active_on", asked.active_on.as_deref())?,
    );
    let query = RosterQuery {
        program_id: path.into_inner(),
        filter,
        household_id: asked.household_id,
        words: search_words(asked.q.as_deref())?,
    };
    let after = list
        .after_date()?
        .map(|(entry_date, id)| EntryCursor { entry_date, id });
    let limit = list.page.limit;
    // Not `read_short`: a search by name may read many of a large program's enrollments.
    let Roster { found, complete } = state
        .read(move |conn| rosters::roster(conn, &caller, &query, after.as_ref(), limit))
        .await?;
    let households = found.households;
    list.answer(
        found.page,
        |row| date_position(row.enrollment.entry_date, row.enrollment.id),
        |row| RosterEntry::new(row, &households, &complete),
    )
}

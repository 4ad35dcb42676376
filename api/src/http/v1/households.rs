//! `/v1/households/{household_id}`: the members of a household, and a change of head.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::codes::RelationshipToHoh;
use threshold_domain::household::check_previous_head_relationship;
use threshold_domain::{Date, FieldError};
use threshold_persistence::ids::{ClientId, EnrollmentId, HouseholdId, ProgramId};
use utoipa::openapi::path::HttpMethod;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::codes;
use crate::http::endpoints::Endpoints;
use crate::http::etag::content_tagged_ok;
use crate::http::extract::{CheckBody, ValidJson};
use crate::http::operations::entry::Entry;
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, Lookup};
use crate::usecases::households::{self, HouseholdNow};

/// The routes of a household with their OpenAPI entries.
pub fn endpoints() -> Endpoints {
    let household = [("household_id", "The household's ID")];
    let not_found = "No such household, or another organization's";
    let get = Entry::new(
        "households",
        "get_household",
        "Get a household and its members.",
    )
    .path(&household)
    .json::<HouseholdView>(
        "200",
        "The household",
        &[("ETag", "What the household holds (for `If-None-Match`)")],
    )
    .status("404", not_found);
    let new_head = Entry::new(
        "households",
        "change_household_head",
        "Make another active member the head of household. The old head takes\n\
         `previous_head_relationship`; a move-in date moves to the new head.",
    )
    .path(&household)
    .dry_run()
    .json_body::<ChangeHead>()
    .json::<HouseholdView>("200", "The household with its new head", &[])
    .status("404", not_found)
    .status(
        "409",
        "`enrollment.already_exited` (only an active member can become the head), \
         `household.member_before_head`, `enrollment.move_in_invalid`",
    );
    Endpoints::new()
        .route(
            HttpMethod::Get,
            "/households/{household_id}",
            get_household,
            get,
        )
        .route(
            HttpMethod::Put,
            "/households/{household_id}/head",
            change_head,
            new_head,
        )
}

/// One member of a household: an enrollment.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdMember {
    #[schema(value_type = Uuid)]
    pub enrollment_id: EnrollmentId,
    #[schema(value_type = Uuid)]
    pub client_id: ClientId,
    #[schema(value_type = codes::RelationshipToHoh)]
    pub relationship_to_hoh: i32,
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub entry_date: Date,
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub exit_date: Option<Date>,
    /// `active` or `exited`.
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdView {
    #[schema(value_type = Uuid)]
    pub id: HouseholdId,
    #[schema(value_type = Uuid)]
    pub program_id: ProgramId,
    /// `null` only when the head's enrollment was deleted after everyone left.
    #[schema(value_type = Option<Uuid>)]
    pub head_enrollment_id: Option<EnrollmentId>,
    /// Every member's enrollment that is not deleted, earliest entry first.
    pub members: Vec<HouseholdMember>,
}

impl HouseholdView {
    pub fn new(found: &HouseholdNow) -> Result<HouseholdView, ApiError> {
        let (household, members) = (&found.household, &found.members);
        Ok(HouseholdView {
            id: household.id,
            program_id: household.program_id,
            head_enrollment_id: members
                .iter()
                .find(|member| member.relationship_to_hoh == RelationshipToHoh::SELF_HEAD.code())
                .map(|member| member.id),
            members: members
                .iter()
                .map(|member| {
                    Ok(HouseholdMember {
                        enrollment_id: member.id,
                        client_id: member.client_id,
                        relationship_to_hoh: member.relationship_to_hoh,
                        entry_date: member.entry_date.into(),
                        exit_date: member.exit_date.map(Into::into),
                        status: if member.exit_date.is_some() {
                            "exited"
                        } else {
                            "active"
                        }
                        .to_owned(),
                    })
                })
                .collect::<Result<_, ApiError>>()?,
        })
    }
}

pub async fn get_household(
    state: web::Data<AppState>,
    read: Lookup<HouseholdId>,
) -> Result<HttpResponse, ApiError> {
    let Lookup {
        caller,
        path: household_id,
    } = read;
    let found = state
        .read_short(move |conn| households::household(conn, &caller, household_id))
        .await?;
    content_tagged_ok(&HouseholdView::new(&found)?)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"enrollment_id": "0193a1b2-0000-7000-8000-000000000009",
                          "previous_head_relationship": 3}))]
pub struct ChangeHead {
    /// The active member's enrollment that becomes the head.
    #[schema(value_type = Uuid)]
    pub enrollment_id: EnrollmentId,
    /// The old head's relationship to the new head: 2, 3, 4 or 5.
    #[schema(value_type = i32, minimum = 2, maximum = 5)]
    pub previous_head_relationship: RelationshipToHoh,
}

impl CheckBody for ChangeHead {
    fn check(&self) -> Vec<FieldError> {
        check_previous_head_relationship(self.previous_head_relationship)
            .into_iter()
            .collect()
    }
}

pub async fn change_head(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<HouseholdId>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<ChangeHead>,
) -> Result<HttpResponse, ApiError> {
    let input = households::ChangeHead {
        household_id: path.into_inner(),
        enrollment_id: body.enrollment_id,
        previous_head_relationship: body.previous_head_relationship,
        dry_run: query.dry_run,
    };
    let changed = state.change(caller, input, households::change_head).await?;
    Ok(HttpResponse::Ok().json(HouseholdView::new(&changed)?))
}

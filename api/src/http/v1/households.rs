//! `/v1/households/{household_id}`: the members of a household, and a change of head.

use actix_web::{get, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::codes::RelationshipToHoh;
use threshold_domain::household::check_previous_head_relationship;
use threshold_domain::{Date, FieldError};
use threshold_persistence::reference::program;
use threshold_persistence::rows::Stamped;
use threshold_persistence::rows::{EnrollmentRow, HouseholdRow};
use threshold_persistence::{enrollments, households, DbConnection};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;

use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::extract::{CheckBody, ValidJson};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery};
use crate::ids::{id_text, parse_stored_id};

/// One member of a household: an enrollment.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdMember {
    pub enrollment_id: Uuid,
    pub client_id: Uuid,
    pub relationship_to_hoh: i32,
    #[schema(value_type = String, format = Date)]
    pub entry_date: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub exit_date: Option<Date>,
    /// `active` or `exited`.
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdView {
    pub id: Uuid,
    pub program_id: Uuid,
    /// `null` only when the head's enrollment was deleted after everyone left.
    pub head_enrollment_id: Option<Uuid>,
    /// Every member's enrollment that is not deleted, earliest entry first.
    pub members: Vec<HouseholdMember>,
}

impl HouseholdView {
    fn new(household: &HouseholdRow, members: &[EnrollmentRow]) -> Result<HouseholdView, ApiError> {
        Ok(HouseholdView {
            id: parse_stored_id(&household.id)?,
            program_id: parse_stored_id(&household.program_id)?,
            head_enrollment_id: members
                .iter()
                .find(|member| member.relationship_to_hoh == RelationshipToHoh::SELF_HEAD.code())
                .map(|member| parse_stored_id(&member.id))
                .transpose()?,
            members: members
                .iter()
                .map(|member| {
                    Ok(HouseholdMember {
                        enrollment_id: parse_stored_id(&member.id)?,
                        client_id: parse_stored_id(&member.client_id)?,
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

/// A household whose program belongs to an organization the caller may see.
fn visible_household(
    conn: &mut DbConnection,
    caller: &Caller,
    household_id: Uuid,
) -> Result<HouseholdRow, ApiError> {
    let row = households::find(conn, &id_text(household_id))?.ok_or(ApiError::NotFound)?;
    let owner = program::find(conn, &row.program_id)?.ok_or(ApiError::NotFound)?;
    if caller.sees(&owner.organization_id) {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Get a household and its members.
#[utoipa::path(
    tag = "households",
    operation_id = "get_household",
    params(("household_id" = Uuid, Path, description = "The household's ID")),
    responses(
        (status = 200, description = "The household", body = HouseholdView),
        (status = 404, description = "No such household, or another organization's"),
    ),
    security(("bearer" = []))
)]
#[get("/households/{household_id}")]
pub async fn get_household(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let household_id = path.into_inner();
    let view = state
        .read(move |conn| {
            let household = visible_household(conn, &caller, household_id)?;
            let members = enrollments::household_members(conn, &household.id)?;
            HouseholdView::new(&household, &members)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"enrollment_id": "0193a1b2-0000-7000-8000-000000000009",
                          "previous_head_relationship": 3}))]
pub struct ChangeHead {
    /// The active member's enrollment that becomes the head.
    pub enrollment_id: Uuid,
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

/// Make another active member the head of household. The old head takes
/// `previous_head_relationship`; a move-in date moves to the new head.
#[utoipa::path(
    tag = "households",
    operation_id = "change_household_head",
    params(("household_id" = Uuid, Path, description = "The household's ID"), DryRun),
    request_body = ChangeHead,
    responses(
        (status = 200, description = "The household with its new head", body = HouseholdView),
        (status = 404, description = "No such household, or another organization's"),
        (status = 409, description = "`enrollment.already_exited` (only an active member can \
become the head), `household.member_before_head`, `enrollment.move_in_invalid`"),
    ),
    security(("bearer" = []))
)]
#[put("/households/{household_id}/head")]
pub async fn change_head(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<Uuid>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<ChangeHead>,
) -> Result<HttpResponse, ApiError> {
    let household_id = path.into_inner();
    let dry_run = query.dry_run;
    let view = state
        .write(move |conn| {
            let household_row = visible_household(conn, &caller, household_id)?;
            let household = households::load(conn, &household_row)?;
            let candidate = household.member(body.enrollment_id).ok_or_else(|| {
                ApiError::unknown_reference("enrollment_id", "not a member of this household")
            })?;
            let change = household.change_head(candidate, body.previous_head_relationship)?;
            let mut members = enrollments::household_members(conn, &household_row.id)?;
            let at = now();
            for member in members.iter_mut() {
                let id = parse_stored_id(&member.id)?;
                if id == change.new_head && !candidate.is_head() {
                    member.relationship_to_hoh = RelationshipToHoh::SELF_HEAD.code();
                    member.move_in_date = change.new_head_move_in.map(Date::naive);
                } else if Some(id) == change.old_head {
                    member.relationship_to_hoh = change.previous_head_relationship.code();
                    member.move_in_date = None;
                } else {
                    continue;
                }
                member.stamp(at, &caller.sub);
                if !dry_run {
                    enrollments::update(conn, member)?;
                }
            }
            HouseholdView::new(&household_row, &members)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

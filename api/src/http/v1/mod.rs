//! Version 1 of the API, under `/v1`.

pub mod action_steps;
pub mod affiliations;
pub mod assessments;
pub mod audit_events;
pub mod clients;
pub mod common;
pub mod consents;
pub mod enrollments;
pub mod exports;
pub mod follow_ups;
pub mod goals;
pub mod grants;
pub mod households;
pub mod imports;
pub mod organizations;
pub mod program_descriptors;
pub mod programs;
pub mod reports;
pub mod services;
pub mod users;
pub mod webhooks;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use threshold_domain::hud_records::Collection;
use threshold_persistence::ids::OrganizationId;
use threshold_persistence::outbox::{EventRow, HouseholdData};
use threshold_persistence::privacy::Sight;
use threshold_persistence::rows as hud;
use threshold_persistence::DbConnection;
use utoipa_actix_web::scope::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::clock::today;
use crate::error::ApiError;
use crate::http::records::hud::HudRecords;
use crate::http::records::{RecordResource, Records};
use crate::http::reference::Reference;
use crate::usecases::completeness;
use crate::usecases::households::HouseholdNow;
use program_descriptors::Descriptors;

/// Registers every `/v1` route with its OpenAPI entry, in one place.
pub fn routes(config: &mut ServiceConfig) {
    config.service(
        // actix tries the paths in this order: the ones case managers read all day first
        // (no two groups' paths overlap, so the order decides nothing else).
        scope("/v1")
            .service(enrollments::endpoints())
            .service(enrollments::roster())
            .service(clients::endpoints())
            .service(assessments::endpoints())
            .service(consents::endpoints())
            .service(
                Records::new()
                    .with::<services::Services>()
                    .with::<goals::Goals>()
                    .with::<action_steps::ActionSteps>()
                    .with::<follow_ups::FollowUps>()
                    .with::<HudRecords<hud::IncomeBenefits>>()
                    .with::<HudRecords<hud::Disabilities>>()
                    .with::<HudRecords<hud::HealthAndDv>>()
                    .with::<HudRecords<hud::EmploymentEducation>>()
                    .with::<HudRecords<hud::CurrentLivingSituations>>()
                    .with::<HudRecords<hud::Events>>()
                    .with::<HudRecords<hud::YouthEducationStatuses>>(),
            )
            .service(Reference::<organizations::Organizations>::new())
            .service(Reference::<programs::Programs>::new())
            .service(Reference::<grants::Grants>::new())
            .service(Reference::<Descriptors<program_descriptors::ProgramCocs>>::deletable())
            .service(Reference::<Descriptors<program_descriptors::Inventories>>::deletable())
            .service(Reference::<
                Descriptors<program_descriptors::HmisParticipations>,
            >::deletable())
            .service(Reference::<
                Descriptors<program_descriptors::CeParticipations>,
            >::deletable())
            .service(Reference::<affiliations::Affiliations>::deletable())
            .service(Reference::<users::Users>::new())
            .service(follow_ups::worklist_endpoints())
            .service(enrollments::change_feed())
            .service(audit_events::endpoints())
            .service(households::endpoints())
            .service(exports::endpoints())
            .service(reports::endpoints())
            .service(imports::endpoints())
            .service(webhooks::endpoints()),
    );
}

/// An event's resource as its `GET` shows it, to a subscription of `owner` (`None`: an
/// admin's): the webhook deliverer's `ShowEvent`. A household shows the members the owner
/// may see, as its `GET` does, and an enrollment its household's `complete` as the owner
/// would read it when the event is sent.
pub fn show_event(
    conn: &mut DbConnection,
    event: &EventRow,
    owner: Option<OrganizationId>,
) -> Result<Value, ApiError> {
    fn row<T: DeserializeOwned>(event: &EventRow) -> Result<T, ApiError> {
        serde_json::from_str(&event.data)
            .map_err(|error| ApiError::Internal(format!("the data of event {}: {error}", event.id)))
    }
    fn shown<T: Serialize>(view: T) -> Result<Value, ApiError> {
        serde_json::to_value(view).map_err(|error| ApiError::Internal(error.to_string()))
    }
    /// A record under an enrollment, shown by its resource.
    fn record<R: RecordResource>(event: &EventRow) -> Result<Value, ApiError>
    where
        R::Row: DeserializeOwned,
    {
        shown(R::view(&row(event)?)?)
    }
    let sight = owner.map_or(Sight::Everything, |organization_id| Sight::Organization {
        organization_id,
        today: today().naive(),
    });
    let entity = event.entity_type.as_str();
    if let Some(collection) = Collection::from_entity(entity) {
        return match collection {
            Collection::IncomeBenefits => record::<HudRecords<hud::IncomeBenefits>>(event),
            Collection::Disabilities => record::<HudRecords<hud::Disabilities>>(event),
            Collection::HealthAndDv => record::<HudRecords<hud::HealthAndDv>>(event),
            Collection::EmploymentEducation => {
                record::<HudRecords<hud::EmploymentEducation>>(event)
            }
            Collection::CurrentLivingSituations => {
                record::<HudRecords<hud::CurrentLivingSituations>>(event)
            }
            Collection::Events => record::<HudRecords<hud::Events>>(event),
            Collection::YouthEducationStatuses => {
                record::<HudRecords<hud::YouthEducationStatuses>>(event)
            }
        };
    }
    match entity {
        "enrollment" => {
            // Its household's completeness as the owner's read would show it now.
            let read = completeness::read(conn, &sight, row(event)?)?;
            shown(enrollments::EnrollmentView::new(&read)?)
        }
        "client" => shown(clients::ClientView::from_row(&row(event)?)?),
        "service" => record::<services::Services>(event),
        "goal" => record::<goals::Goals>(event),
        "action_step" => record::<action_steps::ActionSteps>(event),
        "follow_up" => record::<follow_ups::FollowUps>(event),
        "import" => shown(imports::ImportJobView::from_row(&row(event)?)?),
        "household" => {
            let data: HouseholdData = row(event)?;
            let mut members = Vec::with_capacity(data.members.len());
            for member in data.members {
                if !sight.sealed_away(conn, member.client_id)? {
                    members.push(member);
                }
            }
            shown(households::HouseholdView::new(&HouseholdNow {
                household: data.household,
                members,
            })?)
        }
        other => Err(ApiError::Internal(format!(
            "event {} is of `{other}`, which no view shows",
            event.id
        ))),
    }
}

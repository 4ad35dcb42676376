//! Version 1 of the API, under `/v1`.

pub mod action_steps;
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
pub mod programs;
pub mod reports;
pub mod services;
pub mod users;

use utoipa_actix_web::scope::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::records::Records;
use crate::http::reference::Reference;

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
                    .with::<follow_ups::FollowUps>(),
            )
            .service(Reference::<organizations::Organizations>::new())
            .service(Reference::<programs::Programs>::new())
            .service(Reference::<grants::Grants>::new())
            .service(Reference::<users::Users>::new())
            .service(follow_ups::worklist_endpoints())
            .service(enrollments::change_feed())
            .service(audit_events::endpoints())
            .service(households::endpoints())
            .service(exports::endpoints())
            .service(reports::endpoints())
            .service(imports::endpoints()),
    );
}

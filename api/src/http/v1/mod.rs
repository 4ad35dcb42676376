//! Version 1 of the API, under `/v1`.

pub mod action_steps;
pub mod assessments;
pub mod audit_events;
pub mod clients;
pub mod common;
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
        scope("/v1")
            .service(Reference::<organizations::Organizations>::new())
            .service(Reference::<programs::Programs>::new())
            .service(Reference::<grants::Grants>::new())
            .service(Reference::<users::Users>::new())
            .service(clients::create_client)
            .service(clients::list_clients)
            .service(clients::get_client)
            .service(clients::update_client)
            .service(clients::delete_client)
            .service(assessments::create_assessment)
            .service(assessments::list_assessments)
            .service(assessments::get_assessment)
            .service(assessments::update_assessment)
            .service(assessments::delete_assessment)
            .service(assessments::list_enrollment_assessments)
            .service(assessments::link_enrollment_assessment)
            .service(assessments::unlink_enrollment_assessment)
            .service(enrollments::create_enrollment)
            .service(enrollments::list_enrollments)
            .service(enrollments::get_enrollment)
            .service(enrollments::update_enrollment)
            .service(enrollments::delete_enrollment)
            .service(enrollments::exit_enrollment)
            .service(enrollments::reopen_enrollment)
            .service(Records::<services::Services>::new())
            .service(Records::<goals::Goals>::new())
            .service(Records::<action_steps::ActionSteps>::new())
            .service(Records::<follow_ups::FollowUps>::new())
            .service(follow_ups::list_worklist_follow_ups)
            .service(enrollments::list_changed_enrollments)
            .service(audit_events::list_audit_events)
            .service(households::get_household)
            .service(households::change_head)
            .service(exports::export_hmis_csv)
            .service(reports::get_enrollment_summary)
            .service(reports::get_data_quality_report)
            .service(imports::import_hmis_csv)
            .service(imports::get_import),
    );
}

//! Version 1 of the API, under `/v1`.

pub mod clients;
pub mod common;
pub mod enrollments;
pub mod grants;
pub mod households;
pub mod organizations;
pub mod programs;
pub mod services;
pub mod users;

use utoipa_actix_web::scope::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every `/v1` route with its OpenAPI entry, in one place.
pub fn routes(config: &mut ServiceConfig) {
    config.service(
        scope("/v1")
            .service(organizations::create_organization)
            .service(organizations::list_organizations)
            .service(organizations::get_organization)
            .service(organizations::update_organization)
            .service(programs::create_program)
            .service(programs::list_programs)
            .service(programs::get_program)
            .service(programs::update_program)
            .service(grants::create_grant)
            .service(grants::list_grants)
            .service(grants::get_grant)
            .service(grants::update_grant)
            .service(users::create_user)
            .service(users::list_users)
            .service(users::get_user)
            .service(users::update_user)
            .service(clients::create_client)
            .service(clients::list_clients)
            .service(clients::get_client)
            .service(clients::update_client)
            .service(clients::delete_client)
            .service(enrollments::create_enrollment)
            .service(enrollments::list_enrollments)
            .service(enrollments::get_enrollment)
            .service(enrollments::update_enrollment)
            .service(enrollments::delete_enrollment)
            .service(enrollments::exit_enrollment)
            .service(enrollments::reopen_enrollment)
            .service(services::create_service)
            .service(services::list_services)
            .service(services::get_service)
            .service(services::update_service)
            .service(services::delete_service)
            .service(households::get_household)
            .service(households::change_head),
    );
}

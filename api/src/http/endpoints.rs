//! Hand-written handlers registered with their OpenAPI entries, a resource's at a time:
//! `Endpoints::new().route(HttpMethod::Get, "/clients/{client_id}", get_client, entry)`, then
//! `.service(endpoints)` in `http::v1::routes`. The routes of one path share one resource
//! ([`RouteTable`]).

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::Method;
use actix_web::{guard, web, FromRequest, Handler, Resource, Responder};
use utoipa::openapi::path::{HttpMethod, Paths};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::ToSchema;
use utoipa_actix_web::OpenApiFactory;

use crate::http::extract;
use crate::http::operations::entry::{Documentation, Under};
use crate::http::operations::{add_schema, Described, Names};

/// Routes and their OpenAPI entries, in the order they are added.
#[derive(Default)]
pub struct Endpoints {
    routes: RouteTable,
    paths: Paths,
    schemas: Vec<(String, RefOr<Schema>)>,
}

impl Endpoints {
    pub fn new() -> Endpoints {
        Endpoints::default()
    }

    /// The endpoints of a resource documented as the generic resources are, with the
    /// schemas of its types, and the [`Described`] its entries are made from.
    pub fn described<View, List, Create, Update>(
        names: Names,
        under: &Under,
    ) -> (Endpoints, Described)
    where
        View: ToSchema,
        List: ToSchema,
        Create: ToSchema,
        Update: ToSchema,
    {
        let mut schemas = Vec::new();
        add_schema::<Create>(&mut schemas);
        add_schema::<Update>(&mut schemas);
        add_schema::<View>(&mut schemas);
        add_schema::<List>(&mut schemas);
        let endpoints = Endpoints {
            schemas,
            ..Endpoints::default()
        };
        let doc = Described::of::<View, List, Create, Update>(names, under);
        (endpoints, doc)
    }

    /// `handler` answers `method` at `path` (below the scope), documented by `entry`.
    pub fn route<F, Args>(
        mut self,
        method: HttpMethod,
        path: &str,
        handler: F,
        entry: impl Into<Documentation>,
    ) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let Documentation { operation, schemas } = entry.into();
        self.routes.add(path, actix_method(&method), handler);
        self.paths.add_path_operation(path, vec![method], operation);
        self.schemas.extend(schemas);
        self
    }
}

/// Routes grouped by path: one actix resource per path, with a route for each method. actix
/// tries an application's resources one after another, matching each path that has
/// parameters with its own regex, so every request pays for each resource registered before
/// the one it reaches: one per path rather than one per route halves that. A method the path
/// does not answer gets the application's answer to an unknown route (405 with `Allow`).
#[derive(Default)]
pub struct RouteTable {
    resources: Vec<(String, Option<Resource>)>,
}

impl RouteTable {
    pub fn new() -> RouteTable {
        RouteTable::default()
    }

    /// `handler` answers `method` at `pattern`.
    pub fn add<F, Args>(&mut self, pattern: &str, method: Method, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let route = web::route().guard(guard::Method(method)).to(handler);
        let at = match self.resources.iter().position(|(path, _)| path == pattern) {
            Some(at) => at,
            None => {
                let resource =
                    Resource::new(pattern).default_service(web::to(extract::unknown_route));
                self.resources.push((pattern.to_owned(), Some(resource)));
                self.resources.len() - 1
            }
        };
        let slot = &mut self.resources[at].1;
        *slot = slot.take().map(|resource| resource.route(route));
    }
}

impl HttpServiceFactory for RouteTable {
    fn register(self, config: &mut AppService) {
        for resource in self
            .resources
            .into_iter()
            .filter_map(|(_, resource)| resource)
        {
            resource.register(config);
        }
    }
}

fn actix_method(method: &HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Head => Method::HEAD,
        HttpMethod::Options => Method::OPTIONS,
        HttpMethod::Trace => Method::TRACE,
    }
}

impl HttpServiceFactory for Endpoints {
    fn register(self, config: &mut AppService) {
        self.routes.register(config);
    }
}

impl OpenApiFactory for Endpoints {
    fn paths(&self) -> Paths {
        self.paths.clone()
    }

    fn schemas(&self, schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.extend(self.schemas.iter().cloned());
    }
}

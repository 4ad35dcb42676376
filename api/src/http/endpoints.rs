//! Hand-written handlers registered with their OpenAPI entries, a resource's at a time:
//! `Endpoints::new().route(HttpMethod::Get, "/clients/{client_id}", get_client, entry)`, then
//! `.service(endpoints)` in `http::v1::routes`. Each route is its own resource guarded by
//! its method, as actix's `#[get]` makes them, and named by its operation ID.

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::Method;
use actix_web::{guard, FromRequest, Handler, Resource, Responder};
use utoipa::openapi::path::{HttpMethod, Paths};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::ToSchema;
use utoipa_actix_web::OpenApiFactory;

use crate::http::operations::entry::{Documentation, Under};
use crate::http::operations::{add_schema, Described, Names};

type Registration = Box<dyn FnOnce(&mut AppService)>;

/// Routes and their OpenAPI entries, in the order they are added.
#[derive(Default)]
pub struct Endpoints {
    routes: Vec<Registration>,
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
        let name = operation.operation_id.clone().unwrap_or_default();
        let (pattern, actix) = (path.to_owned(), actix_method(&method));
        self.routes.push(Box::new(move |config: &mut AppService| {
            register_route(config, &pattern, &name, actix, handler)
        }));
        self.paths.add_path_operation(path, vec![method], operation);
        self.schemas.extend(schemas);
        self
    }
}

/// Registers one route: its own resource at `pattern`, named `name` and guarded by `method`,
/// as actix's `#[get]` makes them. A method no route answers falls through to the
/// application's default service, which answers 405 with `Allow` (a resource's own default
/// has no body).
pub fn register_route<F, Args>(
    config: &mut AppService,
    pattern: &str,
    name: &str,
    method: Method,
    handler: F,
) where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    Resource::new(pattern)
        .name(name)
        .guard(guard::Method(method))
        .to(handler)
        .register(config)
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
        for route in self.routes {
            route(config);
        }
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

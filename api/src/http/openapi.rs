//! The OpenAPI document: collected from the routes as they are registered, completed here
//! with what every operation shares (the bearer scheme, the problem responses).

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::Required;
use utoipa::openapi::{OpenApi, Ref, RefOr};
use utoipa::{Modify, OpenApi as _};

use crate::http::problem::{Problem, PROBLEM_JSON};

use crate::error::{ApiError, ProblemItem};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Threshold",
        description = "Enrollment service for homeless and human-services agencies (an HMIS back end). \
Errors are RFC 9457 problem details with a stable `code`. See the README's API section.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    servers((url = "/", description = "This server")),
    components(schemas(Problem, ProblemItem)),
    modifiers(&Shared),
    tags(
        (name = "organizations", description = "Agencies"),
        (name = "programs", description = "HMIS projects"),
        (name = "grants", description = "HMIS funders of a program"),
        (name = "users", description = "Staff"),
        (name = "clients", description = "People served, shared across the continuum of care"),
        (name = "enrollments", description = "A client's stay in a program"),
        (name = "assessments", description = "Coordinated Entry assessments of a client, linked to one enrollment"),
        (name = "households", description = "People enrolled together, led by one head"),
        (name = "services", description = "Services provided during an enrollment"),
        (name = "goals", description = "What a client works towards during an enrollment"),
        (name = "action-steps", description = "The action plan of a goal"),
        (name = "follow-ups", description = "Contacts to make with a client, due within the enrollment"),
        (name = "income-benefits", description = "HUD 4.02 income and sources, 4.03 non-cash benefits, 4.04 health insurance, W3, P4 (IncomeBenefits.csv)"),
        (name = "disabilities", description = "HUD 4.05-4.10 disabilities, one record per type and stage; W4, W6 (Disabilities.csv)"),
        (name = "health-and-dv", description = "HUD 4.11 domestic violence, R7-R10 health and pregnancy (HealthAndDV.csv)"),
        (name = "employment-education", description = "HUD R4-R6 education and employment (EmploymentEducation.csv)"),
        (name = "current-living-situations", description = "HUD 4.12 current living situation (CurrentLivingSituation.csv)"),
        (name = "events", description = "HUD 4.20 coordinated entry events (Event.csv)"),
        (name = "youth-education-statuses", description = "HUD C3 youth education status (YouthEducationStatus.csv)"),
        (name = "audit", description = "Who changed what, and when"),
        (name = "exports", description = "HMIS CSV exports, streamed as ZIP files"),
        (name = "imports", description = "HMIS CSV imports, run as jobs"),
        (name = "reports", description = "Enrollment summary and data quality, per program"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

struct Shared;

impl Modify for Shared {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Gives every error response the problem body, and every `/v1` operation the errors any
/// of them can return.
fn complete_operation(operation: &mut Operation, has_body: bool) {
    let secured = needs_token(operation);
    let mut standard: Vec<(&str, &str)> = vec![("400", "The query string or body cannot be read")];
    if secured {
        standard.push(("401", "Missing, malformed, expired or badly signed token"));
        standard.push(("403", "The caller's role may not do this"));
    }
    if has_body {
        standard.push(("413", "The body is larger than the configured limit"));
        standard.push((
            "422",
            "The request alone is invalid: every field problem is listed in `errors`",
        ));
    }
    standard.push(("503", "The database is unreachable; retry later"));
    for (status, description) in standard {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(problem_response(status, description)));
    }
    for (status, response) in operation.responses.responses.iter_mut() {
        if status.starts_with('4') || status.starts_with('5') {
            if let RefOr::T(response) = response {
                if response.content.is_empty() {
                    *response = problem_response(status, &response.description);
                }
            }
        }
    }
}

/// A `GET` answered with an `ETag` takes `If-None-Match` and may answer 304
/// (`http::conditional`).
fn conditional(get: &mut Operation) {
    let tagged = match get.responses.responses.get("200") {
        Some(RefOr::T(shown)) => shown.headers.contains_key("ETag"),
        _ => false,
    };
    if !tagged {
        return;
    }
    let if_none_match = ParameterBuilder::new()
        .name("If-None-Match")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "The ETag you last read (or several, or `*`): answered 304 without a body while \
             it is still the resource's",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build();
    get.parameters
        .get_or_insert_with(Vec::new)
        .push(RefOr::T(if_none_match));
    let not_modified = ResponseBuilder::new()
        .description("Not modified: the ETag named in `If-None-Match` is still the resource's")
        .header(
            "ETag",
            utoipa::openapi::HeaderBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .description(Some("The resource's ETag"))
                .build(),
        )
        .build();
    get.responses
        .responses
        .insert("304".to_owned(), RefOr::T(not_modified));
}

/// Whether an operation asks for a token (open ones declare an empty requirement).
fn needs_token(operation: &Operation) -> bool {
    operation.security.as_ref().is_some_and(|requirements| {
        requirements
            .iter()
            .any(|requirement| *requirement != SecurityRequirement::default())
    })
}

/// `POST`s that change nothing, sent so rather than as a `GET` to keep what they carry (an
/// SSN) out of URLs: they take no `Idempotency-Key`.
const READS_BY_POST: [&str; 1] = ["match_clients"];

fn reads_only(operation: &Operation) -> bool {
    operation
        .operation_id
        .as_deref()
        .is_some_and(|id| READS_BY_POST.contains(&id))
}

/// Every `POST` that writes takes an `Idempotency-Key`.
fn idempotency_key_parameter() -> Parameter {
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Send the request again with the same key and body within 24 hours to get the \
             first answer again without writing twice; the same key with another body is a \
             422 `idempotency.key_reused`.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255))
                // Visible ASCII only, as the server checks it (a 400 otherwise).
                .pattern(Some("^[!-~]+$")),
        ))
        .build()
}

fn problem_response(status: &str, description: &str) -> Response {
    let example = example_error(status, description)
        .and_then(|error| serde_json::to_value(error.problem()).ok());
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .example(example)
                .build(),
        )
        .build()
}

/// The error a response of `status` shows as its example, as the server would send it: for a
/// 409, the first rule code its description names (`` `enrollment.overlap` ``).
fn example_error(status: &str, description: &str) -> Option<ApiError> {
    use threshold_domain::rules::{Rule, RuleViolation, Violations};
    use threshold_domain::FieldError;
    Some(match status {
        "400" => ApiError::malformed("unknown query parameter `colour`"),
        "401" => ApiError::Unauthenticated,
        "403" => ApiError::Forbidden,
        "404" => ApiError::NotFound,
        "409" => {
            let mut codes = description.split('`').skip(1).step_by(2);
            match codes.clone().find_map(Rule::from_code) {
                Some(rule) => ApiError::Conflict(Violations::one(RuleViolation::new(
                    rule,
                    None,
                    format!("the request breaks the rule {}", rule.code()),
                ))),
                None if codes.any(|code| code == "idempotency.key_reused") => {
                    ApiError::IdempotencyKeyReused
                }
                None => return None,
            }
        }
        "412" => ApiError::PreconditionFailed,
        "413" => ApiError::TooLarge { limit: 1_048_576 },
        "422" => ApiError::Invalid(vec![FieldError::new(
            "entry_date",
            "required",
            "entry_date is required",
        )]),
        "503" => ApiError::Unavailable,
        _ => return None,
    })
}

/// The whole document for a set of collected paths.
pub fn finish(mut openapi: OpenApi) -> OpenApi {
    crate::http::codes::describe_fields(&mut openapi);
    not_blank(&mut openapi);
    for item in openapi.paths.paths.values_mut() {
        if let Some(post) = item.post.as_mut() {
            if needs_token(post) && !reads_only(post) {
                post.parameters
                    .get_or_insert_with(Vec::new)
                    .push(RefOr::T(idempotency_key_parameter()));
            }
        }
        if let Some(get) = item.get.as_mut() {
            conditional(get);
        }
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let has_body = operation.request_body.is_some();
            complete_operation(operation, has_body);
        }
    }
    openapi
}

/// Text fields are trimmed and refused when blank (`Text`, 422 `blank`): every string
/// property of at least one character without a pattern or format of its own says so with
/// the pattern `\S` (a character that is not white space), so that the spec states it.
fn not_blank(openapi: &mut OpenApi) {
    use utoipa::openapi::schema::{Schema, SchemaType, Type};
    fn visit(schema: &mut RefOr<Schema>) {
        let RefOr::T(schema) = schema else {
            return;
        };
        match schema {
            Schema::Object(object) => {
                let is_string = matches!(object.schema_type, SchemaType::Type(Type::String))
                    || matches!(&object.schema_type, SchemaType::Array(types) if types.contains(&Type::String));
                if is_string
                    && object.min_length == Some(1)
                    && object.pattern.is_none()
                    && object.format.is_none()
                    && object.enum_values.is_none()
                {
                    object.pattern = Some("\\S".to_owned());
                }
                for property in object.properties.values_mut() {
                    visit(property);
                }
            }
            Schema::Array(array) => {
                if let utoipa::openapi::schema::ArrayItems::RefOrSchema(items) = &mut array.items {
                    visit(items);
                }
            }
            Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(visit),
            Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(visit),
            Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(visit),
            _ => {}
        }
    }
    if let Some(components) = openapi.components.as_mut() {
        components.schemas.values_mut().for_each(visit);
    }
}

/// The document the server serves, as `make openapi` writes it.
pub fn spec() -> OpenApi {
    let (_, paths) = crate::http::app::routes(ApiDoc::openapi());
    finish(paths)
}

pub fn spec_yaml() -> String {
    spec().to_yaml().unwrap_or_default()
}

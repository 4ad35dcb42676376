//! The caller of a request: its bearer token verified, and roles required before anything
//! else about the request is read.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::state::AppState;

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Caller, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(request))
    }
}

fn authenticate(request: &HttpRequest) -> Result<Caller, ApiError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("application state missing".into()))?;
    let value = request
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthenticated)?
        .to_str()
        .map_err(|_| ApiError::Unauthenticated)?;
    let (scheme, token) = value.split_once(' ').ok_or(ApiError::Unauthenticated)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Unauthenticated);
    }
    state.auth.verify(token.trim())
}

/// Requires a role before anything else about the request is read.
macro_rules! role_extractor {
    ($name:ident, $check:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone)]
        pub struct $name(pub Caller);

        impl FromRequest for $name {
            type Error = ApiError;
            type Future = Ready<Result<$name, ApiError>>;

            fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
                ready(authenticate(request).and_then(|caller| {
                    caller.$check()?;
                    Ok($name(caller))
                }))
            }
        }
    };
}

role_extractor!(
    Admin,
    require_admin,
    "A caller with the admin role (403 otherwise)."
);
role_extractor!(
    Writer,
    require_writer,
    "A caller who may write clients and enrollments: admin or case manager (403 otherwise)."
);
role_extractor!(
    Integrator,
    require_integrator,
    "A caller who may keep webhook subscriptions: admin or integration (403 otherwise)."
);

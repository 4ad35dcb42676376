//! Refused tokens are indistinguishable: whatever is wrong with a token (its dates, its
//! signature, its algorithm, its issuer or audience, a missing claim, the scheme it came
//! under), the answer is the same 401 problem with the same body and the same
//! `WWW-Authenticate`, so a caller probing the API learns nothing about why.
//!
//! `auth.rs` covers which tokens open the API; this file compares the refusals.

use crate::common::jwt::*;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Backend, Response, TestApp, JWT_SECRET};
use uuid::Uuid;

/// `{"alg":"none","typ":"JWT"}` in unpadded base64url.
const ALG_NONE_HEADER: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";

/// A case manager's claims, valid for an hour, with the issuer and audience the apps here
/// require.
fn claims() -> Value {
    json!({"sub": "casey", "roles": ["case_manager"], "org": Uuid::now_v7(),
           "exp": now() + 3600, "iat": now(), "iss": ISSUER, "aud": AUDIENCE})
}

/// The same token with `alg: none` in its header, keeping or dropping its signature.
fn as_alg_none(token: &str, keep_signature: bool) -> String {
    let mut parts = token.split('.');
    let (_, payload, signature) = (parts.next(), parts.next(), parts.next());
    let signature = if keep_signature {
        signature.unwrap_or("")
    } else {
        ""
    };
    format!("{ALG_NONE_HEADER}.{}.{signature}", payload.unwrap_or(""))
}

/// The token with a character in the middle of its signature changed (not the last one,
/// whose low bits base64 decoders may ignore).
fn tampered(token: &str) -> String {
    let start = token.rfind('.').expect("a signed token") + 1;
    let middle = start + (token.len() - start) / 2;
    let replacement = if &token[middle..=middle] == "A" {
        "B"
    } else {
        "A"
    };
    format!("{}{replacement}{}", &token[..middle], &token[middle + 1..])
}

/// Claims with each required one left out in turn, and the other ways they can be wrong.
fn bad_claims() -> Vec<(Value, &'static str)> {
    vec![
        (
            with(claims(), "exp", json!(now() - 3600)),
            "expired an hour ago",
        ),
        (with(claims(), "exp", json!(1)), "expired in 1970"),
        (
            with(claims(), "nbf", json!(now() + 3600)),
            "not valid for an hour",
        ),
        (
            with(claims(), "iss", json!("https://evil.example")),
            "a wrong issuer",
        ),
        (
            with(claims(), "aud", json!("another-api")),
            "a wrong audience",
        ),
        (without(claims(), "exp"), "no exp"),
        (without(claims(), "sub"), "no sub"),
        (without(claims(), "roles"), "no roles"),
        (without(claims(), "org"), "no org for a case manager"),
        (without(claims(), "iss"), "no iss while one is required"),
        (without(claims(), "aud"), "no aud while one is required"),
        (
            with(claims(), "roles", json!(["superuser"])),
            "an unknown role",
        ),
        (with(claims(), "roles", json!([])), "no role at all"),
        (with(claims(), "sub", json!("  ")), "a blank sub"),
        (with(claims(), "exp", json!("soon")), "exp not a number"),
    ]
}

/// Authorization headers that carry no usable token, whatever the app's keys.
fn bad_headers(good: &str) -> Vec<(Option<String>, &'static str)> {
    vec![
        (None, "no Authorization header"),
        (Some(String::new()), "an empty Authorization header"),
        (Some("Bearer".into()), "Bearer and nothing else"),
        (Some("Bearer ".into()), "an empty bearer"),
        (Some("Bearer not-a-jwt".into()), "garbage"),
        (Some("Bearer a.b.c".into()), "three parts of garbage"),
        (
            Some(format!("Basic {good}")),
            "a valid token under the Basic scheme",
        ),
        (
            Some("Basic Y2FzZXk6aHVudGVyMg==".into()),
            "Basic credentials",
        ),
        (Some(good.to_owned()), "a valid token without a scheme"),
        (
            Some(format!("Bearer {}", as_alg_none(good, false))),
            "alg none without a signature",
        ),
        (
            Some(format!("Bearer {}", as_alg_none(good, true))),
            "alg none keeping the signature",
        ),
        (
            Some(format!("Bearer {}", tampered(good))),
            "one character of the signature changed",
        ),
    ]
}

fn call(app: &TestApp, authorization: Option<&str>) -> Response {
    let request = app.request("GET", PROTECTED);
    match authorization {
        Some(value) => request.header("Authorization", value).send(),
        None => request.send(),
    }
}

/// Checks every refusal against the first: the same 401 problem, body and challenge.
fn assert_all_alike(refusals: &[(Response, String)]) -> Value {
    let (first, _) = &refusals[0];
    for (response, what) in refusals {
        assert_eq!(response.status, 401, "{what}: {}", response.describe());
        assert_problem(response, 401, "auth.unauthenticated");
        assert_eq!(
            response.header_all("www-authenticate"),
            vec!["Bearer"],
            "{what}: the challenge names the scheme and nothing else"
        );
        assert_eq!(
            response.body, first.body,
            "{what}: the body must not say why the token was refused"
        );
        assert!(response.body.get("errors").is_none(), "{what}");
    }
    first.body.clone()
}

fn assert_accepted(app: &TestApp, token: &str, what: &str) {
    let response = call(app, Some(&format!("Bearer {token}")));
    assert_eq!(response.status, 200, "{what}: {}", response.describe());
}

fn spawn_shared_secret(backend: Backend) -> TestApp {
    TestApp::builder(backend)
        .jwt_issuer(ISSUER)
        .jwt_audience(AUDIENCE)
        .spawn()
}

/// Every refusal an app sees, given how it signs a good token.
fn refusals(app: &TestApp, sign_good: &dyn Fn(&Value) -> String) -> Vec<(Response, String)> {
    let good = sign_good(&claims());
    assert_accepted(app, &good, "the control token");
    let mut refused = Vec::new();
    for (value, what) in bad_headers(&good) {
        refused.push((call(app, value.as_deref()), what.to_owned()));
    }
    for (claims, what) in bad_claims() {
        let token = sign_good(&claims);
        refused.push((call(app, Some(&format!("Bearer {token}"))), what.to_owned()));
    }
    refused
}

both_backends!(
    fn shared_secret_refusals_are_indistinguishable(backend: Backend) {
        let app = spawn_shared_secret(backend);
        let mut refused = refusals(&app, &|claims| sign_hs256(JWT_SECRET.as_bytes(), claims));
        let others = [
            (
                sign_hs256(b"another-secret-of-enough-length", &claims()),
                "another secret",
            ),
            (
                sign(
                    Algorithm::HS512,
                    &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
                    &claims(),
                ),
                "HS512 with the right secret",
            ),
            (
                sign(Algorithm::RS256, &rsa_key(), &claims()),
                "RS256 on an HS256 app",
            ),
        ];
        for (token, what) in others {
            refused.push((call(&app, Some(&format!("Bearer {token}"))), what.into()));
        }
        let body = assert_all_alike(&refused);
        assert_eq!(body["title"], "Authentication required");
    }

    fn identity_provider_refusals_are_indistinguishable(backend: Backend) {
        let app = spawn_with_key(backend, "rsa_public.pem");
        let key = rsa_key();
        let mut refused = refusals(&app, &|claims| sign(Algorithm::RS256, &key, claims));
        let public_pem = std::fs::read(fixture("rsa_public.pem")).expect("the public key");
        let others = [
            (
                sign_hs256(&public_pem, &claims()),
                "HS256 signed with the public key's PEM (algorithm confusion)",
            ),
            (
                sign_hs256(JWT_SECRET.as_bytes(), &claims()),
                "HS256 with the secret the app also has",
            ),
            (
                sign(Algorithm::RS512, &key, &claims()),
                "RS512 with the right key",
            ),
            (
                sign(Algorithm::PS256, &key, &claims()),
                "PS256 with the right key",
            ),
        ];
        for (token, what) in others {
            refused.push((call(&app, Some(&format!("Bearer {token}"))), what.into()));
        }
        let body = assert_all_alike(&refused);

        // And the same body as an app that checks a shared secret.
        let shared = spawn_shared_secret(backend);
        let response = call(&shared, None);
        assert_eq!(response.body, body, "one refusal for every configuration");
    }

    fn the_clock_allows_a_little_skew_and_no_more(backend: Backend) {
        let app = spawn_with_key(backend, "rsa_public.pem");
        let key = rsa_key();
        let token = |claims: Value| format!("Bearer {}", sign(Algorithm::RS256, &key, &claims));
        // Clocks a few seconds apart still agree.
        let response = call(&app, Some(&token(with(claims(), "exp", json!(now() - 5)))));
        response.assert_status(200);
        let response = call(&app, Some(&token(with(claims(), "nbf", json!(now() + 5)))));
        response.assert_status(200);
        // A minute and more is not skew.
        for (claims, what) in [
            (
                with(claims(), "exp", json!(now() - 60)),
                "expired a minute ago",
            ),
            (
                with(claims(), "nbf", json!(now() + 60)),
                "valid in a minute",
            ),
        ] {
            let response = call(&app, Some(&token(claims)));
            assert_eq!(response.status, 401, "{what}: {}", response.describe());
        }
    }
);

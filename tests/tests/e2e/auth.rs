//! Authentication: which tokens open the API and which are refused with 401, with the
//! shared HS256 secret and with an identity provider's RS256 or ES256 public key.

use crate::common::assert_forbidden;
use crate::common::jwt::*;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Response, Role, TestApp, JWT_SECRET};
use uuid::Uuid;

/// Unpadded base64url, as JWTs write their parts.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let byte = |index: usize| u32::from(chunk.get(index).copied().unwrap_or(0));
        let bits = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for index in 0..=chunk.len() {
            let sextet = (bits >> (18 - 6 * index)) & 0x3f;
            out.push(char::from(ALPHABET[sextet as usize]));
        }
    }
    out
}

/// A token put together by hand: header and claims exactly as given, and a signature made
/// with `signer` (or none at all).
fn hand_built(header: &Value, claims: &Value, signer: Option<(&EncodingKey, Algorithm)>) -> String {
    let message = format!(
        "{}.{}",
        base64url(header.to_string().as_bytes()),
        base64url(claims.to_string().as_bytes())
    );
    let signature = match signer {
        Some((key, algorithm)) => {
            jsonwebtoken::crypto::sign(message.as_bytes(), key, algorithm).expect("signs")
        }
        None => String::new(),
    };
    format!("{message}.{signature}")
}

/// Claims of an admin token valid for an hour, without `iss` or `aud`.
fn admin_claims() -> Value {
    json!({"sub": "token-admin", "roles": ["admin"], "exp": now() + 3600, "iat": now()})
}

/// Claims for the identity-provider apps: the required issuer and audience.
fn idp_claims() -> Value {
    let mut claims = admin_claims();
    claims["iss"] = json!(ISSUER);
    claims["aud"] = json!(AUDIENCE);
    claims
}

fn assert_unauthenticated(response: &Response, what: &str) {
    assert_eq!(
        response.status,
        401,
        "{what}: expected 401, got {}",
        response.describe()
    );
    assert_problem(response, 401, "auth.unauthenticated");
    assert_eq!(
        response.header("www-authenticate"),
        Some("Bearer"),
        "{what}: a 401 names the scheme to use"
    );
}

fn assert_refused(app: &TestApp, token: &str, what: &str) {
    assert_unauthenticated(&app.get(PROTECTED, Some(token)), what);
}

fn assert_accepted(app: &TestApp, token: &str, what: &str) {
    let response = app.get(PROTECTED, Some(token));
    assert_eq!(
        response.status,
        200,
        "{what}: expected 200, got {}",
        response.describe()
    );
}

both_backends!(
    fn open_endpoints_need_no_token(app: &TestApp) {
        for path in ["/healthz", "/readyz", "/openapi.json", "/swagger-ui/"] {
            let response = app.get(path, None);
            assert_eq!(
                response.status,
                200,
                "{path} without a token: {}",
                response.describe()
            );
            assert_eq!(response.header("www-authenticate"), None, "{path}");
        }
    }

    fn no_token_is_401_everywhere(app: &TestApp) {
        let unknown = Uuid::now_v7();
        for path in [
            "/v1/organizations".to_owned(),
            "/v1/programs".to_owned(),
            "/v1/users".to_owned(),
            format!("/v1/programs/{unknown}"),
            format!("/v1/programs/{unknown}/grants"),
            format!("/v1/users/{unknown}"),
        ] {
            assert_unauthenticated(&app.get(&path, None), &format!("GET {path}"));
        }
        let response = app.post(
            "/v1/programs",
            None,
            &json!({"organization_id": unknown, "name": "Harbor Shelter", "project_type": 0,
                    "operating_start_date": "2020-01-01"}),
        );
        assert_unauthenticated(&response, "POST /v1/programs");
        let response = app.patch(&format!("/v1/users/{unknown}"), None, &json!({}));
        assert_unauthenticated(&response, "PATCH /v1/users/{id}");
        // Nothing was stored by the refused write.
        let list = app.get("/v1/programs", Some(&app.admin_token()));
        list.assert_status(200);
        assert_eq!(list.body["data"], json!([]));
    }

    fn only_the_bearer_scheme_is_accepted(app: &TestApp) {
        let token = app.admin_token();
        assert_accepted(app, &token, "the harness's admin token");
        let send = |value: &str| {
            app.request("GET", PROTECTED)
                .header("Authorization", value)
                .send()
        };
        for (value, what) in [
            (
                "Basic dGVzdC1hZG1pbjpwYXNzd29yZA==".to_owned(),
                "Basic credentials",
            ),
            (
                format!("Basic {token}"),
                "a valid token under the Basic scheme",
            ),
            (
                format!("Token {token}"),
                "a valid token under another scheme",
            ),
            (token.clone(), "a token without a scheme"),
            ("Bearer".to_owned(), "Bearer without a token"),
            ("Bearer ".to_owned(), "Bearer and a blank"),
            (String::new(), "an empty header"),
        ] {
            assert_unauthenticated(&send(&value), what);
        }
        // Schemes are case-insensitive (RFC 9110 section 11.1).
        send(&format!("bearer {token}")).assert_status(200);
    }

    fn garbage_and_tampered_tokens_are_401(app: &TestApp) {
        for token in ["not-a-jwt", "a.b.c", "..", "eyJhbGciOiJIUzI1NiJ9.e30."] {
            assert_refused(app, token, token);
        }
        let viewer = app.token("vera", &[Role::Viewer], Some(Uuid::now_v7()));
        assert_accepted(app, &viewer, "a valid viewer token");
        let admin = app.admin_token();
        // The admin's claims under the viewer's signature.
        let viewer_parts: Vec<&str> = viewer.split('.').collect();
        let admin_parts: Vec<&str> = admin.split('.').collect();
        let forged = format!("{}.{}.{}", viewer_parts[0], admin_parts[1], viewer_parts[2]);
        assert_refused(app, &forged, "claims swapped under another signature");
        // No signature at all.
        let unsigned = format!("{}.{}.", admin_parts[0], admin_parts[1]);
        assert_refused(app, &unsigned, "the signature cut off");
    }

    fn expired_and_not_yet_valid_tokens_are_401(app: &TestApp) {
        let mut claims = app.claims("alice", &[Role::Admin], None);
        claims.exp = (now() - 120) as u64;
        claims.iat = Some((now() - 3720) as u64);
        assert_refused(app, &app.mint(&claims), "expired two minutes ago");
        claims.exp = 1;
        assert_refused(app, &app.mint(&claims), "expired in 1970");

        let secret = JWT_SECRET.as_bytes();
        assert_accepted(
            app,
            &sign_hs256(secret, &admin_claims()),
            "hand-made claims",
        );
        let not_yet = with(admin_claims(), "nbf", json!(now() + 3600));
        assert_refused(app, &sign_hs256(secret, &not_yet), "nbf an hour ahead");
    }

    fn tokens_signed_with_another_secret_are_401(app: &TestApp) {
        let token = sign_hs256(b"another-secret-of-enough-length", &admin_claims());
        assert_refused(app, &token, "another secret");
        let token = sign_hs256(b"", &admin_claims());
        assert_refused(app, &token, "an empty secret");
    }

    fn algorithm_none_and_switching_are_401(app: &TestApp) {
        let key = EncodingKey::from_secret(JWT_SECRET.as_bytes());
        // The hand-built form itself is accepted when it is properly signed, so what is
        // refused below is the algorithm, not the encoding.
        let proper = hand_built(
            &json!({"alg": "HS256", "typ": "JWT"}),
            &admin_claims(),
            Some((&key, Algorithm::HS256)),
        );
        assert_accepted(app, &proper, "a hand-built HS256 token");

        let none = hand_built(&json!({"alg": "none", "typ": "JWT"}), &admin_claims(), None);
        assert_refused(app, &none, "alg none, no signature");
        for alg in ["None", "NONE", "nOnE"] {
            let token = hand_built(&json!({"alg": alg, "typ": "JWT"}), &admin_claims(), None);
            assert_refused(app, &token, alg);
        }
        // alg none, but still carrying a valid HS256 signature of the same message.
        let signature = proper.rsplit('.').next().unwrap();
        let none_signed = format!(
            "{}{signature}",
            hand_built(&json!({"alg": "none", "typ": "JWT"}), &admin_claims(), None)
        );
        assert_refused(app, &none_signed, "alg none with a signature");

        // The right secret under another HMAC algorithm is still not HS256.
        for algorithm in [Algorithm::HS384, Algorithm::HS512] {
            let token = sign(algorithm, &key, &admin_claims());
            assert_refused(app, &token, &format!("{algorithm:?} with the right secret"));
        }
        // A token from an identity provider when the app checks the shared secret.
        let token = sign(Algorithm::RS256, &rsa_key(), &admin_claims());
        assert_refused(app, &token, "RS256 on an HS256 app");
        let token = sign(Algorithm::ES256, &ec_key(), &admin_claims());
        assert_refused(app, &token, "ES256 on an HS256 app");
    }

    fn tokens_need_well_formed_claims(app: &TestApp) {
        let secret = JWT_SECRET.as_bytes();
        let org = Uuid::now_v7().to_string();
        let claims = admin_claims();
        assert_accepted(app, &sign_hs256(secret, &claims), "an admin without org");
        for role in ["case_manager", "viewer", "integration"] {
            let scoped = with(claims.clone(), "roles", json!([role]));
            assert_accepted(
                app,
                &sign_hs256(secret, &with(scoped.clone(), "org", json!(org))),
                &format!("{role} with org"),
            );
            assert_refused(
                app,
                &sign_hs256(secret, &scoped),
                &format!("{role} without org"),
            );
            assert_refused(
                app,
                &sign_hs256(secret, &with(scoped, "org", Value::Null)),
                &format!("{role} with org null"),
            );
        }
        let refused = [
            (without(claims.clone(), "exp"), "no exp"),
            (
                with(claims.clone(), "exp", json!("tomorrow")),
                "exp not a number",
            ),
            (without(claims.clone(), "sub"), "no sub"),
            (with(claims.clone(), "sub", json!("")), "an empty sub"),
            (
                with(claims.clone(), "roles", json!(["superuser"])),
                "an unknown role",
            ),
            (
                with(claims.clone(), "roles", json!(["Admin"])),
                "a role in the wrong case",
            ),
            (
                with(claims.clone(), "roles", json!(["admin", "superuser"])),
                "an unknown role beside admin",
            ),
            (with(claims.clone(), "roles", json!([])), "empty roles"),
            (without(claims.clone(), "roles"), "no roles"),
            (
                with(claims.clone(), "roles", json!("admin")),
                "roles as a string",
            ),
            (
                with(
                    with(claims.clone(), "roles", json!(["viewer"])),
                    "org",
                    json!("not-a-uuid"),
                ),
                "org not a UUID",
            ),
        ];
        for (claims, what) in refused {
            assert_refused(app, &sign_hs256(secret, &claims), what);
        }
    }

    fn rs256_tokens_from_an_identity_provider(backend: Backend) {
        let app = spawn_with_key(backend, "rsa_public.pem");
        let key = rsa_key();
        let valid = sign(Algorithm::RS256, &key, &idp_claims());
        assert_accepted(&app, &valid, "a valid RS256 token");
        let created = app.post(
            "/v1/organizations",
            Some(&valid),
            &json!({"name": "Harbor Light"}),
        );
        created.assert_status(201);
        assert_eq!(created.body["created_by"], "token-admin");

        let list = with(idp_claims(), "aud", json!(["account", AUDIENCE]));
        assert_accepted(
            &app,
            &sign(Algorithm::RS256, &key, &list),
            "aud as a list containing the audience",
        );

        let refused = [
            (
                with(idp_claims(), "iss", json!("https://evil.example")),
                "a wrong issuer",
            ),
            (
                with(idp_claims(), "aud", json!("another-api")),
                "a wrong audience",
            ),
            (
                with(idp_claims(), "aud", json!(["account"])),
                "an aud list without the audience",
            ),
            (with(idp_claims(), "exp", json!(now() - 120)), "expired"),
            (
                with(
                    with(idp_claims(), "roles", json!(["viewer"])),
                    "org",
                    Value::Null,
                ),
                "a viewer without org",
            ),
        ];
        for (claims, what) in refused {
            assert_refused(&app, &sign(Algorithm::RS256, &key, &claims), what);
        }
    }

    fn identity_provider_tokens_must_not_switch_algorithms(backend: Backend) {
        let app = spawn_with_key(backend, "rsa_public.pem");
        assert_accepted(
            &app,
            &sign(Algorithm::RS256, &rsa_key(), &idp_claims()),
            "a valid RS256 token",
        );
        // Algorithm confusion: the public key (which anyone may have) as an HMAC secret.
        let public_pem = read_fixture("rsa_public.pem");
        assert_refused(
            &app,
            &sign_hs256(&public_pem, &idp_claims()),
            "HS256 signed with the public key PEM",
        );
        // The shared secret no longer opens the API once a public key is configured.
        assert_refused(
            &app,
            &sign_hs256(JWT_SECRET.as_bytes(), &idp_claims()),
            "HS256 signed with the test secret",
        );
        // Another algorithm family with a key the app does not have.
        assert_refused(
            &app,
            &sign(Algorithm::ES256, &ec_key(), &idp_claims()),
            "ES256 on an RS256 app",
        );
        // The same RSA key under another RSA algorithm.
        for algorithm in [Algorithm::RS384, Algorithm::RS512, Algorithm::PS256] {
            let token = sign(algorithm, &rsa_key(), &idp_claims());
            assert_refused(&app, &token, &format!("{algorithm:?} with the RSA key"));
        }
        let none = hand_built(&json!({"alg": "none", "typ": "JWT"}), &idp_claims(), None);
        assert_refused(&app, &none, "alg none");
        // The RS256 signature of one token under other claims.
        let viewer = with(
            with(idp_claims(), "roles", json!(["viewer"])),
            "org",
            json!(Uuid::now_v7()),
        );
        let viewer_token = sign(Algorithm::RS256, &rsa_key(), &viewer);
        assert_accepted(&app, &viewer_token, "a valid RS256 viewer token");
        let admin_token = sign(Algorithm::RS256, &rsa_key(), &idp_claims());
        let viewer_parts: Vec<&str> = viewer_token.split('.').collect();
        let admin_parts: Vec<&str> = admin_token.split('.').collect();
        let forged = format!("{}.{}.{}", viewer_parts[0], admin_parts[1], viewer_parts[2]);
        assert_refused(
            &app,
            &forged,
            "claims swapped under another RS256 signature",
        );
    }

    fn es256_tokens_from_an_identity_provider(backend: Backend) {
        let app = spawn_with_key(backend, "ec_public.pem");
        let key = ec_key();
        assert_accepted(
            &app,
            &sign(Algorithm::ES256, &key, &idp_claims()),
            "a valid ES256 token",
        );
        let org = Uuid::now_v7();
        let case_manager = with(
            with(idp_claims(), "roles", json!(["case_manager"])),
            "org",
            json!(org),
        );
        let token = sign(Algorithm::ES256, &key, &case_manager);
        assert_accepted(&app, &token, "an ES256 case manager token");
        let response = app.post(PROTECTED, Some(&token), &json!({"name": "Harbor Light"}));
        assert_forbidden(&response);

        assert_refused(
            &app,
            &sign(Algorithm::RS256, &rsa_key(), &idp_claims()),
            "RS256 on an ES256 app",
        );
        assert_refused(
            &app,
            &sign_hs256(&read_fixture("ec_public.pem"), &idp_claims()),
            "HS256 signed with the EC public key PEM",
        );
        assert_refused(
            &app,
            &sign(
                Algorithm::ES256,
                &key,
                &with(idp_claims(), "iss", json!("https://evil.example")),
            ),
            "ES256 with a wrong issuer",
        );
    }
);

both_backends!(
    fn the_configured_issuer_is_required(backend: Backend) {
        let app = spawn_with_key(backend, "rsa_public.pem");
        let token = sign(Algorithm::RS256, &rsa_key(), &without(idp_claims(), "iss"));
        assert_refused(&app, &token, "no iss while an issuer is configured");
    }

    fn the_configured_audience_is_required(backend: Backend) {
        let app = spawn_with_key(backend, "rsa_public.pem");
        let token = sign(Algorithm::RS256, &rsa_key(), &without(idp_claims(), "aud"));
        assert_refused(&app, &token, "no aud while an audience is configured");
    }
);

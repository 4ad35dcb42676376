//! Tokens signed in the test, as an identity provider would sign them: any claims with the
//! shared secret or a fixture's private key, and the settings of the apps that check them.

use std::path::PathBuf;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::Value;
use threshold_tests::{Backend, TestApp};

/// Any endpoint that needs a token and answers 200 to every role.
pub const PROTECTED: &str = "/v1/organizations";

/// The `iss` and `aud` the identity-provider apps require.
pub const ISSUER: &str = "https://idp.example";
pub const AUDIENCE: &str = "threshold";

/// A file of `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The bytes of a file of `tests/fixtures`.
pub fn read_fixture(name: &str) -> Vec<u8> {
    let path = fixture(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// Now, in seconds since the epoch, as `exp` and `iat` count.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Signs any claims (a JSON object, so that tests can leave claims out or add odd ones).
pub fn sign(algorithm: Algorithm, key: &EncodingKey, claims: &Value) -> String {
    jsonwebtoken::encode(&Header::new(algorithm), claims, key).expect("the token signs")
}

pub fn sign_hs256(secret: &[u8], claims: &Value) -> String {
    sign(Algorithm::HS256, &EncodingKey::from_secret(secret), claims)
}

/// The private key of `fixtures/rsa_public.pem`.
pub fn rsa_key() -> EncodingKey {
    EncodingKey::from_rsa_pem(&read_fixture("rsa_private.pem")).expect("the RSA private key")
}

/// The private key of `fixtures/ec_public.pem`.
pub fn ec_key() -> EncodingKey {
    EncodingKey::from_ec_pem(&read_fixture("ec_private.pem")).expect("the EC private key")
}

/// `claims` with `key` set to `value`.
pub fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

/// `claims` without `key`.
pub fn without(mut claims: Value, key: &str) -> Value {
    claims
        .as_object_mut()
        .expect("claims are an object")
        .remove(key);
    claims
}

/// An app that checks tokens with the fixture `public_key` (RS256 or ES256) and requires
/// [`ISSUER`] and [`AUDIENCE`].
pub fn spawn_with_key(backend: Backend, public_key: &str) -> TestApp {
    TestApp::builder(backend)
        .jwt_public_key(fixture(public_key))
        .jwt_issuer(ISSUER)
        .jwt_audience(AUDIENCE)
        .spawn()
}

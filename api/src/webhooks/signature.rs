//! Standard Webhooks signatures: `v1,` and the base64 of the HMAC-SHA256, keyed with the
//! secret's bytes (the base64 after `whsec_`), of `{webhook-id}.{webhook-timestamp}.{body}`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::ApiError;

/// What every secret starts with, as Standard Webhooks writes them.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: 32 random bytes from the operating system, in base64 after `whsec_`.
pub fn new_secret() -> Result<String, ApiError> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key)
        .map_err(|error| ApiError::Internal(format!("no random bytes for a secret: {error}")))?;
    Ok(format!("{SECRET_PREFIX}{}", STANDARD.encode(key)))
}

/// The `webhook-signature` header of a message: `v1,<base64 HMAC-SHA256>`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let key = secret
        .strip_prefix(SECRET_PREFIX)
        .and_then(|encoded| STANDARD.decode(encoded).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec());
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        // HMAC takes a key of any length: never reached.
        return "v1,".to_owned();
    };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_as_the_standard_webhooks_example() {
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn a_change_of_any_part_changes_the_signature() {
        let secret = new_secret().expect("a secret");
        assert!(secret.starts_with(SECRET_PREFIX));
        assert_eq!(
            STANDARD
                .decode(&secret[SECRET_PREFIX.len()..])
                .map(|key| key.len())
                .ok(),
            Some(32)
        );
        let signed = sign(&secret, "id", 1, b"{}");
        assert_ne!(signed, sign(&secret, "id2", 1, b"{}"));
        assert_ne!(signed, sign(&secret, "id", 2, b"{}"));
        assert_ne!(signed, sign(&secret, "id", 1, b"{ }"));
        assert_ne!(
            signed,
            sign(&new_secret().expect("a secret"), "id", 1, b"{}")
        );
    }
}

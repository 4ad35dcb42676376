//! Who is calling: JWTs, roles, and the organization a caller may see. The HTTP layer reads
//! the bearer token (`http::auth`); the CLI mints tokens here.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use threshold_persistence::ids::OrganizationId;
use threshold_persistence::privacy::Sight;
use uuid::Uuid;

use crate::error::ApiError;

/// A caller's role, spelled the same in tokens, the API and the command line
/// (`case_manager`; the command line also takes `case-manager`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Role {
    Admin,
    #[value(alias = "case-manager")]
    CaseManager,
    Viewer,
    Integration,
}

/// The claims Threshold reads from a token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub roles: Vec<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<Uuid>,
    pub exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// A string or a list of strings, as identity providers send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<serde_json::Value>,
}

/// How tokens are checked (and, with a shared secret, minted).
#[derive(Clone)]
pub struct AuthConfig {
    decoding: DecodingKey,
    validation: Validation,
    encoding: Option<EncodingKey>,
    verified: Arc<Verified>,
}

/// Tokens already verified, remembered until they expire: a client sends the same token with
/// every request, and checking its signature and parsing its claims again each time is most
/// of what authenticating costs. Only tokens that passed every check are kept, keyed by their
/// whole text, so a token is never taken for another.
#[derive(Default)]
struct Verified {
    tokens: Mutex<HashMap<Box<str>, (Caller, u64)>>,
}

/// How many verified tokens are remembered at most (a few hundred bytes each).
const VERIFIED_TOKENS: usize = 4096;

impl Verified {
    /// The caller of a token verified before, while the token has not expired.
    fn get(&self, token: &str, now: u64) -> Option<Caller> {
        let tokens = self
            .tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (caller, expires) = tokens.get(token)?;
        (now <= *expires).then(|| caller.clone())
    }

    fn remember(&self, token: &str, caller: &Caller, expires: u64, now: u64) {
        if now > expires {
            return;
        }
        let mut tokens = self
            .tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if tokens.len() >= VERIFIED_TOKENS {
            tokens.retain(|_, (_, expires)| now <= *expires);
            if tokens.len() >= VERIFIED_TOKENS {
                tokens.clear();
            }
        }
        tokens.insert(token.into(), (caller.clone(), expires));
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthConfigError {
    #[error("THRESHOLD_JWT_SECRET or THRESHOLD_JWT_PUBLIC_KEY is required")]
    Missing,
    #[error("THRESHOLD_JWT_SECRET must be at least 16 bytes")]
    WeakSecret,
    #[error("cannot read the public key {path}: {reason}")]
    PublicKey { path: String, reason: String },
}

impl AuthConfig {
    /// HS256 with a shared secret, or RS256/ES256 with a PEM public key when one is named
    /// (the key wins: tokens then come from an external identity provider).
    pub fn new(
        secret: Option<&str>,
        public_key: Option<&Path>,
        issuer: Option<&str>,
        audience: Option<&str>,
    ) -> Result<AuthConfig, AuthConfigError> {
        let (decoding, algorithm, encoding) = match (public_key, secret) {
            (Some(path), _) => {
                let pem = std::fs::read(path).map_err(|error| AuthConfigError::PublicKey {
                    path: path.display().to_string(),
                    reason: error.to_string(),
                })?;
                if let Ok(key) = DecodingKey::from_rsa_pem(&pem) {
                    (key, Algorithm::RS256, None)
                } else if let Ok(key) = DecodingKey::from_ec_pem(&pem) {
                    (key, Algorithm::ES256, None)
                } else {
                    return Err(AuthConfigError::PublicKey {
                        path: path.display().to_string(),
                        reason: "not an RSA or EC public key in PEM form".into(),
                    });
                }
            }
            (None, Some(secret)) => {
                if secret.len() < 16 {
                    return Err(AuthConfigError::WeakSecret);
                }
                (
                    DecodingKey::from_secret(secret.as_bytes()),
                    Algorithm::HS256,
                    Some(EncodingKey::from_secret(secret.as_bytes())),
                )
            }
            (None, None) => return Err(AuthConfigError::Missing),
        };
        let mut validation = Validation::new(algorithm);
        // A configured issuer or audience must be present, not merely right when present.
        let mut required = vec!["exp", "sub"];
        required.extend(issuer.map(|_| "iss"));
        required.extend(audience.map(|_| "aud"));
        validation.set_required_spec_claims(&required);
        validation.validate_nbf = true;
        validation.leeway = 30;
        match issuer {
            Some(issuer) => validation.set_issuer(&[issuer]),
            None => validation.iss = None,
        }
        match audience {
            Some(audience) => validation.set_audience(&[audience]),
            None => validation.validate_aud = false,
        }
        Ok(AuthConfig {
            decoding,
            validation,
            encoding,
            verified: Arc::default(),
        })
    }

    /// The caller a token names, once its signature, expiry, `nbf` and (when configured)
    /// issuer and audience are checked. A token verified before is taken from memory until
    /// its `exp` (past which it is checked again, and refused once the leeway is over).
    pub fn verify(&self, token: &str) -> Result<Caller, ApiError> {
        let now = jsonwebtoken::get_current_timestamp();
        if let Some(caller) = self.verified.get(token, now) {
            return Ok(caller);
        }
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|error| {
                tracing::debug!(%error, "token refused");
                ApiError::Unauthenticated
            })?;
        let expires = data.claims.exp;
        let caller = Caller::from_claims(data.claims)?;
        self.verified.remember(token, &caller, expires, now);
        Ok(caller)
    }

    /// Mints an HS256 token; `None` when tokens come from an identity provider.
    pub fn mint(&self, claims: &Claims) -> Option<String> {
        let key = self.encoding.as_ref()?;
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, key).ok()
    }
}

/// An authenticated caller. Extracting it answers 401 for a missing or bad token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub sub: String,
    roles: Vec<Role>,
    pub org: Option<OrganizationId>,
}

impl Caller {
    fn from_claims(claims: Claims) -> Result<Caller, ApiError> {
        let admin = claims.roles.contains(&Role::Admin);
        if claims.sub.trim().is_empty()
            || claims.roles.is_empty()
            || (!admin && claims.org.is_none())
        {
            return Err(ApiError::Unauthenticated);
        }
        Ok(Caller {
            sub: claims.sub,
            roles: claims.roles,
            org: claims.org.map(OrganizationId::from),
        })
    }

    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }

    fn has_any(&self, roles: &[Role]) -> bool {
        self.is_admin() || roles.iter().any(|role| self.roles.contains(role))
    }

    /// Reference data (organizations, programs, grants, users) is written by admins only.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        self.require(&[Role::Admin])
    }

    /// Clients, enrollments and what hangs off them are written by case managers.
    pub fn require_writer(&self) -> Result<(), ApiError> {
        self.require(&[Role::CaseManager])
    }

    /// Webhook subscriptions are kept by integrations (for their organization) and admins.
    pub fn require_integrator(&self) -> Result<(), ApiError> {
        self.require(&[Role::Integration])
    }

    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if self.has_any(roles) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The organization whose enrollments the caller may see: `None` means every one.
    pub fn scope(&self) -> Option<OrganizationId> {
        if self.is_admin() {
            None
        } else {
            self.org
        }
    }

    /// Which clients the caller may see today (`privacy`: an admin every one).
    pub fn sight(&self) -> Sight {
        match self.scope() {
            None => Sight::Everything,
            Some(organization_id) => Sight::Organization {
                organization_id,
                today: crate::clock::today().naive(),
            },
        }
    }

    /// Whether the caller may see records of `organization_id`.
    pub fn sees(&self, organization_id: OrganizationId) -> bool {
        self.scope().is_none_or(|own| own == organization_id)
    }
}

/// Parses a lifetime such as `30m`, `8h` or `7d` into seconds.
pub fn parse_ttl(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like 30m, 8h or 7d"))?;
    let unit_seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" | "" => 3600,
        "d" => 86_400,
        _ => return Err(format!("`{text}` is not a duration like 30m, 8h or 7d")),
    };
    number
        .checked_mul(unit_seconds)
        .filter(|seconds| *seconds > 0)
        .ok_or_else(|| format!("`{text}` is not a usable duration"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_spells_roles_as_tokens_do() {
        use crate::cli::{Cli, Command};
        use clap::Parser;
        let roles = |spelling: &str| -> Result<Vec<Role>, String> {
            let cli = Cli::try_parse_from([
                "threshold",
                "token",
                "--sub",
                "alice",
                "--role",
                spelling,
                "--jwt-secret",
                "s",
            ])
            .map_err(|error| error.to_string())?;
            match cli.command {
                Command::Token { roles, .. } => Ok(roles),
                other => Err(format!("not the token command: {other:?}")),
            }
        };
        assert_eq!(roles("case_manager"), Ok(vec![Role::CaseManager]));
        assert_eq!(roles("case-manager"), Ok(vec![Role::CaseManager]));
        for (spelling, role) in [
            ("admin", Role::Admin),
            ("viewer", Role::Viewer),
            ("integration", Role::Integration),
        ] {
            assert_eq!(roles(spelling), Ok(vec![role]));
        }
        let refused = roles("manager").expect_err("an unknown role");
        assert!(refused.contains("case_manager"), "{refused}");
        assert_eq!(
            serde_json::to_value(Role::CaseManager).ok(),
            Some(serde_json::json!("case_manager"))
        );
    }

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl("30m"), Ok(1800));
        assert_eq!(parse_ttl("8h"), Ok(28_800));
        assert_eq!(parse_ttl("7d"), Ok(604_800));
        assert_eq!(parse_ttl("90s"), Ok(90));
        assert!(parse_ttl("0h").is_err());
        assert!(parse_ttl("h").is_err());
        assert!(parse_ttl("8w").is_err());
    }

    fn claims(roles: Vec<Role>, org: Option<Uuid>) -> Claims {
        Claims {
            sub: "alice".into(),
            roles,
            org,
            exp: u64::MAX / 2,
            iat: None,
            iss: None,
            aud: None,
        }
    }

    #[test]
    fn minted_tokens_verify() {
        let auth = AuthConfig::new(Some("a-development-secret"), None, None, None).unwrap();
        let org = Uuid::now_v7();
        let token = auth
            .mint(&claims(vec![Role::CaseManager], Some(org)))
            .unwrap();
        let caller = auth.verify(&token).unwrap();
        assert_eq!(caller.org, Some(org.into()));
        assert!(caller.require_writer().is_ok());
        assert!(caller.require_admin().is_err());
        assert_eq!(caller.scope(), Some(org.into()));
    }

    #[test]
    fn org_is_required_except_for_admins() {
        let auth = AuthConfig::new(Some("a-development-secret"), None, None, None).unwrap();
        let token = auth.mint(&claims(vec![Role::Viewer], None)).unwrap();
        assert!(auth.verify(&token).is_err());
        let token = auth.mint(&claims(vec![Role::Admin], None)).unwrap();
        let admin = auth.verify(&token).unwrap();
        assert_eq!(admin.scope(), None);
    }

    #[test]
    fn other_secret_is_refused() {
        let mine = AuthConfig::new(Some("a-development-secret"), None, None, None).unwrap();
        let theirs = AuthConfig::new(Some("another-secret-entirely"), None, None, None).unwrap();
        let token = theirs.mint(&claims(vec![Role::Admin], None)).unwrap();
        assert!(mine.verify(&token).is_err());
        assert!(AuthConfig::new(Some("short"), None, None, None).is_err());
    }

    #[test]
    fn verified_tokens_are_remembered_until_they_expire() {
        let auth = AuthConfig::new(Some("a-development-secret"), None, None, None).unwrap();
        let now = jsonwebtoken::get_current_timestamp();
        let org = Uuid::now_v7();
        let mut token_claims = claims(vec![Role::Viewer], Some(org));
        token_claims.exp = now + 3600;
        let token = auth.mint(&token_claims).unwrap();
        assert_eq!(auth.verify(&token).unwrap().org, Some(org.into()));
        // Remembered: the second verification is the first one's caller.
        let remembered = auth.verified.get(&token, now).unwrap();
        assert_eq!(remembered.sub, "alice");
        assert_eq!(auth.verify(&token).unwrap().org, Some(org.into()));
        // Not past its expiry, and never for another token's text.
        assert!(auth.verified.get(&token, now + 3601).is_none());
        assert!(auth.verified.get(&format!("{token}x"), now).is_none());
        assert!(auth.verify(&format!("{token}x")).is_err());
    }

    #[test]
    fn expired_and_refused_tokens_are_not_remembered() {
        let auth = AuthConfig::new(Some("a-development-secret"), None, None, None).unwrap();
        let now = jsonwebtoken::get_current_timestamp();
        let mut expired = claims(vec![Role::Admin], None);
        expired.exp = now - 120;
        let token = auth.mint(&expired).unwrap();
        assert!(auth.verify(&token).is_err());
        assert!(auth.verified.get(&token, now - 200).is_none());
        // A token the signature check passes but the claims refuse (no organization).
        let token = auth.mint(&claims(vec![Role::Viewer], None)).unwrap();
        assert!(auth.verify(&token).is_err());
        assert!(auth.verified.get(&token, now).is_none());
        // Within the leeway: accepted, but not remembered past its expiry.
        let mut leeway = claims(vec![Role::Admin], None);
        leeway.exp = now - 5;
        let token = auth.mint(&leeway).unwrap();
        assert!(auth.verify(&token).is_ok());
        assert!(auth.verified.get(&token, now - 10).is_none());
    }

    #[test]
    fn remembered_tokens_are_bounded() {
        let verified = Verified::default();
        let caller = Caller {
            sub: "alice".into(),
            roles: vec![Role::Admin],
            org: None,
        };
        for n in 0..VERIFIED_TOKENS {
            // Half of them expired by the time the table is full.
            let expires = if n % 2 == 0 { 10 } else { 1000 };
            verified.remember(&format!("token-{n}"), &caller, expires, 5);
        }
        verified.remember("one-more", &caller, 1000, 50);
        let kept = verified.tokens.lock().unwrap().len();
        assert_eq!(kept, VERIFIED_TOKENS / 2 + 1);
        assert!(verified.get("token-1", 50).is_some());
        assert!(verified.get("token-0", 50).is_none());
        assert!(verified.get("one-more", 50).is_some());
    }
}

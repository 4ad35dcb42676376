use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::client::Ssn;
use threshold_domain::matching::Probe;
use threshold_domain::Date;
use threshold_persistence::ids::ClientId;
use utoipa::ToSchema;

use super::Name;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::extract::{CheckBody, ValidJson};
use crate::http::operations::entry::Entry;
use crate::http::state::AppState;
use crate::http::v1::common::NotFuture;
use crate::usecases::matching::{self, Matches};

/// The OpenAPI entry of `POST /v1/clients/match`.
pub fn match_entry() -> Entry {
    Entry::new(
        "clients",
        "match_clients",
        "Check whether a person is already a client (duplicate check at intake).\n\n\
         Compares the person with every client born on the same day or whose SSN ends in \
         the same four digits, seen by the caller or not, and answers the clients the \
         caller may see that match, best first (at most 10), and `needs_consent`: whether a \
         client the caller may not see matches. Of such a client nothing else is said (no \
         ID, score, name or count): ask the client for a release of information naming \
         your organization. A client served by a victim service provider, whom no release \
         could show, is not said to exist at all (VAWA).\n\n\
         **Score** (0 to 1; 0.80 and above is a match, 0.50 to 0.79 a possible match, \
         lower is not shown): the sum of what each element says, for or against, kept \
         within 0 and 1. Full SSN: +0.80 the same, -0.30 another. Its last four digits, \
         when a full SSN is not usable on both sides: +0.40 / -0.20. Date of birth: +0.40 \
         / -0.25 (+0.20 / 0 when the stored one is approximate). Last name: +0.25 exact, \
         +0.20 one typo, -0.15 another. First name: +0.20 exact, +0.15 one typo. First \
         and last names swapped: +0.40 for both. Names are compared without case, \
         accents, spaces or punctuation; a typo is one letter inserted, deleted, replaced \
         or two adjacent letters swapped, in names of three letters or more; nicknames \
         are not recognized. An SSN counts only when it passes HUD's validity checks (not \
         a placeholder such as 000000000, 999999999 or 123456789; no area 000, 666 or \
         9xx, no group 00, no serial 0000) and was not recorded as partial (then only its \
         last four count) or as unknown or refused. So a full SSN alone is a match, so \
         are its last four digits with the date of birth, and the date of birth with both \
         names (0.85).\n\n\
         The body needs a date of birth or a usable SSN: names alone never reach a \
         possible match. Sent as a `POST` so that the SSN stays out of URLs and logs; it \
         changes nothing, and an `Idempotency-Key` is ignored. Admins and case managers \
         (who do intake) may call it.",
    )
    .json_body::<MatchClients>()
    .json::<ClientMatches>(
        "200",
        "The visible clients that match, best first, and whether a hidden one does",
        &[],
    )
}

/// What intake knows of a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "first_name": "Jordan",
    "last_name": "Lee",
    "dob": "1990-04-12",
    "ssn": "123456780"
}))]
pub struct MatchClients {
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50)]
    pub first_name: Option<Name>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 50)]
    pub last_name: Option<Name>,
    /// Not in the future. Required unless a usable `ssn` is given.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub dob: Option<NotFuture>,
    /// Nine digits. Required unless `dob` is given.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{9}$", write_only)]
    pub ssn: Option<Ssn>,
}

impl MatchClients {
    fn probe(&self) -> Probe {
        Probe {
            first_name: self.first_name.clone().map(Name::into_string),
            last_name: self.last_name.clone().map(Name::into_string),
            dob: self.dob.map(|dob| dob.0),
            ssn: self.ssn.clone(),
        }
    }
}

/// Whether the body says enough to match on is the use case's check: here a field that
/// could not be read (a malformed SSN) would look missing.
impl CheckBody for MatchClients {}

/// A client the caller may see who matches.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientMatch {
    #[schema(value_type = Uuid)]
    pub client_id: ClientId,
    /// 0.80 and above: a match; 0.50 to 0.79: a possible match.
    #[schema(minimum = 0.5, maximum = 1.0)]
    pub score: f64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub dob: Option<Date>,
    /// The last four digits of the SSN; the full number is never returned.
    pub ssn_last4: Option<String>,
}

/// The answer to a duplicate check.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientMatches {
    /// The clients the caller may see scoring 0.50 or more, best first, at most 10.
    pub matches: Vec<ClientMatch>,
    /// A client the caller may not see scores 0.80 or more: ask for their consent rather
    /// than adding them again.
    pub needs_consent: bool,
}

impl ClientMatches {
    fn from_matches(found: Matches) -> ClientMatches {
        ClientMatches {
            matches: found
                .shown
                .into_iter()
                .map(|shown| ClientMatch {
                    client_id: shown.client.id,
                    score: shown.score.fraction(),
                    first_name: shown.client.first_name,
                    last_name: shown.client.last_name,
                    dob: shown.client.dob.map(Date::from),
                    ssn_last4: shown.client.ssn_last4,
                })
                .collect(),
            needs_consent: found.needs_consent,
        }
    }
}

pub async fn match_clients(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    ValidJson(body): ValidJson<MatchClients>,
) -> Result<HttpResponse, ApiError> {
    // A match is a search, like a list page, and is not recorded as a view: it shows of a
    // visible client what `GET /v1/clients?q=` shows (name, date of birth), with a score.
    let probe = body.probe();
    let found = state
        .read(move |conn| matching::find_matches(conn, &caller, &probe))
        .await?;
    Ok(HttpResponse::Ok().json(ClientMatches::from_matches(found)))
}

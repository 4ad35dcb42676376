//! The duplicate check at intake: which clients a person may already be. The caller learns
//! the clients it may see that match (with their scores) and, of the clients it may not see,
//! only whether at least one matches, so that it asks for the client's consent instead of
//! creating a duplicate. Nothing else of a hidden client leaves this function.

use threshold_domain::codes::DataQuality;
use threshold_domain::matching::{self, Candidate, Evidence, Probe, Score};
use threshold_domain::Date;
use threshold_persistence::clients::{self, MatchCandidate};
use threshold_persistence::DbConnection;

use crate::auth::Caller;
use crate::error::ApiError;

/// At most this many clients are shown, best first.
pub const SHOWN: usize = 10;

/// A client the caller may see that matches, at least possibly.
#[derive(Debug, Clone)]
pub struct Shown {
    pub client: MatchCandidate,
    pub score: Score,
}

/// The answer to a duplicate check.
#[derive(Debug, Clone)]
pub struct Matches {
    /// Visible clients scoring a possible match or better, best first, at most [`SHOWN`].
    pub shown: Vec<Shown>,
    /// At least one client the caller may not see scores a match.
    pub needs_consent: bool,
}

/// The clients `probe` may be, as `caller` may learn of them.
pub fn find_matches(
    conn: &mut DbConnection,
    caller: &Caller,
    probe: &Probe,
) -> Result<Matches, ApiError> {
    let errors = probe.check();
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let candidates = clients::match_candidates(
        conn,
        &caller.sight(),
        probe.dob.map(Date::naive),
        probe.ssn_last4_to_look_up(),
    )?;
    let mut shown: Vec<(Evidence, MatchCandidate)> = Vec::new();
    let mut needs_consent = false;
    for candidate in candidates {
        let evidence = matching::compare(probe, &as_candidate(&candidate));
        if candidate.visible {
            if evidence.score().is_possible() {
                shown.push((evidence, candidate));
            }
        } else if evidence.score().is_match() && !candidate.sealed {
            // A client sealed by a victim service provider is not said to exist (VAWA): no
            // consent could show them, and their presence alone would disclose them.
            needs_consent = true;
        }
    }
    shown
        .sort_by(|(a, a_client), (b, b_client)| matching::rank((a, a_client.id), (b, b_client.id)));
    shown.truncate(SHOWN);
    Ok(Matches {
        shown: shown
            .into_iter()
            .map(|(evidence, client)| Shown {
                score: evidence.score(),
                client,
            })
            .collect(),
        needs_consent,
    })
}

fn as_candidate(row: &MatchCandidate) -> Candidate<'_> {
    // A code outside HUD's list is not trusted as full data.
    let quality =
        |code: i32| DataQuality::try_from(code).unwrap_or(DataQuality::CLIENT_DOESNT_KNOW);
    Candidate {
        first_name: row.first_name.as_deref(),
        last_name: row.last_name.as_deref(),
        dob: row.dob.map(Date::from),
        dob_data_quality: quality(row.dob_data_quality),
        ssn: row.ssn.as_deref(),
        ssn_last4: row.ssn_last4.as_deref(),
        ssn_data_quality: quality(row.ssn_data_quality),
    }
}

//! Who may see a client: HUD's HMIS privacy standard (a client's record is shared only with
//! the client's consent, or with the agencies serving them) and VAWA for victim service
//! providers (their clients' records never leave them, whatever the client signed).
//!
//! This is the rule alone, over what a caller is and what is known about the client; the
//! HTTP, persistence and export layers read those facts and apply it (a client the caller may
//! not see is a 404, exactly like one that does not exist).

use uuid::Uuid;

use crate::Date;

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Sees every client.
    Admin,
    /// A member of this organization (case manager, viewer or integration).
    Organization(Uuid),
}

/// What a release of information covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentScope {
    /// The organizations it names.
    Organizations(Vec<Uuid>),
    /// Every organization of the installation (the continuum of care).
    Coc,
}

/// Whether a release of information still stands: it is revoked, never deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentStatus {
    Active,
    Revoked,
}

/// A release of information the client gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub scope: ConsentScope,
    pub status: ConsentStatus,
    /// The first day it is in force.
    pub start_date: Date,
    /// The last day it is in force; open-ended when absent.
    pub end_date: Option<Date>,
}

impl Consent {
    /// In force on `today`: active, and `today` within its dates (both days included).
    pub fn in_force(&self, today: Date) -> bool {
        self.status == ConsentStatus::Active
            && self.start_date <= today
            && self.end_date.is_none_or(|end| today <= end)
    }

    /// Whether it names `organization` (a CoC-wide consent names every one).
    pub fn names(&self, organization: Uuid) -> bool {
        match &self.scope {
            ConsentScope::Coc => true,
            ConsentScope::Organizations(named) => named.contains(&organization),
        }
    }
}

/// An organization that serves the client: it has a non-deleted enrollment of the client in
/// one of its programs (active or exited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Server {
    pub organization_id: Uuid,
    /// The organization is a victim service provider (HMIS 2.02.7).
    pub victim_service_provider: bool,
}

/// What the rule reads about a client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientFacts {
    /// The organization whose member created the client, when one did (not an admin or an
    /// import of another system's data).
    pub created_by: Option<Uuid>,
    /// Every organization serving the client.
    pub served_by: Vec<Server>,
    /// Every release of information the client gave, revoked ones included.
    pub consents: Vec<Consent>,
}

impl ClientFacts {
    /// Served by a victim service provider: sealed to those providers (and admins).
    pub fn sealed(&self) -> bool {
        self.served_by
            .iter()
            .any(|server| server.victim_service_provider)
    }
}

/// Whether `viewer` may see the client on `today`:
///
/// - an admin sees every client;
/// - a client served by a victim service provider is seen by the victim service providers
///   serving them and by nobody else, whatever the consents (VAWA);
/// - otherwise an organization sees a client it serves, one it created that nobody serves
///   yet, and one whose release of information in force names it (or the whole CoC).
pub fn sees(viewer: Viewer, client: &ClientFacts, today: Date) -> bool {
    let organization = match viewer {
        Viewer::Admin => return true,
        Viewer::Organization(organization) => organization,
    };
    let serves = |server: &Server| server.organization_id == organization;
    if client.sealed() {
        return client
            .served_by
            .iter()
            .any(|server| server.victim_service_provider && serves(server));
    }
    if client.served_by.iter().any(serves) {
        return true;
    }
    if client.served_by.is_empty() && client.created_by == Some(organization) {
        return true;
    }
    client
        .consents
        .iter()
        .any(|consent| consent.in_force(today) && consent.names(organization))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn org(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    const SHELTER: u128 = 1;
    const FOOD_BANK: u128 = 2;
    const DV_SHELTER: u128 = 3;
    const OTHER_DV: u128 = 4;

    fn served(organization: u128) -> Server {
        Server {
            organization_id: org(organization),
            victim_service_provider: false,
        }
    }

    fn served_by_vsp(organization: u128) -> Server {
        Server {
            organization_id: org(organization),
            victim_service_provider: true,
        }
    }

    fn consent(scope: ConsentScope, start: &str, end: Option<&str>) -> Consent {
        Consent {
            scope,
            status: ConsentStatus::Active,
            start_date: day(start),
            end_date: end.map(day),
        }
    }

    fn to(organization: u128) -> ConsentScope {
        ConsentScope::Organizations(vec![org(organization)])
    }

    fn sees_on(organization: u128, client: &ClientFacts, today: &str) -> bool {
        sees(Viewer::Organization(org(organization)), client, day(today))
    }

    #[test]
    fn an_admin_sees_every_client_even_a_sealed_one() {
        let sealed = ClientFacts {
            served_by: vec![served_by_vsp(DV_SHELTER)],
            ..ClientFacts::default()
        };
        assert!(sees(Viewer::Admin, &sealed, day("2026-01-01")));
        assert!(sees(
            Viewer::Admin,
            &ClientFacts::default(),
            day("2026-01-01")
        ));
    }

    #[test]
    fn an_organization_sees_the_clients_it_serves_and_no_other() {
        let client = ClientFacts {
            served_by: vec![served(SHELTER)],
            ..ClientFacts::default()
        };
        assert!(sees_on(SHELTER, &client, "2026-01-01"));
        assert!(!sees_on(FOOD_BANK, &client, "2026-01-01"));
    }

    #[test]
    fn the_creator_sees_its_client_until_someone_serves_them() {
        let unserved = ClientFacts {
            created_by: Some(org(FOOD_BANK)),
            ..ClientFacts::default()
        };
        assert!(sees_on(FOOD_BANK, &unserved, "2026-01-01"));
        assert!(!sees_on(SHELTER, &unserved, "2026-01-01"));
        // Once another organization serves the client, the creator no longer sees them.
        let served_elsewhere = ClientFacts {
            served_by: vec![served(SHELTER)],
            ..unserved.clone()
        };
        assert!(!sees_on(FOOD_BANK, &served_elsewhere, "2026-01-01"));
        assert!(sees_on(SHELTER, &served_elsewhere, "2026-01-01"));
        // Nobody created an imported or admin-made client: only consents and service count.
        assert!(!sees_on(FOOD_BANK, &ClientFacts::default(), "2026-01-01"));
    }

    #[test]
    fn a_consent_naming_an_organization_lets_it_see_within_its_dates() {
        let client = ClientFacts {
            served_by: vec![served(SHELTER)],
            consents: vec![consent(to(FOOD_BANK), "2026-03-01", Some("2026-03-31"))],
            ..ClientFacts::default()
        };
        assert!(
            !sees_on(FOOD_BANK, &client, "2026-02-28"),
            "before its start"
        );
        assert!(sees_on(FOOD_BANK, &client, "2026-03-01"), "its first day");
        assert!(sees_on(FOOD_BANK, &client, "2026-03-31"), "its last day");
        assert!(!sees_on(FOOD_BANK, &client, "2026-04-01"), "expired");
        // It names the food bank only.
        assert!(!sees_on(OTHER_DV, &client, "2026-03-15"));
    }

    #[test]
    fn a_coc_consent_lets_every_organization_see() {
        let client = ClientFacts {
            served_by: vec![served(SHELTER)],
            consents: vec![consent(ConsentScope::Coc, "2026-01-01", None)],
            ..ClientFacts::default()
        };
        assert!(sees_on(FOOD_BANK, &client, "2026-01-01"));
        assert!(sees_on(OTHER_DV, &client, "2030-12-31"), "open-ended");
        assert!(
            !sees_on(FOOD_BANK, &client, "2025-12-31"),
            "before its start"
        );
    }

    #[test]
    fn a_revoked_consent_lets_nobody_see() {
        let mut revoked = consent(ConsentScope::Coc, "2026-01-01", None);
        revoked.status = ConsentStatus::Revoked;
        let client = ClientFacts {
            served_by: vec![served(SHELTER)],
            consents: vec![revoked.clone()],
            ..ClientFacts::default()
        };
        assert!(!revoked.in_force(day("2026-06-01")));
        assert!(!sees_on(FOOD_BANK, &client, "2026-06-01"));
        // Another consent still in force still counts.
        let client = ClientFacts {
            consents: vec![revoked, consent(to(FOOD_BANK), "2026-01-01", None)],
            ..client
        };
        assert!(sees_on(FOOD_BANK, &client, "2026-06-01"));
    }

    #[test]
    fn a_client_served_by_a_victim_service_provider_is_sealed_to_it() {
        let client = ClientFacts {
            created_by: Some(org(FOOD_BANK)),
            served_by: vec![served_by_vsp(DV_SHELTER)],
            consents: Vec::new(),
        };
        assert!(client.sealed());
        assert!(sees_on(DV_SHELTER, &client, "2026-01-01"));
        assert!(
            !sees_on(FOOD_BANK, &client, "2026-01-01"),
            "not even its creator"
        );
        assert!(
            !sees_on(OTHER_DV, &client, "2026-01-01"),
            "nor another victim service provider that does not serve them"
        );
    }

    #[test]
    fn no_consent_unseals_a_victim_service_providers_client() {
        let client = ClientFacts {
            created_by: None,
            served_by: vec![served_by_vsp(DV_SHELTER)],
            consents: vec![
                consent(ConsentScope::Coc, "2026-01-01", None),
                consent(to(FOOD_BANK), "2026-01-01", None),
            ],
        };
        assert!(!sees_on(FOOD_BANK, &client, "2026-06-01"));
        assert!(!sees_on(SHELTER, &client, "2026-06-01"));
        assert!(sees_on(DV_SHELTER, &client, "2026-06-01"));
    }

    #[test]
    fn a_sealed_client_is_hidden_even_from_other_organizations_serving_them() {
        let client = ClientFacts {
            created_by: None,
            served_by: vec![
                served(SHELTER),
                served_by_vsp(DV_SHELTER),
                served_by_vsp(OTHER_DV),
            ],
            consents: Vec::new(),
        };
        assert!(!sees_on(SHELTER, &client, "2026-01-01"));
        assert!(sees_on(DV_SHELTER, &client, "2026-01-01"));
        assert!(
            sees_on(OTHER_DV, &client, "2026-01-01"),
            "every provider serving them"
        );
    }
}

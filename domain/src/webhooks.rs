//! Webhooks' rules: which changes are events and of what type, which addresses a delivery
//! may reach, and when a failed delivery is tried again.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use crate::hud_records::Collection;

/// The type of a webhook event, as subscriptions name it and deliveries carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    EnrollmentCreated,
    EnrollmentUpdated,
    EnrollmentExited,
    EnrollmentReopened,
    EnrollmentDeleted,
    HouseholdHeadChanged,
    ClientUpdated,
    ImportFinished,
    RecordCreated,
    RecordUpdated,
    RecordDeleted,
}

/// The case manager's records under an enrollment whose changes are `record.*` events, as
/// the audit trail names them; HUD's record collections follow them in [`RECORD_ENTITIES`].
const CASE_RECORDS: [&str; 4] = ["service", "goal", "action_step", "follow_up"];

/// The kinds of record under an enrollment whose changes are `record.*` events, as the
/// audit trail names them: services, goals, action steps, follow-ups, and a record of each
/// of HUD's collections (`income_benefits`, `disability`, ...: `Collection::entity`).
pub const RECORD_ENTITIES: [&str; CASE_RECORDS.len() + Collection::ALL.len()] = {
    let mut entities = [""; CASE_RECORDS.len() + Collection::ALL.len()];
    let mut index = 0;
    while index < CASE_RECORDS.len() {
        entities[index] = CASE_RECORDS[index];
        index += 1;
    }
    while index < entities.len() {
        entities[index] = Collection::ALL[index - CASE_RECORDS.len()].entity();
        index += 1;
    }
    entities
};

impl EventType {
    pub const ALL: [EventType; 11] = [
        EventType::EnrollmentCreated,
        EventType::EnrollmentUpdated,
        EventType::EnrollmentExited,
        EventType::EnrollmentReopened,
        EventType::EnrollmentDeleted,
        EventType::HouseholdHeadChanged,
        EventType::ClientUpdated,
        EventType::ImportFinished,
        EventType::RecordCreated,
        EventType::RecordUpdated,
        EventType::RecordDeleted,
    ];

    /// The name on the wire (`enrollment.created`).
    pub const fn name(self) -> &'static str {
        match self {
            EventType::EnrollmentCreated => "enrollment.created",
            EventType::EnrollmentUpdated => "enrollment.updated",
            EventType::EnrollmentExited => "enrollment.exited",
            EventType::EnrollmentReopened => "enrollment.reopened",
            EventType::EnrollmentDeleted => "enrollment.deleted",
            EventType::HouseholdHeadChanged => "household.head_changed",
            EventType::ClientUpdated => "client.updated",
            EventType::ImportFinished => "import.finished",
            EventType::RecordCreated => "record.created",
            EventType::RecordUpdated => "record.updated",
            EventType::RecordDeleted => "record.deleted",
        }
    }

    pub fn parse(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The event a change is, from what the audit trail calls the changed entity and the
    /// change (`enrollment` and `exit`); `None` for a change that is no event.
    pub fn of_change(entity: &str, action: &str) -> Option<EventType> {
        let record = RECORD_ENTITIES.contains(&entity);
        Some(match (entity, action) {
            ("enrollment", "create") => EventType::EnrollmentCreated,
            ("enrollment", "update") => EventType::EnrollmentUpdated,
            ("enrollment", "exit") => EventType::EnrollmentExited,
            ("enrollment", "reopen") => EventType::EnrollmentReopened,
            ("enrollment", "delete") => EventType::EnrollmentDeleted,
            ("household", "head_change") => EventType::HouseholdHeadChanged,
            ("client", "update") => EventType::ClientUpdated,
            ("import", "finish") => EventType::ImportFinished,
            (_, "create") if record => EventType::RecordCreated,
            (_, "update") if record => EventType::RecordUpdated,
            (_, "delete") if record => EventType::RecordDeleted,
            _ => return None,
        })
    }
}

/// How many times a delivery is sent before it is `failed`.
pub const ATTEMPTS: u32 = 13;

/// Delays between attempts double from `base` up to 1,024 times it: with the default base of
/// 30 seconds, the 12 waits between 13 attempts add up to about 25 hours ("about a day").
const LONGEST_DELAY_FACTOR: u32 = 1024;

/// How long to wait after the `attempt`-th failed attempt (1 for the first) before the next:
/// `base` doubled each time up to its cap, times `jitter` (a draw in 0..1 the caller makes),
/// spread from three quarters to five quarters of it so that receivers that came back are
/// not hit by every waiting delivery at once.
pub fn retry_delay(base: Duration, attempt: u32, jitter: f64) -> Duration {
    let factor = 2u32
        .saturating_pow(attempt.saturating_sub(1))
        .min(LONGEST_DELAY_FACTOR);
    let spread = 0.75 + 0.5 * jitter.clamp(0.0, 1.0);
    base.saturating_mul(factor).mul_f64(spread)
}

/// Why a delivery address is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressRefused {
    #[error("the URL must use https")]
    NotHttps,
    #[error("the URL has no host")]
    NoHost,
    #[error("`{0}` is a loopback, private, link-local or otherwise non-public address")]
    Private(IpAddr),
}

/// Whether a URL's scheme may be delivered to: `https`, or `http` where private addresses
/// are allowed (development and tests, whose receivers listen on loopback).
pub fn check_scheme(scheme: &str, allow_private: bool) -> Result<(), AddressRefused> {
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if allow_private => Ok(()),
        _ => Err(AddressRefused::NotHttps),
    }
}

/// Whether a delivery may connect to `address`: any public address; loopback, private,
/// link-local, unique-local, shared, documentation, multicast and unspecified ones only when
/// `allow_private`. Checked on every address a host resolves to, when a subscription is
/// saved and again at each delivery (a name may resolve elsewhere later).
pub fn check_address(address: IpAddr, allow_private: bool) -> Result<(), AddressRefused> {
    if allow_private || is_public(address) {
        Ok(())
    } else {
        Err(AddressRefused::Private(address))
    }
}

fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(address: Ipv4Addr) -> bool {
    let [a, b, ..] = address.octets();
    !(address.is_private()
        || address.is_loopback()
        || address.is_link_local()
        || address.is_broadcast()
        || address.is_documentation()
        || address.is_unspecified()
        || address.is_multicast()
        // 0.0.0.0/8 "this network", 100.64.0.0/10 shared (carrier-grade NAT), 192.0.0.0/24
        // protocol assignments, 198.18.0.0/15 benchmarking, 240.0.0.0/4 reserved.
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && address.octets()[2] == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn is_public_v6(address: Ipv6Addr) -> bool {
    let first = address.segments()[0];
    !(address.is_loopback()
        || address.is_unspecified()
        || address.is_multicast()
        // fc00::/7 unique local, fe80::/10 link-local, 2001:db8::/32 documentation,
        // 64:ff9b:1::/48 local-use translation.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && address.segments()[1] == 0x0db8)
        || (first == 0x0064 && address.segments()[1] == 0xff9b && address.segments()[2] == 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_parses_from_its_name() {
        for kind in EventType::ALL {
            assert_eq!(EventType::parse(kind.name()), Some(kind));
        }
        assert_eq!(EventType::parse("enrollment.exit"), None);
        assert_eq!(EventType::parse("Enrollment.Created"), None);
    }

    #[test]
    fn changes_map_to_events() {
        let cases = [
            ("enrollment", "create", Some(EventType::EnrollmentCreated)),
            ("enrollment", "update", Some(EventType::EnrollmentUpdated)),
            ("enrollment", "exit", Some(EventType::EnrollmentExited)),
            ("enrollment", "reopen", Some(EventType::EnrollmentReopened)),
            ("enrollment", "delete", Some(EventType::EnrollmentDeleted)),
            (
                "household",
                "head_change",
                Some(EventType::HouseholdHeadChanged),
            ),
            ("household", "create", None),
            ("client", "update", Some(EventType::ClientUpdated)),
            ("client", "create", None),
            ("client", "delete", None),
            ("import", "finish", Some(EventType::ImportFinished)),
            ("service", "create", Some(EventType::RecordCreated)),
            ("goal", "update", Some(EventType::RecordUpdated)),
            ("action_step", "delete", Some(EventType::RecordDeleted)),
            ("follow_up", "create", Some(EventType::RecordCreated)),
            ("income_benefits", "create", Some(EventType::RecordCreated)),
            ("disability", "update", Some(EventType::RecordUpdated)),
            ("event", "delete", Some(EventType::RecordDeleted)),
            (
                "youth_education_status",
                "create",
                Some(EventType::RecordCreated),
            ),
            // A collection's name is not what its records are audited as.
            ("disabilities", "create", None),
            ("income-benefits", "create", None),
            ("assessment", "create", None),
            ("program", "update", None),
            ("webhook", "create", None),
        ];
        for (entity, action, expected) in cases {
            assert_eq!(
                EventType::of_change(entity, action),
                expected,
                "{entity} {action}"
            );
        }
    }

    /// Every HUD record collection's records are enrollment records: their creation,
    /// change and deletion are `record.*` events like a service's, and no two kinds of
    /// record share a name.
    #[test]
    fn every_hud_collections_changes_are_record_events() {
        for collection in Collection::ALL {
            let entity = collection.entity();
            assert!(RECORD_ENTITIES.contains(&entity), "{entity}");
            for (action, expected) in [
                ("create", EventType::RecordCreated),
                ("update", EventType::RecordUpdated),
                ("delete", EventType::RecordDeleted),
            ] {
                assert_eq!(
                    EventType::of_change(entity, action),
                    Some(expected),
                    "{entity} {action}"
                );
            }
            assert_eq!(EventType::of_change(entity, "exit"), None, "{entity}");
            assert_eq!(Collection::from_entity(entity), Some(collection));
        }
        let mut names = RECORD_ENTITIES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RECORD_ENTITIES.len(), "{RECORD_ENTITIES:?}");
        assert!(RECORD_ENTITIES.iter().all(|name| !name.is_empty()));
        assert_eq!(Collection::from_entity("service"), None);
    }

    #[test]
    fn retries_double_up_to_a_cap_and_last_about_a_day() {
        let base = Duration::from_secs(30);
        assert_eq!(retry_delay(base, 1, 0.5), base);
        assert_eq!(retry_delay(base, 2, 0.5), base * 2);
        assert_eq!(retry_delay(base, 11, 0.5), base * 1024);
        assert_eq!(retry_delay(base, 12, 0.5), base * 1024, "capped");
        assert_eq!(retry_delay(base, 1, 0.0), base.mul_f64(0.75));
        assert_eq!(retry_delay(base, 1, 1.0), base.mul_f64(1.25));
        let total: Duration = (1..ATTEMPTS).map(|n| retry_delay(base, n, 0.5)).sum();
        let hours = total.as_secs_f64() / 3600.0;
        assert!((20.0..30.0).contains(&hours), "{hours} hours");
        let shortest: Duration = (1..ATTEMPTS).map(|n| retry_delay(base, n, 0.0)).sum();
        assert!(shortest.as_secs_f64() / 3600.0 > 18.0);
        const { assert!(ATTEMPTS >= 8) };
    }

    #[test]
    fn only_https_unless_private_addresses_are_allowed() {
        assert_eq!(check_scheme("https", false), Ok(()));
        assert_eq!(check_scheme("HTTPS", false), Ok(()));
        assert_eq!(check_scheme("http", false), Err(AddressRefused::NotHttps));
        assert_eq!(check_scheme("http", true), Ok(()));
        assert_eq!(check_scheme("ftp", true), Err(AddressRefused::NotHttps));
    }

    #[test]
    fn private_addresses_are_refused_unless_allowed() {
        let refused = [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.0.8",
            "198.18.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2001:db8::1",
        ];
        for text in refused {
            let address: IpAddr = text.parse().expect("an address");
            assert_eq!(
                check_address(address, false),
                Err(AddressRefused::Private(address)),
                "{text}"
            );
            assert_eq!(check_address(address, true), Ok(()), "{text} allowed");
        }
        for text in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:1.1.1.1",
        ] {
            let address: IpAddr = text.parse().expect("an address");
            assert_eq!(check_address(address, false), Ok(()), "{text}");
        }
    }
}

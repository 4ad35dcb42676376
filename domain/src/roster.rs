//! A program's roster: which of its enrollments it lists, by their status now and by whether
//! they were active on a given day.

use crate::dates::{Date, Period};

/// Whether an enrollment has exited, as it reads now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterStatus {
    /// Not exited: the people in the program now.
    Active,
    Exited,
    All,
}

/// Which enrollments a roster lists: those of `status` and, given a day, active on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RosterFilter {
    status: RosterStatus,
    active_on: Option<Date>,
}

impl RosterFilter {
    /// The status defaults to `Active`, the people in the program now; given a day alone, to
    /// `All`: everyone who was there that day, whether they have left since or not. Given
    /// both, an enrollment is listed when it passes both (`Active` with a day: there that
    /// day and still there; `Exited` with a day: there that day and gone since).
    pub fn new(status: Option<RosterStatus>, active_on: Option<Date>) -> RosterFilter {
        let default = match active_on {
            Some(_) => RosterStatus::All,
            None => RosterStatus::Active,
        };
        RosterFilter {
            status: status.unwrap_or(default),
            active_on,
        }
    }

    pub fn status(&self) -> RosterStatus {
        self.status
    }

    /// The day the listed enrollments were active on ([`Period::is_active_on`]), if any.
    pub fn active_on(&self) -> Option<Date> {
        self.active_on
    }

    /// Whether the roster lists an enrollment with this stay.
    pub fn admits(&self, stay: &Period) -> bool {
        let by_status = match self.status {
            RosterStatus::Active => stay.exit.is_none(),
            RosterStatus::Exited => stay.exit.is_some(),
            RosterStatus::All => true,
        };
        by_status && self.active_on.is_none_or(|day| stay.is_active_on(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn stay(entry: &str, exit: Option<&str>) -> Period {
        Period::new(date(entry), exit.map(date))
    }

    #[test]
    fn the_status_defaults_to_active_and_to_all_with_a_day() {
        assert_eq!(RosterFilter::new(None, None).status(), RosterStatus::Active);
        let day = Some(date("2024-03-01"));
        assert_eq!(RosterFilter::new(None, day).status(), RosterStatus::All);
        let exited = RosterFilter::new(Some(RosterStatus::Exited), day);
        assert_eq!(
            (exited.status(), exited.active_on()),
            (RosterStatus::Exited, day)
        );
    }

    #[test]
    fn the_status_alone_reads_the_exit() {
        let open = stay("2024-01-10", None);
        let exited = stay("2024-01-10", Some("2024-01-20"));
        let filter = |status| RosterFilter::new(Some(status), None);
        assert!(filter(RosterStatus::Active).admits(&open));
        assert!(!filter(RosterStatus::Active).admits(&exited));
        assert!(!filter(RosterStatus::Exited).admits(&open));
        assert!(filter(RosterStatus::Exited).admits(&exited));
        assert!(filter(RosterStatus::All).admits(&open));
        assert!(filter(RosterStatus::All).admits(&exited));
        assert!(RosterFilter::new(None, None).admits(&open));
        assert!(!RosterFilter::new(None, None).admits(&exited));
    }

    #[test]
    fn a_day_lists_the_stays_active_on_it_at_their_edge_dates() {
        let exited = stay("2024-01-10", Some("2024-01-20"));
        let on = |day: &str| RosterFilter::new(None, Some(date(day))).admits(&exited);
        assert!(!on("2024-01-09"), "the day before entry");
        assert!(on("2024-01-10"), "the entry date");
        assert!(on("2024-01-19"), "the day before exit");
        assert!(!on("2024-01-20"), "the exit date");
        assert!(!on("2024-01-21"), "the day after exit");
        let open = stay("2024-01-10", None);
        let on_open = |day: &str| RosterFilter::new(None, Some(date(day))).admits(&open);
        assert!(!on_open("2024-01-09"));
        assert!(on_open("2024-01-10"));
        assert!(on_open("2030-01-01"));
    }

    #[test]
    fn a_status_and_a_day_both_apply() {
        let open = stay("2024-01-10", None);
        let exited = stay("2024-01-10", Some("2024-01-20"));
        let day = Some(date("2024-01-15"));
        let active = RosterFilter::new(Some(RosterStatus::Active), day);
        assert!(active.admits(&open));
        assert!(!active.admits(&exited), "there that day, but gone since");
        let gone = RosterFilter::new(Some(RosterStatus::Exited), day);
        assert!(!gone.admits(&open));
        assert!(gone.admits(&exited));
        let later = Some(date("2024-01-20"));
        assert!(!RosterFilter::new(Some(RosterStatus::Exited), later).admits(&exited));
        assert!(RosterFilter::new(Some(RosterStatus::All), later).admits(&open));
    }
}

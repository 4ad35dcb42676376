//! Calendar dates as the contract writes them, and enrollment periods.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rules::FieldError;

/// A calendar date written exactly `YYYY-MM-DD` (a real day of years 1000-9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

/// Text that is not a `YYYY-MM-DD` date, or names a day that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date in the form YYYY-MM-DD of a year from 1000 to 9999")]
pub struct InvalidDate(pub String);

impl Date {
    pub fn parse(text: &str) -> Result<Date, InvalidDate> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit());
        if !shaped {
            return Err(InvalidDate(text.to_owned()));
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|date| date.year() >= 1000)
            .map(Date)
            .ok_or_else(|| InvalidDate(text.to_owned()))
    }

    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).map(Date)
    }

    pub const fn naive(self) -> NaiveDate {
        self.0
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).num_days()
    }

    pub fn succ(self) -> Date {
        Date(self.0.succ_opt().unwrap_or(self.0))
    }

    pub fn pred(self) -> Date {
        Date(self.0.pred_opt().unwrap_or(self.0))
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Date(date)
    }
}

impl From<Date> for NaiveDate {
    fn from(date: Date) -> Self {
        date.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // NaiveDate's own Display is YYYY-MM-DD (what `%Y-%m-%d` writes), without parsing
        // a format string each time.
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for Date {
    type Err = InvalidDate;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Date::parse(text)
    }
}

/// A stay: from the entry date up to, not including, the exit date; an open one runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub entry: Date,
    pub exit: Option<Date>,
}

impl Period {
    pub fn new(entry: Date, exit: Option<Date>) -> Period {
        Period { entry, exit }
    }

    /// Half-open periods overlap when each starts before the other ends. A stay that enters
    /// and exits on the same day is empty by that reading; it still clashes with a stay that
    /// was already running before that day and goes on after it.
    pub fn overlaps(&self, other: &Period) -> bool {
        match (self.is_empty(), other.is_empty()) {
            (true, _) => other.entry < self.entry && self.entry < other.end_exclusive(),
            (false, true) => other.overlaps(self),
            (false, false) => {
                self.entry < other.end_exclusive() && other.entry < self.end_exclusive()
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.exit.is_some_and(|exit| exit <= self.entry)
    }

    fn end_exclusive(&self) -> Date {
        self.exit.unwrap_or(Date(NaiveDate::MAX))
    }

    /// Whether the stay is active on a day: entered on or before it and not exited by then
    /// (leaving on a day means not being there that night, so a stay that enters and exits on
    /// the same day is active on no day). What reports count at the start and end of a range,
    /// and what a program's roster lists for a day.
    pub fn is_active_on(&self, day: Date) -> bool {
        self.entry <= day && self.exit.is_none_or(|exit| exit > day)
    }

    /// Whether a dated record (a service, an assessment) falls within the stay: from entry to
    /// exit, both days included, since services are recorded on the day someone leaves.
    pub fn covers(&self, date: Date) -> bool {
        date >= self.entry && self.exit.is_none_or(|exit| date <= exit)
    }
}

/// Inclusive date ranges such as a program's operating dates or a grant's term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub start: Date,
    pub end: Option<Date>,
}

impl DateRange {
    pub fn contains(&self, date: Date) -> bool {
        date >= self.start && self.end.is_none_or(|end| date <= end)
    }
}

/// Nothing recorded happened after today: a date in the future (the day after `today` or
/// later) is refused, today itself is fine.
pub fn check_not_future(field: &str, date: Option<Date>, today: Date) -> Option<FieldError> {
    date.filter(|date| *date > today).map(|_| in_future(field))
}

/// Callers' clocks run a little ahead of ours: a moment up to this many seconds after our
/// "now" is their "now", not the future.
pub const CLOCK_SKEW_SECONDS: i64 = 60;

/// A moment recorded as done (a follow-up's `completed_at`) is not in the future, allowing
/// for [`CLOCK_SKEW_SECONDS`].
pub fn check_moment_not_future(
    field: &str,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<FieldError> {
    let latest = now + chrono::Duration::seconds(CLOCK_SKEW_SECONDS);
    at.filter(|at| *at > latest).map(|_| in_future(field))
}

fn in_future(field: &str) -> FieldError {
    FieldError::new(field, "date.in_future", format!("{field} is in the future"))
}

/// The two dates of one record that bound a span (a program's operating dates, a grant's
/// term): the end, when there is one, is not before the start; both on one day is a span of
/// one day. The error names the end.
pub fn check_date_order(
    start_field: &str,
    start: Date,
    end_field: &str,
    end: Option<Date>,
) -> Option<FieldError> {
    end.filter(|end| *end < start).map(|_| {
        FieldError::new(
            end_field,
            "date.order",
            format!("{end_field} is before {start_field}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn parses_only_real_dates_in_the_contract_form() {
        assert_eq!(date("2024-02-29").to_string(), "2024-02-29");
        for bad in [
            "2024-02-30",
            "0000-00-00",
            "2023-02-29",
            "2024-2-01",
            "2024/02/01",
            "20240201",
            "+02024-02-01",
            "2024-02-01T00:00:00",
            "0999-12-31",
            "",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn serde_round_trip() {
        let parsed: Date = serde_json::from_str("\"2025-10-01\"").unwrap();
        assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"2025-10-01\"");
        assert!(serde_json::from_str::<Date>("\"2025-13-01\"").is_err());
        assert!(serde_json::from_str::<Date>("20251001").is_err());
    }

    #[test]
    fn new_entry_on_the_day_of_an_earlier_exit_does_not_overlap() {
        let earlier = Period::new(date("2024-01-01"), Some(date("2024-03-01")));
        let same_day = Period::new(date("2024-03-01"), None);
        let day_before = Period::new(date("2024-02-29"), None);
        assert!(!earlier.overlaps(&same_day));
        assert!(!same_day.overlaps(&earlier));
        assert!(earlier.overlaps(&day_before));
        assert!(day_before.overlaps(&earlier));
    }

    #[test]
    fn open_periods_run_on_forever() {
        let open = Period::new(date("2020-01-01"), None);
        let much_later = Period::new(date("2030-01-01"), Some(date("2030-02-01")));
        assert!(open.overlaps(&much_later));
        let ended_before = Period::new(date("2019-01-01"), Some(date("2020-01-01")));
        assert!(!open.overlaps(&ended_before));
        let ended_day_after = Period::new(date("2019-01-01"), Some(date("2020-01-02")));
        assert!(open.overlaps(&ended_day_after));
    }

    #[test]
    fn same_day_stays_clash_only_with_stays_running_through_them() {
        let same_day = Period::new(date("2024-05-05"), Some(date("2024-05-05")));
        assert!(!same_day.overlaps(&Period::new(date("2024-05-05"), None)));
        assert!(!same_day.overlaps(&Period::new(date("2024-05-06"), None)));
        assert!(!same_day.overlaps(&same_day));
        let running = Period::new(date("2024-05-04"), None);
        assert!(same_day.overlaps(&running));
        assert!(running.overlaps(&same_day));
        let ending_that_day = Period::new(date("2024-05-01"), Some(date("2024-05-05")));
        assert!(!same_day.overlaps(&ending_that_day));
    }

    #[test]
    fn active_from_the_entry_date_until_the_day_before_the_exit() {
        let stay = Period::new(date("2024-01-10"), Some(date("2024-01-20")));
        assert!(
            !stay.is_active_on(date("2024-01-09")),
            "the day before entry"
        );
        assert!(stay.is_active_on(date("2024-01-10")), "the entry date");
        assert!(stay.is_active_on(date("2024-01-19")), "the day before exit");
        assert!(!stay.is_active_on(date("2024-01-20")), "the exit date");
        assert!(!stay.is_active_on(date("2024-01-21")), "the day after exit");
        let open = Period::new(date("2024-01-10"), None);
        assert!(!open.is_active_on(date("2024-01-09")));
        assert!(open.is_active_on(date("2024-01-10")));
        assert!(open.is_active_on(date("2099-01-01")));
        let same_day = Period::new(date("2024-05-05"), Some(date("2024-05-05")));
        for day in ["2024-05-04", "2024-05-05", "2024-05-06"] {
            assert!(
                !same_day.is_active_on(date(day)),
                "a same-day stay on {day}"
            );
        }
    }

    #[test]
    fn covers_includes_both_ends() {
        let stay = Period::new(date("2024-01-10"), Some(date("2024-01-20")));
        assert!(stay.covers(date("2024-01-10")));
        assert!(stay.covers(date("2024-01-20")));
        assert!(!stay.covers(date("2024-01-09")));
        assert!(!stay.covers(date("2024-01-21")));
        assert!(Period::new(date("2024-01-10"), None).covers(date("2099-01-01")));
    }

    #[test]
    fn ranges_are_inclusive() {
        let range = DateRange {
            start: date("2024-01-01"),
            end: Some(date("2024-12-31")),
        };
        assert!(range.contains(date("2024-01-01")));
        assert!(range.contains(date("2024-12-31")));
        assert!(!range.contains(date("2023-12-31")));
        assert!(!range.contains(date("2025-01-01")));
        let open = DateRange {
            start: date("2024-01-01"),
            end: None,
        };
        assert!(open.contains(date("2099-01-01")));
    }

    #[test]
    fn today_is_not_in_the_future_tomorrow_is() {
        let today = date("2025-06-01");
        assert_eq!(check_not_future("dob", Some(today), today), None);
        assert_eq!(check_not_future("dob", Some(today.pred()), today), None);
        assert_eq!(check_not_future("dob", None, today), None);
        let error = check_not_future("exit_date", Some(today.succ()), today).unwrap();
        assert_eq!(error.field, "exit_date");
        assert_eq!(error.code, "date.in_future");
        assert_eq!(error.message, "exit_date is in the future");
        // The import's columns read the same.
        let error = check_not_future("DOB", Some(date("2025-12-31")), today).unwrap();
        assert_eq!(error.message, "DOB is in the future");
    }

    #[test]
    fn moments_may_run_a_minute_ahead_of_our_clock() {
        let now = DateTime::parse_from_rfc3339("2025-06-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let seconds = chrono::Duration::seconds;
        for fine in [
            now - seconds(86_400),
            now,
            now + seconds(CLOCK_SKEW_SECONDS),
        ] {
            assert_eq!(
                check_moment_not_future("completed_at", Some(fine), now),
                None
            );
        }
        let error = check_moment_not_future(
            "completed_at",
            Some(now + seconds(CLOCK_SKEW_SECONDS) + chrono::Duration::microseconds(1)),
            now,
        )
        .unwrap();
        assert_eq!(
            (error.field.as_str(), error.code, error.message.as_str()),
            (
                "completed_at",
                "date.in_future",
                "completed_at is in the future"
            )
        );
        assert_eq!(check_moment_not_future("completed_at", None, now), None);
    }

    #[test]
    fn an_end_on_the_start_day_is_fine_a_day_before_is_not() {
        let start = date("2024-07-01");
        let order = |end: Option<Date>| check_date_order("start_date", start, "end_date", end);
        assert_eq!(order(None), None);
        assert_eq!(order(Some(start)), None);
        assert_eq!(order(Some(start.succ())), None);
        let error = order(Some(start.pred())).unwrap();
        assert_eq!(error.field, "end_date");
        assert_eq!(error.code, "date.order");
        assert_eq!(error.message, "end_date is before start_date");
    }
}

//! Programs (HUD 2.02 Project Information) and their grants (HUD 2.06 Funding Sources): what a
//! program's or a grant's own data must hold, before any enrollment is checked against them.

use crate::codes::FundingSource;
use crate::dates::{check_date_order, Date};
use crate::rules::FieldError;

/// The first day of FY2026's data standards, which retired funding sources 47 (ESG-CV) and
/// 48 (HOPWA-CV) (12 and 49 were retired before).
pub fn fy2026_start() -> Date {
    Date::parse("2025-10-01").expect("a date")
}

/// A funding source (2.06.1) FY2026 no longer lists, kept on the grants that ended before it
/// (HMIS CSV FY2026: a grant's history is kept as it was recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetiredFundingSource {
    /// Retired before FY2024.
    Twelve,
    /// HUD: ESG - CV (FY2024).
    EsgCv,
    /// HUD: HOPWA - CV (FY2024).
    HopwaCv,
    /// Retired before FY2024.
    FortyNine,
}

impl RetiredFundingSource {
    pub const ALL: [RetiredFundingSource; 4] = [
        RetiredFundingSource::Twelve,
        RetiredFundingSource::EsgCv,
        RetiredFundingSource::HopwaCv,
        RetiredFundingSource::FortyNine,
    ];

    pub const fn code(self) -> i32 {
        match self {
            RetiredFundingSource::Twelve => 12,
            RetiredFundingSource::EsgCv => 47,
            RetiredFundingSource::HopwaCv => 48,
            RetiredFundingSource::FortyNine => 49,
        }
    }

    pub fn of(code: i32) -> Option<RetiredFundingSource> {
        Self::ALL.into_iter().find(|retired| retired.code() == code)
    }
}

/// A grant's funding source: one FY2026 lists, or one it retired, on a grant that ended
/// before FY2026 began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantFunder {
    Current(FundingSource),
    Retired(RetiredFundingSource),
}

impl GrantFunder {
    pub fn code(self) -> i32 {
        match self {
            GrantFunder::Current(funder) => funder.code(),
            GrantFunder::Retired(retired) => retired.code(),
        }
    }

    /// The funder a stored grant holds: a current code or a retired one; `None` for any
    /// other number.
    pub fn stored(code: i32) -> Option<GrantFunder> {
        FundingSource::try_from(code)
            .ok()
            .map(GrantFunder::Current)
            .or_else(|| RetiredFundingSource::of(code).map(GrantFunder::Retired))
    }

    /// The funder of a grant recorded elsewhere (an import): a retired code is kept for a
    /// grant that ended before FY2026 (`Ok` with a warning to say so), and refused for one
    /// that did not (`invalid`), as any number that is no funding source is
    /// (`unknown_code`).
    pub fn recorded(
        code: i32,
        end: Option<Date>,
    ) -> Result<(GrantFunder, Option<String>), FieldError> {
        if let Ok(funder) = FundingSource::try_from(code) {
            return Ok((GrantFunder::Current(funder), None));
        }
        let Some(retired) = RetiredFundingSource::of(code) else {
            return Err(FieldError::new(
                "funder",
                "unknown_code",
                format!("{code} is not a code of HUD list 2.06.1 FundingSource"),
            ));
        };
        match check_retired_funder(retired, end) {
            Some(refused) => Err(refused),
            None => Ok((
                GrantFunder::Retired(retired),
                Some(format!(
                    "funding source {code} was retired in FY2026: kept for this grant, which \
                     ended before 2025-10-01"
                )),
            )),
        }
    }

    /// Whether the funder asks for the funder's name (46, local or other).
    pub fn asks_other_funder(self) -> bool {
        matches!(self, GrantFunder::Current(funder) if funder.asks_other_funder())
    }
}

/// A retired funding source belongs to a grant that ended before FY2026 began; refused
/// (`funder`, `invalid`) on one still open then.
pub fn check_retired_funder(
    retired: RetiredFundingSource,
    end: Option<Date>,
) -> Option<FieldError> {
    if end.is_some_and(|end| end < fy2026_start()) {
        return None;
    }
    Some(FieldError::new(
        "funder",
        "invalid",
        format!(
            "funding source {} was retired in FY2026: only a grant that ended before \
             2025-10-01 keeps it",
            retired.code()
        ),
    ))
}

/// A program's own data: its operating start and end dates (HUD 2.02) in order, and a
/// capacity and an auto-exit period, when set, of at least 1.
pub fn check_program(
    operating_start: Date,
    operating_end: Option<Date>,
    capacity: Option<i32>,
    auto_exit_days: Option<i32>,
) -> Vec<FieldError> {
    [
        check_date_order(
            "operating_start_date",
            operating_start,
            "operating_end_date",
            operating_end,
        ),
        check_capacity(capacity),
        check_auto_exit_days(auto_exit_days),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A program holds at most `capacity` active enrollments: one at least; none is unlimited.
pub fn check_capacity(capacity: Option<i32>) -> Option<FieldError> {
    at_least_one("capacity", capacity)
}

/// Enrollments idle for `auto_exit_days` days are exited: one day at least; none is never.
pub fn check_auto_exit_days(auto_exit_days: Option<i32>) -> Option<FieldError> {
    at_least_one("auto_exit_days", auto_exit_days)
}

fn at_least_one(field: &str, value: Option<i32>) -> Option<FieldError> {
    value
        .filter(|value| *value < 1)
        .map(|_| FieldError::new(field, "invalid", format!("{field} must be at least 1")))
}

/// A grant's own data (HUD 2.06 Funding Sources): the funder's name given with funder 46
/// (local or other) and only with it, and its start and end dates in order.
pub fn check_grant(
    funder: FundingSource,
    other_funder: Option<&str>,
    start: Date,
    end: Option<Date>,
) -> Vec<FieldError> {
    let other_funder = match (funder.asks_other_funder(), other_funder.is_some()) {
        (true, false) => Some(FieldError::new(
            "other_funder",
            "required",
            "other_funder is required when funder is 46 (local or other)",
        )),
        (false, true) => Some(FieldError::new(
            "other_funder",
            "not_allowed",
            "other_funder is only for funder 46 (local or other)",
        )),
        _ => None,
    };
    [
        other_funder,
        check_date_order("start_date", start, "end_date", end),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retired_funding_source_is_kept_only_on_a_grant_that_ended_before_fy2026() {
        let day = |text| Date::parse(text).unwrap();
        for code in [12, 47, 48, 49] {
            let (funder, warning) =
                GrantFunder::recorded(code, Some(day("2025-09-30"))).expect("kept");
            assert_eq!(funder.code(), code);
            assert!(warning.is_some_and(|text| text.contains("2025-10-01")));
            assert_eq!(GrantFunder::stored(code), Some(funder));
            for end in [Some(day("2025-10-01")), None] {
                let refused = GrantFunder::recorded(code, end).expect_err("refused");
                assert_eq!(
                    (refused.field.as_str(), refused.code),
                    ("funder", "invalid")
                );
            }
        }
        assert_eq!(
            GrantFunder::recorded(2, None),
            Ok((
                GrantFunder::Current(FundingSource::try_from(2).unwrap()),
                None
            ))
        );
        let unknown = GrantFunder::recorded(57, Some(day("2020-01-01"))).expect_err("no code");
        assert_eq!(unknown.code, "unknown_code");
        assert_eq!(GrantFunder::stored(57), None);
        assert!(!GrantFunder::Retired(RetiredFundingSource::EsgCv).asks_other_funder());
    }
    use crate::codes::CodeList;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn fields(errors: Vec<FieldError>) -> Vec<(String, &'static str, String)> {
        errors
            .into_iter()
            .map(|error| (error.field, error.code, error.message))
            .collect()
    }

    fn error(field: &str, code: &'static str, message: &str) -> (String, &'static str, String) {
        (field.to_owned(), code, message.to_owned())
    }

    #[test]
    fn operating_end_on_the_start_day_is_fine_a_day_before_is_not() {
        let start = date("2020-01-01");
        assert_eq!(check_program(start, None, None, None), []);
        assert_eq!(check_program(start, Some(start), None, None), []);
        assert_eq!(check_program(start, Some(start.succ()), None, None), []);
        assert_eq!(
            fields(check_program(start, Some(start.pred()), None, None)),
            [error(
                "operating_end_date",
                "date.order",
                "operating_end_date is before operating_start_date"
            )]
        );
    }

    #[test]
    fn capacity_and_auto_exit_days_are_at_least_one_or_unset() {
        for fine in [None, Some(1), Some(40), Some(i32::MAX)] {
            assert_eq!(check_capacity(fine), None);
            assert_eq!(check_auto_exit_days(fine), None);
        }
        for refused in [Some(0), Some(-1), Some(i32::MIN)] {
            let capacity = check_capacity(refused).unwrap();
            assert_eq!(
                (
                    capacity.field.as_str(),
                    capacity.code,
                    capacity.message.as_str()
                ),
                ("capacity", "invalid", "capacity must be at least 1")
            );
            let days = check_auto_exit_days(refused).unwrap();
            assert_eq!(
                (days.field.as_str(), days.code, days.message.as_str()),
                (
                    "auto_exit_days",
                    "invalid",
                    "auto_exit_days must be at least 1"
                )
            );
        }
    }

    #[test]
    fn every_program_error_is_listed_in_field_order() {
        let start = date("2020-01-01");
        let found: Vec<String> = check_program(start, Some(start.pred()), Some(0), Some(0))
            .into_iter()
            .map(|error| error.field)
            .collect();
        assert_eq!(found, ["operating_end_date", "capacity", "auto_exit_days"]);
    }

    #[test]
    fn only_funder_46_takes_and_needs_the_funders_name() {
        let start = date("2025-07-01");
        for (code, _) in FundingSource::CODES {
            let funder = FundingSource::try_from(*code).unwrap();
            let named = fields(check_grant(funder, Some("County"), start, None));
            let unnamed = fields(check_grant(funder, None, start, None));
            if *code == 46 {
                assert_eq!(named, []);
                assert_eq!(
                    unnamed,
                    [error(
                        "other_funder",
                        "required",
                        "other_funder is required when funder is 46 (local or other)"
                    )]
                );
            } else {
                assert_eq!(unnamed, [], "funder {code}");
                assert_eq!(
                    named,
                    [error(
                        "other_funder",
                        "not_allowed",
                        "other_funder is only for funder 46 (local or other)"
                    )],
                    "funder {code}"
                );
            }
        }
    }

    #[test]
    fn grant_end_on_the_start_day_is_fine_a_day_before_is_not() {
        let funder = FundingSource::try_from(2).unwrap();
        let start = date("2025-07-01");
        assert_eq!(check_grant(funder, None, start, None), []);
        assert_eq!(check_grant(funder, None, start, Some(start)), []);
        assert_eq!(
            fields(check_grant(
                funder,
                Some("County"),
                start,
                Some(start.pred())
            )),
            [
                error(
                    "other_funder",
                    "not_allowed",
                    "other_funder is only for funder 46 (local or other)"
                ),
                error("end_date", "date.order", "end_date is before start_date"),
            ]
        );
    }
}

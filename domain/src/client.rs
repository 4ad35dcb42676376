//! Clients: the person's identifying data, as HUD's universal data elements describe it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::codes::NoYesMissing;
use crate::dates::Date;
use crate::rules::FieldError;

/// A full Social Security number: exactly nine digits. Never shown again once written.
#[derive(Clone, PartialEq, Eq)]
pub struct Ssn(String);

impl Ssn {
    pub fn parse(text: &str) -> Result<Ssn, String> {
        if text.len() == 9 && text.bytes().all(|byte| byte.is_ascii_digit()) {
            Ok(Ssn(text.to_owned()))
        } else {
            Err("an SSN is exactly 9 digits, without separators".to_owned())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn last4(&self) -> &str {
        &self.0[5..]
    }
}

/// Shows only the last four digits, so an SSN never lands in a log whole.
impl fmt::Debug for Ssn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ssn(*****{})", self.last4())
    }
}

impl<'de> Deserialize<'de> for Ssn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ssn::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// HUD 3.04 race and ethnicity categories; a client may have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaceEthnicity {
    AmIndAkNative,
    Asian,
    BlackAfAmerican,
    HispanicLatinaeo,
    MidEastNAfrican,
    NativeHiPacific,
    White,
}

impl RaceEthnicity {
    pub const ALL: [RaceEthnicity; 7] = [
        RaceEthnicity::AmIndAkNative,
        RaceEthnicity::Asian,
        RaceEthnicity::BlackAfAmerican,
        RaceEthnicity::HispanicLatinaeo,
        RaceEthnicity::MidEastNAfrican,
        RaceEthnicity::NativeHiPacific,
        RaceEthnicity::White,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            RaceEthnicity::AmIndAkNative => "am_ind_ak_native",
            RaceEthnicity::Asian => "asian",
            RaceEthnicity::BlackAfAmerican => "black_af_american",
            RaceEthnicity::HispanicLatinaeo => "hispanic_latinaeo",
            RaceEthnicity::MidEastNAfrican => "mid_east_n_african",
            RaceEthnicity::NativeHiPacific => "native_hi_pacific",
            RaceEthnicity::White => "white",
        }
    }

    pub fn parse(text: &str) -> Option<RaceEthnicity> {
        Self::ALL.into_iter().find(|race| race.as_str() == text)
    }
}

/// A client's race and ethnicity answer: either categories, or why there are none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaceAnswer {
    pub categories: Vec<RaceEthnicity>,
    pub race_none: Option<NoYesMissing>,
}

impl RaceAnswer {
    /// `race_none` must be 8, 9 or 99, and only when no category is given; with neither,
    /// the answer is "data not collected" (99).
    pub fn new(
        mut categories: Vec<RaceEthnicity>,
        race_none: Option<NoYesMissing>,
    ) -> Result<RaceAnswer, FieldError> {
        categories.sort();
        categories.dedup();
        match (categories.is_empty(), race_none) {
            (true, None) => Ok(RaceAnswer {
                categories,
                race_none: Some(NoYesMissing::NOT_COLLECTED),
            }),
            (true, Some(reason)) if matches!(reason.code(), 8 | 9 | 99) => Ok(RaceAnswer {
                categories,
                race_none: Some(reason),
            }),
            (true, Some(_)) => Err(FieldError::new(
                "race_none",
                "invalid",
                "race_none must be 8, 9 or 99",
            )),
            (false, None) => Ok(RaceAnswer {
                categories,
                race_none: None,
            }),
            (false, Some(_)) => Err(FieldError::new(
                "race_none",
                "invalid",
                "race_none is only for a client with no race_ethnicity",
            )),
        }
    }
}

/// The date of birth must not be in the future.
pub fn check_dob(dob: Option<Date>, today: Date) -> Option<FieldError> {
    dob.filter(|dob| *dob > today)
        .map(|_| FieldError::new("dob", "date.in_future", "dob is in the future"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssn_is_nine_digits() {
        let ssn = Ssn::parse("123456789").unwrap();
        assert_eq!(ssn.last4(), "6789");
        assert_eq!(format!("{ssn:?}"), "Ssn(*****6789)");
        for bad in ["12345678", "1234567890", "123-45-6789", "12345678a", ""] {
            assert!(Ssn::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn race_none_only_without_categories() {
        let missing = RaceAnswer::new(vec![], None).unwrap();
        assert_eq!(missing.race_none.map(|code| code.code()), Some(99));
        let refused = RaceAnswer::new(vec![], Some(NoYesMissing::try_from(9).unwrap())).unwrap();
        assert_eq!(refused.race_none.map(|code| code.code()), Some(9));
        assert!(RaceAnswer::new(vec![], Some(NoYesMissing::try_from(1).unwrap())).is_err());
        assert!(RaceAnswer::new(
            vec![RaceEthnicity::Asian],
            Some(NoYesMissing::try_from(99).unwrap())
        )
        .is_err());
        let listed = RaceAnswer::new(
            vec![
                RaceEthnicity::White,
                RaceEthnicity::Asian,
                RaceEthnicity::White,
            ],
            None,
        )
        .unwrap();
        assert_eq!(
            listed.categories,
            vec![RaceEthnicity::Asian, RaceEthnicity::White]
        );
    }

    #[test]
    fn race_names_round_trip() {
        for race in RaceEthnicity::ALL {
            assert_eq!(RaceEthnicity::parse(race.as_str()), Some(race));
            let json = serde_json::to_string(&race).unwrap();
            assert_eq!(json, format!("\"{}\"", race.as_str()));
        }
        assert_eq!(RaceEthnicity::parse("martian"), None);
    }

    #[test]
    fn dob_not_in_future() {
        let today = Date::parse("2025-06-01").unwrap();
        assert!(check_dob(Some(today), today).is_none());
        assert!(check_dob(Some(today.succ()), today).is_some());
        assert!(check_dob(None, today).is_none());
    }
}

//! Clients: the person's identifying data, as HUD's universal data elements describe it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::codes::{NoYesMissing, RaceNone};
use crate::rules::{FieldError, Rule, RuleViolation, Violations};

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

    /// The names of the Client.csv column that flags the category (1 = yes); the first is
    /// the one our export writes. Hispanic/Latina/e/o is spelled two ways across the HMIS CSV
    /// versions: FY2024's `HispanicLatinaeo` and FY2026's `HispanicLatinao`.
    pub const fn csv_columns(self) -> &'static [&'static str] {
        match self {
            RaceEthnicity::AmIndAkNative => &["AmIndAKNative"],
            RaceEthnicity::Asian => &["Asian"],
            RaceEthnicity::BlackAfAmerican => &["BlackAfAmerican"],
            RaceEthnicity::HispanicLatinaeo => &["HispanicLatinaeo", "HispanicLatinao"],
            RaceEthnicity::MidEastNAfrican => &["MidEastNAfrican"],
            RaceEthnicity::NativeHiPacific => &["NativeHIPacific"],
            RaceEthnicity::White => &["White"],
        }
    }
}

/// Categories as a client's record stores them: their names, comma separated, each once, in
/// the fixed order of [`RaceEthnicity::ALL`] (`asian,white`); none is the empty text.
pub fn races_to_text(races: &[RaceEthnicity]) -> String {
    let mut sorted = races.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|race| race.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The categories of a stored text (see [`races_to_text`]); a name it does not know is
/// skipped.
pub fn races_from_text(text: &str) -> Vec<RaceEthnicity> {
    text.split(',')
        .filter_map(|name| RaceEthnicity::parse(name.trim()))
        .collect()
}

/// A client's race and ethnicity answer (HUD 3.04): either categories, or why there are
/// none (1.6 RaceNone: 8, 9 or 99), never both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaceAnswer {
    categories: Vec<RaceEthnicity>,
    race_none: Option<RaceNone>,
}

impl RaceAnswer {
    /// `race_none` must be 8, 9 or 99, and only when no category is given; with neither,
    /// the answer is "data not collected" (99).
    pub fn new(
        categories: Vec<RaceEthnicity>,
        race_none: Option<NoYesMissing>,
    ) -> Result<RaceAnswer, FieldError> {
        if !categories.is_empty() && race_none.is_some() {
            return Err(FieldError::new(
                "race_none",
                "invalid",
                "race_none is only for a client with no race_ethnicity",
            ));
        }
        let race_none = race_none
            .map(|reason| reason_for_none("race_none", reason))
            .transpose()?;
        Ok(RaceAnswer::answered(categories, race_none))
    }

    /// The answer as Client.csv gives it: a flag column per category and RaceNone. RaceNone
    /// must be 8, 9 or 99 whenever given, and counts only when no category is flagged (99
    /// when blank then); beside a flagged category it is dropped.
    pub fn from_csv(
        categories: Vec<RaceEthnicity>,
        race_none: Option<NoYesMissing>,
    ) -> Result<RaceAnswer, FieldError> {
        let race_none = race_none
            .map(|reason| reason_for_none("RaceNone", reason))
            .transpose()?;
        let race_none = race_none.filter(|_| categories.is_empty());
        Ok(RaceAnswer::answered(categories, race_none))
    }

    /// No category and no reason: "data not collected".
    pub fn not_collected() -> RaceAnswer {
        RaceAnswer::answered(Vec::new(), None)
    }

    fn answered(mut categories: Vec<RaceEthnicity>, race_none: Option<RaceNone>) -> RaceAnswer {
        categories.sort();
        categories.dedup();
        let race_none = if categories.is_empty() {
            Some(race_none.unwrap_or(RaceNone::NOT_COLLECTED))
        } else {
            None
        };
        RaceAnswer {
            categories,
            race_none,
        }
    }

    /// The categories, each once, in the fixed order.
    pub fn categories(&self) -> &[RaceEthnicity] {
        &self.categories
    }

    /// Why there is no category; `None` exactly when there are categories.
    pub fn race_none(&self) -> Option<RaceNone> {
        self.race_none
    }

    /// The categories as the client's record stores them (see [`races_to_text`]).
    pub fn categories_text(&self) -> String {
        races_to_text(&self.categories)
    }
}

fn reason_for_none(field: &str, reason: NoYesMissing) -> Result<RaceNone, FieldError> {
    RaceNone::try_from(reason.code())
        .map_err(|_| FieldError::new(field, "invalid", format!("{field} must be 8, 9 or 99")))
}

/// A client with enrollments is not deleted: the enrollments would lose their client.
pub fn check_delete(has_enrollments: bool) -> Result<(), Violations> {
    if has_enrollments {
        return Err(Violations::one(RuleViolation::new(
            Rule::ClientHasEnrollments,
            None,
            "the client has enrollments; delete them first",
        )));
    }
    Ok(())
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

    fn no_yes(code: i32) -> NoYesMissing {
        NoYesMissing::try_from(code).unwrap()
    }

    fn reason(answer: &RaceAnswer) -> Option<i32> {
        answer.race_none().map(RaceNone::code)
    }

    #[test]
    fn race_none_is_8_9_or_99_and_only_without_categories() {
        let missing = RaceAnswer::new(vec![], None).unwrap();
        assert_eq!(reason(&missing), Some(99));
        assert!(missing.categories().is_empty());
        for code in [8, 9, 99] {
            let answer = RaceAnswer::new(vec![], Some(no_yes(code))).unwrap();
            assert_eq!(reason(&answer), Some(code));
        }
        for code in [0, 1] {
            let error = RaceAnswer::new(vec![], Some(no_yes(code))).unwrap_err();
            assert_eq!(
                (error.field.as_str(), error.code, error.message.as_str()),
                ("race_none", "invalid", "race_none must be 8, 9 or 99")
            );
        }
        for code in [0, 1, 8, 9, 99] {
            let error =
                RaceAnswer::new(vec![RaceEthnicity::Asian], Some(no_yes(code))).unwrap_err();
            assert_eq!(
                (error.field.as_str(), error.code, error.message.as_str()),
                (
                    "race_none",
                    "invalid",
                    "race_none is only for a client with no race_ethnicity"
                )
            );
        }
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
            listed.categories(),
            [RaceEthnicity::Asian, RaceEthnicity::White]
        );
        assert_eq!(reason(&listed), None);
        assert_eq!(RaceAnswer::not_collected(), missing);
    }

    #[test]
    fn csv_race_none_counts_only_without_a_flagged_category() {
        let blank = RaceAnswer::from_csv(vec![], None).unwrap();
        assert_eq!(reason(&blank), Some(99));
        for code in [8, 9, 99] {
            let answer = RaceAnswer::from_csv(vec![], Some(no_yes(code))).unwrap();
            assert_eq!(reason(&answer), Some(code));
            let flagged =
                RaceAnswer::from_csv(vec![RaceEthnicity::White], Some(no_yes(code))).unwrap();
            assert_eq!(reason(&flagged), None);
            assert_eq!(flagged.categories(), [RaceEthnicity::White]);
        }
        for categories in [vec![], vec![RaceEthnicity::White]] {
            for code in [0, 1] {
                let error =
                    RaceAnswer::from_csv(categories.clone(), Some(no_yes(code))).unwrap_err();
                assert_eq!(
                    (error.field.as_str(), error.message.as_str()),
                    ("RaceNone", "RaceNone must be 8, 9 or 99")
                );
            }
        }
    }

    #[test]
    fn categories_are_stored_comma_separated_once_in_fixed_order() {
        assert_eq!(races_to_text(&[]), "");
        assert_eq!(races_to_text(&[RaceEthnicity::White]), "white");
        assert_eq!(
            races_to_text(&[
                RaceEthnicity::White,
                RaceEthnicity::AmIndAkNative,
                RaceEthnicity::White
            ]),
            "am_ind_ak_native,white"
        );
        assert_eq!(races_to_text(&RaceEthnicity::ALL), {
            let names: Vec<&str> = RaceEthnicity::ALL
                .iter()
                .map(|race| race.as_str())
                .collect();
            names.join(",")
        });
        let answer =
            RaceAnswer::new(vec![RaceEthnicity::White, RaceEthnicity::Asian], None).unwrap();
        assert_eq!(answer.categories_text(), "asian,white");
        assert_eq!(
            races_from_text(&answer.categories_text()),
            answer.categories()
        );
        assert_eq!(races_from_text(""), []);
        assert_eq!(
            races_from_text("asian,martian, white"),
            [RaceEthnicity::Asian, RaceEthnicity::White]
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
    fn each_category_has_its_client_csv_column() {
        let columns: Vec<&str> = RaceEthnicity::ALL
            .iter()
            .map(|race| race.csv_columns()[0])
            .collect();
        assert_eq!(
            columns,
            [
                "AmIndAKNative",
                "Asian",
                "BlackAfAmerican",
                "HispanicLatinaeo",
                "MidEastNAfrican",
                "NativeHIPacific",
                "White"
            ]
        );
        assert_eq!(
            RaceEthnicity::HispanicLatinaeo.csv_columns(),
            ["HispanicLatinaeo", "HispanicLatinao"]
        );
    }

    #[test]
    fn a_client_with_enrollments_is_not_deleted() {
        assert!(check_delete(false).is_ok());
        let error = check_delete(true).unwrap_err();
        assert_eq!(error.leading().rule, Rule::ClientHasEnrollments);
        assert_eq!(
            error.leading().message,
            "the client has enrollments; delete them first"
        );
        assert_eq!(error.leading().field, None);
    }
}

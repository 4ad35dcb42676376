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

/// An SSN as another system recorded it (HMIS CSV Client.SSN, 3.02): nine digits; a
/// partial one padded with `x` where digits are unknown (`xxx021232`, with SSNDataQuality
/// 2, "approximate or partial"); or hashed, when the export says its identifiers are
/// (Export.HashStatus 2, SHA-1, or 4, SHA-256: 40 or 64 hexadecimal characters). Kept as it
/// came, never returned (only the last four digits, when they are digits), exported as it
/// came.
#[derive(Clone, PartialEq, Eq)]
pub enum RecordedSsn {
    Full(Ssn),
    Partial(String),
    Hashed(String),
}

/// HMIS CSV 1.5 HashStatus codes of hashed identifiers.
pub const HASHED_SHA1: i32 = 2;
pub const HASHED_SHA256: i32 = 4;

impl RecordedSsn {
    /// Reads Client.SSN given the row's SSNDataQuality and the export's HashStatus.
    pub fn parse(
        text: &str,
        data_quality: Option<i32>,
        hash_status: Option<i32>,
    ) -> Result<RecordedSsn, String> {
        if let Ok(ssn) = Ssn::parse(text) {
            return Ok(RecordedSsn::Full(ssn));
        }
        let hex = |length: usize| {
            text.len() == length && text.bytes().all(|byte| byte.is_ascii_hexdigit())
        };
        match hash_status {
            Some(HASHED_SHA1) if hex(40) => return Ok(RecordedSsn::Hashed(text.to_owned())),
            Some(HASHED_SHA256) if hex(64) => return Ok(RecordedSsn::Hashed(text.to_owned())),
            _ => {}
        }
        let padded = text.len() == 9
            && text
                .bytes()
                .all(|byte| byte.is_ascii_digit() || byte.eq_ignore_ascii_case(&b'x'))
            && text.bytes().any(|byte| byte.is_ascii_digit());
        if padded && data_quality == Some(2) {
            return Ok(RecordedSsn::Partial(text.to_owned()));
        }
        Err(if padded {
            "a partial SSN padded with x is kept with SSNDataQuality 2 (approximate or partial)"
                .to_owned()
        } else {
            "an SSN is 9 digits, a partial one padded with x (SSNDataQuality 2), or a hash when \
             Export.csv's HashStatus is 2 (SHA-1, 40 hexadecimal characters) or 4 (SHA-256, 64)"
                .to_owned()
        })
    }

    /// As it came, to store and export.
    pub fn as_str(&self) -> &str {
        match self {
            RecordedSsn::Full(ssn) => ssn.as_str(),
            RecordedSsn::Partial(text) | RecordedSsn::Hashed(text) => text,
        }
    }

    /// The last four digits, when the SSN has them.
    pub fn last4(&self) -> Option<&str> {
        match self {
            RecordedSsn::Full(ssn) => Some(ssn.last4()),
            RecordedSsn::Partial(text) => {
                let last = &text[5..];
                last.bytes()
                    .all(|byte| byte.is_ascii_digit())
                    .then_some(last)
            }
            RecordedSsn::Hashed(_) => None,
        }
    }
}

/// Never the SSN itself, so it never lands in a log.
impl fmt::Debug for RecordedSsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordedSsn::Full(ssn) => write!(f, "{ssn:?}"),
            RecordedSsn::Partial(_) => write!(f, "RecordedSsn::Partial(*****{:?})", self.last4()),
            RecordedSsn::Hashed(_) => f.write_str("RecordedSsn::Hashed"),
        }
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
    /// the one our export writes (FY2026's). Hispanic/Latina/e/o is spelled two ways across
    /// the HMIS CSV versions: FY2026's `HispanicLatinao` and FY2024's `HispanicLatinaeo`.
    pub const fn csv_columns(self) -> &'static [&'static str] {
        match self {
            RaceEthnicity::AmIndAkNative => &["AmIndAKNative"],
            RaceEthnicity::Asian => &["Asian"],
            RaceEthnicity::BlackAfAmerican => &["BlackAfAmerican"],
            RaceEthnicity::HispanicLatinaeo => &["HispanicLatinao", "HispanicLatinaeo"],
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

/// What a client's identifying data holds, beside the data-quality codes that describe it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Identity {
    pub first_name: bool,
    pub last_name: bool,
    pub ssn: bool,
    pub dob: bool,
    /// HUD 3.01.5 Name Data Quality.
    pub name_data_quality: i32,
    /// HUD 3.02.2 SSN Data Quality.
    pub ssn_data_quality: i32,
    /// HUD 3.03.2 DOB Data Quality.
    pub dob_data_quality: i32,
}

/// The universal data elements' data-quality codes must not claim what is not there (HMIS
/// Data Standards FY2026 3.01, 3.02, 3.03): 1 "full name reported" needs a first and a last
/// name, 2 "partial, street name, or code name" at least one of them; 1 "full SSN reported"
/// needs the SSN; 1 "full DOB reported" and 2 "approximate or partial DOB" need a date of
/// birth. 8, 9 and 99 are answers with or without data (HUD's "client doesn't know",
/// "prefers not to answer" and "data not collected"), and the API's default when a code is
/// absent is 99, so a client is never refused for data it holds.
pub fn check_identity(identity: &Identity) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let names = (identity.first_name, identity.last_name);
    match identity.name_data_quality {
        1 if !(names.0 && names.1) => errors.push(FieldError::new(
            "name_data_quality",
            "invalid",
            "1 (full name reported) needs first_name and last_name",
        )),
        2 if !(names.0 || names.1) => errors.push(FieldError::new(
            "name_data_quality",
            "invalid",
            "2 (partial, street name or code name) needs first_name or last_name",
        )),
        _ => {}
    }
    if identity.ssn_data_quality == 1 && !identity.ssn {
        errors.push(FieldError::new(
            "ssn_data_quality",
            "invalid",
            "1 (full SSN reported) needs ssn",
        ));
    }
    if matches!(identity.dob_data_quality, 1 | 2) && !identity.dob {
        errors.push(FieldError::new(
            "dob_data_quality",
            "invalid",
            format!(
                "{} ({} DOB reported) needs dob",
                identity.dob_data_quality,
                if identity.dob_data_quality == 1 {
                    "full"
                } else {
                    "approximate or partial"
                }
            ),
        ));
    }
    errors
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
    fn ssns_recorded_elsewhere_are_kept_as_they_came() {
        let full = RecordedSsn::parse("123456789", Some(1), Some(1)).expect("nine digits");
        assert_eq!((full.as_str(), full.last4()), ("123456789", Some("6789")));
        let partial = RecordedSsn::parse("xxx021232", Some(2), Some(1)).expect("partial");
        assert_eq!(
            (partial.as_str(), partial.last4()),
            ("xxx021232", Some("1232"))
        );
        let unknown_end = RecordedSsn::parse("12345xxxx", Some(2), None).expect("partial");
        assert_eq!(unknown_end.last4(), None);
        // A partial SSN says so in its data quality.
        assert!(RecordedSsn::parse("xxx021232", Some(1), Some(1)).is_err());
        assert!(RecordedSsn::parse("xxxxxxxxx", Some(2), Some(1)).is_err());
        let sha256 = "a".repeat(64);
        let hashed = RecordedSsn::parse(&sha256, Some(1), Some(4)).expect("SHA-256");
        assert_eq!((hashed.as_str(), hashed.last4()), (sha256.as_str(), None));
        assert!(RecordedSsn::parse(&"b".repeat(40), Some(1), Some(2)).is_ok());
        // A hash where the export says its identifiers are not hashed, or of another length.
        assert!(RecordedSsn::parse(&sha256, Some(1), Some(1)).is_err());
        assert!(RecordedSsn::parse(&"b".repeat(40), Some(1), Some(4)).is_err());
        assert!(!format!("{hashed:?} {partial:?}").contains("021"));
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|error| error.field).collect()
    }

    #[test]
    fn data_quality_codes_do_not_claim_missing_data() {
        let full = Identity {
            first_name: true,
            last_name: true,
            ssn: true,
            dob: true,
            name_data_quality: 1,
            ssn_data_quality: 1,
            dob_data_quality: 1,
        };
        assert!(check_identity(&full).is_empty());
        // An anonymous client: nothing recorded, every code 99 (or 8, 9): answers all.
        for reason in [8, 9, 99] {
            let anonymous = Identity {
                name_data_quality: reason,
                ssn_data_quality: reason,
                dob_data_quality: reason,
                ..Identity::default()
            };
            assert!(check_identity(&anonymous).is_empty(), "{reason}");
        }
        // 3.01.5: 1 needs both names, 2 either.
        let first_only = Identity {
            last_name: false,
            ..full
        };
        assert_eq!(fields(check_identity(&first_only)), ["name_data_quality"]);
        let partial = Identity {
            name_data_quality: 2,
            ..first_only
        };
        assert!(check_identity(&partial).is_empty());
        let nameless = Identity {
            first_name: false,
            ..partial
        };
        assert_eq!(fields(check_identity(&nameless)), ["name_data_quality"]);
        // 3.02.2 and 3.03.2.
        let no_ssn_no_dob = Identity {
            ssn: false,
            dob: false,
            ..full
        };
        assert_eq!(
            fields(check_identity(&no_ssn_no_dob)),
            ["ssn_data_quality", "dob_data_quality"]
        );
        let approximate_dob = Identity {
            dob: false,
            dob_data_quality: 2,
            ..full
        };
        assert_eq!(
            fields(check_identity(&approximate_dob)),
            ["dob_data_quality"]
        );
        // A partial SSN is not one this API stores: 2 asks for nothing.
        let partial_ssn = Identity {
            ssn: false,
            ssn_data_quality: 2,
            ..full
        };
        assert!(check_identity(&partial_ssn).is_empty());
    }

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
                "HispanicLatinao",
                "MidEastNAfrican",
                "NativeHIPacific",
                "White"
            ]
        );
        assert_eq!(
            RaceEthnicity::HispanicLatinaeo.csv_columns(),
            ["HispanicLatinao", "HispanicLatinaeo"]
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

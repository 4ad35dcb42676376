//! HUD HMIS integer codes as types: a value of `Destination` is always a destination code.

mod conditional;
mod hud_list;
mod lists;
#[cfg(test)]
mod reference_tests;

use std::fmt;

pub use lists::*;

/// A HUD HMIS code list: its name in the Data Standards and every code with its label.
pub trait CodeList: Copy + Into<i32> + TryFrom<i32, Error = UnknownCode> {
    const NAME: &'static str;
    const CODES: &'static [(i32, &'static str)];
    /// The list as a value, for data that names lists (`hmis_csv`'s columns).
    const LIST: HudList;

    fn is_valid(code: i32) -> bool {
        Self::CODES.iter().any(|(known, _)| *known == code)
    }
}

/// "Client doesn't know", "prefers not to answer" and "data not collected" (1.6) are
/// answers of the 1.8 list too.
impl From<RaceNone> for NoYesMissing {
    fn from(reason: RaceNone) -> NoYesMissing {
        NoYesMissing(reason.0)
    }
}

/// A number that is not a code of the list it was given for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub list: &'static str,
    pub code: i64,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not a code of HUD list {}", self.code, self.list)
    }
}

impl std::error::Error for UnknownCode {}

macro_rules! code_list {
    ($ty:ident, $list:literal, [$(($code:literal, $label:literal)),* $(,)?]) => {
        #[doc = concat!("A code of HUD list ", $list, ".")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "i64", into = "i32")]
        pub struct $ty(pub(in crate::codes) i32);

        impl $ty {
            /// The integer code as the Data Standards write it.
            pub const fn code(self) -> i32 {
                self.0
            }

            /// The label the Data Standards give this code.
            pub fn label(self) -> &'static str {
                <Self as $crate::codes::CodeList>::CODES
                    .iter()
                    .find(|(code, _)| *code == self.0)
                    .map(|(_, label)| *label)
                    .unwrap_or_default()
            }
        }

        impl $crate::codes::CodeList for $ty {
            const NAME: &'static str = $list;
            const CODES: &'static [(i32, &'static str)] = &[$(($code, $label)),*];
            const LIST: $crate::codes::HudList = $crate::codes::HudList::$ty;
        }

        impl TryFrom<i32> for $ty {
            type Error = $crate::codes::UnknownCode;

            fn try_from(code: i32) -> Result<Self, Self::Error> {
                Self::try_from(i64::from(code))
            }
        }

        impl TryFrom<i64> for $ty {
            type Error = $crate::codes::UnknownCode;

            fn try_from(code: i64) -> Result<Self, Self::Error> {
                match i32::try_from(code) {
                    Ok(small) if <Self as $crate::codes::CodeList>::is_valid(small) => Ok(Self(small)),
                    _ => Err($crate::codes::UnknownCode { list: $list, code }),
                }
            }
        }

        impl From<$ty> for i32 {
            fn from(value: $ty) -> i32 {
                value.0
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

pub(crate) use code_list;

/// Codes the rules name.
impl RelationshipToHoh {
    pub const SELF_HEAD: Self = Self(1);

    pub fn is_head(self) -> bool {
        self == Self::SELF_HEAD
    }

    /// HUD 3.15: a member's relationship to the head (2-5), neither the head itself nor
    /// "data not collected"; what a head who steps down can become.
    pub fn is_relation_to_head(self) -> bool {
        matches!(self.0, 2..=5)
    }
}

impl Destination {
    pub const OTHER: Self = Self(17);
    pub const NO_EXIT_INTERVIEW: Self = Self(30);
    pub const RENTAL_WITH_ONGOING_SUBSIDY: Self = Self(435);

    /// HUD 3.12.A: destination 435 (rental by client, with ongoing housing subsidy) asks for
    /// the rental subsidy type; no other destination does.
    pub fn asks_subsidy_type(self) -> bool {
        self == Self::RENTAL_WITH_ONGOING_SUBSIDY
    }

    /// HUD 3.12: destination 17 (other) asks for a text saying where; no other destination
    /// does.
    pub fn asks_other_text(self) -> bool {
        self == Self::OTHER
    }
}

impl FundingSource {
    pub const LOCAL_OR_OTHER: Self = Self(46);

    /// HUD 2.06 Funding Sources: funder 46 (local or other funding source) asks for the
    /// funder's name ("if other, specify"); no other funder does.
    pub fn asks_other_funder(self) -> bool {
        self == Self::LOCAL_OR_OTHER
    }
}

impl ProjectType {
    /// Permanent housing projects (PSH, PH housing only, PH with services, RRH): the only
    /// ones where a housing move-in date means anything.
    pub fn is_permanent_housing(self) -> bool {
        matches!(self.0, 3 | 9 | 10 | 13)
    }

    /// Residential projects (HMIS Data Standards FY2026, 2.02.C and 2.07: the projects with a
    /// bed and unit inventory): emergency shelter (0, 1), transitional housing (2), safe haven
    /// (8) and permanent housing (3, 9, 10, 13). What a services-only project is affiliated
    /// with.
    pub fn is_residential(self) -> bool {
        matches!(self.0, 0 | 1 | 2 | 3 | 8 | 9 | 10 | 13)
    }

    /// Services only (6): the one project type HUD 2.02.C asks about affiliations.
    pub fn is_services_only(self) -> bool {
        self.0 == 6
    }
}

impl DataQuality {
    pub const CLIENT_DOESNT_KNOW: Self = Self(8);
    pub const NOT_COLLECTED: Self = Self(99);
}

impl NoYesMissing {
    pub const YES: Self = Self(1);
    pub const NOT_COLLECTED: Self = Self(99);

    pub fn is_yes(self) -> bool {
        self == Self::YES
    }
}

impl RaceNone {
    pub const NOT_COLLECTED: Self = Self(99);
}

impl Sex {
    pub const NOT_COLLECTED: Self = Self(99);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_for_no_race_is_a_no_yes_missing_answer() {
        for (code, _) in RaceNone::CODES {
            let reason = RaceNone::try_from(*code).expect("a 1.6 code");
            assert_eq!(NoYesMissing::from(reason).code(), *code);
            assert!(NoYesMissing::is_valid(*code));
        }
    }

    #[test]
    fn accepts_listed_codes_only() {
        assert_eq!(
            Destination::try_from(435_i32).unwrap(),
            Destination::RENTAL_WITH_ONGOING_SUBSIDY
        );
        assert!(Destination::try_from(436_i32).is_err());
        assert!(RentalSubsidyType::try_from(436_i32).is_ok());
        assert!(ProjectType::try_from(5_i32).is_err());
        assert!(FundingSource::try_from(i64::from(i32::MAX) + 1).is_err());
        assert!(RelationshipToHoh::try_from(-1_i32).is_err());
    }

    #[test]
    fn unknown_code_names_the_list() {
        let error = Sex::try_from(7_i32).unwrap_err();
        assert_eq!(error.to_string(), "7 is not a code of HUD list 4.21 Sex");
    }

    #[test]
    fn deserializes_through_the_list() {
        let code: LengthOfStay = serde_json::from_str("10").unwrap();
        assert_eq!(code.code(), 10);
        assert_eq!(code.label(), "One night or less");
        let error = serde_json::from_str::<LengthOfStay>("12").unwrap_err();
        assert!(error
            .to_string()
            .contains("12 is not a code of HUD list 3.917.2"));
        assert_eq!(serde_json::to_string(&code).unwrap(), "10");
    }

    /// Every code of a list that passes `keep`.
    fn codes_where<C: CodeList>(keep: impl Fn(C) -> bool) -> Vec<i32> {
        C::CODES
            .iter()
            .map(|(code, _)| *code)
            .filter(|code| keep(C::try_from(*code).unwrap()))
            .collect()
    }

    #[test]
    fn only_435_asks_for_a_subsidy_type_and_only_17_for_a_text() {
        assert_eq!(codes_where(Destination::asks_subsidy_type), vec![435]);
        assert_eq!(codes_where(Destination::asks_other_text), vec![17]);
    }

    #[test]
    fn only_funder_46_asks_for_the_funders_name() {
        assert_eq!(codes_where(FundingSource::asks_other_funder), vec![46]);
    }

    #[test]
    fn relations_to_the_head_are_2_to_5() {
        assert_eq!(
            codes_where(RelationshipToHoh::is_relation_to_head),
            vec![2, 3, 4, 5]
        );
    }

    #[test]
    fn only_1_is_yes() {
        assert_eq!(codes_where(NoYesMissing::is_yes), vec![1]);
    }

    #[test]
    fn race_none_holds_only_the_reasons_for_no_answer() {
        assert_eq!(codes_where(|_: RaceNone| true), vec![8, 9, 99]);
        for refused in [0, 1, 2, 98] {
            assert!(RaceNone::try_from(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn permanent_housing_types() {
        let permanent: Vec<i32> = ProjectType::CODES
            .iter()
            .map(|(code, _)| *code)
            .filter(|code| ProjectType::try_from(*code).unwrap().is_permanent_housing())
            .collect();
        assert_eq!(permanent, vec![3, 9, 10, 13]);
    }
}

//! Whether a person met at intake is a client already recorded: record linkage over the
//! identifying elements of HUD's HMIS Data Standards (3.01 name, 3.02 SSN, 3.03 date of
//! birth), in the deterministic, points-based way HMIS duplicate checks work.
//!
//! A [`Probe`] (what intake knows: names, date of birth, SSN, each optional) is compared with
//! a [`Candidate`] (a stored client) element by element; each comparison is evidence worth
//! points, for or against, and the [`Score`] is their sum kept within 0-100 hundredths:
//!
//! | element | agrees | disagrees |
//! |---|---|---|
//! | full SSN (both usable) | +80 | -30 |
//! | last four SSN digits (when a full SSN is not usable on both sides) | +40 | -20 |
//! | date of birth | +40 (+20 when the stored one is approximate) | -25 (0 when approximate) |
//! | last name | +25 exact, +20 one typo | -15 |
//! | first name | +20 exact, +15 one typo | 0 |
//! | first and last names swapped, both exact | +40 for both names | |
//!
//! An element missing on either side is no evidence (0). A score of at least 0.80 is a
//! match ([`Score::MATCH`]), at least 0.50 a possible match ([`Score::POSSIBLE`]). So a full
//! SSN alone is a match, so are its last four digits with the date of birth, and the date of
//! birth with both names (0.85; 0.80 with a typo in one name or the names swapped), while the
//! names alone (0.45 at most) never reach a possible match: every candidate scoring a possible
//! match or better shares the date of birth or the last four SSN digits with the probe, which
//! is how candidates are looked up.
//!
//! - **SSN** (HUD 3.02): a full SSN counts only when it passes the validity checks of HUD's
//!   data quality reports ([`is_valid_ssn`]: no area 000, 666 or 9xx, no group 00, no serial
//!   0000, not nine identical or consecutive digits, such as 000000000, 999999999 or
//!   123456789) and its data quality is full (1) or unstated (99, which the API records when a
//!   body leaves the field out). A partial SSN (2) offers only its last four digits, which
//!   count when they are not 0000 and the nine digits are not a placeholder (identical or
//!   consecutive); a "client doesn't know" or "prefers not to answer" (8, 9) never counts.
//! - **Date of birth** (HUD 3.03): equal or not; an approximate one (data quality 2) counts
//!   half and cannot disprove; 8 and 9 never count.
//! - **Names** (HUD 3.01): compared without case, accents, spaces or punctuation ("José
//!   O'Brien-Díaz" is "jose obriendiaz"); one typo is one letter inserted, deleted, replaced
//!   or two adjacent letters swapped, in names of three letters or more. Nicknames are not
//!   recognized ("Bob" is not "Robert"). Middle names and suffixes are not compared.

use std::cmp::Ordering;

use crate::client::Ssn;
use crate::codes::DataQuality;
use crate::{Date, FieldError};

/// What intake knows of a person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Probe {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub dob: Option<Date>,
    pub ssn: Option<Ssn>,
}

impl Probe {
    /// A probe that can find a match: a date of birth, or an SSN with usable digits. Names
    /// alone never reach a possible match, so a probe of names only is refused rather than
    /// answered "no match".
    pub fn check(&self) -> Vec<FieldError> {
        if self.dob.is_some() || self.ssn.as_ref().is_some_and(ssn_offers_evidence) {
            return Vec::new();
        }
        let dob = FieldError::new(
            "dob",
            "required",
            "a date of birth or a usable SSN is required: names alone are too weak to match on",
        );
        let ssn = match &self.ssn {
            Some(_) => FieldError::new(
                "ssn",
                "unusable",
                "a placeholder SSN (identical or consecutive digits, or last four 0000) \
                 matches nobody: give the date of birth",
            ),
            None => FieldError::new(
                "ssn",
                "required",
                "an SSN or a date of birth is required: names alone are too weak to match on",
            ),
        };
        vec![dob, ssn]
    }
}

impl Probe {
    /// The last four SSN digits to look candidates up by, when they can be evidence.
    pub fn ssn_last4_to_look_up(&self) -> Option<&str> {
        self.ssn
            .as_ref()
            .filter(|ssn| usable_last4(ssn.last4(), Some(ssn.as_str())))
            .map(Ssn::last4)
    }
}

fn ssn_offers_evidence(ssn: &Ssn) -> bool {
    is_valid_ssn(ssn.as_str()) || usable_last4(ssn.last4(), Some(ssn.as_str()))
}

/// A stored client, as matching reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate<'a> {
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub dob: Option<Date>,
    pub dob_data_quality: DataQuality,
    /// The full SSN, nine digits, when recorded.
    pub ssn: Option<&'a str>,
    pub ssn_last4: Option<&'a str>,
    pub ssn_data_quality: DataQuality,
}

/// How well a candidate matches a probe, in hundredths from 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u8);

impl Score {
    /// A match: the same person, unless the records are wrong.
    pub const MATCH: Score = Score(80);
    /// A possible match: worth a look before creating a new client.
    pub const POSSIBLE: Score = Score(50);

    pub fn hundredths(self) -> u8 {
        self.0
    }

    /// The score as a fraction of 1 (0.85), as the API shows it.
    pub fn fraction(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    pub fn is_match(self) -> bool {
        self >= Score::MATCH
    }

    pub fn is_possible(self) -> bool {
        self >= Score::POSSIBLE
    }
}

/// What the SSNs say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SsnEvidence {
    Same,
    Different,
    SameLast4,
    DifferentLast4,
    Unknown,
}

/// What the dates of birth say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DobEvidence {
    Same,
    /// The same as the stored date, which is approximate.
    SameApproximate,
    Different,
    /// Not the stored date, which is approximate.
    DifferentApproximate,
    Unknown,
}

/// How one name compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameAgreement {
    Exact,
    OneTypo,
    Different,
    Unknown,
}

/// What the names say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameEvidence {
    /// Each name compared with its own.
    Compared {
        first: NameAgreement,
        last: NameAgreement,
    },
    /// The first name is the other's last and the last the other's first, exactly.
    Swapped,
}

/// Every comparison of a probe with a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evidence {
    pub ssn: SsnEvidence,
    pub dob: DobEvidence,
    pub names: NameEvidence,
}

impl Evidence {
    /// The points of the evidence, for and against (see the module's table), before they are
    /// kept within 0-100: two candidates scoring 1.00 are ranked by these.
    pub fn points(&self) -> i32 {
        let ssn = match self.ssn {
            SsnEvidence::Same => 80,
            SsnEvidence::Different => -30,
            SsnEvidence::SameLast4 => 40,
            SsnEvidence::DifferentLast4 => -20,
            SsnEvidence::Unknown => 0,
        };
        let dob = match self.dob {
            DobEvidence::Same => 40,
            DobEvidence::SameApproximate => 20,
            DobEvidence::Different => -25,
            DobEvidence::DifferentApproximate | DobEvidence::Unknown => 0,
        };
        let names = match self.names {
            NameEvidence::Swapped => 40,
            NameEvidence::Compared { first, last } => {
                let first = match first {
                    NameAgreement::Exact => 20,
                    NameAgreement::OneTypo => 15,
                    NameAgreement::Different | NameAgreement::Unknown => 0,
                };
                let last = match last {
                    NameAgreement::Exact => 25,
                    NameAgreement::OneTypo => 20,
                    NameAgreement::Different => -15,
                    NameAgreement::Unknown => 0,
                };
                first + last
            }
        };
        ssn + dob + names
    }

    pub fn score(&self) -> Score {
        let points = self.points().clamp(0, 100);
        Score(u8::try_from(points).unwrap_or(0))
    }
}

/// Compares a probe with a candidate.
pub fn compare(probe: &Probe, candidate: &Candidate<'_>) -> Evidence {
    Evidence {
        ssn: compare_ssn(probe.ssn.as_ref(), candidate),
        dob: compare_dob(probe.dob, candidate),
        names: compare_names(probe, candidate),
    }
}

/// The score of a candidate for a probe.
pub fn score(probe: &Probe, candidate: &Candidate<'_>) -> Score {
    compare(probe, candidate).score()
}

/// Best first: the higher points, then `tie` (say, the client's ID, for a stable order).
pub fn rank<T: Ord>(a: (&Evidence, T), b: (&Evidence, T)) -> Ordering {
    b.0.points().cmp(&a.0.points()).then(a.1.cmp(&b.1))
}

const FULL: i32 = 1;
const PARTIAL: i32 = 2;
const NOT_COLLECTED: i32 = 99;

fn compare_ssn(probe: Option<&Ssn>, candidate: &Candidate<'_>) -> SsnEvidence {
    let Some(probe) = probe else {
        return SsnEvidence::Unknown;
    };
    let quality = candidate.ssn_data_quality.code();
    let stored_full = candidate
        .ssn
        .filter(|ssn| matches!(quality, FULL | NOT_COLLECTED) && is_valid_ssn(ssn));
    if let Some(stored) = stored_full {
        if is_valid_ssn(probe.as_str()) {
            return if stored == probe.as_str() {
                SsnEvidence::Same
            } else {
                SsnEvidence::Different
            };
        }
    }
    let stored_last4 = candidate.ssn_last4.filter(|last4| {
        matches!(quality, FULL | PARTIAL | NOT_COLLECTED) && usable_last4(last4, candidate.ssn)
    });
    match stored_last4 {
        Some(stored) if usable_last4(probe.last4(), Some(probe.as_str())) => {
            if stored == probe.last4() {
                SsnEvidence::SameLast4
            } else {
                SsnEvidence::DifferentLast4
            }
        }
        _ => SsnEvidence::Unknown,
    }
}

/// A full SSN as HUD's data quality checks accept it: nine digits, area not 000, 666 or
/// 900-999, group not 00, serial not 0000, and not nine identical or consecutive digits.
pub fn is_valid_ssn(ssn: &str) -> bool {
    if ssn.len() != 9 || !ssn.bytes().all(|byte| byte.is_ascii_digit()) {
        return false;
    }
    let (area, group, serial) = (&ssn[..3], &ssn[3..5], &ssn[5..]);
    area != "000"
        && area != "666"
        && !area.starts_with('9')
        && group != "00"
        && serial != "0000"
        && !is_placeholder(ssn)
}

/// Last four digits that say something: four digits, not 0000, and not cut from nine digits
/// that are a placeholder.
fn usable_last4(last4: &str, full: Option<&str>) -> bool {
    last4.len() == 4
        && last4.bytes().all(|byte| byte.is_ascii_digit())
        && last4 != "0000"
        && !full.is_some_and(is_placeholder)
}

/// Identical digits (111111111) or consecutive ones, up or down (123456789, 876543210).
fn is_placeholder(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    let steps = |step: u8| {
        bytes
            .windows(2)
            .all(|pair| (pair[0] - b'0' + step) % 10 == pair[1] - b'0')
    };
    steps(0) || steps(1) || steps(9)
}

fn compare_dob(probe: Option<Date>, candidate: &Candidate<'_>) -> DobEvidence {
    let quality = candidate.dob_data_quality.code();
    let (Some(probe), Some(stored)) = (probe, candidate.dob) else {
        return DobEvidence::Unknown;
    };
    match (quality, probe == stored) {
        (8 | 9, _) => DobEvidence::Unknown,
        (PARTIAL, true) => DobEvidence::SameApproximate,
        (PARTIAL, false) => DobEvidence::DifferentApproximate,
        (_, true) => DobEvidence::Same,
        (_, false) => DobEvidence::Different,
    }
}

fn compare_names(probe: &Probe, candidate: &Candidate<'_>) -> NameEvidence {
    let probe_first = probe.first_name.as_deref().and_then(normalize_name);
    let probe_last = probe.last_name.as_deref().and_then(normalize_name);
    let stored_first = candidate.first_name.and_then(normalize_name);
    let stored_last = candidate.last_name.and_then(normalize_name);
    let first = agreement(probe_first.as_deref(), stored_first.as_deref());
    let last = agreement(probe_last.as_deref(), stored_last.as_deref());
    let swapped = matches!(
        (&probe_first, &probe_last, &stored_first, &stored_last),
        (Some(pf), Some(pl), Some(sf), Some(sl)) if pf == sl && pl == sf
    );
    let compared = NameEvidence::Compared { first, last };
    // Never over names that agree as they are ("Lee Lee" is not swapped).
    let swapped_is_better =
        swapped && NameEvidence::Swapped.points_alone() > compared.points_alone();
    if swapped_is_better {
        NameEvidence::Swapped
    } else {
        compared
    }
}

impl NameEvidence {
    fn points_alone(self) -> i32 {
        Evidence {
            ssn: SsnEvidence::Unknown,
            dob: DobEvidence::Unknown,
            names: self,
        }
        .points()
    }
}

fn agreement(probe: Option<&str>, stored: Option<&str>) -> NameAgreement {
    match (probe, stored) {
        (Some(probe), Some(stored)) if probe == stored => NameAgreement::Exact,
        (Some(probe), Some(stored)) if one_typo_apart(probe, stored) => NameAgreement::OneTypo,
        (Some(_), Some(_)) => NameAgreement::Different,
        _ => NameAgreement::Unknown,
    }
}

/// A name as matching compares it: lower case, without accents, spaces or punctuation; `None`
/// when nothing is left.
pub fn normalize_name(name: &str) -> Option<String> {
    let decomposed = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd().normalize(name);
    let mut out = String::with_capacity(decomposed.len());
    for c in decomposed.chars() {
        match c {
            // Letters that do not decompose into a base letter and an accent.
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'þ' | 'Þ' => out.push_str("th"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            'ı' => out.push('i'),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            // Accents (combining marks), spaces, hyphens, apostrophes, periods.
            _ => {}
        }
    }
    (!out.is_empty()).then_some(out)
}

/// One typo apart: one letter inserted, deleted or replaced, or two adjacent letters
/// swapped, and the shorter name at least three letters long (two short names one letter
/// apart, such as "Li" and "Lu", are different names).
pub fn one_typo_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b || a.len().min(b.len()) < 3 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (rest_a, rest_b) = (&a[prefix..], &b[prefix..]);
    match rest_a.len().cmp(&rest_b.len()) {
        Ordering::Equal => {
            // Replaced, or swapped with the next letter.
            rest_a[1..] == rest_b[1..]
                || (rest_a.len() >= 2
                    && rest_a[0] == rest_b[1]
                    && rest_a[1] == rest_b[0]
                    && rest_a[2..] == rest_b[2..])
        }
        Ordering::Greater => rest_a[1..] == *rest_b,
        Ordering::Less => *rest_a == rest_b[1..],
    }
}

#[cfg(test)]
mod tests;

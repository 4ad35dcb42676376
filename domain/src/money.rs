//! Money, as HMIS records it (the HMIS CSV type M: dollars with two decimals), kept in whole
//! cents so that no amount drifts by a fraction of a cent.

use std::fmt;

/// An amount of money in whole cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(i64);

impl Cents {
    /// The most a financial-assistance amount of a request may be, in cents: a billion
    /// dollars.
    const MAX: i64 = 100_000_000_000;

    /// Dollars as a request gives them, in whole cents: from 0 to a billion dollars, with at
    /// most two decimals (`125.5` is 12 550 cents; `0.005` is refused, not rounded).
    pub fn from_dollars(amount: f64) -> Option<Cents> {
        let scaled = amount * 100.0;
        let rounded = scaled.round();
        ((0.0..=Cents::MAX as f64).contains(&rounded) && (scaled - rounded).abs() < 1e-6)
            .then_some(Cents(rounded as i64))
    }

    /// An amount of an HMIS CSV file (Services.csv FAAmount), read as files write it: any
    /// number that is not negative, to the nearest cent.
    pub fn from_csv(text: &str) -> Option<Cents> {
        match text.parse::<f64>() {
            Ok(amount) if amount >= 0.0 && amount.is_finite() => {
                Some(Cents((amount * 100.0).round() as i64))
            }
            _ => None,
        }
    }

    /// The amount in dollars, as the API shows it.
    pub fn dollars(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

/// An amount as stored.
impl From<i64> for Cents {
    fn from(cents: i64) -> Self {
        Cents(cents)
    }
}

impl From<Cents> for i64 {
    fn from(cents: Cents) -> Self {
        cents.0
    }
}

/// Dollars with two decimals, as HMIS CSV writes money: `125.50`, `0.05`, `-3.05`.
impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let cents = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", cents / 100, cents % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(amount: f64) -> Option<i64> {
        Cents::from_dollars(amount).map(i64::from)
    }

    #[test]
    fn request_amounts_have_at_most_two_decimals() {
        assert_eq!(cents(125.5), Some(12_550));
        assert_eq!(cents(0.1 + 0.2), Some(30));
        assert_eq!(cents(19.99), Some(1_999));
        assert_eq!(cents(0.01), Some(1));
        assert_eq!(cents(0.005), None);
        assert_eq!(cents(12.345), None);
    }

    #[test]
    fn request_amounts_run_from_nothing_to_a_billion_dollars() {
        assert_eq!(cents(0.0), Some(0));
        assert_eq!(cents(-0.0), Some(0));
        assert_eq!(cents(-0.01), None);
        assert_eq!(cents(1_000_000_000.0), Some(100_000_000_000));
        assert_eq!(cents(1_000_000_000.01), None);
        assert_eq!(cents(f64::NAN), None);
        assert_eq!(cents(f64::INFINITY), None);
    }

    #[test]
    fn file_amounts_are_rounded_to_the_cent_and_never_negative() {
        let read = |text: &str| Cents::from_csv(text).map(i64::from);
        assert_eq!(read("125.50"), Some(12_550));
        assert_eq!(read("125.5"), Some(12_550));
        assert_eq!(read("12.345"), Some(1_235));
        assert_eq!(read("0"), Some(0));
        assert_eq!(read("-0.01"), None);
        assert_eq!(read("NaN"), None);
        assert_eq!(read("inf"), None);
        assert_eq!(read("$5"), None);
        assert_eq!(read(""), None);
    }

    #[test]
    fn money_is_written_with_two_decimals() {
        assert_eq!(Cents::from(12_550).to_string(), "125.50");
        assert_eq!(Cents::from(5).to_string(), "0.05");
        assert_eq!(Cents::from(0).to_string(), "0.00");
        assert_eq!(Cents::from(-305).to_string(), "-3.05");
        assert_eq!(Cents::from(12_550).dollars(), 125.5);
    }
}

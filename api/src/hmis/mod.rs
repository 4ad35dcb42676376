//! HMIS CSV exchange (HUD HMIS CSV Format Specifications, FY2026): the column tables and
//! how our values are written in the files.

pub mod columns;
pub mod export;
pub mod import;

use chrono::{NaiveDate, NaiveDateTime};
use uuid::Uuid;

/// `CSVVersion` of Export.csv.
pub const CSV_VERSION: &str = "2026 v1.0";

/// `yyyy-mm-dd`.
pub const DATE_FORMAT: &str = "%Y-%m-%d";

/// `yyyy-mm-dd hh:mm:ss`.
pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// The `UserID` of records written by anyone who is not one of our users (an admin's or an
/// integration's token subject, the auto-exit job): one row in User.csv stands for them.
pub const SYSTEM_USER_ID: &str = "00000000000000000000000000000000";

/// Our ID as HMIS files write it: the UUID without hyphens (32 characters). Text that is
/// not a UUID is written without its hyphens too.
pub fn hmis_id(id: &str) -> String {
    match Uuid::parse_str(id) {
        Ok(uuid) => uuid.simple().to_string(),
        Err(_) => id.replace('-', ""),
    }
}

/// An HMIS ID read back as our UUID (with or without hyphens), when it is one.
pub fn parse_hmis_id(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text.trim()).ok()
}

pub fn format_date(date: NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}

pub fn format_datetime(at: NaiveDateTime) -> String {
    at.format(DATETIME_FORMAT).to_string()
}

/// Cents as dollars with two decimals, like `125.50` (`-3.05` for -305).
pub fn format_money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_lose_their_hyphens() {
        let id = "0190a5b2-7c3d-7e8f-9a0b-1c2d3e4f5a6b";
        assert_eq!(hmis_id(id), "0190a5b27c3d7e8f9a0b1c2d3e4f5a6b");
        assert_eq!(parse_hmis_id(&hmis_id(id)).unwrap().to_string(), id);
    }

    #[test]
    fn money_has_two_decimals() {
        assert_eq!(format_money(12550), "125.50");
        assert_eq!(format_money(5), "0.05");
        assert_eq!(format_money(-305), "-3.05");
    }

    #[test]
    fn every_file_carries_the_export_id() {
        assert_eq!(columns::FILES.len(), 11);
        for file in columns::FILES {
            assert!(file.position("ExportID").is_some(), "{}", file.name);
        }
    }
}

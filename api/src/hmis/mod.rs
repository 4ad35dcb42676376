//! HMIS CSV exchange (HUD HMIS CSV Format Specifications, FY2026): how our values are
//! written in the files, whose columns are the domain's (`threshold_domain::hmis_csv`).

pub mod export;
pub mod import;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use threshold_persistence::ids::Id;
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

/// Our ID as HMIS files write it: the UUID without hyphens (32 lowercase hex digits).
pub fn hmis_id<K>(id: Id<K>) -> String {
    let mut buffer = Uuid::encode_buffer();
    id.uuid().simple().encode_lower(&mut buffer).to_owned()
}

/// An HMIS ID read back as our ID (with or without hyphens), when it is one.
pub fn parse_hmis_id<K>(text: &str) -> Option<Id<K>> {
    text.trim().parse().ok()
}

/// The date as [`DATE_FORMAT`] writes it. Written by hand for years 0 to 9999, the same
/// digits without parsing the format for each of the millions of dates an export writes.
pub fn format_date(date: NaiveDate) -> String {
    if !(0..=9999).contains(&date.year()) {
        return date.format(DATE_FORMAT).to_string();
    }
    let mut text = String::with_capacity(10);
    push_date(&mut text, date);
    text
}

/// The instant as [`DATETIME_FORMAT`] writes it; by hand like [`format_date`], but for a
/// leap second.
pub fn format_datetime(at: NaiveDateTime) -> String {
    if !(0..=9999).contains(&at.year()) || at.nanosecond() >= 1_000_000_000 {
        return at.format(DATETIME_FORMAT).to_string();
    }
    let mut text = String::with_capacity(19);
    push_date(&mut text, at.date());
    text.push(' ');
    push_digits(&mut text, at.hour(), 2);
    text.push(':');
    push_digits(&mut text, at.minute(), 2);
    text.push(':');
    push_digits(&mut text, at.second(), 2);
    text
}

fn push_date(text: &mut String, date: NaiveDate) {
    push_digits(text, date.year().unsigned_abs(), 4);
    text.push('-');
    push_digits(text, date.month(), 2);
    text.push('-');
    push_digits(text, date.day(), 2);
}

/// `value` zero-padded to `width` digits (`value` has no more).
fn push_digits(text: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10u32.pow(place)) % 10;
        text.push(char::from(b'0' + digit as u8));
    }
}

#[cfg(test)]
mod tests {
    use threshold_persistence::ids::{kind, ClientId};

    use super::*;

    #[test]
    fn ids_lose_their_hyphens() {
        let text = "0190a5b2-7c3d-7e8f-9a0b-1c2d3e4f5a6b";
        let id: ClientId = text.parse().unwrap();
        assert_eq!(hmis_id(id), "0190a5b27c3d7e8f9a0b1c2d3e4f5a6b");
        assert_eq!(parse_hmis_id::<kind::Client>(&hmis_id(id)), Some(id));
        assert_eq!(parse_hmis_id::<kind::Client>(text), Some(id));
    }

    #[test]
    fn ids_are_written_in_lower_case() {
        let id: ClientId = "0190A5B2-7C3D-7E8F-9A0B-1C2D3E4F5A6B".parse().unwrap();
        assert_eq!(hmis_id(id), "0190a5b27c3d7e8f9a0b1c2d3e4f5a6b");
        assert_eq!(parse_hmis_id::<kind::Client>("bench-admin"), None);
    }

    #[test]
    fn dates_are_written_as_the_formats_say() {
        let dates = [
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(1950, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(7, 3, 9).unwrap(),
            NaiveDate::from_ymd_opt(0, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(10000, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(-1, 6, 15).unwrap(),
        ];
        for date in dates {
            assert_eq!(format_date(date), date.format(DATE_FORMAT).to_string());
            for (hour, minute, second, milli) in [(0, 0, 0, 0), (9, 5, 7, 999), (23, 59, 59, 1999)]
            {
                let at = date.and_hms_milli_opt(hour, minute, second, milli).unwrap();
                assert_eq!(format_datetime(at), at.format(DATETIME_FORMAT).to_string());
            }
        }
        assert_eq!(format_date(dates[0]), "2025-12-31");
        let leap = dates[0].and_hms_milli_opt(23, 59, 59, 1500).unwrap();
        assert_eq!(format_datetime(leap), "2025-12-31 23:59:60");
    }

    #[test]
    fn every_file_carries_the_export_id() {
        assert_eq!(export::FILES.len(), 24);
        for file in export::FILES {
            assert!(file.position("ExportID").is_some(), "{}", file.name);
        }
    }
}

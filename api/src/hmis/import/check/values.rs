//! One row's cells read as values: present or required, text within its length, integers,
//! HUD codes, dates and date-times, each problem noted on the row's column.

use chrono::{NaiveDate, NaiveDateTime};
use threshold_domain::codes::CodeList;
use threshold_domain::hud_fields::resources::{check_consistency, Own, Resource};
use threshold_domain::hud_fields::{check_required, read_cell, FieldSet, HudFields, HudValue};
use threshold_domain::FieldError;

use super::plan::FieldsText;
use crate::hmis::import::read::{Row, Table};
use crate::hmis::import::{codes, CausedBy, ImportError, Severity};

/// The cells of one row, read by column name; each problem is added to `errors`.
pub(super) struct Cells<'a, 'e> {
    pub(super) table: &'a Table,
    pub(super) row: &'a Row,
    pub(super) errors: &'e mut Vec<ImportError>,
    /// A tolerant import's: a blank required code is read as 99 (data not collected).
    pub(super) tolerant: bool,
}

impl<'a> Cells<'a, '_> {
    /// A cell's text as the file holds it (trimmed), when not empty.
    pub(super) fn raw(&self, column: &'static str) -> Option<&'a str> {
        self.table
            .column(column)
            .and_then(|index| self.table.field(self.row, index))
            .filter(|value| !value.is_empty())
    }

    pub(super) fn fail(&mut self, column: &str, code: &str, reason: impl Into<String>) {
        self.errors.push(ImportError {
            file: self.table.file.clone(),
            line: Some(self.row.line),
            column: Some(column.to_owned()),
            code: code.to_owned(),
            reason: reason.into(),
            severity: crate::hmis::import::Severity::Error,
            caused_by: None,
        });
    }

    /// A problem of the row that another row (`cause`) caused.
    pub(super) fn fail_caused(
        &mut self,
        column: &str,
        code: &str,
        reason: impl Into<String>,
        cause: CausedBy,
    ) {
        self.fail(column, code, reason);
        if let Some(problem) = self.errors.last_mut() {
            problem.caused_by = Some(Box::new(cause));
        }
    }

    /// What a domain check found wrong with a column (its field), if anything.
    pub(super) fn fail_with(&mut self, error: Option<FieldError>) {
        if let Some(error) = error {
            // The domain's field codes (`invalid`, `required`, `too_long`) as the import's.
            let code = format!("import.{}", error.code);
            self.fail(&error.field, &code, error.message);
        }
    }

    /// The HUD fields of `set` the row holds, each cell read as its column types it;
    /// `required` when HUD's "never null" columns of the set must hold a value. The codes
    /// whose list depends on the row are left to the set's consistency check.
    pub(super) fn hud_fields(&mut self, set: impl FieldSet, required: bool) -> HudFields {
        let mut read = Vec::new();
        for column in set.field_columns() {
            let Some(text) = self.raw(column.name) else {
                continue;
            };
            let value = read_cell(column, text).and_then(|value| {
                set.check_value(column, &value)
                    .map(|()| value)
                    .map_err(|message| FieldError::new(column.name, "invalid", message))
            });
            match value {
                Ok(value) => read.push((column.field, value)),
                Err(error) => self.fail_with(Some(error)),
            }
        }
        let mut fields: HudFields = read.iter().cloned().collect();
        if required {
            let mut missing = Vec::new();
            for problem in check_required(set, &fields) {
                // Another system's blank where HUD asks for a code: data not collected.
                let column = set.field(&problem.field).filter(|column| {
                    self.tolerant && column.list().is_some_and(|list| list.is_valid(99))
                });
                match column {
                    Some(column) => {
                        self.read_as_not_collected(column.name);
                        read.push((column.field, HudValue::Integer(99)));
                    }
                    None => missing.push(problem),
                }
            }
            self.fail_fields(set, missing);
            fields = read.into_iter().collect();
        }
        fields
    }

    /// The HUD fields of a resource's file (Client.csv's columns beyond the client's own,
    /// ...), held to the resource's consistency given its own fields (`own`).
    pub(super) fn resource_fields(&mut self, resource: Resource, own: &Own) -> FieldsText {
        let fields = self.hud_fields(resource, false);
        self.fail_fields(resource, check_consistency(resource, &fields, own));
        FieldsText::of(&fields, &[])
    }

    /// What the domain found wrong with HUD fields of `set`, each told on its column.
    pub(super) fn fail_fields(&mut self, set: impl FieldSet, problems: Vec<FieldError>) {
        for mut problem in problems {
            if let Some(column) = set.field(&problem.field) {
                problem.field = column.name.to_owned();
            }
            self.fail_with(Some(problem));
        }
    }

    /// A cell's text, borrowed from the file: most cells are read as numbers or dates, or
    /// only looked up, and never kept.
    pub(super) fn present(&mut self, column: &'static str, required: bool) -> Option<&'a str> {
        let value = self.raw(column);
        if value.is_none() && required {
            self.fail(column, codes::REQUIRED, format!("{column} is required"));
        }
        value
    }

    /// [`Cells::text`], borrowed from the file.
    pub(super) fn text_ref(
        &mut self,
        column: &'static str,
        max: usize,
        required: bool,
    ) -> Option<&'a str> {
        let value = self.present(column, required)?;
        // No more bytes than characters allowed: within the length without counting.
        if value.len() > max && value.chars().count() > max {
            self.fail(
                column,
                codes::TOO_LONG,
                format!("{column} is longer than {max} characters (S{max})"),
            );
            return None;
        }
        Some(value)
    }

    pub(super) fn text(
        &mut self,
        column: &'static str,
        max: usize,
        required: bool,
    ) -> Option<String> {
        self.text_ref(column, max, required).map(str::to_owned)
    }

    pub(super) fn int(&mut self, column: &'static str, required: bool) -> Option<i32> {
        let value = self.present(column, required)?;
        match value.parse::<i32>() {
            Ok(number) => Some(number),
            Err(_) => {
                self.fail(
                    column,
                    codes::NOT_INTEGER,
                    format!("`{value}` is not an integer"),
                );
                None
            }
        }
    }

    /// A warning about the row's `column`: the row is imported.
    pub(super) fn warn(&mut self, column: &str, code: &str, reason: impl Into<String>) {
        self.fail(column, code, reason);
        if let Some(problem) = self.errors.last_mut() {
            problem.severity = Severity::Warning;
        }
    }

    /// A blank where a code is required, read as 99 (data not collected), in a tolerant
    /// import.
    fn read_as_not_collected(&mut self, column: &str) {
        self.warn(
            column,
            codes::READ_AS_NOT_COLLECTED,
            format!("{column} is blank: read as 99 (data not collected)"),
        );
    }

    pub(super) fn code<T: CodeList>(&mut self, column: &'static str, required: bool) -> Option<T> {
        if required && self.tolerant && self.raw(column).is_none() {
            if let Ok(code) = T::try_from(99) {
                self.read_as_not_collected(column);
                return Some(code);
            }
        }
        let number = self.int(column, required)?;
        match T::try_from(number) {
            Ok(code) => Some(code),
            Err(error) => {
                self.fail(
                    column,
                    codes::UNKNOWN_CODE,
                    format!("unknown code: {error}"),
                );
                None
            }
        }
    }

    pub(super) fn date(&mut self, column: &'static str, required: bool) -> Option<NaiveDate> {
        let value = self.present(column, required)?;
        if let Some(date) = plain_date(value.as_bytes()) {
            return Some(date);
        }
        match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(date) if value.len() == 10 => Some(date),
            _ => {
                self.fail(
                    column,
                    codes::NOT_DATE,
                    format!("`{value}` is not a date yyyy-mm-dd"),
                );
                None
            }
        }
    }

    pub(super) fn datetime(
        &mut self,
        column: &'static str,
        required: bool,
    ) -> Option<NaiveDateTime> {
        let value = self.present(column, required)?;
        if let Some(instant) = plain_datetime(value.as_bytes()) {
            return Some(instant);
        }
        match NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S") {
            Ok(instant) => Some(instant),
            Err(_) => {
                self.fail(
                    column,
                    codes::NOT_DATE,
                    format!("`{value}` is not a date and time yyyy-mm-dd hh:mm:ss"),
                );
                None
            }
        }
    }
}

/// A date written exactly `yyyy-mm-dd`, as nearly every file writes them, read without
/// chrono's format parser, which took a tenth of the checks' time. Anything else, a day that
/// does not exist included, is left to chrono, which decides as it always has.
fn plain_date(text: &[u8]) -> Option<NaiveDate> {
    if text.len() != 10 || text[4] != b'-' || text[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&text[0..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&text[5..7])?, digits(&text[8..10])?)
}

/// A date and time written exactly `yyyy-mm-dd hh:mm:ss`, like [`plain_date`].
fn plain_datetime(text: &[u8]) -> Option<NaiveDateTime> {
    if text.len() != 19 || text[10] != b' ' || text[13] != b':' || text[16] != b':' {
        return None;
    }
    plain_date(&text[..10])?.and_hms_opt(
        digits(&text[11..13])?,
        digits(&text[14..16])?,
        digits(&text[17..19])?,
    )
}

/// The number ASCII digits write; `None` when one is not a digit.
fn digits(text: &[u8]) -> Option<u32> {
    text.iter().try_fold(0u32, |number, byte| {
        byte.is_ascii_digit()
            .then(|| number * 10 + u32::from(byte - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_dates_read_as_chrono_reads_them() {
        for text in [
            "2024-02-29",
            "2023-02-29",
            "0999-12-31",
            "2024-13-01",
            "2024-00-10",
            "2024-1-05x",
            "2024/01/05",
            "+024-01-05",
        ] {
            let chrono = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            let plain = plain_date(text.as_bytes());
            assert!(plain.is_none() || plain == chrono, "{text}");
            assert_eq!(
                plain.is_some(),
                chrono.is_some() && text.bytes().all(|b| b == b'-' || b.is_ascii_digit()),
                "{text}"
            );
        }
        for text in [
            "2024-02-29 23:59:59",
            "2024-02-29 24:00:00",
            "2024-02-29 23:60:00",
            "2024-02-29 23:59:60",
            "2024-02-29T23:59:59",
            "2024-02-29 1:02:03x",
        ] {
            let chrono = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").ok();
            let plain = plain_datetime(text.as_bytes());
            assert!(plain.is_none() || plain == chrono, "{text}");
        }
        assert_eq!(
            plain_datetime(b"2024-02-29 23:59:59"),
            NaiveDate::from_ymd_opt(2024, 2, 29).and_then(|date| date.and_hms_opt(23, 59, 59))
        );
    }
}

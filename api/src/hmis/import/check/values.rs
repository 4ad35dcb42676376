//! One row's cells read as values: present or required, text within its length, integers,
//! HUD codes, dates and date-times, each problem noted on the row's column.

use chrono::{NaiveDate, NaiveDateTime};
use threshold_domain::codes::CodeList;
use threshold_domain::FieldError;

use crate::hmis::import::read::{Row, Table};
use crate::hmis::import::ImportError;

/// The cells of one row, read by column name; each problem is added to `errors`.
pub(super) struct Cells<'a, 'e> {
    pub(super) table: &'a Table,
    pub(super) row: &'a Row,
    pub(super) errors: &'e mut Vec<ImportError>,
}

impl<'a> Cells<'a, '_> {
    /// A cell's text as the file holds it (trimmed), when not empty.
    pub(super) fn raw(&self, column: &str) -> Option<&'a str> {
        self.table
            .column(column)
            .and_then(|index| self.table.field(self.row, index))
            .filter(|value| !value.is_empty())
    }

    pub(super) fn fail(&mut self, column: &str, reason: impl Into<String>) {
        self.errors.push(ImportError {
            file: self.table.file.clone(),
            line: Some(self.row.line),
            column: Some(column.to_owned()),
            reason: reason.into(),
        });
    }

    /// What a domain check found wrong with a column (its field), if anything.
    pub(super) fn fail_with(&mut self, error: Option<FieldError>) {
        if let Some(error) = error {
            self.fail(&error.field, error.message);
        }
    }

    pub(super) fn present(&mut self, column: &str, required: bool) -> Option<String> {
        let value = self.raw(column).map(str::to_owned);
        if value.is_none() && required {
            self.fail(column, format!("{column} is required"));
        }
        value
    }

    pub(super) fn text(&mut self, column: &str, max: usize, required: bool) -> Option<String> {
        let value = self.present(column, required)?;
        if value.chars().count() > max {
            self.fail(
                column,
                format!("{column} is longer than {max} characters (S{max})"),
            );
            return None;
        }
        Some(value)
    }

    pub(super) fn int(&mut self, column: &str, required: bool) -> Option<i32> {
        let value = self.present(column, required)?;
        match value.parse::<i32>() {
            Ok(number) => Some(number),
            Err(_) => {
                self.fail(column, format!("`{value}` is not an integer"));
                None
            }
        }
    }

    pub(super) fn code<T: CodeList>(&mut self, column: &str, required: bool) -> Option<T> {
        let number = self.int(column, required)?;
        match T::try_from(number) {
            Ok(code) => Some(code),
            Err(error) => {
                self.fail(column, format!("unknown code: {error}"));
                None
            }
        }
    }

    pub(super) fn date(&mut self, column: &str, required: bool) -> Option<NaiveDate> {
        let value = self.present(column, required)?;
        match NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
            Ok(date) if value.len() == 10 => Some(date),
            _ => {
                self.fail(column, format!("`{value}` is not a date yyyy-mm-dd"));
                None
            }
        }
    }

    pub(super) fn datetime(&mut self, column: &str, required: bool) -> Option<NaiveDateTime> {
        let value = self.present(column, required)?;
        match NaiveDateTime::parse_from_str(&value, "%Y-%m-%d %H:%M:%S") {
            Ok(instant) => Some(instant),
            Err(_) => {
                self.fail(
                    column,
                    format!("`{value}` is not a date and time yyyy-mm-dd hh:mm:ss"),
                );
                None
            }
        }
    }
}

//! Writing files into the ZIP: one record filled by column name, written through one CSV
//! writer for the whole archive, progress reported every thousand records.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;
use threshold_domain::hud_fields::{FieldSet, HudFields, HudValue};
use threshold_domain::money::Cents;
use threshold_persistence::rows::HudFieldsJson;

use crate::hmis::{format_date, format_datetime};
use threshold_domain::hmis_csv::{ColumnType, CsvFile};

use super::{ExportError, Progress, Writer, BATCH};

/// One row of a file, filled by column name and written in the file's column order. Fixed
/// text (codes, flags) is borrowed, not copied: an export writes millions of values.
pub(super) struct Record {
    file: &'static CsvFile,
    values: Vec<Cow<'static, str>>,
    /// Where to look for the next column set: records are mostly filled in column order.
    next: usize,
}

impl Record {
    pub(super) fn new(file: &'static CsvFile) -> Record {
        Record {
            file,
            values: vec![Cow::Borrowed(""); file.columns.len()],
            next: 0,
        }
    }

    pub(super) fn set(&mut self, column: &str, value: impl Into<Cow<'static, str>>) -> &mut Record {
        match self.position(column) {
            Some(position) => self.values[position] = value.into(),
            None => debug_assert!(false, "{} has no column {column}", self.file.name),
        }
        self
    }

    /// The column's position: the name as written, looked for from the column after the
    /// last one set, else any case anywhere.
    fn position(&mut self, column: &str) -> Option<usize> {
        let columns = self.file.columns;
        let position = (self.next..columns.len())
            .chain(0..self.next)
            .find(|&position| columns[position].name == column)
            .or_else(|| self.file.position(column))?;
        self.next = position + 1;
        Some(position)
    }

    pub(super) fn set_opt<T>(
        &mut self,
        column: &str,
        value: Option<T>,
        show: impl Fn(T) -> String,
    ) {
        if let Some(value) = value {
            self.set(column, show(value));
        }
    }

    pub(super) fn date(&mut self, column: &str, date: Option<NaiveDate>) {
        self.set_opt(column, date, format_date);
    }

    pub(super) fn datetime(&mut self, column: &str, at: Option<NaiveDateTime>) {
        self.set_opt(column, at, format_datetime);
    }

    /// A record's HUD fields, each in its column (those the file of this version has).
    pub(super) fn hud(&mut self, set: impl FieldSet, fields: &HudFieldsJson) {
        for column in set.field_columns() {
            let text = match (fields.get(column.field), column.kind) {
                (Some(Value::String(text)), _) => text.clone(),
                // Dollars as the format writes them, with cents: `1250.50`.
                (Some(Value::Number(number)), ColumnType::Money) => {
                    match number.as_f64().and_then(Cents::from_dollars) {
                        Some(amount) => amount.to_string(),
                        None => number.to_string(),
                    }
                }
                (Some(Value::Number(number)), _) => number.to_string(),
                _ => continue,
            };
            if self.file.position(column.name).is_some() {
                self.set(column.name, text);
            }
        }
    }

    /// HUD fields read from a row's columns, each in its column.
    pub(super) fn values(&mut self, set: impl FieldSet, fields: &HudFields) {
        for column in set.field_columns() {
            let text = match fields.get(column.field) {
                Some(HudValue::Text(text)) => Cow::Owned(text.clone()),
                Some(HudValue::Integer(number)) => self::number(*number),
                Some(HudValue::Date(date)) => Cow::Owned(date.to_string()),
                Some(HudValue::Money(amount)) => Cow::Owned(amount.to_string()),
                None => continue,
            };
            self.set(column.name, text);
        }
    }

    pub(super) fn int(&mut self, column: &str, value: Option<i32>) {
        if let Some(value) = value {
            self.set(column, number(value));
        }
    }

    /// The values as written: required codes we hold nothing for are 99 ("data not
    /// collected"), and text is cut to the column's length (but an SSN).
    pub(super) fn finish(mut self) -> Vec<Cow<'static, str>> {
        for (value, column) in self.values.iter_mut().zip(self.file.columns) {
            match column.kind {
                ColumnType::Integer(_) if column.required && value.is_empty() => {
                    *value = Cow::Borrowed("99");
                }
                // No more characters than bytes: most values need no counting. An SSN is
                // written as it came: a hashed one (an import's, HashStatus 2 or 4) is
                // longer than nine.
                ColumnType::Text(length)
                    if column.name != "SSN"
                        && value.len() > length
                        && value.chars().count() > length =>
                {
                    *value = Cow::Owned(value.chars().take(length).collect());
                }
                _ => {}
            }
        }
        self.values
    }
}

impl Writer<'_> {
    /// Starts a file in the ZIP with its header row.
    pub(super) fn start(&mut self, file: &'static CsvFile) -> Result<(), ExportError> {
        self.csv.flush()?;
        self.csv.get_ref().start_file(file.file_name())?;
        self.csv.write_record(file.header())?;
        self.written = 0;
        Ok(())
    }

    /// Writes the records of a batch of rows of `file`.
    pub(super) fn rows<T>(
        &mut self,
        file: &CsvFile,
        rows: &[T],
        records: fn(&mut Self, &T) -> Vec<Record>,
    ) -> Result<(), ExportError> {
        for row in rows {
            for record in records(self, row) {
                self.write(record)?;
                self.written += 1;
                if self.written.is_multiple_of(BATCH as u64) {
                    self.report(file, false);
                }
            }
        }
        Ok(())
    }

    /// The file is complete.
    pub(super) fn done(&mut self, file: &CsvFile) {
        self.report(file, true);
    }

    /// Completes the archive, once every file is written.
    pub(super) fn finish(&mut self) -> Result<(), ExportError> {
        self.csv.flush()?;
        self.csv.get_ref().finish()?;
        Ok(())
    }

    /// Writes a record, with this export's ExportID.
    pub(super) fn write(&mut self, record: Record) -> Result<(), ExportError> {
        let values = record.finish();
        let last = values.len().saturating_sub(1);
        for (position, value) in values.iter().enumerate() {
            // ExportID is the last column of every file but Export.csv, which sets it itself.
            if position == last && value.is_empty() {
                self.csv.write_field(&self.request.export_id)?;
            } else {
                self.csv.write_field(value.as_bytes())?;
            }
        }
        self.csv.write_record(None::<&[u8]>)?;
        Ok(())
    }

    pub(super) fn report(&mut self, file: &CsvFile, done: bool) {
        (self.progress)(Progress {
            file: file.name,
            rows: self.written,
            done,
        });
    }
}

/// The number as text; borrowed up to 99, which most HUD codes are.
fn number(value: i32) -> Cow<'static, str> {
    // "00", "01", ... "99": a number below 10 is the second digit of its pair.
    const PAIRS: &str = concat!(
        "00010203040506070809",
        "10111213141516171819",
        "20212223242526272829",
        "30313233343536373839",
        "40414243444546474849",
        "50515253545556575859",
        "60616263646566676869",
        "70717273747576777879",
        "80818283848586878889",
        "90919293949596979899",
    );
    match usize::try_from(value) {
        Ok(digit @ 0..=9) => Cow::Borrowed(&PAIRS[2 * digit + 1..2 * digit + 2]),
        Ok(pair @ 10..=99) => Cow::Borrowed(&PAIRS[2 * pair..2 * pair + 2]),
        _ => Cow::Owned(value.to_string()),
    }
}

pub(super) fn flag(value: bool) -> &'static str {
    if value {
        "1"
    } else {
        "0"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_full() {
        for value in (-120..=1200).chain([i32::MIN, i32::MAX]) {
            assert_eq!(number(value), value.to_string());
        }
    }
}

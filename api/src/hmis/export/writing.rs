//! Writing files into the ZIP: one record filled by column name, a file written from
//! keyset-paginated batches through a CSV writer, progress reported per batch.

use std::io::Write;

use chrono::{NaiveDate, NaiveDateTime};
use threshold_persistence::DbConnection;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use crate::hmis::columns::{ColumnType, CsvFile};
use crate::hmis::{format_date, format_datetime};

use super::{Batch, ExportError, Progress, Writer, BATCH};

/// One row of a file, filled by column name and written in the file's column order.
pub(super) struct Record {
    file: &'static CsvFile,
    values: Vec<String>,
}

impl Record {
    pub(super) fn new(file: &'static CsvFile) -> Record {
        Record {
            file,
            values: vec![String::new(); file.columns.len()],
        }
    }

    pub(super) fn set(&mut self, column: &str, value: impl Into<String>) -> &mut Record {
        match self.file.position(column) {
            Some(position) => self.values[position] = value.into(),
            None => debug_assert!(false, "{} has no column {column}", self.file.name),
        }
        self
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

    pub(super) fn int(&mut self, column: &str, value: Option<i32>) {
        self.set_opt(column, value, |value| value.to_string());
    }

    /// The values as written: required codes we hold nothing for are 99 ("data not
    /// collected"), and text is cut to the column's length.
    pub(super) fn finish(mut self) -> Vec<String> {
        for (value, column) in self.values.iter_mut().zip(self.file.columns) {
            match column.kind {
                ColumnType::Integer if column.required && value.is_empty() => {
                    *value = "99".into();
                }
                ColumnType::Text(length) if value.chars().count() > length => {
                    *value = value.chars().take(length).collect();
                }
                _ => {}
            }
        }
        self.values
    }
}

impl<W: Write> Writer<'_, W> {
    /// Writes one file from keyset-paginated batches.
    pub(super) fn file<T>(
        &mut self,
        conn: &mut DbConnection,
        file: &'static CsvFile,
        next: &mut Batch<'_, T>,
        id_of: impl Fn(&T) -> &String,
        records: impl Fn(&mut Self, &T) -> Vec<Record>,
    ) -> Result<(), ExportError> {
        self.start(file)?;
        let mut rows = 0;
        let mut after: Option<String> = None;
        loop {
            let batch = next(conn, after.as_deref())?;
            let Some(last) = batch.last() else { break };
            after = Some(id_of(last).clone());
            let mut lines = Vec::with_capacity(batch.len());
            for row in &batch {
                for record in records(self, row) {
                    lines.push(self.finish(record));
                }
            }
            self.write(&lines)?;
            rows += lines.len() as u64;
            self.report(file, rows, false);
            if batch.len() < BATCH as usize {
                break;
            }
        }
        self.report(file, rows, true);
        Ok(())
    }

    /// Starts a file in the ZIP with its header row.
    pub(super) fn start(&mut self, file: &'static CsvFile) -> Result<(), ExportError> {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .large_file(false);
        self.zip.start_file(file.file_name(), options)?;
        let header: Vec<String> = file.header().map(str::to_owned).collect();
        self.write(&[header])
    }

    /// Writes records through a CSV writer into the ZIP, one batch at a time.
    pub(super) fn write(&mut self, lines: &[Vec<String>]) -> Result<(), ExportError> {
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(&mut *self.zip);
        for line in lines {
            csv.write_record(line)?;
        }
        csv.flush()?;
        Ok(())
    }

    /// The values of a record, with this export's ExportID.
    pub(super) fn finish(&mut self, record: Record) -> Vec<String> {
        let mut values = record.finish();
        if let Some(position) = values.len().checked_sub(1) {
            // ExportID is the last column of every file but Export.csv, which sets it itself.
            if values[position].is_empty() {
                values[position] = self.request.export_id.clone();
            }
        }
        values
    }

    pub(super) fn report(&mut self, file: &CsvFile, rows: u64, done: bool) {
        (self.progress)(Progress {
            file: file.name,
            rows,
            done,
        });
    }
}

pub(super) fn flag(value: bool) -> &'static str {
    if value {
        "1"
    } else {
        "0"
    }
}

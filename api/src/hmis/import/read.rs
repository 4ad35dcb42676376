//! Reading an HMIS CSV archive: the ZIP's entries, checked against ZIP bombs and paths that
//! climb out, and each file's rows with columns found by header name.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use super::ImportError;

/// Entries an archive may hold; the format has about twenty files.
pub const MAX_ENTRIES: usize = 64;

/// Largest size of one file once uncompressed.
pub const MAX_ENTRY_BYTES: u64 = 512 * 1024 * 1024;

/// The files an import reads, in the order their records depend on each other.
pub const FILES: [&str; 11] = [
    "Export",
    "Organization",
    "User",
    "Project",
    "Funder",
    "Client",
    "Enrollment",
    "Exit",
    "Assessment",
    "AssessmentQuestions",
    "Services",
];

/// One CSV file: its header, lower-cased, and its rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// `Client.csv`, as the format names it.
    pub file: String,
    columns: BTreeMap<String, usize>,
    pub rows: Vec<Row>,
}

/// One row and the line it starts on (the header is line 1).
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
}

impl Table {
    /// Where a column is, by its name in any case.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.get(&name.to_ascii_lowercase()).copied()
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.column(name).is_some()
    }
}

/// The files of an archive, by their name in the format (`Client`), those absent left out.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    pub tables: BTreeMap<&'static str, Table>,
}

impl Archive {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }
}

fn archive_error(reason: impl Into<String>) -> ImportError {
    ImportError {
        file: String::new(),
        line: None,
        column: None,
        reason: reason.into(),
    }
}

/// Reads every file the import knows; other files are ignored.
pub fn read_archive(bytes: &[u8]) -> Result<Archive, Vec<ImportError>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|error| {
        vec![archive_error(format!(
            "the body is not a ZIP archive: {error}"
        ))]
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(vec![archive_error(format!(
            "the archive holds {} entries; at most {MAX_ENTRIES} are accepted",
            zip.len()
        ))]);
    }
    let mut errors = Vec::new();
    let mut archive = Archive::default();
    for index in 0..zip.len() {
        let entry = match zip.by_index(index) {
            Ok(entry) => entry,
            Err(error) => {
                errors.push(archive_error(format!(
                    "entry {index} cannot be read: {error}"
                )));
                continue;
            }
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if name.contains('/') || name.contains('\\') || name.contains("..") {
            errors.push(ImportError {
                file: name.clone(),
                line: None,
                column: None,
                reason: format!(
                    "the entry `{name}` is not at the root of the archive: files must sit at \
                     the root, with no folder and no `..`"
                ),
            });
            continue;
        }
        if entry.size() > MAX_ENTRY_BYTES {
            errors.push(ImportError {
                file: name.clone(),
                line: None,
                column: None,
                reason: format!(
                    "the entry is {} bytes uncompressed; at most {MAX_ENTRY_BYTES} are accepted",
                    entry.size()
                ),
            });
            continue;
        }
        let Some(known) = FILES
            .iter()
            .find(|file| name.eq_ignore_ascii_case(&format!("{file}.csv")))
        else {
            continue;
        };
        // The declared size may lie: never read more than the cap, whatever it says.
        let mut content = Vec::new();
        let read = entry.take(MAX_ENTRY_BYTES + 1).read_to_end(&mut content);
        if let Err(error) = read {
            errors.push(ImportError {
                file: format!("{known}.csv"),
                line: None,
                column: None,
                reason: format!("the file cannot be read: {error}"),
            });
            continue;
        }
        if content.len() as u64 > MAX_ENTRY_BYTES {
            errors.push(ImportError {
                file: format!("{known}.csv"),
                line: None,
                column: None,
                reason: format!("the file is larger than {MAX_ENTRY_BYTES} bytes uncompressed"),
            });
            continue;
        }
        match read_table(&format!("{known}.csv"), &content) {
            Ok(table) => {
                archive.tables.insert(known, table);
            }
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(archive)
    } else {
        Err(errors)
    }
}

/// Reads one CSV file: UTF-8 (a byte order mark is dropped), header first, CRLF or LF,
/// quoted fields holding commas and line breaks.
pub fn read_table(file: &str, content: &[u8]) -> Result<Table, ImportError> {
    let content = content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(content);
    let fail = |line: Option<u64>, reason: String| ImportError {
        file: file.to_owned(),
        line,
        column: None,
        reason,
    };
    let headers = reader
        .headers()
        .map_err(|error| fail(Some(1), format!("the header cannot be read: {error}")))?
        .clone();
    let mut columns = BTreeMap::new();
    for (index, name) in headers.iter().enumerate() {
        columns
            .entry(name.trim().to_ascii_lowercase())
            .or_insert(index);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error
                .position()
                .map(|position| line_at(content, position.byte()));
            fail(line, format!("the row cannot be read: {error}"))
        })?;
        let line = record
            .position()
            .map_or(0, |position| line_at(content, position.byte()));
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        rows.push(Row {
            line,
            fields: record.iter().map(|field| field.trim().to_owned()).collect(),
        });
    }
    Ok(Table {
        file: file.to_owned(),
        columns,
        rows,
    })
}

/// The line (1-based) of the first character at or after `byte`. The reader's own line
/// count is one short after a CRLF, whose LF it counts as part of the next record.
fn line_at(content: &[u8], byte: u64) -> u64 {
    let mut start = usize::try_from(byte)
        .unwrap_or(usize::MAX)
        .min(content.len());
    while start < content.len() && matches!(content[start], b'\r' | b'\n') {
        start += 1;
    }
    1 + content[..start].iter().filter(|&&b| b == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bom_crlf_and_quoted_fields() {
        let content = "\u{FEFF}PersonalID,FirstName\r\nC-1,\"Lee, Jr.\nthe second\"\r\nC-2,Ana\r\n";
        let table = read_table("Client.csv", content.as_bytes()).unwrap();
        assert_eq!(table.column("personalid"), Some(0));
        assert_eq!(table.column("FIRSTNAME"), Some(1));
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].line, 2);
        assert_eq!(table.rows[0].fields[1], "Lee, Jr.\nthe second");
        assert_eq!(table.rows[1].line, 4);
        let unix = read_table("Client.csv", b"PersonalID\nC-1\nC-2\n").unwrap();
        assert_eq!(unix.rows[0].line, 2);
        assert_eq!(unix.rows[1].line, 3);
    }
}

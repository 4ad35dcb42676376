//! Reading an HMIS CSV archive: the ZIP's entries, checked against ZIP bombs and paths that
//! climb out, and each file's rows with columns found by header name.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use super::directory;
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

/// One row and the line it starts on (the header is line 1). The fields, trimmed, are kept
/// end to end in one string: a large file's rows then take little more memory than its text.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    text: Box<str>,
    /// Where each field ends in `text`.
    ends: Box<[u32]>,
}

impl Row {
    pub fn new<'a>(line: u64, fields: impl IntoIterator<Item = &'a str> + Clone) -> Row {
        let length = fields.clone().into_iter().map(str::len).sum();
        let mut text = String::with_capacity(length);
        let mut ends = Vec::new();
        for field in fields {
            text.push_str(field);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Row {
            line,
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    /// The field at `index`, if the row has that many.
    pub fn field(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] as usize,
        };
        self.text.get(start..end)
    }
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

/// An archive whose entries passed the checks: each file the import knows is read (and its
/// text given back) only when its turn comes, so no more than one is held at a time.
pub struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// The entry of each file the import knows, by its name in the format (`Client`).
    entries: BTreeMap<&'static str, usize>,
}

impl Archive<'_> {
    /// The rows of a file, by its name in the format (`Client`): an empty table when the
    /// archive has no such file.
    pub fn read(&mut self, name: &'static str) -> Result<Table, ImportError> {
        let Some(&index) = self.entries.get(name) else {
            return Ok(Table::default());
        };
        let file = format!("{name}.csv");
        let fail = |reason: String| ImportError {
            file: file.clone(),
            line: None,
            column: None,
            reason,
        };
        let entry = self
            .zip
            .by_index(index)
            .map_err(|error| fail(format!("the file cannot be read: {error}")))?;
        // The declared size may lie: never read more than the cap, whatever it says, and
        // only trust it so far for the buffer.
        let expected = entry.size().min(READ_AHEAD_BYTES);
        let mut content = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        entry
            .take(MAX_ENTRY_BYTES + 1)
            .read_to_end(&mut content)
            .map_err(|error| fail(format!("the file cannot be read: {error}")))?;
        if content.len() as u64 > MAX_ENTRY_BYTES {
            return Err(fail(format!(
                "the file is larger than {MAX_ENTRY_BYTES} bytes uncompressed"
            )));
        }
        read_table(&file, &content)
    }
}

/// Most of a file's declared size that is allocated before reading it.
const READ_AHEAD_BYTES: u64 = 64 * 1024 * 1024;

fn archive_error(reason: impl Into<String>) -> ImportError {
    ImportError {
        file: String::new(),
        line: None,
        column: None,
        reason: reason.into(),
    }
}

/// Opens an archive whose directory passes [`directory::check`] (how many entries, their
/// names and declared sizes). The files the import knows are read later, one by one
/// ([`Archive::read`]); others are ignored.
pub fn read_archive(bytes: &[u8]) -> Result<Archive<'_>, Vec<ImportError>> {
    directory::check(bytes).map_err(|problems| {
        problems
            .into_iter()
            .map(|problem| ImportError {
                file: problem.entry.unwrap_or_default(),
                line: None,
                column: None,
                reason: problem.reason,
            })
            .collect::<Vec<_>>()
    })?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|error| {
        vec![archive_error(format!(
            "the body is not a ZIP archive: {error}"
        ))]
    })?;
    let mut errors = Vec::new();
    let mut entries = BTreeMap::new();
    for index in 0..zip.len() {
        let entry = match zip.by_index_raw(index) {
            Ok(entry) => entry,
            Err(error) => {
                errors.push(archive_error(format!(
                    "entry {index} cannot be read: {error}"
                )));
                continue;
            }
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if let Some(known) = FILES
            .iter()
            .find(|file| name.eq_ignore_ascii_case(&format!("{file}.csv")))
        {
            entries.insert(*known, index);
        }
    }
    if errors.is_empty() {
        Ok(Archive { zip, entries })
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
    let mut lines = Lines::new(content);
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let read = reader.read_record(&mut record).map_err(|error| {
            let line = error.position().map(|position| lines.at(position.byte()));
            fail(line, format!("the row cannot be read: {error}"))
        })?;
        if !read {
            break;
        }
        let line = record
            .position()
            .map_or(0, |position| lines.at(position.byte()));
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        // No HMIS value holds a NUL, and PostgreSQL cannot store one in text.
        if let Some(index) = record.iter().position(|field| field.contains('\0')) {
            return Err(ImportError {
                file: file.to_owned(),
                line: Some(line),
                column: headers.get(index).map(|name| name.trim().to_owned()),
                reason: "the field holds a NUL character".into(),
            });
        }
        rows.push(Row::new(line, record.iter().map(str::trim)));
    }
    rows.shrink_to_fit();
    Ok(Table {
        file: file.to_owned(),
        columns,
        rows,
    })
}

/// Line numbers of a file's rows. The reader's own line count is one short after a CRLF,
/// whose LF it counts as part of the next record; so lines are counted here, from where the
/// previous row was, as rows come in order: counting from the file's start for every row
/// took time growing with the square of the file's size.
struct Lines<'a> {
    content: &'a [u8],
    /// How far the line breaks are counted, and how many there are before it.
    counted: usize,
    breaks: u64,
}

impl<'a> Lines<'a> {
    fn new(content: &'a [u8]) -> Lines<'a> {
        Lines {
            content,
            counted: 0,
            breaks: 0,
        }
    }

    /// The line (1-based) of the first character at or after `byte` that is no line break.
    fn at(&mut self, byte: u64) -> u64 {
        let content = self.content;
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(content.len());
        while start < content.len() && matches!(content[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.counted {
            self.counted = 0;
            self.breaks = 0;
        }
        self.breaks += content[self.counted..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.counted = start;
        1 + self.breaks
    }
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
        assert_eq!(table.rows[0].field(1), Some("Lee, Jr.\nthe second"));
        assert_eq!(table.rows[0].field(2), None);
        assert_eq!(table.rows[1].line, 4);
        let unix = read_table("Client.csv", b"PersonalID\nC-1\nC-2\n").unwrap();
        assert_eq!(unix.rows[0].line, 2);
        assert_eq!(unix.rows[1].line, 3);
    }

    #[test]
    fn a_nul_is_refused_where_it_is() {
        let content = b"PersonalID,FirstName\r\nC-1,Ana\r\nC-2,\"A\0na\"\r\n";
        let error = read_table("Client.csv", content).unwrap_err();
        assert_eq!(error.line, Some(3));
        assert_eq!(error.column.as_deref(), Some("FirstName"));
    }
}

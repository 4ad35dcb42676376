//! Reading an HMIS CSV archive: the ZIP's entries, checked against ZIP bombs and paths that
//! climb out, and each file's rows with columns found by header name.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Seek};

use threshold_domain::hmis_csv::CsvVersion;

use super::directory;
use super::{codes, ImportError};

/// Entries an archive may hold; the format has about twenty files.
pub const MAX_ENTRIES: usize = 64;

/// Largest size of one file once uncompressed.
pub const MAX_ENTRY_BYTES: u64 = 512 * 1024 * 1024;

/// The files an import reads, in the order their records depend on each other.
pub const FILES: [&str; 24] = [
    "Export",
    "Organization",
    "User",
    "Project",
    "Funder",
    "ProjectCoC",
    "Inventory",
    "Affiliation",
    "HMISParticipation",
    "CEParticipation",
    "Client",
    "Enrollment",
    "Exit",
    "Assessment",
    "AssessmentQuestions",
    "AssessmentResults",
    "Services",
    "IncomeBenefits",
    "HealthAndDV",
    "EmploymentEducation",
    "Disabilities",
    "CurrentLivingSituation",
    "Event",
    "YouthEducationStatus",
];

/// One CSV file: its header, lower-cased, and its rows. The fields of every row, trimmed,
/// are kept end to end in one string: a large file then takes little more memory than its
/// text, in a few allocations.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// `Client.csv`, as the format names it.
    pub file: String,
    columns: BTreeMap<String, usize>,
    /// The columns looked up so far, by name: see [`Table::column`].
    found: FoundColumns,
    text: String,
    /// Where each field ends, from its row's start in `text`, row after row.
    ends: Ends,
    pub rows: Vec<Row>,
}

/// Field ends within their row: two bytes each while every row is shorter than 64 KiB, as
/// rows are (a file of 60 columns, most of them empty, has as many ends as characters).
#[derive(Debug, Clone)]
enum Ends {
    Short(Vec<u16>),
    Long(Vec<u32>),
}

impl Default for Ends {
    fn default() -> Ends {
        Ends::Short(Vec::new())
    }
}

impl Ends {
    fn len(&self) -> usize {
        match self {
            Ends::Short(ends) => ends.len(),
            Ends::Long(ends) => ends.len(),
        }
    }

    fn get(&self, at: usize) -> Option<usize> {
        match self {
            Ends::Short(ends) => ends.get(at).map(|end| usize::from(*end)),
            Ends::Long(ends) => ends.get(at).map(|end| *end as usize),
        }
    }

    fn push(&mut self, end: usize) {
        if let Ends::Short(short) = self {
            match u16::try_from(end) {
                Ok(end) => return short.push(end),
                Err(_) => *self = Ends::Long(short.iter().map(|end| u32::from(*end)).collect()),
            }
        }
        if let Ends::Long(long) = self {
            long.push(u32::try_from(end).unwrap_or(u32::MAX));
        }
    }

    fn shrink_to_fit(&mut self) {
        match self {
            Ends::Short(ends) => ends.shrink_to_fit(),
            Ends::Long(ends) => ends.shrink_to_fit(),
        }
    }
}

/// One row: the line it starts on (the header is line 1) and where its fields are.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub line: u64,
    /// Where its text starts in the table's `text`.
    start: u32,
    /// Its first field's place in the table's `ends`, and how many it has.
    first: u32,
    count: u32,
}

/// Column names a table remembers where it found: more than a file has columns (the files
/// of HUD's records have up to 60), so that few names share a place.
const FOUND: usize = 128;

/// Where a table found each column name it looked up, by where the name is in memory.
#[derive(Debug, Clone)]
struct FoundColumns([Cell<Option<Found>>; FOUND]);

impl Default for FoundColumns {
    fn default() -> FoundColumns {
        FoundColumns(std::array::from_fn(|_| Cell::new(None)))
    }
}

/// A column's name and where it was found, if it was.
type Found = (&'static str, Option<usize>);

impl Table {
    /// Where a column is, by its name in any case. Every cell is looked up by its column's
    /// name, a constant: the answer is remembered by where the name is in memory, which is
    /// told apart without reading it (searching the header for every cell took a tenth of
    /// the checks' time).
    pub fn column(&self, name: &'static str) -> Option<usize> {
        let slot = &self.found.0[(name.as_ptr() as usize >> 3) % FOUND];
        if let Some((known, found)) = slot.get() {
            if std::ptr::eq(known, name) {
                return found;
            }
        }
        let found = self.search(name);
        slot.set(Some((name, found)));
        found
    }

    /// [`Table::column`], searching the header.
    fn search(&self, name: &str) -> Option<usize> {
        // Lower-cased on the stack.
        let mut buffer = [0u8; 64];
        if let Some(lower) = buffer.get_mut(..name.len()) {
            lower.copy_from_slice(name.as_bytes());
            lower.make_ascii_lowercase();
            if let Ok(lower) = std::str::from_utf8(lower) {
                return self.columns.get(lower).copied();
            }
        }
        self.columns.get(&name.to_ascii_lowercase()).copied()
    }

    pub fn has_column(&self, name: &'static str) -> bool {
        self.column(name).is_some()
    }

    /// A row's field at `index`, if the row has that many.
    pub fn field(&self, row: &Row, index: usize) -> Option<&str> {
        let index = u32::try_from(index)
            .ok()
            .filter(|index| *index < row.count)?;
        let at = (row.first + index) as usize;
        let end = self.ends.get(at)?;
        let start = match index {
            0 => 0,
            _ => self.ends.get(at - 1)?,
        };
        let row_start = row.start as usize;
        self.text.get(row_start + start..row_start + end)
    }

    fn push<'f>(&mut self, line: u64, fields: impl Iterator<Item = &'f str>) {
        let first = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        let start = self.text.len();
        for field in fields {
            self.text.push_str(field);
            self.ends.push(self.text.len() - start);
        }
        let count = u32::try_from(self.ends.len()).unwrap_or(u32::MAX) - first;
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        self.rows.push(Row {
            line,
            start,
            first,
            count,
        });
    }
}

/// Where an archive is read from: its bytes (`Cursor<&[u8]>`) or a file (`&File`), read
/// again from the start by each of the checks that open it.
pub trait Source: Read + Seek + Clone {}

impl<R: Read + Seek + Clone> Source for R {}

/// An archive whose entries passed the checks: each file the import knows is read (and its
/// text given back) only when its turn comes, so no more than one is held at a time.
pub struct Archive<R> {
    zip: zip::ZipArchive<R>,
    /// The entry of each file the import knows, by its name in the format (`Client`).
    entries: BTreeMap<&'static str, usize>,
}

impl<R: Read + Seek> Archive<R> {
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
            code: codes::UNREADABLE.into(),
            reason,
            severity: crate::hmis::import::Severity::Error,
            caused_by: None,
        };
        let entry = self
            .zip
            .by_index(index)
            .map_err(|error| fail(format!("the file cannot be read: {error}")))?;
        // Parsed as it is uncompressed, never held whole; the declared size may lie, so it
        // only hints at the text's size, and no more than the cap is ever read.
        let hint = entry.size().min(READ_AHEAD_BYTES);
        read_stream(&file, entry, hint)
    }

    /// A file to read a number of rows at a time ([`Chunks`]), by its name in the format
    /// (`Disabilities`): `None` when the archive has no such file.
    pub fn chunks(
        &mut self,
        name: &'static str,
    ) -> Result<Option<Chunks<impl Read + use<'_, R>>>, ImportError> {
        let Some(&index) = self.entries.get(name) else {
            return Ok(None);
        };
        let file = format!("{name}.csv");
        let entry = self.zip.by_index(index).map_err(|error| {
            unreadable_at(&file, None, format!("the file cannot be read: {error}"))
        })?;
        Chunks::open(&file, entry).map(Some)
    }

    /// About how many rows a file holds (its line breaks), by its name in the format; 0
    /// when the archive has no such file or it cannot be read. For progress only: the file
    /// is uncompressed to count them.
    pub fn rows_about(&mut self, name: &'static str) -> u64 {
        let Some(&index) = self.entries.get(name) else {
            return 0;
        };
        let Ok(mut entry) = self.zip.by_index(index) else {
            return 0;
        };
        let mut buffer = vec![0u8; 256 * 1024];
        let mut lines = 0u64;
        let mut read = 0u64;
        while read <= MAX_ENTRY_BYTES {
            match entry.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(count) => {
                    read += count as u64;
                    lines += buffer[..count]
                        .iter()
                        .filter(|byte| **byte == b'\n')
                        .count() as u64;
                }
            }
        }
        // Less the header's.
        lines.saturating_sub(1)
    }
}

/// Most of a file's declared size that is reserved for its text before reading it.
const READ_AHEAD_BYTES: u64 = 64 * 1024 * 1024;

fn archive_error(reason: impl Into<String>) -> ImportError {
    ImportError {
        file: String::new(),
        line: None,
        column: None,
        code: codes::UNREADABLE.into(),
        reason: reason.into(),
        severity: crate::hmis::import::Severity::Error,
        caused_by: None,
    }
}

/// The version the archive's Export.csv names in `CSVVersion` (`None` when it names none, or
/// the archive has no readable Export.csv: the import says what is wrong with those); an
/// error naming the version when it is no version the import reads (contract:
/// `import.unsupported_version`).
pub fn csv_version(source: impl Source) -> Result<Option<CsvVersion>, ImportError> {
    match read_archive(source) {
        Ok(mut archive) => archive.csv_version(),
        Err(_) => Ok(None),
    }
}

impl<R: Read + Seek> Archive<R> {
    /// [`csv_version`] of an archive opened already.
    pub fn csv_version(&mut self) -> Result<Option<CsvVersion>, ImportError> {
        let Ok(export) = self.read("Export") else {
            return Ok(None);
        };
        let (Some(column), Some(row)) = (export.column("CSVVersion"), export.rows.first()) else {
            return Ok(None);
        };
        let text = export.field(row, column).unwrap_or_default();
        CsvVersion::of_csv_version(text).map_err(|unsupported| ImportError {
            file: "Export.csv".into(),
            line: Some(row.line),
            column: Some("CSVVersion".into()),
            code: codes::UNSUPPORTED_VERSION.into(),
            reason: unsupported.to_string(),
            severity: crate::hmis::import::Severity::Error,
            caused_by: None,
        })
    }
}

/// The names of the archive's files the import does not read, sorted: `Custom*.csv`, files
/// no HMIS CSV version names, and the HUD files it does not read yet. Empty for an archive
/// that cannot be opened (its job says why).
pub fn ignored_files(source: impl Read + Seek) -> Vec<String> {
    let Ok(mut zip) = zip::ZipArchive::new(source) else {
        return Vec::new();
    };
    let mut ignored: Vec<String> = (0..zip.len())
        .filter_map(|index| {
            let entry = zip.by_index_raw(index).ok()?;
            let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
            let read = FILES
                .iter()
                .any(|file| name.eq_ignore_ascii_case(&format!("{file}.csv")));
            (!read && !entry.is_dir()).then_some(name)
        })
        .collect();
    ignored.sort();
    ignored
}

/// Opens an archive whose directory passes [`directory::check`] (how many entries, their
/// names and declared sizes). The files the import knows are read later, one by one
/// ([`Archive::read`]); others are ignored.
pub fn read_archive<R: Source>(source: R) -> Result<Archive<R>, Vec<ImportError>> {
    directory::check(source.clone()).map_err(|problems| {
        problems
            .into_iter()
            .map(|problem| ImportError {
                file: problem.entry.unwrap_or_default(),
                line: None,
                column: None,
                code: problem.code.into(),
                reason: problem.reason,
                severity: crate::hmis::import::Severity::Error,
                caused_by: None,
            })
            .collect::<Vec<_>>()
    })?;
    let mut zip = zip::ZipArchive::new(source).map_err(|error| {
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
    read_stream(file, content, content.len() as u64)
}

/// [`read_table`] from a reader, at most [`MAX_ENTRY_BYTES`] of it; `hint` is about how
/// large it is.
fn read_stream(file: &str, content: impl Read, hint: u64) -> Result<Table, ImportError> {
    let mut chunks = Chunks::open(file, content)?;
    let mut table = chunks.next_rows(usize::MAX, hint)?;
    table.text.shrink_to_fit();
    table.ends.shrink_to_fit();
    table.rows.shrink_to_fit();
    Ok(table)
}

/// A file read a number of rows at a time: each part a [`Table`] of its own, with the
/// file's header and the rows' own lines. The largest files of an archive are checked and
/// written a part at a time, so that no more than a part is held.
pub struct Chunks<R> {
    file: String,
    reader: csv::Reader<Breaks<R>>,
    headers: csv::StringRecord,
    columns: BTreeMap<String, usize>,
    lines: Lines,
    record: csv::StringRecord,
    finished: bool,
}

impl<R: Read> Chunks<Chained<R>> {
    /// Reads the header of `content`, a file named `file`.
    fn open(file: &str, content: R) -> Result<Chunks<Chained<R>>, ImportError> {
        let content = without_bom(content.take(MAX_ENTRY_BYTES + 1))
            .map_err(|error| unreadable(file, &error))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(Breaks::new(content));
        let headers = match reader.headers() {
            Ok(headers) => headers.clone(),
            Err(error) => {
                return Err(too_large(file, reader.get_ref()).unwrap_or_else(|| {
                    match error.kind() {
                        csv::ErrorKind::Io(_) => row_error(file, error, None),
                        _ => unreadable_at(
                            file,
                            Some(1),
                            format!("the header cannot be read: {error}"),
                        ),
                    }
                }))
            }
        };
        let mut columns = BTreeMap::new();
        for (index, name) in headers.iter().enumerate() {
            columns
                .entry(name.trim().to_ascii_lowercase())
                .or_insert(index);
        }
        Ok(Chunks {
            file: file.to_owned(),
            reader,
            headers,
            columns,
            lines: Lines::default(),
            record: csv::StringRecord::new(),
            finished: false,
        })
    }
}

impl<R: Read> Chunks<R> {
    /// Whether every row has been read.
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// The next `rows` rows at most (fewer at the end of the file, none after it); `hint`
    /// is about how large their text is.
    pub fn next_rows(&mut self, rows: usize, hint: u64) -> Result<Table, ImportError> {
        let file = self.file.as_str();
        let mut table = Table {
            file: file.to_owned(),
            columns: self.columns.clone(),
            found: Default::default(),
            // The text less the delimiters and quotes.
            text: String::with_capacity(usize::try_from(hint).unwrap_or(0)),
            ends: Ends::default(),
            rows: Vec::new(),
        };
        while !self.finished && table.rows.len() < rows {
            let read = match self.reader.read_record(&mut self.record) {
                Ok(read) => read,
                Err(error) => {
                    let breaks = self.reader.get_ref();
                    if let Some(error) = too_large(file, breaks) {
                        return Err(error);
                    }
                    let line = error
                        .position()
                        .map(|position| self.lines.at(&breaks.at, position.byte()));
                    return Err(row_error(file, error, line));
                }
            };
            if !read {
                self.finished = true;
                break;
            }
            let breaks = &self.reader.get_ref().at;
            let line = self
                .record
                .position()
                .map_or(0, |position| self.lines.at(breaks, position.byte()));
            if self.record.iter().all(|field| field.trim().is_empty()) {
                continue;
            }
            // No HMIS value holds a NUL, and PostgreSQL cannot store one in text.
            if let Some(index) = self.record.iter().position(|field| field.contains('\0')) {
                return Err(ImportError {
                    file: file.to_owned(),
                    line: Some(line),
                    column: self.headers.get(index).map(|name| name.trim().to_owned()),
                    code: codes::UNREADABLE.into(),
                    reason: "the field holds a NUL character".into(),
                    severity: crate::hmis::import::Severity::Error,
                    caused_by: None,
                });
            }
            table.push(line, self.record.iter().map(str::trim));
        }
        if let Some(error) = too_large(file, self.reader.get_ref()) {
            return Err(error);
        }
        Ok(table)
    }
}

/// What a file's content is read through: less its byte order mark, no more than the cap.
type Chained<R> = std::io::Chain<Cursor<Vec<u8>>, std::io::Take<R>>;

fn unreadable_at(file: &str, line: Option<u64>, reason: String) -> ImportError {
    ImportError {
        file: file.to_owned(),
        line,
        column: None,
        code: codes::UNREADABLE.into(),
        reason,
        severity: crate::hmis::import::Severity::Error,
        caused_by: None,
    }
}

fn unreadable(file: &str, error: &std::io::Error) -> ImportError {
    unreadable_at(file, None, format!("the file cannot be read: {error}"))
}

fn row_error(file: &str, error: csv::Error, line: Option<u64>) -> ImportError {
    match error.kind() {
        csv::ErrorKind::Io(error) => unreadable(file, error),
        _ => unreadable_at(file, line, format!("the row cannot be read: {error}")),
    }
}

fn too_large<R>(file: &str, breaks: &Breaks<R>) -> Option<ImportError> {
    (breaks.read > MAX_ENTRY_BYTES).then(|| {
        unreadable_at(
            file,
            None,
            format!("the file is larger than {MAX_ENTRY_BYTES} bytes uncompressed"),
        )
    })
}

/// The content less a UTF-8 byte order mark at its start.
fn without_bom<R: Read>(mut content: R) -> std::io::Result<std::io::Chain<Cursor<Vec<u8>>, R>> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let mut start = [0u8; 3];
    let mut got = 0;
    while got < start.len() {
        match content.read(&mut start[got..])? {
            0 => break,
            read => got += read,
        }
    }
    let kept = if start[..got] == *BOM { 0 } else { got };
    Ok(Cursor::new(start[..kept].to_vec()).chain(content))
}

/// Marks `\n` among the breaks.
const NEWLINE: u32 = 1 << 31;

/// A file as the reader takes it in: how many bytes came, and where the line breaks were
/// (`\r` and `\n`), so rows can be given their lines without holding the file.
struct Breaks<R> {
    inner: R,
    read: u64,
    /// Offsets of the `\r` and `\n` bytes, in order, a `\n`'s marked with [`NEWLINE`]
    /// (files are far smaller than 2 GiB).
    at: Vec<u32>,
}

impl<R> Breaks<R> {
    fn new(inner: R) -> Breaks<R> {
        Breaks {
            inner,
            read: 0,
            at: Vec::new(),
        }
    }
}

impl<R: Read> Read for Breaks<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        for (offset, byte) in buffer[..read].iter().enumerate() {
            let mark = match byte {
                b'\n' => NEWLINE,
                b'\r' => 0,
                _ => continue,
            };
            let at = self.read + offset as u64;
            self.at
                .push(u32::try_from(at).unwrap_or(!NEWLINE) & !NEWLINE | mark);
        }
        self.read += read as u64;
        Ok(read)
    }
}

/// Line numbers of a file's rows. The reader's own line count is one short after a CRLF,
/// whose LF it counts as part of the next record; so lines are counted here, from the
/// breaks, on from where the previous row was, as rows come in order: counting from the
/// file's start for every row took time growing with the square of the file's size.
#[derive(Default)]
struct Lines {
    /// The breaks before `start` are counted: `newlines` of them are `\n`.
    next: usize,
    newlines: u64,
    start: u64,
}

impl Lines {
    /// The line (1-based) of the first character at or after `byte` that is no line break.
    fn at(&mut self, breaks: &[u32], byte: u64) -> u64 {
        let offset = |mark: u32| u64::from(mark & !NEWLINE);
        if byte < self.start {
            *self = Lines::default();
        }
        let mut start = byte;
        loop {
            while let Some(&mark) = breaks.get(self.next) {
                if offset(mark) >= start {
                    break;
                }
                if mark & NEWLINE != 0 {
                    self.newlines += 1;
                }
                self.next += 1;
            }
            match breaks.get(self.next) {
                Some(&mark) if offset(mark) == start => start += 1,
                _ => break,
            }
        }
        self.start = start;
        1 + self.newlines
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
        assert_eq!(table.field(&table.rows[0], 1), Some("Lee, Jr.\nthe second"));
        assert_eq!(table.field(&table.rows[0], 2), None);
        assert_eq!(table.field(&table.rows[1], 0), Some("C-2"));
        assert_eq!(table.rows[1].line, 4);
        let unix = read_table("Client.csv", b"PersonalID\nC-1\nC-2\n").unwrap();
        assert_eq!(unix.rows[0].line, 2);
        assert_eq!(unix.rows[1].line, 3);
    }

    #[test]
    fn columns_are_found_again_however_often_they_are_asked_for() {
        let table =
            read_table("Client.csv", b"PersonalID,FirstName,LastName\nC-1,Ana,Lu\n").unwrap();
        for _ in 0..3 {
            assert_eq!(table.column("PersonalID"), Some(0));
            assert_eq!(table.column("personalid"), Some(0));
            assert_eq!(table.column("LastName"), Some(2));
            assert_eq!(table.column("DOB"), None);
            assert_eq!(table.column("FirstName"), Some(1));
        }
    }

    /// A reader that hands over one byte at a time, as a slow decompressor may.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buffer.first_mut()) {
                (Some((byte, rest)), Some(slot)) => {
                    *slot = *byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn lines_stay_right_however_the_file_arrives() {
        let content =
            "\u{FEFF}PersonalID,Note\r\n\r\nC-1,\"one\r\ntwo\"\r\nC-2,x\nC-3,\"\n\"\r\n\r\nC-4,y";
        let whole = read_table("Client.csv", content.as_bytes()).unwrap();
        let trickled = read_stream("Client.csv", Trickle(content.as_bytes()), 0).unwrap();
        for table in [&whole, &trickled] {
            let lines: Vec<u64> = table.rows.iter().map(|row| row.line).collect();
            assert_eq!(lines, [3, 5, 6, 9]);
            assert_eq!(table.field(&table.rows[0], 1), Some("one\r\ntwo"));
            assert_eq!(table.field(&table.rows[3], 0), Some("C-4"));
        }
        let bare = read_table("Client.csv", b"Pe").unwrap();
        assert_eq!(bare.column("pe"), Some(0));
        assert!(bare.rows.is_empty());
    }

    #[test]
    fn a_row_of_64_kib_or_more_keeps_its_fields() {
        let long = "n".repeat(70_000);
        let content = format!("PersonalID,Note,Last\nC-1,short,a\nC-2,{long},b\nC-3,,c\n");
        let table = read_table("Client.csv", content.as_bytes()).unwrap();
        assert_eq!(table.field(&table.rows[0], 1), Some("short"));
        assert_eq!(table.field(&table.rows[1], 1), Some(long.as_str()));
        assert_eq!(table.field(&table.rows[1], 2), Some("b"));
        assert_eq!(table.field(&table.rows[2], 1), Some(""));
        assert_eq!(table.field(&table.rows[2], 2), Some("c"));
        assert_eq!(table.rows[2].line, 4);
    }

    #[test]
    fn a_nul_is_refused_where_it_is() {
        let content = b"PersonalID,FirstName\r\nC-1,Ana\r\nC-2,\"A\0na\"\r\n";
        let error = read_table("Client.csv", content).unwrap_err();
        assert_eq!(error.line, Some(3));
        assert_eq!(error.column.as_deref(), Some("FirstName"));
    }
}

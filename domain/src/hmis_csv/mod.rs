//! The files of an HMIS CSV export as HUD's HMIS CSV Format Specifications FY2026 and FY2024
//! define them: every file's columns in header order, what each holds (text of at most n
//! characters, a code of a HUD list, a date, ...), whether it may be empty, and the field the
//! API exposes it as. The one place that says which list an integer column takes: the import
//! checks rows against it, the export writes headers from it.
//!
//! `fy2026` and `fy2024` are generated from `domain/hud/` by `scripts/gen-hud-codes.py`.
//! HUD's lists are FY2026's (`codes`): an FY2024 column names the FY2026 list of the same
//! codes (FundingSource 47 and 48, valid in FY2024, are not in it; SSVFServices 10 is new),
//! and a list FY2026 retired with its column is `Coding::Retired`.

pub mod fy2024;
pub mod fy2026;
mod naming;
#[cfg(test)]
mod tests;

pub use naming::field_name;

use crate::codes::HudList;

/// A version of the specifications, as an export's `CSVVersion` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CsvVersion {
    /// FY2024 (`2024 v1.x`), in force until 2025-09-30.
    Fy2024,
    /// FY2026 (`2026 v1.0`), in force since 2025-10-01.
    Fy2026,
}

/// A `CSVVersion` no version of the specifications this project reads: FY2026 and FY2024.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "CSVVersion `{0}` is not a version this import reads: FY2026 (`2026 v1.x`) and FY2024 \
     (`2024 v1.x`) are"
)]
pub struct UnsupportedVersion(pub String);

impl CsvVersion {
    pub const ALL: [CsvVersion; 2] = [CsvVersion::Fy2024, CsvVersion::Fy2026];

    /// The version Export.csv's `CSVVersion` names (`2026 v1.0`, `2024 v1.3`); `None` when
    /// it is empty, which FY2024 allows (the files' headers tell then). Any other text, an
    /// FY2022 archive's `2022 v1.3` say, is no version this project reads.
    pub fn of_csv_version(text: &str) -> Result<Option<CsvVersion>, UnsupportedVersion> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let named = |year: &str| {
            text.strip_prefix(year)
                .map(str::trim_start)
                .and_then(|rest| rest.strip_prefix(['v', 'V']))
                .is_some_and(|release| release.starts_with('1'))
        };
        if named("2026") {
            Ok(Some(CsvVersion::Fy2026))
        } else if named("2024") {
            Ok(Some(CsvVersion::Fy2024))
        } else {
            Err(UnsupportedVersion(text.to_owned()))
        }
    }

    /// Every file of an export of this version, Export.csv first.
    pub fn files(self) -> &'static [CsvFile] {
        match self {
            CsvVersion::Fy2024 => fy2024::FILES,
            CsvVersion::Fy2026 => fy2026::FILES,
        }
    }

    /// The file called `name` (without `.csv`), matched case-insensitively as a file name in
    /// an archive is.
    pub fn file(self, name: &str) -> Option<&'static CsvFile> {
        self.files()
            .iter()
            .find(|file| file.name.eq_ignore_ascii_case(name))
    }
}

/// One CSV file of an export: `name` without `.csv`, its columns in header order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvFile {
    pub name: &'static str,
    pub columns: &'static [Column],
}

impl CsvFile {
    /// `Client.csv` for `Client`.
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    /// The header row.
    pub fn header(&self) -> impl Iterator<Item = &'static str> {
        self.columns.iter().map(|column| column.name)
    }

    /// Where the column called `name` sits in the header, matched case-insensitively.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|column| column.name.eq_ignore_ascii_case(name))
    }

    /// The column called `name`, matched case-insensitively: HUD's files are read by header
    /// name, never by position, and producers differ in case (`WorkPlaceViolenceThreats`).
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns
            .iter()
            .find(|column| column.name.eq_ignore_ascii_case(name))
    }
}

/// One column of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// HUD's header (`TotalMonthlyIncome`).
    pub name: &'static str,
    /// The API's field for it (`total_monthly_income`): [`field_name`] of `name`.
    pub field: &'static str,
    pub kind: ColumnType,
    /// Never empty (HUD: "never null"); many other columns are required under conditions the
    /// specifications state in words.
    pub required: bool,
}

impl Column {
    /// The list of an integer column that takes one list whatever the rest of the row holds.
    pub fn list(&self) -> Option<HudList> {
        match self.kind {
            ColumnType::Integer(Coding::List(list)) => Some(list),
            _ => None,
        }
    }
}

/// What a column holds, as the specifications type it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text of at most this many characters (`S32` for IDs).
    Text(usize),
    /// An integer, coded by a HUD list or not.
    Integer(Coding),
    /// `yyyy-mm-dd`.
    Date,
    /// `yyyy-mm-dd hh:mm:ss`.
    DateTime,
    /// Dollars with at most two decimals.
    Money,
}

/// Which codes an integer column takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// A count, a year, a score: not a code.
    Uncoded,
    /// The codes of one list.
    List(HudList),
    /// The list depends on other integer columns of the row: the first whose conditions
    /// hold. When none holds the column has no list, and HUD expects it empty.
    Conditional(&'static [ListWhen]),
    /// FY2024 only: a list that FY2026 retired with its column (`R3.1 SexualOrientation`),
    /// whose codes the project does not hold.
    Retired(&'static str),
}

impl Coding {
    /// The list a value of the column must be a code of, given the row's other integer
    /// columns (`row` answers a column's value by its HUD name, `None` when it is empty).
    /// `None` for a column that is not coded or has no list in this row.
    pub fn list_for(&self, row: impl Fn(&str) -> Option<i32>) -> Option<HudList> {
        match *self {
            Coding::List(list) => Some(list),
            Coding::Conditional(lists) => lists
                .iter()
                .find(|candidate| candidate.holds(&row))
                .map(|candidate| candidate.list),
            Coding::Uncoded | Coding::Retired(_) => None,
        }
    }

    /// Whether the column may hold `code` in a row whose other integer columns `row`
    /// answers. Any integer of an uncoded column, and of a retired list the project cannot
    /// check; no value of a conditional column whose conditions none hold.
    pub fn accepts(&self, code: i32, row: impl Fn(&str) -> Option<i32>) -> bool {
        match self {
            Coding::Uncoded | Coding::Retired(_) => true,
            Coding::List(_) | Coding::Conditional(_) => {
                self.list_for(row).is_some_and(|list| list.is_valid(code))
            }
        }
    }
}

/// A list a conditional column takes when every condition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListWhen {
    pub when: &'static [ColumnIs],
    pub list: HudList,
}

impl ListWhen {
    fn holds(&self, row: &impl Fn(&str) -> Option<i32>) -> bool {
        self.when.iter().all(|condition| {
            row(condition.column).is_some_and(|value| condition.codes.contains(&value))
        })
    }
}

/// That another column of the row holds one of `codes` (`RecordType` is 144).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnIs {
    pub column: &'static str,
    pub codes: &'static [i32],
}

// The generated files' vocabulary: one short call per column, so that a file reads as the
// specifications' table does.

const REQUIRED: bool = true;
const OPTIONAL: bool = false;

const fn column(
    name: &'static str,
    field: &'static str,
    kind: ColumnType,
    required: bool,
) -> Column {
    Column {
        name,
        field,
        kind,
        required,
    }
}

const fn text(name: &'static str, field: &'static str, max: usize, required: bool) -> Column {
    column(name, field, ColumnType::Text(max), required)
}

const fn code(name: &'static str, field: &'static str, list: HudList, required: bool) -> Column {
    column(
        name,
        field,
        ColumnType::Integer(Coding::List(list)),
        required,
    )
}

const fn code_when(
    name: &'static str,
    field: &'static str,
    lists: &'static [ListWhen],
    required: bool,
) -> Column {
    column(
        name,
        field,
        ColumnType::Integer(Coding::Conditional(lists)),
        required,
    )
}

const fn uncoded(name: &'static str, field: &'static str, required: bool) -> Column {
    column(name, field, ColumnType::Integer(Coding::Uncoded), required)
}

const fn retired(
    name: &'static str,
    field: &'static str,
    list: &'static str,
    required: bool,
) -> Column {
    column(
        name,
        field,
        ColumnType::Integer(Coding::Retired(list)),
        required,
    )
}

const fn date(name: &'static str, field: &'static str, required: bool) -> Column {
    column(name, field, ColumnType::Date, required)
}

const fn datetime(name: &'static str, field: &'static str, required: bool) -> Column {
    column(name, field, ColumnType::DateTime, required)
}

const fn money(name: &'static str, field: &'static str, required: bool) -> Column {
    column(name, field, ColumnType::Money, required)
}

const fn list_when(when: &'static [ColumnIs], list: HudList) -> ListWhen {
    ListWhen { when, list }
}

const fn column_is(column: &'static str, codes: &'static [i32]) -> ColumnIs {
    ColumnIs { column, codes }
}

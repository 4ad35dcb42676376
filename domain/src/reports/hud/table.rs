//! The shape of a HUD report table: labelled rows and columns, and cells that name the
//! enrollments they count, so that a count can be listed and checked.

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::money::Cents;

/// One person in a count: the enrollment the report chose for the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Member {
    pub client_id: Uuid,
    pub enrollment_id: Uuid,
    pub household_id: Uuid,
    /// Imported though it breaks an enrollment rule: counted as it is, and said so.
    pub flagged: bool,
}

/// The members a count cell counts, sorted and without repeats.
pub type Members = BTreeSet<Member>;

/// Which cells keep the members they count: a report over a million enrollments shows
/// counts, and a drill-down lists the members of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail<'d> {
    /// Every cell's members (small reports and tests).
    All,
    /// Counts only.
    Counts,
    /// The members of one cell: HUD's question (`Q6a`) and cell reference (`B2`), any case.
    Cell { question: &'d str, cell: &'d str },
}

impl Detail<'_> {
    fn keeps(&self, question: &str, cell: &str) -> bool {
        match self {
            Detail::All => true,
            Detail::Counts => false,
            Detail::Cell {
                question: wanted,
                cell: at,
            } => wanted.eq_ignore_ascii_case(question) && at.eq_ignore_ascii_case(cell),
        }
    }
}

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// A count, and the members it counts when the [`Detail`] asked for them.
    Count {
        count: usize,
        members: Option<Members>,
    },
    /// A share, kept as its two counts so that nothing is rounded until it is shown.
    Rate {
        numerator: usize,
        denominator: usize,
    },
    /// An average amount of money (HUD's income change rows), to the nearest cent; `None`
    /// when there is nobody to average over.
    Amount(Option<Cents>),
}

impl CellValue {
    /// The number a count cell shows.
    pub fn count(&self) -> Option<usize> {
        match self {
            CellValue::Count { count, .. } => Some(*count),
            _ => None,
        }
    }

    pub fn members(&self) -> Option<&Members> {
        match self {
            CellValue::Count { members, .. } => members.as_ref(),
            _ => None,
        }
    }

    /// A rate as a fraction from 0 to 1; `None` for other cells and for a rate over nobody.
    pub fn fraction(&self) -> Option<f64> {
        match self {
            CellValue::Rate {
                numerator,
                denominator,
            } if *denominator > 0 => Some(*numerator as f64 / *denominator as f64),
            _ => None,
        }
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// HUD's spreadsheet reference: the column letter (B for the first column of values, as
    /// column A holds the row labels) and the row number (2 for the first row, as row 1
    /// holds the column labels). `B2`, `F7`: stable, and safe in a URL.
    pub id: String,
    pub row: &'static str,
    pub column: &'static str,
    pub value: CellValue,
}

/// One HUD question's table. Cells HUD greys out are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// HUD's question number, such as `Q6a`.
    pub question: &'static str,
    pub title: &'static str,
    pub rows: Vec<&'static str>,
    pub columns: Vec<&'static str>,
    pub cells: Vec<Cell>,
}

impl Table {
    /// The cell with HUD's reference `id` (`B2`), any case.
    pub fn cell(&self, id: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|cell| cell.id.eq_ignore_ascii_case(id))
    }

    /// The cell at a row and column label.
    pub fn at(&self, row: &str, column: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|cell| cell.row == row && cell.column == column)
    }
}

/// The cell `cell` (`B2`) of question `question` (`Q6a`, any case) among tables.
pub fn find_cell<'a>(tables: &'a [Table], question: &str, cell: &str) -> Option<&'a Cell> {
    tables
        .iter()
        .find(|table| table.question.eq_ignore_ascii_case(question))
        .and_then(|table| table.cell(cell))
}

/// HUD's reference of the cell at a row and column index (both from 0).
pub fn cell_id(row: usize, column: usize) -> String {
    let mut letters = Vec::new();
    // Column A holds the row labels, so the first column of values is B.
    let mut number = column + 2;
    while number > 0 {
        let rest = (number - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        number = (number - 1) / 26;
    }
    letters.reverse();
    let letters: String = letters.into_iter().collect();
    format!("{letters}{}", row + 2)
}

/// Fills a table by row and column index, so that labels are written once.
pub(super) struct TableBuilder<'d> {
    table: Table,
    filled: Vec<(usize, usize)>,
    detail: Detail<'d>,
}

impl<'d> TableBuilder<'d> {
    pub(super) fn new(
        detail: Detail<'d>,
        question: &'static str,
        title: &'static str,
        rows: &[&'static str],
        columns: &[&'static str],
    ) -> TableBuilder<'d> {
        TableBuilder {
            table: Table {
                question,
                title,
                rows: rows.to_vec(),
                columns: columns.to_vec(),
                cells: Vec::new(),
            },
            filled: Vec::new(),
            detail,
        }
    }

    pub(super) fn set(&mut self, row: usize, column: usize, value: CellValue) {
        let (Some(row_label), Some(column_label)) =
            (self.table.rows.get(row), self.table.columns.get(column))
        else {
            return;
        };
        let cell = Cell {
            id: cell_id(row, column),
            row: row_label,
            column: column_label,
            value,
        };
        match self.filled.iter().position(|at| *at == (row, column)) {
            Some(index) => self.table.cells[index] = cell,
            None => {
                self.filled.push((row, column));
                self.table.cells.push(cell);
            }
        }
    }

    /// A count cell of `members`, which are distinct (a set, or people of the universe:
    /// one per client).
    pub(super) fn count<'m>(
        &mut self,
        row: usize,
        column: usize,
        members: impl IntoIterator<Item = &'m Member>,
    ) {
        let value = if self
            .detail
            .keeps(self.table.question, &cell_id(row, column))
        {
            let members: Members = members.into_iter().copied().collect();
            CellValue::Count {
                count: members.len(),
                members: Some(members),
            }
        } else {
            CellValue::Count {
                count: members.into_iter().count(),
                members: None,
            }
        };
        self.set(row, column, value);
    }

    pub(super) fn rate(&mut self, row: usize, column: usize, numerator: usize, denominator: usize) {
        self.set(
            row,
            column,
            CellValue::Rate {
                numerator,
                denominator,
            },
        );
    }

    pub(super) fn build(self) -> Table {
        let mut cells: Vec<((usize, usize), Cell)> =
            self.filled.into_iter().zip(self.table.cells).collect();
        cells.sort_by_key(|(at, _)| *at);
        Table {
            cells: cells.into_iter().map(|(_, cell)| cell).collect(),
            ..self.table
        }
    }
}

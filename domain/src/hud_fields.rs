//! HUD fields, read from what a request (or a stored record) gives and checked against the
//! column catalog: each field a column of an HMIS CSV file, of the column's type (text of at
//! most its length, a code of its list, a date, an amount, a count that is never negative),
//! HMIS CSV FY2026 and the contract's "HUD fields: one naming rule".
//!
//! A [`FieldSet`] is the columns of one file that a resource exposes as HUD fields: an
//! enrollment record's collection (`hud_records::Collection`), a program's descriptor
//! (`program_descriptors::Descriptor`), or the HUD fields a client, an enrollment, an exit,
//! a program or an organization holds beside its own ([`resources::Resource`]).

pub mod resources;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::codes::HudList;
use crate::dates::Date;
use crate::hmis_csv::{Coding, Column, ColumnType, CsvFile};
use crate::money::Cents;
use crate::rules::FieldError;

/// The columns of one HMIS CSV file that a resource exposes as HUD fields.
pub trait FieldSet: Copy {
    /// The file the fields are columns of.
    fn file(self) -> &'static CsvFile;

    /// Whether `column` (of [`FieldSet::file`]) is one of the fields.
    fn is_field(self, column: &Column) -> bool;

    /// What a field holds beyond its column's type (a CoC code's form), as a message.
    fn check_value(self, _column: &Column, _value: &HudValue) -> Result<(), String> {
        Ok(())
    }

    /// The fields' columns, in the file's order.
    fn field_columns(self) -> impl Iterator<Item = &'static Column> {
        self.file()
            .columns
            .iter()
            .filter(move |column| self.is_field(column))
    }

    /// The column of the field called `field`, if the set has one (found by name first:
    /// every read of a record looks up each of its fields).
    fn field(self, field: &str) -> Option<&'static Column> {
        self.file()
            .columns
            .iter()
            .find(|column| column.field == field)
            .filter(|column| self.is_field(column))
    }
}

/// A value as a JSON body gives it, before it is read as a HUD field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Given<'a> {
    Null,
    Integer(i64),
    /// A number with a fraction (or beyond an `i64`).
    Number(f64),
    Text(&'a str),
    Bool(bool),
    /// An array or an object: no HUD field is one.
    Composite,
}

/// A HUD field's value, of its column's type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum HudValue {
    Text(String),
    /// A code of the column's list, or a count or year of an uncoded column.
    Integer(i32),
    Date(Date),
    Money(Cents),
}

/// A record's HUD fields that hold a value, by field name (an absent field and one given
/// as `null` are the same: HUD's empty column).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HudFields(BTreeMap<&'static str, HudValue>);

impl HudFields {
    pub fn get(&self, field: &str) -> Option<&HudValue> {
        self.0.get(field)
    }

    /// The integer (code) of `field`, if it holds one.
    pub fn code(&self, field: &str) -> Option<i32> {
        match self.0.get(field) {
            Some(HudValue::Integer(code)) => Some(*code),
            _ => None,
        }
    }

    pub fn money(&self, field: &str) -> Option<Cents> {
        match self.0.get(field) {
            Some(HudValue::Money(amount)) => Some(*amount),
            _ => None,
        }
    }

    pub fn text(&self, field: &str) -> Option<&str> {
        match self.0.get(field) {
            Some(HudValue::Text(text)) => Some(text),
            _ => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &HudValue)> {
        self.0.iter().map(|(field, value)| (*field, value))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// These fields with `changes` applied (a JSON Merge Patch: `None` clears a field).
    pub fn merged(&self, changes: &BTreeMap<&'static str, Option<HudValue>>) -> HudFields {
        let mut merged = self.0.clone();
        for (field, value) in changes {
            match value {
                Some(value) => merged.insert(field, value.clone()),
                None => merged.remove(field),
            };
        }
        HudFields(merged)
    }
}

/// Fields a body sets (`None` clears one: JSON Merge Patch).
pub type FieldChanges = BTreeMap<&'static str, Option<HudValue>>;

/// The fields of `changes` that hold a value.
pub fn present(changes: FieldChanges) -> HudFields {
    changes
        .into_iter()
        .filter_map(|(field, value)| value.map(|value| (field, value)))
        .collect()
}

/// Reads `entries` as HUD fields of `set`: every problem at once, as field errors
/// (`unknown_field` for a name the set has no column for; `invalid` for a value of the wrong
/// type, too long, not a code of its list, a negative count, or one the set's own check
/// refuses). A `null` is kept as `None` (the field is cleared by a patch, absent from a new
/// record).
pub fn parse_fields<'a>(
    set: impl FieldSet,
    entries: impl IntoIterator<Item = (&'a str, Given<'a>)>,
) -> (FieldChanges, Vec<FieldError>) {
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, given) in entries {
        let Some(column) = set.field(name) else {
            errors.push(FieldError::new(
                name,
                "unknown_field",
                format!("unknown field `{name}`"),
            ));
            continue;
        };
        let checked = read(column, given).and_then(|value| match &value {
            Some(held) => set.check_value(column, held).map(|()| value),
            None => Ok(value),
        });
        match checked {
            Ok(value) => {
                values.insert(column.field, value);
            }
            Err(message) => errors.push(FieldError::new(column.field, "invalid", message)),
        }
    }
    (values, errors)
}

/// HMIS CSV's "never null" columns among a new record's fields (a disability's
/// `disability_type` and `disability_response`, an event's `event`, ...) that hold no value.
pub fn check_required(set: impl FieldSet, fields: &HudFields) -> Vec<FieldError> {
    set.field_columns()
        .filter(|column| column.required && fields.get(column.field).is_none())
        .map(|column| {
            FieldError::new(
                column.field,
                "required",
                format!("`{}` is required", column.field),
            )
        })
        .collect()
}

/// Checks the codes of columns whose list depends on the row's other codes
/// (`disability_response` by `disability_type`), once the row is whole.
pub fn check_conditional_codes(set: impl FieldSet, fields: &HudFields) -> Vec<FieldError> {
    let row = |name: &str| {
        set.file()
            .column(name)
            .and_then(|column| fields.code(column.field))
    };
    set.field_columns()
        .filter_map(|column| {
            let ColumnType::Integer(coding @ Coding::Conditional(_)) = column.kind else {
                return None;
            };
            let code = fields.code(column.field)?;
            if coding.accepts(code, row) {
                return None;
            }
            // A rule across fields (the spec lists every code the field may take): said
            // apart from a code that is on no list the field takes.
            let message = match coding.list_for(row) {
                Some(list) => format!(
                    "{code} is not one of the codes `{}` takes with the record's other codes \
                     (HUD list {})",
                    column.field,
                    list.name()
                ),
                None => format!(
                    "`{}` takes no value with the record's other codes",
                    column.field
                ),
            };
            Some(FieldError::new(column.field, "invalid", message))
        })
        .collect()
}

/// Reads a cell of an HMIS CSV file (trimmed, not empty) as a value of `column`, as the
/// specifications type it: text of at most its length, an integer (a code of the column's
/// list when it has one list; a list that depends on the row is checked once the row is
/// whole, by [`check_conditional_codes`]), a date `yyyy-mm-dd`, dollars. A refusal names
/// the column by its header and says why by a code: `too_long`, `not_integer`,
/// `unknown_code`, `not_date`, `not_money`, `invalid` (a negative count).
pub fn read_cell(column: &Column, text: &str) -> Result<HudValue, FieldError> {
    let name = column.name;
    let refuse = |code, message: String| FieldError::new(name, code, message);
    match column.kind {
        ColumnType::Text(max) => {
            if text.len() > max && text.chars().count() > max {
                return Err(refuse(
                    "too_long",
                    format!("{name} is longer than {max} characters (S{max})"),
                ));
            }
            Ok(HudValue::Text(text.to_owned()))
        }
        ColumnType::Integer(coding) => {
            let code: i32 = text
                .parse()
                .map_err(|_| refuse("not_integer", format!("`{text}` is not an integer")))?;
            match coding {
                Coding::List(list) if !list.is_valid(code) => {
                    Err(refuse("unknown_code", not_a_code(code, list)))
                }
                Coding::Uncoded if code < 0 => {
                    Err(refuse("invalid", format!("{name} cannot be negative")))
                }
                _ => Ok(HudValue::Integer(code)),
            }
        }
        ColumnType::Date => Date::parse(text)
            .map(HudValue::Date)
            .map_err(|_| refuse("not_date", format!("`{text}` is not a date yyyy-mm-dd"))),
        ColumnType::Money => Cents::from_csv(text)
            .map(HudValue::Money)
            .ok_or_else(|| refuse("not_money", format!("`{text}` is not an amount of money"))),
        // No HUD field is a date and time: those are the files' bookkeeping.
        ColumnType::DateTime => Ok(HudValue::Text(text.to_owned())),
    }
}

fn not_a_code(code: i32, list: HudList) -> String {
    format!("{code} is not a code of HUD list {}", list.name())
}

pub(crate) fn read(column: &Column, given: Given<'_>) -> Result<Option<HudValue>, String> {
    let field = column.field;
    if given == Given::Null {
        return Ok(None);
    }
    let value = match (column.kind, given) {
        (ColumnType::Text(max), Given::Text(text)) => {
            if text.trim().is_empty() {
                return Err(format!("`{field}` is blank"));
            }
            if text.chars().count() > max {
                return Err(format!("`{field}` is longer than {max} characters"));
            }
            HudValue::Text(text.to_owned())
        }
        (ColumnType::Integer(coding), Given::Integer(number)) => {
            let code = i32::try_from(number)
                .map_err(|_| format!("{number} is out of range for `{field}`"))?;
            match coding {
                Coding::List(list) if !list.is_valid(code) => return Err(not_a_code(code, list)),
                // A count, a year or a score.
                Coding::Uncoded if code < 0 => {
                    return Err(format!("`{field}` cannot be negative"));
                }
                _ => {}
            }
            HudValue::Integer(code)
        }
        (ColumnType::Date, Given::Text(text)) => HudValue::Date(
            Date::parse(text)
                .map_err(|_| format!("`{field}` is not a date in the form YYYY-MM-DD"))?,
        ),
        (ColumnType::Money, Given::Integer(number)) => {
            HudValue::Money(amount(field, number as f64)?)
        }
        (ColumnType::Money, Given::Number(number)) => HudValue::Money(amount(field, number)?),
        (kind, _) => return Err(format!("`{field}` must be {}", expected(kind))),
    };
    Ok(Some(value))
}

/// HMIS CSV type M: dollars with at most two decimals, never negative.
fn amount(field: &str, dollars: f64) -> Result<Cents, String> {
    Cents::from_dollars(dollars).ok_or_else(|| {
        format!("`{field}` must be an amount of dollars from 0, with at most two decimals")
    })
}

fn expected(kind: ColumnType) -> &'static str {
    match kind {
        ColumnType::Text(_) => "text",
        ColumnType::Integer(Coding::List(_) | Coding::Conditional(_)) => "a HUD code",
        ColumnType::Integer(_) => "an integer",
        ColumnType::Date => "a date in the form YYYY-MM-DD",
        ColumnType::DateTime => "a date and time",
        ColumnType::Money => "an amount of dollars",
    }
}

impl FromIterator<(&'static str, HudValue)> for HudFields {
    fn from_iter<I: IntoIterator<Item = (&'static str, HudValue)>>(iter: I) -> Self {
        HudFields(iter.into_iter().collect())
    }
}

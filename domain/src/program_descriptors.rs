//! What a program records about itself beside its grants (HMIS Data Standards FY2026,
//! project descriptor data elements): 2.03 Continuum of Care information (ProjectCoC.csv),
//! 2.07 bed and unit inventory (Inventory.csv), 2.08 HMIS participation
//! (HMISParticipation.csv) and 2.09 coordinated entry participation (CEParticipation.csv),
//! each a [`Descriptor`] whose fields are its file's columns as the catalog (`hmis_csv`)
//! types them; and the rules between them and with 2.02.C affiliations ([`rules`]).

pub mod rules;
#[cfg(test)]
mod tests;

use crate::dates::check_date_order;
use crate::enrollment::CocCode;
use crate::hmis_csv::{fy2026, Column, ColumnType, CsvFile};
use crate::hud_fields::{FieldSet, HudFields, HudValue};
use crate::rules::FieldError;

pub use crate::hud_fields::{parse_fields, FieldChanges};

pub use rules::{check_affiliation, check_coc_removal, check_inventory_coc};

/// One kind of a program's descriptor records, kept as rows of its HMIS CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Descriptor {
    /// 2.03: a CoC the program serves, with its geocode and address.
    ProjectCoc,
    /// 2.07: beds and units for one household type in one CoC, over a period.
    Inventory,
    /// 2.08: whether the program took part in HMIS, over a period.
    HmisParticipation,
    /// 2.09: how the program took part in coordinated entry, over a period.
    CeParticipation,
}

/// The field of a CoC code (2.03.1, and the CoC an inventory counts in).
pub const COC_CODE: &str = "coc_code";

/// HMIS CSV CEParticipation.AccessPoint (2.09.1) and the columns HUD asks only of an access
/// point ("null unless AccessPoint = 1").
const ACCESS_POINT: &str = "access_point";
const ACCESS_POINT_ONLY: [&str; 4] = [
    "prevention_assessment",
    "crisis_assessment",
    "housing_assessment",
    "direct_services",
];

impl Descriptor {
    pub const ALL: [Descriptor; 4] = [
        Descriptor::ProjectCoc,
        Descriptor::Inventory,
        Descriptor::HmisParticipation,
        Descriptor::CeParticipation,
    ];

    /// The HMIS CSV file the records are rows of.
    pub const fn file(self) -> &'static CsvFile {
        match self {
            Descriptor::ProjectCoc => &fy2026::PROJECT_COC,
            Descriptor::Inventory => &fy2026::INVENTORY,
            Descriptor::HmisParticipation => &fy2026::HMIS_PARTICIPATION,
            Descriptor::CeParticipation => &fy2026::CE_PARTICIPATION,
        }
    }

    /// The start and end of the period the record covers (2.07 inventory dates, 2.08 and
    /// 2.09 participation status dates), `None` for a CoC, which has none: the file's two
    /// date columns.
    pub fn period(self) -> Option<(&'static str, &'static str)> {
        let mut dates = self
            .field_columns()
            .filter(|column| column.kind == ColumnType::Date)
            .map(|column| column.field);
        Some((dates.next()?, dates.next()?))
    }
}

/// A descriptor's fields are its file's columns but the record's own ID and `ProjectID` (its
/// `id` and the program of the path) and the five every file ends with (`DateCreated`,
/// `DateUpdated`, `UserID`, `DateDeleted`, `ExportID`: bookkeeping); a CoC code has the form
/// of 2.03.1 (`XX-500`).
impl FieldSet for Descriptor {
    fn file(self) -> &'static CsvFile {
        Descriptor::file(self)
    }

    fn is_field(self, column: &Column) -> bool {
        let columns = self.file().columns;
        columns[2..columns.len() - 5].contains(column)
    }

    fn check_value(self, column: &Column, value: &HudValue) -> Result<(), String> {
        match value {
            HudValue::Text(text) if column.field == COC_CODE => CocCode::parse(text).map(|_| ()),
            _ => Ok(()),
        }
    }
}

/// What a whole record of `descriptor` must hold, once a body (or a patch over the stored
/// record) gave it: HMIS CSV's "never null" columns, its period's end not before its start
/// (422 `date.order`, as a grant's), and for 2.09 the access point's own answers given for
/// an access point and only for one.
pub fn check_fields(descriptor: Descriptor, fields: &HudFields) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = descriptor
        .field_columns()
        .filter(|column| column.required && fields.get(column.field).is_none())
        .map(|column| {
            FieldError::new(
                column.field,
                "required",
                format!("`{}` is required", column.field),
            )
        })
        .collect();
    if let Some((start_field, end_field)) = descriptor.period() {
        if let Some(HudValue::Date(start)) = fields.get(start_field) {
            let end = match fields.get(end_field) {
                Some(HudValue::Date(end)) => Some(*end),
                _ => None,
            };
            errors.extend(check_date_order(start_field, *start, end_field, end));
        }
    }
    if descriptor == Descriptor::CeParticipation {
        errors.extend(check_access_point(fields));
    }
    errors
}

/// HUD 2.09: prevention, crisis and housing assessments and direct services are asked of an
/// access point (2.09.1 `access_point` 1) and of no other project.
fn check_access_point(fields: &HudFields) -> Vec<FieldError> {
    let Some(access_point) = fields.code(ACCESS_POINT) else {
        return Vec::new();
    };
    ACCESS_POINT_ONLY
        .into_iter()
        .filter_map(|field| match (access_point, fields.get(field).is_some()) {
            (1, false) => Some(FieldError::new(
                field,
                "required",
                format!("`{field}` is required of an access point (access_point 1)"),
            )),
            (0, true) => Some(FieldError::new(
                field,
                "not_allowed",
                format!("`{field}` is only for an access point (access_point 1)"),
            )),
            _ => None,
        })
        .collect()
}

//! A descriptor record's row read as its HUD fields and written from them: each row names
//! its fields once ([`descriptor_row!`]), each field converts by its Rust type, and a test
//! checks the names against the column catalog.

use chrono::{NaiveDate, NaiveDateTime};
use threshold_domain::hud_records::{HudFields, HudValue};
use threshold_domain::Date;
use threshold_persistence::ids::{Id, ProgramId};
use threshold_persistence::rows::{
    CeParticipationRow, HmisParticipationRow, InventoryRow, ProgramCocRow,
};

/// A row whose columns hold the HUD fields of a descriptor record.
pub trait DescriptorRow: Sized {
    /// The fields the row holds, in the file's order.
    const FIELDS: &'static [&'static str];

    /// The fields that hold a value.
    fn fields(&self) -> HudFields;

    /// Sets every field to what `fields` holds: one it leaves out becomes empty (a column
    /// that cannot be empty keeps its value; the domain's checks require it before).
    fn set_fields(&mut self, fields: &HudFields);

    /// A new row of `program_id`, its fields empty, created by `by` at `at`.
    fn blank(program_id: ProgramId, at: NaiveDateTime, by: &str) -> Self;
}

/// How a column of one Rust type holds a HUD field's value.
pub trait FieldColumn: Sized {
    fn value(&self) -> Option<HudValue>;
    fn set(&mut self, value: Option<&HudValue>);
    /// The value of a new row before its fields are set.
    fn empty() -> Self;
}

impl FieldColumn for String {
    fn value(&self) -> Option<HudValue> {
        Some(HudValue::Text(self.clone()))
    }

    fn set(&mut self, value: Option<&HudValue>) {
        if let Some(HudValue::Text(text)) = value {
            text.clone_into(self);
        }
    }

    fn empty() -> Self {
        String::new()
    }
}

impl FieldColumn for i32 {
    fn value(&self) -> Option<HudValue> {
        Some(HudValue::Integer(*self))
    }

    fn set(&mut self, value: Option<&HudValue>) {
        if let Some(HudValue::Integer(number)) = value {
            *self = *number;
        }
    }

    fn empty() -> Self {
        0
    }
}

impl FieldColumn for NaiveDate {
    fn value(&self) -> Option<HudValue> {
        Some(HudValue::Date(Date::from(*self)))
    }

    fn set(&mut self, value: Option<&HudValue>) {
        if let Some(HudValue::Date(date)) = value {
            *self = date.naive();
        }
    }

    fn empty() -> Self {
        NaiveDate::default()
    }
}

impl<T: FieldColumn> FieldColumn for Option<T> {
    fn value(&self) -> Option<HudValue> {
        self.as_ref().and_then(FieldColumn::value)
    }

    fn set(&mut self, value: Option<&HudValue>) {
        *self = value.map(|value| {
            let mut column = T::empty();
            column.set(Some(value));
            column
        });
    }

    fn empty() -> Self {
        None
    }
}

/// Implements [`DescriptorRow`] for a row from its field columns, named as the API names
/// them.
macro_rules! descriptor_row {
    ($row:ty { $($field:ident),* $(,)? }) => {
        impl DescriptorRow for $row {
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn fields(&self) -> HudFields {
                [$((stringify!($field), self.$field.value())),*]
                    .into_iter()
                    .filter_map(|(field, value)| value.map(|value| (field, value)))
                    .collect()
            }

            fn set_fields(&mut self, fields: &HudFields) {
                $(self.$field.set(fields.get(stringify!($field)));)*
            }

            fn blank(program_id: ProgramId, at: NaiveDateTime, by: &str) -> Self {
                Self {
                    id: Id::new(),
                    program_id,
                    $($field: FieldColumn::empty(),)*
                    version: 1,
                    created_at: at,
                    updated_at: at,
                    created_by: by.to_owned(),
                    updated_by: by.to_owned(),
                    deleted_at: None,
                }
            }
        }
    };
}

descriptor_row!(ProgramCocRow {
    coc_code,
    geocode,
    address1,
    address2,
    city,
    state,
    zip,
    geography_type,
});

descriptor_row!(InventoryRow {
    coc_code,
    household_type,
    availability,
    unit_inventory,
    bed_inventory,
    ch_vet_bed_inventory,
    youth_vet_bed_inventory,
    vet_bed_inventory,
    ch_youth_bed_inventory,
    youth_bed_inventory,
    ch_bed_inventory,
    other_bed_inventory,
    es_bed_type,
    inventory_start_date,
    inventory_end_date,
});

descriptor_row!(HmisParticipationRow {
    hmis_participation_type,
    hmis_participation_status_start_date,
    hmis_participation_status_end_date,
});

descriptor_row!(CeParticipationRow {
    access_point,
    prevention_assessment,
    crisis_assessment,
    housing_assessment,
    direct_services,
    receives_referrals,
    ce_participation_status_start_date,
    ce_participation_status_end_date,
});

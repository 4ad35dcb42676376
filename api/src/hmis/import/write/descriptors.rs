//! How what a program records about itself becomes rows: its CoCs, inventories, HMIS and CE
//! participations (by their HUD fields, as a record written through the API is) and its
//! affiliations.

use chrono::NaiveDateTime;
use threshold_persistence::ids::{kind, Id};
use threshold_persistence::reference::ReferenceRow;
use threshold_persistence::rows::{
    AffiliationRow, CeParticipationRow, HmisParticipationRow, InventoryRow, ProgramCocRow,
};
use threshold_persistence::{DbConnection, StoreError};

use super::{Record, Writer};
use crate::hmis::import::check::{AffiliationImport, DescriptorImport, Meta};
use crate::usecases::program_descriptors::DescriptorRow;

/// [`Record`] for the records of one descriptor's file, kept as rows of `$row`.
macro_rules! descriptor_record {
    ($kind:ident, $row:ty, $file:literal, $entity:literal) => {
        impl Record for DescriptorImport<kind::$kind> {
            type Kind = kind::$kind;
            type Row = $row;
            const FILE: &'static str = $file;
            const ENTITY: &'static str = $entity;

            fn meta(&self) -> &Meta<Id<kind::$kind>> {
                &self.meta
            }

            fn create(&self, writer: &Writer<'_, '_>) -> $row {
                let mut row = <$row>::blank(self.program_id, writer.at, &writer.by);
                row.id = self.meta.id;
                self.fill(&mut row, writer.source);
                row
            }

            fn fill(&self, row: &mut $row, _source: &str) {
                row.set_fields(&self.fields);
            }

            fn delete(row: &mut $row, at: NaiveDateTime) -> bool {
                row.deleted_at = Some(at);
                true
            }

            fn update(conn: &mut DbConnection, row: &$row) -> Result<(), StoreError> {
                <$row as ReferenceRow>::update(conn, row)
            }
        }
    };
}

descriptor_record!(ProgramCoc, ProgramCocRow, "ProjectCoC", "project_coc");
descriptor_record!(Inventory, InventoryRow, "Inventory", "inventory");
descriptor_record!(
    HmisParticipation,
    HmisParticipationRow,
    "HMISParticipation",
    "hmis_participation"
);
descriptor_record!(
    CeParticipation,
    CeParticipationRow,
    "CEParticipation",
    "ce_participation"
);

impl Record for AffiliationImport {
    type Kind = kind::Affiliation;
    type Row = AffiliationRow;
    const FILE: &'static str = "Affiliation";
    const ENTITY: &'static str = "affiliation";

    fn meta(&self) -> &Meta<Id<kind::Affiliation>> {
        &self.meta
    }

    fn create(&self, writer: &Writer<'_, '_>) -> AffiliationRow {
        AffiliationRow {
            id: self.meta.id,
            program_id: self.program_id,
            res_program_id: self.res_program_id,
            version: 1,
            created_at: writer.at,
            updated_at: writer.at,
            created_by: writer.by.clone(),
            updated_by: writer.by.clone(),
            deleted_at: None,
        }
    }

    fn fill(&self, row: &mut AffiliationRow, _source: &str) {
        row.res_program_id = self.res_program_id;
    }

    fn delete(row: &mut AffiliationRow, at: NaiveDateTime) -> bool {
        row.deleted_at = Some(at);
        true
    }

    fn update(conn: &mut DbConnection, row: &AffiliationRow) -> Result<(), StoreError> {
        <AffiliationRow as ReferenceRow>::update(conn, row)
    }
}

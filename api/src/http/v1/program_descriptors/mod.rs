//! `/v1/programs/{program_id}/cocs`, `/inventories`, `/hmis-participations` and
//! `/ce-participations` (contract: "HUD fields", program sub-resources): what a program
//! records about itself beside its grants, HUD 2.03, 2.07, 2.08 and 2.09. One generic
//! [`ReferenceResource`], [`Descriptors`], over the kind of record, whose fields, schemas and
//! rules come from the domain's column catalog and `program_descriptors` module. Admins
//! write; every caller reads; a delete is soft.

mod body;
mod kinds;
mod schema;

use std::marker::PhantomData;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use threshold_domain::hud_fields::FieldSet;
use threshold_domain::program_descriptors::{check_fields, Descriptor};
use threshold_persistence::audit::Audited;
use threshold_persistence::error::StoreError;
use threshold_persistence::ids::ProgramId;
use threshold_persistence::page::Page;
use threshold_persistence::reference::{Owned, ReferenceRow, SoftDeleted};
use threshold_persistence::DbConnection;

pub use body::{CreateDescriptor, UpdateDescriptor};
pub use kinds::{CeParticipations, HmisParticipations, Inventories, ProgramCocs};

use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::pagination::PageQuery;
use crate::http::reference::{Deletable, Docs, Names, ReferenceResource, UnderProgram};
use crate::http::resource::audit_of;
use crate::usecases::program_descriptors::DescriptorRow;
use crate::usecases::scopes;
use body::json_of;

/// A kind of descriptor record as the API names, documents, stores and checks it.
pub trait ApiDescriptor: Send + 'static {
    type Row: DescriptorRow + ReferenceRow + Owned + SoftDeleted + Clone + Send + 'static;

    const DESCRIPTOR: Descriptor;
    const NAMES: Names;
    const DOCS: Docs;
    /// The schemas' stem: `ProgramCoc` (`CreateProgramCoc`, `ProgramCocView`).
    const TYPE_NAME: &'static str;
    /// The HUD element, as the schemas' descriptions cite it.
    const ELEMENT: &'static str;
    /// The 409 of a delete, as [`Deletable::DELETE_CONFLICT`] says it.
    const DELETE_CONFLICT: Option<&'static str> = None;

    fn program_of(row: &Self::Row) -> ProgramId;

    fn list(
        conn: &mut DbConnection,
        program_id: ProgramId,
        after: Option<<Self::Row as ReferenceRow>::Id>,
        limit: i64,
    ) -> Result<Page<Self::Row>, StoreError>;

    /// The rules a new record keeps against stored data (409).
    fn check_new(conn: &mut DbConnection, row: &Self::Row) -> Result<(), ApiError> {
        let _ = (conn, row);
        Ok(())
    }

    /// The rules a changed record keeps against stored data (409).
    fn check_change(
        conn: &mut DbConnection,
        before: &Self::Row,
        after: &Self::Row,
    ) -> Result<(), ApiError> {
        let _ = (conn, before, after);
        Ok(())
    }

    /// The rules the record's deletion keeps against stored data (409).
    fn check_delete(conn: &mut DbConnection, row: &Self::Row) -> Result<(), ApiError> {
        let _ = (conn, row);
        Ok(())
    }
}

/// The resource of the descriptor records `D`.
pub struct Descriptors<D>(PhantomData<D>);

/// A record as the API shows it: its ID and program, every field of its file (`null` where
/// nothing is recorded), and the audit fields.
pub struct DescriptorView<D: ApiDescriptor> {
    row: D::Row,
}

impl<D: ApiDescriptor> Serialize for DescriptorView<D> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let row = &self.row;
        let fields = row.fields();
        let audit = audit_of(row);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &row.id())?;
        map.serialize_entry("program_id", &D::program_of(row))?;
        for column in D::DESCRIPTOR.field_columns() {
            let value = fields.get(column.field).map_or(Value::Null, json_of);
            map.serialize_entry(column.field, &value)?;
        }
        map.serialize_entry("version", &audit.version)?;
        map.serialize_entry("created_at", &audit.created_at)?;
        map.serialize_entry("updated_at", &audit.updated_at)?;
        map.serialize_entry("created_by", &audit.created_by)?;
        map.serialize_entry("updated_by", &audit.updated_by)?;
        map.end()
    }
}

impl<D: ApiDescriptor> ReferenceResource for Descriptors<D> {
    type Parent = UnderProgram;
    type Row = D::Row;
    type Create = CreateDescriptor<D>;
    type Update = UpdateDescriptor<D>;
    type View = DescriptorView<D>;
    type Query = PageQuery;

    const NAMES: Names = D::NAMES;
    const DOCS: Docs = D::DOCS;

    /// A record is found under its own program only.
    fn visible(_caller: &Caller, program_id: ProgramId, row: &D::Row) -> bool {
        D::program_of(row) == program_id
    }

    fn list(
        conn: &mut DbConnection,
        _caller: &Caller,
        program_id: ProgramId,
        _query: &PageQuery,
        after: Option<<D::Row as ReferenceRow>::Id>,
        limit: i64,
    ) -> Result<Page<D::Row>, StoreError> {
        D::list(conn, program_id, after, limit)
    }

    fn to_row(program_id: ProgramId, body: &CreateDescriptor<D>, by: &str) -> D::Row {
        let mut row = D::Row::blank(program_id, now(), by);
        row.set_fields(&body.fields());
        row
    }

    fn lock(conn: &mut DbConnection, program_id: ProgramId) -> Result<(), ApiError> {
        scopes::program_descriptors(conn, program_id)?;
        Ok(())
    }

    fn check_new(
        conn: &mut DbConnection,
        _program_id: ProgramId,
        row: &D::Row,
    ) -> Result<(), ApiError> {
        D::check_new(conn, row)
    }

    /// The stored fields with the patch's changes must still make a whole record.
    fn apply_patch(row: &mut D::Row, patch: &UpdateDescriptor<D>) -> Result<(), ApiError> {
        let merged = row.fields().merged(&patch.changes());
        ApiError::check_fields(check_fields(D::DESCRIPTOR, &merged))?;
        row.set_fields(&merged);
        Ok(())
    }

    fn check_change(
        conn: &mut DbConnection,
        before: &D::Row,
        after: &D::Row,
    ) -> Result<(), ApiError> {
        D::check_change(conn, before, after)
    }

    fn view(row: &D::Row) -> Result<DescriptorView<D>, ApiError> {
        Ok(DescriptorView { row: row.clone() })
    }
}

impl<D: ApiDescriptor> Deletable for Descriptors<D> {
    const DELETE_CONFLICT: Option<&'static str> = D::DELETE_CONFLICT;

    fn check_delete(conn: &mut DbConnection, row: &D::Row) -> Result<(), ApiError> {
        D::check_delete(conn, row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_of<D: ApiDescriptor>() -> (Vec<&'static str>, Vec<&'static str>) {
        let catalog = D::DESCRIPTOR
            .field_columns()
            .map(|column| column.field)
            .collect();
        (D::Row::FIELDS.to_vec(), catalog)
    }

    #[test]
    fn every_row_holds_its_files_fields_in_order() {
        for (row, catalog) in [
            fields_of::<ProgramCocs>(),
            fields_of::<Inventories>(),
            fields_of::<HmisParticipations>(),
            fields_of::<CeParticipations>(),
        ] {
            assert_eq!(row, catalog);
        }
    }
}

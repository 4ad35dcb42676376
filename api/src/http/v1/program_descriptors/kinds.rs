//! The four kinds of descriptor records, each with its names, its element and its rules
//! against stored data: a CoC stays while an inventory counts in its code (`coc.in_use`),
//! an inventory counts in one of the program's CoCs (`inventory.coc_unknown`).

use threshold_domain::program_descriptors::{check_coc_removal, check_inventory_coc, Descriptor};
use threshold_persistence::error::StoreError;
use threshold_persistence::ids::{
    CeParticipationId, HmisParticipationId, InventoryId, ProgramCocId, ProgramId,
};
use threshold_persistence::page::Page;
use threshold_persistence::program_descriptors::{
    ce_participation, coc_codes, hmis_participation, inventory, inventory_coc_codes, program_coc,
};
use threshold_persistence::rows::{
    CeParticipationRow, HmisParticipationRow, InventoryRow, ProgramCocRow,
};
use threshold_persistence::DbConnection;

use super::ApiDescriptor;
use crate::error::ApiError;
use crate::http::reference::{Docs, Names};

/// HUD 2.03 Continuum of Care information: `/programs/{program_id}/cocs`.
pub struct ProgramCocs;

/// HUD 2.07 bed and unit inventory information: `/programs/{program_id}/inventories`.
pub struct Inventories;

/// HUD 2.08 HMIS participation status: `/programs/{program_id}/hmis-participations`.
pub struct HmisParticipations;

/// HUD 2.09 coordinated entry participation status:
/// `/programs/{program_id}/ce-participations`.
pub struct CeParticipations;

/// Refuses the end of a CoC record with this code (deleted, or given another) while an
/// inventory counts in the code and no other CoC record of the program has it.
fn coc_may_go(conn: &mut DbConnection, row: &ProgramCocRow) -> Result<(), ApiError> {
    let others: Vec<String> = coc_codes(conn, row.program_id)?
        .into_iter()
        .filter(|(id, _)| *id != row.id)
        .map(|(_, code)| code)
        .collect();
    let counted = inventory_coc_codes(conn, row.program_id)?;
    check_coc_removal(
        &row.coc_code,
        others.iter().map(String::as_str),
        counted.iter().map(String::as_str),
    )?;
    Ok(())
}

impl ApiDescriptor for ProgramCocs {
    type Row = ProgramCocRow;

    const DESCRIPTOR: Descriptor = Descriptor::ProjectCoc;
    const NAMES: Names = Names {
        segment: "cocs",
        noun: "coc",
        nouns: "cocs",
        one: "CoC",
        many: "CoCs",
    };
    const DOCS: Docs = Docs::new(
        "List the CoCs a program serves (HUD 2.03).",
        "Add a CoC the program serves (HUD 2.03).",
    )
    .update_conflict("coc.in_use")
    .not_found("No such CoC in this program");
    const TYPE_NAME: &'static str = "ProgramCoc";
    const ELEMENT: &'static str = "HUD 2.03 Continuum of Care information";
    const DELETE_CONFLICT: Option<&'static str> = Some(
        "`coc.in_use`: an inventory of the program counts beds in the CoC's code, which no \
         other CoC of the program has",
    );

    fn program_of(row: &ProgramCocRow) -> ProgramId {
        row.program_id
    }

    fn list(
        conn: &mut DbConnection,
        program_id: ProgramId,
        after: Option<ProgramCocId>,
        limit: i64,
    ) -> Result<Page<ProgramCocRow>, StoreError> {
        program_coc::list(conn, program_id, after, limit)
    }

    fn check_change(
        conn: &mut DbConnection,
        before: &ProgramCocRow,
        after: &ProgramCocRow,
    ) -> Result<(), ApiError> {
        if before.coc_code == after.coc_code {
            return Ok(());
        }
        coc_may_go(conn, before)
    }

    fn check_delete(conn: &mut DbConnection, row: &ProgramCocRow) -> Result<(), ApiError> {
        coc_may_go(conn, row)
    }
}

/// An inventory's CoC code is one of the program's CoCs'.
fn known_coc(conn: &mut DbConnection, row: &InventoryRow) -> Result<(), ApiError> {
    let codes = coc_codes(conn, row.program_id)?;
    check_inventory_coc(&row.coc_code, codes.iter().map(|(_, code)| code.as_str()))?;
    Ok(())
}

impl ApiDescriptor for Inventories {
    type Row = InventoryRow;

    const DESCRIPTOR: Descriptor = Descriptor::Inventory;
    const NAMES: Names = Names::plain("inventories", "inventory");
    const DOCS: Docs = Docs::new(
        "List a program's bed and unit inventories (HUD 2.07).",
        "Add a bed and unit inventory to a program (HUD 2.07).",
    )
    .conflict(
        "inventory.coc_unknown",
        "`coc_code` is not the code of one of the program's CoCs",
    )
    .not_found("No such inventory in this program");
    const TYPE_NAME: &'static str = "Inventory";
    const ELEMENT: &'static str = "HUD 2.07 bed and unit inventory information";

    fn program_of(row: &InventoryRow) -> ProgramId {
        row.program_id
    }

    fn list(
        conn: &mut DbConnection,
        program_id: ProgramId,
        after: Option<InventoryId>,
        limit: i64,
    ) -> Result<Page<InventoryRow>, StoreError> {
        inventory::list(conn, program_id, after, limit)
    }

    fn check_new(conn: &mut DbConnection, row: &InventoryRow) -> Result<(), ApiError> {
        known_coc(conn, row)
    }

    fn check_change(
        conn: &mut DbConnection,
        before: &InventoryRow,
        after: &InventoryRow,
    ) -> Result<(), ApiError> {
        if before.coc_code == after.coc_code {
            return Ok(());
        }
        known_coc(conn, after)
    }
}

impl ApiDescriptor for HmisParticipations {
    type Row = HmisParticipationRow;

    const DESCRIPTOR: Descriptor = Descriptor::HmisParticipation;
    const NAMES: Names = Names {
        segment: "hmis-participations",
        noun: "hmis_participation",
        nouns: "hmis_participations",
        one: "participation in HMIS",
        many: "participations in HMIS",
    };
    const DOCS: Docs = Docs::new(
        "List a program's periods of HMIS participation (HUD 2.08).",
        "Add a period of HMIS participation to a program (HUD 2.08).",
    )
    .not_found("No such participation in HMIS in this program");
    const TYPE_NAME: &'static str = "HmisParticipation";
    const ELEMENT: &'static str = "HUD 2.08 HMIS participation status";

    fn program_of(row: &HmisParticipationRow) -> ProgramId {
        row.program_id
    }

    fn list(
        conn: &mut DbConnection,
        program_id: ProgramId,
        after: Option<HmisParticipationId>,
        limit: i64,
    ) -> Result<Page<HmisParticipationRow>, StoreError> {
        hmis_participation::list(conn, program_id, after, limit)
    }
}

impl ApiDescriptor for CeParticipations {
    type Row = CeParticipationRow;

    const DESCRIPTOR: Descriptor = Descriptor::CeParticipation;
    const NAMES: Names = Names {
        segment: "ce-participations",
        noun: "ce_participation",
        nouns: "ce_participations",
        one: "CE participation",
        many: "CE participations",
    };
    const DOCS: Docs = Docs::new(
        "List a program's periods of coordinated entry participation (HUD 2.09).",
        "Add a period of coordinated entry participation to a program (HUD 2.09).",
    )
    .not_found("No such CE participation in this program");
    const TYPE_NAME: &'static str = "CeParticipation";
    const ELEMENT: &'static str = "HUD 2.09 coordinated entry participation status";

    fn program_of(row: &CeParticipationRow) -> ProgramId {
        row.program_id
    }

    fn list(
        conn: &mut DbConnection,
        program_id: ProgramId,
        after: Option<CeParticipationId>,
        limit: i64,
    ) -> Result<Page<CeParticipationRow>, StoreError> {
        ce_participation::list(conn, program_id, after, limit)
    }
}

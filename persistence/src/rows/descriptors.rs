//! The rows of what a program records about itself beside its grants: one table per HMIS
//! CSV file (ProjectCoC 2.03, Inventory 2.07, HMISParticipation 2.08, CEParticipation 2.09,
//! Affiliation 2.02.C), each column named as the API names the file's column. The domain's
//! `program_descriptors` checks the values against the column catalog before they are
//! written; deleted rows keep `deleted_at`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ids::{
    AffiliationId, CeParticipationId, HmisParticipationId, InventoryId, ProgramCocId, ProgramId,
};
use crate::schema::{
    affiliations, ce_participations, hmis_participations, inventories, program_cocs,
};

/// HUD 2.03: a CoC the program serves (ProjectCoC.csv).
#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = program_cocs, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ProgramCocRow {
    pub id: ProgramCocId,
    pub program_id: ProgramId,
    pub coc_code: String,
    pub geocode: String,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub geography_type: Option<i32>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

/// HUD 2.07: beds and units for one household type in one of the program's CoCs
/// (Inventory.csv).
#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = inventories, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct InventoryRow {
    pub id: InventoryId,
    pub program_id: ProgramId,
    pub coc_code: String,
    pub household_type: i32,
    pub availability: Option<i32>,
    pub unit_inventory: i32,
    pub bed_inventory: i32,
    pub ch_vet_bed_inventory: Option<i32>,
    pub youth_vet_bed_inventory: Option<i32>,
    pub vet_bed_inventory: Option<i32>,
    pub ch_youth_bed_inventory: Option<i32>,
    pub youth_bed_inventory: Option<i32>,
    pub ch_bed_inventory: Option<i32>,
    pub other_bed_inventory: Option<i32>,
    pub es_bed_type: Option<i32>,
    pub inventory_start_date: NaiveDate,
    pub inventory_end_date: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

/// HUD 2.08: whether the program took part in HMIS, over a period (HMISParticipation.csv).
#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = hmis_participations, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct HmisParticipationRow {
    pub id: HmisParticipationId,
    pub program_id: ProgramId,
    pub hmis_participation_type: i32,
    pub hmis_participation_status_start_date: NaiveDate,
    pub hmis_participation_status_end_date: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

/// HUD 2.09: how the program took part in coordinated entry, over a period
/// (CEParticipation.csv).
#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = ce_participations, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct CeParticipationRow {
    pub id: CeParticipationId,
    pub program_id: ProgramId,
    pub access_point: i32,
    pub prevention_assessment: Option<i32>,
    pub crisis_assessment: Option<i32>,
    pub housing_assessment: Option<i32>,
    pub direct_services: Option<i32>,
    pub receives_referrals: i32,
    pub ce_participation_status_start_date: NaiveDate,
    pub ce_participation_status_end_date: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

/// HUD 2.02.C: a residential program (`res_program_id`) the services-only program serves
/// (Affiliation.csv).
#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = affiliations, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct AffiliationRow {
    pub id: AffiliationId,
    pub program_id: ProgramId,
    pub res_program_id: ProgramId,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

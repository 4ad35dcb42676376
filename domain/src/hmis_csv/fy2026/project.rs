//! HMIS CSV FY2026: the export's own file and the project descriptor files (2.01-2.09), columns in
//! header order.
//!
//! Generated from `domain/hud/csv-columns-fy2026.csv` and `domain/hud/column-lists.csv` by
//! `python3 scripts/gen-hud-codes.py`: change those, not this file.

use crate::codes::HudList;
use crate::hmis_csv::{code, date, datetime, text, uncoded, CsvFile, OPTIONAL, REQUIRED};

/// Export.csv: export metadata (source, period, software, CSVVersion, directive, hash status);
/// exactly one row.
#[rustfmt::skip]
pub const EXPORT: CsvFile = CsvFile {
    name: "Export",
    columns: &[
        text("ExportID", "export_id", 32, REQUIRED),
        code("SourceType", "source_type", HudList::SourceType, REQUIRED),
        text("SourceID", "source_id", 350, OPTIONAL),
        text("SourceName", "source_name", 50, OPTIONAL),
        text("SourceContactFirst", "source_contact_first", 50, OPTIONAL),
        text("SourceContactLast", "source_contact_last", 50, OPTIONAL),
        text("SourceContactPhone", "source_contact_phone", 10, OPTIONAL),
        text("SourceContactExtension", "source_contact_extension", 5, OPTIONAL),
        text("SourceContactEmail", "source_contact_email", 320, OPTIONAL),
        datetime("ExportDate", "export_date", REQUIRED),
        date("ExportStartDate", "export_start_date", REQUIRED),
        date("ExportEndDate", "export_end_date", REQUIRED),
        text("SoftwareName", "software_name", 50, REQUIRED),
        text("SoftwareVersion", "software_version", 50, OPTIONAL),
        text("CSVVersion", "csv_version", 50, REQUIRED),
        code("ExportPeriodType", "export_period_type", HudList::ExportPeriodType, REQUIRED),
        code("ExportDirective", "export_directive", HudList::ExportDirective, REQUIRED),
        code("HashStatus", "hash_status", HudList::HashStatus, REQUIRED),
        text("ImplementationID", "implementation_id", 200, REQUIRED),
    ],
};

/// Organization.csv: 2.01 organization, VictimServiceProvider.
#[rustfmt::skip]
pub const ORGANIZATION: CsvFile = CsvFile {
    name: "Organization",
    columns: &[
        text("OrganizationID", "organization_id", 32, REQUIRED),
        text("OrganizationName", "organization_name", 200, REQUIRED),
        code("VictimServiceProvider", "victim_service_provider", HudList::NoYes, REQUIRED),
        text("OrganizationCommonName", "organization_common_name", 200, OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// User.csv: the users named in UserID columns.
#[rustfmt::skip]
pub const USER: CsvFile = CsvFile {
    name: "User",
    columns: &[
        text("UserID", "user_id", 32, REQUIRED),
        text("UserFirstName", "user_first_name", 50, OPTIONAL),
        text("UserLastName", "user_last_name", 50, OPTIONAL),
        text("UserPhone", "user_phone", 10, OPTIONAL),
        text("UserExtension", "user_extension", 5, OPTIONAL),
        text("UserEmail", "user_email", 320, OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// Project.csv: 2.02 project information (type, RRH subtype, housing type, target population,
/// PITCount).
#[rustfmt::skip]
pub const PROJECT: CsvFile = CsvFile {
    name: "Project",
    columns: &[
        text("ProjectID", "project_id", 32, REQUIRED),
        text("OrganizationID", "organization_id", 32, REQUIRED),
        text("ProjectName", "project_name", 200, REQUIRED),
        text("ProjectCommonName", "project_common_name", 200, OPTIONAL),
        date("OperatingStartDate", "operating_start_date", REQUIRED),
        date("OperatingEndDate", "operating_end_date", OPTIONAL),
        code("ContinuumProject", "continuum_project", HudList::NoYes, REQUIRED),
        code("ProjectType", "project_type", HudList::ProjectType, OPTIONAL),
        code("HousingType", "housing_type", HudList::HousingType, OPTIONAL),
        code("RRHSubType", "rrh_sub_type", HudList::RrhSubType, OPTIONAL),
        code("ResidentialAffiliation", "residential_affiliation", HudList::NoYes, OPTIONAL),
        code("TargetPopulation", "target_population", HudList::TargetPopulation, OPTIONAL),
        code(
            "HOPWAMedAssistedLivingFac",
            "hopwa_med_assisted_living_fac",
            HudList::HopwaMedAssistedLivingFac,
            OPTIONAL,
        ),
        // count of clients on the PIT date (not coded)
        uncoded("PITCount", "pit_count", OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// Funder.csv: 2.06 funding source, grant, dates.
#[rustfmt::skip]
pub const FUNDER: CsvFile = CsvFile {
    name: "Funder",
    columns: &[
        text("FunderID", "funder_id", 32, REQUIRED),
        text("ProjectID", "project_id", 32, REQUIRED),
        code("Funder", "funder", HudList::FundingSource, REQUIRED),
        text("OtherFunder", "other_funder", 100, OPTIONAL),
        text("GrantID", "grant_id", 100, REQUIRED),
        date("StartDate", "start_date", REQUIRED),
        date("EndDate", "end_date", OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// ProjectCoC.csv: 2.03 CoC code, geocode, address, geography type.
#[rustfmt::skip]
pub const PROJECT_COC: CsvFile = CsvFile {
    name: "ProjectCoC",
    columns: &[
        text("ProjectCoCID", "project_coc_id", 32, REQUIRED),
        text("ProjectID", "project_id", 32, REQUIRED),
        text("CoCCode", "coc_code", 6, REQUIRED),
        text("Geocode", "geocode", 6, REQUIRED),
        text("Address1", "address1", 100, OPTIONAL),
        text("Address2", "address2", 100, OPTIONAL),
        text("City", "city", 50, OPTIONAL),
        text("State", "state", 2, OPTIONAL),
        text("ZIP", "zip", 5, OPTIONAL),
        code("GeographyType", "geography_type", HudList::GeographyType, OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// Inventory.csv: 2.07 beds and units by household type.
#[rustfmt::skip]
pub const INVENTORY: CsvFile = CsvFile {
    name: "Inventory",
    columns: &[
        text("InventoryID", "inventory_id", 32, REQUIRED),
        text("ProjectID", "project_id", 32, REQUIRED),
        text("CoCCode", "coc_code", 6, REQUIRED),
        code("HouseholdType", "household_type", HudList::HouseholdType, REQUIRED),
        code("Availability", "availability", HudList::Availability, OPTIONAL),
        // bed/unit count (not coded)
        uncoded("UnitInventory", "unit_inventory", REQUIRED),
        // bed/unit count (not coded)
        uncoded("BedInventory", "bed_inventory", REQUIRED),
        // bed/unit count (not coded)
        uncoded("CHVetBedInventory", "ch_vet_bed_inventory", OPTIONAL),
        // bed/unit count (not coded)
        uncoded("YouthVetBedInventory", "youth_vet_bed_inventory", OPTIONAL),
        // bed/unit count (not coded)
        uncoded("VetBedInventory", "vet_bed_inventory", OPTIONAL),
        // bed/unit count (not coded)
        uncoded("CHYouthBedInventory", "ch_youth_bed_inventory", OPTIONAL),
        // bed/unit count (not coded)
        uncoded("YouthBedInventory", "youth_bed_inventory", OPTIONAL),
        // bed/unit count (not coded)
        uncoded("CHBedInventory", "ch_bed_inventory", OPTIONAL),
        // bed/unit count (not coded)
        uncoded("OtherBedInventory", "other_bed_inventory", OPTIONAL),
        code("ESBedType", "es_bed_type", HudList::EsBedType, OPTIONAL),
        date("InventoryStartDate", "inventory_start_date", REQUIRED),
        date("InventoryEndDate", "inventory_end_date", OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// Affiliation.csv: 2.02.C residential projects a services-only project serves.
#[rustfmt::skip]
pub const AFFILIATION: CsvFile = CsvFile {
    name: "Affiliation",
    columns: &[
        text("AffiliationID", "affiliation_id", 32, REQUIRED),
        text("ProjectID", "project_id", 32, REQUIRED),
        text("ResProjectID", "res_project_id", 32, REQUIRED),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// HMISParticipation.csv: 2.08 HMIS participation periods.
#[rustfmt::skip]
pub const HMIS_PARTICIPATION: CsvFile = CsvFile {
    name: "HMISParticipation",
    columns: &[
        text("HMISParticipationID", "hmis_participation_id", 32, REQUIRED),
        text("ProjectID", "project_id", 32, REQUIRED),
        code(
            "HMISParticipationType",
            "hmis_participation_type",
            HudList::HmisParticipationType,
            REQUIRED,
        ),
        date("HMISParticipationStatusStartDate", "hmis_participation_status_start_date", REQUIRED),
        date("HMISParticipationStatusEndDate", "hmis_participation_status_end_date", OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

/// CEParticipation.csv: 2.09 coordinated-entry participation periods.
#[rustfmt::skip]
pub const CE_PARTICIPATION: CsvFile = CsvFile {
    name: "CEParticipation",
    columns: &[
        text("CEParticipationID", "ce_participation_id", 32, REQUIRED),
        text("ProjectID", "project_id", 32, REQUIRED),
        code("AccessPoint", "access_point", HudList::NoYes, REQUIRED),
        code("PreventionAssessment", "prevention_assessment", HudList::NoYes, OPTIONAL),
        code("CrisisAssessment", "crisis_assessment", HudList::NoYes, OPTIONAL),
        code("HousingAssessment", "housing_assessment", HudList::NoYes, OPTIONAL),
        code("DirectServices", "direct_services", HudList::NoYes, OPTIONAL),
        code("ReceivesReferrals", "receives_referrals", HudList::NoYes, REQUIRED),
        date("CEParticipationStatusStartDate", "ce_participation_status_start_date", REQUIRED),
        date("CEParticipationStatusEndDate", "ce_participation_status_end_date", OPTIONAL),
        datetime("DateCreated", "date_created", REQUIRED),
        datetime("DateUpdated", "date_updated", REQUIRED),
        text("UserID", "user_id", 32, REQUIRED),
        datetime("DateDeleted", "date_deleted", OPTIONAL),
        text("ExportID", "export_id", 32, REQUIRED),
    ],
};

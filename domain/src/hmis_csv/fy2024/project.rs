//! HMIS CSV FY2024: the export's own file and the project descriptor files (2.01-2.09), columns in
//! header order.
//!
//! Generated from `domain/hud/csv-columns-fy2024.csv` and `domain/hud/column-lists.csv` by
//! `python3 scripts/gen-hud-codes.py`: change those, not this file.

use crate::codes::HudList;
use crate::hmis_csv::{code, date, datetime, text, CsvFile, OPTIONAL, REQUIRED};

/// Export.csv: export metadata; SourceID of at most 32 characters, CSVVersion may be empty.
#[rustfmt::skip]
pub const EXPORT: CsvFile = CsvFile {
    name: "Export",
    columns: &[
        text("ExportID", "export_id", 32, REQUIRED),
        code("SourceType", "source_type", HudList::SourceType, REQUIRED),
        text("SourceID", "source_id", 32, OPTIONAL),
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
        text("CSVVersion", "csv_version", 50, OPTIONAL),
        code("ExportPeriodType", "export_period_type", HudList::ExportPeriodType, REQUIRED),
        code("ExportDirective", "export_directive", HudList::ExportDirective, REQUIRED),
        code("HashStatus", "hash_status", HudList::HashStatus, REQUIRED),
        text("ImplementationID", "implementation_id", 200, REQUIRED),
    ],
};

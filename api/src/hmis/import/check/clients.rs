//! Client.csv.

use std::collections::HashSet;

use threshold_domain::client::{RaceEthnicity, Ssn};
use threshold_domain::codes::{DataQuality, NoYesMissing, Sex};
use threshold_domain::Date;
use threshold_persistence::StoreError;

use super::plan::ClientRecord;
use super::values::Cells;
use super::Checker;
use crate::hmis::import::read::Table;

impl Checker<'_> {
    pub(super) fn clients(&mut self, table: &Table) -> Result<(), StoreError> {
        const RACES: [(&str, RaceEthnicity); 7] = [
            ("AmIndAKNative", RaceEthnicity::AmIndAkNative),
            ("Asian", RaceEthnicity::Asian),
            ("BlackAfAmerican", RaceEthnicity::BlackAfAmerican),
            ("HispanicLatinaeo", RaceEthnicity::HispanicLatinaeo),
            ("MidEastNAfrican", RaceEthnicity::MidEastNAfrican),
            ("NativeHIPacific", RaceEthnicity::NativeHiPacific),
            ("White", RaceEthnicity::White),
        ];
        let mut seen = HashSet::new();
        self.plan.clients.reserve_exact(table.rows.len());
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = Cells {
                table,
                row,
                errors: &mut errors,
            };
            let first_name = cells.text("FirstName", 50, false);
            let middle_name = cells.text("MiddleName", 50, false);
            let last_name = cells.text("LastName", 50, false);
            let name_suffix = cells.text("NameSuffix", 50, false);
            let name_dq = cells.code::<DataQuality>("NameDataQuality", true);
            let ssn = cells
                .present("SSN", false)
                .and_then(|text| match Ssn::parse(&text) {
                    Ok(ssn) => Some(ssn),
                    Err(reason) => {
                        cells.fail("SSN", reason);
                        None
                    }
                });
            let ssn_dq = cells.code::<DataQuality>("SSNDataQuality", true);
            let dob = cells.date("DOB", false);
            if dob.is_some_and(|dob| Date::from(dob) > self.today) {
                cells.fail("DOB", "DOB is in the future");
            }
            let dob_dq = cells.code::<DataQuality>("DOBDataQuality", true);
            // FY2024 files have no Sex column: the answer was not collected.
            let sex = if table.has_column("Sex") {
                cells.code::<Sex>("Sex", false).map_or(99, Sex::code)
            } else {
                Sex::NOT_COLLECTED.code()
            };
            let mut races = Vec::new();
            for (column, race) in RACES {
                // Some producers spell the FY2024 name HispanicLatinao.
                let column = if column == "HispanicLatinaeo"
                    && !table.has_column(column)
                    && table.has_column("HispanicLatinao")
                {
                    "HispanicLatinao"
                } else {
                    column
                };
                if cells
                    .code::<NoYesMissing>(column, false)
                    .map(NoYesMissing::code)
                    == Some(1)
                {
                    races.push(race);
                }
            }
            let race_none = cells.code::<NoYesMissing>("RaceNone", false);
            if race_none.is_some_and(|none| !matches!(none.code(), 8 | 9 | 99)) {
                cells.fail("RaceNone", "RaceNone must be 8, 9 or 99");
            }
            let race_none = if races.is_empty() {
                Some(race_none.map_or(99, NoYesMissing::code))
            } else {
                None
            };
            let veteran = cells.code::<NoYesMissing>("VeteranStatus", true);
            let meta = self.meta(&mut cells, "client", "PersonalID", &mut seen)?;
            self.errors.append(&mut errors);
            if let (Some(meta), Some(name_dq), Some(ssn_dq), Some(dob_dq), Some(veteran)) =
                (meta, name_dq, ssn_dq, dob_dq, veteran)
            {
                self.plan.clients.push(ClientRecord {
                    meta,
                    first_name,
                    middle_name,
                    last_name,
                    name_suffix,
                    name_data_quality: name_dq.code(),
                    ssn,
                    ssn_data_quality: ssn_dq.code(),
                    dob,
                    dob_data_quality: dob_dq.code(),
                    sex,
                    race_ethnicity: races,
                    race_none,
                    veteran_status: veteran.code(),
                });
            }
        }
        let unplanned = super::unplanned(seen, self.plan.clients.iter().map(|client| &client.meta));
        self.unplanned.insert("client", unplanned);
        Ok(())
    }
}

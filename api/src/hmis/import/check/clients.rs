//! Client.csv.

use threshold_domain::client::{RaceAnswer, RaceEthnicity, RecordedSsn};
use threshold_domain::codes::{DataQuality, NoYesMissing, Sex};
use threshold_domain::dates::check_not_future;
use threshold_domain::hud_fields::resources::{Own, Resource};
use threshold_domain::Date;
use threshold_persistence::StoreError;

use super::plan::ClientRecord;
use super::{Checker, Seen};
use crate::hmis::import::codes;
use crate::hmis::import::read::Table;

impl Checker<'_> {
    pub(super) fn clients(&mut self, table: &Table) -> Result<(), StoreError> {
        let mut seen = Seen::default();
        self.plan.clients.reserve_exact(table.rows.len());
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            let first_name = cells.text("FirstName", 50, false);
            let middle_name = cells.text("MiddleName", 50, false);
            let last_name = cells.text("LastName", 50, false);
            let name_suffix = cells.text("NameSuffix", 50, false);
            let name_dq = cells.code::<DataQuality>("NameDataQuality", true);
            let ssn_dq = cells.code::<DataQuality>("SSNDataQuality", true);
            let hash_status = self.plan.hash_status;
            let ssn = cells.present("SSN", false).and_then(|text| {
                match RecordedSsn::parse(text, ssn_dq.map(DataQuality::code), hash_status) {
                    Ok(ssn) => {
                        if !matches!(ssn, RecordedSsn::Full(_)) {
                            cells.warn(
                                "SSN",
                                codes::PARTIAL_OR_HASHED,
                                "a partial or hashed SSN, kept as it came: it is never \
                                 returned, and exported as it came",
                            );
                        }
                        Some(ssn)
                    }
                    Err(reason) => {
                        cells.fail("SSN", codes::INVALID, reason);
                        None
                    }
                }
            });
            let dob = cells.date("DOB", false);
            cells.fail_with(check_not_future("DOB", dob.map(Date::from), self.today));
            let dob_dq = cells.code::<DataQuality>("DOBDataQuality", true);
            // FY2024 files have no Sex column: the answer was not collected.
            let sex = if table.has_column("Sex") {
                cells.code::<Sex>("Sex", false).map_or(99, Sex::code)
            } else {
                Sex::NOT_COLLECTED.code()
            };
            let mut races = Vec::new();
            for race in RaceEthnicity::ALL {
                // The column as the file spells it, or its first name when it has none.
                let spellings = race.csv_columns();
                let column = spellings
                    .iter()
                    .copied()
                    .find(|column| table.has_column(column))
                    .unwrap_or(spellings[0]);
                if cells
                    .code::<NoYesMissing>(column, false)
                    .is_some_and(NoYesMissing::is_yes)
                {
                    races.push(race);
                }
            }
            let race_none = cells.code::<NoYesMissing>("RaceNone", false);
            // A file with a wrong RaceNone is refused whole: what stands in for the answer
            // is never written.
            let race = RaceAnswer::from_csv(races, race_none).unwrap_or_else(|error| {
                cells.fail_with(Some(error));
                RaceAnswer::not_collected()
            });
            let veteran = cells.code::<NoYesMissing>("VeteranStatus", true);
            let own = Own {
                today: Some(self.today),
                veteran_status: veteran.map(NoYesMissing::code),
                ..Own::default()
            };
            let hud = cells.resource_fields(Resource::Client, &own);
            let meta = self.meta(&mut cells, "client", "PersonalID", &mut seen)?;
            self.errors.append(&mut errors);
            if let (Some(meta), Some(name_dq), Some(ssn_dq), Some(dob_dq), Some(veteran)) =
                (meta, name_dq, ssn_dq, dob_dq, veteran)
            {
                self.plan.clients.push(ClientRecord {
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
                    race,
                    veteran_status: veteran.code(),
                    hud,
                    meta,
                });
            }
        }
        let unplanned = super::unplanned(
            table,
            "PersonalID",
            self.plan.clients.iter().map(|client| &client.meta),
        );
        self.unplanned.insert("client", unplanned);
        Ok(())
    }
}

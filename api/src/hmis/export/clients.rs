//! Client.csv, Enrollment.csv and Exit.csv.

use threshold_domain::client::{races_from_text, RaceEthnicity};
use threshold_domain::hud_fields::resources::Resource;
use threshold_persistence::rows::{ClientRow, EnrollmentRow};

use threshold_domain::hmis_csv::fy2026 as columns;

use super::writing::{flag, Record};
use super::Writer;

impl Writer<'_> {
    pub(super) fn client(&mut self, row: &ClientRow) -> Record {
        let mut record = Record::new(&columns::CLIENT);
        record.set("PersonalID", self.id(row.id));
        for (column, value) in [
            ("FirstName", &row.first_name),
            ("MiddleName", &row.middle_name),
            ("LastName", &row.last_name),
            ("NameSuffix", &row.name_suffix),
            ("SSN", &row.ssn),
        ] {
            record.set(column, value.clone().unwrap_or_default());
        }
        record.int("NameDataQuality", Some(row.name_data_quality));
        record.int("SSNDataQuality", Some(row.ssn_data_quality));
        record.date("DOB", row.dob);
        record.int("DOBDataQuality", Some(row.dob_data_quality));
        record.int("Sex", Some(row.sex));
        let races = races_from_text(&row.race_ethnicity);
        for race in RaceEthnicity::ALL {
            record.set(race.csv_columns()[0], flag(races.contains(&race)));
        }
        record.int("RaceNone", row.race_none);
        record.int("VeteranStatus", Some(row.veteran_status));
        record.hud(Resource::Client, &row.hud);
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            row.deleted_at,
        );
        record
    }

    pub(super) fn enrollment(&mut self, row: &EnrollmentRow) -> Record {
        let mut record = Record::new(&columns::ENROLLMENT);
        record
            .set("EnrollmentID", self.id(row.id))
            .set("PersonalID", self.id(row.client_id))
            .set("ProjectID", self.id(row.program_id))
            .set("HouseholdID", self.id(row.household_id))
            .set(
                "EnrollmentCoC",
                row.enrollment_coc.clone().unwrap_or_default(),
            );
        record.date("EntryDate", Some(row.entry_date));
        record.int("RelationshipToHoH", Some(row.relationship_to_hoh));
        record.int("LivingSituation", row.prior_living_situation);
        record.int("LengthOfStay", row.length_of_stay);
        record.int("DisablingCondition", row.disabling_condition);
        record.date("MoveInDate", row.move_in_date);
        record.hud(Resource::Enrollment, &row.hud);
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            row.deleted_at,
        );
        record
    }

    /// The exit of an exited enrollment; its ExitID is the enrollment's ID (one exit each).
    pub(super) fn exit(&mut self, row: &EnrollmentRow) -> Option<Record> {
        let exit_date = row.exit_date?;
        let mut record = Record::new(&columns::EXIT);
        record
            .set("ExitID", self.exit_id(row.id))
            .set("EnrollmentID", self.id(row.id))
            .set("PersonalID", self.id(row.client_id))
            .set(
                "OtherDestination",
                row.other_destination.clone().unwrap_or_default(),
            );
        record.date("ExitDate", Some(exit_date));
        record.int("Destination", row.destination);
        record.int("DestinationSubsidyType", row.destination_subsidy_type);
        record.hud(Resource::Exit, &row.exit_hud);
        let exited_at = row.exited_at.unwrap_or(row.updated_at);
        let exited_by = row.exited_by.as_deref().unwrap_or(&row.updated_by);
        self.audit(
            &mut record,
            (exited_at, exited_by),
            exited_at.max(row.updated_at),
            row.deleted_at,
        );
        Some(record)
    }
}

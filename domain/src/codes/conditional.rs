//! Lists that depend on another code of the record: the type of service by its record type
//! (HMIS CSV Services.csv, TypeProvided and SubTypeProvided) and the answer about a
//! disability by its type (4.10.2 for substance use, 1.8 otherwise). Read from the column
//! catalog (`hmis_csv`), the one place that says which list a column takes.

use crate::hmis_csv::fy2026::{
    DISABILITIES_DISABILITY_RESPONSE, SERVICES_SUB_TYPE_PROVIDED, SERVICES_TYPE_PROVIDED,
};
use crate::hmis_csv::Coding;

use super::{DisabilityType, HudList, ServiceRecordType};

impl ServiceRecordType {
    /// The list of HUD's TypeProvided codes a service of this record type takes (HMIS CSV
    /// FY2026, Services.csv: "TypeProvided ... list depends on RecordType"), by its name
    /// in the Data Standards and its codes.
    pub fn type_provided_list(self) -> (&'static str, &'static [(i32, &'static str)]) {
        let list = self.type_provided_hud_list();
        (list.name(), list.codes())
    }

    /// The list of TypeProvided for this record type: P1.2 for a PATH service (141), ...,
    /// C2.2 for Moving On assistance (300).
    pub fn type_provided_hud_list(self) -> HudList {
        Coding::Conditional(SERVICES_TYPE_PROVIDED)
            .list_for(|column| (column == "RecordType").then_some(self.0))
            // Every record type has its list in the catalog (tested below); C2.2 is the
            // last of them, as HUD's table puts it.
            .unwrap_or(HudList::MovingOnAssistance)
    }

    /// The list of SubTypeProvided, which only an SSVF service (144) of type 3, 4 or 5 has
    /// (V2.A, V2.B, V2.C): `None` when the service has no sub-type.
    pub fn sub_type_provided_hud_list(self, type_provided: i32) -> Option<HudList> {
        Coding::Conditional(SERVICES_SUB_TYPE_PROVIDED).list_for(|column| match column {
            "RecordType" => Some(self.0),
            "TypeProvided" => Some(type_provided),
            _ => None,
        })
    }
}

impl DisabilityType {
    /// The list of DisabilityResponse for a disability of this type (4.05-4.10): 4.10.2 for
    /// substance use disorder (10), whose answer says which substance, 1.8 for the others.
    pub fn response_hud_list(self) -> HudList {
        Coding::Conditional(DISABILITIES_DISABILITY_RESPONSE)
            .list_for(|column| (column == "DisabilityType").then_some(self.0))
            // Every disability type has its list in the catalog (tested below).
            .unwrap_or(HudList::NoYesMissing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::CodeList;

    fn record_type(code: i32) -> ServiceRecordType {
        ServiceRecordType::try_from(code).expect("a 1.4 record type")
    }

    #[test]
    fn every_record_type_has_its_own_type_provided_list() {
        let lists: Vec<HudList> = ServiceRecordType::CODES
            .iter()
            .map(|(code, _)| record_type(*code).type_provided_hud_list())
            .collect();
        assert_eq!(
            lists,
            vec![
                HudList::PathService,
                HudList::RhyService,
                HudList::HopwaService,
                HudList::SsvfService,
                HudList::HopwaFinancialAssistance,
                HudList::SsvfFinancialAssistance,
                HudList::PathReferral,
                HudList::BedNight,
                HudList::VoucherTracking,
                HudList::MovingOnAssistance,
            ]
        );
        let (name, codes) = record_type(200).type_provided_list();
        assert_eq!(name, "4.14 BedNight");
        assert_eq!(codes, &[(200, "Bed Night")]);
    }

    #[test]
    fn only_ssvf_services_3_to_5_have_a_sub_type() {
        let ssvf = record_type(144);
        assert_eq!(
            ssvf.sub_type_provided_hud_list(3),
            Some(HudList::SsvfSubType3)
        );
        assert_eq!(
            ssvf.sub_type_provided_hud_list(4),
            Some(HudList::SsvfSubType4)
        );
        assert_eq!(
            ssvf.sub_type_provided_hud_list(5),
            Some(HudList::SsvfSubType5)
        );
        for type_provided in [1, 2, 6, 10] {
            assert_eq!(ssvf.sub_type_provided_hud_list(type_provided), None);
        }
        assert_eq!(record_type(141).sub_type_provided_hud_list(3), None);
    }

    #[test]
    fn substance_use_is_answered_from_4_10_2_the_others_from_1_8() {
        for (code, _) in DisabilityType::CODES {
            let disability = DisabilityType::try_from(*code).expect("a 1.3 type");
            let expected = if *code == 10 {
                HudList::DisabilityResponse
            } else {
                HudList::NoYesMissing
            };
            assert_eq!(disability.response_hud_list(), expected, "{code}");
        }
    }
}

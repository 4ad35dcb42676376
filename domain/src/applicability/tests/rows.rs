//! Every row's edges, stated from the Data Dictionary independently of the table: programs
//! (project type, funding source) on each side of its applicability, the people it is
//! collected about, and its stages.

use super::*;
use crate::applicability::CollectedAbout::{self, *};

/// A program without any grant.
const NO_GRANT: i32 = 0;
/// Codes of occurrence-point elements: collected at no stage.
const OCCURRENCE: &[i32] = &[];

struct Case {
    element: Element,
    about: CollectedAbout,
    stages: &'static [i32],
    /// (project type, funding source) pairs that collect it.
    yes: &'static [(i32, i32)],
    /// Pairs on the other side of an edge: they do not.
    no: &'static [(i32, i32)],
}

const fn case(
    element: Element,
    about: CollectedAbout,
    stages: &'static [i32],
    yes: &'static [(i32, i32)],
    no: &'static [(i32, i32)],
) -> Case {
    Case {
        element,
        about,
        stages,
        yes,
        no,
    }
}

/// Any program at all.
const ANY: &[(i32, i32)] = &[(0, NO_GRANT), (1, 46), (3, 2), (4, 11), (14, 34)];
const ASSESSED: &[i32] = &[1, 2, 3, 5];
const DISABILITY_YES: &[(i32, i32)] = &[(3, 2), (4, 21), (4, 25), (6, 15), (0, 8), (14, 56)];
const DISABILITY_NO: &[(i32, i32)] = &[(1, 8), (14, 4), (3, 20), (13, 33), (2, 37), (0, 0)];
const RHY_HOUSED: &[(i32, i32)] = &[(2, 24), (0, 22)];
const RHY_OUTREACH: &[(i32, i32)] = &[(4, 25), (2, 43)];

use Element as E;
#[rustfmt::skip]
const CASES: &[Case] = &[
    case(E::Name, AllClients, &[1], ANY, &[]),
    case(E::SocialSecurityNumber, AllClients, &[1], ANY, &[]),
    case(E::DateOfBirth, AllClients, &[1], ANY, &[]),
    case(E::RaceAndEthnicity, AllClients, &[1], ANY, &[]),
    case(E::VeteranStatus, Adults, &[1], ANY, &[]),
    case(E::DisablingCondition, AllClients, &[1], ANY, &[]),
    case(E::ProjectStartDate, AllClients, &[1], ANY, &[]),
    case(E::ProjectExitDate, AllClients, &[3], ANY, &[]),
    case(E::Destination, AllClients, &[3], ANY, &[]),
    case(E::RelationshipToHoh, AllClients, &[1], ANY, &[]),
    case(E::EnrollmentCoc, HeadsOfHousehold, &[1], ANY, &[]),
    case(E::HousingMoveInDate, HeadsOfHousehold, OCCURRENCE,
        &[(3, 0), (9, 0), (10, 46), (13, 3), (2, 45)], &[(0, 0), (2, 5), (2, 37), (12, 9)]),
    case(E::PriorLivingSituationHomeless, HeadsAndAdults, &[1],
        &[(0, 0), (1, 0), (4, 11), (8, 6)], &[(2, 0), (3, 2), (13, 0), (14, 0)]),
    case(E::PriorLivingSituation, HeadsAndAdults, &[1],
        &[(2, 0), (3, 2), (6, 0), (13, 3), (14, 0)], &[(0, 0), (1, 0), (4, 0), (8, 0)]),
    case(E::IncomeAndSources, HeadsAndAdults, ASSESSED,
        &[(3, 2), (6, 4), (0, 8), (12, 9), (13, 53), (4, 21), (2, 24), (2, 23), (13, 33),
          (12, 33), (2, 37), (8, 30), (2, 27), (3, 20), (3, 35), (14, 56), (6, 15), (13, 54)],
        &[(14, 4), (1, 8), (4, 53), (0, 53), (0, 22), (4, 25), (6, 33), (2, 35), (14, 54),
          (14, 55), (0, 46), (0, 34), (0, 0), (3, 36)]),
    case(E::NonCashBenefits, HeadsAndAdults, ASSESSED,
        &[(3, 2), (0, 22), (2, 24)], &[(4, 25), (1, 8), (14, 4), (0, 0)]),
    case(E::HealthInsurance, AllClients, ASSESSED,
        &[(3, 2), (4, 25), (0, 22), (13, 33)], &[(1, 8), (14, 4), (0, 46), (6, 33)]),
    case(E::PhysicalDisability, AllClients, &[1, 2, 3], DISABILITY_YES, DISABILITY_NO),
    case(E::DevelopmentalDisability, AllClients, &[1, 2, 3], DISABILITY_YES, DISABILITY_NO),
    case(E::ChronicHealthCondition, AllClients, &[1, 2, 3], DISABILITY_YES, DISABILITY_NO),
    case(E::HivAids, AllClients, &[1, 2, 3],
        &[(3, 2), (6, 15), (0, 8), (3, 35)], &[(4, 21), (2, 24), (1, 8), (14, 4), (3, 20)]),
    case(E::MentalHealthDisorder, AllClients, &[1, 2, 3], DISABILITY_YES, DISABILITY_NO),
    case(E::SubstanceUseDisorder, AllClients, &[1, 2, 3], DISABILITY_YES, DISABILITY_NO),
    case(E::DomesticViolence, HeadsAndAdults, &[1, 2],
        &[(1, 8), (3, 2), (3, 20), (13, 33), (4, 21), (2, 37)],
        &[(2, 24), (14, 4), (0, 53), (6, 33), (0, 0)]),
    case(E::CurrentLivingSituation, HeadsAndAdults, OCCURRENCE,
        &[(4, 11), (1, 8), (6, 4), (14, 4), (4, 21), (4, 25), (14, 53), (4, 54), (2, 43)],
        &[(0, 8), (4, 0), (4, 46), (3, 2), (6, 54), (0, 53), (2, 24)]),
    case(E::DateOfEngagement, HeadsAndAdults, OCCURRENCE,
        &[(4, 11), (1, 8), (6, 4), (4, 21)], &[(0, 8), (3, 2), (4, 0), (4, 46)]),
    case(E::BedNight, AllClients, OCCURRENCE, &[(1, 0), (1, 8), (1, 46)], &[(0, 0), (0, 8), (4, 11)]),
    case(E::CoordinatedEntryAssessment, HeadsOfHousehold, OCCURRENCE,
        &[(14, 0), (14, 4)], &[(6, 4), (3, 2)]),
    case(E::CoordinatedEntryEvent, HeadsOfHousehold, OCCURRENCE,
        &[(14, 0), (14, 4)], &[(6, 4), (3, 2)]),
    case(E::Sex, AllClients, &[1],
        &[(3, 2), (0, 8), (4, 21), (2, 24), (13, 33)], &[(0, 0), (0, 46), (0, 34), (3, 36), (3, 50)]),
    case(E::PathServices, HeadsAndAdults, OCCURRENCE, &[(4, 21), (6, 21)], &[(4, 11), (4, 0)]),
    case(E::PathReferrals, HeadsAndAdults, OCCURRENCE, &[(4, 21), (6, 21)], &[(4, 11), (4, 0)]),
    case(E::PathStatus, HeadsAndAdults, OCCURRENCE, &[(4, 21), (6, 21)], &[(4, 11), (4, 0)]),
    case(E::SoarConnection, HeadsAndAdults, ASSESSED,
        &[(4, 21), (13, 33), (12, 33)], &[(6, 33), (3, 2)]),
    case(E::ReferralSource, HeadsAndAdults, &[1], &[(0, 22), (2, 24), (3, 43)], &[(4, 25), (2, 5)]),
    case(E::BcpStatus, AllClients, &[1], &[(0, 22), (12, 22)], &[(2, 24), (4, 25)]),
    case(E::LastGradeCompleted, HeadsAndAdults, &[1, 3],
        &[(3, 20), (2, 24), (13, 33)], &[(4, 25), (6, 33), (2, 37)]),
    case(E::SchoolStatus, HeadsAndAdults, &[1, 3], RHY_HOUSED, &[(4, 25), (3, 20)]),
    case(E::EmploymentStatus, HeadsAndAdults, &[1, 3],
        &[(3, 20), (2, 24), (12, 33), (2, 37)], &[(4, 25), (6, 33), (3, 2)]),
    case(E::GeneralHealthStatus, HeadsAndAdults, &[1, 3], &[(3, 20), (2, 23)], &[(4, 25), (13, 33)]),
    case(E::DentalHealthStatus, HeadsAndAdults, &[1, 3], RHY_HOUSED, &[(4, 25), (3, 20)]),
    case(E::MentalHealthStatus, HeadsAndAdults, &[1, 3], RHY_HOUSED, &[(4, 25), (3, 20)]),
    case(E::PregnancyStatus, HeadsAndAdults, &[1, 2], &[(4, 25), (2, 24)], &[(3, 2), (2, 43)]),
    case(E::FormerWardChildWelfare, HeadsAndAdults, &[1], RHY_HOUSED, RHY_OUTREACH),
    case(E::FormerWardJuvenileJustice, HeadsAndAdults, &[1], RHY_HOUSED, RHY_OUTREACH),
    case(E::FamilyCriticalIssues, HeadsAndAdults, &[1], RHY_HOUSED, RHY_OUTREACH),
    case(E::RhyServiceConnections, HeadsAndAdults, OCCURRENCE, RHY_HOUSED, RHY_OUTREACH),
    case(E::CommercialSexualExploitation, HeadsAndAdults, &[3], &[(4, 25), (0, 22)], &[(2, 43), (3, 2)]),
    case(E::LaborExploitation, HeadsAndAdults, &[3], &[(4, 25), (0, 22)], &[(2, 43), (3, 2)]),
    case(E::ProjectCompletionStatus, HeadsAndAdults, &[3],
        &[(0, 22), (2, 24), (2, 26)], &[(12, 22), (4, 25)]),
    case(E::Counseling, HeadsAndAdults, &[3], &[(12, 22), (2, 24)], &[(4, 25)]),
    case(E::SafeAndAppropriateExit, HeadsAndAdults, &[3],
        &[(0, 22), (2, 24), (2, 26)], &[(12, 22), (4, 25)]),
    case(E::AftercarePlans, HeadsAndAdults, &[6], &[(2, 23), (0, 22)], &[(4, 25)]),
    case(E::HopwaServices, AllClients, OCCURRENCE, &[(3, 15), (6, 14)], &[(3, 2)]),
    case(E::HopwaFinancialAssistance, HeadsOfHousehold, OCCURRENCE,
        &[(6, 16), (12, 17)], &[(3, 15), (0, 13)]),
    case(E::MedicalAssistance, AllClients, &[1, 2, 3], &[(3, 15)], &[(3, 2)]),
    case(E::HousingAssessmentAtExit, AllClients, &[3],
        &[(12, 1), (12, 9), (12, 53), (3, 15), (12, 17)], &[(13, 3), (3, 2), (9, 15), (12, 33)]),
    case(E::VeteranInformation, Veterans, &[1],
        &[(3, 20), (13, 33), (2, 37), (8, 30), (2, 27)], &[(6, 33), (3, 2)]),
    case(E::SsvfServices, AllClients, OCCURRENCE, &[(13, 33), (12, 33)], &[(6, 33)]),
    case(E::SsvfFinancialAssistance, AllClients, OCCURRENCE, &[(13, 33), (12, 33)], &[(6, 33)]),
    case(E::PercentOfAmi, HeadsOfHousehold, &[1], &[(13, 33), (12, 33)], &[(6, 33)]),
    case(E::VamcStation, HeadsOfHousehold, &[1], &[(3, 20), (13, 33), (2, 40)], &[(6, 33), (2, 32)]),
    case(E::HpTargetingCriteria, HeadsOfHousehold, &[1], &[(12, 33)], &[(13, 33)]),
    case(E::VashVoucherTracking, HeadsOfHousehold, OCCURRENCE, &[(3, 20)], &[(6, 20)]),
    case(E::VashExitInformation, HeadsOfHousehold, &[3], &[(3, 20), (6, 20)], &[(13, 33)]),
    case(E::MentalHealthConsultation, HeadsOfHousehold, &[1],
        &[(6, 33), (12, 33), (13, 42)], &[(2, 37), (3, 20)]),
    case(E::MovingOnAssistance, HeadsOfHousehold, OCCURRENCE,
        &[(3, 2), (3, 43), (3, 56)], &[(13, 3), (3, 20), (9, 2)]),
    case(E::YouthEducationStatus, HeadsOfHousehold, &[1, 3], &[(2, 43)], &[(2, 24), (3, 2)]),
];

fn funders_of(code: i32) -> Vec<FundingSource> {
    if code == NO_GRANT {
        Vec::new()
    } else {
        vec![funder(code)]
    }
}

/// The person every element can be about: an adult veteran head of household.
fn anyone<'a>(project_type_code: i32, funders: &'a [FundingSource]) -> Subject<'a> {
    Subject {
        veteran: true,
        ..subject(HEAD, Some(40), project_type_code, funders)
    }
}

#[test]
fn every_element_has_its_edges_stated() {
    let stated: Vec<Element> = CASES.iter().map(|case| case.element).collect();
    assert_eq!(stated, Element::ALL.to_vec());
}

#[test]
fn each_element_is_required_by_exactly_the_programs_on_its_side_of_each_edge() {
    for case in CASES {
        for (expected, pairs) in [(true, case.yes), (false, case.no)] {
            for (type_code, funder_code) in pairs {
                let funders = funders_of(*funder_code);
                let applies = anyone(*type_code, &funders).applies(case.element);
                assert_eq!(
                    applies, expected,
                    "{}: project type {type_code}, funder {funder_code}",
                    case.element
                );
            }
        }
    }
}

#[test]
fn each_element_is_collected_about_its_people() {
    for case in CASES {
        let (type_code, funder_code) = case.yes[0];
        let funders = funders_of(funder_code);
        let person = |relationship_code, age| subject(relationship_code, age, type_code, &funders);
        let veteran = Subject {
            veteran: true,
            ..person(PARTNER, Some(30))
        };
        let expected = match case.about {
            AllClients => [true, true, true, true, true, true],
            Adults => [true, false, true, false, true, false],
            HeadsOfHousehold => [true, true, false, false, false, false],
            HeadsAndAdults => [true, true, true, false, true, false],
            Veterans => [false, false, false, false, false, true],
        };
        let people = [
            person(HEAD, Some(40)),
            person(HEAD, Some(16)),
            person(PARTNER, Some(18)),
            person(CHILD, Some(17)),
            person(CHILD, None),
            veteran,
        ];
        let collected = people.map(|person| person.applies(case.element));
        let expected = if case.about == Veterans {
            expected
        } else {
            // A veteran is collected about as the partner of 30 they are.
            [
                expected[0],
                expected[1],
                expected[2],
                expected[3],
                expected[4],
                expected[2],
            ]
        };
        assert_eq!(collected, expected, "{}", case.element);
    }
}

#[test]
fn each_element_is_collected_at_its_stages() {
    for case in CASES {
        let (type_code, funder_code) = case.yes[0];
        let funders = funders_of(funder_code);
        let stages: Vec<i32> = anyone(type_code, &funders)
            .stages(case.element)
            .iter()
            .map(|stage| stage.code())
            .collect();
        assert_eq!(stages, case.stages.to_vec(), "{}", case.element);
        let occurrence =
            row(case.element).map(|row| row.collection) == Some(Collection::Occurrence);
        assert_eq!(occurrence, case.stages.is_empty(), "{}", case.element);
    }
}

//! The rules over a person in a program: age at project start, heads and adults, the programs
//! that ask for each kind of element.

use super::*;

/// CoC permanent supportive housing (type 3, funder 2).
fn coc_psh() -> Vec<FundingSource> {
    vec![funder(2)]
}

#[test]
fn age_counts_whole_years_at_project_start() {
    let dob = date("2007-03-01");
    assert_eq!(age_on(dob, date("2025-03-01")), Some(18));
    assert_eq!(age_on(dob, date("2025-02-28")), Some(17));
    assert_eq!(age_on(dob, dob), Some(0));
    assert_eq!(age_on(dob, date("2007-02-28")), None);
    // A 29 February birthday comes on 1 March in other years.
    let leap = date("2004-02-29");
    assert_eq!(age_on(leap, date("2022-02-28")), Some(17));
    assert_eq!(age_on(leap, date("2022-03-01")), Some(18));
}

#[test]
fn a_child_owes_no_income_and_a_head_and_an_adult_do() {
    let funders = coc_psh();
    let income = Element::IncomeAndSources;
    assert!(subject(HEAD, Some(40), 3, &funders).applies(income));
    assert!(subject(PARTNER, Some(35), 3, &funders).applies(income));
    assert!(!subject(CHILD, Some(9), 3, &funders).applies(income));
    // A minor head of household still owes it.
    assert!(subject(HEAD, Some(17), 3, &funders).applies(income));
}

#[test]
fn eighteen_exactly_at_entry_is_an_adult_and_seventeen_is_not() {
    let funders = coc_psh();
    let dob = date("2007-03-01");
    let on_birthday = age_on(dob, date("2025-03-01"));
    let day_before = age_on(dob, date("2025-02-28"));
    let income = Element::IncomeAndSources;
    assert!(subject(CHILD, on_birthday, 3, &funders).applies(income));
    assert!(!subject(CHILD, day_before, 3, &funders).applies(income));
    assert!(subject(CHILD, on_birthday, 3, &funders).applies(Element::VeteranStatus));
    assert!(!subject(CHILD, day_before, 3, &funders).applies(Element::VeteranStatus));
}

#[test]
fn an_unknown_date_of_birth_is_asked_the_adults_questions() {
    let funders = coc_psh();
    let unknown = subject(CHILD, None, 3, &funders);
    assert!(unknown.is_adult());
    assert!(unknown.applies(Element::IncomeAndSources));
    assert!(unknown.applies(Element::VeteranStatus));
    assert!(unknown.applies(Element::PriorLivingSituation));
    // Not a head for all that.
    assert!(!unknown.applies(Element::EnrollmentCoc));
}

#[test]
fn street_outreach_collects_current_living_situation_and_date_of_engagement() {
    for funded in [11, 21, 25] {
        let funders = vec![funder(funded)];
        let outreach = subject(HEAD, Some(40), 4, &funders);
        assert!(
            outreach.applies(Element::CurrentLivingSituation),
            "{funded}"
        );
        assert!(outreach.applies(Element::DateOfEngagement), "{funded}");
        // Occurrences: at contacts and at engagement, never at a stage.
        assert!(outreach.stages(Element::CurrentLivingSituation).is_empty());
    }
    let esg_shelter = vec![funder(8)];
    let entry_exit = subject(HEAD, Some(40), 0, &esg_shelter);
    assert!(!entry_exit.applies(Element::CurrentLivingSituation));
    assert!(!entry_exit.applies(Element::DateOfEngagement));
}

#[test]
fn permanent_housing_collects_the_move_in_date_of_the_head_only() {
    for housing in [3, 9, 10, 13] {
        assert!(subject(HEAD, Some(40), housing, &[]).applies(Element::HousingMoveInDate));
        assert!(!subject(PARTNER, Some(40), housing, &[]).applies(Element::HousingMoveInDate));
    }
    for other in [0, 1, 2, 4, 6, 7, 8, 11, 12, 14] {
        assert!(
            !subject(HEAD, Some(40), other, &[]).applies(Element::HousingMoveInDate),
            "{other}"
        );
    }
}

/// The elements every project collects, whatever funds it.
fn universal() -> Vec<Element> {
    use Element::*;
    vec![
        Name,
        SocialSecurityNumber,
        DateOfBirth,
        RaceAndEthnicity,
        VeteranStatus,
        DisablingCondition,
        ProjectStartDate,
        ProjectExitDate,
        Destination,
        RelationshipToHoh,
        EnrollmentCoc,
    ]
}

#[test]
fn a_program_with_no_hud_grant_requires_the_universal_elements_only() {
    let local = vec![funder(46)];
    let not_applicable = vec![funder(34)];
    for funders in [&[][..], &local, &not_applicable] {
        let mut expected = universal();
        expected.push(Element::PriorLivingSituationHomeless);
        assert_eq!(applying(&subject(HEAD, Some(40), 0, funders)), expected);
        let mut housed = universal();
        housed.extend([Element::HousingMoveInDate, Element::PriorLivingSituation]);
        assert_eq!(applying(&subject(HEAD, Some(40), 3, funders)), housed);
    }
    // The exception HUD makes: every night-by-night shelter records bed nights.
    let night_by_night = applying(&subject(HEAD, Some(40), 1, &[]));
    assert!(night_by_night.contains(&Element::BedNight));
    assert_eq!(night_by_night.len(), universal().len() + 2);
}

#[test]
fn a_hud_grant_adds_its_program_specific_elements() {
    let funders = coc_psh();
    let head = applying(&subject(HEAD, Some(40), 3, &funders));
    for element in [
        Element::IncomeAndSources,
        Element::NonCashBenefits,
        Element::HealthInsurance,
        Element::PhysicalDisability,
        Element::DomesticViolence,
        Element::Sex,
        Element::MovingOnAssistance,
    ] {
        assert!(head.contains(&element), "{element}");
    }
    assert!(!head.contains(&Element::CurrentLivingSituation));
}

#[test]
fn stages_of_an_element_are_asked_of_the_subject() {
    let funders = coc_psh();
    let adult = subject(PARTNER, Some(30), 3, &funders);
    let income = Element::IncomeAndSources;
    assert!(adult.applies_at(income, Stage::ProjectStart));
    assert!(adult.applies_at(income, Stage::AnnualAssessment));
    assert!(adult.applies_at(income, Stage::ProjectExit));
    assert!(!adult.applies_at(income, Stage::PostExit));
    assert!(!adult.applies_at(Element::DomesticViolence, Stage::ProjectExit));
    let child = subject(CHILD, Some(5), 3, &funders);
    assert!(!child.applies_at(income, Stage::ProjectStart));
    assert!(child.applies_at(Element::HealthInsurance, Stage::AnnualAssessment));
}

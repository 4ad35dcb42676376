//! The code lists against HUD's, as the project's reference data holds them
//! (`domain/hud/code-lists.csv`): every list a type with exactly HUD's codes and labels.

use std::collections::BTreeSet;

use super::*;

const CODE_LISTS: &str = include_str!("../../hud/code-lists.csv");

/// `(list, code, label)` of every row of code-lists.csv, in its order.
fn reference_codes() -> Vec<(&'static str, i32, &'static str)> {
    let mut lines = CODE_LISTS.lines();
    assert_eq!(lines.next(), Some("list,code,label"));
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            let [list, code, label] = fields[..] else {
                panic!("not three fields: {line}");
            };
            (list, code.parse().expect("an integer code"), label)
        })
        .collect()
}

/// The lists of code-lists.csv in its order, each with its codes and labels in order.
fn reference_lists() -> Vec<(&'static str, Vec<(i32, &'static str)>)> {
    let mut lists: Vec<(&'static str, Vec<(i32, &'static str)>)> = Vec::new();
    for (list, code, label) in reference_codes() {
        match lists.iter_mut().find(|(name, _)| *name == list) {
            Some((_, codes)) => codes.push((code, label)),
            None => lists.push((list, vec![(code, label)])),
        }
    }
    lists
}

fn list_named(name: &str) -> HudList {
    let found: Vec<HudList> = HudList::ALL
        .iter()
        .copied()
        .filter(|list| list.name() == name)
        .collect();
    assert_eq!(found.len(), 1, "one type of HUD list {name}");
    found[0]
}

#[test]
fn every_hud_list_is_a_type_with_exactly_its_codes_and_labels() {
    let reference = reference_lists();
    assert_eq!(reference.len(), 87);
    assert_eq!(
        HudList::ALL.len(),
        reference.len(),
        "a type for no HUD list"
    );
    for (name, codes) in &reference {
        let list = list_named(name);
        assert_eq!(list.codes(), &codes[..], "{name}");
        for (code, label) in codes {
            assert_eq!(list.label(*code), Some(*label), "{name} {code}");
            let through_type = list.label_through_type(i64::from(*code));
            assert_eq!(
                through_type,
                Some(*label),
                "{name}: its type refuses {code}"
            );
        }
    }
}

#[test]
fn no_list_takes_a_number_it_does_not_list() {
    for list in HudList::ALL {
        let listed: BTreeSet<i32> = list.codes().iter().map(|(code, _)| *code).collect();
        let mut probes: BTreeSet<i64> = [0, 2_147_483_646, -1, 98, 100, 999]
            .into_iter()
            .chain([i64::from(i32::MAX), i64::from(i32::MAX) + 1, i64::MIN])
            .collect();
        // Each code's neighbours: lists with gaps (FundingSource has no 12) hold no more.
        probes.extend(
            listed
                .iter()
                .flat_map(|code| [code - 1, code + 1])
                .map(i64::from),
        );
        for probe in probes {
            let listed = i32::try_from(probe).is_ok_and(|code| listed.contains(&code));
            let name = list.name();
            assert_eq!(
                list.label_through_type(probe).is_some(),
                listed,
                "{name}: {probe}"
            );
            assert_eq!(list.check(probe).is_ok(), listed, "{name}: {probe}");
            if let Ok(code) = i32::try_from(probe) {
                assert_eq!(list.is_valid(code), listed, "{name}: {code}");
            }
        }
    }
}

#[test]
fn a_refused_number_names_its_list() {
    let error = HudList::FundingSource.check(47).unwrap_err();
    assert_eq!(
        error.to_string(),
        "47 is not a code of HUD list 2.06.1 FundingSource"
    );
    assert_eq!(HudList::FundingSource.check(56), Ok(56));
    assert_eq!(
        HudList::SsvfService.label(10),
        Some("Healthcare Navigation")
    );
}

/// The names other code uses keep their HUD lists.
#[test]
fn the_types_keep_their_names_and_lists() {
    fn named<L: CodeList>(name: &str) {
        assert_eq!(L::NAME, name);
        assert_eq!(L::LIST.name(), name);
        assert_eq!(L::LIST.codes(), L::CODES);
    }
    named::<NoYesMissing>("1.8 NoYesReasonsForMissingData");
    named::<NoYesNotCollected>("1.7 NoYesMissing");
    named::<NoYes>("1.10 NoYes");
    named::<RaceNone>("1.6 RaceNone");
    named::<DataQuality>("DataQuality (3.01.5 name / 3.02.2 SSN / 3.03.2 DOB)");
    named::<Sex>("4.21 Sex");
    named::<RelationshipToHoh>("3.15.1 RelationshipToHoH");
    named::<Destination>("3.12 Destination");
    named::<RentalSubsidyType>("3.12.A RentalSubsidyType");
    named::<PriorLivingSituation>("3.917 PriorLivingSituation");
    named::<LengthOfStay>("3.917.2 LengthOfStay");
    named::<ProjectType>("2.02.6 ProjectType");
    named::<FundingSource>("2.06.1 FundingSource");
    named::<AssessmentType>("4.19.3 AssessmentType");
    named::<AssessmentLevel>("4.19.4 AssessmentLevel");
    named::<PrioritizationStatus>("4.19.7 PrioritizationStatus");
    named::<ServiceRecordType>("1.4 RecordType (Services)");
    named::<PathService>("P1.2 PATHServices");
    named::<RhyService>("R14.2 RHYServices");
    named::<HopwaService>("W1.2 HOPWAServices");
    named::<SsvfService>("V2.2 SSVFServices");
    named::<HopwaFinancialAssistance>("W2.2 HOPWAFinancialAssistance");
    named::<SsvfFinancialAssistance>("V3.3 SSVFFinancialAssistance");
    named::<PathReferral>("P2.2 PATHReferral");
    named::<BedNight>("4.14 BedNight");
    named::<VoucherTracking>("V8.2 VoucherTracking");
    named::<MovingOnAssistance>("C2.2 MovingOnAssistance");
    named::<ExportPeriodType>("1.1 ExportPeriodType");
    named::<ExportDirective>("1.2 ExportDirective");
    named::<HashStatus>("1.5 HashStatus");
    named::<SourceType>("1.9 SourceType");
    named::<CurrentLivingSituation>("4.12 CurrentLivingSituation");
    named::<RrhSubType>("2.02.A RRHSubType");
    named::<TCellViralLoadSource>("W4.B TCellViralLoadSource");
}

fn codes_of(list: HudList) -> BTreeSet<i32> {
    list.codes().iter().map(|(code, _)| *code).collect()
}

/// HUD's one living situation list (3.12.1) is held as the three subsets its columns take
/// (3.917 at entry, 3.12 at exit, 4.12 at a contact), each lacking what the Data Standards
/// leave out of it.
#[test]
fn the_living_situation_lists_are_the_subsets_of_3_12_1() {
    let prior = codes_of(HudList::PriorLivingSituation);
    let destination = codes_of(HudList::Destination);
    let current = codes_of(HudList::CurrentLivingSituation);
    let living_situations: BTreeSet<i32> = prior
        .iter()
        .chain(&destination)
        .chain(&current)
        .copied()
        .collect();
    let lacking = |subset: &BTreeSet<i32>| -> Vec<i32> {
        living_situations.difference(subset).copied().collect()
    };
    assert_eq!(lacking(&destination), vec![37, 335, 336]);
    assert_eq!(
        lacking(&current),
        vec![24, 30, 312, 313, 327, 422, 423, 426]
    );
    assert_eq!(
        lacking(&prior),
        vec![17, 24, 30, 37, 312, 313, 327, 422, 423, 426]
    );
}

#[test]
fn no_two_types_hold_one_hud_list() {
    let names: BTreeSet<&str> = HudList::ALL.iter().map(|list| list.name()).collect();
    assert_eq!(names.len(), HudList::ALL.len());
}

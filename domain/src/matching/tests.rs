use super::*;

fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn quality(code: i32) -> DataQuality {
    DataQuality::try_from(code).unwrap()
}

fn ssn(digits: &str) -> Ssn {
    Ssn::parse(digits).unwrap()
}

/// Jordan Lee, born 1990-04-12, SSN 123-45-6780, everything full.
fn jordan() -> Candidate<'static> {
    Candidate {
        first_name: Some("Jordan"),
        last_name: Some("Lee"),
        dob: Some(day("1990-04-12")),
        dob_data_quality: quality(1),
        ssn: Some("123456780"),
        ssn_last4: Some("6780"),
        ssn_data_quality: quality(1),
    }
}

fn probe(
    first: Option<&str>,
    last: Option<&str>,
    dob: Option<&str>,
    digits: Option<&str>,
) -> Probe {
    Probe {
        first_name: first.map(str::to_owned),
        last_name: last.map(str::to_owned),
        dob: dob.map(day),
        ssn: digits.map(ssn),
    }
}

fn hundredths(probe: &Probe, candidate: &Candidate<'_>) -> u8 {
    score(probe, candidate).hundredths()
}

#[test]
fn everything_agreeing_is_a_certain_match() {
    let all = probe(
        Some("Jordan"),
        Some("Lee"),
        Some("1990-04-12"),
        Some("123456780"),
    );
    let evidence = compare(&all, &jordan());
    assert_eq!(evidence.ssn, SsnEvidence::Same);
    assert_eq!(evidence.dob, DobEvidence::Same);
    assert_eq!(
        evidence.names,
        NameEvidence::Compared {
            first: NameAgreement::Exact,
            last: NameAgreement::Exact
        }
    );
    assert_eq!(evidence.points(), 165);
    assert_eq!(evidence.score(), Score(100));
    assert!(evidence.score().is_match());
    assert_eq!(evidence.score().fraction(), 1.0);
}

#[test]
fn a_full_ssn_alone_is_a_match_and_conflicts_bring_it_down() {
    let alone = probe(None, None, None, Some("123456780"));
    assert_eq!(hundredths(&alone, &jordan()), 80);
    assert!(score(&alone, &jordan()).is_match());
    // Another birth date: possible, not a match.
    let other_dob = probe(None, None, Some("1991-04-12"), Some("123456780"));
    assert_eq!(hundredths(&other_dob, &jordan()), 55);
    assert!(!score(&other_dob, &jordan()).is_match());
    assert!(score(&other_dob, &jordan()).is_possible());
    // Another last name too: a mistyped SSN of someone else, below a possible match.
    let other_person = probe(None, Some("Park"), Some("1991-04-12"), Some("123456780"));
    assert_eq!(hundredths(&other_person, &jordan()), 40);
    assert!(!score(&other_person, &jordan()).is_possible());
}

#[test]
fn another_full_ssn_counts_against() {
    let other = probe(
        Some("Jordan"),
        Some("Lee"),
        Some("1990-04-12"),
        Some("123456781"),
    );
    let evidence = compare(&other, &jordan());
    assert_eq!(evidence.ssn, SsnEvidence::Different);
    assert_eq!(evidence.points(), 85 - 30);
    assert!(evidence.score().is_possible() && !evidence.score().is_match());
}

#[test]
fn the_last_four_digits_with_the_birth_date_are_a_match() {
    // The stored SSN is partial: only its last four digits count.
    let partial = Candidate {
        ssn: Some("000006780"),
        ssn_data_quality: quality(2),
        ..jordan()
    };
    let probe_with = probe(None, None, Some("1990-04-12"), Some("123456780"));
    let evidence = compare(&probe_with, &partial);
    assert_eq!(evidence.ssn, SsnEvidence::SameLast4);
    assert_eq!(evidence.score(), Score(80));
    assert!(evidence.score().is_match());
    // The last four alone: no more than a hint.
    let alone = probe(None, None, None, Some("123456780"));
    assert_eq!(hundredths(&alone, &partial), 40);
    // Other last four digits count against.
    let other = probe(None, None, Some("1990-04-12"), Some("123451234"));
    assert_eq!(compare(&other, &partial).ssn, SsnEvidence::DifferentLast4);
    assert_eq!(hundredths(&other, &partial), 20);
    // A probe whose first five digits are unknown (000) offers its last four.
    let masked = probe(None, None, Some("1990-04-12"), Some("000006780"));
    assert_eq!(compare(&masked, &jordan()).ssn, SsnEvidence::SameLast4);
    assert_eq!(hundredths(&masked, &jordan()), 80);
}

#[test]
fn the_birth_date_and_both_names_are_a_match() {
    let named = probe(Some("Jordan"), Some("Lee"), Some("1990-04-12"), None);
    assert_eq!(hundredths(&named, &jordan()), 85);
    // The last name only: possible.
    let last_only = probe(None, Some("Lee"), Some("1990-04-12"), None);
    assert_eq!(hundredths(&last_only, &jordan()), 65);
    // The first name only.
    let first_only = probe(Some("Jordan"), None, Some("1990-04-12"), None);
    assert_eq!(hundredths(&first_only, &jordan()), 60);
    // Another last name counts against.
    let other_last = probe(Some("Jordan"), Some("Park"), Some("1990-04-12"), None);
    assert_eq!(hundredths(&other_last, &jordan()), 45);
    // Another birth date: the names alone are not even possible.
    let other_dob = probe(Some("Jordan"), Some("Lee"), Some("1990-04-13"), None);
    assert_eq!(hundredths(&other_dob, &jordan()), 20);
}

#[test]
fn names_are_compared_without_case_accents_or_punctuation() {
    let stored = Candidate {
        first_name: Some("José"),
        last_name: Some("O'Brien-Díaz"),
        ..jordan()
    };
    let plain = probe(Some("JOSE"), Some("obrien diaz"), Some("1990-04-12"), None);
    assert_eq!(hundredths(&plain, &stored), 85);
    assert_eq!(normalize_name("  Zoë  "), Some("zoe".to_owned()));
    assert_eq!(normalize_name("Łukasz"), Some("lukasz".to_owned()));
    assert_eq!(normalize_name("Strauß"), Some("strauss".to_owned()));
    assert_eq!(normalize_name("Nguyễn"), Some("nguyen".to_owned()));
    assert_eq!(normalize_name("Ørsted"), Some("orsted".to_owned()));
    assert_eq!(normalize_name(" - . ' "), None);
    assert_eq!(normalize_name(""), None);
}

#[test]
fn nicknames_are_not_recognized() {
    let stored = Candidate {
        first_name: Some("Robert"),
        ..jordan()
    };
    let nickname = probe(Some("Bob"), Some("Lee"), Some("1990-04-12"), None);
    let evidence = compare(&nickname, &stored);
    assert_eq!(
        evidence.names,
        NameEvidence::Compared {
            first: NameAgreement::Different,
            last: NameAgreement::Exact
        }
    );
    assert_eq!(evidence.score(), Score(65));
}

#[test]
fn swapped_names_count_a_little_less() {
    let swapped = probe(Some("Lee"), Some("Jordan"), Some("1990-04-12"), None);
    let evidence = compare(&swapped, &jordan());
    assert_eq!(evidence.names, NameEvidence::Swapped);
    assert_eq!(evidence.score(), Score(80));
    assert!(evidence.score().is_match());
    // Names that read the same both ways are simply exact.
    let same_both_ways = Candidate {
        first_name: Some("Lee"),
        last_name: Some("Lee"),
        ..jordan()
    };
    let lee_lee = probe(Some("Lee"), Some("Lee"), Some("1990-04-12"), None);
    assert_eq!(hundredths(&lee_lee, &same_both_ways), 85);
    // Swapped names with a typo are not recognized as swapped.
    let swapped_typo = probe(Some("Lee"), Some("Jordon"), Some("1990-04-12"), None);
    assert!(matches!(
        compare(&swapped_typo, &jordan()).names,
        NameEvidence::Compared { .. }
    ));
}

#[test]
fn one_typo_in_a_name_counts_a_little_less() {
    for typo in ["Jordn", "Jordans", "Jordam", "Jodran"] {
        let probe_with = probe(Some(typo), Some("Lee"), Some("1990-04-12"), None);
        assert_eq!(hundredths(&probe_with, &jordan()), 80, "{typo}");
    }
    let last_typo = probe(Some("Jordan"), Some("Lea"), Some("1990-04-12"), None);
    assert_eq!(hundredths(&last_typo, &jordan()), 80);
    // A typo in each: possible only.
    let both = probe(Some("Jordn"), Some("Lea"), Some("1990-04-12"), None);
    assert_eq!(hundredths(&both, &jordan()), 75);
    // Two typos in one name are another name.
    let two = probe(Some("Jrdn"), Some("Lee"), Some("1990-04-12"), None);
    assert_eq!(hundredths(&two, &jordan()), 65);
}

#[test]
fn one_typo_is_one_edit_in_names_of_three_letters_or_more() {
    assert!(one_typo_apart("jordan", "jordon"), "replaced");
    assert!(one_typo_apart("jordan", "jordann"), "inserted at the end");
    assert!(one_typo_apart("jordan", "ajordan"), "inserted at the start");
    assert!(one_typo_apart("jordan", "jodan"), "deleted");
    assert!(
        one_typo_apart("jordan", "ojrdan"),
        "adjacent letters swapped"
    );
    assert!(
        one_typo_apart("jordan", "jordna"),
        "last two letters swapped"
    );
    assert!(one_typo_apart("lee", "lea"), "three letters");
    assert!(
        !one_typo_apart("jordan", "jordan"),
        "the same name is no typo"
    );
    assert!(!one_typo_apart("jordan", "jrdon"), "two edits");
    assert!(!one_typo_apart("jordan", "jardon"), "two replacements");
    assert!(
        !one_typo_apart("jordan", "dorjan"),
        "letters swapped far apart"
    );
    assert!(!one_typo_apart("jordan", "jordanne"), "two inserted");
    assert!(!one_typo_apart("li", "lu"), "two letters");
    assert!(!one_typo_apart("li", "lia"), "the shorter has two letters");
}

#[test]
fn placeholder_and_invalid_ssns_never_count() {
    for placeholder in [
        "000000000",
        "999999999",
        "111111111",
        "123456789",
        "987654321",
        "234567890",
        "876543210",
        "000123456",
        "666123456",
        "900123456",
        "123001234",
        "123450000",
    ] {
        assert!(!is_valid_ssn(placeholder), "{placeholder}");
        // Stored as a client's full SSN, and probed with the same digits: no evidence.
        let stored = Candidate {
            ssn: Some(placeholder),
            ssn_last4: Some(&placeholder[5..]),
            ..jordan()
        };
        let probe_with = probe(None, None, None, Some(placeholder));
        let evidence = compare(&probe_with, &stored);
        assert_ne!(evidence.ssn, SsnEvidence::Same, "{placeholder}");
        assert!(!evidence.score().is_possible(), "{placeholder}");
    }
    for valid in ["123456780", "001010001", "665999999", "899123456"] {
        assert!(is_valid_ssn(valid), "{valid}");
    }
    assert!(!is_valid_ssn("12345678"));
    assert!(!is_valid_ssn("12345678a"));
}

#[test]
fn only_full_or_unstated_ssns_count_whole() {
    let probe_with = probe(None, None, None, Some("123456780"));
    // Unstated (99, what the API records when a body leaves it out): counted.
    let unstated = Candidate {
        ssn_data_quality: quality(99),
        ..jordan()
    };
    assert_eq!(compare(&probe_with, &unstated).ssn, SsnEvidence::Same);
    // Partial: only the last four digits.
    let partial = Candidate {
        ssn_data_quality: quality(2),
        ..jordan()
    };
    assert_eq!(compare(&probe_with, &partial).ssn, SsnEvidence::SameLast4);
    // The client did not know or would not say: whatever was typed never counts.
    for code in [8, 9] {
        let unknown = Candidate {
            ssn_data_quality: quality(code),
            ..jordan()
        };
        assert_eq!(compare(&probe_with, &unknown).ssn, SsnEvidence::Unknown);
    }
    // Nothing stored, nothing probed.
    let none = Candidate {
        ssn: None,
        ssn_last4: None,
        ..jordan()
    };
    assert_eq!(compare(&probe_with, &none).ssn, SsnEvidence::Unknown);
    let no_probe = probe(Some("Jordan"), None, None, None);
    assert_eq!(compare(&no_probe, &jordan()).ssn, SsnEvidence::Unknown);
}

#[test]
fn an_approximate_birth_date_counts_half_and_cannot_disprove() {
    let approximate = Candidate {
        dob_data_quality: quality(2),
        ..jordan()
    };
    let same = probe(Some("Jordan"), Some("Lee"), Some("1990-04-12"), None);
    assert_eq!(
        compare(&same, &approximate).dob,
        DobEvidence::SameApproximate
    );
    assert_eq!(hundredths(&same, &approximate), 65);
    let other = probe(Some("Jordan"), Some("Lee"), Some("1990-01-01"), None);
    assert_eq!(
        compare(&other, &approximate).dob,
        DobEvidence::DifferentApproximate
    );
    assert_eq!(hundredths(&other, &approximate), 45);
    for code in [8, 9] {
        let unknown = Candidate {
            dob_data_quality: quality(code),
            ..jordan()
        };
        assert_eq!(compare(&same, &unknown).dob, DobEvidence::Unknown);
    }
    let none = Candidate {
        dob: None,
        ..jordan()
    };
    assert_eq!(compare(&same, &none).dob, DobEvidence::Unknown);
}

#[test]
fn the_thresholds_sit_at_their_edges() {
    assert!(Score(80).is_match() && !Score(79).is_match());
    assert!(Score(50).is_possible() && !Score(49).is_possible());
    assert_eq!(Score(85).fraction(), 0.85);
    // Points are kept within 0-100.
    let nothing_agrees = probe(
        Some("Sam"),
        Some("Park"),
        Some("2001-01-01"),
        Some("223456781"),
    );
    assert_eq!(compare(&nothing_agrees, &jordan()).points(), -70);
    assert_eq!(hundredths(&nothing_agrees, &jordan()), 0);
}

/// What the candidate lookup relies on: no candidate reaches a possible match without
/// sharing the date of birth or the last four SSN digits with the probe.
#[test]
fn names_alone_never_reach_a_possible_match() {
    let names = probe(Some("Jordan"), Some("Lee"), None, None);
    assert_eq!(hundredths(&names, &jordan()), 45);
    let best_without = Evidence {
        ssn: SsnEvidence::Unknown,
        dob: DobEvidence::DifferentApproximate,
        names: NameEvidence::Compared {
            first: NameAgreement::Exact,
            last: NameAgreement::Exact,
        },
    };
    assert!(!best_without.score().is_possible());
}

#[test]
fn candidates_rank_by_points_then_by_the_tie_breaker() {
    let everything = probe(
        Some("Jordan"),
        Some("Lee"),
        Some("1990-04-12"),
        Some("123456780"),
    );
    let ssn_and_dob = Candidate {
        first_name: Some("Sam"),
        ..jordan()
    };
    let best = compare(&everything, &jordan());
    let second = compare(&everything, &ssn_and_dob);
    assert_eq!(best.score(), second.score(), "both 1.00");
    assert_eq!(rank((&best, 2), (&second, 1)), Ordering::Less);
    assert_eq!(rank((&best, 1), (&best, 2)), Ordering::Less);
}

#[test]
fn a_probe_needs_a_birth_date_or_a_usable_ssn() {
    assert!(probe(None, None, Some("1990-04-12"), None)
        .check()
        .is_empty());
    assert!(probe(None, None, None, Some("123456780"))
        .check()
        .is_empty());
    // The last four digits of an SSN with unknown first digits are usable.
    assert!(probe(None, None, None, Some("000006780"))
        .check()
        .is_empty());
    let fields = |probe: Probe| -> Vec<(String, &'static str)> {
        probe
            .check()
            .into_iter()
            .map(|error| (error.field, error.code))
            .collect()
    };
    assert_eq!(
        fields(probe(Some("Jordan"), Some("Lee"), None, None)),
        [
            ("dob".to_owned(), "required"),
            ("ssn".to_owned(), "required")
        ]
    );
    assert_eq!(
        fields(probe(None, Some("Lee"), None, Some("999999999"))),
        [
            ("dob".to_owned(), "required"),
            ("ssn".to_owned(), "unusable")
        ]
    );
    // A placeholder SSN beside a birth date is no evidence, and no error.
    assert!(probe(None, None, Some("1990-04-12"), Some("000000000"))
        .check()
        .is_empty());
}

#[test]
fn candidates_are_looked_up_by_usable_last_four_digits_only() {
    assert_eq!(
        probe(None, None, None, Some("123456780")).ssn_last4_to_look_up(),
        Some("6780")
    );
    assert_eq!(
        probe(None, None, None, Some("000006780")).ssn_last4_to_look_up(),
        Some("6780")
    );
    for placeholder in ["999999999", "123456789", "123450000"] {
        assert_eq!(
            probe(None, None, None, Some(placeholder)).ssn_last4_to_look_up(),
            None,
            "{placeholder}"
        );
    }
    assert_eq!(
        probe(None, None, Some("1990-04-12"), None).ssn_last4_to_look_up(),
        None
    );
}

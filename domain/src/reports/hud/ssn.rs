//! Whether a recorded 3.02 Social Security Number could be one, by the rules the Social
//! Security Administration numbers by and the placeholders HUD names as data issues.

/// Numbers made of a run of consecutive digits, which records use as placeholders.
const PLACEHOLDERS: [&str; 9] = [
    "123456789",
    "234567890",
    "345678901",
    "456789012",
    "567890123",
    "678901234",
    "789012345",
    "890123456",
    "901234567",
];

/// Nine digits (dashes allowed); an area (first three) of neither 000, 666 nor 900-999; a
/// group (middle two) other than 00; a serial (last four) other than 0000; not one digit
/// repeated; not a run of consecutive digits.
pub(super) fn is_valid_ssn(recorded: &str) -> bool {
    let digits: String = recorded.chars().filter(|c| *c != '-').collect();
    if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let (area, rest) = digits.split_at(3);
    let (group, serial) = rest.split_at(2);
    let repeated = digits.bytes().all(|b| Some(b) == digits.bytes().next());
    area != "000"
        && area != "666"
        && !area.starts_with('9')
        && group != "00"
        && serial != "0000"
        && !repeated
        && !PLACEHOLDERS.contains(&digits.as_str())
}

#[cfg(test)]
mod tests {
    use super::is_valid_ssn;

    #[test]
    fn accepts_a_plausible_number_with_or_without_dashes() {
        assert!(is_valid_ssn("219-45-6781"));
        assert!(is_valid_ssn("219456781"));
    }

    #[test]
    fn refuses_numbers_no_ssn_can_be() {
        for recorded in [
            "000456781",
            "666456781",
            "912456781",
            "219006781",
            "219450000",
            "111111111",
            "123456789",
            "21945678",
            "21945678x",
        ] {
            assert!(!is_valid_ssn(recorded), "{recorded}");
        }
    }
}

//! HUD's column names as the API's field names: one rule for every HUD data element, so a
//! client can tell a field's column without a table (API contract, "HUD fields: one naming
//! rule"). `scripts/gen-hud-codes.py` applies the same rule to the catalog's `field`s.

/// The `snake_case` field of a HUD CSV column: a word starts at a capital that follows a
/// small letter or a digit, or at the last capital of a run followed by a small letter, so a
/// run of capitals is one word (`SSIAmount` -> `ssi_amount`) and digits stay with the word
/// before them (`HH5Plus` -> `hh5_plus`). `CoC` and `HoH`, abbreviations spelled with a small
/// letter, are one word each (`CoCPrioritized` -> `coc_prioritized`, `RelationshipToHoH` ->
/// `relationship_to_hoh`).
pub fn field_name(column: &str) -> String {
    let column = column.replace("CoC", "Coc").replace("HoH", "Hoh");
    let chars: Vec<char> = column.chars().collect();
    let mut field = String::with_capacity(column.len() + 8);
    for (index, &char) in chars.iter().enumerate() {
        let previous = index.checked_sub(1).and_then(|before| chars.get(before));
        let next = chars.get(index + 1);
        let starts_word = char.is_uppercase()
            && previous.is_some_and(|previous| {
                previous.is_lowercase()
                    || previous.is_ascii_digit()
                    || (previous.is_uppercase() && next.is_some_and(|next| next.is_lowercase()))
            });
        if starts_word {
            field.push('_');
        }
        field.extend(char.to_lowercase());
    }
    field
}

#[cfg(test)]
mod tests {
    use super::field_name;

    #[test]
    fn the_contracts_examples() {
        for (column, field) in [
            ("TotalMonthlyIncome", "total_monthly_income"),
            ("SSIAmount", "ssi_amount"),
            ("DateToStreetESSH", "date_to_street_essh"),
            ("LOSUnderThreshold", "los_under_threshold"),
            ("HH5Plus", "hh5_plus"),
            ("CoCPrioritized", "coc_prioritized"),
            ("CoCCode", "coc_code"),
            ("CoC", "coc"),
            ("EntryDate", "entry_date"),
            ("FAAmount", "fa_amount"),
        ] {
            assert_eq!(field_name(column), field, "{column}");
        }
    }

    #[test]
    fn head_of_household_is_one_word_as_coc_is() {
        assert_eq!(field_name("RelationshipToHoH"), "relationship_to_hoh");
        assert_eq!(field_name("DisabledHoH"), "disabled_hoh");
        assert_eq!(field_name("HOHLeaseholder"), "hoh_leaseholder");
        assert_eq!(field_name("ProjectCoCID"), "project_coc_id");
        assert_eq!(field_name("EnrollmentCoC"), "enrollment_coc");
    }

    #[test]
    fn single_capitals_and_digits() {
        assert_eq!(field_name("TCellCount"), "t_cell_count");
        assert_eq!(field_name("MidEastNAfrican"), "mid_east_n_african");
        assert_eq!(field_name("DependentUnder6"), "dependent_under6");
        assert_eq!(field_name("LeaveSituation14Days"), "leave_situation14_days");
        assert_eq!(field_name("Address2"), "address2");
        assert_eq!(field_name("WorldWarII"), "world_war_ii");
    }

    #[test]
    fn names_that_are_one_word() {
        assert_eq!(field_name("DOB"), "dob");
        assert_eq!(field_name("Sex"), "sex");
        assert_eq!(field_name("ZIP"), "zip");
        assert_eq!(field_name(""), "");
    }
}

use super::*;

#[test]
fn q7a_and_q8a_split_by_household_type_and_keep_a_household_whose_head_exited() {
    let single = client(1);
    let head = exited(client(2), "2025-07-01", 410);
    let child = member_of(&head, 3);
    let only_child = {
        let mut fact = client(4);
        fact.client.dob = Some(day("2012-01-01"));
        fact
    };
    let mut unknown_age_head = client(5);
    unknown_age_head.client.dob = None;
    unknown_age_head.client.dob_data_quality = Some(DataQuality::try_from(9).unwrap());
    let mut moved_in = client(6);
    moved_in.project_type = ProjectType::try_from(13).unwrap();
    moved_in.move_in_date = Some(day("2025-04-01"));
    let mut not_yet_moved_in = client(7);
    not_yet_moved_in.project_type = ProjectType::try_from(3).unwrap();
    let tables = outcomes(
        &range(),
        &[
            single,
            head,
            child,
            only_child,
            unknown_age_head,
            moved_in,
            not_yet_moved_in,
        ],
    );
    assert_eq!(clients(&tables, "Q7a", "B2"), vec![1, 2, 6, 7]);
    assert_eq!(clients(&tables, "Q7a", "C2"), vec![1, 6, 7]);
    assert_eq!(clients(&tables, "Q7a", "D2"), vec![2]);
    assert_eq!(clients(&tables, "Q7a", "D3"), vec![3]);
    assert_eq!(clients(&tables, "Q7a", "E3"), vec![4]);
    assert_eq!(clients(&tables, "Q7a", "F4"), vec![5]);
    assert_eq!(clients(&tables, "Q7a", "B6"), vec![1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(clients(&tables, "Q7a", "B7"), vec![6]);
    assert_eq!(clients(&tables, "Q8a", "B2"), vec![1, 2, 4, 5, 6, 7]);
    assert_eq!(clients(&tables, "Q8a", "D2"), vec![2]);
    assert_eq!(clients(&tables, "Q8a", "B3"), vec![6]);
    // The rows' total is the union of the household types.
    let q7a = table(&tables, "Q7a");
    for row in 2..=7 {
        let total = q7a.cell(&format!("B{row}")).unwrap().value.count().unwrap();
        let parts: usize = ["C", "D", "E", "F"]
            .iter()
            .map(|column| {
                q7a.cell(&format!("{column}{row}"))
                    .unwrap()
                    .value
                    .count()
                    .unwrap()
            })
            .sum();
        assert_eq!(total, parts, "row {row}");
    }
}

#[test]
fn q22a_buckets_leavers_to_exit_and_stayers_to_report_end() {
    let stay = |number: u128, entry: &str| {
        let mut fact = client(number);
        fact.entry_date = day(entry);
        fact
    };
    let tables = outcomes(
        &range(),
        &[
            exited(stay(1, "2025-03-01"), "2025-03-31", 410),
            exited(stay(2, "2025-03-01"), "2025-04-01", 410),
            stay(3, "2025-12-01"),
            stay(4, "2024-12-31"),
            stay(5, "2020-12-30"),
            stay(6, "2021-01-01"),
        ],
    );
    assert_eq!(clients(&tables, "Q22a", "C2"), vec![1]);
    assert_eq!(clients(&tables, "Q22a", "C3"), vec![2]);
    assert_eq!(clients(&tables, "Q22a", "D2"), vec![3]);
    assert_eq!(clients(&tables, "Q22a", "D6"), vec![4]);
    assert_eq!(clients(&tables, "Q22a", "D10"), vec![6]);
    assert_eq!(clients(&tables, "Q22a", "D11"), vec![5]);
    assert_eq!(clients(&tables, "Q22a", "B12"), vec![1, 2, 3, 4, 5, 6]);
}

#[test]
fn q23c_counts_each_destination_category_and_the_permanent_rate() {
    let destinations = [116, 207, 206, 313, 435, 410, 24, 8, 9, 99, 30];
    let mut facts: Vec<ReportedEnrollment> = destinations
        .iter()
        .enumerate()
        .map(|(index, code)| exited(client(index as u128 + 1), "2025-06-01", *code))
        .collect();
    let mut no_destination = exited(client(12), "2025-06-01", 99);
    no_destination.destination = None;
    facts.push(no_destination);
    facts.push(client(13));
    let tables = outcomes(&range(), &facts);
    let q23c = table(&tables, "Q23c");
    let row = |label: &str| {
        q23c.rows
            .iter()
            .position(|row| *row == label)
            .map(|index| index + 2)
            .unwrap()
    };
    let at = |label: &str| clients(&tables, "Q23c", &format!("B{}", row(label)));
    assert_eq!(at("Place not meant for habitation"), vec![1]);
    assert_eq!(clients(&tables, "Q23c", "B6"), vec![1], "homeless subtotal");
    assert_eq!(clients(&tables, "Q23c", "B14"), vec![2, 3], "institutional");
    assert_eq!(clients(&tables, "Q23c", "B23"), vec![4], "temporary");
    assert_eq!(clients(&tables, "Q23c", "B32"), vec![5, 6], "permanent");
    assert_eq!(at("Client Doesn't Know/Prefers Not to Answer"), vec![8, 9]);
    assert_eq!(at("Data not collected"), vec![10, 12]);
    assert_eq!(clients(&tables, "Q23c", "B39"), vec![7, 8, 9, 10, 11, 12]);
    assert_eq!(at("Total"), (1..=12).collect::<Vec<_>>());
    assert_eq!(
        at("Total persons exiting to positive housing destinations"),
        vec![5, 6]
    );
    assert_eq!(
        at("Total persons whose destinations excluded them from the calculation"),
        vec![3, 7]
    );
    assert_eq!(
        rate(&tables, "Q23c", &format!("B{}", row("Percentage"))),
        (2, 10)
    );
}

#[test]
fn q19a2_compares_income_at_start_and_exit_of_adult_leavers() {
    let leaver = |number: u128, start: Option<i64>, exit: Option<i64>| {
        let mut fact = exited(client(number), "2025-09-01", 410);
        fact.income_at_start =
            Some(start.map_or(no_income("2025-03-01"), |d| earning("2025-03-01", d)));
        fact.income_at_exit =
            Some(exit.map_or(no_income("2025-09-01"), |d| earning("2025-09-01", d)));
        fact
    };
    let mut exit_income_missing = leaver(6, Some(100), None);
    exit_income_missing.income_at_exit = None;
    let mut exit_income_refused = leaver(7, Some(100), None);
    exit_income_refused.income_at_exit = Some(IncomeRecord {
        income_from_any_source: Some(NoYesMissing::try_from(9).unwrap()),
        ..no_income("2025-09-01")
    });
    let tables = outcomes(
        &range(),
        &[
            leaver(1, Some(500), None),
            leaver(2, Some(500), Some(400)),
            leaver(3, Some(500), Some(800)),
            leaver(4, None, Some(300)),
            leaver(5, None, None),
            exit_income_missing,
            exit_income_refused,
            client(8),
        ],
    );
    assert_eq!(clients(&tables, "Q19a2", "B2"), vec![1]);
    assert_eq!(clients(&tables, "Q19a2", "C2"), vec![2]);
    assert_eq!(clients(&tables, "Q19a2", "E2"), vec![3]);
    assert_eq!(clients(&tables, "Q19a2", "F2"), vec![4]);
    assert_eq!(clients(&tables, "Q19a2", "G2"), vec![5]);
    assert_eq!(clients(&tables, "Q19a2", "H2"), vec![1, 2, 3, 4, 5]);
    assert_eq!(clients(&tables, "Q19a2", "I2"), vec![3, 4]);
    assert_eq!(rate(&tables, "Q19a2", "J2"), (2, 5));
    let amount = |cell: &str| find_cell(&tables, "Q19a2", cell).unwrap().value.clone();
    // (300 + 300) / 2 dollars gained.
    assert_eq!(amount("I3"), CellValue::Amount(Some(Cents::from(30_000))));
    // (-500 - 100 + 300 + 300 + 0) / 5 dollars.
    assert_eq!(amount("H3"), CellValue::Amount(Some(Cents::from(0))));
    assert_eq!(amount("B3"), CellValue::Amount(Some(Cents::from(-50_000))));
    assert_eq!(amount("D3"), CellValue::Amount(None));
    assert_eq!(clients(&tables, "Q19a2", "H6"), vec![1, 2, 3, 4, 5]);
}

#[test]
fn q19a1_takes_the_annual_assessment_within_30_days_of_the_anniversary() {
    let stayer = |number: u128, annual_on: &str| {
        let mut fact = client(number);
        fact.entry_date = day("2024-02-01");
        fact.income_at_start = Some(earning("2024-02-01", 100));
        fact.annual_assessments = vec![earning(annual_on, 200)];
        fact
    };
    let mut not_due = client(3);
    not_due.annual_assessments = vec![earning("2025-06-01", 900)];
    let tables = outcomes(
        &range(),
        &[stayer(1, "2025-03-03"), stayer(2, "2025-03-04"), not_due],
    );
    assert_eq!(clients(&tables, "Q19a1", "H2"), vec![1]);
    assert_eq!(clients(&tables, "Q19a1", "E2"), vec![1]);
}

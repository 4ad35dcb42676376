use super::*;

#[test]
fn a_client_with_two_enrollments_in_the_range_is_counted_once_by_the_latest() {
    let earlier = exited(client(1), "2025-02-01", 410);
    let mut later = client(1);
    later.enrollment_id = id(1500);
    later.entry_date = day("2025-06-01");
    later.entry_created_on = day("2025-06-01");
    let before_range = exited(
        {
            let mut old = client(2);
            old.entry_date = day("2024-01-01");
            old
        },
        "2024-12-31",
        410,
    );
    let tables = hud_data_quality(&range(), &[earlier, later, before_range]);
    let served = find_cell(&tables, "Q5a", "B2")
        .unwrap()
        .value
        .members()
        .unwrap();
    assert_eq!(served.len(), 1);
    assert_eq!(served.iter().next().unwrap().enrollment_id, id(1500));
    assert_eq!(
        clients(&tables, "Q5a", "B6"),
        Vec::<u128>::new(),
        "not a leaver"
    );
    assert_eq!(clients(&tables, "Q5a", "B9"), vec![1], "a stayer");
}

#[test]
fn an_exit_on_the_first_day_of_the_range_is_in_the_report() {
    let leaver = exited(client(1), "2025-01-01", 410);
    let tables = hud_data_quality(&range(), &[leaver]);
    assert_eq!(clients(&tables, "Q5a", "B6"), vec![1]);
}

#[test]
fn age_is_taken_at_the_later_of_entry_and_report_start() {
    // Entered at 17 before the report; 17 on the report's first day, 18 during it: a child.
    let mut turns_18 = client(1);
    turns_18.entry_date = day("2024-06-01");
    turns_18.client.dob = Some(day("2007-03-01"));
    // Entered during the report the day after turning 18: an adult.
    let mut entered_adult = client(2);
    entered_adult.client.dob = Some(day("2007-02-28"));
    let mut unknown = client(3);
    unknown.client.dob = None;
    unknown.client.dob_data_quality = Some(DataQuality::CLIENT_DOESNT_KNOW);
    let mut not_collected = client(4);
    not_collected.client.dob = None;
    not_collected.client.dob_data_quality = Some(DataQuality::NOT_COLLECTED);
    let tables = hud_data_quality(&range(), &[turns_18, entered_adult, unknown, not_collected]);
    assert_eq!(clients(&tables, "Q5a", "B3"), vec![2]);
    assert_eq!(clients(&tables, "Q5a", "B4"), vec![1]);
    assert_eq!(clients(&tables, "Q5a", "B5"), vec![3, 4]);
    assert_eq!(
        clients(&tables, "Q5a", "B16"),
        vec![1, 3, 4],
        "child and unknown-age heads"
    );
    let outcomes = outcomes(&range(), &[client(5)]);
    assert_eq!(clients(&outcomes, "Q7a", "B2"), vec![5]);
}

#[test]
fn q6a_splits_dont_know_or_refused_from_missing_and_data_issues() {
    let mut dont_know_name = client(1);
    dont_know_name.client.name_data_quality = Some(DataQuality::try_from(9).unwrap());
    let mut no_last_name = client(2);
    no_last_name.client.has_last_name = false;
    let mut partial_name = client(3);
    partial_name.client.name_data_quality = Some(DataQuality::try_from(2).unwrap());
    let mut fake_ssn = client(4);
    fake_ssn.client.ssn = Some("123456789".to_owned());
    let mut ssn_not_collected = client(5);
    ssn_not_collected.client.ssn = None;
    ssn_not_collected.client.ssn_data_quality = Some(DataQuality::NOT_COLLECTED);
    let mut born_too_early = client(6);
    born_too_early.client.dob = Some(day("1914-12-31"));
    let mut race_refused = client(7);
    race_refused.client.has_race = false;
    race_refused.client.race_none = Some(crate::codes::RaceNone::try_from(9).unwrap());
    let mut sex_missing = client(8);
    sex_missing.client.sex = Some(Sex::NOT_COLLECTED);
    let everyone = [
        dont_know_name,
        no_last_name,
        partial_name,
        fake_ssn,
        ssn_not_collected,
        born_too_early,
        race_refused,
        sex_missing,
        client(9),
        client(10),
    ];
    let tables = hud_data_quality(&range(), &everyone);
    assert_eq!(clients(&tables, "Q6a", "B2"), vec![1]);
    assert_eq!(clients(&tables, "Q6a", "C2"), vec![2]);
    assert_eq!(clients(&tables, "Q6a", "D2"), vec![3]);
    assert_eq!(clients(&tables, "Q6a", "E2"), vec![1, 2, 3]);
    assert_eq!(rate(&tables, "Q6a", "F2"), (3, 10));
    assert_eq!(clients(&tables, "Q6a", "C3"), vec![5]);
    assert_eq!(clients(&tables, "Q6a", "D3"), vec![4]);
    assert_eq!(clients(&tables, "Q6a", "D4"), vec![6]);
    assert_eq!(clients(&tables, "Q6a", "B5"), vec![7]);
    assert!(find_cell(&tables, "Q6a", "D5").is_none(), "greyed");
    assert_eq!(clients(&tables, "Q6a", "C6"), vec![8]);
    assert_eq!(clients(&tables, "Q6a", "E7"), vec![1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(rate(&tables, "Q6a", "F7"), (8, 10));
}

#[test]
fn q6b_errors_and_their_denominators() {
    let mut veteran_unknown = client(1);
    veteran_unknown.client.veteran_status = Some(NoYesMissing::try_from(8).unwrap());
    let head = client(2);
    let mut child = member_of(&head, 3);
    // A child's veteran status is not asked.
    child.client.veteran_status = None;
    let earlier_stay = exited(
        {
            let mut stay = client(4);
            stay.enrollment_id = id(1400);
            stay.entry_date = day("2024-01-01");
            stay
        },
        "2025-04-01",
        101,
    );
    let overlapping = client(4);
    let mut no_coc = client(5);
    no_coc.enrollment_coc = None;
    let mut says_no_but_disabled = client(6);
    says_no_but_disabled.has_disabling_disability = true;
    let headless = member_of(&client(99), 7);
    let tables = hud_data_quality(
        &range(),
        &[
            veteran_unknown,
            head,
            child,
            earlier_stay,
            overlapping,
            no_coc,
            says_no_but_disabled,
            headless,
        ],
    );
    assert_eq!(clients(&tables, "Q6b", "B2"), vec![1]);
    assert_eq!(rate(&tables, "Q6b", "C2"), (1, 5), "adults only");
    assert_eq!(clients(&tables, "Q6b", "B3"), vec![4]);
    assert_eq!(clients(&tables, "Q6b", "B4"), vec![7]);
    assert_eq!(clients(&tables, "Q6b", "B5"), vec![5]);
    assert_eq!(rate(&tables, "Q6b", "C5"), (1, 5), "heads only");
    assert_eq!(clients(&tables, "Q6b", "B6"), vec![6]);
}

#[test]
fn q6c_destination_and_income_at_start_annual_and_exit() {
    let mut exit_income_missing = exited(client(1), "2025-06-01", 410);
    exit_income_missing.income_at_exit = None;
    let no_interview = exited(client(2), "2025-06-01", 30);
    let mut yes_without_source = client(3);
    yes_without_source.income_at_start = Some(IncomeRecord {
        income_from_any_source: Some(NoYesMissing::YES),
        ..no_income("2025-03-01")
    });
    // In the project since 2024-02-01: assessment due for 2025-02-01, none recorded.
    let mut annual_missing = client(4);
    annual_missing.entry_date = day("2024-02-01");
    // Due for 2025-02-01, recorded 2025-02-25: within 30 days.
    let mut annual_done = client(5);
    annual_done.entry_date = day("2024-02-01");
    annual_done.annual_assessments = vec![no_income("2025-02-25")];
    // Entered 2025-01-15: no annual assessment due yet.
    let mut not_due = client(6);
    not_due.entry_date = day("2025-01-15");
    let tables = hud_data_quality(
        &range(),
        &[
            exit_income_missing,
            no_interview,
            yes_without_source,
            annual_missing,
            annual_done,
            not_due,
        ],
    );
    assert_eq!(clients(&tables, "Q6c", "B2"), vec![2]);
    assert_eq!(rate(&tables, "Q6c", "C2"), (1, 2));
    assert_eq!(clients(&tables, "Q6c", "B3"), vec![3]);
    assert_eq!(clients(&tables, "Q6c", "B4"), vec![4]);
    assert_eq!(rate(&tables, "Q6c", "C4"), (1, 2));
    assert_eq!(clients(&tables, "Q6c", "B5"), vec![1]);
    assert_eq!(clients(&tables, "Q5a", "B17"), vec![4, 5]);
}

#[test]
fn q6e_buckets_records_by_days_late() {
    let late = |number: u128, days: u64| {
        let mut fact = client(number);
        fact.entry_created_on = Date::from(
            fact.entry_date
                .naive()
                .checked_add_days(chrono::Days::new(days))
                .unwrap(),
        );
        fact
    };
    let mut exit_late = exited(client(6), "2025-05-01", 410);
    exit_late.exit_created_on = Some(day("2025-05-12"));
    let mut entered_before_range = client(7);
    entered_before_range.entry_date = day("2024-12-01");
    entered_before_range.entry_created_on = day("2025-02-01");
    let tables = hud_data_quality(
        &range(),
        &[
            late(1, 0),
            late(2, 3),
            late(3, 4),
            late(4, 10),
            late(5, 11),
            exit_late,
            entered_before_range,
        ],
    );
    assert_eq!(clients(&tables, "Q6e", "B2"), vec![1, 6]);
    assert_eq!(clients(&tables, "Q6e", "B3"), vec![2]);
    assert_eq!(clients(&tables, "Q6e", "B4"), vec![3]);
    assert_eq!(clients(&tables, "Q6e", "B5"), vec![4]);
    assert_eq!(clients(&tables, "Q6e", "B6"), vec![5]);
    assert_eq!(clients(&tables, "Q6e", "C6"), vec![6]);
    assert_eq!(clients(&tables, "Q6e", "C2"), Vec::<u128>::new());
}

#[test]
fn q6f_counts_outreach_and_night_by_night_records_without_recent_activity() {
    let outreach = |number: u128, contact: Option<&str>| {
        let mut fact = client(number);
        fact.project_type = ProjectType::try_from(4).unwrap();
        fact.last_contact = contact.map(day);
        fact
    };
    let mut night_by_night = client(5);
    night_by_night.project_type = ProjectType::try_from(1).unwrap();
    night_by_night.last_contact = Some(day("2025-12-01"));
    night_by_night.last_bed_night = Some(day("2025-09-01"));
    let mut too_new = outreach(6, None);
    too_new.entry_date = day("2025-11-01");
    let tables = hud_data_quality(
        &range(),
        &[
            outreach(1, Some("2025-10-02")),
            outreach(2, Some("2025-10-01")),
            outreach(3, None),
            night_by_night,
            too_new,
        ],
    );
    assert_eq!(clients(&tables, "Q6f", "B2"), vec![1, 2, 3, 5]);
    assert_eq!(clients(&tables, "Q6f", "C2"), vec![2, 3]);
    assert_eq!(rate(&tables, "Q6f", "D2"), (2, 4));
    assert_eq!(clients(&tables, "Q6f", "B3"), vec![5]);
    assert_eq!(clients(&tables, "Q6f", "C3"), vec![5]);
}

#[test]
fn q6d_checks_3_917_by_project_type() {
    let mut shelter_no_date = client(1);
    shelter_no_date.living_situation.date_to_street_essh = None;
    shelter_no_date.living_situation.times_homeless =
        Some(TimesHomelessPastThreeYears::try_from(8).unwrap());
    let mut th_from_jail = client(2);
    th_from_jail.project_type = ProjectType::try_from(2).unwrap();
    th_from_jail.living_situation.prior_living_situation =
        Some(PriorLivingSituation::try_from(207).unwrap());
    let mut ph_from_rental = client(3);
    ph_from_rental.project_type = ProjectType::try_from(3).unwrap();
    ph_from_rental.living_situation.prior_living_situation =
        Some(PriorLivingSituation::try_from(410).unwrap());
    let mut child = member_of(&client(50), 4);
    child.living_situation.date_to_street_essh = None;
    let tables = hud_data_quality(
        &range(),
        &[shelter_no_date, th_from_jail, ph_from_rental, child],
    );
    assert_eq!(
        clients(&tables, "Q6d", "B2"),
        vec![1],
        "children are not asked"
    );
    assert!(find_cell(&tables, "Q6d", "C2").is_none(), "greyed");
    assert_eq!(clients(&tables, "Q6d", "E2"), vec![1]);
    assert_eq!(clients(&tables, "Q6d", "F2"), vec![1]);
    assert_eq!(clients(&tables, "Q6d", "C3"), vec![2]);
    assert_eq!(clients(&tables, "Q6d", "D4"), vec![3]);
    assert_eq!(
        clients(&tables, "Q6d", "E4"),
        Vec::<u128>::new(),
        "not asked"
    );
    assert_eq!(clients(&tables, "Q6d", "B5"), vec![1, 2, 3]);
    assert_eq!(rate(&tables, "Q6d", "H5"), (3, 3));
}

#[test]
fn chronic_homelessness_needs_a_disability_and_a_year_or_four_times_twelve_months() {
    let disabled = |number: u128| {
        let mut fact = client(number);
        fact.disabling_condition = Some(NoYesMissing::YES);
        fact
    };
    let mut a_year = disabled(1);
    a_year.living_situation.date_to_street_essh = Some(day("2024-03-01"));
    let mut almost_a_year = disabled(2);
    almost_a_year.living_situation.date_to_street_essh = Some(day("2024-03-02"));
    let mut four_times = disabled(3);
    four_times.living_situation.times_homeless =
        Some(TimesHomelessPastThreeYears::try_from(4).unwrap());
    four_times.living_situation.months_homeless =
        Some(MonthsHomelessPastThreeYears::try_from(112).unwrap());
    let mut not_disabled = client(4);
    not_disabled.living_situation.date_to_street_essh = Some(day("2020-01-01"));
    let child_of_chronic = member_of(&a_year, 5);
    let tables = hud_data_quality(
        &range(),
        &[
            a_year,
            almost_a_year,
            four_times,
            not_disabled,
            child_of_chronic,
        ],
    );
    assert_eq!(clients(&tables, "Q5a", "B12"), vec![1, 3, 5]);
}

/// Q5a rows 12 and 13: a youth household has every member in the report of a known age under
/// 25 (at the later of project start and report start); its youth are its head aged 12 to 24
/// and its members aged 18 to 24, parenting youth when it holds a child of its head.
#[test]
fn youth_and_parenting_youth_are_counted_in_youth_households_only() {
    let born = |fact: &mut ReportedEnrollment, on: &str| fact.client.dob = Some(day(on));
    // A head of 22 with a child of 2: both members of a youth household, the head parenting.
    let mut parent = client(1);
    born(&mut parent, "2002-06-01");
    let mut baby = member_of(&parent, 2);
    born(&mut baby, "2022-09-01");
    // A head of 24 on the report's first day (25 during it) with a partner of 19: youth,
    // not parenting.
    let mut older = client(3);
    older.entry_date = day("2024-10-01");
    born(&mut older, "2000-03-01");
    let mut partner = member_of(&older, 4);
    partner.relationship = Some(RelationshipToHoh::try_from(3).unwrap());
    born(&mut partner, "2005-07-01");
    // A head of 16 alone: youth (a head aged 12 to 24), not an adult.
    let mut minor = client(5);
    born(&mut minor, "2008-11-01");
    // A head of 20 with a member of 25: no youth household.
    let mut with_older = client(6);
    born(&mut with_older, "2004-04-04");
    let mut uncle = member_of(&with_older, 7);
    uncle.relationship = Some(RelationshipToHoh::try_from(4).unwrap());
    born(&mut uncle, "1999-01-01");
    // A head of 21 with a child whose age is not known: no youth household.
    let mut unknown_child = client(8);
    born(&mut unknown_child, "2003-05-05");
    let mut unknown = member_of(&unknown_child, 9);
    unknown.client.dob = None;
    unknown.client.dob_data_quality = Some(DataQuality::NOT_COLLECTED);
    // A head of 11 with a sibling of 9: a youth household, but no head of 12 or more.
    let mut young_head = client(10);
    born(&mut young_head, "2013-06-01");
    let mut sibling = member_of(&young_head, 11);
    sibling.relationship = Some(RelationshipToHoh::try_from(4).unwrap());
    born(&mut sibling, "2015-06-01");
    let tables = hud_data_quality(
        &range(),
        &[
            parent,
            baby,
            older,
            partner,
            minor,
            with_older,
            uncle,
            unknown_child,
            unknown,
            young_head,
            sibling,
        ],
    );
    assert_eq!(clients(&tables, "Q5a", "B13"), vec![1, 3, 4, 5]);
    assert_eq!(clients(&tables, "Q5a", "B14"), vec![1]);
    let q5a = table(&tables, "Q5a");
    assert_eq!(q5a.rows[11], "Number of Youth Under Age 25");
}

//! The HUD fields of clients, enrollments, exits, programs, grants and organizations:
//! which columns they are, how they are read, and each consistency rule at its edges.

use super::resources::{check_consistency, new_problems, Own, Resource, BOOKKEEPING};
use super::*;
use crate::dates::Date;
use crate::hmis_csv::CsvFile;

fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn fields(resource: Resource, entries: &[(&str, Given<'_>)]) -> HudFields {
    let (values, errors) = parse_fields(resource, entries.iter().copied());
    assert!(errors.is_empty(), "{errors:?}");
    values
        .into_iter()
        .filter_map(|(field, value)| value.map(|value| (field, value)))
        .collect()
}

fn problems(resource: Resource, entries: &[(&str, Given<'_>)], own: &Own) -> Vec<String> {
    check_consistency(resource, &fields(resource, entries), own)
        .into_iter()
        .map(|error| error.field)
        .collect()
}

fn refused(resource: Resource, name: &str, given: Given<'_>) -> Vec<(String, &'static str)> {
    parse_fields(resource, [(name, given)])
        .1
        .into_iter()
        .map(|error| (error.field, error.code))
        .collect()
}

#[test]
fn every_column_of_each_file_is_an_own_field_a_hud_field_or_bookkeeping() {
    for resource in Resource::ALL {
        let file = resource.file();
        for (column, _) in resource.own_columns() {
            assert!(file.column(column).is_some(), "{} {column}", file.name);
        }
        for column in file.columns {
            let kinds = [
                resource.is_own(column.name),
                BOOKKEEPING.contains(&column.name),
                resource.is_field(column),
            ];
            assert_eq!(
                kinds.iter().filter(|kind| **kind).count(),
                1,
                "{}.{}",
                file.name,
                column.name
            );
        }
    }
}

#[test]
fn every_hud_field_names_its_element() {
    for resource in Resource::ALL {
        for column in resource.field_columns() {
            assert!(
                Resource::element(column.name).is_some(),
                "{}.{}",
                resource.file().name,
                column.name
            );
        }
    }
    assert_eq!(Resource::element("DateToStreetESSH"), Some("3.917.3"));
    assert_eq!(Resource::element("CMExitReason"), Some("V9"));
    assert_eq!(Resource::element("EntryDate"), None);
}

#[test]
fn each_resource_gains_the_columns_it_did_not_hold() {
    let names = |resource: Resource| -> Vec<&str> {
        resource
            .field_columns()
            .map(|column| column.field)
            .collect()
    };
    let client = names(Resource::Client);
    assert_eq!(client.first(), Some(&"additional_race_ethnicity"));
    assert!(client.contains(&"year_entered_service"));
    assert!(client.contains(&"discharge_status"));
    assert!(!client.contains(&"first_name"));
    let enrollment = names(Resource::Enrollment);
    for field in [
        "los_under_threshold",
        "previous_street_essh",
        "date_to_street_essh",
        "times_homeless_past_three_years",
        "months_homeless_past_three_years",
        "date_of_engagement",
        "hh5_plus",
        "coc_prioritized",
    ] {
        assert!(enrollment.contains(&field), "{field}");
    }
    assert!(!enrollment.contains(&"living_situation"));
    assert!(!enrollment.contains(&"entry_date"));
    let exit = names(Resource::Exit);
    assert!(exit.contains(&"project_completion_status"));
    assert!(exit.contains(&"cm_exit_reason"));
    assert!(!exit.contains(&"destination"));
    assert_eq!(
        names(Resource::Program),
        [
            "project_common_name",
            "housing_type",
            "rrh_sub_type",
            "residential_affiliation",
            "target_population",
            "hopwa_med_assisted_living_fac",
            "pit_count"
        ]
    );
    assert!(names(Resource::Grant).is_empty());
    assert_eq!(names(Resource::Organization), ["organization_common_name"]);
}

#[test]
fn fields_take_their_columns_types_and_lists() {
    let enrollment = Resource::Enrollment;
    assert!(refused(
        enrollment,
        "times_homeless_past_three_years",
        Given::Integer(4)
    )
    .is_empty());
    assert_eq!(
        refused(
            enrollment,
            "times_homeless_past_three_years",
            Given::Integer(5)
        ),
        [("times_homeless_past_three_years".to_owned(), "invalid")]
    );
    assert_eq!(
        refused(enrollment, "date_to_street_essh", Given::Text("2026-13-01")),
        [("date_to_street_essh".to_owned(), "invalid")]
    );
    assert_eq!(
        refused(enrollment, "prior_living_situation", Given::Integer(101)),
        [("prior_living_situation".to_owned(), "unknown_field")]
    );
    assert_eq!(
        refused(enrollment, "vamc_station", Given::Text("123456")),
        [("vamc_station".to_owned(), "invalid")]
    );
    assert!(refused(enrollment, "vamc_station", Given::Text("12345")).is_empty());
    // Counts, years and scores are never negative; 0 is a count.
    assert!(refused(Resource::Program, "pit_count", Given::Integer(0)).is_empty());
    assert_eq!(
        refused(Resource::Program, "pit_count", Given::Integer(-1)),
        [("pit_count".to_owned(), "invalid")]
    );
    assert_eq!(
        refused(Resource::Program, "housing_type", Given::Integer(4)),
        [("housing_type".to_owned(), "invalid")]
    );
    assert!(refused(
        Resource::Organization,
        "organization_common_name",
        Given::Text("SOS")
    )
    .is_empty());
}

#[test]
fn veteran_details_are_recorded_for_veterans_within_service_years() {
    let today = day("2026-12-06");
    let veteran = Own {
        today: Some(today),
        veteran_status: Some(1),
        ..Own::default()
    };
    let details = [
        ("year_entered_service", Given::Integer(1990)),
        ("year_separated", Given::Integer(1994)),
        ("desert_storm", Given::Integer(1)),
        ("military_branch", Given::Integer(1)),
    ];
    assert!(problems(Resource::Client, &details, &veteran).is_empty());
    for status in [Some(0), Some(8), Some(99), None] {
        let own = Own {
            veteran_status: status,
            ..veteran
        };
        assert_eq!(
            problems(Resource::Client, &details, &own),
            [
                "year_entered_service",
                "year_separated",
                "desert_storm",
                "military_branch"
            ],
            "{status:?}"
        );
    }
    // The same year twice, 1920 and this year are years of service; 1919 and next year not.
    let years = |entered: i64, separated: i64| {
        problems(
            Resource::Client,
            &[
                ("year_entered_service", Given::Integer(entered)),
                ("year_separated", Given::Integer(separated)),
            ],
            &veteran,
        )
    };
    assert!(years(1990, 1990).is_empty());
    assert!(years(1920, 2026).is_empty());
    assert_eq!(years(1919, 1950), ["year_entered_service"]);
    assert_eq!(years(2000, 2027), ["year_separated"]);
    assert_eq!(years(1995, 1994), ["year_separated"]);
}

#[test]
fn homeless_history_and_engagement_dates_lie_around_the_stay() {
    let stay = Own {
        entry_date: Some(day("2026-03-10")),
        exit_date: Some(day("2026-06-30")),
        ..Own::default()
    };
    let with = |field: &str, date: &str| {
        problems(Resource::Enrollment, &[(field, Given::Text(date))], &stay)
    };
    // 3.917.3: the episode started on or before the entry date.
    assert!(with("date_to_street_essh", "2026-03-10").is_empty());
    assert!(with("date_to_street_essh", "2020-01-01").is_empty());
    assert_eq!(
        with("date_to_street_essh", "2026-03-11"),
        ["date_to_street_essh"]
    );
    // 4.13, P1, R2: within the enrollment, its first and last day included.
    for field in [
        "date_of_engagement",
        "date_of_path_status",
        "date_of_bcp_status",
    ] {
        assert!(with(field, "2026-03-10").is_empty(), "{field}");
        assert!(with(field, "2026-06-30").is_empty(), "{field}");
        assert_eq!(with(field, "2026-03-09"), [field]);
        assert_eq!(with(field, "2026-07-01"), [field]);
    }
    // An active enrollment has no end yet.
    let active = Own {
        exit_date: None,
        ..stay
    };
    assert!(problems(
        Resource::Enrollment,
        &[("date_of_engagement", Given::Text("2026-11-01"))],
        &active
    )
    .is_empty());
}

#[test]
fn an_exits_subsidy_sessions_and_aftercare_agree() {
    let exit = Own {
        exit_date: Some(day("2026-06-30")),
        ..Own::default()
    };
    let check = |entries: &[(&str, Given<'_>)]| problems(Resource::Exit, entries, &exit);
    // W5: 1-4 when the housing assessment is 1, 11-12 when it is 2, nothing otherwise.
    for (assessment, subsidy, ok) in [
        (1, 1, true),
        (1, 4, true),
        (1, 11, false),
        (2, 11, true),
        (2, 12, true),
        (2, 3, false),
        (3, 1, false),
    ] {
        let found = check(&[
            ("housing_assessment", Given::Integer(assessment)),
            ("subsidy_information", Given::Integer(subsidy)),
        ]);
        assert_eq!(found.is_empty(), ok, "{assessment} {subsidy}");
    }
    assert_eq!(
        check(&[("subsidy_information", Given::Integer(1))]),
        ["subsidy_information"]
    );
    // R18: a count of sessions is above 0.
    assert!(check(&[("session_count_at_exit", Given::Integer(1))]).is_empty());
    assert_eq!(
        check(&[("sessions_in_plan", Given::Integer(0))]),
        ["sessions_in_plan"]
    );
    // R20: aftercare on or after the exit.
    assert!(check(&[("aftercare_date", Given::Text("2026-06-30"))]).is_empty());
    assert_eq!(
        check(&[("aftercare_date", Given::Text("2026-06-29"))]),
        ["aftercare_date"]
    );
}

#[test]
fn a_programs_rrh_sub_type_and_affiliation_follow_its_project_type() {
    let of_type = |project_type: i32, field: &str| {
        problems(
            Resource::Program,
            &[(field, Given::Integer(1))],
            &Own {
                project_type: Some(project_type),
                ..Own::default()
            },
        )
    };
    assert!(of_type(13, "rrh_sub_type").is_empty());
    assert_eq!(of_type(3, "rrh_sub_type"), ["rrh_sub_type"]);
    assert!(of_type(6, "residential_affiliation").is_empty());
    assert_eq!(
        of_type(13, "residential_affiliation"),
        ["residential_affiliation"]
    );
    assert!(of_type(3, "housing_type").is_empty());
}

#[test]
fn a_change_is_refused_only_for_what_it_breaks() {
    let error = |field: &str| FieldError::new(field, "invalid", "x");
    let before = [error("year_separated")];
    let after = vec![error("year_separated"), error("desert_storm")];
    let fields: Vec<String> = new_problems(&before, after)
        .into_iter()
        .map(|error| error.field)
        .collect();
    assert_eq!(fields, ["desert_storm"]);
}

/// README.md's table of HUD files gives every column of the six files and of the records'
/// and descriptors' files a row, and each HUD field of a resource under its name.
#[test]
fn the_readme_gives_every_column_a_home() {
    const README: &str = include_str!("../../../README.md");
    let files: Vec<&CsvFile> = Resource::ALL
        .iter()
        .map(|resource| resource.file())
        .chain(crate::hud_records::Collection::ALL.iter().map(|c| c.file()))
        .chain(
            crate::program_descriptors::Descriptor::ALL
                .iter()
                .map(|d| d.file()),
        )
        .chain([&crate::hmis_csv::fy2026::AFFILIATION])
        .collect();
    assert_eq!(files.len(), 18);
    for file in files {
        for column in file.columns {
            let row = format!("| {} | {} |", file.name, column.name);
            assert!(README.contains(&row), "README.md has no row {row}");
        }
    }
    for resource in Resource::ALL {
        for column in resource.field_columns() {
            let row = README
                .lines()
                .find(|line| {
                    line.starts_with(&format!("| {} | {} |", resource.file().name, column.name))
                })
                .unwrap();
            assert!(row.contains(&format!("{}`", column.field)), "{row}");
        }
    }
}

#[test]
fn a_csv_cell_is_read_as_its_column_types_it() {
    use crate::hmis_csv::fy2026;
    let column = |file: &'static CsvFile, name: &str| file.column(name).expect("a column");
    let income = column(&fy2026::INCOME_BENEFITS, "IncomeFromAnySource");
    assert_eq!(read_cell(income, "1"), Ok(HudValue::Integer(1)));
    assert_eq!(read_cell(income, "99"), Ok(HudValue::Integer(99)));
    let code = |result: Result<HudValue, FieldError>| result.map_err(|error| error.code);
    assert_eq!(code(read_cell(income, "7")), Err("unknown_code"));
    assert_eq!(code(read_cell(income, "yes")), Err("not_integer"));
    let amount = column(&fy2026::INCOME_BENEFITS, "TotalMonthlyIncome");
    assert_eq!(
        read_cell(amount, "1250.50"),
        Ok(HudValue::Money(Cents::from_dollars(1250.5).unwrap()))
    );
    assert_eq!(code(read_cell(amount, "-3")), Err("not_money"));
    let date = column(&fy2026::HEALTH_AND_DV, "DueDate");
    assert_eq!(
        read_cell(date, "2025-02-28"),
        Ok(HudValue::Date(day("2025-02-28")))
    );
    assert_eq!(code(read_cell(date, "2025-02-30")), Err("not_date"));
    let text = column(&fy2026::INCOME_BENEFITS, "OtherIncomeSourceIdentify");
    assert_eq!(code(read_cell(text, &"x".repeat(51))), Err("too_long"));
    assert_eq!(read_cell(text, "tips"), Ok(HudValue::Text("tips".into())));
    // A count is never negative; the refusal names the column by its header.
    let count = column(&fy2026::DISABILITIES, "TCellCount");
    let refused = read_cell(count, "-1").expect_err("a negative count");
    assert_eq!(
        (refused.field.as_str(), refused.code),
        ("TCellCount", "invalid")
    );
}

//! `GET /v1/programs/{program_id}/enrollments`: a program's roster. Every filter and the
//! combinations that matter, the defaults, the order, pages that follow one another, what
//! each item carries, who may read it, and what it never shows (deleted enrollments, other
//! programs' enrollments, clients the caller may not see).

use std::collections::BTreeSet;

use crate::common::*;
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Role, TestApp};

fn roster_path(program: &str) -> String {
    format!("/v1/programs/{program}/enrollments")
}

/// The IDs the roster lists with `query` as `token` (one page of up to 200).
fn roster(app: &TestApp, token: &str, program: &str, query: &str) -> Vec<String> {
    listed(app, token, &with_query(&roster_path(program), query))
}

/// `stays` in the roster's order: by entry date, then by ID.
fn in_order(stays: &[(&str, &Stay)]) -> Vec<String> {
    let mut ordered: Vec<(String, String)> = stays
        .iter()
        .map(|(entry, stay)| ((*entry).to_owned(), stay.id.clone()))
        .collect();
    ordered.sort();
    ordered.into_iter().map(|(_, id)| id).collect()
}

/// A client with these names (born 1980) enrolled (as admin) in `program` on `entry`: the
/// head of a new household, or a member (relationship 2) of `household`.
fn enroll_named(
    app: &TestApp,
    program: &str,
    names: Value,
    entry: &str,
    household: Option<&str>,
) -> Stay {
    let client = id_of(&create_client_with(
        app,
        merged(json!({"dob": "1980-01-01", "dob_data_quality": 1}), names),
    ));
    let body = match household {
        None => enrollment_body(program, entry, 1),
        Some(household) => member_body(program, household, entry, 2),
    };
    let response = post_enrollment(app, &app.admin_token(), &client, &body);
    response.assert_status(201);
    Stay::from_body(&response.body)
}

fn exit_on(app: &TestApp, stay: &Stay, exit_date: &str) {
    exit_as(
        app,
        &app.admin_token(),
        &stay.path(),
        &json!({"exit_date": exit_date, "destination": 410}),
    );
}

/// The Stone household (Avery the head and Blake from 2024-01-10, Casey from 2024-01-15 to
/// 2024-02-01), Drew Park (2024-01-10 to 2024-01-20), Emery Jo Quinn Jr (from 2024-03-01)
/// in Harbor Light's shelter; Finley Ross's stay there deleted; Gray Lane in another
/// program of the same organization.
struct Fixture {
    organization: String,
    program: String,
    other_program: String,
    avery: Stay,
    blake: Stay,
    casey: Stay,
    drew: Stay,
    emery: Stay,
    finley: Stay,
    gray: Stay,
}

fn fixture(app: &TestApp) -> Fixture {
    let shelter = shelter(app, "Harbor Light");
    let program = shelter.program;
    let other_program = create_program(app, &shelter.organization, json!({"name": "Outreach"}));
    let named = |first: &str, last: &str| json!({"first_name": first, "last_name": last});
    let avery = enroll_named(app, &program, named("Avery", "Stone"), "2024-01-10", None);
    let blake = enroll_named(
        app,
        &program,
        named("Blake", "Stone"),
        "2024-01-10",
        Some(&avery.household),
    );
    let casey = enroll_named(
        app,
        &program,
        named("Casey", "Stone"),
        "2024-01-15",
        Some(&avery.household),
    );
    exit_on(app, &casey, "2024-02-01");
    let drew = enroll_named(app, &program, named("Drew", "Park"), "2024-01-10", None);
    exit_on(app, &drew, "2024-01-20");
    let emery = enroll_named(
        app,
        &program,
        json!({"first_name": "Emery", "middle_name": "Jo", "last_name": "Quinn",
               "name_suffix": "Jr"}),
        "2024-03-01",
        None,
    );
    let finley = enroll_named(app, &program, named("Finley", "Ross"), "2024-02-01", None);
    app.delete(&finley.path(), Some(&app.admin_token()))
        .assert_status(204);
    let gray = enroll_named(
        app,
        &other_program,
        named("Gray", "Lane"),
        "2024-01-05",
        None,
    );
    Fixture {
        organization: shelter.organization,
        program,
        other_program,
        avery,
        blake,
        casey,
        drew,
        emery,
        finley,
        gray,
    }
}

both_backends!(
    fn the_default_roster_is_the_people_in_the_program_now_earliest_entry_first(app: &TestApp) {
        let f = fixture(app);
        let admin = app.admin_token();
        let active = in_order(&[
            ("2024-01-10", &f.avery),
            ("2024-01-10", &f.blake),
            ("2024-03-01", &f.emery),
        ]);
        assert_eq!(roster(app, &admin, &f.program, ""), active);
        assert_eq!(roster(app, &admin, &f.program, "status=active"), active);
        assert_eq!(
            roster(app, &admin, &f.program, "status=exited"),
            in_order(&[("2024-01-10", &f.drew), ("2024-01-15", &f.casey)])
        );
        let everyone = in_order(&[
            ("2024-01-10", &f.avery),
            ("2024-01-10", &f.blake),
            ("2024-01-10", &f.drew),
            ("2024-01-15", &f.casey),
            ("2024-03-01", &f.emery),
        ]);
        assert_eq!(roster(app, &admin, &f.program, "status=all"), everyone);
        // Neither the deleted stay nor the other program's is ever listed.
        for query in [
            "status=all",
            "status=exited",
            "active_on=2024-02-02",
            "q=ross",
        ] {
            let listed = roster(app, &admin, &f.program, query);
            assert!(!listed.contains(&f.finley.id), "{query}: {listed:?}");
            assert!(!listed.contains(&f.gray.id), "{query}: {listed:?}");
        }
        assert_eq!(
            roster(app, &admin, &f.other_program, "status=all"),
            vec![f.gray.id.clone()]
        );
    }
);

both_backends!(
    fn each_item_is_the_enrollment_with_its_clients_names_and_household(app: &TestApp) {
        let f = fixture(app);
        let admin = app.admin_token();
        let response = app.get(&roster_path(&f.program), Some(&admin));
        response.assert_status(200);
        assert_eq!(response.body["next_cursor"], Value::Null);
        let items = items(&response);
        let item = |stay: &Stay| {
            items
                .iter()
                .find(|item| item["id"] == stay.id.as_str())
                .unwrap_or_else(|| panic!("{} not in {}", stay.id, response.describe()))
                .clone()
        };
        // The enrollment exactly as the client's enrollment list shows it.
        for stay in [&f.avery, &f.blake, &f.emery] {
            let listed = app.get(&enrollments_path(&stay.client), Some(&admin));
            let enrollment = items_of(&listed)
                .into_iter()
                .find(|enrollment| enrollment["id"] == stay.id.as_str())
                .expect("the client's list has the stay");
            let mut shown = item(stay);
            let shown = shown.as_object_mut().unwrap();
            shown.remove("client");
            shown.remove("household");
            assert_eq!(Value::Object(shown.clone()), enrollment);
        }
        let avery_names = json!({"first_name": "Avery", "middle_name": null,
                                 "last_name": "Stone", "name_suffix": null});
        let blake = item(&f.blake);
        assert_eq!(
            blake["client"],
            json!({"first_name": "Blake", "middle_name": null, "last_name": "Stone",
                   "name_suffix": null})
        );
        assert_eq!(blake["relationship_to_hoh"], 2);
        // Three members not deleted (Casey has left), two of them still there.
        let stone_household = json!({
            "id": f.avery.household,
            "head": merged(
                json!({"enrollment_id": f.avery.id, "client_id": f.avery.client}),
                avery_names.clone(),
            ),
            "member_count": 3,
            "active_member_count": 2,
        });
        assert_eq!(blake["household"], stone_household);
        assert_eq!(item(&f.avery)["household"], stone_household);
        assert_eq!(item(&f.avery)["client"], avery_names);
        let emery = item(&f.emery);
        assert_eq!(
            emery["client"],
            json!({"first_name": "Emery", "middle_name": "Jo", "last_name": "Quinn",
                   "name_suffix": "Jr"})
        );
        assert_eq!(emery["household"]["member_count"], 1);
        assert_eq!(emery["household"]["head"]["enrollment_id"], f.emery.id);
        // An exited household: counted, none of it active.
        let exited = app.get(
            &with_query(&roster_path(&f.program), "status=exited"),
            Some(&admin),
        );
        let drew = items_of(&exited)
            .into_iter()
            .find(|item| item["id"] == f.drew.id.as_str())
            .expect("Drew is listed");
        assert_eq!(drew["status"], "exited");
        assert_eq!(drew["exit"]["exit_date"], "2024-01-20");
        assert_eq!(
            (
                &drew["household"]["member_count"],
                &drew["household"]["active_member_count"]
            ),
            (&json!(1), &json!(0))
        );
    }
);

fn items_of(response: &threshold_tests::Response) -> Vec<Value> {
    response.assert_status(200);
    items(response)
}

both_backends!(
    fn active_on_lists_the_stays_active_that_day_at_their_edge_dates(app: &TestApp) {
        let f = fixture(app);
        let admin = app.admin_token();
        let on = |query: &str| roster(app, &admin, &f.program, query);
        let stone = [("2024-01-10", &f.avery), ("2024-01-10", &f.blake)];
        let with = |more: &[(&'static str, &Stay)]| {
            let mut stays: Vec<(&str, &Stay)> = stone.to_vec();
            stays.extend(more.iter().map(|(entry, stay)| (*entry, *stay)));
            in_order(&stays)
        };
        assert_eq!(
            on("active_on=2024-01-09"),
            Vec::<String>::new(),
            "before entry"
        );
        // Entry dates are days of the stay.
        assert_eq!(on("active_on=2024-01-10"), with(&[("2024-01-10", &f.drew)]));
        assert_eq!(
            on("active_on=2024-01-19"),
            with(&[("2024-01-10", &f.drew), ("2024-01-15", &f.casey)]),
            "the day before Drew's exit"
        );
        // The exit date is not: leaving that day means not being there that night.
        assert_eq!(
            on("active_on=2024-01-20"),
            with(&[("2024-01-15", &f.casey)]),
            "Drew's exit date"
        );
        assert_eq!(
            on("active_on=2024-01-21"),
            with(&[("2024-01-15", &f.casey)]),
            "the day after Drew's exit"
        );
        assert_eq!(on("active_on=2024-02-01"), with(&[]), "Casey's exit date");
        assert_eq!(
            on("active_on=2024-03-01"),
            with(&[("2024-03-01", &f.emery)]),
            "Emery's entry date"
        );
        assert_eq!(
            on("active_on=2030-01-01"),
            with(&[("2024-03-01", &f.emery)]),
            "open stays run on"
        );
        // With a status, both apply: there that day and still there, or gone since.
        assert_eq!(on("active_on=2024-01-19&status=active"), with(&[]));
        assert_eq!(
            on("active_on=2024-01-19&status=exited"),
            in_order(&[("2024-01-10", &f.drew), ("2024-01-15", &f.casey)])
        );
        assert_eq!(
            on("active_on=2024-01-19&status=all"),
            on("active_on=2024-01-19")
        );
        assert_eq!(
            on("active_on=2024-01-20&status=exited"),
            in_order(&[("2024-01-15", &f.casey)])
        );
    }
);

both_backends!(
    fn q_searches_the_clients_names_as_the_client_search_does(app: &TestApp) {
        let f = fixture(app);
        let admin = app.admin_token();
        let on = |query: &str| roster(app, &admin, &f.program, query);
        let stones = in_order(&[("2024-01-10", &f.avery), ("2024-01-10", &f.blake)]);
        assert_eq!(on("q=stone"), stones);
        assert_eq!(on("q=STONE"), stones, "case does not matter");
        assert_eq!(on("q=ton"), stones, "a word may be part of a name");
        assert_eq!(
            on("q=stone%20avery"),
            vec![f.avery.id.clone()],
            "every word"
        );
        assert_eq!(on("q=%20%20Avery%20%20STONE%20"), vec![f.avery.id.clone()]);
        assert_eq!(on("q=stone%20nobody"), Vec::<String>::new());
        assert_eq!(
            on("q=stone&status=all"),
            in_order(&[
                ("2024-01-10", &f.avery),
                ("2024-01-10", &f.blake),
                ("2024-01-15", &f.casey),
            ])
        );
        assert_eq!(on("q=park"), Vec::<String>::new(), "Drew has left");
        assert_eq!(on("q=park&status=exited"), vec![f.drew.id.clone()]);
        // Middle names and suffixes are names too.
        assert_eq!(on("q=jo%20jr"), vec![f.emery.id.clone()]);
        // LIKE's wildcards are plain characters.
        assert_eq!(on("q=%25"), Vec::<String>::new());
        assert_eq!(on("q=_"), Vec::<String>::new());
        // The same clients as the client search finds, among the program's.
        let enrolled: BTreeSet<String> = [&f.avery, &f.blake, &f.casey, &f.drew, &f.emery]
            .iter()
            .map(|stay| stay.client.clone())
            .collect();
        for q in ["stone", "AVERY%20stone", "e", "jr", "lane", "ross"] {
            let listed = app.get(
                &with_query(
                    &roster_path(&f.program),
                    &format!("q={q}&status=all&limit=200"),
                ),
                Some(&admin),
            );
            let on_roster: BTreeSet<String> = items_of(&listed)
                .iter()
                .map(|item| item["client_id"].as_str().unwrap().to_owned())
                .collect();
            let found: BTreeSet<String> = listed_as_admin(app, &format!("/v1/clients?q={q}"))
                .into_iter()
                .filter(|client| enrolled.contains(client))
                .collect();
            assert_eq!(on_roster, found, "q={q}");
        }
    }
);

both_backends!(
    fn household_id_keeps_one_household(app: &TestApp) {
        let f = fixture(app);
        let admin = app.admin_token();
        let on = |query: &str| roster(app, &admin, &f.program, query);
        let stones = in_order(&[("2024-01-10", &f.avery), ("2024-01-10", &f.blake)]);
        let household = format!("household_id={}", f.avery.household);
        assert_eq!(on(&household), stones);
        assert_eq!(
            on(&format!("{household}&status=all")),
            in_order(&[
                ("2024-01-10", &f.avery),
                ("2024-01-10", &f.blake),
                ("2024-01-15", &f.casey),
            ])
        );
        assert_eq!(
            on(&format!("{household}&status=exited")),
            vec![f.casey.id.clone()]
        );
        assert_eq!(
            on(&format!("{household}&q=blake")),
            vec![f.blake.id.clone()]
        );
        assert_eq!(
            on(&format!("{household}&active_on=2024-02-01")),
            stones,
            "Casey left that day"
        );
        assert_eq!(
            on(&format!("household_id={}&status=all", f.drew.household)),
            vec![f.drew.id.clone()]
        );
        // Another program's household, or none at all: nothing, not an error.
        assert_eq!(
            on(&format!("household_id={}&status=all", f.gray.household)),
            Vec::<String>::new()
        );
        assert_eq!(
            on(&format!("household_id={}", uuid::Uuid::now_v7())),
            Vec::<String>::new()
        );
    }
);

both_backends!(
    fn pages_follow_one_another_without_losing_or_repeating_an_item(app: &TestApp) {
        let shelter = shelter(app, "Harbor Light");
        let admin = app.admin_token();
        let mut stays = Vec::new();
        for (index, entry) in [
            "2024-01-12",
            "2024-01-10",
            "2024-01-11",
            "2024-01-10",
            "2024-01-12",
            "2024-01-10",
            "2024-01-11",
        ]
        .into_iter()
        .enumerate()
        {
            let name = json!({"first_name": format!("Pat{index}"), "last_name": "Lee"});
            stays.push((
                entry,
                enroll_named(app, &shelter.program, name, entry, None),
            ));
        }
        let other = enroll_named(
            app,
            &shelter.program,
            json!({"first_name": "Sam", "last_name": "Moss"}),
            "2024-01-11",
            None,
        );
        let lees: Vec<(&str, &Stay)> = stays.iter().map(|(entry, stay)| (*entry, stay)).collect();
        let mut everyone = lees.clone();
        everyone.push(("2024-01-11", &other));
        let path = roster_path(&shelter.program);
        let all = in_order(&everyone);
        assert_eq!(listed(app, &admin, &path), all);
        for limit in [1, 2, 3, 8, 9] {
            let read = ids_of_pages(&pages(app, &admin, &format!("{path}?limit={limit}")));
            assert_eq!(read, all, "limit={limit}");
            let by_link = ids_of_pages(&pages_by_link(
                app,
                &admin,
                &format!("{path}?limit={limit}"),
            ));
            assert_eq!(by_link, all, "limit={limit}, by Link");
        }
        // The filters go on in the Link and the cursor.
        let read = ids_of_pages(&pages(app, &admin, &format!("{path}?q=lee&limit=2")));
        assert_eq!(read, in_order(&lees));
        let read = ids_of_pages(&pages_by_link(
            app,
            &admin,
            &format!("{path}?active_on=2024-01-10&limit=2"),
        ));
        let first_day: Vec<(&str, &Stay)> = lees
            .iter()
            .copied()
            .filter(|(entry, _)| *entry == "2024-01-10")
            .collect();
        assert_eq!(read, in_order(&first_day));

        // An enrollment added behind the cursor is not read; one ahead of it is, once.
        let first = app.get(&format!("{path}?limit=4"), Some(&admin));
        let cursor = first.body["next_cursor"]
            .as_str()
            .expect("a next page")
            .to_owned();
        let behind = enroll_named(
            app,
            &shelter.program,
            json!({"first_name": "Early", "last_name": "Bird"}),
            "2024-01-09",
            None,
        );
        let ahead = enroll_named(
            app,
            &shelter.program,
            json!({"first_name": "Late", "last_name": "Comer"}),
            "2024-02-01",
            None,
        );
        let rest = ids_of_pages(&pages_by_link(
            app,
            &admin,
            &format!("{path}?limit=2&cursor={cursor}"),
        ));
        let mut read = ids_in(&first);
        read.extend(rest);
        let mut expected = all.clone();
        expected.push(ahead.id.clone());
        assert_eq!(read, expected);
        assert!(!read.contains(&behind.id));
    }
);

both_backends!(
    fn every_role_of_the_organization_reads_it_and_no_one_else(app: &TestApp) {
        let f = fixture(app);
        let admin = app.admin_token();
        let elsewhere = create_organization(app, "Bayside Outreach");
        let expected = roster(app, &admin, &f.program, "status=all");
        assert_eq!(expected.len(), 5);
        for role in [Role::CaseManager, Role::Viewer, Role::Integration] {
            let own = token_for(app, "own", role, &f.organization);
            assert_eq!(
                roster(app, &own, &f.program, "status=all"),
                expected,
                "{role:?}"
            );
            let whole = app.get(
                &with_query(&roster_path(&f.program), "status=all"),
                Some(&own),
            );
            let as_admin = app.get(
                &with_query(&roster_path(&f.program), "status=all"),
                Some(&admin),
            );
            assert_eq!(
                whole.body, as_admin.body,
                "{role:?} reads what an admin does"
            );
            // Another organization's callers: as if the program had no roster at all.
            let other = token_for(app, "other", role, &elsewhere);
            assert_not_found(&app.get(&roster_path(&f.program), Some(&other)));
            assert_not_found(&app.get(
                &with_query(&roster_path(&f.program), "status=all&q=stone"),
                Some(&other),
            ));
        }
        assert_unauthenticated(&app.get(&roster_path(&f.program), None));
        assert_unauthenticated(&app.get(&roster_path(&f.program), Some("not-a-token")));
        // A program that does not exist, and a path that is not a program's ID.
        let unknown = uuid::Uuid::now_v7().to_string();
        assert_not_found(&app.get(&roster_path(&unknown), Some(&admin)));
        let own = token_for(app, "own", Role::CaseManager, &f.organization);
        assert_not_found(&app.get(&roster_path(&unknown), Some(&own)));
        assert_not_found(&app.get(&roster_path("not-a-uuid"), Some(&admin)));
        // The other program of the organization is its own roster.
        assert_eq!(
            roster(app, &own, &f.other_program, ""),
            vec![f.gray.id.clone()]
        );
    }
);

both_backends!(
    fn bad_parameters_are_refused_before_anything_is_looked_up(app: &TestApp) {
        let f = fixture(app);
        let admin = app.admin_token();
        let stranger = token_for(
            app,
            "blair",
            Role::CaseManager,
            &create_organization(app, "Bayside Outreach"),
        );
        let unknown = roster_path(&uuid::Uuid::now_v7().to_string());
        let bad = [
            // The issue's own attempt: the program is in the path.
            "program_id=0193a1b2-0000-7000-8000-000000000002",
            "statuses=active",
            "status=open",
            "status=",
            "status=ACTIVE",
            "active_on=2024-02-30",
            "active_on=2024-2-01",
            "active_on=yesterday",
            "active_on=",
            "household_id=not-a-uuid",
            "limit=0",
            "limit=201",
            "limit=many",
            "cursor=not-a-cursor",
            "q=a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k",
        ];
        for token in [&admin, &stranger] {
            assert_malformed_queries(app, token, &roster_path(&f.program), &bad);
            assert_malformed_queries(app, token, &unknown, &bad);
        }
        let response = app.get(
            &with_query(&roster_path(&f.program), "active_on=2024-02-30"),
            Some(&admin),
        );
        assert_problem(&response, 400, "request.malformed");
        assert_eq!(error_fields(&response), pairs(&[("active_on", "invalid")]));
        let response = app.get(
            &with_query(
                &roster_path(&f.program),
                "q=a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k",
            ),
            Some(&admin),
        );
        assert_eq!(error_fields(&response), pairs(&[("q", "invalid")]));
    }
);

both_backends!(
    fn a_client_the_caller_may_not_see_is_neither_listed_nor_counted(app: &TestApp) {
        let shelter = shelter(app, "Harbor Light");
        let case_manager = token_for(app, "casey", Role::CaseManager, &shelter.organization);
        let admin = app.admin_token();
        let named = |first: &str| json!({"first_name": first, "last_name": "Cole"});
        let hana = enroll_named(app, &shelter.program, named("Hana"), "2024-02-01", None);
        let ivan = enroll_named(
            app,
            &shelter.program,
            named("Ivan"),
            "2024-02-01",
            Some(&hana.household),
        );
        let both = in_order(&[("2024-02-01", &hana), ("2024-02-01", &ivan)]);
        assert_eq!(roster(app, &case_manager, &shelter.program, ""), both);

        // A victim service provider serves Hana too: she is sealed to it.
        let response = app.post(
            "/v1/organizations",
            Some(&admin),
            &json!({"name": "Safe Harbor DV", "victim_service_provider": true}),
        );
        response.assert_status(201);
        let safe_house = create_program(app, &id_of(&response.body), json!({"name": "Safe House"}));
        post_enrollment(
            app,
            &admin,
            &hana.client,
            &enrollment_body(&safe_house, "2024-03-01", 1),
        )
        .assert_status(201);

        let listed = app.get(&roster_path(&shelter.program), Some(&case_manager));
        assert_eq!(ids_in(&listed), vec![ivan.id.clone()]);
        let household = &items(&listed)[0]["household"];
        assert_eq!(
            household,
            &json!({"id": hana.household, "head": null, "member_count": 1,
                    "active_member_count": 1})
        );
        assert!(
            !listed.text.contains(&hana.client) && !listed.text.contains("Hana"),
            "{}",
            listed.describe()
        );
        for query in ["q=hana", "status=all", "active_on=2024-02-01", "q=cole"] {
            let listed = roster(app, &case_manager, &shelter.program, query);
            assert!(!listed.contains(&hana.id), "{query}: {listed:?}");
        }
        // Admins see everyone, and the head.
        let listed = app.get(&roster_path(&shelter.program), Some(&admin));
        assert_eq!(ids_in(&listed), both);
        assert_eq!(items(&listed)[1]["household"]["member_count"], 2);
        assert_eq!(items(&listed)[1]["household"]["head"]["first_name"], "Hana");
    }
);

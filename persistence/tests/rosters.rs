//! A program's roster in SQL lists what the domain's `RosterFilter` admits, on both backends:
//! stays entering and exiting around a grid of days (same-day stays, open stays, deleted
//! ones), read for every status with and without every day of the grid, a page at a time
//! and whole; the name search as the client search's words; and an organization's pages
//! read in rounds past the clients it may not see.

mod common;

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use threshold_domain::roster::{RosterFilter, RosterStatus};
use threshold_domain::{Date, Period};
use threshold_persistence::db::{DatabaseUrl, DbConnection};
use threshold_persistence::enrollments::EntryCursor;
use threshold_persistence::ids::{EnrollmentId, OrganizationId, ProgramId};
use threshold_persistence::migrations::run_pending;
use threshold_persistence::privacy::Sight;
use threshold_persistence::rosters::{self, RosterQuery};
use uuid::Uuid;

use common::{PostgresDatabase, SqliteFile};

const PROGRAM: u128 = 100;
const OTHER_PROGRAM: u128 = 101;

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, 1).unwrap() + chrono::TimeDelta::days(offset)
}

/// A stored stay: its enrollment, period, client's search name and whether it is deleted.
struct Stored {
    id: Uuid,
    period: Period,
    search_name: String,
    deleted: bool,
}

const NAMES: [&str; 4] = ["ana lopez", "bo lopez", "ana ng", "cy ana-maria"];

/// Every stay from an entry on each day 0-7, exiting the same day, 1 or 3 days later, or
/// not at all; every fifth one deleted; one stay in another program.
fn seed(conn: &mut DbConnection) -> Vec<Stored> {
    let stamps = "1, '2024-01-01 00:00:00', '2024-01-01 00:00:00', 'test', 'test'";
    let mut sql = format!(
        "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
         updated_at, created_by, updated_by) VALUES ('{}', 'o', FALSE, {stamps});\n",
        Uuid::from_u128(1)
    );
    for program in [PROGRAM, OTHER_PROGRAM] {
        sql += &format!(
            "INSERT INTO programs (id, organization_id, name, project_type, \
             operating_start_date, continuum_project, version, created_at, updated_at, \
             created_by, updated_by) VALUES ('{}', '{}', 'p', 1, '2020-01-01', TRUE, {stamps});\n",
            Uuid::from_u128(program),
            Uuid::from_u128(1),
        );
    }
    let mut stored = Vec::new();
    let mut n: u128 = 0;
    for entry in 0..8 {
        for length in [Some(0), Some(1), Some(3), None] {
            n += 1;
            let id = Uuid::from_u128(10_000 + (n * 7919) % 1_000);
            let client = Uuid::from_u128(20_000 + n);
            let search_name = NAMES[(n % 4) as usize].to_owned();
            let deleted = n.is_multiple_of(5);
            let program = if n == 17 { OTHER_PROGRAM } else { PROGRAM };
            let exit = length.map(|length| day(entry + length));
            sql += &format!(
                "INSERT INTO clients (id, name_data_quality, ssn_data_quality, \
                 dob_data_quality, sex, race_ethnicity, veteran_status, search_name, version, \
                 created_at, updated_at, created_by, updated_by) VALUES ('{client}', 99, 99, 99, \
                 99, '', 99, '{search_name}', {stamps});\n\
                 INSERT INTO households (id, program_id, created_at, created_by) VALUES \
                 ('{id}', '{}', '2024-01-01 00:00:00', 'test');\n\
                 INSERT INTO enrollments (id, client_id, program_id, household_id, \
                 relationship_to_hoh, entry_date, exit_date, version, created_at, updated_at, \
                 created_by, updated_by, deleted_at) VALUES ('{id}', '{client}', '{}', '{id}', \
                 1, '{}', {}, {stamps}, {});\n",
                Uuid::from_u128(program),
                Uuid::from_u128(program),
                day(entry),
                exit.map_or("NULL".to_owned(), |exit| format!("'{exit}'")),
                if deleted {
                    "'2024-02-01 00:00:00'"
                } else {
                    "NULL"
                },
            );
            if program == PROGRAM {
                stored.push(Stored {
                    id,
                    period: Period::new(day(entry).into(), exit.map(Date::from)),
                    search_name,
                    deleted,
                });
            }
        }
    }
    conn.batch_execute(&sql).expect("the seed");
    stored
}

/// The whole roster, read `limit` at a time from cursor to cursor.
fn read_all(conn: &mut DbConnection, query: &RosterQuery, limit: i64) -> Vec<Uuid> {
    let mut read = Vec::new();
    let mut after: Option<EntryCursor> = None;
    loop {
        let page = rosters::page(conn, &Sight::Everything, query, after.as_ref(), limit)
            .unwrap()
            .page;
        assert!(page.rows.len() as i64 <= limit);
        read.extend(page.rows.iter().map(|row| row.enrollment.id.uuid()));
        if !page.more {
            return read;
        }
        let last = &page.rows.last().expect("a full page").enrollment;
        after = Some(EntryCursor {
            entry_date: last.entry_date,
            id: last.id,
        });
    }
}

fn sql_lists_what_the_filter_admits(url: &str) {
    run_pending(url).expect("the migrations run");
    let mut conn = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let stored = seed(&mut conn);
    let statuses = [
        None,
        Some(RosterStatus::Active),
        Some(RosterStatus::Exited),
        Some(RosterStatus::All),
    ];
    let days = std::iter::once(None).chain((-1..13).map(|offset| Some(Date::from(day(offset)))));
    let mut checked = 0;
    for active_on in days {
        for status in statuses {
            for words in [
                vec![],
                vec!["ana".to_owned()],
                ["lopez", "an"].iter().map(|w| w.to_string()).collect(),
            ] {
                let filter = RosterFilter::new(status, active_on);
                let query = RosterQuery {
                    program_id: ProgramId::from(Uuid::from_u128(PROGRAM)),
                    filter,
                    household_id: None,
                    words: words.clone(),
                };
                let mut expected: Vec<(NaiveDate, Uuid)> = stored
                    .iter()
                    .filter(|stay| !stay.deleted && filter.admits(&stay.period))
                    .filter(|stay| words.iter().all(|word| stay.search_name.contains(word)))
                    .map(|stay| (stay.period.entry.naive(), stay.id))
                    .collect();
                expected.sort();
                let expected: Vec<Uuid> = expected.into_iter().map(|(_, id)| id).collect();
                let whole = read_all(&mut conn, &query, 1_000);
                assert_eq!(whole, expected, "{filter:?}, {words:?}");
                assert_eq!(read_all(&mut conn, &query, 2), expected, "{filter:?} by 2");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 15 * 4 * 3);
    // A cursor past the last row reads nothing.
    let query = RosterQuery {
        program_id: ProgramId::from(Uuid::from_u128(PROGRAM)),
        filter: RosterFilter::new(Some(RosterStatus::All), None),
        household_id: None,
        words: Vec::new(),
    };
    let past = EntryCursor {
        entry_date: day(30),
        id: EnrollmentId::from(Uuid::nil()),
    };
    let found = rosters::page(&mut conn, &Sight::Everything, &query, Some(&past), 10).unwrap();
    assert!(found.page.rows.is_empty() && !found.page.more && found.households.is_empty());
}

/// A household whose head enters before clients the organization may not see and whose
/// other member enters after them: with one enrollment a page, the page reads its candidates
/// in rounds, and the household is counted once, with both members, its head named.
fn hidden_clients_between_members_of_a_household(url: &str) {
    run_pending(url).expect("the migrations run");
    let mut conn = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let stamps = "1, '2024-01-01 00:00:00', '2024-01-01 00:00:00', 'test', 'test'";
    let organization = Uuid::from_u128(1);
    let provider = Uuid::from_u128(2);
    let (program, safe_house) = (Uuid::from_u128(PROGRAM), Uuid::from_u128(OTHER_PROGRAM));
    let mut sql = format!(
        "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
         updated_at, created_by, updated_by) VALUES ('{organization}', 'o', FALSE, {stamps}), \
         ('{provider}', 'dv', TRUE, {stamps});\n\
         INSERT INTO programs (id, organization_id, name, project_type, operating_start_date, \
         continuum_project, version, created_at, updated_at, created_by, updated_by) VALUES \
         ('{program}', '{organization}', 'p', 1, '2020-01-01', TRUE, {stamps}), \
         ('{safe_house}', '{provider}', 's', 1, '2020-01-01', TRUE, {stamps});\n"
    );
    let household = Uuid::from_u128(500);
    // The head on day 0, hidden clients on days 1-6 (each in a household of their own, and
    // served by the victim service provider too), the other member on day 7.
    for n in 0..8u128 {
        let client = Uuid::from_u128(20_000 + n);
        let enrollment = Uuid::from_u128(10_000 + n);
        let own_household = if n == 0 || n == 7 {
            household
        } else {
            Uuid::from_u128(600 + n)
        };
        let relationship = if n == 7 { 2 } else { 1 };
        sql += &format!(
            "INSERT INTO clients (id, name_data_quality, ssn_data_quality, dob_data_quality, \
             sex, race_ethnicity, veteran_status, search_name, version, created_at, \
             updated_at, created_by, updated_by) VALUES ('{client}', 99, 99, 99, 99, '', 99, \
             'c{n}', {stamps});\n"
        );
        if n != 7 {
            sql += &format!(
                "INSERT INTO households (id, program_id, created_at, created_by) VALUES \
                 ('{own_household}', '{program}', '2024-01-01 00:00:00', 'test');\n"
            );
        }
        sql += &format!(
            "INSERT INTO enrollments (id, client_id, program_id, household_id, \
             relationship_to_hoh, entry_date, version, created_at, updated_at, created_by, \
             updated_by) VALUES ('{enrollment}', '{client}', '{program}', '{own_household}', \
             {relationship}, '{}', {stamps});\n",
            day(n as i64)
        );
        if (1..7).contains(&n) {
            let sealed = Uuid::from_u128(30_000 + n);
            sql += &format!(
                "INSERT INTO households (id, program_id, created_at, created_by) VALUES \
                 ('{sealed}', '{safe_house}', '2024-01-01 00:00:00', 'test');\n\
                 INSERT INTO enrollments (id, client_id, program_id, household_id, \
                 relationship_to_hoh, entry_date, version, created_at, updated_at, created_by, \
                 updated_by) VALUES ('{sealed}', '{client}', '{safe_house}', '{sealed}', 1, \
                 '{}', {stamps});\n",
                day(0)
            );
        }
    }
    conn.batch_execute(&sql).expect("the seed");
    let sight = Sight::Organization {
        organization_id: OrganizationId::from(organization),
        today: day(30),
    };
    let query = RosterQuery {
        program_id: ProgramId::from(program),
        filter: RosterFilter::new(None, None),
        household_id: None,
        words: Vec::new(),
    };
    let both = [Uuid::from_u128(10_000), Uuid::from_u128(10_007)];
    for limit in [1, 2, 5] {
        let mut read = Vec::new();
        let mut after: Option<EntryCursor> = None;
        loop {
            let found = rosters::page(&mut conn, &sight, &query, after.as_ref(), limit).unwrap();
            for row in &found.page.rows {
                read.push(row.enrollment.id.uuid());
                let shown = &found.households[&row.enrollment.household_id];
                assert_eq!(
                    (shown.members, shown.active_members),
                    (2, 2),
                    "{limit} a page"
                );
                let head = shown.head.as_ref().map(|head| head.enrollment_id.uuid());
                assert_eq!(head, Some(both[0]), "{limit} a page");
            }
            let Some(last) = found.page.rows.last().filter(|_| found.page.more) else {
                break;
            };
            after = Some(EntryCursor {
                entry_date: last.enrollment.entry_date,
                id: last.enrollment.id,
            });
        }
        assert_eq!(read, both, "{limit} a page");
    }
    // An admin sees everyone.
    let everyone = rosters::page(&mut conn, &Sight::Everything, &query, None, 50).unwrap();
    assert_eq!(everyone.page.rows.len(), 8);
}

#[test]
fn sqlite_counts_a_household_once_across_rounds() {
    hidden_clients_between_members_of_a_household(&SqliteFile::new().url());
}

#[test]
fn postgres_counts_a_household_once_across_rounds() {
    hidden_clients_between_members_of_a_household(&PostgresDatabase::new().url());
}

#[test]
fn sqlite_lists_what_the_filter_admits() {
    sql_lists_what_the_filter_admits(&SqliteFile::new().url());
}

#[test]
fn postgres_lists_what_the_filter_admits() {
    sql_lists_what_the_filter_admits(&PostgresDatabase::new().url());
}

//! `GET /v1/enrollments?updated_since=`: the change feed for systems that sync. Every
//! create, edit, exit, reopen and delete shows up in the order of the changes, with rising
//! `updated_at` (then ID); `updated_since` is exclusive; pages follow `next_cursor` and `Link`;
//! a reader that walks the feed to its end and resumes from the last `updated_at` it saw
//! misses nothing and sees nothing twice, even while writers keep writing.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::*;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde_json::{json, Value};
use threshold_api::usecases::auto_exit;
use threshold_domain::Date;
use threshold_tests::{assert_problem, both_backends, Backend, Response, Role, TestApp};

/// The entry date of every stay below.
const ENTRY: &str = "2024-03-01";

/// An organization with an emergency shelter.
struct Setup {
    organization: String,
    program: String,
}

fn setup(app: &TestApp, name: &str) -> Setup {
    let organization = create_organization(app, name);
    let program = create_program(app, &organization, json!({}));
    Setup {
        organization,
        program,
    }
}

/// One enrollment as the API last answered it.
#[derive(Debug, Clone)]
struct Stay {
    client: String,
    id: String,
}

impl Stay {
    fn path(&self) -> String {
        enrollment_path(&self.client, &self.id)
    }
}

/// A new client enrolled in `program` as the head of a new household, as an admin.
fn enrolled(app: &TestApp, program: &str, name: &str) -> (Stay, Value) {
    let client = create_client(app, name);
    let body = enroll_head(app, &client, program, ENTRY);
    (
        Stay {
            client,
            id: id_of(&body),
        },
        body,
    )
}

fn feed_path(query: &str) -> String {
    with_query("/v1/enrollments", query)
}

/// One page of the feed as `token` reads it; must be a 200.
fn feed_page(app: &TestApp, token: &str, query: &str) -> Response {
    let response = app.get(&feed_path(query), Some(token));
    response.assert_status(200);
    response
}

/// The whole feed after `since` as `token` reads it, following `next_cursor` to the end
/// with pages of `limit`; checks on the way that `Link` names the same next page.
fn walk(app: &TestApp, token: &str, since: Option<&str>, limit: u32) -> Vec<Value> {
    let mut query = format!("limit={limit}");
    if let Some(since) = since {
        query.push_str(&format!("&updated_since={since}"));
    }
    let mut seen = Vec::new();
    for page in pages(app, token, &feed_path(&query)) {
        let items = items(&page);
        assert!(
            items.len() <= limit as usize,
            "a page longer than its limit: {}",
            page.describe()
        );
        seen.extend(items);
    }
    seen
}

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(id_of).collect()
}

/// The feed's order rises strictly from each item to the next: `updated_at`, then the ID
/// (two writes may stamp the same microsecond).
fn assert_strictly_rising(items: &[Value]) {
    for pair in items.windows(2) {
        assert!(
            (timestamp(&pair[0]["updated_at"]), id_of(&pair[0]))
                < (timestamp(&pair[1]["updated_at"]), id_of(&pair[1])),
            "the feed's order does not rise strictly from {} to {}",
            pair[0],
            pair[1]
        );
    }
}

/// The enrollment as an admin reads it now.
fn fetch(app: &TestApp, stay: &Stay) -> Value {
    let response = app.get(&stay.path(), Some(&app.admin_token()));
    response.assert_status(200);
    response.body
}

/// The feed item of `stay`, which must be there exactly once.
fn item_of<'a>(items: &'a [Value], stay: &Stay) -> &'a Value {
    let found: Vec<&Value> = items
        .iter()
        .filter(|item| item["id"] == stay.id.as_str())
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected {} once in the feed: {items:?}",
        stay.id
    );
    found[0]
}

/// A feed item is what a read answers, plus `deleted_at` (null unless deleted).
fn assert_reads_as(item: &Value, read: &Value) {
    let mut item = item.clone();
    let deleted_at = item
        .as_object_mut()
        .expect("a feed item is an object")
        .remove("deleted_at");
    assert_eq!(deleted_at, Some(Value::Null), "not deleted: {item}");
    let mut read = read.clone();
    if let Some(object) = read.as_object_mut() {
        object.remove("deleted_at");
    }
    assert_eq!(item, read);
}

/// A write of the test below: the enrollment it changes, what it is, and how to send it.
type Write<'a> = (&'a Stay, &'a str, Box<dyn Fn() -> Response + 'a>);

both_backends!(
    fn every_kind_of_change_shows_up_in_change_order(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app, "Harbor Light");
        let (first, _) = enrolled(app, &setup.program, "Jordan");
        let (second, _) = enrolled(app, &setup.program, "Riley");
        let (third, _) = enrolled(app, &setup.program, "Morgan");
        let (fourth, _) = enrolled(app, &setup.program, "Sam");

        let all = walk(app, &token, None, 200);
        assert_eq!(
            ids(&all),
            [
                first.id.clone(),
                second.id.clone(),
                third.id.clone(),
                fourth.id.clone()
            ]
        );
        assert_strictly_rising(&all);
        for (item, stay) in all.iter().zip([&first, &second, &third, &fourth]) {
            assert_reads_as(item, &fetch(app, stay));
            assert_eq!(item["version"], 1);
        }
        let mut last = all[3]["updated_at"].as_str().unwrap().to_owned();

        // The third is deleted, the first exits, the second is edited, the first reopens
        // and a case manager edits the fourth: each write moves its enrollment to the end
        // of the feed.
        app.delete(&third.path(), Some(&token)).assert_status(204);
        app.post(
            &format!("{}/exit", first.path()),
            Some(&token),
            &json!({"exit_date": "2024-04-01", "destination": 116}),
        )
        .assert_status(200);
        let edited = app.patch(
            &second.path(),
            Some(&token),
            &json!({"enrollment_coc": "CA-501", "length_of_stay": 4}),
        );
        edited.assert_status(200);
        app.delete(&format!("{}/exit", first.path()), Some(&token))
            .assert_status(200);
        // An edit by a case manager of the organization is a change like any other.
        let case_manager = token_for(app, "cm-dana", Role::CaseManager, &setup.organization);
        app.patch(
            &fourth.path(),
            Some(&case_manager),
            &json!({"disabling_condition": 1}),
        )
        .assert_status(200);

        // Since the last change seen before them: each changed one once, in the order of
        // its last change.
        let since = walk(app, &token, Some(&last), 2);
        assert_eq!(
            ids(&since),
            [
                third.id.clone(),
                second.id.clone(),
                first.id.clone(),
                fourth.id.clone()
            ]
        );
        assert!(timestamp(&since[0]["updated_at"]) > timestamp(&json!(last)));
        last = since[3]["updated_at"].as_str().unwrap().to_owned();
        assert_eq!(walk(app, &token, Some(&last), 2), Vec::<Value>::new());

        // The whole feed is now in the order of the last change of each.
        let all = walk(app, &token, None, 200);
        assert_eq!(
            ids(&all),
            [
                third.id.clone(),
                second.id.clone(),
                first.id.clone(),
                fourth.id.clone()
            ]
        );
        assert_strictly_rising(&all);
        let deleted = item_of(&all, &third);
        assert!(
            deleted["deleted_at"].is_string(),
            "the deleted enrollment carries deleted_at: {deleted}"
        );
        assert_eq!(deleted["version"], 2);
        assert_eq!(deleted["updated_by"], "test-admin");
        assert!(
            timestamp(&deleted["deleted_at"]) <= timestamp(&deleted["updated_at"]),
            "deleted after its last change: {deleted}"
        );
        assert_not_found(&app.get(&third.path(), Some(&token)));

        let first_item = item_of(&all, &first);
        assert_eq!(first_item["version"], 3);
        assert_eq!(first_item["status"], "active");
        assert_eq!(first_item["exit"], Value::Null);
        assert_reads_as(first_item, &fetch(app, &first));

        let second_item = item_of(&all, &second);
        assert_eq!(second_item["version"], 2);
        assert_eq!(second_item["enrollment_coc"], "CA-501");
        assert_eq!(second_item["length_of_stay"], 4);
        assert_reads_as(second_item, &edited.body);

        let fourth_item = item_of(&all, &fourth);
        assert_eq!(fourth_item["updated_by"], "cm-dana");
        assert_eq!(fourth_item["disabling_condition"], 1);
        assert_reads_as(fourth_item, &fetch(app, &fourth));
    }

    fn each_write_is_the_one_change_since_the_write_before(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app, "Harbor Light");
        let (first, created) = enrolled(app, &setup.program, "Jordan");
        let (second, _) = enrolled(app, &setup.program, "Riley");
        let mut last = fetch(app, &second)["updated_at"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            ids(&walk(
                app,
                &token,
                Some(created["updated_at"].as_str().unwrap()),
                200
            )),
            vec![second.id.clone()]
        );

        // Each write below, then the feed since the write before: exactly it, once.
        let writes: Vec<Write> = vec![
            (
                &first,
                "edit",
                Box::new(|| {
                    app.patch(
                        &first.path(),
                        Some(&token),
                        &json!({"enrollment_coc": "CA-500"}),
                    )
                }),
            ),
            (
                &second,
                "exit",
                Box::new(|| {
                    app.post(
                        &format!("{}/exit", second.path()),
                        Some(&token),
                        &json!({"exit_date": "2024-05-01", "destination": 116}),
                    )
                }),
            ),
            (
                &first,
                "second edit",
                Box::new(|| app.patch(&first.path(), Some(&token), &json!({"length_of_stay": 2}))),
            ),
            (
                &second,
                "reopen",
                Box::new(|| app.delete(&format!("{}/exit", second.path()), Some(&token))),
            ),
            (
                &first,
                "delete",
                Box::new(|| app.delete(&first.path(), Some(&token))),
            ),
        ];
        for (version, (stay, what, write)) in writes.iter().enumerate() {
            let response = write();
            assert!(
                response.status == 200 || response.status == 204,
                "the {what} failed: {}",
                response.describe()
            );
            let since = walk(app, &token, Some(&last), 200);
            assert_eq!(ids(&since), vec![stay.id.clone()], "after the {what}");
            let item = &since[0];
            assert!(
                timestamp(&item["updated_at"]) > timestamp(&json!(last)),
                "the {what} did not move updated_at past {last}: {item}"
            );
            if response.status == 200 {
                // The write's answer carries the updated_at the feed shows.
                assert_eq!(
                    item["updated_at"], response.body["updated_at"],
                    "after the {what}"
                );
                assert_eq!(
                    item["version"], response.body["version"],
                    "after the {what}"
                );
            }
            assert!(
                item["version"].as_i64().unwrap() >= 2,
                "write {version}, the {what}: {item}"
            );
            last = item["updated_at"].as_str().unwrap().to_owned();
        }
        let deleted = walk(app, &token, None, 200);
        assert_eq!(ids(&deleted), [second.id.clone(), first.id.clone()]);
        assert!(deleted[1]["deleted_at"].is_string(), "{}", deleted[1]);
        assert_eq!(deleted[1]["version"], 4);
        assert_eq!(deleted[0]["deleted_at"], Value::Null);
        assert_eq!(deleted[0]["status"], "active");
        assert_eq!(deleted[0]["version"], 3);

        // Nothing changed since the last write: an empty page, no next.
        let nothing = feed_page(app, &token, &format!("updated_since={last}"));
        assert_eq!(nothing.body, json!({"data": [], "next_cursor": null}));
        assert_eq!(nothing.next_link(), None);
    }

    fn updated_since_is_exclusive(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app, "Harbor Light");
        let stays: Vec<Stay> = ["Jordan", "Riley", "Morgan"]
            .into_iter()
            .map(|name| enrolled(app, &setup.program, name).0)
            .collect();
        let all = walk(app, &token, None, 200);
        assert_eq!(
            ids(&all),
            stays.iter().map(|stay| stay.id.clone()).collect::<Vec<_>>()
        );
        let middle = timestamp(&all[1]["updated_at"]);

        // At the middle one's instant: only what came after it.
        let after = walk(app, &token, Some(&rfc3339(middle)), 200);
        assert_eq!(ids(&after), [stays[2].id.clone()]);
        // The very text the feed gave works the same.
        let after = walk(
            app,
            &token,
            Some(all[1]["updated_at"].as_str().unwrap()),
            200,
        );
        assert_eq!(ids(&after), [stays[2].id.clone()]);
        // One microsecond before it: the middle one too.
        let just_before = rfc3339(middle - TimeDelta::microseconds(1));
        let from_middle = walk(app, &token, Some(&just_before), 200);
        assert_eq!(
            ids(&from_middle),
            [stays[1].id.clone(), stays[2].id.clone()]
        );
        // The same instant written with another offset (`+` encoded as %2B).
        let shifted = middle
            .with_timezone(&chrono::FixedOffset::east_opt(2 * 3600).unwrap())
            .to_rfc3339_opts(SecondsFormat::Micros, false)
            .replace('+', "%2B");
        assert!(shifted.contains("%2B02:00"), "{shifted}");
        let after = walk(app, &token, Some(&shifted), 200);
        assert_eq!(ids(&after), [stays[2].id.clone()]);
        // Long ago: everything; in the future: nothing.
        assert_eq!(
            ids(&walk(app, &token, Some("2000-01-01T00:00:00Z"), 200)),
            ids(&all)
        );
        let later = rfc3339(Utc::now() + TimeDelta::days(1));
        assert_eq!(walk(app, &token, Some(&later), 200), Vec::<Value>::new());
        // The last one's instant: nothing.
        assert_eq!(
            walk(
                app,
                &token,
                Some(all[2]["updated_at"].as_str().unwrap()),
                200
            ),
            Vec::<Value>::new()
        );
    }

    fn pages_follow_next_cursor_and_link(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app, "Harbor Light");
        let stays: Vec<Stay> = ["Jordan", "Riley", "Morgan", "Sam", "Avery"]
            .into_iter()
            .map(|name| enrolled(app, &setup.program, name).0)
            .collect();
        // Edit two so that the change order is not the creation order.
        for stay in [&stays[1], &stays[0]] {
            app.patch(&stay.path(), Some(&token), &json!({"length_of_stay": 3}))
                .assert_status(200);
        }
        let expected = [
            stays[2].id.clone(),
            stays[3].id.clone(),
            stays[4].id.clone(),
            stays[1].id.clone(),
            stays[0].id.clone(),
        ];
        let whole = feed_page(app, &token, "limit=200");
        assert_eq!(whole.body["next_cursor"], Value::Null);
        assert_eq!(whole.next_link(), None);
        assert_eq!(ids(&items(&whole)), expected);
        // The default page size holds them all too.
        assert_eq!(items(&feed_page(app, &token, "")), items(&whole));
        // A page exactly as long as the feed has no next.
        let exact = feed_page(app, &token, "limit=5");
        assert_eq!(exact.body["next_cursor"], Value::Null);
        assert_eq!(items(&exact), items(&whole));

        // Pages of two: 2, 2, 1, by next_cursor.
        let first = feed_page(app, &token, "limit=2");
        assert_eq!(ids(&items(&first)), expected[..2]);
        let cursor = first.body["next_cursor"]
            .as_str()
            .expect("a next_cursor on the first page")
            .to_owned();
        let link = first.next_link().expect("a Link on the first page");
        let second = feed_page(app, &token, &format!("limit=2&cursor={cursor}"));
        assert_eq!(ids(&items(&second)), expected[2..4]);
        // The Link names the same page.
        let by_link = app.get(&link, Some(&token));
        by_link.assert_status(200);
        assert_eq!(by_link.body, second.body);
        let cursor = second.body["next_cursor"]
            .as_str()
            .expect("a next_cursor on the second page")
            .to_owned();
        let third = feed_page(app, &token, &format!("limit=2&cursor={cursor}"));
        assert_eq!(ids(&items(&third)), expected[4..]);
        assert_eq!(third.body["next_cursor"], Value::Null);
        assert_eq!(third.next_link(), None);
        let mut paged = items(&first);
        paged.extend(items(&second));
        paged.extend(items(&third));
        assert_eq!(paged, items(&whole));
        assert_eq!(walk(app, &token, None, 2), items(&whole));
        assert_eq!(walk(app, &token, None, 1), items(&whole));

        // With updated_since, the Link keeps it and the pages start after it.
        let since = items(&whole)[0]["updated_at"].as_str().unwrap().to_owned();
        let first = feed_page(app, &token, &format!("updated_since={since}&limit=2"));
        assert_eq!(ids(&items(&first)), expected[1..3]);
        let link = first.next_link().expect("a Link on the first page");
        assert!(link.contains(&format!("updated_since={since}")), "{link}");
        let rest = app.get(&link, Some(&token));
        rest.assert_status(200);
        assert_eq!(ids(&items(&rest)), expected[3..5]);
        assert_eq!(rest.body["next_cursor"], Value::Null);
        assert_eq!(walk(app, &token, Some(&since), 2), items(&whole)[1..]);
    }

    fn resuming_from_the_last_updated_at_gives_only_later_changes(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app, "Harbor Light");
        let stays: Vec<Stay> = ["Jordan", "Riley", "Morgan"]
            .into_iter()
            .map(|name| enrolled(app, &setup.program, name).0)
            .collect();
        let first_walk = walk(app, &token, None, 2);
        assert_eq!(first_walk.len(), 3);
        let last = first_walk[2]["updated_at"].as_str().unwrap().to_owned();

        // Nothing new: nothing.
        assert_eq!(walk(app, &token, Some(&last), 2), Vec::<Value>::new());

        // An edit of one already seen, a new one, and a delete of one already seen.
        let edited = app.patch(
            &stays[0].path(),
            Some(&token),
            &json!({"enrollment_coc": "CA-502"}),
        );
        edited.assert_status(200);
        let (fresh, _) = enrolled(app, &setup.program, "Sam");
        app.delete(&stays[1].path(), Some(&token))
            .assert_status(204);
        let second_walk = walk(app, &token, Some(&last), 2);
        assert_eq!(
            ids(&second_walk),
            [stays[0].id.clone(), fresh.id.clone(), stays[1].id.clone()]
        );
        assert_eq!(second_walk[0]["version"], 2);
        assert_eq!(second_walk[0]["enrollment_coc"], "CA-502");
        assert_eq!(second_walk[1]["version"], 1);
        assert!(
            second_walk[2]["deleted_at"].is_string(),
            "{}",
            second_walk[2]
        );
        let mut everything = first_walk.clone();
        everything.extend(second_walk.iter().cloned());
        assert_strictly_rising(&everything);

        // Resuming again from the new end: nothing more.
        let last = second_walk[2]["updated_at"].as_str().unwrap().to_owned();
        assert_eq!(walk(app, &token, Some(&last), 2), Vec::<Value>::new());
        // Never seen twice: every (id, version) of both walks is distinct.
        let pairs: BTreeSet<(String, i64)> = everything
            .iter()
            .map(|item| (id_of(item), item["version"].as_i64().unwrap()))
            .collect();
        assert_eq!(pairs.len(), everything.len());
    }

    fn the_auto_exit_job_shows_up_in_the_feed(app: &TestApp) {
        let token = app.admin_token();
        let outreach =
            json!({"name": "Harbor Street Outreach", "project_type": 4, "auto_exit_days": 30});
        let program = shelter_with(app, "Harbor Light", outreach).program;
        let (stay, _) = enrolled(app, &program, "Jordan");
        let before = walk(app, &token, None, 200);
        let last = before[0]["updated_at"].as_str().unwrap().to_owned();
        let as_of = Date::from(
            today()
                .checked_add_days(chrono::Days::new(31))
                .expect("a representable date"),
        );
        let outcomes = auto_exit::run(&app.state().db, as_of, false, |_| {})
            .unwrap_or_else(|error| panic!("the auto-exit job failed: {error:?}"));
        assert_eq!(outcomes.len(), 1, "{outcomes:?}");
        let since = walk(app, &token, Some(&last), 200);
        assert_eq!(ids(&since), vec![stay.id.clone()]);
        assert_eq!(since[0]["status"], "exited");
        assert_eq!(since[0]["exit"]["auto_exited"], true);
        assert_eq!(since[0]["version"], 2);
        assert!(timestamp(&since[0]["updated_at"]) > timestamp(&json!(last)));
    }

    fn household_writes_show_every_member_they_change(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app, "Harbor Light");
        let (head, head_body) = enrolled(app, &setup.program, "Jordan");
        let household = head_body["household_id"].as_str().unwrap().to_owned();
        let child_client = create_client(app, "Riley");
        let child = Stay {
            id: id_of(&enroll_member(
                app,
                &child_client,
                &setup.program,
                &household,
                ENTRY,
                2,
            )),
            client: child_client,
        };
        let (bystander, _) = enrolled(app, &setup.program, "Morgan");
        let last = walk(app, &token, None, 200)[2]["updated_at"]
            .as_str()
            .unwrap()
            .to_owned();

        // A change of head changes both members' relationship.
        let response = app.put(
            &format!("/v1/households/{household}/head"),
            Some(&token),
            &json!({"enrollment_id": child.id, "previous_head_relationship": 2}),
        );
        response.assert_status(200);
        let since = walk(app, &token, Some(&last), 1);
        let changed: BTreeSet<String> = ids(&since).into_iter().collect();
        assert_eq!(
            changed,
            [head.id.clone(), child.id.clone()].into_iter().collect(),
            "{since:?}"
        );
        assert_strictly_rising(&since);
        assert_reads_as(item_of(&since, &head), &fetch(app, &head));
        assert_reads_as(item_of(&since, &child), &fetch(app, &child));
        assert_eq!(item_of(&since, &child)["relationship_to_hoh"], 1);
        let last = since[1]["updated_at"].as_str().unwrap().to_owned();

        // The household exits together: both members, and not the bystander.
        app.post(
            &format!("{}/exit", child.path()),
            Some(&token),
            &json!({"exit_date": "2024-06-30", "destination": 116, "household": true}),
        )
        .assert_status(200);
        let since = walk(app, &token, Some(&last), 1);
        let changed: BTreeSet<String> = ids(&since).into_iter().collect();
        assert_eq!(
            changed,
            [head.id.clone(), child.id.clone()].into_iter().collect(),
            "{since:?}"
        );
        assert_strictly_rising(&since);
        for item in &since {
            assert_eq!(item["status"], "exited", "{item}");
            assert_eq!(item["exit"]["exit_date"], "2024-06-30", "{item}");
        }
        assert_reads_as(item_of(&since, &head), &fetch(app, &head));
        assert_reads_as(item_of(&since, &child), &fetch(app, &child));
        assert_eq!(fetch(app, &bystander)["version"], 1);
    }

    fn each_organization_sees_its_own_changes(app: &TestApp) {
        let admin = app.admin_token();
        let a = setup(app, "Harbor Light");
        let b = setup(app, "Bayside Outreach");
        let (a_first, _) = enrolled(app, &a.program, "Jordan");
        let (b_first, _) = enrolled(app, &b.program, "Riley");
        let (a_second, _) = enrolled(app, &a.program, "Morgan");
        let (b_second, _) = enrolled(app, &b.program, "Sam");
        app.delete(&a_second.path(), Some(&admin))
            .assert_status(204);
        app.delete(&b_second.path(), Some(&admin))
            .assert_status(204);

        let a_manager = token_for(app, "cm-a", Role::CaseManager, &a.organization);
        let a_viewer = token_for(app, "viewer-a", Role::Viewer, &a.organization);
        let b_manager = token_for(app, "cm-b", Role::CaseManager, &b.organization);

        let a_ids = vec![a_first.id.clone(), a_second.id.clone()];
        let b_ids = vec![b_first.id.clone(), b_second.id.clone()];
        assert_eq!(ids(&walk(app, &a_manager, None, 1)), a_ids);
        assert_eq!(ids(&walk(app, &a_viewer, None, 200)), a_ids);
        assert_eq!(ids(&walk(app, &b_manager, None, 1)), b_ids);
        assert_eq!(
            ids(&walk(app, &admin, None, 200)),
            [
                a_first.id.clone(),
                b_first.id.clone(),
                a_second.id.clone(),
                b_second.id.clone()
            ]
        );

        // From a point after A's changes, B's case manager still sees nothing of A.
        let since = walk(app, &admin, None, 200)[0]["updated_at"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(ids(&walk(app, &b_manager, Some(&since), 200)), b_ids);
        app.patch(&a_first.path(), Some(&admin), &json!({"length_of_stay": 2}))
            .assert_status(200);
        assert_eq!(ids(&walk(app, &b_manager, Some(&since), 200)), b_ids);
        assert_eq!(
            ids(&walk(app, &a_manager, Some(&since), 200)),
            [a_second.id.clone(), a_first.id.clone()]
        );

        // Without a token: 401.
        assert_unauthenticated(&app.get("/v1/enrollments", None));
    }

    fn bad_queries_are_refused(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app, "Harbor Light");
        for name in ["Jordan", "Riley", "Morgan"] {
            enrolled(app, &setup.program, name);
        }
        let cursor = feed_page(app, &token, "limit=1").body["next_cursor"]
            .as_str()
            .expect("a next_cursor")
            .to_owned();
        let queries = [
            "updated_since=yesterday",
            "updated_since=2024-13-01T00:00:00Z",
            "updated_since=2024-03-01",
            "updated_since=",
            "updated_since=1700000000",
            "cursor=not-a-cursor",
            // base64url of `v1:nonsense`: decodes, but names no position.
            "cursor=djE6bm9uc2Vuc2U",
            // base64url of `nonsense`.
            "cursor=bm9uc2Vuc2U",
            "limit=0",
            "limit=201",
            "limit=two",
            "since=2024-03-01T00:00:00Z",
        ];
        assert_malformed_queries(app, &token, "/v1/enrollments", &queries);
        // A cursor with a bad updated_since is refused too: the query is read first. A cut
        // cursor is not a cursor.
        let bad_since = format!("cursor={cursor}&updated_since=soon");
        let cut = format!("cursor={}", &cursor[..cursor.len() - 3]);
        assert_malformed_queries(app, &token, "/v1/enrollments", &[&bad_since, &cut]);
        // The real one still works.
        feed_page(app, &token, &format!("limit=1&cursor={cursor}"));
    }
);

/// How many threads write at once in the concurrent walk, and how many enrollments each
/// writes (each created, edited and exited: three writes).
const WRITERS: usize = 4;
const STAYS_PER_WRITER: usize = 5;

/// One version of an enrollment: `(id, version)` and its `updated_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Version {
    id: String,
    version: i64,
    updated_at: DateTime<Utc>,
}

impl Version {
    fn of(body: &Value) -> Version {
        Version {
            id: id_of(body),
            version: body["version"]
                .as_i64()
                .unwrap_or_else(|| panic!("no version in {body}")),
            updated_at: timestamp(&body["updated_at"]),
        }
    }
}

/// What a writer does with a 503 `service.unavailable` ("retry later").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnBusy {
    /// Retry, as the contract tells clients to (nothing was written).
    Retry,
    /// Fail the test.
    Fail,
}

/// Sends a write, again while it answers 503 when `on_busy` says so; counts the 503s.
fn send(write: impl Fn() -> Response, on_busy: OnBusy, busy: &mut usize) -> Response {
    for attempt in 1..=30 {
        let response = write();
        if response.status != 503 || on_busy == OnBusy::Fail {
            return response;
        }
        assert_problem(&response, 503, "service.unavailable");
        *busy += 1;
        thread::sleep(Duration::from_millis(10 * attempt));
    }
    panic!("a write was refused with 503 thirty times in a row");
}

/// Creates, edits and exits one enrollment per client, answering each version written and
/// how many 503s were retried.
fn write_stays(
    app: &TestApp,
    token: &str,
    program: &str,
    clients: &[String],
    on_busy: OnBusy,
) -> (Vec<Version>, usize) {
    let mut written = Vec::new();
    let mut busy = 0;
    for client in clients {
        let body = enrollment_body(program, ENTRY, 1);
        let response = send(
            || post_enrollment(app, token, client, &body),
            on_busy,
            &mut busy,
        );
        response.assert_status(201);
        written.push(Version::of(&response.body));
        let path = enrollment_path(client, &id_of(&response.body));
        let response = send(
            || app.patch(&path, Some(token), &json!({"enrollment_coc": "CA-500"})),
            on_busy,
            &mut busy,
        );
        response.assert_status(200);
        written.push(Version::of(&response.body));
        let response = send(
            || {
                app.post(
                    &format!("{path}/exit"),
                    Some(token),
                    &json!({"exit_date": "2024-04-01", "destination": 116}),
                )
            },
            on_busy,
            &mut busy,
        );
        response.assert_status(200);
        written.push(Version::of(&response.body));
    }
    (written, busy)
}

/// `STAYS_PER_WRITER` fresh clients for each of the `WRITERS` writers.
fn writers_clients(app: &TestApp) -> Vec<Vec<String>> {
    (0..WRITERS)
        .map(|writer| {
            (0..STAYS_PER_WRITER)
                .map(|index| create_client(app, &format!("Writer{writer}Client{index}")))
                .collect()
        })
        .collect()
}

/// Walks the feed again and again while `done` is not set, each time following
/// `next_cursor` to the end, then resuming from the last `updated_at` it saw; after `done`
/// is set, walks once more. Answers everything seen, in order.
fn read_while_writing(app: &TestApp, token: &str, done: &AtomicBool) -> Vec<Version> {
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut seen: Vec<Version> = Vec::new();
    let mut since: Option<String> = None;
    let mut walks = 0;
    loop {
        // Read before walking: a walk started after the writers finished is the last.
        let finished = done.load(Ordering::SeqCst);
        let walked = walk(app, token, since.as_deref(), 3);
        seen.extend(walked.iter().map(Version::of));
        if let Some(last) = walked.last() {
            since = Some(last["updated_at"].as_str().unwrap().to_owned());
        }
        walks += 1;
        if finished {
            eprintln!(
                "the reader walked the feed {walks} times, seeing {} versions",
                seen.len()
            );
            return seen;
        }
        assert!(
            Instant::now() < deadline,
            "the writers did not finish within 300 seconds"
        );
        thread::sleep(Duration::from_millis(5));
    }
}

fn concurrent_walk(backend: Backend) {
    let app = TestApp::builder(backend)
        .db_pool_size(WRITERS as u32 + 4)
        .spawn();
    let app = &app;
    let token = app.admin_token();
    let setup = setup(app, "Harbor Light");
    let clients = writers_clients(app);
    let done = AtomicBool::new(false);

    let (written, seen) = thread::scope(|scope| {
        let reader = scope.spawn(|| read_while_writing(app, &token, &done));
        let writers: Vec<_> = clients
            .iter()
            .map(|clients| {
                let token = &token;
                let program = &setup.program;
                scope.spawn(move || write_stays(app, token, program, clients, OnBusy::Retry))
            })
            .collect();
        // Every writer is joined before the reader is told to finish, panicked or not.
        let written: Vec<_> = writers.into_iter().map(|writer| writer.join()).collect();
        done.store(true, Ordering::SeqCst);
        let seen = reader.join();
        (written, seen)
    });
    let mut busy = 0;
    let mut versions = Vec::new();
    for result in written {
        let (written, refused) = result.unwrap_or_else(|_| panic!("a writer failed"));
        versions.extend(written);
        busy += refused;
    }
    eprintln!("the writers retried {busy} writes refused with 503");
    let written = versions;
    let seen = seen.unwrap_or_else(|_| panic!("the reader failed"));
    assert_eq!(written.len(), WRITERS * STAYS_PER_WRITER * 3);

    // Never a repeat, never a step back: updated_at rises strictly over everything seen.
    for pair in seen.windows(2) {
        assert!(
            pair[0].updated_at < pair[1].updated_at,
            "updated_at does not rise strictly from {:?} to {:?}",
            pair[0],
            pair[1]
        );
    }
    let pairs: BTreeSet<(String, i64)> = seen
        .iter()
        .map(|version| (version.id.clone(), version.version))
        .collect();
    assert_eq!(pairs.len(), seen.len(), "an (id, version) was seen twice");

    // Every version seen is one a writer wrote, with the updated_at its write answered.
    let by_pair: BTreeMap<(String, i64), &Version> = written
        .iter()
        .map(|version| ((version.id.clone(), version.version), version))
        .collect();
    assert_eq!(
        by_pair.len(),
        written.len(),
        "a writer got one version twice"
    );
    for version in &seen {
        let wrote = by_pair
            .get(&(version.id.clone(), version.version))
            .unwrap_or_else(|| panic!("the feed showed a version nobody wrote: {version:?}"));
        assert_eq!(*wrote, version, "the feed and the write disagree");
    }
    // Within one enrollment, versions come in order.
    let mut last_seen: BTreeMap<String, &Version> = BTreeMap::new();
    for version in &seen {
        if let Some(before) = last_seen.insert(version.id.clone(), version) {
            assert!(
                before.version < version.version,
                "{version:?} came after {before:?}"
            );
        }
    }

    // The last version seen of every enrollment is the stored one: nothing was missed.
    let stays: BTreeSet<&String> = written.iter().map(|version| &version.id).collect();
    assert_eq!(stays.len(), WRITERS * STAYS_PER_WRITER);
    assert_eq!(
        last_seen.keys().collect::<BTreeSet<_>>(),
        stays,
        "the reader did not see every enrollment"
    );
    for (writer, clients) in clients.iter().enumerate() {
        for client in clients {
            let list = app.get(&enrollments_path(client), Some(&token));
            list.assert_status(200);
            let stored = list.body["data"]
                .as_array()
                .and_then(|data| data.first())
                .unwrap_or_else(|| panic!("writer {writer}'s client has no enrollment"))
                .clone();
            let stored = Version::of(&stored);
            assert_eq!(stored.version, 3);
            assert_eq!(
                last_seen.get(&stored.id).copied(),
                Some(&stored),
                "the reader's last version of an enrollment is not the stored one"
            );
        }
    }
    // Every write that was not seen was superseded by a later version that was.
    for version in &written {
        if !pairs.contains(&(version.id.clone(), version.version)) {
            assert!(
                last_seen[&version.id].version > version.version,
                "{version:?} was missed and never superseded"
            );
        }
    }
}

both_backends!(
    fn a_reader_walking_across_concurrent_writes_misses_nothing(backend: Backend) {
        concurrent_walk(backend);
    }
);

/// Writers on distinct clients write at once, with no reader: no write may be refused as
/// busy (a 503 is for a database that cannot be reached).
fn concurrent_writes(backend: Backend) {
    let app = TestApp::builder(backend)
        .db_pool_size(WRITERS as u32 + 4)
        .spawn();
    let app = &app;
    let token = app.admin_token();
    let setup = setup(app, "Harbor Light");
    let clients = writers_clients(app);
    let written: Vec<Version> = thread::scope(|scope| {
        let writers: Vec<_> = clients
            .iter()
            .map(|clients| {
                let token = &token;
                let program = &setup.program;
                scope.spawn(move || write_stays(app, token, program, clients, OnBusy::Fail))
            })
            .collect();
        writers
            .into_iter()
            .flat_map(|writer| match writer.join() {
                Ok((written, _)) => written,
                Err(_) => panic!("a writer's write failed (see its message above)"),
            })
            .collect()
    });
    assert_eq!(written.len(), WRITERS * STAYS_PER_WRITER * 3);
}

both_backends!(
    fn concurrent_enrollment_writes_are_never_refused_as_busy(backend: Backend) {
        concurrent_writes(backend);
    }
);

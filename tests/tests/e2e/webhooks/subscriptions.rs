//! `/v1/webhooks`: who keeps subscriptions, the secret shown once, versions, deletes, the
//! audit trail, and the URLs and event types a subscription may name.

use serde_json::json;
use threshold_tests::{assert_problem, both_backends, Role, TestApp};

use super::*;

/// A public address never contacted: no event happens while it is subscribed (and it is
/// subscribed inactive).
const PUBLIC_URL: &str = "https://93.184.216.34/hooks";

both_backends! {
    fn the_secret_is_shown_once_and_subscriptions_belong_to_their_organization(app: &TestApp) {
        let harbor = create_organization(app, "Harbor Light");
        let bayside = create_organization(app, "Bayside");
        let harbor_integration = token_for(app, "harbor-sync", Role::Integration, &harbor);
        let bayside_integration = token_for(app, "bayside-sync", Role::Integration, &bayside);
        let admin = app.admin_token();
        let receiver = Receiver::start();

        let created = app.post(
            "/v1/webhooks",
            Some(&admin),
            &json!({"url": receiver.url(), "events": ["enrollment.created", "client.updated"]}),
        );
        created.assert_status(201);
        let id = id_of(&created.body);
        assert_eq!(created.header("location"), Some(format!("/v1/webhooks/{id}").as_str()));
        assert_eq!(created.etag(), "\"1\"");
        let secret = created.body["secret"].as_str().expect("a secret").to_owned();
        assert!(secret.starts_with("whsec_") && secret.len() > 40, "{secret}");
        assert_eq!(created.body["organization_id"], json!(null), "an admin's sees all");
        assert_eq!(created.body["events"], json!(["enrollment.created", "client.updated"]));
        assert_eq!(created.body["active"], true);
        assert_eq!(created.body["created_by"], "test-admin");

        let read = app.get(&format!("/v1/webhooks/{id}"), Some(&admin));
        read.assert_status(200);
        assert!(read.body.get("secret").is_none(), "never shown again: {}", read.body);
        assert_eq!(read.etag(), "\"1\"");
        assert_eq!(read.body["url"], receiver.url());

        // An integration's subscription belongs to its organization.
        let (own, _) = subscribe(app, &harbor_integration, &receiver.url(), &["record.created"]);
        let own_path = format!("/v1/webhooks/{own}");
        let mine = app.get(&own_path, Some(&harbor_integration));
        mine.assert_status(200);
        assert_eq!(mine.body["organization_id"], harbor.as_str());
        assert_eq!(listed(app, &harbor_integration, "/v1/webhooks"), vec![own.clone()]);
        assert_eq!(listed(app, &admin, "/v1/webhooks"), vec![id.clone(), own.clone()]);
        assert!(listed(app, &bayside_integration, "/v1/webhooks").is_empty());

        // Another organization's is a 404, whatever is asked of it.
        assert_not_found(&app.get(&own_path, Some(&bayside_integration)));
        assert_not_found(&app.patch(&own_path, Some(&bayside_integration), &json!({"active": false})));
        assert_not_found(&app.delete(&own_path, Some(&bayside_integration)));
        assert_not_found(&app.get(&format!("{own_path}/deliveries"), Some(&bayside_integration)));
        assert_not_found(&app.get(&format!("/v1/webhooks/{id}"), Some(&harbor_integration)));

        // Case managers and viewers keep none; without a token, nothing.
        for role in [Role::CaseManager, Role::Viewer] {
            let token = token_for(app, "someone", role, &harbor);
            assert_forbidden(&app.post(
                "/v1/webhooks",
                Some(&token),
                &json!({"url": receiver.url(), "events": ["client.updated"]}),
            ));
            assert_forbidden(&app.get("/v1/webhooks", Some(&token)));
            assert_forbidden(&app.get(&own_path, Some(&token)));
            assert_forbidden(&app.patch(&own_path, Some(&token), &json!({"active": false})));
            assert_forbidden(&app.delete(&own_path, Some(&token)));
        }
        assert_unauthenticated(&app.get("/v1/webhooks", None));

        // Versions: a stale If-Match is a 412.
        let paused = patch_if(app, &own_path, &harbor_integration, "\"1\"", &json!({
            "active": false,
            "description": "paused",
            "events": ["record.created", "record.deleted"],
        }));
        paused.assert_status(200);
        assert_eq!(paused.etag(), "\"2\"");
        assert_eq!(paused.body["active"], false);
        assert_eq!(paused.body["description"], "paused");
        assert_eq!(paused.body["events"], json!(["record.created", "record.deleted"]));
        assert_problem(
            &patch_if(app, &own_path, &harbor_integration, "\"1\"", &json!({"active": true})),
            412,
            "precondition.failed",
        );
        let cleared = app.patch(&own_path, Some(&harbor_integration), &json!({"description": null}));
        cleared.assert_status(200);
        assert_eq!(cleared.body["description"], json!(null));

        // A dry run stores nothing and shows no secret.
        let dry = app.post(
            "/v1/webhooks?dry_run=true",
            Some(&admin),
            &json!({"url": receiver.url(), "events": ["client.updated"]}),
        );
        dry.assert_status(200);
        assert!(dry.body.get("secret").is_none(), "{}", dry.body);
        assert_eq!(listed(app, &admin, "/v1/webhooks").len(), 2);

        // A delete: gone from every read; a stale version first is refused.
        assert_problem(&delete_if(app, &own_path, &harbor_integration, "\"1\""), 412, "precondition.failed");
        delete_if(app, &own_path, &harbor_integration, cleared.etag()).assert_status(204);
        assert_not_found(&app.get(&own_path, Some(&harbor_integration)));
        assert_eq!(listed(app, &admin, "/v1/webhooks"), vec![id.clone()]);

        // Every write is in the audit trail, the secret never.
        let trail = app.get(
            &format!("/v1/audit-events?entity_type=webhook&entity_id={own}"),
            Some(&admin),
        );
        trail.assert_status(200);
        let actions: Vec<&str> = trail.body["data"]
            .as_array()
            .expect("events")
            .iter()
            .map(|event| event["action"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(actions, ["create", "update", "update", "delete"]);
        assert!(!trail.body.to_string().contains(&secret));
        let all = app.get("/v1/audit-events?entity_type=webhook", Some(&admin));
        assert!(!all.body.to_string().contains("whsec_"), "{}", all.body);
    }

    fn urls_and_event_types_are_checked(app: &TestApp) {
        let admin = app.admin_token();
        let receiver = Receiver::start();
        let refused = |body: serde_json::Value, field: &str, code: &str| {
            let response = app.post("/v1/webhooks", Some(&admin), &body);
            assert_invalid(&response, field, code);
        };
        refused(json!({"url": receiver.url(), "events": []}), "events", "required");
        refused(
            json!({"url": receiver.url(), "events": ["client.updated", "client.updated"]}),
            "events[1]",
            "duplicate",
        );
        refused(json!({"url": "", "events": ["client.updated"]}), "url", "invalid");
        refused(json!({"url": "ftp://127.0.0.1/x", "events": ["client.updated"]}), "url", "url.refused");
        refused(json!({"url": "/relative", "events": ["client.updated"]}), "url", "url.refused");
        let unknown_type = app.post(
            "/v1/webhooks",
            Some(&admin),
            &json!({"url": receiver.url(), "events": ["enrollment.exit"]}),
        );
        assert_problem(&unknown_type, 422, "validation.failed");
        let unknown_field = app.post(
            "/v1/webhooks",
            Some(&admin),
            &json!({"url": receiver.url(), "events": ["client.updated"], "secret": "mine"}),
        );
        assert_problem(&unknown_field, 422, "validation.failed");
        assert!(listed(app, &admin, "/v1/webhooks").is_empty());
    }
}

both_backends! {
    fn only_https_to_public_addresses_unless_private_ones_are_allowed(backend: Backend) {
        let app = TestApp::builder(backend).webhook_allow_private(false).spawn();
        let admin = app.admin_token();
        for url in [
            "http://127.0.0.1:9/hooks",
            "https://127.0.0.1:9/hooks",
            "https://localhost/hooks",
            "https://[::1]/hooks",
            "https://169.254.169.254/latest/meta-data",
            "https://192.168.1.1/hooks",
            "https://[::ffff:127.0.0.1]/hooks",
            "http://93.184.216.34/hooks",
        ] {
            let response = app.post(
                "/v1/webhooks",
                Some(&admin),
                &json!({"url": url, "events": ["client.updated"]}),
            );
            assert_invalid(&response, "url", "url.refused");
        }
        let created = app.post(
            "/v1/webhooks",
            Some(&admin),
            &json!({"url": PUBLIC_URL, "events": ["client.updated"], "active": false}),
        );
        created.assert_status(201);
        let path = format!("/v1/webhooks/{}", id_of(&created.body));
        assert_invalid(
            &app.patch(&path, Some(&admin), &json!({"url": "https://127.0.0.1/hooks"})),
            "url",
            "url.refused",
        );
        assert_invalid(&app.patch(&path, Some(&admin), &json!({"url": null})), "url", "required");
    }
}

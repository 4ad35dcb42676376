//! The deliverer: a thread in each server that claims due deliveries from the outbox
//! (`threshold_persistence::webhooks::claim`, one server at a time for each delivery, in
//! commit order per resource), sends each as a signed `POST` and records the attempt. A
//! non-2xx answer, a redirect (never followed) or no answer within the time-out is tried
//! again after an exponential delay with jitter (`threshold_domain::webhooks::retry_delay`)
//! until its attempts are spent; then the delivery is `failed`.
//!
//! A batch holds at most one delivery of each resource, so its deliveries are sent side by
//! side. A delivery is held (leased) for twice the time-out and a little more: long enough to
//! send it, short enough that a server killed while sending it leaves it to another soon.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use chrono::{SecondsFormat, TimeDelta};
use serde_json::{json, Value};
use threshold_domain::webhooks::{retry_delay, RECORD_ENTITIES};
use threshold_persistence::ids::OrganizationId;
use threshold_persistence::outbox::{self, EventRow};
use threshold_persistence::webhooks::{self, Claimed, Outcome};
use threshold_persistence::{write_transaction, Database, DbConnection, StoreError};
use ureq::unversioned::transport::DefaultConnector;

use super::address::GuardedResolver;
use super::signature::sign;
use crate::clock::{now, today};
use crate::error::ApiError;

/// How an event's stored resource becomes what its `GET` shows, to a subscription of this
/// owner (`None`: an admin's); the HTTP layer, which owns the views, provides it.
pub type ShowEvent =
    fn(&mut DbConnection, &EventRow, Option<OrganizationId>) -> Result<Value, ApiError>;

/// The deliverer's settings (`threshold serve`'s `--webhook-*`).
#[derive(Debug, Clone, Copy)]
pub struct DeliverySettings {
    /// Deliver to loopback and private addresses, and over plain `http`.
    pub allow_private: bool,
    /// How long the deliverer sleeps when nothing is due.
    pub poll: Duration,
    /// The first delay before a failed delivery is tried again; each next one doubles.
    pub retry_base: Duration,
    /// How long a receiver has to answer.
    pub timeout: Duration,
}

impl DeliverySettings {
    fn lease(&self) -> Duration {
        self.timeout * 2 + Duration::from_secs(2)
    }
}

/// Deliveries claimed at once, and so sent side by side at most.
const BATCH: i64 = 8;

/// The deliverer of one server: started with the server, stopped with it.
pub struct Deliverer {
    pub settings: DeliverySettings,
    stop: Arc<(Mutex<bool>, Condvar)>,
}

impl Deliverer {
    pub fn new(settings: DeliverySettings) -> Deliverer {
        Deliverer {
            settings,
            stop: Arc::new((Mutex::new(false), Condvar::new())),
        }
    }

    /// Starts the thread that delivers, until [`Deliverer::stop`].
    pub fn start(&self, db: &Database, show: ShowEvent) -> std::io::Result<()> {
        let worker = Worker {
            db: db.clone(),
            settings: self.settings,
            show,
            stop: Arc::clone(&self.stop),
            agent: agent(&self.settings),
            name: format!("server-{}", uuid::Uuid::now_v7()),
        };
        std::thread::Builder::new()
            .name("threshold-webhooks".into())
            .spawn(move || worker.run())
            .map(|_| ())
    }

    /// Stops the thread once what it is sending is sent; what it has not sent waits in the
    /// outbox for the next server.
    pub fn stop(&self) {
        let (stopped, wake) = &*self.stop;
        *stopped
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = true;
        wake.notify_all();
    }
}

fn agent(settings: &DeliverySettings) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(settings.timeout))
        .proxy(None)
        .build();
    ureq::Agent::with_parts(
        config,
        DefaultConnector::default(),
        GuardedResolver {
            allow_private: settings.allow_private,
        },
    )
}

struct Worker {
    db: Database,
    settings: DeliverySettings,
    show: ShowEvent,
    stop: Arc<(Mutex<bool>, Condvar)>,
    agent: ureq::Agent,
    /// Who holds the deliveries this server claims.
    name: String,
}

impl Worker {
    fn run(&self) {
        while !self.stopped() {
            match self.claim() {
                Ok(claimed) if claimed.is_empty() => self.sleep(self.settings.poll),
                Ok(claimed) => std::thread::scope(|scope| {
                    for delivery in claimed {
                        scope.spawn(move || self.deliver(delivery));
                    }
                }),
                Err(error) => {
                    tracing::warn!(%error, "webhook deliveries could not be claimed");
                    self.sleep(self.settings.poll.max(Duration::from_secs(1)));
                }
            }
        }
    }

    fn stopped(&self) -> bool {
        *self
            .stop
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sleeps `pause`, or less when stopped meanwhile.
    fn sleep(&self, pause: Duration) {
        let (stopped, wake) = &*self.stop;
        let guard = stopped
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let _ = wake
            .wait_timeout_while(guard, pause, |stopped| !*stopped)
            .map_err(|poisoned| poisoned.into_inner());
    }

    fn claim(&self) -> Result<Vec<Claimed>, StoreError> {
        let mut conn = self.db.get()?;
        let at = now();
        let until = at + TimeDelta::from_std(self.settings.lease()).unwrap_or(TimeDelta::MAX);
        if !webhooks::any_due(&mut conn, at)? {
            return Ok(Vec::new());
        }
        write_transaction(&mut conn, |conn| {
            webhooks::claim(conn, at, until, &self.name, BATCH)
        })
    }

    fn deliver(&self, claimed: Claimed) {
        let delivery_id = claimed.delivery.id;
        let outcome = match self.db.get() {
            Ok(mut conn) => self.attempt(&mut conn, &claimed),
            Err(error) => {
                tracing::warn!(%error, "a webhook delivery found no database connection");
                return;
            }
        };
        let recorded = self.db.get().and_then(|mut conn| {
            write_transaction(&mut conn, |conn| {
                webhooks::record_attempt(conn, delivery_id, &self.name, &outcome)
            })
        });
        if let Err(error) = recorded {
            // The lease runs out and the delivery is sent again: at least once.
            tracing::warn!(%error, delivery_id = %delivery_id, "a webhook attempt was not recorded");
        }
    }

    /// Sends one delivery, unless its owner may no longer see what it tells of.
    fn attempt(&self, conn: &mut DbConnection, claimed: &Claimed) -> Outcome {
        let Claimed {
            delivery,
            webhook,
            event,
        } = claimed;
        let started = Instant::now();
        let at = now();
        let retry_at = |attempts: i32| {
            let attempt = u32::try_from(attempts).unwrap_or(0).saturating_add(1);
            let delay = retry_delay(self.settings.retry_base, attempt, jitter());
            Some(at + TimeDelta::from_std(delay).unwrap_or(TimeDelta::MAX))
        };
        let given_up = |error: String| Outcome {
            at,
            status_code: None,
            error: Some(error),
            duration_ms: 0,
            delivered: false,
            retry_at: None,
        };
        let visible = outbox::may_see(
            conn,
            webhook.organization_id,
            event.organization_id,
            event.client_id,
            today().naive(),
        );
        match visible {
            Ok(true) => {}
            Ok(false) => {
                return given_up(
                    "not sent: the subscription's organization may no longer see this resource"
                        .into(),
                )
            }
            Err(error) => {
                return Outcome {
                    retry_at: retry_at(delivery.attempts),
                    ..given_up(format!("not sent: {error}"))
                }
            }
        }
        let data = match (self.show)(conn, event, webhook.organization_id) {
            Ok(data) => data,
            Err(error) => return given_up(format!("not sent: {error}")),
        };
        let body = message(event, data).to_string();
        let id = event.id.to_string();
        let timestamp = chrono::Utc::now().timestamp();
        let signature = sign(&webhook.secret, &id, timestamp, body.as_bytes());
        let sent = self
            .agent
            .post(&webhook.url)
            .header("content-type", "application/json")
            .header("user-agent", "Threshold-Webhooks/1")
            .header("webhook-id", &id)
            .header("webhook-timestamp", &timestamp.to_string())
            .header("webhook-signature", &signature)
            .send(body.as_bytes());
        let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        match sent {
            Ok(response) => {
                let status = response.status();
                let delivered = status.is_success();
                Outcome {
                    at,
                    status_code: Some(i32::from(status.as_u16())),
                    error: match () {
                        _ if delivered => None,
                        _ if status.is_redirection() => {
                            Some("a redirect, which is not followed".into())
                        }
                        _ => Some(format!("answered {}", status.as_u16())),
                    },
                    duration_ms,
                    delivered,
                    retry_at: if delivered {
                        None
                    } else {
                        retry_at(delivery.attempts)
                    },
                }
            }
            Err(error) => Outcome {
                at,
                status_code: None,
                error: Some(match error {
                    ureq::Error::Timeout(_) => {
                        format!("no answer within {} s", self.settings.timeout.as_secs_f64())
                    }
                    other => other.to_string(),
                }),
                duration_ms,
                delivered: false,
                retry_at: retry_at(delivery.attempts),
            },
        }
    }
}

/// A draw in 0..1 for a delay's jitter.
fn jitter() -> f64 {
    let bits = getrandom::u64().unwrap_or_else(|_| u64::from(std::process::id()));
    // The 53 bits a double holds.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// The JSON a delivery sends: the event's ID, type and time, and the resource as its `GET`
/// shows it; a record's event also names the kind of record (`record_type`).
fn message(event: &EventRow, data: Value) -> Value {
    let mut message = json!({
        "id": event.id,
        "type": event.event_type,
        "occurred_at": event
            .occurred_at
            .and_utc()
            .to_rfc3339_opts(SecondsFormat::Micros, true),
        "data": data,
    });
    if RECORD_ENTITIES.contains(&event.entity_type.as_str()) {
        message["record_type"] = json!(event.entity_type);
    }
    message
}

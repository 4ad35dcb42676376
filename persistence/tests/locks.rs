//! Scoped locks on a real PostgreSQL server: a lock that comes after every lock held is waited
//! for; one that comes before is only tried, and when another transaction holds it the
//! transaction runs again taking it first, in order, so two writes that want the same two
//! scopes in opposite orders never deadlock. Advisory locks need no tables: these run on the
//! server's `postgres` database, on scopes of fresh IDs.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

use threshold_persistence::db::{DatabaseUrl, DbConnection};
use threshold_persistence::ids::Id;
use threshold_persistence::locks::{self, hold, hold_all, holds, Mode, Scope};
use threshold_persistence::{write_transaction, StoreError};

const POSTGRES_URL_VAR: &str = "THRESHOLD_TEST_POSTGRES_URL";
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

fn connect() -> DbConnection {
    let url = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| DEFAULT_POSTGRES_URL.into());
    DatabaseUrl::parse(&url)
        .expect("a PostgreSQL URL")
        .connect()
        .expect("PostgreSQL answers")
}

/// Runs `work` in a write transaction on a thread of its own and keeps the transaction open
/// until told to let go; answers, once `work` has run, what it returned and the channel that
/// lets go.
fn open_elsewhere<T: Send + 'static>(
    mut work: impl FnMut(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
) -> (T, mpsc::Sender<()>, thread::JoinHandle<()>) {
    let (done, ready) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let holder = thread::spawn(move || {
        let mut conn = connect();
        write_transaction(&mut conn, |conn| -> Result<(), StoreError> {
            done.send(work(conn)?).expect("the test waits");
            let _ = released.recv();
            Ok(())
        })
        .expect("done and let go");
    });
    let answer = ready
        .recv_timeout(Duration::from_secs(10))
        .expect("the transaction did its work");
    (answer, release, holder)
}

/// Holds `scopes` in a write transaction of its own until told to let go; answers the
/// channel that lets go, once they are held.
fn held_elsewhere(scopes: Vec<(Scope, Mode)>) -> (mpsc::Sender<()>, thread::JoinHandle<()>) {
    let (_, release, holder) = open_elsewhere(move |conn| hold_all(conn, scopes.clone()));
    (release, holder)
}

/// How far the change feed may list now.
fn horizon(conn: &mut DbConnection) -> chrono::NaiveDateTime {
    locks::changes_horizon(conn)
        .expect("the horizon")
        .expect("PostgreSQL has one")
}

/// The change feed's horizon is one for the whole database, and these tests share the
/// server's `postgres` database: one test's open transaction holds back another's horizon,
/// so the tests that read it take turns.
static FEED: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// While a transaction that stamped `first` (with `stamp`) is open the feed stops short of
/// it, and once it has committed the feed goes past it.
fn assert_feed_waits_for(
    stamp: impl FnMut(&mut DbConnection) -> Result<chrono::NaiveDateTime, StoreError> + Send + 'static,
) {
    let _turn = FEED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (first, release, writer) = open_elsewhere(stamp);
    let mut reader = connect();
    let open = horizon(&mut reader);
    assert!(
        open <= first,
        "the feed would list changes up to {open} while one stamped {first} is still to commit"
    );
    drop(release);
    writer.join().expect("the writer committed");
    assert!(
        horizon(&mut reader) > first,
        "the horizon moves on once the writer committed"
    );
}

#[test]
fn a_lock_out_of_order_held_elsewhere_is_taken_first_on_the_next_attempt() {
    let household = Scope::Household(Id::new());
    let client = Scope::Client(Id::new());
    let (release, holder) = held_elsewhere(vec![(household, Mode::Exclusive)]);

    let attempts = Arc::new(AtomicU32::new(0));
    let (done, finished) = mpsc::channel();
    let writer = thread::spawn({
        let attempts = attempts.clone();
        move || {
            let mut conn = connect();
            let result = write_transaction(&mut conn, |conn| -> Result<(), StoreError> {
                attempts.fetch_add(1, Ordering::SeqCst);
                // The client first, then the household, which comes before it.
                hold(conn, client, Mode::Exclusive)?;
                hold(conn, household, Mode::Exclusive)?;
                assert!(holds(client) && holds(household));
                Ok(())
            });
            let _ = done.send(result.is_ok());
        }
    });

    // The out-of-order try failed, and the next attempt waits for the household in order.
    assert!(
        finished.recv_timeout(Duration::from_millis(700)).is_err(),
        "the writer went on while another transaction held the household"
    );
    drop(release);
    holder.join().expect("the holder let go");
    assert_eq!(
        finished.recv_timeout(Duration::from_secs(10)),
        Ok(true),
        "the writer took both locks once the household was free"
    );
    writer.join().expect("the writer ended");
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}

#[test]
fn two_writes_wanting_two_scopes_in_opposite_orders_both_finish() {
    for _ in 0..5 {
        let program = Scope::Program(Id::new());
        let client = Scope::Client(Id::new());
        let barrier = std::sync::Barrier::new(2);
        thread::scope(|scope| {
            let writers: Vec<_> = [[program, client], [client, program]]
                .into_iter()
                .map(|order| {
                    let barrier = &barrier;
                    scope.spawn(move || {
                        let mut conn = connect();
                        write_transaction(&mut conn, |conn| -> Result<(), StoreError> {
                            hold(conn, order[0], Mode::Exclusive)?;
                            barrier_once(barrier);
                            thread::sleep(Duration::from_millis(50));
                            hold(conn, order[1], Mode::Exclusive)?;
                            thread::sleep(Duration::from_millis(20));
                            Ok(())
                        })
                    })
                })
                .collect();
            for writer in writers {
                writer
                    .join()
                    .expect("a writer ended")
                    .expect("both writes finish, neither deadlocked nor refused");
            }
        });
    }
}

/// Waits for the other writer the first time only: a run again goes straight on.
fn barrier_once(barrier: &std::sync::Barrier) {
    thread_local! {
        static WAITED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if !WAITED.with(|waited| waited.replace(true)) {
        barrier.wait();
    }
}

#[test]
fn shared_locks_let_each_other_through_and_stop_an_exclusive_one() {
    let organization = Scope::Organization(Id::new());
    let (release, holder) = held_elsewhere(vec![(organization, Mode::Shared)]);
    let mut conn = connect();
    write_transaction(&mut conn, |conn| -> Result<(), StoreError> {
        hold(conn, organization, Mode::Shared)
    })
    .expect("a second shared hold goes through");
    let (done, finished) = mpsc::channel();
    let exclusive = thread::spawn(move || {
        let mut conn = connect();
        let result = write_transaction(&mut conn, |conn| -> Result<(), StoreError> {
            hold(conn, organization, Mode::Exclusive)
        });
        let _ = done.send(result.is_ok());
    });
    assert!(
        finished.recv_timeout(Duration::from_millis(700)).is_err(),
        "an exclusive hold went through a shared one"
    );
    drop(release);
    holder.join().expect("the holder let go");
    assert_eq!(finished.recv_timeout(Duration::from_secs(10)), Ok(true));
    exclusive.join().expect("the exclusive writer ended");
}

#[test]
fn the_change_feed_stops_short_of_a_running_transaction_s_first_stamp() {
    assert_feed_waits_for(|conn| {
        let first =
            threshold_persistence::clock::tick(conn, chrono::DateTime::UNIX_EPOCH.naive_utc())?;
        let second =
            threshold_persistence::clock::tick(conn, chrono::DateTime::UNIX_EPOCH.naive_utc())?;
        assert!(second > first, "a transaction's own stamps rise");
        Ok(first)
    });
}

/// The HMIS import lends its transaction's connection to a thread of its own, which stamps
/// the enrollments it stores: those stamps hold the feed back too.
#[test]
fn the_change_feed_stops_short_of_stamps_taken_on_a_lent_connection() {
    assert_feed_waits_for(|conn| {
        let first = thread::scope(|scope| {
            scope
                .spawn(|| {
                    threshold_persistence::clock::reserve(
                        conn,
                        chrono::DateTime::UNIX_EPOCH.naive_utc(),
                        1_000,
                    )
                })
                .join()
                .expect("the lent connection's thread")
        })?;
        Ok(first.expect("a thousand stamps"))
    });
}

#[test]
fn thousands_of_scopes_are_taken_at_once() {
    // More than one statement's target list holds (1,664 in PostgreSQL): a write storing
    // the completeness of thousands of households locks them all.
    let scopes: Vec<(Scope, Mode)> = (0..2500)
        .map(|_| (Scope::Household(Id::new()), Mode::Exclusive))
        .collect();
    let mut conn = connect();
    write_transaction(&mut conn, |conn| -> Result<(), StoreError> {
        assert!(hold_all(conn, scopes.clone())?);
        assert!(scopes.iter().all(|(scope, _)| holds(*scope)));
        Ok(())
    })
    .expect("every lock taken");
}

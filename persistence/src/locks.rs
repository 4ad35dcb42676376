//! Locks scoped to what a write's rules read, so that writes which share nothing never wait
//! for each other, in every server process at once.
//!
//! A write transaction on PostgreSQL takes, before it reads what a rule checks, the
//! transaction-scoped advisory lock of each scope the rule reads:
//!
//! - a **client**: every write to one of the client's enrollments, records, assessments or
//!   the client itself (the overlap of a client's stays in a program, `client.has_enrollments`,
//!   assessment linkage, records inside their enrollment);
//! - a **household**: every write that reads or changes who is in it or their roles and
//!   dates (one head, members inside the head's stay, move-in);
//! - a **program**: every write that adds to its active enrollments while it has a capacity;
//! - an **organization**, shared: every write that reads its reference data (programs,
//!   grants, staff) for a rule; exclusive: every write of that reference data, and an HMIS
//!   import into the organization.
//!
//! Locks are taken in one global order (organizations, then programs, households, clients,
//! each by ID), so two writes never deadlock: a lock is waited for only when it comes after
//! every lock the transaction holds. One that comes earlier is only tried; when it is taken
//! elsewhere the transaction rolls back and runs again, this time taking it first, in order.
//!
//! SQLite has one writer at a time (`BEGIN IMMEDIATE`): there a lock is only noted.
//!
//! Every write transaction on PostgreSQL also takes the writer lock, one advisory lock of the
//! whole installation: shared with scoped locks (the default), so that it stops nothing;
//! exclusive with [`WriteLocks::Global`], one writer at a time, every scope held at once. A
//! process of either kind, or of a release before scoped locks (which took the writer lock
//! exclusively), is therefore safe beside any other on one database.
//!
//! The change feed's order is kept without a lock (see `changes_horizon`): a transaction
//! that stamps enrollments first announces, as a shared advisory lock keyed by the instant it
//! starts stamping, that changes from that instant on may still come; the feed stops short of
//! the earliest such instant.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Timestamp};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{ClientId, HouseholdId, OrganizationId, ProgramId};

/// How write transactions lock on PostgreSQL, for the whole process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteLocks {
    /// Each write locks what its rules read; writes that share nothing run side by side.
    Scoped,
    /// One writer at a time: each write holds the writer lock exclusively.
    Global,
}

static GLOBAL: AtomicBool = AtomicBool::new(false);

/// Sets how this process's write transactions lock (scoped unless told otherwise).
pub fn use_write_locks(locks: WriteLocks) {
    GLOBAL.store(locks == WriteLocks::Global, Ordering::Relaxed);
}

/// An arbitrary constant naming Threshold's writer lock among PostgreSQL advisory locks
/// (the one-key form; a key far outside the instants the change feed announces).
const WRITER_LOCK: i64 = 0x7468_7277_7269_7465;

/// The statement that takes the writer lock at the start of a write transaction.
pub(crate) fn writer_lock_statement() -> String {
    if GLOBAL.load(Ordering::Relaxed) {
        format!("SELECT pg_advisory_xact_lock({WRITER_LOCK})")
    } else {
        format!("SELECT pg_advisory_xact_lock_shared({WRITER_LOCK})")
    }
}

/// What a rule reads, as a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Organization(OrganizationId),
    Program(ProgramId),
    Household(HouseholdId),
    Client(ClientId),
}

/// Whether other writes may hold the same scope at the same time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// Reads what the scope protects: other readers go on, writers of it wait.
    Shared,
    /// Reads and changes what the scope protects.
    Exclusive,
}

impl Scope {
    /// The scope's advisory lock: two 32-bit keys from its kind and ID. The one-key form
    /// (a 64-bit key) is left to the change feed's announcements.
    pub fn keys(self) -> (i32, i32) {
        let (kind, id): (u64, uuid::Uuid) = match self {
            Scope::Client(id) => (1, id.uuid()),
            Scope::Household(id) => (2, id.uuid()),
            Scope::Program(id) => (3, id.uuid()),
            Scope::Organization(id) => (4, id.uuid()),
        };
        let (high, low) = id.as_u64_pair();
        // Fixed across processes and releases (no random hasher): a collision only makes
        // two unrelated scopes wait for each other.
        let folded = (high ^ low.rotate_left(29) ^ kind.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .wrapping_mul(0xBF58_476D_1CE4_E5B9);
        let folded = folded ^ (folded >> 31);
        ((folded >> 32) as u32 as i32, folded as u32 as i32)
    }
}

/// The locks of the write transaction running on this thread.
#[derive(Debug, Default)]
struct Held {
    postgres: bool,
    /// The writer lock is held exclusively: every scope is.
    everything: bool,
    held: BTreeMap<Scope, Mode>,
    /// Taken first, in order, when the transaction runs again: every lock held when one
    /// could not be taken in order, and that one.
    plan: BTreeMap<Scope, Mode>,
    /// Whether the transaction has announced that it stamps enrollments.
    announced: bool,
    /// The transaction's last stamp: the next is later, so its own changes keep their order.
    last_stamp: Option<NaiveDateTime>,
}

thread_local! {
    static WRITE: RefCell<Option<Held>> = const { RefCell::new(None) };
}

/// The locks a write transaction learned it needs first, carried from one attempt to the
/// next.
#[derive(Debug, Default)]
pub(crate) struct Plan(BTreeMap<Scope, Mode>);

/// Marks the start of a write transaction on this thread and takes the planned locks in
/// order; the transaction's locks are forgotten when the answer is dropped (or finished).
/// Whether this thread is in a write transaction.
pub(crate) fn in_write() -> bool {
    WRITE.with(|write| write.borrow().is_some())
}

pub(crate) fn begin(conn: &mut DbConnection, plan: &Plan) -> (Running, Result<(), StoreError>) {
    let postgres = matches!(conn, DbConnection::Postgresql(_));
    WRITE.with(|write| {
        *write.borrow_mut() = Some(Held {
            postgres,
            everything: postgres && GLOBAL.load(Ordering::Relaxed),
            ..Held::default()
        })
    });
    let taken = plan
        .0
        .iter()
        .try_for_each(|(scope, mode)| hold(conn, *scope, *mode));
    (Running, taken)
}

/// A write transaction running on this thread, as far as its locks go.
pub(crate) struct Running;

impl Running {
    /// Ends the transaction's locks: the plan for a next attempt.
    pub(crate) fn finish(self) -> Plan {
        let held = WRITE.with(|write| write.borrow_mut().take());
        Plan(held.map(|held| held.plan).unwrap_or_default())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        WRITE.with(|write| write.borrow_mut().take());
    }
}

/// Takes the lock of `scope` in the running write transaction before its rules read what
/// the scope protects; nothing outside a write transaction (a read needs no lock).
///
/// Fails as `Busy` (the transaction runs again, taking the lock first) when the lock comes
/// before one already held and another transaction holds it.
pub fn hold(conn: &mut DbConnection, scope: Scope, mode: Mode) -> Result<(), StoreError> {
    enum Next {
        Nothing,
        Wait,
        Try,
    }
    let next = WRITE.with(|write| {
        let mut write = write.borrow_mut();
        let Some(held) = write.as_mut() else {
            return Next::Nothing;
        };
        if held.everything {
            return Next::Nothing;
        }
        if held.held.get(&scope).is_some_and(|have| *have >= mode) {
            return Next::Nothing;
        }
        if !held.postgres {
            held.held.insert(scope, mode);
            return Next::Nothing;
        }
        // In order: after every lock held, and not making a shared lock exclusive.
        let in_order =
            !held.held.contains_key(&scope) && held.held.keys().all(|taken| *taken < scope);
        if in_order {
            Next::Wait
        } else {
            Next::Try
        }
    });
    let DbConnection::Postgresql(pg) = conn else {
        return Ok(());
    };
    let (high, low) = scope.keys();
    let taken = match (next, mode) {
        (Next::Nothing, _) => return Ok(()),
        (Next::Wait, Mode::Exclusive) => {
            run_lock(
                pg,
                "SELECT pg_advisory_xact_lock($1, $2) IS NULL AS taken",
                high,
                low,
            )?;
            true
        }
        (Next::Wait, Mode::Shared) => {
            run_lock(
                pg,
                "SELECT pg_advisory_xact_lock_shared($1, $2) IS NULL AS taken",
                high,
                low,
            )?;
            true
        }
        (Next::Try, Mode::Exclusive) => run_lock(
            pg,
            "SELECT pg_try_advisory_xact_lock($1, $2) AS taken",
            high,
            low,
        )?,
        (Next::Try, Mode::Shared) => run_lock(
            pg,
            "SELECT pg_try_advisory_xact_lock_shared($1, $2) AS taken",
            high,
            low,
        )?,
    };
    WRITE.with(|write| {
        if let Some(held) = write.borrow_mut().as_mut() {
            if taken {
                held.held.insert(scope, mode);
            } else {
                let mut plan = held.held.clone();
                plan.insert(scope, mode);
                held.plan = plan;
            }
        }
    });
    if taken {
        Ok(())
    } else {
        Err(StoreError::Busy)
    }
}

/// Takes the locks of several scopes, in the global order: in one statement when they all
/// come after the locks held. Answers whether a lock was newly waited for (a write that read
/// what a lock protects before taking it must read it again; never on SQLite).
pub fn hold_all(
    conn: &mut DbConnection,
    scopes: impl IntoIterator<Item = (Scope, Mode)>,
) -> Result<bool, StoreError> {
    let mut wanted: BTreeMap<Scope, Mode> = BTreeMap::new();
    for (scope, mode) in scopes {
        let entry = wanted.entry(scope).or_insert(mode);
        *entry = (*entry).max(mode);
    }
    let (new, in_order) = WRITE.with(|write| {
        let write = write.borrow();
        let Some(held) = write.as_ref() else {
            return (Vec::new(), true);
        };
        if held.everything {
            return (Vec::new(), true);
        }
        let new: Vec<(Scope, Mode)> = wanted
            .into_iter()
            .filter(|(scope, mode)| held.held.get(scope).is_none_or(|have| have < mode))
            .collect();
        let in_order = !held.postgres
            || new
                .first()
                .is_none_or(|(first, _)| held.held.keys().all(|taken| taken < first));
        (new, in_order)
    });
    if new.is_empty() {
        return Ok(false);
    }
    match conn {
        DbConnection::Postgresql(pg) if in_order => {
            // The target list is evaluated from left to right: the locks are taken in order.
            let calls: Vec<String> = new
                .iter()
                .map(|(scope, mode)| {
                    let (high, low) = scope.keys();
                    let function = match mode {
                        Mode::Shared => "pg_advisory_xact_lock_shared",
                        Mode::Exclusive => "pg_advisory_xact_lock",
                    };
                    format!("{function}({high}, {low})")
                })
                .collect();
            // At most a thousand a statement (PostgreSQL's target lists hold 1,664).
            for chunk in calls.chunks(1000) {
                diesel::sql_query(format!("SELECT {}", chunk.join(", "))).execute(pg)?;
            }
            WRITE.with(|write| {
                if let Some(held) = write.borrow_mut().as_mut() {
                    held.held.extend(new.iter().copied());
                }
            });
        }
        DbConnection::Postgresql(_) => {
            for (scope, mode) in new {
                hold(conn, scope, mode)?;
            }
        }
        // One writer at a time already: what was read stands.
        DbConnection::Sqlite(_) => {
            for (scope, mode) in new {
                hold(conn, scope, mode)?;
            }
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether the running write transaction holds `scope` (always true outside one).
pub fn holds(scope: Scope) -> bool {
    WRITE.with(|write| {
        write
            .borrow()
            .as_ref()
            .is_none_or(|held| held.everything || held.held.contains_key(&scope))
    })
}

#[derive(QueryableByName)]
struct Taken {
    #[diesel(sql_type = Bool)]
    taken: bool,
}

fn run_lock(
    pg: &mut diesel::PgConnection,
    statement: &str,
    high: i32,
    low: i32,
) -> Result<bool, StoreError> {
    Ok(diesel::sql_query(statement)
        .bind::<Integer, _>(high)
        .bind::<Integer, _>(low)
        .get_result::<Taken>(pg)?
        .taken)
}

/// On PostgreSQL, announces once per write transaction, before its first stamp, that it
/// stamps enrollments: a shared advisory lock keyed by the database's clock now, in
/// microseconds since 1970, held until the transaction ends. Every stamp the transaction
/// takes afterwards reads the clock again, so it is no earlier than the key.
pub(crate) fn announce_changes(pg: &mut diesel::PgConnection) -> Result<(), StoreError> {
    let announced = WRITE.with(|write| {
        let mut write = write.borrow_mut();
        match write.as_mut() {
            Some(held) => std::mem::replace(&mut held.announced, true),
            // Not known here: a write transaction lent to another thread (the import's
            // connection thread), or none at all, where the lock ends with the statement.
            // Announcing again costs a statement and moves no announced instant later.
            None => false,
        }
    });
    if !announced {
        diesel::sql_query(
            "SELECT pg_advisory_xact_lock_shared(\
             floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint) IS NULL AS taken",
        )
        .get_result::<Taken>(pg)?;
    }
    Ok(())
}

/// The last stamp the running write transaction took, if any.
pub(crate) fn last_stamp() -> Option<NaiveDateTime> {
    WRITE.with(|write| write.borrow().as_ref().and_then(|held| held.last_stamp))
}

/// Notes the last stamp the running write transaction took.
pub(crate) fn stamped(at: NaiveDateTime) {
    WRITE.with(|write| {
        if let Some(held) = write.borrow_mut().as_mut() {
            held.last_stamp = Some(at);
        }
    });
}

#[derive(QueryableByName)]
struct Horizon {
    #[diesel(sql_type = Timestamp)]
    at: NaiveDateTime,
}

/// The instant before which every change is committed or will never come, on PostgreSQL:
/// the earliest instant announced by a transaction still running, or the start of this
/// statement when none is. The feed must read the changes before it in a later statement
/// (a later snapshot), outside a transaction. On SQLite, writers take turns: `None`.
pub fn changes_horizon(conn: &mut DbConnection) -> Result<Option<NaiveDateTime>, StoreError> {
    let DbConnection::Postgresql(pg) = conn else {
        return Ok(None);
    };
    // `statement_timestamp()` is read before the lock table is; announcements are one-key
    // advisory locks (`objsubid` 1) of this database with keys that are instants.
    let horizon = diesel::sql_query(
        "SELECT LEAST(statement_timestamp() AT TIME ZONE 'UTC', \
             (SELECT TIMESTAMP '1970-01-01' + min((classid::bigint << 32) | objid::bigint) \
                     * INTERVAL '1 microsecond' \
              FROM pg_locks \
              WHERE locktype = 'advisory' AND objsubid = 1 AND granted \
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                AND ((classid::bigint << 32) | objid::bigint) BETWEEN $1 AND $2)) AS at",
    )
    // Keys outside these years are some other program's advisory locks (or the writer lock).
    .bind::<BigInt, _>(946_684_800_000_000_i64)
    .bind::<BigInt, _>(7_258_118_400_000_000_i64)
    .get_result::<Horizon>(pg)?;
    Ok(Some(horizon.at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Id;

    #[test]
    fn scopes_sort_organizations_first_then_programs_households_clients() {
        let client = Scope::Client(Id::new());
        let household = Scope::Household(Id::new());
        let program = Scope::Program(Id::new());
        let organization = Scope::Organization(Id::new());
        let mut scopes = vec![organization, program, client, household];
        scopes.sort();
        assert_eq!(scopes, vec![organization, program, household, client]);
        assert!(Mode::Shared < Mode::Exclusive);
    }

    #[test]
    fn keys_are_fixed_and_tell_kinds_apart() {
        let id: uuid::Uuid = "0192f0c4-8a4e-7c3b-9d2e-5f6a7b8c9d0e".parse().unwrap();
        let client = Scope::Client(Id::from_uuid(id));
        assert_eq!(client.keys(), Scope::Client(Id::from_uuid(id)).keys());
        assert_ne!(client.keys(), Scope::Program(Id::from_uuid(id)).keys());
        assert_ne!(client.keys(), Scope::Household(Id::from_uuid(id)).keys());
        assert_ne!(
            Scope::Program(Id::from_uuid(id)).keys(),
            Scope::Organization(Id::from_uuid(id)).keys()
        );
        // The same in every process and release: a changed fold would let an old and a new
        // server take different locks for one scope.
        assert_eq!(client.keys(), (-2_146_875_119, 1_942_961_355));
    }

    #[test]
    fn outside_a_write_transaction_nothing_is_held_or_needed() {
        assert!(holds(Scope::Client(Id::new())));
    }
}

//! `threshold seed`: realistic synthetic data that keeps every rule of the contract, written
//! straight into the database (SQLite or PostgreSQL) a batch of clients at a time, so memory
//! stays bounded however many are asked for.
//!
//! What to create is decided apart from the database ([`Generator`]), from one seeded
//! generator: the same `--random-seed`, client count and day give the same rows, IDs
//! included. Timestamps are those of the run, and enrollments take theirs from the change
//! clock, as every write does. Seeded rows have no audit events.

mod chance;
mod hud;
mod names;
mod people;
mod records;
mod reference;
mod stays;

#[cfg(test)]
mod tests;

use chrono::NaiveDateTime;
use threshold_domain::Date;
use threshold_persistence::db::DatabaseUrl;
use threshold_persistence::rows::Stamp;
use threshold_persistence::seed::{self as store, SeedRows};
use threshold_persistence::{migrations, StoreError};

use self::chance::{minus_days, Chance};
pub use self::reference::Reference;

/// Clients made and written per transaction.
pub const BATCH_CLIENTS: u32 = 1_000;

/// Who the reference data is recorded as created by; clients and everything about their
/// stays name the case manager instead.
pub const SEEDER: &str = "threshold seed";

/// Stays fall within this many days before the seed's day.
const WINDOW_DAYS: u32 = 5 * 365 + 1;

/// One batch's rows, in the order they are written.
pub type Batch = SeedRows;

#[derive(Debug, Clone)]
pub struct Options {
    pub clients: u32,
    pub random_seed: u64,
    /// The day the data is made as of: nothing is dated after it.
    pub today: Date,
    /// The share of the stays, in percent (1-99), that enter one program (the first
    /// organization's emergency shelter): a program with years of busy history, for its
    /// roster. `None`: each program its usual share.
    pub busiest_program_percent: Option<u32>,
}

/// Rows written so far, per table, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts(pub [(&'static str, u64); 10]);

impl Counts {
    fn new() -> Counts {
        Counts(SeedRows::default().counts())
    }

    fn add(&mut self, written: &[(&'static str, u64); 10]) {
        for (total, (_, count)) in self.0.iter_mut().zip(written) {
            total.1 += count;
        }
    }

    /// The count of one table.
    pub fn of(&self, table: &str) -> u64 {
        self.0
            .iter()
            .find(|(name, _)| *name == table)
            .map_or(0, |(_, count)| *count)
    }

    pub fn rows(&self) -> u64 {
        self.0.iter().map(|(_, count)| count).sum()
    }
}

/// The seed's data, made a batch at a time without touching the database.
pub struct Generator {
    chance: Chance,
    reference: Reference,
    clients: u32,
    made: u32,
    today: Date,
    at: NaiveDateTime,
}

impl Generator {
    /// The rows are stamped `at`.
    pub fn new(options: &Options, at: NaiveDateTime) -> Generator {
        let midnight = options.today.naive().and_time(chrono::NaiveTime::MIN);
        let id_base_millis = u64::try_from(midnight.and_utc().timestamp_millis()).unwrap_or(0);
        let mut chance = Chance::new(options.random_seed, id_base_millis);
        let stamp = Stamp {
            at,
            by: SEEDER.to_owned(),
        };
        let mut reference =
            reference::reference(&mut chance, options.clients, options.today, &stamp);
        if let Some(percent) = options.busiest_program_percent {
            reference.make_busiest(percent);
        }
        Generator {
            chance,
            reference,
            clients: options.clients,
            made: 0,
            today: options.today,
            at,
        }
    }

    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// The next [`BATCH_CLIENTS`] clients (fewer at the end) with their stays, or `None`
    /// once every client is made.
    pub fn next_batch(&mut self) -> Option<Batch> {
        if self.made >= self.clients {
            return None;
        }
        let target = (self.made + BATCH_CLIENTS).min(self.clients);
        let context = stays::Context {
            reference: &self.reference,
            today: self.today,
            window_start: minus_days(self.today, WINDOW_DAYS),
            at: self.at,
        };
        let stamp = Stamp {
            at: self.at,
            by: SEEDER.to_owned(),
        };
        let mut batch = Batch::default();
        while self.made < target {
            let family = people::family(&mut self.chance, self.today, &stamp, target - self.made);
            self.made += family.len() as u32;
            stays::family_stays(&mut self.chance, &context, family, &mut batch);
        }
        Some(batch)
    }
}

/// Migrates, then writes the reference data and every batch, each in a transaction of its
/// own; `progress` hears the counts so far after each. On PostgreSQL the tables are analyzed
/// at the end.
pub fn run(
    database_url: &str,
    options: &Options,
    progress: &dyn Fn(&Counts),
) -> Result<Counts, StoreError> {
    migrations::run_pending(database_url)?;
    let mut conn = DatabaseUrl::parse(database_url)?.connect()?;
    let at = crate::clock::now();
    let mut generator = Generator::new(options, at);
    let mut reference = generator.reference().rows();
    if store::organization_exists(&mut conn, reference.organizations[0].id)? {
        return Err(StoreError::Config(format!(
            "this database already holds the data of --random-seed {} for this day: pick \
             another seed",
            options.random_seed
        )));
    }
    store::write(&mut conn, &mut reference, at)?;
    let mut counts = Counts::new();
    counts.add(&reference.counts());
    progress(&counts);
    // The next batch is made while the database takes this one; one waits at most, so
    // memory stays bounded.
    let (sender, batches) = std::sync::mpsc::sync_channel(1);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            while let Some(batch) = generator.next_batch() {
                if sender.send(batch).is_err() {
                    break;
                }
            }
        });
        for mut batch in batches {
            store::write(&mut conn, &mut batch, at)?;
            counts.add(&batch.counts());
            progress(&counts);
        }
        Ok::<(), StoreError>(())
    })?;
    store::analyze(&mut conn)?;
    Ok(counts)
}

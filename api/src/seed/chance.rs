//! The seed's one source of chance: a seeded generator, so a `--random-seed` always gives the
//! same data, and the identifiers drawn from it.

use chrono::Days;
use threshold_domain::codes::CodeList;
use threshold_domain::Date;
use threshold_persistence::ids::Id;
use uuid::Builder;

pub struct Chance {
    rng: fastrand::Rng,
    id_base_millis: u64,
    ids_made: u64,
}

impl Chance {
    /// IDs count up from `id_base_millis` (a UNIX time in milliseconds).
    pub fn new(seed: u64, id_base_millis: u64) -> Chance {
        Chance {
            rng: fastrand::Rng::with_seed(seed),
            id_base_millis,
            ids_made: 0,
        }
    }

    /// A UUID v7 as the API writes it. Its time part counts up from the base, one millisecond
    /// per 4,096 IDs, with the count in the 12 bits below, so a record made later sorts later
    /// (as IDs made by the API do) and the same seed gives the same IDs.
    pub fn id<K>(&mut self) -> Id<K> {
        let count = self.ids_made;
        self.ids_made += 1;
        let mut bytes = [0_u8; 10];
        bytes[0] = ((count >> 8) & 0x0f) as u8;
        bytes[1] = (count & 0xff) as u8;
        for byte in &mut bytes[2..] {
            *byte = self.rng.u8(..);
        }
        Builder::from_unix_timestamp_millis(self.id_base_millis + (count >> 12), &bytes)
            .into_uuid()
            .into()
    }

    /// True `percent` times in a hundred.
    pub fn percent(&mut self, percent: u32) -> bool {
        self.rng.u32(0..100) < percent
    }

    /// A number from `low` to `high`, both included.
    pub fn between(&mut self, low: u32, high: u32) -> u32 {
        if high <= low {
            return low;
        }
        self.rng.u32(low..=high)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.usize(..items.len())]
    }

    /// One of the values, each as likely as its weight says.
    pub fn weighted<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        let total: u32 = table.iter().map(|(_, weight)| weight).sum();
        let mut roll = self.rng.u32(..total.max(1));
        for (value, weight) in table {
            if roll < *weight {
                return *value;
            }
            roll -= weight;
        }
        table[table.len() - 1].0
    }

    /// A HUD code drawn from a weighted table of codes of list `C`.
    pub fn code<C: CodeList>(&mut self, table: &[(i32, u32)]) -> C {
        let code = self.weighted(table);
        C::try_from(code).unwrap_or_else(|error| {
            panic!("a seed table holds {error} (the seed's unit tests check every table)")
        })
    }

    /// A day from `first` to `last`, both included (`first` when `last` is earlier).
    pub fn day_between(&mut self, first: Date, last: Date) -> Date {
        let span = u32::try_from(first.days_until(last)).unwrap_or(0);
        plus_days(first, self.between(0, span))
    }

    /// `count` decimal digits.
    pub fn digits(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| char::from(b'0' + self.rng.u8(0..10)))
            .collect()
    }
}

/// `days` after `date`.
pub fn plus_days(date: Date, days: u32) -> Date {
    date.naive()
        .checked_add_days(Days::new(u64::from(days)))
        .map_or(date, Date::from)
}

/// `days` before `date`.
pub fn minus_days(date: Date, days: u32) -> Date {
    date.naive()
        .checked_sub_days(Days::new(u64::from(days)))
        .map_or(date, Date::from)
}

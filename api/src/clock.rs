//! The time every write stamps and every date rule compares with.

use chrono::{NaiveDateTime, Utc};
use threshold_domain::Date;

/// Now, to the microsecond both backends keep.
pub fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    now.with_nanosecond_micros()
}

trait MicrosOnly {
    fn with_nanosecond_micros(self) -> Self;
}

impl MicrosOnly for NaiveDateTime {
    fn with_nanosecond_micros(self) -> Self {
        use chrono::Timelike;
        let micros = self.nanosecond() / 1_000 * 1_000;
        self.with_nanosecond(micros).unwrap_or(self)
    }
}

/// Today in UTC: no date a request gives may come after it (persistence's, which stored
/// completeness is answered for).
pub fn today() -> Date {
    threshold_persistence::clock::today()
}

//! Keyset pagination: a page of rows and whether more follow.

/// One page of a list: at most `limit` rows after the cursor, and whether more follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub more: bool,
}

impl<T> Page<T> {
    /// Makes a page from a query that asked for `limit + 1` rows.
    pub fn from_probe(mut rows: Vec<T>, limit: i64) -> Page<T> {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        Page { rows, more }
    }
}

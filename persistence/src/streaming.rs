//! Streaming reads, for the export and the reports: a query's rows handed over one at a time.

/// Runs `$query` as one streaming read and hands each row to `$each` as it arrives.
/// PostgreSQL sends the rows as it finds them (row-by-row mode) and goes on finding more
/// while the caller writes the ones it has; SQLite steps its statement. Either way only the
/// row at hand is held, and the query is planned once, not once per batch. `$query` is
/// written once and built for each backend.
macro_rules! stream {
    ($conn:expr, $query:expr, $each:expr) => {{
        let mut each = $each;
        match $conn {
            $crate::db::DbConnection::Postgresql(pg) => {
                let rows = $query
                    .load_iter::<_, diesel::pg::PgRowByRowLoadingMode>(pg)
                    .map_err($crate::error::StoreError::from)?;
                for row in rows {
                    each(row.map_err($crate::error::StoreError::from)?)?;
                }
            }
            $crate::db::DbConnection::Sqlite(sqlite) => {
                let rows = $query
                    .load_iter::<_, diesel::connection::DefaultLoadingMode>(sqlite)
                    .map_err($crate::error::StoreError::from)?;
                for row in rows {
                    each(row.map_err($crate::error::StoreError::from)?)?;
                }
            }
        }
        Ok(())
    }};
}

//! Statements over many rows: how many a statement takes, and a multi-row insert that
//! compiles through the `DbConnection` enum (COPY on PostgreSQL). And [`on_backend`], for
//! the reads that run on every request.

/// Rows per statement: tables have at most 32 columns (diesel's `32-column-tables`), so an
/// INSERT binds at most 32,000 values, under SQLite's limit of 32,766 and PostgreSQL's of
/// 65,535; an `IN` list of ids binds 1,000.
pub const ROWS_PER_STATEMENT: usize = 1000;

/// Inserts `$rows` (a slice) into `$table`, `ROWS_PER_STATEMENT` rows per statement.
macro_rules! insert_rows {
    ($conn:expr, $table:path, $rows:expr) => {{
        let rows = $rows;
        match $conn {
            $crate::db::DbConnection::Postgresql(conn) => {
                if !rows.is_empty() {
                    diesel::copy_from($table)
                        .from_insertable(rows)
                        .execute(conn)?;
                }
            }
            $crate::db::DbConnection::Sqlite(conn) => {
                for chunk in rows.chunks($crate::multi_row::ROWS_PER_STATEMENT) {
                    diesel::insert_into($table).values(chunk).execute(conn)?;
                }
            }
        }
        Ok::<(), $crate::error::StoreError>(())
    }};
}
pub(crate) use insert_rows;

/// Runs `$body` with `$backend` bound to the backend's own connection (PostgreSQL's or
/// SQLite's), each arm compiled for its backend. Through the `DbConnection` enum diesel
/// writes a query's SQL again for every execution, even a static query whose prepared
/// statement it finds by type; on the backend's own connection it does not. For the reads
/// behind every request; everything else goes through the enum.
///
/// Such a read of one row by its key loads it without `first()`: SQLite (3.45 and later)
/// plans `LIMIT ?` with the value bound to it, and so prepares the statement again at every
/// execution (`sqlite3Reprepare` under `sqlite3_step`, a parse per request).
macro_rules! on_backend {
    ($conn:expr, |$backend:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgresql($backend) => $body,
            $crate::db::DbConnection::Sqlite($backend) => $body,
        }
    };
}
pub(crate) use on_backend;

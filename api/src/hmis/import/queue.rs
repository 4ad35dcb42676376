//! The import's one connection, on a thread of its own, given its work in order: while the
//! database stores a batch of records, the import decides and builds the next one on its own
//! thread (on PostgreSQL the two take about as long as each other). Each piece of work runs
//! after everything handed over before it, so a read sees every write handed over before it,
//! as if the import wrote as it went.

use std::sync::mpsc::{self, Receiver, SyncSender};

use threshold_persistence::{DbConnection, StoreError};

/// Pieces of work handed over and not yet run: enough to keep the database busy while the
/// next batch is built, few enough that the batches waiting stay small.
const WAITING: usize = 3;

type Work<'env> = Box<dyn FnOnce(&mut DbConnection) -> Result<(), Stopped> + Send + 'env>;

/// Where an import hands its connection's work.
pub struct Queue<'env> {
    work: SyncSender<Work<'env>>,
}

/// Why the connection's thread stopped early.
enum Stopped {
    /// A write failed: the error is reported once the queue is finished.
    Write(StoreError),
    /// A read failed: its error went to the reader.
    Read,
}

/// The error a piece of work handed over after the connection stopped gets; [`run`] reports
/// the error that stopped it instead.
fn stopped() -> StoreError {
    StoreError::Config("the import's connection stopped after an error".into())
}

impl<'env> Queue<'env> {
    /// Hands over a write. An error it meets is reported by [`run`], and every later piece of
    /// work is dropped.
    pub fn write(
        &self,
        work: impl FnOnce(&mut DbConnection) -> Result<(), StoreError> + Send + 'env,
    ) -> Result<(), StoreError> {
        self.work
            .send(Box::new(move |conn| work(conn).map_err(Stopped::Write)))
            .map_err(|_| stopped())
    }

    /// Runs a read once everything handed over before it has run, and waits for its answer.
    pub fn read<T: Send + 'env>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'env,
    ) -> Result<T, StoreError> {
        let (answer, answered) = mpsc::sync_channel(1);
        self.work
            .send(Box::new(move |conn| {
                let read = work(conn);
                let failed = read.is_err();
                // The reader waits for the answer: only a reader gone already misses it.
                let _ = answer.send(read);
                if failed {
                    Err(Stopped::Read)
                } else {
                    Ok(())
                }
            }))
            .map_err(|_| stopped())?;
        answered.recv().map_err(|_| stopped())?
    }
}

/// Runs `import` on this thread with a [`Queue`] whose work runs on `conn` on a second one,
/// until `import` has returned and everything handed over has run. A write's error wins
/// over what `import` answered, which can only follow from it.
pub fn run<'env, T>(
    conn: &'env mut DbConnection,
    import: impl FnOnce(&Queue<'env>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    std::thread::scope(|scope| {
        let (work, waiting) = mpsc::sync_channel(WAITING);
        let connection = scope.spawn(move || run_all(conn, waiting));
        let queue = Queue { work };
        let imported = import(&queue);
        // No more work: the thread runs what waits and ends.
        drop(queue);
        match connection.join() {
            Ok(Err(Stopped::Write(error))) => Err(error),
            Ok(Ok(()) | Err(Stopped::Read)) => imported,
            Err(_) => Err(StoreError::Config(
                "the import's connection thread panicked".into(),
            )),
        }
    })
}

fn run_all(conn: &mut DbConnection, waiting: Receiver<Work<'_>>) -> Result<(), Stopped> {
    for work in waiting {
        work(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use threshold_persistence::db::DatabaseUrl;

    use super::*;

    fn connection() -> DbConnection {
        DatabaseUrl::parse("sqlite://:memory:")
            .and_then(|url| url.connect())
            .expect("an in-memory database")
    }

    fn push(done: &Mutex<Vec<i32>>, step: i32) -> Result<(), StoreError> {
        done.lock().unwrap().push(step);
        Ok(())
    }

    #[test]
    fn work_runs_in_the_order_handed_over() {
        let mut conn = connection();
        let done = Mutex::new(Vec::new());
        let seen = run(&mut conn, |queue| {
            let done = &done;
            for step in 0..10 {
                queue.write(move |_| push(done, step))?;
            }
            let seen = queue.read(|_| Ok(done.lock().unwrap().clone()))?;
            queue.write(|_| push(done, 10))?;
            Ok(seen)
        })
        .unwrap();
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
        assert_eq!(done.into_inner().unwrap(), (0..11).collect::<Vec<_>>());
    }

    #[test]
    fn a_failed_write_stops_the_rest_and_is_the_answer() {
        let mut conn = connection();
        let done = Mutex::new(Vec::new());
        let answer = run(&mut conn, |queue| {
            let done = &done;
            queue.write(|_| push(done, 1))?;
            queue.write(|_| Err(StoreError::Config("the write failed".into())))?;
            // Handed over before or after the thread stopped: either way it never runs.
            let _ = queue.write(|_| push(done, 2));
            let read = queue.read(|_| push(done, 3));
            assert!(read.is_err());
            Ok(())
        });
        assert_eq!(
            answer.unwrap_err().to_string(),
            "bad database configuration: the write failed"
        );
        assert_eq!(done.into_inner().unwrap(), [1]);
    }

    #[test]
    fn a_failed_read_is_answered_to_its_reader() {
        let mut conn = connection();
        let answer: Result<(), StoreError> = run(&mut conn, |queue| {
            queue.read(|_| Err::<(), _>(StoreError::Config("the read failed".into())))
        });
        assert_eq!(
            answer.unwrap_err().to_string(),
            "bad database configuration: the read failed"
        );
    }
}

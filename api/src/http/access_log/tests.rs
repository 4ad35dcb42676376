use std::collections::BTreeSet;
use std::sync::atomic::AtomicUsize;
use std::sync::Condvar;

use threshold_persistence::ids::EntityId;

use super::*;

/// An access whose entity ID tells it apart: the `number`th of thread `thread`.
fn access(thread: u128, number: u128) -> Access {
    Access {
        at: now(),
        actor: format!("reader-{thread}"),
        organization_id: None,
        client_id: ClientId::new(),
        entity_type: "enrollment",
        entity_id: EntityId::from_uuid(uuid::Uuid::from_u128((thread << 64) | number)),
    }
}

/// The batches a log wrote, in their order.
#[derive(Clone, Default)]
struct Written(Arc<Mutex<Vec<Vec<Access>>>>);

impl Written {
    /// A writer that keeps every batch, after `failures` failed attempts.
    fn writer(&self, failures: usize) -> WriteBatch {
        let written = self.clone();
        let failed = AtomicUsize::new(0);
        Box::new(move |accesses: &[Access]| {
            if failed.fetch_add(1, Ordering::SeqCst) < failures {
                return Err(StoreError::Config("the database is away".into()));
            }
            written.batches().push(accesses.to_vec());
            Ok(())
        })
    }

    fn batches(&self) -> std::sync::MutexGuard<'_, Vec<Vec<Access>>> {
        self.0.lock().unwrap()
    }

    fn ids(&self) -> Vec<EntityId> {
        self.batches()
            .iter()
            .flatten()
            .map(|access| access.entity_id)
            .collect()
    }
}

/// Batching that never writes a partial batch on its own within a test's time: only a
/// full batch, a flush or the close writes.
fn patient(max_events: usize) -> Batching {
    Batching {
        capacity: 64,
        max_events,
        delay: Duration::from_secs(3600),
    }
}

#[test]
fn accesses_from_many_threads_are_written_in_batches_and_the_rest_at_close() {
    let written = Written::default();
    let log = Arc::new(AccessLog::with_writer(patient(50), written.writer(0)).unwrap());
    let threads: Vec<_> = (0..4u128)
        .map(|thread| {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for number in 0..501 {
                    log.record(access(thread, number));
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    // 2,004 accesses: 40 full batches at most before the close; the last few wait for it.
    let started = Instant::now();
    log.close();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "the close waited"
    );

    let ids = written.ids();
    let expected: BTreeSet<EntityId> = (0..4u128)
        .flat_map(|thread| (0..501).map(move |number| access(thread, number).entity_id))
        .collect();
    assert_eq!(ids.len(), expected.len(), "each access written once");
    assert_eq!(ids.into_iter().collect::<BTreeSet<_>>(), expected);
    let batches = written.batches();
    assert!(batches.iter().all(|batch| batch.len() <= 50));
    assert!(batches.len() >= 2004 / 50, "{} batches", batches.len());
    // Each thread's accesses in the order it queued them.
    for thread in 0..4u128 {
        let numbers: Vec<u128> = batches
            .iter()
            .flatten()
            .map(|access| access.entity_id.uuid().as_u128())
            .filter(|id| id >> 64 == thread)
            .map(|id| id & u128::from(u64::MAX))
            .collect();
        assert_eq!(numbers, (0..501).collect::<Vec<_>>(), "thread {thread}");
    }
}

#[test]
fn a_flush_writes_what_is_queued_without_waiting_for_the_batch() {
    let written = Written::default();
    let log = AccessLog::with_writer(patient(1000), written.writer(0)).unwrap();
    for number in 0..3 {
        log.record(access(0, number));
    }
    assert!(log.flush());
    assert_eq!(written.ids().len(), 3);
    assert!(log.flush(), "a flush of nothing");
    log.record(access(0, 3));
    drop(log);
    assert_eq!(written.ids().len(), 4, "dropping the log closes it");
}

#[test]
fn a_failed_write_is_tried_again_until_it_succeeds() {
    let written = Written::default();
    let log = AccessLog::with_writer(patient(10), written.writer(2)).unwrap();
    for number in 0..25 {
        log.record(access(0, number));
    }
    assert!(log.flush());
    assert_eq!(written.ids().len(), 25, "nothing lost, nothing twice");
    log.close();
}

#[test]
fn at_close_a_failing_write_is_given_up_after_a_few_attempts() {
    let log = AccessLog::with_writer(
        patient(10),
        Box::new(|_: &[Access]| Err(StoreError::Config("the database is away".into()))),
    )
    .unwrap();
    for number in 0..25 {
        log.record(access(0, number));
    }
    let started = Instant::now();
    log.close();
    // Two full batches were being tried again since before the close; at the close each
    // failed write is tried three times at most, with short waits between.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "closing took {:?}",
        started.elapsed()
    );
    assert!(!log.flush(), "a closed log flushes nothing");
}

#[test]
fn a_full_queue_makes_a_reader_wait_and_loses_nothing() {
    let written = Written::default();
    // The writer holds its first batch until the gate opens.
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let (started_writing, writing) = mpsc::channel();
    let mut inner = written.writer(0);
    let held = Arc::clone(&gate);
    let writer: WriteBatch = Box::new(move |accesses: &[Access]| {
        let _ = started_writing.send(());
        let (open, opened) = &*held;
        let mut open = open.lock().unwrap();
        while !*open {
            open = opened.wait(open).unwrap();
        }
        inner(accesses)
    });
    let batching = Batching {
        capacity: 2,
        max_events: 1,
        delay: Duration::ZERO,
    };
    let log = Arc::new(AccessLog::with_writer(batching, writer).unwrap());
    let reading = Arc::new(AtomicBool::new(true));
    let reader = {
        let log = Arc::clone(&log);
        let reading = Arc::clone(&reading);
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                for number in 0..10 {
                    log.viewed(access(0, number)).await;
                }
            });
            reading.store(false, Ordering::SeqCst);
        })
    };
    writing.recv().unwrap();
    // One access in the writer's hands and two queued: the reader waits for room. Given
    // time to finish, it has not.
    std::thread::sleep(Duration::from_millis(200));
    assert!(reading.load(Ordering::SeqCst), "the reader did not wait");
    let (open, opened) = &*gate;
    *open.lock().unwrap() = true;
    opened.notify_all();
    reader.join().unwrap();
    log.close();
    assert_eq!(
        written.ids(),
        (0..10)
            .map(|number| access(0, number).entity_id)
            .collect::<Vec<_>>()
    );
}

//! The access log: every read of one of a client's records answered 200 is recorded as a
//! `viewed` audit event of the client, off the read's path. The read only queues a small
//! [`Access`] on a bounded channel; one thread takes what is queued and writes it in
//! batches, each one write transaction of multi-row inserts on the primary. Nothing is
//! dropped: a full queue makes the reader wait for room, a failed write is tried again, and
//! closing the log, once the server has stopped, writes everything still queued.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::{JoinHandle, Thread};
use std::time::{Duration, Instant};

use actix_web::web;
use threshold_persistence::audit::{self, Access, Audited};
use threshold_persistence::ids::{ClientId, OrganizationId};
use threshold_persistence::{write_transaction, Database, StoreError};

use crate::auth::Caller;
use crate::clock::now;

/// Who reads: the caller's `sub` and organization, taken before the read, which takes the
/// caller along.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    actor: String,
    organization_id: Option<OrganizationId>,
}

impl Viewer {
    pub fn of(caller: &Caller) -> Viewer {
        Viewer {
            actor: caller.sub.clone(),
            organization_id: caller.org,
        }
    }

    /// The viewer's read of `record`, one of the records of the client `client_id`, now.
    pub fn access<R: Audited>(self, client_id: ClientId, record: &R) -> Access {
        Access::of(record, client_id, self.actor, self.organization_id, now())
    }
}

impl From<&Caller> for Viewer {
    fn from(caller: &Caller) -> Viewer {
        Viewer::of(caller)
    }
}

/// How the log queues and batches accesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batching {
    /// Accesses the queue holds before readers wait for room.
    pub capacity: usize,
    /// The most accesses one transaction writes: SQLite has one writer at a time, and a
    /// short transaction keeps the requests' writes from waiting long.
    pub max_events: usize,
    /// How long the writer gathers accesses after the first of a batch before it writes
    /// them (sooner when `max_events` are waiting).
    pub delay: Duration,
}

impl Default for Batching {
    fn default() -> Batching {
        Batching {
            capacity: 65_536,
            max_events: 2_000,
            delay: Duration::from_millis(100),
        }
    }
}

/// What the writer is sent.
#[derive(Debug, Clone)]
enum Message {
    Viewed(Access),
    /// Answered once everything queued before it is written (or given up at closing).
    Flush(mpsc::Sender<()>),
    /// The last message: write what is left, and end.
    Close,
}

/// Writes one batch of accesses, in one transaction; an error means none was written.
pub type WriteBatch = Box<dyn FnMut(&[Access]) -> Result<(), StoreError> + Send>;

/// The queue of accesses and the thread that writes them (see the module's comment).
pub struct AccessLog {
    sender: SyncSender<Message>,
    /// Set when the log closes: a write that fails from then on is given up after a few
    /// attempts rather than tried until it succeeds.
    closing: Arc<AtomicBool>,
    /// The writer's thread, to wake it from a wait (a flush, the close).
    thread: Thread,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl AccessLog {
    /// The log of a server on `db`, writing to its primary what it gathered for `delay`.
    pub fn start(db: Database, delay: Duration) -> std::io::Result<AccessLog> {
        let batching = Batching {
            delay,
            ..Batching::default()
        };
        AccessLog::with_writer(batching, Box::new(move |accesses| write_to(&db, accesses)))
    }

    /// A log that writes each batch with `write` (tests give one of their own).
    pub fn with_writer(batching: Batching, write: WriteBatch) -> std::io::Result<AccessLog> {
        let (sender, receiver) = mpsc::sync_channel(batching.capacity.max(1));
        let closing = Arc::new(AtomicBool::new(false));
        let writer = Writer {
            receiver,
            write,
            batching,
            closing: Arc::clone(&closing),
            attempts_closing: 0,
            lost: 0,
        };
        let writer = std::thread::Builder::new()
            .name("threshold-access-log".into())
            .spawn(move || writer.run())?;
        Ok(AccessLog {
            sender,
            closing,
            thread: writer.thread().clone(),
            writer: Mutex::new(Some(writer)),
        })
    }

    /// Queues an access, for a handler once its read succeeded. Costs a channel send; when
    /// the queue is full (the writer is behind, or the database down) it waits for room on
    /// a blocking thread, so the worker goes on serving other requests.
    pub async fn viewed(&self, access: Access) {
        let message = match self.sender.try_send(Message::Viewed(access)) {
            Ok(()) => return,
            Err(TrySendError::Full(message)) => message,
            Err(TrySendError::Disconnected(message)) => return unrecorded(message),
        };
        let sender = self.sender.clone();
        let sent = message.clone();
        match web::block(move || sender.send(sent)).await {
            Ok(Ok(())) => {}
            Ok(Err(mpsc::SendError(message))) => unrecorded(message),
            // No blocking thread ran it (the runtime is stopping): wait here instead.
            Err(_) => {
                if let Err(mpsc::SendError(message)) = self.sender.send(message) {
                    unrecorded(message);
                }
            }
        }
    }

    /// Queues an access, waiting for room when the queue is full: for a caller that may
    /// block (not an HTTP worker, which calls [`AccessLog::viewed`]).
    pub fn record(&self, access: Access) {
        if let Err(mpsc::SendError(message)) = self.sender.send(Message::Viewed(access)) {
            unrecorded(message);
        }
    }

    /// Waits until every access queued before the call is written. False when the log
    /// closed first or gave some up.
    pub fn flush(&self) -> bool {
        let (done, written) = mpsc::channel();
        if self.sender.send(Message::Flush(done)).is_err() {
            return false;
        }
        self.thread.unpark();
        written.recv().is_ok()
    }

    /// Writes everything queued and ends the writer, waiting for it: once the server has
    /// stopped, before the process ends. A write that fails now is tried a few more times,
    /// then given up with an error naming how many accesses were not written. Accesses
    /// queued after it are logged as errors, never written. Closing twice does nothing.
    pub fn close(&self) {
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(handle) = writer.take() else {
            return;
        };
        self.closing.store(true, Ordering::SeqCst);
        // Cuts short a wait between failed attempts.
        self.thread.unpark();
        // After everything queued: the writer writes all of it before it ends.
        let _ = self.sender.send(Message::Close);
        self.thread.unpark();
        if handle.join().is_err() {
            tracing::error!("the access log's writer panicked; accesses may be missing");
        }
    }
}

impl Drop for AccessLog {
    fn drop(&mut self) {
        self.close();
    }
}

/// An access that can no longer be queued: the log has closed. Logged whole, so that the
/// read is on record somewhere.
fn unrecorded(message: Message) {
    if let Message::Viewed(access) = message {
        tracing::error!(
            actor = %access.actor,
            client_id = %access.client_id,
            entity_type = access.entity_type,
            entity_id = %access.entity_id,
            at = %access.at,
            "an access after the access log closed was not written"
        );
    }
}

/// One batch, in one write transaction on the primary.
fn write_to(db: &Database, accesses: &[Access]) -> Result<(), StoreError> {
    let written = db.get().and_then(|mut connection| {
        write_transaction(&mut connection, |conn| audit::viewed(conn, accesses))
    });
    if written.is_err() {
        // Connections are tested before they are handed out again, for a while.
        db.suspect();
    }
    written
}

/// How often the writer looks at the queue while it gathers a batch.
const LOOK_EVERY: Duration = Duration::from_millis(10);

/// Attempts at a write once the log is closing, before the accesses are given up.
const ATTEMPTS_CLOSING: u32 = 3;

/// The wait before the next attempt at a write that failed `attempt` times: doubling from
/// 50 ms up to 5 s.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(50u64.saturating_mul(1 << attempt.min(7)).min(5_000))
}

/// The writer's thread.
struct Writer {
    receiver: Receiver<Message>,
    write: WriteBatch,
    batching: Batching,
    closing: Arc<AtomicBool>,
    /// Failed attempts since the log began closing.
    attempts_closing: u32,
    /// Accesses given up at closing.
    lost: usize,
}

impl Writer {
    fn run(mut self) {
        let mut batch = Vec::with_capacity(self.batching.max_events);
        let mut flushes = Vec::new();
        let mut closed = false;
        while !closed {
            // Every sender gone is a close too: nothing more can come.
            closed = match self.receiver.recv() {
                Ok(message) => take(message, &mut batch, &mut flushes),
                Err(_) => true,
            };
            // Gathers for the delay, looking at the queue now and then: waiting on the queue
            // itself would wake this thread, and make the read that sent it wake it, once
            // for every access.
            let deadline = Instant::now() + self.batching.delay;
            loop {
                while !closed && flushes.is_empty() && batch.len() < self.batching.max_events {
                    closed = match self.receiver.try_recv() {
                        Ok(message) => take(message, &mut batch, &mut flushes),
                        Err(TryRecvError::Empty) => break,
                        Err(TryRecvError::Disconnected) => true,
                    };
                }
                let now = Instant::now();
                if closed
                    || !flushes.is_empty()
                    || batch.len() >= self.batching.max_events
                    || now >= deadline
                {
                    break;
                }
                // A flush or the close cuts it short.
                std::thread::park_timeout(LOOK_EVERY.min(deadline - now));
            }
            if closed {
                // Anything sent after the close, which only a read answered after the
                // server stopped could be: written too rather than dropped with the queue.
                while let Ok(message) = self.receiver.try_recv() {
                    take(message, &mut batch, &mut flushes);
                }
            }
            for chunk in batch.chunks(self.batching.max_events) {
                self.write(chunk);
            }
            batch.clear();
            for flush in flushes.drain(..) {
                // Not answered when accesses were given up: the flush did not happen.
                if self.lost == 0 {
                    let _ = flush.send(());
                }
            }
        }
        if self.lost > 0 {
            tracing::error!(
                count = self.lost,
                "the access log closed with accesses it could not write: they are lost"
            );
        }
    }

    /// Writes `accesses`, trying again after a failure until it succeeds, or, once the log
    /// is closing, until it failed a few more times.
    fn write(&mut self, accesses: &[Access]) {
        let mut attempt = 0;
        loop {
            if self.attempts_closing >= ATTEMPTS_CLOSING {
                self.lost += accesses.len();
                return;
            }
            let error = match (self.write)(accesses) {
                Ok(()) => return,
                Err(error) => error,
            };
            attempt += 1;
            // Closing, the waits start short again: the process is about to end.
            let wait = if self.closing.load(Ordering::SeqCst) {
                self.attempts_closing += 1;
                backoff(self.attempts_closing)
            } else {
                backoff(attempt)
            };
            tracing::warn!(
                %error,
                attempt,
                count = accesses.len(),
                "the access log could not write accesses; it tries again"
            );
            if self.attempts_closing < ATTEMPTS_CLOSING {
                std::thread::park_timeout(wait);
            }
        }
    }
}

/// Adds a message to the batch or the flushes waiting on it; answers whether it was the
/// close.
fn take(message: Message, batch: &mut Vec<Access>, flushes: &mut Vec<mpsc::Sender<()>>) -> bool {
    match message {
        Message::Viewed(access) => batch.push(access),
        Message::Flush(done) => flushes.push(done),
        Message::Close => return true,
    }
    false
}

#[cfg(test)]
mod tests;

//! The ZIP written on a thread of its own. Deflating takes about as long as reading the rows
//! and writing them as CSV, so the two run side by side: the export hands its CSV bytes over
//! a short channel (a few chunks, so memory stays bounded) and the other thread compresses
//! them into the archive.

use std::cell::{Cell, RefCell};
use std::io::{self, Write};
use std::rc::Rc;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::ExportError;

/// CSV bytes handed over at a time.
const CHUNK_BYTES: usize = 64 * 1024;

/// Chunks waiting for the compressing thread.
const CHUNKS_IN_FLIGHT: usize = 4;

/// Deflate level: 2 compresses these CSV files nearly as well as the default 6 (about 23%
/// of their size against 21%) in about two thirds of the time.
const DEFLATE_LEVEL: i64 = 2;

pub(super) enum Message {
    /// Starts the file of this name; what follows is its content.
    Start(String),
    Bytes(Vec<u8>),
    /// Everything was written: the archive may be completed.
    Finish,
}

/// The writing end: CSV bytes for the archive, buffered into chunks. Files are started
/// through a shared reference, the one the CSV writer in front of it lends.
pub(super) struct ZipSender {
    sender: SyncSender<Message>,
    buffer: RefCell<Vec<u8>>,
}

/// A ZIP archive being written into `out` by its own thread, until `finish` is called.
pub(super) fn channel() -> (ZipSender, Receiver<Message>) {
    let (sender, receiver) = sync_channel(CHUNKS_IN_FLIGHT);
    (
        ZipSender {
            sender,
            buffer: RefCell::new(Vec::with_capacity(CHUNK_BYTES)),
        },
        receiver,
    )
}

impl ZipSender {
    /// Starts the next file in the archive.
    pub(super) fn start_file(&self, name: String) -> io::Result<()> {
        self.send_buffer()?;
        self.send(Message::Start(name))
    }

    /// Asks for the archive to be completed (its central directory written).
    pub(super) fn finish(&self) -> io::Result<()> {
        self.send_buffer()?;
        self.send(Message::Finish)
    }

    fn send_buffer(&self) -> io::Result<()> {
        let chunk = {
            let mut buffer = self.buffer.borrow_mut();
            if buffer.is_empty() {
                return Ok(());
            }
            std::mem::replace(&mut *buffer, Vec::with_capacity(CHUNK_BYTES))
        };
        self.send(Message::Bytes(chunk))
    }

    fn send(&self, message: Message) -> io::Result<()> {
        // The other end is gone only once it failed: its error is the one reported.
        self.sender
            .send(message)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the ZIP writer stopped"))
    }
}

impl Write for ZipSender {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let buffer = self.buffer.get_mut();
        buffer.extend_from_slice(bytes);
        if buffer.len() >= CHUNK_BYTES {
            self.send_buffer()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes the archive into `out` from what the sender sends, and answers `out` once the
/// sender has finished it, or nothing when the sender went away without finishing (the
/// export failed, and says why): the archive is then left incomplete.
pub(super) fn write_archive<W: Write>(
    out: W,
    receiver: Receiver<Message>,
) -> Result<Option<W>, ExportError> {
    let open = Rc::new(Cell::new(true));
    let mut zip = ZipWriter::new_stream(Gate {
        out,
        open: Rc::clone(&open),
    });
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(DEFLATE_LEVEL))
        .large_file(false);
    let abandoned = loop {
        let Ok(message) = receiver.recv() else {
            break Ok(None);
        };
        let written = match message {
            Message::Start(name) => zip.start_file(name, options).map_err(ExportError::from),
            Message::Bytes(bytes) => zip.write_all(&bytes).map_err(ExportError::from),
            Message::Finish => {
                let gate = zip.finish()?.into_inner();
                return Ok(Some(gate.out));
            }
        };
        if let Err(error) = written {
            break Err(error);
        }
    };
    open.set(false);
    drop(zip);
    abandoned
}

/// `out`, until the archive is abandoned: from then on nothing reaches it. A `ZipWriter`
/// dropped unfinished writes its central directory (and complains on stderr when it cannot),
/// and a failed export must not end in what looks like a whole archive.
struct Gate<W> {
    out: W,
    open: Rc<Cell<bool>>,
}

impl<W: Write> Write for Gate<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.open.get() {
            self.out.write(bytes)
        } else {
            Ok(bytes.len())
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.open.get() {
            self.out.flush()
        } else {
            Ok(())
        }
    }
}

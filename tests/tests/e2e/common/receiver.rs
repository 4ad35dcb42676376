//! A webhook receiver on loopback, as an integrator would run one: a small HTTP server that
//! checks each delivery's Standard Webhooks signature (401 when it does not verify), keeps
//! what it was sent, and answers as the test tells it: 204, a failure, a redirect, nothing
//! for a while (a hang), or not at all (gone, its port closed, until it comes back).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// How the receiver answers the next deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// 204.
    Accept,
    /// This status code.
    Fail(u16),
    /// A 302 to another URL, which must not be followed.
    Redirect,
    /// No answer until released ([`Receiver::release`]): a hang.
    Hang,
}

/// One delivery as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: Value,
    /// Whether the signature verified with the subscription's secret.
    pub verified: bool,
    /// What the receiver answered (0: nothing in time, it hung).
    pub answered: u16,
}

impl Received {
    pub fn event_type(&self) -> &str {
        self.body["type"].as_str().unwrap_or("")
    }
}

#[derive(Default)]
struct State {
    secret: Option<String>,
    /// The answers to give, one per delivery, before `then`.
    script: Vec<Answer>,
    then: Option<Answer>,
    received: Vec<Received>,
    /// Deliveries being held by a hang.
    hanging: usize,
    released: bool,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

/// A running receiver. Dropping it stops it.
pub struct Receiver {
    address: SocketAddr,
    shared: Arc<Shared>,
    running: Option<Arc<AtomicBool>>,
}

impl Receiver {
    /// A receiver on a free port of 127.0.0.1 that accepts everything.
    pub fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on 127.0.0.1");
        let address = listener.local_addr().expect("the receiver's address");
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                then: Some(Answer::Accept),
                ..State::default()
            }),
            changed: Condvar::new(),
        });
        let mut receiver = Receiver {
            address,
            shared,
            running: None,
        };
        receiver.serve(listener);
        receiver
    }

    /// The URL to subscribe.
    pub fn url(&self) -> String {
        format!("http://{}/hooks/threshold", self.address)
    }

    /// The secret the signatures are checked with (the create answer's).
    pub fn trust(&self, secret: &str) {
        self.lock().secret = Some(secret.to_owned());
    }

    /// Answers the next deliveries with `script`, one each, then with `then`.
    pub fn answer(&self, script: &[Answer], then: Answer) {
        let mut state = self.lock();
        state.script = script.to_vec();
        state.then = Some(then);
        state.released = false;
    }

    /// Lets every hanging delivery go, answering it 204.
    pub fn release(&self) {
        let mut state = self.lock();
        state.released = true;
        self.shared.changed.notify_all();
    }

    /// Closes the port: deliveries find nobody (connection refused) until [`Receiver::come_back`].
    pub fn go_away(&mut self) {
        if let Some(running) = self.running.take() {
            running.store(false, Ordering::SeqCst);
            // Wakes the accepting thread, which then drops the listener.
            let _ = TcpStream::connect(self.address);
        }
        // Wait until the port is closed.
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(self.address).is_ok() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Listens on the same port again.
    pub fn come_back(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let listener = loop {
            match TcpListener::bind(self.address) {
                Ok(listener) => break listener,
                Err(error) if Instant::now() < deadline => {
                    let _ = error;
                    thread::sleep(Duration::from_millis(20));
                }
                Err(error) => panic!(
                    "the receiver cannot listen on {} again: {error}",
                    self.address
                ),
            }
        };
        self.serve(listener);
    }

    /// Everything received so far, in the order it arrived.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// Waits (at most `within`) until what was received satisfies `done`; answers it.
    pub fn wait_for(&self, within: Duration, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let deadline = Instant::now() + within;
        let mut state = self.lock();
        loop {
            if done(&state.received) {
                return state.received.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "the receiver did not get what was awaited within {within:?}; it got: {:#?}",
                state
                    .received
                    .iter()
                    .map(|received| (received.event_type().to_owned(), received.answered))
                    .collect::<Vec<_>>()
            );
            state = self
                .shared
                .changed
                .wait_timeout(state, left.min(Duration::from_millis(100)))
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    /// Waits until `count` deliveries were answered 2xx; answers those, in order.
    pub fn wait_accepted(&self, count: usize, within: Duration) -> Vec<Received> {
        self.wait_for(within, |received| accepted(received).len() >= count);
        accepted(&self.received())
    }

    /// Waits until a delivery is held by a hang.
    pub fn wait_hanging(&self, within: Duration) {
        let deadline = Instant::now() + within;
        let mut state = self.lock();
        while state.hanging == 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "no delivery arrived to hang within {within:?}"
            );
            state = self
                .shared
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn serve(&mut self, listener: TcpListener) {
        let running = Arc::new(AtomicBool::new(true));
        self.running = Some(Arc::clone(&running));
        let shared = Arc::clone(&self.shared);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if !running.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&shared);
                thread::spawn(move || handle(&shared, stream));
            }
        });
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.release();
        if let Some(running) = self.running.take() {
            running.store(false, Ordering::SeqCst);
            let _ = TcpStream::connect(self.address);
        }
    }
}

/// The deliveries answered 2xx, in order.
pub fn accepted(received: &[Received]) -> Vec<Received> {
    received
        .iter()
        .filter(|received| (200..300).contains(&received.answered))
        .cloned()
        .collect()
}

/// Whether `signature` (`v1,<base64>`, possibly several separated by spaces) signs
/// `id.timestamp.body` with `secret` (`whsec_<base64 key>`).
pub fn verifies(secret: &str, id: &str, timestamp: &str, body: &[u8], signature: &str) -> bool {
    let Some(key) = secret
        .strip_prefix("whsec_")
        .and_then(|encoded| STANDARD.decode(encoded).ok())
    else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        return false;
    };
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    signature.split(' ').any(|given| given == expected)
}

fn handle(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(stream) => stream,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let length: usize = header("content-length").parse().unwrap_or(0);
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let (id, timestamp, signature) = (
        header("webhook-id"),
        header("webhook-timestamp"),
        header("webhook-signature"),
    );
    let mut state = shared.state.lock().unwrap_or_else(|p| p.into_inner());
    let verified = state
        .secret
        .as_deref()
        .is_some_and(|secret| verifies(secret, &id, &timestamp, &body, &signature));
    let answer = if !verified {
        Answer::Fail(401)
    } else if state.script.is_empty() {
        state.then.unwrap_or(Answer::Accept)
    } else {
        state.script.remove(0)
    };
    // A hang is answered once released, long after the sender gave up: recorded as no answer.
    let mut recorded = None;
    let status = match answer {
        Answer::Accept => 204,
        Answer::Fail(status) => status,
        Answer::Redirect => 302,
        Answer::Hang => {
            recorded = Some(0);
            state.hanging += 1;
            shared.changed.notify_all();
            while !state.released {
                state = shared
                    .changed
                    .wait(state)
                    .unwrap_or_else(|p| p.into_inner());
            }
            state.hanging -= 1;
            204
        }
    };
    state.received.push(Received {
        id,
        timestamp,
        signature,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        verified,
        answered: recorded.unwrap_or(status),
    });
    shared.changed.notify_all();
    drop(state);
    let extra = if status == 302 {
        "Location: http://127.0.0.1:9/elsewhere\r\n"
    } else {
        ""
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} Status\r\nContent-Length: 0\r\nConnection: close\r\n{extra}\r\n"
    );
    let _ = stream.flush();
}

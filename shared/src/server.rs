//! A slow service on this machine: real sockets for the lessons' I/O-bound
//! threads.
//!
//! The workshop's examples of I/O-bound work are a user, a file, a database
//! and the network. A `thread::sleep` stands in for all of them well enough
//! to show that a waiting thread needs no core, but a learner rightly asks
//! "and with a real socket?". [`SlowService`] answers that: a tiny HTTP
//! server on `127.0.0.1` (loopback only: nothing leaves the machine), on a
//! port the system picks, that answers every request after a set latency,
//! like a database thinking or a web server far away.
//!
//! - The lesson starts it and owns it. Dropping it stops it and joins every
//!   thread it started, also when a section fails or panics halfway: no
//!   thread or socket outlives the section.
//! - It serves a bounded number of requests, then stops listening.
//! - Each request is read, answered after the latency, and the connection
//!   closed (HTTP/1.0), so Python's `urllib` can fetch from it as well.
//! - Every read and write, on both sides, has a time limit.
//!
//! Set `WORKSHOP_NO_LOOPBACK=1` to make [`SlowService::start`] fail, as on
//! a machine where loopback is blocked: lessons then say so in one line and
//! fall back to sleeping.
//!
//! ```
//! use std::time::Duration;
//! use workshop::server::SlowService;
//!
//! let service = SlowService::start(Duration::from_millis(20), 1)?;
//! let page = service.client().fetch("/page/1")?;
//! assert_eq!(page, "page /page/1, answered after 20.0 ms\n");
//! drop(service); // stops it and joins its threads
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::{Out, units};

/// The environment variable that makes [`SlowService::start`] fail.
pub const DISABLE: &str = "WORKSHOP_NO_LOOPBACK";

// The limits below only turn a hang into an error, so they are generous: a
// laptop busy compiling can leave a thread unscheduled for seconds (the
// Windows test run under wine, on two loaded cores, once saw a 5 s limit
// pass), and a limit that fires there fails a lesson for nothing.

/// How long either side waits for the other to send or take bytes.
const IO_LIMIT: Duration = Duration::from_secs(15);
/// How long a client waits to connect to the service.
const CONNECT_LIMIT: Duration = Duration::from_secs(10);
/// A napping handler looks this often whether the service is stopping.
const NAP_SLICE: Duration = Duration::from_millis(100);
/// How long [`SlowService`]'s drop waits for its threads to finish: longer
/// than a handler may wait for a silent client.
const STOP_LIMIT: Duration = Duration::from_secs(20);
/// The most a request or a reply may be; anything longer is refused.
const MAX_MESSAGE: u64 = 16 * 1024;
/// The most connections one service accepts in its lifetime.
pub const MAX_REQUESTS: usize = 1000;

/// A server on loopback that answers each request after a set latency.
/// Dropping it stops it; see the [module docs](self).
pub struct SlowService {
    client: Client,
    shared: Arc<Shared>,
    server: Option<JoinHandle<()>>,
}

/// Where the service listens, and how to ask it for a page. It is `Copy`,
/// so every thread can have its own.
#[derive(Clone, Copy, Debug)]
pub struct Client {
    addr: SocketAddr,
    latency: Duration,
}

/// What a service did so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Served {
    /// Requests answered in full.
    pub answered: usize,
    /// Connections closed without an answer: not a request, or the service
    /// stopped while the request was waiting.
    pub unanswered: usize,
}

/// What the server thread and its handlers share with the owner.
#[derive(Default)]
struct Shared {
    stopping: AtomicBool,
    answered: AtomicUsize,
    unanswered: AtomicUsize,
}

impl SlowService {
    /// Starts a service on `127.0.0.1` and a free port that answers each
    /// request `latency` after reading it, for at most `requests`
    /// connections (capped at [`MAX_REQUESTS`]); after that it stops
    /// listening and new connections are refused.
    pub fn start(latency: Duration, requests: usize) -> io::Result<SlowService> {
        if std::env::var_os(DISABLE).is_some_and(|v| !v.is_empty() && v != "0") {
            return Err(io::Error::other(format!("{DISABLE} is set")));
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let budget = requests.min(MAX_REQUESTS);
        let server = thread::Builder::new().name("slow-service".into()).spawn({
            let shared = Arc::clone(&shared);
            move || accept_loop(listener, &shared, latency, budget)
        })?;
        Ok(SlowService {
            client: Client { addr, latency },
            shared,
            server: Some(server),
        })
    }

    /// A client for this service, to copy into threads.
    pub fn client(&self) -> Client {
        self.client
    }

    /// The address it listens on: `127.0.0.1` and the port it got.
    pub fn addr(&self) -> SocketAddr {
        self.client.addr
    }

    /// How long it takes to answer each request.
    pub fn latency(&self) -> Duration {
        self.client.latency
    }

    /// What it served so far.
    pub fn served(&self) -> Served {
        Served {
            answered: self.shared.answered.load(SeqCst),
            unanswered: self.shared.unanswered.load(SeqCst),
        }
    }

    /// Stops the service, waits for its threads, and says what it served.
    /// Dropping it does the same.
    pub fn stop(mut self) -> Served {
        self.shut_down();
        self.served()
    }

    fn shut_down(&mut self) {
        let Some(server) = self.server.take() else {
            return;
        };
        self.shared.stopping.store(true, SeqCst);
        // A blocking `accept` returns only for a connection: make one. (If
        // the service already stopped listening, this is refused at once.)
        if !server.is_finished() {
            let _ = TcpStream::connect_timeout(&self.client.addr, CONNECT_LIMIT);
        }
        // Napping handlers notice `stopping` within a slice of their nap.
        let deadline = Instant::now() + STOP_LIMIT;
        while !server.is_finished() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(1));
        }
        if server.is_finished() {
            let _ = server.join();
        } else {
            eprintln!(
                "warning: the slow service on {} did not stop within {}",
                self.client.addr,
                units::duration(STOP_LIMIT)
            );
        }
    }
}

impl Drop for SlowService {
    fn drop(&mut self) {
        self.shut_down();
    }
}

impl Client {
    /// The service's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Asks for `path` (`/page/7`) and returns the body of the answer: a
    /// blocking call that takes about the service's latency. Errors (refused,
    /// timed out, not an answer) come back as `Err`, never as a hang.
    pub fn fetch(&self, path: &str) -> io::Result<String> {
        // Each error says which step failed and how long it waited: the
        // system's own message does not (under wine, a timeout is just "OS
        // Error 10060").
        let mut stream =
            TcpStream::connect_timeout(&self.addr, CONNECT_LIMIT).map_err(in_step(format!(
                "connecting to {} (limit {})",
                self.addr,
                units::duration(CONNECT_LIMIT)
            )))?;
        // Wait for the answer as long as the latency, and then some.
        let answer_limit = self.latency * 2 + IO_LIMIT;
        stream.set_read_timeout(Some(answer_limit))?;
        stream.set_write_timeout(Some(IO_LIMIT))?;
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n", self.addr)
            .map_err(in_step(format!("sending the request for {path}")))?;
        let mut reply = Vec::new();
        stream
            .take(MAX_MESSAGE)
            .read_to_end(&mut reply)
            .map_err(in_step(format!(
                "waiting for the answer to {path} (limit {})",
                units::duration(answer_limit)
            )))?;
        body_of(&String::from_utf8_lossy(&reply))
    }
}

/// How the line starts that says a section could not start its service.
pub const NO_SERVICE: &str = "(No slow service on loopback";

/// Starts a service for a lesson's section, or says in one line why it
/// could not: the section then falls back to sleeping, and says so.
pub fn start_or_explain(out: &Out, latency: Duration, requests: usize) -> Option<SlowService> {
    match SlowService::start(latency, requests) {
        Ok(service) => Some(service),
        Err(e) => {
            out.line(format!("{NO_SERVICE}: {e}. Sleeping instead.)"));
            None
        }
    }
}

/// How many threads of slow services this process has right now, counted
/// by name (`slow-service…`), for tests that check none is left behind.
/// `None` where the system does not list them ([`crate::threads`]).
pub fn service_threads() -> Option<usize> {
    let names = crate::threads::names()?;
    Some(
        names
            .iter()
            .filter(|name| name.starts_with("slow-service"))
            .count(),
    )
}

/// Puts `step` before an error's own message, keeping its kind.
fn in_step(step: String) -> impl FnOnce(io::Error) -> io::Error {
    move |e| io::Error::new(e.kind(), format!("{step}: {e}"))
}

/// The body of an HTTP reply with status 200, or why not.
fn body_of(reply: &str) -> io::Result<String> {
    let bad = |why: &str| io::Error::new(io::ErrorKind::InvalidData, why.to_owned());
    let (head, body) = reply
        .split_once("\r\n\r\n")
        .ok_or_else(|| bad("the service's answer was cut short"))?;
    let status = head.lines().next().unwrap_or_default();
    match status.split_whitespace().nth(1) {
        Some("200") => Ok(body.to_owned()),
        _ => Err(bad(&format!("the service answered `{status}`"))),
    }
}

/// The server thread: accepts up to `budget` connections, each answered on a
/// thread of its own, and returns once every answer is done.
fn accept_loop(listener: TcpListener, shared: &Shared, latency: Duration, budget: usize) {
    thread::scope(|s| {
        let (mut accepted, mut errors) = (0, 0);
        while accepted < budget && errors < 100 {
            let stream = match listener.accept() {
                Ok((stream, _)) => stream,
                // A connection that was reset before we took it, or a signal:
                // try again, but not forever.
                Err(_) => {
                    errors += 1;
                    continue;
                }
            };
            if shared.stopping.load(SeqCst) {
                break; // that was the owner's wake-up call
            }
            accepted += 1;
            let handler = thread::Builder::new()
                .name(format!("slow-service-{accepted}"))
                .spawn_scoped(s, move || answer(stream, shared, latency));
            if handler.is_err() {
                shared.unanswered.fetch_add(1, SeqCst);
            }
        }
        // Stop listening now: from here on, connections are refused. The
        // scope then waits for the answers under way.
        drop(listener);
    });
}

/// One connection: read the request, wait the latency, answer, close.
fn answer(stream: TcpStream, shared: &Shared, latency: Duration) {
    let outcome = read_path(&stream).and_then(|path| {
        if !nap(latency, &shared.stopping) {
            return Err(io::Error::other("stopping"));
        }
        let body = format!("page {path}, answered after {}\n", units::duration(latency));
        let mut stream = &stream;
        write!(
            stream,
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )?;
        stream.flush()
    });
    let counter = match outcome {
        Ok(()) => &shared.answered,
        Err(_) => &shared.unanswered,
    };
    counter.fetch_add(1, SeqCst);
}

/// Reads an HTTP request's head and returns the path it asks for.
fn read_path(stream: &TcpStream) -> io::Result<String> {
    // Some platforms hand accepted sockets the listener's settings: be sure.
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(IO_LIMIT))?;
    stream.set_write_timeout(Some(IO_LIMIT))?;
    let mut reader = BufReader::new(stream.take(MAX_MESSAGE));
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // The headers, up to the empty line that ends them.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 0 && !header.trim().is_empty() {
        header.clear();
    }
    match request_line.split_whitespace().collect::<Vec<_>>()[..] {
        ["GET", path, version] if version.starts_with("HTTP/") && path.starts_with('/') => {
            Ok(path.to_owned())
        }
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not an HTTP GET request",
        )),
    }
}

/// Sleeps `latency` in slices, returning early (`false`) once `stopping`.
fn nap(latency: Duration, stopping: &AtomicBool) -> bool {
    let until = Instant::now() + latency;
    loop {
        if stopping.load(SeqCst) {
            return false;
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        thread::sleep(left.min(NAP_SLICE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_is_read_by_its_status() {
        assert_eq!(
            body_of("HTTP/1.0 200 OK\r\nA: b\r\n\r\nhello").unwrap(),
            "hello"
        );
        let refused = body_of("HTTP/1.0 404 Not Found\r\n\r\n").unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the service answered `HTTP/1.0 404 Not Found`"
        );
        assert!(body_of("HTTP/1.0 200 OK\r\n").is_err());
    }

    #[test]
    fn a_nap_ends_early_when_stopping() {
        let stopping = AtomicBool::new(true);
        let start = Instant::now();
        assert!(!nap(Duration::from_secs(5), &stopping));
        assert!(start.elapsed() < Duration::from_secs(1));
        assert!(nap(Duration::from_millis(1), &AtomicBool::new(false)));
    }
}

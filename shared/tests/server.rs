//! The slow service: it answers, it waits as long as it says, it serves the
//! lessons' load without refusing any of it, and it is gone once dropped.
//! Latencies are checked from below exactly (it never answers early) and
//! from above with the margins a loaded two-core laptop needs.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use workshop::server::{Served, SlowService};
use workshop::testing::deadline;

const LATENCY: Duration = Duration::from_millis(100);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Starts a service with this latency and budget, lets `use_it` use it and
/// stops it, all under the test deadline: what `use_it` returned, and what
/// the service counted.
#[track_caller]
fn served_by<T: Send + 'static>(
    latency: Duration,
    budget: usize,
    use_it: impl FnOnce(&SlowService) -> T + Send + 'static,
) -> (T, Served) {
    deadline(move || {
        let service = SlowService::start(latency, budget).unwrap();
        (use_it(&service), service.stop())
    })
}

#[test]
fn it_answers_with_the_page_asked_for() {
    let (page, served) = served_by(ms(10), 1, |service| {
        service.client().fetch("/page/3").unwrap()
    });
    assert_eq!(page, "page /page/3, answered after 10.0 ms\n");
    assert_eq!((served.answered, served.unanswered), (1, 0));
}

#[test]
fn each_answer_takes_the_latency_and_not_much_more() {
    let (took, _) = served_by(LATENCY, 3, |service| {
        (0..3)
            .map(|i| {
                let start = Instant::now();
                service.client().fetch(&format!("/{i}")).unwrap();
                start.elapsed()
            })
            .collect::<Vec<_>>()
    });
    for t in took {
        assert!(t >= LATENCY, "answered after {t:?}, before its latency");
        assert!(t < LATENCY * 5, "answered after {t:?}");
    }
}

#[test]
fn many_requests_at_once_are_answered_together_and_none_refused() {
    // The lessons' heaviest load: one thread per request, all at once.
    const REQUESTS: usize = 32;
    let ((took, pages), served) = served_by(LATENCY, REQUESTS, |service| {
        let client = service.client();
        let start = Instant::now();
        let pages: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..REQUESTS)
                .map(|i| s.spawn(move || client.fetch(&format!("/page/{i}"))))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        (start.elapsed(), pages)
    });
    for (i, page) in pages.iter().enumerate() {
        let page = page.as_ref().unwrap_or_else(|e| panic!("request {i}: {e}"));
        assert!(page.starts_with(&format!("page /page/{i},")), "{page}");
    }
    assert_eq!((served.answered, served.unanswered), (REQUESTS, 0));
    // One after another they would take 3.2 s; answered side by side, about
    // one latency, plus whatever a busy machine adds.
    assert!(took < ms(1600), "{REQUESTS} requests at once took {took:?}");
}

#[test]
fn past_its_budget_it_stops_listening() {
    let (second, served) = served_by(ms(1), 1, |service| {
        service.client().fetch("/one").unwrap();
        // The server thread closes its listener once the budget is used
        // up; give it a moment to get there.
        let until = Instant::now() + Duration::from_secs(5);
        let mut second = service.client().fetch("/two");
        while second.is_ok() && Instant::now() < until {
            std::thread::sleep(ms(10));
            second = service.client().fetch("/two");
        }
        second
    });
    assert!(second.is_err(), "a second request was answered: {second:?}");
    assert_eq!(served.answered, 1);
}

#[test]
fn garbage_is_not_answered() {
    use std::io::{Read, Write};
    let (reply, served) = served_by(ms(1), 2, |service| {
        let mut stream = TcpStream::connect(service.addr()).unwrap();
        stream.write_all(b"HELLO\r\n\r\n").unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        // Wait until the handler has counted it.
        let until = Instant::now() + Duration::from_secs(5);
        while service.served().unanswered == 0 && Instant::now() < until {
            std::thread::sleep(ms(1));
        }
        reply
    });
    assert_eq!(reply, "");
    assert_eq!((served.answered, served.unanswered), (0, 1));
}

#[test]
fn once_dropped_its_port_is_closed() {
    let addr = deadline(|| {
        let service = SlowService::start(ms(1), 10).unwrap();
        let addr = service.addr();
        assert!(addr.ip().is_loopback());
        drop(service);
        addr
    });
    assert!(
        TcpStream::connect_timeout(&addr, ms(500)).is_err(),
        "something still listens on {addr}"
    );
}

#[test]
fn a_failed_request_says_which_step_failed() {
    let client = deadline(|| SlowService::start(ms(1), 1).unwrap().client());
    // The service is gone: connecting is refused.
    let error = client.fetch("/gone").unwrap_err().to_string();
    let step = format!("connecting to {} (limit ", client.addr());
    assert!(error.starts_with(&step), "{error}");
}

#[test]
fn dropping_it_mid_request_does_not_wait_for_the_latency() {
    let (took, result) = deadline(|| {
        let service = SlowService::start(Duration::from_secs(30), 1).unwrap();
        let client = service.client();
        let request = std::thread::spawn(move || client.fetch("/slow"));
        // Let the request reach the service, then stop it.
        std::thread::sleep(ms(100));
        let start = Instant::now();
        let served = service.stop();
        let took = start.elapsed();
        (took, (request.join().unwrap(), served))
    });
    let (reply, served) = result;
    assert!(took < Duration::from_secs(5), "stopping took {took:?}");
    assert!(reply.is_err(), "{reply:?}");
    assert_eq!(served.answered, 0);
}

//! Section `backpressure`: bounded channels slow a fast producer down to its consumer's
//! pace; `select!` waits on two channels at once, with a timeout.

use std::io;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, bounded, select, unbounded};
use workshop::{Ctx, Out, Outcome, Section, Table, Timeline, units};

use crate::{join, spawn_named};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "backpressure",
    title: "Bounded channels and backpressure",
    explain: "
        An unbounded queue (Python's `queue.Queue()`, Rust's `unbounded()`)
        lets a fast producer run ahead of a slow consumer: every item it has
        made waits in memory until the consumer gets to it. Give the queue a
        capacity (`queue.Queue(maxsize=4)`, `bounded(4)`) and a `send` into a
        full queue waits until the consumer takes something out. The producer
        slows down to the consumer's pace, and the queue never holds more than
        its capacity. That waiting is backpressure.

        Below, a producer makes 20 items as fast as it can and a consumer
        spends 50 ms on each, once through each kind of channel. On the
        timelines, `send` is the producer inside `send`: a sliver when the
        queue is unbounded, most of the run when it is bounded.

        An owner often listens to more than one channel: work, and an order
        to stop. Python has no way to wait on two queues at once; the usual
        trick is a sentinel (`None`) on the work queue, which waits its turn
        behind the work. Rust's `select!` waits on several channels and
        takes whichever is ready first (if several are, it picks one at
        random); `default(timeout)` runs when nothing arrives in time, like
        `get(timeout=...)` raising `queue.Empty`. Below, a listener handles
        three queued jobs, notices that nothing more comes, and tells main,
        which then sends the order to stop.
    ",
    python: r#"
        jobs = queue.Queue(maxsize=4)
        jobs.put(item)        # waits while 4 items wait

        while True:
            try:
                job = jobs.get(timeout=0.5)
            except queue.Empty:
                print("nothing for 500 ms")
                continue
            if job is None:   # the stop sentinel
                break
            handle(job)
    "#,
    rust: r#"
        let (to_consumer, received) = match capacity {
            Some(capacity) => bounded(capacity),
            None => unbounded(),
        };
        to_consumer.send(item) // waits while the queue is full

        loop {
            select! {
                recv(jobs) -> job => match job {
                    Ok(job) => handle(job),
                    Err(_) => break, // every job sender is gone
                },
                recv(stop) -> _ => break,
                default(patience) => idle(),
            }
        }
    "#,
    run,
};

/// How many items the producer makes.
pub const ITEMS: usize = 20;
/// The bounded channel's capacity.
pub const CAPACITY: usize = 4;

/// One run of a producer and a consumer through a channel.
pub struct Flow {
    /// The most items the producer ever saw waiting after a `send`.
    pub most_waiting: usize,
    /// When the producer had sent its last item.
    pub producer_done: Duration,
    /// When the consumer had handled the last item.
    pub consumer_done: Duration,
    /// Who was in `send` and who was at `work`, when.
    pub timeline: Timeline,
}

/// A producer sends `items` numbers as fast as it can; a consumer spends
/// `work` on each. `capacity` bounds the channel; `None` leaves it
/// unbounded.
pub fn produce_and_consume(
    capacity: Option<usize>,
    items: usize,
    work: Duration,
) -> io::Result<Flow> {
    let (to_consumer, received) = match capacity {
        Some(capacity) => bounded(capacity),
        None => unbounded(),
    };
    let timeline = Timeline::with_labels(&["send", "work"]);
    let start = Instant::now();

    let consumer = {
        let timeline = timeline.clone();
        spawn_named("consumer", move || {
            for _item in received {
                let _working = timeline.span("work");
                thread::sleep(work);
            }
            start.elapsed()
        })?
    };
    let producer = {
        let timeline = timeline.clone();
        spawn_named("producer", move || {
            let mut most_waiting = 0;
            for item in 0..items {
                let _sending = timeline.span("send");
                to_consumer.send(item).expect("the consumer is running");
                most_waiting = most_waiting.max(to_consumer.len());
            }
            (most_waiting, start.elapsed())
        })?
    };
    let (most_waiting, producer_done) = join(producer)?;
    let consumer_done = join(consumer)?;
    Ok(Flow {
        most_waiting,
        producer_done,
        consumer_done,
        timeline,
    })
}

/// What the listener did before it stopped.
#[derive(Debug, PartialEq)]
pub struct Listened {
    /// The jobs it handled, in order.
    pub handled: Vec<String>,
    /// How many times `patience` ran out with nothing to do.
    pub quiet_spells: u64,
}

/// The listener: handles jobs until told to stop (or until every job sender
/// is gone), and reports the first time nothing arrived within `patience`.
fn listen(
    jobs: Receiver<String>,
    stop: Receiver<()>,
    patience: Duration,
    went_quiet: Sender<()>,
    out: &Out,
) -> Listened {
    let mut listened = Listened {
        handled: Vec::new(),
        quiet_spells: 0,
    };
    let mut handle = |job: String| {
        out.say(format!("handling {job}"));
        listened.handled.push(job);
    };
    let mut idle = || {
        listened.quiet_spells += 1;
        if listened.quiet_spells == 1 {
            out.say(format!(
                "nothing for {}: telling main",
                units::duration(patience)
            ));
            let _ = went_quiet.send(());
        }
    };
    loop {
        select! {
            recv(jobs) -> job => match job {
                Ok(job) => handle(job),
                Err(_) => break, // every job sender is gone
            },
            recv(stop) -> _ => break, // a stop, or the stop sender dropped
            default(patience) => idle(),
        }
    }
    out.say("stopping");
    listened
}

/// Queues three jobs, starts the listener, waits (through a channel) until
/// it reports a quiet spell, then tells it to stop.
pub fn listen_until_told(patience: Duration, out: &Out) -> io::Result<Listened> {
    let (to_listener, jobs) = bounded(8);
    for job in ["job 1", "job 2", "job 3"] {
        to_listener
            .send(job.to_owned())
            .expect("the queue has room");
    }
    out.say("queued 3 jobs");
    let (to_stop, stop) = bounded(1);
    let (went_quiet, quiet) = bounded(1);
    let listener = {
        let out = out.clone();
        spawn_named("listener", move || {
            listen(jobs, stop, patience, went_quiet, &out)
        })?
    };
    // Main keeps `to_listener`: the listener cannot stop because the jobs
    // ran out, only because it is told to.
    quiet
        .recv_timeout(Duration::from_secs(10))
        .map_err(|_| io::Error::other("the listener never went quiet"))?;
    out.say("the listener is idle: sending stop");
    to_stop.send(()).expect("the listener is running");
    let listened = join(listener)?;
    drop(to_listener);
    Ok(listened)
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let work = ctx.secs(0.05);
    let running = out.progress(format!(
        "running: {ITEMS} items through an unbounded channel"
    ));
    let unbounded_flow = produce_and_consume(None, ITEMS, work)?;
    running.update(format!(
        "running: {ITEMS} items through bounded({CAPACITY})"
    ));
    let bounded_flow = produce_and_consume(Some(CAPACITY), ITEMS, work)?;
    drop(running);
    if bounded_flow.most_waiting > CAPACITY {
        return Err("a bounded channel held more than its capacity".into());
    }
    out.line(format!(
        "{ITEMS} items, {} of work on each, through an unbounded channel:",
        units::duration(work)
    ));
    out.timeline(&unbounded_flow.timeline);
    out.blank();
    out.line(format!("And through bounded({CAPACITY}):"));
    out.timeline(&bounded_flow.timeline);
    out.blank();
    let mut table = Table::new([
        "channel",
        "most items waiting",
        "producer done after",
        "consumer done after",
    ]);
    for (name, flow) in [
        ("unbounded".to_owned(), &unbounded_flow),
        (format!("bounded({CAPACITY})"), &bounded_flow),
    ] {
        table.push([
            name,
            out.count(flow.most_waiting as u64),
            out.time(flow.producer_done),
            out.time(flow.consumer_done),
        ]);
    }
    out.table(&table);
    out.verdict(flow_verdict(&unbounded_flow, &bounded_flow));
    out.blank();

    let patience = ctx.secs(0.5);
    let listened = out.concurrently(|| listen_until_told(patience, out))?;
    out.blank();
    out.line(format!(
        "The listener handled {} jobs, in the order they were queued; then `default` ran",
        listened.handled.len()
    ));
    out.line(format!(
        "{} time(s) before the stop arrived.",
        out.count(listened.quiet_spells)
    ));
    out.verdict(listener_verdict(listened.quiet_spells));
    Ok(())
}

/// What the two flows' figures say about backpressure.
pub fn flow_verdict(unbounded: &Flow, bounded: &Flow) -> String {
    let consumer = bounded.consumer_done.as_secs_f64() / unbounded.consumer_done.as_secs_f64();
    let consumer_say = if (0.8..=1.25).contains(&consumer) {
        "The consumer took about as long either way.".to_owned()
    } else {
        format!(
            "The consumer took {consumer:.2}× as long through the bounded channel: \
             the machine, not the channel, made the difference."
        )
    };
    let ran_ahead = unbounded.producer_done < unbounded.consumer_done / 2;
    let unbounded_say = if ran_ahead {
        format!(
            " Unbounded, the producer was done long before the consumer, and up \
             to {} items piled up waiting.",
            unbounded.most_waiting
        )
    } else {
        " Unbounded, the producer was not done much sooner than the consumer: \
         it was held up itself."
            .to_owned()
    };
    let kept_pace = bounded.producer_done > bounded.consumer_done / 2;
    let bounded_say = if kept_pace {
        format!(
            " Bounded, never more than {} waited, and the producer kept pace \
             with the consumer.",
            bounded.most_waiting
        )
    } else {
        format!(
            " Bounded, never more than {} waited, yet the producer finished early.",
            bounded.most_waiting
        )
    };
    format!("{consumer_say}{unbounded_say}{bounded_say}")
}

/// What the listener's count of quiet spells says.
pub fn listener_verdict(quiet_spells: u64) -> String {
    match quiet_spells {
        1 => "Once: main sent the stop as soon as it heard.".to_owned(),
        0 => "Never: the stop arrived before a quiet spell, which main should not \
              send so early."
            .to_owned(),
        n => format!(
            "{n} times: main was slow to send the stop (a busy machine), so the \
             listener noticed the quiet more than once."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(most_waiting: usize, producer_ms: u64, consumer_ms: u64) -> Flow {
        Flow {
            most_waiting,
            producer_done: Duration::from_millis(producer_ms),
            consumer_done: Duration::from_millis(consumer_ms),
            timeline: Timeline::new(),
        }
    }

    #[test]
    fn the_verdicts_follow_the_figures() {
        let said = flow_verdict(&flow(20, 1, 1000), &flow(4, 753, 1000));
        assert!(
            said.starts_with("The consumer took about as long"),
            "{said}"
        );
        assert!(said.contains("up to 20 items piled up"), "{said}");
        assert!(said.contains("kept pace"), "{said}");
        let odd = flow_verdict(&flow(20, 600, 1000), &flow(4, 400, 1300));
        assert!(odd.contains("1.30× as long"), "{odd}");
        assert!(odd.contains("held up itself"), "{odd}");
        assert!(odd.contains("finished early"), "{odd}");
        assert!(listener_verdict(1).starts_with("Once"));
        assert!(listener_verdict(3).contains("slow to send"));
        assert!(listener_verdict(0).starts_with("Never"));
    }
}

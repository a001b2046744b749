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
    let unbounded_flow = produce_and_consume(None, ITEMS, work)?;
    let bounded_flow = produce_and_consume(Some(CAPACITY), ITEMS, work)?;
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
    out.line("The consumer takes as long either way. Unbounded, the producer is done at once");
    out.line(format!(
        "and its items pile up; bounded, it never has more than {CAPACITY} waiting: it keeps pace."
    ));
    out.blank();

    let patience = ctx.secs(0.5);
    let listened = out.concurrently(|| listen_until_told(patience, out))?;
    out.blank();
    out.line(format!(
        "The listener handled {} jobs, in the order they were queued; then `default` ran",
        listened.handled.len()
    ));
    out.line(format!(
        "{} time(s) before the stop arrived: once, unless main was slow to react.",
        out.count(listened.quiet_spells)
    ));
    Ok(())
}

//! Section `replies`: asking the owner a question, with a reply channel sent along
//! with each request.

use std::io;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
use workshop::{Ctx, Out, Outcome, Section, units};

use crate::{join, spawn_named};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "replies",
    title: "Asking the owner: request and reply",
    explain: "
        Workers that only send increments never learn anything back. To ask
        the owner a question (\"what is the count now?\"), send a reply channel
        inside the request. The owner answers on it; only the asker holds the
        other end, so every answer reaches the thread that asked, however many
        threads ask at once. A channel of capacity 1 is enough for one answer,
        and the owner never waits to deliver it.

        The answer is also a receipt. Messages from one thread arrive in the
        order it sent them, so when the owner answers a question, it has
        handled every request that thread sent before it. That is how to wait
        for an owner that must keep running: Python's `Queue.join()`, as a
        message.

        Below, main adds 5 and 3 and asks (the answer must be 8); four askers
        each add 1 a thousand times and then ask. Each sees at least its own
        thousand plus main's 8; how much of the others' work it sees depends
        on timing, so those answers are measured. After joining the askers,
        main asks once more: 4,008, exactly.
    ",
    python: r#"
        def counter_manager():
            global counter
            while True:
                kind, value = requests.get()
                if kind == "add":
                    counter += value
                else:               # "get": value is a reply queue
                    value.put(counter)

        reply = queue.Queue(maxsize=1)
        requests.put(("get", reply))
        print(reply.get())
    "#,
    rust: r#"
        pub enum Request {
            Add(u64),
            Get {
                reply: Sender<u64>,
            },
        }

        for request in requests {
            match request {
                Request::Add(amount) => count += amount,
                Request::Get { reply } => {
                    let _ = reply.send(count); // the asker may have left
                }
            }
        }

        let (reply, answer) = bounded(1);
        self.requests
            .send(Request::Get { reply })
        answer.recv()
    "#,
    run,
};

/// What the counter's owner understands.
pub enum Request {
    /// Add this much to the count.
    Add(u64),
    /// "What is the count now?" The answer goes back on `reply`.
    Get {
        /// Where to send the answer.
        reply: Sender<u64>,
    },
}

/// The owner's loop: the only code that touches `count`. Returns the final
/// count when every handle is gone.
fn counter_owner(requests: Receiver<Request>) -> u64 {
    let mut count = 0;
    for request in requests {
        match request {
            Request::Add(amount) => count += amount,
            Request::Get { reply } => {
                let _ = reply.send(count); // the asker may have left
            }
        }
    }
    count
}

/// A handle on the counter: all a thread needs to add and to ask. Clone it
/// for each thread; the owner ends when the last clone is dropped.
#[derive(Clone)]
pub struct Counter {
    requests: Sender<Request>,
}

impl Counter {
    /// Starts the owner thread, `counter`; join the handle for the final
    /// count once every `Counter` is dropped.
    pub fn start() -> io::Result<(Counter, JoinHandle<u64>)> {
        let (requests, inbox) = unbounded();
        let owner = spawn_named("counter", move || counter_owner(inbox))?;
        Ok((Counter { requests }, owner))
    }

    /// Adds `amount`, without waiting for the owner.
    pub fn add(&self, amount: u64) {
        self.requests
            .send(Request::Add(amount))
            .expect("the counter is running");
    }

    /// Asks for the count, and waits for the answer. Every `add` this
    /// thread made before has been counted in it.
    pub fn get(&self) -> u64 {
        let (reply, answer) = bounded(1);
        self.requests
            .send(Request::Get { reply })
            .expect("the counter is running");
        answer.recv().expect("the counter answers every question")
    }
}

/// How many askers the demonstration starts, and how much each adds.
pub const ASKERS: usize = 4;
/// How many times each asker adds 1.
pub const ADDS_EACH: u64 = 1_000;

/// What the demonstration saw.
#[derive(Debug)]
pub struct Answers {
    /// Main's answer after adding 5 and 3.
    pub first: u64,
    /// Each asker's answer after its own adds, by asker.
    pub askers: Vec<u64>,
    /// Main's answer after joining the askers.
    pub last: u64,
    /// What `join` on the owner returned.
    pub final_count: u64,
}

/// Main adds and asks; four askers add and ask; main asks again, then drops
/// its handle and joins the owner.
pub fn ask_the_owner(out: &Out) -> io::Result<Answers> {
    let (counter, owner) = Counter::start()?;
    counter.add(5);
    counter.add(3);
    let first = counter.get();
    out.say(format!("added 5 and 3; the count is {first}"));

    let askers = (0..ASKERS)
        .map(|i| {
            let (counter, out) = (counter.clone(), out.clone());
            spawn_named(format!("asker-{i}"), move || {
                for _ in 0..ADDS_EACH {
                    counter.add(1);
                }
                let seen = counter.get();
                out.say(format!(
                    "made {} adds of 1; the count is {}",
                    units::count(ADDS_EACH),
                    out.count(seen)
                ));
                seen
            })
        })
        .collect::<io::Result<Vec<_>>>()?;
    let askers = askers
        .into_iter()
        .map(join)
        .collect::<io::Result<Vec<_>>>()?;

    let last = counter.get();
    out.say(format!(
        "joined the askers; the count is {}",
        units::count(last)
    ));
    drop(counter);
    let final_count = join(owner)?;
    Ok(Answers {
        first,
        askers,
        last,
        final_count,
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let answers = out.concurrently(|| ask_the_owner(out))?;
    let least = 8 + ADDS_EACH;
    let total = 8 + ASKERS as u64 * ADDS_EACH;
    let askers_ok = answers
        .askers
        .iter()
        .all(|&seen| (least..=total).contains(&seen));
    if answers.first != 8 || !askers_ok || answers.last != total || answers.final_count != total {
        return Err(format!("the owner answered something impossible: {answers:?}").into());
    }
    out.blank();
    out.line(format!(
        "Every asker's answer lies between {} (its own adds and main's 8) and {}",
        units::count(least),
        units::count(total)
    ));
    out.line(format!(
        "(everybody's). The owner's join returned {}: no add was lost, and every",
        units::count(answers.final_count)
    ));
    out.line("answer reached the thread that asked.");
    Ok(())
}

//! Section `barrier`: `threading.Barrier` ↔ `std::sync::Barrier`: threads working
//! in phases, the leader doing each phase's step.

use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::Duration;

use crate::lock::XorShift;
use workshop::{Ctx, Out, Outcome, Section, Span, Timeline};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "barrier",
    title: "Barrier: everybody waits for the last",
    explain: "
        A barrier for N threads holds every thread that calls `wait` until
        the N-th arrives, then lets them all go, and is ready for the next
        round: threads that work in phases (a simulation step, a game tick)
        use one to start phase 2 only when everybody has finished phase 1.

        The standard library has it: `std::sync::Barrier`. Its `wait` returns
        a `BarrierWaitResult` whose `is_leader()` is true for exactly one of
        the threads, each round: Python's `wait()` returns a different
        number to each thread for the same purpose, and its `action`
        argument runs one function per round. Here the leader records the end
        of each phase.

        Below, three threads do three phases of work of different lengths
        (drawn from the seeded generator). The timeline shows the fast ones
        waiting at the barrier for the slowest, every phase.
    ",
    python: r#"
        barrier = threading.Barrier(3)

        def worker():
            for phase in range(3):
                work(phase)
                if barrier.wait() == 0:    # exactly one thread gets 0
                    print('phase', phase, 'done')
    "#,
    rust: r#"
        let barrier = Barrier::new(threads);

        work(phase);
        if barrier.wait().is_leader() {
            phases_done.lock().unwrap().push(phase);
        }
    "#,
    run,
};

/// What [`phases`] observed.
#[derive(Clone)]
pub struct Phases {
    /// What the leaders recorded: one entry per phase, in order.
    pub phases_done: Vec<usize>,
    /// Work and barrier waits, per thread.
    pub timeline: Timeline,
}

/// `threads` threads (`crew-1`…) each work `phases` phases; the work
/// of thread `t` in phase `p` lasts `work_of(t, p)`. A barrier separates the
/// phases; its leader records the phase.
pub fn phases(
    threads: usize,
    phases: usize,
    work_of: &(dyn Fn(usize, usize) -> Duration + Sync),
    out: &Out,
) -> std::io::Result<Phases> {
    let barrier = Barrier::new(threads);
    let phases_done = Mutex::new(Vec::new());
    let timeline = Timeline::with_labels(&["works", "waits"]);
    thread::scope(|s| {
        let mut handles = Vec::new();
        for t in 0..threads {
            let (barrier, phases_done, timeline) = (&barrier, &phases_done, &timeline);
            let work = move |phase: usize| {
                let _working = timeline.span("works");
                out.say(format!("phase {phase}: working"));
                thread::sleep(work_of(t, phase));
            };
            handles.push(
                thread::Builder::new()
                    .name(format!("crew-{}", t + 1))
                    .spawn_scoped(s, move || {
                        for phase in 0..phases {
                            work(phase);
                            let _waiting = timeline.span("waits");
                            if barrier.wait().is_leader() {
                                phases_done.lock().unwrap().push(phase);
                            }
                        }
                    })?,
            );
        }
        for handle in handles {
            workshop::join(handle)?;
        }
        Ok::<_, std::io::Error>(())
    })?;
    Ok(Phases {
        phases_done: phases_done.into_inner().unwrap_or_else(|p| p.into_inner()),
        timeline,
    })
}

/// Whether every `works` span of phase `p + 1` started after every `works`
/// span of phase `p` ended: what the barrier promises. The spans of each
/// thread are in phase order.
pub fn phases_never_overlap(timeline: &Timeline, threads: usize, phases: usize) -> bool {
    let works: Vec<Vec<Span>> = (1..=threads)
        .map(|t| {
            timeline
                .spans_of(&format!("crew-{t}"))
                .into_iter()
                .filter(|s| s.label == "works")
                .collect()
        })
        .collect();
    (1..phases).all(|p| {
        let last_end = works
            .iter()
            .filter_map(|w| w.get(p - 1))
            .map(|s| s.end)
            .max();
        let first_start = works.iter().filter_map(|w| w.get(p)).map(|s| s.start).min();
        works.iter().all(|w| w.len() == phases) && last_end <= first_start
    })
}

/// How many threads and phases the section uses.
pub const THREADS: usize = 3;
/// See [`THREADS`].
pub const PHASES: usize = 3;

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let mut random = XorShift::new(7);
    let tenths: Vec<Vec<u64>> = (0..THREADS)
        .map(|_| (0..PHASES).map(|_| 1 + random.up_to(4)).collect())
        .collect();
    let work_of = |t: usize, p: usize| ctx.secs(tenths[t][p] as f64 / 10.0);
    let seen = out.concurrently(|| phases(THREADS, PHASES, &work_of, out))?;
    out.blank();
    out.timeline(&seen.timeline);
    out.blank();
    if seen.phases_done != (0..PHASES).collect::<Vec<_>>() {
        return Err(format!("the leaders recorded {:?}", seen.phases_done).into());
    }
    if !phases_never_overlap(&seen.timeline, THREADS, PHASES) {
        return Err("a thread started a phase before another had finished the last".into());
    }
    out.line(format!(
        "The leaders recorded phases {:?}: one leader per round.",
        seen.phases_done
    ));
    out.prose(
        "Checked on the timeline: no thread started a phase before all had finished the one \
         before.",
    );
    Ok(())
}

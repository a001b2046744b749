//! Section `many`: many threads started in a loop, then joined.

use std::io;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use workshop::flag::whole_number;
use workshop::{Ctx, Flag, Measurement, Out, Outcome, Section, Table, Timeline, measure};

/// `--sleepers N`: how many sleepers the section starts.
pub const SLEEPERS: Flag<usize> = Flag {
    name: "sleepers",
    value: "N",
    help: "How many sleepers the `many` section starts, 1 to 32",
    default: 3,
    parse: whole_number::<1, 32>,
    invalid: &["0", "33", "three", "-1"],
};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "many",
    title: "Many threads at once",
    explain: "
        Start threads in a loop, keep their handles, and join them all in a
        second loop. Because every sleeper is started before the first join,
        the naps overlap: three 1-second sleepers should take about one
        second, not three.

        The handles go into a `Vec`, Rust's list. `collect` can build many
        kinds of collection, so the `::<io::Result<Vec<_>>>` after it (the
        turbofish, `::<>`) says which: a list of handles, or the first error
        if a thread could not start (`_` lets the compiler fill in the
        handle's type).

        The classic mistake is to join inside the starting loop. Each join
        waits for its sleeper before the next one starts, so the threads run
        one after another. Both versions run below, side by side, each drawn on
        a timeline: one row per thread, time from left to right, and each is
        timed like the notebook's `%time`, in wall time and in CPU time (what
        the process spent computing). Change how many sleepers start with
        `--sleepers N`.
    ",
    python: r#"
        threads = []
        for i in range(3):
            t = threading.Thread(target=sleeper, args=(1,))
            threads.append(t)
            t.start()

        for t in threads:
            t.join()
    "#,
    rust: r#"
        let handles = (0..count)
            .map(|i| start_sleeper(i, nap, out, timeline))
            .collect::<io::Result<Vec<_>>>()?;

        for handle in handles {
            handle.join()
        }
    "#,
    run,
};

/// Starts `sleeper-{i}`, which records its nap on the timeline.
fn start_sleeper(
    i: usize,
    nap: Duration,
    out: &Out,
    timeline: &Timeline,
) -> io::Result<JoinHandle<()>> {
    let (out, timeline) = (out.clone(), timeline.clone());
    thread::Builder::new()
        .name(format!("sleeper-{i}"))
        .spawn(move || {
            let _nap = timeline.span("sleep");
            out.say("sleeping");
            thread::sleep(nap);
        })
}

fn joined(handle: JoinHandle<()>) -> io::Result<()> {
    handle
        .join()
        .map_err(|_| io::Error::other("a sleeper panicked"))
}

/// The mistake: each sleeper is joined before the next one starts.
pub fn one_after_another(
    count: usize,
    nap: Duration,
    out: &Out,
    timeline: &Timeline,
) -> io::Result<()> {
    for i in 0..count {
        joined(start_sleeper(i, nap, out, timeline)?)?;
    }
    Ok(())
}

/// The idiom: start them all, then join them all.
pub fn all_at_once(count: usize, nap: Duration, out: &Out, timeline: &Timeline) -> io::Result<()> {
    let handles = (0..count)
        .map(|i| start_sleeper(i, nap, out, timeline))
        .collect::<io::Result<Vec<_>>>()?;

    let _joining = timeline.span("join");
    for handle in handles {
        joined(handle)?;
    }
    Ok(())
}

/// Both versions, measured in this run, with their timelines.
pub struct Comparison {
    /// The sequential run.
    pub one_after_another: (Measurement, Timeline),
    /// The overlapping run.
    pub all_at_once: (Measurement, Timeline),
}

/// Runs both versions, one after the other.
pub fn compare(count: usize, nap: Duration, out: &Out) -> io::Result<Comparison> {
    type Version = fn(usize, Duration, &Out, &Timeline) -> io::Result<()>;
    let run = |version: Version| -> io::Result<(Measurement, Timeline)> {
        let timeline = Timeline::with_labels(&["sleep", "join"]);
        let (result, measured) =
            measure(|| out.concurrently(|| version(count, nap, out, &timeline)));
        result.map(|()| (measured, timeline))
    };
    out.line("One after another (join inside the loop):");
    let one_after_another = run(one_after_another)?;
    out.blank();
    out.line("All at once (start all, then join all):");
    let all_at_once = run(all_at_once)?;
    Ok(Comparison {
        one_after_another,
        all_at_once,
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let count = ctx.flag(&SLEEPERS);
    let nap = ctx.secs(1.0);
    let _running = out.progress(format!(
        "running: {count} naps of {}, one after another, then all at once",
        workshop::units::duration(nap)
    ));
    let Comparison {
        one_after_another: (slow, slow_timeline),
        all_at_once: (fast, fast_timeline),
    } = compare(count, nap, out)?;
    out.blank();
    out.timelines(&[
        ("One after another", &slow_timeline),
        ("All at once", &fast_timeline),
    ]);
    out.blank();
    let naps = workshop::units::duration(nap * count as u32);
    let table = Table::new(["version", "naps in total", "wall time", "CPU time"])
        .row([
            "one after another",
            &naps,
            &out.time(slow.wall),
            &out.cpu_time(&slow),
        ])
        .row([
            "all at once",
            &naps,
            &out.time(fast.wall),
            &out.cpu_time(&fast),
        ]);
    out.table(&table);
    let speedup = slow.wall.as_secs_f64() / fast.wall.as_secs_f64();
    out.line(format!(
        "Same {count} naps, {} as fast all at once.",
        out.ratio(speedup)
    ));
    out.verdict(verdict(count, nap, &slow, &fast));
    Ok(())
}

/// What the two versions' times say: whether the naps overlapped, and
/// whether sleeping used the CPU.
pub fn verdict(count: usize, nap: Duration, slow: &Measurement, fast: &Measurement) -> String {
    let naps = fast.wall.as_secs_f64() / nap.as_secs_f64();
    let overlap = if naps < 1.5 {
        "Sleeping threads overlap: all at once took about one nap.".to_owned()
    } else if count > 1 && naps < count as f64 - 0.5 {
        format!(
            "All at once took {naps:.1} naps' worth: the naps partly overlapped; \
             the threads were slow to start or to wake."
        )
    } else {
        format!("All at once took {naps:.1} naps' worth: the naps did not overlap.")
    };
    // The least CPU/wall each reading allows: a clock that ticks every
    // 15.6 ms (Windows) may read one tick for much less.
    let cpu = [slow, fast]
        .iter()
        .filter_map(|m| m.cpu_per_wall_bounds().map(|(least, _)| least))
        .fold(None, |most: Option<f64>, r| {
            Some(most.map_or(r, |m| m.max(r)))
        });
    let working = match cpu {
        Some(r) if r < 0.1 => {
            " And sleeping is not working: the CPU time stayed near zero.".to_owned()
        }
        Some(r) => format!(
            " The CPU time came to {:.0}% of the wall time: starting threads and \
             printing, not the naps.",
            r * 100.0
        ),
        None => String::new(),
    };
    format!("{overlap}{working}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use workshop::CpuTimes;

    fn m(wall_ms: u64, cpu_ms: u64) -> Measurement {
        Measurement {
            wall: Duration::from_millis(wall_ms),
            cpu: Some(CpuTimes {
                user: Duration::from_millis(cpu_ms),
                sys: Duration::ZERO,
            }),
            cpu_resolution: Duration::from_micros(1),
        }
    }

    #[test]
    fn the_verdict_follows_the_wall_and_cpu_times() {
        let nap = Duration::from_secs(1);
        let overlapped = verdict(3, nap, &m(3000, 1), &m(1001, 1));
        assert!(overlapped.contains("about one nap"), "{overlapped}");
        assert!(overlapped.contains("stayed near zero"), "{overlapped}");
        assert!(verdict(3, nap, &m(3000, 1), &m(1600, 1)).contains("partly overlapped"));
        assert!(verdict(3, nap, &m(3000, 1), &m(2600, 1)).contains("did not overlap"));
        assert!(verdict(3, nap, &m(3000, 1), &m(1000, 200)).contains("20% of the wall time"));
        // One 16 ms tick in a 100 ms run is not 16% of the wall time.
        let tick = Measurement {
            cpu_resolution: Duration::from_millis(16),
            ..m(100, 16)
        };
        let quick = verdict(3, nap / 10, &tick, &tick);
        assert!(quick.contains("stayed near zero"), "{quick}");
    }
}

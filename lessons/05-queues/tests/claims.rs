//! What the lesson claims, checked: exact results where the design makes
//! them exact, timing with margins wide enough for a loaded laptop (timing
//! belongs here, never in a snapshot). The claim about what each design
//! costs has a test binary to itself, `tests/costs.rs`.

use std::time::{Duration, Instant};

use queues::{LESSON, backpressure, costs, locals, managers, replies, rules};
use workshop::Out;
use workshop::testing::{self, deadline};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// What the workshop's notebook prints, written out by hand.
fn the_python_output() -> Vec<String> {
    let mut lines = vec!["Starting up"];
    let counts = [
        "The count is 1",
        "The count is 2",
        "The count is 3",
        "The count is 4",
        "The count is 5",
        "The count is 6",
        "The count is 7",
        "The count is 8",
        "The count is 9",
        "The count is 10",
    ];
    for count in counts {
        lines.push(count);
        lines.push("---------------");
    }
    lines.push("Finishing up");
    lines.into_iter().map(str::to_owned).collect()
}

#[test]
fn the_worked_example_prints_exactly_what_the_python_prints() {
    let out = Out::capture(false);
    let finished = {
        let out = out.clone();
        deadline(move || managers::worked_example(&out, managers::WORKERS)).unwrap()
    };
    assert_eq!(finished.count, 10, "join on the counter manager");
    assert_eq!(finished.printed, the_python_output());
    // And what reached the output is those lines and nothing else.
    let shown: Vec<String> = out.captured().lines().map(str::to_owned).collect();
    assert_eq!(shown, the_python_output());
    assert_eq!(
        managers::python_output(managers::WORKERS),
        the_python_output()
    );
}

#[test]
fn the_worked_example_prints_the_same_lines_every_time() {
    // A hundred runs, or as many as 4 s allow but at least ten: each run
    // starts a dozen threads, and where that is slow (Windows under wine
    // on a loaded machine) a hundred runs took over 10 s.
    let runs = deadline(|| {
        let until = Instant::now() + Duration::from_secs(4);
        (0..100)
            .take_while(|&run| run < 10 || Instant::now() < until)
            .map(|_| managers::worked_example(&Out::capture(false), managers::WORKERS))
            .collect::<std::io::Result<Vec<_>>>()
    })
    .unwrap();
    for finished in runs {
        assert_eq!(finished.printed, the_python_output());
    }
}

#[test]
fn more_workers_count_further_in_order() {
    let finished = deadline(|| managers::worked_example(&Out::capture(false), 50)).unwrap();
    assert_eq!(finished.count, 50);
    assert_eq!(finished.printed, managers::python_output(50));
    assert_eq!(finished.printed.len(), 2 + 2 * 50);
}

#[test]
fn a_kept_sender_keeps_the_manager_waiting() {
    let (still_waiting, count) = deadline(|| managers::forgotten_sender(ms(100))).unwrap();
    assert!(still_waiting, "the manager ended while a sender was alive");
    assert_eq!(count, 1);
}

#[test]
fn an_owner_counts_exactly() {
    let owned = deadline(|| rules::owned_counter(4, 50_000)).unwrap();
    assert_eq!(owned, 200_000);
}

#[test]
fn every_question_gets_its_own_answer() {
    let answers = deadline(|| replies::ask_the_owner(&Out::capture(true))).unwrap();
    let least = 8 + replies::ADDS_EACH;
    let total = 8 + replies::ASKERS as u64 * replies::ADDS_EACH;
    assert_eq!(answers.first, 8);
    assert_eq!(answers.askers.len(), replies::ASKERS);
    for seen in &answers.askers {
        assert!(
            (least..=total).contains(seen),
            "an asker saw {seen}: fewer than its own adds, or more than were made"
        );
    }
    assert_eq!((answers.last, answers.final_count), (total, total));
}

#[test]
fn an_answer_counts_every_earlier_request_from_the_same_thread() {
    let counts = deadline(|| {
        let (counter, owner) = replies::Counter::start()?;
        let mut seen = Vec::new();
        for n in 1..=100 {
            counter.add(n);
            seen.push(counter.get());
        }
        drop(counter);
        Ok::<_, std::io::Error>((seen, queues::join(owner)?))
    })
    .unwrap();
    let expected: Vec<u64> = (1..=100).map(|n| n * (n + 1) / 2).collect();
    assert_eq!(counts.0, expected);
    assert_eq!(counts.1, 5050);
}

#[test]
fn a_bounded_channel_makes_the_producer_keep_pace() {
    let work = ms(25);
    let (items, capacity) = (backpressure::ITEMS, backpressure::CAPACITY);
    let flow =
        deadline(move || backpressure::produce_and_consume(Some(capacity), items, work)).unwrap();
    assert!(flow.most_waiting <= capacity);
    // Before its last send can finish, the consumer must have taken all but
    // `capacity` items, and it works on each one before taking the next.
    let least = work * (items - capacity - 1) as u32;
    assert!(
        flow.producer_done >= least,
        "the producer was done after {:?}, before the consumer could have made room",
        flow.producer_done
    );
    assert!(flow.consumer_done >= work * items as u32);
}

#[test]
fn an_unbounded_channel_lets_the_producer_run_ahead() {
    let work = ms(25);
    let items = backpressure::ITEMS;
    let flow = deadline(move || backpressure::produce_and_consume(None, items, work)).unwrap();
    assert!(flow.consumer_done >= work * items as u32);
    assert!(
        flow.producer_done < flow.consumer_done / 2,
        "unbounded, the producer took {:?} of the consumer's {:?}",
        flow.producer_done,
        flow.consumer_done
    );
    assert!(
        flow.most_waiting > backpressure::CAPACITY,
        "only {} items ever waited",
        flow.most_waiting
    );
}

#[test]
fn the_listener_handles_its_jobs_then_idles_then_stops() {
    let listened =
        deadline(|| backpressure::listen_until_told(ms(50), &Out::capture(true))).unwrap();
    assert_eq!(listened.handled, ["job 1", "job 2", "job 3"]);
    assert!(listened.quiet_spells >= 1);
}

#[test]
fn every_thread_has_its_own_thread_local() {
    let tallies = deadline(|| {
        let tallies = locals::each_its_own(&[10, 20, 30], &Out::capture(true));
        // This thread's copy was never touched by the others.
        locals::note_call();
        (tallies, locals::calls_noted_here())
    });
    let (tallies, here) = (tallies.0.unwrap(), tallies.1);
    assert_eq!(
        tallies.threads,
        [
            ("tally-0".to_owned(), 10),
            ("tally-1".to_owned(), 20),
            ("tally-2".to_owned(), 30)
        ]
    );
    assert_eq!((tallies.main_before, tallies.main_after, here), (7, 7, 8));
}

#[test]
fn every_design_counts_exactly() {
    let samples = deadline(|| {
        [
            costs::atomic(3, 10_000),
            costs::mutex(3, 10_000),
            costs::owner_crossbeam(3, 10_000),
            costs::owner_mpsc(3, 10_000),
        ]
    });
    for (design, sample) in costs::DESIGNS.iter().zip(samples) {
        assert!(sample.exact, "{design} lost or invented an increment");
        assert!(sample.seconds_per_increment > 0.0, "{design}");
    }
}

#[test]
fn the_code_shown_is_the_code_run() {
    testing::check_snippets(&LESSON);
}

//! Tests for the exercises in `src/exercises.rs`, one module per exercise.
//!
//! Written once, run against two implementations: `cargo test` checks the
//! reference solutions in `src/solutions.rs`, and `cargo xtask check queues`
//! (which builds them with `--cfg learner`) checks your code. Every test runs
//! under a deadline, so an answer that waits forever fails within seconds
//! with "deadlock likely" instead of hanging.

#[cfg(learner)]
use queues::exercises as answer;
#[cfg(not(any(learner, wrong_answer)))]
use queues::solutions as answer;
// `cargo xtask wrong-answers` checks the wrong answers kept in
// tests/wrong_answers/ the way `cargo xtask check` checks yours.
#[cfg(wrong_answer)]
mod answer {
    include!(env!("WRONG_ANSWER"));
}

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
// Exercise tests wait 5 s, not 10: see `EXERCISE_DEADLINE`.
use workshop::testing::exercise_deadline as deadline;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

mod queue_join {
    use super::*;
    use answer::Task;

    /// The items the workers have processed, each with the moment it was
    /// done.
    type Processed = Arc<Mutex<Vec<(u64, Instant)>>>;

    /// Workers like Python's daemon workers: they take tasks until the
    /// sender is dropped, spend `work(item)` on each, note the item as
    /// processed, and only then acknowledge it.
    fn start_workers(count: usize, work: fn(u64) -> Duration) -> (Sender<Task>, Processed) {
        let (to_workers, tasks) = unbounded::<Task>();
        let processed = Arc::new(Mutex::new(Vec::new()));
        for _ in 0..count {
            let (tasks, processed) = (tasks.clone(), Arc::clone(&processed));
            thread::spawn(move || {
                for task in tasks {
                    thread::sleep(work(task.item));
                    processed.lock().unwrap().push((task.item, Instant::now()));
                    let _ = task.done.send(()); // task_done()
                }
            });
        }
        (to_workers, processed)
    }

    fn sorted(processed: &Processed) -> Vec<u64> {
        let mut items: Vec<u64> = processed.lock().unwrap().iter().map(|&(i, _)| i).collect();
        items.sort_unstable();
        items
    }

    /// A number of milliseconds from `low` to `high` that changes from run
    /// to run, so that no fixed sleep fits it.
    fn unforeseeable_ms(low: u64, high: u64) -> u64 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::from(d.subsec_nanos()));
        low + nanos % (high - low)
    }

    #[test]
    fn nothing_to_join() {
        let (workers, processed) = start_workers(2, |_| ms(0));
        let start = Instant::now();
        let acknowledged = deadline(move || answer::queue_join(&workers, &[]));
        let took = start.elapsed();
        assert_eq!(acknowledged, 0);
        assert!(processed.lock().unwrap().is_empty());
        assert!(
            took < ms(250),
            "an empty batch took {took:?}: with nothing to wait for it returns at once"
        );
    }

    /// Returns as soon as the last acknowledgement is in, not after a fixed
    /// sleep. Timed from the moment the last item was done (the workers
    /// note it) to the return: a loaded machine that is slow to start the
    /// workers or to run the items delays both, so only the wait after the
    /// work counts. A fixed sleep long enough for the unforeseeable slow
    /// item of `a_slow_item_is_waited_for` outlasts these items by far.
    #[test]
    fn returns_as_soon_as_the_last_item_is_done() {
        let (workers, processed) = start_workers(3, |_| ms(10));
        let items: Vec<u64> = (1..=6).collect();
        let (acknowledged, returned) =
            deadline(move || (answer::queue_join(&workers, &items), Instant::now()));
        assert_eq!(acknowledged, 6);
        assert_eq!(sorted(&processed).len(), 6);
        let last_done = processed.lock().unwrap().iter().map(|&(_, at)| at).max();
        let waited = returned.saturating_duration_since(last_done.expect("six items done"));
        assert!(
            waited < ms(250),
            "queue_join returned {waited:?} after the last of six 10 ms items was done: \
             wait for the acknowledgements, not for a fixed time"
        );
    }

    #[test]
    fn one_item_is_processed_before_join_returns() {
        let (workers, processed) = start_workers(1, |_| ms(50));
        let acknowledged = deadline(move || answer::queue_join(&workers, &[7]));
        assert_eq!(acknowledged, 1);
        assert_eq!(
            sorted(&processed),
            [7],
            "queue_join returned before the worker had processed the item"
        );
    }

    #[test]
    fn every_item_is_processed_before_join_returns() {
        let (workers, processed) = start_workers(3, |item| ms(10 + item % 4 * 10));
        let items: Vec<u64> = (1..=12).collect();
        let acknowledged = deadline(move || answer::queue_join(&workers, &items));
        assert_eq!(acknowledged, 12);
        assert_eq!(
            sorted(&processed),
            (1..=12).collect::<Vec<_>>(),
            "queue_join returned before every item had been processed"
        );
    }

    #[test]
    fn a_slow_item_is_waited_for() {
        // Item 3 takes much longer than the others: waiting for the first
        // acknowledgements, or for as many as there are workers, is not
        // enough.
        // How slow changes from run to run: no fixed sleep is enough.
        let slow = unforeseeable_ms(300, 900);
        let (workers, processed) = start_workers(3, |item| ms(if item > 3 { item } else { 5 }));
        let items = [1, 2, slow, 3];
        let acknowledged = deadline(move || answer::queue_join(&workers, &items));
        assert_eq!(acknowledged, 4);
        let mut expected = vec![1, 2, 3, slow];
        expected.sort_unstable();
        assert_eq!(
            sorted(&processed),
            expected,
            "queue_join returned before the {slow} ms item was processed"
        );
    }

    #[test]
    fn the_workers_share_the_batch() {
        let (workers, processed) = start_workers(4, |_| ms(100));
        let start = Instant::now();
        let acknowledged =
            deadline(move || answer::queue_join(&workers, &[1, 2, 3, 4, 5, 6, 7, 8]));
        let took = start.elapsed();
        assert_eq!(acknowledged, 8);
        assert_eq!(sorted(&processed).len(), 8);
        assert!(
            took < ms(600),
            "8 items of 100 ms on 4 workers took {took:?}: did you wait for each item before \
             handing over the next?"
        );
    }

    #[test]
    fn the_workers_keep_running_for_the_next_batch() {
        let (workers, processed) = start_workers(2, |_| ms(10));
        let (first, second) = deadline(move || {
            let first = answer::queue_join(&workers, &[1, 2, 3]);
            let second = answer::queue_join(&workers, &[4, 5]);
            (first, second)
        });
        assert_eq!((first, second), (3, 2));
        assert_eq!(sorted(&processed), [1, 2, 3, 4, 5]);
    }
}

mod bank_account {
    use super::*;
    use answer::{BankRequest, Overdraft};

    /// The account's owner thread, and the tests' way of talking to it.
    struct Bank {
        requests: Sender<BankRequest>,
        owner: Option<thread::JoinHandle<u64>>,
    }

    impl Bank {
        fn open(opening_balance: u64) -> Bank {
            let (requests, inbox) = unbounded();
            let owner = thread::spawn(move || answer::bank_account(opening_balance, inbox));
            Bank {
                requests,
                owner: Some(owner),
            }
        }

        /// Sends a request and waits for its answer.
        fn ask<T>(&mut self, request: impl FnOnce(Sender<T>) -> BankRequest) -> T {
            let (reply, answer) = bounded(1);
            if self.requests.send(request(reply)).is_ok() {
                if let Ok(answer) = answer.recv() {
                    return answer;
                }
            }
            self.stopped_answering()
        }

        fn deposit(&mut self, amount: u64) -> u64 {
            self.ask(|reply| BankRequest::Deposit { amount, reply })
        }

        fn withdraw(&mut self, amount: u64) -> Result<u64, Overdraft> {
            self.ask(|reply| BankRequest::Withdraw { amount, reply })
        }

        fn balance(&mut self) -> u64 {
            self.ask(|reply| BankRequest::Balance { reply })
        }

        /// Drops the tests' sender and returns what the owner's `join`
        /// gives: the final balance.
        fn close(mut self) -> u64 {
            let owner = self.owner.take().expect("the bank is open");
            drop(self.requests);
            owner
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        }

        /// Fails the test with the reason the bank stopped answering: its
        /// thread's own panic if it panicked (a `todo!()`, an `unwrap`…).
        fn stopped_answering(&mut self) -> ! {
            let owner = self.owner.take().expect("the bank is open");
            // A thread that panicked is still unwinding: give it a moment.
            let patience = Instant::now() + ms(2_000);
            while !owner.is_finished() && Instant::now() < patience {
                thread::sleep(ms(5));
            }
            if !owner.is_finished() {
                panic!("the bank dropped a reply sender without answering");
            }
            match owner.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(_) => panic!("the bank returned while a client was still asking"),
            }
        }
    }

    #[test]
    fn no_requests_returns_the_opening_balance() {
        let final_balance = deadline(|| Bank::open(100).close());
        assert_eq!(
            final_balance, 100,
            "with every sender gone, the account returns its balance"
        );
    }

    #[test]
    fn a_deposit_answers_the_new_balance() {
        let answers = deadline(|| {
            let mut bank = Bank::open(100);
            let after = bank.deposit(50);
            let asked = bank.balance();
            (after, asked, bank.close())
        });
        assert_eq!(answers, (150, 150, 150));
    }

    #[test]
    fn withdrawing_everything_leaves_zero() {
        let (answer, closed) = deadline(|| {
            let mut bank = Bank::open(100);
            let answer = bank.withdraw(100);
            (answer, bank.close())
        });
        assert_eq!(answer, Ok(0), "the balance may reach 0");
        assert_eq!(closed, 0);
    }

    #[test]
    fn an_overdraft_is_refused_and_changes_nothing() {
        let (answer, asked, closed) = deadline(|| {
            let mut bank = Bank::open(100);
            let answer = bank.withdraw(101);
            let asked = bank.balance();
            (answer, asked, bank.close())
        });
        assert_eq!(
            answer,
            Err(Overdraft {
                balance: 100,
                requested: 101
            })
        );
        assert_eq!(
            (asked, closed),
            (100, 100),
            "a refused withdrawal takes nothing"
        );
    }

    #[test]
    fn the_example_from_the_brief() {
        let answers = deadline(|| {
            let mut bank = Bank::open(100);
            let deposited = bank.deposit(50);
            let refused = bank.withdraw(200);
            let emptied = bank.withdraw(150);
            (deposited, refused, emptied, bank.close())
        });
        let refused = Err(Overdraft {
            balance: 150,
            requested: 200,
        });
        assert_eq!(answers, (150, refused, Ok(0), 0));
    }

    #[test]
    fn a_client_that_left_does_not_bring_the_bank_down() {
        let (asked, closed) = deadline(|| {
            let mut bank = Bank::open(100);
            // This client sends a deposit and leaves without its answer.
            let (reply, answer) = bounded(1);
            drop(answer);
            let _ = bank
                .requests
                .send(BankRequest::Deposit { amount: 50, reply });
            let asked = bank.balance();
            (asked, bank.close())
        });
        assert_eq!(
            (asked, closed),
            (150, 150),
            "the deposit counts, and the bank keeps serving the others"
        );
    }

    /// One client's side of the hammering: what it asked for, and the
    /// answer it got back.
    enum Pending {
        Deposit(u64, Receiver<u64>),
        Withdraw(u64, Receiver<Result<u64, Overdraft>>),
    }

    /// What one client's books say the bank accepted.
    #[derive(Default)]
    struct Books {
        deposited: u64,
        withdrawn: u64,
        refused: u64,
    }

    /// A client that sends its requests in bursts, without waiting for the
    /// answers in between, and keeps its own books of what was accepted.
    /// `None` if the bank stopped answering.
    fn hammer(bank: Sender<BankRequest>, client: u64, requests: u64) -> Option<Books> {
        const BURST: u64 = 50;
        let mut books = Books::default();
        for burst in 0..requests / BURST {
            let mut pending = Vec::new();
            for k in burst * BURST..(burst + 1) * BURST {
                if k % 2 == 0 {
                    let (reply, answer) = bounded(1);
                    let amount = client + 1;
                    bank.send(BankRequest::Deposit { amount, reply }).ok()?;
                    pending.push(Pending::Deposit(amount, answer));
                } else {
                    let (reply, answer) = bounded(1);
                    let amount = (k * 7 + client * 13) % 50 + 1;
                    bank.send(BankRequest::Withdraw { amount, reply }).ok()?;
                    pending.push(Pending::Withdraw(amount, answer));
                }
            }
            for request in pending {
                match request {
                    Pending::Deposit(amount, answer) => {
                        answer.recv().ok()?;
                        books.deposited += amount;
                    }
                    Pending::Withdraw(amount, answer) => match answer.recv().ok()? {
                        Ok(_) => books.withdrawn += amount,
                        Err(overdraft) => {
                            assert_eq!(overdraft.requested, amount);
                            assert!(
                                overdraft.balance < amount,
                                "refused {amount} with {} in the account",
                                overdraft.balance
                            );
                            books.refused += 1;
                        }
                    },
                }
            }
        }
        Some(books)
    }

    #[test]
    fn the_books_balance_under_hammering() {
        const CLIENTS: u64 = 8;
        const REQUESTS: u64 = 2_000;
        const OPENING: u64 = 1_000;
        let (total, asked, closed) = deadline(|| {
            let mut bank = Bank::open(OPENING);
            let clients: Vec<_> = (0..CLIENTS)
                .map(|client| {
                    let requests = bank.requests.clone();
                    thread::spawn(move || hammer(requests, client, REQUESTS))
                })
                .collect();
            let mut total = Books::default();
            for client in clients {
                let books = client
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                let Some(books) = books else {
                    bank.stopped_answering()
                };
                total.deposited += books.deposited;
                total.withdrawn += books.withdrawn;
                total.refused += books.refused;
            }
            let asked = bank.balance();
            (total, asked, bank.close())
        });
        // The clients try to take out far more than ever goes in, so the
        // bank must have said no many times.
        assert!(total.refused > 0, "no withdrawal was refused");
        let books = OPENING + total.deposited - total.withdrawn;
        assert_eq!(
            asked, books,
            "money was lost or created: opening {OPENING} + accepted deposits {} - accepted \
             withdrawals {} = {books}",
            total.deposited, total.withdrawn
        );
        assert_eq!(closed, books);
    }
}

mod until_quiet {
    use super::*;

    #[test]
    fn no_message_and_no_sender_returns_at_once() {
        let (sender, messages) = unbounded::<u32>();
        drop(sender);
        let start = Instant::now();
        let collected = deadline(move || answer::until_quiet(&messages, ms(2_000)));
        let took = start.elapsed();
        assert!(collected.is_empty());
        assert!(
            took < ms(1_000),
            "took {took:?}: with every sender gone, nothing more can come, so don't wait"
        );
    }

    #[test]
    fn what_is_waiting_is_collected_in_order() {
        let (sender, messages) = unbounded();
        for n in [1, 2, 3] {
            sender.send(n).unwrap();
        }
        let start = Instant::now();
        // The sender stays alive: only the quiet can end the wait.
        let collected = deadline(move || answer::until_quiet(&messages, ms(100)));
        let took = start.elapsed();
        drop(sender);
        assert_eq!(collected, [1, 2, 3]);
        assert!(
            took >= ms(100),
            "returned after {took:?}: wait until nothing has come for the whole quiet time"
        );
    }

    #[test]
    fn messages_that_keep_coming_are_all_collected() {
        let (sender, messages) = unbounded();
        let (release, released) = bounded::<()>(0);
        // Twelve messages, 40 ms apart: about 480 ms in all, longer than
        // the quiet time, but no gap comes near it. Then the sender stays
        // alive, silent, until the test is done.
        let trickle = thread::spawn(move || {
            for n in 0..12 {
                if sender.send(n).is_err() {
                    return;
                }
                thread::sleep(ms(40));
            }
            let _ = released.recv();
        });
        let collected = deadline(move || {
            let collected = answer::until_quiet(&messages, ms(400));
            drop(release);
            trickle.join().expect("the trickling thread panicked");
            collected
        });
        assert_eq!(
            collected,
            (0..12).collect::<Vec<_>>(),
            "the quiet time is the longest gap between two messages, not a limit on the total"
        );
    }

    #[test]
    fn later_messages_stay_in_the_channel() {
        let (sender, messages) = unbounded();
        sender.send("a").unwrap();
        sender.send("b").unwrap();
        // "c" comes long after the quiet time has run out.
        let late = thread::spawn(move || {
            thread::sleep(ms(600));
            let _ = sender.send("c");
        });
        let (collected, left) = deadline(move || {
            let collected = answer::until_quiet(&messages, ms(150));
            let left = messages.recv_timeout(ms(5_000)).ok();
            late.join().expect("the late thread panicked");
            (collected, left)
        });
        assert_eq!(collected, ["a", "b"]);
        assert_eq!(
            left,
            Some("c"),
            "a message after the quiet belongs to whoever reads next"
        );
    }
}

mod pipeline {
    use super::*;
    use std::collections::BTreeSet;
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    /// Reads the output to its end. A slow reader's pipeline takes a while
    /// on a loaded machine: the lessons' full deadline (10 s), not the
    /// exercises' 5 s.
    fn everything<T: Send + 'static>(output: Receiver<T>) -> Vec<T> {
        workshop::testing::deadline(move || output.iter().collect())
    }

    #[test]
    fn an_empty_input_gives_an_empty_output() {
        let (sender, input) = unbounded::<u32>();
        drop(sender);
        let output = deadline(move || answer::pipeline(input, 2, |x| x, |x| x, |x| x));
        assert!(
            everything(output).is_empty(),
            "the output must end when the input ends"
        );
    }

    #[test]
    fn items_pass_every_stage_in_order() {
        let (sender, input) = unbounded::<u64>();
        for n in 1..=100 {
            sender.send(n).unwrap();
        }
        drop(sender);
        let output =
            deadline(move || answer::pipeline(input, 4, |n| n + 1, |n| n * 2, |n| format!("#{n}")));
        let expected: Vec<String> = (1..=100).map(|n| format!("#{}", (n + 1) * 2)).collect();
        assert_eq!(everything(output), expected);
    }

    #[test]
    fn each_stage_runs_on_its_own_named_thread() {
        type Names = Arc<Mutex<BTreeSet<String>>>;
        let names: [Names; 3] = Default::default();
        let noted = |names: &Names| {
            let names = Arc::clone(names);
            move |n: u32| {
                let me = thread::current().name().unwrap_or("unnamed").to_owned();
                names.lock().unwrap().insert(me);
                n
            }
        };
        let (sender, input) = unbounded();
        for n in 0..10 {
            sender.send(n).unwrap();
        }
        drop(sender);
        let (first, second, third) = (noted(&names[0]), noted(&names[1]), noted(&names[2]));
        let output = deadline(move || answer::pipeline(input, 2, first, second, third));
        assert_eq!(everything(output).len(), 10);
        for (stage, names) in names.iter().enumerate() {
            let expected = format!("stage-{}", stage + 1);
            assert_eq!(
                *names.lock().unwrap(),
                BTreeSet::from([expected]),
                "stage {} ran on these threads",
                stage + 1
            );
        }
    }

    #[test]
    fn a_slow_producer_loses_nothing() {
        let (sender, input) = unbounded::<u32>();
        // Items trickle in; between them, every stage finds its input empty
        // (but not ended).
        let producer = thread::spawn(move || {
            for n in 0..20 {
                if sender.send(n).is_err() {
                    return; // the pipeline stopped reading
                }
                thread::sleep(ms(15));
            }
        });
        let output = deadline(move || answer::pipeline(input, 2, |n| n, |n| n * 10, |n| n + 1));
        let collected = everything(output);
        deadline(move || producer.join().expect("the producer panicked"));
        let expected: Vec<u32> = (0..20).map(|n| n * 10 + 1).collect();
        assert_eq!(
            collected, expected,
            "an empty channel is not an ended one: wait for the next item"
        );
    }

    #[test]
    fn a_slow_reader_holds_the_pipeline_back() {
        const CAPACITY: usize = 2;
        const ITEMS: u64 = 1_000;
        let (sender, input) = unbounded();
        for n in 0..ITEMS {
            sender.send(n).unwrap();
        }
        drop(sender);
        let taken = Arc::new(AtomicUsize::new(0));
        let counting = {
            let taken = Arc::clone(&taken);
            move |n: u64| {
                taken.fetch_add(1, Relaxed);
                n
            }
        };
        let output = deadline(move || answer::pipeline(input, CAPACITY, counting, |n| n, |n| n));
        // Nobody reads for a while. Three bounded channels and three stages
        // can hold a few items each, no more.
        thread::sleep(ms(300));
        let in_flight = taken.load(Relaxed);
        assert!(
            in_flight <= 4 * CAPACITY + 4,
            "stage 1 took {in_flight} of {ITEMS} items while nobody read the output: use \
             bounded(capacity) channels between the stages"
        );
        assert_eq!(everything(output), (0..ITEMS).collect::<Vec<_>>());
    }
}

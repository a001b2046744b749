//! Helpers for the lessons' tests: deadlines, transcripts for snapshots, and
//! checks that the code a lesson shows cannot drift from the code it runs.

use std::panic::{self, AssertUnwindSafe, Location, resume_unwind};
use std::process::Command;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use crate::common::COMMON;
use crate::exit;
use crate::lesson::{Lesson, Section};
use crate::python::NotFound;
use crate::settings::Settings;
use crate::shown::{Code, code_lines};
use crate::text::dedent;

mod answer_panics;
mod scratch;

pub use scratch::Scratch;
#[cfg(unix)]
pub use scratch::write_script;

/// How long [`deadline`] waits: generous on a loaded laptop, short enough
/// that a deadlock is reported while the learner is still looking.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// insta filters for lesson transcripts. Measured values are redacted where
/// they are produced (see [`Out`](crate::Out)), so this table only catches
/// what a lesson cannot redact itself; it must never hide what a lesson
/// shows.
pub const SNAPSHOT_FILTERS: &[(&str, &str)] = &[
    // Thread ids are numbered in creation order, which the test harness's
    // own threads disturb.
    (r"ThreadId\(\d+\)", "ThreadId([id])"),
];

/// The snapshot tests every lesson has, in its `tests/transcript.rs`: one
/// for the banner, one for the recap, one per section (`--quick`, measured values redacted;
/// see [`Settings::snapshot`]), and one that checks every section of the
/// lesson is listed. Name each section's module: the test is named after
/// it, so `cargo test --test transcript watch` runs that section alone, and
/// a mismatch in one section does not hide a mismatch in another. The
/// snapshots are `tests/snapshots/transcript__<section>.snap`. The lesson's
/// crate must have `insta` as a dev-dependency.
///
/// ```ignore
/// workshop::snapshot_tests!(sleeper, env!("CARGO_BIN_EXE_sleeper"), [start, names, many]);
/// ```
#[macro_export]
macro_rules! snapshot_tests {
    ($lesson:ident, $exe:expr, [$($section:ident),+ $(,)?]) => {
        fn settings() -> $crate::Settings {
            $crate::Settings::snapshot().exe($exe)
        }

        #[test]
        fn banner() {
            let text = $crate::runner::banner(&$lesson::LESSON, &settings());
            insta::assert_snapshot!("banner", text);
        }

        #[test]
        fn every_line_fits_in_80_columns() {
            $crate::testing::check_widths(&$lesson::LESSON, $crate::Settings::widest().quick().exe($exe));
        }

        #[test]
        #[ignore = "runs the lesson at full length; run it with -- --ignored"]
        fn every_line_fits_in_80_columns_at_full_length() {
            $crate::testing::check_widths(&$lesson::LESSON, $crate::Settings::widest().exe($exe));
        }

        #[test]
        fn piped_output_has_no_progress_lines_and_no_escapes() {
            $crate::testing::check_piped($exe);
        }

        #[test]
        #[ignore = "runs the lesson at full length in a terminal; run it with -- --ignored"]
        fn in_a_terminal_no_wait_is_silent_at_full_length() {
            $crate::testing::check_progress_in_a_terminal($exe, &[]);
        }

        #[test]
        fn recap() {
            insta::assert_snapshot!("recap", $crate::runner::recap(&$lesson::LESSON));
        }

        #[test]
        fn every_section_has_a_snapshot_test() {
            $crate::testing::check_sections_listed(
                &$lesson::LESSON,
                &[$(&$lesson::$section::SECTION),+],
            );
        }

        $(
            #[test]
            fn $section() {
                let section = &$lesson::$section::SECTION;
                let text = $crate::testing::transcript(&$lesson::LESSON, settings().section(section.name));
                insta::with_settings!({ filters => $crate::testing::SNAPSHOT_FILTERS.to_vec() }, {
                    insta::assert_snapshot!(section.name, text);
                });
            }
        )+
    };
}

/// The width of the projector's terminal: every line a lesson or
/// `cargo xtask` prints fits in it.
pub const COLUMNS: usize = 80;

/// The lines of `text` wider than [`COLUMNS`], each with its width.
pub fn too_wide(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| line.chars().count() > COLUMNS)
        .map(|line| format!("{:>3}: {line}", line.chars().count()))
        .collect()
}

/// Runs the whole lesson into a transcript, with measured values printed
/// at their widest ([`Settings::widest`]), twice: as it is and with the
/// CPython comparisons on. Fails unless every line fits in [`COLUMNS`]:
/// narration, tables, timelines, the Python beside the Rust. The failure
/// names each line too wide and the section it is in.
#[track_caller]
pub fn check_widths(lesson: &'static Lesson, settings: Settings) {
    let mut text = transcript(lesson, settings.clone());
    let mut compared = settings;
    compared.compare_python = true;
    text.push_str(&transcript(lesson, compared));
    let mut section = "the banner".to_owned();
    let mut wide = Vec::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("── ") {
            section = heading.trim_end_matches(['─', ' ']).to_owned();
        }
        let entry = format!("{section}:\n    {:>3}: {line}", line.chars().count());
        if line.chars().count() > COLUMNS && !wide.contains(&entry) {
            wide.push(entry);
        }
    }
    assert!(
        wide.is_empty(),
        "{} lines of lesson {} are wider than {COLUMNS} columns:\n  {}",
        wide.len(),
        lesson.name,
        wide.join("\n  ")
    );
}

/// Fails unless `listed` names the lesson's sections, in order: a section
/// added to the lesson without a snapshot test is caught here.
#[track_caller]
pub fn check_sections_listed(lesson: &Lesson, listed: &[&Section]) {
    let names = |sections: &mut dyn Iterator<Item = &Section>| -> Vec<&str> {
        sections.map(|s| s.name).collect()
    };
    let tested = names(&mut listed.iter().copied());
    let sections = names(&mut lesson.sections.iter());
    assert_eq!(
        tested, sections,
        "tests/transcript.rs must list the module of every section of lesson {}, in order",
        lesson.name
    );
}

/// Runs `work` on its own thread and returns its result, or fails the test
/// within [`DEADLINE`] with a message that says where, and what the process
/// was doing meanwhile ([`Stuck`]): computing ("still running: a loop that
/// never ends, or far too slow") or waiting ("deadlock likely: waiting for
/// something that never happens"), with the CPU time it measured.
///
/// A panic in `work` fails the test with that panic's message; so does a
/// panic in an answer file (`src/exercises.rs`, `src/solutions.rs`) on any
/// thread, at once, rather than after the deadline (`testing/answer_panics.rs`
/// says why and how).
///
/// ```
/// let answer = workshop::testing::deadline(|| 6 * 7);
/// assert_eq!(answer, 42);
/// ```
#[track_caller]
pub fn deadline<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    within(DEADLINE, work)
}

/// What the thread waiting in [`within`] hears first.
enum Event<T> {
    /// `work` returned, or panicked.
    Returned(thread::Result<T>),
    /// Some thread panicked in an answer file: the message, and where.
    AnswerPanicked(String),
}

/// How long [`exercise_deadline`] waits: an exercise's test does far less
/// than a lesson's claims, and a check whose answer hangs in several tests
/// (two at a time) must still answer while the learner is looking.
pub const EXERCISE_DEADLINE: Duration = Duration::from_secs(5);

/// How long [`exercise_deadline`] waits once another test of the same
/// exercise has run out of time in this process: that answer is stuck, and
/// waiting the full time for each of its tests would keep the learner
/// waiting for a verdict already given.
pub const AFTER_A_STUCK_TEST: Duration = Duration::from_secs(1);

/// [`deadline`] for the exercise tests, with [`EXERCISE_DEADLINE`], or
/// [`AFTER_A_STUCK_TEST`] once a test of the same exercise (the first part
/// of the test's name, `wake_order` in `wake_order::one_sleeper`) got stuck.
#[track_caller]
pub fn exercise_deadline<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let stuck_before = exercise_of_this_test().is_some_and(|exercise| {
        STUCK_EXERCISES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(&exercise)
    });
    let limit = if stuck_before {
        AFTER_A_STUCK_TEST
    } else {
        EXERCISE_DEADLINE
    };
    within(limit, work)
}

/// The exercises with a test that ran out of time in this process.
static STUCK_EXERCISES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// `wake_order` for the test `wake_order::one_sleeper_is_called_sleeper_0`
/// (libtest names each test's thread after the test); `None` outside a
/// test module.
fn exercise_of_this_test() -> Option<String> {
    let name = thread::current().name()?.to_owned();
    let (exercise, _) = name.split_once("::")?;
    Some(exercise.to_owned())
}

/// [`deadline`] with a limit of your choice.
///
/// ```should_panic
/// use std::time::Duration;
/// // A thread waiting for a message that never comes: reported, not hung.
/// let (_keep_open, never) = std::sync::mpsc::channel::<()>();
/// workshop::testing::within(Duration::from_millis(50), move || never.recv());
/// ```
#[track_caller]
pub fn within<T: Send + 'static>(limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> T {
    let caller = Location::caller();
    // libtest names each test's thread after the test.
    let test = thread::current().name().unwrap_or("a test").to_owned();
    let watch = Watch::start();
    let (events, event) = mpsc::channel();
    let _told = answer_panics::subscribe({
        let events = events.clone();
        move |report| {
            let _ = events.send(Event::AnswerPanicked(report.to_owned()));
        }
    });
    let worker = thread::Builder::new()
        .name(test.clone())
        .spawn(move || {
            let returned = panic::catch_unwind(AssertUnwindSafe(work));
            let _ = events.send(Event::Returned(returned));
        })
        .expect("the test could not start a thread");
    match event.recv_timeout(limit) {
        Ok(Event::Returned(Ok(value))) => {
            let _ = worker.join();
            value
        }
        Ok(Event::Returned(Err(panic))) => resume_unwind(panic),
        Ok(Event::AnswerPanicked(report)) => panic!("{report}"),
        Err(RecvTimeoutError::Timeout) => {
            let stuck = watch.stuck();
            if let Some(exercise) = exercise_of_this_test() {
                let mut stuck = STUCK_EXERCISES
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if !stuck.contains(&exercise) {
                    stuck.push(exercise);
                }
            }
            panic!("{}", stuck.message(&test, &caller.to_string()))
        }
        // The subscription keeps a sender until this function returns.
        Err(RecvTimeoutError::Disconnected) => panic!("`{test}` ended without a result"),
    }
}

/// What a model check blocked for good means (see
/// [`failing_when_blocked`]); `cargo xtask check` finds it in the failure
/// to explain it, so it is said here once.
pub const LOOM_BLOCKED: &str = "Loom was blocked: no thread ran. Loom switches threads only \
    at the operations of loom's own types, so an answer that waits on std::sync's own \
    Barrier, Mutex or Condvar stops it for good. Build the answer on the `Mutex` and \
    `Condvar` of the lesson's `sync` module (the top of the exercises file says why).";

/// Runs `work` for as long as it takes while the process keeps computing,
/// and fails as soon as it has waited for `quiet` without computing: for
/// work that may rightly take long but must never block, such as a model
/// checker exploring an answer (loom stops for good when an answer waits on
/// something it does not model, like `std::sync`'s own types). The
/// failure's first line is [`Stuck`]'s "deadlock likely" diagnosis, then
/// `why` (what such a block usually means here). The caller keeps its own
/// overall limit for work that computes for ever.
///
/// The CPU time is the whole process's: work computing beside it (other
/// tests of the same binary) delays the verdict until that work is done.
#[track_caller]
pub fn failing_when_blocked<T: Send + 'static>(
    quiet: Duration,
    why: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let caller = Location::caller();
    let test = thread::current().name().unwrap_or("a test").to_owned();
    let (returned, result) = mpsc::channel();
    thread::Builder::new()
        .name(test.clone())
        .spawn(move || {
            let _ = returned.send(panic::catch_unwind(AssertUnwindSafe(work)));
        })
        .expect("the test could not start a thread");
    let mut window = Watch::start();
    loop {
        match result.recv_timeout(quiet / 10) {
            Ok(Ok(value)) => return value,
            Ok(Err(panic)) => resume_unwind(panic),
            Err(RecvTimeoutError::Disconnected) => panic!("`{test}` ended without a result"),
            Err(RecvTimeoutError::Timeout) => {}
        }
        let stuck = window.stuck();
        if stuck.wall < quiet {
            continue;
        }
        if stuck.cpu.is_none() || stuck.spinning() {
            window = Watch::start(); // still computing (or nothing to tell by)
            continue;
        }
        let detail = crate::text::wrap(why, 70, "");
        panic!("{}\n{detail}", stuck.message(&test, &caller.to_string()));
    }
}

/// What the process did while a [`deadline`] waited in vain for a test's
/// work: the CPU time it used (all its threads together) over the wall time
/// that passed.
///
/// A thread stuck in a loop keeps a core busy; threads that wait for a lock,
/// a join or a message use next to none. The line between the two is
/// [`Stuck::SPINNING`] of one core: far above what waiting threads use, and
/// far below what a spinning thread gets even on a machine busy with other
/// work.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stuck {
    /// How long the deadline waited.
    pub wall: Duration,
    /// The process's CPU time meanwhile; `None` where the platform does not
    /// report it (or under Miri).
    pub cpu: Option<Duration>,
}

impl Stuck {
    /// The share of one core above which the process was computing, not
    /// waiting.
    pub const SPINNING: f64 = 0.1;

    /// The CPU time as a share of one core over the wait (1.0: one core
    /// busy the whole time).
    pub fn cores(&self) -> Option<f64> {
        let wall = self.wall.as_secs_f64();
        self.cpu.map(|cpu| cpu.as_secs_f64() / wall.max(1e-9))
    }

    /// Whether the process kept computing: a loop that never ends, or work
    /// far too slow.
    pub fn spinning(&self) -> bool {
        self.cores().is_some_and(|cores| cores >= Self::SPINNING)
    }

    /// The failure's message for `test`, stopped at `place` (`file:line`):
    /// the diagnosis on the first line, then where, then what was measured
    /// and what it usually means, in lines short enough to indent.
    pub fn message(&self, test: &str, place: &str) -> String {
        let waited = crate::units::duration(self.wall);
        let measured = match (self.cpu, self.cores()) {
            (Some(cpu), Some(cores)) => format!(
                "the test process used {} of CPU time meanwhile ({:.0}% of one core)",
                crate::units::duration(cpu),
                cores * 100.0
            ),
            _ => "this platform does not report CPU time".to_owned(),
        };
        let (diagnosis, meaning) = if self.spinning() {
            (
                "still running: a loop that never ends, or far too slow",
                "some thread kept computing. Look for a loop whose condition never \
                 changes, or for far more work than needed.",
            )
        } else {
            (
                "deadlock likely: waiting for something that never happens",
                "the threads were waiting: for a lock, a join, a message or a \
                 notification that never comes.",
            )
        };
        // 70 columns: a message that the check indents still fits 80.
        let detail = crate::text::wrap(
            &format!("No result after {waited}, and {measured}: {meaning}"),
            70,
            "",
        );
        format!("{diagnosis}\nin `{test}`\nat {place}\n{detail}")
    }
}

/// Measures what [`Stuck`] reports, from the start of a deadline.
struct Watch {
    began: std::time::Instant,
    cpu: Option<Duration>,
}

impl Watch {
    fn start() -> Self {
        Watch {
            began: std::time::Instant::now(),
            cpu: process_cpu(),
        }
    }

    fn stuck(&self) -> Stuck {
        let cpu = match (self.cpu, process_cpu()) {
            (Some(before), Some(now)) => Some(now.saturating_sub(before)),
            _ => None,
        };
        Stuck {
            wall: self.began.elapsed(),
            cpu,
        }
    }
}

/// The process's CPU time; not read under Miri, which cannot call the
/// operating system for it.
fn process_cpu() -> Option<Duration> {
    if cfg!(miri) {
        return None;
    }
    crate::time::process_cpu_times().map(crate::CpuTimes::total)
}

/// Runs `run` with each of `sizes` in turn until the CPU reading of the
/// measurement it gives is precise ([`Measurement::cpu_precise`]: many
/// ticks of this machine's CPU clock), and returns that run. On a clock that
/// ticks every 15.6 ms, as Windows' does, work of a few milliseconds reads 0
/// and a claim about its CPU time proves nothing; on a fine clock the first
/// size does.
///
/// ```
/// use workshop::{fib, measure, testing::sized_for_the_cpu_clock};
/// let (_, m) = sized_for_the_cpu_clock(&[20, 30, 36, 39], |n| measure(|| fib(n)), |r| &r.1);
/// assert!(m.cpu.is_none() || m.cpu_precise().is_some());
/// ```
///
/// [`Measurement::cpu_precise`]: crate::Measurement::cpu_precise
#[track_caller]
pub fn sized_for_the_cpu_clock<T>(
    sizes: &[u32],
    mut run: impl FnMut(u32) -> T,
    measurement: impl Fn(&T) -> &crate::Measurement,
) -> T {
    let mut tried = Vec::new();
    for &size in sizes {
        let result = run(size);
        let m = measurement(&result);
        if m.cpu.is_none() || m.cpu_precise().is_some() {
            return result;
        }
        tried.push(format!("{size}: {:?}", m.cpu_total().unwrap_or_default()));
    }
    panic!(
        "even the largest size is too short for this CPU clock ({} a tick): {}",
        crate::units::duration(crate::cpu_resolution().unwrap_or_default()),
        tried.join(", ")
    )
}

/// The transcript of a lesson (or of the sections `settings` names), within
/// a deadline; a section that fails fails the test with its message.
///
/// Transcripts are made one at a time, as a real run makes them: the test
/// harness runs the per-section tests of [`snapshot_tests!`] on parallel
/// threads, and a section that measures the machine (CPU time is counted
/// per process) must not share it with another section.
#[track_caller]
pub fn transcript(lesson: &'static Lesson, settings: Settings) -> String {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    // A section that failed (and panicked) while holding the lock leaves
    // nothing behind that the next one could trip over.
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let text = within(Duration::from_secs(60), move || {
        crate::runner::transcript(lesson, &settings)
    });
    text.unwrap_or_else(|error| panic!("{error}"))
}

/// Checks that every line of Rust a lesson shows beside the Python appears
/// in its sources, by the rule of [`crate::shown`] (whitespace and
/// trailing comments aside, the snippets' own raw-string literals cut out),
/// so the lesson never shows code it does not run. Returns the lines that
/// are missing.
pub fn check_rust_snippets(lesson: &Lesson, sources: &[&str]) -> Result<(), String> {
    let code = Code::new(sources);
    let mut missing = Vec::new();
    for section in lesson.sections {
        for line in code_lines(section.rust) {
            if !code.contains(line) {
                missing.push(format!("section `{}`: {line}", section.name));
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Rust shown by lesson {} but not in its sources:\n  {}",
            lesson.name,
            missing.join("\n  ")
        ))
    }
}

/// What [`check_python_snippets`] could do.
#[derive(Debug)]
pub enum PythonCheck {
    /// Every snippet was parsed, and parses.
    Parsed,
    /// Not checked: there is no Python here, and this says what was tried.
    NoPython(&'static NotFound),
}

/// Checks with CPython (found by [`crate::python::find`]) that every Python
/// snippet of the lesson is valid Python (IPython's `%time` magics aside).
/// Without Python it says so ([`PythonCheck::NoPython`]), so that the
/// caller can decide whether that is acceptable; `Err` is a snippet that
/// does not parse, or a Python that failed.
pub fn check_python_snippets(lesson: &Lesson) -> Result<PythonCheck, String> {
    const CHECKER: &str = "
import ast, sys
failed = []
for chunk in sys.stdin.read().split('\\n#@@ ')[1:]:
    name, _, code = chunk.partition('\\n')
    try:
        ast.parse(code)
    except SyntaxError as e:
        failed.append(f'section `{name}`, line {e.lineno}: {e.msg}')
print('\\n'.join(failed))
";
    let mut program = String::new();
    for section in lesson.sections {
        let code: Vec<String> = dedent(section.python).lines().map(without_magic).collect();
        program.push_str(&format!("\n#@@ {}\n{}\n", section.name, code.join("\n")));
    }
    let python = match crate::python::find() {
        Ok(python) => python,
        Err(not_found) => return Ok(PythonCheck::NoPython(not_found)),
    };
    let child = python
        .command()
        .args(["-c", CHECKER])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped()) // for the message if it fails
        .spawn();
    let mut child = child.map_err(|e| format!("could not start {}: {e}", python.name()))?;
    if let Some(mut stdin) = child.stdin.take() {
        std::io::Write::write_all(&mut stdin, program.as_bytes())
            .map_err(|e| format!("could not send the snippets to {}: {e}", python.name()))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("could not read what {} said: {e}", python.name()))?;
    let report = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    match (output.status.success(), report.is_empty()) {
        (true, true) => Ok(PythonCheck::Parsed),
        (true, false) => Err(format!(
            "Python shown by lesson {} does not parse:\n  {report}",
            lesson.name
        )),
        (false, _) => Err(format!(
            "{} failed: {}",
            python.name(),
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

/// The test every lesson runs on the code it shows: every line of Rust
/// shown is in the lesson's sources ([`check_rust_snippets`]) and every
/// Python snippet parses ([`check_python_snippets`]). Without Python the
/// Python check is skipped with a note, except under CI, which must have it.
#[track_caller]
pub fn check_snippets(lesson: &Lesson) {
    let sources = lesson_sources(lesson);
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    if let Err(missing) = check_rust_snippets(lesson, &sources) {
        panic!("{missing}");
    }
    match check_python_snippets(lesson) {
        Ok(PythonCheck::Parsed) => {}
        Ok(PythonCheck::NoPython(why)) if std::env::var_os("CI").is_none() => {
            eprintln!(
                "the Python snippets of {} were not checked: {why}",
                lesson.name
            );
        }
        Ok(PythonCheck::NoPython(why)) => {
            panic!("CI must have Python to check the Python snippets: {why}")
        }
        Err(problem) => panic!("{problem}"),
    }
}

/// The lesson's own sources (`src/*.rs`), without the exercises and their
/// solutions: the code a lesson may show beside the Python.
pub fn lesson_sources(lesson: &Lesson) -> Vec<String> {
    let src = std::path::Path::new(lesson.manifest_dir).join("src");
    let mut files: Vec<_> = std::fs::read_dir(&src)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", src.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter(|path| !path.ends_with("exercises.rs") && !path.ends_with("solutions.rs"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap_or_default())
        .collect()
}

/// Every bad command line the flag tables say a lesson must refuse: an
/// unknown flag, a stray argument, and for every flag, common or the
/// lesson's own, a missing value, each of its declared invalid values, or a
/// value given to a switch.
pub fn bad_command_lines(lesson: &Lesson) -> Vec<Vec<String>> {
    let mut bad = vec![
        vec!["--no-such-flag".to_owned()],
        vec!["stray-argument".to_owned()],
    ];
    let common = COMMON
        .iter()
        .map(|row| (row.name, row.value_name(), row.invalid()));
    let own = lesson
        .flags
        .iter()
        .map(|flag| (flag.name(), flag.value_name(), flag.invalid()));
    for (name, value, invalid) in common.chain(own) {
        let flag = format!("--{name}");
        match value {
            Some(_) => {
                bad.push(vec![flag.clone()]);
                for example in invalid {
                    bad.push(vec![flag.clone(), (*example).to_owned()]);
                }
            }
            None => bad.push(vec![format!("{flag}=x")]),
        }
    }
    bad
}

/// Checks the lesson's own flags where they are declared: names that clash
/// with no other flag, invalid examples for every flag that takes a value,
/// each refused by the flag's parser, and a default that parses.
#[track_caller]
pub fn check_flag_declarations(lesson: &Lesson) {
    for (i, flag) in lesson.flags.iter().enumerate() {
        let name = flag.name();
        assert!(
            COMMON.iter().all(|row| row.name != name),
            "--{name} is a common flag already"
        );
        assert!(
            lesson.flags[i + 1..].iter().all(|f| f.name() != name),
            "--{name} is declared twice"
        );
        if flag.value_name().is_some() {
            assert!(
                !flag.invalid().is_empty(),
                "--{name} declares no invalid examples for the bad-input tests"
            );
        }
        for example in flag.invalid() {
            assert!(
                flag.parse_value(example).is_err(),
                "--{name} accepts `{example}`, declared invalid"
            );
        }
        if let Some(default) = flag.default_text() {
            assert!(
                flag.parse_value(&default).is_ok(),
                "--{name} refuses its own default `{default}`"
            );
        }
    }
}

/// Runs the lesson binary with every bad command line of
/// [`bad_command_lines`] and checks each is refused with one line starting
/// `error:` and exit code 2, never a panic; then checks that `--help`
/// names every flag and `--list` every section. Checks the declarations
/// first ([`check_flag_declarations`]).
#[track_caller]
pub fn check_command_line(exe: &str, lesson: &Lesson) {
    check_flag_declarations(lesson);
    for args in &bad_command_lines(lesson) {
        let output = run_binary(exe, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(i32::from(exit::USAGE)),
            "`{args:?}` should exit with {}; stderr: {stderr}",
            exit::USAGE
        );
        assert!(
            stderr.starts_with("error: ") && stderr.lines().count() == 1,
            "`{args:?}`: {stderr:?}"
        );
        assert!(output.stdout.is_empty(), "`{args:?}` printed to stdout");
    }
    let help =
        String::from_utf8_lossy(&run_binary(exe, &["--help".to_owned()]).stdout).into_owned();
    assert_eq!(too_wide(&help), Vec::<String>::new(), "--help is too wide");
    let listed = COMMON
        .iter()
        .filter(|row| row.help.is_some())
        .map(|row| row.name);
    for name in listed.chain(lesson.flags.iter().map(|f| f.name())) {
        assert!(
            help.contains(&format!("--{name}")),
            "--help does not mention --{name}"
        );
    }
    let list =
        String::from_utf8_lossy(&run_binary(exe, &["--list".to_owned()]).stdout).into_owned();
    assert_eq!(too_wide(&list), Vec::<String>::new(), "--list is too wide");
    for section in lesson.sections {
        assert!(
            list.contains(section.name),
            "--list does not mention {}",
            section.name
        );
    }
}

/// The longest a lesson may print nothing in a terminal, not even a
/// progress line's clock (which ticks every second): a second, and half a
/// second more for a loaded machine.
pub const LONGEST_SILENCE: Duration = Duration::from_millis(1500);

/// Runs the whole lesson `--quick` with stdout into a pipe, as `> file` or
/// `| less` would, and checks that nothing of a progress line is in it: no
/// `⋯` line, no carriage return, no escape code.
#[track_caller]
pub fn check_piped(exe: &str) {
    let output = output_within(
        Command::new(exe).arg("--quick"),
        Duration::from_secs(120),
        &format!("`{exe} --quick`"),
    );
    assert!(output.status.success(), "`{exe} --quick` failed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    for (number, line) in stdout.lines().enumerate() {
        assert!(
            !line.contains('\r') && !line.contains('\x1b') && !line.trim_start().starts_with('⋯'),
            "line {} of `{exe} --quick` in a pipe has terminal-only output: {line:?}",
            number + 1
        );
    }
}

/// Runs the lesson at full length (with `args`) in a pseudo-terminal and
/// checks that it never goes quiet for longer than [`LONGEST_SILENCE`]:
/// every measurement or wait over a second shows a progress line, whose
/// clock keeps the screen alive. Skipped with a note where there is no
/// pseudo-terminal ([`crate::terminal::unavailable`]).
#[track_caller]
pub fn check_progress_in_a_terminal(exe: &str, args: &[&str]) {
    let session = crate::terminal::run(&crate::terminal::Run {
        program: std::path::Path::new(exe),
        args,
        env: &[],
        keys: &[],
        silences: Some(LONGEST_SILENCE),
        limit: Duration::from_secs(300),
    });
    let session = match session {
        Ok(session) => session,
        Err(why) => return crate::terminal::unavailable(&why),
    };
    assert_eq!(
        session.code,
        Some(0),
        "{exe} in a terminal:\n{}",
        session.output
    );
    assert!(
        session.silences.is_empty(),
        "{exe} {args:?} went quiet in a terminal for longer than {LONGEST_SILENCE:?}:\n  {}",
        session.silences.join("\n  ")
    );
}

/// Runs one section of the lesson binary alone, `--quick`, with the lesson's
/// own `extra` arguments, and checks that it succeeds, prints that section's
/// heading and no other section's, and writes nothing to stderr (a panic a
/// section causes on purpose is reported by the lesson, not by the panic
/// hook). Returns what it printed, for further checks.
#[track_caller]
pub fn run_one_section(exe: &str, lesson: &Lesson, section: &str, extra: &[&str]) -> String {
    let position = lesson
        .sections
        .iter()
        .position(|s| s.name == section)
        .unwrap_or_else(|| panic!("{} has no section `{section}`", lesson.name));
    let mut args = vec![
        "--quick".to_owned(),
        "--section".to_owned(),
        section.to_owned(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    let output = run_binary(exe, &args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "`{args:?}` failed: {stderr}");
    assert!(stderr.is_empty(), "`{args:?}` wrote to stderr: {stderr}");
    let total = lesson.sections.len();
    for (i, other) in lesson.sections.iter().enumerate() {
        let heading = format!("{}/{total} {}", i + 1, other.title);
        assert_eq!(
            stdout.contains(&heading),
            i == position,
            "`--section {section}`: the heading `{heading}` is {} in:\n{stdout}",
            if i == position { "missing" } else { "present" }
        );
    }
    stdout
}

/// Runs the lesson binary `--quick --compare-python` on the named sections
/// with nothing on `PATH`, so that no Python can be found, and checks that
/// it still succeeds, with exactly one line per comparison saying CPython
/// was not found (`comparisons` of them in all), or, with none, the one-line
/// note that nothing there compares with CPython. Returns what it printed.
#[track_caller]
pub fn check_without_python(exe: &str, sections: &[&str], comparisons: usize) -> String {
    if cfg!(windows) {
        // Windows finds `py.exe` in its own directory whatever PATH says.
        eprintln!("not checked on Windows: an empty PATH does not hide `py -3` there");
        return String::new();
    }
    let empty = Scratch::new("workshop-no-python");
    let mut command = Command::new(exe);
    command
        .env("PATH", empty.path())
        .args(["--quick", "--compare-python"]);
    for section in sections {
        command.args(["--section", section]);
    }
    let what = format!("`{exe}` without Python");
    let output = output_within(&mut command, Duration::from_secs(60), &what);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "without Python, {exe} failed: {stderr}"
    );
    let not_found = stdout
        .lines()
        .filter(|l| l.starts_with("CPython not found ("))
        .count();
    assert_eq!(
        not_found, comparisons,
        "expected {comparisons} lines saying CPython was not found in:\n{stdout}"
    );
    let noted = stdout.lines().any(|l| l == crate::python::NONE_RAN);
    assert_eq!(
        noted,
        comparisons == 0,
        "the note that nothing compares with CPython, in:\n{stdout}"
    );
    stdout
}

/// Runs one section of the lesson binary `--quick` with the slow service
/// disabled ([`crate::server::DISABLE`]), as on a machine where loopback is
/// blocked, and checks that it still succeeds, says so in exactly one line,
/// and writes nothing to stderr. Returns what it printed.
#[track_caller]
pub fn check_without_loopback(exe: &str, section: &str) -> String {
    let mut command = Command::new(exe);
    command
        .env(crate::server::DISABLE, "1")
        .args(["--quick", "--section", section]);
    let what = format!("`{exe} --section {section}` without loopback");
    let output = output_within(&mut command, DEADLINE, &what);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "without loopback, `{section}` failed: {stderr}"
    );
    assert!(
        stderr.is_empty(),
        "without loopback, `{section}` wrote to stderr: {stderr}"
    );
    let said = stdout
        .lines()
        .filter(|l| l.starts_with(crate::server::NO_SERVICE))
        .count();
    assert_eq!(
        said, 1,
        "one line saying there is no service, in:\n{stdout}"
    );
    stdout
}

/// Fails if a thread of a slow service is still running in this process
/// `after` something (`"the fetch section"`, `"the service stopped"`).
/// Where the platform does not name a process's threads (macOS), it says
/// on stderr that the check was skipped (`cargo test -- --nocapture`
/// shows it).
#[track_caller]
pub fn check_no_service_threads(after: &str) {
    let Some(left) = crate::server::service_threads() else {
        eprintln!(
            "skipped: counting slow-service threads after {after} \
             (this platform does not say a thread's name)"
        );
        return;
    };
    assert_eq!(
        left, 0,
        "{left} threads of a slow service still running after {after}"
    );
}

fn run_binary(exe: &str, args: &[String]) -> std::process::Output {
    let what = format!("`{exe} {}`", args.join(" "));
    output_within(Command::new(exe).args(args), DEADLINE, &what)
}

/// Runs `command` (described as `what`) to its end within `limit`, or fails
/// the test saying that a deadlock is likely.
fn output_within(command: &mut Command, limit: Duration, what: &str) -> std::process::Output {
    match crate::process::output_with_limit(command, limit) {
        Ok(Some(output)) => output,
        Ok(None) => panic!("deadlock likely: {what} still running after {limit:?}"),
        Err(e) => panic!("cannot run {what}: {e}"),
    }
}

/// `%time f(34)` is IPython for "time this line": keep the line, drop the magic.
fn without_magic(line: &str) -> String {
    let indent = &line[..line.len() - line.trim_start().len()];
    match line.trim_start().strip_prefix('%') {
        Some(magic) => {
            let rest = magic
                .trim_start_matches('%')
                .split_once(' ')
                .map_or("", |(_, rest)| rest);
            format!("{indent}{}", if rest.is_empty() { "pass" } else { rest })
        }
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{Ctx, Outcome, Section};

    #[test]
    fn blocked_work_fails_after_the_quiet_time_with_the_reason() {
        let quiet = Duration::from_millis(400);
        // Other tests of this binary computing meanwhile delay the verdict
        // (the CPU time is the process's), never past a deadline.
        let failed = within(Duration::from_secs(60), move || {
            panic::catch_unwind(move || {
                let (_open, never) = mpsc::channel::<()>();
                failing_when_blocked(quiet, "the reason", move || never.recv())
            })
        });
        let message = *failed.unwrap_err().downcast::<String>().unwrap();
        assert!(message.starts_with("deadlock likely"), "{message}");
        assert!(message.ends_with("\nthe reason"), "{message}");
    }

    #[test]
    fn computing_work_may_take_longer_than_the_quiet_time() {
        let quiet = Duration::from_millis(500);
        let busy_until = std::time::Instant::now() + quiet * 3;
        let spins = failing_when_blocked(quiet, "never said", move || {
            let mut spins = 0_u64;
            while std::time::Instant::now() < busy_until {
                spins = std::hint::black_box(spins + 1);
            }
            spins
        });
        assert!(spins > 0);
    }

    fn nothing(_: &Ctx) -> Outcome {
        Ok(())
    }

    static SHOWN: Lesson = Lesson {
        name: "shown",
        manifest_dir: "lessons/09-shown",
        title: "",
        intro: "",
        sections: &[Section {
            name: "s",
            title: "",
            explain: "",
            python: "
                %time f(34)
                t = threading.Thread(target=f, args=(5,))
            ",
            rust: "
                let t = thread::spawn(f);   // starts at once
                // a comment line is skipped
                t.join().unwrap();
            ",
            run: nothing,
        }],
        recap: "",
        flags: &[],
        children: &[],
    };

    #[test]
    fn rust_snippets_must_appear_in_the_source() {
        let source = "fn main() {\n    let t =   thread::spawn(f);\n    t.join()\n        .expect(\"joined\");\n}";
        assert_eq!(check_rust_snippets(&SHOWN, &[source]), Err(
            "Rust shown by lesson shown but not in its sources:\n  section `s`: t.join().unwrap();".into()
        ));
        // rustfmt's line breaks in a method chain don't matter.
        assert_eq!(
            check_rust_snippets(
                &SHOWN,
                &["let t = thread::spawn(f);\n t.join()\n    .unwrap();"]
            ),
            Ok(())
        );
    }

    #[test]
    fn a_section_missing_from_the_snapshot_list_is_caught() {
        check_sections_listed(&SHOWN, &[&SHOWN.sections[0]]);
        let caught = std::panic::catch_unwind(|| check_sections_listed(&SHOWN, &[]));
        let message = crate::panics::message(&*caught.unwrap_err());
        assert!(
            message.contains("must list the module of every section"),
            "{message}"
        );
    }

    #[test]
    fn magics_become_plain_python() {
        assert_eq!(without_magic("  %time f(34)"), "  f(34)");
        assert_eq!(without_magic("%%time"), "pass");
        assert_eq!(without_magic("x = 1"), "x = 1");
    }

    #[test]
    fn python_snippets_are_parsed() {
        match check_python_snippets(&SHOWN) {
            Ok(PythonCheck::Parsed) => {}
            Ok(PythonCheck::NoPython(why)) => {
                assert!(std::env::var_os("CI").is_none(), "CI has Python: {why}")
            }
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn deadline_passes_results_through() {
        assert_eq!(deadline(|| "done"), "done");
    }

    /// The diagnosis is read from the figures: both sides of the line.
    #[test]
    fn spinning_and_waiting_are_told_apart_by_cpu_time() {
        let stuck = |cpu_ms| Stuck {
            wall: Duration::from_secs(10),
            cpu: Some(Duration::from_millis(cpu_ms)),
        };
        let spinning = stuck(9_900).message("t", "f.rs:1:2");
        assert!(
            spinning.starts_with("still running: a loop that never ends, or far too slow"),
            "{spinning}"
        );
        assert!(
            spinning.contains("9.90 s of CPU time\nmeanwhile (99% of one core)"),
            "{spinning}"
        );
        assert!(spinning.contains("\nin `t`\nat f.rs:1:2\n"), "{spinning}");
        assert!(spinning.lines().all(|l| l.chars().count() <= 70));
        assert!(stuck(1_000).spinning(), "10% of a core is computing");
        assert!(!stuck(990).spinning(), "under 10% is waiting");
        let waiting = stuck(20).message("t", "f.rs:1:2");
        assert!(waiting.starts_with("deadlock likely: waiting"), "{waiting}");
        assert!(waiting.contains("20.0 ms of CPU time"), "{waiting}");
        let unknown = Stuck {
            wall: Duration::from_secs(10),
            cpu: None,
        };
        assert!(!unknown.spinning());
        assert!(
            unknown
                .message("t", "f")
                .contains("does not report CPU time")
        );
    }

    #[test]
    fn deadline_passes_panics_through() {
        let caught = std::panic::catch_unwind(|| deadline(|| panic!("boom")));
        assert_eq!(crate::panics::message(&*caught.unwrap_err()), "boom");
    }
}

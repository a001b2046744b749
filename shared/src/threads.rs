//! The threads of this process, as the operating system lists them: for
//! tests that check which threads an answer started, and that a section
//! left none behind.
//!
//! Rust's standard library can name a thread (`thread::Builder::name`)
//! but not list the threads that are running. Linux lists them in
//! `/proc/self/task`, Windows in a toolhelp snapshot; macOS gives a
//! process no such list without the Mach kernel interfaces, so there
//! [`listed`] is `None` and a test that needs it says why it was skipped.
//!
//! What a name looks like differs: Linux cuts it to 15 bytes and gives a
//! thread started without a name its starter's; on Windows such a thread
//! has an empty name.
//!
//! ```
//! let name = "a-named-thread";
//! let listed = std::thread::Builder::new()
//!     .name(name.into())
//!     .spawn(workshop::threads::names)?
//!     .join()
//!     .unwrap();
//! if let Some(names) = listed {
//!     assert!(names.iter().any(|n| n == name));
//! }
//! # Ok::<(), std::io::Error>(())
//! ```

/// One thread of this process, right now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The system's id for it (Linux's task id, Windows' thread id):
    /// different for every thread alive at the same time.
    pub id: u64,
    /// Its name; empty if it has none.
    pub name: String,
}

/// The threads of this process right now, or `None` where the system does
/// not list them (macOS).
pub fn listed() -> Option<Vec<Listed>> {
    system::listed()
}

/// The names of this process's threads right now, or `None` where the
/// system does not list them (macOS).
pub fn names() -> Option<Vec<String>> {
    Some(listed()?.into_iter().map(|thread| thread.name).collect())
}

/// Linux: `/proc/self/task/<id>/comm` holds each thread's name.
#[cfg(target_os = "linux")]
mod system {
    use super::Listed;

    pub fn listed() -> Option<Vec<Listed>> {
        let tasks = std::fs::read_dir("/proc/self/task").ok()?;
        let read = |task: std::fs::DirEntry| {
            let id = task.file_name().to_str()?.parse().ok()?;
            // A thread that ended since the directory was read has no name.
            let name = std::fs::read_to_string(task.path().join("comm")).ok()?;
            let name = name.trim_end_matches('\n').to_owned();
            Some(Listed { id, name })
        };
        Some(tasks.filter_map(Result::ok).filter_map(read).collect())
    }
}

/// Windows: a snapshot of the system's threads (toolhelp) keeps this
/// process's, and each one's description is the name Rust gave it
/// (`SetThreadDescription`).
#[cfg(windows)]
mod system {
    use super::Listed;
    use std::ffi::c_void;

    /// THREADENTRY32.
    #[repr(C)]
    struct ThreadEntry {
        size: u32,
        usage: u32,
        thread_id: u32,
        owner_process_id: u32,
        base_priority: i32,
        delta_priority: i32,
        flags: u32,
    }
    const SNAP_THREADS: u32 = 0x4; // TH32CS_SNAPTHREAD
    const QUERY_LIMITED_INFORMATION: u32 = 0x0800; // THREAD_QUERY_LIMITED_INFORMATION
    const INVALID_HANDLE: isize = -1;
    unsafe extern "system" {
        fn GetCurrentProcessId() -> u32;
        fn CreateToolhelp32Snapshot(flags: u32, process_id: u32) -> isize;
        fn Thread32First(snapshot: isize, entry: *mut ThreadEntry) -> i32;
        fn Thread32Next(snapshot: isize, entry: *mut ThreadEntry) -> i32;
        fn OpenThread(access: u32, inherit: i32, thread_id: u32) -> isize;
        fn GetThreadDescription(thread: isize, description: *mut *mut u16) -> i32;
        fn LocalFree(memory: *mut c_void) -> *mut c_void;
        fn CloseHandle(handle: isize) -> i32;
    }

    /// Thread `id` and its description; `None` if it ended since the
    /// snapshot. A description that cannot be read counts as no name.
    fn thread(id: u32) -> Option<Listed> {
        // SAFETY: OpenThread takes plain values; it returns 0 on failure.
        let thread = unsafe { OpenThread(QUERY_LIMITED_INFORMATION, 0, id) };
        if thread == 0 {
            return None; // the thread ended since the snapshot
        }
        let mut wide: *mut u16 = std::ptr::null_mut();
        // SAFETY: `thread` is an open handle and `wide` a live, writable
        // pointer; a negative HRESULT means nothing was allocated.
        let read = unsafe { GetThreadDescription(thread, &mut wide) } >= 0;
        let mut name = String::new();
        if read && !wide.is_null() {
            let mut len = 0;
            // SAFETY: on success `wide` points to a NUL-terminated UTF-16
            // string that stays valid until LocalFree below: every unit up
            // to the NUL can be read.
            while unsafe { *wide.add(len) } != 0 {
                len += 1;
            }
            // SAFETY: the `len` units before the NUL are initialised.
            let units = unsafe { std::slice::from_raw_parts(wide, len) };
            name = String::from_utf16_lossy(units);
        }
        // SAFETY: `wide` was allocated by GetThreadDescription (or is null,
        // which LocalFree accepts), and `thread` is ours to close; neither
        // is used after this.
        unsafe {
            LocalFree(wide.cast());
            CloseHandle(thread);
        }
        Some(Listed {
            id: u64::from(id),
            name,
        })
    }

    pub fn listed() -> Option<Vec<Listed>> {
        // SAFETY: takes plain values; returns INVALID_HANDLE_VALUE on failure.
        let snapshot = unsafe { CreateToolhelp32Snapshot(SNAP_THREADS, 0) };
        if snapshot == INVALID_HANDLE {
            return None;
        }
        let mut entry = ThreadEntry {
            size: std::mem::size_of::<ThreadEntry>() as u32,
            usage: 0,
            thread_id: 0,
            owner_process_id: 0,
            base_priority: 0,
            delta_priority: 0,
            flags: 0,
        };
        // SAFETY: plain call, no arguments.
        let me = unsafe { GetCurrentProcessId() };
        let mut ids = Vec::new();
        // SAFETY: `snapshot` is an open snapshot and `entry` a live
        // THREADENTRY32 with its size set, as both calls require.
        let mut more = unsafe { Thread32First(snapshot, &mut entry) } != 0;
        while more {
            if entry.owner_process_id == me {
                ids.push(entry.thread_id);
            }
            // SAFETY: as for Thread32First.
            more = unsafe { Thread32Next(snapshot, &mut entry) } != 0;
        }
        // SAFETY: the snapshot is ours to close and is not used after this.
        unsafe { CloseHandle(snapshot) };
        Some(ids.into_iter().filter_map(thread).collect())
    }
}

/// Elsewhere (macOS): not listed.
#[cfg(not(any(target_os = "linux", windows)))]
mod system {
    pub fn listed() -> Option<Vec<super::Listed>> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_thread_is_listed_while_it_runs_and_not_after() {
        const NAME: &str = "listed-probe";
        let named = |names: Option<Vec<String>>| {
            names.map(|names| names.iter().filter(|n| *n == NAME).count())
        };
        let during = std::thread::Builder::new()
            .name(NAME.into())
            .spawn(names)
            .expect("a thread")
            .join()
            .expect("the probe thread panicked");
        if cfg!(any(target_os = "linux", windows)) {
            assert_eq!(named(during), Some(1), "listed while it ran");
            // A joined thread has finished, but the system may take a
            // moment to take it off its list.
            let gone_by = std::time::Instant::now() + std::time::Duration::from_secs(2);
            while named(names()) != Some(0) && std::time::Instant::now() < gone_by {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            assert_eq!(named(names()), Some(0), "gone once joined");
        } else {
            assert_eq!(during, None);
        }
    }

    #[test]
    fn threads_alive_together_have_different_ids() {
        let Some(threads) = listed() else { return };
        let mut ids: Vec<u64> = threads.iter().map(|t| t.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), threads.len(), "{threads:?}");
    }
}

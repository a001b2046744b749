//! The lesson's output, section by section, as snapshots: `--quick`, with
//! measured values redacted where they are printed and lines that threads
//! print at the same time grouped by thread (see `workshop::Out`).

workshop::snapshot_tests!(
    pools,
    env!("CARGO_BIN_EXE_pools"),
    [executor, fetch, rayon_join, workers, speedup, amdahl]
);

//! The lesson's output, section by section, as snapshots: `--quick`, with
//! measured values redacted where they are printed and lines that threads
//! print at the same time grouped by thread (see `workshop::Out`).

workshop::snapshot_tests!(
    gil,
    env!("CARGO_BIN_EXE_gil"),
    [
        kinds, experiment, marks, watch, io_bound, interval, old_gil, convoy, amdahl, no_hybrids,
        way_out
    ]
);

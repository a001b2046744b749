//! The lesson's output, section by section, as snapshots: `--quick`, with
//! measured values redacted where they are printed and lines that threads
//! print at the same time grouped by thread (see `workshop::Out`).

use queues::LESSON;
use workshop::{Settings, testing};

fn settings() -> Settings {
    Settings::snapshot().exe(env!("CARGO_BIN_EXE_queues"))
}

#[test]
fn banner() {
    insta::assert_snapshot!("banner", LESSON.banner(&settings()));
}

#[test]
fn every_section() {
    for section in LESSON.sections {
        let text = testing::transcript(&LESSON, settings().section(section.name));
        insta::with_settings!({ filters => testing::SNAPSHOT_FILTERS.to_vec() }, {
            insta::assert_snapshot!(section.name, text);
        });
    }
}

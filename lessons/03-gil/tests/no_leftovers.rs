//! The sections that start the slow service leave nothing behind: once a
//! section returns, no thread of the service is left. The check counts this
//! process's threads by name, so it has a test binary to itself.

use workshop::Settings;

#[test]
fn no_service_thread_outlives_its_section() {
    for section in ["kinds", "io-bound"] {
        let settings = Settings::snapshot().section(section);
        let text = workshop::testing::transcript(&gil::LESSON, settings);
        assert!(
            !text.contains(workshop::server::NO_SERVICE),
            "`{section}` ran without its service:\n{text}"
        );
        workshop::testing::check_no_service_threads(&format!("`{section}`"));
    }
}

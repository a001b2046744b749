//! The fetch section leaves nothing behind: once it returns, no thread of
//! its slow service is left. The check counts this process's threads by
//! name, so it has a test binary to itself.

use workshop::{Settings, server};

#[test]
fn no_service_thread_outlives_the_section() {
    let settings = Settings::snapshot().section("fetch");
    let text = workshop::testing::transcript(&pools::LESSON, settings);
    assert!(
        !text.contains(server::NO_SERVICE),
        "ran without its service:\n{text}"
    );
    workshop::testing::check_no_service_threads("the fetch section");
}

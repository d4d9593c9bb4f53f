//! The Flask-side modules against the real Flask, Werkzeug, WTForms and
//! Flask-WTF: every script in tests/fixtures/bindings/web prints what the
//! venv's Python printed for it.

#[path = "fixtures/bindings/runner.rs"]
mod runner;

#[test]
fn web_fixtures_match_the_real_libraries() {
    runner::check_group("web");
}

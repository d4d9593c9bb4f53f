//! The standard-library modules against CPython 3.11: every script in
//! tests/fixtures/bindings/stdlib prints what python3 printed for it.

#[path = "fixtures/bindings/runner.rs"]
mod runner;

#[test]
fn stdlib_fixtures_match_cpython() {
    runner::check_group("stdlib");
}

//! The warnings learners meet from SQLAlchemy (Query.get()'s LegacyAPIWarning, the
//! overlapping-relationships SAWarning), issued through the `warnings` module: every
//! script in tests/fixtures/bindings/sqla_warnings prints what the real Flask-SQLAlchemy
//! and SQLAlchemy printed for it (recorded with the venv by record.py).

#[path = "fixtures/bindings/runner.rs"]
mod runner;

#[test]
fn sqlalchemy_warnings_match_the_real_libraries() {
    runner::check_group("sqla_warnings");
}

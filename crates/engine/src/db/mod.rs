//! The database layer over GlueSQL (filled by the db work).

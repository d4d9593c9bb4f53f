//! The SQL layer: statements as data and their two renderings (filled by the sql work).

//! The Python-subset interpreter (filled by the script work).

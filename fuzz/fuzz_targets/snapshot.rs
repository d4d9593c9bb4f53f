//! The snapshot decoder: bytes the browser kept, which may be damaged. The first byte picks
//! how the rest is used: as a whole file, or as a payload behind a valid header (magic,
//! version, length, checksum), so that the payload decoder and its validation are reached.
//! A snapshot that decodes must give a database that can be read, and encode back to
//! bytes that decode to the same tables.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sqla_engine::db::snapshot::FORMAT_VERSION;
use sqla_engine::db::Database;

/// The documented header around `payload`.
fn with_header(payload: &[u8]) -> Vec<u8> {
    let checksum = payload.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3));
    let mut bytes = b"SQLAPGDB".to_vec();
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&checksum.to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else { return };
    let bytes = if mode % 2 == 0 { rest.to_vec() } else { with_header(rest) };
    let mut db = Database::new();
    if db.restore(&bytes).is_err() {
        return;
    }
    let views = db.table_views();
    for table in &views {
        let _ = db.rows_page(&table.name, 0, 50, None);
        if let Some(column) = table.columns.first() {
            let _ = db.rows_page(&table.name, 0, 50, Some((column.name.as_str(), true)));
        }
    }
    let mut again = Database::new();
    assert!(again.restore(&db.encode_committed()).is_ok(), "a decoded snapshot re-encodes to bytes that decode");
    assert_eq!(again.table_views(), views, "the tables survive a round trip");
});

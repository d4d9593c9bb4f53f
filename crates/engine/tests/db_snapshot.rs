//! The committed database survives encoding; damaged input is refused, never a panic.

mod db_support;

use chrono::NaiveDate;
use db_support::*;
use rust_decimal::Decimal;
use sqla_engine::db::{snapshot, Database, SnapshotError};
use sqla_engine::sql::*;

fn every_type_db() -> Database {
    let mut db = Database::new();
    db.execute(&Statement::CreateTable(fixture_user())).expect("create");
    for index in fixture_user().column_indexes() {
        db.execute(&Statement::CreateIndex(index)).expect("index");
    }
    let date = NaiveDate::from_ymd_opt(2024, 2, 29).expect("date");
    let row = vec![
        "ann".into(),
        "ann@example.com".into(),
        Datum::Int(i64::MIN),
        Datum::Float(-0.1),
        Datum::Decimal(Decimal::new(-12345, 2)),
        Datum::Date(date),
        date.and_hms_micro_opt(23, 59, 58, 123_456).map_or(Datum::Null, Datum::DateTime),
        Datum::Bytes(vec![0, 255, 10]),
        Datum::Json(Box::new(serde_json::json!({"k": [1, "é"]}))),
        Datum::Bool(false),
    ];
    let columns = ["username", "email", "big", "score", "price", "born", "created", "blob", "data", "active"];
    db.execute(&insert("user", &columns, vec![row, vec![Datum::from("bob"), Datum::Null, Datum::Null, Datum::Null, Datum::Null, Datum::Null, Datum::Null, Datum::Null, Datum::Null, Datum::Null]]))
        .expect("rows");
    db.commit();
    db
}

fn everything(db: &mut Database) -> Vec<Vec<Datum>> {
    let columns: Vec<String> = fixture_user().columns.iter().map(|c| c.name.clone()).collect();
    let names: Vec<&str> = columns.iter().map(String::as_str).collect();
    rows(db, Select { order_by: vec![OrderBy { expr: col("user", "id"), descending: false }], ..select_all("user", &names) })
}

#[test]
fn committed_state_round_trips_with_indexes_rebuilt() {
    let mut db = every_type_db();
    db.execute(&insert("user", &["username"], vec![vec!["uncommitted".into()]])).expect("pending");
    let bytes = db.encode_committed();
    db.rollback();

    let mut restored = Database::new();
    restored.restore(&bytes).expect("restore");
    assert_eq!(everything(&mut restored), everything(&mut db));
    assert_eq!(restored.table_views(), db.table_views());
    let scans = restored.access_stats().full_scans.get();
    assert_eq!(sql_rows(&mut restored, "SELECT id FROM user WHERE email = 'ann@example.com'"), vec![vec![Datum::Int(1)]]);
    assert_eq!(restored.access_stats().full_scans.get(), scans, "the email index was rebuilt");
    let error = restored.execute(&insert("user", &["username"], vec![vec!["ann".into()]])).expect_err("unique kept");
    assert_eq!(error.message, "UNIQUE constraint failed: user.username");
}

#[test]
fn damaged_snapshots_are_refused_with_a_reason() {
    let bytes = every_type_db().encode_committed();
    assert_eq!(snapshot::decode(b"").err(), Some(SnapshotError::NotASnapshot));
    assert_eq!(snapshot::decode(b"PK\x03\x04 a zip file").err(), Some(SnapshotError::NotASnapshot));
    let mut version = bytes.clone();
    version[8] = 9;
    assert_eq!(snapshot::decode(&version).err(), Some(SnapshotError::UnsupportedVersion(9)));
    let truncated = &bytes[..bytes.len() - 3];
    assert!(matches!(snapshot::decode(truncated), Err(SnapshotError::Truncated { .. })));
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    assert_eq!(snapshot::decode(&flipped).err(), Some(SnapshotError::Corrupted));
    assert_eq!(
        SnapshotError::UnsupportedVersion(9).to_string(),
        "saved database has format version 9; this playground reads version 1"
    );

    let mut db = every_type_db();
    assert!(db.restore(&flipped).is_err());
    assert_eq!(everything(&mut db).len(), 2, "a refused snapshot changes nothing");
}

#[test]
fn arbitrary_bytes_never_panic() {
    let valid = every_type_db().encode_committed();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..300 {
        let mut bytes = valid.clone();
        // Damage the payload but keep the header's checksum valid, so decoding
        // reaches the payload parser and the validation behind it.
        for _ in 0..(next() % 4 + 1) {
            let i = 22 + (next() as usize) % (bytes.len() - 22);
            bytes[i] = next() as u8;
        }
        let payload = &bytes[22..];
        let sum = payload.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
        bytes[14..22].copy_from_slice(&sum.to_le_bytes());
        let _ = snapshot::decode(&bytes);
        let random: Vec<u8> = (0..(next() % 64)).map(|_| next() as u8).collect();
        let _ = snapshot::decode(&random);
    }
}

//! CPython's hash functions for numbers and tuples, so that `1 == 1.0 == True`
//! hash alike and sets of numbers iterate in CPython's order. Strings use a
//! fixed fast hash (CPython randomizes string hashes per process, so no
//! program can depend on their values).

const MODULUS_BITS: u32 = 61;
/// 2**61 - 1, the modulus of CPython's numeric hash.
const MODULUS: u64 = (1u64 << MODULUS_BITS) - 1;
const HASH_INF: i64 = 314_159;

/// Map a raw hash to CPython's convention: -1 is reserved for errors.
pub fn fix_hash(h: i64) -> i64 {
    if h == -1 {
        -2
    } else {
        h
    }
}

pub fn hash_int(i: i64) -> i64 {
    let h = (i.unsigned_abs() % MODULUS) as i64;
    fix_hash(if i < 0 { -h } else { h })
}

/// `frexp`: `v = m * 2**e` with `0.5 <= |m| < 1`.
fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 || !v.is_finite() {
        return (v, 0);
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale up first.
        let (m, e) = frexp(v * (1u64 << 54) as f64);
        return (m, e - 54);
    }
    let e = exp - 1022;
    let m_bits = (bits & !(0x7ffu64 << 52)) | (1022u64 << 52);
    (f64::from_bits(m_bits), e)
}

/// CPython's `_Py_HashDouble` (NaN hashes by identity in CPython; a constant here).
pub fn hash_float(v: f64) -> i64 {
    if !v.is_finite() {
        if v.is_nan() {
            return 0;
        }
        return if v > 0.0 { HASH_INF } else { -HASH_INF };
    }
    let (mut m, mut e) = frexp(v);
    let mut sign: i64 = 1;
    if m < 0.0 {
        sign = -1;
        m = -m;
    }
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & MODULUS) | (x >> (MODULUS_BITS - 28));
        m *= 268_435_456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= MODULUS {
            x -= MODULUS;
        }
    }
    let bits = MODULUS_BITS as i32;
    let e = if e >= 0 { e % bits } else { bits - 1 - ((-1 - e) % bits) } as u32;
    x = ((x << e) & MODULUS) | (x >> (MODULUS_BITS - e));
    fix_hash((x as i64).wrapping_mul(sign))
}

const XXPRIME_1: u64 = 11_400_714_785_074_694_791;
const XXPRIME_2: u64 = 14_029_467_366_897_019_727;
const XXPRIME_5: u64 = 2_870_177_450_012_600_261;

/// CPython's tuple hash (an xxHash variant) over the items' hashes.
pub fn hash_tuple(item_hashes: impl ExactSizeIterator<Item = i64>) -> i64 {
    let len = item_hashes.len() as u64;
    let mut acc = XXPRIME_5;
    for h in item_hashes {
        acc = acc.wrapping_add((h as u64).wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    acc = acc.wrapping_add(len ^ (XXPRIME_5 ^ 3_527_539));
    if acc == u64::MAX {
        return 1_546_275_796;
    }
    acc as i64
}

/// CPython's frozenset hash over the items' hashes.
pub fn hash_frozenset(item_hashes: impl ExactSizeIterator<Item = i64>) -> i64 {
    fn shuffle(h: u64) -> u64 {
        ((h ^ 89_869_747) ^ (h << 16)).wrapping_mul(3_644_798_167)
    }
    let len = item_hashes.len() as u64;
    let mut hash: u64 = 0;
    for h in item_hashes {
        hash ^= shuffle(h as u64);
    }
    hash ^= (len.wrapping_add(1)).wrapping_mul(1_927_868_237);
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash.wrapping_mul(69_069).wrapping_add(907_133_923);
    fix_hash(hash as i64)
}

/// A fixed hash for strings and bytes (see the module comment).
pub fn hash_str(s: &str) -> i64 {
    fix_hash(super::attrmap::fx_hash_str(s) as i64)
}

pub fn hash_bytes(b: &[u8]) -> i64 {
    use std::hash::Hasher;
    let mut h = super::attrmap::FxHasher::default();
    h.write(b);
    h.write_u8(0xfe);
    fix_hash(h.finish() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_hashes_match_cpython() {
        assert_eq!(hash_int(-1), -2);
        assert_eq!(hash_int(1 << 61), 1);
        assert_eq!(hash_float(1.5), 1152921504606846977);
        assert_eq!(hash_float(0.1), 230584300921369408);
        assert_eq!(hash_float(3.0), 3);
        assert_eq!(hash_float(-1.0), -2);
        assert_eq!(hash_tuple([].into_iter()), 5740354900026072187);
        assert_eq!(hash_tuple([1i64, 2].into_iter()), -3550055125485641917);
    }
}

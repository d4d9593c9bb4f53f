//! `werkzeug.security`: `generate_password_hash` / `check_password_hash` with
//! werkzeug's formats and real algorithms (scrypt by default,
//! `scrypt:32768:8:1$salt$hex`; or PBKDF2-HMAC-SHA256,
//! `pbkdf2:sha256:1000000$salt$hex`), so hashes made here verify with the real
//! werkzeug and the other way round. Salts come from the playground's
//! non-cryptographic generator (see `stdlib::host`): fine for teaching,
//! not for protecting anything.

use crate::script::{CallArgs, Interpreter, ModuleBuilder, PyErr, PyResult, Value};

use super::super::stdlib::host::random_bytes;

const SALT_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const DEFAULT_PBKDF2_ITERATIONS: u32 = 1_000_000;

// ----- SHA-256 (FIPS 180-4) -----

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];
const H0: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

fn compress(state: &mut [u32; 8], block: &[u8]) {
    let mut w = [0u32; 64];
    for (i, chunk) in block.chunks_exact(4).take(16).enumerate() {
        w[i] = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    for i in 16..64 {
        let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
        let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    for i in 0..64 {
        let t1 = h.wrapping_add(e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25)).wrapping_add((e & f) ^ (!e & g)).wrapping_add(K[i]).wrapping_add(w[i]);
        let t2 = (a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22)).wrapping_add((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d.wrapping_add(t1);
        d = c;
        c = b;
        b = a;
        a = t1.wrapping_add(t2);
    }
    for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *s = s.wrapping_add(v);
    }
}

/// The SHA-256 digest of the message whose first `prefix_len` bytes were
/// already compressed into `state` (a multiple of 64) and whose rest is `data`.
fn finish(mut state: [u32; 8], prefix_len: u64, data: &[u8]) -> [u8; 32] {
    let full = data.len() / 64 * 64;
    for block in data[..full].chunks_exact(64) {
        compress(&mut state, block);
    }
    let rest = &data[full..];
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let tail_len = if rest.len() < 56 { 64 } else { 128 };
    let bits = (prefix_len + data.len() as u64) * 8;
    tail[tail_len - 8..tail_len].copy_from_slice(&bits.to_be_bytes());
    for block in tail[..tail_len].chunks_exact(64) {
        compress(&mut state, block);
    }
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

fn sha256(data: &[u8]) -> [u8; 32] {
    finish(H0, 0, data)
}

/// HMAC-SHA256 with the key's inner and outer pad blocks compressed once
/// (PBKDF2 then costs two compressions per iteration).
struct Hmac {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl Hmac {
    fn new(key: &[u8]) -> Hmac {
        let mut block = [0u8; 64];
        if key.len() > 64 {
            block[..32].copy_from_slice(&sha256(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let (mut inner, mut outer) = (H0, H0);
        compress(&mut inner, &block.map(|b| b ^ 0x36));
        compress(&mut outer, &block.map(|b| b ^ 0x5c));
        Hmac { inner, outer }
    }

    fn mac(&self, data: &[u8]) -> [u8; 32] {
        let inner = finish(self.inner, 64, data);
        finish(self.outer, 64, &inner)
    }
}

/// PBKDF2-HMAC-SHA256 (RFC 8018); `tick` is told of every 1000 iterations.
fn pbkdf2(password: &[u8], salt: &[u8], iterations: u32, len: usize, tick: &mut dyn FnMut() -> PyResult<()>) -> PyResult<Vec<u8>> {
    let hmac = Hmac::new(password);
    let mut out = Vec::with_capacity(len);
    let mut block_index: u32 = 1;
    while out.len() < len {
        let mut first = salt.to_vec();
        first.extend_from_slice(&block_index.to_be_bytes());
        let mut u = hmac.mac(&first);
        let mut t = u;
        for i in 1..iterations {
            u = hmac.mac(&u);
            for (x, y) in t.iter_mut().zip(u) {
                *x ^= y;
            }
            if i % 1000 == 0 {
                tick()?;
            }
        }
        let take = (len - out.len()).min(32);
        out.extend_from_slice(&t[..take]);
        block_index += 1;
    }
    Ok(out)
}

// ----- scrypt (RFC 7914) -----

fn salsa20_8(b: &mut [u32; 16]) {
    let mut x = *b;
    for _ in 0..4 {
        macro_rules! quarter {
            ($a:expr, $b:expr, $c:expr, $d:expr) => {
                x[$b] ^= x[$a].wrapping_add(x[$d]).rotate_left(7);
                x[$c] ^= x[$b].wrapping_add(x[$a]).rotate_left(9);
                x[$d] ^= x[$c].wrapping_add(x[$b]).rotate_left(13);
                x[$a] ^= x[$d].wrapping_add(x[$c]).rotate_left(18);
            };
        }
        quarter!(0, 4, 8, 12);
        quarter!(5, 9, 13, 1);
        quarter!(10, 14, 2, 6);
        quarter!(15, 3, 7, 11);
        quarter!(0, 1, 2, 3);
        quarter!(5, 6, 7, 4);
        quarter!(10, 11, 8, 9);
        quarter!(15, 12, 13, 14);
    }
    for (o, v) in b.iter_mut().zip(x) {
        *o = o.wrapping_add(v);
    }
}

/// BlockMix with Salsa20/8 over `2r` 16-word blocks.
fn block_mix(input: &[u32], output: &mut [u32], r: usize) {
    let mut x = [0u32; 16];
    x.copy_from_slice(&input[(2 * r - 1) * 16..2 * r * 16]);
    for i in 0..2 * r {
        for (xv, bv) in x.iter_mut().zip(&input[i * 16..(i + 1) * 16]) {
            *xv ^= bv;
        }
        salsa20_8(&mut x);
        let dest = if i % 2 == 0 { i / 2 } else { r + i / 2 };
        output[dest * 16..(dest + 1) * 16].copy_from_slice(&x);
    }
}

fn ro_mix(block: &mut [u32], n: usize, r: usize, tick: &mut dyn FnMut() -> PyResult<()>) -> PyResult<()> {
    let words = 32 * r;
    let mut v = vec![0u32; words * n];
    let mut x = block.to_vec();
    let mut y = vec![0u32; words];
    for i in 0..n {
        v[i * words..(i + 1) * words].copy_from_slice(&x);
        block_mix(&x, &mut y, r);
        std::mem::swap(&mut x, &mut y);
        if i % 1024 == 0 {
            tick()?;
        }
    }
    for i in 0..n {
        // Integerify: the first word of the last 64-byte block, modulo n (a power of 2).
        let j = (x[(2 * r - 1) * 16] as usize) & (n - 1);
        for (xv, vv) in x.iter_mut().zip(&v[j * words..(j + 1) * words]) {
            *xv ^= vv;
        }
        block_mix(&x, &mut y, r);
        std::mem::swap(&mut x, &mut y);
        if i % 1024 == 0 {
            tick()?;
        }
    }
    block.copy_from_slice(&x);
    Ok(())
}

fn scrypt(password: &[u8], salt: &[u8], n: usize, r: usize, p: usize, len: usize, tick: &mut dyn FnMut() -> PyResult<()>) -> PyResult<Vec<u8>> {
    let bytes = pbkdf2(password, salt, 1, p * 128 * r, tick)?;
    let mut words: Vec<u32> = bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    for chunk in words.chunks_exact_mut(32 * r) {
        ro_mix(chunk, n, r, tick)?;
    }
    let mixed: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    pbkdf2(password, &mixed, 1, len, tick)
}

// ----- werkzeug's formats -----

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// werkzeug's `_hash_internal`: the hex digest and the method as it is written in the hash.
fn hash_internal(interp: &mut Interpreter, method: &str, salt: &str, password: &str) -> PyResult<(String, String)> {
    let mut parts = method.split(':');
    let name = parts.next().unwrap_or("");
    let args: Vec<&str> = parts.collect();
    let mut tick = || interp.charge(100);
    match name {
        "scrypt" => {
            let (n, r, p) = match args.as_slice() {
                [] => (32_768usize, 8usize, 1usize),
                [n, r, p] => match (n.parse(), r.parse(), p.parse()) {
                    (Ok(n), Ok(r), Ok(p)) => (n, r, p),
                    _ => return Err(PyErr::value_error("'scrypt' takes 3 arguments.")),
                },
                _ => return Err(PyErr::value_error("'scrypt' takes 3 arguments.")),
            };
            if n < 2 || !n.is_power_of_two() {
                return Err(PyErr::value_error("n must be a power of 2."));
            }
            if r == 0 || p == 0 {
                return Err(PyErr::value_error("Invalid parameter combination for n, r, p, maxmem."));
            }
            let memory = n.checked_mul(r).and_then(|x| x.checked_mul(128)).ok_or_else(PyErr::memory_error)?;
            interp.check_alloc(memory, 1)?;
            let blocks = p.checked_mul(r).and_then(|x| x.checked_mul(128)).ok_or_else(PyErr::memory_error)?;
            interp.check_alloc(blocks, 1)?;
            let mut tick = || interp.charge(100);
            let digest = scrypt(password.as_bytes(), salt.as_bytes(), n, r, p, 64, &mut tick)?;
            Ok((hex(&digest), format!("scrypt:{n}:{r}:{p}")))
        }
        "pbkdf2" => {
            let (hash_name, iterations) = match args.as_slice() {
                [] => ("sha256", DEFAULT_PBKDF2_ITERATIONS),
                [h] => (*h, DEFAULT_PBKDF2_ITERATIONS),
                [h, i] => (*h, i.parse::<u32>().map_err(|_| PyErr::value_error(format!("invalid literal for int() with base 10: '{i}'")))?),
                _ => return Err(PyErr::value_error("'pbkdf2' takes 2 arguments.")),
            };
            if hash_name != "sha256" {
                return Err(PyErr::not_implemented(format!("pbkdf2 with '{hash_name}' is not available in the playground (use pbkdf2:sha256 or scrypt)")));
            }
            if iterations == 0 {
                return Err(PyErr::value_error("iteration value must be greater than 0."));
            }
            let digest = pbkdf2(password.as_bytes(), salt.as_bytes(), iterations, 32, &mut tick)?;
            Ok((hex(&digest), format!("pbkdf2:{hash_name}:{iterations}")))
        }
        _ => Err(PyErr::value_error(format!("Invalid hash method '{name}'."))),
    }
}

fn gen_salt(interp: &mut Interpreter, length: i64) -> PyResult<String> {
    let length = usize::try_from(length).ok().filter(|l| *l > 0).ok_or_else(|| PyErr::value_error("Salt length must be at least 1."))?;
    let bytes = random_bytes(interp, length)?;
    Ok(bytes.iter().map(|b| SALT_CHARS[*b as usize % SALT_CHARS.len()] as char).collect())
}

fn generate_password_hash(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [password, method, salt_length] = args.bind("generate_password_hash", ["password", "method", "salt_length"], 1)?;
    let password = text_arg(password)?;
    let method = match method {
        Some(m) => text_arg(Some(m))?,
        None => "scrypt".to_string(),
    };
    let salt_length = match salt_length {
        Some(v) => v.as_int().ok_or_else(|| PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", v.type_name())))?,
        None => 16,
    };
    let salt = gen_salt(interp, salt_length)?;
    let (digest, actual) = hash_internal(interp, &method, &salt, &password)?;
    Ok(Value::string(format!("{actual}${salt}${digest}")))
}

fn check_password_hash(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [pwhash, password] = args.bind("check_password_hash", ["pwhash", "password"], 2)?;
    let pwhash = text_arg(pwhash)?;
    let password = text_arg(password)?;
    let mut parts = pwhash.splitn(3, '$');
    let (Some(method), Some(salt), Some(expected)) = (parts.next(), parts.next(), parts.next()) else { return Ok(Value::Bool(false)) };
    let (digest, _) = hash_internal(interp, method, salt, &password)?;
    Ok(Value::Bool(digest == expected))
}

/// A str argument (bytes are refused: werkzeug encodes str itself).
fn text_arg(v: Option<Value>) -> PyResult<String> {
    match v {
        Some(Value::Str(s)) => Ok(s.as_str().to_string()),
        Some(other) => Err(PyErr::attribute_error(format!("'{}' object has no attribute 'encode'", other.type_name()))),
        None => Err(PyErr::type_error("missing argument")),
    }
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("werkzeug.security", |_| {
        Ok(ModuleBuilder::new("werkzeug.security")
            .function("generate_password_hash", generate_password_hash)
            .function("check_password_hash", check_password_hash)
            .function("gen_salt", |interp, args| {
                let [length] = args.bind("gen_salt", ["length"], 1)?;
                let length = length.and_then(|l| l.as_int()).unwrap_or(0);
                Ok(Value::string(gen_salt(interp, length)?))
            })
            .build())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_tick() -> PyResult<()> {
        Ok(())
    }

    #[test]
    fn sha256_matches_the_standard_vectors() {
        assert_eq!(hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(hex(&sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(&sha256(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        assert_eq!(hex(&sha256(&[b'a'; 1000])), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
    }

    #[test]
    fn pbkdf2_matches_rfc_7914() {
        let out = pbkdf2(b"passwd", b"salt", 1, 64, &mut no_tick).expect("computes");
        assert_eq!(hex(&out), "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
    }

    #[test]
    fn scrypt_matches_rfc_7914() {
        let out = scrypt(b"password", b"NaCl", 1024, 8, 16, 64, &mut no_tick).expect("computes");
        assert_eq!(hex(&out), "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
    }
}

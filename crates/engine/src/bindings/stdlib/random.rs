//! `random`: CPython's Mersenne Twister (MT19937) with its seeding (`init_by_array` of an
//! int's 32-bit words; a str or bytes seed extended with its SHA-512 digest) and its ways of
//! drawing (`_randbelow` by rejection of `getrandbits`, 53-bit floats), so that
//! `random.seed(42); random.randint(1, 10)` gives what CPython gives. Unseeded, it is seeded
//! from the host's entropy.

use std::cell::RefCell;
use std::rc::Rc;

use sha2::{Digest, Sha512};

use crate::script::{CallArgs, Interpreter, ModuleBuilder, PyErr, PyResult, Value};

use super::host::entropy;

const N: usize = 624;
const M: usize = 397;

/// MT19937's state, as `_randommodule.c` keeps it.
struct Twister {
    state: [u32; N],
    index: usize,
}

impl Twister {
    fn from_key(key: &[u32]) -> Twister {
        let mut mt = [0u32; N];
        mt[0] = 19_650_218;
        for i in 1..N {
            mt[i] = 1_812_433_253u32.wrapping_mul(mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_add(i as u32);
        }
        let (mut i, mut j) = (1, 0);
        for _ in 0..N.max(key.len()) {
            mt[i] = (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_664_525)).wrapping_add(key[j]).wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            mt[i] = (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
        Twister { state: mt, index: N }
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            for k in 0..N {
                let y = (self.state[k] & 0x8000_0000) | (self.state[(k + 1) % N] & 0x7fff_ffff);
                let mag = if y & 1 == 1 { 0x9908_b0df } else { 0 };
                self.state[k] = self.state[(k + M) % N] ^ (y >> 1) ^ mag;
            }
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random()`: a float in [0, 1) from 53 random bits.
    fn random(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `getrandbits(k)` for k <= 64: 32-bit words, least significant first.
    fn bits(&mut self, k: u32) -> u64 {
        if k <= 32 {
            return u64::from(self.next_u32() >> (32 - k));
        }
        let low = u64::from(self.next_u32());
        let high = u64::from(self.next_u32() >> (64 - k));
        (high << 32) | low
    }

    /// `_randbelow(n)`: rejection sampling of `n.bit_length()` bits.
    fn below(&mut self, n: u64) -> u64 {
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.bits(k);
            if r < n {
                return r;
            }
        }
    }
}

/// The key `init_by_array` gets for an int seed: |n|'s 32-bit words, least significant first.
fn int_key(n: i64) -> Vec<u32> {
    let n = n.unsigned_abs();
    if n >> 32 == 0 {
        vec![n as u32]
    } else {
        vec![n as u32, (n >> 32) as u32]
    }
}

/// The key for a str or bytes seed (version 2): the int whose big-endian bytes are the seed
/// followed by its SHA-512 digest, as 32-bit words, least significant first.
fn bytes_key(seed: &[u8]) -> Vec<u32> {
    let mut bytes = seed.to_vec();
    bytes.extend_from_slice(&Sha512::digest(seed));
    let significant = &bytes[bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len())..];
    let mut key: Vec<u32> = significant.rchunks(4).map(|chunk| chunk.iter().fold(0u32, |word, b| (word << 8) | u32::from(*b))).collect();
    if key.is_empty() {
        key.push(0);
    }
    key
}

type Shared = Rc<RefCell<Option<Twister>>>;

/// The generator, seeded from the host's entropy on first use if `seed()` was not called.
fn with<T>(interp: &mut Interpreter, rng: &Shared, f: impl FnOnce(&mut Twister) -> T) -> PyResult<T> {
    if rng.borrow().is_none() {
        let bytes = entropy(interp, 32)?;
        let key: Vec<u32> = bytes.chunks(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        *rng.borrow_mut() = Some(Twister::from_key(&key));
    }
    let mut rng = rng.borrow_mut();
    match rng.as_mut() {
        Some(twister) => Ok(f(twister)),
        None => Err(PyErr::runtime_error("random: no generator")),
    }
}

fn integer(v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(_) | Value::Bool(_) => Ok(v.as_int().unwrap_or(0)),
        Value::Float(f) if f.fract() == 0.0 => Err(PyErr::type_error("'float' object cannot be interpreted as an integer")),
        other => Err(PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", other.type_name()))),
    }
}

fn real(v: &Value) -> PyResult<f64> {
    v.as_float().ok_or_else(|| PyErr::type_error(format!("unsupported operand type(s) for -: '{}' and '{}'", v.type_name(), v.type_name())))
}

/// `randrange(start, stop, step)`, with CPython's messages for empty ranges.
fn randrange(interp: &mut Interpreter, rng: &Shared, start: i64, stop: Option<i64>, step: i64) -> PyResult<Value> {
    let Some(stop) = stop else {
        if step != 1 {
            return Err(PyErr::type_error("Missing a non-None stop argument"));
        }
        if start > 0 {
            let r = with(interp, rng, |t| t.below(start as u64))?;
            return Ok(Value::Int(r as i64));
        }
        return Err(PyErr::value_error("empty range for randrange()"));
    };
    let width = stop.checked_sub(start).ok_or_else(PyErr::int_overflow)?;
    if step == 1 {
        if width > 0 {
            let r = with(interp, rng, |t| t.below(width as u64))?;
            return Ok(Value::Int(start + r as i64));
        }
        return Err(PyErr::value_error(format!("empty range for randrange() ({start}, {stop}, {width})")));
    }
    if step == 0 {
        return Err(PyErr::value_error("zero step for randrange()"));
    }
    let n = if step > 0 { (width + step - 1).div_euclid(step) } else { (width + step + 1).div_euclid(step) };
    if n <= 0 {
        return Err(PyErr::value_error("empty range for randrange()"));
    }
    let r = with(interp, rng, |t| t.below(n as u64))?;
    Ok(Value::Int(start + step * r as i64))
}

/// The items of a sequence argument (`choice`, `sample`, `choices`, `shuffle`).
fn sequence(interp: &mut Interpreter, v: &Value, function: &str) -> PyResult<Vec<Value>> {
    match v {
        Value::List(_) | Value::Tuple(_) | Value::Str(_) => interp.collect(v),
        Value::Set(_) | Value::Dict(_) if function == "sample" => Err(PyErr::type_error("Population must be a sequence.  For dicts or sets, use sorted(d).")),
        Value::Set(_) => Err(PyErr::type_error("'set' object is not subscriptable")),
        other => match interp.len(other) {
            Ok(_) => interp.collect(other),
            Err(_) => Err(PyErr::type_error(format!("object of type '{}' has no len()", other.type_name()))),
        },
    }
}

fn sample(interp: &mut Interpreter, rng: &Shared, population: Vec<Value>, k: i64) -> PyResult<Value> {
    let n = population.len();
    let k = usize::try_from(k).ok().filter(|k| *k <= n).ok_or_else(|| PyErr::value_error("Sample larger than population or is negative"))?;
    let mut setsize = 21usize;
    if k > 5 {
        // 4 ** ceil(log(k * 3, 4))
        setsize += 4usize.pow(((k * 3) as f64).log(4.0).ceil() as u32);
    }
    let mut result = Vec::with_capacity(k);
    if n <= setsize {
        let mut pool = population;
        for i in 0..k {
            let j = with(interp, rng, |t| t.below((n - i) as u64))? as usize;
            result.push(pool[j].clone());
            pool[j] = pool[n - i - 1].clone();
        }
    } else {
        let mut selected = std::collections::HashSet::new();
        for _ in 0..k {
            let mut j = with(interp, rng, |t| t.below(n as u64))? as usize;
            while selected.contains(&j) {
                j = with(interp, rng, |t| t.below(n as u64))? as usize;
            }
            selected.insert(j);
            result.push(population[j].clone());
        }
    }
    Ok(Value::list(result))
}

fn choices(interp: &mut Interpreter, rng: &Shared, args: CallArgs) -> PyResult<Value> {
    let [population, weights, cum_weights, k] = args.bind("choices", ["population", "weights", "cum_weights", "k"], 1)?;
    let population = sequence(interp, &population.unwrap_or(Value::None), "choices")?;
    let k = integer(&k.unwrap_or(Value::Int(1)))?.max(0);
    let n = population.len();
    let weights = weights.filter(|w| !w.is_none());
    let cum_weights = cum_weights.filter(|w| !w.is_none());
    if weights.is_none() && cum_weights.is_none() {
        if n == 0 {
            return Err(PyErr::index_error("list index out of range"));
        }
        let mut out = Vec::new();
        for _ in 0..k {
            let r = with(interp, rng, Twister::random)?;
            out.push(population[(r * n as f64).floor() as usize].clone());
        }
        return Ok(Value::list(out));
    }
    let cumulative: Vec<f64> = match (weights, cum_weights) {
        (Some(_), Some(_)) => return Err(PyErr::type_error("Cannot specify both weights and cumulative weights")),
        (Some(weights), None) => {
            let mut total = 0.0;
            interp.collect(&weights)?.iter().map(|w| real(w).map(|w| {
                total += w;
                total
            })).collect::<PyResult<_>>()?
        }
        (None, Some(cum)) => interp.collect(&cum)?.iter().map(real).collect::<PyResult<_>>()?,
        (None, None) => Vec::new(),
    };
    if cumulative.len() != n {
        return Err(PyErr::value_error("The number of weights does not match the population"));
    }
    let total = cumulative.last().copied().unwrap_or(0.0);
    if total <= 0.0 {
        return Err(PyErr::value_error("Total of weights must be greater than zero"));
    }
    if !total.is_finite() {
        return Err(PyErr::value_error("Total of weights must be finite"));
    }
    let mut out = Vec::new();
    for _ in 0..k {
        let x = with(interp, rng, Twister::random)? * total;
        // bisect_right(cum_weights, x, 0, n - 1)
        let index = cumulative[..n - 1].partition_point(|c| *c <= x);
        out.push(population[index].clone());
    }
    Ok(Value::list(out))
}

fn seed(_: &mut Interpreter, rng: &Shared, args: CallArgs) -> PyResult<Value> {
    let [a, _version] = args.bind("seed", ["a", "version"], 0)?;
    let key = match a.unwrap_or(Value::None) {
        Value::None => {
            *rng.borrow_mut() = None;
            return Ok(Value::None);
        }
        Value::Int(n) => int_key(n),
        Value::Bool(b) => int_key(i64::from(b)),
        Value::Str(s) => bytes_key(s.as_str().as_bytes()),
        Value::Bytes(b) => bytes_key(&b.0),
        Value::Float(_) => return Err(PyErr::not_implemented("random.seed() of a float is not supported in the playground; use an int or a str")),
        _ => return Err(PyErr::type_error("The only supported seed types are: None,\nint, float, str, bytes, and bytearray.")),
    };
    *rng.borrow_mut() = Some(Twister::from_key(&key));
    Ok(Value::None)
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("random", |_| {
        let rng: Shared = Rc::new(RefCell::new(None));
        let shared = |f: fn(&mut Interpreter, &Shared, CallArgs) -> PyResult<Value>| {
            let rng = rng.clone();
            move |interp: &mut Interpreter, args: CallArgs| f(interp, &rng, args)
        };
        Ok(ModuleBuilder::new("random")
            .function("seed", shared(seed))
            .function("random", shared(|interp, rng, args| {
                args.exactly("random", 0)?;
                with(interp, rng, Twister::random).map(Value::Float)
            }))
            .function("uniform", shared(|interp, rng, args| {
                let [a, b] = args.bind("uniform", ["a", "b"], 2)?;
                let (a, b) = (real(&a.unwrap_or(Value::None))?, real(&b.unwrap_or(Value::None))?);
                Ok(Value::Float(a + (b - a) * with(interp, rng, Twister::random)?))
            }))
            .function("randint", shared(|interp, rng, args| {
                let [a, b] = args.bind("randint", ["a", "b"], 2)?;
                let (a, b) = (integer(&a.unwrap_or(Value::None))?, integer(&b.unwrap_or(Value::None))?);
                randrange(interp, rng, a, Some(b.checked_add(1).ok_or_else(PyErr::int_overflow)?), 1)
            }))
            .function("randrange", shared(|interp, rng, args| {
                let [start, stop, step] = args.bind("randrange", ["start", "stop", "step"], 1)?;
                let start = integer(&start.unwrap_or(Value::None))?;
                let stop = stop.filter(|v| !v.is_none()).map(|v| integer(&v)).transpose()?;
                let step = step.map(|v| integer(&v)).transpose()?.unwrap_or(1);
                randrange(interp, rng, start, stop, step)
            }))
            .function("getrandbits", shared(|interp, rng, args| {
                args.exactly("getrandbits", 1)?;
                let k = integer(&args.args[0])?;
                match k {
                    k if k < 0 => Err(PyErr::value_error("number of bits must be non-negative")),
                    0 => Ok(Value::Int(0)),
                    k if k <= 63 => with(interp, rng, |t| Value::Int(t.bits(k as u32) as i64)),
                    _ => Err(PyErr::int_overflow()),
                }
            }))
            .function("choice", shared(|interp, rng, args| {
                args.exactly("choice", 1)?;
                let items = sequence(interp, &args.args[0], "choice")?;
                if items.is_empty() {
                    return Err(PyErr::index_error("Cannot choose from an empty sequence"));
                }
                let i = with(interp, rng, |t| t.below(items.len() as u64))?;
                Ok(items[i as usize].clone())
            }))
            .function("choices", shared(choices))
            .function("shuffle", shared(|interp, rng, args| {
                args.exactly("shuffle", 1)?;
                let Value::List(list) = &args.args[0] else {
                    return Err(PyErr::type_error(format!("'{}' object does not support item assignment", args.args[0].type_name())));
                };
                let mut items = list.items.borrow().clone();
                for i in (1..items.len()).rev() {
                    let j = with(interp, rng, |t| t.below(i as u64 + 1))? as usize;
                    items.swap(i, j);
                }
                *list.items.borrow_mut() = items;
                Ok(Value::None)
            }))
            .function("sample", shared(|interp, rng, args| {
                let [population, k] = args.bind("sample", ["population", "k"], 2)?;
                let population = sequence(interp, &population.unwrap_or(Value::None), "sample")?;
                sample(interp, rng, population, integer(&k.unwrap_or(Value::None))?)
            }))
            .build())
    });
}

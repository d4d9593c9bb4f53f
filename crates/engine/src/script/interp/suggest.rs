//! "Did you mean ...?" for misspelled names and attributes, with CPython
//! 3.11's algorithm (a Levenshtein distance where a case change costs half a
//! substitution). CPython prints these for script files only; console input
//! goes through `traceback.py`, which does not add them in 3.11.

const MAX_CANDIDATES: usize = 750;
const MAX_STRING_SIZE: usize = 40;
const MOVE_COST: usize = 2;
const CASE_COST: usize = 1;

fn substitution_cost(a: char, b: char) -> usize {
    if a == b {
        0
    } else if a.to_lowercase().eq(b.to_lowercase()) {
        CASE_COST
    } else {
        MOVE_COST
    }
}

fn levenshtein(a: &[char], b: &[char], max_cost: usize) -> usize {
    if a == b {
        return 0;
    }
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[pre..], &b[pre..]);
    let post = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[..a.len() - post], &b[..b.len() - post]);
    if a.is_empty() || b.is_empty() {
        return MOVE_COST * (a.len() + b.len());
    }
    if a.len() > MAX_STRING_SIZE || b.len() > MAX_STRING_SIZE {
        return max_cost + 1;
    }
    let (a, b) = if b.len() < a.len() { (b, a) } else { (a, b) };
    if (b.len() - a.len()) * MOVE_COST > max_cost {
        return max_cost + 1;
    }
    let mut row: Vec<usize> = (1..=a.len()).map(|i| i * MOVE_COST).collect();
    let mut result = 0;
    for (bindex, &bchar) in b.iter().enumerate() {
        let mut distance = bindex * MOVE_COST;
        result = distance;
        let mut minimum = usize::MAX;
        for (index, &achar) in a.iter().enumerate() {
            let substitute = distance + substitution_cost(bchar, achar);
            distance = row[index];
            let insert_delete = result.min(distance) + MOVE_COST;
            result = insert_delete.min(substitute);
            row[index] = result;
            minimum = minimum.min(result);
        }
        if minimum > max_cost {
            return max_cost + 1;
        }
    }
    result
}

/// The closest candidate to `wrong`, if one is close enough.
pub(crate) fn suggestion<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let candidates: Vec<&str> = candidates.into_iter().take(MAX_CANDIDATES + 1).collect();
    if candidates.len() > MAX_CANDIDATES {
        return None;
    }
    let wrong_chars: Vec<char> = wrong.chars().collect();
    if wrong_chars.len() > MAX_STRING_SIZE {
        return None;
    }
    let mut best_distance = wrong_chars.len();
    let mut best: Option<&str> = None;
    for candidate in candidates {
        if candidate == wrong {
            continue;
        }
        let chars: Vec<char> = candidate.chars().collect();
        let max_distance = ((chars.len() + wrong_chars.len() + 3) * MOVE_COST / 6).min(best_distance.saturating_sub(1));
        let distance = levenshtein(&wrong_chars, &chars, max_distance);
        if distance > max_distance {
            continue;
        }
        if best.is_none() || distance < best_distance {
            best = Some(candidate);
            best_distance = distance;
        }
    }
    best.map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn suggests_like_cpython() {
        assert_eq!(suggestion("usr", ["usrs", "print"]).as_deref(), Some("usrs"));
        assert_eq!(suggestion("pritn", ["print", "len"]).as_deref(), Some("print"));
        assert_eq!(suggestion("apend", ["append", "extend"]).as_deref(), Some("append"));
        assert_eq!(suggestion("Username", ["username"]).as_deref(), Some("username"));
        assert_eq!(suggestion("xyzzyzz", ["username", "show"]), None);
        assert_eq!(suggestion("x", ["x"]), None);
    }
}

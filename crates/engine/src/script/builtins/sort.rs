//! A stable merge sort driven by a fallible "less than", as `list.sort` and
//! `sorted` need: comparisons run user code (`__lt__`, key functions) that
//! may raise or be inconsistent. (Rust's `sort_by` may panic when the order
//! is not total, so it cannot be used with user comparisons.)

/// Sort `items` stably by `lt`, stopping at the first error.
pub(crate) fn merge_sort<T: Clone, E>(items: &mut [T], lt: &mut impl FnMut(&T, &T) -> Result<bool, E>) -> Result<(), E> {
    let n = items.len();
    if n < 2 {
        return Ok(());
    }
    // Insertion sort small runs, then merge bottom-up.
    const RUN: usize = 16;
    let mut start = 0;
    while start < n {
        let end = (start + RUN).min(n);
        for i in start + 1..end {
            let mut j = i;
            while j > start && lt(&items[j], &items[j - 1])? {
                items.swap(j, j - 1);
                j -= 1;
            }
        }
        start = end;
    }
    let mut width = RUN;
    let mut buf: Vec<T> = Vec::with_capacity(n);
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            if mid < hi {
                buf.clear();
                let (mut i, mut j) = (lo, mid);
                while i < mid && j < hi {
                    // Take from the right only when strictly smaller: stability.
                    if lt(&items[j], &items[i])? {
                        buf.push(items[j].clone());
                        j += 1;
                    } else {
                        buf.push(items[i].clone());
                        i += 1;
                    }
                }
                buf.extend_from_slice(&items[i..mid]);
                buf.extend_from_slice(&items[j..hi]);
                items[lo..hi].clone_from_slice(&buf);
            }
            lo = hi;
        }
        width *= 2;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::merge_sort;

    #[test]
    fn sorts_stably_and_stops_on_error() {
        let mut v: Vec<(i32, usize)> = (0..100).map(|i| ((i * 37) % 10, i as usize)).collect();
        merge_sort(&mut v, &mut |a, b| Ok::<_, ()>(a.0 < b.0)).unwrap();
        assert!(v.windows(2).all(|w| w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1)));
        let mut calls = 0;
        let mut w = vec![3, 1, 2];
        let r = merge_sort(&mut w, &mut |_, _| {
            calls += 1;
            Err::<bool, &str>("boom")
        });
        assert_eq!(r, Err("boom"));
        assert_eq!(calls, 1);
    }
}

//! Ordering through packed `u64` keys.
//!
//! Every sort in the engine packs what it orders into a `u64` and goes
//! through these two functions, so the wasm carries one sort and one
//! selection instead of one per element type and comparator (each costs
//! kilobytes).

/// Keys up to this many are sorted by insertion.
const INSERTION_MAX: usize = 16;
/// Keys beyond this many are sorted by radix, fewer by quicksort.
const QUICKSORT_MAX: usize = 2048;

/// Sorts keys ascending: a plain quicksort (median of three, insertion sort
/// for short runs), or a least significant digit radix sort on the bytes
/// that differ between keys when that takes fewer steps (doc ids: two
/// bytes) or there are many keys (linear, so that no input is quadratic in
/// more than [`QUICKSORT_MAX`] keys). Both are a few hundred
/// bytes of wasm where `sort_unstable` and `select_nth_unstable` cost kilobytes.
pub fn sort(keys: &mut [u64]) {
    // Keys often come in order already (as `sort_unstable` also checks).
    if keys.is_sorted() {
        return;
    }
    let n = keys.len();
    if n > INSERTION_MAX {
        let differ = differing_bits(keys);
        let passes = (0..8).map(|byte| byte * 8).filter(|&shift| digit(differ, shift) != 0).count();
        // Measured (callgrind, c1k workload): a radix pass costs about
        // twice 3n + 512 steps, a quicksort level 3n.
        let levels = (usize::BITS - n.leading_zeros()) as usize;
        if n > QUICKSORT_MAX || passes * (6 * n + 1024) < 3 * n * levels {
            radix_sort(keys, differ);
            return;
        }
    }
    quicksort(keys);
}

/// LSD radix sort on the bytes set in `differ`.
fn radix_sort(keys: &mut [u64], differ: u64) {
    let mut buf = vec![0u64; keys.len()];
    let mut in_buf = false;
    for shift in (0..8).map(|byte| byte * 8) {
        if digit(differ, shift) == 0 {
            continue;
        }
        if in_buf {
            radix_pass(&buf, keys, shift);
        } else {
            radix_pass(keys, &mut buf, shift);
        }
        in_buf = !in_buf;
    }
    if in_buf {
        for (k, b) in keys.iter_mut().zip(&buf) {
            *k = *b;
        }
    }
}

/// Quicksort: recurses into the shorter side, loops on the longer.
fn quicksort(mut keys: &mut [u64]) {
    while keys.len() > INSERTION_MAX {
        let m = partition(keys, median_pivot(keys));
        if m == 0 || m >= keys.len() {
            break; // no progress (cannot happen with a median pivot)
        }
        let Some((left, right)) = std::mem::take(&mut keys).split_at_mut_checked(m) else { return };
        if left.len() < right.len() {
            quicksort(left);
            keys = right;
        } else {
            quicksort(right);
            keys = left;
        }
    }
    insertion_sort(keys);
}

/// The median of the first, middle and last keys.
fn median_pivot(keys: &[u64]) -> u64 {
    let at = |i: usize| keys.get(i).copied().unwrap_or_default();
    let (a, b, c) = (at(0), at(keys.len() / 2), at(keys.len().saturating_sub(1)));
    a.max(b).min(a.min(b).max(c))
}

/// Hoare partition around `pivot`: returns `m` with `keys[..m] <= pivot <= keys[m..]`.
fn partition(keys: &mut [u64], pivot: u64) -> usize {
    let (mut i, mut j) = (0, keys.len());
    loop {
        while i < j && keys.get(i).is_some_and(|&k| k < pivot) {
            i += 1;
        }
        while i < j && keys.get(j - 1).is_some_and(|&k| k > pivot) {
            j -= 1;
        }
        if j - i <= 1 {
            return i;
        }
        swap(keys, i, j - 1);
        i += 1;
        j -= 1;
    }
}

fn insertion_sort(keys: &mut [u64]) {
    for i in 1..keys.len() {
        let mut j = i;
        while j > 0 && keys.get(j - 1) > keys.get(j) {
            swap(keys, j - 1, j);
            j -= 1;
        }
    }
}

/// Swaps `keys[a]` and `keys[b]` (without a bounds panic).
fn swap(keys: &mut [u64], a: usize, b: usize) {
    if let (Some(&x), Some(&y)) = (keys.get(a), keys.get(b)) {
        if let Some(slot) = keys.get_mut(a) {
            *slot = y;
        }
        if let Some(slot) = keys.get_mut(b) {
            *slot = x;
        }
    }
}

/// Moves `src` into `dst` (as long), stably ordered by the byte at `shift`.
fn radix_pass(src: &[u64], dst: &mut [u64], shift: u32) {
    let mut at = counts(src, shift);
    let mut sum = 0;
    for n in at.iter_mut() {
        let count = *n;
        *n = sum;
        sum += count;
    }
    for &k in src {
        if let Some(n) = at.get_mut(digit(k, shift)) {
            if let Some(slot) = dst.get_mut(*n) {
                *slot = k;
            }
            *n += 1;
        }
    }
}

/// Keeps the `k` smallest keys, in ascending order: a quickselect of the
/// first `k` (the same partition as [`sort`]), then a sort of those. Should
/// the pivots keep missing, the whole is sorted instead (never quadratic).
pub fn smallest(keys: &mut Vec<u64>, k: usize) {
    if k == 0 {
        keys.clear();
        return;
    }
    let (mut lo, mut hi) = (0, keys.len());
    let mut rounds = 2 * (usize::BITS - keys.len().leading_zeros()) + 4;
    // keys[..lo] are all below keys[lo..hi], which are all below keys[hi..]:
    // narrow keys[lo..hi] until the kth smallest is settled.
    while k > lo && k < hi && hi - lo > INSERTION_MAX {
        let Some(part) = keys.get_mut(lo..hi) else { break };
        if rounds == 0 {
            hi = keys.len();
            break;
        }
        rounds -= 1;
        let m = lo + partition(part, median_pivot(part));
        if m >= k {
            hi = m;
        } else {
            lo = m;
        }
    }
    keys.truncate(hi);
    sort(keys);
    keys.truncate(k);
}

/// The bits that are not the same in every key.
fn differing_bits(keys: &[u64]) -> u64 {
    let (mut all, mut any) = (u64::MAX, 0u64);
    for &k in keys {
        all &= k;
        any |= k;
    }
    all ^ any
}

/// The byte of `key` at `shift`.
fn digit(key: u64, shift: u32) -> usize {
    (key >> shift & 0xFF) as usize
}

/// How many keys have each value of the byte at `shift`.
fn counts(keys: &[u64], shift: u32) -> [usize; 256] {
    let mut at = [0usize; 256];
    for &k in keys {
        if let Some(n) = at.get_mut(digit(k, shift)) {
            *n += 1;
        }
    }
    at
}

/// A key under which higher scores sort first (total order, NaN last).
pub fn descending(score: f32) -> u32 {
    let bits = score.to_bits();
    let ascending = if bits >> 31 == 1 { !bits } else { bits | 0x8000_0000 };
    !ascending
}

/// Packs a high and a low half.
pub fn pack(high: u32, low: u32) -> u64 {
    (u64::from(high) << 32) | u64::from(low)
}

/// The low half of a packed key.
pub fn low(key: u64) -> u32 {
    key as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descending_orders_scores() {
        let scores = [3.5f32, -1.0, 0.0, 10.0, f32::INFINITY, -0.5];
        let mut keys: Vec<u64> = scores.iter().enumerate().map(|(i, s)| pack(descending(*s), i as u32)).collect();
        sort(&mut keys);
        let order: Vec<u32> = keys.iter().map(|&k| low(k)).collect();
        assert_eq!(order, [4, 3, 0, 2, 5, 1]);
        let mut v = vec![5, 1, 4, 2, 3];
        smallest(&mut v, 2);
        assert_eq!(v, [1, 2]);
    }

    #[test]
    fn sort_agrees_with_sort_unstable() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in [0, 1, 2, 5, 31, 32, 33, 100, 1000, 5000] {
            for mask in [u64::MAX, 0xFF, 0xFFFF_0000_0000_00FF, 0x0300_0000_0000_0007, 0] {
                let keys: Vec<u64> = (0..len).map(|_| next() & mask).collect();
                let mut want = keys.clone();
                want.sort_unstable();
                let mut got = keys.clone();
                sort(&mut got);
                assert_eq!(got, want, "len {len}, mask {mask:x}");
                for k in [0, 1, 10, len, len + 1] {
                    let mut got = keys.clone();
                    smallest(&mut got, k);
                    assert_eq!(got, want.get(..k.min(len)).unwrap(), "smallest {k} of {len}");
                }
            }
        }
        for len in [100, 1000, 3000] {
            let up: Vec<u64> = (0..len).map(|i| i * 7).collect();
            for mut keys in [up.clone(), up.iter().rev().copied().collect(), up.iter().map(|k| k % 3).collect()] {
                let mut want = keys.clone();
                want.sort_unstable();
                sort(&mut keys);
                assert_eq!(keys, want);
            }
        }
    }
}

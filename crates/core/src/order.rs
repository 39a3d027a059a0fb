//! Ordering through packed `u64` keys.
//!
//! Every sort in the engine packs what it orders into a `u64` and goes
//! through these two functions, so the wasm carries one sort and one
//! selection instead of one per element type and comparator (each costs
//! kilobytes).

/// Sorts keys ascending.
pub fn sort(keys: &mut [u64]) {
    keys.sort_unstable();
}

/// Keeps the `k` smallest keys, in ascending order.
pub fn smallest(keys: &mut Vec<u64>, k: usize) {
    if k == 0 {
        keys.clear();
        return;
    }
    if keys.len() > k {
        keys.select_nth_unstable(k - 1);
        keys.truncate(k);
    }
    keys.sort_unstable();
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
}

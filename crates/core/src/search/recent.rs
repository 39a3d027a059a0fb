//! What the engine remembers between keystrokes: a few values by key, the
//! oldest forgotten first.

/// The values of the last `N` keys kept, found by a scan (`N` is a few
/// dozen at most): the typo expansions and splits of the last words
/// planned, the folded titles of the last documents shown.
pub(crate) struct Recent<K, V, const N: usize>(Vec<(K, V)>);

impl<K, V, const N: usize> Default for Recent<K, V, N> {
    fn default() -> Self {
        Recent(Vec::new())
    }
}

impl<K, V, const N: usize> Recent<K, V, N> {
    /// The value kept for the key that `is` picks.
    pub(crate) fn find(&self, is: impl Fn(&K) -> bool) -> Option<&V> {
        self.0.iter().find(|(k, _)| is(k)).map(|(_, v)| v)
    }

    /// Keeps `value` for `key`, forgetting the oldest if `N` are kept; gives
    /// it back.
    pub(crate) fn keep(&mut self, key: K, value: V) -> Option<&V> {
        if self.0.len() >= N {
            self.0.remove(0);
        }
        self.0.push((key, value));
        self.0.last().map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_is_forgotten_first() {
        let mut recent: Recent<u32, &str, 2> = Recent::default();
        assert_eq!(recent.keep(1, "a"), Some(&"a"));
        recent.keep(2, "b");
        assert_eq!(recent.find(|&k| k == 1), Some(&"a"));
        recent.keep(3, "c");
        assert_eq!(recent.find(|&k| k == 1), None);
        assert_eq!((recent.find(|&k| k == 2), recent.find(|&k| k == 3)), (Some(&"b"), Some(&"c")));
    }
}

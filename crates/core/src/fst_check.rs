//! A full structural check of an fst, so that forged bytes cannot make the
//! `fst` crate panic.
//!
//! `fst::Map::new` reads only the footer. Everything else the crate trusts:
//! as it walks nodes it slices, subtracts addresses, asserts pack sizes
//! (`assertion failed: 1 <= nbytes && nbytes <= 8`) and adds outputs, and any
//! of these panics on bad bytes (in a debug build, overflow too). The index's
//! checksum catches accidents, not an index forged with a recomputed
//! checksum, and in wasm a panic is a trap that kills the widget.
//!
//! [`validate`] therefore decodes the bytes the way fst 0.4.7 does
//! (`raw::Fst::new`, `raw::node::Node::new` and its transition readers; the
//! format version 3 that its builder writes, or 2, which only lacks the
//! checksum word), with every read bounds-checked, and walks every path from
//! the root. Besides fst's own format it requires, so that every fst
//! operation (lookups, streams, ranges, automata) stays in bounds and ends:
//! - the root is where the builder puts it, just before the footer;
//! - every node lies between the 16-byte header and the footer, with pack
//!   sizes of at most 8 bytes (at least 1 for transition addresses), and
//!   every transition points below its node, so the graph has no cycle;
//! - inputs strictly increase within a node, and the transition index of a
//!   node with more than 32 transitions agrees with its inputs;
//! - every key is at most `max_key_len` bytes, every output sum fits in a
//!   `u64` and every value is at most `max_value`;
//! - the walk finds exactly `keys` keys, as many as the footer says, within
//!   `keys × (max_key_len + 1) + 1` node visits (a bound that a minimal fst
//!   always meets, and that a forged one with dead ends or exponentially
//!   many paths does not).
//!
//! It allocates nothing but its stack (at most `max_key_len + 1` frames).

/// The fst header: version and type, 8 bytes each.
const HEADER: usize = 16;
/// Nodes with more transitions than this have a 256-byte transition index.
const TRANS_INDEX_THRESHOLD: usize = 32;
/// The inputs a state byte can name (fst's `COMMON_INPUTS_INV`, the 63
/// entries that a 6-bit index 1..=63 reaches).
const COMMON_INPUTS: &[u8; 63] = b"te/oasripcnw.hlm-du012g=:bf3y5&_4v9678k%?xCDASFIBEjPTzRNM+LOqHG";

/// Checks that `fst` is an fst of exactly `keys` keys of at most
/// `max_key_len` bytes with values of at most `max_value`, which the `fst`
/// crate can read without panicking (see the module documentation).
pub(crate) fn validate(fst: &[u8], keys: usize, max_value: u64, max_key_len: usize) -> Result<(), &'static str> {
    let (version, root) = footer(fst, keys)?;
    let max_visits = keys.saturating_mul(max_key_len.saturating_add(1)).saturating_add(1);
    let mut visits = 1;
    let mut found = 0;
    let mut stack: Vec<Frame> = Vec::new();
    let mut visit = |stack: &mut Vec<Frame>, node: Node, out: u64| -> Result<(), &'static str> {
        if node.is_final {
            let value = out.checked_add(node.final_output).ok_or("output overflows")?;
            if value > max_value {
                return Err("value too large");
            }
            found += 1;
        }
        node.check_index(fst)?;
        stack.push(Frame { node, next: 0, last_input: None, out });
        Ok(())
    };
    visit(&mut stack, Node::new(fst, version, root)?, 0)?;
    while let Some(frame) = stack.last_mut() {
        if frame.next >= frame.node.ntrans {
            stack.pop();
            continue;
        }
        let (input, out, to) = frame.node.transition(fst, frame.next)?;
        frame.next += 1;
        if frame.last_input.is_some_and(|last| input <= last) {
            return Err("inputs out of order");
        }
        frame.last_input = Some(input);
        let out = frame.out.checked_add(out).ok_or("output overflows")?;
        // The stack holds the root and one node per input byte so far.
        if stack.len() > max_key_len {
            return Err("key too long");
        }
        visits += 1;
        if visits > max_visits {
            return Err("too many paths");
        }
        visit(&mut stack, Node::new(fst, version, to)?, out)?;
    }
    if found != keys {
        return Err("wrong number of keys");
    }
    Ok(())
}

/// The fst's version and root address, from its header and footer: the
/// footer must count `keys` keys, and the root must be where the builder
/// puts it.
fn footer(fst: &[u8], keys: usize) -> Result<(u64, usize), &'static str> {
    let word = |at: usize| -> Option<u64> {
        let bytes = fst.get(at..at.checked_add(8)?)?;
        Some(u64::from_le_bytes(bytes.try_into().ok()?))
    };
    if fst.len() < 36 {
        return Err("too short");
    }
    let version = word(0).unwrap_or(0);
    // Version 3 ends with a CRC32C (which the fst crate reads only to verify).
    let footer = match version {
        2 => 16,
        3 => 20,
        _ => return Err("not version 2 or 3"),
    };
    let footer_at = fst.len() - footer;
    let (Some(len), Some(root)) = (word(footer_at), word(footer_at + 8)) else {
        return Err("no footer");
    };
    if len != keys as u64 {
        return Err("wrong number of keys");
    }
    // The root is the last node, ending just before the footer; or the
    // empty final node (address 0), alone in the fst.
    let root_ok = if root == 0 { fst.len() == HEADER + footer } else { root == footer_at as u64 - 1 };
    if !root_ok {
        return Err("root address");
    }
    Ok((version, usize::try_from(root).map_err(|_| "root address")?))
}

/// A node on the walk's path and its next transition to follow.
struct Frame {
    node: Node,
    next: usize,
    last_input: Option<u8>,
    /// The sum of the outputs on the path to the node.
    out: u64,
}

/// A decoded node, as fst's `Node`: its bytes are `end..=addr`.
#[derive(Clone, Copy)]
struct Node {
    addr: usize,
    end: usize,
    kind: Kind,
    ntrans: usize,
    /// Pack sizes of transition addresses (deltas) and of outputs.
    tsize: usize,
    osize: usize,
    is_final: bool,
    final_output: u64,
}

#[derive(Clone, Copy)]
enum Kind {
    /// Address 0: final, no transitions, no output.
    EmptyFinal,
    /// One transition, to the node just below, without output.
    OneTransNext(u8),
    OneTrans(u8),
    /// `ntrans_len`: 1 when the count has its own byte; `index`: the size of
    /// the transition index (0 or 256).
    AnyTrans {
        ntrans_len: usize,
        index: usize,
    },
}

impl Node {
    /// Decodes the node at `addr` as `fst::raw::Node::new` does, checking
    /// that all its bytes are in `fst` after the header.
    fn new(fst: &[u8], version: u64, addr: usize) -> Result<Node, &'static str> {
        let mut node = Node {
            addr,
            end: addr,
            kind: Kind::EmptyFinal,
            ntrans: 0,
            tsize: 0,
            osize: 0,
            is_final: true,
            final_output: 0,
        };
        if addr == 0 {
            return Ok(node);
        }
        const BAD: &str = "node out of bounds";
        // The address of the byte `n` bytes below the state byte.
        let below = |n: usize| addr.checked_sub(n).filter(|&at| at >= HEADER).ok_or(BAD);
        let byte = |n: usize| below(n).and_then(|at| fst.get(at).copied().ok_or(BAD));
        let state = byte(0)?;
        // The input, and its length: in the state byte (0) or below it (1).
        let input = || match (state & 0b11_1111).checked_sub(1) {
            Some(i) => COMMON_INPUTS.get(usize::from(i)).map(|&b| (b, 0)).ok_or(BAD),
            None => byte(1).map(|b| (b, 1)),
        };
        node.is_final = false;
        match state >> 6 {
            0b11 => {
                let (input, input_len) = input()?;
                node.kind = Kind::OneTransNext(input);
                node.ntrans = 1;
                node.end = below(input_len)?;
            }
            0b10 => {
                let (input, input_len) = input()?;
                (node.tsize, node.osize) = pack_sizes(byte(input_len + 1)?)?;
                if node.tsize == 0 {
                    return Err("transition pack size 0");
                }
                node.kind = Kind::OneTrans(input);
                node.ntrans = 1;
                node.end = below(input_len + 1 + node.tsize + node.osize)?;
            }
            _ => {
                let (ntrans_len, ntrans) = match state & 0b11_1111 {
                    0 => match byte(1)? {
                        // 1 is always in the state byte; here it means 256.
                        1 => (1, 256),
                        n => (1, usize::from(n)),
                    },
                    n => (0, usize::from(n)),
                };
                (node.tsize, node.osize) = pack_sizes(byte(ntrans_len + 1)?)?;
                if node.tsize == 0 && ntrans > 0 {
                    return Err("transition pack size 0");
                }
                let index = if version >= 2 && ntrans > TRANS_INDEX_THRESHOLD { 256 } else { 0 };
                node.is_final = state & 0b0100_0000 != 0;
                let final_osize = if node.is_final { node.osize } else { 0 };
                // At most 2 + 256 × (1 + 8 + 8) + 256 + 8: no overflow.
                node.end = below(ntrans_len + 1 + index + ntrans * (1 + node.tsize + node.osize) + final_osize)?;
                if node.is_final && node.osize > 0 {
                    node.final_output = uint(fst, node.end, node.osize)?;
                }
                node.kind = Kind::AnyTrans { ntrans_len, index };
                node.ntrans = ntrans;
            }
        }
        Ok(node)
    }

    /// Transition `i` (`< ntrans`): its input, output and target address,
    /// which is below the node (or 0, the empty final node).
    fn transition(&self, fst: &[u8], i: usize) -> Result<(u8, u64, usize), &'static str> {
        const BAD: &str = "transition out of bounds";
        let (input, out, delta) = match self.kind {
            Kind::EmptyFinal => return Err(BAD),
            // Its target is the byte just below it: delta 1.
            Kind::OneTransNext(input) => (input, 0, 1),
            Kind::OneTrans(input) => {
                let out = if self.osize == 0 { 0 } else { uint(fst, self.end, self.osize)? };
                (input, out, uint(fst, self.end + self.osize, self.tsize)?)
            }
            Kind::AnyTrans { ntrans_len, index } => {
                // From the top: count, pack sizes, index, inputs, deltas,
                // outputs, final output; each table in reverse order.
                let inputs_end = self.addr.checked_sub(ntrans_len + 1 + index).ok_or(BAD)?;
                let at = |table_end: usize, size: usize| {
                    table_end.checked_sub((i + 1) * size).filter(|&at| at >= self.end).ok_or(BAD)
                };
                let input = fst.get(at(inputs_end, 1)?).copied().ok_or(BAD)?;
                let deltas_end = inputs_end.checked_sub(self.ntrans).ok_or(BAD)?;
                let delta = uint(fst, at(deltas_end, self.tsize)?, self.tsize)?;
                let out = if self.osize == 0 {
                    0
                } else {
                    let outputs_end = deltas_end.checked_sub(self.ntrans * self.tsize).ok_or(BAD)?;
                    uint(fst, at(outputs_end, self.osize)?, self.osize)?
                };
                (input, out, delta)
            }
        };
        // fst: a delta of 0 is the empty final node, else `end - delta`.
        let to = match delta {
            0 => 0,
            d => usize::try_from(d).ok().and_then(|d| self.end.checked_sub(d)).ok_or(BAD)?,
        };
        Ok((input, out, to))
    }

    /// For a node with a transition index: the index maps exactly the
    /// node's inputs, each to its transition (fst's `find_input` trusts it).
    fn check_index(&self, fst: &[u8]) -> Result<(), &'static str> {
        let Kind::AnyTrans { ntrans_len, index: 256 } = self.kind else { return Ok(()) };
        const BAD: &str = "bad transition index";
        let table_at = self.addr.checked_sub(ntrans_len + 1 + 256).ok_or(BAD)?;
        let table = fst.get(table_at..table_at + 256).ok_or(BAD)?;
        if table.iter().filter(|&&i| usize::from(i) < self.ntrans).count() != self.ntrans {
            return Err(BAD);
        }
        for i in 0..self.ntrans {
            let (input, _, _) = self.transition(fst, i)?;
            if table.get(usize::from(input)).map(|&t| usize::from(t)) != Some(i) {
                return Err(BAD);
            }
        }
        Ok(())
    }
}

/// Transition and output pack sizes from their byte; fst's `unpack_uint`
/// asserts at most 8.
fn pack_sizes(b: u8) -> Result<(usize, usize), &'static str> {
    let (tsize, osize) = (usize::from(b >> 4), usize::from(b & 0xF));
    if tsize > 8 || osize > 8 {
        return Err("pack size over 8");
    }
    Ok((tsize, osize))
}

/// A little-endian integer of `n` (`1..=8`) bytes at `at`.
fn uint(fst: &[u8], at: usize, n: usize) -> Result<u64, &'static str> {
    let bytes = (1..=8).contains(&n).then(|| fst.get(at..at.checked_add(n)?)).flatten();
    let bytes = bytes.ok_or("integer out of bounds")?;
    Ok(bytes.iter().rev().fold(0, |v, &b| v << 8 | u64::from(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::automaton::{Automaton, Str, Subsequence};
    use fst::{IntoStreamer, Map, MapBuilder, Streamer};
    use std::panic::{catch_unwind, AssertUnwindSafe};

    /// splitmix64
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// A random fst: its bytes, keys and values, and the longest key.
    struct Case {
        bytes: Vec<u8>,
        entries: Vec<(Vec<u8>, u64)>,
        max_value: u64,
        max_key_len: usize,
    }

    fn build(mut keys: Vec<Vec<u8>>, values: u8, rng: &mut Rng) -> Case {
        keys.sort();
        keys.dedup();
        let mut offset = 0u64;
        let entries: Vec<(Vec<u8>, u64)> = keys
            .into_iter()
            .enumerate()
            .map(|(i, k)| {
                let v = match values % 5 {
                    0 => i as u64,
                    1 => {
                        offset += rng.below(1 << 40);
                        offset
                    }
                    2 => rng.next(),
                    3 => 0,
                    _ => u64::MAX - rng.below(4),
                };
                (k, v)
            })
            .collect();
        let mut builder = MapBuilder::memory();
        for (k, v) in &entries {
            builder.insert(k, *v).unwrap();
        }
        Case {
            bytes: builder.into_inner().unwrap(),
            max_value: entries.iter().map(|e| e.1).max().unwrap_or(0),
            max_key_len: entries.iter().map(|e| e.0.len()).max().unwrap_or(0),
            entries,
        }
    }

    /// Random key sets: small and large alphabets (common inputs and not;
    /// more than 32 children per node), lengths 0 to 12, some with the
    /// empty key, some with all 256 one-byte keys.
    fn cases(n: u64, max_keys: u64) -> Vec<Case> {
        let mut rng = Rng(n);
        (0..n)
            .map(|c| {
                let alphabet: &[u8] = match c % 4 {
                    0 => b"abc",
                    1 => b"etaoinshrdlu/.-0123456789",
                    _ => &[],
                };
                let count = rng.below(max_keys + 1);
                let mut keys: Vec<Vec<u8>> = (0..count)
                    .map(|_| {
                        let len = rng.below(13);
                        (0..len)
                            .map(|_| match alphabet {
                                [] => {
                                    rng.below(if c % 4 == 2 { 256 } else { 48 }) as u8
                                        + if c % 4 == 3 { 200 } else { 0 }
                                }
                                a => a[rng.below(a.len() as u64) as usize],
                            })
                            .collect()
                    })
                    .collect();
                if c % 3 == 0 {
                    keys.push(Vec::new());
                }
                if c % 7 == 0 {
                    keys.extend((0..=255u8).map(|b| vec![b]));
                    keys.extend((0..=255u8).map(|b| vec![b'x', b, b]));
                }
                build(keys, c as u8, &mut rng)
            })
            .collect()
    }

    fn check(case: &Case, bytes: &[u8]) -> Result<(), &'static str> {
        validate(bytes, case.entries.len(), case.max_value, case.max_key_len)
    }

    #[test]
    fn builder_output_validates() {
        for case in cases(400, 300) {
            let n = case.entries.len();
            assert_eq!(check(&case, &case.bytes), Ok(()), "{n} keys");
            if case.max_key_len > 0 {
                assert!(validate(&case.bytes, n, case.max_value, case.max_key_len - 1).is_err());
            }
            if case.max_value > 0 {
                assert!(validate(&case.bytes, n, case.max_value - 1, case.max_key_len).is_err());
            }
            assert!(validate(&case.bytes, n + 1, case.max_value, case.max_key_len).is_err());
        }
    }

    #[test]
    fn edge_cases_validate() {
        let mut rng = Rng(1);
        for values in 0..5 {
            for keys in [vec![], vec![vec![]], vec![vec![], vec![0]], vec![vec![0xFF; 200]]] {
                let case = build(keys, values, &mut rng);
                assert_eq!(check(&case, &case.bytes), Ok(()));
            }
        }
        // Every common input, and every other byte, as the only key.
        for b in 0..=255 {
            let case = build(vec![vec![b], vec![b, b]], 3, &mut rng);
            assert_eq!(check(&case, &case.bytes), Ok(()));
        }
    }

    /// Every fst operation the crate (or a user of `Index::fst`) might run.
    fn exercise(bytes: &[u8], case: &Case) {
        let Ok(map) = Map::new(bytes) else { return };
        for (k, _) in case.entries.iter().step_by(case.entries.len() / 64 + 1) {
            let _ = map.get(k);
            let mut absent = k.clone();
            absent.push(b'a');
            let _ = map.get(&absent);
        }
        let mut stream = map.stream();
        while stream.next().is_some() {}
        let bounds: [&[u8]; 6] = [b"", b"a", b"b\xff", b"x", b"\x00", b"\xff\xff"];
        let first = case.entries.first().map(|e| e.0.clone()).unwrap_or_default();
        for k in bounds.iter().copied().chain([&first[..]]) {
            let mut s = map.range().ge(k).into_stream();
            while s.next().is_some() {}
            let mut s = map.range().lt(k).into_stream();
            while s.next().is_some() {}
            let mut s = map.range().gt(k).le(b"y").into_stream();
            while s.next().is_some() {}
        }
        let mut s = map.search(Str::new("x").starts_with()).into_stream();
        while s.next().is_some() {}
        let mut s = map.search(Subsequence::new("ab").complement()).into_stream();
        while s.next().is_some() {}
        let lev = crate::fuzzy::Levenshtein::new("abcab", 2).unwrap();
        let mut s = map.search_with_state(&lev).into_stream();
        while s.next().is_some() {}
        for v in [0, 1, case.max_value] {
            let _ = map.as_fst().get_key(v);
        }
    }

    /// Single-byte flips and zeroed 4-byte windows: each is refused, or
    /// every operation on it runs without a panic.
    #[test]
    fn mutations_are_refused_or_harmless() {
        let (mut accepted, mut total) = (0, 0);
        for (c, case) in cases(40, 40).iter().enumerate() {
            // Every byte of small fsts, a sample of the big ones.
            let step = case.bytes.len() / 400 + 1;
            let mut mutants = Vec::new();
            for at in (c % step..case.bytes.len()).step_by(step) {
                for x in [0x01, 0x80, 0xFF] {
                    let mut m = case.bytes.clone();
                    m[at] ^= x;
                    mutants.push(m);
                }
                if at + 4 <= case.bytes.len() {
                    let mut m = case.bytes.clone();
                    m[at..at + 4].fill(0);
                    mutants.push(m);
                }
            }
            for m in mutants {
                total += 1;
                if check(case, &m).is_ok() {
                    accepted += 1;
                    let ok = catch_unwind(AssertUnwindSafe(|| exercise(&m, case))).is_ok();
                    assert!(ok, "accepted but panics: {m:?}");
                }
            }
        }
        println!("{accepted} of {total} mutants accepted");
        assert!(0 < accepted && accepted < total);
    }

    /// The common-input table is fst's: a one-byte key decodes to its byte.
    #[test]
    fn common_inputs_decode() {
        for b in 0..=255u8 {
            let case = build(vec![vec![b]], 0, &mut Rng(3));
            let root = case.bytes.len() - 21;
            let node = Node::new(&case.bytes, 3, root).unwrap();
            assert_eq!(node.transition(&case.bytes, 0).unwrap().0, b);
        }
    }

    #[test]
    fn malformed_footers_are_refused() {
        let case = build(vec![b"ab".to_vec(), b"b".to_vec()], 0, &mut Rng(2));
        let n = case.bytes.len();
        assert!(check(&case, &case.bytes[..35]).is_err());
        for (at, value) in [(0, 1u64), (0, 4), (n - 20, 3), (n - 12, 0), (n - 12, u64::MAX), (n - 12, (n - 22) as u64)]
        {
            let mut m = case.bytes.clone();
            m[at..at + 8].copy_from_slice(&value.to_le_bytes());
            assert!(check(&case, &m).is_err(), "{value} at {at}");
        }
    }
}

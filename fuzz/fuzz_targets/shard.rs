#![no_main]
//! See `timkiem_fuzz::shard` (fuzz/src/lib.rs) for what this target checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| timkiem_fuzz::shard(data));

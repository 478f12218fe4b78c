//! Kafka's default partitioner for keyed records: `toPositive(murmur2(keyBytes)) % numPartitions`
//! (`BuiltInPartitioner.partitionForKey`), with `murmur2` and `toPositive` ported exactly from
//! `org.apache.kafka.common.utils.Utils`. Java's `int` arithmetic is two's-complement and wraps,
//! and `>>>` is a logical shift: `u32` with wrapping multiplication and `>>` is the same
//! computation bit for bit; the result is read back as a signed `i32`, as Java returns it.

/// Kafka's `Utils.murmur2`: MurmurHash2, 32 bits, seed `0x9747b28c`.
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let mut h: u32 = SEED ^ data.len() as u32;
    let chunks = data.chunks_exact(4);
    let tail = chunks.remainder();
    for c in chunks {
        let mut k = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    // Java's `switch (length % 4)` falls through from case 3 to case 1.
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: the low 31 bits (not the absolute value, so `i32::MIN` maps to 0).
pub fn to_positive(n: i32) -> u32 {
    (n as u32) & 0x7fff_ffff
}

/// The partition Kafka's producer picks for a record with key `key` among `partitions` (at least
/// one).
pub fn partition_for_key(key: &[u8], partitions: u32) -> u32 {
    to_positive(murmur2(key)) % partitions.max(1)
}

/// The key of customer `n`: `customer-<n>`, as UTF-8 bytes.
pub fn customer_key(n: u32) -> String {
    format!("customer-{n}")
}

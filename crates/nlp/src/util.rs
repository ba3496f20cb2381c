//! Small helpers shared by the trained components: word shapes, suffixes and a seeded shuffle.

/// The shape of the first `max` characters, runs collapsed: "Kosovo" → "Xx", "4,500" → "d,d".
pub(crate) fn shape(w: &str, max: usize) -> String {
    let mut out = String::new();
    for c in w.chars().take(max) {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if !out.ends_with(k) {
            out.push(k);
        }
    }
    out
}

/// The word `k` positions from `i`, or `<s>` / `</s>` past the sentence edges.
pub(crate) fn at(words: &[String], i: usize, k: isize) -> &str {
    let j = i as isize + k;
    if j < 0 {
        "<s>"
    } else {
        words.get(j as usize).map_or("</s>", String::as_str)
    }
}

/// The last `n` characters of `w`.
pub(crate) fn suffix(w: &str, n: usize) -> &str {
    let start = w.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    &w[start..]
}

/// A deterministic xorshift64* generator (training runs are reproducible for a seed).
pub(crate) struct XorShift(u64);

impl XorShift {
    /// A generator; seed 0 is replaced by 1.
    pub(crate) fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }

    /// The next pseudo-random number.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Fisher–Yates shuffle.
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let r = self.next();
            items.swap(i, (r % (i as u64 + 1)) as usize);
        }
    }
}

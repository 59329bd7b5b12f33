//! A small deterministic generator for demo and scale data: the same seed gives the same
//! rows on every machine and engine (no dependency on a library's unstable algorithm).
#[derive(Clone, Debug)]
pub struct Lcg(pub u64);

impl Lcg {
    /// The next 31 bits (the high bits of a 64-bit linear congruential step, Knuth's MMIX
    /// constants: the low bits of an LCG are poor).
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// Uniform in `0..n` (n ≥ 1; the bias of `%` is negligible for the sizes used here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with `percent` % probability.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A heavy-tailed weight (Pareto, shape 1.2, at least 1): most draws are near 1, a few are
    /// hundreds — the skew of real participation, where a few proposals get most votes.
    pub fn pareto(&mut self) -> f64 {
        let u = (self.below(1_000_000) as f64 + 1.0) / 1_000_001.0;
        u.powf(-1.0 / 1.2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_draws() {
        let (mut a, mut b) = (Lcg(7), Lcg(7));
        let xs: Vec<u64> = (0..100).map(|_| a.below(1000)).collect();
        let ys: Vec<u64> = (0..100).map(|_| b.below(1000)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().any(|&x| x != xs[0]));
    }

    #[test]
    fn ranges_hold() {
        let mut r = Lcg(1);
        for _ in 0..10_000 {
            let x = r.between(-3, 3);
            assert!((-3..=3).contains(&x));
            assert!(r.pareto() >= 1.0);
        }
    }
}

//! Confidence intervals: Wilson for shares, Student t for means, and MOVER for differences.
//!
//! Hand-written (about 80 lines) rather than a statistics crate: we need three functions, and
//! their values are pinned against R in the tests below.

/// Two-sided 95 % normal quantile, `qnorm(0.975)`.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for a share `p` observed on `n` (here Kish's effective n).
///
/// Centre `(p + z²/2n) / (1 + z²/n)`, half-width `z/(1 + z²/n) · √(p(1-p)/n + z²/4n²)`.
/// Unlike the Wald interval it stays inside [0, 1] and is not degenerate at p = 0 or 1.
pub fn wilson(p: f64, n: f64) -> (f64, f64) {
    if n <= 0.0 {
        return (0.0, 1.0);
    }
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).max(0.0).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// 0.975 quantile of Student's t with `df` degrees of freedom (fractional allowed, `df >= 1`).
///
/// For `df >= 20` the Cornish–Fisher expansion in 1/df (Abramowitz & Stegun 26.7.5, four
/// terms; error below 1e-6 there); below, bisection on the CDF `1 - I_{df/(df+t²)}(df/2, 1/2) / 2`:
/// 60 halvings of [0, 13] (the quantile is 12.706 at df = 1 and decreases with df).
pub fn t975(df: f64) -> f64 {
    if !df.is_finite() {
        return Z95;
    }
    if df >= 20.0 {
        let z = Z95;
        let (z2, v) = (z * z, df);
        let g1 = (z2 + 1.0) * z / 4.0;
        let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
        let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
        let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
        return z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
    }
    // Small samples repeat the same few degrees of freedom (a dashboard estimates every
    // territory for every measure and actor): remember each inversion, per thread.
    thread_local! {
        static SOLVED: std::cell::RefCell<std::collections::HashMap<u64, f64>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(t) = SOLVED.with(|m| m.borrow().get(&df.to_bits()).copied()) {
        return t;
    }
    let t = t975_by_bisection(df);
    SOLVED.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear(); // weighted data: every df may differ; keep the memory bounded
        }
        m.insert(df.to_bits(), t)
    });
    t
}

/// The quantile as the root of the t distribution's upper tail, by bisection.
fn t975_by_bisection(df: f64) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 13.0_f64);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        let upper_tail = 0.5 * inc_beta(df / (df + mid * mid), 0.5 * df, 0.5);
        if upper_tail > 0.025 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// MOVER interval (Zou & Donner 2008) for `a - b` of two independent estimates, each given
/// as (value, low, high): it recovers each variance from its own interval, so it keeps the
/// asymmetry of Wilson limits.
pub fn mover(a: (f64, f64, f64), b: (f64, f64, f64)) -> (f64, f64) {
    let d = a.0 - b.0;
    let low = d - ((a.0 - a.1).powi(2) + (b.2 - b.0).powi(2)).sqrt();
    let high = d + ((a.2 - a.0).powi(2) + (b.0 - b.1).powi(2)).sqrt();
    (low, high)
}

/// Regularised incomplete beta `I_x(a, b)` (continued fraction, modified Lentz).
fn inc_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    // The fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_fraction(x, a, b) / a
    } else {
        1.0 - ln_front.exp() * beta_fraction(1.0 - x, b, a) / b
    }
}

fn beta_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    d = if d.abs() < TINY { TINY } else { d }.recip();
    let mut h = d;
    for m in 1..300 {
        let m = m as f64;
        for num in [
            m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0)),
        ] {
            d = 1.0 + num * d;
            d = if d.abs() < TINY { TINY } else { d }.recip();
            c = 1.0 + num / c;
            c = if c.abs() < TINY { TINY } else { c };
            h *= d * c;
        }
        if (d * c - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error ~1e-15).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1-x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut s = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        s += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + s.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_r_qt() {
        // R qt(0.975, df) (and scipy t.ppf): both sides of the switch at df = 20 included.
        for (df, q) in [
            (1.0, 12.706205),
            (2.0, 4.302653),
            (10.0, 2.228139),
            (19.5, 2.089398),
            (20.0, 2.085963),
            (29.0, 2.045230),
            (100.0, 1.983972),
        ] {
            assert!((t975(df) - q).abs() < 1e-5, "df {df}: {} vs {q}", t975(df));
        }
        assert!((t975(1e9) - Z95).abs() < 1e-8);
    }

    #[test]
    fn wilson_matches_hand_computation() {
        // p = 0.5, n = 100: z² = 3.841459; denom = 1.0384146; centre = 0.5;
        // half = 1.959964/1.0384146 · √(0.0025 + 0.0000960365) = 1.887458 · 0.0509513 = 0.0961685
        let (lo, hi) = wilson(0.5, 100.0);
        assert!(
            (lo - 0.4038315).abs() < 1e-6 && (hi - 0.5961685).abs() < 1e-6,
            "{lo} {hi}"
        );
        // p = 0: the interval is [0, z²/(n+z²)] = [0, 3.841459/13.841459] = [0, 0.2775328].
        let (lo, hi) = wilson(0.0, 10.0);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775328).abs() < 1e-6, "{hi}");
    }

    #[test]
    fn mover_reduces_to_wald_for_symmetric_intervals() {
        // a = 0.6 ± 0.03, b = 0.5 ± 0.04: d = 0.1 ± √(0.03² + 0.04²) = 0.1 ± 0.05.
        let (lo, hi) = mover((0.6, 0.57, 0.63), (0.5, 0.46, 0.54));
        assert!((lo - 0.05).abs() < 1e-12 && (hi - 0.15).abs() < 1e-12);
    }
}

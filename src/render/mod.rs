//! Rendering: the [`scene`] display list and its backends, which draw it without policy of
//! their own: [`raster`] (PNG), [`svg`] and [`pdf`]; [`text`] measures and outlines the
//! glyphs for all of them. Scenes are composed in [`crate::compose`]; [`layout`] holds the
//! geometry it shares with the backends (frames, projected paths, free-space grid). What a
//! map shows is resolved before, in [`crate::values`].
pub mod layout;
pub mod pdf;
pub mod raster;
pub mod scene;
mod stroke;
pub mod svg;
pub mod text;

/// `x.round() as i64` (halves away from zero) without a call: `f64::round` is a libm call
/// on baseline x86-64 (no SSE4.1), and maps round a million coordinates. Exact for
/// |x| < 2^52; saturates like `as` beyond.
#[inline]
pub(crate) fn round_i64(x: f64) -> i64 {
    let t = x as i64;
    let f = x - t as f64;
    if f >= 0.5 {
        t + 1
    } else if f <= -0.5 {
        t - 1
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_i64_rounds_like_round() {
        for x in [
            0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            0.499_999_999_999_999_94,
            -0.499_999_999_999_999_94,
            12.34,
            -12.35,
            1e15 + 0.5,
            -7.0,
            3.999_999,
        ] {
            assert_eq!(super::round_i64(x), x.round() as i64, "{x}");
        }
    }
}

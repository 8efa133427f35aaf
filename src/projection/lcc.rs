//! Lambert conformal conic, secant, on an ellipsoid (IGN NTG_71: ALG0001 isometric latitude,
//! ALG0002 its inverse, ALG0003/ALG0004 forward/inverse, ALG0054 constants).

use std::f64::consts::FRAC_PI_2;
use std::sync::LazyLock;

use super::{GRS80_A, GRS80_F};

/// Lambert-93: GRS80, λ0 3°E, φ0 46°30'N, standard parallels 44°N and 49°N, false origin
/// (700 000, 6 600 000).
pub(super) static LAMBERT93: LazyLock<Lcc> = LazyLock::new(|| {
    Lcc::secant(
        GRS80_A,
        GRS80_F,
        3.0,
        46.5,
        44.0,
        49.0,
        700_000.0,
        6_600_000.0,
    )
});

/// Constants of one Lambert conformal conic (ALG0054 output).
#[derive(Debug)]
pub(super) struct Lcc {
    /// First eccentricity.
    e: f64,
    /// Cone constant.
    n: f64,
    /// Projection constant.
    c: f64,
    /// Central meridian (radians).
    lon0: f64,
    /// Pole coordinates.
    xs: f64,
    ys: f64,
}

impl Lcc {
    /// ALG0054: constants from two standard parallels (degrees) and the false origin.
    #[allow(clippy::too_many_arguments)]
    fn secant(a: f64, f: f64, lon0: f64, lat0: f64, lat1: f64, lat2: f64, x0: f64, y0: f64) -> Lcc {
        let e = (f * (2.0 - f)).sqrt();
        let (p0, p1, p2) = (lat0.to_radians(), lat1.to_radians(), lat2.to_radians());
        let big_n = |p: f64| a / (1.0 - (e * p.sin()).powi(2)).sqrt();
        let (l1, l2) = (isometric(p1, e), isometric(p2, e));
        let n = ((big_n(p2) * p2.cos()) / (big_n(p1) * p1.cos())).ln() / (l1 - l2);
        let c = big_n(p1) * p1.cos() / n * (n * l1).exp();
        Lcc {
            e,
            n,
            c,
            lon0: lon0.to_radians(),
            xs: x0,
            ys: y0 + c * (-n * isometric(p0, e)).exp(),
        }
    }

    /// ALG0003: radians → metres.
    #[inline]
    pub(super) fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        let r = self.c * (-self.n * isometric(lat, self.e)).exp();
        let (s, c) = (self.n * (lon - self.lon0)).sin_cos();
        (self.xs + r * s, self.ys - r * c)
    }

    /// ALG0004: metres → radians.
    pub(super) fn inverse(&self, x: f64, y: f64) -> (f64, f64) {
        let (dx, dy) = (x - self.xs, y - self.ys);
        let r = dx.hypot(dy);
        let gamma = dx.atan2(-dy);
        let l = -(r / self.c).ln() / self.n;
        (
            self.lon0 + gamma / self.n,
            latitude_from_isometric(l, self.e),
        )
    }
}

/// ALG0001: isometric latitude of `lat` (radians) on an ellipsoid of eccentricity `e`.
#[inline]
pub(super) fn isometric(lat: f64, e: f64) -> f64 {
    let s = lat.sin();
    s.atanh() - e * (e * s).atanh()
}

/// ALG0002: latitude (radians) of an isometric latitude. ALG0002 iterates a fixed point
/// (error × e² ≈ 0.007 per step, seven steps with a `powf` each); Newton's method on the same
/// equation, from the spherical solution, converges quadratically: three steps reach 1e-15 rad.
pub(super) fn latitude_from_isometric(l: f64, e: f64) -> f64 {
    let mut lat = 2.0 * l.exp().atan() - FRAC_PI_2;
    for _ in 0..10 {
        let (s, c) = lat.sin_cos();
        // d(isometric)/d(lat) = (1 - e²) / ((1 - e² sin²) cos)
        let step = (isometric(lat, e) - l) * (1.0 - (e * s).powi(2)) * c / (1.0 - e * e);
        lat -= step;
        if step.abs() < 1e-15 {
            break;
        }
    }
    lat
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ALG0001 test values of NTG_71.
    #[test]
    fn isometric_latitude_matches_ign_test_values() {
        let e = 0.081_991_889_98;
        assert!((isometric(0.872_664_626, e) - 1.005_526_536_49).abs() < 1e-11);
        assert!((isometric(-0.3, e) - -0.302_616_900_63).abs() < 1e-11);
        assert!((isometric(0.199_989_033_70, e) - 0.2).abs() < 1e-11);
        assert!((latitude_from_isometric(1.005_526_536_48, e) - 0.872_664_626).abs() < 1e-11);
        assert!((latitude_from_isometric(-0.302_616_900_6, e) - -0.299_999_999_97).abs() < 1e-11);
    }

    /// Lambert-93 constants as published by IGN (n, C, Ys) to their printed precision.
    #[test]
    fn lambert93_constants_match_ign() {
        let l = &*LAMBERT93;
        assert!((l.n - 0.725_607_765_0).abs() < 1e-10, "{}", l.n);
        assert!((l.c - 11_754_255.426).abs() < 1e-3, "{}", l.c);
        assert!((l.ys - 12_655_612.050).abs() < 1e-3, "{}", l.ys);
    }
}

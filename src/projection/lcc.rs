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
    /// The cone radius, tabulated for areas.
    radii: Radii,
}

/// The cone radius ρ(φ) and its derivative every 0.01° of latitude, for cubic Hermite
/// interpolation: off by less than a micrometre, where the exact radius costs three
/// transcendental calls per vertex (a commune density map computes 35,000 areas).
#[derive(Debug)]
struct Radii {
    /// Latitude of the first node (radians).
    lat0: f64,
    /// Node spacing (radians).
    step: f64,
    /// (ρ, dρ/dφ) at each node.
    nodes: Vec<(f64, f64)>,
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
        let radius = |lat: f64| c * (-n * isometric(lat, e)).exp();
        // dρ/dφ = -n ρ dL/dφ, with dL/dφ = (1 - e²) / ((1 - e² sin²φ) cos φ).
        let slope = |lat: f64| {
            let s = lat.sin();
            -n * radius(lat) * (1.0 - e * e) / ((1.0 - (e * s).powi(2)) * lat.cos())
        };
        let (first, last, step) = (30f64.to_radians(), 65f64.to_radians(), 0.01f64.to_radians());
        let count = ((last - first) / step).ceil() as usize + 1;
        let nodes = (0..count)
            .map(|i| {
                let lat = first + i as f64 * step;
                (radius(lat), slope(lat))
            })
            .collect();
        Lcc {
            e,
            n,
            c,
            lon0: lon0.to_radians(),
            xs: x0,
            ys: y0 + radius(p0),
            radii: Radii {
                lat0: first,
                step,
                nodes,
            },
        }
    }

    /// The cone radius at `lat` (radians): interpolated in the table, exact outside it.
    #[inline]
    fn radius(&self, lat: f64) -> f64 {
        let t = &self.radii;
        let f = (lat - t.lat0) / t.step;
        let i = f as usize;
        match (t.nodes.get(i), t.nodes.get(i + 1)) {
            (Some(&(r0, d0)), Some(&(r1, d1))) if f >= 0.0 => {
                let u = f - i as f64;
                let (u2, u3) = (u * u, u * u * u);
                (2.0 * u3 - 3.0 * u2 + 1.0) * r0
                    + (u3 - 2.0 * u2 + u) * t.step * d0
                    + (3.0 * u2 - 2.0 * u3) * r1
                    + (u3 - u2) * t.step * d1
            }
            _ => self.c * (-self.n * isometric(lat, self.e)).exp(),
        }
    }

    /// Twice the signed planar area (m²) of a ring of lon/lat radians once projected: in
    /// polar coordinates about the cone's apex, `x_i y_j - x_j y_i = ρ_i ρ_j sin(θ_j - θ_i)`
    /// with θ linear in longitude, so no vertex needs a trigonometric call.
    pub(super) fn twice_area(&self, ring: impl Iterator<Item = (f64, f64)>) -> f64 {
        let mut twice = 0.0;
        let mut last: Option<(f64, f64)> = None;
        for (lon, lat) in ring {
            let r = self.radius(lat);
            if let Some((lon0, r0)) = last {
                twice += r0 * r * small_sin(self.n * (lon - lon0));
            }
            last = Some((lon, r));
        }
        twice
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

/// sin(x), by its Taylor series for the small angles between two vertices (exact to the last
/// bit below 0.02 rad).
#[inline]
fn small_sin(x: f64) -> f64 {
    if x.abs() < 0.02 {
        let x2 = x * x;
        x * (1.0 - x2 / 6.0 * (1.0 - x2 / 20.0 * (1.0 - x2 / 42.0)))
    } else {
        x.sin()
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

    #[test]
    fn tabulated_radius_matches_the_exact_one() {
        let l = &*LAMBERT93;
        let mut worst: f64 = 0.0;
        for k in 0..=100_000 {
            let lat = (30.0 + 35.0 * f64::from(k) / 100_000.0).to_radians();
            let exact = l.c * (-l.n * isometric(lat, l.e)).exp();
            worst = worst.max((l.radius(lat) - exact).abs());
        }
        assert!(worst < 1e-6, "{worst} m");
        // Outside the table, the exact formula.
        let lat = 70f64.to_radians();
        assert_eq!(l.radius(lat), l.c * (-l.n * isometric(lat, l.e)).exp());
    }

    #[test]
    fn small_sin_is_sin() {
        for x in [0.0, 1e-9, -3e-4, 0.0123, -0.0199, 0.02, 0.5] {
            assert!(
                (small_sin(x) - f64::sin(x)).abs() <= 1e-18_f64.max(f64::sin(x).abs() * 2e-16),
                "{x}"
            );
        }
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

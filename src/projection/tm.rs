//! Transverse Mercator by Krüger's series to n⁶ (Karney 2011, "Transverse Mercator with an
//! accuracy of a few nanometers"): exact to well under a millimetre across a UTM zone.

use std::sync::LazyLock;

use super::lcc::{isometric, latitude_from_isometric};
use super::{GRS80_A, GRS80_F};

/// UTM scale factor on the central meridian.
const K0: f64 = 0.9996;
const FALSE_EASTING: f64 = 500_000.0;
const FALSE_NORTHING_SOUTH: f64 = 10_000_000.0;

static GRS80: LazyLock<Kruger> = LazyLock::new(|| Kruger::new(GRS80_A, GRS80_F));

/// Series coefficients of one ellipsoid.
#[derive(Debug)]
struct Kruger {
    e: f64,
    /// Rectifying radius times the scale factor.
    k0a: f64,
    /// Forward coefficients α1..α6.
    alpha: [f64; 6],
    /// Inverse coefficients β1..β6.
    beta: [f64; 6],
}

impl Kruger {
    fn new(a: f64, f: f64) -> Kruger {
        let n = f / (2.0 - f);
        let (n2, n3) = (n * n, n * n * n);
        let (n4, n5, n6) = (n3 * n, n3 * n2, n3 * n3);
        Kruger {
            e: (f * (2.0 - f)).sqrt(),
            k0a: K0 * a / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0),
            alpha: [
                n / 2.0 - 2.0 / 3.0 * n2 + 5.0 / 16.0 * n3 + 41.0 / 180.0 * n4 - 127.0 / 288.0 * n5
                    + 7891.0 / 37800.0 * n6,
                13.0 / 48.0 * n2 - 3.0 / 5.0 * n3 + 557.0 / 1440.0 * n4 + 281.0 / 630.0 * n5
                    - 1_983_433.0 / 1_935_360.0 * n6,
                61.0 / 240.0 * n3 - 103.0 / 140.0 * n4
                    + 15061.0 / 26880.0 * n5
                    + 167_603.0 / 181_440.0 * n6,
                49561.0 / 161_280.0 * n4 - 179.0 / 168.0 * n5 + 6_601_661.0 / 7_257_600.0 * n6,
                34729.0 / 80640.0 * n5 - 3_418_889.0 / 1_995_840.0 * n6,
                212_378_941.0 / 319_334_400.0 * n6,
            ],
            beta: [
                n / 2.0 - 2.0 / 3.0 * n2 + 37.0 / 96.0 * n3 - 1.0 / 360.0 * n4 - 81.0 / 512.0 * n5
                    + 96199.0 / 604_800.0 * n6,
                n2 / 48.0 + n3 / 15.0 - 437.0 / 1440.0 * n4 + 46.0 / 105.0 * n5
                    - 1_118_711.0 / 3_870_720.0 * n6,
                17.0 / 480.0 * n3 - 37.0 / 840.0 * n4 - 209.0 / 4480.0 * n5 + 5569.0 / 90720.0 * n6,
                4397.0 / 161_280.0 * n4 - 11.0 / 504.0 * n5 - 830_251.0 / 7_257_600.0 * n6,
                4583.0 / 161_280.0 * n5 - 108_847.0 / 3_991_680.0 * n6,
                20_648_693.0 / 638_668_800.0 * n6,
            ],
        }
    }
}

/// Σ c_j·sin(2jξ)·cosh(2jη) and Σ c_j·cos(2jξ)·sinh(2jη), j = 1..6, with the multiple angles
/// built by addition formulas from one sin/cos/sinh/cosh each.
#[inline]
fn series(c: &[f64; 6], xi: f64, eta: f64) -> (f64, f64) {
    let (s1, c1) = (2.0 * xi).sin_cos();
    let (sh1, ch1) = ((2.0 * eta).sinh(), (2.0 * eta).cosh());
    let (mut s, mut co, mut sh, mut ch) = (s1, c1, sh1, ch1);
    let (mut dxi, mut deta) = (0.0, 0.0);
    for cj in c {
        dxi += cj * s * ch;
        deta += cj * co * sh;
        (s, co) = (s * c1 + co * s1, co * c1 - s * s1);
        (sh, ch) = (sh * ch1 + ch * sh1, ch * ch1 + sh * sh1);
    }
    (dxi, deta)
}

fn central_meridian(zone: u8) -> f64 {
    (f64::from(zone) * 6.0 - 183.0).to_radians()
}

fn false_northing(south: bool) -> f64 {
    if south { FALSE_NORTHING_SOUTH } else { 0.0 }
}

/// Radians → UTM metres.
#[inline]
pub(super) fn utm_forward(zone: u8, south: bool, lon: f64, lat: f64) -> (f64, f64) {
    let k = &*GRS80;
    let dlon = lon - central_meridian(zone);
    // tan of the conformal latitude.
    let t = isometric(lat, k.e).sinh();
    let (sl, cl) = dlon.sin_cos();
    let xi = t.atan2(cl);
    let eta = (sl / (1.0 + t * t).sqrt()).atanh();
    let (dxi, deta) = series(&k.alpha, xi, eta);
    (
        FALSE_EASTING + k.k0a * (eta + deta),
        false_northing(south) + k.k0a * (xi + dxi),
    )
}

/// UTM metres → radians.
pub(super) fn utm_inverse(zone: u8, south: bool, x: f64, y: f64) -> (f64, f64) {
    let k = &*GRS80;
    let xi = (y - false_northing(south)) / k.k0a;
    let eta = (x - FALSE_EASTING) / k.k0a;
    let (dxi, deta) = series(&k.beta, xi, eta);
    let (xi, eta) = (xi - dxi, eta - deta);
    let conformal = (xi.sin() / eta.cosh()).asin();
    let lat = latitude_from_isometric(conformal.sin().atanh(), k.e);
    let lon = central_meridian(zone) + eta.sinh().atan2(xi.cos());
    (lon, lat)
}

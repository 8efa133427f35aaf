//! Projections against published values and against PROJ (proj4rs), round trips, areas.

use std::path::PathBuf;

use phare::projection::{Projection, area_km2, for_departement};
use proj4rs::Proj;

const L93: Projection = Projection::Lambert93;

/// The same point projected by proj4rs (a port of PROJ) from EPSG definitions.
fn proj4rs_forward(epsg: u16, lon: f64, lat: f64) -> (f64, f64) {
    let (src, dst) = (
        Proj::from_epsg_code(4326).unwrap(),
        Proj::from_epsg_code(epsg).unwrap(),
    );
    let mut p = (lon.to_radians(), lat.to_radians());
    proj4rs::transform::transform(&src, &dst, &mut p).unwrap();
    p
}

/// Points spread over each system's area: (département, lon, lat).
const POINTS: &[(&str, f64, f64)] = &[
    ("75", 2.3499, 48.853),     // Notre-Dame de Paris
    ("29", -4.4861, 48.3904),   // Brest
    ("67", 7.7521, 48.5734),    // Strasbourg
    ("06", 7.2620, 43.7102),    // Nice
    ("66", 3.1739, 42.3331),    // Cap Cerbère
    ("59", 2.5360, 51.0890),    // Bray-Dunes, the northernmost commune
    ("2A", 9.1500, 41.3870),    // Bonifacio, Corsica
    ("2B", 9.4500, 42.7000),    // Bastia, Corsica
    ("971", -61.5340, 16.2410), // Pointe-à-Pitre
    ("972", -61.0588, 14.6161), // Fort-de-France
    ("973", -52.3260, 4.9372),  // Cayenne
    ("973", -54.0300, 2.1000),  // southern Guyane
    ("974", 55.4500, -20.8790), // Saint-Denis de La Réunion
    ("974", 55.7700, -21.3800), // Saint-Philippe
    ("976", 45.2279, -12.7806), // Mamoudzou
];

#[test]
fn lambert93_matches_pyproj_at_notre_dame() {
    let (x, y) = L93.forward(2.3499, 48.853);
    assert!(
        (x - 652_296.97).abs() < 0.005 && (y - 6_861_636.36).abs() < 0.005,
        "({x}, {y})"
    );
}

/// Values computed by PROJ (proj4rs) for the official systems, pinned so a change in either
/// side shows: Bonifacio (Lambert-93), Pointe-à-Pitre (UTM 20N), Cayenne (UTM 22N),
/// Saint-Denis (UTM 40S), Mamoudzou (UTM 38S).
#[test]
fn known_points_in_each_system() {
    let cases = [
        ("2A", 9.15, 41.387, 1_215_383.886_8, 6_051_764.637_2),
        ("971", -61.534, 16.241, 656_674.773_7, 1_796_154.422_3),
        ("973", -52.326, 4.9372, 352_980.204_6, 545_868.922_4),
        ("974", 55.45, -20.879, 338_766.099_8, 7_690_466.274_0),
        ("976", 45.2279, -12.7806, 524_735.374_7, 8_587_115.811_5),
    ];
    for (dep, lon, lat, ex, ey) in cases {
        let (x, y) = for_departement(dep).forward(lon, lat);
        assert!(
            (x - ex).abs() < 1e-4 && (y - ey).abs() < 1e-4,
            "{dep}: ({x}, {y})"
        );
    }
}

#[test]
fn every_point_matches_proj_to_the_micrometre() {
    for &(dep, lon, lat) in POINTS {
        let p = for_departement(dep);
        let (x, y) = p.forward(lon, lat);
        let (rx, ry) = proj4rs_forward(p.epsg() as u16, lon, lat);
        assert!(
            (x - rx).abs() < 1e-6 && (y - ry).abs() < 1e-6,
            "{dep} {p:?}: ({x}, {y}) vs PROJ ({rx}, {ry})"
        );
    }
}

#[test]
fn round_trips_within_1e_12_degree() {
    for &(dep, lon, lat) in POINTS {
        let p = for_departement(dep);
        let (x, y) = p.forward(lon, lat);
        let (lon2, lat2) = p.inverse(x, y);
        assert!(
            (lon - lon2).abs() < 1e-12 && (lat - lat2).abs() < 1e-12,
            "{dep}: ({lon2}, {lat2})"
        );
    }
}

#[test]
fn departements_map_to_their_official_systems() {
    let epsg = |d| for_departement(d).epsg();
    assert_eq!(for_departement("69"), L93);
    assert_eq!(for_departement("2A"), L93);
    assert_eq!(
        for_departement("971"),
        Projection::Utm {
            zone: 20,
            south: false
        }
    );
    assert_eq!(
        for_departement("974"),
        Projection::Utm {
            zone: 40,
            south: true
        }
    );
    assert_eq!(
        [
            epsg("75"),
            epsg("971"),
            epsg("972"),
            epsg("973"),
            epsg("974"),
            epsg("976")
        ],
        [2154, 5490, 5490, 2972, 2975, 4471]
    );
}

/// A 1 km square drawn in projected metres, unprojected to degrees, measures 1 km² again.
#[test]
fn area_of_a_projected_square_is_exact() {
    for p in [
        L93,
        Projection::Utm {
            zone: 40,
            south: true,
        },
    ] {
        let (x0, y0) = p.forward(
            if p == L93 { 4.0 } else { 55.5 },
            if p == L93 { 45.0 } else { -21.0 },
        );
        let corners = [
            (0.0, 0.0),
            (1000.0, 0.0),
            (1000.0, 1000.0),
            (0.0, 1000.0),
            (0.0, 0.0),
        ];
        let ring: Vec<_> = corners
            .iter()
            .map(|(dx, dy)| p.inverse(x0 + dx, y0 + dy))
            .collect();
        let hole: Vec<_> = corners
            .iter()
            .map(|(dx, dy)| p.inverse(x0 + 250.0 + dx / 2.0, y0 + 250.0 + dy / 2.0))
            .collect();
        let square = geo_types::MultiPolygon(vec![geo_types::Polygon::new(
            ring.into(),
            vec![hole.into()],
        )]);
        let km2 = area_km2(&square, p);
        assert!((km2 - 0.75).abs() < 1e-9, "{p:?}: {km2}");
    }
}

/// A file of ../shared/geodata, or `None` (skipped) on a fresh clone without it.
fn shared(name: &str) -> Option<PathBuf> {
    crate::common::shared_geodata().map(|d| d.join(name))
}

/// ../shared/geodata/README.md: metropolitan communes sum to 548,861.428 km² in Lambert-93.
#[test]
fn metropolitan_communes_sum_to_548861_km2() {
    let Some(path) = shared("communes.geojson") else {
        return;
    };
    let layer = phare::boundaries::load(&path, &Default::default()).unwrap();
    let metro: f64 = layer
        .territories
        .iter()
        .filter(|t| !t.code.starts_with("97"))
        .map(|t| area_km2(&t.geometry, L93))
        .sum();
    assert!((metro - 548_861.428).abs() < 0.01, "{metro}");
    let reunion: f64 = layer
        .territories
        .iter()
        .filter(|t| t.code.starts_with("974"))
        .map(|t| area_km2(&t.geometry, for_departement("974")))
        .sum();
    assert!((reunion - 2_500.0).abs() < 30.0, "{reunion}");
}

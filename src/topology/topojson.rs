//! TopoJSON writer of a topology (the embedded `geodata/france.topojson`); the reader is
//! [`crate::boundaries::topojson`], which loads any TopoJSON file.

use std::io::{self, Write};

use super::{Ring, SCALE, Shape, Topology};
use crate::{Level, Territory};

/// One object to write: territories (for their properties) and their shapes, in order.
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    /// Object name (`communes`, `departements`, `regions`).
    pub name: &'a str,
    /// Territories, whose level decides the properties written.
    pub territories: &'a [Territory],
    /// Shape of each territory, in the same order.
    pub shapes: &'a [Shape],
    /// False to write the codes alone (as `id`), the other properties being kept elsewhere.
    pub properties: bool,
}

/// Quantum of the written coordinates, in millionths of a degree: 1e-5° is 1.1 m of
/// latitude (0.8 m of longitude in Paris), finer than the simplification by far.
pub const QUANTUM: i32 = 10;

/// Writes a topology as TopoJSON: quantised (scale 1e-5°), delta-encoded arcs, one geometry
/// and one arc per line. Byte-for-byte deterministic for the same input.
///
/// The code is the geometry's `id`; properties by level: communes `nom, dep, reg, epci,
/// population`; départements `nom, reg`; régions `nom` (none when [`Object::properties`] is
/// false). A polygon shape is written as a `Polygon`.
pub fn write(w: &mut dyn Write, topology: &Topology, objects: &[Object]) -> io::Result<()> {
    let points = topology.arcs.iter().flatten();
    let min = points
        .clone()
        .fold([i32::MAX; 2], |m, p| [m[0].min(p[0]), m[1].min(p[1])]);
    let max = points.fold([i32::MIN; 2], |m, p| [m[0].max(p[0]), m[1].max(p[1])]);
    let (min, max) = if topology.arcs.is_empty() {
        ([0, 0], [0, 0])
    } else {
        (min, max)
    };
    let quantise = |p: &[i32; 2]| {
        [
            (p[0] - min[0] + QUANTUM / 2) / QUANTUM,
            (p[1] - min[1] + QUANTUM / 2) / QUANTUM,
        ]
    };
    // The bounding box of the positions as decoded (the far corner rounds to the grid).
    let max = quantise(&max).map(|q| q * QUANTUM);
    let max = [min[0] + max[0], min[1] + max[1]];
    let deg = |v: i32| v as f64 / SCALE;
    write!(
        w,
        "{{\"type\":\"Topology\",\"bbox\":[{},{},{},{}],",
        deg(min[0]),
        deg(min[1]),
        deg(max[0]),
        deg(max[1])
    )?;
    let scale = QUANTUM as f64 / SCALE;
    write!(
        w,
        "\"transform\":{{\"scale\":[{scale},{scale}],\"translate\":[{},{}]}},",
        deg(min[0]),
        deg(min[1])
    )?;
    w.write_all(b"\"objects\":{")?;
    for (k, object) in objects.iter().enumerate() {
        if k > 0 {
            w.write_all(b",")?;
        }
        write!(
            w,
            "{}:{{\"type\":\"GeometryCollection\",\"geometries\":[",
            json(object.name)
        )?;
        for (j, (t, shape)) in object.territories.iter().zip(object.shapes).enumerate() {
            w.write_all(if j > 0 { b",\n" } else { b"\n" })?;
            write_geometry(w, t, shape, object.properties)?;
        }
        w.write_all(b"]}")?;
    }
    w.write_all(b"},\n\"arcs\":[")?;
    for (k, arc) in topology.arcs.iter().enumerate() {
        w.write_all(if k > 0 { b",\n" } else { b"\n" })?;
        let quantised = arc.iter().map(quantise);
        let mut previous: Option<[i32; 2]> = None;
        let mut written = 0;
        w.write_all(b"[")?;
        for (j, q) in quantised.enumerate() {
            // Points that round to the same place are written once, but an arc keeps its two
            // ends so that every reference stays valid.
            if previous == Some(q) && !(j == arc.len() - 1 && written == 1) {
                continue;
            }
            let d = match previous {
                Some(p) => [q[0] - p[0], q[1] - p[1]],
                None => q,
            };
            write!(
                w,
                "{}[{},{}]",
                if written > 0 { "," } else { "" },
                d[0],
                d[1]
            )?;
            previous = Some(q);
            written += 1;
        }
        w.write_all(b"]")?;
    }
    w.write_all(b"\n]}\n")
}

fn write_geometry(
    w: &mut dyn Write,
    t: &Territory,
    shape: &Shape,
    properties: bool,
) -> io::Result<()> {
    let rings = |w: &mut dyn Write, polygon: &[Ring]| -> io::Result<()> {
        w.write_all(b"[")?;
        for (k, ring) in polygon.iter().enumerate() {
            let refs: Vec<String> = ring.iter().map(i32::to_string).collect();
            write!(w, "{}[{}]", if k > 0 { "," } else { "" }, refs.join(","))?;
        }
        w.write_all(b"]")
    };
    if let [polygon] = shape.as_slice() {
        w.write_all(b"{\"type\":\"Polygon\",\"arcs\":")?;
        rings(w, polygon)?;
    } else {
        w.write_all(b"{\"type\":\"MultiPolygon\",\"arcs\":[")?;
        for (k, polygon) in shape.iter().enumerate() {
            if k > 0 {
                w.write_all(b",")?;
            }
            rings(w, polygon)?;
        }
        w.write_all(b"]")?;
    }
    write!(w, ",\"id\":{}", json(&t.code))?;
    if !properties {
        return w.write_all(b"}");
    }
    write!(w, ",\"properties\":{{\"nom\":{}", json(&t.name))?;
    let text = |v: &Option<String>| v.as_deref().map(json).unwrap_or_else(|| "null".into());
    match t.level {
        Level::Commune => {
            let population = t
                .population
                .map(|p| p.to_string())
                .unwrap_or_else(|| "null".into());
            write!(
                w,
                ",\"dep\":{},\"reg\":{},\"epci\":{},\"population\":{population}",
                text(&t.departement),
                text(&t.region),
                text(&t.epci)
            )?;
        }
        Level::Departement => write!(w, ",\"reg\":{}", text(&t.region))?,
        Level::Region => {}
    }
    w.write_all(b"}}")
}

/// A JSON string literal.
fn json(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

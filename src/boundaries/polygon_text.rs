//! Polygon and MultiPolygon geometries read straight from their GeoJSON text: the GeoJSON
//! reader's fast path for the usual `{"type":"MultiPolygon","coordinates":[...]}`, about
//! three times quicker than serde's visitors on a 29 MB commune file.
//!
//! The file has already been checked as JSON as a whole, so this parser only follows the
//! structure it expects. Anything else (another geometry type, another member, an escaped
//! key, an empty array) gives `None`, and the serde path reads that geometry and words its
//! errors.

use geo_types::Coord;

/// Polygons, each a list of rings, each a list of positions.
type Polygons = Vec<Vec<Vec<Coord<f64>>>>;

/// The polygons of a Polygon (one) or MultiPolygon geometry, each a list of rings, exterior
/// first; `None` when the text is not such a geometry in the expected shape.
pub(super) fn polygons(text: &str) -> Option<Polygons> {
    let mut c = Cursor {
        b: text.as_bytes(),
        i: 0,
    };
    c.eat(b'{')?;
    let (mut kind, mut polygons) = (None, None);
    loop {
        match c.key()? {
            b"type" => {
                c.eat(b':')?;
                kind = Some(c.key()?);
            }
            b"coordinates" => {
                c.eat(b':')?;
                polygons = Some(c.coordinates()?);
            }
            _ => return None,
        }
        match c.next()? {
            b',' => {}
            b'}' => break,
            _ => return None,
        }
    }
    c.ws();
    let (depth, polygons) = polygons?;
    match (kind?, depth) {
        (b"Polygon", 3) | (b"MultiPolygon", 4) if c.i == c.b.len() => Some(polygons),
        _ => None,
    }
}

thread_local! {
    /// Positions of the ring being read on this thread, copied out at their exact count.
    static RING: std::cell::RefCell<Vec<Coord<f64>>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }

    /// The next byte after white space, consumed.
    fn next(&mut self) -> Option<u8> {
        self.ws();
        let c = *self.b.get(self.i)?;
        self.i += 1;
        Some(c)
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    /// A string without escapes, as bytes.
    fn key(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.i;
        let b: &'a [u8] = self.b;
        let len = memchr::memchr(b'"', &b[start..])?;
        let s = &b[start..start + len];
        if s.contains(&b'\\') {
            return None;
        }
        self.i = start + len + 1;
        Some(s)
    }

    /// The `coordinates` of a Polygon (depth 3) or a MultiPolygon (depth 4), with that depth:
    /// the member may come before `type`.
    fn coordinates(&mut self) -> Option<(usize, Polygons)> {
        self.ws();
        let depth = self.b[self.i..]
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .take_while(|&&b| b == b'[')
            .count();
        match depth {
            3 => Some((3, vec![self.rings()?])),
            4 => Some((4, self.list(Self::rings)?)),
            _ => None,
        }
    }

    fn rings(&mut self) -> Option<Vec<Vec<Coord<f64>>>> {
        self.list(Self::ring)
    }

    /// `[a, b, ...]`, not empty, each element read by `item`.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.eat(b'[')?;
        let mut out = Vec::new();
        loop {
            out.push(item(self)?);
            match self.next()? {
                b',' => {}
                b']' => return Some(out),
                _ => return None,
            }
        }
    }

    /// `[[x, y], ...]`: positions, extra ordinates skipped.
    fn ring(&mut self) -> Option<Vec<Coord<f64>>> {
        RING.with_borrow_mut(|ring| {
            ring.clear();
            self.eat(b'[')?;
            loop {
                self.eat(b'[')?;
                let x = self.number()?;
                self.eat(b',')?;
                let y = self.number()?;
                while self.peek()? == b',' {
                    self.i += 1;
                    self.number()?;
                }
                self.eat(b']')?;
                ring.push(Coord { x, y });
                match self.next()? {
                    b',' => {}
                    b']' => return Some(ring.to_vec()),
                    _ => return None,
                }
            }
        })
    }

    fn number(&mut self) -> Option<f64> {
        self.ws();
        let start = self.i;
        while matches!(
            self.b.get(self.i),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        ) {
            self.i += 1;
        }
        decimal(&self.b[start..self.i])
    }
}

/// A JSON number: exactly (one correctly rounded division) when its digits fit 2^53 and it
/// has at most 22 decimals and no exponent, as boundary coordinates do; else by the standard
/// library.
fn decimal(s: &[u8]) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    let mut mantissa: u64 = 0;
    let mut decimals: Option<usize> = None;
    let mut count = 0;
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
                count += 1;
                decimals = decimals.map(|d| d + 1);
            }
            b'.' if decimals.is_none() => decimals = Some(0),
            _ => return std::str::from_utf8(s).ok()?.parse().ok(),
        }
    }
    let decimals = decimals.unwrap_or(0);
    if count == 0 || count > 15 || decimals >= POW10.len() {
        return std::str::from_utf8(s).ok()?.parse().ok();
    }
    let v = mantissa as f64 / POW10[decimals];
    Some(if negative { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        for s in [
            "0",
            "-0",
            "4.958372",
            "-61.809839",
            "46.153276",
            "51.088994",
            "1e-3",
            "12.5E2",
            "0.1",
            "123456789012345678",
            "-0.000001",
            "3.14159265358979",
        ] {
            let want: f64 = s.parse().expect("number");
            assert_eq!(
                decimal(s.as_bytes()).map(f64::to_bits),
                Some(want.to_bits()),
                "{s}"
            );
        }
    }

    #[test]
    fn polygon_and_multipolygon_in_either_member_order() {
        let square = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
            .map(|[x, y]| Coord { x, y })
            .to_vec();
        let poly = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#;
        assert_eq!(polygons(poly), Some(vec![vec![square.clone()]]));
        let multi = r#"{ "coordinates" : [ [ [ [0, 0, 12], [1.0,0], [1,1e0], [0,0] ] ] ],
                         "type": "MultiPolygon" }"#;
        assert_eq!(polygons(multi), Some(vec![vec![square]]));
    }

    #[test]
    fn anything_unexpected_goes_to_serde() {
        for text in [
            r#"{"type":"Polygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}"#,
            r#"{"type":"MultiPolygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
            r#"{"type":"Point","coordinates":[0,0]}"#,
            r#"{"type":"Polygon","coordinates":[]}"#,
            r#"{"type":"Polygon","coordinates":[[]]}"#,
            r#"{"type":"Polygon","bbox":[0,0,1,1],"coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
            r#"{"ty\u0070e":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
            r#"{"coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
            r#"null"#,
        ] {
            assert_eq!(polygons(text), None, "{text}");
        }
    }
}

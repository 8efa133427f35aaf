//! Shared test helpers: PNG decoding and reference-image comparison, resvg style.
//!
//! `assert_matches_reference("case", &png)` compares with `tests/reference/case.png`, counting
//! pixels where any channel differs by more than [`TOLERANCE`] (SIMD and target-cpu rounding).
//! On failure it writes `target/ref-diffs/case.png` (expected | red mask | actual).
//! `UPDATE_REFS=1 cargo test` rewrites the references; a missing reference is a failure.

use std::path::PathBuf;

#[path = "../support/shared_geodata.rs"]
mod shared;
pub use shared::shared_geodata;

/// Largest per-channel difference that still counts as the same pixel.
pub const TOLERANCE: u8 = 2;

/// A decoded image: straight (not premultiplied) RGBA8, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Width, px.
    pub width: u32,
    /// Height, px.
    pub height: u32,
    /// `width * height * 4` bytes.
    pub data: Vec<u8>,
}

impl Image {
    /// The RGBA of pixel (x, y).
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        let i = (y * self.width + x) as usize * 4;
        [
            self.data[i],
            self.data[i + 1],
            self.data[i + 2],
            self.data[i + 3],
        ]
    }
}

/// Decodes any 8-bit PNG to RGBA8.
pub fn decode_png(bytes: &[u8]) -> Image {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("a valid PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a sane PNG size")];
    let info = reader.next_frame(&mut buf).expect("PNG pixel data");
    let px = (info.width * info.height) as usize;
    let data = match info.color_type {
        png::ColorType::Rgba => buf[..px * 4].to_vec(),
        png::ColorType::Rgb => buf[..px * 3]
            .chunks(3)
            .flat_map(|c| [c[0], c[1], c[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buf[..px * 2]
            .chunks(2)
            .flat_map(|c| [c[0], c[0], c[0], c[1]])
            .collect(),
        png::ColorType::Grayscale => buf[..px].iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => unreachable!("EXPAND turns palettes into RGB(A)"),
    };
    Image {
        width: info.width,
        height: info.height,
        data,
    }
}

/// Encodes RGBA8 as a compact PNG (references are committed: keep them small).
pub fn encode_png(img: &Image) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, img.width, img.height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::High);
    let mut w = enc.write_header().expect("PNG header");
    w.write_image_data(&img.data).expect("PNG data");
    w.finish().expect("PNG end");
    out
}

/// Pixels where any channel differs by more than `tolerance`, as a mask. Images of
/// different sizes differ everywhere.
pub fn diff_mask(expected: &Image, actual: &Image, tolerance: u8) -> Vec<bool> {
    if (expected.width, expected.height) != (actual.width, actual.height) {
        return vec![true; (actual.width * actual.height) as usize];
    }
    expected
        .data
        .chunks(4)
        .zip(actual.data.chunks(4))
        .map(|(e, a)| e.iter().zip(a).any(|(x, y)| x.abs_diff(*y) > tolerance))
        .collect()
}

/// Number of differing pixels (see [`diff_mask`]).
pub fn diff_count(expected: &Image, actual: &Image, tolerance: u8) -> usize {
    diff_mask(expected, actual, tolerance)
        .iter()
        .filter(|&&d| d)
        .count()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// Writes expected | red mask of differences | actual side by side; returns the path.
pub fn write_diff(name: &str, expected: &Image, actual: &Image, tolerance: u8) -> PathBuf {
    let (w, h) = (
        expected.width.max(actual.width),
        expected.height.max(actual.height),
    );
    let mut panel = Image {
        width: w * 3,
        height: h,
        data: vec![255; (w * 3 * h * 4) as usize],
    };
    let same_size = (expected.width, expected.height) == (actual.width, actual.height);
    let mask = diff_mask(expected, actual, tolerance);
    for y in 0..h {
        for x in 0..w {
            let mut put = |col: u32, px: [u8; 4]| {
                let i = ((y * w * 3 + col * w + x) * 4) as usize;
                panel.data[i..i + 4].copy_from_slice(&px);
            };
            if x < expected.width && y < expected.height {
                put(0, expected.pixel(x, y));
            }
            if x < actual.width && y < actual.height {
                put(2, actual.pixel(x, y));
                let bad = !same_size || mask[(y * actual.width + x) as usize];
                put(
                    1,
                    if bad {
                        [255, 0, 0, 255]
                    } else {
                        [255, 255, 255, 255]
                    },
                );
            }
        }
    }
    let dir = target_dir().join("ref-diffs");
    std::fs::create_dir_all(&dir).expect("create target/ref-diffs");
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, encode_png(&panel)).expect("write the diff image");
    path
}

/// Compares a rendered PNG with `tests/reference/<name>.png` (see the module doc).
pub fn assert_matches_reference(name: &str, png: &[u8]) {
    let actual = decode_png(png);
    let reference = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(format!("{name}.png"));
    if std::env::var_os("UPDATE_REFS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(reference.parent().expect("a parent"))
            .expect("create tests/reference");
        let bytes = encode_png(&actual);
        std::fs::write(&reference, &bytes).expect("write the reference");
        assert!(
            bytes.len() < 50_000,
            "{}: {} bytes, keep references under 50 KB",
            reference.display(),
            bytes.len()
        );
        return;
    }
    let Ok(bytes) = std::fs::read(&reference) else {
        panic!(
            "missing reference {}: run `UPDATE_REFS=1 cargo test` to create it, then review it",
            reference.display()
        );
    };
    let expected = decode_png(&bytes);
    let n = diff_count(&expected, &actual, TOLERANCE);
    if n > 0 {
        let diff = write_diff(name, &expected, &actual, TOLERANCE);
        panic!(
            "{name}: {n} pixels differ from {} ({}x{} expected, {}x{} rendered); diff: {}",
            reference.display(),
            expected.width,
            expected.height,
            actual.width,
            actual.height,
            diff.display()
        );
    }
}

/// Every text of a scene's items, groups included, in drawing order.
pub fn texts(items: &[phare::render::scene::Item]) -> Vec<String> {
    use phare::render::scene::Item;
    fn walk(items: &[Item], out: &mut Vec<String>) {
        for i in items {
            match i {
                Item::Text(t) => out.push(t.text.clone()),
                Item::Group { items, .. } => walk(items, out),
                Item::Shape { .. } => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(items, &mut out);
    out
}

/// Runs the `phare` binary in `dir`.
pub fn phare_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_phare"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("phare runs")
}

//! Coverage rasteriser for thin polyline strokes: border networks, feathers, frames.
//!
//! tiny-skia draws a hairline segment by segment through its raster pipeline, and a
//! translucent one gets darker dots wherever the caps of two segments overlap; a wider stroke
//! must first be outlined, then filled with supersampling. Here each segment only visits the
//! pixels near it and writes their coverage into a band-sized mask, combined with MAX, so
//! joints and crossings are never darker than a line's middle; the colour is then composited
//! once through the mask with tiny-skia's vectorised pipeline.
//!
//! A pixel's coverage is the overlap of a 1-px box centred on it with the stroke's
//! cross-section, at the distance from the pixel centre to the segment: distances to a
//! segment (not to its line) make round joins and caps.

use tiny_skia::{Mask, Paint, Path, PathSegment, PixmapMut, Rect, Transform};

/// Widest stroke drawn here, device px: beyond it a stroke's coverage is mostly full and the
/// exact outline filled by tiny-skia costs no more.
pub const MAX_WIDTH: f32 = 4.0;

/// The coverage of the strokes of one band, waiting to be composited.
pub struct Coverage {
    mask: Mask,
    /// Pixels written since the last composite, `[x0, y0, x1, y1)`; empty when `x0 >= x1`.
    dirty: [usize; 4],
}

impl Coverage {
    /// An empty coverage for a band of `width` x `rows` pixels.
    pub fn new(width: u32, rows: u32) -> Option<Coverage> {
        Some(Coverage {
            mask: Mask::new(width, rows)?,
            dirty: [usize::MAX, usize::MAX, 0, 0],
        })
    }

    /// Adds the stroke of `width` device px along every line of `path` (a polyline path:
    /// curves are taken as straight lines), shifted up by `top` (the band's first row).
    pub fn add_path(&mut self, path: &Path, width: f32, top: f32) {
        let half = width / 2.0;
        let at = |p: tiny_skia::Point| [p.x, p.y - top];
        let (mut start, mut last) = ([0.0; 2], [0.0; 2]);
        for seg in path.segments() {
            let next = match seg {
                PathSegment::MoveTo(p) => {
                    (start, last) = (at(p), at(p));
                    continue;
                }
                PathSegment::LineTo(p)
                | PathSegment::QuadTo(_, p)
                | PathSegment::CubicTo(_, _, p) => at(p),
                PathSegment::Close => start,
            };
            self.segment(last, next, half);
            last = next;
        }
    }

    /// Adds the capsule of half-width `half` around segment `a`-`b` (band pixels). Pixels are
    /// visited along the major axis, a few across: the capsule's extent across a pixel column
    /// (or row) is at most `reach / cos` around the centre line, `reach / cos <= reach * 1.42`.
    fn segment(&mut self, a: [f32; 2], b: [f32; 2], half: f32) {
        let (w, h) = (self.mask.width() as usize, self.mask.height() as usize);
        // Beyond `reach` from the segment a pixel's box misses the stroke.
        let reach = half + 0.5;
        let lo = |i: usize| a[i].min(b[i]) - reach;
        let hi = |i: usize| a[i].max(b[i]) + reach;
        // Pixels whose centres fall within [lo, hi], clamped to `n` pixels (a centre exactly
        // at `lo` may be left out: its coverage is 0). Casts, not floor(): faster, and
        // saturating.
        let span = |lo: f32, hi: f32, n: usize| {
            (
                (lo + 0.5).max(0.0) as usize,
                (hi + 0.5).clamp(0.0, n as f32) as usize,
            )
        };
        let (x0, x1) = span(lo(0), hi(0), w);
        let (y0, y1) = span(lo(1), hi(1), h);
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        self.dirty = [
            self.dirty[0].min(x0),
            self.dirty[1].min(y0),
            self.dirty[2].max(x1),
            self.dirty[3].max(y1),
        ];
        // Walk along the major axis: (u, v) is (x, y) or (y, x), `stride` one pixel along each.
        let (a, b, (u0, u1), n_v, stride) = if (b[0] - a[0]).abs() >= (b[1] - a[1]).abs() {
            (a, b, (x0, x1), h, (1, w))
        } else {
            ([a[1], a[0]], [b[1], b[0]], (y0, y1), w, (w, 1))
        };
        let (du, dv) = (b[0] - a[0], b[1] - a[1]);
        let len2 = du * du + dv * dv;
        let inv_len2 = if len2 > 0.0 { 1.0 / len2 } else { 0.0 };
        let slope = if du == 0.0 { 0.0 } else { dv / du };
        let across = reach * (1.0 + slope * slope).sqrt();
        let (min_u, max_u) = (a[0].min(b[0]), a[0].max(b[0]));
        let data = self.mask.data_mut();
        for i in u0..u1 {
            let cu = i as f32 + 0.5;
            let centre = a[1] + (cu.clamp(min_u, max_u) - a[0]) * slope;
            let (j0, j1) = span(centre - across, centre + across, n_v);
            let pu = cu - a[0];
            for j in j0..j1 {
                let pv = j as f32 + 0.5 - a[1];
                let t = ((pu * du + pv * dv) * inv_len2).clamp(0.0, 1.0);
                let (eu, ev) = (pu - t * du, pv - t * dv);
                let c = coverage((eu * eu + ev * ev).sqrt(), half);
                let k = i * stride.0 + j * stride.1;
                data[k] = data[k].max((c * 255.0 + 0.5) as u8);
            }
        }
    }

    /// Composites `paint` (in band coordinates) through the coverage, cut by `clip`, then
    /// clears it for the next run of strokes.
    pub fn composite(&mut self, pix: &mut PixmapMut, mut paint: Paint, clip: Option<&Mask>) {
        let [x0, y0, x1, y1] = self.dirty;
        if x0 >= x1 {
            return;
        }
        let w = self.mask.width() as usize;
        let row = |y: usize| y * w + x0..y * w + x1;
        if let Some(clip) = clip {
            let data = self.mask.data_mut();
            for y in y0..y1 {
                for (m, c) in data[row(y)].iter_mut().zip(&clip.data()[row(y)]) {
                    *m = ((u16::from(*m) * u16::from(*c) + 127) / 255) as u8;
                }
            }
        }
        // The rectangle is pixel-aligned: anti-aliasing its edges would only cost time.
        paint.anti_alias = false;
        if let Some(r) = Rect::from_ltrb(x0 as f32, y0 as f32, x1 as f32, y1 as f32) {
            pix.fill_rect(r, &paint, Transform::identity(), Some(&self.mask));
        }
        let data = self.mask.data_mut();
        for y in y0..y1 {
            data[row(y)].fill(0);
        }
        self.dirty = [usize::MAX, usize::MAX, 0, 0];
    }
}

/// Coverage of a pixel whose centre is `d` px from the centre line of a stroke `2 * half` px
/// wide: the overlap of the pixel's 1-px box `[d - 0.5, d + 0.5]` with `[-half, half]`.
fn coverage(d: f32, half: f32) -> f32 {
    ((d + 0.5).min(half) - (d - 0.5).max(-half)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use tiny_skia::{Color, PathBuilder, Pixmap};

    use super::*;

    /// Coverage of a `w` x `h` band after stroking `points` as one polyline.
    fn stroked(w: u32, h: u32, points: &[[f32; 2]], width: f32, top: f32) -> Coverage {
        let mut pb = PathBuilder::new();
        pb.move_to(points[0][0], points[0][1]);
        for p in &points[1..] {
            pb.line_to(p[0], p[1]);
        }
        let mut cov = Coverage::new(w, h).expect("a mask");
        cov.add_path(&pb.finish().expect("a path"), width, top);
        cov
    }

    /// Coverage column at `x`, top to bottom.
    fn column(cov: &Coverage, x: usize) -> Vec<u8> {
        let w = cov.mask.width() as usize;
        cov.mask.data().iter().skip(x).step_by(w).copied().collect()
    }

    #[test]
    fn one_px_line_on_pixel_centres_covers_one_row() {
        let cov = stroked(20, 10, &[[2.0, 5.5], [18.0, 5.5]], 1.0, 0.0);
        for x in 3..17 {
            assert_eq!(column(&cov, x), [0, 0, 0, 0, 0, 255, 0, 0, 0, 0], "x = {x}");
        }
    }

    #[test]
    fn one_px_line_on_a_pixel_edge_covers_two_rows_half() {
        let cov = stroked(20, 10, &[[2.0, 5.0], [18.0, 5.0]], 1.0, 0.0);
        assert_eq!(column(&cov, 10), [0, 0, 0, 0, 128, 128, 0, 0, 0, 0]);
    }

    #[test]
    fn half_px_hairline_covers_half() {
        let cov = stroked(20, 10, &[[2.0, 5.5], [18.0, 5.5]], 0.5, 0.0);
        assert_eq!(column(&cov, 10), [0, 0, 0, 0, 0, 128, 0, 0, 0, 0]);
    }

    #[test]
    fn three_px_stroke_is_three_px_wide_both_ways() {
        let across = stroked(20, 20, &[[2.0, 10.5], [18.0, 10.5]], 3.0, 0.0);
        let mut expected = vec![0; 20];
        expected[9..12].fill(255);
        assert_eq!(column(&across, 10), expected);
        // A steep line is walked along y: the same width across x.
        let down = stroked(20, 20, &[[10.5, 2.0], [10.5, 18.0]], 3.0, 0.0);
        assert_eq!(&down.mask.data()[10 * 20..11 * 20], &expected[..]);
    }

    #[test]
    fn ends_are_round() {
        // A 3-px line ending at x = 10: the pixel past the end on the axis is half covered,
        // the diagonal neighbour less, the next one not at all.
        let cov = stroked(20, 20, &[[2.0, 10.5], [10.0, 10.5]], 3.0, 0.0);
        let at = |x: usize, y: usize| cov.mask.data()[y * 20 + x];
        assert_eq!(at(9, 10), 255);
        assert_eq!(at(10, 10), 255);
        assert_eq!(at(11, 10), 128);
        assert!(at(11, 9) < at(11, 10) && at(11, 9) > 0, "{}", at(11, 9));
        assert_eq!(at(12, 10), 0);
    }

    #[test]
    fn segments_outside_the_band_draw_nothing() {
        // Band rows 100..110 of the page: lines above, below and beside it.
        for line in [
            [[0.0, 50.0], [20.0, 98.0]],
            [[0.0, 111.5], [20.0, 150.0]],
            [[-30.0, 105.0], [-2.0, 105.0]],
        ] {
            let cov = stroked(20, 10, &line, 1.0, 100.0);
            assert!(cov.mask.data().iter().all(|&c| c == 0), "{line:?}");
            assert!(cov.dirty[0] >= cov.dirty[2], "{line:?}: {:?}", cov.dirty);
        }
        // A line crossing the band is cut to it.
        let cov = stroked(20, 10, &[[10.5, 0.0], [10.5, 300.0]], 1.0, 100.0);
        assert!(column(&cov, 10).iter().all(|&c| c == 255));
        let [x0, y0, x1, y1] = cov.dirty;
        assert!(
            x0 <= 10 && (11..=12).contains(&x1) && [y0, y1] == [0, 10],
            "{:?}",
            cov.dirty
        );
    }

    /// Composites 50 % black through the coverage of `points` on white; returns the pixmap.
    fn composited(points: &[[f32; 2]], width: f32, clip: Option<&Mask>) -> Pixmap {
        let mut pixmap = Pixmap::new(30, 30).expect("a pixmap");
        pixmap.fill(Color::WHITE);
        let mut cov = stroked(30, 30, points, width, 0.0);
        let mut paint = Paint::default();
        paint.set_color_rgba8(0, 0, 0, 128);
        cov.composite(&mut pixmap.as_mut(), paint, clip);
        assert!(cov.mask.data().iter().all(|&c| c == 0), "cleared after");
        pixmap
    }

    #[test]
    fn translucent_joints_are_not_darker_than_the_middle() {
        // Many short segments with a right angle: tiny-skia's hairline darkens every joint.
        let mut points: Vec<[f32; 2]> = (0..=20).map(|i| [4.5 + i as f32, 5.5]).collect();
        points.extend((1..=20).map(|i| [24.5, 5.5 + i as f32]));
        let pix = composited(&points, 1.0, None);
        let at = |x: u32, y: u32| pix.pixel(x, y).expect("inside").red();
        let middle = at(14, 5);
        assert!((120..=135).contains(&middle), "middle {middle}");
        for (x, y) in [(10, 5), (11, 5), (24, 5), (24, 12)] {
            assert_eq!(at(x, y), middle, "({x}, {y})");
        }
    }

    #[test]
    fn clip_mask_cuts_the_stroke() {
        let mut clip = Mask::new(30, 30).expect("a mask");
        let data = clip.data_mut();
        for y in 0..30 {
            data[y * 30..y * 30 + 15].fill(255);
        }
        let pix = composited(&[[2.0, 5.5], [28.0, 5.5]], 1.0, Some(&clip));
        assert!(pix.pixel(10, 5).expect("inside").red() < 140);
        assert_eq!(pix.pixel(20, 5).expect("inside").red(), 255);
    }
}

//! Overseas insets: the five départements d'outre-mer, each in its own UTM projection, in a
//! column of equal boxes beside the mainland (the Magrit / cartiflette convention), and the
//! optional Île-de-France zoom for commune maps.

use geo_types::MultiPolygon;

use crate::projection::{Projection, for_departement};
use crate::render::layout::{Bbox, Frame, Rect, projected_bbox};
use crate::territory::is_overseas_departement;
use crate::{Level, Territory};

/// The five overseas départements: code and name, in the order of the column.
pub const DROM: [(&str, &str); 5] = [
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
];

/// The départements of the Île-de-France zoom: Paris and the petite couronne.
pub const IDF_ZOOM: [&str; 4] = ["75", "92", "93", "94"];

/// The overseas département a territory belongs to (a région of one département included):
/// the inset it is drawn in on a map of all France.
pub fn drom_of(t: &Territory) -> Option<&'static str> {
    let dep = match t.level {
        Level::Region => crate::territory::code::overseas_departement_of_region(&t.code)?,
        _ => t.departement.as_deref().unwrap_or(""),
    };
    DROM.iter()
        .map(|d| d.0)
        .find(|d| *d == dep && is_overseas_departement(dep))
}

/// Metropolitan France's bounding box in Lambert-93: that of `territories` outside the
/// overseas départements.
pub fn mainland<'a>(territories: impl Iterator<Item = &'a Territory>) -> Bbox {
    projected_bbox(
        &Projection::Lambert93,
        territories
            .filter(|t| drom_of(t).is_none())
            .map(|t| &t.geometry),
    )
}

/// The inset of overseas département `code`: `geoms` in its UTM zone, their box grown by
/// `pad` (a fraction of its larger side), fitted in `rect` below a `name_h` px band for the
/// name (see [`fit`]).
pub fn drom_frame<'a>(
    code: &str,
    geoms: impl Iterator<Item = &'a MultiPolygon<f64>>,
    rect: Rect,
    name_h: f32,
    pad: f64,
) -> Frame {
    let proj = for_departement(code);
    let world = projected_bbox(&proj, geoms).pad(pad);
    fit(code, proj, world, rect, name_h)
}

/// Width / height of an inset box.
pub const ASPECT: f32 = 1.0;

/// Splits a column `area` into `n` equal boxes separated by `gap`, top to bottom.
pub fn column(area: Rect, n: usize, gap: f32) -> Vec<Rect> {
    let h = (area.h - gap * (n.saturating_sub(1)) as f32) / n.max(1) as f32;
    (0..n)
        .map(|i| Rect::new(area.x, area.y + i as f32 * (h + gap), area.w, h))
        .collect()
}

/// Scale of the mainland (px per metre) so that a column of `n` square boxes to its left plus
/// the mainland of size `world` fit in `body`.
pub fn mainland_scale(world: Bbox, body: Rect, n: usize, gap: f32) -> f64 {
    let (wm, hm) = (world.width(), world.height());
    let (bw, bh, g, n) = (
        f64::from(body.w),
        f64::from(body.h),
        f64::from(gap),
        n as f64,
    );
    let a = f64::from(ASPECT);
    if n == 0.0 {
        return (bw / wm).min(bh / hm);
    }
    // Column width = a * (frame height - (n-1) gap) / n; column + gap + frame width <= bw.
    let by_width = (bw - g + a * (n - 1.0) * g / n) / (a * hm / n + wm);
    by_width.min(bh / hm)
}

/// Fits one inset's content in its box, keeping a margin for the name label at the top.
pub fn fit(
    id: &str,
    proj: crate::projection::Projection,
    world: Bbox,
    rect: Rect,
    label: f32,
) -> Frame {
    let inner = Rect::new(rect.x, rect.y + label, rect.w, rect.h - label);
    let mut f = Frame::fit(format!("inset-{id}"), proj, world, inner, rect.w * 0.06);
    // Keep the same transform but clip and outline the whole box.
    f.x0 -= f64::from(inner.x - rect.x) / f.scale;
    f.y0 += f64::from(inner.y - rect.y) / f.scale;
    f.rect = rect;
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_boxes_are_equal_and_stay_inside() {
        let area = Rect::new(10.0, 20.0, 50.0, 320.0);
        let boxes = column(area, 5, 5.0);
        assert_eq!(boxes.len(), 5);
        assert!(
            boxes
                .iter()
                .all(|b| (b.h - 60.0).abs() < 1e-4 && area.contains(b))
        );
        assert!(boxes.windows(2).all(|w| !w[0].overlaps(&w[1])));
    }

    #[test]
    fn mainland_scale_leaves_room_for_the_column() {
        let world = Bbox {
            min_x: 0.0,
            min_y: 0.0,
            max_x: 1000.0,
            max_y: 1000.0,
        };
        let body = Rect::new(0.0, 0.0, 600.0, 500.0);
        let s = mainland_scale(world, body, 5, 10.0) as f32;
        let frame_h = 1000.0 * s;
        let col_w = ASPECT * (frame_h - 40.0) / 5.0;
        assert!(col_w + 10.0 + 1000.0 * s <= 600.0 + 1e-3);
        assert!(frame_h <= 500.0 + 1e-3);
    }
}

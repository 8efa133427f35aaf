//! Where everything goes on a map page, decided once by `arrange()` before anything is
//! drawn: the header and footer bands, the body between them, the main frame, the overseas
//! and Île-de-France insets, the legend box, the locator and the scale bar.

use super::furniture::ScaleBar;
use super::inset::{self, DROM, IDF_ZOOM, drom_frame, drom_of, mainland};
use super::look::{Look, Units};
use super::map::MapSpec;
use crate::boundaries::Boundaries;
use crate::projection::{Projection, for_departement};
use crate::render::layout::{Frame, Occupancy, Rect, paths, place, projected_bbox};
use crate::style::LegendPosition;
use crate::{Error, Level, Result, Territory};

/// The sizes of what a page sets around its frames, measured before the frames are placed;
/// 0 for a part the page leaves out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sizes {
    /// Height of the header block, px.
    pub header: f32,
    /// Height of the footer block, px.
    pub footer: f32,
    /// Width and height of the legend box, px.
    pub legend: (f32, f32),
}

/// The arrangement of one map page.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Band of the title block, on the top margin.
    pub header: Rect,
    /// Band of the source line, on the bottom margin.
    pub footer: Rect,
    /// Between header and footer: where frames and legend go.
    pub body: Rect,
    /// The main frame: metropolitan France, or the région or département.
    pub main: Frame,
    /// Insets with their key: an overseas département code, or `idf` for the zoom.
    pub insets: Vec<(Frame, String)>,
    /// Legend box (empty when the page has no legend).
    pub legend: Rect,
    /// Locator of a région or département in France.
    pub locator: Option<Frame>,
    /// Scale bar, over an empty part of the main frame; None when none is free.
    pub scalebar: Option<Rect>,
}

impl Layout {
    /// Every frame: main first, then the insets, then the locator.
    pub fn frames(&self) -> impl Iterator<Item = &Frame> {
        std::iter::once(&self.main)
            .chain(self.insets.iter().map(|(f, _)| f))
            .chain(&self.locator)
    }

    /// True when the page has the Île-de-France zoom box.
    pub fn has_idf_zoom(&self) -> bool {
        self.insets.iter().any(|(_, key)| key == "idf")
    }
}

/// Arranges a page of `spec`'s size showing `drawn` (the territories in its extent): the
/// header and footer bands of the given heights, the body between them, the frames and the
/// furniture in the body.
pub(crate) fn arrange(
    b: &Boundaries,
    look: &Look,
    spec: &MapSpec,
    drawn: &[&Territory],
    sizes: Sizes,
) -> Result<Layout> {
    let (pw, ph) = (spec.width as f32, spec.height as f32);
    let un = Units::of_page(pw, ph);
    let text_w = pw - 2.0 * un.margin;
    let header = Rect::new(un.margin, un.margin, text_w, sizes.header);
    let footer = Rect::new(
        un.margin,
        ph - un.margin - sizes.footer,
        text_w,
        sizes.footer,
    );
    let body = Rect::new(
        un.margin,
        header.bottom() + un.gap,
        text_w,
        footer.y - un.gap - (header.bottom() + un.gap),
    );
    let legend = Boxed {
        w: sizes.legend.0,
        h: sizes.legend.1,
    };
    // Candidates stay inside the body, so only land and placed furniture are marked.
    let mut occ = Occupancy::new(pw, ph, un.u.max(2.0));
    let (main, insets, legend, locator) = match &spec.within {
        None => arrange_france(b, look, spec, drawn, un, body, &legend)?,
        Some(_) => arrange_within(b, spec, drawn, un, body, &legend, look.layout.legend, &occ)?,
    };
    let mut a = Layout {
        header,
        footer,
        body,
        main,
        insets,
        legend,
        locator,
        scalebar: None,
    };
    // Scale bar: over an empty part of the main frame, else left out (the frames give no
    // room for it and a bar over land hides data).
    for r in std::iter::once(a.legend)
        .chain(a.insets.iter().map(|(f, _)| f.rect))
        .chain(a.locator.iter().map(|f| f.rect))
    {
        occ.mark(r);
    }
    if !look.layout.scale_bar {
        return Ok(a);
    }
    fill_land(b, spec, drawn, &a.main, un.u, &mut occ);
    let sb = ScaleBar::new(&a.main, 16.0 * un.u, look.scale_text);
    let (sw, sh) = sb.size();
    use crate::render::layout::{Spot::*, candidates};
    let cands = candidates(
        a.main.rect.grow(-0.3 * un.u),
        sw,
        sh,
        &[BottomRight, Bottom, BottomLeft, TopRight, TopLeft, Top],
    );
    a.scalebar = place(&occ, &cands, 0.3 * un.u, true).map(|r| Rect::new(r.x, r.y, sb.px, r.h));
    Ok(a)
}

/// A piece of furniture to place on the map.
struct Boxed {
    w: f32,
    h: f32,
}

/// Main frame, insets, legend box and locator.
type Placed = (Frame, Vec<(Frame, String)>, Rect, Option<Frame>);

/// True when `t` lies in the page's extent (all of France without one).
fn in_page(t: &Territory, spec: &MapSpec) -> bool {
    spec.within.as_ref().is_none_or(|w| w.contains(t))
}

/// Marks the main frame's land (from the coarsest layer that shows it) on the grid.
fn fill_land(
    b: &Boundaries,
    spec: &MapSpec,
    drawn: &[&Territory],
    main: &Frame,
    u: f32,
    occ: &mut Occupancy,
) {
    let level = spec.level;
    let land: Vec<&Territory> = if level == Level::Commune && spec.within.is_some() {
        drawn.to_vec()
    } else {
        b.departements
            .territories
            .iter()
            .filter(|t| {
                if spec.within.is_some() {
                    in_page(t, spec) || level == Level::Region
                } else {
                    drom_of(t).is_none()
                }
            })
            .filter(|t| in_page(t, spec))
            .collect()
    };
    let geoms: Vec<_> = land.iter().map(|t| &t.geometry).collect();
    for p in paths(main, &geoms, u) {
        occ.fill(&p);
    }
}

/// All France: a column with the legend and the overseas insets in a grid of two
/// columns, beside the mainland (see [`LegendPosition`]); the mainland fills the rest.
fn arrange_france(
    b: &Boundaries,
    look: &Look,
    spec: &MapSpec,
    drawn: &[&Territory],
    un: Units,
    body: Rect,
    legend: &Boxed,
) -> Result<Placed> {
    let (u, gap) = (un.u, un.gap);
    let l93 = Projection::Lambert93;
    let mainland = mainland(drawn.iter().copied());
    if !mainland.is_valid() {
        return Err(
            Error::usage("nothing to draw in metropolitan France").hint("check the boundaries")
        );
    }
    let mut keys: Vec<String> = Vec::new();
    keys.extend(
        DROM.iter()
            .filter(|_| look.layout.insets)
            .filter(|(d, _)| drawn.iter().any(|t| drom_of(t) == Some(*d)))
            .map(|(d, _)| d.to_string()),
    );
    if spec
        .idf_zoom
        .unwrap_or(look.layout.idf_zoom && spec.level != Level::Region)
    {
        keys.push("idf".into());
    }
    let n = keys.len();
    let rows = n.div_ceil(2);
    let cw = legend.w.max(if n > 0 { 21.0 * u } else { 0.0 });
    let avail = Rect::new(body.x + cw + gap, body.y, body.w - cw - gap, body.h);
    let s = (f64::from(avail.w) / mainland.width()).min(f64::from(avail.h) / mainland.height());
    let (fw, fh) = (
        (mainland.width() * s) as f32,
        (mainland.height() * s) as f32,
    );
    // The column of the legend and insets goes left of the mainland, or right of it for a
    // legend on the right; the legend at its top, or at its bottom below the insets.
    use LegendPosition::{BottomLeft, BottomRight, Right, TopRight};
    let position = look.layout.legend;
    let on_right = matches!(position, TopRight | BottomRight | Right);
    let legend_below = matches!(position, BottomLeft | BottomRight);
    let start = body.x + (body.w - (cw + gap + fw)) / 2.0;
    let (left, main_x) = if on_right {
        (start + fw + gap, start)
    } else {
        (start, start + cw + gap)
    };
    let main_rect = Rect::new(main_x, body.y + (body.h - fh) / 2.0, fw, fh);
    let main = Frame::fit("main", l93, mainland, main_rect, 0.0);
    // The column runs along the mainland, or the whole body height when that is too short.
    let mut boxw = (cw - gap) / 2.0;
    let grid_h = |bw: f32| rows as f32 * bw + rows.saturating_sub(1) as f32 * gap;
    let (mut top, mut bottom) = (main_rect.y, main_rect.bottom());
    if legend.h + gap + grid_h(boxw) > bottom - top {
        (top, bottom) = (body.y, body.bottom());
        if rows > 0 && legend.h + gap + grid_h(boxw) > bottom - top {
            boxw = ((bottom - top - legend.h - gap - (rows - 1) as f32 * gap) / rows as f32)
                .max(4.0 * u);
        }
    }
    let (legend_top, grid_top) = if legend_below {
        (bottom - legend.h, top)
    } else {
        (top, bottom - grid_h(boxw))
    };
    let legend_rect = Rect::new(left, legend_top, legend.w, legend.h);
    let name_h = 2.2 * u;
    let mut insets = Vec::new();
    for (i, key) in keys.into_iter().enumerate() {
        let rect = Rect::new(
            left + (i % 2) as f32 * (boxw + gap),
            grid_top + (i / 2) as f32 * (boxw + gap),
            boxw,
            boxw,
        );
        let mut frame = if key == "idf" {
            let geoms = b
                .departements
                .territories
                .iter()
                .filter(|t| IDF_ZOOM.contains(&t.code.as_str()))
                .map(|t| &t.geometry);
            inset::fit("idf", l93, projected_bbox(&l93, geoms), rect, name_h)
        } else {
            let geoms = drawn
                .iter()
                .filter(|t| drom_of(t) == Some(key.as_str()))
                .map(|t| &t.geometry);
            drom_frame(&key, geoms, rect, name_h, 0.0)
        };
        if key == "idf" {
            frame.id = "zoom-idf".into();
        }
        insets.push((frame, key));
    }
    Ok((main, insets, legend_rect, None))
}

/// One région or département: the main frame over the whole body, legend and locator over
/// empty corners (the style's legend corner first), or in a column at the right when no
/// corner is free or the style asks for that column.
#[allow(clippy::too_many_arguments)]
fn arrange_within(
    b: &Boundaries,
    spec: &MapSpec,
    drawn: &[&Territory],
    un: Units,
    body: Rect,
    legend: &Boxed,
    position: LegendPosition,
    occ0: &Occupancy,
) -> Result<Placed> {
    let u = un.u;
    let overseas = drawn.iter().any(|t| drom_of(t).is_some());
    let side = 20.0 * u;
    let col_w = legend.w.max(if overseas { 0.0 } else { side });
    use crate::render::layout::{Spot::*, candidates};
    // The legend's corner first, then the other corner on its side, then the opposite side.
    let legend_spots = match position {
        LegendPosition::TopLeft => [TopLeft, BottomLeft, TopRight, BottomRight, Left, Right],
        LegendPosition::TopRight => [TopRight, BottomRight, TopLeft, BottomLeft, Right, Left],
        LegendPosition::BottomRight => [BottomRight, TopRight, BottomLeft, TopLeft, Right, Left],
        _ => [BottomLeft, TopLeft, BottomRight, TopRight, Left, Right],
    };
    // The locator keeps clear of the legend's corner when it can.
    let mut locator_spots = vec![TopRight, TopLeft, BottomRight, BottomLeft];
    locator_spots.sort_by_key(|s| *s == legend_spots[0]);
    let layouts: &[bool] = if position == LegendPosition::Right {
        &[true]
    } else {
        &[false, true]
    };
    for &reserve in layouts {
        let map_body = if reserve {
            Rect::new(body.x, body.y, body.w - col_w - un.gap, body.h)
        } else {
            body
        };
        let Some(main) = extent_frame("main", drawn, map_body, 0.0) else {
            return Err(Error::usage(
                "nothing to draw in the extent: its territories have no geometry",
            )
            .hint("check the boundaries"));
        };
        let mut occ = occ0.clone();
        fill_land(b, spec, drawn, &main, u, &mut occ);
        let area = main.rect.grow(-0.3 * u);
        let mut locator = None;
        if !overseas {
            let spot = if reserve {
                Some(Rect::new(body.right() - side, body.y, side, side * 0.95))
            } else {
                place(
                    &occ,
                    &candidates(area, side, side * 0.95, &locator_spots),
                    0.5 * u,
                    true,
                )
            };
            let Some(spot) = spot else { continue };
            occ.mark(spot);
            locator = Some(locator_frame(b, spot)?);
        }
        let legend_rect = if reserve {
            Some(Rect::new(
                body.right() - legend.w,
                body.bottom() - legend.h,
                legend.w,
                legend.h,
            ))
        } else {
            let cands = candidates(area, legend.w, legend.h, &legend_spots);
            place(&occ, &cands, 0.5 * u, true)
        };
        let Some(legend_rect) = legend_rect else {
            continue;
        };
        return Ok((main, Vec::new(), legend_rect, locator));
    }
    unreachable!("the reserved layout always places the legend")
}

/// The frame `id` of some territories of one extent (a région, a département, its
/// communes) fitted in `rect` within `margin` px: in the UTM zone of their overseas
/// département, else in Lambert-93, their box grown by 3 %. None when they have no geometry.
pub fn extent_frame(
    id: &str,
    territories: &[&Territory],
    rect: Rect,
    margin: f32,
) -> Option<Frame> {
    let proj = territories
        .iter()
        .find_map(|t| drom_of(t))
        .map_or(Projection::Lambert93, for_departement);
    let world = projected_bbox(&proj, territories.iter().map(|t| &t.geometry)).pad(0.03);
    world
        .is_valid()
        .then(|| Frame::fit(id, proj, world, rect, margin))
}

fn locator_frame(b: &Boundaries, rect: Rect) -> Result<Frame> {
    let world = mainland(b.regions.territories.iter());
    if !world.is_valid() {
        return Err(Error::usage("no metropolitan région to draw the locator")
            .hint("check the région boundaries"));
    }
    Ok(Frame::fit(
        "locator",
        Projection::Lambert93,
        world,
        rect,
        rect.w * 0.06,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::map::Within;
    use crate::style::Style;

    fn layout(spec: &MapSpec, style: &Style, legend: (f32, f32)) -> Layout {
        let b = crate::boundaries::embedded::upper_levels().expect("embedded boundaries");
        let look = Look::new(style, spec.resolved_px_per_pt(style), spec.min_n);
        let drawn: Vec<&Territory> = b
            .layer(spec.level)
            .territories
            .iter()
            .filter(|t| in_page(t, spec))
            .collect();
        let sizes = Sizes {
            header: 60.0,
            footer: 20.0,
            legend,
        };
        arrange(&b, &look, spec, &drawn, sizes).expect("arranged")
    }

    fn page(spec: &MapSpec) -> Rect {
        Rect::new(0.0, 0.0, spec.width as f32, spec.height as f32)
    }

    #[test]
    fn france_keeps_legend_and_insets_in_the_body_beside_the_mainland() {
        let style = Style::default();
        for position in ["top-left", "bottom-right", "right"] {
            let mut style = style.clone();
            style.set("layout.legend", position).expect("a position");
            let spec = MapSpec {
                width: 1000,
                height: 700,
                ..MapSpec::default()
            };
            let l = layout(&spec, &style, (180.0, 240.0));
            assert!(
                page(&spec).contains(&l.legend),
                "{position}: {:?}",
                l.legend
            );
            assert!(l.body.contains(&l.legend), "{position}");
            assert!(l.header.bottom() < l.body.y && l.body.bottom() < l.footer.y);
            // The five overseas départements and the Île-de-France zoom, each in its own box
            // off the mainland.
            let keys: Vec<&str> = l.insets.iter().map(|(_, k)| k.as_str()).collect();
            assert_eq!(
                keys,
                ["971", "972", "973", "974", "976", "idf"],
                "{position}"
            );
            for (f, key) in &l.insets {
                assert!(l.body.contains(&f.rect), "{key}");
                assert!(
                    !f.rect.overlaps(&l.main.rect),
                    "{position}: {key} on the mainland"
                );
                assert!(
                    !f.rect.overlaps(&l.legend),
                    "{position}: {key} under the legend"
                );
            }
            for (i, (a, _)) in l.insets.iter().enumerate() {
                assert!(
                    l.insets[i + 1..]
                        .iter()
                        .all(|(b, _)| !a.rect.overlaps(&b.rect))
                );
            }
            assert_eq!(l.frames().count(), 7);
        }
    }

    #[test]
    fn a_region_gets_its_legend_and_locator_inside_the_body() {
        let spec = MapSpec {
            within: Some(Within::Region("84".into())),
            width: 800,
            height: 800,
            ..MapSpec::default()
        };
        let l = layout(&spec, &Style::default(), (150.0, 200.0));
        assert!(l.insets.is_empty());
        assert!(l.body.contains(&l.legend), "{:?} in {:?}", l.legend, l.body);
        let locator = l
            .locator
            .as_ref()
            .expect("a locator for a metropolitan région");
        assert!(l.body.contains(&locator.rect));
        assert!(!locator.rect.overlaps(&l.legend));
    }

    #[test]
    fn pages_without_header_or_footer_give_the_body_their_room() {
        let style = Style::default();
        let spec = MapSpec::default();
        let b = crate::boundaries::embedded::upper_levels().expect("embedded boundaries");
        let look = Look::new(&style, spec.resolved_px_per_pt(&style), spec.min_n);
        let drawn: Vec<&Territory> = b.departements.territories.iter().collect();
        let bare = arrange(&b, &look, &spec, &drawn, Sizes::default()).expect("arranged");
        let un = Units::of_page(1200.0, 1200.0);
        assert_eq!(bare.body.y, un.margin + un.gap);
        assert_eq!(bare.body.bottom(), 1200.0 - un.margin - un.gap);
    }
}

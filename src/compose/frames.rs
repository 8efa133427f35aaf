//! The frames of a map page and what they hold: the territories filled by value, their
//! border networks and the outlines of the levels above, the grey neighbours around a
//! région or département, the inset names, the territory labels and the locator.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::arrange::Layout;
use super::furniture::{rect_item, text_width};
use super::inset::{DROM, IDF_ZOOM, drom_of};
use super::label;
use super::look::{Look, Units};
use super::map::{Labels, MapSpec, Within};
use crate::boundaries::Boundaries;
use crate::render::layout::{Frame, Rect, border_network, extent, paths};
use crate::render::scene::{Anchor, Fill, Item, Path, Stroke, Text, Weight};
use crate::values::Datum;
use crate::{Level, Territory};

/// Simplification tolerance of the frames' outlines, px.
const TOLERANCE: f32 = 0.3;

/// The territories of a page with their data, in the same order.
pub(crate) struct Shown<'a> {
    /// Territories in the extent.
    pub territories: &'a [&'a Territory],
    /// Their data.
    pub data: &'a [Datum],
}

/// One group per frame (main, then insets; clipped to its box, except the main frame of all
/// France), then the inset names over their boxes. Each territory is a shape with its id
/// (`zoom-` before the codes of the Île-de-France zoom), `fill` and tooltip `title`. Also
/// returns the label candidates when `spec` asks for labels.
pub(crate) fn frames(
    b: &Boundaries,
    look: &Look,
    spec: &MapSpec,
    layout: &Layout,
    shown: &Shown,
    fill: &(dyn Fn(&Datum) -> Fill + Sync),
    title: &(dyn Fn(&Territory, &Datum) -> String + Sync),
) -> (Vec<Item>, Vec<label::Candidate>) {
    let level = spec.level;
    let u = Units::of_page(spec.width as f32, spec.height as f32).u;
    let select = |keep: &dyn Fn(&Territory) -> bool| -> (Vec<&Territory>, Vec<Datum>) {
        shown
            .territories
            .iter()
            .zip(shown.data)
            .filter(|(t, _)| keep(t))
            .map(|(t, d)| (*t, *d))
            .unzip()
    };
    type FrameContent<'a> = (&'a Frame, (Vec<&'a Territory>, Vec<Datum>), &'a str, bool);
    let mut contents: Vec<FrameContent> = vec![(
        &layout.main,
        select(&|t| spec.within.is_some() || drom_of(t).is_none()),
        "",
        spec.within.is_some(),
    )];
    for (f, key) in &layout.insets {
        let ts = if key == "idf" {
            select(&|t| {
                t.departement
                    .as_deref()
                    .is_some_and(|d| IDF_ZOOM.contains(&d))
            })
        } else {
            select(&|t| drom_of(t) == Some(key.as_str()))
        };
        contents.push((f, ts, if key == "idf" { "zoom-" } else { "" }, true));
    }
    let mut items = Vec::new();
    let mut label_cands: Vec<label::Candidate> = Vec::new();
    for (frame, (ts, ds), id_prefix, clip) in contents {
        let boxed = frame.id != "main" || spec.within.is_some();
        let mut group = Vec::new();
        if boxed {
            group.push(rect_item(
                None,
                frame.rect,
                Some(Fill::Solid(look.sea)),
                None,
            ));
        }
        if spec.within.is_some() && frame.id == "main" {
            group.extend(context(b, frame, &spec.within, look, u));
        }
        let geoms: Vec<_> = ts.iter().map(|t| &t.geometry).collect();
        let mut ps = paths(frame, &geoms, TOLERANCE);
        let level_stroke = look.stroke_in(level, &ps);
        ps.par_iter_mut().for_each(|p| drop_blots(p, level_stroke));
        if spec.labels != Labels::None
            && (frame.id == "main" || level == Level::Commune)
            && id_prefix.is_empty()
        {
            label_cands.extend(ts.iter().zip(&ps).map(|(t, p)| label::Candidate {
                code: t.code.clone(),
                text: if spec.labels == Labels::Code {
                    t.code.clone()
                } else {
                    t.name.clone()
                },
                path: p.clone(),
                within: frame.rect,
            }));
        }
        // The level's borders are one network over the fills, each border stroked once.
        let network = border_items(&ts, &ps, level, level_stroke);
        group.par_extend(
            ts.par_iter()
                .zip(&ds)
                .zip(ps)
                .map(|((t, d), path)| Item::Shape {
                    id: Some(format!("{id_prefix}{}", t.code)),
                    title: Some(title(t, d)),
                    path,
                    fill: Some(fill(d)),
                    stroke: None,
                    bordered: level_stroke.is_some(),
                }),
        );
        group.extend(network);
        group.extend(borders(b, level, frame, &ts, look));
        if boxed {
            group.push(rect_item(
                None,
                frame.rect,
                None,
                Some(Stroke {
                    color: look.frame.color,
                    width: (0.12 * u).max(0.6),
                }),
            ));
        }
        items.push(Item::Group {
            id: Some(frame.id.clone()),
            clip: clip.then_some(frame.rect.array()),
            items: group,
        });
    }
    items.extend(inset_names(layout, look, u));
    (items, label_cands)
}

/// Inset names, over the top of their boxes, shrunk to fit a narrow box.
fn inset_names(layout: &Layout, look: &Look, u: f32) -> Vec<Item> {
    layout
        .insets
        .iter()
        .map(|(f, key)| {
            let name = if key == "idf" {
                "Paris et couronne"
            } else {
                DROM.iter().find(|d| d.0 == key).map_or("", |d| d.1)
            };
            let fit = (f.rect.w - u) / text_width(name, look.legend, Weight::Regular).max(1.0);
            let size = look.legend * fit.min(1.0);
            Item::Text(Text {
                text: name.to_string(),
                x: f.rect.x + 0.5 * u,
                y: f.rect.y + 0.4 * u + size,
                size,
                weight: Weight::Regular,
                anchor: Anchor::Start,
                color: look.ink,
                halo: Some(Stroke {
                    color: look.sea,
                    width: size * 0.25,
                }),
            })
        })
        .collect()
}

/// Territory labels placed clear of the furniture (legend, scale bar, locator, inset names),
/// with the codes of the territories whose label was left out.
pub(crate) fn labels(
    layout: &Layout,
    candidates: &[label::Candidate],
    look: &Look,
    u: f32,
) -> (Vec<Item>, Vec<String>) {
    let mut obstacles = vec![layout.legend];
    obstacles.extend(layout.scalebar);
    obstacles.extend(layout.locator.as_ref().map(|f| f.rect));
    obstacles.extend(
        layout
            .insets
            .iter()
            .map(|(f, _)| Rect::new(f.rect.x, f.rect.y, f.rect.w, 2.2 * u)),
    );
    let placed = label::place(candidates, look.labels, &obstacles, look.ink);
    let dropped = placed
        .dropped
        .iter()
        .map(|&i| candidates[i].code.clone())
        .collect();
    (placed.texts.into_iter().map(Item::Text).collect(), dropped)
}

/// Neighbouring départements in grey behind a région or département map.
fn context(
    b: &Boundaries,
    frame: &Frame,
    within: &Option<Within>,
    look: &Look,
    u: f32,
) -> Vec<Item> {
    let others: Vec<&Territory> = b
        .departements
        .territories
        .iter()
        .filter(|t| drom_of(t).is_none() && !within.as_ref().is_none_or(|w| w.contains(t)))
        .collect();
    let geoms: Vec<_> = others.iter().map(|t| &t.geometry).collect();
    paths(frame, &geoms, TOLERANCE)
        .into_iter()
        .filter(|p| {
            p.subpaths.iter().flatten().any(|q| {
                frame
                    .rect
                    .grow(50.0 * u)
                    .contains(&Rect::new(q[0], q[1], 0.0, 0.0))
            })
        })
        .map(|p| Item::Shape {
            id: None,
            title: None,
            path: p,
            fill: Some(Fill::Solid(look.context)),
            stroke: Some(Stroke {
                color: look.paper,
                width: (0.15 * u).max(0.5),
            }),
            bordered: false,
        })
        .collect()
}

/// Drops rings smaller than twice the outline's width, which would be blots of ink (islets
/// and generalisation slivers), keeping at least the largest ring.
fn drop_blots(p: &mut Path, stroke: Option<Stroke>) {
    let min = stroke.map_or(0.0, |s| 2.0 * s.width);
    let largest = p.subpaths.iter().map(|r| extent(r)).fold(0.0, f32::max);
    p.subpaths.retain(|r| {
        let e = extent(r);
        e >= min || e == largest
    });
}

/// Département and région outlines over the fills (each level above the mapped one).
fn borders(
    b: &Boundaries,
    level: Level,
    frame: &Frame,
    ts: &[&Territory],
    look: &Look,
) -> Vec<Item> {
    let mut out = Vec::new();
    for upper in [Level::Departement, Level::Region] {
        // The zoom shows part of a région: its outline would stray across the box.
        if upper <= level || (upper == Level::Region && frame.id == "zoom-idf") {
            continue;
        }
        let codes: std::collections::BTreeSet<&str> = ts
            .iter()
            .filter_map(|t| {
                if upper == Level::Departement {
                    t.departement.as_deref()
                } else {
                    t.region.as_deref()
                }
            })
            .collect();
        // Overseas départements are régions too: draw them once, at région weight.
        let layer = b.layer(upper);
        let uppers: Vec<&Territory> = codes
            .iter()
            .filter_map(|c| layer.get(c))
            .filter(|t| !(upper == Level::Departement && drom_of(t).is_some()))
            .collect();
        let geoms: Vec<_> = uppers.iter().map(|t| &t.geometry).collect();
        let mut ps = paths(frame, &geoms, TOLERANCE);
        let stroke = look.stroke_in(upper, &ps);
        ps.par_iter_mut().for_each(|p| drop_blots(p, stroke));
        out.extend(border_items(&uppers, &ps, upper, stroke));
    }
    out
}

/// The outlines of a tiling of territories as border networks over their fills, each shared
/// border stroked once (see [`border_network`]). One network per parent territory, so that
/// they are built in parallel, in small tables: a border between two parents is drawn from
/// both sides, under the parent level's own thicker border.
fn border_items(ts: &[&Territory], ps: &[Path], level: Level, stroke: Option<Stroke>) -> Vec<Item> {
    let Some(stroke) = stroke else {
        return Vec::new();
    };
    let mut groups: BTreeMap<Option<&str>, Vec<&Path>> = BTreeMap::new();
    for (t, p) in ts.iter().zip(ps) {
        let parent = match level {
            Level::Commune => t.departement.as_deref(),
            Level::Departement => t.region.as_deref(),
            Level::Region => None,
        };
        groups.entry(parent).or_default().push(p);
    }
    let groups: Vec<Vec<&Path>> = groups.into_values().collect();
    groups
        .par_iter()
        .map(|g| border_network(g))
        .filter(|p| !p.subpaths.is_empty())
        .map(|path| Item::Shape {
            id: None,
            title: None,
            path,
            fill: None,
            stroke: Some(stroke),
            bordered: false,
        })
        .collect()
}

/// Small map of metropolitan France in `f`, the extent `within` highlighted.
pub(crate) fn locator(
    b: &Boundaries,
    f: &Frame,
    within: &Option<Within>,
    look: &Look,
    u: f32,
) -> Item {
    let mut items = vec![rect_item(None, f.rect, Some(Fill::Solid(look.paper)), None)];
    let regs: Vec<&Territory> = b
        .regions
        .territories
        .iter()
        .filter(|t| drom_of(t).is_none())
        .collect();
    let geoms: Vec<_> = regs.iter().map(|t| &t.geometry).collect();
    let thin = Stroke {
        color: look.paper,
        width: (0.08 * u).max(0.4),
    };
    for p in paths(f, &geoms, 0.5) {
        items.push(Item::Shape {
            id: None,
            title: None,
            path: p,
            fill: Some(Fill::Solid(look.context)),
            stroke: Some(thin),
            bordered: false,
        });
    }
    let target: Vec<&Territory> = match within {
        Some(Within::Region(r)) => b.regions.get(r).into_iter().collect(),
        Some(Within::Departement(d)) => b.departements.get(d).into_iter().collect(),
        None => Vec::new(),
    };
    let geoms: Vec<_> = target.iter().map(|t| &t.geometry).collect();
    for p in paths(f, &geoms, 0.5) {
        items.push(Item::Shape {
            id: None,
            title: None,
            path: p,
            fill: Some(Fill::Solid(look.accent)),
            stroke: Some(thin),
            bordered: false,
        });
    }
    items.push(rect_item(
        None,
        f.rect,
        None,
        Some(Stroke {
            color: look.frame.color,
            width: (0.1 * u).max(0.5),
        }),
    ));
    Item::Group {
        id: Some("locator".into()),
        clip: Some(f.rect.array()),
        items,
    }
}

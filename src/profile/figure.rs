//! The one-page fiche of a [`Profile`], as a [`Scene`] the PNG, SVG and PDF backends draw:
//! title and identity, two locator maps (the territory in its département or région, and in
//! France with the overseas départements), the 16 fragility scores against France with their
//! intervals, Q4 as stacked bars, the source line, and « Données simulées » in red on
//! synthetic data. A4 portrait at 150 dpi; the PNG is rendered at twice that, for print.

use super::text::{actors_label, own_answer_lines, place_label};
use super::{Profile, Score, within};
use crate::aggregate::Flag;
use crate::boundaries::Boundaries;
use crate::compose::arrange::extent_frame;
use crate::compose::furniture::{polyline, rect_item, text, text_block, text_width, wrap};
use crate::compose::inset::{self, DROM, drom_frame, drom_of, mainland};
use crate::compose::look::rgba;
use crate::format::{NBSP, fr_number};
use crate::projection::Projection;
use crate::render::layout::{Frame, Rect};
use crate::render::scene::{Anchor, Fill, Item, Rgba, Scene, Stroke, Text, Weight};
use crate::style::Style;
use crate::survey::ANSWER_LABELS;
use crate::{Error, Level, Result, Territory};

/// Resolution of the scene's pixels: A4 (21 × 29.7 cm) is 1240 × 1754 px.
pub const DPI: f32 = 150.0;
/// Page width, px.
pub const WIDTH: f32 = 1240.0;
/// Page height, px.
pub const HEIGHT: f32 = 1754.0;
/// PNG pixels per scene pixel: 300 dpi, print quality.
pub const PNG_SCALE: f32 = 2.0;

const MARGIN: f32 = 60.0;
/// Bottom of the title block without the « trouvée par » line.
const HEADER: f32 = MARGIN + 110.0;
/// Height of one indicator line, and how many the page shows.
const INDICATOR_LINE: f32 = 22.0;
const MAX_INDICATORS: usize = 3;
const INK: Rgba = Rgba::rgb(0x22, 0x22, 0x22);
const GRID: Rgba = Rgba::rgb(0xdd, 0xdd, 0xdd);
const WHITE: Rgba = Rgba::rgb(255, 255, 255);
/// Bars of the most local level and of the next one.
const BARS: [Rgba; 2] = [Rgba::rgb(0x21, 0x66, 0xac), Rgba::rgb(0x92, 0xc5, 0xde)];

/// The PNG of a fiche at [`PNG_SCALE`], its resolution recorded as 300 dpi.
pub fn png(scene: &Scene) -> Result<Vec<u8>> {
    let pixmap = crate::render::raster::render_pixmap(scene, PNG_SCALE)?;
    crate::render::raster::encode_png(
        pixmap,
        DPI * PNG_SCALE,
        &[("Title", &scene.title), ("Description", &scene.description)],
    )
}

/// Colours and sizes of the page, from the default style.
struct Look {
    muted: Rgba,
    warning: Rgba,
    accent: Rgba,
    context: Rgba,
    answers: Vec<Rgba>,
    hatch: Rgba,
}

/// Lays the fiche out. `b` must hold geometries (the maps need them).
pub fn scene(p: &Profile, b: &Boundaries) -> Result<Scene> {
    if b.departements
        .territories
        .iter()
        .all(|t| t.geometry.0.is_empty())
    {
        return Err(Error::usage("the fiche needs boundary geometries")
            .hint("load the boundaries with their geometry"));
    }
    let style = Style::default();
    let look = Look {
        muted: rgba(style.colours.muted),
        warning: rgba(style.colours.warning),
        accent: rgba(style.colours.accent),
        context: rgba(style.colours.context),
        answers: style.answer_colours()?.into_iter().map(rgba).collect(),
        hatch: rgba(style.small_sample.colour),
    };
    let mut items = Vec::new();
    let mut y = header(p, &look, &mut items);
    // The maps give up the height that a « trouvée par » line and indicator lines take.
    let shown = p.indicators.len().min(MAX_INDICATORS) as f32;
    let map_h = 400.0 - (y - HEADER) - INDICATOR_LINE * shown;
    y = maps(p, b, &look, y + 18.0, map_h, &mut items)?;
    for line in own_answer_lines(p) {
        y += paragraph(&line, y + 14.0, 17.0, Weight::Regular, INK, &mut items) + 14.0;
    }
    y = fragilities(p, &look, y + 22.0, &mut items);
    y = q4(p, &look, y + 24.0, &mut items);
    indicators(p, y + 18.0, &mut items);
    footer(p, &b.credit(), &look, &mut items);
    Ok(Scene {
        width: WIDTH,
        height: HEIGHT,
        background: WHITE,
        items,
        title: format!("Fiche territoire : {}", place_label(&p.identity.territory)),
        description: description(p),
    })
}

/// « du maire », « de l'entreprise »: `de` before a definite article.
fn of_the(the: &str) -> String {
    match the.strip_prefix("le ") {
        Some(rest) => format!("du {rest}"),
        None => format!("de {the}"),
    }
}

fn description(p: &Profile) -> String {
    let mut s = format!(
        "Profil de {} : scores moyens des 16 domaines de fragilité ({}) aux niveaux {}, avec IC 95 %, et réponses à la Q4.",
        place_label(&p.identity.territory),
        actors_label(p),
        p.levels
            .iter()
            .map(place_label)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if p.survey.synthetic {
        s.push_str(" Données simulées.");
    }
    s
}

/// Title, identity lines and the « Données simulées » mark; returns the bottom.
fn header(p: &Profile, look: &Look, items: &mut Vec<Item>) -> f32 {
    let id = &p.identity;
    let kind = match id.territory.level {
        "commune" => "Commune",
        "departement" => "Département",
        _ => "Région",
    };
    items.push(text(
        format!("{} ({})", id.territory.name, id.territory.code),
        MARGIN,
        MARGIN + 34.0,
        40.0,
        Weight::Bold,
        Anchor::Start,
        INK,
    ));
    if p.survey.synthetic {
        items.push(text(
            "Données simulées",
            WIDTH - MARGIN,
            MARGIN + 28.0,
            24.0,
            Weight::Bold,
            Anchor::End,
            look.warning,
        ));
    }
    let mut parents = vec![kind.to_string()];
    parents.extend(
        [&id.departement, &id.region]
            .into_iter()
            .flatten()
            .map(place_label),
    );
    if let Some(e) = &id.epci {
        parents.push(format!("EPCI {e}"));
    }
    let mut facts = Vec::new();
    if let Some(pop) = id.population {
        facts.push(format!("{}{NBSP}habitants", fr_number(pop as f64, 0)));
    }
    if let Some(a) = id.area_km2 {
        facts.push(format!("{}{NBSP}km²", fr_number(a, 1)));
    }
    if let Some(d) = id.density {
        facts.push(format!("{}{NBSP}hab./km²", fr_number(d, d_decimals(d))));
    }
    if let Some(s) = id.size_stratum {
        facts.push(format!("strate {}{NBSP}hab.", s.label().replace(">=", "≥")));
    }
    if let Some(n) = id.communes {
        facts.push(format!("{} communes", fr_number(n as f64, 0)));
    }
    let mut y = MARGIN + 50.0;
    for (line, color) in [(parents.join(" · "), INK), (facts.join(" · "), look.muted)] {
        items.push(text(
            line,
            MARGIN,
            y + 22.0,
            20.0,
            Weight::Regular,
            Anchor::Start,
            color,
        ));
        y += 30.0;
    }
    if let Some(how) = id.matched.as_ref().and_then(super::text::match_text) {
        items.push(text(
            format!("Trouvée par {how}"),
            MARGIN,
            y + 20.0,
            16.0,
            Weight::Regular,
            Anchor::Start,
            look.muted,
        ));
        y += 26.0;
    }
    y
}

/// `text` wrapped to the page width from `top`; returns the height used.
fn paragraph(
    text: &str,
    top: f32,
    size: f32,
    weight: Weight,
    color: Rgba,
    items: &mut Vec<Item>,
) -> f32 {
    let lines = wrap(text, size, weight, WIDTH - 2.0 * MARGIN);
    let (t, h) = text_block(&lines, MARGIN, top, size, weight, Anchor::Start, color);
    items.extend(t);
    h
}

/// A section heading whose top is at `top`.
fn section_title(title: impl Into<String>, top: f32) -> Item {
    text(
        title,
        MARGIN,
        top + 22.0,
        22.0,
        Weight::Bold,
        Anchor::Start,
        INK,
    )
}

/// Density decimals: one below 100 hab./km², none above.
fn d_decimals(d: f64) -> usize {
    usize::from(d < 100.0)
}

/// The two locator maps side by side; returns the bottom.
fn maps(
    p: &Profile,
    b: &Boundaries,
    look: &Look,
    top: f32,
    h: f32,
    items: &mut Vec<Item>,
) -> Result<f32> {
    let gap = 40.0;
    let w = (WIDTH - 2.0 * MARGIN - gap) / 2.0;
    let title_h = 30.0;
    let left = Rect::new(MARGIN, top + title_h, w, h);
    let right = Rect::new(MARGIN + w + gap, top + title_h, w, h);
    let id = &p.identity;
    let code = id.territory.code.as_str();
    // Left: the territory among its siblings; right: its département (or itself) in France.
    let (left_title, siblings, highlight, outline): (
        String,
        Vec<&Territory>,
        Option<&Territory>,
        Option<&Territory>,
    ) = match id.territory.level {
        "commune" => {
            let dep = id
                .departement
                .as_ref()
                .and_then(|d| b.departements.get(&d.code));
            let communes = dep.map_or_else(Vec::new, |d| {
                within(&b.communes, Level::Departement, &d.code)
            });
            (
                format!(
                    "Dans son département : {}",
                    dep.map_or("", |d| d.name.as_str())
                ),
                communes,
                b.communes.get(code),
                dep,
            )
        }
        "departement" => {
            let reg = id.region.as_ref().and_then(|r| b.regions.get(&r.code));
            let deps = reg.map_or_else(Vec::new, |r| {
                within(&b.departements, Level::Region, &r.code)
            });
            (
                format!("Dans sa région : {}", reg.map_or("", |r| r.name.as_str())),
                deps,
                b.departements.get(code),
                reg,
            )
        }
        _ => {
            let deps = within(&b.departements, Level::Region, code);
            (
                "Ses départements".to_string(),
                deps,
                None,
                b.regions.get(code),
            )
        }
    };
    let in_france = match id.territory.level {
        "commune" => id
            .departement
            .as_ref()
            .and_then(|d| b.departements.get(&d.code)),
        "departement" => b.departements.get(code),
        _ => b.regions.get(code),
    };
    let france_title = match in_france {
        Some(t) => format!("{} en France", t.name),
        None => "En France".to_string(),
    };
    for (rect, title) in [(left, left_title), (right, france_title)] {
        items.push(text(
            title,
            rect.x,
            top + 20.0,
            18.0,
            Weight::Bold,
            Anchor::Start,
            INK,
        ));
    }
    items.push(local_map(left, &siblings, highlight, outline, look));
    items.push(france_map(right, b, in_france, look));
    Ok(top + title_h + h)
}

fn frame_stroke(look: &Look) -> Option<Stroke> {
    Some(Stroke {
        color: look.muted,
        width: 1.0,
    })
}

fn shape(path: crate::render::scene::Path, fill: Option<Rgba>, stroke: Option<Stroke>) -> Item {
    Item::Shape {
        id: None,
        title: None,
        path,
        fill: fill.map(Fill::Solid),
        stroke,
        bordered: false,
    }
}

/// The territory (red) among its siblings (grey), inside its parent's outline.
fn local_map(
    rect: Rect,
    siblings: &[&Territory],
    highlight: Option<&Territory>,
    outline: Option<&Territory>,
    look: &Look,
) -> Item {
    let mut items = Vec::new();
    if let Some(f) = extent_frame("local", siblings, rect, 8.0) {
        // Hundreds of communes: white hairlines; a few départements: visible grey borders.
        let thin = Some(if siblings.len() > 100 {
            Stroke {
                color: WHITE,
                width: 0.4,
            }
        } else {
            Stroke {
                color: look.muted,
                width: 0.8,
            }
        });
        for t in siblings {
            items.push(shape(f.path(&t.geometry, 0.4), Some(look.context), thin));
        }
        if let Some(t) = highlight {
            items.push(shape(
                f.path(&t.geometry, 0.2),
                Some(look.accent),
                Some(Stroke {
                    color: look.accent,
                    width: 1.0,
                }),
            ));
        }
        if let Some(t) = outline {
            items.push(shape(
                f.path(&t.geometry, 0.4),
                None,
                Some(Stroke {
                    color: INK,
                    width: 1.2,
                }),
            ));
        }
        if let Some(t) = highlight {
            // A commune too small to see gets a ring around it.
            if let Some(bb) = f.path(&t.geometry, 0.2).bbox() {
                let size = (bb[2] - bb[0]).max(bb[3] - bb[1]);
                if size < 8.0 {
                    let (cx, cy) = ((bb[0] + bb[2]) / 2.0, (bb[1] + bb[3]) / 2.0);
                    items.push(shape(
                        circle(cx, cy, 10.0),
                        None,
                        Some(Stroke {
                            color: look.accent,
                            width: 2.0,
                        }),
                    ));
                }
            }
        }
    }
    items.push(rect_item(None, rect, None, frame_stroke(look)));
    Item::Group {
        id: Some("carte-locale".into()),
        clip: Some(rect.array()),
        items,
    }
}

fn circle(cx: f32, cy: f32, r: f32) -> crate::render::scene::Path {
    let ring = (0..32)
        .map(|i| {
            let a = i as f32 / 32.0 * std::f32::consts::TAU;
            [cx + r * a.cos(), cy + r * a.sin()]
        })
        .collect();
    crate::render::scene::Path {
        subpaths: vec![ring],
        closed: true,
    }
}

/// Metropolitan France by département with the target in red, and the five overseas
/// départements in a column of boxes on the left (Magrit's convention, as in `phare map`),
/// framed by the map page's pieces ([`mainland`], [`drom_frame`]).
fn france_map(rect: Rect, b: &Boundaries, target: Option<&Territory>, look: &Look) -> Item {
    let world = mainland(b.departements.territories.iter());
    let gap = 8.0;
    let col_w = rect.w * 0.16;
    let column = Rect::new(rect.x + gap, rect.y + gap, col_w, rect.h - 2.0 * gap);
    let body = Rect::new(
        column.right() + gap,
        rect.y,
        rect.right() - column.right() - gap,
        rect.h,
    );
    let thin = Some(Stroke {
        color: WHITE,
        width: 0.6,
    });
    let is_target = |t: &Territory| {
        target.is_some_and(|g| {
            g.code == t.code
                || (g.level == Level::Region && t.region.as_deref() == Some(g.code.as_str()))
        })
    };
    let fill = |t: &Territory| {
        if is_target(t) {
            look.accent
        } else {
            look.context
        }
    };
    let mut items = Vec::new();
    if world.is_valid() {
        let f = Frame::fit("france", Projection::Lambert93, world, body, 10.0);
        for t in b
            .departements
            .territories
            .iter()
            .filter(|t| drom_of(t).is_none())
        {
            items.push(shape(f.path(&t.geometry, 0.6), Some(fill(t)), thin));
        }
    }
    for (r, (code, name)) in inset::column(column, DROM.len(), gap).into_iter().zip(DROM) {
        let Some(t) = b.departements.get(code) else {
            continue;
        };
        let f = drom_frame(code, std::iter::once(&t.geometry), r, 14.0, 0.05);
        let mut inner = vec![shape(f.path(&t.geometry, 0.4), Some(fill(t)), thin)];
        inner.push(text(
            name,
            r.x + r.w / 2.0,
            r.y + 11.0,
            10.0,
            Weight::Regular,
            Anchor::Middle,
            look.muted,
        ));
        inner.push(rect_item(
            None,
            r,
            None,
            Some(Stroke {
                color: GRID,
                width: 1.0,
            }),
        ));
        items.push(Item::Group {
            id: Some(format!("inset-{code}")),
            clip: Some(r.array()),
            items: inner,
        });
    }
    items.push(rect_item(None, rect, None, frame_stroke(look)));
    Item::Group {
        id: Some("carte-france".into()),
        clip: Some(rect.array()),
        items,
    }
}

/// Largest n over the domains at level `i`: the number of respondents there.
fn level_n(p: &Profile, i: usize) -> usize {
    p.domains.iter().map(|d| d.scores[i].n).max().unwrap_or(0)
}

/// The bar chart of the 16 domains; returns the bottom.
fn fragilities(p: &Profile, look: &Look, top: f32, items: &mut Vec<Item>) -> f32 {
    items.push(section_title(
        format!(
            "Fragilités du territoire selon les {} : note moyenne sur 10",
            actors_label(p)
        ),
        top,
    ));
    let france = p.levels.len() - 1;
    // Bars for the levels below France, at most two.
    let bar_levels: Vec<usize> = (0..france).take(2).collect();
    let row_h = 33.0;
    let bar_h = if bar_levels.len() > 1 { 10.0 } else { 16.0 };
    let label_w = 400.0;
    let x0 = MARGIN + label_w;
    let x1 = WIDTH - MARGIN - 90.0;
    let xv = |v: f64| x0 + (x1 - x0) * (v.clamp(0.0, 10.0) / 10.0) as f32;
    let chart_top = top + 40.0;
    let mut order: Vec<usize> = (0..p.domains.len()).collect();
    // France's order, the same on every fiche: fiches compare at a glance.
    let fr = |d: usize| p.domains[d].scores[france].value.unwrap_or(f64::MIN);
    order.sort_by(|&a, &b| fr(b).total_cmp(&fr(a)).then(a.cmp(&b)));
    let chart_bottom = chart_top + row_h * order.len() as f32;
    for k in 0..=5 {
        let x = xv(f64::from(k) * 2.0);
        items.push(shape(
            polyline(vec![[x, chart_top], [x, chart_bottom]]),
            None,
            Some(Stroke {
                color: GRID,
                width: 1.0,
            }),
        ));
        items.push(text(
            fr_number(f64::from(k) * 2.0, 0),
            x,
            chart_bottom + 18.0,
            14.0,
            Weight::Regular,
            Anchor::Middle,
            look.muted,
        ));
    }
    // The commune's own respondents (their mean when several), drawn as a dot on each row.
    let own = p.own_answers.as_ref().filter(|o| !o.is_empty());
    let own_scores: Vec<Option<f64>> = own
        .map(|o| super::own_means(o).into_iter().map(|(m, _)| m).collect())
        .unwrap_or_default();
    let codes: Vec<&str> = bar_levels
        .iter()
        .map(|&i| p.levels[i].code.as_str())
        .collect();
    items.push(text(
        codes.join(" · "),
        x1 + 16.0,
        chart_top - 4.0,
        13.0,
        Weight::Bold,
        Anchor::Start,
        look.muted,
    ));
    for (row, &d) in order.iter().enumerate() {
        let dom = &p.domains[d];
        let yc = chart_top + row_h * (row as f32 + 0.5);
        let label: String = if text_width(dom.label, 15.0, Weight::Regular) > label_w - 12.0 {
            let mut s: String = dom.label.to_string();
            while text_width(&format!("{s}…"), 15.0, Weight::Regular) > label_w - 12.0 {
                s.pop();
            }
            format!("{}…", s.trim_end_matches([',', ' ']))
        } else {
            dom.label.to_string()
        };
        items.push(text(
            label,
            x0 - 12.0,
            yc + 5.0,
            15.0,
            Weight::Regular,
            Anchor::End,
            INK,
        ));
        let total_h =
            bar_h * bar_levels.len() as f32 + 2.0 * (bar_levels.len() as f32 - 1.0).max(0.0);
        let mut values = Vec::new();
        for (k, &i) in bar_levels.iter().enumerate() {
            let s = &dom.scores[i];
            let by = yc - total_h / 2.0 + k as f32 * (bar_h + 2.0);
            bar(s, BARS[k], Rect::new(x0, by, 0.0, bar_h), xv, look, items);
            values.push(score_label(s));
        }
        if let Some(own) = own_scores.get(d).copied().flatten() {
            items.push(shape(
                circle(xv(own), yc, 6.0),
                Some(look.accent),
                Some(Stroke {
                    color: WHITE,
                    width: 1.5,
                }),
            ));
        }
        let s = &dom.scores[france];
        if let Some(v) = s.value {
            let x = xv(v);
            items.push(shape(
                polyline(vec![[x, yc - row_h * 0.42], [x, yc + row_h * 0.42]]),
                None,
                Some(Stroke {
                    color: INK,
                    width: 2.5,
                }),
            ));
        }
        items.push(text(
            values.join(" · "),
            x1 + 16.0,
            yc + 5.0,
            13.0,
            Weight::Regular,
            Anchor::Start,
            INK,
        ));
    }
    // Legend.
    let mut x = MARGIN;
    let ly = chart_bottom + 40.0;
    let size = 14.0;
    let entry = |items: &mut Vec<Item>, swatch: Vec<Item>, label: String, x: &mut f32| {
        items.extend(swatch);
        items.push(text(
            label.clone(),
            *x + 26.0,
            ly + 5.0,
            size,
            Weight::Regular,
            Anchor::Start,
            INK,
        ));
        *x += 26.0 + text_width(&label, size, Weight::Regular) + 22.0;
    };
    for (k, &i) in bar_levels.iter().enumerate() {
        let sw = vec![rect_item(
            None,
            Rect::new(x, ly - 7.0, 20.0, 14.0),
            Some(Fill::Solid(BARS[k])),
            None,
        )];
        entry(
            items,
            sw,
            format!("{} (n = {})", place_label(&p.levels[i]), level_n(p, i)),
            &mut x,
        );
    }
    let sw = vec![shape(
        polyline(vec![[x + 10.0, ly - 10.0], [x + 10.0, ly + 10.0]]),
        None,
        Some(Stroke {
            color: INK,
            width: 2.5,
        }),
    )];
    entry(
        items,
        sw,
        format!("France (n = {})", level_n(p, france)),
        &mut x,
    );
    if own.is_some() {
        let sw = vec![shape(circle(x + 10.0, ly, 6.0), Some(look.accent), None)];
        entry(
            items,
            sw,
            match own.map_or(0, Vec::len) {
                1 => format!("réponse {}", of_the(p.survey.actor.with_article())),
                n => format!("moyenne des {n} {} de la commune", p.survey.actor.plural()),
            },
            &mut x,
        );
    }
    let ly2 = ly + 26.0;
    let x = MARGIN;
    let hatch = Fill::Hatch {
        background: Some(WHITE),
        color: look.hatch,
        width: 1.2,
        spacing: 5.0,
        angle: 45.0,
    };
    items.push(rect_item(
        None,
        Rect::new(x, ly2 - 7.0, 20.0, 14.0),
        Some(hatch),
        Some(Stroke {
            color: look.hatch,
            width: 1.0,
        }),
    ));
    let notes = format!(
        "° échantillon insuffisant (n eff. < {}) : à ne pas interpréter seul    ├─┤ intervalle de confiance à 95 %    * écart à la France significatif",
        p.survey.min_n
    );
    items.push(text(
        notes,
        x + 26.0,
        ly2 + 5.0,
        size,
        Weight::Regular,
        Anchor::Start,
        INK,
    ));
    let mut y = ly2 + 24.0;
    if let Some(pr) = &p.priorities {
        let list = super::text::priority_list(pr);
        let line = format!(
            "Fragilités prioritaires ({}, n = {}) : {}",
            place_label(&pr.place),
            pr.n,
            list.join(" ; ")
        );
        y += paragraph(&line, y + 6.0, 16.0, Weight::Bold, INK, items) + 6.0;
    }
    y
}

/// `6,2*` (significant gap) or `6,2°` (small sample), `—` without respondents.
fn score_label(s: &Score) -> String {
    match s.value {
        None => "—".into(),
        Some(v) => {
            let mut t = fr_number(v, 1);
            if s.gap_significant == Some(true) {
                t.push('*');
            }
            if s.flag == Flag::Insufficient {
                t.push('°');
            }
            t
        }
    }
}

/// One bar from 0 to the value, hatched when the sample is too small, with its whisker.
fn bar(
    s: &Score,
    color: Rgba,
    at: Rect,
    xv: impl Fn(f64) -> f32,
    look: &Look,
    items: &mut Vec<Item>,
) {
    let Some(v) = s.value else {
        return;
    };
    let r = Rect::new(at.x, at.y, xv(v) - at.x, at.h);
    let fill = if s.flag == Flag::Ok {
        Fill::Solid(color)
    } else {
        Fill::Hatch {
            background: Some(WHITE),
            color,
            width: 1.5,
            spacing: 4.0,
            angle: 45.0,
        }
    };
    items.push(rect_item(
        None,
        r,
        Some(fill),
        Some(Stroke { color, width: 1.0 }),
    ));
    if let (Some(lo), Some(hi)) = (s.ci_low, s.ci_high) {
        let ym = at.y + at.h / 2.0;
        let (a, b) = (xv(lo), xv(hi));
        let cap = at.h / 2.0;
        let ink = Some(Stroke {
            color: look.hatch,
            width: 1.2,
        });
        items.push(shape(polyline(vec![[a, ym], [b, ym]]), None, ink));
        for x in [a, b] {
            items.push(shape(
                polyline(vec![[x, ym - cap], [x, ym + cap]]),
                None,
                ink,
            ));
        }
    }
}

/// Q4 as one 100 % stacked bar per level; returns the bottom.
fn q4(p: &Profile, look: &Look, top: f32, items: &mut Vec<Item>) -> f32 {
    items.push(section_title(
        "Q4 : le territoire est-il porteur d'une dynamique de co-construction ?",
        top,
    ));
    if let Some(why) = p.q4_not_asked() {
        return top + 40.0 + paragraph(&why, top + 40.0, 17.0, Weight::Regular, INK, items);
    }
    let label_w = 400.0;
    let x0 = MARGIN + label_w;
    let x1 = WIDTH - MARGIN - 90.0;
    let row_h = 34.0;
    let mut y = top + 40.0;
    for q in &p.q4 {
        let s = &q.oui;
        items.push(text(
            format!("{} (n = {})", place_label(&s.place), s.n),
            x0 - 12.0,
            y + row_h / 2.0 + 5.0,
            15.0,
            Weight::Regular,
            Anchor::End,
            INK,
        ));
        let bar = Rect::new(x0, y + 4.0, x1 - x0, row_h - 8.0);
        if q.answers.iter().all(Option::is_none) {
            items.push(rect_item(None, bar, Some(Fill::Solid(GRID)), None));
            items.push(text(
                "aucun répondant",
                x0 + 10.0,
                bar.y + bar.h / 2.0 + 5.0,
                14.0,
                Weight::Regular,
                Anchor::Start,
                look.muted,
            ));
        } else {
            let mut x = x0;
            let mut labels = Vec::new();
            for (k, share) in q.answers.iter().enumerate() {
                let w = (share.unwrap_or(0.0) as f32) * bar.w;
                if w < 0.5 {
                    // Nobody gave this answer: no sliver of its colour.
                    continue;
                }
                let c = look.answers[k];
                items.push(rect_item(
                    None,
                    Rect::new(x, bar.y, w, bar.h),
                    Some(Fill::Solid(c)),
                    None,
                ));
                let label = format!("{}{NBSP}%", fr_number(share.unwrap_or(0.0) * 100.0, 0));
                if w > text_width(&label, 13.0, Weight::Regular) + 8.0 {
                    let dark = u32::from(c.r) + u32::from(c.g) + u32::from(c.b) < 380;
                    let hatched = s.flag != Flag::Ok;
                    let mut t = Text {
                        text: label,
                        x: x + w / 2.0,
                        y: bar.y + bar.h / 2.0 + 5.0,
                        size: 13.0,
                        weight: Weight::Regular,
                        anchor: Anchor::Middle,
                        color: if dark && !hatched { WHITE } else { INK },
                        halo: None,
                    };
                    // Over hatching, dark text on a white halo stays legible.
                    if hatched {
                        t.halo = Some(Stroke {
                            color: WHITE,
                            width: 3.0,
                        });
                    }
                    labels.push(Item::Text(t));
                }
                x += w;
            }
            if s.flag != Flag::Ok {
                items.push(rect_item(
                    None,
                    bar,
                    Some(Fill::Hatch {
                        background: None,
                        color: WHITE,
                        width: 1.5,
                        spacing: 6.0,
                        angle: 45.0,
                    }),
                    None,
                ));
            }
            items.extend(labels);
        }
        let (oui, _) = super::text::value_text(s, true);
        items.push(text(
            format!("oui {}", oui_label(s, &oui)),
            x1 + 10.0,
            y + row_h / 2.0 + 5.0,
            13.0,
            Weight::Regular,
            Anchor::Start,
            INK,
        ));
        y += row_h;
    }
    // Answer legend.
    let mut x = x0;
    let ly = y + 16.0;
    for (k, (_, label)) in ANSWER_LABELS[..4].iter().enumerate() {
        items.push(rect_item(
            None,
            Rect::new(x, ly - 7.0, 20.0, 14.0),
            Some(Fill::Solid(look.answers[k])),
            None,
        ));
        items.push(text(
            *label,
            x + 26.0,
            ly + 5.0,
            14.0,
            Weight::Regular,
            Anchor::Start,
            INK,
        ));
        x += 26.0 + text_width(label, 14.0, Weight::Regular) + 20.0;
    }
    items.push(text(
        "Parts parmi les réponses 1 à 4 (« Ne sait pas » exclu) ; barre hachurée : échantillon insuffisant (n eff.).",
        x0,
        ly + 28.0,
        13.0,
        Weight::Regular,
        Anchor::Start,
        look.muted,
    ));
    ly + 36.0
}

fn oui_label(s: &Score, value: &str) -> String {
    let mut t = value.replace(",0", "");
    if s.gap_significant == Some(true) {
        t.push('*');
    }
    if s.flag == Flag::Insufficient {
        t.push('°');
    }
    t
}

/// The indicator ranks, one line each.
fn indicators(p: &Profile, top: f32, items: &mut Vec<Item>) {
    let mut y = top;
    for i in p.indicators.iter().take(MAX_INDICATORS) {
        let ranks: Vec<String> = i
            .ranks
            .iter()
            .map(|r| {
                format!(
                    "{}{} / {} en {}",
                    r.rank,
                    if r.rank == 1 { "er" } else { "e" },
                    fr_number(r.of as f64, 0),
                    r.scope.name
                )
            })
            .collect();
        let line = match i.value {
            Some(v) => format!(
                "{} ({}) : {} — {}",
                i.column,
                i.source,
                fr_number(v, if v.fract() == 0.0 { 0 } else { 2 }),
                ranks.join(", ")
            ),
            None => format!("{} ({}) : non renseigné", i.column, i.source),
        };
        items.push(text(
            line,
            MARGIN,
            y + 16.0,
            15.0,
            Weight::Regular,
            Anchor::Start,
            INK,
        ));
        y += INDICATOR_LINE;
    }
}

/// Source lines at the bottom of the page, ending with the base map's `credit`.
fn footer(p: &Profile, credit: &str, look: &Look, items: &mut Vec<Item>) {
    let source = format!(
        "Source : {} ({} {} répondants). Moyennes et parts pondérées, IC 95 % (Student / Wilson sur n eff. de Kish) ; écart à la France testé contre le reste de la France. {credit}.",
        p.survey.source,
        p.survey.respondents,
        actors_label(p)
    );
    let lines = wrap(&source, 13.0, Weight::Regular, WIDTH - 2.0 * MARGIN);
    let top = HEIGHT - MARGIN + 10.0 - lines.len() as f32 * 13.0 * 1.25;
    paragraph(&source, top, 13.0, Weight::Regular, look.muted, items);
    if p.survey.synthetic {
        items.push(text(
            "Données simulées : échantillon synthétique, pas des réponses réelles",
            MARGIN,
            top - 8.0,
            15.0,
            Weight::Bold,
            Anchor::Start,
            look.warning,
        ));
    }
}

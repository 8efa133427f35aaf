//! The legend, in the compact style of French thematic maps (mapsf, Magrit): a title, the
//! class boxes stacked highest on top with the break values written at the joints, then the
//! no-data and insufficient-sample entries set apart, then short notes.

use super::furniture::{rect_item, text, text_width, wrap};
use super::look::Look;
use crate::render::layout::Rect;
use crate::render::scene::{Anchor, Fill, Item, Rgba, Stroke, Weight};

/// A legend line beside one box (no data, insufficient sample).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Swatch fill.
    pub fill: Fill,
    /// Label (`Non renseigné`).
    pub label: String,
    /// Territories in this entry.
    pub count: usize,
}

/// A laid-out legend.
#[derive(Debug, Clone)]
pub struct Legend {
    /// Title lines (wrapped).
    pub title: Vec<String>,
    /// Class fills, lowest class first.
    pub classes: Vec<Fill>,
    /// Territories per class, lowest first; empty: counts are not shown.
    pub counts: Vec<usize>,
    /// Break labels, lowest first (one more than the classes); when they are as many as the
    /// classes (discrete values), each is written at the middle of its box.
    pub ticks: Vec<String>,
    /// Entries set apart below the classes.
    pub extra: Vec<Entry>,
    /// Small notes below (method, n).
    pub notes: Vec<String>,
    /// Base font size, px.
    pub size: f32,
    /// Title font size, px.
    pub title_size: f32,
    /// Text colour.
    pub ink: Rgba,
    /// Swatch outline.
    pub edge: Stroke,
}

/// The entries set apart below the classes: territories without data, and territories
/// hatched for an insufficient sample, each when there are any.
pub(crate) fn set_apart(look: &Look, no_data: usize, insufficient: usize) -> Vec<Entry> {
    let mut extra = Vec::new();
    if no_data > 0 {
        extra.push(Entry {
            fill: Fill::Solid(look.no_data),
            label: look.no_data_label.clone(),
            count: no_data,
        });
    }
    if insufficient > 0 {
        extra.push(Entry {
            fill: look.hatch.clone(),
            label: look.small_sample_label.clone(),
            count: insufficient,
        });
    }
    extra
}

impl Legend {
    /// An empty legend in the fonts and colours of `look` (`u`: the page unit), for the
    /// caller to give its classes, entries and notes.
    pub(crate) fn styled(look: &Look, u: f32) -> Legend {
        Legend {
            title: Vec::new(),
            classes: Vec::new(),
            counts: Vec::new(),
            ticks: Vec::new(),
            extra: Vec::new(),
            notes: Vec::new(),
            size: look.legend,
            title_size: look.legend_title,
            ink: look.ink,
            edge: Stroke {
                color: Rgba::rgb(120, 120, 120),
                width: (0.06 * u).max(0.5),
            },
        }
    }

    fn swatch(&self) -> (f32, f32) {
        (self.size * 1.8, self.size * 1.35)
    }
    fn pad(&self) -> f32 {
        self.size * 0.6
    }
    fn title_size(&self) -> f32 {
        self.title_size
    }
    fn count_size(&self) -> f32 {
        self.size * 0.85
    }
    fn count_text(n: usize) -> String {
        format!("({})", crate::format::fr_integer(n as i64))
    }
    /// A count, right-aligned in the legend box.
    fn count_item(&self, n: usize, at: Rect, baseline: f32, color: Rgba) -> Item {
        let x = at.right() - self.pad();
        text(
            Self::count_text(n),
            x,
            baseline,
            self.count_size(),
            Weight::Regular,
            Anchor::End,
            color,
        )
    }

    /// Width of the counts column, 0 without counts.
    fn counts_width(&self) -> f32 {
        if self.counts.is_empty() {
            return 0.0;
        }
        let all = self
            .counts
            .iter()
            .chain(self.extra.iter().map(|e| &e.count));
        let w = all
            .map(|&n| text_width(&Self::count_text(n), self.count_size(), Weight::Regular))
            .fold(0.0, f32::max);
        w + self.size * 0.8
    }
    fn note_size(&self) -> f32 {
        self.size * 0.82
    }

    /// Wraps the title and notes so the legend is at most `max_w` px wide.
    pub fn fit_width(&mut self, title: &str, notes: &[String], max_w: f32) {
        let inner = max_w - 2.0 * self.pad();
        self.title = wrap(title, self.title_size(), Weight::Bold, inner);
        self.notes = notes
            .iter()
            .flat_map(|n| wrap(n, self.note_size(), Weight::Regular, inner))
            .collect();
    }

    /// Width and height, px, background padding included.
    pub fn size(&self) -> (f32, f32) {
        let (sw, _) = self.swatch();
        let widest = |lines: &mut dyn Iterator<Item = &String>, size: f32, w: Weight| {
            lines.map(|t| text_width(t, size, w)).fold(0.0, f32::max)
        };
        let labels = widest(
            &mut self.ticks.iter().chain(self.extra.iter().map(|e| &e.label)),
            self.size,
            Weight::Regular,
        );
        let rows = sw + self.size * 0.5 + labels + self.counts_width();
        let title = widest(&mut self.title.iter(), self.title_size(), Weight::Bold);
        let notes = widest(&mut self.notes.iter(), self.note_size(), Weight::Regular);
        (rows.max(title).max(notes) + 2.0 * self.pad(), self.height())
    }

    fn height(&self) -> f32 {
        let (_, sh) = self.swatch();
        let mut h =
            2.0 * self.pad() + self.title.len() as f32 * self.title_size() * 1.25 + self.size * 0.6;
        h += self.classes.len() as f32 * sh;
        if !self.extra.is_empty() {
            h += self.extra.len() as f32 * (sh + self.size * 0.5);
        }
        if !self.notes.is_empty() {
            h += self.size * 0.6 + self.notes.len() as f32 * self.note_size() * 1.25;
        }
        h
    }

    /// Items drawing the legend in `at` (its size from [`Legend::size`]).
    pub fn draw(&self, at: Rect) -> Vec<Item> {
        let pad = self.pad();
        let (sw, sh) = self.swatch();
        let bg = Rgba {
            r: 255,
            g: 255,
            b: 255,
            a: 235,
        };
        let mut items = vec![rect_item(Some("legend"), at, Some(Fill::Solid(bg)), None)];
        let x = at.x + pad;
        let lx = x + sw + self.size * 0.5;
        let mut y = at.y + pad;
        for line in &self.title {
            items.push(text(
                line.clone(),
                x,
                y + self.title_size() * 0.95,
                self.title_size(),
                Weight::Bold,
                Anchor::Start,
                self.ink,
            ));
            y += self.title_size() * 1.25;
        }
        y += self.size * 0.6;
        let k = self.classes.len();
        let mid = self.size * 0.36;
        let grey = Rgba::rgb(100, 100, 100);
        for (i, fill) in self.classes.iter().enumerate().rev() {
            let top = y + (k - 1 - i) as f32 * sh;
            items.push(rect_item(
                None,
                Rect::new(x, top, sw, sh),
                Some(fill.clone()),
                Some(self.edge),
            ));
            if self.ticks.len() == k {
                items.push(text(
                    self.ticks[i].clone(),
                    lx,
                    top + sh / 2.0 + mid,
                    self.size,
                    Weight::Regular,
                    Anchor::Start,
                    self.ink,
                ));
            }
            if let Some(&n) = self.counts.get(i) {
                items.push(self.count_item(n, at, top + sh / 2.0 + mid, grey));
            }
        }
        if self.ticks.len() == k + 1 {
            for (j, t) in self.ticks.iter().enumerate() {
                let joint = y + (k - j) as f32 * sh;
                items.push(text(
                    t.clone(),
                    lx,
                    joint + mid,
                    self.size,
                    Weight::Regular,
                    Anchor::Start,
                    self.ink,
                ));
            }
        }
        y += k as f32 * sh;
        for e in &self.extra {
            y += self.size * 0.5;
            items.push(rect_item(
                None,
                Rect::new(x, y, sw, sh),
                Some(e.fill.clone()),
                Some(self.edge),
            ));
            items.push(text(
                e.label.clone(),
                lx,
                y + sh / 2.0 + mid,
                self.size,
                Weight::Regular,
                Anchor::Start,
                self.ink,
            ));
            if !self.counts.is_empty() {
                items.push(self.count_item(e.count, at, y + sh / 2.0 + mid, grey));
            }
            y += sh;
        }
        if !self.notes.is_empty() {
            y += self.size * 0.6;
            for n in &self.notes {
                items.push(text(
                    n.clone(),
                    x,
                    y + self.note_size() * 0.95,
                    self.note_size(),
                    Weight::Regular,
                    Anchor::Start,
                    grey,
                ));
                y += self.note_size() * 1.25;
            }
        }
        items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[Item]) -> Vec<(String, f32)> {
        items
            .iter()
            .filter_map(|i| {
                if let Item::Text(t) = i {
                    Some((t.text.clone(), t.y))
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn ticks_sit_at_joints_highest_on_top_and_everything_fits() {
        let c = |v| Fill::Solid(Rgba::rgb(v, v, v));
        let mut l = Legend {
            title: Vec::new(),
            classes: vec![c(250), c(150), c(50)],
            counts: vec![3, 2, 1],
            ticks: vec!["0".into(), "10".into(), "20".into(), "1 000".into()],
            extra: vec![Entry {
                fill: c(200),
                label: "Non renseigné".into(),
                count: 4,
            }],
            notes: Vec::new(),
            size: 10.0,
            title_size: 11.0,
            ink: Rgba::rgb(0, 0, 0),
            edge: Stroke {
                color: Rgba::rgb(0, 0, 0),
                width: 0.5,
            },
        };
        l.fit_width(
            "Densité de population (hab./km²)",
            &["Discrétisation : quantiles".into()],
            120.0,
        );
        assert!(l.title.len() >= 2, "title wrapped: {:?}", l.title);
        let (w, h) = l.size();
        // Title and notes wrap to the width; only the counts column may add to it.
        assert!(w <= 120.0 + l.counts_width() + 1e-3, "{w}");
        let at = Rect::new(0.0, 0.0, w, h);
        let items = l.draw(at);
        let t = texts(&items);
        let y = |s: &str| {
            t.iter()
                .find(|(x, _)| x == s)
                .map(|(_, y)| *y)
                .unwrap_or(f32::NAN)
        };
        assert!(
            y("1 000") < y("20") && y("20") < y("10") && y("10") < y("0"),
            "{t:?}"
        );
        assert!(
            y("0") < y("Non renseigné") && y("Non renseigné") < y("Discrétisation : quantiles")
        );
        assert!(
            t.iter().all(|(_, ty)| *ty <= h),
            "text inside the box: {t:?} / {h}"
        );
        assert_eq!(y("(4)"), y("Non renseigné"), "count beside its entry");
        assert!(y("(3)") > y("(1)"), "lowest class at the bottom");
    }
}

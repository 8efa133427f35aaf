//! The legend: a title, one swatch per class (highest on top, as a reader scans a
//! thermometer), then the no-data and insufficient-sample entries, then notes.

use super::furniture::{rect_item, text, text_width, wrap};
use super::layout::Rect;
use super::scene::{Anchor, Fill, Item, Rgba, Stroke, Weight};

/// One legend line.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Swatch fill.
    pub fill: Fill,
    /// Label (`12,5 – 20,0 %`, `Non renseigné`).
    pub label: String,
    /// Number of territories in this entry.
    pub count: usize,
}

/// A laid-out legend.
#[derive(Debug, Clone)]
pub struct Legend {
    /// Title lines (wrapped).
    pub title: Vec<String>,
    /// Class entries, in drawing order.
    pub classes: Vec<Entry>,
    /// Entries set apart below the classes (no data, insufficient sample).
    pub extra: Vec<Entry>,
    /// Small notes below (method, closure, n).
    pub notes: Vec<String>,
    /// Base font size, px.
    pub size: f32,
    /// Text colour.
    pub ink: Rgba,
    /// Swatch outline.
    pub edge: Stroke,
    /// Show the count of territories beside each entry.
    pub counts: bool,
}

impl Legend {
    fn swatch(&self) -> (f32, f32) {
        (self.size * 1.7, self.size * 1.15)
    }
    fn row(&self) -> f32 {
        self.size * 1.45
    }
    fn pad(&self) -> f32 {
        self.size * 0.6
    }
    fn count_text(&self, e: &Entry) -> String {
        format!("({})", crate::render::map::fr_int(e.count as f64))
    }
    fn title_size(&self) -> f32 {
        self.size * 1.08
    }
    fn note_size(&self) -> f32 {
        self.size * 0.85
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

    fn count_width(&self) -> f32 {
        if !self.counts {
            return 0.0;
        }
        self.classes
            .iter()
            .chain(&self.extra)
            .map(|e| text_width(&self.count_text(e), self.size * 0.85, Weight::Regular))
            .fold(0.0, f32::max)
    }

    /// Width and height, px, background padding included.
    pub fn size(&self) -> (f32, f32) {
        let (sw, _) = self.swatch();
        let labels = self
            .classes
            .iter()
            .chain(&self.extra)
            .map(|e| text_width(&e.label, self.size, Weight::Regular))
            .fold(0.0, f32::max);
        let cw = self.count_width();
        let rows =
            sw + self.size * 0.5 + labels + if cw > 0.0 { self.size * 0.6 + cw } else { 0.0 };
        let title = self
            .title
            .iter()
            .map(|t| text_width(t, self.title_size(), Weight::Bold))
            .fold(0.0, f32::max);
        let notes = self
            .notes
            .iter()
            .map(|t| text_width(t, self.note_size(), Weight::Regular))
            .fold(0.0, f32::max);
        let w = rows.max(title).max(notes) + 2.0 * self.pad();
        (w, self.height())
    }

    fn height(&self) -> f32 {
        let mut h =
            2.0 * self.pad() + self.title.len() as f32 * self.title_size() * 1.25 + self.size * 0.4;
        h += self.classes.len() as f32 * self.row();
        if !self.extra.is_empty() {
            h += self.size * 0.5 + self.extra.len() as f32 * self.row();
        }
        if !self.notes.is_empty() {
            h += self.size * 0.5 + self.notes.len() as f32 * self.note_size() * 1.25;
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
        y += self.size * 0.4;
        let grey = Rgba::rgb(110, 110, 110);
        let entry = |e: &Entry, y: f32, items: &mut Vec<Item>| {
            let top = y + (self.row() - sh) / 2.0;
            items.push(rect_item(
                None,
                Rect::new(x, top, sw, sh),
                Some(e.fill.clone()),
                Some(self.edge),
            ));
            let base = top + sh / 2.0 + self.size * 0.36;
            items.push(text(
                e.label.clone(),
                x + sw + self.size * 0.5,
                base,
                self.size,
                Weight::Regular,
                Anchor::Start,
                self.ink,
            ));
            if self.counts {
                let ct = self.count_text(e);
                items.push(text(
                    ct,
                    at.right() - pad,
                    base,
                    self.size * 0.85,
                    Weight::Regular,
                    Anchor::End,
                    grey,
                ));
            }
        };
        for e in &self.classes {
            entry(e, y, &mut items);
            y += self.row();
        }
        if !self.extra.is_empty() {
            y += self.size * 0.5;
            for e in &self.extra {
                entry(e, y, &mut items);
                y += self.row();
            }
        }
        if !self.notes.is_empty() {
            y += self.size * 0.5;
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

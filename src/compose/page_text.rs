//! The texts around a page's frames: the header (title, subtitle, « Données simulées ») at
//! the top and the source line at the bottom, the same on a map page and on a figure of
//! small multiples.

use super::furniture::{text_block, wrap};
use super::look::{Look, Units};
use crate::render::scene::{Anchor, Item, Weight};

/// Scene items and the height they take, px.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// Texts, placed on the page.
    pub items: Vec<Item>,
    /// Height from the first line's top to the last line's bottom.
    pub height: f32,
}

/// The source line drawn at the foot of a page: the data's source, then the base map's
/// credit (from the boundaries' metadata, [`crate::boundaries::Boundaries::credit`]).
pub fn source_line(source: &str, credit: &str) -> String {
    format!("Source : {source} ; {credit}")
}

/// Title (bold), subtitle (muted) and, on synthetic data, « Données simulées » (warning
/// colour), wrapped to the page width from its top-left margin; an empty text takes no room.
pub(crate) fn header(
    title: &str,
    subtitle: &str,
    synthetic: bool,
    look: &Look,
    un: Units,
    page_w: f32,
) -> Block {
    let width = page_w - 2.0 * un.margin;
    let lines = [
        (title, look.title, Weight::Bold, look.ink),
        (subtitle, look.subtitle, Weight::Regular, look.muted),
        (
            if synthetic { "Données simulées" } else { "" },
            look.subtitle,
            Weight::Bold,
            look.warning,
        ),
    ];
    let mut out = Block::default();
    for (text, size, weight, color) in lines.into_iter().filter(|l| !l.0.is_empty()) {
        if !out.items.is_empty() {
            out.height += 0.3 * un.u;
        }
        let wrapped = wrap(text, size, weight, width);
        let top = un.margin + out.height;
        let (items, h) = text_block(&wrapped, un.margin, top, size, weight, Anchor::Start, color);
        out.items.extend(items);
        out.height += h;
    }
    out
}

/// The source line (see [`source_line`]), muted, wrapped to the page width and set on the
/// bottom margin.
pub(crate) fn footer(line: &str, look: &Look, un: Units, page_w: f32, page_h: f32) -> Block {
    let size = look.source;
    let lines = wrap(line, size, Weight::Regular, page_w - 2.0 * un.margin);
    let height = lines.len() as f32 * size * 1.25;
    let top = page_h - un.margin - height;
    let (items, _) = text_block(
        &lines,
        un.margin,
        top,
        size,
        Weight::Regular,
        Anchor::Start,
        look.muted,
    );
    Block { items, height }
}

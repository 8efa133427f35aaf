//! Composition: from data, boundaries and a style to a [`Scene`](crate::render::scene::Scene),
//! the display list that [`render`](crate::render)'s backends draw without policy of their
//! own (resvg's split between usvg's tree and its renderers).
//!
//! A page is composed in two steps. First the pieces around the frames are measured, and
//! `arrange()` ([`arrange`]) decides once where everything goes: the header and footer bands, the
//! body between them, the main frame, the overseas and Île-de-France insets, the legend box,
//! the locator and the scale bar ([`arrange::Layout`]). Then each piece returns its scene
//! items for its place: [`page_text`]'s `header()` and `footer()`, [`frames`]'s `frames()`
//! (territories, borders, inset names), `labels()` and `locator()`, and the [`legend`].
//!
//! A map page ([`map::build_scene`]) takes every piece; a figure of [`multiples`] draws each
//! panel without footer or legend and sets one header, legend and footer for the figure; the
//! dashboard takes the frames alone (and has the SVG backend leave out the static titles);
//! the profile's fiche frames France, its overseas insets and its local map with the same
//! [`inset`] and [`arrange`] functions. Nothing is cut out of a finished page afterwards.
//!
//! [`look`] resolves a style to a page's pixels, [`furniture`] holds the text and scale-bar
//! primitives, [`label`] places territory labels.
pub mod arrange;
pub mod frames;
pub mod furniture;
pub mod inset;
pub mod label;
pub mod legend;
pub mod look;
pub mod map;
pub mod multiples;
pub mod page_text;

//! Rendering: the [`scene`] display list and its backends, which draw it without policy of
//! their own: [`raster`] (PNG), [`svg`] and [`pdf`]; [`text`] measures and outlines the
//! labels for all of them. [`map`] builds a choropleth scene: [`layout`] frames the page,
//! [`inset`] places the overseas départements, [`legend`], [`label`] and [`furniture`]
//! (title, source, scale bar) fill it.
pub mod furniture;
pub mod inset;
pub mod label;
pub mod layout;
pub mod legend;
pub mod map;
pub mod multiples;
pub mod pdf;
pub mod raster;
pub mod scene;
mod stroke;
pub mod svg;
pub mod text;

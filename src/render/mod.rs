//! Rendering: the [`scene`] display list and its backends, which draw it without policy of
//! their own: [`raster`] (PNG), [`svg`] and [`pdf`]; [`text`] measures and outlines the
//! labels for all of them.
pub mod pdf;
pub mod raster;
pub mod scene;
pub mod svg;
pub mod text;
pub mod furniture;
pub mod inset;
pub mod label;
pub mod layout;
pub mod legend;
pub mod map;

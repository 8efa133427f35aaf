//! Rendering: the [`scene`] display list and its backends.
pub mod scene;
pub mod furniture;
pub mod inset;
pub mod label;
pub mod layout;
pub mod legend;
pub mod map;

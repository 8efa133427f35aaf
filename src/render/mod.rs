//! Rendering: the [`scene`] display list and its backends.
pub mod furniture;
pub mod inset;
pub mod label;
pub mod layout;
pub mod legend;
pub mod map;
pub mod scene;

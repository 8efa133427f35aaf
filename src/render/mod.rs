//! Rendering: the [`scene`] display list and its backends.
pub mod scene;

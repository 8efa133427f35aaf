//! Map styles: palettes and colours ([`palette`]), and the style files of `styles/`.

pub mod palette;

pub use palette::{Cvd, Kind, Rgb, colorblind_safe, cvd_warnings, diverging_centred, palette};

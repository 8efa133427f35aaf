//! (in progress) French number formatting.
/// placeholder until the classify branch lands
pub fn fr_integer(x: f64) -> String { format!("{x}") }

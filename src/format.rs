//! (in progress) French number formatting.

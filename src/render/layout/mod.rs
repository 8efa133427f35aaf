//! Page geometry of a map, in three parts: `geometry` (page rectangles, projected boxes and
//! frames, a piece of the world drawn into a page rectangle at one scale and projection),
//! `grid` (the grid of exact projections that makes projecting a million vertices cheap) and
//! `placement` (the occupancy grid that tells where land is drawn, and the placement of
//! furniture boxes, legend, scale bar, locator, where they hide no territory).

mod geometry;
mod grid;
mod placement;

pub use geometry::{Bbox, Frame, Rect, border_network, extent, paths, projected_bbox};
pub use placement::{Occupancy, Spot, candidates, place};

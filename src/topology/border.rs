//! The border network of a tiling: the outlines of rings that share their borders exactly (as
//! two neighbouring communes snapped to the same page grid do), as open polylines in which an
//! edge shared by two rings appears once. Stroked over fills that tile, every border then gets
//! one stroke instead of one per neighbour: half the ink work, and a translucent border is as
//! light between neighbours as along the coast.
//!
//! ```
//! use phare::topology::border_network;
//!
//! let square = |x: f32| [[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0]];
//! let (a, b) = (square(0.0), square(1.0));
//! let net = border_network(&[&a[..], &b[..]]);
//! // Seven unit edges: four in each square, the shared one once.
//! assert_eq!(net.iter().map(|run| run.len() - 1).sum::<usize>(), 7);
//! ```

use std::hash::Hasher;

use rayon::prelude::*;
use rustc_hash::{FxHashSet, FxHasher};

/// The outlines of closed `rings` (vertices in order, the first not repeated at the end) as
/// open polylines in which an edge shared by two rings, in either direction, appears once. A
/// ring that shares nothing comes back whole, closed on itself.
pub fn border_network(rings: &[&[[f32; 2]]]) -> Vec<Vec<[f32; 2]>> {
    fn key(p: &[f32; 2]) -> u64 {
        (u64::from(p[0].to_bits()) << 32) | u64::from(p[1].to_bits())
    }
    fn edges(ring: &[[f32; 2]]) -> impl Iterator<Item = (u64, u64)> + '_ {
        let n = ring.len();
        (0..n).map(move |i| (key(&ring[i]), key(&ring[(i + 1) % n])))
    }
    let rings: Vec<&[[f32; 2]]> = rings.iter().copied().filter(|r| r.len() >= 2).collect();
    // FxHash: vertex keys are one word each, where SipHash costs more than the rest of the
    // network and its defence against crafted keys is not needed.
    type Edges = FxHashSet<(u64, u64)>;
    // One set per thread, each holding the edges whose first vertex hashes to it: the sets
    // fill in parallel, and membership does not depend on how many there are.
    let shards = rayon::current_num_threads().max(1);
    let shard_of = |a: u64| {
        let mut h = FxHasher::default();
        h.write_u64(a);
        (h.finish() % shards as u64) as usize
    };
    let total: usize = rings.iter().map(|r| r.len()).sum();
    let seen: Vec<Edges> = (0..shards)
        .into_par_iter()
        .map(|k| {
            let mut set = Edges::with_capacity_and_hasher(total / shards + 1, Default::default());
            for ring in &rings {
                set.extend(edges(ring).filter(|e| shard_of(e.0) == k));
            }
            set
        })
        .collect();
    let runs = rings
        .par_iter()
        .map(|ring| {
            let n = ring.len();
            // Of an edge and its reverse, the ring that runs it towards the larger key draws it.
            let keep: Vec<bool> = edges(ring)
                .map(|(a, b)| a < b || !seen[shard_of(b)].contains(&(b, a)))
                .collect();
            let Some(start) = keep.iter().position(|k| !k) else {
                let mut closed = ring.to_vec();
                closed.push(ring[0]);
                return vec![closed];
            };
            // From the first edge left out, so that no run wraps around the ring's start.
            let mut out = Vec::new();
            let mut run: Vec<[f32; 2]> = Vec::new();
            for i in (1..=n).map(|j| (start + j) % n) {
                if keep[i] {
                    if run.is_empty() {
                        run.push(ring[i]);
                    }
                    run.push(ring[(i + 1) % n]);
                } else if !run.is_empty() {
                    out.push(std::mem::take(&mut run));
                }
            }
            if !run.is_empty() {
                out.push(run);
            }
            out
        })
        .collect::<Vec<_>>();
    runs.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_edges_appear_once() {
        let sq = |x: f32| vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0]];
        let (a, b) = (sq(0.0), sq(1.0));
        let net = border_network(&[&a, &b]);
        // Seven unit edges: eight in both squares, the shared one once.
        let edges: usize = net.iter().map(|s| s.len() - 1).sum();
        assert_eq!(edges, 7, "{net:?}");
        let shared = |s: &Vec<[f32; 2]>| {
            s.windows(2).any(|w| {
                (w[0] == [1.0, 0.0] && w[1] == [1.0, 1.0])
                    || (w[0] == [1.0, 1.0] && w[1] == [1.0, 0.0])
            })
        };
        assert_eq!(net.iter().filter(|s| shared(s)).count(), 1);
        // A ring alone is closed on itself.
        let lone = border_network(&[&a]);
        assert_eq!(
            lone,
            vec![vec![
                [0.0, 0.0],
                [1.0, 0.0],
                [1.0, 1.0],
                [0.0, 1.0],
                [0.0, 0.0]
            ]]
        );
    }
}

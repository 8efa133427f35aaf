//! Integration tests, one module per pipeline stage, linked into a single test binary:
//! one link instead of fifteen keeps a clean `cargo test` quick and its disk footprint small.
//!
//! Tests that need the full ../shared/geodata go through `common::shared_geodata()`: they skip
//! on a bare clone and are mandatory where `PHARE_REQUIRE_SHARED=1` (see `.ci/run`).

mod common;

mod aggregate;
mod atlas;
mod bad_inputs;
mod classify;
mod cli;
mod dashboard;
mod loaders;
mod lookup;
mod map;
mod outputs;
mod profile;
mod projection;
mod render_backends;
mod style;
mod survey;
mod synth;
mod topology;
mod warnings;

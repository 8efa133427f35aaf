//! `phare lookup` (in progress).

/// Options of `phare lookup`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `phare lookup`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("phare lookup is not built yet")
}

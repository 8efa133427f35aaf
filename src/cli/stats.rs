//! `phare stats` (in progress).

/// Options of `phare stats`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `phare stats`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("phare stats is not built yet")
}

//! `phare map` (in progress).

/// Options of `phare map`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `phare map`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("phare map is not built yet")
}

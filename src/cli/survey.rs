//! `phare survey` (in progress).

/// Options of `phare survey`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `phare survey`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("phare survey is not built yet")
}

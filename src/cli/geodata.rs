//! `phare geodata` (in progress).

/// Options of `phare geodata`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `phare geodata`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("phare geodata is not built yet")
}

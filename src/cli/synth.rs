//! `pmpo synth`: a synthetic export of any size, for benchmarks.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};

pub const EXAMPLES: &str = "\
Examples:
  pmpo synth --size 100MB -o big.csv
  pmpo synth --size 2GB -o huge.csv --seed 7";

#[derive(clap::Args)]
pub struct Args {
    /// Size, e.g. 500MB, 2GB, 100KB.
    #[arg(long)]
    pub size: String,
    /// Output file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let bytes = parse_size(&a.size)?;
    let f = std::fs::File::create(&a.output)
        .with_context(|| format!("cannot create {}", a.output.display()))?;
    let st = pmpo::internals::write_synthetic(f, bytes, a.seed)
        .with_context(|| format!("cannot write {}", a.output.display()))?;
    eprintln!(
        "pmpo: wrote {} rows, {} bytes to {}",
        st.rows,
        st.bytes,
        a.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn parse_size(s: &str) -> anyhow::Result<u64> {
    let t = s.trim().to_ascii_uppercase();
    let (num, mult) = if let Some(n) = t.strip_suffix("GB") {
        (n, 1_000_000_000)
    } else if let Some(n) = t.strip_suffix("MB") {
        (n, 1_000_000)
    } else if let Some(n) = t.strip_suffix("KB") {
        (n, 1_000)
    } else {
        (t.as_str(), 1)
    };
    let n: f64 = num
        .trim()
        .parse()
        .with_context(|| format!("not a size: {s:?} (try 500MB)"))?;
    if !n.is_finite() || n < 0.0 {
        bail!("not a size: {s:?} (try 500MB)");
    }
    Ok((n * mult as f64) as u64)
}

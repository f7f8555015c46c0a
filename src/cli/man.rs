//! `pmpo man`: the manual page (roff), from the same definitions as the
//! arguments.

use std::process::ExitCode;

use clap::CommandFactory;

pub const EXAMPLES: &str = "\
Examples:
  pmpo man | man -l -
  pmpo man label | man -l -
  pmpo man > ~/.local/share/man/man1/pmpo.1";

#[derive(clap::Args)]
pub struct Args {
    /// The page of one command (pmpo-COMMAND(1)); pmpo(1) when absent.
    pub command: Option<String>,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let mut cmd = super::Cli::command();
    cmd.build();
    if let Some(name) = &a.command {
        let Some(sub) = cmd.find_subcommand(name).cloned() else {
            anyhow::bail!("no command {name:?}; `pmpo help` lists them");
        };
        cmd = sub.name(format!("pmpo-{name}")).version(pmpo::VERSION);
    }
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    super::shared::stdout(&String::from_utf8_lossy(&buf))?;
    Ok(ExitCode::SUCCESS)
}

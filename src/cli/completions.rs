//! `pmpo completions`: a shell completion script, from the same
//! definitions as the arguments.

use std::process::ExitCode;

use clap::CommandFactory;

pub const EXAMPLES: &str = "\
Examples:
  pmpo completions bash > ~/.local/share/bash-completion/completions/pmpo
  pmpo completions zsh > ~/.zfunc/_pmpo
  pmpo completions fish > ~/.config/fish/completions/pmpo.fish";

#[derive(clap::Args)]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut super::Cli::command(), "pmpo", &mut buf);
    super::shared::stdout(&String::from_utf8_lossy(&buf))?;
    Ok(ExitCode::SUCCESS)
}

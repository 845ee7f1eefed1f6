//! `reroute init NAME --from A --to B`: a new codemod with one move and an example.

use std::io::Write;

use anyhow::Context;
use reroute_engine::spec;
use reroute_run::ExitStatus;

use crate::config;
use crate::render;

/// `reroute init`: writes a codemod with one move and an example, and checks that it loads.
pub fn run(
    args: &crate::cli::InitArgs,
    cwd: &std::path::Path,
    source: &config::ConfigSource,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let folder = config::init_folder(args.dir.as_deref(), cwd, source)?;
    let file = folder.join(format!("{}.toml", args.name));
    if file.exists() {
        anyhow::bail!(
            "{}: already exists; pick another name or edit it",
            file.display()
        );
    }
    let (from, to) = (&args.from, &args.to);
    let text = format!(
        "description = \"{from} moved to {to}\"\n\n[[move]]\nfrom = \"{from}\"\nto = \"{to}\"\n# strings = true         # also mock.patch(\"…\") and import_module(\"…\") targets\n# rename_usages = true   # bind the new name and rename its uses\n\n[[example]]\nbefore = \"import {from}\\n\"\nafter = \"import {to}\\n\"\n"
    );
    // Refuse what would not load (an invalid path) before writing anything.
    spec::parse_codemod(&text, &file, args.name.as_str().into())?;
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("{}: cannot create the folder", folder.display()))?;
    std::fs::write(&file, text).with_context(|| format!("{}: cannot write", file.display()))?;
    writeln!(
        out,
        "wrote {}; run `reroute test` to check its example, then `reroute diff`",
        render::display_path(&file, cwd)
    )?;
    Ok(ExitStatus::Clean)
}

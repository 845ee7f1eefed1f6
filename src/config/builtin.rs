//! The codemods shipped inside the binary (`builtin/*.toml`, embedded at build time), for
//! the big public upgrades: loaded only when asked for, as `--codemods builtin:NAME` (or
//! `[tool.reroute] codemods = ["builtin:NAME"]`); `reroute list` shows them.

use std::path::{Path, PathBuf};

use reroute_engine::spec::{self, Codemod};

use super::SettingsError;

/// One embedded codemod.
pub struct Builtin {
    /// What `builtin:NAME` names.
    pub name: &'static str,
    /// Other names it answers to (`builtin:typing`).
    pub aliases: &'static [&'static str],
    /// The codemod's own name: rule ids, `--select`, suppressions and baselines use it.
    pub codemod: &'static str,
    /// The TOML.
    pub text: &'static str,
}

/// Every embedded codemod, in the order `reroute list` shows them.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "numpy2",
        aliases: &[],
        codemod: "numpy2",
        text: include_str!("../../builtin/numpy2.toml"),
    },
    Builtin {
        name: "airflow3",
        aliases: &[],
        codemod: "airflow3",
        text: include_str!("../../builtin/airflow3.toml"),
    },
    Builtin {
        name: "typing-to-collections-abc",
        aliases: &["typing"],
        codemod: "typing-to-collections-abc",
        text: include_str!("../../builtin/typing-to-collections-abc.toml"),
    },
];

/// The prefix of a source that names an embedded codemod.
pub const PREFIX: &str = "builtin:";

/// The builtin name a source spells (`builtin:numpy2`, also after a configuration file
/// joined it to its folder), when it spells one and no such file exists.
pub fn requested(source: &Path) -> Option<&str> {
    let name = source.file_name()?.to_str()?.strip_prefix(PREFIX)?;
    (!source.exists()).then_some(name)
}

/// The embedded codemod called `name` (or one of its aliases).
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS
        .iter()
        .find(|b| b.name == name || b.aliases.contains(&name))
}

/// Loads the embedded codemod `name`; its `exclude` globs (if any) are relative to `root`.
pub fn load(name: &str, root: &Path) -> Result<Codemod, SettingsError> {
    let builtin = find(name).ok_or_else(|| SettingsError::UnknownBuiltin {
        name: name.to_string(),
        known: BUILTINS
            .iter()
            .map(|b| b.name)
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    let file = PathBuf::from(format!("{PREFIX}{}", builtin.name));
    let mut codemod = spec::parse_codemod(builtin.text, &file, builtin.codemod.into())?;
    codemod.root = root.to_path_buf();
    Ok(codemod)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads_and_has_a_description_and_examples() {
        for builtin in BUILTINS {
            let codemod = load(builtin.name, Path::new("/p")).unwrap();
            assert!(
                codemod
                    .description
                    .as_deref()
                    .is_some_and(|d| d.contains("http")),
                "{}: the description names its source",
                builtin.name
            );
            assert!(codemod.examples.len() >= 3, "{}", builtin.name);
            reroute_engine::RuleSet::new(vec![codemod]).unwrap();
        }
        assert_eq!(find("typing").unwrap().codemod, "typing-to-collections-abc");
        assert!(matches!(
            load("numpy3", Path::new("/p")),
            Err(SettingsError::UnknownBuiltin { .. })
        ));
        assert_eq!(requested(Path::new("/proj/builtin:numpy2")), Some("numpy2"));
        assert_eq!(requested(Path::new("codemods/numpy2.toml")), None);
    }
}

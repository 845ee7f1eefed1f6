//! A codemod's `exclude` patterns, in gitignore syntax (the syntax of `--exclude` too), each
//! relative to the codemod's project root:
//! - a pattern with no `/` but a trailing one matches at any depth (`conftest.py` is every
//!   `conftest.py`; `legacy` every file or folder named `legacy`);
//! - a pattern with a `/` at the start or in the middle is anchored at the root
//!   (`/app/m1.py`, `app/m1.py` and `./app/m1.py` are the same file);
//! - a trailing `/` matches folders only; a folder that matches takes everything under it;
//! - `*` and `?` stay inside one path component, `**` crosses them.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::SpecLocation;

/// One pattern as written, with where it is written and what it matches.
#[derive(Debug, Clone)]
pub struct ExcludePattern {
    /// The pattern as the codemod spells it.
    pub text: String,
    /// Where the codemod spells it.
    pub location: SpecLocation,
    set: GlobSet,
}

impl ExcludePattern {
    /// True when the root-relative path `relative` (`/`-separated) matches.
    pub fn is_match(&self, relative: &std::path::Path) -> bool {
        self.set.is_match(relative)
    }
}

/// A codemod's `exclude` patterns.
#[derive(Debug, Clone, Default)]
pub struct Excludes {
    /// Every pattern, in file order.
    pub patterns: Vec<ExcludePattern>,
    all: GlobSet,
}

impl Excludes {
    /// Compiles `patterns` (text and location each); the error names the pattern.
    pub fn new(
        patterns: Vec<(String, SpecLocation)>,
    ) -> Result<Excludes, (SpecLocation, String, String)> {
        let mut all = GlobSetBuilder::new();
        let mut compiled = Vec::new();
        for (text, location) in patterns {
            let mut one = GlobSetBuilder::new();
            for glob in globs_of(&text) {
                let glob = GlobBuilder::new(&glob)
                    .literal_separator(true)
                    .build()
                    .map_err(|error| (location.clone(), text.clone(), error.kind().to_string()))?;
                one.add(glob.clone());
                all.add(glob);
            }
            let set = one
                .build()
                .map_err(|error| (location.clone(), text.clone(), error.to_string()))?;
            compiled.push(ExcludePattern {
                text,
                location,
                set,
            });
        }
        let all = all.build().map_err(|error| {
            let first = compiled.first().map(|p| p.location.clone());
            (
                first.unwrap_or_else(|| SpecLocation {
                    file: std::path::Path::new("").into(),
                    line: 1,
                    column: 1,
                }),
                String::new(),
                error.to_string(),
            )
        })?;
        Ok(Excludes {
            patterns: compiled,
            all,
        })
    }

    /// True when there is no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// True when the root-relative path `relative` matches some pattern.
    pub fn is_match(&self, relative: &std::path::Path) -> bool {
        self.all.is_match(relative)
    }
}

/// The globs a gitignore-style pattern stands for: the path itself and everything under it
/// (a folder that matches takes its files), anchored or at any depth.
fn globs_of(pattern: &str) -> Vec<String> {
    let mut text = pattern.trim();
    let anchored_dot = text.strip_prefix("./");
    if let Some(rest) = anchored_dot {
        text = rest;
    }
    let folder_only = text.len() > 1 && text.ends_with('/');
    let text = text.trim_end_matches('/');
    let anchored = anchored_dot.is_some() || text.contains('/');
    let core = text.trim_start_matches('/');
    let base = if anchored {
        core.to_string()
    } else {
        format!("**/{core}")
    };
    if folder_only {
        vec![format!("{base}/**")]
    } else {
        vec![base.clone(), format!("{base}/**")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn excludes(patterns: &[&str]) -> Excludes {
        let location = SpecLocation {
            file: Path::new("c.toml").into(),
            line: 1,
            column: 1,
        };
        Excludes::new(
            patterns
                .iter()
                .map(|p| (p.to_string(), location.clone()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn gitignore_anchoring() {
        let anywhere = excludes(&["conftest.py"]);
        assert!(anywhere.is_match(Path::new("conftest.py")));
        assert!(anywhere.is_match(Path::new("tests/unit/conftest.py")));
        assert!(!anywhere.is_match(Path::new("tests/conftest_helpers.py")));
        for anchored in ["/app/m1.py", "app/m1.py", "./app/m1.py"] {
            let set = excludes(&[anchored]);
            assert!(set.is_match(Path::new("app/m1.py")), "{anchored}");
            assert!(!set.is_match(Path::new("lib/app/m1.py")), "{anchored}");
        }
        let folder = excludes(&["legacy/"]);
        assert!(folder.is_match(Path::new("src/legacy/a.py")));
        assert!(!folder.is_match(Path::new("src/legacy.py")));
        let star = excludes(&["tests/*.py"]);
        assert!(star.is_match(Path::new("tests/a.py")));
        assert!(
            !star.is_match(Path::new("tests/sub/a.py")),
            "* stays in one folder"
        );
        let deep = excludes(&["tests/legacy/**"]);
        assert!(deep.is_match(Path::new("tests/legacy/a/b.py")));
    }
}

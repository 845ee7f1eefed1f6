//! Version tiers: a move's `requires = "numpy>=2"`, and what a project declares it needs
//! (`[project] dependencies`, `requires-python`, Poetry's dependency table), to tell
//! whether the project already excludes the versions where the new name is missing.

use std::cmp::Ordering;
use std::fmt;

/// A release number, compared segment by segment with missing segments as zero
/// (`2` == `2.0.0`); pre-release and local tags are ignored.
#[derive(Debug, Clone)]
pub struct Version(Vec<u64>);

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Version {}

impl Version {
    /// Reads the release part of a version (`2`, `1.25.0`, `3.0.0rc1` reads `3.0.0`,
    /// `2.*` reads `2`); `None` when it does not start with a number.
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim().trim_start_matches(['v', 'V']);
        let mut segments = Vec::new();
        for part in text.split('.') {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            if digits.is_empty() {
                break;
            }
            segments.push(digits.parse().ok()?);
            if digits.len() != part.len() {
                break;
            }
        }
        (!segments.is_empty()).then_some(Version(segments))
    }

    fn segment(&self, index: usize) -> u64 {
        self.0.get(index).copied().unwrap_or(0)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.0.len().max(other.0.len());
        (0..len)
            .map(|i| self.segment(i).cmp(&other.segment(i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u64::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

/// What a tiered move needs: `package>=minimum` (`python>=3.9` for the interpreter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The distribution's normalised name (`apache-airflow`, `python`).
    pub package: String,
    /// The first version that has the new name.
    pub minimum: Version,
}

impl Requirement {
    /// Reads `name>=version`, the only form a codemod's `requires` takes.
    pub fn parse(text: &str) -> Option<Requirement> {
        let (name, version) = text.split_once(">=")?;
        let package = normalise(name.trim())?;
        let minimum = Version::parse(version).filter(|_| {
            version
                .trim()
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
        })?;
        Some(Requirement { package, minimum })
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}>={}", self.package, self.minimum)
    }
}

/// A distribution name as PEP 503 compares them: lower case, runs of `-_.` as one `-`.
/// `None` when it is not a name.
pub fn normalise(name: &str) -> Option<String> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return None;
    }
    let mut out = String::new();
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    Some(out)
}

/// The lowest version a set of specifiers (`>=2,<3`, `==2.1.*`, `~=2.0`, `^2.0`) allows,
/// as far as its lower bounds tell; `None` when nothing bounds it from below.
pub fn lower_bound(specifiers: &str) -> Option<Version> {
    specifiers
        .split(',')
        .filter_map(|spec| {
            let spec = spec.trim();
            let version = ["===", "==", ">=", "~=", ">", "^", "~"]
                .iter()
                .find_map(|op| spec.strip_prefix(op))
                .or_else(|| {
                    // Poetry's bare version (`"2.0"`) means `^2.0`.
                    spec.starts_with(|c: char| c.is_ascii_digit())
                        .then_some(spec)
                })?;
            Version::parse(version)
        })
        .max()
}

/// What a project declares it runs on: each distribution it depends on with the lowest
/// version its specifiers allow (`None`: no lower bound), and `requires-python`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared {
    entries: Vec<(String, Option<Version>)>,
}

impl Declared {
    /// Reads `pyproject.toml` text: `[project] dependencies` and `requires-python`, and
    /// Poetry's `[tool.poetry.dependencies]` (`python` included). Anything it cannot read
    /// declares nothing.
    pub fn from_pyproject(text: &str) -> Declared {
        let mut declared = Declared::default();
        let Ok(table) = text.parse::<toml::Table>() else {
            return declared;
        };
        let project = table.get("project").and_then(toml::Value::as_table);
        if let Some(project) = project {
            let dependencies = project.get("dependencies").and_then(toml::Value::as_array);
            for dependency in dependencies.into_iter().flatten() {
                if let Some(text) = dependency.as_str() {
                    declared.add_pep508(text);
                }
            }
            if let Some(python) = project.get("requires-python").and_then(|v| v.as_str()) {
                declared
                    .entries
                    .push(("python".to_string(), lower_bound(python)));
            }
        }
        let poetry = table
            .get("tool")
            .and_then(|tool| tool.get("poetry"))
            .and_then(|poetry| poetry.get("dependencies"))
            .and_then(toml::Value::as_table);
        for (name, value) in poetry.into_iter().flatten() {
            let specifiers = match value {
                toml::Value::String(text) => Some(text.as_str()),
                toml::Value::Table(table) => table.get("version").and_then(|v| v.as_str()),
                _ => None,
            };
            if let Some(package) = normalise(name) {
                let bound = specifiers.and_then(lower_bound);
                declared.entries.push((package, bound));
            }
        }
        declared
    }

    /// Adds one PEP 508 dependency (`numpy>=2,<3; python_version>"3.9"`).
    fn add_pep508(&mut self, text: &str) {
        let text = text.split(';').next().unwrap_or("");
        let end = text
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(text.len());
        let Some(package) = normalise(text[..end].trim()) else {
            return;
        };
        let mut rest = text[end..].trim_start();
        if rest.starts_with('[') {
            rest = rest.split_once(']').map_or("", |(_, after)| after);
        }
        let rest = rest.trim().trim_start_matches('(').trim_end_matches(')');
        self.entries.push((package, lower_bound(rest)));
    }

    /// True when every declaration of the requirement's package excludes the versions
    /// below its minimum (and there is at least one).
    pub fn satisfies(&self, requirement: &Requirement) -> bool {
        let mut bounds = self
            .entries
            .iter()
            .filter(|(package, _)| *package == requirement.package)
            .peekable();
        bounds.peek().is_some()
            && bounds.all(|(_, bound)| bound.as_ref().is_some_and(|b| *b >= requirement.minimum))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requirement(text: &str) -> Requirement {
        Requirement::parse(text).unwrap()
    }

    #[test]
    fn reads_requirements_and_versions() {
        assert_eq!(requirement("NumPy >= 2").to_string(), "numpy>=2");
        assert_eq!(requirement("apache_airflow>=3.0").package, "apache-airflow");
        assert!(Requirement::parse("numpy>2").is_none());
        assert!(Requirement::parse("numpy>=two").is_none());
        assert!(Version::parse("2").unwrap() == Version::parse("2.0.0").unwrap());
        assert!(Version::parse("1.26.4").unwrap() < Version::parse("2").unwrap());
        assert_eq!(Version::parse("3.0.0rc1").unwrap().to_string(), "3.0.0");
        assert_eq!(lower_bound(">=1.22,<3").unwrap().to_string(), "1.22");
        assert_eq!(lower_bound("==2.1.*").unwrap().to_string(), "2.1");
        assert_eq!(lower_bound("<3"), None);
    }

    #[test]
    fn a_project_satisfies_only_what_it_bounds_from_below() {
        let declared = Declared::from_pyproject(
            "[project]\nrequires-python = \">=3.9\"\ndependencies = [\"NumPy>=2.0,<3\", \
             \"scipy[io] >=1.13; python_version>'3.9'\", \"pandas\", \"numba<1\"]\n",
        );
        assert!(declared.satisfies(&requirement("numpy>=2")));
        assert!(!declared.satisfies(&requirement("numpy>=2.1")));
        assert!(declared.satisfies(&requirement("scipy>=1.13")));
        assert!(!declared.satisfies(&requirement("pandas>=2")));
        assert!(!declared.satisfies(&requirement("numba>=0.1")));
        assert!(!declared.satisfies(&requirement("apache-airflow>=3")));
        assert!(declared.satisfies(&requirement("python>=3.9")));
        assert!(!declared.satisfies(&requirement("python>=3.10")));
        let two_ways = Declared::from_pyproject(
            "[project]\ndependencies = [\"numpy>=2; python_version>='3.10'\", \
             \"numpy>=1.24; python_version<'3.10'\"]\n",
        );
        assert!(!two_ways.satisfies(&requirement("numpy>=2")));
        let poetry = Declared::from_pyproject(
            "[tool.poetry.dependencies]\npython = \"^3.10\"\nnumpy = {version = \"^2.0\"}\n\
             apache-airflow = \"2.9.*\"\n",
        );
        assert!(poetry.satisfies(&requirement("numpy>=2")));
        assert!(poetry.satisfies(&requirement("python>=3.9")));
        assert!(!poetry.satisfies(&requirement("apache-airflow>=3")));
        assert_eq!(Declared::from_pyproject("not toml ["), Declared::default());
    }
}

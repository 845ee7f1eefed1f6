//! No module cycle anywhere in the workspace (issue 17), checked at two levels: one node per
//! module file, and one node per folder module (every module folded into its top-level
//! module). Edges are `crate::` and `super::` paths outside `#[cfg(test)]` items; a parent's
//! bare `child::` paths and `self::` are its own business and not edges.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One crate's modules: module path (`["plan", "usages"]`) → source text without test items.
struct Crate {
    name: String,
    modules: BTreeMap<Vec<String>, String>,
}

fn workspace_crates() -> Vec<Crate> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut crates = vec![load_crate("reroute", &root.join("src"))];
    if let Ok(entries) = std::fs::read_dir(root.join("crates")) {
        let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        dirs.sort();
        for dir in dirs {
            if dir.join("src").is_dir() {
                let name = dir.file_name().unwrap().to_string_lossy().into_owned();
                crates.push(load_crate(&name, &dir.join("src")));
            }
        }
    }
    crates
}

fn load_crate(name: &str, src: &Path) -> Crate {
    let mut modules = BTreeMap::new();
    let root_file = if src.join("lib.rs").exists() {
        src.join("lib.rs")
    } else {
        src.join("main.rs")
    };
    load_module(&root_file, Vec::new(), &mut modules);
    // A binary crate with a lib.rs has main.rs as a second root; it only calls the library.
    Crate {
        name: name.to_owned(),
        modules,
    }
}

/// Reads a module file, strips test items, records it, and follows its `mod x;` lines.
fn load_module(file: &Path, path: Vec<String>, out: &mut BTreeMap<Vec<String>, String>) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let code = strip_tests(&strip_comments_and_strings(&text));
    let dir = match file.file_name().and_then(|n| n.to_str()) {
        Some("mod.rs" | "lib.rs" | "main.rs") => file.parent().unwrap().to_path_buf(),
        _ => file.with_extension(""),
    };
    let children = child_mods(&code);
    out.insert(path.clone(), code);
    for child in children {
        let candidates = [
            dir.join(format!("{child}.rs")),
            dir.join(&child).join("mod.rs"),
        ];
        let found = candidates.iter().find(|c| c.exists());
        let found =
            found.unwrap_or_else(|| panic!("module {child} of {} not found", file.display()));
        let mut child_path = path.clone();
        child_path.push(child);
        load_module(found, child_path, out);
    }
}

/// Blanks comments, string and char literals (keeps lengths), so paths in them are not edges.
fn strip_comments_and_strings(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(if b[i] == b'\n' { b'\n' } else { b' ' });
                    i += 1;
                }
            }
        } else if b[i] == b'r'
            && (b[i..].starts_with(b"r\"") || b[i..].starts_with(b"r#"))
            && (i == 0 || !is_ident(b[i - 1]))
        {
            let mut j = i + 1;
            let mut hashes = 0;
            while j < b.len() && b[j] == b'#' {
                hashes += 1;
                j += 1;
            }
            if j < b.len() && b[j] == b'"' {
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                let mut k = j + 1;
                while k < b.len() && !b[k..].starts_with(&close) {
                    k += 1;
                }
                let end = (k + close.len()).min(b.len());
                out.extend(
                    b[i..end]
                        .iter()
                        .map(|&c| if c == b'\n' { b'\n' } else { b' ' }),
                );
                i = end;
            } else {
                out.push(b[i]);
                i += 1;
            }
        } else if b[i] == b'"' {
            out.push(b' ');
            i += 1;
            while i < b.len() && b[i] != b'"' {
                let step = if b[i] == b'\\' { 2 } else { 1 };
                for _ in 0..step.min(b.len() - i) {
                    out.push(if b[i] == b'\n' { b'\n' } else { b' ' });
                    i += 1;
                }
            }
            out.push(b' ');
            i += 1;
        } else if b[i] == b'\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a): only blank the former.
            let rest = &b[i + 1..];
            let len = if rest.first() == Some(&b'\\') {
                rest.iter().position(|&c| c == b'\'').map(|p| p + 1)
            } else if rest.len() >= 2 && rest[1] == b'\'' {
                Some(2)
            } else {
                None
            };
            match len {
                Some(n) => {
                    out.extend(std::iter::repeat_n(b' ', n + 1));
                    i += n + 1;
                }
                None => {
                    out.push(b'\'');
                    i += 1;
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Removes every item behind `#[cfg(test)]` (a `mod x;`, a `mod x { .. }`, a fn, a use).
fn strip_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let b = &rest.as_bytes()[at..];
        let mut i = "#[cfg(test)]".len();
        let mut depth = 0usize;
        while i < b.len() {
            match b[i] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                b';' if depth == 0 => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        rest = &rest[at + i.min(b.len())..];
    }
    out.push_str(rest);
    out
}

/// The `mod x;` declarations of a module (its file children).
fn child_mods(code: &str) -> Vec<String> {
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ';' || c == '{'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut children = Vec::new();
    for pair in words.windows(2) {
        if pair[0] == "mod"
            && let Some(name) = pair[1].strip_suffix(';')
        {
            children.push(name.to_owned());
        }
    }
    children
}

/// Every `crate::…` and `super::…` path in a module, brace groups expanded, as absolute
/// segment lists.
fn paths(module: &[String], code: &str) -> Vec<Vec<String>> {
    let tokens = tokenize(code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let starts = (t == "crate" || t == "super")
            && tokens.get(i + 1).map(String::as_str) == Some("::")
            && (i == 0 || tokens[i - 1] != "::");
        if starts {
            let mut base: Vec<String> = if t == "crate" {
                Vec::new()
            } else {
                module[..module.len().saturating_sub(1)].to_vec()
            };
            i += 2;
            while tokens.get(i).map(String::as_str) == Some("super")
                && tokens.get(i + 1).map(String::as_str) == Some("::")
            {
                base.pop();
                i += 2;
            }
            i = path_tree(&tokens, i, base, &mut out);
        } else {
            i += 1;
        }
    }
    out
}

/// Reads `a::b::{c, d::e}` from `i`, pushing each full path; returns the index after it.
fn path_tree(
    tokens: &[String],
    mut i: usize,
    mut base: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                loop {
                    match tokens.get(i).map(String::as_str) {
                        Some("}") => return i + 1,
                        Some(",") => i += 1,
                        None => return i,
                        _ => i = path_tree(tokens, i, base.clone(), out),
                    }
                }
            }
            Some(word) if word.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                if word != "self" {
                    base.push(word.to_owned());
                }
                i += 1;
                if tokens.get(i).map(String::as_str) == Some("::") {
                    i += 1;
                    continue;
                }
                out.push(base);
                return i;
            }
            _ => {
                out.push(base);
                return i;
            }
        }
    }
}

fn tokenize(code: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            let mut end = at + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            tokens.push(code[at..end].to_owned());
        } else if c == ':' && chars.peek().map(|&(_, d)| d) == Some(':') {
            chars.next();
            tokens.push("::".to_owned());
        } else if !c.is_whitespace() {
            tokens.push(c.to_string());
        }
    }
    tokens
}

/// The module a path lands in: its longest prefix that is a module of the crate.
fn resolve(path: &[String], modules: &BTreeMap<Vec<String>, String>) -> Vec<String> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains_key(p))
        .unwrap_or_default()
}

type Graph = BTreeMap<String, BTreeSet<String>>;

fn graphs(krate: &Crate) -> (Graph, Graph) {
    let name = |p: &[String]| {
        if p.is_empty() {
            format!("{}::<root>", krate.name)
        } else {
            format!("{}::{}", krate.name, p.join("::"))
        }
    };
    let mut files = Graph::new();
    let mut folders = Graph::new();
    for (module, code) in &krate.modules {
        files.entry(name(module)).or_default();
        for path in paths(module, code) {
            let target = resolve(&path, &krate.modules);
            if target != *module {
                files.entry(name(module)).or_default().insert(name(&target));
            }
            let (from, to) = (module.first(), target.first());
            if from != to
                && let (Some(from), Some(to)) = (from, to)
            {
                folders
                    .entry(name(std::slice::from_ref(from)))
                    .or_default()
                    .insert(name(std::slice::from_ref(to)));
            }
        }
    }
    (files, folders)
}

/// Strongly connected components of more than one node (Tarjan), each sorted.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(edges) = s.graph.get(v) {
            for w in edges {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn describe(graph: &Graph, component: &[String]) -> String {
    let members: BTreeSet<&String> = component.iter().collect();
    let mut lines = Vec::new();
    for from in component {
        for to in graph.get(from).into_iter().flatten() {
            if members.contains(to) {
                lines.push(format!("    {from} -> {to}"));
            }
        }
    }
    lines.join("\n")
}

#[test]
fn no_module_cycles_at_file_or_folder_level() {
    let mut problems = Vec::new();
    for krate in workspace_crates() {
        assert!(
            krate.modules.len() > 1 || krate.name != "reroute",
            "no modules read"
        );
        let (files, folders) = graphs(&krate);
        for (level, graph) in [("file", &files), ("folder", &folders)] {
            for component in cycles(graph) {
                problems.push(format!(
                    "{level}-level cycle in {}:\n{}",
                    krate.name,
                    describe(graph, &component)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn the_checker_sees_a_cycle_and_a_test_only_edge() {
    let code_a = strip_tests(&strip_comments_and_strings(
        "use crate::b::{X, c::Y};\n// crate::z::W\n#[cfg(test)]\nmod tests { use crate::t::T; }\n",
    ));
    let modules: BTreeMap<Vec<String>, String> = [
        (vec!["a".to_owned()], code_a),
        (vec!["b".to_owned()], "fn f() { super::a::g(); }".to_owned()),
        (vec!["b".to_owned(), "c".to_owned()], String::new()),
        (vec!["t".to_owned()], "use crate::a::A;".to_owned()),
    ]
    .into_iter()
    .collect();
    let krate = Crate {
        name: "demo".to_owned(),
        modules,
    };
    let (files, folders) = graphs(&krate);
    assert_eq!(
        cycles(&files),
        vec![vec!["demo::a".to_owned(), "demo::b".to_owned()]]
    );
    assert_eq!(cycles(&folders).len(), 1);
    // The test-only edge to `t` and the comment's `crate::z` were not read.
    assert!(!files["demo::a"].contains("demo::t"));
    assert_eq!(files["demo::a"].len(), 2, "{:?}", files["demo::a"]);
}

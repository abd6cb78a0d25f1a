//! The arrows of docs/ARCHITECTURE.md, checked on the source: `http` reaches storage
//! only through services, services and what they build on never see axum, only
//! `federation` writes ActivityStreams `"type"`s, and no two files depend on each other
//! in a circle. A change that breaks an arrow fails here, naming the file.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// A module path (`["services", "threads"]`) and its file's code, comments, string
/// literals and the unit tests at its end removed.
struct Module {
    path: Vec<String>,
    file: PathBuf,
    /// `mod.rs` / `lib.rs`: `super::` leaves the folder.
    is_folder: bool,
    code: String,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn modules() -> Vec<Module> {
    let mut files = Vec::new();
    collect(&src(), &mut files);
    files
        .into_iter()
        .filter(|f| !f.starts_with(src().join("bin")))
        .map(|file| {
            let rel = file.strip_prefix(src()).expect("under src");
            let mut path: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let is_folder = matches!(path.last().map(String::as_str), Some("mod" | "lib"));
            if matches!(
                path.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                path.pop();
            }
            let text = fs::read_to_string(&file).expect("readable source");
            Module {
                path,
                is_folder,
                code: code_of(&text),
                file,
            }
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code without comments, with every string literal emptied, and without the
/// `#[cfg(test)] mod tests` at the end (tests may reach anywhere).
fn code_of(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map(|e| e + 2).unwrap_or(rest.len());
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].chars().take_while(|c| *c == '#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            i += body
                + rest[body..]
                    .find(&close)
                    .map(|e| e + close.len())
                    .unwrap_or(0);
            out.push_str("\"\"");
        } else if rest.starts_with('"') {
            let mut j = 1;
            while j < rest.len() {
                match rest.as_bytes()[j] {
                    b'\\' => j += 2,
                    b'"' => break,
                    _ => j += 1,
                }
            }
            i += j + 1;
            out.push_str("\"\"");
        } else if rest.starts_with("'\"'") {
            i += 3;
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            i += c.len_utf8();
        }
    }
    match out.find("#[cfg(test)]\nmod tests") {
        Some(at) => out[..at].to_string(),
        None => out,
    }
}

/// Like `code_of`, but keeping the string literals (to find `"type"` keys).
fn code_with_strings(file: &Path) -> String {
    let text = fs::read_to_string(file).expect("readable source");
    let without_comments: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    match without_comments.find("#[cfg(test)]\nmod tests") {
        Some(at) => without_comments[..at].to_string(),
        None => without_comments,
    }
}

/// Expands the path starting at `at` (`crate::a::{b, c::{d, e}}`) into full paths.
fn paths_at(code: &str, at: usize) -> Vec<Vec<String>> {
    fn tree(s: &[u8], i: &mut usize) -> Vec<Vec<String>> {
        let mut segs: Vec<String> = Vec::new();
        loop {
            while *i < s.len() && s[*i].is_ascii_whitespace() {
                *i += 1;
            }
            if *i < s.len() && s[*i] == b'{' {
                *i += 1;
                let mut all = Vec::new();
                loop {
                    while *i < s.len() && (s[*i].is_ascii_whitespace() || s[*i] == b',') {
                        *i += 1;
                    }
                    if *i >= s.len() || s[*i] == b'}' {
                        *i += 1;
                        break;
                    }
                    for sub in tree(s, i) {
                        let mut full = segs.clone();
                        full.extend(sub);
                        all.push(full);
                    }
                }
                return all;
            }
            let start = *i;
            while *i < s.len() && (s[*i].is_ascii_alphanumeric() || s[*i] == b'_') {
                *i += 1;
            }
            if start == *i {
                return vec![segs];
            }
            segs.push(String::from_utf8_lossy(&s[start..*i]).into_owned());
            if s[*i..].starts_with(b"::") {
                *i += 2;
            } else {
                // `path as name`: the name is not part of the path.
                let mut j = *i;
                while j < s.len() && s[j].is_ascii_whitespace() {
                    j += 1;
                }
                if s[j..].starts_with(b"as")
                    && s.get(j + 2).is_some_and(|c| c.is_ascii_whitespace())
                {
                    j += 2;
                    while j < s.len() && s[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    while j < s.len() && (s[j].is_ascii_alphanumeric() || s[j] == b'_') {
                        j += 1;
                    }
                    *i = j;
                }
                return vec![segs];
            }
        }
    }
    let mut i = at;
    tree(code.as_bytes(), &mut i)
}

/// Which files each file names through `crate::`, `super::` or `self::` paths.
fn dependencies(modules: &[Module]) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let known: BTreeSet<&Vec<String>> = modules.iter().map(|m| &m.path).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for m in modules {
        let code = m.code.as_bytes();
        for prefix in ["crate::", "super::", "self::"] {
            for (at, _) in m.code.match_indices(prefix) {
                if at > 0 && (code[at - 1].is_ascii_alphanumeric() || code[at - 1] == b':') {
                    continue;
                }
                for segs in paths_at(&m.code, at) {
                    let mut here = m.path.clone();
                    for (k, seg) in segs.iter().enumerate() {
                        match seg.as_str() {
                            "crate" if k == 0 => here.clear(),
                            "self" if k == 0 => {
                                if !m.is_folder {
                                    here = m.path.clone();
                                }
                            }
                            "super" => {
                                if k == 0 && !m.is_folder {
                                    here.pop();
                                }
                                here.pop();
                            }
                            other => here.push(other.to_string()),
                        }
                    }
                    let target = (0..=here.len())
                        .rev()
                        .map(|n| here[..n].to_vec())
                        .find(|p| known.contains(p));
                    if let Some(target) = target {
                        if target != m.path && !target.is_empty() {
                            edges.entry(m.path.clone()).or_default().insert(target);
                        }
                    }
                }
            }
        }
    }
    edges
}

fn shown(path: &[String]) -> String {
    format!("crate::{}", path.join("::"))
}

#[test]
fn http_reaches_storage_only_through_services() {
    let offenders: Vec<String> = modules()
        .iter()
        .filter(|m| m.path.first().is_some_and(|p| p == "http"))
        .filter(|m| m.code.contains("storage::"))
        .map(|m| m.file.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "http queries storage: {offenders:?}");
}

#[test]
fn services_and_what_they_build_on_never_see_axum() {
    let offenders: Vec<String> = modules()
        .iter()
        .filter(|m| {
            m.path.first().is_some_and(|p| {
                [
                    "services",
                    "runtime",
                    "storage",
                    "domain",
                    "moderation",
                    "blocklists",
                ]
                .contains(&p.as_str())
            }) || m.path == ["error"]
                || m.path
                    .starts_with(&["federation".into(), "protocol".into()])
        })
        .filter(|m| m.code.contains("axum"))
        .map(|m| m.file.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "these see axum: {offenders:?}");
}

#[test]
fn only_federation_writes_activitystreams_types() {
    let offenders: Vec<String> = modules()
        .iter()
        .filter(|m| m.path.first().is_some_and(|p| p != "federation"))
        .filter(|m| code_with_strings(&m.file).contains("\"type\":"))
        .map(|m| m.file.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "ActivityStreams JSON built outside federation: {offenders:?}"
    );
}

#[test]
fn no_two_files_depend_on_each_other_in_a_circle() {
    let modules = modules();
    let edges = dependencies(&modules);
    // Tarjan's strongly connected components: any of more than one file is a circle.
    struct Walk<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<Vec<String>, usize>,
        low: BTreeMap<Vec<String>, usize>,
        stack: Vec<Vec<String>>,
        circles: Vec<Vec<String>>,
    }
    impl Walk<'_> {
        fn visit(&mut self, v: &Vec<String>) {
            let n = self.index.len();
            self.index.insert(v.clone(), n);
            self.low.insert(v.clone(), n);
            self.stack.push(v.clone());
            let next: Vec<Vec<String>> = self
                .edges
                .get(v)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
            for w in next {
                if !self.index.contains_key(&w) {
                    self.visit(&w);
                    let low = self.low[v].min(self.low[&w]);
                    self.low.insert(v.clone(), low);
                } else if self.stack.contains(&w) {
                    let low = self.low[v].min(self.index[&w]);
                    self.low.insert(v.clone(), low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut circle = Vec::new();
                while let Some(w) = self.stack.pop() {
                    let done = &w == v;
                    circle.push(shown(&w));
                    if done {
                        break;
                    }
                }
                if circle.len() > 1 {
                    circle.sort();
                    self.circles.push(circle);
                }
            }
        }
    }
    let mut walk = Walk {
        edges: &edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        circles: Vec::new(),
    };
    for m in &modules {
        if !walk.index.contains_key(&m.path) {
            walk.visit(&m.path);
        }
    }
    assert!(walk.circles.is_empty(), "circles: {:#?}", walk.circles);
}

#[test]
fn the_checker_sees_paths_and_circles() {
    let code = code_of("use crate::a::{b, c::{d, e as f}};\n// crate::x::y\nlet s = \"crate::z\";");
    assert!(!code.contains("crate::x") && !code.contains("crate::z"));
    let at = code.find("crate::").expect("a path");
    let paths: Vec<String> = paths_at(&code, at).iter().map(|p| p.join("::")).collect();
    assert_eq!(paths, ["crate::a::b", "crate::a::c::d", "crate::a::c::e"]);
}

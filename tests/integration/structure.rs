//! The app's modules depend only downward (README, "Where things live"): shared modules
//! never reach into a feature, and features form a layered order with no cycle. Read
//! from the `crate::…` paths of `app/src`, comments left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Modules every feature may use. Among themselves they may depend on each other as long
/// as there is no cycle; none of them may name a feature or the top.
const SHARED: &[&str] = &["i18n", "error", "domain", "time", "rules", "prefs", "ssr", "security", "calendar", "components"];

/// The features, lowest first: each may use the shared modules and the features before it.
const FEATURES: &[&str] = &["guides", "stations", "booking", "queue", "cases", "ratings", "feedback", "assist", "oversight", "accounts", "staff", "pages"];

/// Composition over the features: the router, the nightly jobs, the demo data.
const TOP: &[&str] = &["app", "jobs", "seed"];

/// Module → modules it names, with a file where it does.
type Edges = BTreeMap<String, BTreeMap<String, String>>;

fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let module = first.strip_suffix(".rs").unwrap_or(first);
    (module != "lib").then(|| module.to_owned())
}

/// The first segments of the paths after each `crate::` in `code`:
/// `crate::a::b`, `crate::{a, b::{c, d}}` → a, b.
fn named_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let (mut depth, mut item_start) = (0, true);
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_ascii_alphanumeric() || c == '_') => {
                        let name: String = group[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                        found.push(name);
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

fn read_edges(src: &Path) -> Edges {
    let mut edges = Edges::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read app/src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("inside app/src");
            let Some(module) = module_of(relative) else { continue };
            let text = std::fs::read_to_string(&path).expect("read source");
            let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
            for named in named_modules(&code) {
                if named != module {
                    edges.entry(module.clone()).or_default().entry(named).or_insert_with(|| relative.display().to_string());
                }
            }
        }
    }
    edges
}

/// Every edge against the layering, as sentences.
fn violations(edges: &Edges) -> Vec<String> {
    let rank = |m: &str| FEATURES.iter().position(|f| *f == m);
    let mut wrong = Vec::new();
    for (from, targets) in edges {
        for (to, file) in targets {
            let shared_to = SHARED.contains(&to.as_str());
            let known = shared_to || rank(to).is_some() || TOP.contains(&to.as_str());
            let allowed = if SHARED.contains(&from.as_str()) {
                shared_to
            } else if let Some(r) = rank(from) {
                shared_to || rank(to).is_some_and(|t| t < r)
            } else if TOP.contains(&from.as_str()) {
                !TOP.contains(&to.as_str()) || from == "app"
            } else {
                wrong.push(format!("app/src/{file}: module `{from}` is in no layer of tests/integration/structure.rs"));
                continue;
            };
            if known && !allowed {
                wrong.push(format!("app/src/{file}: `{from}` uses `{to}`, which is not below it"));
            }
        }
    }
    // Shared modules may use each other, but not in a circle.
    let shared: BTreeMap<&str, BTreeSet<&str>> =
        SHARED.iter().map(|m| (*m, edges.get(*m).map(|t| t.keys().map(String::as_str).filter(|n| SHARED.contains(n)).collect()).unwrap_or_default())).collect();
    if let Some(cycle) = find_cycle(&shared) {
        wrong.push(format!("shared modules import each other in a circle: {}", cycle.join(" → ")));
    }
    wrong
}

fn find_cycle<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Option<Vec<&'a str>> {
    fn visit<'a>(node: &'a str, graph: &BTreeMap<&'a str, BTreeSet<&'a str>>, path: &mut Vec<&'a str>, done: &mut BTreeSet<&'a str>) -> Option<Vec<&'a str>> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node);
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[test]
fn modules_depend_only_downward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let edges = read_edges(&src);
    assert!(edges.get("booking").is_some_and(|t| t.contains_key("guides")), "the reader finds the edges it should");
    let wrong = violations(&edges);
    assert!(wrong.is_empty(), "modules that depend upward or in a circle:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_catches_an_upward_import_and_a_circle() {
    assert_eq!(named_modules("use crate::{a::b, c::{d, e}, f};\nlet x = crate::g::h();"), ["a", "c", "f", "g"]);
    let edge = |from: &str, to: &str| (from.to_owned(), BTreeMap::from([(to.to_owned(), format!("{from}/x.rs"))]));
    let upward: Edges = [edge("guides", "booking")].into();
    assert_eq!(violations(&upward).len(), 1, "guides may not reach into booking");
    let shared_to_feature: Edges = [edge("ssr", "cases")].into();
    assert_eq!(violations(&shared_to_feature).len(), 1, "a shared module may not import a feature");
    let circle: Edges = [edge("time", "calendar"), edge("calendar", "time")].into();
    assert!(violations(&circle).iter().any(|w| w.contains("circle")), "shared modules may not import each other in a circle");
    let fine: Edges = [edge("booking", "guides"), edge("calendar", "ssr")].into();
    assert!(violations(&fine).is_empty());
}

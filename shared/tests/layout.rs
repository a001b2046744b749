//! The core's modules form no import cycle (CONTRIBUTING.md, "Where the
//! core's code lives"): each file of `shared/src` is read as text (one in
//! `src/name/` as part of module `name`), its `crate::module` paths outside
//! comments, strings and its test module are its imports, and a walk of that
//! graph finds no way back to where it started.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

#[test]
fn the_core_modules_import_one_another_without_a_cycle() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(graph.len() > 10, "too few modules read: {graph:?}");
    assert!(
        graph["cli"].contains("common"),
        "imports not read: {graph:?}"
    );
    if let Some(cycle) = a_cycle(&graph) {
        panic!("shared/src has an import cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn a_cycle_is_found_and_shown() {
    let graph = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
        .into_iter()
        .fold(Graph::new(), |mut graph, (from, to)| {
            graph.entry(from.into()).or_default().insert(to.into());
            graph.entry(to.into()).or_default();
            graph
        });
    assert_eq!(a_cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    let mut without = graph.clone();
    without.get_mut("c").unwrap().remove("a");
    assert_eq!(a_cycle(&without), None);
}

#[test]
fn imports_are_read_from_code_only() {
    let text = "use crate::{out::Out, text};\n\
                /// See [`crate::runner`].\n\
                fn f() { crate::time::now(); let s = \"crate::python\"; }\n\
                #[cfg(test)]\nmod tests { use crate::testing; }\n";
    assert_eq!(
        imports(text),
        ["out", "text", "time"].map(String::from).into()
    );
}

/// Each module of `src` (by file name; `lib` aside) and the modules it uses;
/// a file in `src/name/` counts as part of module `name`.
fn module_graph(src: &Path) -> Graph {
    let mut graph = Graph::new();
    for (module, path) in source_files(src) {
        let text = std::fs::read_to_string(&path).expect("a source file");
        graph.entry(module).or_default().extend(imports(&text));
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for (name, uses) in graph.iter_mut() {
        uses.retain(|used| used != name && modules.contains(used));
    }
    graph
}

/// The `.rs` files below `src`, each with the top module it belongs to.
fn source_files(src: &Path) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    let mut folders = vec![(None, src.to_path_buf())];
    while let Some((module, folder)) = folders.pop() {
        let entries = std::fs::read_dir(&folder).expect("a readable folder");
        for path in entries.map(|entry| entry.expect("a directory entry").path()) {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let module = module.clone().unwrap_or(name);
            if path.is_dir() {
                folders.push((Some(module), path));
            } else if path.extension().is_some_and(|e| e == "rs") && module != "lib" {
                files.push((module, path));
            }
        }
    }
    files
}

/// The first segment of every `crate::` path in the code before the test
/// module, comments and string literals left out.
fn imports(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let line = without_strings(line);
        for (at, _) in line.match_indices("crate::") {
            let rest = &line[at + "crate::".len()..];
            match rest.strip_prefix('{') {
                // `use crate::{a::X, b};`: the first segment of each item.
                Some(group) => {
                    let group = group.split('}').next().unwrap_or_default();
                    found.extend(group.split(',').filter_map(first_segment));
                }
                None => found.extend(first_segment(rest)),
            }
        }
    }
    found
}

fn first_segment(path: &str) -> Option<String> {
    let name: String = path
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The line with the contents of its string literals removed.
fn without_strings(line: &str) -> String {
    let mut kept = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        match (in_string, escaped, c) {
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (true, _, _) => escaped = false,
            (false, _, '"') => in_string = true,
            (false, _, c) => kept.push(c),
        }
    }
    kept
}

/// A path that leads from a module back to itself, if there is one.
fn a_cycle(graph: &Graph) -> Option<Vec<String>> {
    let mut done = BTreeSet::new();
    for start in graph.keys() {
        let mut path = vec![start.clone()];
        if let Some(cycle) = walk(graph, &mut path, &mut done) {
            return Some(cycle);
        }
    }
    None
}

/// Depth first from the end of `path`; `done` holds the modules from which
/// no cycle can be reached.
fn walk(graph: &Graph, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
    let here = path.last().cloned()?;
    if done.contains(&here) {
        return None;
    }
    for next in &graph[&here] {
        if let Some(at) = path.iter().position(|m| m == next) {
            let mut cycle = path[at..].to_vec();
            cycle.push(next.clone());
            return Some(cycle);
        }
        path.push(next.clone());
        let found = walk(graph, path, done);
        path.pop();
        if found.is_some() {
            return found;
        }
    }
    done.insert(here);
    None
}

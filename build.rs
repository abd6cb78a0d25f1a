//! Embeds the Fluent files (`locales/<lang>/*.ftl`) and the page templates
//! (`templates/**/*.html`) in the binary: a language or a template is one more file,
//! with no list to keep by hand.

use std::{env, fs, path::Path};

fn files(dir: &Path, ext: &str, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().and_then(|e| e.to_str()) == Some(ext) {
            out.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=templates");
    let mut code = String::from("/// (language, file, Fluent source) of every `locales/<lang>/*.ftl`.\npub const LOCALES: &[(&str, &str, &str)] = &[\n");
    let mut ftl = Vec::new();
    files(&root.join("locales"), "ftl", &mut ftl);
    for path in &ftl {
        let rel = path
            .strip_prefix(&format!("{}/locales/", root.display()))
            .unwrap_or(path);
        let lang = rel.split('/').next().unwrap_or("");
        code.push_str(&format!(
            "    ({lang:?}, {rel:?}, include_str!({path:?})),\n"
        ));
    }
    code.push_str("];\n/// (name, source) of every template, named by its path under `templates/`.\npub const TEMPLATES: &[(&str, &str)] = &[\n");
    let mut html = Vec::new();
    files(&root.join("templates"), "html", &mut html);
    for path in &html {
        let rel = path
            .strip_prefix(&format!("{}/templates/", root.display()))
            .unwrap_or(path);
        code.push_str(&format!("    ({rel:?}, include_str!({path:?})),\n"));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}

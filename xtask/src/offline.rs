//! The offline files of a release build: `sw.js` (public/sw.js with this build's version and file
//! list) and `manifest.webmanifest`. Every file of the build is precached, pages under their
//! directory URLs (`articles/reliability/`), so after one visit the whole site works offline; the
//! version is a hash of every file's path and bytes, so any change to the build is a new version
//! and a new cache.

use std::fs;
use std::path::Path;

/// Files a build does not precache: the service worker itself.
const SKIP: &[&str] = &["sw.js"];

/// Whether a build precaches `file`: not the worker, and not the share cards (`card.png`, a
/// megabyte or two in all, fetched by link unfurlers rather than read offline).
fn precached(file: &str) -> bool {
    !SKIP.contains(&file) && !file.ends_with("/card.png")
}

/// Every file under `dir`, as `/`-separated paths relative to it, sorted.
fn files(dir: &Path) -> Result<Vec<String>, String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), String> {
        for e in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                walk(root, &p, out)?;
            } else {
                let rel = p.strip_prefix(root).map_err(|e| e.to_string())?;
                out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    #[allow(clippy::disallowed_methods)] // native only: no wasm size rule applies
    out.sort();
    Ok(out)
}

/// The URL a file is fetched by, relative to the site's base: `x/index.html` → `x/`,
/// `index.html` → `./`.
pub fn url_of(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some("") => "./".to_string(),
        Some(dir) if dir.ends_with('/') => dir.to_string(),
        _ => file.to_string(),
    }
}

/// FNV-1a, 64 bits: a build's version needs to change with any byte, not to resist an attacker.
fn fnv1a(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

/// Writes `sw.js` and `manifest.webmanifest` into the build `out` from the templates in `public/`.
/// Returns the build's version.
pub fn write(out: &Path, public: &Path) -> Result<String, String> {
    let manifest = fs::read_to_string(public.join("manifest.webmanifest")).map_err(|e| e.to_string())?;
    fs::write(out.join("manifest.webmanifest"), manifest).map_err(|e| e.to_string())?;
    fs::copy(public.join("icon.svg"), out.join("icon.svg")).map_err(|e| e.to_string())?;
    let list: Vec<String> = files(out)?.into_iter().filter(|f| precached(f)).collect();
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for f in &list {
        fnv1a(&mut hash, f.as_bytes());
        fnv1a(&mut hash, &[0]);
        fnv1a(&mut hash, &fs::read(out.join(f)).map_err(|e| format!("{f}: {e}"))?);
    }
    let version = format!("{hash:016x}");
    let urls: Vec<String> = list.iter().map(|f| format!("{:?}", url_of(f))).collect();
    let template = fs::read_to_string(public.join("sw.js")).map_err(|e| e.to_string())?;
    if !template.contains("'__VERSION__'") || !template.contains("= __FILES__;") {
        return Err("public/sw.js lacks its '__VERSION__' or __FILES__ placeholder".into());
    }
    let sw = template
        .replace("'__VERSION__'", &format!("'{version}'"))
        .replace("= __FILES__;", &format!("= [\n  {},\n];", urls.join(",\n  ")));
    fs::write(out.join("sw.js"), sw).map_err(|e| e.to_string())?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_precached_by_their_directory_urls() {
        assert_eq!(url_of("index.html"), "./");
        assert_eq!(url_of("articles/reliability/index.html"), "articles/reliability/");
        assert_eq!(url_of("b/a-cloud/tradeoffs_bg.wasm"), "b/a-cloud/tradeoffs_bg.wasm");
        assert_eq!(url_of("notindex.html"), "notindex.html");
    }

    #[test]
    fn the_version_follows_every_byte() {
        let dir = std::env::temp_dir().join(format!("tradeoffs-sw-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("articles/x")).unwrap();
        fs::write(dir.join("index.html"), "home").unwrap();
        fs::write(dir.join("articles/x/index.html"), "x").unwrap();
        let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
        let v1 = write(&dir, &public).unwrap();
        let sw = fs::read_to_string(dir.join("sw.js")).unwrap();
        assert!(sw.contains(&format!("const VERSION = '{v1}';")), "{sw}");
        assert!(sw.contains("\"./\"") && sw.contains("\"articles/x/\"") && sw.contains("\"manifest.webmanifest\""));
        assert!(!sw.contains("\"sw.js\""), "the worker does not cache itself");
        assert_eq!(write(&dir, &public).unwrap(), v1, "same build, same version");
        fs::write(dir.join("articles/x/index.html"), "y").unwrap();
        assert_ne!(write(&dir, &public).unwrap(), v1, "one changed byte, a new version");
        let _ = fs::remove_dir_all(&dir);
    }
}

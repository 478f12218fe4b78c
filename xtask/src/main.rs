//! Project automation: `cargo xtask <serve|test|dist>`.
//!
//! Every command first installs what is missing (the wasm32 target, trunk, wasm-bindgen-cli at
//! exactly the Cargo.lock version, the npm tools in tests/e2e), so a fresh machine with Rust, Node
//! and apt needs nothing else.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};
use std::time::Instant;

mod css;
mod fuzz;
mod offline;
mod wasm_imports;
mod wasm_scan;

const TRUNK_VERSION: &str = "0.21.14";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let root = project_root();
    env::set_current_dir(&root).expect("cd to the project root");
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("dist") => dist(&args[1..]).map(|_| ()),
        Some("test") => test(&args[1..]),
        Some("bench") => bench(),
        Some("check-patches") => patches_in_effect(),
        Some("fuzz") => fuzz::main(&args[1..]),
        Some("scan-wasm") => {
            let broken: Vec<String> =
                args[1..].iter().filter_map(|f| wasm_scan::check_file(f, Path::new(f)).err()).collect();
            if broken.is_empty() {
                Ok(())
            } else {
                Err(broken.join("\n"))
            }
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n  serve               install what is missing, serve with live reload on http://127.0.0.1:8080\n  test                fmt, clippy, model tests, browser component tests, dist, size budget, end-to-end tests\n  bench               sizes, native events/s, cold load, frame times, scrubs (prints a table; target/bench/summary.json)\n  dist [--public-url /sub/path/] [--dist DIR]\n                      release build into dist/, deployable to any static host\n  fuzz [--inputs N] [--seed S]\n                      the URL-query and embed-attribute parsers against a million generated inputs\n  scan-wasm FILE...   check wasm files (rustc's output, with function names) against the size rules"
            );
            exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("\nxtask: {e}");
        exit(1);
    }
}

type Result<T = ()> = std::result::Result<T, String>;

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Cargo's target directory (`CARGO_TARGET_DIR`, a config's `build.target-dir` or `target/`).
fn target_dir() -> Result<PathBuf> {
    let meta = output("cargo", &["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .ok_or("`cargo metadata` failed")?;
    let dir = meta.split_once("\"target_directory\":\"").and_then(|(_, rest)| rest.split_once('"')).map(|(d, _)| d);
    dir.map(PathBuf::from).ok_or_else(|| "`cargo metadata` names no target_directory".into())
}

fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {}", show(cmd));
    let status = cmd.status().map_err(|e| format!("{}: {e}", show(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", show(cmd)))
    }
}

/// Runs a command, echoing its output, and returns stdout + stderr.
fn run_capture(cmd: &mut Command) -> Result<(bool, String)> {
    eprintln!("$ {}", show(cmd));
    let out = cmd.output().map_err(|e| format!("{}: {e}", show(cmd)))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    print!("{text}");
    Ok((out.status.success(), text))
}

fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin").join(name)
}

/// The wasm-bindgen version pinned in Cargo.lock.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = fs::read_to_string("Cargo.lock").map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen not found in Cargo.lock".into())
}

/// PATH with tests/e2e/node_modules/.bin (binaryen's wasm-opt 132) and ~/.cargo/bin first.
fn tool_path() -> String {
    let npm_bin = project_root().join("tests/e2e/node_modules/.bin");
    let cargo = cargo_bin("");
    format!("{}:{}:{}", npm_bin.display(), cargo.display(), env::var("PATH").unwrap_or_default())
}

/// Installs the Rust-side tools and the npm packages when they are missing or the wrong version.
fn ensure_tools() -> Result {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let want = locked_wasm_bindgen()?;
    let have = output(cargo_bin("wasm-bindgen").to_str().unwrap(), &["--version"]).unwrap_or_default();
    if !have.ends_with(&want) {
        eprintln!("wasm-bindgen-cli {want} needed (have: {have:?}); installing (about 6 minutes)");
        // Not --locked: its lockfile pins a crate version the registry lacks.
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &want, "--force"]))?;
    }
    let have = output(cargo_bin("trunk").to_str().unwrap(), &["--version"]).unwrap_or_default();
    if !have.ends_with(TRUNK_VERSION) {
        eprintln!("trunk {TRUNK_VERSION} needed (have: {have:?}); installing (about 10 minutes)");
        run(Command::new("cargo")
            .args(["install", "--locked", "trunk", "--version", TRUNK_VERSION, "--force"])
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"))?;
    }
    let e2e = project_root().join("tests/e2e");
    let wasm_opt = e2e.join("node_modules/.bin/wasm-opt");
    let pw = e2e.join("node_modules/playwright-core/package.json");
    if !wasm_opt.exists() || !pw.exists() || !e2e.join(TERSER).exists() {
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&e2e))?;
    }
    Ok(())
}

/// terser (npm, pinned in tests/e2e/package.json), relative to tests/e2e.
const TERSER: &str = "node_modules/terser/bin/terser";

/// Minifies a JavaScript file in place (release builds): wasm-bindgen's glue and the site's
/// scripts are about half comments, whitespace and long local names. A non-empty `preamble` (a
/// `//` comment line) goes back on top, for readers of the minified file.
fn minify_js(path: &Path, module: bool, preamble: &str) -> Result {
    let terser = project_root().join("tests/e2e").join(TERSER);
    let mut cmd = Command::new("node");
    cmd.arg(terser).arg(path);
    if module {
        cmd.arg("--module");
    }
    cmd.args(["--compress", "--mangle", "--output"]).arg(path);
    run(&mut cmd)?;
    if !preamble.is_empty() {
        let body = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        write(path, &format!("{preamble}\n{body}"))?;
    }
    Ok(())
}

/// Chromium and chromedriver from Debian's packages (never a downloaded browser).
fn ensure_chromium() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let cmd = "apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver fonts-dejavu-core";
    let root = output("id", &["-u"]).as_deref() == Some("0");
    if !root {
        return Err(format!("Chromium and chromedriver are missing. Install them with:\n  sudo sh -c '{cmd}'"));
    }
    run(Command::new("sh").args(["-c", cmd]).env("DEBIAN_FRONTEND", "noninteractive"))
}

/// A sans-serif font for the share cards: Debian's DejaVu Sans (what a browser here renders with
/// too), installed when missing.
fn ensure_font() -> Result {
    // Elsewhere than Debian, crates/cards looks for other common fonts and says if none is found.
    if Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists() || !Path::new("/usr/bin/apt-get").exists()
    {
        return Ok(());
    }
    let cmd = "apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core";
    if output("id", &["-u"]).as_deref() != Some("0") {
        return Err(format!("The share cards need a font. Install DejaVu Sans with:\n  sudo sh -c '{cmd}'"));
    }
    run(Command::new("sh").args(["-c", cmd]).env("DEBIAN_FRONTEND", "noninteractive"))
}

fn serve(args: &[String]) -> Result {
    let port = args.iter().position(|a| a == "--port").and_then(|i| args.get(i + 1)).map_or("8080", String::as_str);
    let out = "target/dev-site".to_string();
    let build = || dist(&["--dev".into(), "--dist".into(), out.clone()]);
    build()?;
    let mut server = Command::new("node")
        .args(["tests/e2e/server.mjs", &out, port])
        .spawn()
        .map_err(|e| format!("node tests/e2e/server.mjs: {e}"))?;
    eprintln!("\nServing http://127.0.0.1:{port}/ — rebuilding when src/, content/, public/ or crates/ change (Ctrl+C stops).");
    let mut seen = newest(&["src", "content", "public", "crates", "index.html", "build.rs"]);
    loop {
        std::thread::sleep(std::time::Duration::from_millis(700));
        if let Ok(Some(status)) = server.try_wait() {
            return Err(format!("the server stopped ({status})"));
        }
        let now = newest(&["src", "content", "public", "crates", "index.html", "build.rs"]);
        if now > seen {
            seen = now;
            if let Err(e) = build() {
                eprintln!("\nbuild failed: {e}\n(fix it and save again)");
            } else {
                eprintln!("\nrebuilt; reload the page");
            }
        }
    }
}

/// The newest modification time under `paths` (recursively).
fn newest(paths: &[&str]) -> std::time::SystemTime {
    fn walk(p: &Path, best: &mut std::time::SystemTime) {
        let Ok(meta) = fs::metadata(p) else { return };
        if let Ok(m) = meta.modified() {
            *best = (*best).max(m);
        }
        if meta.is_dir() {
            for e in fs::read_dir(p).into_iter().flatten().flatten() {
                walk(&e.path(), best);
            }
        }
    }
    let mut best = std::time::SystemTime::UNIX_EPOCH;
    for p in paths {
        walk(Path::new(p), &mut best);
    }
    best
}

/// Builds wasm bundle `name` (see `build.rs`) with Trunk into `target/bundles/<name>/`.
/// `profile` is a Cargo profile (`release`, `release-small`) or `None` for a debug build. A
/// release bundle that breaks a size rule (xtask/src/wasm_scan.rs) adds its report to `broken`.
fn build_bundle(name: &str, profile: Option<&str>, broken: &mut Vec<String>) -> Result<PathBuf> {
    let out = PathBuf::from("target/bundles").join(name);
    let mut cmd = Command::new(cargo_bin("trunk"));
    cmd.arg("build");
    if let Some(p) = profile {
        cmd.args(["--release", "--cargo-profile", p]);
    }
    cmd.args(["--dist", out.to_str().unwrap(), "index.html"]).env("PATH", tool_path()).env("TRADEOFFS_BUNDLE", name);
    run(&mut cmd)?;
    if let Some(p) = profile {
        // rustc's output, before wasm-bindgen and wasm-opt drop its function names.
        let raw = target_dir()?.join("wasm32-unknown-unknown").join(p).join("tradeoffs.wasm");
        broken.extend(wasm_scan::check_file(name, &raw).err());
        let (wasm_path, js_path) = (out.join("tradeoffs_bg.wasm"), out.join("tradeoffs.js"));
        let wasm = fs::read(&wasm_path).map_err(|e| format!("{}: {e}", wasm_path.display()))?;
        let m = wasm_imports::minify_imports(&wasm, &read(js_path.to_str().unwrap())?)?;
        wasmparser::Validator::new().validate_all(&m.wasm).map_err(|e| format!("{name}: renamed imports: {e}"))?;
        fs::write(&wasm_path, &m.wasm).map_err(|e| format!("{}: {e}", wasm_path.display()))?;
        write(&js_path, &m.js)?;
        eprintln!("{name}: {} imports renamed, {} kept", m.renamed, m.kept);
    }
    Ok(out)
}

/// The Cargo profile of a release bundle: `release` (the model at opt-level 3) when one of its
/// widgets runs a simulation every frame, else `release-small` (everything for size).
fn bundle_profile(widgets: &[String]) -> &'static str {
    let hot = widgets.iter().any(|w| model::widget(w).is_some_and(|s| s.hot));
    if hot {
        "release"
    } else {
        "release-small"
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for e in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?.flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn read(path: &str) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

/// Drops comments and the whitespace around braces, semicolons and line breaks. Deliberately
/// no more than that: every rewrite here is safe in any CSS (no selector or value changes).
fn minify_css(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() && !out.ends_with(['{', '}', ';']) {
            out.push(' ');
        }
        out.push_str(line);
    }
    for (from, to) in [(" {", "{"), ("{ ", "{"), ("; ", ";"), (" }", "}"), (";}", "}")] {
        out = out.replace(from, to);
    }
    out.push('\n');
    out
}

/// `1.25rem` → `20px`: embedded widgets must not scale with the host page's root font size.
fn rem_to_px(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("rem") {
        let head = &rest[..i];
        let start = head.rfind(|c: char| !(c.is_ascii_digit() || c == '.')).map_or(0, |j| j + 1);
        let number = &head[start..];
        let unit_ends = !rest[i + 3..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        match number.parse::<f64>() {
            Ok(v) if !number.is_empty() && unit_ends => {
                out.push_str(&head[..start]);
                let px = (v * 16.0 * 100.0).round() / 100.0;
                out.push_str(&format!("{px}px"));
            }
            _ => {
                out.push_str(head);
                out.push_str("rem");
            }
        }
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

/// Builds the site into `dist/` (or `--dist DIR`): one wasm bundle per article and per widget,
/// the static pages from `content/`, the stylesheets, `site.js` and `embed.js`. `--dev` builds
/// one unoptimised bundle with every widget (what `serve` uses); `--public-url` sets the path the
/// site is served under.
fn dist(args: &[String]) -> Result<PathBuf> {
    ensure_tools()?;
    let mut public_url = "/".to_string();
    let mut out = "dist".to_string();
    let mut dev = false;
    let mut site_url = env::var("TRADEOFFS_SITE_URL").unwrap_or_default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--public-url" => public_url = it.next().ok_or("--public-url needs a value")?.clone(),
            "--site-url" => site_url = it.next().ok_or("--site-url needs a URL")?.clone(),
            "--dist" => out = it.next().ok_or("--dist needs a directory")?.clone(),
            "--dev" => dev = true,
            other => return Err(format!("unknown dist argument {other}")),
        }
    }
    // `--site-url https://host/path/` gives the origin (for canonical URLs, share previews, the
    // feed and the sitemap) and, unless --public-url says otherwise, the path.
    let mut origin = String::new();
    if !site_url.is_empty() {
        let rest = site_url
            .strip_prefix("https://")
            .or_else(|| site_url.strip_prefix("http://"))
            .ok_or("--site-url must start with https:// or http://")?;
        let host_end = rest.find('/').unwrap_or(rest.len());
        origin = site_url[..site_url.len() - rest.len() + host_end].to_string();
        if public_url == "/" && host_end < rest.len() {
            public_url = rest[host_end..].to_string();
        }
    } else if !dev {
        eprintln!(
            "note: no --site-url (or TRADEOFFS_SITE_URL): canonical and share-preview URLs are relative to the host"
        );
    }
    if !public_url.starts_with('/') {
        public_url.insert(0, '/');
    }
    if !public_url.ends_with('/') {
        public_url.push('/');
    }
    let articles = content::load(Path::new("content")).map_err(|e| e.to_string())?;
    let glossary = content::load_glossary(Path::new("content")).map_err(|e| e.to_string())?;
    let site =
        content::site::Site { base: &public_url, articles: &articles, glossary: &glossary, origin: &origin, dev };
    let all: Vec<String> = model::WIDGETS.iter().map(|w| w.name.to_string()).collect();
    let bundles = if dev { vec![("all".to_string(), all.clone())] } else { site.bundles() };
    let out = PathBuf::from(out);
    let _ = fs::remove_dir_all(&out);
    let (tokens, base, site_css, embed_page, root) = (
        read("public/tokens.css")?,
        read("public/base.css")?,
        read("public/site.css")?,
        read("public/embed-page.css")?,
        read("public/embed-root.css")?,
    );
    let widgets_css = css::for_widgets(&project_root(), &all)?;
    let css = |text: String| if dev { text } else { minify_css(&text) };
    let mut broken = Vec::new();
    for (name, widgets) in &bundles {
        let built = target_bundle(name, (!dev).then(|| bundle_profile(widgets)), &mut broken)?;
        copy_dir(&built, &out.join("b").join(name))?;
        let _ = fs::remove_file(out.join("b").join(name).join("index.html"));
        write(
            &out.join("b").join(name).join("boot.js"),
            "// Loads this bundle's wasm; the page's widgets mount themselves (src/lib.rs `start`).\n\
import init from './tradeoffs.js';\ninit();\n",
        )?;
        if !dev {
            minify_js(&out.join("b").join(name).join("tradeoffs.js"), true, "")?;
        }
        // A widget bundle's stylesheets, with only the rules its widget uses: for the shadow root
        // of `<tradeoffs-widget>` (embed.js) and for the iframe page (the dev bundle has them all).
        if name.starts_with("w-") || dev {
            let only = css::for_widgets(&project_root(), widgets)?;
            let dir = out.join("b").join(name);
            write(&dir.join("widget.css"), &css(rem_to_px(&format!("{tokens}\n{root}\n{only}"))))?;
            write(&dir.join("embed.css"), &css(format!("{tokens}\n{base}\n{embed_page}\n{only}")))?;
        }
    }
    for (path, html) in site.pages() {
        write(&out.join(path), &html)?;
    }
    // The feed's date: the last commit that touched the articles (stable across rebuilds).
    let updated = output("git", &["log", "-1", "--format=%cI", "--", "content"])
        .filter(|d| d.len() >= 20)
        .unwrap_or_else(|| "2026-01-01T00:00:00Z".to_string());
    write(&out.join("feed.xml"), &site.feed(updated.trim()))?;
    write(&out.join("sitemap.xml"), &site.sitemap())?;
    write(&out.join("robots.txt"), &site.robots())?;
    let slots = css::slot_heights();
    let focus = site.focus_css();
    write(&out.join("style.css"), &css(format!("{tokens}\n{base}\n{site_css}\n{slots}\n{widgets_css}\n{focus}")))?;
    // For `<tradeoffs-widget>` elements naming no widget of ours: the error box's styles.
    write(
        &out.join("widget.css"),
        &css(rem_to_px(&format!("{tokens}\n{root}\n{}", css::for_widgets(&project_root(), &[])?))),
    )?;
    write(&out.join("site.js"), &read("public/site.js")?)?;
    let names: Vec<String> = all.iter().map(|n| format!("{n:?}")).collect();
    let embed = read("public/embed.js")?.replace("/*WIDGETS*/[]", &format!("[{}]", names.join(", ")));
    if !embed.contains(&names[0]) {
        return Err("public/embed.js lacks the /*WIDGETS*/[] placeholder".into());
    }
    write(&out.join("embed.js"), &embed)?;
    if !dev {
        cards(&site, &out)?;
        minify_js(&out.join("site.js"), false, "")?;
        let usage = "// Tradeoffs embeds: add this script once, then <tradeoffs-widget name=\"retry-storm\"></tradeoffs-widget>; see embed/ for every widget and its settings.";
        minify_js(&out.join("embed.js"), false, usage)?;
        // Last, so the worker's list and version cover every other file of the build.
        let version = offline::write(&out, &project_root().join("public"))?;
        minify_js(&out.join("sw.js"), false, &format!("// Tradeoffs offline cache, build {version}."))?;
    }
    eprintln!("site written to {}/ ({} pages, {} bundles)", out.display(), site.pages().len(), bundles.len());
    if !broken.is_empty() {
        return Err(format!("size rules broken (ARCHITECTURE.md, Invariants):\n\n{}", broken.join("\n")));
    }
    Ok(out)
}

/// Draws the pages' share cards into `out` (crates/cards: each article's and embed page's
/// preview PNG, rasterised natively). Release builds only: a dev build's pages name cards it
/// does not draw, which only a link unfurler would ask for.
fn cards(site: &content::site::Site, out: &Path) -> Result {
    ensure_font()?;
    let list = target_dir()?.join("cards.txt");
    let lines: Vec<String> = site.cards().iter().map(content::site::Card::line).collect();
    write(&list, &(lines.join("\n") + "\n"))?;
    run(Command::new("cargo").args(["run", "--quiet", "-p", "cards", "--"]).arg(out).arg(&list))
}

/// A bundle from `target/bundles/`, built once per xtask run (bundles do not depend on the public
/// URL, so `test` reuses them for the sub-path build).
fn target_bundle(name: &str, profile: Option<&str>, broken: &mut Vec<String>) -> Result<PathBuf> {
    thread_local! {
        static BUILT: std::cell::RefCell<Vec<(String, Option<String>)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let key = (name.to_string(), profile.map(String::from));
    if BUILT.with(|b| b.borrow().contains(&key)) {
        return Ok(PathBuf::from("target/bundles").join(name));
    }
    let out = build_bundle(name, profile, broken)?;
    BUILT.with(|b| b.borrow_mut().push(key));
    Ok(out)
}

/// Totals parsed from test runner output.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    fn add_cargo(&mut self, text: &str) {
        for l in text.lines() {
            // "test result: ok. 22 passed; 0 failed; ..."
            if let Some(rest) = l.trim().strip_prefix("test result: ") {
                for part in rest.split(';') {
                    let words: Vec<_> = part.split_whitespace().collect();
                    if let [.., n, kind] = words.as_slice() {
                        match (*kind, n.parse::<u64>()) {
                            ("passed", Ok(n)) => self.passed += n,
                            ("failed", Ok(n)) => self.failed += n,
                            _ => {}
                        }
                    }
                }
            }
        }
    }
}

fn test(args: &[String]) -> Result {
    let t0 = Instant::now();
    let mut tally = Tally::default();
    let mut failures: Vec<String> = Vec::new();
    let quick = args.iter().any(|a| a == "--no-e2e");
    ensure_tools()?;
    ensure_chromium()?;
    let path = tool_path();

    let mut step = |name: &str, cmd: &mut Command, tally: &mut Tally| -> Result {
        eprintln!("\n== {name}");
        cmd.env("PATH", &path);
        let (ok, text) = run_capture(cmd)?;
        tally.add_cargo(&text);
        if !ok {
            failures.push(name.to_string());
        }
        Ok(())
    };
    step("format", Command::new("cargo").args(["fmt", "--all", "--check"]), &mut tally)?;
    step(
        "clippy (native)",
        Command::new("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        &mut tally,
    )?;
    step(
        "clippy (wasm)",
        Command::new("cargo").args([
            "clippy",
            "-p",
            "tradeoffs",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        &mut tally,
    )?;
    step("invariant: the model crate has no web dependencies", &mut model_is_pure(), &mut tally)?;
    let me = env::current_exe().map_err(|e| format!("xtask's own path: {e}"))?;
    step(
        "invariant: the [patch.crates-io] stand-ins are in the crate graph",
        Command::new(me).arg("check-patches"),
        &mut tally,
    )?;
    step("model and native unit tests", Command::new("cargo").args(["test", "--workspace"]), &mut tally)?;
    step(
        "component tests (wasm-bindgen-test, headless Chromium)",
        Command::new("cargo")
            .args(["test", "-p", "tradeoffs", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        &mut tally,
    )?;
    if !quick {
        eprintln!("\n== release build (dist/, and target/dist-subpath/ for hosting under /tradeoffs/)");
        dist(&[])?;
        dist(&["--public-url".into(), "/tradeoffs/".into(), "--dist".into(), "target/dist-subpath".into()])?;
        step(
            "size budgets (pages ≤ 250 KB gzip; embeds ≤ 90 KB or their ceiling, article bundles ≤ theirs: tests/perf/embed-ceilings.json)",
            Command::new("node").args(["tests/perf/sizes.mjs", "dist", "--check"]),
            &mut tally,
        )?;
        eprintln!("\n== end-to-end tests (tests/e2e, headless Chromium)");
        let (ok, text) = run_capture(
            Command::new("node")
                .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
                .arg("tests/e2e/")
                .env("PATH", &path),
        )?;
        for l in text.lines() {
            let l = l.trim().trim_start_matches('ℹ').trim();
            if let Some(n) = l.strip_prefix("pass ").and_then(|n| n.parse::<u64>().ok()) {
                tally.passed += n;
            }
            if let Some(n) = l.strip_prefix("fail ").and_then(|n| n.parse::<u64>().ok()) {
                tally.failed += n;
            }
        }
        if !ok {
            failures.push("end-to-end tests".into());
        }
    }
    println!("\nTook {:.0} s.", t0.elapsed().as_secs_f64());
    if !failures.is_empty() {
        println!("Failed steps: {}", failures.join(", "));
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if failures.is_empty() && tally.failed == 0 {
        Ok(())
    } else {
        Err("tests failed".into())
    }
}

/// `cargo xtask bench`: builds dist/, then prints sizes, the event core's native speed (criterion),
/// cold loads and frame times (tests/perf/bench.mjs), timeline seeks natively and scrubs in the
/// browser (benches/seek.rs, tests/perf/scrub.mjs), the event core in Chromium against native
/// in interleaved pairs (tests/perf/events.mjs) and Lighthouse (tests/perf/lighthouse.mjs).
fn bench() -> Result {
    ensure_tools()?;
    ensure_chromium()?;
    dist(&[])?;
    run(Command::new("node").args(["tests/perf/sizes.mjs", "dist"]))?;
    run(Command::new("cargo").args(["bench", "-p", "model", "--bench", "events"]))?;
    run(Command::new("node").arg("tests/perf/bench.mjs").env("PATH", tool_path()))?;
    run(Command::new("cargo").args(["bench", "-p", "model", "--bench", "seek"]))?;
    run(Command::new("node").arg("tests/perf/scrub.mjs").env("PATH", tool_path()))?;
    run(Command::new("node").arg("tests/perf/events.mjs").env("PATH", tool_path()))?;
    let perf = project_root().join("tests/perf");
    if !perf.join("node_modules/lighthouse/package.json").exists() {
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&perf))?;
    }
    run(Command::new("node").arg("tests/perf/lighthouse.mjs").env("PATH", tool_path()))
}

/// The `[patch.crates-io]` stand-ins of the workspace Cargo.toml (ARCHITECTURE.md, code map):
/// crate name and path. Each saves kilobytes in every bundle only while Cargo actually uses it.
const PATCHES: &[(&str, &str)] =
    &[("wasm-streams", "crates/wasm-streams-stub"), ("send_wrapper", "crates/send-wrapper-wasm")];

/// `cargo xtask check-patches` (a step of `test`): resolves the crate graph and fails unless every
/// [`PATCHES`] crate comes from its path. A patch whose version no longer matches what the graph
/// asks for is silently dropped, with only a warning and a `[[patch.unused]]` table in Cargo.lock.
fn patches_in_effect() -> Result {
    let out = Command::new("cargo")
        .args(["metadata", "--format-version", "1"])
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems: Vec<String> =
        stderr.lines().filter(|l| l.contains("was not used in the crate graph")).map(str::to_string).collect();
    if !out.status.success() {
        problems.push(format!("cargo metadata failed: {stderr}"));
    }
    problems.extend(patch_problems(&read("Cargo.lock")?));
    if problems.is_empty() {
        let names: Vec<&str> = PATCHES.iter().map(|(n, _)| *n).collect();
        println!("{} come from their paths\ntest result: ok. 1 passed; 0 failed", names.join(" and "));
        Ok(())
    } else {
        println!("test result: FAILED. 0 passed; 1 failed");
        Err(format!("[patch.crates-io] not in effect:\n  {}", problems.join("\n  ")))
    }
}

/// What Cargo.lock (`lock`) says is wrong with the [`PATCHES`]: an unused patch, a patched crate
/// missing from the graph, or one (also) taken from a registry.
fn patch_problems(lock: &str) -> Vec<String> {
    // Cargo.lock's tables: header line, then key = value lines.
    let mut tables: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in lock.lines() {
        if line.starts_with('[') {
            tables.push((line, Vec::new()));
        } else if let Some((_, body)) = tables.last_mut() {
            body.push(line);
        }
    }
    let value = |body: &[&str], key: &str| {
        body.iter().find_map(|l| l.strip_prefix(key)?.strip_prefix(" = \"")?.strip_suffix('"')).map(str::to_string)
    };
    let mut problems = Vec::new();
    for (header, body) in &tables {
        if *header == "[[patch.unused]]" {
            let name = value(body, "name").unwrap_or_default();
            problems.push(format!("Cargo.lock: the patch for {name} is unused ([[patch.unused]])"));
        }
    }
    for (name, path) in PATCHES {
        let entries: Vec<&Vec<&str>> = tables
            .iter()
            .filter(|(h, body)| *h == "[[package]]" && value(body, "name").as_deref() == Some(*name))
            .map(|(_, body)| body)
            .collect();
        if entries.is_empty() {
            problems.push(format!("{name} is not in Cargo.lock: nothing uses it, so its patch ({path}) is pointless"));
        }
        for body in entries {
            if let Some(source) = value(body, "source") {
                let version = value(body, "version").unwrap_or_default();
                problems.push(format!("{name} {version} comes from {source}, not from {path}"));
            }
        }
    }
    problems
}

/// A check that `crates/model` depends on no web crate (the architecture invariant).
fn model_is_pure() -> Command {
    let mut c = Command::new("sh");
    c.args([
        "-c",
        "if cargo tree -p model -e normal --prefix none | grep -E '^(leptos|web-sys|js-sys|wasm-bindgen|plotters|gloo)' ; \
         then echo 'crates/model must not depend on web crates' >&2; exit 1; \
         else echo 'test result: ok. 1 passed; 0 failed'; fi",
    ]);
    c
}

#[cfg(test)]
mod tests {
    use super::{minify_css, patch_problems};

    #[test]
    fn patches_count_only_when_cargo_lock_takes_them_from_their_paths() {
        let ok = "version = 4\n\n[[package]]\nname = \"send_wrapper\"\nversion = \"0.6.0\"\n\n[[package]]\nname = \"wasm-streams\"\nversion = \"0.5.0\"\ndependencies = [\n \"js-sys\",\n]\n";
        assert_eq!(patch_problems(ok), Vec::<String>::new());
        let registry = ok.replace(
            "name = \"send_wrapper\"\nversion = \"0.6.0\"\n",
            "name = \"send_wrapper\"\nversion = \"0.6.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
        );
        assert_eq!(
            patch_problems(&registry),
            ["send_wrapper 0.6.1 comes from registry+https://github.com/rust-lang/crates.io-index, not from crates/send-wrapper-wasm"]
        );
        let unused = format!("{registry}\n[[patch.unused]]\nname = \"send_wrapper\"\nversion = \"0.6.0\"\n");
        assert_eq!(patch_problems(&unused).len(), 2);
        assert!(patch_problems(&unused)[0].contains("patch for send_wrapper is unused"));
        let missing = ok.replace("name = \"wasm-streams\"", "name = \"other\"");
        assert_eq!(patch_problems(&missing), ["wasm-streams is not in Cargo.lock: nothing uses it, so its patch (crates/wasm-streams-stub) is pointless"]);
    }

    #[test]
    fn minified_css_keeps_selectors_and_values() {
        let css =
            "/* c */\n.a .b:hover,\n.c {\n  color: red;\n  font: 1rem/1 \"A B\";\n}\n@media (x) { .d { e: f; } }\n";
        assert_eq!(minify_css(css), ".a .b:hover, .c{color: red;font: 1rem/1 \"A B\"}@media (x){.d{e: f}}\n");
    }
}

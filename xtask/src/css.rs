//! The widgets' stylesheets, joined per bundle. Every widget gets `src/ui/widget.css` (the frame,
//! buttons and generated controls); a widget's own rules sit beside its component in
//! `src/widgets/<name>.css`, whose first line names the shared pieces it uses
//! (`/* uses: readout chart */`, each `src/ui/<piece>.css`). The slots' reserved heights come
//! from the specs (`WidgetSpec::reserve_rem`).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

type Result<T = ()> = std::result::Result<T, String>;

/// The CSS every widget in `widgets` needs: the frame, the union of their shared pieces (in name
/// order), then each widget's own rules (after the pieces, so they may refine them).
pub fn for_widgets(root: &Path, widgets: &[String]) -> Result<String> {
    let ui = root.join("src/ui");
    let mut pieces = BTreeSet::new();
    let mut own = String::new();
    for name in widgets {
        let (uses, rules) = widget(root, name)?;
        for piece in uses {
            if !ui.join(format!("{piece}.css")).is_file() {
                return Err(format!(
                    "src/widgets/{}.css uses `{piece}`, but there is no src/ui/{piece}.css",
                    snake(name)
                ));
            }
            pieces.insert(piece);
        }
        own.push_str(&rules);
        own.push('\n');
    }
    let mut out = read(&ui.join("widget.css"))?;
    for piece in pieces {
        out.push('\n');
        out.push_str(&read(&ui.join(format!("{piece}.css")))?);
    }
    out.push('\n');
    out.push_str(&own);
    Ok(out)
}

/// `.slot-<name>:has(> .widget-loading) { min-height: …rem; }` for every widget: the space a page
/// keeps for a widget until its bundle has drawn it.
pub fn slot_heights() -> String {
    let mut out = String::from("/* Generated from each WidgetSpec::reserve_rem. */\n");
    for w in model::WIDGETS {
        out.push_str(&format!(".slot-{}:has(> .widget-loading) {{ min-height: {}rem; }}\n", w.name, w.reserve_rem));
    }
    out
}

/// A widget's shared pieces and its own rules, from `src/widgets/<name>.css`.
fn widget(root: &Path, name: &str) -> Result<(Vec<String>, String)> {
    let path = root.join("src/widgets").join(format!("{}.css", snake(name)));
    let text = read(&path)?;
    let first = text.lines().next().unwrap_or_default().trim();
    let uses = first.strip_prefix("/* uses:").and_then(|u| u.strip_suffix("*/")).ok_or_else(|| {
        format!("{}: the first line must name the shared pieces: /* uses: readout chart */", path.display())
    })?;
    Ok((uses.split_whitespace().map(str::to_owned).collect(), text))
}

fn snake(name: &str) -> String {
    name.replace('-', "_")
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn every_widget_has_its_css_and_its_pieces_exist() {
        let all: Vec<String> = model::WIDGETS.iter().map(|w| w.name.to_string()).collect();
        let css = for_widgets(&root(), &all).unwrap();
        assert!(css.contains(".widget {"));
        for name in &all {
            let one = for_widgets(&root(), std::slice::from_ref(name)).unwrap();
            assert!(one.len() < css.len() || all.len() == 1, "{name}");
        }
    }

    #[test]
    fn a_bundle_gets_only_the_pieces_its_widgets_use() {
        let css = for_widgets(&root(), &["scaling-lever".to_string()]).unwrap();
        assert!(css.contains(".ranking {") && css.contains(".readout {"));
        assert!(!css.contains(".chart {") && !css.contains(".transport"));
        let css = for_widgets(&root(), &["retry-storm".to_string()]).unwrap();
        assert!(css.contains(".transport") && css.contains(".picture {") && !css.contains(".ranking"));
    }

    #[test]
    fn slot_heights_come_from_the_specs() {
        // One rule per widget, in WIDGETS' order, each reserving its spec's height.
        let css = slot_heights();
        let rules: Vec<&str> = css.lines().skip(1).collect();
        assert_eq!(rules.len(), model::WIDGETS.len(), "{css}");
        for (rule, w) in rules.iter().zip(model::WIDGETS) {
            let rem = rule
                .strip_prefix(&format!(".slot-{}:has(> .widget-loading) {{ min-height: ", w.name))
                .and_then(|r| r.strip_suffix("rem; }"))
                .unwrap_or_else(|| panic!("{rule}"));
            assert_eq!(rem.parse::<f64>().ok(), Some(w.reserve_rem), "{rule}");
        }
    }
}

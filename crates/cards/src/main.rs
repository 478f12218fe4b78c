//! `cards <dist> <list>`: writes the share cards listed in `<list>` into `<dist>`. Each line of the
//! list is `path<TAB>kicker<TAB>title<TAB>text<TAB>widget` (see `content::site::Site::cards`):
//! a 1200×630 PNG with the title, the question and the widget's main chart in its default state
//! (`tradeoffs::preview`), in the light theme. Drawing is SVG end to end and resvg rasterises it,
//! so the build needs no browser; text uses the machine's sans-serif font (DejaVu Sans, which
//! Debian's fontconfig brings, or another of `FONTS`).

use std::path::Path;
use std::process::ExitCode;

const W: u32 = 1200;
const H: u32 = 630;
const MARGIN: u32 = 60;
/// Preferred sans-serif families, the first found is used.
const FONTS: &[&str] = &["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Greedy word wrap to lines of at most `width` pixels at `size` px, estimating a character's
/// advance as `em` × size (DejaVu Sans averages about 0.55 em, bold 0.62); at most `max` lines,
/// the last ending in "…" when text is left over.
fn wrap(text: &str, size: f64, em: f64, width: f64, max: usize) -> Vec<String> {
    let per_line = ((width / (size * em)).floor() as usize).max(8);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > per_line {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max {
        lines.truncate(max);
        let last = lines.last_mut().expect("max ≥ 1");
        while last.chars().count() + 1 > per_line {
            last.pop();
        }
        *last = format!("{}…", last.trim_end_matches([' ', ',', ';', ':']));
    }
    lines
}

/// The card as one SVG document: text above, the chart (a nested SVG) below.
fn card_svg(kicker: &str, title: &str, text: &str, chart: &str, chart_y: u32) -> String {
    let width = f64::from(W - 2 * MARGIN);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\">\
<rect width=\"{W}\" height=\"{H}\" fill=\"#f6f6f3\"/><rect width=\"{W}\" height=\"10\" fill=\"#0072b2\"/>\
<text x=\"{MARGIN}\" y=\"68\" font-family=\"sans-serif\" font-size=\"22\" font-weight=\"bold\" letter-spacing=\"2\" fill=\"#4a4a55\">{}</text>",
        esc(&kicker.to_uppercase())
    );
    let mut y = 130.0;
    let title_lines = wrap(title, 50.0, 0.62, width, 2);
    let text_lines = wrap(text, 26.0, 0.55, width, text_lines_for(title_lines.len()));
    for line in title_lines {
        s += &format!(
            "<text x=\"{MARGIN}\" y=\"{y}\" font-family=\"sans-serif\" font-size=\"50\" font-weight=\"bold\" fill=\"#1a1a1f\">{}</text>",
            esc(&line)
        );
        y += 60.0;
    }
    y += 2.0;
    for line in text_lines {
        s += &format!(
            "<text x=\"{MARGIN}\" y=\"{y}\" font-family=\"sans-serif\" font-size=\"26\" fill=\"#33333a\">{}</text>",
            esc(&line)
        );
        y += 36.0;
    }
    let _ = y;
    let chart_h = H - chart_y - 24;
    s += &format!(
        "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"10\" fill=\"#ffffff\" stroke=\"#d5d5dc\"/>",
        x = MARGIN - 12,
        y = chart_y - 12,
        w = W - 2 * MARGIN + 24,
        h = chart_h + 24
    );
    // The chart's own document, placed as a nested viewport.
    let inner = chart.trim_start_matches(|c| c != '<');
    let inner = inner.strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").unwrap_or(inner).trim_start();
    let inner = inner.replacen("<svg ", &format!("<svg x=\"{MARGIN}\" y=\"{chart_y}\" "), 1);
    s += &inner;
    s += "</svg>";
    s
}

/// The most lines of text under a title of `title_lines`: three under one, two under two, so the
/// chart keeps at least 278 px (`tradeoffs::preview`'s tests draw every preview at that height).
fn text_lines_for(title_lines: usize) -> usize {
    if title_lines > 1 {
        2
    } else {
        3
    }
}

/// Where the chart starts: under the title's and the text's lines.
fn chart_top(title: &str, text: &str) -> u32 {
    let width = f64::from(W - 2 * MARGIN);
    let title_lines = wrap(title, 50.0, 0.62, width, 2).len();
    let t = title_lines as u32;
    let q = wrap(text, 26.0, 0.55, width, text_lines_for(title_lines)).len() as u32;
    130 + 60 * t + 2 + 36 * q - 36 + 40
}

fn render(opt: &resvg::usvg::Options, svg: &str) -> Result<Vec<u8>, String> {
    let tree = resvg::usvg::Tree::from_str(svg, opt).map_err(|e| e.to_string())?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(W, H).ok_or("pixmap")?;
    resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

fn run(dist: &Path, list: &str) -> Result<usize, String> {
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut().load_system_fonts();
    let family = FONTS
        .iter()
        .find(|f| opt.fontdb.faces().any(|face| face.families.iter().any(|(n, _)| n == *f)))
        .ok_or("no sans-serif font for the share cards: install one (Debian: apt-get install fonts-dejavu-core)")?;
    opt.fontdb_mut().set_sans_serif_family(*family);
    let mut n = 0;
    for (i, line) in list.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let [path, kicker, title, text, widget] = f[..] else {
            return Err(format!("line {}: want 5 tab-separated fields, got {}", i + 1, f.len()));
        };
        let top = chart_top(title, text);
        let chart_h = H - top - 24;
        // Drawn at 1.5× the page's chart scale, so its labels read at a thumbnail's size.
        let chart = tradeoffs::preview::svg(widget, W - 2 * MARGIN, chart_h, 1.5)
            .ok_or(format!("{path}: no widget called {widget}"))?
            .map_err(|e| format!("{path}: {widget}'s preview: {e}"))?;
        let png = render(&opt, &card_svg(kicker, title, text, &chart, top)).map_err(|e| format!("{path}: {e}"))?;
        let out = dist.join(path);
        if let Some(dir) = out.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&out, png).map_err(|e| format!("{}: {e}", out.display()))?;
        n += 1;
    }
    Ok(n)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dist, list] = &args[..] else {
        eprintln!("usage: cards <dist> <list>");
        return ExitCode::from(2);
    };
    let result =
        std::fs::read_to_string(list).map_err(|e| format!("{list}: {e}")).and_then(|l| run(Path::new(dist), &l));
    match result {
        Ok(n) => {
            eprintln!("cards: {n} share cards written");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cards: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_lines_short_and_marks_what_it_cuts() {
        let text = "How do you stop one slow dependency from taking everything down, and keep retries from turning a blip into an outage?";
        let lines = wrap(text, 26.0, 0.55, 1080.0, 3);
        assert_eq!(lines.join(" "), text);
        assert!(lines.iter().all(|l| l.chars().count() <= 75), "{lines:?}");
        let cut = wrap(&text.repeat(4), 26.0, 0.55, 1080.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…') && cut[1].chars().count() <= 75, "{cut:?}");
    }

    #[test]
    fn the_chart_keeps_at_least_278_px() {
        let long = "word ".repeat(60);
        for (title, text) in
            [(long.as_str(), long.as_str()), ("Short", "Short"), ("Short", long.as_str()), (long.as_str(), "Q?")]
        {
            let h = H - chart_top(title, text) - 24;
            assert!((278..=374).contains(&h), "{h}");
        }
    }

    #[test]
    fn a_card_escapes_its_text_and_nests_the_chart() {
        let chart = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\"></svg>";
        let s = card_svg("Tradeoffs · A", "R&D <fast>", "Q?", chart, 300);
        assert!(s.contains("R&amp;D &lt;fast&gt;") && s.contains("<svg x=\"60\" y=\"300\" width=\"10\""), "{s}");
        assert!(!s.contains("<?xml"));
    }
}

//! A chart's data as a table: what "Show as table" lists (sampled to a readable number of rows)
//! and what its CSV download holds (every row). Screen readers get the table; bloggers get the
//! numbers to plot in their own tools.

use crate::fmt::short;

/// Columns of numbers under their headings; the first column is the x axis, or, in a table with
/// row labels, the labels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<f64>>,
    /// Row labels (a categorical chart's bars: strategies, providers, criteria), one per row,
    /// the first column under `columns[0]`, each row's numbers under the headings after it.
    /// Empty: every column is numbers.
    pub labels: Vec<String>,
}

impl Table {
    /// A table of series drawn against a shared x axis (`x` its heading): one row for each x of
    /// the first series, each other series read at that x as the value of its last point at or
    /// before it (a step; a reference line of two points reads as a constant). The first series'
    /// points whose x is not finite are skipped; a value that is not finite (a gap in a line: a
    /// plan that is impossible there) and a series with nothing at or before an x leave the cell
    /// empty (NaN, written as an empty CSV field).
    pub fn from_series(x: &str, series: &[(&str, &[(f64, f64)])]) -> Table {
        let mut columns = vec![x.to_string()];
        columns.extend(series.iter().map(|(label, _)| label.to_string()));
        let xs = series.first().map_or(&[][..], |s| s.1);
        let rows = xs
            .iter()
            .filter(|(x, _)| x.is_finite())
            .map(|&(x, _)| {
                let mut row = vec![x];
                row.extend(series.iter().map(|(_, points)| value_at(points, x)));
                row
            })
            .collect();
        Table { columns, rows, labels: Vec::new() }
    }

    /// A table with row labels: a row per label (under the heading `label`), each series' value
    /// for it in a column under the series' heading (NaN where a series is short).
    pub fn labelled(label: &str, labels: &[&str], series: &[(&str, &[f64])]) -> Table {
        let mut columns = vec![label.to_string()];
        columns.extend(series.iter().map(|(heading, _)| heading.to_string()));
        let rows = (0..labels.len())
            .map(|i| series.iter().map(|(_, values)| values.get(i).copied().unwrap_or(f64::NAN)).collect())
            .collect();
        Table { columns, rows, labels: labels.iter().map(|l| l.to_string()).collect() }
    }

    /// Row `i`'s label, if the table has them.
    pub fn label(&self, i: usize) -> Option<&str> {
        self.labels.get(i).map(String::as_str)
    }

    /// The indices of at most `n` rows (n ≥ 2), evenly spaced, the first and last always kept.
    pub fn sampled_rows(&self, n: usize) -> Vec<usize> {
        let len = self.rows.len();
        let n = n.max(2);
        if len <= n {
            return (0..len).collect();
        }
        (0..n).map(|i| i * (len - 1) / (n - 1)).collect()
    }

    /// At most `n` rows (n ≥ 2), evenly spaced, the first and last always kept.
    pub fn sampled(&self, n: usize) -> Vec<&[f64]> {
        self.sampled_rows(n).into_iter().map(|i| self.rows[i].as_slice()).collect()
    }

    /// The whole table as CSV (RFC 4180: a header line, then one line per row, CRLF endings,
    /// headings and row labels quoted, a quote in them doubled); numbers in plain decimal with up
    /// to six decimals, trailing zeros cut.
    pub fn csv(&self) -> String {
        let mut out = String::new();
        let heads: Vec<String> = self.columns.iter().map(|c| quoted(c)).collect();
        out.push_str(&heads.join(","));
        out.push_str("\r\n");
        for (i, row) in self.rows.iter().enumerate() {
            let mut cells: Vec<String> = self.label(i).map(quoted).into_iter().collect();
            cells.extend(row.iter().map(|&v| csv_number(v)));
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// A cell as the on-page table shows it: "1234", "0.25", "−2" (a typographic minus, as the
    /// readouts write it; the CSV keeps "-2"), "" for a missing value.
    pub fn cell(v: f64) -> String {
        if !v.is_finite() {
            return String::new();
        }
        let s = short(v, 2);
        match s.strip_prefix('-') {
            Some(digits) => format!("−{digits}"),
            None => s,
        }
    }
}

/// The value of the last point at or before `x` (points in x order), NaN if none.
fn value_at(points: &[(f64, f64)], x: f64) -> f64 {
    let i = points.partition_point(|p| p.0 <= x);
    match i.checked_sub(1).map(|i| points[i]) {
        Some((_, y)) if y.is_finite() => y,
        _ if points.len() == 2 && points[1].0 < x => points[1].1,
        _ => f64::NAN,
    }
}

/// A CSV text field: in quotes, a quote inside doubled (so commas, quotes and line breaks in it
/// stay in the field).
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn csv_number(v: f64) -> String {
    if v.is_finite() {
        short(v, 6)
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_share_the_first_series_x_and_step_between_points() {
        let a = [(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)];
        let b = [(0.5, 10.0), (1.5, 20.0)];
        let cap = [(0.0, 800.0), (2.0, 800.0)];
        let t = Table::from_series("t (s)", &[("a", &a), ("b", &b), ("capacity", &cap)]);
        assert_eq!(t.columns, ["t (s)", "a", "b", "capacity"]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[1], vec![1.0, 2.0, 10.0, 800.0]);
        assert!(t.rows[0][2].is_nan(), "nothing of b yet at 0");
        // A gap in the first series is an empty cell, not a missing row.
        let gap = [(0.0, 1.0), (1.0, f64::NAN), (2.0, 3.0)];
        let t2 = Table::from_series("x", &[("gap", &gap), ("b", &b)]);
        assert_eq!(t2.rows.len(), 3);
        assert!(t2.rows[1][1].is_nan() && t2.rows[1][2] == 10.0);
        assert_eq!(t.csv(), "\"t (s)\",\"a\",\"b\",\"capacity\"\r\n0,1,,800\r\n1,2,10,800\r\n2,3,20,800\r\n");
    }

    #[test]
    fn sampling_keeps_the_ends_and_spaces_the_rest() {
        let pts: Vec<(f64, f64)> = (0..101).map(|i| (i as f64, i as f64 * 2.0)).collect();
        let t = Table::from_series("x", &[("y", &pts)]);
        let s = t.sampled(11);
        assert_eq!(s.len(), 11);
        assert_eq!(s[0][0], 0.0);
        assert_eq!(s[10][0], 100.0);
        assert_eq!(s[5][0], 50.0);
        assert_eq!(t.sampled(500).len(), 101);
    }

    #[test]
    fn numbers_are_plain_in_csv_and_short_on_the_page() {
        assert_eq!(csv_number(1234.5), "1234.5");
        assert_eq!(csv_number(0.000_000_1), "0");
        assert_eq!(csv_number(-2.0), "-2");
        assert_eq!(csv_number(f64::NAN), "");
        assert_eq!(Table::cell(f64::INFINITY), "");
        assert_eq!(Table::cell(-2.0), "−2");
        assert_eq!(Table::cell(-0.001), "0", "no minus on a value that rounds to zero");
        let quoted = Table { columns: vec!["say \"hi\"".into()], ..Table::default() };
        assert_eq!(quoted.csv(), "\"say \"\"hi\"\"\"\r\n");
    }

    /// A categorical chart's table: a labelled row per bar, the labels quoted in the CSV (a comma,
    /// a quote or a line break in one stays inside its field).
    #[test]
    fn labelled_rows_carry_their_label_first() {
        let calls = [120.0, 45.5, f64::NAN];
        let time = [2.0, 1.25];
        let t = Table::labelled(
            "strategy",
            &["none", "full, \"jitter\"", "line\nbreak"],
            &[("calls", &calls), ("time (s)", &time)],
        );
        assert_eq!(t.columns, ["strategy", "calls", "time (s)"]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[1], vec![45.5, 1.25]);
        assert_eq!(t.label(1), Some("full, \"jitter\""));
        assert!(t.rows[2][0].is_nan() && t.rows[2][1].is_nan(), "missing values are empty cells");
        assert_eq!(
            t.csv(),
            "\"strategy\",\"calls\",\"time (s)\"\r\n\"none\",120,2\r\n\"full, \"\"jitter\"\"\",45.5,1.25\r\n\"line\nbreak\",,\r\n"
        );
        // Sampling keeps labels and rows together (by index).
        assert_eq!(t.sampled_rows(2), vec![0, 2]);
        assert_eq!(t.sampled(2)[1].len(), 2);
        // A table without labels has none.
        assert_eq!(Table::from_series("x", &[("y", &[(0.0, 1.0)])]).label(0), None);
    }
}

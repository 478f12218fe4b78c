//! A chart's data as a table: what "Show as table" lists (sampled to a readable number of rows)
//! and what its CSV download holds (every row). Screen readers get the table; bloggers get the
//! numbers to plot in their own tools.

use crate::fmt::short;

/// Columns of numbers under their headings; the first column is the x axis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<f64>>,
}

impl Table {
    /// A table of series drawn against a shared x axis (`x` its heading): one row for each x of
    /// the first series, each other series read at that x as the value of its last point at or
    /// before it (a step; a reference line of two points reads as a constant). Points that are
    /// not finite are skipped; a series with nothing at or before an x leaves its cell empty
    /// (NaN, written as an empty CSV field).
    pub fn from_series(x: &str, series: &[(&str, &[(f64, f64)])]) -> Table {
        let mut columns = vec![x.to_string()];
        columns.extend(series.iter().map(|(label, _)| label.to_string()));
        let xs = series.first().map_or(&[][..], |s| s.1);
        let rows = xs
            .iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|&(x, _)| {
                let mut row = vec![x];
                row.extend(series.iter().map(|(_, points)| value_at(points, x)));
                row
            })
            .collect();
        Table { columns, rows }
    }

    /// At most `n` rows (n ≥ 2), evenly spaced, the first and last always kept.
    pub fn sampled(&self, n: usize) -> Vec<&[f64]> {
        let len = self.rows.len();
        let n = n.max(2);
        if len <= n {
            return self.rows.iter().map(Vec::as_slice).collect();
        }
        (0..n).map(|i| self.rows[i * (len - 1) / (n - 1)].as_slice()).collect()
    }

    /// The whole table as CSV (RFC 4180: a header line, then one line per row, CRLF endings,
    /// headings quoted); numbers in plain decimal with up to six decimals, trailing zeros cut.
    pub fn csv(&self) -> String {
        let mut out = String::new();
        let heads: Vec<String> = self.columns.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
        out.push_str(&heads.join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|&v| csv_number(v)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// A cell as the on-page table shows it: "1,234", "0.25", "" for a missing value.
    pub fn cell(v: f64) -> String {
        if v.is_finite() {
            short(v, 2)
        } else {
            String::new()
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
        let quoted = Table { columns: vec!["say \"hi\"".into()], rows: vec![] };
        assert_eq!(quoted.csv(), "\"say \"\"hi\"\"\"\r\n");
    }
}

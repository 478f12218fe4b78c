//! What the model tests share. Each test file that needs it declares `mod common;`.

#![allow(dead_code)] // each test binary uses its own part

/// Whether `got` is within `rel` of `want`, relative to the larger of the two (at least 1e-12,
/// so two zeros are close).
pub fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * got.abs().max(want.abs()).max(1e-12)
}

/// Asserts `got` is within `tol` of `want` (absolute), naming `what` if not.
pub fn assert_close(got: f64, want: f64, tol: f64, what: &str) {
    assert!((got - want).abs() <= tol, "{what}: got {got}, want {want} ± {tol}");
}

//! Agent pictures painted into an RGBA buffer (one `putImageData` per frame, no per-agent DOM).
//! Pure: the buffer is plain memory, so tests can inspect pixels natively.

use crate::charts::Rgb;
use crate::ui::theme::Palette;
use model::pool::PoolSim;
use model::retry::{ClientState, RetrySim, WorkerState};

/// An RGBA pixel buffer, reused across frames.
#[derive(Clone, Debug, Default)]
pub struct Rgba {
    pub w: u32,
    pub h: u32,
    pub px: Vec<u8>,
}

impl Rgba {
    /// Resizes (reallocating only when the size changes) and fills with `c`.
    pub fn reset(&mut self, w: u32, h: u32, c: Rgb) {
        let (w, h) = (w.clamp(1, 4096), h.clamp(1, 4096));
        self.w = w;
        self.h = h;
        self.px.resize((w * h * 4) as usize, 255);
        for p in self.px.chunks_exact_mut(4) {
            p.copy_from_slice(&[c.0, c.1, c.2, 255]);
        }
    }

    /// Fills a rectangle, clipped to the buffer.
    pub fn rect(&mut self, x: i64, y: i64, w: i64, h: i64, c: Rgb) {
        let x0 = x.clamp(0, self.w as i64) as usize;
        let x1 = (x + w).clamp(0, self.w as i64) as usize;
        let y0 = y.clamp(0, self.h as i64) as usize;
        let y1 = (y + h).clamp(0, self.h as i64) as usize;
        let stride = self.w as usize * 4;
        for row in y0..y1 {
            for p in self.px[row * stride + x0 * 4..row * stride + x1 * 4].chunks_exact_mut(4) {
                p.copy_from_slice(&[c.0, c.1, c.2, 255]);
            }
        }
    }

    pub fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * self.w + x) * 4) as usize;
        [self.px[i], self.px[i + 1], self.px[i + 2], self.px[i + 3]]
    }
}

/// Colour of a client state. Shared by the picture and its HTML legend.
pub fn client_color(pal: &Palette, s: u8) -> Rgb {
    match s {
        x if x == ClientState::Waiting as u8 => pal.series[0],
        x if x == ClientState::BackingOff as u8 => pal.series[4],
        x if x == ClientState::Succeeded as u8 => pal.series[2],
        x if x == ClientState::Failed as u8 => pal.series[1],
        x if x == ClientState::Refused as u8 => pal.series[3],
        _ => pal.grid,
    }
}

/// Lays `n` cells out in a grid inside `w × h`: (columns, cell size).
fn grid(n: usize, w: i64, h: i64) -> (i64, i64) {
    let n = n.max(1) as f64;
    let side = ((w * h) as f64 / n).sqrt().floor().max(1.0);
    let mut cols = (w as f64 / side).floor().max(1.0) as i64;
    let mut cell = side as i64;
    while ((n / cols as f64).ceil() as i64) * cell > h && cell > 1 {
        cell -= 1;
        cols = (w / cell).max(1);
    }
    (cols, cell.max(1))
}

/// Paints clients (top), then the dependency's workers and queue (bottom).
pub fn paint_retry(buf: &mut Rgba, pal: &Palette, sim: &RetrySim) {
    let (w, h) = (buf.w as i64, buf.h as i64);
    buf.reset(buf.w, buf.h, pal.bg);
    let pad = (w / 60).max(4);
    let clients_h = h * 58 / 100;
    let clients = sim.client_states();
    let (cols, cell) = grid(clients.len(), w - 2 * pad, clients_h - 2 * pad);
    let gap = if cell >= 4 { 1 } else { 0 };
    for (i, &s) in clients.iter().enumerate() {
        let (r, c) = (i as i64 / cols, i as i64 % cols);
        buf.rect(pad + c * cell, pad + r * cell, cell - gap, cell - gap, client_color(pal, s));
    }
    // Workers: one box each, in a row.
    let top = clients_h + pad;
    let workers_h = (h - top) * 40 / 100;
    let n = sim.params().workers as i64;
    let ww = ((w - 2 * pad) / n.max(1)).max(1);
    let mut k = 0;
    sim.for_each_worker(|st| {
        let c = match st {
            WorkerState::Idle => pal.grid,
            WorkerState::Useful => pal.series[2],
            WorkerState::Wasted => pal.series[1],
        };
        buf.rect(pad + k * ww, top, ww - (ww / 8).max(1), workers_h - pad, c);
        k += 1;
    });
    // Queue: a strip of slots, front first, coloured by whether anyone still waits.
    let qtop = top + workers_h;
    let qh = h - qtop - pad;
    let cap = sim.params().queue_limit.max(1) as i64;
    let (qcols, qcell) = grid(cap as usize, w - 2 * pad, qh);
    buf.rect(pad, qtop, qcols * qcell, ((cap + qcols - 1) / qcols) * qcell, pal.grid);
    let mut i = 0;
    sim.for_each_queued(|zombie| {
        let (r, c) = (i / qcols, i % qcols);
        let color = if zombie { pal.series[1] } else { pal.series[0] };
        buf.rect(pad + c * qcell, qtop + r * qcell, qcell.max(1), qcell.max(1), color);
        i += 1;
    });
}

/// Paints the thread pool (top) and the backlog (bottom).
pub fn paint_pool(buf: &mut Rgba, pal: &Palette, sim: &PoolSim) {
    let (w, h) = (buf.w as i64, buf.h as i64);
    buf.reset(buf.w, buf.h, pal.bg);
    let pad = (w / 60).max(4);
    let threads = sim.threads_busy();
    let top_h = h * 70 / 100;
    let (cols, cell) = grid(threads.len(), w - 2 * pad, top_h - 2 * pad);
    let gap = if cell >= 4 { (cell / 6).max(1) } else { 0 };
    for (i, &busy) in threads.iter().enumerate() {
        let (r, c) = (i as i64 / cols, i as i64 % cols);
        let color = if busy { pal.series[0] } else { pal.grid };
        buf.rect(pad + c * cell, pad + r * cell, cell - gap, cell - gap, color);
    }
    let snap = sim.snapshot();
    let cap = sim.params().backlog.max(1) as f64;
    let bw = w - 2 * pad;
    let by = top_h + pad;
    let bh = (h - by - pad).max(2);
    buf.rect(pad, by, bw, bh, pal.grid);
    let filled = (bw as f64 * (snap.backlog as f64 / cap).min(1.0)) as i64;
    buf.rect(pad, by, filled, bh, pal.series[1]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::des::SEC;
    use model::retry::RetryParams;

    #[test]
    fn grid_fits() {
        for n in [1, 7, 400, 5_000] {
            let (cols, cell) = grid(n, 600, 200);
            let rows = (n as i64 + cols - 1) / cols;
            assert!(cols * cell <= 600 && rows * cell <= 200, "{n}: {cols} {cell}");
        }
    }

    #[test]
    fn paints_every_state() {
        let mut sim = RetrySim::new(RetryParams::NAIVE, 1);
        sim.advance(2 * SEC);
        let mut buf = Rgba::default();
        buf.reset(300, 200, Palette::LIGHT.bg);
        paint_retry(&mut buf, &Palette::LIGHT, &sim);
        let green = Palette::LIGHT.series[2];
        let found = buf.px.chunks_exact(4).any(|p| p[..3] == [green.0, green.1, green.2]);
        assert!(found, "some client has succeeded");
        buf.rect(-10, -10, 5000, 5000, green); // clipping never panics
    }
}

//! The convolution of [`crate::gemm_conv`] on host memory: forward and both
//! gradients as matrix products over shifted rows, one sample per task.
//!
//! Stride 1, no dilation, zero padding `(ph, pw)`. Per sample, the padded
//! input is one row of `Lp = Hp·Wp + kw - 1` values per channel (`xp`), and
//! output position `p = h·Wp + w` of tap `(i, j)` reads `xp[:, p + i·Wp + j]`.
//! Over full padded rows (`R = Ho·Wp` positions, the last `kw - 1` of each
//! row discarded), in blocks of 512 positions so that each block's operands
//! stay in cache:
//!
//! - forward: `Y = Σ_t W_t · Xp_t` (`[O, C] x [C, R]`, accumulated in place);
//! - input gradient: `dXp_t += W_tᵀ · dY` (`[C, O] x [O, R]`, into the shifted
//!   window of `dXp`), then cut the padding away;
//! - weight gradient: `dW_t = dY · Xp_tᵀ` (`[O, R] x [R, C]`); bias: `Σ_p dY`.
//!
//! Each block's products write, and read `dY` from, a block-sized scratch
//! `[O, 512]`: its valid columns go straight to the output (with the bias
//! and activation), and `dY` is laid out in padded rows one block at a
//! time, so no full-map buffer of padded rows is filled, zeroed or copied.
//!
//! An optional leaky ReLU `a(v) = v` for `v >= 0`, `slope·v` below, is fused
//! in: applied where the bias is added, and its derivative (`slope` where the
//! output is negative, else 1) applied to `dY` where `dY` is laid out in
//! rows, so it costs no pass over memory of its own. `slope = 1` is no
//! activation.
//!
//! With fewer than 16 input channels a product per tap would be too thin
//! (the first layer has one channel: nine rank-1 updates), so the taps of a
//! block are gathered into `[C·taps, 512]` (im2col) and each sum above is
//! one product with inner size `C·taps`; the input gradient is scattered
//! back from the gathered layout.
//!
//! `W_t` is the strided `[O, C]` slice of `weight [O, C, kh, kw]` at tap `t`,
//! so nothing is copied. The per-sample weight and bias gradients are summed in
//! sample order after the parallel part: the result does not depend on the
//! number of threads.

use std::mem::MaybeUninit;

use gemm::{Parallelism, gemm};

/// A strided matrix inside a slice, for [`product`]: element `(i, j)` at
/// `offset + i·row + j·col`.
#[derive(Debug, Clone, Copy)]
struct View {
    ptr: *const f32,
    row: isize,
    col: isize,
}

impl View {
    fn new(data: &[f32], offset: usize, row: usize, col: usize) -> Self {
        Self {
            ptr: data.as_ptr().wrapping_add(offset),
            row: row as isize,
            col: col as isize,
        }
    }
}

/// [`View`] of the matrix a product writes.
#[derive(Debug)]
struct ViewMut {
    ptr: *mut f32,
    row: isize,
    col: isize,
}

impl ViewMut {
    fn new(data: &mut [f32], offset: usize, row: usize, col: usize) -> Self {
        Self {
            ptr: data.as_mut_ptr().wrapping_add(offset),
            row: row as isize,
            col: col as isize,
        }
    }
}

/// `dst [m, n] = lhs [m, k] · rhs [k, n]`, or `+=` with `accumulate`.
///
/// # Safety
/// Every element the three views address for these sizes lies inside the
/// slice its view was made from, and `dst` overlaps neither input.
#[allow(clippy::too_many_arguments)]
unsafe fn product(
    m: usize,
    n: usize,
    k: usize,
    dst: ViewMut,
    accumulate: bool,
    lhs: View,
    rhs: View,
    threads: Parallelism,
) {
    // SAFETY: the caller's contract is gemm's.
    unsafe {
        gemm(
            m, n, k, dst.ptr, dst.col, dst.row, accumulate, lhs.ptr, lhs.col, lhs.row, rhs.ptr,
            rhs.col, rhs.row, 1.0, 1.0, false, false, false, threads,
        );
    }
}
use rayon::prelude::*;

/// Sizes of one convolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvShape {
    /// Samples in the batch.
    pub batch: usize,
    /// Input channels `C`.
    pub inputs: usize,
    /// Output channels `O`.
    pub outputs: usize,
    /// Input height and width, before padding.
    pub input: [usize; 2],
    /// Kernel height and width.
    pub kernel: [usize; 2],
    /// Zeros added on both sides of height and width.
    pub padding: [usize; 2],
}

impl ConvShape {
    /// Padded input height and width.
    fn padded(&self) -> [usize; 2] {
        [
            self.input[0] + 2 * self.padding[0],
            self.input[1] + 2 * self.padding[1],
        ]
    }

    /// Output height and width.
    pub fn output(&self) -> [usize; 2] {
        let [hp, wp] = self.padded();
        [hp + 1 - self.kernel[0], wp + 1 - self.kernel[1]]
    }

    /// Length of one padded channel row, with the tail the last tap reads.
    fn row_len(&self) -> usize {
        let [hp, wp] = self.padded();
        hp * wp + self.kernel[1] - 1
    }

    /// Output positions computed per channel (full padded rows).
    fn positions(&self) -> usize {
        self.output()[0] * self.padded()[1]
    }

    fn taps(&self) -> usize {
        self.kernel[0] * self.kernel[1]
    }

    /// Offset of tap `t` in a padded row.
    fn tap_offset(&self, t: usize) -> usize {
        let wp = self.padded()[1];
        (t / self.kernel[1]) * wp + t % self.kernel[1]
    }

    fn sample_input(&self) -> usize {
        self.inputs * self.input[0] * self.input[1]
    }

    fn sample_output(&self) -> usize {
        let [ho, wo] = self.output();
        self.outputs * ho * wo
    }

    /// Whether the kernel fits the padded input.
    pub fn is_valid(&self) -> bool {
        let [hp, wp] = self.padded();
        hp >= self.kernel[0] && wp >= self.kernel[1] && self.kernel[0] * self.kernel[1] > 0
    }
}

/// `xp [C, Lp]`: sample `x [C, H, W]` with zero padding, as padded rows.
fn pad_sample(shape: &ConvShape, x: &[f32], xp: &mut Vec<f32>) {
    let [h, w] = shape.input;
    let [ph, pw] = shape.padding;
    let wp = shape.padded()[1];
    let len = shape.row_len();
    xp.clear();
    xp.resize(shape.inputs * len, 0.0);
    for c in 0..shape.inputs {
        for row in 0..h {
            let src = &x[(c * h + row) * w..][..w];
            let start = c * len + (row + ph) * wp + pw;
            xp[start..start + w].copy_from_slice(src);
        }
    }
}

/// Whether to run samples in parallel (else each product uses the threads).
fn per_sample(shape: &ConvShape) -> bool {
    shape.batch >= rayon::current_num_threads()
}

fn product_threads(shape: &ConvShape) -> Parallelism {
    if per_sample(shape) {
        Parallelism::None
    } else {
        Parallelism::Rayon(0)
    }
}

/// The leaky ReLU fused into the convolution: `v` for `v >= 0`, else `slope·v`.
/// `slope = 1` is the identity. `slope` must lie in `(0, 1]`, so that the sign
/// of the output tells where the slope applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Activation {
    slope: f32,
}

impl Activation {
    /// No activation.
    pub const NONE: Self = Self { slope: 1.0 };

    /// A leaky ReLU with this negative slope, or `None` outside `(0, 1]`.
    pub fn leaky_relu(slope: f32) -> Option<Self> {
        (slope > 0.0 && slope <= 1.0).then_some(Self { slope })
    }

    /// The negative slope (1 for none).
    pub fn slope(&self) -> f32 {
        self.slope
    }

    /// Whether this is the identity.
    pub fn is_none(&self) -> bool {
        self.slope == 1.0
    }

    fn apply(&self, v: f32) -> f32 {
        if v < 0.0 { v * self.slope } else { v }
    }

    /// The derivative at an input whose output is `y`.
    fn derivative(&self, y: f32) -> f32 {
        if y < 0.0 { self.slope } else { 1.0 }
    }
}

/// Forward: `y [B, O, Ho, Wo] = act(conv(x) + bias)` from `x [B, C, H, W]`,
/// `weight [O, C, kh, kw]`, `bias [O]`.
pub fn forward(
    shape: &ConvShape,
    x: &[f32],
    weight: &[f32],
    bias: &[f32],
    activation: Activation,
) -> Vec<f32> {
    assert_eq!(x.len(), shape.batch * shape.sample_input());
    assert_eq!(weight.len(), shape.outputs * shape.inputs * shape.taps());
    assert_eq!(bias.len(), shape.outputs);
    let total = shape.batch * shape.sample_output();
    let mut y = Vec::with_capacity(total);
    let threads = product_threads(shape);
    let run = |(x_b, y_b): (&[f32], &mut [MaybeUninit<f32>])| {
        let mut xp = Vec::new();
        pad_sample(shape, x_b, &mut xp);
        forward_sample(shape, &xp, weight, bias, activation, y_b, threads);
    };
    let (n_in, n_out) = (shape.sample_input(), shape.sample_output());
    let spare = &mut y.spare_capacity_mut()[..total];
    if per_sample(shape) {
        x.par_chunks(n_in)
            .zip(spare.par_chunks_mut(n_out))
            .for_each(run);
    } else {
        x.chunks(n_in).zip(spare.chunks_mut(n_out)).for_each(run);
    }
    // SAFETY: every sample's window was written whole by `crop_block`
    // (each output position lies in exactly one position block).
    unsafe { y.set_len(total) };
    y
}

/// Positions per block of the products: the block of every operand stays in
/// cache across the taps (measured with AVX-512: 125-135 GFLOP/s per core at
/// 256-1024 positions, 60 over whole 8,800-position rows).
const BLOCK: usize = 512;

/// Below this many input channels the taps are gathered into one product
/// (`K = C·taps`): a product per tap would have an inner size of `C`.
const GATHER_BELOW: usize = 16;

fn gathers(shape: &ConvShape) -> bool {
    shape.inputs < GATHER_BELOW
}

/// The position blocks `(start, length)` of `0..R`.
fn blocks(shape: &ConvShape) -> impl Iterator<Item = (usize, usize)> {
    let r = shape.positions();
    (0..r).step_by(BLOCK).map(move |p0| (p0, BLOCK.min(r - p0)))
}

/// `col [C·T, n]`: row `c·T + t` = `xp[c, off_t + p0 ..][..n]` (im2col of one block).
fn gather(shape: &ConvShape, xp: &[f32], p0: usize, n: usize, col: &mut Vec<f32>) {
    let (taps, len) = (shape.taps(), shape.row_len());
    col.clear();
    for c in 0..shape.inputs {
        for t in 0..taps {
            let at = c * len + shape.tap_offset(t) + p0;
            col.extend_from_slice(&xp[at..at + n]);
        }
    }
}

/// `dxp[c, off_t + p0 ..][..n] += dcol[c·T + t]` (the adjoint of [`gather`]).
fn scatter(shape: &ConvShape, dcol: &[f32], p0: usize, n: usize, dxp: &mut [f32]) {
    let (taps, len) = (shape.taps(), shape.row_len());
    for c in 0..shape.inputs {
        for t in 0..taps {
            let at = c * len + shape.tap_offset(t) + p0;
            let src = &dcol[(c * taps + t) * n..][..n];
            dxp[at..at + n]
                .iter_mut()
                .zip(src)
                .for_each(|(d, s)| *d += s);
        }
    }
}

/// `y_b [O, Ho, Wo]` = `act(Σ_t W_t · xp[:, off_t..] + bias)`, one position
/// block at a time into a block-sized scratch `[O, n]` (in cache), whose
/// valid columns are written out with the bias and activation at once.
#[allow(clippy::too_many_arguments)]
fn forward_sample(
    shape: &ConvShape,
    xp: &[f32],
    weight: &[f32],
    bias: &[f32],
    activation: Activation,
    y_b: &mut [MaybeUninit<f32>],
    threads: Parallelism,
) {
    let (o, c, taps) = (shape.outputs, shape.inputs, shape.taps());
    let len = shape.row_len();
    let k = c * taps;
    let mut col = Vec::new();
    let mut block = vec![0.0f32; o * BLOCK.min(shape.positions())];
    for (p0, n) in blocks(shape) {
        let out = &mut block[..o * n];
        if gathers(shape) {
            gather(shape, xp, p0, n, &mut col);
            // SAFETY: out is O x n row-major; weight is O x K row-major;
            // col is K x n row-major.
            unsafe {
                product(
                    o,
                    n,
                    k,
                    ViewMut::new(out, 0, n, 1),
                    false,
                    View::new(weight, 0, k, 1),
                    View::new(&col, 0, n, 1),
                    threads,
                );
            }
        } else {
            for t in 0..taps {
                let off = shape.tap_offset(t);
                // SAFETY: W_t reads weight[o·C·T + c·T + t] for o < O, c < C;
                // the input reads xp[c·Lp + off + p0 + j] for j < n, and
                // off + p0 + n <= off + R <= Lp by construction of the padded
                // row; out is O x n row-major.
                unsafe {
                    product(
                        o,
                        n,
                        c,
                        ViewMut::new(out, 0, n, 1),
                        t > 0,
                        View::new(weight, t, k, taps),
                        View::new(xp, off + p0, len, 1),
                        threads,
                    );
                }
            }
        }
        crop_block(shape, out, p0, n, bias, activation, y_b);
    }
}

/// The runs `(h, w, start, len)` of valid output columns among positions
/// `p0 .. p0 + n` of the full padded rows: output `(h, w .. w + len)` is
/// block column `start ..`.
fn valid_runs(shape: &ConvShape, p0: usize, n: usize) -> impl Iterator<Item = [usize; 4]> {
    let wo = shape.output()[1];
    let wp = shape.padded()[1];
    let first = p0 / wp;
    let last = (p0 + n - 1) / wp;
    (first..=last).filter_map(move |h| {
        let from = (h * wp).max(p0);
        let to = (h * wp + wo).min(p0 + n);
        (from < to).then(|| [h, from - h * wp, from - p0, to - from])
    })
}

/// `y_b[o, h, w] = act(block[o, p - p0] + bias[o])` for the valid positions
/// `p = h·Wp + w` (`w < Wo`) of the block.
fn crop_block(
    shape: &ConvShape,
    block: &[f32],
    p0: usize,
    n: usize,
    bias: &[f32],
    activation: Activation,
    y_b: &mut [MaybeUninit<f32>],
) {
    let [ho, wo] = shape.output();
    for (o, &b) in bias.iter().enumerate() {
        for [h, w, start, len] in valid_runs(shape, p0, n) {
            let src = &block[o * n + start..][..len];
            let dst = &mut y_b[(o * ho + h) * wo + w..][..len];
            if activation.is_none() {
                for (d, s) in dst.iter_mut().zip(src) {
                    d.write(s + b);
                }
            } else {
                for (d, s) in dst.iter_mut().zip(src) {
                    d.write(activation.apply(s + b));
                }
            }
        }
    }
}

/// Gradients of a convolution.
#[derive(Debug, Clone)]
pub struct ConvGrads {
    /// `[B, C, H, W]`.
    pub input: Vec<f32>,
    /// `[O, C, kh, kw]`.
    pub weight: Vec<f32>,
    /// `[O]`.
    pub bias: Vec<f32>,
}

/// One sample's index and its gradient windows: `((dx, dweight), dbias)`.
type SampleGrads<'a> = (usize, ((&'a mut [f32], &'a mut [f32]), &'a mut [f32]));

/// The forward output an activation's derivative is read from.
#[derive(Debug, Clone, Copy)]
pub struct Activated<'a> {
    /// The activation of the forward pass.
    pub activation: Activation,
    /// Its output `y [B, O, Ho, Wo]`; unused (may be empty) for none.
    pub output: &'a [f32],
}

/// Backward: the gradients of `x`, `weight` and `bias` given the gradient
/// `dy [B, O, Ho, Wo]` of the activated output. `input_grad = false` skips
/// `dx` (left empty).
pub fn backward(
    shape: &ConvShape,
    x: &[f32],
    weight: &[f32],
    dy: &[f32],
    activated: Activated,
    input_grad: bool,
) -> ConvGrads {
    assert_eq!(x.len(), shape.batch * shape.sample_input());
    assert_eq!(dy.len(), shape.batch * shape.sample_output());
    let activation = activated.activation;
    if !activation.is_none() {
        assert_eq!(activated.output.len(), dy.len());
    }
    let weight_len = weight.len();
    let mut dx = vec![0.0f32; if input_grad { x.len() } else { 0 }];
    let mut dw_each = vec![0.0f32; shape.batch * weight_len];
    let mut db_each = vec![0.0f32; shape.batch * shape.outputs];
    let threads = product_threads(shape);
    let (n_in, n_out) = (shape.sample_input(), shape.sample_output());
    let run = |(b, ((dx_b, dw_b), db_b)): SampleGrads| {
        let (x_b, dy_b) = (&x[b * n_in..][..n_in], &dy[b * n_out..][..n_out]);
        let y_b = (!activation.is_none()).then(|| &activated.output[b * n_out..][..n_out]);
        let mut xp = Vec::new();
        pad_sample(shape, x_b, &mut xp);
        let grads = SampleGradWindows {
            dx: input_grad.then_some(dx_b),
            dw: dw_b,
            db: db_b,
        };
        backward_sample(
            shape,
            &xp,
            weight,
            dy_b,
            y_b.map(|y| (activation, y)),
            grads,
            threads,
        );
    };
    let o = shape.outputs;
    if per_sample(shape) {
        (0..shape.batch)
            .into_par_iter()
            .zip(
                dx_chunks_par(&mut dx, n_in, shape.batch)
                    .zip(dw_each.par_chunks_mut(weight_len))
                    .zip(db_each.par_chunks_mut(o)),
            )
            .for_each(run);
    } else {
        (0..shape.batch)
            .zip(
                dx_chunks(&mut dx, n_in, shape.batch)
                    .zip(dw_each.chunks_mut(weight_len))
                    .zip(db_each.chunks_mut(o)),
            )
            .for_each(run);
    }
    // Sample order, whatever the threads did.
    let mut dw = vec![0.0f32; weight_len];
    for each in dw_each.chunks(weight_len) {
        dw.iter_mut().zip(each).for_each(|(a, b)| *a += b);
    }
    let mut db = vec![0.0f32; shape.outputs];
    for each in db_each.chunks(shape.outputs) {
        db.iter_mut().zip(each).for_each(|(a, b)| *a += b);
    }
    ConvGrads {
        input: dx,
        weight: dw,
        bias: db,
    }
}

/// Per-sample windows of `dx`, or `batch` empty ones when it is skipped.
fn dx_chunks(dx: &mut [f32], n: usize, batch: usize) -> impl Iterator<Item = &mut [f32]> {
    let size = if dx.is_empty() { 0 } else { n };
    let mut rest = dx;
    (0..batch).map(move |_| {
        let (head, tail) = core::mem::take(&mut rest).split_at_mut(size);
        rest = tail;
        head
    })
}

fn dx_chunks_par(
    dx: &mut [f32],
    n: usize,
    batch: usize,
) -> impl IndexedParallelIterator<Item = &mut [f32]> {
    dx_chunks(dx, n, batch).collect::<Vec<_>>().into_par_iter()
}

/// One sample's gradients, written by [`backward_sample`].
struct SampleGradWindows<'a> {
    /// `[C, H, W]`, or `None` when the input needs no gradient.
    dx: Option<&'a mut [f32]>,
    /// `[O, C, kh, kw]`, starting at zero.
    dw: &'a mut [f32],
    /// `[O]`.
    db: &'a mut [f32],
}

/// One sample's gradients, a position block at a time: the gradient before
/// the activation, `dy_b · act'(y_b)`, laid out as the block's full padded
/// rows `[O, n]` (zeros in the discarded columns, in a block-sized scratch),
/// then `dXp += Σ_t W_tᵀ · g` shifted by each tap, `dW_t += g · Xp_tᵀ`, and
/// the bias gradient `Σ g`, each summed over the blocks in order.
fn backward_sample(
    shape: &ConvShape,
    xp: &[f32],
    weight: &[f32],
    dy_b: &[f32],
    activated: Option<(Activation, &[f32])>,
    grads: SampleGradWindows,
    threads: Parallelism,
) {
    let (o, c) = (shape.outputs, shape.inputs);
    let len = shape.row_len();
    let mut g = vec![0.0f32; o * BLOCK.min(shape.positions())];
    let mut dxp = vec![0.0f32; if grads.dx.is_some() { c * len } else { 0 }];
    let (mut col, mut dcol) = (Vec::new(), Vec::new());
    grads.db.fill(0.0);
    for (p0, n) in blocks(shape) {
        let g = &mut g[..o * n];
        block_grad(shape, dy_b, activated, p0, n, g, grads.db);
        if grads.dx.is_some() {
            input_grad_block(shape, weight, g, p0, n, &mut dxp, &mut dcol, threads);
        }
        weight_grad_block(shape, xp, g, p0, n, grads.dw, &mut col, threads);
    }
    if let Some(dx_b) = grads.dx {
        let [h, w] = shape.input;
        let [ph, pw] = shape.padding;
        let wp = shape.padded()[1];
        for ch in 0..c {
            for row in 0..h {
                let src = &dxp[ch * len + (row + ph) * wp + pw..][..w];
                dx_b[(ch * h + row) * w..][..w].copy_from_slice(src);
            }
        }
    }
}

/// `g [O, n]`: positions `p0 .. p0 + n` of `dy_b · act'(y_b)` as full padded
/// rows (zeros where `w >= Wo`); adds each channel's sum to `db`.
fn block_grad(
    shape: &ConvShape,
    dy_b: &[f32],
    activated: Option<(Activation, &[f32])>,
    p0: usize,
    n: usize,
    g: &mut [f32],
    db: &mut [f32],
) {
    let [ho, wo] = shape.output();
    g.fill(0.0);
    for (ch, db) in db.iter_mut().enumerate() {
        let mut sum = 0.0f32;
        for [h, w, start, run] in valid_runs(shape, p0, n) {
            let at = (ch * ho + h) * wo + w;
            let src = &dy_b[at..][..run];
            let dst = &mut g[ch * n + start..][..run];
            match activated {
                None => dst.copy_from_slice(src),
                Some((activation, y_b)) => {
                    for ((d, v), y) in dst.iter_mut().zip(src).zip(&y_b[at..][..run]) {
                        *d = v * activation.derivative(*y);
                    }
                }
            }
            sum += dst.iter().sum::<f32>();
        }
        *db += sum;
    }
}

/// `dXp += Σ_t W_tᵀ · g` for the block at `p0` (each tap into its shifted
/// window of `dxp [C, Lp]`; gathered layout and scatter below 16 channels).
#[allow(clippy::too_many_arguments)]
fn input_grad_block(
    shape: &ConvShape,
    weight: &[f32],
    g: &[f32],
    p0: usize,
    n: usize,
    dxp: &mut [f32],
    dcol: &mut Vec<f32>,
    threads: Parallelism,
) {
    let (o, c, taps) = (shape.outputs, shape.inputs, shape.taps());
    let len = shape.row_len();
    let k = c * taps;
    if gathers(shape) {
        dcol.clear();
        dcol.resize(k * n, 0.0);
        // SAFETY: dcol is K x n; Wᵀ reads weight[o·K + kk]; g is O x n.
        unsafe {
            product(
                k,
                n,
                o,
                ViewMut::new(dcol, 0, n, 1),
                false,
                View::new(weight, 0, 1, k),
                View::new(g, 0, n, 1),
                threads,
            );
        }
        scatter(shape, dcol, p0, n, dxp);
        return;
    }
    for t in 0..taps {
        let off = shape.tap_offset(t);
        // SAFETY: dXp's window [c·Lp + off + p0, + n) lies inside row c
        // (off + R <= Lp); W_tᵀ reads weight[o·C·T + c·T + t]; g is O x n.
        unsafe {
            product(
                c,
                n,
                o,
                ViewMut::new(dxp, off + p0, len, 1),
                true,
                View::new(weight, t, taps, k),
                View::new(g, 0, n, 1),
                threads,
            );
        }
    }
}

/// `dW_t += g · xp[:, off_t + p0 ..]ᵀ` for the block at `p0`.
#[allow(clippy::too_many_arguments)]
fn weight_grad_block(
    shape: &ConvShape,
    xp: &[f32],
    g: &[f32],
    p0: usize,
    n: usize,
    dw_b: &mut [f32],
    col: &mut Vec<f32>,
    threads: Parallelism,
) {
    let (o, c, taps) = (shape.outputs, shape.inputs, shape.taps());
    let len = shape.row_len();
    let k = c * taps;
    if gathers(shape) {
        gather(shape, xp, p0, n, col);
        // SAFETY: dw_b is O x K row-major; g is O x n; colᵀ reads col[kk·n + j].
        unsafe {
            product(
                o,
                k,
                n,
                ViewMut::new(dw_b, 0, k, 1),
                true,
                View::new(g, 0, n, 1),
                View::new(col, 0, 1, n),
                threads,
            );
        }
        return;
    }
    for t in 0..taps {
        let off = shape.tap_offset(t);
        // SAFETY: dW_t writes dw_b[o·C·T + c·T + t]; g is O x n; the input
        // reads xp[c·Lp + off + p0 + j], j < n, inside row c.
        unsafe {
            product(
                o,
                c,
                n,
                ViewMut::new(dw_b, t, k, taps),
                true,
                View::new(g, 0, n, 1),
                View::new(xp, off + p0, 1, len),
                threads,
            );
        }
    }
}

#[cfg(test)]
#[path = "conv_kernel_tests.rs"]
mod tests;

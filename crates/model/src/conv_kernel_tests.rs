//! [`super`] against the direct definition of the convolution: forward,
//! exact gradients (the loss is linear in each argument), the fused leaky
//! ReLU, and independence from the number of threads over both product
//! paths and several position blocks.

use super::*;
use crate::test_support::pattern as values;

/// The definition, summed directly.
fn direct(shape: &ConvShape, x: &[f32], w: &[f32], b: &[f32]) -> Vec<f32> {
    let [h, wd] = shape.input;
    let [kh, kw] = shape.kernel;
    let [ph, pw] = shape.padding;
    let [ho, wo] = shape.output();
    let (c, o) = (shape.inputs, shape.outputs);
    let mut y = vec![0.0f64; shape.batch * o * ho * wo];
    for n in 0..shape.batch {
        for oc in 0..o {
            for i in 0..ho {
                for j in 0..wo {
                    let mut s = b[oc] as f64;
                    for ic in 0..c {
                        for a in 0..kh {
                            for bb in 0..kw {
                                let (r, q) = (i + a, j + bb);
                                if r < ph || q < pw || r - ph >= h || q - pw >= wd {
                                    continue;
                                }
                                let xv = x[((n * c + ic) * h + r - ph) * wd + q - pw];
                                s += xv as f64 * w[((oc * c + ic) * kh + a) * kw + bb] as f64;
                            }
                        }
                    }
                    y[((n * o + oc) * ho + i) * wo + j] = s;
                }
            }
        }
    }
    y.into_iter().map(|v| v as f32).collect()
}

fn none() -> Activated<'static> {
    Activated {
        activation: Activation::NONE,
        output: &[],
    }
}

fn shapes() -> Vec<ConvShape> {
    let s = |batch, inputs, outputs, input, kernel, padding| ConvShape {
        batch,
        inputs,
        outputs,
        input,
        kernel,
        padding,
    };
    vec![
        s(1, 1, 3, [7, 5], [3, 3], [0, 0]),
        s(3, 2, 4, [6, 9], [3, 3], [1, 1]),
        s(2, 3, 2, [5, 4], [2, 3], [0, 2]),
        s(5, 4, 3, [4, 4], [1, 1], [0, 0]),
        s(1, 2, 2, [3, 3], [3, 3], [0, 0]),
        s(4, 3, 5, [8, 3], [5, 1], [2, 0]),
        // A product per tap (16 channels and more).
        s(1, 16, 2, [5, 4], [3, 3], [1, 1]),
        s(2, 17, 3, [3, 6], [2, 2], [0, 1]),
    ]
}

fn close(a: &[f32], b: &[f32], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    let scale = b.iter().fold(1e-6f32, |m, v| m.max(v.abs()));
    for (i, (p, q)) in a.iter().zip(b).enumerate() {
        assert!((p - q).abs() <= 1e-5 * scale, "{what}[{i}]: {p} vs {q}");
    }
}

#[test]
fn forward_matches_the_definition() {
    for shape in shapes() {
        let x = values(shape.batch * shape.sample_input(), 1);
        let w = values(shape.outputs * shape.inputs * shape.taps(), 2);
        let b = values(shape.outputs, 3);
        let y = forward(&shape, &x, &w, &b, Activation::NONE);
        close(&y, &direct(&shape, &x, &w, &b), "y");
    }
}

/// Gradients of `L = Σ y · r` are linear in `r`: check them against finite
/// differences of the (exact, linear) direct convolution in f64 terms.
#[test]
fn gradients_match_the_definition() {
    for shape in shapes() {
        let x = values(shape.batch * shape.sample_input(), 4);
        let w = values(shape.outputs * shape.inputs * shape.taps(), 5);
        let b = values(shape.outputs, 6);
        let r = values(shape.batch * shape.sample_output(), 7);
        let g = backward(&shape, &x, &w, &r, none(), true);
        let loss = |x: &[f32], w: &[f32], b: &[f32]| -> f64 {
            direct(&shape, x, w, b)
                .iter()
                .zip(&r)
                .map(|(y, r)| *y as f64 * *r as f64)
                .sum()
        };
        // L is linear in each argument, so a unit step gives the exact
        // partial derivative: L(e_i) - L(0) with the others fixed.
        let zeros_x = vec![0.0; x.len()];
        let zeros_b = vec![0.0; b.len()];
        let base = loss(&zeros_x, &w, &zeros_b);
        let dx: Vec<f32> = (0..x.len())
            .map(|i| {
                let mut e = zeros_x.clone();
                e[i] = 1.0;
                (loss(&e, &w, &zeros_b) - base) as f32
            })
            .collect();
        close(&g.input, &dx, "dx");
        let zeros_w = vec![0.0; w.len()];
        let base = loss(&x, &zeros_w, &zeros_b);
        let dw: Vec<f32> = (0..w.len())
            .map(|i| {
                let mut e = zeros_w.clone();
                e[i] = 1.0;
                (loss(&x, &e, &zeros_b) - base) as f32
            })
            .collect();
        close(&g.weight, &dw, "dw");
        let db: Vec<f32> = (0..shape.outputs)
            .map(|o| {
                r.chunks(shape.sample_output())
                    .flat_map(|s| {
                        s[o * s.len() / shape.outputs..][..s.len() / shape.outputs].iter()
                    })
                    .map(|v| *v as f64)
                    .sum::<f64>() as f32
            })
            .collect();
        close(&g.bias, &db, "db");
    }
}

#[test]
fn gradients_do_not_depend_on_the_threads() {
    // Gathered taps (5 channels) and a product per tap (17), each over
    // two position blocks (625 positions).
    for inputs in [5, 17] {
        let shape = ConvShape {
            batch: 6,
            inputs,
            outputs: 4,
            input: [25, 23],
            kernel: [3, 3],
            padding: [1, 1],
        };
        let x = values(shape.batch * shape.sample_input(), 8);
        let w = values(shape.outputs * shape.inputs * shape.taps(), 9);
        let r = values(shape.batch * shape.sample_output(), 10);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let three = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        // Six samples: one per task on both pools; two samples on three
        // threads: the products themselves are split.
        for batch in [6, 2] {
            let shape = ConvShape { batch, ..shape };
            let (x, r) = (
                &x[..batch * shape.sample_input()],
                &r[..batch * shape.sample_output()],
            );
            let a = one.install(|| backward(&shape, x, &w, r, none(), true));
            let b = three.install(|| backward(&shape, x, &w, r, none(), true));
            assert_eq!(a.weight, b.weight, "batch {batch}");
            assert_eq!(a.input, b.input, "batch {batch}");
            assert_eq!(a.bias, b.bias, "batch {batch}");
            let w0 = vec![0.0; shape.outputs];
            let ya = one.install(|| forward(&shape, x, &w, &w0, Activation::NONE));
            let yb = three.install(|| forward(&shape, x, &w, &w0, Activation::NONE));
            assert_eq!(ya, yb, "batch {batch}");
        }
    }
}

/// The fused leaky ReLU: forward is the activation of the plain output;
/// backward is the plain backward of `dy · act'`, with `act'(0) = 1` as
/// burn's `leaky_relu` differentiates.
#[test]
fn the_fused_leaky_relu_is_the_activation_of_the_plain_convolution() {
    let leaky = Activation::leaky_relu(0.01).expect("a valid slope");
    assert!(Activation::leaky_relu(0.0).is_none() && Activation::leaky_relu(1.5).is_none());
    for shape in shapes() {
        let x = values(shape.batch * shape.sample_input(), 11);
        let w = values(shape.outputs * shape.inputs * shape.taps(), 12);
        // A zero bias on half the channels, so that some outputs are exactly 0.
        let b: Vec<f32> = values(shape.outputs, 13)
            .iter()
            .enumerate()
            .map(|(i, v)| if i % 2 == 0 { 0.0 } else { *v })
            .collect();
        let plain = forward(&shape, &x, &w, &b, Activation::NONE);
        let y = forward(&shape, &x, &w, &b, leaky);
        let want: Vec<f32> = plain
            .iter()
            .map(|v| if *v < 0.0 { v * 0.01 } else { *v })
            .collect();
        assert_eq!(y, want);
        let r = values(y.len(), 14);
        let scaled: Vec<f32> = r
            .iter()
            .zip(&plain)
            .map(|(g, v)| if *v < 0.0 { g * 0.01 } else { *g })
            .collect();
        let activated = Activated {
            activation: leaky,
            output: &y,
        };
        let fused = backward(&shape, &x, &w, &r, activated, true);
        let reference = backward(&shape, &x, &w, &scaled, none(), true);
        assert_eq!(fused.input, reference.input);
        assert_eq!(fused.weight, reference.weight);
        assert_eq!(fused.bias, reference.bias);
    }
}

//! Non-overlapping max pooling (stride = kernel, no padding, floor) with a
//! one-pass backward, as a Flex operation.
//!
//! `y[b, c, i, j] = max_{a < kh, e < kw} x[b, c, i·kh + a, j·kw + e]`; an odd
//! last row or column is dropped, as burn's and PyTorch's `MaxPool2d` do
//! with the default floor. The gradient goes to the window's first maximum
//! in row-major order (burn-flex's and PyTorch's choice on ties, which are
//! common after a ReLU), found again in the backward pass by comparing the
//! window with its output, so no index tensor is stored. burn-flex 0.22.1
//! pools through its general 3-D kernel with an index per output and
//! scatters the gradient through those indices; this is one contiguous pass
//! each way, parallel over channel maps. Other backends take burn's
//! `max_pool2d`.

use crate::flex_host::{f32_values, flex_tensor};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, Flex, TensorMetadata, backend_extension};
use burn::tensor::module::max_pool2d;
use burn::tensor::ops::MaxPoolOptions;
use burn::tensor::{DType, Device, Tensor};
use rayon::prelude::*;

/// Sizes of one pooling: `x [maps, h, w]` with `maps = batch·channels`.
#[derive(Debug, Clone, Copy)]
struct PoolShape {
    maps: usize,
    input: [usize; 2],
    kernel: [usize; 2],
}

impl PoolShape {
    fn output(&self) -> [usize; 2] {
        [
            self.input[0] / self.kernel[0],
            self.input[1] / self.kernel[1],
        ]
    }
}

/// Whether `v` replaces the running maximum `m` (first maximum wins; NaN propagates).
fn replaces(v: f32, m: f32) -> bool {
    v > m || (v.is_nan() && !m.is_nan())
}

fn same(a: f32, b: f32) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

fn pool_forward(shape: PoolShape, x: &[f32]) -> Vec<f32> {
    let ([h, w], [kh, kw], [ho, wo]) = (shape.input, shape.kernel, shape.output());
    let mut y = vec![0.0f32; shape.maps * ho * wo];
    if ho * wo == 0 {
        return y;
    }
    y.par_chunks_mut(ho * wo)
        .zip(x.par_chunks(h * w))
        .for_each(|(y, x)| {
            for i in 0..ho {
                let out = &mut y[i * wo..][..wo];
                out.fill(f32::NEG_INFINITY);
                for a in 0..kh {
                    let row = &x[(i * kh + a) * w..][..wo * kw];
                    for (o, window) in out.iter_mut().zip(row.chunks_exact(kw)) {
                        for &v in window {
                            if replaces(v, *o) {
                                *o = v;
                            }
                        }
                    }
                }
            }
        });
    y
}

fn pool_backward(shape: PoolShape, x: &[f32], y: &[f32], dy: &[f32]) -> Vec<f32> {
    let ([h, w], [kh, kw], [ho, wo]) = (shape.input, shape.kernel, shape.output());
    let mut dx = vec![0.0f32; x.len()];
    if ho * wo == 0 {
        return dx;
    }
    dx.par_chunks_mut(h * w)
        .zip(x.par_chunks(h * w))
        .zip(y.par_chunks(ho * wo).zip(dy.par_chunks(ho * wo)))
        .for_each(|((dx, x), (y, dy))| {
            for i in 0..ho {
                for j in 0..wo {
                    let (m, g) = (y[i * wo + j], dy[i * wo + j]);
                    'window: for a in 0..kh {
                        let at = (i * kh + a) * w + j * kw;
                        for e in 0..kw {
                            if same(x[at + e], m) {
                                dx[at + e] = g;
                                break 'window;
                            }
                        }
                    }
                }
            }
        });
    dx
}

/// Non-overlapping max pooling as one backend operation.
#[backend_extension(Flex, Autodiff)]
pub trait BlockMaxPoolBackend: Backend {
    /// `[B, C, H, W]` -> `[B, C, H / kernel_h, W / kernel_w]`.
    fn block_max_pool2d(
        x: FloatTensor<Self>,
        kernel_h: usize,
        kernel_w: usize,
    ) -> FloatTensor<Self>;
}

/// The gradient on a backend without autodiff.
pub trait BlockMaxPoolGrads: Backend {
    /// `dx` from the input, the output and the output's gradient.
    fn block_max_pool2d_grad(
        x: FloatTensor<Self>,
        y: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        kernel: [usize; 2],
    ) -> FloatTensor<Self>;
}

fn shape_of(x: &FloatTensor<Flex>, kernel: [usize; 2]) -> ([usize; 4], PoolShape) {
    let dims = x.shape().dims::<4>();
    let shape = PoolShape {
        maps: dims[0] * dims[1],
        input: [dims[2], dims[3]],
        kernel,
    };
    (dims, shape)
}

impl BlockMaxPoolBackend for Flex {
    fn block_max_pool2d(
        x: FloatTensor<Self>,
        kernel_h: usize,
        kernel_w: usize,
    ) -> FloatTensor<Self> {
        let (dims, shape) = shape_of(&x, [kernel_h, kernel_w]);
        let [ho, wo] = shape.output();
        let y = pool_forward(shape, &f32_values(&x));
        flex_tensor(y, [dims[0], dims[1], ho, wo])
    }
}

impl BlockMaxPoolGrads for Flex {
    fn block_max_pool2d_grad(
        x: FloatTensor<Self>,
        y: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
        kernel: [usize; 2],
    ) -> FloatTensor<Self> {
        let (dims, shape) = shape_of(&x, kernel);
        let dx = pool_backward(
            shape,
            &f32_values(&x),
            &f32_values(&y),
            &f32_values(&output_grad),
        );
        flex_tensor(dx, dims)
    }
}

#[derive(Debug)]
struct BlockMaxPoolBackward;

impl<B: BlockMaxPoolGrads> Backward<B, 1> for BlockMaxPoolBackward {
    /// `(x, y, kernel)`.
    type State = (FloatTensor<B>, FloatTensor<B>, [usize; 2]);

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node_x] = ops.parents;
        let output_grad = grads.consume::<B>(&ops.node);
        let (x, y, kernel) = ops.state;
        if let Some(node) = node_x {
            grads.register::<B>(node.id, B::block_max_pool2d_grad(x, y, output_grad, kernel));
        }
    }
}

impl<B: BlockMaxPoolBackend + BlockMaxPoolGrads, C: CheckpointStrategy> BlockMaxPoolBackend
    for Autodiff<B, C>
{
    fn block_max_pool2d(
        x: FloatTensor<Self>,
        kernel_h: usize,
        kernel_w: usize,
    ) -> FloatTensor<Self> {
        let prepared = BlockMaxPoolBackward
            .prepare::<C>([x.node()])
            .compute_bound()
            .stateful();
        let x = x.into_primitive();
        let y = B::block_max_pool2d(x.clone(), kernel_h, kernel_w);
        match prepared {
            OpsKind::Tracked(prep) => prep.finish((x, y.clone(), [kernel_h, kernel_w]), y),
            OpsKind::UnTracked(prep) => prep.finish(y),
        }
    }
}

/// `max_pool2d(x, kernel, stride = kernel)`: `[B, C, H, W]` -> `[B, C, H / kh, W / kw]`.
pub fn block_max_pool(x: Tensor<4>, kernel: [usize; 2]) -> Tensor<4> {
    let device = x.device();
    if device.clone().inner() != Device::flex() || x.dtype() != DType::F32 {
        return max_pool2d(x, MaxPoolOptions::new(kernel).with_stride(kernel));
    }
    let y = <Dispatch as BlockMaxPoolBackend>::block_max_pool2d(
        x.into_dispatch(),
        kernel[0],
        kernel[1],
    );
    Tensor::from_dispatch(y)
}

#[cfg(test)]
mod tests {
    use burn::tensor::Distribution;
    use burn::tensor::activation::relu;

    use super::*;
    use crate::test_support::values;

    /// Output and gradient against burn's `max_pool2d`, on ReLU outputs
    /// (many tied zeros), odd sizes (a dropped last row and column) and batch 1.
    #[test]
    fn matches_burns_max_pool_with_ties() {
        let device = Device::flex().autodiff();
        device.seed(5);
        for (dims, kernel) in [
            ([2, 3, 9, 7], [2, 2]),
            ([1, 2, 11, 8], [3, 3]),
            ([3, 1, 4, 9], [2, 3]),
        ] {
            let x = relu(Tensor::<4>::random(
                dims,
                Distribution::Normal(-1.5, 1.0),
                &device,
            ));
            let x = x.detach();
            let [ho, wo] = [dims[2] / kernel[0], dims[3] / kernel[1]];
            let r = Tensor::<4>::random(
                [dims[0], dims[1], ho, wo],
                Distribution::Normal(0.0, 1.0),
                &device,
            );
            let run = |ours: bool| {
                let x = x.clone().require_grad();
                let y = if ours {
                    block_max_pool(x.clone(), kernel)
                } else {
                    max_pool2d(x.clone(), MaxPoolOptions::new(kernel).with_stride(kernel))
                };
                let grads = (y.clone() * r.clone()).sum().backward();
                (values(y), values(x.grad(&grads).expect("dx")))
            };
            let (ours, burns) = (run(true), run(false));
            assert_eq!(ours.0, burns.0, "{dims:?} {kernel:?}: output");
            assert_eq!(ours.1, burns.1, "{dims:?} {kernel:?}: gradient");
            assert!(ours.0.contains(&0.0), "a window of tied zeros");
        }
    }
}

//! `relu(batch_norm(x))` as one training operation: burn's `BatchNorm`
//! module (same parameters, running statistics and checkpoints), with its
//! training pass on Flex replaced by [`crate::batch_norm_kernel`].
//!
//! burn-flex 0.22.1 does not implement `batch_norm_train`: burn's generic
//! formula computes the statistics through transposing copies and about ten
//! elementwise passes, and its backward as many again; ReLU adds two more.
//! The kernel takes two passes each way. In inference (no autodiff, or the
//! layer frozen) and on other backends, burn's own path runs. The running
//! statistics are updated exactly as burn's `BatchNorm::forward` does:
//! `running = (1 - momentum)·running + momentum·batch` with the biased
//! batch variance.

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, Flex, TensorMetadata, backend_extension};
use burn::nn::BatchNorm;
use burn::tensor::activation::relu;
use burn::tensor::{DType, Device, Tensor};

use crate::batch_norm_kernel::{self, NormSaved, NormShape};
use crate::flex_host::{f32_values, flex_tensor};

/// Training-mode batch norm with a ReLU as one backend operation.
#[backend_extension(Flex, Autodiff)]
pub trait BatchNormReluBackend: Backend {
    /// `(relu(γ·x̂ + β), batch mean, biased batch variance)` for `x [B, C, ...]`.
    fn batch_norm_relu_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>);
}

/// The gradients on a backend without autodiff.
pub trait BatchNormReluGrads: Backend {
    /// `(dx, dγ, dβ)` given the output's gradient.
    fn batch_norm_relu_grads(
        saved: SavedTensors<Self>,
        output_grad: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>);
}

/// What the backward pass keeps from the forward pass.
#[derive(Debug, Clone)]
pub struct SavedTensors<B: Backend> {
    x: FloatTensor<B>,
    gamma: FloatTensor<B>,
    mean: FloatTensor<B>,
    variance: FloatTensor<B>,
    output: FloatTensor<B>,
    epsilon: f64,
}

fn shape_of(x: &FloatTensor<Flex>) -> NormShape {
    let dims = x.shape().dims::<4>();
    NormShape {
        batch: dims[0],
        channels: dims[1],
        positions: dims[2] * dims[3],
    }
}

impl BatchNormReluBackend for Flex {
    fn batch_norm_relu_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        let dims = x.shape().dims::<4>().to_vec();
        let shape = shape_of(&x);
        let forward = batch_norm_kernel::forward(
            &shape,
            &f32_values(&x),
            &f32_values(&gamma),
            &f32_values(&beta),
            epsilon,
            true,
        );
        let channels = vec![shape.channels];
        (
            flex_tensor(forward.output, dims),
            flex_tensor(forward.mean, channels.clone()),
            flex_tensor(forward.variance, channels),
        )
    }
}

impl BatchNormReluGrads for Flex {
    fn batch_norm_relu_grads(
        saved: SavedTensors<Self>,
        output_grad: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        let dims = saved.x.shape().dims::<4>().to_vec();
        let shape = shape_of(&saved.x);
        let (x, gamma) = (f32_values(&saved.x), f32_values(&saved.gamma));
        let (mean, variance) = (f32_values(&saved.mean), f32_values(&saved.variance));
        let output = f32_values(&saved.output);
        let grads = batch_norm_kernel::backward(
            &shape,
            NormSaved {
                input: &x,
                gamma: &gamma,
                mean: &mean,
                variance: &variance,
                relu_output: Some(&output),
                epsilon: saved.epsilon,
            },
            &f32_values(&output_grad),
        );
        let channels = vec![shape.channels];
        (
            flex_tensor(grads.input, dims),
            flex_tensor(grads.gamma, channels.clone()),
            flex_tensor(grads.beta, channels),
        )
    }
}

/// The backward step.
#[derive(Debug)]
struct BatchNormReluBackward;

impl<B: BatchNormReluGrads> Backward<B, 3> for BatchNormReluBackward {
    type State = SavedTensors<B>;

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node_x, node_gamma, node_beta] = ops.parents;
        let output_grad = grads.consume::<B>(&ops.node);
        let (dx, dgamma, dbeta) = B::batch_norm_relu_grads(ops.state, output_grad);
        for (node, grad) in [(node_x, dx), (node_gamma, dgamma), (node_beta, dbeta)] {
            if let Some(node) = node {
                grads.register::<B>(node.id, grad);
            }
        }
    }
}

impl<B: BatchNormReluBackend + BatchNormReluGrads, C: CheckpointStrategy> BatchNormReluBackend
    for Autodiff<B, C>
{
    fn batch_norm_relu_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        let prepared = BatchNormReluBackward
            .prepare::<C>([x.node(), gamma.node(), beta.node()])
            .compute_bound()
            .stateful();
        let (x, gamma, beta) = (
            x.into_primitive(),
            gamma.into_primitive(),
            beta.into_primitive(),
        );
        let (output, mean, variance) =
            B::batch_norm_relu_train(x.clone(), gamma.clone(), beta, epsilon);
        let statistics = (
            FloatTensor::<Self>::new(mean.clone()),
            FloatTensor::<Self>::new(variance.clone()),
        );
        let output = match prepared {
            OpsKind::Tracked(prep) => {
                let saved = SavedTensors {
                    x,
                    gamma,
                    mean,
                    variance,
                    output: output.clone(),
                    epsilon,
                };
                prep.finish(saved, output)
            }
            OpsKind::UnTracked(prep) => prep.finish(output),
        };
        (output, statistics.0, statistics.1)
    }
}

/// `relu(norm.forward(x))` where burn normalises with the running
/// statistics (evaluation, or a frozen layer): one scale and shift per
/// channel, `relu(x·s + t)` with `s = γ / √(σ²_run + ε)` and
/// `t = β - μ_run·s`, two passes over `x` and the ReLU instead of burn's
/// four (`(x - μ) / √(σ² + ε) · γ + β`), equal up to rounding.
fn with_running_statistics(norm: &BatchNorm, x: Tensor<4>) -> Tensor<4> {
    let device = x.device();
    let channels = norm.gamma.dims()[0];
    let mean = norm.running_mean.value().to_device(&device);
    let variance = norm.running_var.value().to_device(&device);
    let scale = norm.gamma.val() / variance.add_scalar(norm.epsilon).sqrt(); // [C]
    let shift = norm.beta.val() - mean * scale.clone(); // [C]
    let per_channel = |v: Tensor<1>| v.reshape([1, channels, 1, 1]); // [1, C, 1, 1]
    relu(x * per_channel(scale) + per_channel(shift)) // [B, C, H, W]
}

/// Whether `x` trains on Flex in f32 through `norm` (else burn's path).
fn takes_the_kernel(norm: &BatchNorm, x: &Tensor<4>) -> bool {
    let device = x.device();
    device.is_autodiff()
        && norm.training.is_enabled()
        && device.clone().inner() == Device::flex()
        && x.dtype() == DType::F32
}

/// `relu(norm.forward(x))` for `x [batch, channels, h, w]`, with the same
/// running-statistics update.
pub fn batch_norm_relu(norm: &BatchNorm, x: Tensor<4>) -> Tensor<4> {
    if !(x.device().is_autodiff() && norm.training.is_enabled()) {
        return with_running_statistics(norm, x);
    }
    if !takes_the_kernel(norm, &x) {
        return relu(norm.forward(x));
    }
    let device = x.device();
    let (output, mean, variance) = <Dispatch as BatchNormReluBackend>::batch_norm_relu_train(
        x.into_dispatch(),
        norm.gamma.val().into_dispatch(),
        norm.beta.val().into_dispatch(),
        norm.epsilon,
    );
    let (mean, variance) = (
        Tensor::<1>::from_dispatch(mean),
        Tensor::<1>::from_dispatch(variance),
    );
    let update = |running: Tensor<1>, batch: Tensor<1>| {
        running
            .to_device(&device)
            .mul_scalar(1.0 - norm.momentum)
            .add(batch.detach().mul_scalar(norm.momentum))
            .detach()
    };
    norm.running_mean
        .update(update(norm.running_mean.value_sync(), mean));
    norm.running_var
        .update(update(norm.running_var.value_sync(), variance));
    Tensor::from_dispatch(output)
}

#[cfg(test)]
mod tests {
    use burn::module::Param;
    use burn::nn::BatchNormConfig;
    use burn::tensor::Distribution;

    use super::*;
    use crate::test_support::{relative_error, values};

    /// With the running statistics (a module in evaluation, off autodiff):
    /// burn's `relu(BatchNorm::forward(x))`, to rounding.
    #[test]
    fn evaluation_matches_burns_batch_norm_and_relu() {
        let device = Device::flex();
        device.seed(4);
        let mut norm = BatchNormConfig::new(3).init(&device);
        let random = |lo, hi| Tensor::<1>::random([3], Distribution::Uniform(lo, hi), &device);
        norm.gamma = Param::from_tensor(random(0.5, 1.5));
        norm.beta = Param::from_tensor(random(-0.5, 0.5));
        norm.running_mean.update(random(-1.0, 1.0));
        norm.running_var.update(random(0.2, 3.0));
        let x = Tensor::<4>::random([2, 3, 4, 5], Distribution::Normal(0.0, 2.0), &device);
        let ours = values(batch_norm_relu(&norm, x.clone()));
        let burns = values(relu(norm.forward(x)));
        assert!(relative_error(&ours, &burns) < 1e-6, "output");
        assert!(ours.contains(&0.0) && ours.iter().any(|v| *v > 0.0));
    }

    /// Output, gradients of x, γ and β, and the running statistics after
    /// two steps, against burn's `relu(BatchNorm::forward(x))`.
    #[test]
    fn matches_burns_batch_norm_and_relu() {
        let device = Device::flex().autodiff();
        device.seed(3);
        let gamma = Tensor::<1>::random([4], Distribution::Uniform(0.5, 1.5), &device);
        let beta = Tensor::<1>::random([4], Distribution::Uniform(-0.5, 0.5), &device);
        let x = Tensor::<4>::random([3, 4, 5, 7], Distribution::Normal(0.3, 2.0), &device);
        let r = Tensor::<4>::random([3, 4, 5, 7], Distribution::Normal(0.0, 1.0), &device);
        let run = |fused: bool| {
            // A fresh layer each: clones of a `BatchNorm` share running state.
            let mut norm = BatchNormConfig::new(4).init(&device);
            norm.gamma = Param::from_tensor(gamma.clone());
            norm.beta = Param::from_tensor(beta.clone());
            let mut last = None;
            for _ in 0..2 {
                let x = x.clone().require_grad();
                let y = if fused {
                    batch_norm_relu(&norm, x.clone())
                } else {
                    relu(norm.forward(x.clone()))
                };
                let grads = (y.clone() * r.clone()).sum().backward();
                last = Some((
                    values(y),
                    values(x.grad(&grads).expect("dx")),
                    values(norm.gamma.val().grad(&grads).expect("dgamma")),
                    values(norm.beta.val().grad(&grads).expect("dbeta")),
                ));
            }
            let (y, dx, dg, db) = last.expect("two steps");
            let stats = [
                values(norm.running_mean.value()),
                values(norm.running_var.value()),
            ];
            (y, dx, dg, db, stats)
        };
        let (ours, burns) = (run(true), run(false));
        assert!(relative_error(&ours.0, &burns.0) < 1e-5, "output");
        assert!(relative_error(&ours.1, &burns.1) < 1e-4, "dx");
        assert!(relative_error(&ours.2, &burns.2) < 1e-4, "dgamma");
        assert!(relative_error(&ours.3, &burns.3) < 1e-4, "dbeta");
        assert!(
            relative_error(&ours.4[0], &burns.4[0]) < 1e-5,
            "running mean"
        );
        assert!(
            relative_error(&ours.4[1], &burns.4[1]) < 1e-5,
            "running variance"
        );
        assert!(ours.0.contains(&0.0), "the ReLU clipped something");
    }
}

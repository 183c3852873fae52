//! [`crate::conv_kernel`] inside burn: a backend extension for Flex with its
//! own backward pass under autodiff.
//!
//! `gemm_conv2d(x, weight, bias, padding, slope)` is the stride-1
//! convolution `y = act(bias + Σ W · x)` of [`crate::gemm_conv`], with a leaky
//! ReLU of negative slope `slope` fused in (`slope = 1`: none); under
//! autodiff its backward pass is the kernel's three gradients (`dx` only when
//! `x` needs one: the first layer after a fixed frontend skips it). Non-f32
//! tensors take burn's own convolution and activation.

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::ops::{ActivationOps, ConvOptions, ModuleOps};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Flex, TensorMetadata, backend_extension};
use burn::tensor::DType;

use crate::conv_kernel::{self, Activated, Activation, ConvShape};
use crate::flex_host::{f32_values, flex_tensor};

/// The convolution as one backend operation.
#[backend_extension(Flex, Autodiff)]
pub trait GemmConvBackend: Backend {
    /// `[B, C, H, W]` -> `[B, O, H + 2·padding_h - kh + 1, W + 2·padding_w - kw + 1]`;
    /// `slope` in `(0, 1]` (checked by the caller, [`crate::gemm_conv`]).
    fn gemm_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        padding_h: usize,
        padding_w: usize,
        slope: f32,
    ) -> FloatTensor<Self>;
}

/// The gradients of [`GemmConvBackend::gemm_conv2d`] on a backend without autodiff.
pub trait GemmConvGrads: Backend {
    /// `(dx, dweight, dbias)` given the gradient of the activated output
    /// (`output`, needed unless `slope = 1`); `dx` is `None` unless asked for.
    fn gemm_conv2d_grads(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        output: Option<FloatTensor<Self>>,
        output_grad: FloatTensor<Self>,
        options: GradOptions,
    ) -> (
        Option<FloatTensor<Self>>,
        FloatTensor<Self>,
        FloatTensor<Self>,
    );
}

/// What the backward pass needs besides tensors.
#[derive(Debug, Clone, Copy)]
pub struct GradOptions {
    /// Zeros added on both sides of `[height, width]`.
    pub padding: [usize; 2],
    /// The fused activation.
    pub activation: Activation,
    /// Whether to compute the input's gradient.
    pub input_grad: bool,
}

fn shape_of(x: &FloatTensor<Flex>, weight: &FloatTensor<Flex>, padding: [usize; 2]) -> ConvShape {
    let [batch, inputs, h, w] = x.shape().dims();
    let [outputs, _, kh, kw] = weight.shape().dims();
    ConvShape {
        batch,
        inputs,
        outputs,
        input: [h, w],
        kernel: [kh, kw],
        padding,
    }
}

fn burn_options(padding: [usize; 2]) -> ConvOptions<2> {
    ConvOptions::new([1, 1], padding, [1, 1], 1)
}

fn all_f32(tensors: [&FloatTensor<Flex>; 3]) -> bool {
    tensors.iter().all(|t| t.dtype() == DType::F32)
}

fn activation_of(slope: f32) -> Activation {
    Activation::leaky_relu(slope)
        .unwrap_or_else(|| panic!("leaky ReLU slope {slope} outside (0, 1]"))
}

impl GemmConvBackend for Flex {
    fn gemm_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        padding_h: usize,
        padding_w: usize,
        slope: f32,
    ) -> FloatTensor<Self> {
        let padding = [padding_h, padding_w];
        let activation = activation_of(slope);
        if !all_f32([&x, &weight, &bias]) {
            let y = Flex::conv2d(x, weight, Some(bias), burn_options(padding));
            return if activation.is_none() {
                y
            } else {
                Flex::leaky_relu(y, slope.into())
            };
        }
        let shape = shape_of(&x, &weight, padding);
        let [ho, wo] = shape.output();
        let y = {
            let (x, w, b) = (
                &x.to_contiguous(),
                &weight.to_contiguous(),
                &bias.to_contiguous(),
            );
            conv_kernel::forward(
                &shape,
                x.as_slice::<f32>().expect("contiguous f32"),
                w.as_slice::<f32>().expect("contiguous f32"),
                b.as_slice::<f32>().expect("contiguous f32"),
                activation,
            )
        };
        flex_tensor(y, [shape.batch, shape.outputs, ho, wo])
    }
}

impl GemmConvGrads for Flex {
    fn gemm_conv2d_grads(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        output: Option<FloatTensor<Self>>,
        output_grad: FloatTensor<Self>,
        options: GradOptions,
    ) -> (
        Option<FloatTensor<Self>>,
        FloatTensor<Self>,
        FloatTensor<Self>,
    ) {
        let shape = shape_of(&x, &weight, options.padding);
        let (xs, ws, dys) = (
            f32_values(&x),
            f32_values(&weight),
            f32_values(&output_grad),
        );
        let ys = output.as_ref().map(f32_values).unwrap_or_default();
        let activated = Activated {
            activation: options.activation,
            output: &ys,
        };
        let grads = conv_kernel::backward(&shape, &xs, &ws, &dys, activated, options.input_grad);
        let input = options.input_grad.then(|| {
            flex_tensor(
                grads.input,
                [shape.batch, shape.inputs, shape.input[0], shape.input[1]],
            )
        });
        let [kh, kw] = shape.kernel;
        let weight = flex_tensor(grads.weight, [shape.outputs, shape.inputs, kh, kw]);
        let bias = flex_tensor(grads.bias, [shape.outputs]);
        (input, weight, bias)
    }
}

/// The backward step of one convolution: the inputs it needs, the output
/// when an activation is fused, and the padding.
#[derive(Debug)]
struct GemmConvBackward;

/// `(x, weight, output, padding, activation)`.
type ConvState<B> = (
    FloatTensor<B>,
    FloatTensor<B>,
    Option<FloatTensor<B>>,
    [usize; 2],
    Activation,
);

impl<B: GemmConvGrads> Backward<B, 3> for GemmConvBackward {
    type State = ConvState<B>;

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node_x, node_weight, node_bias] = ops.parents;
        let output_grad = grads.consume::<B>(&ops.node);
        let (x, weight, output, padding, activation) = ops.state;
        let options = GradOptions {
            padding,
            activation,
            input_grad: node_x.is_some(),
        };
        let (dx, dweight, dbias) = B::gemm_conv2d_grads(x, weight, output, output_grad, options);
        if let (Some(node), Some(dx)) = (node_x, dx) {
            grads.register::<B>(node.id, dx);
        }
        if let Some(node) = node_weight {
            grads.register::<B>(node.id, dweight);
        }
        if let Some(node) = node_bias {
            grads.register::<B>(node.id, dbias);
        }
    }
}

impl<B: GemmConvBackend + GemmConvGrads, C: CheckpointStrategy> GemmConvBackend for Autodiff<B, C> {
    fn gemm_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        padding_h: usize,
        padding_w: usize,
        slope: f32,
    ) -> FloatTensor<Self> {
        let prepared = GemmConvBackward
            .prepare::<C>([x.node(), weight.node(), bias.node()])
            .compute_bound()
            .stateful();
        match prepared {
            OpsKind::Tracked(prep) => {
                let (x, weight) = (x.into_primitive(), weight.into_primitive());
                let y = B::gemm_conv2d(
                    x.clone(),
                    weight.clone(),
                    bias.into_primitive(),
                    padding_h,
                    padding_w,
                    slope,
                );
                let activation = activation_of(slope);
                let output = (!activation.is_none()).then(|| y.clone());
                let state = (x, weight, output, [padding_h, padding_w], activation);
                prep.finish(state, y)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::gemm_conv2d(
                x.into_primitive(),
                weight.into_primitive(),
                bias.into_primitive(),
                padding_h,
                padding_w,
                slope,
            )),
        }
    }
}

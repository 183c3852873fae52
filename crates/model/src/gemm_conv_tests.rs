//! [`GemmConv2d`] against PyTorch (`tests/fixtures/make_conv.py`: forward and
//! the three gradients of `Σ y·r`) and against burn's own `Conv2d`, on Flex
//! under autodiff (where the extension runs) and on NdArray (burn's path).

use burn::module::Param;
use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2dConfig;
use burn::tensor::{Device, Tensor, TensorData};
use serde_json::Value;

use super::*;
use crate::test_support::{floats, relative_error, values};

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/conv_torch.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("conv fixture")).expect("json")
}

fn pair(v: &Value) -> [usize; 2] {
    let a = v.as_array().expect("array");
    [0, 1].map(|i| a[i].as_u64().expect("integer") as usize)
}

fn count(case: &Value, key: &str) -> usize {
    case[key].as_u64().expect("integer") as usize
}

/// One convolution's output and gradients, with `x` tracked or not.
struct Run {
    y: Vec<f32>,
    dx: Option<Vec<f32>>,
    dweight: Vec<f32>,
    dbias: Vec<f32>,
}

struct Case {
    x: Tensor<4>,
    weight: Tensor<4>,
    bias: Tensor<1>,
    output_grad: Tensor<4>,
    padding: [usize; 2],
}

impl Case {
    fn from_fixture(case: &Value, device: &Device) -> Self {
        let (b, c, o) = (
            count(case, "batch"),
            count(case, "inputs"),
            count(case, "outputs"),
        );
        let ([h, w], [kh, kw], [ho, wo]) = (
            pair(&case["input"]),
            pair(&case["kernel"]),
            pair(&case["output"]),
        );
        let t = |key: &str, shape: [usize; 4]| {
            Tensor::<4>::from_data(TensorData::new(floats(&case[key]), shape), device)
        };
        Self {
            x: t("x", [b, c, h, w]),
            weight: t("weight", [o, c, kh, kw]),
            bias: Tensor::from_data(TensorData::new(floats(&case["bias"]), [o]), device),
            output_grad: t("output_grad", [b, o, ho, wo]),
            padding: pair(&case["padding"]),
        }
    }

    /// Deterministic pseudo-random values of these sizes.
    fn generated(
        sizes: [usize; 4],
        kernel: [usize; 2],
        padding: [usize; 2],
        device: &Device,
    ) -> Self {
        let [b, c, o, _] = sizes;
        let [h, w] = [sizes[3] / 100, sizes[3] % 100];
        let [ho, wo] = [
            h + 2 * padding[0] + 1 - kernel[0],
            w + 2 * padding[1] + 1 - kernel[1],
        ];
        let t = |shape: [usize; 4], seed: u32| {
            let n = shape.iter().product::<usize>();
            let v: Vec<f32> = (0..n as u32)
                .map(|i| {
                    let v = i.wrapping_mul(2_654_435_761).wrapping_add(seed);
                    ((v >> 8) % 2001) as f32 / 1000.0 - 1.0
                })
                .collect();
            Tensor::<4>::from_data(TensorData::new(v, shape), device)
        };
        Self {
            x: t([b, c, h, w], 1),
            weight: t([o, c, kernel[0], kernel[1]], 2),
            bias: t([1, 1, 1, o], 3).reshape([o]),
            output_grad: t([b, o, ho, wo], 4),
            padding,
        }
    }

    fn run_ours(&self, track_x: bool) -> Run {
        let conv = GemmConv2d::new(
            Param::from_tensor(self.weight.clone()),
            Some(Param::from_tensor(self.bias.clone())),
            self.padding,
        );
        let x = if track_x {
            self.x.clone().require_grad()
        } else {
            self.x.clone()
        };
        let y = conv.forward(x.clone());
        self.gradients(x, y, &conv.weight, conv.bias.as_ref().expect("bias"))
    }

    /// The output and the gradients of `Σ y·r` for `x`, the weight and the bias.
    fn gradients(
        &self,
        x: Tensor<4>,
        y: Tensor<4>,
        weight: &Param<Tensor<4>>,
        bias: &Param<Tensor<1>>,
    ) -> Run {
        let grads = (y.clone() * self.output_grad.clone()).sum().backward();
        Run {
            y: values(y),
            dx: x.grad(&grads).map(values),
            dweight: values(weight.val().grad(&grads).expect("weight grad")),
            dbias: values(bias.val().grad(&grads).expect("bias grad")),
        }
    }

    fn run_burn(&self) -> Run {
        let [o, c, kh, kw] = self.weight.dims();
        let [ph, pw] = self.padding;
        let device = self.x.device();
        let mut conv = Conv2dConfig::new([c, o], [kh, kw])
            .with_padding(PaddingConfig2d::Explicit(ph, pw, ph, pw))
            .init(&device);
        conv.weight = Param::from_tensor(self.weight.clone());
        conv.bias = Some(Param::from_tensor(self.bias.clone()));
        let x = self.x.clone().require_grad();
        let y = conv.forward(x.clone());
        self.gradients(x, y, &conv.weight, conv.bias.as_ref().expect("bias"))
    }
}

fn assert_close(got: &Run, want: &Run, tolerance: f32, what: &str) {
    let checks = [
        ("y", &got.y, &want.y),
        ("dweight", &got.dweight, &want.dweight),
        ("dbias", &got.dbias, &want.dbias),
    ];
    for (name, g, w) in checks {
        let e = relative_error(g, w);
        assert!(e <= tolerance, "{what}: {name} relative error {e:e}");
    }
    let (g, w) = (got.dx.as_ref().expect("dx"), want.dx.as_ref().expect("dx"));
    let e = relative_error(g, w);
    assert!(e <= tolerance, "{what}: dx relative error {e:e}");
}

/// NdArray (deprecated in burn 0.22, still cochlea's `backend = "ndarray"`)
/// takes burn's convolution, so the same fixture checks both paths.
#[test]
#[allow(deprecated)]
fn matches_pytorch_forward_and_gradients() {
    let fx = fixture();
    let cases = fx["cases"].as_array().expect("cases");
    assert!(cases.len() >= 6, "fixture holds every case");
    for device in [Device::flex().autodiff(), Device::ndarray().autodiff()] {
        for case in cases {
            let name = case["name"].as_str().expect("name");
            let ours = Case::from_fixture(case, &device).run_ours(true);
            let want = Run {
                y: floats(&case["y"]),
                dx: Some(floats(&case["dx"])),
                dweight: floats(&case["dweight"]),
                dbias: floats(&case["dbias"]),
            };
            assert_close(&ours, &want, 2e-6, &format!("{name} on {device:?}"));
        }
    }
}

#[test]
fn matches_burns_convolution_at_training_sizes() {
    let device = Device::flex().autodiff();
    // [batch, inputs, outputs, h·100 + w], kernel, padding: the SVD CNN's
    // conv2 and the short-chunk CNN's first block, narrowed; batch 1; odd;
    // with gathered taps (< 16 inputs) and a product per tap, over one and
    // over several 512-position blocks.
    let cases = [
        ([8, 16, 8, 2917], [3, 3], [0, 0]),
        ([2, 20, 6, 4031], [3, 3], [1, 1]),
        ([4, 1, 8, 3231], [3, 3], [1, 1]),
        ([1, 6, 5, 1113], [3, 3], [1, 1]),
        ([3, 5, 7, 907], [3, 2], [2, 1]),
        ([2, 3, 4, 2505], [5, 5], [0, 2]),
    ];
    for (sizes, kernel, padding) in cases {
        let case = Case::generated(sizes, kernel, padding, &device);
        let what = format!("{sizes:?} kernel {kernel:?} padding {padding:?}");
        assert_close(&case.run_ours(true), &case.run_burn(), 1e-5, &what);
    }
}

#[test]
fn an_untracked_input_gets_no_gradient_and_the_weights_still_do() {
    let device = Device::flex().autodiff();
    let case = Case::generated([4, 1, 6, 1511], [3, 3], [1, 1], &device);
    let untracked = case.run_ours(false);
    let tracked = case.run_ours(true);
    assert!(
        untracked.dx.is_none(),
        "no gradient for an input that needs none"
    );
    assert_eq!(untracked.y, tracked.y);
    assert_eq!(untracked.dweight, tracked.dweight);
    assert_eq!(untracked.dbias, tracked.dbias);
}

#[test]
fn without_autodiff_it_is_the_same_convolution() {
    let case = Case::generated([3, 4, 5, 1209], [3, 3], [1, 1], &Device::flex());
    let conv = GemmConv2d::new(
        Param::from_tensor(case.weight.clone()),
        Some(Param::from_tensor(case.bias.clone())),
        case.padding,
    );
    let tracked = Case::generated([3, 4, 5, 1209], [3, 3], [1, 1], &Device::flex().autodiff());
    assert_eq!(
        values(conv.forward(case.x.clone())),
        tracked.run_ours(true).y
    );
}

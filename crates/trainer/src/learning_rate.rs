//! Per-parameter learning rates: the frontend's parameters learn at
//! `train.frontend_lr_scale` times the rate of the rest of the classifier
//! (EfficientLEAF's `frontend_lr_factor`, Schlüter & Gutenbrunner 2022).
//!
//! Both rates follow the same per-epoch decay: epoch `e` (0-based) uses
//! `learning_rate * lr_decay^e` for the backbone and head and that times the
//! scale for the frontend. The frontend's group is the set of its parameter
//! ids, which checkpoints keep, so a resumed run groups its parameters exactly
//! as the run it continues; the optimiser itself (one Adam) is unchanged.

use burn::lr_scheduler::module_lr_scheduler::{ModuleLearningRate, ModuleLrScheduler};
use burn::module::ParamGroup;
use cochlea_model::Classifier;

/// The learning rate of every parameter of `model`: `lr` for the backbone
/// and head, `lr * frontend_scale` for the frontend.
pub fn learning_rates(model: &Classifier, lr: f64, frontend_scale: f64) -> ModuleLearningRate {
    let frontend = ParamGroup::ids_from_module(model.frontend.clone());
    ModuleLrScheduler::new(lr)
        .with_group(frontend, lr * frontend_scale)
        .step()
}

#[cfg(test)]
mod tests {
    use burn::module::{Module, ModuleVisitor, Param};
    use burn::optim::GradientsParams;
    use burn::tensor::{Tensor, TensorData};

    use super::*;
    use crate::checkpoint::adam;
    use crate::config::ExperimentConfig;
    use crate::framing::framing_of;
    use crate::loss::bce_with_logits;
    use crate::run::build_classifier;

    /// Every float parameter's values, in visiting order.
    #[derive(Default)]
    struct Values(Vec<Vec<f32>>);

    impl ModuleVisitor for Values {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            let data = param.val().into_data().convert::<f32>();
            self.0.push(data.try_into_vec::<f32>().unwrap());
        }
    }

    fn values<M: Module>(module: &M) -> Vec<Vec<f32>> {
        let mut v = Values::default();
        module.visit(&mut v);
        v.0
    }

    /// Largest absolute change between two snapshots.
    fn largest_step(before: &[Vec<f32>], after: &[Vec<f32>]) -> f64 {
        before
            .iter()
            .flatten()
            .zip(after.iter().flatten())
            .map(|(a, b)| (a - b).abs() as f64)
            .fold(0.0, f64::max)
    }

    /// Adam's first step moves every parameter with a gradient by almost
    /// exactly its learning rate (m / sqrt(v) = ±1), so the largest move in
    /// each part of the model is its learning rate.
    #[test]
    fn the_frontend_moves_by_the_scaled_rate_and_the_rest_by_the_base_rate() {
        let config = ExperimentConfig::parse(
            r#"
[data]
root = "unused"
[frontend]
kind = "learnable-mel"
bands = 40
[task]
excerpt_frames = 40
"#,
            &[],
            "t",
        )
        .unwrap();
        let device = config.backend.autodiff_device().unwrap();
        let model = build_classifier(&config, &device).unwrap();
        let samples = framing_of(&model, 22050).samples_for(40);
        let batch = 4;
        let wave: Vec<f32> = (0..batch * samples)
            .map(|i| (0.05 * i as f32).sin() * (0.0007 * i as f32).cos())
            .collect();
        let wave = Tensor::<2>::from_data(TensorData::new(wave, [batch, samples]), &device);
        let targets = Tensor::<1>::from_data(
            TensorData::new(vec![0.02f32, 0.98, 0.02, 0.98], [batch]),
            &device,
        );
        let loss = bce_with_logits(model.forward(wave).reshape([batch]), targets);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        let (frontend_before, backbone_before) = (values(&model.frontend), values(&model.backbone));

        let (lr, scale) = (1e-3, 0.1);
        let rates = learning_rates(&model, lr, scale);
        let stepped = adam(0.0).step(rates, model, grads);

        let frontend = largest_step(&frontend_before, &values(&stepped.frontend));
        let backbone = largest_step(&backbone_before, &values(&stepped.backbone));
        assert!(
            (frontend / (lr * scale) - 1.0).abs() < 0.02,
            "frontend moved by {frontend}, expected {}",
            lr * scale
        );
        assert!(
            (backbone / lr - 1.0).abs() < 0.02,
            "backbone moved by {backbone}, expected {lr}"
        );
    }
}

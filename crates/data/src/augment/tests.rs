//! The augmentation pipeline on an in-memory source: determinism, the draw
//! order, independence of the augmentations' draws, label timing and the
//! label union.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::*;
use crate::augment::test_signals::{burst, burst_duration, sine};
use crate::augment::wsola::Wsola;
use crate::excerpt_source::read_padded;

/// Items in memory; each excerpt's label is its item's.
struct Memory {
    items: Vec<Vec<f32>>,
    labels: Vec<Vec<f32>>,
    len: usize,
}

impl ExcerptSource for Memory {
    fn excerpt_samples(&self) -> usize {
        self.len
    }
    fn anchor(&self) -> usize {
        self.len / 2
    }
    fn sample_rate(&self) -> u32 {
        22050
    }
    fn draw(&self, rng: &mut StdRng) -> Position {
        let item = rng.random_range(0..self.items.len());
        let start = rng.random_range(0..=self.items[item].len() - self.len);
        Position { item, start }
    }
    fn read(&self, position: Position, from: isize, out: &mut [f32]) {
        read_padded(
            &self.items[position.item],
            position.start as isize + from,
            out,
        );
    }
    fn label(&self, position: Position) -> &[f32] {
        &self.labels[position.item]
    }
}

/// Four 2 s items of different tones and levels, with 3-tag labels.
fn memory() -> Memory {
    let items = (0..4)
        .map(|i| {
            sine(
                200.0 + 150.0 * i as f64,
                22050.0,
                44_100,
                0.1 + 0.2 * i as f32,
            )
        })
        .collect();
    let labels = vec![
        vec![1.0, 0.0, 0.0],
        vec![0.0, 1.0, 0.0],
        vec![0.0, 0.0, 1.0],
        vec![1.0, 1.0, 0.0],
    ];
    Memory {
        items,
        labels,
        len: 8000,
    }
}

fn everything() -> AugmentConfig {
    AugmentConfig {
        pitch_shift: 0.3,
        time_stretch: 0.3,
        speed: 0.2,
        filter_db: 10.0,
        gain_db: 6.0,
        noise_snr_db: Some(20.0),
        noise_probability: 0.5,
        mix_snr_db: Some(6.0),
        mix_probability: 0.5,
    }
}

fn batch(config: &AugmentConfig, order: u64, augment: u64, threads: usize) -> (Vec<f32>, Vec<f32>) {
    augmented_batch_with_threads(
        &memory(),
        config,
        &mut StdRng::seed_from_u64(order),
        &mut StdRng::seed_from_u64(augment),
        12,
        threads,
    )
}

#[test]
fn the_same_seeds_give_the_same_batch_on_any_number_of_threads() {
    let a = batch(&everything(), 1, 2, 1);
    assert_eq!(a, batch(&everything(), 1, 2, 1));
    assert_eq!(a, batch(&everything(), 1, 2, 2));
    assert_eq!(a, batch(&everything(), 1, 2, 5));
    assert_ne!(
        a.0,
        batch(&everything(), 1, 3, 2).0,
        "another augmentation seed"
    );
    assert!(a.0.iter().all(|v| v.is_finite()));
}

#[test]
fn off_is_the_plain_batch_and_does_not_touch_the_augmentation_rng() {
    let source = memory();
    let mut augment = StdRng::seed_from_u64(2);
    let got = augmented_batch(
        &source,
        &AugmentConfig::default(),
        &mut StdRng::seed_from_u64(1),
        &mut augment,
        12,
    );
    let want = plain_batch(&source, &mut StdRng::seed_from_u64(1), 12);
    assert_eq!(got, want);
    assert_eq!(
        augment.random::<u64>(),
        StdRng::seed_from_u64(2).random::<u64>()
    );
}

/// With gain alone, every row is its unaugmented row times a factor: the
/// same excerpts are drawn with and without augmentation.
#[test]
fn augmentation_does_not_change_which_excerpts_are_drawn() {
    let gain = AugmentConfig {
        gain_db: 6.0,
        ..AugmentConfig::default()
    };
    let (plain, plain_targets) = batch(&AugmentConfig::default(), 4, 5, 2);
    let (gained, gained_targets) = batch(&gain, 4, 5, 2);
    assert_eq!(plain_targets, gained_targets);
    let mut seeds = StdRng::seed_from_u64(5);
    for ((p, g), seed) in plain
        .chunks(8000)
        .zip(gained.chunks(8000))
        .zip(excerpt_seeds(&mut seeds, 12))
    {
        let db = Parameters::draw(&gain, &memory(), seed).gain_db;
        assert!(db.abs() <= 6.0);
        let factor = 10f64.powf(db / 20.0) as f32;
        for (a, b) in p.iter().zip(g) {
            assert_eq!(a * factor, *b, "not the same excerpt times its gain");
        }
    }
    // The full chain draws the same excerpts too (same targets without mixing).
    let no_mix = AugmentConfig {
        mix_snr_db: None,
        mix_probability: 1.0,
        ..everything()
    };
    assert_eq!(batch(&no_mix, 4, 5, 2).1, plain_targets);
}

#[test]
fn each_augmentation_draws_the_same_whatever_else_is_on() {
    let source = memory();
    let alone = |config: AugmentConfig| Parameters::draw(&config, &source, 77);
    let all = alone(everything());
    let off = AugmentConfig::default();
    assert_eq!(
        alone(AugmentConfig {
            pitch_shift: 0.3,
            ..off.clone()
        })
        .pitch,
        all.pitch
    );
    assert_eq!(
        alone(AugmentConfig {
            time_stretch: 0.3,
            ..off.clone()
        })
        .stretch,
        all.stretch
    );
    assert_eq!(
        alone(AugmentConfig {
            speed: 0.2,
            ..off.clone()
        })
        .speed,
        all.speed
    );
    assert_eq!(
        alone(AugmentConfig {
            filter_db: 10.0,
            ..off.clone()
        })
        .filter,
        all.filter
    );
    assert_eq!(
        alone(AugmentConfig {
            gain_db: 6.0,
            ..off.clone()
        })
        .gain_db,
        all.gain_db
    );
    let unset = alone(off);
    assert_eq!(
        (unset.speed, unset.stretch, unset.pitch, unset.gain_db),
        (1.0, 1.0, 1.0, 0.0)
    );
    assert!(unset.filter.is_none() && unset.mix.is_none() && unset.noise.is_none());
}

#[test]
fn draws_follow_their_documented_distributions() {
    let source = memory();
    let config = AugmentConfig {
        noise_probability: 0.25,
        mix_probability: 0.75,
        ..everything()
    };
    let n = 20_000;
    let draws: Vec<Parameters> = (0..n)
        .map(|s| Parameters::draw(&config, &source, s))
        .collect();
    let mean = |f: &dyn Fn(&Parameters) -> f64| draws.iter().map(f).sum::<f64>() / n as f64;
    for (name, x, get) in [
        (
            "pitch",
            0.3,
            (|p: &Parameters| p.pitch) as fn(&Parameters) -> f64,
        ),
        ("stretch", 0.3, |p| p.stretch),
        ("speed", 0.2, |p| p.speed),
    ] {
        assert!(
            draws.iter().all(|p| (1.0 - x..1.0 + x).contains(&get(p))),
            "{name}"
        );
        // Uniform: mean 1, variance x^2 / 3 (standard error of the mean x / sqrt(3n)).
        assert!((mean(&|p| get(p)) - 1.0).abs() < 0.01, "{name}");
        let var = mean(&|p| (get(p) - 1.0).powi(2));
        assert!(
            (var / (x * x / 3.0) - 1.0).abs() < 0.05,
            "{name}: variance {var}"
        );
    }
    let filters: Vec<_> = draws.iter().map(|p| p.filter.unwrap()).collect();
    let highest = params::FILTER_HIGHEST_FRACTION * 22050.0;
    for f in &filters {
        assert!(f.gain_db.abs() <= 10.0);
        assert!((params::FILTER_LOWEST_HZ..highest).contains(&f.centre_hz));
        assert!((0.5..3.0).contains(&f.bandwidth_octaves));
    }
    // Log-uniform centre: the mean of log(f) is the middle of the log range.
    let log_mean = filters.iter().map(|f| f.centre_hz.ln()).sum::<f64>() / n as f64;
    let want = (params::FILTER_LOWEST_HZ.ln() + highest.ln()) / 2.0;
    assert!((log_mean - want).abs() < 0.05, "{log_mean} vs {want}");
    let noisy = draws.iter().filter(|p| p.noise.is_some()).count() as f64 / n as f64;
    let mixed = draws.iter().filter(|p| p.mix.is_some()).count() as f64 / n as f64;
    // Binomial standard error at n = 20,000: about 0.003.
    assert!((noisy - 0.25).abs() < 0.015, "noise in {noisy}");
    assert!((mixed - 0.75).abs() < 0.015, "mixing in {mixed}");
}

#[test]
fn mixing_unites_the_targets_of_both_excerpts() {
    let source = memory();
    let config = AugmentConfig {
        mix_snr_db: Some(3.0),
        ..AugmentConfig::default()
    };
    let mut order = StdRng::seed_from_u64(8);
    let (_, targets) = augmented_batch(
        &source,
        &config,
        &mut order,
        &mut StdRng::seed_from_u64(9),
        12,
    );
    let mut order = StdRng::seed_from_u64(8);
    let mut seeds = StdRng::seed_from_u64(9);
    let positions: Vec<Position> = (0..12).map(|_| source.draw(&mut order)).collect();
    let mut distinct = 0;
    for ((row, position), seed) in targets
        .chunks(3)
        .zip(positions)
        .zip(excerpt_seeds(&mut seeds, 12))
    {
        let other = Parameters::draw(&config, &source, seed)
            .mix
            .unwrap()
            .position;
        let (a, b) = (source.label(position), source.label(other));
        let union: Vec<f32> = a.iter().zip(b).map(|(x, y)| x.max(*y)).collect();
        assert_eq!(row, union.as_slice());
        distinct += usize::from(a != b);
    }
    assert!(
        distinct > 3,
        "the test should mix excerpts of different items"
    );
}

/// A burst centred on an excerpt's anchor stays centred on it, with the
/// duration time scaling gives it, and a read past an item's start is zeros.
#[test]
fn time_scaling_keeps_the_anchor_and_pads_with_zeros() {
    let len = 22_050;
    let item = burst(500.0, 22050.0, len, 4410);
    let (s0, e0) = burst_duration(&item);
    let source = Memory {
        items: vec![item],
        labels: vec![vec![1.0]],
        len,
    };
    let position = Position { item: 0, start: 0 };
    for (speed, stretch, pitch) in [
        (0.7, 1.0, 1.0),
        (1.0, 1.3, 1.0),
        (1.0, 1.0, 0.7),
        (1.25, 0.8, 1.2),
    ] {
        let params = Parameters {
            speed,
            stretch,
            pitch,
            filter: None,
            mix: None,
            noise: None,
            gain_db: 0.0,
        };
        let mut out = vec![0.0; len];
        let mut target = vec![0.0];
        augment_excerpt(
            &source,
            position,
            &params,
            &mut out,
            &mut target,
            &mut Scratch::default(),
        );
        let (start, end) = burst_duration(&out);
        // WSOLA's bound on an edge's time error, in output samples (wsola.rs).
        let tempo = stretch / pitch;
        // Resampling alone is exact; the measurement is not (its 5 ms RMS
        // window does not scale with the burst's ramps): 20 samples an edge.
        let edge = if tempo == 1.0 {
            20.0
        } else {
            Wsola::new(tempo, 22050).max_time_error() / (speed * pitch)
        };
        let centre = (start + end) as f64 / 2.0;
        assert!(
            (centre - (len / 2) as f64).abs() <= edge,
            "{speed} {stretch} {pitch}: {centre}"
        );
        let want = (e0 - s0) as f64 / (speed * stretch);
        assert!(
            ((end - start) as f64 - want).abs() <= 2.0 * edge,
            "{speed} {stretch} {pitch}: {} vs {want}",
            end - start
        );
        // Far from the burst the output is exactly zero, including where the
        // source span reaches beyond the item's ends (stretch 1.3 reads 1.3x the item).
        assert!(
            out[..2000]
                .iter()
                .chain(&out[len - 2000..])
                .all(|&v| v == 0.0)
        );
        assert_eq!(target, vec![1.0]);
        assert!(out.iter().all(|v| v.is_finite()));
    }
}

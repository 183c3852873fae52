//! `report.md` of a comparison: the setup, per-variant tables (mean ± sd
//! and confidence interval of every metric, learned parameters, frontend
//! cost and its ratio to mel, training time), the paired tests against the
//! baseline, one plain sentence per pair and metric, the validity notes
//! that apply, and how the figures were computed.
//!
//! Ratios of frames or clips (error, precision, recall, specificity, F1)
//! are written in percent and their differences in percentage points;
//! areas under curves and losses as they are. A difference is called
//! better or worse only when its Holm-corrected bootstrap p-value is below
//! 0.05.

use crate::compare::Comparison;
use crate::compare_analysis::{Analysis, PairedComparison};
use crate::compare_cost::FrontendCost;
use crate::stats::minimum_p;
use cochlea_data::plural::count;

/// The significance level the sentences use.
pub const ALPHA: f64 = 0.05;

/// Whether a smaller value of `metric` is better.
pub fn lower_is_better(metric: &str) -> bool {
    matches!(metric, "error" | "loss")
}

/// `(factor, unit of a difference, decimals)` for writing `metric`.
fn style(metric: &str) -> (f64, &'static str, usize) {
    match metric {
        "error" | "precision" | "recall" | "specificity" | "f1" => (100.0, " points", 2),
        _ => (1.0, "", 4),
    }
}

/// A value of `metric` as written in tables (`9.93 %`, `0.9641`).
pub fn value(metric: &str, v: f64) -> String {
    let (factor, _, d) = style(metric);
    let text = format!("{:.d$}", factor * v);
    let text = match text.strip_prefix('-') {
        Some(rest) if !rest.chars().all(|c| c == '0' || c == '.') => format!("−{rest}"),
        Some(rest) => rest.to_string(),
        None => text,
    };
    if factor == 100.0 {
        format!("{text} %")
    } else {
        text
    }
}

/// A difference of `metric` with its sign (`−0.85 points`, `+0.0123`).
pub fn difference(metric: &str, d: f64) -> String {
    let (factor, unit, decimals) = style(metric);
    format!("{}{unit}", signed(factor * d, decimals))
}

fn signed(v: f64, decimals: usize) -> String {
    let text = format!("{:.decimals$}", v.abs());
    let zero = text.chars().all(|c| c == '0' || c == '.');
    match (v < 0.0 && !zero, zero) {
        (true, _) => format!("−{text}"),
        (false, true) => text,
        (false, false) => format!("+{text}"),
    }
}

/// A bound as written: four significant digits (`3.142`, `191.9`, `inf`).
fn short(v: f64) -> String {
    if !v.is_finite() || v == 0.0 {
        return format!("{v}");
    }
    let digits = (3 - v.abs().log10().floor() as i32).max(0) as usize;
    let text = format!("{v:.digits$}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A p-value as written (`p = 0.031`, `p < 0.001`).
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {}", round_p(p))
    }
}

fn round_p(p: f64) -> String {
    if p >= 0.1 {
        format!("{p:.2}")
    } else {
        format!("{p:.3}")
    }
}

/// The plain sentence for one pair, e.g. "gabor vs mel: error −0.85
/// points, 95 % CI [−1.40, −0.31], p = 0.003 (Holm): lower than mel."
pub fn sentence(pair: &PairedComparison, names: &[String], baseline: usize, level: f64) -> String {
    let (v, b) = (&names[pair.variant], &names[baseline]);
    let m = pair.metric.as_str();
    let (factor, unit, decimals) = style(m);
    let Some(boot) = pair.bootstrap else {
        return format!(
            "{v} vs {b}: {m} could not be compared (it is undefined on the test set of a run)."
        );
    };
    let p = pair.bootstrap_holm.unwrap_or(boot.p);
    let verdict = if p < ALPHA {
        let better = (boot.observed < 0.0) == lower_is_better(m);
        let direction = if boot.observed < 0.0 {
            "lower"
        } else {
            "higher"
        };
        format!(
            "{direction} than {b}, {}",
            if better { "better" } else { "worse" }
        )
    } else {
        format!(
            "no difference from {b} shown at the {:.0} % level",
            100.0 * ALPHA
        )
    };
    format!(
        "{v} vs {b}: {m} {}, {:.0} % CI [{}, {}]{unit}, {} (Holm): {verdict}.",
        difference(m, boot.observed),
        100.0 * level,
        signed(factor * boot.low, decimals),
        signed(factor * boot.high, decimals),
        p_value(p),
    )
}

/// The smallest number of seeds with which the exact two-sided Wilcoxon
/// test can reach `p < alpha` after Holm over `comparisons` tests.
pub fn seeds_for_wilcoxon(comparisons: usize, alpha: f64) -> usize {
    (1..=64)
        .find(|&n| comparisons.max(1) as f64 * minimum_p(n) < alpha)
        .unwrap_or(64)
}

/// The validity notes that apply.
pub fn validity_notes(c: &Comparison, a: &Analysis) -> Vec<String> {
    let mut notes = Vec::new();
    let cfg = &c.config;
    let names = &cfg.names;
    let seeds = cfg.seeds.len();
    let comparisons = names.len() - 1;
    let floor = comparisons as f64 * minimum_p(seeds);
    if floor >= ALPHA {
        notes.push(format!(
            "**Too few seeds for the Wilcoxon test.** With {seeds} seeds the exact two-sided \
             Wilcoxon signed-rank test cannot give p below {:.3} (all differences of one sign), \
             and Holm's correction over {comparisons} comparison(s) multiplies the smallest \
             p-value by {comparisons}: it cannot reach {ALPHA}. {} seeds would let it; the \
             paired bootstrap, which also resamples the test {}s, is the primary analysis.",
            minimum_p(seeds),
            seeds_for_wilcoxon(comparisons, ALPHA),
            a.sets[0].unit_kind
        ));
    }
    for set in &a.sets {
        if set.units < 30 {
            notes.push(format!(
                "**Few independent units.** The {} set has {}; bootstrap intervals over \
                 fewer than about 30 units are too narrow and their p-values optimistic. \
                 Prefer a larger test set.",
                set.name,
                count(set.units, &set.unit_kind)
            ));
        }
    }
    let mut overlapping = Vec::new();
    for p in a.pairs.iter().filter(|p| p.set == 0) {
        let (Some(vi), Some(bi)) = (
            a.variant(p.variant, 0, &p.metric).and_then(|m| m.interval),
            a.variant(cfg.baseline, 0, &p.metric)
                .and_then(|m| m.interval),
        ) else {
            continue;
        };
        let significant = p.bootstrap_holm.is_some_and(|q| q < ALPHA);
        if vi.low <= bi.high && bi.low <= vi.high && significant {
            overlapping.push(format!("{} ({})", names[p.variant], p.metric));
        }
    }
    if !overlapping.is_empty() {
        notes.push(format!(
            "**Overlapping intervals.** The per-variant intervals overlap the baseline's for \
             {}, yet the paired bootstrap finds a difference: intervals of each variant on \
             its own ignore the pairing by seed and test unit, so their overlap is not a test.",
            overlapping.join(", ")
        ));
    }
    for (v, name) in names.iter().enumerate() {
        for metric in ["auroc", "roc_auc"] {
            if let Some(m) = a.variant(v, 0, metric) {
                let weak: Vec<String> = m
                    .values
                    .iter()
                    .zip(&cfg.seeds)
                    .filter(|(x, _)| x.is_some_and(|x| x < 0.55))
                    .map(|(_, s)| s.to_string())
                    .collect();
                if !weak.is_empty() {
                    notes.push(format!(
                        "**A run at chance level.** {name} with seed(s) {} reaches {metric} \
                         below 0.55 on the test set: it did not learn (or diverged); its \
                         differences say more about that run than about the variant.",
                        weak.join(", ")
                    ));
                }
            }
        }
    }
    for (v, name) in names.iter().enumerate() {
        if !a.diverged[v].is_empty() {
            let seeds: Vec<String> = a.diverged[v]
                .iter()
                .map(|&s| cfg.seeds[s].to_string())
                .collect();
            notes.push(format!(
                "**A variant diverged.** {name} with seed(s) {}: its training loss became \
                 non-finite (the run's diverged.txt says when); its comparisons use the other \
                 seeds, and its instability is itself a finding.",
                seeds.join(", ")
            ));
        }
        let stuck: Vec<String> = a.at_bounds[v]
            .iter()
            .zip(&cfg.seeds)
            .filter(|(found, _)| !found.is_empty())
            .map(|(found, seed)| {
                let each: Vec<String> = found
                    .iter()
                    .map(|b| {
                        format!(
                            "{} of {} {} at a bound of [{}, {}]",
                            b.at_bound,
                            b.of,
                            b.parameter,
                            short(b.low),
                            short(b.high)
                        )
                    })
                    .collect();
                format!("seed {seed}: {}", each.join(", "))
            })
            .collect();
        if !stuck.is_empty() {
            notes.push(format!(
                "**Parameters on a constraint bound.** {name}: {}. The forward pass clamps \
                 them, so they get no gradient there and learned less than the variant's \
                 parameter count suggests (a lower frontend learning rate, \
                 `train.frontend_lr_scale`, keeps them inside).",
                stuck.join("; ")
            ));
        }
    }
    let budget = |v: usize| {
        let t = &c.run_config(0, v).train;
        (t.epochs, t.batches_per_epoch, t.batch_size)
    };
    let budgets: Vec<_> = (0..names.len()).map(budget).collect();
    if budgets.iter().any(|b| *b != budgets[0]) {
        let listed: Vec<String> = names
            .iter()
            .zip(&budgets)
            .map(|(n, (e, b, s))| format!("{n}: {e} epochs × {b} batches of {s}"))
            .collect();
        notes.push(format!(
            "**Training budgets differ.** {}. A difference may come from the budget rather \
             than the variant.",
            listed.join("; ")
        ));
    }
    let undefined: usize = a
        .pairs
        .iter()
        .filter_map(|p| p.bootstrap.map(|b| b.undefined))
        .sum();
    if undefined > 0 {
        notes.push(format!(
            "**Resamples without a figure.** {undefined} bootstrap resamples (over all pairs \
             and metrics) left a metric undefined (one class only among the drawn units) and \
             were skipped."
        ));
    }
    if cfg.transfer.is_none() {
        notes.push(
            "**In-distribution test set only.** The test split comes from the same distribution \
             as the training data; a variant that wins here may not win on other recordings. \
             Name a second test set in [compare.transfer] to see how each variant transfers."
                .into(),
        );
    }
    notes
}

/// The whole `report.md`.
pub fn render_report(c: &Comparison, a: &Analysis, costs: &[FrontendCost]) -> String {
    let cfg = &c.config;
    let names = &cfg.names;
    let level = cfg.confidence;
    let pct = 100.0 * level;
    let label = |v: usize| {
        if v == cfg.baseline {
            format!("{} (baseline)", names[v])
        } else {
            names[v].clone()
        }
    };
    let mut s = format!("# Comparison: {}\n\n", c.sweep.origin);
    let seeds: Vec<String> = cfg.seeds.iter().map(u64::to_string).collect();
    let mut sets: Vec<String> = vec![format!(
        "test split: {}",
        count(a.sets[0].units, &a.sets[0].unit_kind)
    )];
    if let Some(t) = a.sets.get(1) {
        sets.push(format!(
            "transfer set \"{}\": {}",
            t.name,
            count(t.units, &t.unit_kind)
        ));
    }
    s.push_str(&format!(
        "The {} task; {} variants × {} seeds ({}), everything else equal; baseline **{}**; {}. \
         Paired bootstrap: {} resamples of the seeds and the test units together (bootstrap \
         seed {}); intervals at {pct:.0} %.\n\n",
        c.sweep.configs[0].task.name(),
        names.len(),
        cfg.seeds.len(),
        seeds.join(", "),
        names[cfg.baseline],
        sets.join("; "),
        cfg.resamples,
        cfg.bootstrap_seed,
    ));
    for (set, info) in a.sets.iter().enumerate() {
        s.push_str(&format!(
            "## Per variant on the {} set\n\nMean ± sd over seeds [{pct:.0} % CI of the mean].\n\n",
            info.name
        ));
        s.push_str(&format!("| variant | {} |\n", c.metrics.join(" | ")));
        s.push_str(&format!("|---|{}\n", "---|".repeat(c.metrics.len())));
        for v in 0..names.len() {
            let cells: Vec<String> = c
                .metrics
                .iter()
                .map(|m| {
                    match a
                        .variant(v, set, m)
                        .and_then(|r| r.interval.map(|i| (i, r.sd)))
                    {
                        Some((i, sd)) => format!(
                            "{} ± {} [{}, {}]",
                            value(m, i.mean),
                            sd.map_or("–".into(), |sd| difference(m, sd)
                                .trim_start_matches('+')
                                .to_string()),
                            value(m, i.low),
                            value(m, i.high)
                        ),
                        None => "–".into(),
                    }
                })
                .collect();
            s.push_str(&format!("| {} | {} |\n", label(v), cells.join(" | ")));
        }
        s.push('\n');
    }
    s.push_str("## Cost per variant\n\n");
    s.push_str(
        "| variant | learned frontend parameters | frontend forward + backward per batch | × mel | training time per run |\n|---|---|---|---|---|\n",
    );
    for v in 0..names.len() {
        let time = a.train_seconds[v].map_or("–".into(), |i| {
            let d = if i.mean < 10.0 { 1 } else { 0 };
            format!("{:.d$} s [{:.d$}, {:.d$}]", i.mean, i.low.max(0.0), i.high)
        });
        match costs.get(v) {
            Some(cost) => s.push_str(&format!(
                "| {} | {} | {:.1} ms | {:.2} | {time} |\n",
                label(v),
                cost.learned_parameters,
                cost.ms,
                cost.ratio_to_mel
            )),
            None => s.push_str(&format!("| {} | – | – | – | {time} |\n", label(v))),
        }
    }
    s.push_str(
        "\nThe frontend's cost is measured on this machine as `cargo bench -p cochlea-frontend \
         --bench frontends` does (one training batch, median of round-robin runs against a mel \
         spectrogram of the same bands and hop); training time is the sum of each run's epochs.\n\n",
    );
    for (set, info) in a.sets.iter().enumerate() {
        s.push_str(&format!(
            "## Against {} on the {} set\n\nDifference = variant − baseline. Paired bootstrap \
             over seeds and {}s: mean difference [{pct:.0} % percentile CI] and two-sided \
             p-value; paired t-test and exact Wilcoxon signed-rank test over the {} per-seed \
             differences; Holm-corrected p-values in parentheses (family: the {} comparisons of \
             one metric); Cohen's d_z = mean / sd of the per-seed differences.\n\n",
            names[cfg.baseline],
            info.name,
            info.unit_kind,
            cfg.seeds.len(),
            names.len() - 1
        ));
        s.push_str("| variant | metric | difference [CI] | bootstrap p (Holm) | t-test p (Holm) | Wilcoxon p (Holm) | d_z |\n|---|---|---|---|---|---|---|\n");
        for p in a.pairs.iter().filter(|p| p.set == set) {
            let m = p.metric.as_str();
            let (factor, _, d) = style(m);
            let diff = p.bootstrap.map_or("–".into(), |b| {
                format!(
                    "{} [{}, {}]",
                    difference(m, b.observed),
                    signed(factor * b.low, d),
                    signed(factor * b.high, d)
                )
            });
            let pair = |p: Option<f64>, holm: Option<f64>| match (p.filter(|p| !p.is_nan()), holm) {
                (Some(p), Some(h)) if !h.is_nan() => format!("{} ({})", round_p(p), round_p(h)),
                (Some(p), _) => round_p(p),
                _ => "–".into(),
            };
            let dz = p
                .t_test
                .map(|t| t.cohens_dz)
                .filter(|d| d.is_finite())
                .map_or("–".into(), |d| signed(d, 2));
            s.push_str(&format!(
                "| {} | {m} | {diff} | {} | {} | {} | {dz} |\n",
                names[p.variant],
                pair(p.bootstrap.map(|b| b.p), p.bootstrap_holm),
                pair(p.t_test.map(|t| t.p), p.t_holm),
                pair(p.wilcoxon.map(|w| w.p), p.wilcoxon_holm),
            ));
        }
        s.push('\n');
    }
    s.push_str("## In words\n\n");
    for (set, info) in a.sets.iter().enumerate() {
        for p in a.pairs.iter().filter(|p| p.set == set) {
            let text = sentence(p, names, cfg.baseline, level);
            if a.sets.len() > 1 {
                s.push_str(&format!("- ({}) {text}\n", info.name));
            } else {
                s.push_str(&format!("- {text}\n"));
            }
        }
    }
    s.push_str("\n## Validity notes\n\n");
    let notes = validity_notes(c, a);
    if notes.is_empty() {
        s.push_str("None of the checked threats applies.\n");
    }
    for n in notes {
        s.push_str(&format!("- {n}\n"));
    }
    s.push_str(&format!(
        "\n## Methods\n\n\
         - Runs: every variant trained with every seed; a seed fixes the backbone's \
         initialisation, the batches and their order, the dropout masks and the augmentation \
         in every variant alike, so the runs of one seed are paired.\n\
         - Per variant: mean, sample sd and Student-t {pct:.0} % interval over seeds of each \
         test metric as the task's report computes it.\n\
         - Paired bootstrap (primary): each of {} resamples draws seeds with replacement and, \
         independently, the test set's {}s with replacement (frames or clips within one are not \
         independent); every metric is recomputed on the drawn units from the stored \
         predictions (`test-predictions.json`) at the runs' own thresholds, and the resample's \
         difference is the mean over the drawn seeds of variant − baseline. CI: the \
         percentiles of those differences; p = min(1, 2 · min(#(d* ≤ 0) + 1, #(d* ≥ 0) + 1) / \
         (B + 1)).\n\
         - Over seeds: the paired t-test and the exact Wilcoxon signed-rank test (all 2^n sign \
         patterns; zero differences dropped, ties at average ranks), two-sided; Cohen's d_z.\n\
         - Holm's step-down correction over the variants' comparisons of one metric on one test \
         set, for each test separately.\n",
        cfg.resamples, a.sets[0].unit_kind
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_points_or_as_they_are() {
        assert_eq!(value("error", 0.0993), "9.93 %");
        assert_eq!(value("auroc", 0.96412), "0.9641");
        assert_eq!(value("specificity", -0.1372), "−13.72 %");
        assert_eq!(value("auroc", -0.00001), "0.0000");
        assert_eq!(
            (count(1, "song"), count(8, "song")),
            ("1 song".into(), "8 songs".into())
        );
        assert_eq!(difference("f1", -0.0085), "−0.85 points");
        assert_eq!(difference("roc_auc", 0.01234), "+0.0123");
        assert_eq!(difference("error", 0.0), "0.00 points");
        assert_eq!(difference("error", -0.00001), "0.00 points");
        assert_eq!(p_value(0.0304), "p = 0.030");
        assert_eq!(p_value(0.41), "p = 0.41");
        assert_eq!(p_value(0.0004), "p < 0.001");
        assert_eq!(short(std::f64::consts::PI), "3.142");
        assert_eq!(short(191.88800013238026), "191.9");
        assert_eq!(short(1.4991250010342207), "1.499");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(f64::INFINITY), "inf");
    }

    #[test]
    fn seeds_the_wilcoxon_test_needs_after_holm() {
        // Two-sided minimum p = 2 / 2^n: 0.0625 at 5 seeds, 0.03125 at 6.
        assert_eq!(seeds_for_wilcoxon(1, 0.05), 6);
        // Four comparisons: 4 · 2 / 2^n < 0.05 first at n = 8 (0.03125).
        assert_eq!(seeds_for_wilcoxon(4, 0.05), 8);
    }

    #[test]
    fn the_notes_name_each_threat_that_applies() {
        use crate::compare_analysis::{TestSetInfo, VariantMetric};
        use crate::stats::mean_interval;
        use cochlea_frontend::bounds::AtBound;
        let text = "[data]\nroot = \"d\"\n[compare]\nseeds = 5\n[compare.variants]\n\
                    \"train.epochs\" = [3, 4]\n";
        let c = Comparison::parse(text, &[], "exp.toml").unwrap();
        let metric = |variant: usize, values: &[f64]| VariantMetric {
            variant,
            set: 0,
            metric: "auroc".into(),
            values: values.iter().map(|&v| Some(v)).collect(),
            interval: mean_interval(values, 0.95),
            sd: None,
        };
        let stuck = AtBound {
            parameter: "Gabor centre frequencies".into(),
            at_bound: 3,
            of: 80,
            low: 0.0,
            high: std::f64::consts::PI,
        };
        let a = Analysis {
            sets: vec![TestSetInfo {
                name: "test".into(),
                unit_kind: "song".into(),
                units: 8,
            }],
            variants: vec![
                metric(0, &[0.9, 0.91, 0.92, 0.9, 0.93]),
                metric(1, &[0.9, 0.5, 0.92, 0.9, 0.93]),
            ],
            pairs: Vec::new(),
            train_seconds: vec![None, None],
            diverged: vec![Vec::new(), vec![3]],
            at_bounds: vec![
                vec![Vec::new(); 5],
                vec![Vec::new(), vec![stuck], Vec::new(), Vec::new(), Vec::new()],
            ],
        };
        let notes = validity_notes(&c, &a).join("\n");
        for needle in [
            "Too few seeds for the Wilcoxon test.** With 5 seeds",
            "6 seeds would let it",
            "The test set has 8 songs",
            "**A run at chance level.** 4 with seed(s) 2",
            "**Parameters on a constraint bound.** 4: seed 2: 3 of 80 Gabor centre frequencies at a bound of [0, 3.142]",
            "**Training budgets differ.** 3: 3 epochs",
            "In-distribution test set only",
            "**A variant diverged.** 4 with seed(s) 4",
        ] {
            assert!(notes.contains(needle), "missing {needle:?} in\n{notes}");
        }
        assert!(!notes.contains("Overlapping"), "{notes}");
    }
}

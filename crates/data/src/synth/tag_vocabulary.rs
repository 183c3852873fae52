//! The tag vocabulary of the synthetic tagging dataset and the simulated
//! annotators who apply it.
//!
//! Tag names and their column order follow MagnaTagATune's
//! `annotations_final.csv` (the 188-tag header as listed in Choi's
//! "magnatagatune-list"), restricted to what the generator can produce.
//! Like MagnaTagATune's crowd-sourced labels (Law et al., "Evaluation of
//! algorithms using games: the case of music tagging", ISMIR 2009) they are
//! weak: each true attribute of a clip is tagged only with a probability,
//! synonyms (`male`, `male vocal`, `man`, ...) compete, a genre implies its
//! instruments only through what was rendered, and an instrument's tag
//! probability grows with its level in the mix. A `0` therefore often means
//! "not mentioned", not "absent". There are no false positives: a clip
//! without a voice never gets a voice tag.

use super::rng::Rng;
use super::tagging_clip::{ClipPlan, Genre, Loudness, Part, Tempo, Voice};

/// Every tag, in column order.
pub(crate) const TAGS: &[&str] = &[
    "no voice",
    "singer",
    "hard rock",
    "world",
    "bongos",
    "harpsichord",
    "female singing",
    "clasical",
    "sitar",
    "chorus",
    "female opera",
    "male vocal",
    "vocals",
    "clarinet",
    "heavy",
    "beats",
    "men",
    "woodwind",
    "foreign",
    "classical",
    "female",
    "soft rock",
    "eerie",
    "spacey",
    "jazz",
    "guitar",
    "quiet",
    "banjo",
    "electric",
    "solo",
    "violins",
    "folk",
    "female voice",
    "wind",
    "happy",
    "ambient",
    "new age",
    "synth",
    "no singing",
    "middle eastern",
    "trumpet",
    "percussion",
    "drum",
    "airy",
    "voice",
    "repetitive",
    "space",
    "strings",
    "bass",
    "harpsicord",
    "medieval",
    "male voice",
    "girl",
    "keyboard",
    "acoustic",
    "loud",
    "classic",
    "string",
    "drums",
    "electronic",
    "no vocal",
    "choral",
    "weird",
    "opera",
    "soprano",
    "fast",
    "acoustic guitar",
    "electric guitar",
    "male singer",
    "man singing",
    "classical guitar",
    "country",
    "violin",
    "electro",
    "dark",
    "male opera",
    "no vocals",
    "irish",
    "electronica",
    "horn",
    "operatic",
    "instrumental",
    "trance",
    "strange",
    "drone",
    "synthesizer",
    "heavy metal",
    "man",
    "industrial",
    "harp",
    "pop",
    "female vocal",
    "oboe",
    "mellow",
    "orchestral",
    "piano",
    "celtic",
    "eastern",
    "flute",
    "punk",
    "sax",
    "slow",
    "male",
    "blues",
    "vocal",
    "indian",
    "india",
    "woman",
    "rock",
    "dance",
    "piano solo",
    "singing",
    "cello",
    "calm",
    "techno",
    "beat",
    "soft",
    "choir",
    "metal",
    "baroque",
    "fiddle",
];

/// The tags of the voice (for tests: none may appear on a clip without one).
#[cfg(test)]
pub(crate) const VOICE_TAGS: &[&str] = &[
    "singer",
    "female singing",
    "chorus",
    "female opera",
    "male vocal",
    "vocals",
    "men",
    "female",
    "female voice",
    "voice",
    "male voice",
    "girl",
    "choral",
    "opera",
    "soprano",
    "male singer",
    "man singing",
    "male opera",
    "operatic",
    "female vocal",
    "male",
    "vocal",
    "woman",
    "singing",
    "choir",
    "man",
];

/// Accumulates one clip's tags.
struct Annotator<'a> {
    rng: &'a mut Rng,
    on: Vec<bool>,
}

impl Annotator<'_> {
    /// Tags `tag` with probability `p`.
    fn tag(&mut self, tag: &str, p: f64) {
        let i = TAGS
            .iter()
            .position(|t| *t == tag)
            .unwrap_or_else(|| panic!("tag {tag:?} is not in the vocabulary"));
        if self.rng.chance(p) {
            self.on[i] = true;
        }
    }

    fn tags(&mut self, list: &[(&str, f64)], scale: f64) {
        for &(t, p) in list {
            self.tag(t, p * scale);
        }
    }
}

/// Draws the tags one annotator gives `plan` (its salience filled in by
/// rendering), as one flag per entry of [`TAGS`].
pub(crate) fn annotate(plan: &ClipPlan, rng: &mut Rng) -> Vec<bool> {
    let mut a = Annotator {
        rng,
        on: vec![false; TAGS.len()],
    };
    let genre = plan.genre;
    let fast = plan.tempo == Tempo::Fast;
    let loud = plan.loudness == Loudness::Loud;
    match plan.voice {
        Voice::Male => a.tags(
            &[
                ("male", 0.30),
                ("male vocal", 0.12),
                ("man", 0.10),
                ("male voice", 0.08),
                ("vocal", 0.15),
                ("vocals", 0.18),
                ("singing", 0.15),
                ("voice", 0.08),
                ("singer", 0.07),
                ("male singer", 0.02),
                ("man singing", 0.02),
                ("men", 0.01),
            ],
            1.0,
        ),
        Voice::Female => a.tags(
            &[
                ("female", 0.40),
                ("woman", 0.15),
                ("female vocal", 0.10),
                ("female voice", 0.08),
                ("vocal", 0.15),
                ("vocals", 0.15),
                ("singing", 0.18),
                ("voice", 0.08),
                ("singer", 0.07),
                ("female singing", 0.02),
                ("girl", 0.01),
            ],
            1.0,
        ),
        Voice::Choir => a.tags(
            &[
                ("choir", 0.45),
                ("choral", 0.25),
                ("vocal", 0.10),
                ("singing", 0.10),
                ("chorus", 0.04),
                ("classical", 0.20),
            ],
            1.0,
        ),
        Voice::None => a.tags(
            &[
                ("no vocals", 0.12),
                ("no vocal", 0.10),
                ("no voice", 0.09),
                ("instrumental", 0.04),
                ("no singing", 0.03),
            ],
            1.0,
        ),
    }
    if plan.operatic {
        a.tags(
            &[("opera", 0.55), ("classical", 0.35), ("operatic", 0.03)],
            1.0,
        );
        if plan.female() {
            a.tags(&[("female opera", 0.05), ("soprano", 0.04)], 1.0);
        } else {
            a.tag("male opera", 0.04);
        }
    }
    for &(part, sal) in &plan.parts {
        let s = 0.4 + 0.6 * sal;
        let list: &[(&str, f64)] = match part {
            Part::Strings => &[
                ("strings", 0.45),
                ("violin", 0.12),
                ("violins", 0.03),
                ("string", 0.02),
                ("cello", 0.03),
            ],
            Part::Violin => &[("violin", 0.45), ("violins", 0.03), ("strings", 0.2)],
            Part::Cello => &[("cello", 0.40), ("strings", 0.2)],
            Part::Piano => &[("piano", 0.65), ("keyboard", 0.03)],
            Part::Harpsichord => &[
                ("harpsichord", 0.6),
                ("baroque", 0.15),
                ("harpsicord", 0.03),
            ],
            Part::Harp => &[("harp", 0.45)],
            Part::Flute => &[("flute", 0.45), ("woodwind", 0.03), ("wind", 0.02)],
            Part::Brass => &[("trumpet", 0.2), ("horn", 0.05)],
            Part::Reed => &[
                ("oboe", 0.1),
                ("clarinet", 0.08),
                ("sax", 0.1),
                ("woodwind", 0.05),
            ],
            Part::Pad => &[("keyboard", 0.02)],
            Part::SynthPad => &[
                ("synth", 0.30),
                ("electronic", 0.1),
                ("synthesizer", 0.04),
                ("spacey", 0.03),
            ],
            Part::SynthLead => &[("synth", 0.35), ("electronic", 0.1), ("synthesizer", 0.04)],
            Part::Arpeggio => &[
                ("synth", 0.3),
                ("electronic", 0.15),
                ("repetitive", 0.05),
                ("electronica", 0.03),
            ],
            Part::Bass => &[("bass", 0.05)],
            Part::Guitar => &[
                ("guitar", 0.75),
                ("acoustic", 0.05),
                ("acoustic guitar", 0.04),
            ],
            Part::ElectricGuitar => &[
                ("guitar", 0.75),
                ("electric guitar", 0.06),
                ("electric", 0.05),
                ("heavy", 0.1),
            ],
            Part::Drums => &[
                ("drums", 0.6),
                ("beat", 0.3),
                ("beats", 0.10),
                ("drum", 0.04),
                ("percussion", 0.05),
            ],
            Part::Sitar => &[("sitar", 0.55), ("eastern", 0.05)],
            Part::Tabla => &[("percussion", 0.1), ("drums", 0.1), ("bongos", 0.02)],
            Part::Tanpura => &[("drone", 0.06)],
        };
        a.tags(list, s);
        if part == Part::Violin && matches!(genre, Genre::Country | Genre::Celtic) {
            a.tag("fiddle", 0.3);
        }
        if part == Part::Guitar && genre == Genre::Country {
            a.tag("banjo", 0.03);
        }
        if part == Part::Guitar && genre == Genre::Classical {
            a.tag("classical guitar", 0.03);
        }
    }
    let list: &[(&str, f64)] = match genre {
        Genre::Classical => &[
            ("classical", 0.8),
            ("classic", 0.15),
            ("clasical", 0.02),
            ("orchestral", 0.04),
        ],
        Genre::Baroque => &[
            ("classical", 0.5),
            ("baroque", 0.25),
            ("classic", 0.1),
            ("medieval", 0.03),
        ],
        Genre::Rock => &[("rock", 0.6), ("pop", 0.05)],
        Genre::Metal => &[
            ("metal", 0.55),
            ("heavy metal", 0.15),
            ("rock", 0.35),
            ("heavy", 0.2),
            ("hard rock", 0.1),
            ("punk", 0.03),
        ],
        Genre::Pop => &[("pop", 0.55), ("happy", 0.04)],
        Genre::Techno => &[
            ("techno", 0.6),
            ("electronic", 0.45),
            ("dance", 0.25),
            ("trance", 0.06),
            ("electro", 0.04),
            ("electronica", 0.06),
            ("repetitive", 0.05),
        ],
        Genre::Ambient => &[
            ("ambient", 0.55),
            ("new age", 0.2),
            ("electronic", 0.15),
            ("spacey", 0.05),
            ("space", 0.05),
            ("airy", 0.04),
            ("eerie", 0.03),
        ],
        Genre::NewAge => &[("new age", 0.5), ("ambient", 0.2), ("mellow", 0.04)],
        Genre::Indian => &[
            ("indian", 0.55),
            ("eastern", 0.1),
            ("india", 0.05),
            ("world", 0.1),
            ("middle eastern", 0.02),
            ("foreign", 0.03),
        ],
        Genre::Opera => &[("classical", 0.3)],
        Genre::Choral => &[],
        Genre::Country => &[("country", 0.55), ("folk", 0.15)],
        Genre::Jazz => &[("jazz", 0.55), ("blues", 0.05)],
        Genre::Celtic => &[
            ("celtic", 0.4),
            ("irish", 0.15),
            ("folk", 0.2),
            ("medieval", 0.03),
        ],
        Genre::Experimental => &[
            ("electronic", 0.35),
            ("strange", 0.1),
            ("industrial", 0.03),
            ("dark", 0.04),
        ],
    };
    a.tags(list, 1.0);
    match genre {
        Genre::Rock if loud => a.tag("hard rock", 0.06),
        Genre::Rock => a.tag("soft rock", 0.04),
        Genre::Pop | Genre::Techno if plan.tempo != Tempo::Slow => a.tag("dance", 0.15),
        _ => {}
    }
    if genre == Genre::Rock && fast {
        a.tag("punk", 0.02);
    }
    if plan.weird {
        a.tags(&[("weird", 0.45), ("strange", 0.12), ("eerie", 0.03)], 1.0);
    }
    match plan.tempo {
        Tempo::Fast => a.tags(&[("fast", 0.35), ("happy", 0.02)], 1.0),
        Tempo::Slow => a.tags(&[("slow", 0.6), ("calm", 0.03)], 1.0),
        Tempo::Medium => {}
    }
    match plan.loudness {
        Loudness::Loud => a.tags(&[("loud", 0.35), ("heavy", 0.05)], 1.0),
        Loudness::Quiet => a.tags(
            &[
                ("quiet", 0.3),
                ("soft", 0.3),
                ("calm", 0.04),
                ("mellow", 0.04),
            ],
            1.0,
        ),
        Loudness::Medium => {}
    }
    if plan.solo() {
        a.tag("solo", 0.35);
        if plan.has(Part::Piano) {
            a.tag("piano solo", 0.1);
        }
    }
    a.on
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::tagging_clip::Recipe;
    use std::collections::BTreeSet;

    /// Tags of `n` clips drawn from fresh albums (four clips each), without
    /// rendering (every part at full salience).
    fn simulate(n: usize) -> Vec<(ClipPlan, Vec<bool>)> {
        let mut rng = Rng::new(42);
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let recipe = Recipe::random(&mut rng);
            for _ in 0..4 {
                let plan = recipe.clip(&mut rng);
                let tags = annotate(&plan, &mut rng);
                out.push((plan, tags));
            }
        }
        out
    }

    fn idx(tag: &str) -> usize {
        TAGS.iter().position(|t| *t == tag).unwrap()
    }

    #[test]
    fn vocabulary_is_unique_and_larger_than_top_50() {
        let set: BTreeSet<&str> = TAGS.iter().copied().collect();
        assert_eq!(set.len(), TAGS.len());
        assert!(TAGS.len() > 60, "{}", TAGS.len());
        assert!(VOICE_TAGS.iter().all(|t| set.contains(t)));
    }

    #[test]
    fn tags_follow_what_was_generated() {
        for (plan, on) in simulate(20_000) {
            let has = |t: &str| on[idx(t)];
            if plan.voice == Voice::None {
                for t in VOICE_TAGS {
                    assert!(!has(t), "{t} on a clip without voice: {plan:?}");
                }
            } else {
                assert!(!has("no vocals") && !has("no voice") && !has("no vocal"));
            }
            if has("male") || has("man") || has("male vocal") {
                assert!(plan.voice == Voice::Male, "{plan:?}");
            }
            if has("female") || has("woman") {
                assert!(plan.voice == Voice::Female && plan.female(), "{plan:?}");
            }
            if has("sitar") {
                assert!(plan.has(Part::Sitar));
            }
            if has("piano") {
                assert!(plan.has(Part::Piano));
            }
            if has("harpsichord") {
                assert!(plan.has(Part::Harpsichord));
            }
            if has("drums") || has("beat") {
                assert!(plan.has(Part::Drums) || plan.has(Part::Tabla));
            }
            if has("guitar") {
                assert!(plan.has(Part::Guitar) || plan.has(Part::ElectricGuitar));
            }
            if has("fast") {
                assert_eq!(plan.tempo, Tempo::Fast);
            }
            if has("slow") {
                assert_eq!(plan.tempo, Tempo::Slow);
            }
            if has("loud") {
                assert_eq!(plan.loudness, Loudness::Loud);
            }
            if has("quiet") || has("soft") {
                assert_eq!(plan.loudness, Loudness::Quiet);
            }
            if has("rock") {
                assert!(matches!(plan.genre, Genre::Rock | Genre::Metal));
            }
            if has("opera") {
                assert!(plan.operatic);
            }
        }
    }

    #[test]
    fn frequencies_are_long_tailed_and_most_clips_keep_a_top_50_tag() {
        let clips = simulate(20_000);
        let n = clips.len() as f64;
        let mut counts = vec![0usize; TAGS.len()];
        for (_, on) in &clips {
            for (c, &o) in counts.iter_mut().zip(on) {
                *c += usize::from(o);
            }
        }
        let mut order: Vec<usize> = (0..TAGS.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(counts[i]));
        let freq = |rank: usize| counts[order[rank]] as f64 / n;
        // A few tags on 20-30 % of clips, most of the top 50 on 1-5 %.
        assert!((0.2..=0.35).contains(&freq(0)), "top tag {}", freq(0));
        assert!(freq(2) >= 0.15, "third tag {}", freq(2));
        assert!(freq(10) < 0.12, "eleventh tag {}", freq(10));
        assert!((0.01..=0.05).contains(&freq(25)), "26th tag {}", freq(25));
        assert!(
            freq(49) >= 0.004 && freq(49) <= 0.03,
            "50th tag {}",
            freq(49)
        );
        assert!(counts.iter().filter(|&&c| c > 0).count() > 55);
        let top: BTreeSet<usize> = order[..50].iter().copied().collect();
        let kept = clips
            .iter()
            .filter(|(_, on)| top.iter().any(|&i| on[i]))
            .count();
        assert!(
            kept as f64 / n > 0.85,
            "only {kept} of {n} keep a top-50 tag"
        );
        assert!(
            (kept as f64 / n) < 1.0,
            "every clip tagged: no annotator omission?"
        );
    }
}

//! Vocal-tract targets for the singing voice: the formant frequencies of ten
//! English vowels (adult male averages, Peterson & Barney, "Control methods
//! used in a study of the vowels", JASA 24(2), 1952, with F4/F5 from Klatt
//! 1980) and the articulations of the consonants that open syllables.
//!
//! A singer scales every frequency by a personal factor (about 1.0 for a
//! male, 1.1–1.2 for a female vocal tract).

/// Five formants: centre frequencies and bandwidths, in Hz.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Tract {
    pub(crate) freq: [f32; 5],
    pub(crate) bw: [f32; 5],
}

impl Tract {
    const fn new(f1: f32, f2: f32, f3: f32) -> Self {
        Tract {
            freq: [f1, f2, f3, 3500.0, 4500.0],
            bw: [70.0, 100.0, 150.0, 250.0, 300.0],
        }
    }

    /// The same articulation in a vocal tract `scale` times shorter.
    pub(crate) fn scaled(&self, scale: f32) -> Self {
        let mut t = *self;
        for f in &mut t.freq {
            *f *= scale;
        }
        t
    }
}

/// The vowels a syllable's nucleus is drawn from: i, ɪ, ɛ, æ, ɑ, ɔ, ʊ, u, ʌ, ɝ.
pub(crate) const VOWELS: [Tract; 10] = [
    Tract::new(270.0, 2290.0, 3010.0),
    Tract::new(390.0, 1990.0, 2550.0),
    Tract::new(530.0, 1840.0, 2480.0),
    Tract::new(660.0, 1720.0, 2410.0),
    Tract::new(730.0, 1090.0, 2440.0),
    Tract::new(570.0, 840.0, 2410.0),
    Tract::new(440.0, 1020.0, 2240.0),
    Tract::new(300.0, 870.0, 2240.0),
    Tract::new(640.0, 1190.0, 2390.0),
    Tract::new(490.0, 1350.0, 1690.0),
];

/// How a syllable begins.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Onset {
    /// Straight into the vowel (or a melisma continuing the previous vowel).
    Vowel,
    /// A stop: closure (voicing off), then a short broadband burst.
    Plosive,
    /// A fricative: band-limited noise at `centre` Hz with voicing reduced.
    Fricative { centre: f32 },
    /// A nasal (m, n): voiced, damped, with a low first formant.
    Nasal,
    /// A liquid or glide (l, r, w, j): voiced, formants gliding from `tract`.
    Liquid { tract: Tract },
}

/// The nasal murmur's tract: low F1, weak damped upper formants.
pub(crate) const NASAL: Tract = Tract {
    freq: [260.0, 1100.0, 2300.0, 3500.0, 4500.0],
    bw: [100.0, 300.0, 350.0, 400.0, 500.0],
};

/// Starting tracts of the liquids and glides l, r, w, j.
pub(crate) const LIQUIDS: [Tract; 4] = [
    Tract::new(360.0, 1100.0, 2700.0),
    Tract::new(350.0, 1150.0, 1550.0),
    Tract::new(300.0, 700.0, 2200.0),
    Tract::new(260.0, 2100.0, 3000.0),
];

/// Centre frequencies of the fricatives f, θ, s, ʃ, h (a breathy noise).
pub(crate) const FRICATIVE_CENTRES: [f32; 5] = [5000.0, 6000.0, 6500.0, 3500.0, 1500.0];

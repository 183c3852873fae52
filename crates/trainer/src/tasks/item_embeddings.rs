//! The items each task embeds ([`crate::embeddings`]): excerpts of songs
//! every `spacing` seconds for singing voice, whole clips (the mean over
//! their evaluation chunks) for tagging. Excerpts go through the model 64
//! at a time, so memory is bounded by one song or clip and one batch.

use cochlea_data::{Clip, Framing, Song, chunk_at, evenly_spaced_starts};
use cochlea_model::Classifier;

use crate::embeddings::{EmbeddingLayer, Embeddings, ItemLabels, embed_waves, push_rows};
use crate::error::{Error, Result};

const BATCH: usize = 64;

/// Excerpts of `excerpt` frames starting every `spacing` seconds of each
/// song, named `song@start seconds`, with the class of their centre frame.
pub fn song_embeddings(
    model: &Classifier,
    songs: &[Song],
    framing: Framing,
    excerpt: usize,
    layer: EmbeddingLayer,
    spacing: f64,
) -> Result<Embeddings> {
    if !(spacing.is_finite() && spacing > 0.0) {
        return Err(Error::Other(format!(
            "the excerpt spacing must be a positive number of seconds, not {spacing}"
        )));
    }
    let step = ((spacing * framing.fps()).round() as usize).max(1);
    let samples = framing.samples_for(excerpt);
    let mut out = Embeddings {
        dim: 0,
        vectors: Vec::new(),
        items: Vec::new(),
        labels: ItemLabels::Classes {
            names: vec!["no-voice".into(), "voice".into()],
            of_item: Vec::new(),
        },
    };
    let mut classes = Vec::new();
    for song in songs {
        let wave = song.wave.samples();
        let starts: Vec<usize> = (0..)
            .map(|i| i * step)
            .take_while(|&s| s + excerpt <= song.labels.len())
            .collect();
        for batch in starts.chunks(BATCH) {
            let mut waves = Vec::with_capacity(batch.len() * samples);
            for &s in batch {
                chunk_at(wave, s * framing.hop, samples, &mut waves);
                out.items
                    .push(format!("{}@{:.2}", song.name, s as f64 / framing.fps()));
                classes.push(usize::from(song.labels[s + excerpt / 2] >= 0.5));
            }
            let (rows, dim) = embed_waves(model, layer, waves, batch.len(), samples)?;
            push_rows(&mut out, &rows, dim)?;
        }
    }
    out.labels = ItemLabels::Classes {
        names: vec!["no-voice".into(), "voice".into()],
        of_item: classes,
    };
    Ok(out)
}

/// Each clip as the mean embedding of its `count` evenly spaced chunks of
/// `chunk_frames` frames, named by its id, with its tags.
pub fn clip_embeddings(
    model: &Classifier,
    clips: &[Clip],
    framing: Framing,
    chunk_frames: usize,
    count: usize,
    tags: Vec<String>,
    layer: EmbeddingLayer,
) -> Result<Embeddings> {
    let chunk = framing.samples_for(chunk_frames);
    let mut out = Embeddings {
        dim: 0,
        vectors: Vec::new(),
        items: Vec::new(),
        labels: ItemLabels::Tags {
            names: Vec::new(),
            of_item: Vec::new(),
        },
    };
    let mut flags = Vec::with_capacity(clips.len());
    for clip in clips {
        let samples = clip.wave.samples();
        let mut waves = Vec::with_capacity(count * chunk);
        for start in evenly_spaced_starts(samples.len(), chunk, count) {
            chunk_at(samples, start, chunk, &mut waves);
        }
        let (rows, dim) = embed_waves(model, layer, waves, count, chunk)?; // [count, dim]
        let mean: Vec<f32> = (0..dim)
            .map(|d| rows.iter().skip(d).step_by(dim).sum::<f32>() / count as f32)
            .collect();
        push_rows(&mut out, &mean, dim)?;
        out.items.push(clip.id.clone());
        flags.push(clip.tags.iter().map(|&t| t >= 0.5).collect());
    }
    out.labels = ItemLabels::Tags {
        names: tags,
        of_item: flags,
    };
    Ok(out)
}

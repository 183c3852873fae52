//! Little-endian PCM sample encodings of RIFF/WAVE data chunks, decoded a
//! block of bytes at a time into `f32`:
//!
//! - integers of `bits` valid bits, `x = s · 2^-(bits-1)` so that full scale
//!   is ±1: unsigned 8-bit (`s = byte − 128`), signed 16-bit, 24-bit packed
//!   in 3 bytes, 24-bit in a 4-byte container (sign-extended from bit 23)
//!   and 32-bit;
//! - 32-bit IEEE float, as stored.
//!
//! These are the encodings hound decodes, with the same values bit for bit
//! (`(f64::from(s) · scale) as f32`); reading a block of bytes and
//! converting it in one loop replaces hound's one `read_exact` per sample.

/// A sample encoding of a WAV data chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pcm {
    U8,
    I16,
    I24,
    I24In32,
    I32,
    F32,
}

impl Pcm {
    /// The encoding of samples of `bits` valid bits in `bytes`-byte
    /// containers; `None` for combinations hound does not decode either.
    pub(super) fn new(format: hound::SampleFormat, bits: u16, bytes: u16) -> Option<Pcm> {
        match (format, bytes, bits) {
            (hound::SampleFormat::Int, 1, 8) => Some(Pcm::U8),
            (hound::SampleFormat::Int, 2, 16) => Some(Pcm::I16),
            (hound::SampleFormat::Int, 3, 24) => Some(Pcm::I24),
            (hound::SampleFormat::Int, 4, 24) => Some(Pcm::I24In32),
            (hound::SampleFormat::Int, 4, 32) => Some(Pcm::I32),
            (hound::SampleFormat::Float, 4, 32) => Some(Pcm::F32),
            _ => None,
        }
    }

    /// Bytes per sample.
    pub(super) fn bytes(self) -> usize {
        match self {
            Pcm::U8 => 1,
            Pcm::I16 => 2,
            Pcm::I24 => 3,
            Pcm::I24In32 | Pcm::I32 | Pcm::F32 => 4,
        }
    }

    /// Whether decoded samples can be non-finite (float data only).
    pub(super) fn may_be_non_finite(self) -> bool {
        self == Pcm::F32
    }

    /// Decodes the whole samples in `data` (a multiple of [`Pcm::bytes`])
    /// and appends them to `out`.
    pub(super) fn decode(self, data: &[u8], out: &mut Vec<f32>) {
        debug_assert_eq!(data.len() % self.bytes(), 0);
        // Full scale of `bits` valid bits, as a multiplier (a power of two).
        let full_scale = |bits: u32| 1.0 / (1u64 << (bits - 1)) as f64;
        let scaled = |s: i32, k: f64| (f64::from(s) * k) as f32;
        match self {
            Pcm::U8 => {
                let k = full_scale(8);
                out.extend(data.iter().map(|&b| scaled(i32::from(b) - 128, k)));
            }
            Pcm::I16 => {
                let k = full_scale(16);
                out.extend(
                    data.chunks_exact(2)
                        .map(|b| scaled(i32::from(i16::from_le_bytes([b[0], b[1]])), k)),
                );
            }
            // The three bytes in the top of an i32, shifted back down with
            // the sign: sign extension from bit 23.
            Pcm::I24 => {
                let k = full_scale(24);
                out.extend(
                    data.chunks_exact(3)
                        .map(|b| scaled(i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8, k)),
                );
            }
            Pcm::I24In32 => {
                let k = full_scale(24);
                out.extend(
                    data.chunks_exact(4)
                        .map(|b| scaled(i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8, k)),
                );
            }
            Pcm::I32 => {
                let k = full_scale(32);
                out.extend(
                    data.chunks_exact(4)
                        .map(|b| scaled(i32::from_le_bytes([b[0], b[1], b[2], b[3]]), k)),
                );
            }
            Pcm::F32 => out.extend(
                data.chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_encoding_decodes_its_extremes() {
        let cases: [(Pcm, &[u8], [f32; 2]); 6] = [
            (Pcm::U8, &[0, 255], [-1.0, 127.0 / 128.0]),
            (
                Pcm::I16,
                &[0x00, 0x80, 0xff, 0x7f],
                [-1.0, 32767.0 / 32768.0],
            ),
            (Pcm::I24, &[0, 0, 0x80, 1, 0, 0], [-1.0, 1.0 / 8_388_608.0]),
            // The container's top byte is ignored: bit 23 is the sign.
            (
                Pcm::I24In32,
                &[0, 0, 0x80, 0x00, 0xff, 0xff, 0x7f, 0xff],
                [-1.0, 8_388_607.0 / 8_388_608.0],
            ),
            (Pcm::I32, &[0, 0, 0, 0x80, 0, 0, 0, 0x40], [-1.0, 0.5]),
            (
                Pcm::F32,
                &[0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x80, 0xbf],
                [1.5, -1.0],
            ),
        ];
        for (pcm, bytes, expect) in cases {
            let mut out = vec![9.0];
            pcm.decode(bytes, &mut out);
            assert_eq!(out, [9.0, expect[0], expect[1]], "{pcm:?}");
        }
    }

    #[test]
    fn only_the_encodings_hound_reads_are_known() {
        use hound::SampleFormat::{Float, Int};
        assert_eq!(Pcm::new(Int, 24, 4), Some(Pcm::I24In32));
        assert_eq!(Pcm::new(Int, 24, 3).map(Pcm::bytes), Some(3));
        assert_eq!(Pcm::new(Int, 12, 2), None);
        assert_eq!(Pcm::new(Float, 64, 8), None);
        assert_eq!(Pcm::new(Float, 32, 4), Some(Pcm::F32));
    }
}

//! Writing `.npy` files (NumPy format 1.0, little-endian float32, C order).
//!
//! Format: magic `\x93NUMPY`, version 1.0, a little-endian u16 header length,
//! an ASCII Python dict `{'descr': '<f4', 'fortran_order': False, 'shape': (..), }`
//! padded with spaces and a newline to a multiple of 64 bytes, then the data.

use std::io::Write;
use std::path::Path;

use cochlea_data::atomic::write_atomically;

/// Writes `values` (row-major, `shape`) as a float32 `.npy` file, atomically.
pub fn write_npy_f32(path: &Path, shape: &[usize], values: &[f32]) -> std::io::Result<()> {
    assert_eq!(shape.iter().product::<usize>(), values.len());
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let shape_text = if dims.len() == 1 {
        format!("({},)", dims[0])
    } else {
        format!("({})", dims.join(", "))
    };
    let mut header = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape_text}, }}");
    let unpadded = 10 + header.len() + 1;
    header.push_str(&" ".repeat((64 - unpadded % 64) % 64));
    header.push('\n');
    let mut bytes = Vec::with_capacity(10 + header.len() + values.len() * 4);
    bytes.extend_from_slice(b"\x93NUMPY\x01\x00");
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    for v in values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    write_atomically(path, |f| f.write_all(&bytes))
}

//! Writing `.npy` files (NumPy format 1.0, little-endian float32, C order).
//!
//! Format: magic `\x93NUMPY`, version 1.0, a little-endian u16 header length,
//! an ASCII Python dict `{'descr': '<f4', 'fortran_order': False, 'shape': (..), }`
//! padded with spaces and a newline to a multiple of 64 bytes, then the data.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use cochlea_data::atomic::write_atomically;

/// Writes `values` (row-major, `shape`) as a float32 `.npy` file, atomically.
pub fn write_npy_f32(path: &Path, shape: &[usize], values: &[f32]) -> std::io::Result<()> {
    assert_eq!(shape.iter().product::<usize>(), values.len());
    write_atomically(path, |f| {
        write_header(f, shape)?;
        write_values(f, values)
    })
}

/// Writes equally long `rows` as a `[rows, columns]` float32 `.npy` file,
/// atomically, without gathering them into one buffer.
pub fn write_npy_f32_rows(path: &Path, rows: &[Vec<f32>]) -> std::io::Result<()> {
    let columns = rows.first().map_or(0, Vec::len);
    assert!(rows.iter().all(|r| r.len() == columns));
    write_atomically(path, |f| {
        write_header(f, &[rows.len(), columns])?;
        rows.iter().try_for_each(|row| write_values(f, row))
    })
}

fn write_header(f: &mut BufWriter<File>, shape: &[usize]) -> std::io::Result<()> {
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
    f.write_all(b"\x93NUMPY\x01\x00")?;
    f.write_all(&(header.len() as u16).to_le_bytes())?;
    f.write_all(header.as_bytes())
}

fn write_values(f: &mut BufWriter<File>, values: &[f32]) -> std::io::Result<()> {
    values
        .iter()
        .try_for_each(|v| f.write_all(&v.to_le_bytes()))
}

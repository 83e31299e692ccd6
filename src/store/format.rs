//! The file layout: magic, format version, body length, postcard body, CRC-32.
//!
//! ```text
//! offset  size  field
//! 0       8     magic: the bytes "GRADEBK" followed by 0x00
//! 8       2     format version, u16 little-endian (this build writes 1)
//! 10      8     body length N, u64 little-endian
//! 18      N     body: the gradebook in postcard encoding (see README)
//! 18+N    4     CRC-32 (IEEE, as zlib's crc32) of bytes 0..18+N, u32 little-endian
//! ```
//!
//! Postcard is not self-describing, so the version says how to read the body. The model
//! types in `crate::model` are the schema of the newest version. When a version 2 changes
//! them, the version-1 types are copied, frozen, into `v1.rs` with a `From<v1::Gradebook>`
//! for the new model, and [`decode`] gets one more arm; `tests/data/gradebook-v1.postcard`
//! keeps the promise that version-1 files still load.

use crate::model::Gradebook;

/// The first eight bytes of every gradebook file.
pub const MAGIC: [u8; 8] = *b"GRADEBK\0";
/// The format version this build writes.
pub const VERSION: u16 = 1;
/// Bytes before the body: magic, version, body length.
pub const HEADER_LEN: usize = 18;
/// Largest file we agree to read, so hostile files cannot exhaust memory.
pub const MAX_FILE_LEN: u64 = 1 << 30;

/// Why bytes are not a gradebook we can load.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormatError {
    #[error("it is not a gradebook file")]
    NotOurs,
    #[error("it is truncated ({got} of {expected} bytes)")]
    Truncated { got: u64, expected: u64 },
    #[error(
        "it was written by a newer gradebook (format version {0}, this one reads up to {VERSION})"
    )]
    NewerVersion(u16),
    #[error("it is corrupt: {0}")]
    Corrupt(String),
    #[error("it holds invalid data: {0}")]
    Invalid(String),
}

/// Encodes a gradebook as a complete file.
pub fn encode(book: &Gradebook) -> Result<Vec<u8>, FormatError> {
    let body = postcard::to_stdvec(book)
        .map_err(|e| FormatError::Corrupt(format!("cannot encode the gradebook ({e})")))?;
    let mut out = Vec::with_capacity(HEADER_LEN + body.len() + 4);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&body);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    Ok(out)
}

/// Checks and decodes a complete file. Never panics, whatever the bytes.
pub fn decode(bytes: &[u8]) -> Result<Gradebook, FormatError> {
    let magic_len = bytes.len().min(MAGIC.len());
    if bytes[..magic_len] != MAGIC[..magic_len] {
        return Err(FormatError::NotOurs);
    }
    if bytes.len() < HEADER_LEN {
        return Err(FormatError::Truncated {
            got: bytes.len() as u64,
            expected: HEADER_LEN as u64 + 4,
        });
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version > VERSION {
        return Err(FormatError::NewerVersion(version));
    }
    if version == 0 {
        return Err(FormatError::Corrupt(
            "format version 0 does not exist".into(),
        ));
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&bytes[10..18]);
    let body_len = u64::from_le_bytes(len);
    let expected = (HEADER_LEN as u64 + 4).saturating_add(body_len);
    let got = bytes.len() as u64;
    if got < expected {
        return Err(FormatError::Truncated { got, expected });
    }
    if got > expected {
        return Err(FormatError::Corrupt(format!(
            "{} unexpected bytes after the end",
            got - expected
        )));
    }
    let (data, crc) = bytes.split_at(bytes.len() - 4);
    let stored = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
    if crc32fast::hash(data) != stored {
        return Err(FormatError::Corrupt("checksum mismatch".into()));
    }
    let body = &data[HEADER_LEN..];
    let book = match version {
        1 => decode_v1(body)?,
        v => return Err(FormatError::NewerVersion(v)),
    };
    book.validate()
        .map_err(|e| FormatError::Invalid(e.to_string()))?;
    Ok(book)
}

fn decode_v1(body: &[u8]) -> Result<Gradebook, FormatError> {
    let (book, rest) = postcard::take_from_bytes::<Gradebook>(body)
        .map_err(|e| FormatError::Corrupt(format!("cannot decode the body ({e})")))?;
    if !rest.is_empty() {
        return Err(FormatError::Corrupt("the body has trailing bytes".into()));
    }
    Ok(book)
}

//! The file layout: magic, format version, body length, postcard body, CRC-32.
//!
//! ```text
//! offset  size  field
//! 0       8     magic: the bytes "GRADEBK" followed by 0x00
//! 8       2     format version, u16 little-endian (this build writes 2, reads 1 and 2)
//! 10      8     body length N, u64 little-endian
//! 18      N     body: the gradebook, its history head, undo and redo steps, in postcard
//!               encoding (see README)
//! 18+N    4     CRC-32 (IEEE, as zlib's crc32) of bytes 0..18+N, u32 little-endian
//! ```
//!
//! Postcard is not self-describing, so the version says how to read the body. The model
//! types in `crate::model` are the schema of the newest version (2: the syllabus). The
//! version-1 types are frozen in `v1.rs` with a `From<v1::Gradebook>` for the model;
//! `tests/data/gradebook-v1.postcard` and `gradebook-v2.postcard` keep the promise that
//! files of every version still load. A later version freezes version 2 the same way.

use crate::journal::Head;
use crate::model::{Gradebook, Saved, SavedRef};

/// The first eight bytes of every gradebook file.
pub const MAGIC: [u8; 8] = *b"GRADEBK\0";
/// The format version this build writes.
pub const VERSION: u16 = 3;
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

/// Encodes a gradebook, with no history and nothing to undo, as a complete file.
pub fn encode(book: &Gradebook) -> Result<Vec<u8>, FormatError> {
    encode_saved(&SavedRef {
        book,
        history: &Head::default(),
        undo: &[],
        redo: &[],
    })
}

/// Encodes what a data file keeps (gradebook, history head, undo and redo) as a complete
/// file.
pub fn encode_saved(saved: &SavedRef) -> Result<Vec<u8>, FormatError> {
    let mut out = Vec::new();
    write_saved(saved, &mut out).map_err(|e| match e.downcast::<FormatError>() {
        Ok(reason) => reason,
        Err(e) => FormatError::Corrupt(format!("cannot encode the gradebook ({e})")),
    })?;
    Ok(out)
}

/// Writes the complete file of `saved` to `out` as it encodes it, the rosters straight
/// from their own memory: a save needs no copy of the whole file. An error encoding is an
/// I/O error holding the [`FormatError`].
pub fn write_saved(saved: &SavedRef, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::Write;
    let shell = super::columns::shell(saved).map_err(std::io::Error::other)?;
    let body_len = super::columns::body_len(saved, &shell);
    let mut out = Checksummed {
        out,
        crc: crc32fast::Hasher::new(),
    };
    out.write_all(&MAGIC)?;
    out.write_all(&VERSION.to_le_bytes())?;
    out.write_all(&body_len.to_le_bytes())?;
    super::columns::write_body(saved, &shell, &mut out)?;
    let crc = out.crc.finalize();
    out.out.write_all(&crc.to_le_bytes())
}

/// A writer that checksums what goes through it.
struct Checksummed<'a> {
    out: &'a mut dyn std::io::Write,
    crc: crc32fast::Hasher,
}

impl std::io::Write for Checksummed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// What the first [`HEADER_LEN`] bytes of a file say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub version: u16,
    pub body_len: u64,
}

/// Checks the first bytes of a file of `file_len` bytes: magic, version, and that the body
/// length fits the file exactly. `first` may be shorter than [`HEADER_LEN`] only when the
/// file is. Lets a reader refuse a foreign or oversized file before reading it all.
pub fn read_header(first: &[u8], file_len: u64) -> Result<Header, FormatError> {
    let magic_len = first.len().min(MAGIC.len());
    if first[..magic_len] != MAGIC[..magic_len] || (file_len > 0 && magic_len == 0) {
        return Err(FormatError::NotOurs);
    }
    if first.len() < HEADER_LEN || file_len < HEADER_LEN as u64 {
        return Err(FormatError::Truncated {
            got: file_len,
            expected: HEADER_LEN as u64 + 4,
        });
    }
    let version = u16::from_le_bytes([first[8], first[9]]);
    if version > VERSION {
        return Err(FormatError::NewerVersion(version));
    }
    if version == 0 {
        return Err(FormatError::Corrupt(
            "format version 0 does not exist".into(),
        ));
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&first[10..18]);
    let body_len = u64::from_le_bytes(len);
    let expected = (HEADER_LEN as u64 + 4).saturating_add(body_len);
    if file_len < expected {
        return Err(FormatError::Truncated {
            got: file_len,
            expected,
        });
    }
    if file_len > expected {
        return Err(FormatError::Corrupt(format!(
            "{} unexpected bytes after the end",
            file_len - expected
        )));
    }
    Ok(Header { version, body_len })
}

/// Checks and decodes a complete file's gradebook. Never panics, whatever the bytes.
pub fn decode(bytes: &[u8]) -> Result<Gradebook, FormatError> {
    decode_saved(bytes).map(|saved| saved.book)
}

/// Checks and decodes a complete file: the gradebook, its history head, undo and redo.
/// Never panics, whatever the bytes.
pub fn decode_saved(bytes: &[u8]) -> Result<Saved, FormatError> {
    let header = read_header(&bytes[..bytes.len().min(HEADER_LEN)], bytes.len() as u64)?;
    let (data, crc) = bytes.split_at(bytes.len() - 4);
    let stored = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
    if crc32fast::hash(data) != stored {
        return Err(FormatError::Corrupt("checksum mismatch".into()));
    }
    let body = &data[HEADER_LEN..];
    let (saved, vouched) = match header.version {
        1 => (
            Saved::of(decode_body::<super::v1::Gradebook>(body)?.into()),
            Vec::new(),
        ),
        2 => (decode_body::<Saved>(body)?, Vec::new()),
        3 => super::columns::decode(&mut super::columns::Bytes(body))?,
        v => return Err(FormatError::NewerVersion(v)),
    };
    saved
        .validate_vouched(&vouched)
        .map_err(|e| FormatError::Invalid(e.to_string()))?;
    Ok(saved)
}

/// Reads the rest of a file whose first [`HEADER_LEN`] bytes are `first` (with `header`
/// what they say), checks and decodes it. A version-3 body is read straight into the
/// gradebook's memory, its checksum computed on the way; older ones are read whole
/// first. Never panics, whatever the bytes.
pub fn read_saved(
    first: &[u8],
    header: Header,
    reader: &mut impl std::io::Read,
) -> Result<Saved, ReadError> {
    use super::columns::Reader;
    use std::io::Read;
    if header.version != 3 {
        let mut bytes = first.to_vec();
        let len = usize::try_from(header.body_len + 4).map_err(|_| FormatError::NotOurs)?;
        bytes.reserve_exact(len);
        reader.take(len as u64).read_to_end(&mut bytes)?;
        return Ok(decode_saved(&bytes)?);
    }
    let mut crc = crc32fast::Hasher::new();
    crc.update(first);
    let mut body = Reader {
        reader: &mut *reader,
        left: header.body_len,
        crc,
        io: None,
    };
    let decoded = super::columns::decode(&mut body);
    if let Some(e) = body.io.take() {
        return Err(ReadError::Io(e));
    }
    // What is left of the body still counts for the checksum: a bad byte reads as a
    // checksum mismatch, not as whatever it broke.
    let left = body.left;
    let mut hashing = HashingSink(body.crc);
    std::io::copy(&mut (&mut *reader).take(left), &mut hashing)?;
    let mut stored = [0u8; 4];
    reader.read_exact(&mut stored)?;
    if hashing.0.finalize() != u32::from_le_bytes(stored) {
        return Err(FormatError::Corrupt("checksum mismatch".into()).into());
    }
    let (saved, vouched) = decoded?;
    saved
        .validate_vouched(&vouched)
        .map_err(|e| FormatError::Invalid(e.to_string()))?;
    Ok(saved)
}

/// Why a file could not be read: its bytes, or the reading itself.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A writer that only checksums what it is given.
struct HashingSink(crc32fast::Hasher);

impl std::io::Write for HashingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A body of one version: decoded whole, with no byte left over, in canonical form.
fn decode_body<T: serde::de::DeserializeOwned + serde::Serialize>(
    body: &[u8],
) -> Result<T, FormatError> {
    let (book, rest) = postcard::take_from_bytes::<T>(body)
        .map_err(|e| FormatError::Corrupt(format!("cannot decode the body ({e})")))?;
    if !rest.is_empty() {
        return Err(FormatError::Corrupt("the body has trailing bytes".into()));
    }
    check_canonical(&book, body)?;
    Ok(book)
}

/// Postcard reads a number written in more bytes than it needs (`80 00` for 0) as if it
/// were short. A body must be exactly what encoding its value gives, so that one gradebook
/// has one file: compared while encoding, without allocating.
pub(super) fn check_canonical<T: serde::Serialize>(
    value: &T,
    body: &[u8],
) -> Result<(), FormatError> {
    let flavor = Compare {
        expected: body,
        at: 0,
    };
    match postcard::serialize_with_flavor(value, flavor) {
        Ok(n) if n == body.len() => Ok(()),
        _ => Err(FormatError::Corrupt(
            "the body is not in canonical form (a number written in too many bytes)".into(),
        )),
    }
}

/// A postcard output that only compares what would be written with `expected`.
struct Compare<'a> {
    expected: &'a [u8],
    at: usize,
}

impl postcard::ser_flavors::Flavor for Compare<'_> {
    type Output = usize;

    fn try_push(&mut self, byte: u8) -> postcard::Result<()> {
        self.try_extend(&[byte])
    }

    fn try_extend(&mut self, bytes: &[u8]) -> postcard::Result<()> {
        let end = self.at + bytes.len();
        if self.expected.get(self.at..end) != Some(bytes) {
            return Err(postcard::Error::SerializeBufferFull);
        }
        self.at = end;
        Ok(())
    }

    fn finalize(self) -> postcard::Result<usize> {
        Ok(self.at)
    }
}

//! The file decoder on arbitrary bytes: a typed error or a valid gradebook, never a panic;
//! whatever decodes survives an encode and decode unchanged, and reading the same bytes as
//! a stream (as a load does) gives the same answer.
#![no_main]

use gradebook::store::format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    // Checksums stop almost every mutation early; also feed the bytes as a body with a
    // correct header and checksum, so that the decoders themselves are exercised: the
    // columns of version 3 and the postcard of version 2.
    for file in [bytes.to_vec(), with_header(bytes, 3), with_header(bytes, 2)] {
        let decoded = format::decode_saved(&file);
        if let Ok(saved) = &decoded {
            assert!(saved.validate().is_ok());
            let book = &saved.book;
            let again = format::encode(book).ok().and_then(|b| format::decode(&b).ok());
            assert_eq!(again.as_ref(), Some(book));
        }
        // A load reads from the file as it goes (version 3 straight into the roster):
        // the same answer as decoding the bytes at once.
        let first = &file[..file.len().min(format::HEADER_LEN)];
        if let Ok(header) = format::read_header(first, file.len() as u64) {
            let mut rest = &file[first.len()..];
            let read = format::read_saved(first, header, &mut rest);
            match (&decoded, read) {
                (Ok(a), Ok(b)) => assert_eq!(a, &b),
                (Err(_), Err(_)) => {}
                (a, b) => panic!("decoding gave {:?}, reading {:?}", a.is_ok(), b.is_ok()),
            }
        }
    }
});

fn with_header(body: &[u8], version: u16) -> Vec<u8> {
    let mut out = format::MAGIC.to_vec();
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(body);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

//! The file decoder on arbitrary bytes: a typed error or a valid gradebook, never a panic,
//! and whatever decodes survives an encode and decode unchanged.
#![no_main]

use gradebook::store::format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    // Checksums stop almost every mutation early; also feed the bytes as a body with a
    // correct header and checksum, so that the decoders themselves are exercised: the
    // columns of version 3 and the postcard of version 2.
    for file in [bytes.to_vec(), with_header(bytes, 3), with_header(bytes, 2)] {
        if let Ok(book) = format::decode(&file) {
            assert!(book.validate().is_ok());
            let again = format::encode(&book).ok().and_then(|b| format::decode(&b).ok());
            assert_eq!(again.as_ref(), Some(&book));
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

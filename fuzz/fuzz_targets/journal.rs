//! The history reader on arbitrary bytes: every entry checked or a named break, never a
//! panic; and the entries read re-encode to the bytes they came from.
#![no_main]

use gradebook::journal::{self, Head};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first bytes choose the head the data file would name; the rest is the journal,
    // as it is and behind a valid header.
    if data.len() < 9 {
        return;
    }
    let entries = u64::from(data[0] % 16);
    let len = u64::from(u32::from_le_bytes([data[1], data[2], data[3], data[4]]) % 65536);
    let bytes = &data[9..];
    let mut with_header = journal::MAGIC.to_vec();
    with_header.extend_from_slice(&journal::VERSION.to_le_bytes());
    with_header.extend_from_slice(&[0; 6]);
    with_header.extend_from_slice(bytes);
    for file in [bytes, &with_header[..]] {
        let head = Head {
            entries,
            bytes: len.min(file.len() as u64),
            hash: [0; 32],
        };
        // Whatever breaks, the entries read before it are exactly the journal's first
        // bytes: encoding them again gives those bytes.
        let (records, _) = journal::read(file, &head);
        if !records.is_empty() {
            let entries: Vec<_> = records.into_iter().map(|r| r.entry).collect();
            let (again, _) = journal::encode(Head::default(), &entries).expect("encodes");
            assert_eq!(&again[..], &file[..again.len()]);
        }
    }
});

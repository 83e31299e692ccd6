//! Times our load and save of a synthetic gradebook against plain reads and writes of the
//! same number of bytes, medians of several runs; prints JSON for `benches/compare_pickle.py`.
//!
//!     cargo run --release --example store_timing -- STUDENTS ASSESSMENTS DIR [RUNS]

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Instant;

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, students, assessments, dir, rest @ ..] = args.as_slice() else {
        return Err("usage: store_timing STUDENTS ASSESSMENTS DIR [RUNS]".into());
    };
    let students: usize = students.parse().map_err(|e| format!("{e}"))?;
    let assessments: usize = assessments.parse().map_err(|e| format!("{e}"))?;
    let runs: usize = rest
        .first()
        .map_or(Ok(11), |r| r.parse())
        .map_err(|e| format!("{e}"))?;
    let dir = Path::new(dir);
    let book = gradebook::sample::synthetic(students, assessments, chrono::Utc::now());
    let path = dir.join("gradebook.postcard");
    let (store, _) =
        gradebook::store::Store::open(&path, "benchmark").map_err(|e| e.to_string())?;
    let fail = |e: &dyn std::fmt::Display| e.to_string();

    let save = time(runs, || {
        store.save(&book).map_err(|e| fail(&e)).unwrap_or_default()
    });
    // Load is read, check, decode (PRODUCT.md); freeing the result afterwards is not timed,
    // as the Python side keeps its object too.
    let mut kept = Vec::with_capacity(runs);
    let load = time(runs, || {
        let loaded = gradebook::store::load(&path).map_err(|e| fail(&e));
        assert!(
            loaded
                .as_ref()
                .is_ok_and(|b| b.courses[0].students.len() == students)
        );
        kept.push(loaded);
    });
    drop(kept);
    let bytes = std::fs::read(&path).map_err(|e| fail(&e))?;
    let raw_path = dir.join("raw.bin");
    let raw_write = time(runs, || {
        let mut f = File::create(&raw_path)
            .map_err(|e| fail(&e))
            .unwrap_or_else(|_| panic_exit());
        f.write_all(&bytes).unwrap_or_else(|_| panic_exit());
        f.sync_all().unwrap_or_else(|_| panic_exit());
    });
    let raw_read = time(runs, || {
        let mut buf = Vec::new();
        let mut f = File::open(&raw_path).unwrap_or_else(|_| panic_exit());
        f.read_to_end(&mut buf).unwrap_or_else(|_| panic_exit());
        assert_eq!(buf.len(), bytes.len());
    });
    println!(
        "{{\"bytes\": {}, \"save_s\": {save}, \"load_s\": {load}, \"raw_write_fsync_s\": {raw_write}, \"raw_read_s\": {raw_read}}}",
        bytes.len()
    );
    Ok(())
}

fn panic_exit() -> ! {
    eprintln!("I/O error during the benchmark");
    std::process::exit(1)
}

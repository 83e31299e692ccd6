//! The Rust side of `benches/compare_pickle.py`.
//!
//!     store_timing bench STUDENTS ASSESSMENTS DIR RUNS
//!         writes DIR/gradebook.postcard (the synthetic gradebook) and prints, as JSON, the
//!         medians of RUNS in-process loads and saves, and of plain reads and writes +
//!         fsync of the same number of bytes
//!     store_timing read PATH       reads the whole file into memory (a fresh process's read)
//!     store_timing write PATH N    writes N bytes to PATH and fsyncs them
//!     store_timing none            does nothing (the cost of starting a process)
//!     store_timing run CMD ARGS... runs CMD (its output to /dev/null) and prints, as
//!                                  JSON, its wall time and its peak resident memory: from
//!                                  this small process, so that the peak is the command's
//!                                  own (a child's peak counts its parent's size at fork)

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Instant;

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut() -> Result<(), String>) -> Result<f64, String> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed().as_secs_f64());
    }
    Ok(median(times))
}

fn fail(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut f = File::create(path).map_err(fail)?;
    f.write_all(bytes).map_err(fail)?;
    f.sync_all().map_err(fail)
}

fn bench(students: usize, assessments: usize, dir: &Path, runs: usize) -> Result<(), String> {
    let book = gradebook::sample::synthetic(students, assessments, chrono::Utc::now());
    let path = dir.join("gradebook.postcard");
    let (store, _) = gradebook::store::Store::open(&path, "benchmark").map_err(fail)?;
    let save = time(runs, || store.save(&book).map_err(fail))?;
    // Load is read, check, decode (PRODUCT.md); freeing the result afterwards is not timed,
    // as the Python side keeps its object too.
    let mut kept = Vec::with_capacity(runs);
    let load = time(runs, || {
        let loaded = gradebook::store::load(&path).map_err(fail)?;
        if loaded.courses[0].students.len() != students {
            return Err("the load lost students".into());
        }
        kept.push(loaded);
        Ok(())
    })?;
    drop(kept);
    drop(store);
    let bytes = std::fs::read(&path).map_err(fail)?;
    let raw_path = dir.join("raw.bin");
    let raw_write = time(runs, || write(&raw_path, &bytes))?;
    let raw_read = time(runs, || {
        let mut buf = Vec::new();
        File::open(&raw_path)
            .and_then(|mut f| f.read_to_end(&mut buf))
            .map_err(fail)?;
        if buf.len() != bytes.len() {
            return Err("short read".into());
        }
        Ok(())
    })?;
    std::fs::remove_file(&raw_path).map_err(fail)?;
    println!(
        "{{\"bytes\": {}, \"save_s\": {save}, \"load_s\": {load}, \"raw_write_fsync_s\": {raw_write}, \"raw_read_s\": {raw_read}}}",
        bytes.len()
    );
    Ok(())
}

fn run(cmd: &str, args: &[&str]) -> Result<(), String> {
    use std::process::{Command, Stdio};
    let start = Instant::now();
    let child = Command::new(cmd)
        .args(args)
        .stdout(Stdio::null())
        .spawn()
        .map_err(fail)?;
    let mut status = 0;
    // SAFETY: plain C structs filled by the kernel; the child is ours and not waited on
    // elsewhere.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let seconds = start.elapsed().as_secs_f64();
    if pid < 0 || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("{cmd} {args:?} failed ({status})"));
    }
    println!(
        "{{\"seconds\": {seconds}, \"peak\": {}}}",
        usage.ru_maxrss * 1024
    );
    Ok(())
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let number = |s: &str| s.parse::<usize>().map_err(fail);
    match args.as_slice() {
        ["bench", students, assessments, dir, runs] => bench(
            number(students)?,
            number(assessments)?,
            Path::new(dir),
            number(runs)?,
        ),
        ["read", path] => {
            let bytes = std::fs::read(path).map_err(fail)?;
            std::hint::black_box(&bytes);
            Ok(())
        }
        ["write", path, n] => write(Path::new(path), &vec![7u8; number(n)?]),
        ["none"] => Ok(()),
        ["load", path, runs] => {
            let path = Path::new(path);
            let mut kept = Vec::new();
            let median = time(number(runs)?, || {
                kept.push(gradebook::store::load(path).map_err(|e| e.to_string())?);
                Ok(())
            })?;
            println!("{{\"load_s\": {median}}}");
            Ok(())
        }
        ["run", cmd, rest @ ..] => run(cmd, rest),
        _ => Err("usage: store_timing bench STUDENTS ASSESSMENTS DIR RUNS | read PATH | write PATH N | none".into()),
    }
}

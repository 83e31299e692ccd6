//! Times `predictor::fit` on observations read from a file of little-endian f64 pairs
//! (hours, score), as `benches/compare_fit.py` writes it. Prints the median in seconds.

use std::time::Instant;

fn main() -> Result<(), String> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: fit_timing FILE [RUNS]")?;
    let runs: usize = std::env::args()
        .nth(2)
        .map_or(Ok(21), |r| r.parse())
        .map_err(|e| format!("{e}"))?;
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    let data: gradebook::model::Study = bytes
        .chunks_exact(16)
        .map(|c| {
            let f = |b: &[u8]| f64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
            gradebook::model::Observation {
                hours: f(&c[..8]),
                score: f(&c[8..]),
                student: None,
            }
        })
        .collect();
    let mut times = Vec::with_capacity(runs);
    let mut model = None;
    for _ in 0..runs {
        let start = Instant::now();
        model = Some(
            gradebook::predictor::fit(data.hours(), data.scores(), chrono::Utc::now())
                .map_err(|e| e.to_string())?,
        );
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let m = model.ok_or("no run")?;
    println!(
        "{{\"median_s\": {}, \"slope\": {}, \"intercept\": {}, \"n\": {}}}",
        times[runs / 2],
        m.slope,
        m.intercept,
        m.n
    );
    Ok(())
}

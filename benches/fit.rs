//! Fitting the study-hours line on 1M observations (compare with scikit-learn using
//! `benches/compare_fit.py`, which times both on the same data in one run).

use std::hint::black_box;

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use gradebook::model::{Observation, Study};
use gradebook::predictor::fit;

/// Deterministic data like the tutorial's: score = 50 + 2·hours + noise.
pub fn observations(n: usize) -> Study {
    let mut state = 42u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| {
            let hours = 1.0 + 24.0 * next();
            let score = (50.0 + 2.0 * hours + 10.0 * (next() - 0.5)).clamp(0.0, 100.0);
            Observation {
                hours,
                score,
                student: None,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("fit");
    for n in [30, 100_000, 1_000_000] {
        let data = observations(n);
        group.bench_function(format!("{n} observations"), |b| {
            b.iter(|| {
                fit(
                    black_box(data.hours()),
                    black_box(data.scores()),
                    Utc::now(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

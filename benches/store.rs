//! Load and save at the three scales of PRODUCT.md: a class (30 × 5), a school
//! (5,000 × 40) and the stress case (100,000 × 10 = 1M grades).

use criterion::{Criterion, criterion_group, criterion_main};
use gradebook::sample::synthetic;
use gradebook::store::{self, Store};

const SCALES: [(&str, usize, usize); 3] = [
    ("class", 30, 5),
    ("school", 5_000, 40),
    ("stress", 100_000, 10),
];

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group("store");
    group.sample_size(20);
    for (label, students, assessments) in SCALES {
        let book = synthetic(students, assessments, chrono::Utc::now());
        let path = dir.path().join(format!("{label}.postcard"));
        let (st, _) = Store::open(&path, "benchmark").expect("the store opens");
        group.bench_function(format!("save {label}"), |b| {
            b.iter(|| st.save(&book).expect("saved"))
        });
        group.bench_function(format!("load {label}"), |b| {
            b.iter(|| store::load(&path).expect("loaded"))
        });
        group.bench_function(format!("encode {label}"), |b| {
            b.iter(|| store::format::encode(&book).expect("encoded"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

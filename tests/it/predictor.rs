//! The study-hours predictor against the tutorial's numbers (scikit-learn 1.9.1 and
//! statsmodels), its validation, and its commands.

use assert_cmd::Command;
use chrono::Utc;
use gradebook::model::{Observation, Study};
use gradebook::predictor::FitError;
use proptest::prelude::*;
use serde_json::Value;

fn sample() -> Study {
    gradebook::sample::course(Utc::now()).unwrap().study
}

/// Fits observations as the gradebook does.
fn fit(
    study: &Study,
    now: chrono::DateTime<Utc>,
) -> Result<gradebook::predictor::TrainedModel, FitError> {
    gradebook::predictor::fit(study.hours(), study.scores(), now)
}

fn fingerprint(study: &Study) -> u64 {
    gradebook::predictor::fingerprint(study.hours(), study.scores())
}

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs().max(1e-300)
}

fn obs(points: &[(f64, f64)]) -> Study {
    points
        .iter()
        .map(|&(hours, score)| Observation {
            hours,
            score,
            student: None,
        })
        .collect()
}

#[test]
fn tutorial_numbers() {
    let m = fit(&sample(), Utc::now()).unwrap();
    assert!(close(m.slope, 1.7097752142314138, 1e-9), "{}", m.slope);
    assert!(
        close(m.intercept, 52.43508117527469, 1e-9),
        "{}",
        m.intercept
    );
    assert!(close(m.mse, 16.7915959046769, 1e-9), "{}", m.mse);
    assert!(close(m.r2, 0.8854660741986071, 1e-9), "{}", m.r2);
    assert_eq!(m.n, 30);
    for (h, want) in [
        (5.0, 60.98395724643176),
        (10.0, 69.53283331758882),
        (15.0, 78.08170938874589),
        (20.0, 86.63058545990296),
    ] {
        assert!(close(m.predict(h).score, want, 1e-9), "{h}");
    }
    let p = m.predict(12.5);
    assert!(close(p.score, 73.80727135316737, 1e-9));
    let (lo, hi) = p.interval.unwrap();
    assert!(close(lo, 64.972128, 1e-6), "{lo}");
    assert!(close(hi, 82.642414, 1e-6), "{hi}");
    assert!(!p.extrapolated);
    assert!(m.predict(0.5).extrapolated && m.predict(30.0).extrapolated);
}

#[test]
fn a_perfect_line_is_recovered_exactly_and_has_no_residual() {
    let m = fit(
        &obs(&[(1.0, 12.0), (2.0, 14.0), (3.0, 16.0), (4.0, 18.0)]),
        Utc::now(),
    )
    .unwrap();
    assert!(close(m.slope, 2.0, 1e-12) && close(m.intercept, 10.0, 1e-12));
    assert!(m.mse < 1e-20 && close(m.r2, 1.0, 1e-12));
    // Constant scores: scikit-learn's r2_score calls a perfect fit 1.
    let m = fit(&obs(&[(1.0, 50.0), (2.0, 50.0), (3.0, 50.0)]), Utc::now()).unwrap();
    assert_eq!((m.slope, m.r2), (0.0, 1.0));
}

#[test]
fn training_needs_two_different_hours() {
    assert_eq!(
        fit(&Study::default(), Utc::now()).unwrap_err(),
        FitError::TooFew(0)
    );
    assert_eq!(
        fit(&obs(&[(3.0, 50.0)]), Utc::now()).unwrap_err(),
        FitError::TooFew(1)
    );
    let err = fit(&obs(&[(3.0, 50.0), (3.0, 60.0), (3.0, 70.0)]), Utc::now()).unwrap_err();
    assert_eq!(err, FitError::SameHours(3.0));
    assert!(err.to_string().contains("different study hours"));
}

#[test]
fn two_observations_give_a_line_but_no_interval() {
    let m = fit(&obs(&[(1.0, 50.0), (3.0, 60.0)]), Utc::now()).unwrap();
    assert_eq!(m.residual_se(), None);
    assert_eq!(m.predict(2.0).interval, None);
    assert!(close(m.predict(2.0).score, 55.0, 1e-12));
}

#[test]
fn centred_sums_stay_accurate_for_nearly_equal_hours() {
    // Hours 150 + k·1e-6: naive Σx² − n·x̄² loses every digit here.
    let data: Vec<(f64, f64)> = (0..50)
        .map(|k| (150.0 + k as f64 * 1e-6, 40.0 + 0.5 * k as f64))
        .collect();
    let m = fit(&obs(&data), Utc::now()).unwrap();
    assert!(close(m.slope, 0.5e6, 1e-6), "{}", m.slope);
    assert!(close(m.r2, 1.0, 1e-9), "{}", m.r2);
}

#[test]
fn the_fingerprint_follows_the_data() {
    let a = sample();
    let mut b: Vec<Observation> = a.iter().map(|o| o.to_owned()).collect();
    assert_eq!(fingerprint(&a), fingerprint(&b.clone().into()));
    b[3].score += 1e-9;
    assert_ne!(fingerprint(&a), fingerprint(&b.clone().into()));
    b.truncate(29);
    assert_ne!(fingerprint(&a), fingerprint(&b.into()));
}

proptest! {
    /// The fit agrees with the textbook formulas on any data with spread.
    #[test]
    fn fit_matches_the_normal_equations(points in prop::collection::vec((0.0..168.0f64, 0.0..100.0f64), 3..60)) {
        let data = obs(&points);
        let n = points.len() as f64;
        let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
        let my = points.iter().map(|p| p.1).sum::<f64>() / n;
        let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
        prop_assume!(sxx > 1e-6);
        let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        let m = fit(&data, Utc::now()).unwrap();
        prop_assert!((m.slope - sxy / sxx).abs() <= 1e-9 * (sxy / sxx).abs().max(1.0));
        let sse: f64 = points.iter().map(|p| (p.1 - m.intercept - m.slope * p.0).powi(2)).sum();
        prop_assert!((m.mse - sse / n).abs() <= 1e-8 * (sse / n).max(1.0));
        let p = m.predict(mx);
        let (lo, hi) = p.interval.unwrap();
        prop_assert!(lo <= p.score && p.score <= hi);
    }
}

// ---- Commands ----

struct Env {
    _dir: tempfile::TempDir,
    file: std::path::PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.postcard");
    Env { _dir: dir, file }
}

impl Env {
    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::cargo_bin("gradebook")
            .unwrap()
            .env_remove("GRADEBOOK_FILE")
            .arg("--file")
            .arg(&self.file)
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn refused(&self, args: &[&str], message: &str) {
        let before = std::fs::read(&self.file).ok();
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(message), "{args:?}: {err}");
        assert_eq!(std::fs::read(&self.file).ok(), before);
    }
}

#[test]
fn sample_train_predict_reproduces_the_tutorial() {
    let e = env();
    e.ok(&["sample"]);
    e.refused(&["predict", "5"], "no trained model yet");
    let summary = e.ok(&["train"]);
    assert!(summary.contains("30 observations"), "{summary}");
    let v: Value =
        serde_json::from_str(&e.ok(&["predict", "5", "10", "15", "20", "12.5", "--json"])).unwrap();
    let m = &v["model"];
    assert!(close(
        m["slope"].as_f64().unwrap(),
        1.7097752142314138,
        1e-9
    ));
    assert!(close(
        m["intercept"].as_f64().unwrap(),
        52.43508117527469,
        1e-9
    ));
    assert!(close(m["mse"].as_f64().unwrap(), 16.7915959046769, 1e-9));
    assert!(close(m["r2"].as_f64().unwrap(), 0.8854660741986071, 1e-9));
    assert_eq!(m["n"], 30);
    assert_eq!(m["stale"], false);
    assert!(chrono::DateTime::parse_from_rfc3339(m["trained_at"].as_str().unwrap()).is_ok());
    let want = [
        60.98395724643176,
        69.53283331758882,
        78.08170938874589,
        86.63058545990296,
        73.80727135316737,
    ];
    let preds = v["predictions"].as_array().unwrap();
    for (p, w) in preds.iter().zip(want) {
        assert!(close(p["score"].as_f64().unwrap(), w, 1e-9));
        assert_eq!(p["extrapolated"], false);
    }
    assert!(close(preds[4]["low"].as_f64().unwrap(), 64.972128, 1e-6));
    assert!(close(preds[4]["high"].as_f64().unwrap(), 82.642414, 1e-6));
    let table = e.ok(&["predict", "5", "30"]);
    assert!(
        table.contains("61.0") && table.contains("30.0*") && table.contains("outside the hours"),
        "{table}"
    );
}

#[test]
fn predict_refuses_bad_hours() {
    let e = env();
    e.ok(&["sample"]);
    e.ok(&["train"]);
    e.refused(&["predict", "-1"], "study hours cannot be negative");
    e.refused(&["predict", "5", "169"], "cannot exceed 168");
    e.refused(&["predict", "NaN"], "finite");
    e.refused(&["predict", "five"], "must be a number");
    e.refused(&["train", "--course", "Nope"], "no course named");
    e.ok(&["course", "add", "Empty"]);
    e.refused(&["train"], "at least two observations");
}

#[test]
fn plot_writes_svg_and_png() {
    let e = env();
    e.ok(&["sample"]);
    let dir = e.file.parent().unwrap();
    let svg = dir.join("chart.svg");
    let png = dir.join("chart.png");
    e.ok(&["plot", "-o", svg.to_str().unwrap()]);
    e.ok(&["train"]);
    e.ok(&["plot", "-o", png.to_str().unwrap()]);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.starts_with("<svg")
            && text.contains("Study Hours per Week")
            && text.contains("Test Score")
    );
    assert!(
        text.matches("<circle").count() >= 30,
        "one point per observation"
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    e.refused(
        &["plot", "-o", dir.join("chart.jpg").to_str().unwrap()],
        ".svg or .png",
    );
}

#[test]
fn t_quantile_is_accurate_for_any_sample_size() {
    use gradebook::predictor::t_quantile_975;
    // scipy.stats.t.ppf(0.975, df)
    for (df, want) in [
        (1.0, 12.706204736174694),
        (28.0, 2.0484071417952454),
        (1000.0, 1.9623390808264083),
        (100000.0, 1.9599877075346095),
        (999998.0, 1.9599663568188515),
    ] {
        let got = t_quantile_975(df).unwrap();
        assert!(close(got, want, 1e-9), "df {df}: {got} vs {want}");
    }
}

#[test]
fn a_large_class_gets_accurate_intervals() {
    // 100,000 observations on an exact line plus alternating ±1: s and x̄ are known.
    let data: Study = (0..100_000)
        .map(|i| Observation {
            hours: (i % 100) as f64,
            score: 20.0 + 0.5 * (i % 100) as f64 + if i % 2 == 0 { 1.0 } else { -1.0 },
            student: None,
        })
        .collect();
    let m = fit(&data, Utc::now()).unwrap();
    let p = m.predict(m.hours_mean);
    let (lo, hi) = p.interval.unwrap();
    let s = m.residual_se().unwrap();
    let want = 1.9599877075346095 * s * (1.0 + 1.0 / 100_000.0f64).sqrt();
    assert!(
        close(hi - p.score, want, 1e-9),
        "{} vs {want}",
        hi - p.score
    );
    assert!(close(p.score - lo, want, 1e-9));
}

/// Where the expansion takes over it agrees with statrs refined by Newton steps (to the
/// latter's accuracy), and a model of any size answers at once (statrs alone never
/// returned from about 1.4·10⁷ observations on).
#[test]
fn t_quantile_answers_for_any_number_of_observations() {
    use gradebook::predictor::{ASYMPTOTIC_DF, t_quantile_975};
    use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};
    let below = ASYMPTOTIC_DF - 1.0;
    let dist = StudentsT::new(0.0, 1.0, ASYMPTOTIC_DF).unwrap();
    let mut newton = dist.inverse_cdf(0.975);
    for _ in 0..3 {
        newton += (dist.sf(newton) - 0.025) / dist.pdf(newton);
    }
    assert!(close(t_quantile_975(ASYMPTOTIC_DF).unwrap(), newton, 1e-11));
    assert!(close(t_quantile_975(below).unwrap(), newton, 1e-6));
    // scipy.stats.t.ppf(0.975, df), checked with mpmath at 40 digits
    for (df, want) in [
        (1e4, 1.960201239890626),
        (2e4, 1.9600826051581348),
        (1e5, 1.9599877075346095),
        (14_400_000.0, 1.959964149281125),
        (1e8, 1.9599640082627663),
    ] {
        let got = t_quantile_975(df).unwrap();
        assert!(close(got, want, 1e-14), "df {df}: {got} vs {want}");
    }
    assert_eq!(t_quantile_975(1e300), Some(1.959963984540054));
    assert_eq!(t_quantile_975(0.5), None);
    assert_eq!(t_quantile_975(f64::NAN), None);
}

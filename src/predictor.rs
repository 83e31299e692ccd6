//! The study-hours predictor: ordinary least squares of test score on weekly study hours,
//! with the fit statistics and the 95% prediction interval a statistician would ask for.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};
use thiserror::Error;
use wide::f64x2;

/// A fitted line `score = intercept + slope · hours` and what it was fitted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainedModel {
    pub slope: f64,
    pub intercept: f64,
    /// Mean squared error SSE/n, as scikit-learn's `mean_squared_error`.
    pub mse: f64,
    /// 1 − SSE/SST, as scikit-learn's `r2_score`.
    pub r2: f64,
    /// Number of observations.
    pub n: u64,
    pub hours_min: f64,
    pub hours_max: f64,
    /// Mean of the hours, x̄.
    pub hours_mean: f64,
    /// Σ(x − x̄)².
    pub sxx: f64,
    /// Sum of squared residuals.
    pub sse: f64,
    pub trained_at: DateTime<Utc>,
    /// [`fingerprint`] of the observations it was trained on, to tell when it is stale.
    pub fingerprint: u64,
}

/// Why a model cannot be trained.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FitError {
    #[error("training needs at least two observations, there {}", if *.0 == 1 { "is 1".to_string() } else { format!("are {}", .0) })]
    TooFew(usize),
    #[error("training needs observations with different study hours; all have {0} hours")]
    SameHours(f64),
}

/// One prediction for a new student.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    pub hours: f64,
    /// The raw predicted score (may lie outside 0–100 far from the data).
    pub score: f64,
    /// 95% prediction interval, `None` with fewer than 3 observations.
    pub interval: Option<(f64, f64)>,
    /// The hours lie outside the range the model was trained on.
    pub extrapolated: bool,
}

/// Fits the line in one pass over the data, from sums centred on the first observation.
///
/// Shifting by a data point keeps the sums small when hours are large or nearly equal: the
/// relative error of Sxx is at most about n·ε (a data point's distance to the mean is at
/// most √Sxx), against n·ε·x̄²/Sxx for the naive Σx² − n·x̄².
pub fn fit(hours: &[f64], scores: &[f64], now: DateTime<Utc>) -> Result<TrainedModel, FitError> {
    let n = hours.len().min(scores.len());
    let (hours, scores) = (&hours[..n], &scores[..n]);
    if n < 2 {
        return Err(FitError::TooFew(n));
    }
    let (kx, ky) = (hours[0], scores[0]);
    // Four independent lanes, so that the additions do not wait on each other; two
    // vector registers of two lanes each do the arithmetic.
    let mut vector = VectorSums::new();
    let mut hashes = [(HASH_SEED, HASH_SEED); LANES];
    let (mut xs, mut ys) = (hours.chunks_exact(LANES), scores.chunks_exact(LANES));
    for (cx, cy) in (&mut xs).zip(&mut ys) {
        vector.add(cx, cy, kx, ky);
        for ((h, x), y) in hashes.iter_mut().zip(cx).zip(cy) {
            h.0 = (h.0 ^ x.to_bits()).wrapping_mul(HASH_PRIME);
            h.1 = (h.1 ^ y.to_bits()).wrapping_mul(HASH_PRIME);
        }
    }
    let mut lanes = vector.lanes(hashes);
    for ((lane, &x), &y) in lanes.iter_mut().zip(xs.remainder()).zip(ys.remainder()) {
        lane.add(x, y, kx, ky);
    }
    let Sums {
        sx,
        sy,
        sxx,
        sxy,
        syy,
        lo,
        hi,
        ..
    } = lanes.iter().fold(Sums::default(), Sums::merge);
    let fingerprint = finish_fingerprint(&lanes.map(|l| l.hash), n);
    let nf = n as f64;
    let sxx = sxx - sx * sx / nf;
    let sxy = sxy - sx * sy / nf;
    let syy = syy - sy * sy / nf;
    if lo == hi || sxx <= 0.0 {
        return Err(FitError::SameHours(lo));
    }
    let (mx, my) = (kx + sx / nf, ky + sy / nf);
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let sse = (syy - slope * sxy).max(0.0);
    // scikit-learn's r2_score: a perfect fit of constant scores counts as 1.
    let r2 = if syy > 0.0 {
        1.0 - sse / syy
    } else if sse == 0.0 {
        1.0
    } else {
        0.0
    };
    Ok(TrainedModel {
        slope,
        intercept,
        mse: sse / nf,
        r2,
        n: n as u64,
        hours_min: lo,
        hours_max: hi,
        hours_mean: mx,
        sxx,
        sse,
        trained_at: now,
        fingerprint,
    })
}

impl TrainedModel {
    /// Residual standard error s = √(SSE/(n−2)), `None` when n < 3.
    pub fn residual_se(&self) -> Option<f64> {
        (self.n >= 3).then(|| (self.sse / (self.n - 2) as f64).sqrt())
    }

    /// Predicted score for `hours`, with a 95% prediction interval (statsmodels' `obs_ci`).
    pub fn predict(&self, hours: f64) -> Prediction {
        let score = self.intercept + self.slope * hours;
        let interval = self.residual_se().and_then(|s| {
            let t = t_quantile_975((self.n - 2) as f64)?;
            let n = self.n as f64;
            let dx = hours - self.hours_mean;
            let half = t * s * (1.0 + 1.0 / n + dx * dx / self.sxx).sqrt();
            Some((score - half, score + half))
        });
        Prediction {
            hours,
            score,
            interval,
            extrapolated: hours < self.hours_min || hours > self.hours_max,
        }
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom, for any `df` ≥ 1 in
/// bounded time. Below [`ASYMPTOTIC_DF`], statrs' inverse refined by Newton steps on the
/// upper tail (statrs alone loses digits as `df` grows: 3·10⁻⁶ at 10⁵); from there on,
/// where statrs' search drifts and then never ends (at about 1.4·10⁷), the Cornish–Fisher
/// expansion around the normal quantile, whose first left-out term is below 10⁻¹⁶.
pub fn t_quantile_975(df: f64) -> Option<f64> {
    if df.is_nan() || df < 1.0 {
        return None;
    }
    if df >= ASYMPTOTIC_DF {
        return Some(t_975_expansion(df));
    }
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let mut t = dist.inverse_cdf(0.975);
    for _ in 0..3 {
        let density = dist.pdf(t);
        if density.is_nan() || density <= 0.0 {
            break;
        }
        t += (dist.sf(t) - 0.025) / density;
    }
    t.is_finite().then_some(t)
}

/// Degrees of freedom from which [`t_quantile_975`] uses the expansion.
pub const ASYMPTOTIC_DF: f64 = 10_000.0;

/// The 0.975 quantile of the standard normal distribution.
const Z_975: f64 = 1.959_963_984_540_054;

/// Student's t quantile as a series in 1/df around the normal quantile z (Abramowitz and
/// Stegun 26.7.5), to the fourth order.
fn t_975_expansion(df: f64) -> f64 {
    let z = Z_975;
    let z2 = z * z;
    let g1 = z * (z2 + 1.0) / 4.0;
    let g2 = z * ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0;
    let g3 = z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0;
    let g4 = z * ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) / 92160.0;
    let v = 1.0 / df;
    z + v * (g1 + v * (g2 + v * (g3 + v * g4)))
}

/// Lanes of the one-pass fit; observation `i` goes to lane `i % LANES`.
const LANES: usize = 4;

/// Running sums of one lane, shifted by the first observation.
#[derive(Debug, Clone, Copy)]
struct Sums {
    sx: f64,
    sy: f64,
    sxx: f64,
    sxy: f64,
    syy: f64,
    lo: f64,
    hi: f64,
    hash: (u64, u64),
}

impl Default for Sums {
    fn default() -> Self {
        Self {
            sx: 0.0,
            sy: 0.0,
            sxx: 0.0,
            sxy: 0.0,
            syy: 0.0,
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
            hash: (HASH_SEED, HASH_SEED),
        }
    }
}

impl Sums {
    #[inline]
    fn add(&mut self, x: f64, y: f64, kx: f64, ky: f64) {
        let (dx, dy) = (x - kx, y - ky);
        self.sx += dx;
        self.sy += dy;
        self.sxx += dx * dx;
        self.sxy += dx * dy;
        self.syy += dy * dy;
        self.lo = self.lo.min(x);
        self.hi = self.hi.max(x);
        self.hash.0 = (self.hash.0 ^ x.to_bits()).wrapping_mul(HASH_PRIME);
        self.hash.1 = (self.hash.1 ^ y.to_bits()).wrapping_mul(HASH_PRIME);
    }

    fn merge(a: Sums, b: &Sums) -> Sums {
        Sums {
            sx: a.sx + b.sx,
            sy: a.sy + b.sy,
            sxx: a.sxx + b.sxx,
            sxy: a.sxy + b.sxy,
            syy: a.syy + b.syy,
            lo: a.lo.min(b.lo),
            hi: a.hi.max(b.hi),
            hash: a.hash,
        }
    }
}

/// The four lanes' running sums in two-wide vectors: lanes 0 and 1 in the first of each
/// pair, lanes 2 and 3 in the second.
struct VectorSums {
    sx: [f64x2; 2],
    sy: [f64x2; 2],
    sxx: [f64x2; 2],
    sxy: [f64x2; 2],
    syy: [f64x2; 2],
    lo: [f64x2; 2],
    hi: [f64x2; 2],
}

impl VectorSums {
    fn new() -> Self {
        let zero = [f64x2::ZERO; 2];
        Self {
            sx: zero,
            sy: zero,
            sxx: zero,
            sxy: zero,
            syy: zero,
            lo: [f64x2::splat(f64::INFINITY); 2],
            hi: [f64x2::splat(f64::NEG_INFINITY); 2],
        }
    }

    /// Adds four observations, the `i`-th to lane `i`.
    #[inline]
    fn add(&mut self, xs: &[f64], ys: &[f64], kx: f64, ky: f64) {
        let (kx, ky) = (f64x2::splat(kx), f64x2::splat(ky));
        for j in 0..2 {
            let x = f64x2::new([xs[2 * j], xs[2 * j + 1]]);
            let y = f64x2::new([ys[2 * j], ys[2 * j + 1]]);
            let (dx, dy) = (x - kx, y - ky);
            self.sx[j] += dx;
            self.sy[j] += dy;
            self.sxx[j] += dx * dx;
            self.sxy[j] += dx * dy;
            self.syy[j] += dy * dy;
            self.lo[j] = self.lo[j].min(x);
            self.hi[j] = self.hi[j].max(x);
        }
    }

    /// The four lanes as scalar sums, with their fingerprint words.
    fn lanes(&self, hashes: [(u64, u64); LANES]) -> [Sums; LANES] {
        let split = |v: &[f64x2; 2]| {
            let (a, b) = (v[0].to_array(), v[1].to_array());
            [a[0], a[1], b[0], b[1]]
        };
        let (sx, sy, sxx, sxy, syy) = (
            split(&self.sx),
            split(&self.sy),
            split(&self.sxx),
            split(&self.sxy),
            split(&self.syy),
        );
        let (lo, hi) = (split(&self.lo), split(&self.hi));
        std::array::from_fn(|i| Sums {
            sx: sx[i],
            sy: sy[i],
            sxx: sxx[i],
            sxy: sxy[i],
            syy: syy[i],
            lo: lo[i],
            hi: hi[i],
            hash: hashes[i],
        })
    }
}

const HASH_SEED: u64 = 0xcbf2_9ce4_8422_2325;
const HASH_PRIME: u64 = 0x0100_0000_01b3;

/// A stable 64-bit hash of the observations' hours and scores, in order. Observation `i`
/// feeds lane `i % 4`; each lane keeps two words, one for hours and one for scores, each
/// `h = (h ^ bits) · 0x100000001b3` from 0xcbf29ce484222325 (f64 bits as u64). The
/// result is `n` mixed with the lanes: `h = n`, then for each lane in order
/// `h = (h.rotate_left(32) ^ hours_word) · prime; h = (h.rotate_left(32) ^ score_word) · prime`.
/// Lanes keep it from slowing the one-pass fit down.
pub fn fingerprint(hours: &[f64], scores: &[f64]) -> u64 {
    let mut lanes = [(HASH_SEED, HASH_SEED); LANES];
    for (i, (x, y)) in hours.iter().zip(scores).enumerate() {
        let lane = &mut lanes[i % LANES];
        lane.0 = (lane.0 ^ x.to_bits()).wrapping_mul(HASH_PRIME);
        lane.1 = (lane.1 ^ y.to_bits()).wrapping_mul(HASH_PRIME);
    }
    finish_fingerprint(&lanes, hours.len().min(scores.len()))
}

fn finish_fingerprint(lanes: &[(u64, u64); LANES], n: usize) -> u64 {
    lanes.iter().fold(n as u64, |h, &(a, b)| {
        let h = (h.rotate_left(32) ^ a).wrapping_mul(HASH_PRIME);
        (h.rotate_left(32) ^ b).wrapping_mul(HASH_PRIME)
    })
}

//! The study-hours predictor: ordinary least squares of test score on weekly study hours,
//! with the fit statistics and the 95% prediction interval a statistician would ask for.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};
use thiserror::Error;

use crate::model::Observation;

/// A fitted line `score = intercept + slope · hours` and what it was fitted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// Fits the line from centred sums, stable when hours are large or nearly equal.
pub fn fit(data: &[Observation], now: DateTime<Utc>) -> Result<TrainedModel, FitError> {
    let n = data.len();
    if n < 2 {
        return Err(FitError::TooFew(n));
    }
    let nf = n as f64;
    let (mut sx, mut sy) = (0.0, 0.0);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for o in data {
        sx += o.hours;
        sy += o.score;
        lo = lo.min(o.hours);
        hi = hi.max(o.hours);
    }
    let (mx, my) = (sx / nf, sy / nf);
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for o in data {
        let (dx, dy) = (o.hours - mx, o.score - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if lo == hi || sxx <= 0.0 {
        return Err(FitError::SameHours(lo));
    }
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
        fingerprint: fingerprint(data),
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
            let t = StudentsT::new(0.0, 1.0, (self.n - 2) as f64)
                .ok()?
                .inverse_cdf(0.975);
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

/// A stable 64-bit FNV-1a hash of the observations' hours and scores, in order.
pub fn fingerprint(data: &[Observation]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for o in data {
        for b in o
            .hours
            .to_bits()
            .to_le_bytes()
            .into_iter()
            .chain(o.score.to_bits().to_le_bytes())
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

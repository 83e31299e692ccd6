//! `gradebook train`, `predict` and `plot`: the study-hours predictor from scripts.

use std::path::Path;

use chrono::{SecondsFormat, Utc};
use serde::Serialize;

use super::{emit, resolve_course, write};
use crate::error::Error;
use crate::model::{Command, Course, check_hours, parse_number};
use crate::predictor::{self, Prediction, TrainedModel};
use crate::store;
use crate::text::{quote, table};

/// Fits the model of a course on its observations and stores it; what it found.
pub fn train(path: &Path, course: Option<&str>) -> Result<String, Error> {
    write(path, "train", |ed| {
        let c = resolve_course(ed.book(), course)?;
        let model = fit(&ed.book().courses[c])?;
        let summary = summary(&model);
        let cmd = Command::SetModel {
            course: c,
            model: Some(Box::new(model)),
        };
        ed.execute(ed.book().in_course(c, cmd), Utc::now())?;
        Ok(summary)
    })
}

fn fit(course: &Course) -> Result<TrainedModel, Error> {
    Ok(predictor::fit(
        course.study.hours(),
        course.study.scores(),
        Utc::now(),
    )?)
}

/// What training found, in two lines.
pub fn summary(m: &TrainedModel) -> String {
    format!(
        "Trained on {} observations: score = {:.4} + {:.4} × hours\nMSE {:.4}, R² {:.4}, hours {} to {}\n",
        m.n,
        m.intercept,
        m.slope,
        m.mse,
        m.r2,
        crate::model::fmt_num(m.hours_min),
        crate::model::fmt_num(m.hours_max)
    )
}

/// The trained model of `course`, or the reason there is none.
fn model_of(course: &Course) -> Result<&TrainedModel, Error> {
    course.model.as_ref().ok_or_else(|| {
        Error::Refused(format!(
            "{} has no trained model yet: run `gradebook train` first",
            quote(&course.name)
        ))
    })
}

#[derive(Serialize)]
struct PredictJson {
    model: ModelJson,
    predictions: Vec<PredictionJson>,
}

#[derive(Serialize)]
struct ModelJson {
    slope: f64,
    intercept: f64,
    mse: f64,
    r2: f64,
    n: u64,
    hours_min: f64,
    hours_max: f64,
    trained_at: String,
    stale: bool,
}

#[derive(Serialize)]
struct PredictionJson {
    hours: f64,
    score: f64,
    low: Option<f64>,
    high: Option<f64>,
    extrapolated: bool,
}

/// Prints predictions for each of `hours`; every value is checked before any is printed.
pub fn print(
    course: &Course,
    hours: &[String],
    json: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), Error> {
    let model = model_of(course)?;
    let hours = hours
        .iter()
        .map(|h| {
            let x = parse_number("study hours", h)?;
            check_hours(x)?;
            Ok(x)
        })
        .collect::<Result<Vec<f64>, crate::error::ModelError>>()?;
    let predictions: Vec<Prediction> = hours.iter().map(|&h| model.predict(h)).collect();
    let stale = course.model_is_stale();
    if json {
        let doc = PredictJson {
            model: ModelJson {
                slope: model.slope,
                intercept: model.intercept,
                mse: model.mse,
                r2: model.r2,
                n: model.n,
                hours_min: model.hours_min,
                hours_max: model.hours_max,
                trained_at: model
                    .trained_at
                    .to_rfc3339_opts(SecondsFormat::AutoSi, true),
                stale,
            },
            predictions: predictions
                .iter()
                .map(|p| PredictionJson {
                    hours: p.hours,
                    score: p.score,
                    low: p.interval.map(|i| i.0),
                    high: p.interval.map(|i| i.1),
                    extrapolated: p.extrapolated,
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&doc).map_err(crate::interop::FileError::from)?;
        return emit(out, &format!("{text}\n"));
    }
    emit(out, &text_table(model, &predictions, stale))
}

fn text_table(model: &TrainedModel, predictions: &[Prediction], stale: bool) -> String {
    let rows: Vec<Vec<String>> = predictions
        .iter()
        .map(|p| {
            vec![
                format!("{:.1}{}", p.hours, if p.extrapolated { "*" } else { "" }),
                format!("{:.1}", p.score),
                p.interval
                    .map_or("–".into(), |(l, h)| format!("{l:.1} – {h:.1}")),
            ]
        })
        .collect();
    let mut text = table(
        &["Study hours", "Predicted score", "95% interval"],
        &rows,
        &[true, true, true],
    );
    if predictions.iter().any(|p| p.extrapolated) {
        text.push_str(&format!(
            "* outside the hours the model was trained on ({:.1} to {:.1}): less reliable\n",
            model.hours_min, model.hours_max
        ));
    }
    if predictions.iter().any(|p| p.interval.is_none()) {
        text.push_str("No interval: it needs at least 3 observations.\n");
    }
    if stale {
        text.push_str("The observations changed since training: run `gradebook train` again.\n");
    }
    text
}

/// Writes the chart of a course, never over the data file or its lock; an untrained
/// course is drawn with a line fitted now.
pub fn plot(path: &Path, output: &Path, course: Option<&str>) -> Result<String, Error> {
    store::check_output(path, output)?;
    let format = crate::plot::Format::of(output)?;
    let book = store::load(path)?;
    let course = &book.courses[resolve_course(&book, course)?];
    let fitted;
    let model = match &course.model {
        Some(m) => m,
        None => {
            fitted = fit(course)?;
            &fitted
        }
    };
    let bytes = crate::plot::render(course, model, format)?;
    crate::interop::files::write_output(output, &bytes)?;
    Ok(format!(
        "Wrote the chart of {} to {}\n",
        quote(&course.name),
        output.display()
    ))
}

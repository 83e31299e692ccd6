//! The study-hours chart as an image file, like the tutorial's `study_hours_model.png`:
//! the observations, the fitted line and its 95% prediction band, labelled axes, a title.

use std::path::Path;
use std::sync::Once;

use image::ImageEncoder;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::model::Course;
use crate::predictor::TrainedModel;

/// Image formats, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

/// Why a chart could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlotError {
    #[error("{}: the file name must end in .svg or .png", .0.display())]
    UnknownFormat(std::path::PathBuf),
    #[error("cannot draw the chart: {0}")]
    Draw(String),
}

impl Format {
    pub fn of(path: &Path) -> Result<Self, PlotError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(PlotError::UnknownFormat(path.to_path_buf())),
        }
    }
}

const SIZE: (u32, u32) = (1000, 600);

/// The font is part of the binary, so the chart looks the same on every machine.
fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let font = include_bytes!("../assets/fonts/DejaVuSans.ttf");
        // A font compiled in from the repository parses; if not, text is simply missing.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, font);
    });
}

/// The chart of `course` with `model` as the bytes of an image file.
pub fn render(course: &Course, model: &TrainedModel, format: Format) -> Result<Vec<u8>, PlotError> {
    register_font();
    let fail = PlotError::Draw;
    match format {
        Format::Svg => {
            let mut text = String::new();
            {
                let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
                draw(&root, course, model)?;
                root.present().map_err(|e| fail(e.to_string()))?;
            }
            Ok(text.into_bytes())
        }
        Format::Png => {
            let (w, h) = SIZE;
            let mut pixels = vec![0u8; (w * h * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
                draw(&root, course, model)?;
                root.present().map_err(|e| fail(e.to_string()))?;
            }
            let mut png = Vec::new();
            image::codecs::png::PngEncoder::new(&mut png)
                .write_image(&pixels, w, h, image::ColorType::Rgb8)
                .map_err(|e| fail(e.to_string()))?;
            Ok(png)
        }
    }
}

/// Most observations a chart draws: beyond, every k-th, so that a chart of millions is
/// still drawn in moments (and its file stays small); the line and band use them all.
pub const MAX_DRAWN: usize = 20_000;

/// At most `max` of the observations, evenly spread over the list, as (hours, score).
pub fn sample_points(course: &Course, max: usize) -> Vec<(f64, f64)> {
    let n = course.study.len();
    let step = n.div_ceil(max.max(1)).max(1);
    let (hours, scores) = (course.study.hours(), course.study.scores());
    (0..n)
        .step_by(step)
        .map(|i| (hours[i], scores[i]))
        .collect()
}

/// The 95% band as a closed outline: along the upper bounds, back along the lower.
fn band_polygon(model: &TrainedModel, xs: &[f64]) -> Option<Vec<(f64, f64)>> {
    model.residual_se()?;
    let upper = xs
        .iter()
        .filter_map(|&x| model.predict(x).interval.map(|(_, u)| (x, u)));
    let lower = xs
        .iter()
        .rev()
        .filter_map(|&x| model.predict(x).interval.map(|(l, _)| (x, l)));
    Some(upper.chain(lower).collect())
}

fn points_label(shown: usize, total: usize) -> String {
    if shown < total {
        format!("Actual scores ({shown} of {total} shown)")
    } else {
        "Actual scores".to_string()
    }
}

/// Ranges that hold the points, the line and the band, with a margin.
pub fn bounds(points: &[(f64, f64)], model: &TrainedModel) -> ((f64, f64), (f64, f64)) {
    let x_max = points.iter().map(|p| p.0).fold(model.hours_max, f64::max);
    let x = (0.0, (x_max * 1.05).max(1.0));
    let mut lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let mut hi = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    for h in [x.0, x.1] {
        let p = model.predict(h);
        let (l, u) = p.interval.unwrap_or((p.score, p.score));
        lo = lo.min(l);
        hi = hi.max(u);
    }
    let (lo, hi) = (lo.clamp(0.0, 100.0), hi.clamp(0.0, 100.0));
    let pad = ((hi - lo) * 0.05).max(1.0);
    (x, ((lo - pad).max(0.0), (hi + pad).min(105.0)))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    course: &Course,
    model: &TrainedModel,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| PlotError::Draw(e.to_string());
    root.fill(&WHITE).map_err(e)?;
    let points = sample_points(course, MAX_DRAWN);
    let ((x0, x1), (y0, y1)) = bounds(&points, model);
    let stale = if course.model_is_stale() {
        " (model is stale)"
    } else {
        ""
    };
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("Study Hours vs. Test Scores — {}{stale}", course.name),
            ("sans-serif", 26),
        )
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("Study Hours per Week")
        .y_desc("Test Score")
        .label_style(("sans-serif", 16))
        .axis_desc_style(("sans-serif", 18))
        .draw()
        .map_err(e)?;

    let steps = 100;
    let xs: Vec<f64> = (0..=steps)
        .map(|i| x0 + (x1 - x0) * i as f64 / steps as f64)
        .collect();
    if let Some(band) = band_polygon(model, &xs) {
        chart
            .draw_series([Polygon::new(band, RED.mix(0.12).filled())])
            .map_err(e)?
            .label("95% prediction interval")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], RED.mix(0.2).filled()));
    }
    let label = points_label(points.len(), course.study.len());
    chart
        .draw_series(points.into_iter().map(|p| Circle::new(p, 5, BLUE.filled())))
        .map_err(e)?
        .label(label)
        .legend(|(x, y)| Circle::new((x + 10, y), 5, BLUE.filled()));
    chart
        .draw_series(LineSeries::new(
            xs.iter().map(|&x| (x, model.predict(x).score)),
            RED.stroke_width(3),
        ))
        .map_err(e)?
        .label(format!(
            "Predicted scores: {:.2} + {:.2} × hours (R² {:.3})",
            model.intercept, model.slope, model.r2
        ))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], RED.stroke_width(3)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 16))
        .draw()
        .map_err(e)
}

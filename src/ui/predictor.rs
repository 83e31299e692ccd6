//! The Predictor screen: chart of the observations and the fitted line, the model's
//! numbers, the last prediction, the tutorial's 5/10/15/20-hour table, and the observations.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table};

use super::gradebook::scroll;
use super::{theme, truncate};
use crate::app::App;
use crate::model::{Course, fmt_num};
use crate::predictor::{Prediction, TrainedModel};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(course) = app.course() else { return };
    let wide = area.width >= 70;
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(area);
    if wide {
        let [chart, summary] =
            Layout::horizontal([Constraint::Min(30), Constraint::Length(34)]).areas(top);
        draw_chart(course, frame, chart);
        draw_summary(app, course, frame, summary);
        let [obs, table] =
            Layout::horizontal([Constraint::Min(30), Constraint::Length(34)]).areas(bottom);
        draw_observations(app, course, frame, obs);
        draw_tutorial_table(course, frame, table);
    } else if area.height >= 16 {
        draw_chart(course, frame, top);
        draw_summary(app, course, frame, bottom);
    } else {
        // Too small for a readable chart: the numbers matter more.
        draw_summary(app, course, frame, area);
    }
}

/// Most observations drawn in the terminal chart.
const MAX_CHART_POINTS: usize = 5_000;

fn draw_chart(course: &Course, frame: &mut Frame, area: Rect) {
    // A terminal chart has a few thousand dots: a sample of the observations fills it.
    let points = crate::plot::sample_points(course, MAX_CHART_POINTS);
    let block = Block::bordered().title("Study hours → test score");
    if points.is_empty() {
        let text = "No observations yet. Press a to add one, or L to load the sample class.";
        frame.render_widget(
            Paragraph::new(text)
                .wrap(ratatui::widgets::Wrap { trim: true })
                .block(block),
            area,
        );
        return;
    }
    let (x, y) = match &course.model {
        Some(m) => crate::plot::bounds(&points, m),
        None => data_bounds(&points),
    };
    let line: Vec<(f64, f64)> = course
        .model
        .as_ref()
        .map(|m| vec![(x.0, m.predict(x.0).score), (x.1, m.predict(x.1).score)])
        .unwrap_or_default();
    // The 95% band for a new student, as dotted curves, drawn first so points stay on top.
    let band: [Vec<(f64, f64)>; 2] = match &course.model {
        Some(m) if m.residual_se().is_some() => {
            let xs = (0..=40).map(|i| x.0 + (x.1 - x.0) * f64::from(i) / 40.0);
            let bounds: Vec<(f64, (f64, f64))> = xs
                .filter_map(|h| m.predict(h).interval.map(|b| (h, b)))
                .collect();
            [
                bounds.iter().map(|&(h, (lo, _))| (h, lo)).collect(),
                bounds.iter().map(|&(h, (_, hi))| (h, hi)).collect(),
            ]
        }
        _ => [Vec::new(), Vec::new()],
    };
    let mut datasets: Vec<Dataset> = band
        .iter()
        .filter(|b| !b.is_empty())
        .map(|b| {
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Scatter)
                .style(theme::band())
                .data(b)
        })
        .collect();
    datasets.extend([Dataset::default()
        .name("observations")
        .marker(Marker::Braille)
        .graph_type(GraphType::Scatter)
        .style(theme::points())
        .data(&points)]);
    if !line.is_empty() {
        datasets.push(
            Dataset::default()
                .name("fitted line")
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme::line())
                .data(&line),
        );
    }
    let label = |v: f64| Span::raw(format!("{v:.0}"));
    let chart = Chart::new(datasets)
        .block(block)
        .x_axis(Axis::default().title("hours").bounds([x.0, x.1]).labels([
            label(x.0),
            label((x.0 + x.1) / 2.0),
            label(x.1),
        ]))
        .y_axis(Axis::default().title("score").bounds([y.0, y.1]).labels([
            label(y.0),
            label((y.0 + y.1) / 2.0),
            label(y.1),
        ]))
        .legend_position(None);
    frame.render_widget(chart, area);
}

fn data_bounds(points: &[(f64, f64)]) -> ((f64, f64), (f64, f64)) {
    let x_max = points.iter().map(|p| p.0).fold(1.0, f64::max);
    let y_min = points.iter().map(|p| p.1).fold(100.0, f64::min);
    let y_max = points.iter().map(|p| p.1).fold(0.0, f64::max);
    (
        (0.0, x_max * 1.05),
        ((y_min - 5.0).max(0.0), (y_max + 5.0).min(105.0)),
    )
}

fn draw_summary(app: &App, course: &Course, frame: &mut Frame, area: Rect) {
    let label = |l: &'static str| Span::styled(format!("{l:<10}"), theme::dim());
    let mut lines = match &course.model {
        None => vec![
            Line::raw(format!(
                "{} observations, no model yet.",
                course.study.len()
            )),
            Line::from(vec![
                Span::raw("Press "),
                Span::styled("t", theme::key()),
                Span::raw(" to train."),
            ]),
        ],
        Some(m) => model_lines(m, course.model_is_stale(), label),
    };
    if let Some(p) = &app.prediction {
        lines.push(Line::raw(""));
        lines.extend(prediction_lines(p));
    } else if course.model.is_some() {
        lines.push(Line::from(vec![
            Span::styled("p", theme::key()),
            Span::raw(" predict a score"),
        ]));
    }
    let title = truncate(&course.name, area.width.saturating_sub(4) as usize);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        area,
    );
}

fn model_lines(
    m: &TrainedModel,
    stale: bool,
    label: impl Fn(&'static str) -> Span<'static>,
) -> Vec<Line<'static>> {
    let trained = crate::text::local_time(m.trained_at);
    let mut lines = vec![
        Line::from(vec![
            label("score ="),
            Span::raw(format!("{:.2} + {:.3}·h", m.intercept, m.slope)),
        ]),
        Line::from(vec![label("R²"), Span::raw(format!("{:.4}", m.r2))]),
        Line::from(vec![label("MSE"), Span::raw(format!("{:.3}", m.mse))]),
        Line::from(vec![
            label("n, hours"),
            Span::raw(format!("{}, {:.1}–{:.1}", m.n, m.hours_min, m.hours_max)),
        ]),
        Line::from(vec![label("trained"), Span::raw(trained)]),
    ];
    if stale {
        lines.push(Line::styled(
            "STALE: data changed, press t",
            theme::tone(crate::app::Tone::Warning),
        ));
    }
    lines
}

/// The last prediction. Scores are shown within 0–100; where the line or its band goes
/// beyond, that is said, with the raw numbers, so that a clamped 100.0 – 100.0 never
/// looks certain.
fn prediction_lines(p: &Prediction) -> Vec<Line<'static>> {
    let inside = |x: f64| (0.0..=100.0).contains(&x);
    let clamped = !inside(p.score)
        || p.interval
            .is_some_and(|(lo, hi)| !inside(lo) || !inside(hi));
    let warning = theme::tone(crate::app::Tone::Warning);
    let mut head = vec![
        Span::styled(format!("{} h → ", fmt_num(p.hours)), theme::dim()),
        Span::styled(format!("{:.1}", p.score.clamp(0.0, 100.0)), theme::title()),
    ];
    if clamped {
        head.push(Span::styled(" (clamped)", warning));
    }
    let mut lines = vec![Line::from(head)];
    match p.interval {
        Some((lo, hi)) if clamped => {
            lines.push(Line::styled(format!("raw: {:.1}", p.score), warning));
            lines.push(Line::styled(format!("raw 95%: {lo:.1} – {hi:.1}"), warning));
        }
        Some((lo, hi)) => lines.push(Line::raw(format!("95%: {lo:.1} – {hi:.1}"))),
        None => {
            if clamped {
                lines.push(Line::styled(format!("raw: {:.1}", p.score), warning));
            }
            lines.push(Line::styled(
                "no interval below 3 observations",
                theme::dim(),
            ));
        }
    }
    if p.extrapolated {
        lines.push(Line::styled("outside the trained hours", warning));
    }
    lines
}

fn draw_observations(app: &App, course: &Course, frame: &mut Frame, area: Rect) {
    let page = area.height.saturating_sub(3).max(1) as usize;
    app.page.set(page);
    let offset = scroll(0, app.obs_row, page, course.study.len());
    let rows = course
        .study
        .iter()
        .enumerate()
        .skip(offset)
        .take(page)
        .map(|(i, o)| {
            let row = Row::new([
                Cell::from(Line::from(format!("{:.2}", o.hours)).right_aligned()),
                Cell::from(Line::from(format!("{:.2}", o.score)).right_aligned()),
                Cell::from(o.student.unwrap_or_default().to_string()),
            ]);
            if i == app.obs_row {
                row.style(theme::selected_row())
            } else {
                row
            }
        });
    let widths = [
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Min(6),
    ];
    let header = Row::new(["Hours", "Score", "Student"]).style(theme::header());
    let title = format!("Observations ({}) a add d delete", course.study.len());
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(Block::bordered().title(title)),
        area,
    );
}

/// The tutorial's table: predicted scores for 5, 10, 15 and 20 hours.
fn draw_tutorial_table(course: &Course, frame: &mut Frame, area: Rect) {
    let block = Block::bordered().title("Predictions");
    let Some(m) = &course.model else {
        frame.render_widget(
            Paragraph::new("Train to see predictions.").block(block),
            area,
        );
        return;
    };
    let rows = [5.0, 10.0, 15.0, 20.0].map(|h| {
        let p = m.predict(h);
        Row::new([
            Cell::from(Line::from(format!("{h:.0}")).right_aligned()),
            Cell::from(Line::from(format!("{:.1}", p.score.clamp(0.0, 100.0))).right_aligned()),
            Cell::from(p.interval.map_or("–".into(), |(l, u)| {
                format!("{:.1}–{:.1}", l.clamp(0.0, 100.0), u.clamp(0.0, 100.0))
            })),
        ])
    });
    let widths = [
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Min(8),
    ];
    let header = Row::new(["Hours", "Score", "95%"]).style(theme::header());
    frame.render_widget(Table::new(rows, widths).header(header).block(block), area);
}

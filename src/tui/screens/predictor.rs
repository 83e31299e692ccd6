//! The Predictor screen: the chart of the observations with the fitted line and its 95%
//! band, the model's numbers, the last prediction, the tutorial's 5/10/15/20-hour table,
//! and the observations.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, Wrap};

use super::{Ctx, Measured, Screen, ScreenId};
use crate::interop::files::Kind;
use crate::model::{Command, Course, Observation, check_hours, check_score};
use crate::predictor::{self, Prediction, TrainedModel};
use crate::text::{count, quote};
use crate::tui::action::Action;
use crate::tui::data::{Change, Data};
use crate::tui::files;
use crate::tui::keymap::Context;
use crate::tui::popup::{Confirm, Form, Mistake, Modal, Reply};
use crate::tui::theme::{Tone, theme};
use crate::tui::widgets::{capitalise, moved, scroll, short_num, truncate};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FormKind {
    AddObservation,
    Query,
    Import,
    Export,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pending {
    Observation(usize),
    /// The tutorial's points, though the course already has them.
    SamplePointsAgain,
}

#[derive(Debug, Clone, Default)]
pub struct PredictorScreen {
    /// Selected observation.
    pub row: usize,
    seen: Measured,
    /// The last prediction asked for.
    pub prediction: Option<Prediction>,
    pub modal: Modal<FormKind, Pending>,
}

/// Most observations drawn in the terminal chart: a few thousand dots fill it.
const MAX_CHART_POINTS: usize = 5_000;

impl PredictorScreen {
    fn browse(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        use Action::*;
        let Some(course) = ctx.data.course() else {
            if action == Add {
                ctx.add_course();
                return true;
            }
            return false;
        };
        match action {
            Up | Down | PageUp | PageDown | Home | End => {
                self.row = moved(self.row, action, course.study.len(), self.seen.page)
            }
            Add => {
                let fields = [
                    ("Hours", String::new()),
                    ("Score", String::new()),
                    ("Student (optional)", String::new()),
                ];
                self.modal = Modal::Form(Form::new(
                    FormKind::AddObservation,
                    "Add an observation",
                    &fields,
                ));
            }
            Edit | Predict => self.start_query(ctx),
            Delete => self.ask_delete(course),
            Train => train(ctx),
            LoadSamplePoints => self.load_sample_points(ctx, false),
            Import => self.modal = Modal::Form(files::import_form(FormKind::Import, Kind::Study)),
            Export => {
                let form = files::export_form(FormKind::Export, Kind::Study, Some(&course.name));
                self.modal = Modal::Form(form);
            }
            _ => return false,
        }
        true
    }

    fn start_query(&mut self, ctx: &mut Ctx) {
        if ctx.data.course().and_then(|c| c.model.as_ref()).is_none() {
            ctx.say(Tone::Info, "Train the model first: press t");
            return;
        }
        let hours = self
            .prediction
            .map(|p| crate::model::fmt_num(p.hours))
            .unwrap_or_default();
        let form = Form::new(
            FormKind::Query,
            "Predict a score",
            &[("Weekly study hours", hours)],
        );
        self.modal = Modal::Form(form.submit_as("predict"));
    }

    fn ask_delete(&mut self, course: &Course) {
        let Some(o) = course.study.get(self.row) else {
            return;
        };
        self.modal = Modal::Confirm(Confirm {
            pending: Pending::Observation(self.row),
            question: format!(
                "Delete the observation {} h → {}?",
                short_num(o.hours),
                short_num(o.score)
            ),
            yes: "delete",
        });
    }

    /// Adds the tutorial's 30 points to the course shown; asks first if it has them.
    fn load_sample_points(&mut self, ctx: &mut Ctx, again: bool) {
        let (Some(c), Some(course)) = (ctx.data.course_index(), ctx.data.course()) else {
            return;
        };
        let Ok(observations) = crate::sample::sample_observations() else {
            return ctx.say(Tone::Error, "The built-in sample data is damaged");
        };
        if !again && has_all(course, &observations) {
            self.modal = Modal::Confirm(Confirm {
                pending: Pending::SamplePointsAgain,
                question: "This course already has the tutorial's 30 observations. Add them again?"
                    .into(),
                yes: "add again",
            });
            return;
        }
        let index = course.study.len();
        let cmd = Command::InsertObservations {
            course: c,
            index,
            observations,
        };
        match ctx.data.execute(cmd) {
            Ok(_) => ctx.say(
                Tone::Success,
                "Added the tutorial's 30 observations (u undoes it)",
            ),
            Err(e) => ctx.say(Tone::Error, e.to_string()),
        }
    }

    fn modal_action(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        match self.modal.handle(action) {
            Reply::Ignored => return false,
            Reply::Done => {}
            Reply::Submit => {
                if let Err(e) = self.submit(ctx) {
                    self.modal.fail(e);
                }
            }
            Reply::Confirmed(Pending::Observation(index)) => {
                let Some(c) = ctx.data.course_index() else {
                    return true;
                };
                let cmd = Command::RemoveObservations {
                    course: c,
                    index,
                    count: 1,
                };
                let said = cmd.summary(ctx.data.book());
                match ctx.data.execute(cmd) {
                    Ok(_) => ctx.say(
                        Tone::Success,
                        format!("{} (u undoes it)", capitalise(&said)),
                    ),
                    Err(e) => ctx.say(Tone::Error, e.to_string()),
                }
            }
            Reply::Confirmed(Pending::SamplePointsAgain) => self.load_sample_points(ctx, true),
            Reply::Declined => ctx.say(Tone::Info, "Nothing changed"),
        }
        true
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Result<(), Mistake> {
        let Modal::Form(form) = &self.modal else {
            return Ok(());
        };
        match form.kind {
            FormKind::AddObservation => {
                let hours = form.number(0, "study hours")?;
                check_hours(hours).map_err(|e| Mistake::at(0, e))?;
                let score = form.number(1, "test score")?;
                check_score(score).map_err(|e| Mistake::at(1, e))?;
                let student =
                    linked_student(ctx.data, form.value(2)).map_err(|e| Mistake::at(2, e))?;
                let c = ctx.data.course_index().unwrap_or(0);
                let index = ctx.data.course().map_or(0, |c| c.study.len());
                let observations = vec![Observation {
                    hours,
                    score,
                    student,
                }];
                ctx.data.execute(Command::InsertObservations {
                    course: c,
                    index,
                    observations,
                })?;
                self.row = index;
            }
            FormKind::Query => {
                let hours = form.number(0, "study hours")?;
                check_hours(hours).map_err(|e| Mistake::at(0, e))?;
                let model = ctx
                    .data
                    .course()
                    .and_then(|c| c.model.as_ref())
                    .ok_or("train the model first")?;
                self.prediction = Some(model.predict(hours));
            }
            FormKind::Import => files::import(ctx, Kind::Study, form.value(0))?,
            FormKind::Export => files::export(ctx, Kind::Study, form.value(0))?,
        }
        self.modal = Modal::None;
        Ok(())
    }
}

/// Whether the course already has every one of `points` (hours and score).
fn has_all(course: &Course, points: &[Observation]) -> bool {
    let have: std::collections::HashSet<(u64, u64)> = course
        .study
        .iter()
        .map(|o| (o.hours.to_bits(), o.score.to_bits()))
        .collect();
    points
        .iter()
        .all(|p| have.contains(&(p.hours.to_bits(), p.score.to_bits())))
}

fn train(ctx: &mut Ctx) {
    let (Some(c), Some(course)) = (ctx.data.course_index(), ctx.data.course()) else {
        return;
    };
    match predictor::fit(course.study.hours(), course.study.scores(), ctx.data.now()) {
        Ok(model) => {
            let summary = format!(
                "Trained on {}: R² {:.3}",
                count(model.n as usize, "observation"),
                model.r2
            );
            let cmd = Command::SetModel {
                course: c,
                model: Some(Box::new(model)),
            };
            match ctx.data.execute(cmd) {
                Ok(_) => ctx.say(Tone::Success, summary),
                Err(e) => ctx.say(Tone::Error, e.to_string()),
            }
        }
        Err(e) => ctx.say(Tone::Error, format!("Cannot train: {e}")),
    }
}

/// The roster spelling of the student an observation is linked to, if any.
fn linked_student(data: &Data, typed: &str) -> Result<Option<String>, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let course = data.course().ok_or("no course")?;
    match course.lookup_student(typed).map_err(|e| e.to_string())? {
        Some(i) => Ok(Some(course.students.at(i).name.to_string())),
        None => Err(format!(
            "there is no student named {} in this course",
            quote(typed)
        )),
    }
}

impl Screen for PredictorScreen {
    fn context(&self) -> Context {
        self.modal
            .context()
            .unwrap_or(Context::On(ScreenId::Predictor))
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> bool {
        if self.modal.is_open() {
            return self.modal_action(action, ctx);
        }
        self.browse(action, ctx)
    }

    fn data_changed(&mut self, data: &Data, change: Change) {
        if change == Change::Course {
            self.row = 0;
            self.seen.offset = 0;
            self.prediction = None;
        }
        let n = data.course().map_or(0, |c| c.study.len());
        self.row = self.row.min(n.saturating_sub(1));
    }

    fn draw(&self, frame: &mut Frame, area: Rect, data: &Data) -> Measured {
        let Some(course) = data.course() else {
            return self.seen;
        };
        let stale = data.model_is_stale();
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(area);
        let mut measured = self.seen;
        if area.width >= 70 {
            let [chart, summary] =
                Layout::horizontal([Constraint::Min(30), Constraint::Length(34)]).areas(top);
            draw_chart(course, frame, chart);
            self.draw_summary(course, stale, frame, summary);
            let [obs, table] =
                Layout::horizontal([Constraint::Min(30), Constraint::Length(34)]).areas(bottom);
            measured = self.draw_observations(course, frame, obs);
            draw_tutorial_table(course, frame, table);
        } else if area.height >= 16 {
            draw_chart(course, frame, top);
            self.draw_summary(course, stale, frame, bottom);
        } else {
            // Too small for a readable chart: the numbers matter more.
            self.draw_summary(course, stale, frame, area);
        }
        self.modal.draw(frame);
        measured
    }

    fn measured(&mut self, m: Measured) {
        self.seen = m;
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::Help,
            Action::Train,
            Action::Predict,
            Action::Add,
            Action::Quit,
        ]
    }
}

fn draw_chart(course: &Course, frame: &mut Frame, area: Rect) {
    let t = theme();
    let points = crate::plot::sample_points(course, MAX_CHART_POINTS);
    let block = Block::bordered().title("Study hours → test score");
    if points.is_empty() {
        let text = "No observations yet. Press a to add one, or L for the tutorial's 30.";
        frame.render_widget(
            Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
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
    let band = band_points(course.model.as_ref(), x);
    // The band first, so that the points stay on top.
    let mut datasets: Vec<Dataset> = band
        .iter()
        .filter(|b| !b.is_empty())
        .map(|b| {
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Scatter)
                .style(t.band)
                .data(b)
        })
        .collect();
    datasets.push(
        Dataset::default()
            .name("observations")
            .marker(Marker::Braille)
            .graph_type(GraphType::Scatter)
            .style(t.points)
            .data(&points),
    );
    if !line.is_empty() {
        datasets.push(
            Dataset::default()
                .name("fitted line")
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(t.line)
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

/// The 95% band for a new student, as two dotted curves.
fn band_points(model: Option<&TrainedModel>, x: (f64, f64)) -> [Vec<(f64, f64)>; 2] {
    let Some(m) = model.filter(|m| m.residual_se().is_some()) else {
        return [Vec::new(), Vec::new()];
    };
    let xs = (0..=40).map(|i| x.0 + (x.1 - x.0) * f64::from(i) / 40.0);
    let bounds: Vec<(f64, (f64, f64))> = xs
        .filter_map(|h| m.predict(h).interval.map(|b| (h, b)))
        .collect();
    [
        bounds.iter().map(|&(h, (lo, _))| (h, lo)).collect(),
        bounds.iter().map(|&(h, (_, hi))| (h, hi)).collect(),
    ]
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

impl PredictorScreen {
    fn draw_summary(&self, course: &Course, stale: bool, frame: &mut Frame, area: Rect) {
        let t = theme();
        let mut lines = match &course.model {
            None => vec![
                Line::raw(format!(
                    "{}, no model yet.",
                    count(course.study.len(), "observation")
                )),
                Line::from(vec![
                    Span::raw("Press "),
                    Span::styled("t", t.key),
                    Span::raw(" to train."),
                ]),
            ],
            Some(m) => model_lines(m, stale),
        };
        if let Some(p) = &self.prediction {
            lines.push(Line::raw(""));
            lines.extend(prediction_lines(p));
        } else if course.model.is_some() {
            lines.push(Line::from(vec![
                Span::styled("p", t.key),
                Span::raw(" predict a score"),
            ]));
        }
        let title = truncate(&course.name, area.width.saturating_sub(4) as usize);
        frame.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(title)),
            area,
        );
    }

    fn draw_observations(&self, course: &Course, frame: &mut Frame, area: Rect) -> Measured {
        let t = theme();
        let page = area.height.saturating_sub(3).max(1) as usize;
        let offset = scroll(self.seen.offset, self.row, page, course.study.len());
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
                if i == self.row {
                    row.style(t.selected_row)
                } else {
                    row
                }
            });
        let widths = [
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Min(6),
        ];
        let header = Row::new(["Hours", "Score", "Student"]).style(t.header);
        let title = format!("Observations ({}) a add d delete", course.study.len());
        frame.render_widget(
            Table::new(rows, widths)
                .header(header)
                .block(Block::bordered().title(title)),
            area,
        );
        Measured {
            page,
            offset,
            ..self.seen
        }
    }
}

fn model_lines(m: &TrainedModel, stale: bool) -> Vec<Line<'static>> {
    let t = theme();
    let label = |l: &'static str| Span::styled(format!("{l:<10}"), t.dim);
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
        lines.push(Line::styled("STALE: data changed, press t", t.warning));
    }
    lines
}

/// The last prediction. Scores are shown within 0–100; where the line or its band goes
/// beyond, that is said, with the raw numbers, so that a clamped 100.0 – 100.0 never
/// looks certain.
fn prediction_lines(p: &Prediction) -> Vec<Line<'static>> {
    let t = theme();
    let inside = |x: f64| (0.0..=100.0).contains(&x);
    let clamped = !inside(p.score)
        || p.interval
            .is_some_and(|(lo, hi)| !inside(lo) || !inside(hi));
    let mut head = vec![
        Span::styled(format!("{} h → ", short_num(p.hours)), t.dim),
        Span::styled(format!("{:.1}", p.score.clamp(0.0, 100.0)), t.title),
    ];
    if clamped {
        head.push(Span::styled(" (clamped)", t.warning));
    }
    let mut lines = vec![Line::from(head)];
    match p.interval {
        Some((lo, hi)) if clamped => {
            lines.push(Line::styled(format!("raw: {:.1}", p.score), t.warning));
            lines.push(Line::styled(
                format!("raw 95%: {lo:.1} – {hi:.1}"),
                t.warning,
            ));
        }
        Some((lo, hi)) => lines.push(Line::raw(format!("95%: {lo:.1} – {hi:.1}"))),
        None => {
            if clamped {
                lines.push(Line::styled(format!("raw: {:.1}", p.score), t.warning));
            }
            lines.push(Line::styled("no interval below 3 observations", t.dim));
        }
    }
    if p.extrapolated {
        lines.push(Line::styled("outside the trained hours", t.warning));
    }
    lines
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
    let header = Row::new(["Hours", "Score", "95%"]).style(theme().header);
    frame.render_widget(Table::new(rows, widths).header(header).block(block), area);
}

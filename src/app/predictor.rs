//! The Predictor screen's actions: observations, training, queries.

use super::{App, Form, FormKind, Mode, Tone};
use crate::model::{Command, Observation, check_hours, parse_number};
use crate::predictor;

impl App {
    pub(super) fn start_add_observation(&mut self) {
        let fields = [
            ("Hours", String::new()),
            ("Score", String::new()),
            ("Student (optional)", String::new()),
        ];
        self.mode = Mode::Form(Form::new(
            FormKind::AddObservation,
            "Add an observation",
            &fields,
        ));
    }

    pub(super) fn start_query(&mut self) {
        if self.course().and_then(|c| c.model.as_ref()).is_none() {
            self.say(Tone::Info, "Train the model first: press t");
            return;
        }
        let hours = self
            .prediction
            .map(|p| crate::model::fmt_num(p.hours))
            .unwrap_or_default();
        self.mode = Mode::Form(Form::new(
            FormKind::Query,
            "Predict a score",
            &[("Weekly study hours", hours)],
        ));
    }

    pub(super) fn train(&mut self) {
        let Some((c, course)) = self.view.course.zip(self.course()) else {
            return;
        };
        match predictor::fit(
            course.study.hours(),
            course.study.scores(),
            self.clock.now(),
        ) {
            Ok(model) => {
                let summary = format!("Trained on {} observations: R² {:.3}", model.n, model.r2);
                match self.execute(Command::SetModel {
                    course: c,
                    model: Some(Box::new(model)),
                }) {
                    Ok(()) => self.say(Tone::Success, summary),
                    Err(e) => self.say(Tone::Error, e),
                }
            }
            Err(e) => self.say(Tone::Error, format!("Cannot train: {e}")),
        }
    }

    /// The roster spelling of the student an observation is linked to, if any.
    fn linked_student(&self, typed: &str) -> Result<Option<String>, String> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        let course = self.course().ok_or("no course")?;
        match course.find_student(typed) {
            Some(i) => Ok(Some(course.students[i].name.clone())),
            None => Err(format!(
                "there is no student named {} in this course",
                crate::text::quote(typed)
            )),
        }
    }

    pub(super) fn submit_predictor(&mut self, form: &Form) -> Result<(), String> {
        let c = self.view.course.unwrap_or(0);
        let err = |e: crate::error::ModelError| e.to_string();
        match form.kind {
            FormKind::AddObservation => {
                let hours = parse_number("study hours", form.value(0)).map_err(err)?;
                check_hours(hours).map_err(err)?;
                let score = parse_number("test score", form.value(1)).map_err(err)?;
                let student = self.linked_student(form.value(2))?;
                let index = self.course().map_or(0, |c| c.study.len());
                let observation = Observation {
                    hours,
                    score,
                    student,
                };
                let observations = vec![observation];
                self.execute(Command::InsertObservations {
                    course: c,
                    index,
                    observations,
                })?;
                self.obs_row = index;
                self.mode = Mode::Normal;
            }
            _ => {
                let hours = parse_number("study hours", form.value(0)).map_err(err)?;
                check_hours(hours).map_err(err)?;
                let model = self
                    .course()
                    .and_then(|c| c.model.as_ref())
                    .ok_or("train the model first")?;
                self.prediction = Some(model.predict(hours));
                self.mode = Mode::Normal;
            }
        }
        Ok(())
    }
}

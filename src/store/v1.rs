//! The body of format version 1, frozen: these types must never change, so that version-1
//! files keep loading. They are read, checked for canonical form, and migrated to the
//! current model: one category `Grades` (weight 1, drop 0, mean) holding every
//! assessment, so that every final grade stays what it was, bit for bit.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{self, Category, Cell, LetterScheme, Mark};
use crate::predictor::TrainedModel;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gradebook {
    pub courses: Vec<Course>,
    pub current: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Course {
    pub name: String,
    pub last_updated: DateTime<Utc>,
    pub assessments: Vec<Assessment>,
    pub students: Vec<Student>,
    pub thresholds: Thresholds,
    pub study: Vec<Observation>,
    pub model: Option<TrainedModel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub name: String,
    pub weight: f64,
    pub max_points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Student {
    pub name: String,
    pub grades: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub hours: f64,
    pub score: f64,
    pub student: Option<String>,
}

impl From<Gradebook> for model::Gradebook {
    fn from(v1: Gradebook) -> Self {
        Self {
            courses: v1.courses.into_iter().map(model::Course::from).collect(),
            current: v1.current,
        }
    }
}

impl From<Course> for model::Course {
    fn from(v1: Course) -> Self {
        let t = v1.thresholds;
        let mut course = model::Course::new(v1.name, v1.last_updated);
        course.categories = vec![Category::named(model::DEFAULT_CATEGORY)];
        course.assessments = v1
            .assessments
            .into_iter()
            .map(|a| model::Assessment {
                weight: a.weight,
                max_points: a.max_points,
                ..model::Assessment::named(a.name)
            })
            .collect();
        course.students = v1
            .students
            .into_iter()
            .map(|s| {
                let cells = s.grades.into_iter().map(|g| match g {
                    Some(p) => Cell::from(Mark::Points(p)),
                    None => Cell::default(),
                });
                model::Student::with_cells(s.name, cells)
            })
            .collect();
        course.letters = LetterScheme::from_thresholds(t.a, t.b, t.c, t.d);
        course.study = v1
            .study
            .into_iter()
            .map(|o| model::Observation {
                hours: o.hours,
                score: o.score,
                student: o.student,
            })
            .collect();
        course.model = v1.model;
        course
    }
}

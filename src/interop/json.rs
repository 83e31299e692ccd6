//! The whole gradebook as JSON, the readable second format:
//! `{"format": "gradebook", "version": 1, "courses": [...]}` (shape in the README).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ImportError;
use crate::model::{Assessment, Command, Course, Gradebook, Student, Study, Thresholds, name_key};
use crate::predictor::TrainedModel;
use crate::text::quote;

/// The value of `"format"`.
pub const FORMAT: &str = "gradebook";
/// The JSON version this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    version: u32,
    courses: Vec<CourseJson>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseJson {
    name: String,
    last_updated: DateTime<Utc>,
    assessments: Vec<Assessment>,
    students: Vec<StudentJson>,
    study: Study,
    model: Option<TrainedModel>,
    #[serde(default)]
    thresholds: Thresholds,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StudentJson {
    name: String,
    /// Points per assessment name; ungraded assessments are left out.
    grades: UniqueMap,
}

/// A JSON object with its keys in order, refusing a key that appears twice: a plain map
/// would keep the last value and drop the other without a word.
#[derive(Debug, Default)]
struct UniqueMap(Vec<(String, serde_json::Value)>);

impl Serialize for UniqueMap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for UniqueMap {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = UniqueMap;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of grades by assessment name")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UniqueMap, A::Error> {
                let mut seen = std::collections::HashSet::new();
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
                    if !seen.insert(key.clone()) {
                        return Err(serde::de::Error::custom(format!(
                            "the grade for {} appears twice",
                            quote(&key)
                        )));
                    }
                    entries.push((key, value));
                }
                Ok(UniqueMap(entries))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// The gradebook as pretty-printed JSON.
pub fn export(book: &Gradebook) -> Result<String, serde_json::Error> {
    let courses = book.courses.iter().map(course_json).collect();
    let doc = Document {
        format: FORMAT.into(),
        version: VERSION,
        courses,
    };
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}

fn course_json(c: &Course) -> CourseJson {
    let students = c
        .students
        .iter()
        .map(|s| StudentJson {
            name: s.name.clone(),
            grades: c
                .assessments
                .iter()
                .zip(&s.grades)
                .filter_map(|(a, g)| g.map(|p| (a.name.clone(), serde_json::Value::from(p))))
                .collect::<Vec<_>>()
                .into(),
        })
        .collect();
    CourseJson {
        name: c.name.clone(),
        last_updated: c.last_updated,
        assessments: c.assessments.clone(),
        students,
        study: c.study.clone(),
        model: c.model.clone(),
        thresholds: c.thresholds,
    }
}

/// Reads a JSON export and returns the command adding its courses after the existing ones.
pub fn import(book: &Gradebook, bytes: &[u8]) -> Result<(Command, usize), ImportError> {
    let text = std::str::from_utf8(super::strip_bom(bytes))
        .map_err(|_| ImportError::one(None, None, "the file is not UTF-8 text"))?;
    let doc: Document = serde_json::from_str(text).map_err(|e| {
        let message = match e.classify() {
            serde_json::error::Category::Eof => "the JSON ends too early".to_string(),
            _ => crate::text::clip_quotes(&strip_position(&e.to_string()), MESSAGE_CHARS),
        };
        ImportError::one(Some(e.line() as u64), Some(e.column() as u64), message)
    })?;
    if doc.format != FORMAT {
        return Err(ImportError::one(
            None,
            None,
            format!("\"format\" is {}, not \"{FORMAT}\"", quote(&doc.format)),
        ));
    }
    if doc.version == 0 {
        return Err(ImportError::one(None, None, "version 0 does not exist"));
    }
    if doc.version > VERSION {
        return Err(ImportError::one(
            None,
            None,
            format!(
                "version {} is newer than this gradebook reads ({VERSION})",
                doc.version
            ),
        ));
    }
    let mut taken: std::collections::HashSet<String> =
        book.courses.iter().map(|c| name_key(&c.name)).collect();
    let mut cmds = Vec::new();
    for (i, cj) in doc.courses.into_iter().enumerate() {
        let course = to_course(cj)
            .map_err(|m| ImportError::one(None, None, format!("course {}: {}", i + 1, m.0)))?;
        if !taken.insert(name_key(&course.name)) {
            return Err(ImportError::one(
                None,
                None,
                format!("a course named {} already exists", quote(&course.name)),
            ));
        }
        course.validate().map_err(|e| {
            ImportError::one(None, None, format!("course {}: {e}", quote(&course.name)))
        })?;
        let index = book.courses.len() + cmds.len();
        cmds.push(Command::InsertCourse {
            index,
            course: Box::new(course),
        });
    }
    let n = cmds.len();
    Ok((Command::Batch(cmds), n))
}

/// How much of a parser's message is shown: it may quote the file.
const MESSAGE_CHARS: usize = 200;

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// What is wrong with a course of the file.
struct Wrong(String);

fn to_course(cj: CourseJson) -> Result<Course, Wrong> {
    let mut students = Vec::with_capacity(cj.students.len());
    for sj in cj.students {
        let mut grades = vec![None; cj.assessments.len()];
        for (name, value) in sj.grades.0.iter().filter(|(_, v)| !v.is_null()) {
            let a = cj
                .assessments
                .iter()
                .position(|a| &a.name == name)
                .ok_or_else(|| {
                    Wrong(format!(
                        "{} has a grade in {}, which is not an assessment",
                        quote(&sj.name),
                        quote(name)
                    ))
                })?;
            let points = value.as_f64().ok_or_else(|| {
                Wrong(format!(
                    "{}'s grade in {} is not a number",
                    quote(&sj.name),
                    quote(name)
                ))
            })?;
            // + 0.0 makes -0 a plain 0.
            grades[a] = Some(points + 0.0);
        }
        students.push(Student {
            name: sj.name,
            grades,
        });
    }
    Ok(Course {
        name: cj.name,
        last_updated: cj.last_updated,
        assessments: cj.assessments,
        students,
        thresholds: cj.thresholds,
        study: cj.study,
        model: cj.model,
    })
}

impl From<Vec<(String, serde_json::Value)>> for UniqueMap {
    fn from(entries: Vec<(String, serde_json::Value)>) -> Self {
        Self(entries)
    }
}

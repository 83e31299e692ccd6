//! The whole gradebook as JSON, the readable second format:
//! `{"format": "gradebook", "version": 2, "courses": [...]}` (shape in the README).
//! Version 1 (no syllabus: assessments without categories, points only, four letter
//! thresholds) is read too.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ImportError;
use crate::journal::{self, Change, Entry, Head, Record};
use crate::model::{
    Assessment, Category, CategoryMode, Cell, Command, Course, DEFAULT_CATEGORY, Gradebook,
    LatePolicy, LetterGrade, LetterScheme, LmsIds, Mark, Status, Study, name_key,
};
use crate::predictor::TrainedModel;
use crate::text::quote;

/// The value of `"format"`.
pub const FORMAT: &str = "gradebook";
/// The JSON version this build writes; it reads 1 and 2.
pub const VERSION: u32 = 2;

#[derive(Debug, Serialize)]
struct Document {
    format: String,
    version: u32,
    courses: Vec<CourseJson>,
    /// With `export json --with-history`: every entry of the history, with its hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<HistoryJson>,
}

/// A file as `import json` reads it: each course's students read one by one into the
/// roster as the parser meets them (kept as their JSON text until the course's
/// assessments are known, if they come first), so that memory never holds a tree of
/// 100,000 students.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentIn<'a> {
    format: String,
    version: u32,
    #[serde(borrow)]
    courses: Vec<CourseIn<'a>>,
    #[serde(default)]
    history: Option<HistoryJson>,
}

#[derive(Debug)]
struct CourseIn<'a> {
    name: String,
    last_updated: DateTime<Utc>,
    categories: Option<Vec<CategoryJson>>,
    assessments: Vec<AssessmentJson>,
    students: StudentsIn<'a>,
    letters: Option<Vec<LetterGrade>>,
    late_policy: Option<LatePolicy>,
    study: Study,
    model: Option<TrainedModel>,
    thresholds: Option<crate::store::v1::Thresholds>,
}

/// A course's students: read, or their JSON text when they came before the assessments.
enum StudentsIn<'a> {
    Read(Result<crate::model::Roster, super::json_roster::Wrong>),
    Later(&'a serde_json::value::RawValue),
}

impl std::fmt::Debug for StudentsIn<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StudentsIn::Read(Ok(r)) => write!(f, "{} students", r.len()),
            StudentsIn::Read(Err(w)) => write!(f, "wrong: {}", w.0),
            StudentsIn::Later(raw) => write!(f, "{} bytes of students", raw.get().len()),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for CourseIn<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, MapAccess, Visitor};

        #[derive(Deserialize)]
        #[serde(field_identifier, rename_all = "snake_case")]
        enum Field {
            Name,
            LastUpdated,
            Categories,
            Assessments,
            Students,
            Letters,
            LatePolicy,
            Study,
            Model,
            Thresholds,
        }

        use super::json_roster::once;

        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = CourseIn<'a>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("struct CourseIn")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CourseIn<'a>, A::Error> {
                let (mut name, mut last_updated, mut categories) = (None, None, None);
                let (mut assessments, mut students, mut letters) = (None, None, None);
                let (mut late_policy, mut study, mut model, mut thresholds) =
                    (None, None, None, None);
                while let Some(field) = map.next_key::<Field>()? {
                    match field {
                        Field::Name => once(&mut name, map.next_value()?, "name")?,
                        Field::LastUpdated => {
                            once(&mut last_updated, map.next_value()?, "last_updated")?
                        }
                        Field::Categories => {
                            once(&mut categories, map.next_value()?, "categories")?
                        }
                        Field::Assessments => once(
                            &mut assessments,
                            map.next_value::<Vec<AssessmentJson>>()?,
                            "assessments",
                        )?,
                        Field::Students => {
                            let read = match &assessments {
                                Some(list) => {
                                    let names: Vec<&str> =
                                        list.iter().map(|a| a.name.as_str()).collect();
                                    StudentsIn::Read(map.next_value_seed(
                                        super::json_roster::StudentsSeed(&names),
                                    )?)
                                }
                                None => StudentsIn::Later(map.next_value()?),
                            };
                            once(&mut students, read, "students")?
                        }
                        Field::Letters => once(&mut letters, map.next_value()?, "letters")?,
                        Field::LatePolicy => {
                            once(&mut late_policy, map.next_value()?, "late_policy")?
                        }
                        Field::Study => once(&mut study, map.next_value()?, "study")?,
                        Field::Model => once(&mut model, map.next_value()?, "model")?,
                        Field::Thresholds => {
                            once(&mut thresholds, map.next_value()?, "thresholds")?
                        }
                    }
                }
                Ok(CourseIn {
                    name: name.ok_or_else(|| Error::missing_field("name"))?,
                    last_updated: last_updated
                        .ok_or_else(|| Error::missing_field("last_updated"))?,
                    categories: categories.flatten(),
                    assessments: assessments.ok_or_else(|| Error::missing_field("assessments"))?,
                    students: students.ok_or_else(|| Error::missing_field("students"))?,
                    letters: letters.flatten(),
                    late_policy: late_policy.flatten(),
                    study: study.ok_or_else(|| Error::missing_field("study"))?,
                    model: model.flatten(),
                    thresholds: thresholds.flatten(),
                })
            }
        }
        d.deserialize_struct(
            "CourseIn",
            &[
                "name",
                "last_updated",
                "categories",
                "assessments",
                "students",
                "letters",
                "late_policy",
                "study",
                "model",
                "thresholds",
            ],
            V(std::marker::PhantomData),
        )
    }
}

/// The history in JSON: its entries oldest first, and the hash of the last.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryJson {
    entries: Vec<EntryJson>,
    head: String,
}

/// One history entry: when, who, which course; for a grade cell the student (and id),
/// the assessment, the old and new cell; for anything else the change in words; and the
/// entry's hash in the chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryJson {
    time: DateTime<Utc>,
    user: String,
    #[serde(default)]
    course: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    student: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assessment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    old: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    change: Option<String>,
    /// A rename: `course`, `student` or `assessment`, from a name to another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    renamed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    hash: String,
}

/// A cell in full, for history: `{"value": ..., "late_days": n, "comment": ...}`.
/// A mark as JSON: points, `"EX"`, `"M"`, or null.
fn mark_json(mark: Mark) -> Value {
    match mark {
        Mark::Empty => Value::Null,
        Mark::Points(p) => Value::from(p),
        Mark::Excused => Value::from("EX"),
        Mark::Missing => Value::from("M"),
    }
}

fn full_cell(cell: &Cell) -> Value {
    serde_json::json!({
        "value": mark_json(cell.mark),
        "late_days": cell.late_days,
        "comment": cell.comment,
    })
}

/// A history record as JSON (the shape of `log --json` and of exports).
pub fn entry_json(record: &Record) -> EntryJson {
    let e = &record.entry;
    let mut out = EntryJson {
        time: e.time,
        user: e.user.clone(),
        course: e.course.clone(),
        student: None,
        id: None,
        assessment: None,
        old: None,
        new: None,
        change: None,
        renamed: None,
        from: None,
        to: None,
        hash: journal::hex(&record.hash),
    };
    match &e.change {
        Change::Cell {
            student,
            id,
            assessment,
            old,
            new,
        } => {
            out.student = Some(student.clone());
            out.id = id.clone();
            out.assessment = Some(assessment.clone());
            out.old = Some(full_cell(old));
            out.new = Some(full_cell(new));
        }
        Change::Student { student, id, text } => {
            out.student = Some(student.clone());
            out.id = id.clone();
            out.change = Some(text.clone());
        }
        Change::Renamed { what, from, to, id } => {
            out.renamed = Some(what.name().to_string());
            out.from = Some(from.clone());
            out.to = Some(to.clone());
            out.id = id.clone();
        }
        Change::Other(text) => out.change = Some(text.clone()),
    }
    out
}

/// The entry a JSON history entry describes, checked.
fn entry_of(ej: &EntryJson) -> Result<Entry, String> {
    let renamed = (&ej.renamed, &ej.from, &ej.to);
    let change = match (
        &ej.change,
        &ej.student,
        &ej.assessment,
        &ej.old,
        &ej.new,
        renamed,
    ) {
        (Some(text), None, None, None, None, (None, None, None)) if ej.id.is_none() => {
            Change::Other(text.clone())
        }
        (Some(text), Some(student), None, None, None, (None, None, None)) => Change::Student {
            student: student.clone(),
            id: ej.id.clone(),
            text: text.clone(),
        },
        (None, Some(student), Some(assessment), Some(old), Some(new), (None, None, None)) => {
            Change::Cell {
                student: student.clone(),
                id: ej.id.clone(),
                assessment: assessment.clone(),
                old: read_cell(old)?,
                new: read_cell(new)?,
            }
        }
        (None, None, None, None, None, (Some(what), Some(from), Some(to))) => Change::Renamed {
            what: journal::Named::parse(what).ok_or_else(|| {
                format!(
                    "\"renamed\" is course, student or assessment, not {}",
                    quote(what)
                )
            })?,
            from: from.clone(),
            to: to.clone(),
            id: ej.id.clone(),
        },
        _ => {
            return Err(
                "an entry is a change in words (with a student or not), a cell with student, \
                 assessment, old and new, or a rename with renamed, from and to"
                    .into(),
            );
        }
    };
    Ok(Entry {
        time: ej.time,
        user: ej.user.clone(),
        course: ej.course.clone(),
        change,
    })
}

/// Reads a JSON history: each entry's hash must follow from the one before (from zero),
/// and the head must be the last; the entries, or where the chain breaks.
fn read_history(history: &HistoryJson) -> Result<Vec<Entry>, ImportError> {
    let mut prev = [0u8; 32];
    let mut entries = Vec::with_capacity(history.entries.len());
    for (i, ej) in history.entries.iter().enumerate() {
        let wrong =
            |m: String| ImportError::one(None, None, format!("history entry {}: {m}", i + 1));
        let entry = entry_of(ej).map_err(wrong)?;
        entry.check().map_err(wrong)?;
        let body = postcard::to_allocvec(&entry).map_err(|e| wrong(e.to_string()))?;
        let hash = journal::chain(&prev, &body);
        if journal::from_hex(&ej.hash) != Some(hash) {
            return Err(wrong(
                "its hash does not follow from the entries before: the history was changed".into(),
            ));
        }
        prev = hash;
        entries.push(entry);
    }
    if journal::from_hex(&history.head) != Some(prev) {
        return Err(ImportError::one(
            None,
            None,
            "the history's head is not its last entry: entries were removed",
        ));
    }
    Ok(entries)
}

#[derive(Debug, Serialize)]
struct CourseJson {
    name: String,
    last_updated: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    categories: Option<Vec<CategoryJson>>,
    assessments: Vec<AssessmentJson>,
    students: Vec<StudentJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    letters: Option<Vec<LetterGrade>>,
    late_policy: Option<LatePolicy>,
    study: Study,
    model: Option<TrainedModel>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryJson {
    name: String,
    weight: f64,
    #[serde(default)]
    drop_lowest: u32,
    #[serde(default = "mean")]
    mode: ModeJson,
}

fn mean() -> ModeJson {
    ModeJson::Mean
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum ModeJson {
    Mean,
    Points,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssessmentJson {
    name: String,
    /// The category's name; left out, the course's only category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    weight: f64,
    max_points: f64,
    #[serde(default)]
    extra_credit: bool,
    #[serde(default)]
    never_drop: bool,
    /// The LMS's id for it (Canvas's assignment id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lms_id: Option<String>,
}

#[derive(Debug, Serialize)]
struct StudentJson {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<String>,
    /// `active` or `withdrawn`; left out, active.
    status: StatusJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// What the LMS exports called them, kept for the way back.
    #[serde(skip_serializing_if = "LmsJson::is_empty")]
    lms: LmsJson,
    /// Cells by assessment name; empty ones are left out.
    grades: UniqueMap,
}

/// A student's LMS identity in JSON: only the parts known.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LmsJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    canvas_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sis_user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sis_login_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
}

impl LmsJson {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl From<&LmsIds> for LmsJson {
    fn from(l: &LmsIds) -> Self {
        Self {
            canvas_id: l.canvas_id.clone(),
            sis_user_id: l.sis_user_id.clone(),
            sis_login_id: l.sis_login_id.clone(),
            first_name: l.first_name.clone(),
            last_name: l.last_name.clone(),
        }
    }
}

impl From<LmsJson> for LmsIds {
    fn from(l: LmsJson) -> Self {
        Self {
            canvas_id: l.canvas_id,
            sis_user_id: l.sis_user_id,
            sis_login_id: l.sis_login_id,
            first_name: l.first_name,
            last_name: l.last_name,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum StatusJson {
    #[default]
    Active,
    Withdrawn,
}

/// A JSON object with its keys in order (a student's grades as written).
#[derive(Debug, Default)]
struct UniqueMap(Vec<(String, Value)>);

impl Serialize for UniqueMap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// The gradebook as pretty-printed JSON, version 2.
pub fn export(book: &Gradebook) -> Result<String, serde_json::Error> {
    export_with(book, None)
}

/// [`export`] with the history: its records, in order, and its head.
pub fn export_with_history(
    book: &Gradebook,
    records: &[Record],
    head: &Head,
) -> Result<String, serde_json::Error> {
    let history = HistoryJson {
        entries: records.iter().map(entry_json).collect(),
        head: head.hash_hex(),
    };
    export_with(book, Some(history))
}

fn export_with(
    book: &Gradebook,
    history: Option<HistoryJson>,
) -> Result<String, serde_json::Error> {
    let courses = book.courses.iter().map(course_json).collect();
    let doc = Document {
        format: FORMAT.into(),
        version: VERSION,
        courses,
        history,
    };
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}

/// A cell as JSON: a number, `"EX"`, `"M"`, or with late days or a comment an object
/// `{"value": ..., "late_days": n, "comment": "..."}`; `None` for a blank cell.
pub fn cell_json(cell: &Cell) -> Option<Value> {
    let value = mark_json(cell.mark);
    if cell.late_days == 0 && cell.comment.is_none() {
        return (!value.is_null()).then_some(value);
    }
    let mut object = serde_json::Map::new();
    object.insert("value".into(), value);
    if cell.late_days > 0 {
        object.insert("late_days".into(), Value::from(cell.late_days));
    }
    if let Some(c) = &cell.comment {
        object.insert("comment".into(), Value::from(c.as_str()));
    }
    Some(Value::Object(object))
}

fn course_json(c: &Course) -> CourseJson {
    let students = c
        .students
        .iter()
        .map(|s| StudentJson {
            name: s.name.to_string(),
            id: s.profile.id.clone(),
            email: s.profile.email.clone(),
            section: s.profile.section.clone(),
            status: match s.profile.status {
                Status::Active => StatusJson::Active,
                Status::Withdrawn => StatusJson::Withdrawn,
            },
            note: s.profile.note.clone(),
            lms: LmsJson::from(&s.profile.lms),
            grades: UniqueMap(
                c.assessments
                    .iter()
                    .zip(s.cells())
                    .filter_map(|(a, cell)| cell_json(&cell).map(|v| (a.name.clone(), v)))
                    .collect(),
            ),
        })
        .collect();
    CourseJson {
        name: c.name.clone(),
        last_updated: c.last_updated,
        categories: Some(
            c.categories
                .iter()
                .map(|k| CategoryJson {
                    name: k.name.clone(),
                    weight: k.weight,
                    drop_lowest: k.drop_lowest,
                    mode: match k.mode {
                        CategoryMode::Mean => ModeJson::Mean,
                        CategoryMode::Points => ModeJson::Points,
                    },
                })
                .collect(),
        ),
        assessments: c
            .assessments
            .iter()
            .map(|a| AssessmentJson {
                name: a.name.clone(),
                category: c.categories.get(a.category).map(|k| k.name.clone()),
                weight: a.weight,
                max_points: a.max_points,
                extra_credit: a.extra_credit,
                never_drop: a.never_drop,
                lms_id: a.lms_id.clone(),
            })
            .collect(),
        students,
        letters: Some(c.letters.0.clone()),
        late_policy: c.late_policy,
        study: c.study.clone(),
        model: c.model.clone(),
    }
}

/// What a JSON import makes: the command adding its courses after the existing ones, how
/// many, and the history the file carried (its chain checked).
pub struct Imported {
    pub cmd: Command,
    pub courses: usize,
    pub history: Vec<Entry>,
}

/// Reads a JSON export (version 1 or 2).
pub fn import(book: &Gradebook, bytes: &[u8]) -> Result<Imported, ImportError> {
    let text = std::str::from_utf8(super::strip_bom(bytes))
        .map_err(|_| ImportError::one(None, None, "the file is not UTF-8 text"))?;
    crate::progress::reading(text.as_bytes());
    let doc: DocumentIn = serde_json::from_str(text).map_err(|e| json_error(&e, text, 0))?;
    check_header(&doc)?;
    let history = match &doc.history {
        Some(h) => read_history(h)?,
        None => Vec::new(),
    };
    let mut taken: std::collections::HashSet<String> =
        book.courses.iter().map(|c| name_key(&c.name)).collect();
    let mut cmds = Vec::new();
    for (i, cj) in doc.courses.into_iter().enumerate() {
        let course = to_course(cj, text).map_err(|e| match e {
            CourseError::Wrong(m) => {
                ImportError::one(None, None, format!("course {}: {}", i + 1, m.0))
            }
            CourseError::Json(e) => e,
        })?;
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
    Ok(Imported {
        cmd: Command::Batch(cmds),
        courses: n,
        history,
    })
}

/// A parser's error as an import error, with the line and column in the whole file (the
/// parsed text starting `at` bytes into `text`).
fn json_error(e: &serde_json::Error, text: &str, at: usize) -> ImportError {
    let message = match e.classify() {
        serde_json::error::Category::Eof => "the JSON ends too early".to_string(),
        _ => crate::text::clip_quotes(&strip_position(&e.to_string()), MESSAGE_CHARS),
    };
    let before = &text[..at];
    let line = before.matches('\n').count() + e.line();
    let column = if e.line() == 1 {
        before.len() - before.rfind('\n').map_or(0, |i| i + 1) + e.column()
    } else {
        e.column()
    };
    ImportError::one(Some(line as u64), Some(column as u64), message)
}

fn check_header(doc: &DocumentIn) -> Result<(), ImportError> {
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
    Ok(())
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

/// Why a course of the file cannot be read: what is wrong with it, or its students'
/// JSON (with its place in the file).
enum CourseError {
    Wrong(Wrong),
    Json(ImportError),
}

impl From<Wrong> for CourseError {
    fn from(w: Wrong) -> Self {
        CourseError::Wrong(w)
    }
}

fn to_course(cj: CourseIn, text: &str) -> Result<Course, CourseError> {
    let mut course = Course::new(cj.name, cj.last_updated);
    if let Some(categories) = cj.categories {
        course.categories = categories
            .into_iter()
            .map(|k| Category {
                name: k.name,
                weight: k.weight,
                drop_lowest: k.drop_lowest,
                mode: match k.mode {
                    ModeJson::Mean => CategoryMode::Mean,
                    ModeJson::Points => CategoryMode::Points,
                },
            })
            .collect();
    }
    course.letters = match (cj.letters, cj.thresholds) {
        (Some(_), Some(_)) => {
            return Err(Wrong("give \"letters\" or \"thresholds\", not both".into()).into());
        }
        (Some(letters), None) => LetterScheme(letters),
        (None, Some(t)) => LetterScheme::from_thresholds(t.a, t.b, t.c, t.d),
        (None, None) => LetterScheme::default(),
    };
    course.late_policy = cj.late_policy;
    for aj in cj.assessments {
        let category = match &aj.category {
            Some(name) => course.find_category(name).ok_or_else(|| {
                Wrong(format!(
                    "assessment {} is in category {}, which is not one",
                    quote(&aj.name),
                    quote(name)
                ))
            })?,
            None if course.categories.len() == 1 => 0,
            None => {
                return Err(
                    Wrong(format!("assessment {} needs a category", quote(&aj.name))).into(),
                );
            }
        };
        course.assessments.push(Assessment {
            name: aj.name,
            category,
            weight: aj.weight,
            max_points: aj.max_points,
            extra_credit: aj.extra_credit,
            never_drop: aj.never_drop,
            lms_id: aj.lms_id,
        });
    }
    course.students = read_students(cj.students, &course.assessments, text)?;
    course.study = cj.study;
    course.model = cj.model;
    if course.categories.is_empty() {
        course.categories = vec![Category::named(DEFAULT_CATEGORY)];
    }
    Ok(course)
}

/// The students of a course: read already, or read now from their JSON text (which
/// starts at its place in `text`, for the line and column of a problem).
fn read_students(
    students: StudentsIn,
    assessments: &[Assessment],
    text: &str,
) -> Result<crate::model::Roster, CourseError> {
    use serde::de::DeserializeSeed;
    let read = match students {
        StudentsIn::Read(read) => read,
        StudentsIn::Later(raw) => {
            let json = raw.get();
            let at = json.as_ptr() as usize - text.as_ptr() as usize;
            let names: Vec<&str> = assessments.iter().map(|a| a.name.as_str()).collect();
            let mut de = serde_json::Deserializer::from_str(json);
            super::json_roster::StudentsSeed(&names)
                .deserialize(&mut de)
                .and_then(|r| de.end().map(|()| r))
                .map_err(|e| CourseError::Json(json_error(&e, text, at)))?
        }
    };
    read.map_err(|w| Wrong(w.0).into())
}

/// A cell from its JSON: a number, `"EX"`, `"M"`, null, or `{"value", "late_days",
/// "comment"}`.
pub fn read_cell(value: &Value) -> Result<Cell, String> {
    match value {
        Value::Object(map) => {
            if let Some(key) = map
                .keys()
                .find(|k| !["value", "late_days", "comment"].contains(&k.as_str()))
            {
                return Err(format!("unknown field {}", quote(key)));
            }
            let mark = read_mark(map.get("value").unwrap_or(&Value::Null))?;
            let late_days = match map.get("late_days") {
                None | Some(Value::Null) => 0,
                Some(v) => v
                    .as_u64()
                    .and_then(|d| u32::try_from(d).ok())
                    .ok_or("late_days must be a whole number of days")?,
            };
            let comment = match map.get("comment") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err("a comment is text".into()),
            };
            Ok(Cell {
                mark,
                late_days,
                comment,
            })
        }
        other => Ok(read_mark(other)?.into()),
    }
}

/// What a grade that is none of the kinds a grade can be is told.
pub(super) const NOT_A_GRADE: &str = "a grade is a number, \"EX\", \"M\" or null";

/// The mark a grade's text gives: `EX` or `M` in any case.
pub(super) fn mark_word(text: &str) -> Option<Mark> {
    if text.eq_ignore_ascii_case("EX") {
        Some(Mark::Excused)
    } else if text.eq_ignore_ascii_case("M") {
        Some(Mark::Missing)
    } else {
        None
    }
}

fn read_mark(value: &Value) -> Result<Mark, String> {
    match value {
        Value::Null => Ok(Mark::Empty),
        // + 0.0 makes -0 a plain 0.
        Value::Number(n) => n
            .as_f64()
            .map(|p| Mark::Points(p + 0.0))
            .ok_or_else(|| "not a number".to_string()),
        Value::String(s) => mark_word(s).ok_or_else(|| NOT_A_GRADE.into()),
        _ => Err(NOT_A_GRADE.into()),
    }
}

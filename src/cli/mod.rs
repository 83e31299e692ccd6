//! The command line: clap definitions and the commands scripts use.

mod files;
mod predict;
mod report;

use std::path::PathBuf;

use chrono::Utc;
use clap::{Parser, Subcommand};

use crate::error::ModelError;
use crate::model::fmt_num;
use crate::model::{Command, DEFAULT_ASSESSMENT, Editor, GradeEntry, Gradebook, Student};
use crate::store::{self, FormatError, Store, StoreError};
use crate::text::{self, quote};

/// A keyboard-driven terminal gradebook for teachers. Without a command it opens the
/// interactive gradebook; the commands do the same work from scripts.
#[derive(Debug, Parser)]
#[command(name = "gradebook", version, about, long_about = None)]
pub struct Cli {
    /// The data file [default: <data dir>/gradebook.postcard]
    #[arg(long, global = true, env = store::FILE_ENV, value_name = "PATH")]
    pub file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Add, list, rename or delete courses
    #[command(subcommand)]
    Course(CourseCmd),
    /// Add or list the assessments (quiz, exam...) of a course
    #[command(subcommand)]
    Assessment(AssessmentCmd),
    /// Enter or replace a student's grade (the student is added if new)
    Grade {
        student: String,
        /// Points, from 0 to the assessment's max points
        #[arg(allow_negative_numbers = true)]
        points: String,
        /// The assessment [default: the course's only one, created as "Grade" if none]
        #[arg(long, short)]
        assessment: Option<String>,
        /// The course [default: the course last used]
        #[arg(long, short)]
        course: Option<String>,
    },
    /// Print the class report: final grades, ranks, statistics, top student
    Report {
        #[arg(long, short)]
        course: Option<String>,
        /// Print one JSON object instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Add the tutorial's course "Introduction to Machine Learning" with its grades and
    /// 30 study-hours observations
    Sample,
    /// Fit the study-hours model (test score from weekly study hours) and store it
    Train {
        #[arg(long, short)]
        course: Option<String>,
    },
    /// Predict test scores from weekly study hours, with 95% prediction intervals
    Predict {
        /// Weekly study hours, 0 to 168
        #[arg(required = true, allow_negative_numbers = true)]
        hours: Vec<String>,
        #[arg(long, short)]
        course: Option<String>,
        /// Print one JSON object instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Import grades, study data or a whole gradebook; all of the file or nothing
    Import {
        kind: Kind,
        /// The file to read
        #[arg(value_name = "FILE")]
        input: PathBuf,
        /// The course to import into (grades, study) [default: the course last used]
        #[arg(long, short)]
        course: Option<String>,
    },
    /// Export grades or study data as CSV, or the whole gradebook as JSON
    Export {
        kind: Kind,
        #[arg(long, short)]
        course: Option<String>,
        /// Write to this file instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Draw the study-hours chart (points, fitted line, 95% band) to an image
    Plot {
        /// The image file: .svg or .png
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        #[arg(long, short)]
        course: Option<String>,
    },
}

/// What to import or export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// CSV: `student,<assessment>...`, one row per student
    Grades,
    /// CSV: `hours,score[,student]`
    Study,
    /// JSON: every course with everything in it
    Json,
}

impl From<Kind> for crate::interop::files::Kind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Grades => Self::Grades,
            Kind::Study => Self::Study,
            Kind::Json => Self::Json,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum CourseCmd {
    /// Add a course and make it the one last used
    Add { name: String },
    /// List the courses; `*` marks the one last used
    List,
    /// Rename a course
    Rename { old: String, new: String },
    /// Set the lowest final grade (percent) for the letters A, B, C and D
    Letters {
        a: String,
        b: String,
        c: String,
        d: String,
        #[arg(long, short)]
        course: Option<String>,
    },
    /// Delete a course and everything in it
    Delete {
        name: String,
        /// Confirm the deletion (required: it cannot be undone from the command line)
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AssessmentCmd {
    /// Add an assessment
    Add {
        name: String,
        /// Relative weight in the final grade
        #[arg(long, short, default_value = "1", allow_negative_numbers = true)]
        weight: String,
        /// Points for a perfect result
        #[arg(long, short, default_value = "100", allow_negative_numbers = true)]
        max_points: String,
        #[arg(long, short)]
        course: Option<String>,
    },
    /// List the assessments with their weights and max points
    List {
        #[arg(long, short)]
        course: Option<String>,
    },
}

/// A user error: one line for stderr, exit code 1.
#[derive(Debug)]
pub struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<ModelError> for Failure {
    fn from(e: ModelError) -> Self {
        Self(e.to_string())
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self(e.to_string())
    }
}

impl From<FormatError> for Failure {
    fn from(e: FormatError) -> Self {
        Self(e.to_string())
    }
}

/// The data file the user chose, or the default one.
pub fn data_path(cli: &Cli) -> Result<PathBuf, Failure> {
    match &cli.file {
        Some(p) => Ok(p.clone()),
        None => Ok(store::default_path()?),
    }
}

/// Runs one command. The TUI (no command) is the binary's business. A command that
/// changes data says what it did in one line.
pub fn run(path: PathBuf, cmd: Cmd, out: &mut dyn std::io::Write) -> Result<(), Failure> {
    let message = match cmd {
        Cmd::Course(cmd) => course_command(&path, cmd, out)?,
        Cmd::Report { course, json } => {
            let book = store::load(&path)?;
            let c = resolve_course(&book, course.as_deref())?;
            report::print(&book.courses[c], json, out)?;
            String::new()
        }
        Cmd::Assessment(AssessmentCmd::List { course }) => {
            let book = store::load(&path)?;
            let c = resolve_course(&book, course.as_deref())?;
            list_assessments(&book.courses[c], out)?;
            String::new()
        }
        Cmd::Assessment(AssessmentCmd::Add {
            name,
            weight,
            max_points,
            course,
        }) => add_assessment(&path, name, &weight, &max_points, course.as_deref())?,
        Cmd::Grade {
            student,
            points,
            assessment,
            course,
        } => grade(
            &path,
            &student,
            &points,
            assessment.as_deref(),
            course.as_deref(),
        )?,
        Cmd::Train { course } => write(&path, "train", |ed| {
            let c = resolve_course(&ed.book, course.as_deref())?;
            let model = predict::train(&ed.book.courses[c])?;
            let summary = predict::summary(&model);
            ed.execute(
                Command::SetModel {
                    course: c,
                    model: Some(Box::new(model)),
                },
                Utc::now(),
            )?;
            ed.book.current = Some(c);
            Ok(summary)
        })?,
        Cmd::Predict {
            hours,
            course,
            json,
        } => {
            let book = store::load(&path)?;
            let course = &book.courses[resolve_course(&book, course.as_deref())?];
            predict::print(course, &hours, json, out)?;
            String::new()
        }
        Cmd::Plot { output, course } => {
            store::check_output(&path, &output)?;
            let book = store::load(&path)?;
            let course = &book.courses[resolve_course(&book, course.as_deref())?];
            predict::plot(course, &output)?;
            format!(
                "Wrote the chart of {} to {}\n",
                quote(&course.name),
                output.display()
            )
        }
        Cmd::Import {
            kind,
            input,
            course,
        } => {
            let bytes = crate::interop::files::read_input(&input).map_err(Failure)?;
            write(&path, "import", |ed| {
                files::import(ed, kind.into(), &bytes, course.as_deref())
            })?
        }
        Cmd::Export {
            kind,
            course,
            output,
        } => {
            if let Some(file) = &output {
                store::check_output(&path, file)?;
            }
            let book = store::load(&path)?;
            let (text, what) = files::export(&book, kind.into(), course.as_deref())?;
            match output {
                Some(file) => {
                    crate::interop::files::write_output(&file, &text).map_err(Failure)?;
                    format!("Wrote {what} to {}\n", file.display())
                }
                None => {
                    emit(out, &text)?;
                    String::new()
                }
            }
        }
        Cmd::Sample => write(&path, "sample", |ed| {
            let course = crate::sample::course(Utc::now()).map_err(Failure)?;
            let message = format!(
                "Added the tutorial's course {}: {} and {}\n",
                quote(&course.name),
                text::count(course.students.len(), "student"),
                text::count(course.study.len(), "study observation"),
            );
            add_course(ed, course)?;
            Ok(message)
        })?,
    };
    emit(out, &message)
}

fn course_command(
    path: &std::path::Path,
    cmd: CourseCmd,
    out: &mut dyn std::io::Write,
) -> Result<String, Failure> {
    match cmd {
        CourseCmd::List => {
            list_courses(&store::load(path)?, out)?;
            Ok(String::new())
        }
        CourseCmd::Add { name } => write(path, "course add", |ed| {
            add_course(ed, crate::model::Course::new(name, Utc::now()))?;
            let name = &ed.book.courses[ed.book.courses.len() - 1].name;
            Ok(format!(
                "Added course {}; commands now use it by default\n",
                quote(name)
            ))
        }),
        CourseCmd::Letters { a, b, c, d, course } => write(path, "course letters", |ed| {
            let course = resolve_course(&ed.book, course.as_deref())?;
            let thresholds = crate::model::Thresholds {
                a: parse_number("A", &a)?,
                b: parse_number("B", &b)?,
                c: parse_number("C", &c)?,
                d: parse_number("D", &d)?,
            };
            ed.execute(Command::SetThresholds { course, thresholds }, Utc::now())?;
            let t = thresholds;
            Ok(format!(
                "Letters of {}: A from {}, B from {}, C from {}, D from {}, F below\n",
                quote(&ed.book.courses[course].name),
                fmt_num(t.a),
                fmt_num(t.b),
                fmt_num(t.c),
                fmt_num(t.d)
            ))
        }),
        CourseCmd::Rename { old, new } => write(path, "course rename", |ed| {
            let course = resolve_course(&ed.book, Some(&old))?;
            let before = ed.book.courses[course].name.clone();
            ed.execute(Command::RenameCourse { course, name: new }, Utc::now())?;
            Ok(format!(
                "Renamed course {} to {}\n",
                quote(&before),
                quote(&ed.book.courses[course].name)
            ))
        }),
        CourseCmd::Delete { name, yes } => write(path, "course delete", |ed| {
            let index = resolve_course(&ed.book, Some(&name))?;
            let c = &ed.book.courses[index];
            let (name, students) = (c.name.clone(), c.students.len());
            if !yes {
                return Err(Failure(format!(
                    "deleting {} removes all its students and grades; add --yes to confirm",
                    quote(&name)
                )));
            }
            ed.execute(Command::RemoveCourse { index }, Utc::now())?;
            Ok(format!(
                "Deleted course {} with its {}\n",
                quote(&name),
                text::count(students, "student")
            ))
        }),
    }
}

fn add_assessment(
    path: &std::path::Path,
    name: String,
    weight: &str,
    max_points: &str,
    course: Option<&str>,
) -> Result<String, Failure> {
    write(path, "assessment add", |ed| {
        let weight = parse_number("weight", weight)?;
        let max_points = parse_number("max points", max_points)?;
        let c = resolve_course(&ed.book, course)?;
        let index = ed.book.courses[c].assessments.len();
        let assessment = crate::model::Assessment {
            name,
            weight,
            max_points,
        };
        let cmd = Command::InsertAssessment {
            course: c,
            index,
            assessment,
            grades: Vec::new(),
        };
        ed.execute(cmd, Utc::now())?;
        ed.book.current = Some(c);
        let course = &ed.book.courses[c];
        let a = &course.assessments[index];
        Ok(format!(
            "Added assessment {} to {} (weight {}, {} points)\n",
            quote(&a.name),
            quote(&course.name),
            fmt_num(a.weight),
            fmt_num(a.max_points)
        ))
    })
}

fn grade(
    path: &std::path::Path,
    student: &str,
    points: &str,
    assessment: Option<&str>,
    course: Option<&str>,
) -> Result<String, Failure> {
    write(path, "grade", |ed| {
        let points = parse_number("points", points)?;
        let c = resolve_course(&ed.book, course)?;
        let cmd = grade_command(&ed.book, c, student, points, assessment)?;
        // A grade command ends by setting the grade, after creating what it needs.
        let &Command::SetGrade(entry) = last_of(&cmd) else {
            return Err(Failure("the grade could not be entered".into()));
        };
        let old = ed.book.courses[c]
            .students
            .get(entry.student)
            .and_then(|s| s.grades[entry.assessment]);
        ed.execute(cmd, Utc::now())?;
        ed.book.current = Some(c);
        let course = &ed.book.courses[c];
        let (s, a) = (
            &course.students[entry.student],
            &course.assessments[entry.assessment],
        );
        let was = old.map_or(String::new(), |p| format!(", was {}", fmt_num(p)));
        Ok(format!(
            "{}: {} of {} in {}{was}; final {}\n",
            s.name,
            fmt_num(points),
            fmt_num(a.max_points),
            a.name,
            text::one_decimal(course.final_grade(s))
        ))
    })
}

/// The last command of a batch, or the command itself.
fn last_of(cmd: &Command) -> &Command {
    match cmd {
        Command::Batch(cmds) => cmds.last().map_or(cmd, last_of),
        other => other,
    }
}

/// Adds a course after the others and makes it the one last used.
fn add_course(ed: &mut Editor, course: crate::model::Course) -> Result<(), Failure> {
    let index = ed.book.courses.len();
    ed.execute(
        Command::InsertCourse {
            index,
            course: Box::new(course),
        },
        Utc::now(),
    )?;
    ed.book.current = Some(index);
    Ok(())
}

/// Opens the file as its one writer, makes a change, and saves before returning what the
/// change says about itself.
fn write(
    path: &std::path::Path,
    who: &str,
    change: impl FnOnce(&mut Editor) -> Result<String, Failure>,
) -> Result<String, Failure> {
    let (store, book) = Store::open(path, who)?;
    let mut editor = Editor::new(book?);
    let message = change(&mut editor)?;
    store.save(&editor.book)?;
    Ok(message)
}

fn parse_number(what: &str, text: &str) -> Result<f64, Failure> {
    Ok(crate::model::parse_number(what, text)?)
}

/// The course named, or else the one last used, or else the only one.
pub fn resolve_course(book: &Gradebook, name: Option<&str>) -> Result<usize, ModelError> {
    match name {
        Some(n) => book
            .find_course(n)
            .ok_or_else(|| ModelError::UnknownCourse(n.to_string())),
        None => match (book.current_course(), book.courses.len()) {
            (Some(c), _) => Ok(c),
            (None, 0) => Err(ModelError::NoCourse),
            (None, 1) => Ok(0),
            (None, _) => Err(ModelError::invalid(
                "there are several courses: choose one with --course",
            )),
        },
    }
}

/// The change that gives `student` `points` in an assessment of course `c`, adding the
/// student, and the default assessment in a course without one, as needed.
pub fn grade_command(
    book: &Gradebook,
    c: usize,
    student: &str,
    points: f64,
    assessment: Option<&str>,
) -> Result<Command, ModelError> {
    let course = &book.courses[c];
    let mut cmds = Vec::new();
    let a = match (assessment, course.assessments.len()) {
        (Some(name), _) => course
            .find_assessment(name)
            .ok_or_else(|| ModelError::UnknownAssessment(name.to_string()))?,
        (None, 0) => {
            cmds.push(Command::InsertAssessment {
                course: c,
                index: 0,
                assessment: crate::model::Assessment::named(DEFAULT_ASSESSMENT),
                grades: Vec::new(),
            });
            0
        }
        (None, 1) => 0,
        (None, _) => {
            let names: Vec<&str> = course.assessments.iter().map(|a| a.name.as_str()).collect();
            return Err(ModelError::invalid(format!(
                "the course has several assessments ({}): choose one with --assessment",
                names.join(", ")
            )));
        }
    };
    let s = match course.find_student(student) {
        Some(s) => s,
        None => {
            let index = course.students.len();
            let student = Student {
                name: student.to_string(),
                grades: Vec::new(),
            };
            let students = vec![student];
            cmds.push(Command::InsertStudents {
                course: c,
                index,
                students,
            });
            index
        }
    };
    cmds.push(Command::SetGrade(GradeEntry {
        course: c,
        student: s,
        assessment: a,
        points: Some(points),
    }));
    Ok(if cmds.len() == 1 {
        cmds.remove(0)
    } else {
        Command::Batch(cmds)
    })
}

fn list_courses(book: &Gradebook, out: &mut dyn std::io::Write) -> Result<(), Failure> {
    let current = book.current_course();
    let rows: Vec<Vec<String>> = book
        .courses
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                if Some(i) == current {
                    "*".into()
                } else {
                    " ".into()
                },
                c.name.clone(),
                text::count(c.students.len(), "student"),
                text::count(c.assessments.len(), "assessment"),
                format!("updated {}", text::local_time(c.last_updated)),
            ]
        })
        .collect();
    if rows.is_empty() {
        return emit(
            out,
            "No courses yet. Add one with `gradebook course add NAME` or `gradebook sample`.\n",
        );
    }
    emit(
        out,
        &text::table(&[], &rows, &[false, false, true, true, false]),
    )
}

fn list_assessments(
    course: &crate::model::Course,
    out: &mut dyn std::io::Write,
) -> Result<(), Failure> {
    if course.assessments.is_empty() {
        return emit(
            out,
            "No assessments yet. Add one with `gradebook assessment add NAME`.\n",
        );
    }
    let rows: Vec<Vec<String>> = course
        .assessments
        .iter()
        .map(|a| {
            vec![
                a.name.clone(),
                format!("{}", a.weight),
                format!("{}", a.max_points),
            ]
        })
        .collect();
    emit(
        out,
        &text::table(
            &["Assessment", "Weight", "Max points"],
            &rows,
            &[false, true, true],
        ),
    )
}

/// Writes to stdout, turning a closed pipe into a quiet failure.
pub fn emit(out: &mut dyn std::io::Write, s: &str) -> Result<(), Failure> {
    out.write_all(s.as_bytes())
        .map_err(|e| Failure(format!("cannot write the output: {e}")))
}

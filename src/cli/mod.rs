//! The command line: clap definitions and the commands scripts use.

mod files;
mod predict;
mod report;

use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::{Parser, Subcommand};

use crate::error::{Error, ModelError};
use crate::model::{Command, Editor, Gradebook, fmt_num};
use crate::store::{self, Store};
use crate::text::{self, quote};

/// A keyboard-driven terminal gradebook for teachers. Without a command it opens the
/// interactive gradebook; the commands do the same work from scripts.
#[derive(Debug, Parser)]
#[command(name = "gradebook", version, about, long_about = None)]
pub struct Cli {
    /// The data file [env: GRADEBOOK_FILE] [default: <data dir>/gradebook.postcard]
    #[arg(long, global = true, value_name = "PATH")]
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

/// The data file the user chose, or the default one.
/// `--file`, else `GRADEBOOK_FILE` when set to something, else the default.
pub fn data_path(cli: &Cli) -> Result<PathBuf, Error> {
    let from_env = std::env::var_os(store::FILE_ENV).filter(|v| !v.is_empty());
    match (&cli.file, from_env) {
        (Some(p), _) => Ok(p.clone()),
        (None, Some(p)) => Ok(PathBuf::from(p)),
        (None, None) => Ok(store::default_path()?),
    }
}

/// Runs one command. The TUI (no command) is the binary's business. A command that
/// changes data says what it did in one line.
pub fn run(path: PathBuf, cmd: Cmd, out: &mut dyn std::io::Write) -> Result<(), Error> {
    let message = match cmd {
        Cmd::Course(cmd) => course_command(&path, cmd, out)?,
        Cmd::Assessment(cmd) => assessment_command(&path, cmd, out)?,
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
        Cmd::Report { course, json } => {
            read(&path, course.as_deref(), |c| report::print(c, json, out))?
        }
        Cmd::Sample => write(&path, "sample", |ed| {
            let course = crate::sample::course(Utc::now())?;
            let message = format!(
                "Added the tutorial's course {}: {} and {}\n",
                quote(&course.name),
                text::count(course.students.len(), "student"),
                text::count(course.study.len(), "study observation"),
            );
            ed.execute(ed.book().add_course(course), Utc::now())?;
            Ok(message)
        })?,
        Cmd::Train { course } => predict::train(&path, course.as_deref())?,
        Cmd::Predict {
            hours,
            course,
            json,
        } => read(&path, course.as_deref(), |c| {
            predict::print(c, &hours, json, out)
        })?,
        Cmd::Plot { output, course } => predict::plot(&path, &output, course.as_deref())?,
        Cmd::Import {
            kind,
            input,
            course,
        } => files::import(&path, kind.into(), &input, course.as_deref())?,
        Cmd::Export {
            kind,
            course,
            output,
        } => files::export(
            &path,
            kind.into(),
            course.as_deref(),
            output.as_deref(),
            out,
        )?,
    };
    // What was done, in words that may quote a name or a path: made safe for a terminal.
    emit(out, &text::clean(&message))
}

/// Runs `f` on a course of the file, read without a lock; prints nothing of its own.
fn read(
    path: &Path,
    course: Option<&str>,
    f: impl FnOnce(&crate::model::Course) -> Result<(), Error>,
) -> Result<String, Error> {
    let book = store::load(path)?;
    f(&book.courses[resolve_course(&book, course)?])?;
    Ok(String::new())
}

fn course_command(
    path: &Path,
    cmd: CourseCmd,
    out: &mut dyn std::io::Write,
) -> Result<String, Error> {
    match cmd {
        CourseCmd::List => {
            list_courses(&store::load(path)?, out)?;
            Ok(String::new())
        }
        CourseCmd::Add { name } => write(path, "course add", |ed| {
            let course = crate::model::Course::new(name, Utc::now());
            ed.execute(ed.book().add_course(course), Utc::now())?;
            let book = ed.book();
            let name = &book.courses[book.courses.len() - 1].name;
            Ok(format!(
                "Added course {}; commands now use it by default\n",
                quote(name)
            ))
        }),
        CourseCmd::Letters { a, b, c, d, course } => write(path, "course letters", |ed| {
            let course = resolve_course(ed.book(), course.as_deref())?;
            let thresholds = crate::model::Thresholds {
                a: parse_number("A", &a)?,
                b: parse_number("B", &b)?,
                c: parse_number("C", &c)?,
                d: parse_number("D", &d)?,
            };
            let cmd = Command::SetThresholds { course, thresholds };
            ed.execute(ed.book().in_course(course, cmd), Utc::now())?;
            let t = thresholds;
            Ok(format!(
                "Letters of {}: A from {}, B from {}, C from {}, D from {}, F below\n",
                quote(&ed.book().courses[course].name),
                fmt_num(t.a),
                fmt_num(t.b),
                fmt_num(t.c),
                fmt_num(t.d)
            ))
        }),
        CourseCmd::Rename { old, new } => write(path, "course rename", |ed| {
            let course = resolve_course(ed.book(), Some(&old))?;
            let before = ed.book().courses[course].name.clone();
            ed.execute(Command::RenameCourse { course, name: new }, Utc::now())?;
            Ok(format!(
                "Renamed course {} to {}\n",
                quote(&before),
                quote(&ed.book().courses[course].name)
            ))
        }),
        CourseCmd::Delete { name, yes } => write(path, "course delete", |ed| {
            let index = resolve_course(ed.book(), Some(&name))?;
            let c = &ed.book().courses[index];
            let (name, students) = (c.name.clone(), c.students.len());
            if !yes {
                return Err(Error::Refused(format!(
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

fn assessment_command(
    path: &Path,
    cmd: AssessmentCmd,
    out: &mut dyn std::io::Write,
) -> Result<String, Error> {
    let (name, weight, max_points, course) = match cmd {
        AssessmentCmd::List { course } => {
            return read(path, course.as_deref(), |c| list_assessments(c, out));
        }
        AssessmentCmd::Add {
            name,
            weight,
            max_points,
            course,
        } => (name, weight, max_points, course),
    };
    write(path, "assessment add", |ed| {
        let assessment = crate::model::Assessment {
            name,
            weight: parse_number("weight", &weight)?,
            max_points: parse_number("max points", &max_points)?,
        };
        let c = resolve_course(ed.book(), course.as_deref())?;
        let index = ed.book().courses[c].assessments.len();
        let cmd = Command::InsertAssessment {
            course: c,
            index,
            assessment,
            grades: Vec::new(),
        };
        ed.execute(ed.book().in_course(c, cmd), Utc::now())?;
        let course = &ed.book().courses[c];
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
    path: &Path,
    student: &str,
    points: &str,
    assessment: Option<&str>,
    course: Option<&str>,
) -> Result<String, Error> {
    write(path, "grade", |ed| {
        let points = parse_number("points", points)?;
        let c = resolve_course(ed.book(), course)?;
        let (cmd, entry) = ed
            .book()
            .grade_by_name(c, student, Some(points), assessment)?;
        let old = ed.book().courses[c]
            .students
            .get(entry.student)
            .and_then(|s| s.grades[entry.assessment]);
        ed.execute(ed.book().in_course(c, cmd), Utc::now())?;
        let course = &ed.book().courses[c];
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

/// Opens the file as its one writer, makes a change, and saves before returning what the
/// change says about itself.
fn write(
    path: &Path,
    who: &str,
    change: impl FnOnce(&mut Editor) -> Result<String, Error>,
) -> Result<String, Error> {
    let (store, book) = Store::open(path, who)?;
    let mut editor = Editor::new(book?);
    let message = change(&mut editor)?;
    store.save(editor.book())?;
    Ok(message)
}

fn parse_number(what: &str, text: &str) -> Result<f64, Error> {
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

fn list_courses(book: &Gradebook, out: &mut dyn std::io::Write) -> Result<(), Error> {
    let current = book.current_course();
    let rows: Vec<Vec<String>> = book
        .courses
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                if Some(i) == current { "*" } else { " " }.into(),
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
) -> Result<(), Error> {
    if course.assessments.is_empty() {
        return emit(
            out,
            "No assessments yet. Add one with `gradebook assessment add NAME`.\n",
        );
    }
    let rows: Vec<Vec<String>> = course
        .assessments
        .iter()
        .map(|a| vec![a.name.clone(), fmt_num(a.weight), fmt_num(a.max_points)])
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
pub fn emit(out: &mut dyn std::io::Write, s: &str) -> Result<(), Error> {
    out.write_all(s.as_bytes()).map_err(Error::Output)
}

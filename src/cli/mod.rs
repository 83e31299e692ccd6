//! The command line: clap definitions and the commands scripts use.

mod courses;
mod files;
mod history;
mod lms;
mod predict;
mod progress;
mod report;
mod students;
mod syllabus;

use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::{Parser, Subcommand};

use crate::error::{Error, ModelError};
use crate::model::{Editor, Gradebook};
use crate::store::{self, Store};
use crate::text::{self, quote};

pub use syllabus::{AssessmentFlags, CategoryCmd};

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
    /// Add, list, rename or delete courses; set their letters and late policy
    #[command(subcommand)]
    Course(CourseCmd),
    /// Add, list, edit or delete the categories of a course (Homework 20%, drop 2...)
    #[command(subcommand)]
    Category(CategoryCmd),
    /// Add, list or edit the assessments (quiz, exam...) of a course
    #[command(subcommand)]
    Assessment(AssessmentCmd),
    /// Add, edit, list, withdraw, reinstate or delete students (id, e-mail, section, note)
    #[command(subcommand)]
    Student(students::StudentCmd),
    /// Enter or replace a student's grade (the student is added if new)
    Grade {
        student: String,
        /// Points (0 to twice the max points: above max is bonus), EX (excused) or M
        /// (missing, counts 0)
        #[arg(allow_negative_numbers = true)]
        points: String,
        /// The assessment [default: the course's only one, created as "Grade" if none]
        #[arg(long, short)]
        assessment: Option<String>,
        /// Days late (the course's late policy takes its points); 0 clears
        #[arg(long)]
        late: Option<String>,
        /// A comment on the cell (at most 500 characters); "" removes it
        #[arg(long)]
        comment: Option<String>,
        /// The course [default: the course last used]
        #[arg(long, short)]
        course: Option<String>,
    },
    /// Add points to every graded cell of an assessment (capped at twice its max points)
    Curve {
        assessment: String,
        /// Points to add (negative to take away)
        #[arg(long, allow_negative_numbers = true)]
        add: String,
        #[arg(long, short)]
        course: Option<String>,
        /// Print the students whose letter would change, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the class report (categories, final grades, ranks, statistics, top student),
    /// or a student's page (--student), or every student's page to a folder (--students)
    Report {
        #[arg(long, short)]
        course: Option<String>,
        /// Print one JSON object instead of a table
        #[arg(long, conflicts_with_all = ["student", "students", "format"])]
        json: bool,
        /// A student's page (by name or id): grades by category, marks, comments, final,
        /// score needed, chart, history
        #[arg(long, conflicts_with = "students")]
        student: Option<String>,
        /// Every student's page, written to the folder -o names, with an index
        #[arg(long, requires = "output")]
        students: bool,
        /// The page's format [default: text]
        #[arg(long, value_enum)]
        format: Option<PageFormat>,
        /// Write to this file (a page) or folder (--students) instead of standard output
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
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
    /// Import grades, study data, a whole gradebook, or an LMS export (Canvas, Moodle,
    /// Google Classroom); all of the file or nothing
    Import {
        kind: Kind,
        /// The file to read
        #[arg(value_name = "FILE")]
        input: PathBuf,
        /// The course to import into (grades, study, lms) [default: the course last used]
        #[arg(long, short, conflicts_with = "new_course")]
        course: Option<String>,
        /// lms: which system made the file [default: recognised from its header]
        #[arg(long, value_enum)]
        from: Option<crate::interop::lms::System>,
        /// lms: into a new course, named after the file unless a name is given
        #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "")]
        new_course: Option<String>,
        /// lms: max points of assessments new to the course when the file gives none
        /// (Moodle) [default: 100]
        #[arg(long)]
        max_points: Option<String>,
        /// lms: print what would change (students added and matched, grades set), and
        /// change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Export grades or study data as CSV, or the whole gradebook as JSON
    Export {
        kind: Kind,
        #[arg(long, short)]
        course: Option<String>,
        /// With json: include every history entry with its hash (import json reads it back)
        #[arg(long)]
        with_history: bool,
        /// With lms: the system the file is for
        #[arg(long, value_enum, required_if_eq("kind", "lms"))]
        to: Option<crate::interop::lms::System>,
        /// Write to this file instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Check the file: recompute the history's hash chain and the data file's consistency;
    /// exit 1 naming the first break
    Verify,
    /// Print the history of changes, oldest first (times in UTC)
    Log {
        /// Only this student's grades and the changes naming them (a name or an id)
        #[arg(long)]
        student: Option<String>,
        /// Only this assessment's grades and the changes naming it
        #[arg(long, short)]
        assessment: Option<String>,
        /// Only this course
        #[arg(long, short)]
        course: Option<String>,
        /// Only from this date: YYYY-MM-DD (UTC) or RFC 3339
        #[arg(long)]
        since: Option<String>,
        /// Print one JSON array instead of lines
        #[arg(long)]
        json: bool,
    },
    /// Undo the newest change, whichever front end made it (the last 1000 are kept)
    Undo,
    /// Redo the newest undone change
    Redo,
    /// Draw the study-hours chart (points, fitted line, 95% band) to an image
    Plot {
        /// The image file: .svg or .png
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        #[arg(long, short)]
        course: Option<String>,
    },
}

/// How a student's page is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PageFormat {
    Text,
    Markdown,
    Html,
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
    /// An LMS gradebook export: Canvas, Moodle or Google Classroom (import recognises
    /// which; export needs --to)
    Lms,
}

impl From<Kind> for crate::interop::files::Kind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Grades => Self::Grades,
            Kind::Study => Self::Study,
            Kind::Json => Self::Json,
            // Handled by `lms` before any conversion.
            Kind::Lms => Self::Json,
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
    /// Set the letters: a preset (--scheme default|plus-minus), four lowest percents for A,
    /// B, C and D, or any list like `A=95 B=85 C=75 D=65 F=0`
    Letters {
        /// The letters and their lowest percents
        #[arg(allow_negative_numbers = true)]
        letters: Vec<String>,
        /// A preset: default (A 90, B 80, C 70, D 60, F) or plus-minus (A+ 97 ... D− 60, F)
        #[arg(long)]
        scheme: Option<String>,
        #[arg(long, short)]
        course: Option<String>,
        /// Print the students whose letter would change, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Set the late policy: percent of the max points lost a day, and at most in all
    LatePolicy {
        /// Percent lost a day late
        #[arg(required_unless_present = "none")]
        per_day: Option<String>,
        /// Most percent lost in all
        #[arg(required_unless_present = "none")]
        max: Option<String>,
        /// No late policy: late work loses nothing
        #[arg(long, conflicts_with_all = ["per_day", "max"])]
        none: bool,
        #[arg(long, short)]
        course: Option<String>,
        /// Print the students whose letter would change, and change nothing
        #[arg(long)]
        dry_run: bool,
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
        /// Relative weight within its category
        #[arg(long, short, default_value = "1", allow_negative_numbers = true)]
        weight: String,
        /// Points for a perfect result
        #[arg(long, short, default_value = "100", allow_negative_numbers = true)]
        max_points: String,
        #[command(flatten)]
        flags: AssessmentFlags,
        #[arg(long, short)]
        course: Option<String>,
    },
    /// Change an assessment: name, weight, max points, category, flags
    Edit {
        name: String,
        /// A new name
        #[arg(long)]
        rename: Option<String>,
        #[arg(long, short, allow_negative_numbers = true)]
        weight: Option<String>,
        #[arg(long, short, allow_negative_numbers = true)]
        max_points: Option<String>,
        #[command(flatten)]
        flags: AssessmentFlags,
        #[arg(long, short)]
        course: Option<String>,
        /// Print the students whose letter would change, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// List the assessments with their categories, weights, max points and flags
    List {
        #[arg(long, short)]
        course: Option<String>,
    },
}

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
        Cmd::Course(cmd) => courses::course_command(&path, cmd, out)?,
        Cmd::Category(cmd) => syllabus::category_command(&path, cmd, out)?,
        Cmd::Assessment(cmd) => courses::assessment_command(&path, cmd, out)?,
        Cmd::Student(cmd) => students::student_command(&path, cmd, out)?,
        Cmd::Grade {
            student,
            points,
            assessment,
            late,
            comment,
            course,
        } => courses::grade(
            &path,
            &student,
            &points,
            courses::GradeOptions {
                assessment: assessment.as_deref(),
                late: late.as_deref(),
                comment: comment.as_deref(),
                course: course.as_deref(),
            },
        )?,
        Cmd::Curve {
            assessment,
            add,
            course,
            dry_run,
        } => syllabus::curve(&path, &assessment, &add, course.as_deref(), dry_run)?,
        Cmd::Report {
            course,
            json,
            student: None,
            students: false,
            format: None,
            output: None,
        } => read(&path, course.as_deref(), |c| report::print(c, json, out))?,
        Cmd::Report {
            course,
            student,
            format,
            output,
            ..
        } => report::pages(
            &path,
            course.as_deref(),
            student.as_deref(),
            format.unwrap_or(PageFormat::Text),
            output.as_deref(),
            out,
        )?,
        Cmd::Sample => sample(&path)?,
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
            kind: Kind::Lms,
            input,
            course,
            from,
            new_course,
            max_points,
            dry_run,
        } => lms::import(
            &path,
            &input,
            lms::ImportOptions {
                course: course.as_deref(),
                from,
                new_course: new_course.as_deref(),
                max_points: max_points.as_deref(),
                dry_run,
            },
        )?,
        Cmd::Import {
            kind,
            input,
            course,
            from,
            new_course,
            max_points,
            dry_run,
        } => {
            if from.is_some() || new_course.is_some() || max_points.is_some() || dry_run {
                return Err(Error::Refused(
                    "--from, --new-course, --max-points and --dry-run go with import lms".into(),
                ));
            }
            files::import(&path, kind.into(), &input, course.as_deref())?
        }
        Cmd::Export {
            kind: Kind::Lms,
            course,
            to,
            output,
            ..
        } => lms::export(&path, course.as_deref(), to, output.as_deref(), out)?,
        Cmd::Export {
            kind,
            course,
            with_history,
            output,
            ..
        } => files::export(
            &path,
            kind.into(),
            course.as_deref(),
            with_history,
            output.as_deref(),
            out,
        )?,
        Cmd::Verify => history::verify(&path, out)?,
        Cmd::Log {
            student,
            assessment,
            course,
            since,
            json,
        } => history::log(
            &path,
            history::LogFilter {
                student: student.as_deref(),
                assessment: assessment.as_deref(),
                course: course.as_deref(),
                since: since.as_deref(),
            },
            json,
            out,
        )?,
        Cmd::Undo => history::undo(&path, false)?,
        Cmd::Redo => history::undo(&path, true)?,
    };
    // What was done, in words that may quote a name or a path: made safe for a terminal.
    emit(out, &text::clean(&message))
}

fn sample(path: &Path) -> Result<String, Error> {
    write(path, "sample", |ed| {
        let course = crate::sample::course(Utc::now())?;
        let message = format!(
            "Added the tutorial's course {}: {} and {}\n",
            quote(&course.name),
            text::count(course.students.len(), "student"),
            text::count(course.study.len(), "study observation"),
        );
        ed.execute(ed.book().add_course(course), Utc::now())?;
        Ok(message)
    })
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

/// Opens the file as its one writer, makes a change, and saves before returning what the
/// change says about itself.
fn write(
    path: &Path,
    who: &str,
    change: impl FnOnce(&mut Editor) -> Result<String, Error>,
) -> Result<String, Error> {
    let (store, opened) = Store::open_saved(path, who)?;
    let opened = opened?;
    let mut editor = Editor::from_saved(opened.saved);
    let mut message = String::new();
    if let Some(why) = opened.history_lost {
        editor.restart_history(why.clone(), Utc::now());
        message = format!("Note: {why}\n");
    }
    if let Some(kept) = opened.history_kept {
        message.push_str(&format!("Note: {kept}\n"));
    }
    match change(&mut editor) {
        Ok(said) => message.push_str(&said),
        Err(e) => {
            // What opening the file did (history kept aside or restarted) is said even
            // when the command itself is refused: it happened.
            eprint!("{message}");
            return Err(e);
        }
    }
    store.save_editor(&mut editor)?;
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

/// Writes to stdout, turning a closed pipe into a quiet failure.
pub fn emit(out: &mut dyn std::io::Write, s: &str) -> Result<(), Error> {
    out.write_all(s.as_bytes()).map_err(Error::Output)
}

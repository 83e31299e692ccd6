//! `gradebook course`, `assessment` and `grade`.

use std::path::Path;

use chrono::Utc;

use super::syllabus::{self, AssessmentFlags};
use super::{AssessmentCmd, CourseCmd, emit, parse_number, read, resolve_course, write};
use crate::error::Error;
use crate::model::{Assessment, Command, Gradebook, Mark, fmt_num};
use crate::store;
use crate::text::{self, quote};

pub fn course_command(
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
        CourseCmd::Letters {
            letters,
            scheme,
            course,
            dry_run,
        } => syllabus::letters(
            path,
            &letters,
            scheme.as_deref(),
            course.as_deref(),
            dry_run,
        ),
        CourseCmd::LatePolicy {
            per_day,
            max,
            none,
            course,
            dry_run,
        } => {
            let policy = if none { None } else { per_day.zip(max) };
            syllabus::late_policy(path, policy, course.as_deref(), dry_run)
        }
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
        CourseCmd::Delete { name, yes } => delete_course(path, &name, yes),
    }
}

fn delete_course(path: &Path, name: &str, yes: bool) -> Result<String, Error> {
    write(path, "course delete", |ed| {
        let index = resolve_course(ed.book(), Some(name))?;
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
    })
}

pub fn assessment_command(
    path: &Path,
    cmd: AssessmentCmd,
    out: &mut dyn std::io::Write,
) -> Result<String, Error> {
    match cmd {
        AssessmentCmd::List { course } => {
            read(path, course.as_deref(), |c| list_assessments(c, out))
        }
        AssessmentCmd::Add {
            name,
            weight,
            max_points,
            flags,
            course,
        } => add_assessment(path, name, &weight, &max_points, flags, course.as_deref()),
        AssessmentCmd::Edit {
            name,
            rename,
            weight,
            max_points,
            flags,
            course,
            dry_run,
        } => syllabus::edit_assessment(
            path,
            &name,
            syllabus::AssessmentEdit {
                rename,
                weight,
                max_points,
                flags,
            },
            course.as_deref(),
            dry_run,
        ),
    }
}

fn add_assessment(
    path: &Path,
    name: String,
    weight: &str,
    max_points: &str,
    flags: AssessmentFlags,
    course: Option<&str>,
) -> Result<String, Error> {
    write(path, "assessment add", |ed| {
        let c = resolve_course(ed.book(), course)?;
        let mut assessment = Assessment {
            weight: parse_number("weight", weight)?,
            max_points: parse_number("max points", max_points)?,
            ..Assessment::named(name)
        };
        flags.apply(&ed.book().courses[c], &mut assessment)?;
        let index = ed.book().courses[c].assessments.len();
        let cmd = Command::InsertAssessment {
            course: c,
            index,
            assessment,
            cells: Vec::new(),
        };
        ed.execute(ed.book().in_course(c, cmd), Utc::now())?;
        let course = &ed.book().courses[c];
        let a = &course.assessments[index];
        Ok(format!(
            "Added assessment {} to {} (category {}, weight {}, {} points{})\n",
            quote(&a.name),
            quote(&course.name),
            course.categories[a.category].name,
            fmt_num(a.weight),
            fmt_num(a.max_points),
            syllabus::flag_words(a)
        ))
    })
}

/// What `gradebook grade` may say beside the student and the points.
pub struct GradeOptions<'a> {
    pub assessment: Option<&'a str>,
    pub late: Option<&'a str>,
    pub comment: Option<&'a str>,
    pub course: Option<&'a str>,
}

pub fn grade(
    path: &Path,
    student: &str,
    points: &str,
    options: GradeOptions,
) -> Result<String, Error> {
    write(path, "grade", |ed| {
        let mark = Mark::parse(points)?;
        let c = resolve_course(ed.book(), options.course)?;
        let book = ed.book();
        // Late days and the comment stay as they are unless given.
        let old = book.courses[c]
            .lookup_student(student)?
            .zip(find_assessment(book, c, options.assessment))
            .map(|(s, a)| book.courses[c].students.at(s).cell(a))
            .unwrap_or_default();
        let mut cell = old.with_mark(mark);
        if let Some(late) = options.late {
            cell.late_days = parse_days(late)?;
        }
        if let Some(comment) = options.comment {
            cell.comment = (!comment.trim().is_empty()).then(|| comment.to_string());
        }
        let (cmd, entry) = book.grade_by_name(c, student, cell, options.assessment)?;
        ed.execute(ed.book().in_course(c, cmd), Utc::now())?;
        let course = &ed.book().courses[c];
        let s = course.students.at(entry.student);
        let a = &course.assessments[entry.assessment];
        let was = match old.mark {
            Mark::Empty => String::new(),
            m => format!(", was {}", m.text()),
        };
        let cell = s.cell(entry.assessment);
        let value = match cell.mark {
            Mark::Points(p) => {
                let words = crate::model::cell_words(&cell);
                let bonus = if p > a.max_points { " with bonus" } else { "" };
                words.replacen(
                    &fmt_num(p),
                    &format!("{} of {}{bonus}", fmt_num(p), fmt_num(a.max_points)),
                    1,
                )
            }
            _ => crate::model::cell_words(&cell),
        };
        Ok(format!(
            "{}: {value} in {}{was}; final {}\n",
            s.name,
            a.name,
            text::two_decimals(course.final_grade(s))
        ))
    })
}

/// The assessment a grade goes to, if it exists yet.
fn find_assessment(book: &Gradebook, c: usize, name: Option<&str>) -> Option<usize> {
    let course = &book.courses[c];
    match name {
        Some(n) => course.find_assessment(n),
        None => (course.assessments.len() == 1).then_some(0),
    }
}

fn parse_days(text: &str) -> Result<u32, Error> {
    text.trim().parse::<u32>().map_err(|_| {
        Error::Refused(format!(
            "late days are a whole number from 0 to {}, not {}",
            crate::model::MAX_LATE_DAYS,
            quote(text.trim())
        ))
    })
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
        .map(|a| {
            vec![
                a.name.clone(),
                course.categories[a.category].name.clone(),
                fmt_num(a.weight),
                fmt_num(a.max_points),
                syllabus::flag_words(a).trim_start_matches(", ").to_string(),
            ]
        })
        .collect();
    emit(
        out,
        &text::table(
            &["Assessment", "Category", "Weight", "Max points", ""],
            &rows,
            &[false, false, true, true, false],
        ),
    )
}

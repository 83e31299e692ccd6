//! Changes both front ends make alike, and what a change is in words. The command line and
//! the interactive gradebook build their commands here, so that a rule such as "the first
//! grade of a course creates its `Grade` assessment" lives in one place.

use super::{
    Assessment, Command, Course, DEFAULT_ASSESSMENT, GradeEntry, Gradebook, Student, fmt_num,
};
use crate::error::ModelError;
use crate::text::{count, quote};

impl Gradebook {
    /// Adds `course` after the others and makes it the one last used, as one change.
    pub fn add_course(&self, course: Course) -> Command {
        let index = self.courses.len();
        Command::Batch(vec![
            Command::InsertCourse {
                index,
                course: Box::new(course),
            },
            Command::SelectCourse {
                course: Some(index),
            },
        ])
    }

    /// `cmd`, made in course `c`, which becomes the course last used with it (the command
    /// line's rule: `--course` defaults to the course last used).
    pub fn in_course(&self, c: usize, cmd: Command) -> Command {
        if self.current == Some(c) {
            return cmd;
        }
        Command::Batch(vec![cmd, Command::SelectCourse { course: Some(c) }])
    }

    /// The change that sets `entry`. In a course without assessments, assessment 0 is the
    /// `Grade` assessment, created by the same change (one undo step).
    pub fn grade(&self, entry: GradeEntry) -> Result<Command, ModelError> {
        let course = self
            .courses
            .get(entry.course)
            .ok_or(ModelError::Gone("course"))?;
        if !course.assessments.is_empty() || entry.assessment != 0 {
            return Ok(Command::SetGrade(entry));
        }
        let create = Command::InsertAssessment {
            course: entry.course,
            index: 0,
            assessment: Assessment::named(DEFAULT_ASSESSMENT),
            grades: Vec::new(),
        };
        Ok(Command::Batch(vec![create, Command::SetGrade(entry)]))
    }

    /// The change that gives the student named `student` `points` in an assessment of
    /// course `c`, adding the student if new, and the `Grade` assessment in a course
    /// without one. With several assessments, `assessment` must say which. Returns the
    /// command and the grade it sets.
    pub fn grade_by_name(
        &self,
        c: usize,
        student: &str,
        points: Option<f64>,
        assessment: Option<&str>,
    ) -> Result<(Command, GradeEntry), ModelError> {
        let course = self.courses.get(c).ok_or(ModelError::Gone("course"))?;
        let a = match (assessment, course.assessments.len()) {
            (Some(name), _) => course
                .find_assessment(name)
                .ok_or_else(|| ModelError::UnknownAssessment(name.to_string()))?,
            (None, 0 | 1) => 0,
            (None, _) => {
                let names: Vec<&str> = course.assessments.iter().map(|a| a.name.as_str()).collect();
                return Err(ModelError::invalid(format!(
                    "the course has several assessments ({}): choose one with --assessment",
                    names.join(", ")
                )));
            }
        };
        let mut cmds = Vec::new();
        let s = match course.find_student(student) {
            Some(s) => s,
            None => {
                let index = course.students.len();
                cmds.push(Command::InsertStudents {
                    course: c,
                    index,
                    students: vec![Student {
                        name: student.to_string(),
                        grades: Vec::new(),
                    }],
                });
                index
            }
        };
        let entry = GradeEntry {
            course: c,
            student: s,
            assessment: a,
            points,
        };
        cmds.push(self.grade(entry)?);
        let cmd = if cmds.len() == 1 {
            cmds.remove(0)
        } else {
            Command::Batch(cmds)
        };
        Ok((cmd, entry))
    }

    /// Whether applying `cmd` would change anything. Entering a grade a student already
    /// has, or keeping a name as it is, changes nothing, and makes no undo step.
    pub fn changes(&self, cmd: &Command) -> bool {
        use Command::*;
        let course = |c: &usize| self.courses.get(*c);
        match cmd {
            SetGrade(e) => course(&e.course)
                .and_then(|c| c.students.get(e.student))
                .and_then(|s| s.grades.get(e.assessment))
                .is_none_or(|old| *old != e.points),
            RenameCourse { course: c, name } => course(c).is_none_or(|c| c.name != *name),
            RenameStudent {
                course: c,
                student,
                name,
            } => course(c)
                .and_then(|c| c.students.get(*student))
                .is_none_or(|s| s.name != *name),
            EditAssessment {
                course: c,
                index,
                assessment,
            } => course(c)
                .and_then(|c| c.assessments.get(*index))
                .is_none_or(|a| a != assessment),
            SetThresholds {
                course: c,
                thresholds,
            } => course(c).is_none_or(|c| c.thresholds != *thresholds),
            SelectCourse { course } => self.current != *course,
            Batch(cmds) => cmds.iter().any(|c| self.changes(c)),
            _ => true,
        }
    }
}

impl Command {
    /// The grade this command sets, when that is all it does.
    pub fn single_grade(&self) -> Option<&GradeEntry> {
        match self {
            Command::SetGrade(e) => Some(e),
            _ => None,
        }
    }

    /// The change in words, as `book` is before it: `Bob's Midterm 87 → 88`, `deleted
    /// student Bob`, `added 3 students`. For undo and redo messages.
    pub fn summary(&self, book: &Gradebook) -> String {
        use Command::*;
        let course = |c: &usize| book.courses.get(*c);
        let course_name = |c: &usize| course(c).map_or_else(String::new, |c| quote(&c.name));
        let student = |c: &usize, s: usize| {
            course(c)
                .and_then(|c| c.students.get(s))
                .map_or_else(String::new, |s| s.name.clone())
        };
        let assessment = |c: &usize, a: usize| {
            course(c)
                .and_then(|c| c.assessments.get(a))
                .map_or(DEFAULT_ASSESSMENT, |a| a.name.as_str())
                .to_string()
        };
        match self {
            InsertCourse { course, .. } => format!("added course {}", quote(&course.name)),
            RemoveCourse { index } => format!("deleted course {}", course_name(index)),
            RenameCourse { course, name } => {
                format!("renamed course {} to {}", course_name(course), quote(name))
            }
            SelectCourse { course: Some(c) } => format!("opened course {}", course_name(c)),
            SelectCourse { course: None } => "closed the course".into(),
            RenameStudent {
                course,
                student: s,
                name,
            } => format!("renamed {} to {name}", student(course, *s)),
            InsertStudents { students, .. } => match students.as_slice() {
                [one] => format!("added student {}", one.name),
                many => format!("added {}", count(many.len(), "student")),
            },
            RemoveStudents {
                course,
                index,
                count: n,
            } => match n {
                1 => format!("deleted student {}", student(course, *index)),
                n => format!("deleted {}", count(*n, "student")),
            },
            InsertAssessment { assessment, .. } => {
                format!("added assessment {}", quote(&assessment.name))
            }
            RemoveAssessment { course, index } => {
                format!("deleted assessment {}", quote(&assessment(course, *index)))
            }
            EditAssessment {
                course,
                index,
                assessment: new,
            } => format!(
                "changed assessment {} (weight {}, {} points)",
                quote(&assessment(course, *index)),
                fmt_num(new.weight),
                fmt_num(new.max_points)
            ),
            SetGrade(e) => {
                let old = course(&e.course)
                    .and_then(|c| c.students.get(e.student))
                    .and_then(|s| s.grades.get(e.assessment).copied().flatten());
                let show = |p: Option<f64>| p.map_or("–".to_string(), fmt_num);
                format!(
                    "{}'s {} {} → {}",
                    student(&e.course, e.student),
                    assessment(&e.course, e.assessment),
                    show(old),
                    show(e.points)
                )
            }
            SetThresholds { course, .. } => {
                format!("changed the letter thresholds of {}", course_name(course))
            }
            InsertObservations { observations, .. } => {
                format!("added {}", count(observations.len(), "observation"))
            }
            RemoveObservations { count: n, .. } => format!("deleted {}", count(*n, "observation")),
            SetModel { model: Some(_), .. } => "trained the model".into(),
            SetModel { model: None, .. } => "removed the trained model".into(),
            Batch(cmds) => batch_summary(cmds, book),
        }
    }
}

/// A batch in words: its one real change (a grade with the assessment it creates, a
/// course with its selection), or how many changes it makes.
fn batch_summary(cmds: &[Command], book: &Gradebook) -> String {
    let main: Vec<&Command> = cmds
        .iter()
        .filter(|c| {
            !matches!(
                c,
                Command::SelectCourse { .. } | Command::InsertAssessment { .. }
            )
        })
        .collect();
    match (main.as_slice(), cmds) {
        ([one], _) => one.summary(book),
        ([], [first, ..]) => first.summary(book),
        (many, _) => count(many.len(), "change"),
    }
}

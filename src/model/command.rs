//! Every change to a gradebook is a [`Command`]. [`Gradebook::apply`] validates it, makes it,
//! and returns the command that undoes it, so undo and redo are exact by construction.
//! Changes inside a course are made by the course (`course.rs`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::validate::{MAX_COURSES, check_count, check_name, check_stored_name};
use super::{
    Assessment, Category, Cell, Course, Gradebook, LatePolicy, LetterScheme, Observation, Profile,
    Student, find_duplicate, same_name,
};
use crate::error::ModelError;
use crate::predictor::TrainedModel;

/// One change. Positions are indices, valid in the state the command is applied to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    // Courses
    /// Insert a whole course (with its data) at `index`.
    InsertCourse {
        index: usize,
        course: Box<Course>,
    },
    RemoveCourse {
        index: usize,
    },
    RenameCourse {
        course: usize,
        name: String,
    },
    /// Make a course the one last used.
    SelectCourse {
        course: Option<usize>,
    },

    // The syllabus
    /// Insert a category at `index`; assessments of later categories follow it.
    InsertCategory {
        course: usize,
        index: usize,
        category: Category,
    },
    /// Remove a category that holds no assessment.
    RemoveCategory {
        course: usize,
        index: usize,
    },
    /// Replace name, weight, drop count and mode of a category.
    EditCategory {
        course: usize,
        index: usize,
        category: Category,
    },
    SetLetters {
        course: usize,
        letters: LetterScheme,
    },
    SetLatePolicy {
        course: usize,
        policy: Option<LatePolicy>,
    },

    // Students
    RenameStudent {
        course: usize,
        student: usize,
        name: String,
    },
    /// A student's id, e-mail, section, status and note, all at once.
    SetProfile {
        course: usize,
        student: usize,
        profile: Profile,
    },
    /// Insert students at `index`, each with one cell per assessment (or none, for empty
    /// cells).
    InsertStudents {
        course: usize,
        index: usize,
        students: Vec<Student>,
    },
    RemoveStudents {
        course: usize,
        index: usize,
        count: usize,
    },

    // Assessments
    /// Insert an assessment at `index` with one cell per student (`cells[s]`, or none for
    /// empty cells).
    InsertAssessment {
        course: usize,
        index: usize,
        assessment: Assessment,
        cells: Vec<Cell>,
    },
    RemoveAssessment {
        course: usize,
        index: usize,
    },
    /// Replace everything about an assessment: name, category, weight, max points, flags.
    EditAssessment {
        course: usize,
        index: usize,
        assessment: Assessment,
    },

    // Grades
    /// Set one cell: its mark, late days and comment.
    SetCell(CellEntry),

    // Study-hours predictor
    InsertObservations {
        course: usize,
        index: usize,
        observations: Vec<Observation>,
    },
    RemoveObservations {
        course: usize,
        index: usize,
        count: usize,
    },
    SetModel {
        course: usize,
        model: Option<Box<TrainedModel>>,
    },

    /// Several changes made, and undone, as one: all of them or none.
    Batch(Vec<Command>),
}

/// One cell of one student in one assessment, and what it should hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellEntry {
    pub course: usize,
    pub student: usize,
    pub assessment: usize,
    pub cell: Cell,
}

impl Command {
    /// The course whose content this command changes, whose `last_updated` it sets.
    /// Course inserts and removals carry their own; batches touch through their parts.
    /// The course this command changes, if it is one course.
    pub fn course_index(&self) -> Option<usize> {
        use Command::*;
        match self {
            InsertCourse { .. } | RemoveCourse { .. } | SelectCourse { .. } | Batch(_) => None,
            RenameCourse { course, .. }
            | InsertCategory { course, .. }
            | RemoveCategory { course, .. }
            | EditCategory { course, .. }
            | SetLetters { course, .. }
            | SetLatePolicy { course, .. }
            | RenameStudent { course, .. }
            | SetProfile { course, .. }
            | InsertAssessment { course, .. }
            | RemoveAssessment { course, .. }
            | EditAssessment { course, .. }
            | InsertStudents { course, .. }
            | RemoveStudents { course, .. }
            | InsertObservations { course, .. }
            | RemoveObservations { course, .. }
            | SetModel { course, .. }
            | SetCell(CellEntry { course, .. }) => Some(*course),
        }
    }
}

impl Gradebook {
    /// Validates and makes one change at time `now`, setting `last_updated` of the course it
    /// changes; returns the command that undoes its structure (the caller restores the
    /// times, see [`Gradebook::stamps`]). On error nothing has changed.
    pub fn apply(&mut self, cmd: Command, now: DateTime<Utc>) -> Result<Command, ModelError> {
        let stamps = self.stamps();
        let result = self.apply_inner(cmd, now);
        if result.is_err() {
            self.set_stamps(&stamps);
        }
        result
    }

    /// Every course's `last_updated`, in course order.
    pub fn stamps(&self) -> Vec<DateTime<Utc>> {
        self.courses.iter().map(|c| c.last_updated).collect()
    }

    /// Restores what [`Gradebook::stamps`] returned, for the same list of courses.
    pub fn set_stamps(&mut self, stamps: &[DateTime<Utc>]) {
        for (c, t) in self.courses.iter_mut().zip(stamps) {
            c.last_updated = *t;
        }
    }

    fn apply_inner(&mut self, cmd: Command, now: DateTime<Utc>) -> Result<Command, ModelError> {
        let touched = cmd.course_index();
        let inverse = self.apply_structure(cmd, now)?;
        if let Some(c) = touched.and_then(|c| self.courses.get_mut(c)) {
            c.last_updated = now;
        }
        Ok(inverse)
    }

    fn apply_structure(&mut self, cmd: Command, now: DateTime<Utc>) -> Result<Command, ModelError> {
        use Command::*;
        match cmd {
            InsertCourse { index, course } => self.insert_course(index, *course),
            RemoveCourse { index } => self.remove_course(index),
            RenameCourse { course, name } => {
                let name = check_name("course", &name)?;
                self.check_unique_course(&name, Some(course))?;
                let c = self.course_mut(course)?;
                let old = std::mem::replace(&mut c.name, name);
                Ok(RenameCourse { course, name: old })
            }
            SelectCourse { course } => {
                if let Some(i) = course {
                    self.course_ref(i)?;
                }
                let old = std::mem::replace(&mut self.current, course);
                Ok(SelectCourse { course: old })
            }
            Batch(cmds) => Ok(Batch(self.apply_all(cmds, now)?)),
            inside => {
                let c = inside.course_index().ok_or(ModelError::Gone("course"))?;
                self.course_mut(c)?.apply(c, inside)
            }
        }
    }

    /// Applies commands in order; on the first error undoes those already made.
    fn apply_all(
        &mut self,
        cmds: Vec<Command>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Command>, ModelError> {
        let mut undo = Vec::with_capacity(cmds.len());
        for cmd in cmds {
            match self.apply_inner(cmd, now) {
                Ok(inverse) => undo.push(inverse),
                Err(e) => {
                    for inverse in undo.into_iter().rev() {
                        // Invariant: an inverse applies to the state its command produced.
                        let _ = self.apply_inner(inverse, now);
                    }
                    return Err(e);
                }
            }
        }
        undo.reverse();
        Ok(undo)
    }

    fn course_ref(&self, i: usize) -> Result<&Course, ModelError> {
        self.courses.get(i).ok_or(ModelError::Gone("course"))
    }

    fn course_mut(&mut self, i: usize) -> Result<&mut Course, ModelError> {
        self.courses.get_mut(i).ok_or(ModelError::Gone("course"))
    }

    fn check_unique_course(&self, name: &str, except: Option<usize>) -> Result<(), ModelError> {
        match self
            .courses
            .iter()
            .enumerate()
            .find(|(_, c)| same_name(&c.name, name))
        {
            Some((i, _)) if Some(i) != except => Err(ModelError::Duplicate {
                what: "course",
                name: name.to_string(),
            }),
            _ => Ok(()),
        }
    }

    fn insert_course(&mut self, index: usize, mut course: Course) -> Result<Command, ModelError> {
        if index > self.courses.len() {
            return Err(ModelError::Gone("course"));
        }
        check_count(
            "courses in a gradebook",
            self.courses.len() + 1,
            MAX_COURSES,
        )?;
        course.name = check_name("course", &course.name)?;
        self.check_unique_course(&course.name, None)?;
        course.validate()?;
        self.courses.insert(index, course);
        // Keep "last used" pointing at the same course.
        if let Some(cur) = self.current.as_mut().filter(|c| **c >= index) {
            *cur += 1;
        }
        Ok(Command::RemoveCourse { index })
    }

    fn remove_course(&mut self, index: usize) -> Result<Command, ModelError> {
        if index >= self.courses.len() {
            return Err(ModelError::Gone("course"));
        }
        let course = self.courses.remove(index);
        let was_current = self.current;
        self.current = match self.current {
            Some(c) if c == index => None,
            Some(c) if c > index => Some(c - 1),
            other => other,
        };
        let insert = Command::InsertCourse {
            index,
            course: Box::new(course),
        };
        Ok(if was_current == Some(index) {
            Command::Batch(vec![
                insert,
                Command::SelectCourse {
                    course: Some(index),
                },
            ])
        } else {
            insert
        })
    }

    /// Checks every rule a loaded or imported gradebook must keep.
    pub fn validate(&self) -> Result<(), ModelError> {
        self.validate_vouched(&[])
    }

    /// [`Gradebook::validate`], trusting what a file reader vouched for of each course's
    /// roster as it read it (`vouched[i]` for course `i`; none for a course past the end).
    pub fn validate_vouched(&self, vouched: &[super::Vouched]) -> Result<(), ModelError> {
        check_count("courses in a gradebook", self.courses.len(), MAX_COURSES)?;
        let none = super::Vouched::default();
        for (i, c) in self.courses.iter().enumerate() {
            check_stored_name("course", &c.name)?;
            c.validate_vouched(vouched.get(i).unwrap_or(&none))?;
        }
        if let Some(name) = find_duplicate(self.courses.iter().map(|c| c.name.as_str())) {
            return Err(ModelError::Duplicate {
                what: "course",
                name: name.to_string(),
            });
        }
        if self.current.is_some_and(|c| c >= self.courses.len()) {
            return Err(ModelError::Gone("course"));
        }
        Ok(())
    }
}

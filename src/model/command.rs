//! Every change to a gradebook is a [`Command`]. [`Gradebook::apply`] validates it, makes it,
//! and returns the command that undoes it, so undo and redo are exact by construction.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::validate::{
    MAX_ASSESSMENTS, MAX_COURSES, MAX_OBSERVATIONS, MAX_STUDENTS, check_assessment_name,
    check_count, check_hours, check_name, check_points, check_positive, check_score,
    check_stored_name,
};
use super::{
    Assessment, Course, Gradebook, Observation, Student, Thresholds, find_duplicate, name_key,
    same_name,
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

    // Students
    RenameStudent {
        course: usize,
        student: usize,
        name: String,
    },

    /// Insert students at `index`, each with one grade slot per assessment (or none, for
    /// empty slots).
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
    /// Insert an assessment at `index` with one grade per student (`grades[s]`).
    InsertAssessment {
        course: usize,
        index: usize,
        assessment: Assessment,
        grades: Vec<Option<f64>>,
    },
    RemoveAssessment {
        course: usize,
        index: usize,
    },
    /// Replace name, weight and max points of an assessment.
    EditAssessment {
        course: usize,
        index: usize,
        assessment: Assessment,
    },

    // Grades
    /// Set (or clear, with `None`) the points of one student in one assessment.
    SetGrade(GradeEntry),
    SetThresholds {
        course: usize,
        thresholds: Thresholds,
    },

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

/// The points of one student in one assessment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GradeEntry {
    pub course: usize,
    pub student: usize,
    pub assessment: usize,
    pub points: Option<f64>,
}

impl Command {
    /// The course whose content this command changes, whose `last_updated` it sets.
    /// Course inserts and removals carry their own; batches touch through their parts.
    fn touched_course(&self) -> Option<usize> {
        use Command::*;
        match self {
            InsertCourse { .. } | RemoveCourse { .. } | SelectCourse { .. } | Batch(_) => None,
            RenameCourse { course, .. }
            | RenameStudent { course, .. }
            | InsertAssessment { course, .. }
            | RemoveAssessment { course, .. }
            | EditAssessment { course, .. }
            | SetThresholds { course, .. }
            | InsertStudents { course, .. }
            | RemoveStudents { course, .. }
            | InsertObservations { course, .. }
            | RemoveObservations { course, .. }
            | SetModel { course, .. }
            | SetGrade(GradeEntry { course, .. }) => Some(*course),
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
        let touched = cmd.touched_course();
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
                let c = inside.touched_course().ok_or(ModelError::Gone("course"))?;
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
        check_count("courses in a gradebook", self.courses.len(), MAX_COURSES)?;
        for c in &self.courses {
            check_stored_name("course", &c.name)?;
            c.validate()?;
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

/// Checks an observation, trimming the student's name.
fn check_observation(mut o: Observation) -> Result<Observation, ModelError> {
    check_hours(o.hours)?;
    check_score(o.score)?;
    if let Some(name) = &o.student {
        o.student = Some(check_name("student", name)?);
    }
    Ok(o)
}

fn check_thresholds(t: &Thresholds) -> Result<(), ModelError> {
    let ok = [t.a, t.b, t.c, t.d]
        .iter()
        .all(|x| x.is_finite() && (0.0..=100.0).contains(x))
        && t.a >= t.b
        && t.b >= t.c
        && t.c >= t.d;
    if ok {
        Ok(())
    } else {
        Err(ModelError::invalid(
            "letter thresholds must be from 0 to 100 with A ≥ B ≥ C ≥ D",
        ))
    }
}

impl Course {
    /// Makes a change inside this course (number `c` of the gradebook); returns its inverse.
    fn apply(&mut self, c: usize, cmd: Command) -> Result<Command, ModelError> {
        use Command::*;
        Ok(match cmd {
            RenameStudent { student, name, .. } => RenameStudent {
                course: c,
                student,
                name: self.rename_student(student, name)?,
            },
            InsertStudents {
                index, students, ..
            } => {
                let count = students.len();
                self.insert_students(index, students)?;
                RemoveStudents {
                    course: c,
                    index,
                    count,
                }
            }
            RemoveStudents { index, count, .. } => InsertStudents {
                course: c,
                index,
                students: self.remove_students(index, count)?,
            },
            InsertAssessment {
                index,
                assessment,
                grades,
                ..
            } => {
                self.insert_assessment(index, assessment, grades)?;
                RemoveAssessment { course: c, index }
            }
            RemoveAssessment { index, .. } => {
                let (assessment, grades) = self.remove_assessment(index)?;
                InsertAssessment {
                    course: c,
                    index,
                    assessment,
                    grades,
                }
            }
            EditAssessment {
                index, assessment, ..
            } => EditAssessment {
                course: c,
                index,
                assessment: self.edit_assessment(index, assessment)?,
            },
            SetGrade(entry) => SetGrade(self.set_grade(entry)?),
            SetThresholds { thresholds, .. } => {
                check_thresholds(&thresholds)?;
                SetThresholds {
                    course: c,
                    thresholds: std::mem::replace(&mut self.thresholds, thresholds),
                }
            }
            InsertObservations {
                index,
                observations,
                ..
            } => {
                let count = self.insert_observations(index, observations)?;
                RemoveObservations {
                    course: c,
                    index,
                    count,
                }
            }
            RemoveObservations { index, count, .. } => InsertObservations {
                course: c,
                index,
                observations: self.remove_observations(index, count)?,
            },
            SetModel { model, .. } => {
                if let Some(m) = &model {
                    super::validate::check_model(m, &self.study)?;
                }
                let old = std::mem::replace(&mut self.model, model.map(|m| *m));
                SetModel {
                    course: c,
                    model: old.map(Box::new),
                }
            }
            // Changes of the gradebook itself are made by the gradebook.
            _ => {
                return Err(ModelError::invalid(
                    "that change is not made inside a course",
                ));
            }
        })
    }

    fn rename_student(&mut self, student: usize, name: String) -> Result<String, ModelError> {
        let name = check_name("student", &name)?;
        self.check_unique_student(&name, Some(student))?;
        let s = self
            .students
            .get_mut(student)
            .ok_or(ModelError::Gone("student"))?;
        Ok(std::mem::replace(&mut s.name, name))
    }

    fn remove_students(&mut self, index: usize, count: usize) -> Result<Vec<Student>, ModelError> {
        let end = index
            .checked_add(count)
            .filter(|&e| e <= self.students.len());
        let end = end.ok_or(ModelError::Gone("student"))?;
        Ok(self.students.drain(index..end).collect())
    }

    fn remove_assessment(
        &mut self,
        index: usize,
    ) -> Result<(Assessment, Vec<Option<f64>>), ModelError> {
        if index >= self.assessments.len() {
            return Err(ModelError::Gone("assessment"));
        }
        let assessment = self.assessments.remove(index);
        let grades = self
            .students
            .iter_mut()
            .map(|s| s.grades.remove(index))
            .collect();
        Ok((assessment, grades))
    }

    fn insert_observations(
        &mut self,
        index: usize,
        observations: Vec<Observation>,
    ) -> Result<usize, ModelError> {
        if index > self.study.len() {
            return Err(ModelError::Gone("observation"));
        }
        check_count(
            "observations in a course",
            self.study.len() + observations.len(),
            MAX_OBSERVATIONS,
        )?;
        let observations = observations
            .into_iter()
            .map(check_observation)
            .collect::<Result<Vec<_>, _>>()?;
        let count = observations.len();
        self.study.insert_many(index, observations);
        Ok(count)
    }

    fn remove_observations(
        &mut self,
        index: usize,
        count: usize,
    ) -> Result<Vec<Observation>, ModelError> {
        let end = index.checked_add(count).filter(|&e| e <= self.study.len());
        let end = end.ok_or(ModelError::Gone("observation"))?;
        Ok(self.study.remove_many(index, end))
    }

    fn check_unique_student(&self, name: &str, except: Option<usize>) -> Result<(), ModelError> {
        match self.find_student(name) {
            Some(i) if Some(i) != except => Err(ModelError::Duplicate {
                what: "student",
                name: name.to_string(),
            }),
            _ => Ok(()),
        }
    }

    fn check_unique_assessment(&self, name: &str, except: Option<usize>) -> Result<(), ModelError> {
        match self.find_assessment(name) {
            Some(i) if Some(i) != except => Err(ModelError::Duplicate {
                what: "assessment",
                name: name.to_string(),
            }),
            _ => Ok(()),
        }
    }

    fn insert_students(
        &mut self,
        index: usize,
        mut students: Vec<Student>,
    ) -> Result<(), ModelError> {
        if index > self.students.len() {
            return Err(ModelError::Gone("student"));
        }
        check_count(
            "students in a course",
            self.students.len() + students.len(),
            MAX_STUDENTS,
        )?;
        let mut seen: std::collections::HashSet<String> =
            self.students.iter().map(|s| name_key(&s.name)).collect();
        for student in &mut students {
            student.name = check_name("student", &student.name)?;
            if !seen.insert(name_key(&student.name)) {
                return Err(ModelError::Duplicate {
                    what: "student",
                    name: student.name.clone(),
                });
            }
            if student.grades.is_empty() {
                student.grades = vec![None; self.assessments.len()];
            }
            self.check_student_grades(student)?;
        }
        self.students.splice(index..index, students);
        Ok(())
    }

    fn check_student_grades(&self, student: &Student) -> Result<(), ModelError> {
        if student.grades.len() != self.assessments.len() {
            return Err(ModelError::invalid(format!(
                "{} has {} grades for {} assessments",
                student.name,
                student.grades.len(),
                self.assessments.len()
            )));
        }
        for (a, g) in self.assessments.iter().zip(&student.grades) {
            if let Some(p) = g {
                check_points(*p, a.max_points, &a.name)?;
            }
        }
        Ok(())
    }

    fn check_assessment(
        &self,
        a: &Assessment,
        except: Option<usize>,
    ) -> Result<Assessment, ModelError> {
        let name = check_assessment_name(&a.name)?;
        self.check_unique_assessment(&name, except)?;
        check_positive("weight", a.weight)?;
        check_positive("max points", a.max_points)?;
        Ok(Assessment {
            name,
            weight: a.weight,
            max_points: a.max_points,
        })
    }

    fn insert_assessment(
        &mut self,
        index: usize,
        assessment: Assessment,
        grades: Vec<Option<f64>>,
    ) -> Result<(), ModelError> {
        if index > self.assessments.len() {
            return Err(ModelError::Gone("assessment"));
        }
        check_count(
            "assessments in a course",
            self.assessments.len() + 1,
            MAX_ASSESSMENTS,
        )?;
        let assessment = self.check_assessment(&assessment, None)?;
        let grades = if grades.is_empty() {
            vec![None; self.students.len()]
        } else {
            grades
        };
        if grades.len() != self.students.len() {
            return Err(ModelError::invalid("one grade per student is needed"));
        }
        for p in grades.iter().flatten() {
            check_points(*p, assessment.max_points, &assessment.name)?;
        }
        for (s, g) in self.students.iter_mut().zip(grades) {
            s.grades.insert(index, g);
        }
        self.assessments.insert(index, assessment);
        Ok(())
    }

    fn edit_assessment(&mut self, index: usize, new: Assessment) -> Result<Assessment, ModelError> {
        if index >= self.assessments.len() {
            return Err(ModelError::Gone("assessment"));
        }
        let new = self.check_assessment(&new, Some(index))?;
        if let Some(s) = self
            .students
            .iter()
            .find(|s| s.grades[index].is_some_and(|p| p > new.max_points))
        {
            return Err(ModelError::invalid(format!(
                "{} has more points than the new maximum of {}",
                s.name, new.max_points
            )));
        }
        Ok(std::mem::replace(&mut self.assessments[index], new))
    }

    fn set_grade(&mut self, e: super::GradeEntry) -> Result<super::GradeEntry, ModelError> {
        let a = self
            .assessments
            .get(e.assessment)
            .ok_or(ModelError::Gone("assessment"))?;
        if let Some(p) = e.points {
            check_points(p, a.max_points, &a.name)?;
        }
        let s = self
            .students
            .get_mut(e.student)
            .ok_or(ModelError::Gone("student"))?;
        let old = std::mem::replace(&mut s.grades[e.assessment], e.points);
        Ok(super::GradeEntry { points: old, ..e })
    }

    /// Checks every rule of a course as a whole (for loaded and imported data).
    pub fn validate(&self) -> Result<(), ModelError> {
        check_count(
            "assessments in a course",
            self.assessments.len(),
            MAX_ASSESSMENTS,
        )?;
        check_count("students in a course", self.students.len(), MAX_STUDENTS)?;
        check_count(
            "observations in a course",
            self.study.len(),
            MAX_OBSERVATIONS,
        )?;
        for a in &self.assessments {
            check_stored_name("assessment", &a.name)?;
            check_assessment_name(&a.name)?;
            check_positive("weight", a.weight)?;
            check_positive("max points", a.max_points)?;
        }
        if let Some(name) = find_duplicate(self.assessments.iter().map(|a| a.name.as_str())) {
            return Err(ModelError::Duplicate {
                what: "assessment",
                name: name.to_string(),
            });
        }
        for s in &self.students {
            check_stored_name("student", &s.name)?;
            self.check_student_grades(s)?;
        }
        if let Some(name) = find_duplicate(self.students.iter().map(|s| s.name.as_str())) {
            return Err(ModelError::Duplicate {
                what: "student",
                name: name.to_string(),
            });
        }
        for o in self.study.iter() {
            check_hours(o.hours)?;
            check_score(o.score)?;
            if let Some(name) = o.student {
                check_stored_name("student", name)?;
            }
        }
        if let Some(model) = &self.model {
            super::validate::check_model(model, &self.study)?;
        }
        check_thresholds(&self.thresholds)
    }
}

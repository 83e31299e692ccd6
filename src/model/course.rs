//! Changes inside a course, each returning its inverse, and the rules a course keeps.

use super::cell::MAX_LATE_DAYS;
use super::command::{CellEntry, Command};
use super::validate::{
    MAX_ASSESSMENTS, MAX_CATEGORIES, MAX_OBSERVATIONS, MAX_STUDENTS, check_assessment_name,
    check_category, check_comment, check_count, check_hours, check_late_policy, check_model,
    check_name, check_points, check_positive, check_score, check_stored_name,
};
use super::{
    Assessment, Category, Cell, Course, Mark, Observation, Profile, Student, StudentRef,
    check_profile, find_duplicate,
};
use crate::error::ModelError;

impl Course {
    /// Makes a change inside this course (number `c` of the gradebook); returns its inverse.
    pub(super) fn apply(&mut self, c: usize, cmd: Command) -> Result<Command, ModelError> {
        use Command::*;
        Ok(match cmd {
            InsertCategory {
                index, category, ..
            } => {
                self.insert_category(index, category)?;
                RemoveCategory { course: c, index }
            }
            RemoveCategory { index, .. } => InsertCategory {
                course: c,
                index,
                category: self.remove_category(index)?,
            },
            EditCategory {
                index, category, ..
            } => EditCategory {
                course: c,
                index,
                category: self.edit_category(index, category)?,
            },
            SetLetters { letters, .. } => {
                letters.check()?;
                SetLetters {
                    course: c,
                    letters: std::mem::replace(&mut self.letters, letters),
                }
            }
            SetLatePolicy { policy, .. } => {
                if let Some(p) = &policy {
                    check_late_policy(p)?;
                }
                SetLatePolicy {
                    course: c,
                    policy: std::mem::replace(&mut self.late_policy, policy),
                }
            }
            cmd => self.apply_roster(c, cmd)?,
        })
    }

    /// Students, assessments, cells, observations and the model.
    fn apply_roster(&mut self, c: usize, cmd: Command) -> Result<Command, ModelError> {
        use Command::*;
        Ok(match cmd {
            RenameStudent { student, name, .. } => RenameStudent {
                course: c,
                student,
                name: self.rename_student(student, name)?,
            },
            SetProfile {
                student, profile, ..
            } => SetProfile {
                course: c,
                student,
                profile: self.set_profile(student, profile)?,
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
                cells,
                ..
            } => {
                self.insert_assessment(index, assessment, cells)?;
                RemoveAssessment { course: c, index }
            }
            RemoveAssessment { index, .. } => {
                let (assessment, cells) = self.remove_assessment(index)?;
                InsertAssessment {
                    course: c,
                    index,
                    assessment,
                    cells,
                }
            }
            EditAssessment {
                index, assessment, ..
            } => EditAssessment {
                course: c,
                index,
                assessment: self.edit_assessment(index, assessment)?,
            },
            SetCell(entry) => SetCell(self.set_cell(entry)?),
            cmd => self.apply_study(c, cmd)?,
        })
    }

    fn apply_study(&mut self, c: usize, cmd: Command) -> Result<Command, ModelError> {
        use Command::*;
        Ok(match cmd {
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
                    check_model(m, &self.study)?;
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

    // ---- Categories ----

    fn check_unique_category(&self, name: &str, except: Option<usize>) -> Result<(), ModelError> {
        match self.find_category(name) {
            Some(i) if Some(i) != except => Err(ModelError::Duplicate {
                what: "category",
                name: name.to_string(),
            }),
            _ => Ok(()),
        }
    }

    fn insert_category(&mut self, index: usize, mut category: Category) -> Result<(), ModelError> {
        if index > self.categories.len() {
            return Err(ModelError::Gone("category"));
        }
        check_count(
            "categories in a course",
            self.categories.len() + 1,
            MAX_CATEGORIES,
        )?;
        category.name = check_name("category", &category.name)?;
        self.check_unique_category(&category.name, None)?;
        check_category(&category)?;
        self.categories.insert(index, category);
        for a in self.assessments.iter_mut().filter(|a| a.category >= index) {
            a.category += 1;
        }
        Ok(())
    }

    fn remove_category(&mut self, index: usize) -> Result<Category, ModelError> {
        let category = self
            .categories
            .get(index)
            .ok_or(ModelError::Gone("category"))?;
        let held = self.assessments_in(index).count();
        if held > 0 {
            return Err(ModelError::invalid(format!(
                "category {} holds {}: move them to another category first",
                crate::text::quote(&category.name),
                crate::text::count(held, "assessment")
            )));
        }
        if self.categories.len() == 1 {
            return Err(ModelError::invalid("a course keeps at least one category"));
        }
        let category = self.categories.remove(index);
        for a in self.assessments.iter_mut().filter(|a| a.category > index) {
            a.category -= 1;
        }
        Ok(category)
    }

    fn edit_category(&mut self, index: usize, mut new: Category) -> Result<Category, ModelError> {
        if index >= self.categories.len() {
            return Err(ModelError::Gone("category"));
        }
        new.name = check_name("category", &new.name)?;
        self.check_unique_category(&new.name, Some(index))?;
        check_category(&new)?;
        Ok(std::mem::replace(&mut self.categories[index], new))
    }

    /// Whether a teacher editing category `index` into `category` asks for more drops
    /// than it has items: dropping every item would leave nothing to grade. Asked by the
    /// front ends when the teacher sets drops; the model itself never drops the last item
    /// (so that undo can always restore what was), whatever the count says.
    /// A count left as it was is not asked again (assessments may have moved out since).
    pub fn check_drop(&self, index: usize, category: &Category) -> Result<(), ModelError> {
        let unchanged = self
            .categories
            .get(index)
            .is_some_and(|old| old.drop_lowest == category.drop_lowest);
        if unchanged {
            return Ok(());
        }
        let regular = self
            .assessments
            .iter()
            .filter(|a| a.category == index && !a.extra_credit)
            .count();
        if regular > 0 && category.drop_lowest as usize >= regular {
            return Err(ModelError::invalid(format!(
                "{} has {}: it can drop at most {}",
                category.name,
                crate::text::count(regular, "assessment"),
                regular - 1
            )));
        }
        Ok(())
    }

    // ---- Students ----

    /// Checks that the roster still tells its students apart with student `s` as
    /// `name` and `id`: the ids among the few students with a profile, the names through
    /// their kept hashes (text compared only where they meet), allocating nothing.
    fn check_roster_with(&self, s: usize, name: &str, id: Option<&str>) -> Result<(), ModelError> {
        let roster = &self.students;
        if let Some(id) = id {
            let taken = roster
                .extras()
                .any(|(i, p, _)| i != s && p.id.as_deref().is_some_and(|o| super::same_id(id, o)));
            if taken {
                return Err(ModelError::invalid(format!(
                    "another student has the id {}",
                    crate::text::quote(id)
                )));
            }
        }
        let hash = super::name_hash(name);
        for (i, h) in roster.name_hashes().enumerate() {
            if i == s || h != hash {
                continue;
            }
            let other = roster.at(i);
            if (id.is_none() || other.profile.id.is_none()) && super::same_name(other.name, name) {
                return Err(super::identity::shared_name(name));
            }
        }
        Ok(())
    }

    fn rename_student(&mut self, student: usize, name: String) -> Result<String, ModelError> {
        let name = check_name("student", &name)?;
        let id = self
            .students
            .get(student)
            .ok_or(ModelError::Gone("student"))?
            .profile
            .id
            .clone();
        self.check_roster_with(student, &name, id.as_deref())?;
        Ok(self.students.set_name(student, &name))
    }

    fn set_profile(&mut self, student: usize, profile: Profile) -> Result<Profile, ModelError> {
        let profile = check_profile(profile)?;
        let name = self
            .students
            .get(student)
            .ok_or(ModelError::Gone("student"))?
            .name
            .to_string();
        self.check_roster_with(student, &name, profile.id.as_deref())?;
        Ok(self.students.set_profile(student, profile))
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
        for student in &mut students {
            student.name = check_name("student", &student.name)?;
            student.profile = check_profile(std::mem::take(&mut student.profile))?;
            if student.marks.is_empty() && student.notes.is_empty() {
                student.marks = vec![Mark::Empty; self.assessments.len()];
            }
            self.check_student_cells(student.view())?;
        }
        // The roster's names keep their hashes: only the new ones are hashed.
        let roster = &self.students;
        let n = roster.len();
        let new_ids = students
            .iter()
            .enumerate()
            .filter_map(|(k, s)| s.profile.id.as_deref().map(|id| (n + k, id)));
        super::identity::check_hashed_roster(
            roster
                .name_hashes()
                .chain(students.iter().map(|s| super::name_hash(&s.name))),
            roster
                .extras()
                .filter_map(|(i, p, _)| p.id.as_deref().map(|id| (i, id)))
                .chain(new_ids),
            roster.identities().chain(
                students
                    .iter()
                    .map(|s| (s.name.as_str(), s.profile.id.as_deref())),
            ),
        )?;
        self.students.insert_many(index, students);
        Ok(())
    }

    fn remove_students(&mut self, index: usize, count: usize) -> Result<Vec<Student>, ModelError> {
        let end = index
            .checked_add(count)
            .filter(|&e| e <= self.students.len());
        end.ok_or(ModelError::Gone("student"))?;
        Ok(self.students.remove_many(index, count))
    }

    /// A student's cells fit the assessments: one mark each, notes in order and in range,
    /// every cell valid.
    fn check_student_cells(&self, student: StudentRef<'_>) -> Result<(), ModelError> {
        if student.marks.len() != self.assessments.len() {
            return Err(ModelError::invalid(format!(
                "{} has {} grades for {} assessments",
                student.name,
                student.marks.len(),
                self.assessments.len()
            )));
        }
        for (a, mark) in self.assessments.iter().zip(student.marks) {
            if let Mark::Points(p) = mark {
                check_points(p, a.max_points, &a.name)?;
            }
        }
        self.check_notes(student)
    }

    /// A student's late days and comments: in order, in range, each meaningful and
    /// valid with its mark.
    fn check_notes(&self, student: StudentRef<'_>) -> Result<(), ModelError> {
        let ordered = student
            .notes
            .windows(2)
            .all(|w| w[0].assessment < w[1].assessment);
        let in_range = student
            .notes
            .last()
            .is_none_or(|n| n.assessment < self.assessments.len());
        let meaningful = student
            .notes
            .iter()
            .all(|n| n.late_days > 0 || n.comment.is_some());
        if !(ordered && in_range && meaningful) {
            return Err(ModelError::invalid(format!(
                "{}'s late days and comments do not fit the assessments",
                student.name
            )));
        }
        for n in student.notes {
            check_cell_note(&student.cell(n.assessment))?;
        }
        Ok(())
    }

    /// Every mark of the roster: a mark, and points from 0 to twice the max points. One
    /// pass over the packed marks, run by run.
    fn check_marks(&self) -> Result<(), ModelError> {
        let width = self.assessments.len();
        if width == 0 {
            return Ok(());
        }
        let limits = mark_limits(&self.assessments);
        for run in self.students.runs() {
            if let Some(row) = first_bad_row(run.marks, &limits) {
                return Err(self.mark_error(&run.marks[row * width..(row + 1) * width]));
            }
        }
        Ok(())
    }

    #[cold]
    fn mark_error(&self, row: &[u64]) -> ModelError {
        for (a, &bits) in self.assessments.iter().zip(row) {
            let points = f64::from_bits(bits);
            if bits >> 63 == 1 && !points.is_finite() {
                // The codes of empty, excused and missing are not numbers.
                if !super::packed::is_valid(bits) {
                    return ModelError::invalid("a grade is not a mark gradebook writes");
                }
            } else if let Err(e) = check_points(points, a.max_points, &a.name) {
                return e;
            }
        }
        ModelError::invalid("a grade is out of range")
    }

    // ---- Assessments ----

    fn check_unique_assessment(&self, name: &str, except: Option<usize>) -> Result<(), ModelError> {
        match self.find_assessment(name) {
            Some(i) if Some(i) != except => Err(ModelError::Duplicate {
                what: "assessment",
                name: name.to_string(),
            }),
            _ => Ok(()),
        }
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
        if a.category >= self.categories.len() {
            return Err(ModelError::Gone("category"));
        }
        check_lms_id(a.lms_id.as_deref())?;
        if let Some(id) = &a.lms_id
            && let Some(other) = self
                .assessments
                .iter()
                .enumerate()
                .find(|(i, o)| Some(*i) != except && o.lms_id.as_ref() == Some(id))
        {
            return Err(ModelError::invalid(format!(
                "{} already has the LMS id {}",
                crate::text::quote(&other.1.name),
                crate::text::quote(id)
            )));
        }
        Ok(Assessment { name, ..a.clone() })
    }

    fn insert_assessment(
        &mut self,
        index: usize,
        assessment: Assessment,
        cells: Vec<Cell>,
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
        let cells = if cells.is_empty() {
            vec![Cell::default(); self.students.len()]
        } else {
            cells
        };
        if cells.len() != self.students.len() {
            return Err(ModelError::invalid("one cell per student is needed"));
        }
        let cells = cells
            .into_iter()
            .map(|cell| check_cell(cell, &assessment))
            .collect::<Result<Vec<_>, _>>()?;
        self.students.insert_column(index, cells);
        self.assessments.insert(index, assessment);
        Ok(())
    }

    fn remove_assessment(&mut self, index: usize) -> Result<(Assessment, Vec<Cell>), ModelError> {
        if index >= self.assessments.len() {
            return Err(ModelError::Gone("assessment"));
        }
        let assessment = self.assessments.remove(index);
        let cells = self.students.remove_column(index);
        Ok((assessment, cells))
    }

    fn edit_assessment(&mut self, index: usize, new: Assessment) -> Result<Assessment, ModelError> {
        if index >= self.assessments.len() {
            return Err(ModelError::Gone("assessment"));
        }
        let new = self.check_assessment(&new, Some(index))?;
        if let Some(s) = self.students.iter().find(|s| {
            s.mark(index)
                .points()
                .is_some_and(|p| p > 2.0 * new.max_points)
        }) {
            return Err(ModelError::invalid(format!(
                "{} has more points than twice the new maximum of {}",
                s.name,
                super::fmt_num(new.max_points)
            )));
        }
        Ok(std::mem::replace(&mut self.assessments[index], new))
    }

    // ---- Cells ----

    fn set_cell(&mut self, e: CellEntry) -> Result<CellEntry, ModelError> {
        let a = self
            .assessments
            .get(e.assessment)
            .ok_or(ModelError::Gone("assessment"))?;
        let cell = check_cell(e.cell, a)?;
        if e.student >= self.students.len() {
            return Err(ModelError::Gone("student"));
        }
        let old = self.students.set_cell(e.student, e.assessment, cell);
        Ok(CellEntry { cell: old, ..e })
    }

    // ---- Observations ----

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

    // ---- The whole course ----

    /// Checks every rule of a course as a whole (for loaded and imported data).
    pub fn validate(&self) -> Result<(), ModelError> {
        self.validate_vouched(&Vouched::default())
    }

    /// [`Course::validate`], trusting what a file reader vouched for of the roster as it
    /// read it: only what it found fine is skipped (a problem it saw is found again here,
    /// and reported in full).
    pub fn validate_vouched(&self, vouched: &Vouched) -> Result<(), ModelError> {
        self.validate_syllabus()?;
        check_count("students in a course", self.students.len(), MAX_STUDENTS)?;
        if !self.students.is_rectangular() {
            return Err(ModelError::invalid(
                "the students do not all have one grade per assessment",
            ));
        }
        if !self.students.is_empty() && self.students.width() != self.assessments.len() {
            return Err(ModelError::invalid(format!(
                "the students have {} grades each for {} assessments",
                self.students.width(),
                self.assessments.len()
            )));
        }
        // A large roster's names (each, then all together) are checked on a second
        // thread while the marks are checked here; problems are reported in the same
        // order either way.
        let roster = &self.students;
        let check_names = || -> (Result<(), ModelError>, Result<(), ModelError>) {
            let each = if vouched.names {
                Ok(())
            } else {
                roster
                    .names()
                    .try_for_each(|name| check_stored_name("student", name))
            };
            let ids = roster
                .extras()
                .filter_map(|(i, p, _)| p.id.as_deref().map(|id| (i, id)));
            let together = match &vouched.clashes {
                Some(pairs) => {
                    super::identity::check_clashes(pairs.clone(), ids, roster.identities())
                }
                None => super::identity::check_hashed_roster(
                    roster.name_hashes(),
                    ids,
                    roster.identities(),
                ),
            };
            (each, together)
        };
        let check_marks = || {
            if vouched.marks {
                Ok(())
            } else {
                self.check_marks()
            }
        };
        let vouched_all = vouched.names && vouched.marks && vouched.clashes.is_some();
        let ((each, together), marked) = if roster.len() < super::PARALLEL_FROM || vouched_all {
            (check_names(), check_marks())
        } else {
            std::thread::scope(|scope| {
                let naming = scope.spawn(check_names);
                let marked = check_marks();
                let named = naming.join().unwrap_or_else(|_| {
                    let lost = || Err(ModelError::invalid("the names could not be checked"));
                    (lost(), lost())
                });
                (named, marked)
            })
        };
        each?;
        for (i, profile, _) in self.students.extras() {
            let s = self.students.at(i);
            if check_profile(profile.clone())? != *profile {
                return Err(ModelError::invalid(format!(
                    "{}'s id, e-mail, section or note has spaces around it",
                    s.name
                )));
            }
            self.check_notes(s)?;
        }
        marked?;
        together?;
        check_count(
            "observations in a course",
            self.study.len(),
            MAX_OBSERVATIONS,
        )?;
        for o in self.study.iter() {
            check_hours(o.hours)?;
            check_score(o.score)?;
            if let Some(name) = o.student {
                check_stored_name("student", name)?;
            }
        }
        if let Some(model) = &self.model {
            check_model(model, &self.study)?;
        }
        Ok(())
    }

    /// Categories, assessments, letters and late policy.
    fn validate_syllabus(&self) -> Result<(), ModelError> {
        if self.categories.is_empty() {
            return Err(ModelError::invalid("a course keeps at least one category"));
        }
        check_count(
            "categories in a course",
            self.categories.len(),
            MAX_CATEGORIES,
        )?;
        for c in &self.categories {
            check_stored_name("category", &c.name)?;
            check_category(c)?;
        }
        if let Some(name) = find_duplicate(self.categories.iter().map(|c| c.name.as_str())) {
            return Err(ModelError::Duplicate {
                what: "category",
                name: name.to_string(),
            });
        }
        check_count(
            "assessments in a course",
            self.assessments.len(),
            MAX_ASSESSMENTS,
        )?;
        for a in &self.assessments {
            check_stored_name("assessment", &a.name)?;
            check_assessment_name(&a.name)?;
            check_positive("weight", a.weight)?;
            check_positive("max points", a.max_points)?;
            if a.category >= self.categories.len() {
                return Err(ModelError::Gone("category"));
            }
            check_lms_id(a.lms_id.as_deref())?;
        }
        let mut ids = std::collections::HashSet::new();
        if let Some(dup) = self
            .assessments
            .iter()
            .filter_map(|a| a.lms_id.as_deref())
            .find(|id| !ids.insert(*id))
        {
            return Err(ModelError::invalid(format!(
                "two assessments have the LMS id {}",
                crate::text::quote(dup)
            )));
        }
        if let Some(name) = find_duplicate(self.assessments.iter().map(|a| a.name.as_str())) {
            return Err(ModelError::Duplicate {
                what: "assessment",
                name: name.to_string(),
            });
        }
        self.letters.check()?;
        if let Some(p) = &self.late_policy {
            check_late_policy(p)?;
        }
        Ok(())
    }
}

/// An assessment's LMS id: 1 to 64 visible characters, no spaces.
fn check_lms_id(id: Option<&str>) -> Result<(), ModelError> {
    let Some(id) = id else { return Ok(()) };
    let fine = !id.is_empty()
        && id.chars().count() <= super::MAX_ID_CHARS
        && !id
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || super::is_hidden(c));
    if fine {
        Ok(())
    } else {
        Err(ModelError::invalid(format!(
            "an LMS id is 1 to {} visible characters without spaces, not {}",
            super::MAX_ID_CHARS,
            crate::text::quote(id)
        )))
    }
}

/// A cell as it may be stored in `assessment`: points in range, late days only with points
/// and at most [`super::MAX_LATE_DAYS`], a comment that is text (an empty one is none).
pub fn check_cell(mut cell: Cell, assessment: &Assessment) -> Result<Cell, ModelError> {
    if let Mark::Points(p) = cell.mark {
        check_points(p, assessment.max_points, &assessment.name)?;
        // + 0.0 makes -0 a plain 0.
        cell.mark = Mark::Points(p + 0.0);
    }
    if cell.comment.as_deref().is_some_and(|c| c.trim().is_empty()) {
        cell.comment = None;
    }
    if let Some(c) = cell.comment.as_mut()
        && c.contains("\r\n")
    {
        *c = c.replace("\r\n", "\n");
    }
    check_cell_note(&cell)?;
    Ok(cell)
}

fn check_cell_note(cell: &Cell) -> Result<(), ModelError> {
    if cell.late_days > 0 && cell.mark.points().is_none() {
        return Err(ModelError::invalid(
            "late days go with points: a cell that is empty, excused or missing has none",
        ));
    }
    if cell.late_days > MAX_LATE_DAYS {
        return Err(ModelError::invalid(format!(
            "late days must be from 0 to {MAX_LATE_DAYS}"
        )));
    }
    if let Some(comment) = &cell.comment {
        check_comment(comment)?;
    }
    Ok(())
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

/// What a file reader checked of a course's roster as it read it (the names, the marks,
/// and which names share a hash), for [`Course::validate_vouched`] to trust.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vouched {
    /// Every student's name passed [`check_stored_name`].
    pub names: bool,
    /// Every mark is one gradebook writes, within twice its assessment's max points.
    pub marks: bool,
    /// The students whose names' hashes meet: `(first, later)` as
    /// [`super::identity::name_clashes`] gives them.
    pub clashes: Option<Vec<(usize, usize)>>,
}

/// The highest points each assessment takes (twice its max points), for
/// [`first_bad_row`].
pub fn mark_limits(assessments: &[Assessment]) -> Vec<f64> {
    assessments.iter().map(|a| 2.0 * a.max_points).collect()
}

/// The first row of packed marks (one per assessment, `limits.len()` a row) holding
/// anything but a mark gradebook writes within its limit.
pub fn first_bad_row(marks: &[u64], limits: &[f64]) -> Option<usize> {
    if limits.is_empty() {
        return None;
    }
    marks.chunks_exact(limits.len()).position(|row| {
        !row.iter().zip(limits).all(|(&bits, &limit)| {
            if bits >> 63 == 0 {
                // False for infinities and NaNs too.
                f64::from_bits(bits) <= limit
            } else {
                bits >= super::packed::MISSING
            }
        })
    })
}

//! Changes both front ends make alike, and what a change is in words. The command line and
//! the interactive gradebook build their commands here, so that a rule such as "the first
//! grade of a course creates its `Grade` assessment" lives in one place.

use super::{
    Assessment, Cell, CellEntry, Command, Course, DEFAULT_ASSESSMENT, Gradebook, Mark, Profile,
    Student, fmt_num,
};
use crate::error::ModelError;
use crate::text::{count, quote};

/// What a change of policy (letters, categories, drops, late policy, a curve) would do:
/// every student whose letter changes, and how many finals move.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Preview {
    /// Student (roster index), letter before, letter after.
    pub letters: Vec<(usize, String, String)>,
    /// How many students' finals change at all.
    pub finals_moved: usize,
}

/// Every student's final and letter, to compare before and after a change of policy.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Standings(Vec<(Option<f64>, String)>);

impl Standings {
    pub fn of(course: &Course) -> Self {
        let plan = crate::grading::Plan::of(course);
        Self(
            course
                .students
                .iter()
                .map(|s| {
                    let f = plan.final_grade(s);
                    let letter = f.map_or(String::new(), |f| course.letters.letter(f).to_string());
                    (f, letter)
                })
                .collect(),
        )
    }

    /// The letters that differ in `after` (same roster), and how many finals moved.
    pub fn compare(&self, after: &Standings) -> Preview {
        let mut preview = Preview::default();
        for (s, ((f0, l0), (f1, l1))) in self.0.iter().zip(&after.0).enumerate() {
            if f0 != f1 {
                preview.finals_moved += 1;
            }
            if l0 != l1 {
                preview.letters.push((s, l0.clone(), l1.clone()));
            }
        }
        preview
    }
}

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
    /// line's rule: `--course` defaults to the course last used). A command that changes
    /// nothing stays one: moving to the course alone is no edit, history or undo step.
    pub fn in_course(&self, c: usize, cmd: Command) -> Command {
        if self.current == Some(c) || !self.changes(&cmd) {
            return cmd;
        }
        Command::Batch(vec![cmd, Command::SelectCourse { course: Some(c) }])
    }

    /// The change that sets `entry`. In a course without assessments, assessment 0 is the
    /// `Grade` assessment, created by the same change (one undo step).
    pub fn set_cell(&self, entry: CellEntry) -> Result<Command, ModelError> {
        let course = self
            .courses
            .get(entry.course)
            .ok_or(ModelError::Gone("course"))?;
        if !course.assessments.is_empty() || entry.assessment != 0 {
            return Ok(Command::SetCell(entry));
        }
        let create = Command::InsertAssessment {
            course: entry.course,
            index: 0,
            assessment: Assessment::named(DEFAULT_ASSESSMENT),
            cells: Vec::new(),
        };
        Ok(Command::Batch(vec![create, Command::SetCell(entry)]))
    }

    /// The change that gives the student named `student` a mark (late days and comment
    /// kept unless `cell` says otherwise) in an assessment of course `c`, adding the
    /// student if new, and the `Grade` assessment in a course without one. With several
    /// assessments, `assessment` must say which. Returns the command and the cell it sets.
    pub fn grade_by_name(
        &self,
        c: usize,
        student: &str,
        cell: Cell,
        assessment: Option<&str>,
    ) -> Result<(Command, CellEntry), ModelError> {
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
        let s = match course.lookup_student(student)? {
            Some(s) => s,
            None => {
                let index = course.students.len();
                cmds.push(Command::InsertStudents {
                    course: c,
                    index,
                    students: vec![Student::new(student, 0)],
                });
                index
            }
        };
        let entry = CellEntry {
            course: c,
            student: s,
            assessment: a,
            cell,
        };
        cmds.push(self.set_cell(entry.clone())?);
        let cmd = if cmds.len() == 1 {
            cmds.remove(0)
        } else {
            Command::Batch(cmds)
        };
        Ok((cmd, entry))
    }

    /// A curve: `add` points on every graded cell of assessment `a` of course `c`, within 0
    /// and twice its max points; one change.
    pub fn curve(&self, c: usize, a: usize, add: f64) -> Result<Command, ModelError> {
        let course = self.courses.get(c).ok_or(ModelError::Gone("course"))?;
        let assessment = course
            .assessments
            .get(a)
            .ok_or(ModelError::Gone("assessment"))?;
        if !add.is_finite() {
            return Err(ModelError::invalid(
                "a curve adds a finite number of points",
            ));
        }
        let top = 2.0 * assessment.max_points;
        let cmds = course
            .students
            .iter()
            .enumerate()
            .filter_map(|(s, student)| {
                let Mark::Points(p) = student.mark(a) else {
                    return None;
                };
                let cell = student
                    .cell(a)
                    .with_mark(Mark::Points((p + add).clamp(0.0, top)));
                Some(Command::SetCell(CellEntry {
                    course: c,
                    student: s,
                    assessment: a,
                    cell,
                }))
            })
            .collect();
        Ok(Command::Batch(cmds))
    }

    /// What `cmd` would do to the letters of course `c`, without changing anything (it is
    /// made, looked at, and undone exactly).
    pub fn preview(
        &mut self,
        c: usize,
        cmd: Command,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Preview, ModelError> {
        let before = self.courses.get(c).map(Standings::of).unwrap_or_default();
        let stamps = self.stamps();
        let inverse = self.apply(cmd, now)?;
        let after = self.courses.get(c).map(Standings::of).unwrap_or_default();
        // An inverse applies to the state its command made: undoing cannot fail.
        let _ = self.apply(inverse, now);
        self.set_stamps(&stamps);
        Ok(before.compare(&after))
    }

    /// Whether applying `cmd` would change anything. Entering a grade a student already
    /// has, or keeping a name as it is, changes nothing, and makes no undo step.
    pub fn changes(&self, cmd: &Command) -> bool {
        use Command::*;
        let course = |c: &usize| self.courses.get(*c);
        match cmd {
            SetCell(e) => course(&e.course)
                .and_then(|c| c.students.get(e.student))
                .filter(|s| e.assessment < s.marks.len())
                .is_none_or(|s| s.cell(e.assessment) != e.cell),
            RenameCourse { course: c, name } => course(c).is_none_or(|c| c.name != *name),
            RenameStudent {
                course: c,
                student,
                name,
            } => course(c)
                .and_then(|c| c.students.get(*student))
                .is_none_or(|s| s.name != *name),
            SetProfile {
                course: c,
                student,
                profile,
            } => course(c)
                .and_then(|c| c.students.get(*student))
                .is_none_or(|s| *s.profile != *profile),
            EditAssessment {
                course: c,
                index,
                assessment,
            } => course(c)
                .and_then(|c| c.assessments.get(*index))
                .is_none_or(|a| a != assessment),
            EditCategory {
                course: c,
                index,
                category,
            } => course(c)
                .and_then(|c| c.categories.get(*index))
                .is_none_or(|k| k != category),
            SetLetters { course: c, letters } => course(c).is_none_or(|c| c.letters != *letters),
            SetLatePolicy { course: c, policy } => {
                course(c).is_none_or(|c| c.late_policy != *policy)
            }
            SelectCourse { course } => self.current != *course,
            Batch(cmds) => cmds.iter().any(|c| self.changes(c)),
            _ => true,
        }
    }
}

impl Command {
    /// This command with the names it brings (students, assessments, categories,
    /// courses) as the data keeps them: trimmed and composed. Made before it is described,
    /// so that its label and history name what the data holds; a name the data refuses is
    /// left for the change to refuse.
    pub fn with_kept_names(mut self) -> Self {
        fn kept(name: &mut String) {
            if let Ok(k) = super::check_name("name", name) {
                *name = k;
            }
        }
        match &mut self {
            Command::InsertCourse { course, .. } => kept(&mut course.name),
            Command::RenameCourse { name, .. } | Command::RenameStudent { name, .. } => kept(name),
            Command::InsertCategory { category, .. } | Command::EditCategory { category, .. } => {
                kept(&mut category.name)
            }
            Command::InsertStudents { students, .. } => {
                students.iter_mut().for_each(|s| kept(&mut s.name))
            }
            Command::InsertAssessment { assessment, .. }
            | Command::EditAssessment { assessment, .. } => kept(&mut assessment.name),
            Command::Batch(cmds) => {
                *cmds = std::mem::take(cmds)
                    .into_iter()
                    .map(Command::with_kept_names)
                    .collect();
            }
            _ => {}
        }
        self
    }

    /// The cell this command sets, when that is all it does.
    pub fn single_cell(&self) -> Option<&CellEntry> {
        match self {
            Command::SetCell(e) => Some(e),
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
                .map_or_else(String::new, |s| s.name.to_string())
        };
        let assessment = |c: &usize, a: usize| {
            course(c)
                .and_then(|c| c.assessments.get(a))
                .map_or(DEFAULT_ASSESSMENT, |a| a.name.as_str())
                .to_string()
        };
        let category = |c: &usize, k: usize| {
            course(c)
                .and_then(|c| c.categories.get(k))
                .map_or_else(String::new, |k| quote(&k.name))
        };
        match self {
            InsertCourse { course, .. } => format!("added course {}", quote(&course.name)),
            RemoveCourse { index } => format!("deleted course {}", course_name(index)),
            RenameCourse { course, name } => {
                format!("renamed course {} to {}", course_name(course), quote(name))
            }
            SelectCourse { course: Some(c) } => format!("opened course {}", course_name(c)),
            SelectCourse { course: None } => "closed the course".into(),
            InsertCategory { category, .. } => format!("added category {}", quote(&category.name)),
            RemoveCategory { course, index } => {
                format!("deleted category {}", category(course, *index))
            }
            EditCategory { course, index, .. } => {
                format!("changed category {}", category(course, *index))
            }
            SetLetters { course, .. } => format!("changed the letters of {}", course_name(course)),
            SetLatePolicy { course, .. } => {
                format!("changed the late policy of {}", course_name(course))
            }
            RenameStudent {
                course,
                student: s,
                name,
            } => format!("renamed {} to {name}", student(course, *s)),
            SetProfile {
                course: c,
                student: s,
                profile,
            } => {
                let old = course(c)
                    .and_then(|c| c.students.get(*s))
                    .map(|s| s.profile.clone())
                    .unwrap_or_default();
                format!(
                    "changed {}: {}",
                    student(c, *s),
                    profile_changes(&old, profile)
                )
            }
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
                course: c,
                index,
                assessment: new,
            } => {
                let name = quote(&assessment(c, *index));
                match course(c).and_then(|k| Some((k, k.assessments.get(*index)?))) {
                    Some((k, old)) => format!(
                        "changed assessment {name}: {}",
                        assessment_changes(k, old, new)
                    ),
                    None => format!("changed assessment {name}"),
                }
            }
            SetCell(e) => {
                let old = course(&e.course)
                    .and_then(|c| c.students.get(e.student))
                    .map(|s| s.cell(e.assessment))
                    .unwrap_or_default();
                let who = format!(
                    "{}'s {}",
                    student(&e.course, e.student),
                    assessment(&e.course, e.assessment)
                );
                let new = &e.cell;
                let same_mark = old.mark == new.mark;
                if same_mark && old.comment == new.comment && old.late_days != new.late_days {
                    format!(
                        "{who}: {} (was {})",
                        late_words(new.late_days),
                        late_words(old.late_days)
                    )
                } else if same_mark && old.late_days == new.late_days {
                    let what = match (&old.comment, &new.comment) {
                        (None, Some(_)) => "comment added",
                        (Some(_), None) => "comment removed",
                        _ => "comment changed",
                    };
                    format!("{who}: {what}")
                } else {
                    format!("{who} {} → {}", cell_words(&old), cell_words(new))
                }
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

/// The percents needed on every empty cell for each letter, in words: `A out of reach,
/// B 84.0%, C 60.5%` (the letters above reach, in one run).
pub fn needed_words<'a>(needed: impl IntoIterator<Item = (&'a str, Option<f64>)>) -> String {
    let needed: Vec<(&str, Option<f64>)> = needed.into_iter().collect();
    let reachable = |x: &Option<f64>| x.is_some_and(|x| x <= 100.0);
    let out = needed.iter().take_while(|(_, x)| !reachable(x)).count();
    let mut parts = Vec::new();
    match out {
        0 => {}
        1 => parts.push(format!("{} out of reach", needed[0].0)),
        n => parts.push(format!("{}–{} out of reach", needed[0].0, needed[n - 1].0)),
    }
    for (l, x) in &needed[out..] {
        parts.push(match x {
            Some(x) if *x <= 100.0 => format!("{l} {x:.1}%"),
            _ => format!("{l} out of reach"),
        });
    }
    parts.join(", ")
}

/// A cell in a few characters: `87`, `EX`, `M`, `–`; late days and a comment noted.
pub fn cell_words(cell: &Cell) -> String {
    let mut s = match cell.mark {
        Mark::Empty => "–".to_string(),
        mark => mark.text(),
    };
    if cell.late_days > 0 {
        s.push_str(&format!(
            " ({} late)",
            count(cell.late_days as usize, "day")
        ));
    }
    if cell.comment.is_some() {
        s.push_str(" with a comment");
    }
    s
}

/// What changed in a student's profile, in words: `id 1002, withdrawn`.
fn profile_changes(old: &Profile, new: &Profile) -> String {
    let mut parts = Vec::new();
    let field = |what: &str, old: &Option<String>, new: &Option<String>| match (old, new) {
        (a, b) if a == b => None,
        (_, Some(v)) => Some(format!("{what} {v}")),
        (Some(_), None) => Some(format!("no {what}")),
        (None, None) => None,
    };
    parts.extend(field("id", &old.id, &new.id));
    parts.extend(field("e-mail", &old.email, &new.email));
    parts.extend(field("section", &old.section, &new.section));
    if old.status != new.status {
        parts.push(new.status.name().to_string());
    }
    if old.note != new.note {
        parts.push(
            if new.note.is_some() {
                "note written"
            } else {
                "note removed"
            }
            .into(),
        );
    }
    if parts.is_empty() {
        "nothing".into()
    } else {
        parts.join(", ")
    }
}

/// `on time`, `1 day late`, `3 days late`.
fn late_words(days: u32) -> String {
    match days {
        0 => "on time".into(),
        n => format!("{} late", count(n as usize, "day")),
    }
}

/// What an edit changes in an assessment, in words: `weight 1 → 2, extra credit`.
fn assessment_changes(course: &Course, old: &Assessment, new: &Assessment) -> String {
    let category = |k: usize| course.categories.get(k).map_or("", |k| k.name.as_str());
    let mut parts = Vec::new();
    if old.name != new.name {
        parts.push(format!("renamed {}", quote(&new.name)));
    }
    if old.weight != new.weight {
        parts.push(format!(
            "weight {} → {}",
            fmt_num(old.weight),
            fmt_num(new.weight)
        ));
    }
    if old.max_points != new.max_points {
        parts.push(format!(
            "max points {} → {}",
            fmt_num(old.max_points),
            fmt_num(new.max_points)
        ));
    }
    if old.category != new.category {
        parts.push(format!("moved to {}", quote(category(new.category))));
    }
    if old.extra_credit != new.extra_credit {
        parts.push(
            if new.extra_credit {
                "extra credit"
            } else {
                "no longer extra credit"
            }
            .into(),
        );
    }
    if old.never_drop != new.never_drop {
        parts.push(
            if new.never_drop {
                "never dropped"
            } else {
                "may be dropped"
            }
            .into(),
        );
    }
    if parts.is_empty() {
        "nothing".into()
    } else {
        parts.join(", ")
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
        // A grade that adds its student.
        (
            [
                Command::InsertStudents { students, .. },
                Command::SetCell(e),
            ],
            _,
        ) if students.len() == 1 => {
            format!(
                "added student {} with {}",
                students[0].name,
                cell_words(&e.cell)
            )
        }
        (many, _) => count(many.len(), "change"),
    }
}

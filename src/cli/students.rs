//! `student add|edit|list|withdraw|reinstate|delete`: who the students are.

use std::path::Path;

use chrono::Utc;
use clap::Subcommand;

use super::{emit, resolve_course, write};
use crate::error::{Error, ModelError};
use crate::model::{Command, Profile, Status, Student};
use crate::text::{quote, table};

/// A student's id, e-mail, section and note, as options; "" clears one.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ProfileArgs {
    /// An id unique in the course (a school or LMS id); "" removes it
    #[arg(long)]
    pub id: Option<String>,
    /// Their e-mail address; "" removes it
    #[arg(long)]
    pub email: Option<String>,
    /// Their section or group; "" removes it
    #[arg(long)]
    pub section: Option<String>,
    /// A private note (never exported to an LMS); "" removes it
    #[arg(long)]
    pub note: Option<String>,
}

impl ProfileArgs {
    /// `profile` with what the options give.
    fn apply(self, mut profile: Profile) -> Profile {
        let set = |slot: &mut Option<String>, value: Option<String>| {
            if let Some(v) = value {
                *slot = (!v.trim().is_empty()).then_some(v);
            }
        };
        set(&mut profile.id, self.id);
        set(&mut profile.email, self.email);
        set(&mut profile.section, self.section);
        set(&mut profile.note, self.note);
        profile
    }
}

#[derive(Debug, Subcommand)]
pub enum StudentCmd {
    /// Add a student, with who they are
    Add {
        name: String,
        #[command(flatten)]
        profile: ProfileArgs,
        #[arg(long, short)]
        course: Option<String>,
    },
    /// Change a student's name, id, e-mail, section or note (the student by id or name)
    Edit {
        student: String,
        /// A new name
        #[arg(long)]
        rename: Option<String>,
        #[command(flatten)]
        profile: ProfileArgs,
        #[arg(long, short)]
        course: Option<String>,
    },
    /// List the students with who they are
    List {
        #[arg(long, short)]
        course: Option<String>,
    },
    /// Mark a student withdrawn: grades kept, left out of statistics and ranks
    Withdraw {
        student: String,
        #[arg(long, short)]
        course: Option<String>,
    },
    /// Enrol a withdrawn student again
    Reinstate {
        student: String,
        #[arg(long, short)]
        course: Option<String>,
    },
    /// Delete a student and their grades
    Delete {
        student: String,
        /// Confirm the deletion (required: it cannot be undone from the command line but
        /// by `gradebook undo`)
        #[arg(long)]
        yes: bool,
        #[arg(long, short)]
        course: Option<String>,
    },
}

pub fn student_command(
    path: &Path,
    cmd: StudentCmd,
    out: &mut dyn std::io::Write,
) -> Result<String, Error> {
    match cmd {
        StudentCmd::Add {
            name,
            profile,
            course,
        } => write(path, "student add", |ed| {
            let c = resolve_course(ed.book(), course.as_deref())?;
            let index = ed.book().courses[c].students.len();
            let mut student = Student::new(name, 0);
            student.profile = profile.apply(Profile::default());
            let cmd = Command::InsertStudents {
                course: c,
                index,
                students: vec![student],
            };
            ed.execute(ed.book().in_course(c, cmd), Utc::now())?;
            let course = &ed.book().courses[c];
            Ok(format!(
                "Added {} to {}\n",
                course.describe_student(index),
                quote(&course.name)
            ))
        }),
        StudentCmd::Edit {
            student,
            rename,
            profile,
            course,
        } => write(path, "student edit", |ed| {
            let c = resolve_course(ed.book(), course.as_deref())?;
            let s = ed.book().courses[c].student(&student)?;
            let old = ed.book().courses[c].students.at(s);
            let mut cmds = Vec::new();
            if let Some(name) = rename {
                cmds.push(Command::RenameStudent {
                    course: c,
                    student: s,
                    name,
                });
            }
            let new = profile.apply(old.profile.clone());
            if new != *old.profile {
                // An id first when there is one, so that a name shared with students who
                // have ids can be taken; else the name first, before an id goes.
                let set = Command::SetProfile {
                    course: c,
                    student: s,
                    profile: new.clone(),
                };
                if new.id.is_some() {
                    cmds.insert(0, set);
                } else {
                    cmds.push(set);
                }
            }
            let changed = !cmds.is_empty();
            ed.execute(ed.book().in_course(c, Command::Batch(cmds)), Utc::now())?;
            let course = &ed.book().courses[c];
            Ok(if changed {
                format!("Changed {}\n", course.describe_student(s))
            } else {
                format!("Nothing to change for {}\n", course.describe_student(s))
            })
        }),
        StudentCmd::List { course } => {
            super::read(path, course.as_deref(), |c| {
                let header = ["Student", "Id", "E-mail", "Section", "Status", "Note"];
                let mut rows = Vec::new();
                for s in &c.students {
                    let p = &s.profile;
                    let field = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
                    rows.push(vec![
                        s.name.to_string(),
                        field(&p.id),
                        field(&p.email),
                        field(&p.section),
                        p.status.name().into(),
                        p.note.as_deref().map_or("–".into(), |n| {
                            crate::text::clip(&n.replace('\n', " "), 40)
                        }),
                    ]);
                }
                emit(out, &crate::text::clean(&table(&header, &rows, &[])))
            })?;
            Ok(String::new())
        }
        StudentCmd::Withdraw { student, course } => {
            set_status(path, &student, course.as_deref(), Status::Withdrawn)
        }
        StudentCmd::Reinstate { student, course } => {
            set_status(path, &student, course.as_deref(), Status::Active)
        }
        StudentCmd::Delete {
            student,
            yes,
            course,
        } => write(path, "student delete", |ed| {
            let c = resolve_course(ed.book(), course.as_deref())?;
            let s = ed.book().courses[c].student(&student)?;
            let who = ed.book().courses[c].describe_student(s);
            if !yes {
                return Err(Error::Refused(format!(
                    "deleting {who} and their grades needs --yes"
                )));
            }
            let cmd = Command::RemoveStudents {
                course: c,
                index: s,
                count: 1,
            };
            ed.execute(ed.book().in_course(c, cmd), Utc::now())?;
            Ok(format!("Deleted {who} (gradebook undo brings them back)\n"))
        }),
    }
}

fn set_status(
    path: &Path,
    student: &str,
    course: Option<&str>,
    status: Status,
) -> Result<String, Error> {
    write(path, "student status", |ed| {
        let c = resolve_course(ed.book(), course)?;
        let s = ed.book().courses[c].student(student)?;
        let old = ed.book().courses[c].students.at(s).profile.clone();
        if old.status == status {
            return Err(ModelError::invalid(format!(
                "{} is already {}",
                ed.book().courses[c].describe_student(s),
                status.name()
            ))
            .into());
        }
        let profile = Profile { status, ..old };
        let cmd = Command::SetProfile {
            course: c,
            student: s,
            profile,
        };
        ed.execute(ed.book().in_course(c, cmd), Utc::now())?;
        let course = &ed.book().courses[c];
        Ok(match status {
            Status::Withdrawn => format!(
                "{} is withdrawn: grades kept, left out of statistics and ranks\n",
                course.students.at(s).name
            ),
            Status::Active => format!("{} is enrolled again\n", course.students.at(s).name),
        })
    })
}

//! The syllabus from the command line: categories, letters, late policy, assessment
//! flags, curves. Every policy command takes `--dry-run`, which prints the students whose
//! letter would change and changes nothing; without it the same is printed after the
//! change.

use std::path::Path;

use chrono::Utc;
use clap::{Args, Subcommand};

use super::{emit, parse_number, read, resolve_course, write};
use crate::error::{Error, ModelError};
use crate::model::{
    Assessment, Category, CategoryMode, Command, Course, Gradebook, LatePolicy, LetterScheme,
    Preview, Standings, fmt_num,
};
use crate::store;
use crate::text::{self, quote};

#[derive(Debug, Subcommand)]
pub enum CategoryCmd {
    /// Add a category (an assessment goes in one with `assessment add --category`)
    Add {
        name: String,
        /// Relative weight in the final grade (0 shows the percent without counting it)
        #[arg(long, short, default_value = "1", allow_negative_numbers = true)]
        weight: String,
        /// How many of its lowest items are dropped (those whose removal helps most)
        #[arg(long, default_value = "0", allow_negative_numbers = true)]
        drop: String,
        /// mean (of percents, by assessment weight) or points (total points over total max)
        #[arg(long, default_value = "mean")]
        mode: String,
        #[arg(long, short)]
        course: Option<String>,
        /// Print the students whose letter would change, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// List the categories with their share of the final
    List {
        #[arg(long, short)]
        course: Option<String>,
    },
    /// Change a category: name, weight, drops, mode
    Edit {
        name: String,
        #[arg(long)]
        rename: Option<String>,
        #[arg(long, short, allow_negative_numbers = true)]
        weight: Option<String>,
        #[arg(long, allow_negative_numbers = true)]
        drop: Option<String>,
        #[arg(long)]
        mode: Option<String>,
        #[arg(long, short)]
        course: Option<String>,
        /// Print the students whose letter would change, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Delete a category; its assessments go to another (--move-to)
    Delete {
        name: String,
        /// The category its assessments move to
        #[arg(long)]
        move_to: Option<String>,
        #[arg(long, short)]
        course: Option<String>,
        /// Print the students whose letter would change, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
}

/// The category and flags of an assessment, on `assessment add` and `edit`.
#[derive(Debug, Clone, Default, Args)]
pub struct AssessmentFlags {
    /// Its category [default: the course's first]
    #[arg(long)]
    pub category: Option<String>,
    /// Extra credit: adds to its category's numerator only
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub extra_credit: Option<bool>,
    /// Never dropped by its category's drops
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub never_drop: Option<bool>,
}

impl AssessmentFlags {
    /// Sets what the flags say on `a`, an assessment of `course`.
    pub fn apply(&self, course: &Course, a: &mut Assessment) -> Result<(), Error> {
        if let Some(name) = &self.category {
            a.category = course
                .find_category(name)
                .ok_or_else(|| unknown("category", name))?;
        }
        if let Some(x) = self.extra_credit {
            a.extra_credit = x;
        }
        if let Some(x) = self.never_drop {
            a.never_drop = x;
        }
        Ok(())
    }
}

/// What `assessment edit` changes.
pub struct AssessmentEdit {
    pub rename: Option<String>,
    pub weight: Option<String>,
    pub max_points: Option<String>,
    pub flags: AssessmentFlags,
}

fn unknown(what: &str, name: &str) -> Error {
    Error::Model(ModelError::invalid(format!(
        "there is no {what} named {}",
        quote(name)
    )))
}

/// `, extra credit, never dropped` for the flags an assessment has.
pub fn flag_words(a: &Assessment) -> String {
    let mut s = String::new();
    if a.extra_credit {
        s.push_str(", extra credit");
    }
    if a.never_drop {
        s.push_str(", never dropped");
    }
    s
}

/// The students whose letter `preview` changes (or, `done`, changed), one a line, and how
/// many finals move.
pub fn preview_text(course: &Course, preview: &Preview, done: bool) -> String {
    let (moves, change) = if done {
        ("moved", "changed")
    } else {
        ("would move", "would change")
    };
    let mut out = format!(
        "{} {moves}, {} {change} letter",
        text::count(preview.finals_moved, "final"),
        text::count(preview.letters.len(), "student")
    );
    if preview.letters.is_empty() {
        out.push_str(".\n");
        return out;
    }
    out.push_str(":\n");
    let rows: Vec<Vec<String>> = preview
        .letters
        .iter()
        .map(|(s, old, new)| {
            vec![
                format!("  {}", course.students.at(*s).name),
                text::or_dash(old).to_string(),
                "→".into(),
                text::or_dash(new).to_string(),
            ]
        })
        .collect();
    out.push_str(&text::table(&[], &rows, &[false, false, false, false]));
    out
}

/// A change of policy in course `--course`: built by `build` from the book as it is,
/// previewed, and made unless `dry_run`. Says what it did (or would) and whose letter
/// changes.
fn policy(
    path: &Path,
    who: &str,
    course: Option<&str>,
    dry_run: bool,
    build: impl FnOnce(&Gradebook, usize) -> Result<(Command, String), Error>,
) -> Result<String, Error> {
    if dry_run {
        let mut book = store::load(path)?;
        let c = resolve_course(&book, course)?;
        let (cmd, what) = build(&book, c)?;
        let preview = book.preview(c, cmd, Utc::now())?;
        return Ok(format!(
            "Dry run, nothing changed. {what}: {}",
            preview_text(&book.courses[c], &preview, false)
        ));
    }
    write(path, who, |ed| {
        let c = resolve_course(ed.book(), course)?;
        let (cmd, what) = build(ed.book(), c)?;
        let before = Standings::of(&ed.book().courses[c]);
        ed.execute(ed.book().in_course(c, cmd), Utc::now())?;
        let course = &ed.book().courses[c];
        let preview = before.compare(&Standings::of(course));
        let done = preview_text(course, &preview, true);
        Ok(format!("{what}: {done}"))
    })
}

pub fn letters(
    path: &Path,
    letters: &[String],
    scheme: Option<&str>,
    course: Option<&str>,
    dry_run: bool,
) -> Result<String, Error> {
    let letters = read_letters(letters, scheme)?;
    policy(path, "course letters", course, dry_run, |book, c| {
        let what = format!(
            "Letters of {}: {}",
            quote(&book.courses[c].name),
            letters.describe()
        );
        Ok((Command::SetLetters { course: c, letters }, what))
    })
}

/// A scheme from `--scheme`, or the arguments read as [`LetterScheme::read`] does.
fn read_letters(args: &[String], scheme: Option<&str>) -> Result<LetterScheme, Error> {
    match (scheme, args) {
        (Some(_), [_, ..]) => Err(Error::Refused(
            "give a --scheme or letters, not both".into(),
        )),
        (Some(name), []) => LetterScheme::preset(name).ok_or_else(|| {
            Error::Refused(format!(
                "there is no scheme named {}: default or plus-minus",
                quote(name)
            ))
        }),
        (None, []) => Err(Error::Refused(
            "give --scheme default|plus-minus, four lowest percents for A B C D, or letters like A=90 B=80 C=70 D=60 F=0"
                .into(),
        )),
        (None, args) => Ok(LetterScheme::read(&args.join(" "))?),
    }
}

pub fn late_policy(
    path: &Path,
    policy_args: Option<(String, String)>,
    course: Option<&str>,
    dry_run: bool,
) -> Result<String, Error> {
    let policy_value = match policy_args {
        Some((per_day, max)) => Some(LatePolicy {
            per_day: parse_number("percent a day", &per_day)?,
            max: parse_number("most percent", &max)?,
        }),
        None => None,
    };
    policy(path, "course late-policy", course, dry_run, |book, c| {
        let what = match &policy_value {
            Some(p) => format!(
                "Late work in {} loses {}% a day, at most {}%",
                quote(&book.courses[c].name),
                fmt_num(p.per_day),
                fmt_num(p.max)
            ),
            None => format!(
                "Late work in {} loses nothing",
                quote(&book.courses[c].name)
            ),
        };
        Ok((
            Command::SetLatePolicy {
                course: c,
                policy: policy_value,
            },
            what,
        ))
    })
}

pub fn category_command(
    path: &Path,
    cmd: CategoryCmd,
    out: &mut dyn std::io::Write,
) -> Result<String, Error> {
    match cmd {
        CategoryCmd::List { course } => {
            read(path, course.as_deref(), |c| emit(out, &list_categories(c)))
        }
        CategoryCmd::Add {
            name,
            weight,
            drop,
            mode,
            course,
            dry_run,
        } => {
            let category = read_category(
                Category::named(name),
                Some(&weight),
                Some(&drop),
                Some(&mode),
            )?;
            policy(
                path,
                "category add",
                course.as_deref(),
                dry_run,
                |book, c| {
                    let index = book.courses[c].categories.len();
                    let what = format!("Added category {}", quote(&category.name));
                    Ok((
                        Command::InsertCategory {
                            course: c,
                            index,
                            category,
                        },
                        what,
                    ))
                },
            )
        }
        CategoryCmd::Edit {
            name,
            rename,
            weight,
            drop,
            mode,
            course,
            dry_run,
        } => policy(
            path,
            "category edit",
            course.as_deref(),
            dry_run,
            |book, c| {
                let course = &book.courses[c];
                let index = course
                    .find_category(&name)
                    .ok_or_else(|| unknown("category", &name))?;
                let mut category = read_category(
                    course.categories[index].clone(),
                    weight.as_deref(),
                    drop.as_deref(),
                    mode.as_deref(),
                )?;
                if let Some(new) = rename {
                    category.name = new;
                }
                course.check_drop(index, &category)?;
                let what = format!("Changed category {}", quote(&course.categories[index].name));
                Ok((
                    Command::EditCategory {
                        course: c,
                        index,
                        category,
                    },
                    what,
                ))
            },
        ),
        CategoryCmd::Delete {
            name,
            move_to,
            course,
            dry_run,
        } => policy(
            path,
            "category delete",
            course.as_deref(),
            dry_run,
            |book, c| delete_category(book, c, &name, move_to.as_deref()),
        ),
    }
}

/// `category` with the weight, drop count and mode given.
fn read_category(
    mut category: Category,
    weight: Option<&str>,
    drop: Option<&str>,
    mode: Option<&str>,
) -> Result<Category, Error> {
    if let Some(w) = weight {
        category.weight = parse_number("a category's weight", w)?;
    }
    if let Some(d) = drop {
        category.drop_lowest = d.trim().parse().map_err(|_| {
            Error::Refused(format!(
                "a category drops a whole number of items, not {}",
                quote(d.trim())
            ))
        })?;
    }
    if let Some(m) = mode {
        category.mode = CategoryMode::parse(m).ok_or_else(|| {
            Error::Refused(format!(
                "a category's mode is mean or points, not {}",
                quote(m)
            ))
        })?;
    }
    Ok(category)
}

/// Moves a category's assessments to another, then removes it: one change.
fn delete_category(
    book: &Gradebook,
    c: usize,
    name: &str,
    move_to: Option<&str>,
) -> Result<(Command, String), Error> {
    let course = &book.courses[c];
    let index = course
        .find_category(name)
        .ok_or_else(|| unknown("category", name))?;
    let held: Vec<usize> = course.assessments_in(index).collect();
    let target = match move_to {
        Some(t) => Some(
            course
                .find_category(t)
                .ok_or_else(|| unknown("category", t))?,
        ),
        None => None,
    };
    if target == Some(index) {
        return Err(Error::Refused(
            "its assessments must move to another category".into(),
        ));
    }
    let mut cmds = Vec::new();
    if !held.is_empty() {
        let Some(target) = target else {
            return Err(Error::Refused(format!(
                "{} holds {}: say where they go with --move-to CATEGORY",
                quote(&course.categories[index].name),
                text::count(held.len(), "assessment")
            )));
        };
        for a in held {
            let mut assessment = course.assessments[a].clone();
            assessment.category = target;
            cmds.push(Command::EditAssessment {
                course: c,
                index: a,
                assessment,
            });
        }
    }
    cmds.push(Command::RemoveCategory { course: c, index });
    let what = format!("Deleted category {}", quote(&course.categories[index].name));
    Ok((Command::Batch(cmds), what))
}

/// Categories with weight, share of the final, drops and mode.
fn list_categories(course: &Course) -> String {
    let rows: Vec<Vec<String>> = course
        .categories
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let n = course.assessments_in(i).count();
            let share = course
                .category_share(i)
                .map_or("–".into(), |s| format!("{s:.1}%"));
            vec![
                k.name.clone(),
                fmt_num(k.weight),
                share,
                k.drop_lowest.to_string(),
                k.mode.name().into(),
                text::count(n, "assessment"),
            ]
        })
        .collect();
    text::table(
        &["Category", "Weight", "Share", "Drop", "Mode", ""],
        &rows,
        &[false, true, true, true, false, true],
    )
}

pub fn edit_assessment(
    path: &Path,
    name: &str,
    edit: AssessmentEdit,
    course: Option<&str>,
    dry_run: bool,
) -> Result<String, Error> {
    policy(path, "assessment edit", course, dry_run, |book, c| {
        let course = &book.courses[c];
        let index = course
            .find_assessment(name)
            .ok_or_else(|| crate::error::ModelError::UnknownAssessment(name.to_string()))?;
        let mut assessment = course.assessments[index].clone();
        if let Some(w) = &edit.weight {
            assessment.weight = parse_number("weight", w)?;
        }
        if let Some(m) = &edit.max_points {
            assessment.max_points = parse_number("max points", m)?;
        }
        if let Some(n) = &edit.rename {
            assessment.name = n.clone();
        }
        edit.flags.apply(course, &mut assessment)?;
        let what = format!(
            "Changed assessment {} (category {}, weight {}, {} points{})",
            quote(&course.assessments[index].name),
            course.categories[assessment.category].name,
            fmt_num(assessment.weight),
            fmt_num(assessment.max_points),
            flag_words(&assessment)
        );
        Ok((
            Command::EditAssessment {
                course: c,
                index,
                assessment,
            },
            what,
        ))
    })
}

pub fn curve(
    path: &Path,
    assessment: &str,
    add: &str,
    course: Option<&str>,
    dry_run: bool,
) -> Result<String, Error> {
    let add = parse_number("points to add", add)?;
    policy(path, "curve", course, dry_run, |book, c| {
        let a = book.courses[c]
            .find_assessment(assessment)
            .ok_or_else(|| crate::error::ModelError::UnknownAssessment(assessment.to_string()))?;
        let cmd = book.curve(c, a, add)?;
        let what = format!(
            "Curved {} by {} points",
            quote(&book.courses[c].assessments[a].name),
            fmt_num(add)
        );
        Ok((cmd, what))
    })
}

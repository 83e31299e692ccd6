//! A page about one student: who they are, their grades by category with every mark
//! (dropped, excused, missing, late, comments), their final, letter and the score needed
//! for each letter, their percents over the assessments, and their history. Built once
//! ([`StudentPage::of`]) and written as text, Markdown or HTML (`html.rs`); the
//! interactive gradebook draws the same page.

pub mod html;

use chrono::{DateTime, Utc};

use crate::grading::Plan;
use crate::journal::Entry;
use crate::model::{CategoryMode, Course, Mark, fmt_num};
use crate::stats::Report;
use crate::text::two_decimals;

/// One assessment on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub assessment: String,
    /// `18 / 20`, `EX`, `M`, `–`.
    pub grade: String,
    /// The percent it counts for (late work lost), if it counts.
    pub percent: Option<f64>,
    pub dropped: bool,
    pub excused: bool,
    pub missing: bool,
    pub late_days: u32,
    pub extra_credit: bool,
    pub comment: Option<String>,
}

impl Item {
    /// The marks in words: `dropped, 2 days late, extra credit`.
    pub fn marks(&self) -> String {
        let mut marks = Vec::new();
        if self.dropped {
            marks.push("dropped".to_string());
        }
        if self.excused {
            marks.push("excused".into());
        }
        if self.missing {
            marks.push("missing (counts 0)".into());
        }
        if self.late_days > 0 {
            marks.push(crate::text::count(self.late_days as usize, "day") + " late");
        }
        if self.extra_credit {
            marks.push("extra credit".into());
        }
        marks.join(", ")
    }
}

/// A category on the page: its share of the final, its percent, its items.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryPart {
    pub name: String,
    /// `20%`, with `drop 1 lowest` and `total points` as they apply.
    pub rule: String,
    pub percent: Option<f64>,
    pub items: Vec<Item>,
}

/// Everything on a student's page.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentPage {
    pub course: String,
    pub name: String,
    pub id: Option<String>,
    pub email: Option<String>,
    pub section: Option<String>,
    pub withdrawn: bool,
    pub note: Option<String>,
    pub final_grade: Option<f64>,
    pub letter: Option<String>,
    pub rank: Option<(usize, usize)>,
    pub final_with_zeros: Option<f64>,
    /// For each letter but the last, the percent needed on every empty cell.
    pub needed: Vec<(String, Option<f64>)>,
    pub empty_cells: usize,
    pub categories: Vec<CategoryPart>,
    /// The student's percent in each assessment, in course order (`None`: not counted).
    pub chart: Vec<(String, Option<f64>)>,
    /// The student's history, oldest first.
    pub history: Vec<Entry>,
    /// When the page was made.
    pub made: DateTime<Utc>,
}

/// What the pages of one course share, made once for all of them: the syllabus's plan and
/// the class's ranks.
pub struct Class<'a> {
    course: &'a Course,
    plan: Plan<'a>,
    ranks: Vec<Option<usize>>,
    /// How many students have a rank.
    ranked: usize,
}

impl<'a> Class<'a> {
    pub fn of(course: &'a Course) -> Self {
        let ranks = Report::of(course).ranks;
        let ranked = ranks.iter().filter(|r| r.is_some()).count();
        Class {
            course,
            plan: Plan::of(course),
            ranks,
            ranked,
        }
    }
}

impl StudentPage {
    /// The page of student `s` of `course`, with the history entries about them from
    /// `history` (a whole gradebook's, oldest first).
    pub fn of(course: &Course, s: usize, history: &[Entry], made: DateTime<Utc>) -> Self {
        Self::in_class(&Class::of(course), s, history, made)
    }

    /// [`StudentPage::of`] with what the course's pages share made already (a page per
    /// student of a class).
    pub fn in_class(class: &Class, s: usize, history: &[Entry], made: DateTime<Utc>) -> Self {
        let (course, plan) = (class.course, &class.plan);
        let student = course.students.at(s);
        let standing = plan.standing(student);
        let categories = course
            .categories
            .iter()
            .enumerate()
            .map(|(k, cat)| {
                let share = course.category_share(k).unwrap_or(0.0);
                let mut rule = format!("{}%", fmt_num((share * 10.0).round() / 10.0));
                if cat.drop_lowest > 0 {
                    rule.push_str(&format!(", drop {} lowest", cat.drop_lowest));
                }
                if cat.mode == CategoryMode::Points {
                    rule.push_str(", total points");
                }
                let items = course
                    .assessments_in(k)
                    .map(|a| {
                        let x = &course.assessments[a];
                        let cell = student.cell(a);
                        let grade = match cell.mark {
                            Mark::Points(p) => {
                                format!("{} / {}", fmt_num(p), fmt_num(x.max_points))
                            }
                            Mark::Excused => "EX".into(),
                            Mark::Missing => "M".into(),
                            Mark::Empty => "–".into(),
                        };
                        Item {
                            assessment: x.name.clone(),
                            grade,
                            percent: plan.cell_percent(student, a),
                            dropped: standing.dropped.contains(&a),
                            excused: cell.mark == Mark::Excused,
                            missing: cell.mark == Mark::Missing,
                            late_days: cell.late_days,
                            extra_credit: x.extra_credit,
                            comment: cell.comment,
                        }
                    })
                    .collect();
                CategoryPart {
                    name: cat.name.clone(),
                    rule,
                    percent: standing.categories.get(k).copied().flatten(),
                    items,
                }
            })
            .collect();
        let id = student.profile.id.clone();
        let mine = crate::journal::Filter {
            course: Some(course.name.clone()),
            student: Some((student.name.to_string(), id.clone())),
            ..Default::default()
        };
        let history = mine.select(history).into_iter().cloned().collect();
        Self {
            course: course.name.clone(),
            name: student.name.to_string(),
            id,
            email: student.profile.email.clone(),
            section: student.profile.section.clone(),
            withdrawn: student.profile.withdrawn(),
            note: student.profile.note.clone(),
            final_grade: standing.final_grade,
            letter: standing
                .final_grade
                .map(|f| course.letters.letter(f).to_string()),
            rank: class.ranks[s].map(|r| (r, class.ranked)),
            final_with_zeros: plan.final_with_zeros(student),
            needed: course
                .letters
                .letters()
                .map(str::to_string)
                .zip(plan.needed(student))
                .collect(),
            empty_cells: student.marks.iter().filter(|m| *m == Mark::Empty).count(),
            categories,
            chart: (0..course.assessments.len())
                .map(|a| {
                    (
                        course.assessments[a].name.clone(),
                        plan.cell_percent(student, a),
                    )
                })
                .collect(),
            history,
            made,
        }
    }

    /// `id 1002 · maria@school.example · section B · withdrawn`.
    pub fn identity(&self) -> String {
        let mut parts = Vec::new();
        if let Some(id) = &self.id {
            parts.push(format!("id {id}"));
        }
        if let Some(e) = &self.email {
            parts.push(e.clone());
        }
        if let Some(s) = &self.section {
            parts.push(format!("section {s}"));
        }
        if self.withdrawn {
            parts.push("withdrawn (left out of statistics and ranks)".into());
        }
        parts.join(" · ")
    }

    /// `89.00 (B+), rank 2 of 30`.
    pub fn standing(&self) -> String {
        let mut s = two_decimals(self.final_grade);
        if let Some(l) = &self.letter {
            s.push_str(&format!(" ({l})"));
        }
        if let Some((r, n)) = self.rank {
            s.push_str(&format!(", rank {r} of {n}"));
        }
        s
    }

    /// `Needed on the 3 empty cells left: A 92.5%, ...`, or that nothing is left.
    pub fn needed_line(&self) -> String {
        if self.empty_cells == 0 {
            "Nothing left to grade".into()
        } else {
            format!(
                "Needed on the {} left: {}",
                crate::text::count(self.empty_cells, "empty cell"),
                self.needed_words()
            )
        }
    }

    /// `A 92.5%, B 80.1%, ...` or why there is none.
    pub fn needed_words(&self) -> String {
        if self.empty_cells == 0 {
            return "nothing left to grade".into();
        }
        crate::model::needed_words(self.needed.iter().map(|(l, x)| (l.as_str(), *x)))
    }

    /// The page as plain text, for a terminal or a file.
    pub fn text(&self) -> String {
        let mut out = format!("{} — {}\n", self.name, self.course);
        let who = self.identity();
        if !who.is_empty() {
            out.push_str(&format!("{who}\n"));
        }
        if let Some(n) = &self.note {
            out.push_str(&format!("Note: {}\n", n.replace('\n', "\n      ")));
        }
        out.push_str(&format!("\nFinal {}\n", self.standing()));
        out.push_str(&format!(
            "With every empty cell a zero: {}\n",
            two_decimals(self.final_with_zeros)
        ));
        out.push_str(&format!("{}\n", self.needed_line()));
        for cat in &self.categories {
            out.push_str(&format!(
                "\n{} ({}): {}\n",
                cat.name,
                cat.rule,
                two_decimals(cat.percent)
            ));
            let rows: Vec<Vec<String>> = cat
                .items
                .iter()
                .map(|i| {
                    let mut marks = i.marks();
                    if let Some(c) = &i.comment {
                        if !marks.is_empty() {
                            marks.push_str("; ");
                        }
                        marks.push_str(&format!("“{}”", c.replace('\n', " ")));
                    }
                    vec![
                        format!("  {}", i.assessment),
                        i.grade.clone(),
                        i.percent.map_or("–".into(), |p| format!("{p:.1}%")),
                        marks,
                    ]
                })
                .collect();
            if rows.is_empty() {
                out.push_str("  (no assessment yet)\n");
            } else {
                out.push_str(&crate::text::table(
                    &["", "Grade", "Percent", "Marks"],
                    &rows,
                    &[false, true, true, false],
                ));
            }
        }
        out.push_str(&format!(
            "\nPercents, in assessment order: {}\n",
            self.sparkline()
        ));
        out.push_str("\nHistory\n");
        if self.history.is_empty() {
            out.push_str("  No change recorded yet.\n");
        }
        for e in &self.history {
            out.push_str(&format!("  {}\n", e.line()));
        }
        out
    }

    /// The percents as a line of block characters (`▁▃█ ▅`; a space where none counts),
    /// 0 to 100 (bonus shows full).
    pub fn sparkline(&self) -> String {
        const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
        self.chart
            .iter()
            .map(|(_, p)| match p {
                Some(p) => BARS[((p.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize],
                None => ' ',
            })
            .collect()
    }

    /// The page in Markdown.
    pub fn markdown(&self) -> String {
        let esc = markdown_escape;
        let mut out = format!("# {}\n\n{}\n\n", esc(&self.name), esc(&self.course));
        let who = self.identity();
        if !who.is_empty() {
            out.push_str(&format!("{}\n\n", esc(&who)));
        }
        if let Some(n) = &self.note {
            out.push_str(&format!("> {}\n\n", esc(n).replace('\n', "\n> ")));
        }
        out.push_str(&format!(
            "- **Final:** {}\n- **With every empty cell a zero:** {}\n- {}\n",
            esc(&self.standing()),
            two_decimals(self.final_with_zeros),
            esc(&self.needed_line())
        ));
        for cat in &self.categories {
            out.push_str(&format!(
                "\n## {} ({}): {}\n\n",
                esc(&cat.name),
                esc(&cat.rule),
                two_decimals(cat.percent)
            ));
            out.push_str(
                "| Assessment | Grade | Percent | Marks | Comment |\n|---|---:|---:|---|---|\n",
            );
            for i in &cat.items {
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    esc(&i.assessment),
                    esc(&i.grade),
                    i.percent.map_or("–".into(), |p| format!("{p:.1}%")),
                    esc(&i.marks()),
                    esc(&i.comment.clone().unwrap_or_default()).replace('\n', " ")
                ));
            }
        }
        out.push_str(&format!(
            "\n## Percents, in assessment order\n\n`{}`\n\n## History\n\n",
            self.sparkline()
        ));
        if self.history.is_empty() {
            out.push_str("No change recorded yet.\n");
        }
        for e in &self.history {
            out.push_str(&format!("- {}\n", esc(&e.line())));
        }
        out
    }
}

/// Text safe in Markdown: characters that would format are escaped, control characters
/// shown escaped.
fn markdown_escape(text: &str) -> String {
    let clean = crate::text::clean(text);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        if "\\`*_[]|<>~#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

//! `gradebook report`: the class report as an aligned table or as one JSON object
//! (PRODUCT.md "report --json", version 2).

use chrono::SecondsFormat;
use serde::Serialize;

use super::emit;
use crate::error::Error;
use crate::grading::{Plan, Standing};
use crate::model::{CategoryMode, Course, Mark, fmt_num};
use crate::stats::Report;
use crate::text::{count, local_time, one_decimal, table, two_decimals};

/// The report as `report --json` writes it, streamed: each student is computed and
/// written in turn, so that memory holds the course and a buffer, not a tree of values
/// for 100,000 students.
#[derive(Serialize)]
struct ReportJson<'a> {
    course: &'a str,
    last_updated: String,
    students: Students<'a>,
    stats: StatsJson,
    top: Vec<TopJson<'a>>,
}

/// Every student of the course, computed as they are written.
struct Students<'a> {
    course: &'a Course,
    plan: &'a Plan<'a>,
    report: &'a Report,
}

impl Serialize for Students<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.course.students.len()))?;
        for (i, s) in self.course.students.iter().enumerate() {
            seq.serialize_element(&student_json(self.course, self.plan, self.report, i, s))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct StudentJson<'a> {
    name: &'a str,
    #[serde(rename = "final")]
    final_grade: Option<f64>,
    letter: Option<&'a str>,
    rank: Option<usize>,
    final_with_zeros: Option<f64>,
    /// For each letter but the last, the percent needed on every empty cell.
    needed: Pairs<'a, Option<f64>>,
    /// Every category's percent; null where it counts nothing.
    categories: Pairs<'a, Option<f64>>,
    /// The assessments dropped from the current grade.
    dropped: Vec<&'a str>,
    /// Per assessment, in the course's order: a number, "EX", "M" or null.
    grades: Pairs<'a, MarkJson>,
    /// Who they are: id (null if none), "active" or "withdrawn" (left out of statistics
    /// and ranks).
    id: Option<&'a str>,
    status: &'static str,
}

/// A JSON object from keys and values, written as it is read.
struct Pairs<'a, V>(Vec<(&'a str, V)>);

impl<V: Serialize> Serialize for Pairs<'_, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (*k, v)))
    }
}

/// A grade in the report: points, "EX", "M" or null.
struct MarkJson(Mark);

impl Serialize for MarkJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Mark::Empty => serializer.serialize_none(),
            Mark::Points(p) => serializer.serialize_f64(p),
            Mark::Excused => serializer.serialize_str("EX"),
            Mark::Missing => serializer.serialize_str("M"),
        }
    }
}

#[derive(Serialize)]
struct StatsJson {
    count: usize,
    mean: Option<f64>,
    median: Option<f64>,
    std_dev: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
}

#[derive(Serialize)]
struct TopJson<'a> {
    name: &'a str,
    #[serde(rename = "final")]
    final_grade: f64,
}

/// Prints the report of `course`.
pub fn print(course: &Course, json: bool, out: &mut dyn std::io::Write) -> Result<(), Error> {
    let report = Report::of(course);
    if json {
        use std::io::Write;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        write_json(course, &report, &mut out)?;
        return out.flush().map_err(Error::Output);
    }
    emit(out, &to_text(course, &report))
}

fn student_json<'a>(
    course: &'a Course,
    plan: &Plan,
    r: &Report,
    i: usize,
    s: crate::model::StudentRef<'a>,
) -> StudentJson<'a> {
    let standing = plan.standing(s);
    let letters = &course.letters.0;
    StudentJson {
        name: s.name,
        final_grade: r.finals[i],
        letter: r.finals[i].map(|f| course.letters.letter(f)),
        rank: r.ranks[i],
        final_with_zeros: plan.final_with_zeros(s),
        id: s.profile.id.as_deref(),
        status: s.profile.status.name(),
        needed: Pairs(
            letters
                .iter()
                .zip(plan.needed(s))
                .map(|(g, x)| (g.letter.as_str(), x))
                .collect(),
        ),
        categories: Pairs(
            course
                .categories
                .iter()
                .zip(&standing.categories)
                .map(|(k, p)| (k.name.as_str(), *p))
                .collect(),
        ),
        dropped: standing
            .dropped
            .iter()
            .map(|&a| course.assessments[a].name.as_str())
            .collect(),
        grades: Pairs(
            course
                .assessments
                .iter()
                .zip(s.marks)
                .map(|(a, m)| (a.name.as_str(), MarkJson(m)))
                .collect(),
        ),
    }
}

/// Writes the JSON report to `out`, a buffer (the formatter writes many small pieces, so
/// the writer's type is known here: its small writes are inlined copies).
fn write_json<W: std::io::Write>(course: &Course, r: &Report, out: &mut W) -> Result<(), Error> {
    let plan = Plan::of(course);
    let s = r.stats;
    let doc = ReportJson {
        course: &course.name,
        last_updated: course
            .last_updated
            .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        students: Students {
            course,
            plan: &plan,
            report: r,
        },
        stats: StatsJson {
            count: s.count,
            mean: s.mean,
            median: s.median,
            std_dev: s.std_dev,
            min: s.min,
            max: s.max,
        },
        top: r
            .top
            .iter()
            .filter_map(|&i| {
                Some(TopJson {
                    name: course.students.at(i).name,
                    final_grade: r.finals[i]?,
                })
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(|e| match e.io_error_kind() {
        Some(_) => Error::Output(e.into()),
        None => Error::from(crate::interop::FileError::from(e)),
    })?;
    out.write_all(b"\n").map_err(Error::Output)
}

/// The syllabus in a line or two: categories with their share of the final, drops and
/// modes; late policy; letters.
pub fn syllabus(course: &Course) -> String {
    let categories: Vec<String> = course
        .categories
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let share = course.category_share(i).unwrap_or(0.0);
            let share = format!("{}%", fmt_num((share * 10.0).round() / 10.0));
            let mut s = format!("{} {share}", k.name);
            if k.drop_lowest > 0 {
                s.push_str(&format!(" (drop {} lowest)", k.drop_lowest));
            }
            if k.mode == CategoryMode::Points {
                s.push_str(" (total points)");
            }
            s
        })
        .collect();
    let mut out = format!("Categories: {}\n", categories.join(" · "));
    if let Some(p) = &course.late_policy {
        out.push_str(&format!(
            "Late work: −{}% of the max points a day, at most −{}%\n",
            fmt_num(p.per_day),
            fmt_num(p.max)
        ));
    }
    out.push_str(&format!("Letters: {}\n", course.letters.describe()));
    out
}

/// A cell as the text report shows it: `9.5`, `EX`, `M`, `–`; `[...]` when dropped, `L2`
/// when two days late, `*` with a comment.
fn cell_text(course: &Course, standing: &Standing, s: usize, a: usize) -> String {
    let student = course.students.at(s);
    let mut text = match student.mark(a) {
        Mark::Empty => "–".to_string(),
        Mark::Points(p) => one_decimal(Some(p)),
        other => other.text(),
    };
    let late = student.late_days(a);
    if late > 0 {
        text.push_str(&format!(" L{late}"));
    }
    if student.comment(a).is_some() {
        text.push('*');
    }
    if standing.dropped.contains(&a) {
        text = format!("[{text}]");
    }
    text
}

fn to_text(course: &Course, r: &Report) -> String {
    let mut out = format!(
        "{}\nLast updated {}\n{}\n",
        course.name,
        local_time(course.last_updated),
        syllabus(course)
    );
    if course.students.is_empty() {
        out.push_str("No students yet. Add a grade with `gradebook grade NAME POINTS`.\n");
        return out;
    }
    let plan = Plan::of(course);
    let several = course.categories.len() > 1;
    let mut header = vec!["Rank", "Student"];
    header.extend(course.assessments.iter().map(|a| a.name.as_str()));
    if several {
        header.extend(course.categories.iter().map(|k| k.name.as_str()));
    }
    header.extend(["Final", "Letter"]);
    let mut order: Vec<usize> = (0..course.students.len()).collect();
    order.sort_by_key(|&i| (r.ranks[i].unwrap_or(usize::MAX), i));
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|&i| {
            let standing = plan.standing(course.students.at(i));
            let student = course.students.at(i);
            let name = if student.profile.withdrawn() {
                format!("{} (withdrawn)", student.name)
            } else {
                student.name.to_string()
            };
            let mut row = vec![r.ranks[i].map_or("–".into(), |k| k.to_string()), name];
            row.extend((0..course.assessments.len()).map(|a| cell_text(course, &standing, i, a)));
            if several {
                row.extend(standing.categories.iter().map(|p| two_decimals(*p)));
            }
            row.push(two_decimals(r.finals[i]));
            row.push(r.finals[i].map_or("–".into(), |f| course.letters.letter(f).to_string()));
            row
        })
        .collect();
    let columns = header.len();
    let mut right = vec![true; columns];
    right[1] = false;
    right[columns - 1] = false;
    out.push_str(&table(&header, &rows, &right));
    out.push_str(&summary_lines(course, r));
    out
}

fn summary_lines(course: &Course, r: &Report) -> String {
    let marks = course.students.iter().any(|s| {
        !s.notes.is_empty()
            || s.marks
                .iter()
                .any(|m| matches!(m, Mark::Excused | Mark::Missing))
    }) || course.categories.iter().any(|k| k.drop_lowest > 0);
    let mut out = String::new();
    if marks {
        out.push_str(
            "[..] dropped  EX excused  M missing (counts 0)  L2 two days late  * comment\n",
        );
    }
    let st = r.stats;
    let withdrawn = course.students.withdrawn_count();
    out.push_str(&format!(
        "\nClass average {}  Median {}  Std dev {}  Min {}  Max {}  ({} graded of {})\n",
        two_decimals(st.mean),
        two_decimals(st.median),
        st.std_dev.map_or("–".into(), |d| format!("{d:.2}")),
        two_decimals(st.min),
        two_decimals(st.max),
        st.count,
        course.students.len() - withdrawn
    ));
    if withdrawn > 0 {
        out.push_str(&format!(
            "{} left out of the statistics\n",
            count(withdrawn, "withdrawn student")
        ));
    }
    let top: Vec<String> = r
        .top
        .iter()
        .map(|&i| {
            format!(
                "{} ({})",
                course.students.at(i).name,
                two_decimals(r.finals[i])
            )
        })
        .collect();
    let label = if top.len() > 1 {
        "Top students"
    } else {
        "Top student"
    };
    if !top.is_empty() {
        out.push_str(&format!("{label}: {}\n", top.join(", ")));
    }
    out
}

/// A student's page (`student` given) to standard output or a file, or every student's
/// page to the folder `output` with an index (and, in HTML, one document to print them
/// all).
pub fn pages(
    path: &std::path::Path,
    course: Option<&str>,
    student: Option<&str>,
    format: super::PageFormat,
    output: Option<&std::path::Path>,
    out: &mut dyn std::io::Write,
) -> Result<String, Error> {
    use super::PageFormat;
    use crate::page::{StudentPage, html};
    let (saved, records, brk) = crate::store::load_history(path)?;
    let book = &saved.book;
    let c = &book.courses[super::resolve_course(book, course)?];
    let history: Vec<_> = records.into_iter().map(|r| r.entry).collect();
    let now = chrono::Utc::now();
    let render = |p: &StudentPage| match format {
        PageFormat::Text => p.text(),
        PageFormat::Markdown => p.markdown(),
        PageFormat::Html => html::page(p),
    };
    let mut said = String::new();
    if let Some(b) = &brk {
        said.push_str(&format!(
            "Note: the history is broken at {b}; the pages show what comes before\n"
        ));
    }
    match (student, output) {
        (Some(query), _) => {
            let s = c.student(query)?;
            let text = render(&StudentPage::of(c, s, &history, now));
            match output {
                Some(file) => {
                    crate::store::check_output(path, file)?;
                    crate::interop::files::write_output(file, &text)?;
                    said.push_str(&format!(
                        "Wrote the page of {} to {}\n",
                        c.describe_student(s),
                        file.display()
                    ));
                }
                None => emit(out, &text)?,
            }
        }
        (None, Some(dir)) => {
            let extension = match format {
                PageFormat::Text => "txt",
                PageFormat::Markdown => "md",
                PageFormat::Html => "html",
            };
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::Refused(format!("cannot create the folder {}: {e}", dir.display()))
            })?;
            let class = crate::page::Class::of(c);
            let pages: Vec<StudentPage> = (0..c.students.len())
                .map(|s| StudentPage::in_class(&class, s, &history, now))
                .collect();
            let files: Vec<String> = (0..pages.len())
                .map(|i| {
                    html::file_name(i, &pages[i].name).replace(".html", &format!(".{extension}"))
                })
                .collect();
            // Every file is checked before any is written: none over the data file, its
            // lock or history, none through a symbolic link.
            let all_names: Vec<String> = files
                .iter()
                .cloned()
                .chain([format!("index.{extension}"), format!("all.{extension}")])
                .collect();
            for name in &all_names {
                let file = dir.join(name);
                crate::store::check_output(path, &file)?;
                if std::fs::symlink_metadata(&file).is_ok_and(|m| !m.is_file()) {
                    return Err(Error::Refused(format!(
                        "{} is a symbolic link or not a file: nothing was written",
                        file.display()
                    )));
                }
            }
            // Pages an earlier run wrote for students no longer there go.
            remove_old_pages(dir, extension, &all_names);
            for (p, name) in pages.iter().zip(&files) {
                crate::interop::files::write_output(&dir.join(name), render(p))?;
            }
            let (index, all) = match format {
                PageFormat::Html => (
                    html::index(&c.name, &pages, &files),
                    html::class(&c.name, &pages),
                ),
                PageFormat::Text | PageFormat::Markdown => {
                    let list: String = pages
                        .iter()
                        .zip(&files)
                        .map(|(p, f)| format!("{f}  {}  {}\n", p.name, p.standing()))
                        .collect();
                    let all: String = pages
                        .iter()
                        .map(render)
                        .collect::<Vec<_>>()
                        .join("\n\u{c}\n");
                    (list, all)
                }
            };
            for (name, text) in [
                (format!("index.{extension}"), index),
                (format!("all.{extension}"), all),
            ] {
                let file = dir.join(name);
                crate::store::check_output(path, &file)?;
                crate::interop::files::write_output(&file, &text)?;
            }
            said.push_str(&format!(
                "Wrote {} of {} to {} (index.{extension}, all.{extension} to print them all)\n",
                count(pages.len(), "student page"),
                crate::text::quote(&c.name),
                dir.display()
            ));
        }
        (None, None) => {
            return Err(Error::Refused(
                "a page needs --student NAME, or --students with -o FOLDER".into(),
            ));
        }
    }
    Ok(said)
}

/// Removes the pages (`NNN-name.<extension>`) a run left in `dir` that `keep` does not
/// name: the students they were about may have left the course.
fn remove_old_pages(dir: &std::path::Path, extension: &str, keep: &[String]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.len() > 4
            && name.as_bytes()[..3].iter().all(u8::is_ascii_digit)
            && (name.as_bytes()[3] == b'-' || name.as_bytes()[3] == b'.')
            && name.ends_with(&format!(".{extension}"))
            && name[..name.len() - extension.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if ours && is_file && !keep.contains(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

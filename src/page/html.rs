//! Student pages as HTML, made with `maud`, which escapes every text and attribute it is
//! given: names, comments and notes come from people and files, and stay text. Each page
//! prints on A4 or Letter with its own CSS; the class's pages print one student a sheet.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::StudentPage;
use crate::text::two_decimals;

/// The style of every page: readable on screen, one student a sheet on paper.
const CSS: &str = r#"
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; }
body { max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.35; }
h1 { font-size: 1.5rem; margin: 0 0 .2rem; }
h2 { font-size: 1.1rem; margin: 1.1rem 0 .3rem; border-bottom: 1px solid #ccc; }
.course, .who { color: #444; margin: 0; }
.note { border-left: 3px solid #999; padding: .2rem .6rem; margin: .6rem 0; white-space: pre-wrap; }
.summary { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .6rem 0; }
.summary dt { font-weight: 600; }
.summary dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; break-inside: avoid; table-layout: fixed; }
table.items th:nth-child(1) { width: 26%; } table.items th:nth-child(2) { width: 13%; }
table.items th:nth-child(3) { width: 11%; } table.items th:nth-child(4) { width: 22%; }
td { overflow-wrap: anywhere; }
th, td { text-align: left; padding: .15rem .4rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.dropped td { color: #777; text-decoration: line-through; }
tr.dropped td.marks { text-decoration: none; }
.chart { margin: .4rem 0; }
.history { font-size: .85rem; padding-left: 1.1rem; }
.made { color: #777; font-size: .8rem; margin-top: 1rem; }
.student { break-after: page; page-break-after: always; }
section.student:last-of-type { break-after: auto; page-break-after: auto; }
@page { size: auto; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  .no-print { display: none; }
}
"#;

/// The body of one student's page (used alone and in the class's document).
fn student(p: &StudentPage) -> Markup {
    html! {
        section.student {
            h1 { (p.name) }
            p.course { (p.course) }
            @let who = p.identity();
            @if !who.is_empty() { p.who { (who) } }
            @if let Some(note) = &p.note { div.note { (note) } }
            dl.summary {
                dt { "Final" } dd { (p.standing()) }
                dt { "With every empty cell a zero" } dd { (two_decimals(p.final_with_zeros)) }
                @if p.empty_cells == 0 {
                    dt { "Left to grade" } dd { "nothing" }
                } @else {
                    dt { "Needed on the " (crate::text::count(p.empty_cells, "empty cell")) " left" }
                    dd { (p.needed_words()) }
                }
            }
            @for cat in &p.categories {
                h2 { (cat.name) " (" (cat.rule) "): " (two_decimals(cat.percent)) }
                @if cat.items.is_empty() {
                    p { "No assessment yet." }
                } @else {
                    table.items {
                        thead { tr {
                            th { "Assessment" } th.num { "Grade" } th.num { "Percent" }
                            th { "Marks" } th { "Comment" }
                        } }
                        tbody {
                            @for i in &cat.items {
                                tr class=[i.dropped.then_some("dropped")] {
                                    td { (i.assessment) }
                                    td.num { (i.grade) }
                                    td.num { (i.percent.map_or("–".to_string(), |x| format!("{x:.1}%"))) }
                                    td.marks { (i.marks()) }
                                    td { (i.comment.as_deref().unwrap_or("")) }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Percents, in assessment order" }
            (chart(p))
            h2 { "History" }
            @if p.history.is_empty() {
                p { "No change recorded yet." }
            } @else {
                ul.history {
                    @for e in &p.history { li { (e.line()) } }
                }
            }
        }
    }
}

/// A bar per assessment, 0 to 100% (bonus capped at the top), labelled underneath.
fn chart(p: &StudentPage) -> Markup {
    let n = p.chart.len().max(1) as f64;
    let (w, h, base) = (600.0, 140.0, 110.0);
    let step = w / n;
    let bar = (step * 0.7).min(40.0);
    html! {
        svg.chart viewBox=(format!("0 0 {w} {h}")) width="100%" role="img"
            aria-label=(format!("{}'s percent in each assessment", p.name)) {
            line x1="0" y1=(base) x2=(w) y2=(base) stroke="#999" {}
            @for (k, (name, pct)) in p.chart.iter().enumerate() {
                @let x = step * k as f64 + (step - bar) / 2.0;
                @if let Some(pct) = pct {
                    @let height = pct.clamp(0.0, 100.0) / 100.0 * 100.0;
                    rect x=(format!("{x:.1}")) y=(format!("{:.1}", base - height))
                        width=(format!("{bar:.1}")) height=(format!("{height:.1}")) fill="#4a78b5" {
                        title { (name) ": " (format!("{pct:.1}%")) }
                    }
                }
                text x=(format!("{:.1}", x + bar / 2.0)) y=(base + 14.0) font-size="10"
                    text-anchor="middle" { (crate::text::clip(name, 10)) }
            }
        }
    }
}

fn document(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

fn made_line(p: &StudentPage) -> Markup {
    html! { p.made { "Made by gradebook on " (p.made.format("%Y-%m-%d %H:%M UTC")) "." } }
}

/// One student's page as a whole HTML document.
pub fn page(p: &StudentPage) -> String {
    let title = format!("{} — {}", p.name, p.course);
    document(&title, html! { (student(p)) (made_line(p)) })
}

/// Every student of a course in one document, a sheet each when printed.
pub fn class(course: &str, pages: &[StudentPage]) -> String {
    document(
        &format!("{course}: every student"),
        html! {
            @for p in pages { (student(p)) }
        },
    )
}

/// The index of a course's pages: each student with final and letter, linking to their
/// page (`files` in the same order as `pages`).
pub fn index(course: &str, pages: &[StudentPage], files: &[String]) -> String {
    document(
        &format!("{course}: students"),
        html! {
            h1 { (course) }
            p.no-print { a href="all.html" { "Every page in one document, to print" } }
            table {
                thead { tr { th { "Student" } th { "Id" } th.num { "Final" } th { "Letter" } } }
                tbody {
                    @for (p, file) in pages.iter().zip(files) {
                        tr {
                            td { a href=(file) { (p.name) } @if p.withdrawn { " (withdrawn)" } }
                            td { (p.id.as_deref().unwrap_or("")) }
                            td.num { (two_decimals(p.final_grade)) }
                            td { (p.letter.as_deref().unwrap_or("–")) }
                        }
                    }
                }
            }
        },
    )
}

/// A file name for student number `i` named `name`: the number, then the name in plain
/// lowercase letters and digits (`007-maria-garcia.html`), never a path.
pub fn file_name(i: usize, name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut slug = String::new();
    for c in name.nfd() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_matches('-').chars().take(40).collect();
    if slug.is_empty() {
        format!("{:03}.html", i + 1)
    } else {
        format!("{:03}-{slug}.html", i + 1)
    }
}

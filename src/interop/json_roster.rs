//! A course's students read from a JSON export straight into the roster, one at a time:
//! names and grade keys borrowed from the file's text, each grade read as a cell without
//! a tree of values, and one set of buffers reused from student to student (100,000
//! students are read without allocating per grade).

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::json::{LmsJson, NOT_A_GRADE, StatusJson, read_cell};
use crate::model::{Cell, CellNote, Mark, Profile, Roster, Status, check_profile};
use crate::text::quote;

/// A problem with a student that is not in the JSON's syntax: the message names the
/// student, whose name may come after the grades.
pub struct Wrong(pub String);

/// Reads a JSON array of students into a roster with one mark per assessment (`names`,
/// in order). A student the course cannot take is `Ok(Err(..))` (the rest of the array is
/// still read, so the parser can go on); bad JSON is the parser's error.
pub struct StudentsSeed<'s>(pub &'s [&'s str]);

impl<'de> DeserializeSeed<'de> for StudentsSeed<'_> {
    type Value = Result<Roster, Wrong>;

    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        let names = self.0;
        de.deserialize_seq(Students(Reading {
            names,
            marks: vec![Mark::Empty; names.len()],
            notes: Vec::new(),
            seen: vec![0; names.len()],
            stamp: 0,
            next: 0,
            problem: None,
        }))
    }
}

/// One student's cells while they are read, and what was found wrong.
struct Reading<'s> {
    names: &'s [&'s str],
    marks: Vec<Mark>,
    notes: Vec<CellNote>,
    /// The student (`stamp`) each assessment last had a grade from: a grade given twice.
    seen: Vec<u64>,
    stamp: u64,
    /// Grades usually come in the assessments' order: the next one is tried first.
    next: usize,
    /// The student's first grade that cannot be taken: the key and, for a cell that
    /// cannot be read, what is wrong with it (none: not an assessment).
    problem: Option<(String, Option<String>)>,
}

impl Reading<'_> {
    fn begin(&mut self) {
        self.marks.fill(Mark::Empty);
        self.notes.clear();
        self.stamp += 1;
        self.next = 0;
        self.problem = None;
    }

    fn assessment(&self, key: &str) -> Option<usize> {
        let names = self.names;
        Some(self.next)
            .filter(|&k| names.get(k).is_some_and(|&n| n == key))
            .or_else(|| names.iter().position(|&n| n == key))
    }

    fn take(&mut self, a: usize, cell: Cell) {
        self.marks[a] = cell.mark;
        if cell.late_days > 0 || cell.comment.is_some() {
            self.notes.push(CellNote {
                assessment: a,
                late_days: cell.late_days,
                comment: cell.comment,
            });
        }
    }
}

struct Students<'s>(Reading<'s>);

impl<'de> Visitor<'de> for Students<'_> {
    type Value = Result<Roster, Wrong>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of students")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut reading = self.0;
        let mut roster = Roster::new(reading.names.len());
        while let Some(student) = seq.next_element_seed(StudentSeed(&mut reading))? {
            if roster.len().is_multiple_of(1024) {
                // How far into the file: the name is borrowed from it (unless unescaped).
                crate::progress::reached_at(&student.name);
            }
            if let Err(w) = student.add_to(&mut roster, &mut reading) {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(Err(w));
            }
        }
        Ok(Ok(roster))
    }
}

/// A student's fields other than the grades, which are in the [`Reading`].
struct StudentIn<'de> {
    name: Cow<'de, str>,
    profile: Profile,
}

impl StudentIn<'_> {
    fn add_to(self, roster: &mut Roster, reading: &mut Reading) -> Result<(), Wrong> {
        if let Some((key, what)) = reading.problem.take() {
            let name = quote(&self.name);
            return Err(Wrong(match what {
                None => format!(
                    "{name} has a grade in {}, which is not an assessment",
                    quote(&key)
                ),
                Some(what) => format!("{name}'s grade in {}: {what}", quote(&key)),
            }));
        }
        let profile = check_profile(self.profile)
            .map_err(|e| Wrong(format!("{}: {e}", quote(&self.name))))?;
        let mut notes = std::mem::take(&mut reading.notes);
        notes.sort_by_key(|n| n.assessment);
        roster.push_parts(&self.name, &reading.marks, profile, notes);
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Field {
    Name,
    Id,
    Email,
    Section,
    Status,
    Note,
    Lms,
    Grades,
}

struct StudentSeed<'r, 's>(&'r mut Reading<'s>);

impl<'de> DeserializeSeed<'de> for StudentSeed<'_, '_> {
    type Value = StudentIn<'de>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

/// Sets `slot` once; a field given twice is refused as the derived readers do.
pub(super) fn once<T, E: de::Error>(
    slot: &mut Option<T>,
    value: T,
    field: &'static str,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(field));
    }
    *slot = Some(value);
    Ok(())
}

impl<'de> Visitor<'de> for StudentSeed<'_, '_> {
    type Value = StudentIn<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("struct StudentIn")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let reading = self.0;
        reading.begin();
        let mut name = None;
        let (mut id, mut email, mut section, mut note) = (None, None, None, None);
        let (mut status, mut lms, mut grades) = (None, None, None);
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Name => once(&mut name, map.next_value::<Text>()?.0, "name")?,
                Field::Id => once(&mut id, map.next_value()?, "id")?,
                Field::Email => once(&mut email, map.next_value()?, "email")?,
                Field::Section => once(&mut section, map.next_value()?, "section")?,
                Field::Note => once(&mut note, map.next_value()?, "note")?,
                Field::Status => once(&mut status, map.next_value::<StatusJson>()?, "status")?,
                Field::Lms => once(&mut lms, map.next_value::<LmsJson>()?, "lms")?,
                Field::Grades => {
                    if grades.is_some() {
                        return Err(de::Error::duplicate_field("grades"));
                    }
                    map.next_value_seed(Grades(reading))?;
                    grades = Some(());
                }
            }
        }
        let name = name.ok_or_else(|| de::Error::missing_field("name"))?;
        grades.ok_or_else(|| de::Error::missing_field("grades"))?;
        let status = match status.unwrap_or_default() {
            StatusJson::Active => Status::Active,
            StatusJson::Withdrawn => Status::Withdrawn,
        };
        Ok(StudentIn {
            name,
            profile: Profile {
                id: id.flatten(),
                email: email.flatten(),
                section: section.flatten(),
                status,
                note: note.flatten(),
                lms: lms.unwrap_or_default().into(),
            },
        })
    }
}

/// A student's grades by assessment name, into the [`Reading`].
struct Grades<'r, 's>(&'r mut Reading<'s>);

impl<'de> DeserializeSeed<'de> for Grades<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Grades<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object of grades by assessment name")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let reading = self.0;
        while let Some(Text(key)) = map.next_key::<Text>()? {
            let Some(a) = reading.assessment(&key) else {
                map.next_value::<IgnoredAny>()?;
                if reading.problem.is_none() {
                    reading.problem = Some((key.into_owned(), None));
                }
                continue;
            };
            if reading.seen[a] == reading.stamp {
                return Err(de::Error::custom(format!(
                    "the grade for {} appears twice",
                    quote(&key)
                )));
            }
            reading.seen[a] = reading.stamp;
            reading.next = a + 1;
            match map.next_value::<CellIn>()?.0 {
                Ok(cell) => reading.take(a, cell),
                Err(what) => {
                    if reading.problem.is_none() {
                        reading.problem = Some((key.into_owned(), Some(what)));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Text borrowed from the file where it needs no unescaping.
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }

            fn visit_string<E: de::Error>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

/// One grade's JSON as a cell, or what is wrong with it (as [`read_cell`] says).
struct CellIn(Result<Cell, String>);

impl<'de> Deserialize<'de> for CellIn {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        fn points<E>(p: f64) -> Result<CellIn, E> {
            // + 0.0 makes -0 a plain 0.
            Ok(CellIn(Ok(Mark::Points(p + 0.0).into())))
        }
        fn not_a_grade<E>() -> Result<CellIn, E> {
            Ok(CellIn(Err(NOT_A_GRADE.into())))
        }
        impl<'de> Visitor<'de> for V {
            type Value = CellIn;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a grade")
            }

            fn visit_unit<E: de::Error>(self) -> Result<CellIn, E> {
                Ok(CellIn(Ok(Cell::default())))
            }

            fn visit_none<E: de::Error>(self) -> Result<CellIn, E> {
                self.visit_unit()
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<CellIn, E> {
                points(n as f64)
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<CellIn, E> {
                points(n as f64)
            }

            fn visit_f64<E: de::Error>(self, n: f64) -> Result<CellIn, E> {
                points(n)
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<CellIn, E> {
                not_a_grade()
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<CellIn, E> {
                match super::json::mark_word(s) {
                    Some(mark) => Ok(CellIn(Ok(mark.into()))),
                    None => not_a_grade(),
                }
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CellIn, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                not_a_grade()
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CellIn, A::Error> {
                // A cell with late days or a comment: rare, read as a value.
                let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(CellIn(read_cell(&value)))
            }
        }
        d.deserialize_any(V)
    }
}

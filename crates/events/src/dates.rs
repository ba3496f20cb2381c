//! Temporal expressions resolved against the publication date: weekdays ("on Friday",
//! "last Sunday"), "yesterday"/"today", month-day ("September 24", "24 Sept."), month-year
//! and bare years ("in 1999", dated to their own year, never to the publication date).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use tocsin_doc::{Document, Precision};

/// A date phrase found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    /// Token range of the phrase.
    pub tokens: std::ops::Range<usize>,
    /// The resolved date (first day of the month/year for coarser precisions).
    pub date: NaiveDate,
    /// Precision.
    pub precision: Precision,
    /// Introduced by "after", "since", "before", "until", "following": a reference time, not the event's date.
    pub reference_only: bool,
    /// Followed by "'s" ("last Sunday's attack"): the date of the noun that follows.
    pub possessive: bool,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(norm: &str) -> Option<u32> {
    let n = norm.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| *m == n || (n.len() >= 3 && n.len() < m.len() && m.starts_with(n)))
        .map(|i| i as u32 + 1)
}

fn weekday(norm: &str) -> Option<Weekday> {
    Some(match norm {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// The most recent `day` on or before `anchor` (strictly before when `strict`).
fn last_weekday(anchor: NaiveDate, day: Weekday, strict: bool) -> NaiveDate {
    let mut back = (7 + anchor.weekday().num_days_from_monday() as i64 - day.num_days_from_monday() as i64) % 7;
    if back == 0 && strict {
        back = 7;
    }
    anchor - Duration::days(back)
}

fn day_number(norm: &str) -> Option<u32> {
    let n = norm
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th");
    n.parse::<u32>().ok().filter(|d| (1..=31).contains(d))
}

fn year_number(norm: &str) -> Option<i32> {
    (norm.len() == 4)
        .then(|| norm.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1800..=2100).contains(y))
}

/// Finds and resolves the date phrases of sentence `s` against `published`.
pub fn find_dates(doc: &Document, s: usize, published: NaiveDate) -> Vec<DateMention> {
    let range = doc.sentences[s].tokens.clone();
    let norm = |i: usize| -> &str {
        if range.contains(&i) {
            doc.tokens[i].norm.as_str()
        } else {
            ""
        }
    };
    let capitalised = |i: usize| doc.slice(doc.tokens[i].span).starts_with(|c: char| c.is_uppercase());
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let mut found: Option<(usize, NaiveDate, Precision)> = None;
        let mut start = i;
        if let Some(day) = weekday(norm(i)) {
            let last = norm(i.wrapping_sub(1)) == "last";
            if last {
                start = i - 1;
            }
            found = Some((i + 1, last_weekday(published, day, last), Precision::Day));
        } else if norm(i) == "yesterday" {
            found = Some((i + 1, published - Duration::days(1), Precision::Day));
        } else if norm(i) == "today" || norm(i) == "tonight" {
            found = Some((i + 1, published, Precision::Day));
        } else if let Some(m) = month(norm(i)).filter(|_| {
            capitalised(i)
                && (norm(i) != "may" || day_number(norm(i + 1)).is_some() || year_number(norm(i + 1)).is_some())
        }) {
            // "September 24[, 2023]" | "September 2023" | "24 September"
            if let Some(d) = day_number(norm(i + 1)) {
                let (end, year) = match (norm(i + 2), year_number(norm(i + 3)), year_number(norm(i + 2))) {
                    (",", Some(y), _) => (i + 4, Some(y)),
                    (_, _, Some(y)) => (i + 3, Some(y)),
                    _ => (i + 2, None),
                };
                let resolve = |y: i32| NaiveDate::from_ymd_opt(y, m, d);
                let date = match year {
                    Some(y) => resolve(y),
                    None => resolve(published.year())
                        .filter(|d| *d <= published + Duration::days(7))
                        .or_else(|| resolve(published.year() - 1)),
                };
                if let Some(date) = date {
                    found = Some((end, date, Precision::Day));
                }
            } else if let Some(y) = year_number(norm(i + 1)) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, 1) {
                    found = Some((i + 2, date, Precision::Month));
                }
            } else if let Some(d) = day_number(norm(i.wrapping_sub(1))) {
                let y = year_number(norm(i + 1)).unwrap_or(published.year());
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                    start = i - 1;
                    found = Some((
                        i + 1 + usize::from(year_number(norm(i + 1)).is_some()),
                        date,
                        Precision::Day,
                    ));
                }
            }
        } else if let Some(y) = year_number(norm(i)).filter(|_| {
            matches!(
                norm(i.wrapping_sub(1)),
                "in" | "since" | "until" | "by" | "of" | "before" | "after"
            )
        }) {
            if let Some(date) = NaiveDate::from_ymd_opt(y, 1, 1) {
                found = Some((i + 1, date, Precision::Year));
            }
        }
        if let Some((end, date, precision)) = found {
            let intro = norm(start.wrapping_sub(1));
            let intro2 = norm(start.wrapping_sub(2));
            out.push(DateMention {
                tokens: start..end,
                date,
                precision,
                reference_only: matches!(intro, "after" | "since" | "before" | "until" | "following")
                    || matches!(intro2, "after" | "since" | "before" | "until" | "following")
                        && matches!(intro, "the" | "on" | "in"),
                possessive: norm(end) == "'s",
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

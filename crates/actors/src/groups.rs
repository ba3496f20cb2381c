//! Non-state armed groups (`armed_groups.tsv`) and the choice, on an article's date, between entries
//! that share a name (an office holder's successive offices, the Taliban before and after August 2021).

use chrono::NaiveDate;

use crate::kb::{Entry, KbError, KnowledgeBase};

/// A non-state armed group (or criminal organisation) with its CAMEO-style code.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmedGroup {
    /// Canonical name ("Rapid Support Forces").
    pub name: String,
    /// Code as written in the file (`SDNREB`, `IMGREB` for groups without a country).
    pub code: String,
    /// Countries where it fights: one gives the group its country; several give it none unless the
    /// sentence places the act in one of them ("JNIM … in Burkina Faso").
    pub countries: Vec<String>,
    /// Sector (REB, CRM, or GOV for a group that became a government).
    pub sector: String,
    /// First day of activity (a year alone means 1 January).
    pub from: Option<NaiveDate>,
    /// Last day of activity (a year alone means 31 December); None: still active.
    pub to: Option<NaiveDate>,
    /// Where the row comes from (UCDP actor id, a news item id, a citation).
    pub source: String,
}

impl ArmedGroup {
    /// The single country of the group, if it fights in one.
    pub fn country(&self) -> Option<&str> {
        match self.countries.as_slice() {
            [one] => Some(one.as_str()),
            _ => None,
        }
    }
}

/// A `from`/`to` field: `YYYY` or `YYYY-MM-DD`; a year alone is its first (`end` false) or last day.
pub(crate) fn parse_day(s: &str, end: bool) -> Option<NaiveDate> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let year: i32 = s.parse().ok().filter(|y| (1800..=2200).contains(y))?;
    if end {
        NaiveDate::from_ymd_opt(year, 12, 31)
    } else {
        NaiveDate::from_ymd_opt(year, 1, 1)
    }
}

/// Whether `day` falls within [from, to] (open ends unbounded).
pub(crate) fn in_office(from: Option<NaiveDate>, to: Option<NaiveDate>, day: NaiveDate) -> bool {
    from.is_none_or(|f| f <= day) && to.is_none_or(|t| day <= t)
}

/// How well an entry's dates fit the article's day: 0 in office / active that day; 1 no day given and
/// still current; 2 otherwise (the first such entry in file order is kept).
fn date_rank(dates: (Option<NaiveDate>, Option<NaiveDate>), day: Option<NaiveDate>) -> u8 {
    match day {
        Some(d) if in_office(dates.0, dates.1, d) => 0,
        None if dates.1.is_none() => 1,
        _ => 2,
    }
}

impl KnowledgeBase {
    /// Reads `armed_groups.tsv`: name, aliases, code, countries, sector, from, to, source.
    pub(crate) fn load_groups(
        &mut self,
        file: &str,
        text: &str,
        phrases: &mut Vec<(String, Entry)>,
    ) -> Result<(), KbError> {
        let err = |line: usize, message: String| KbError {
            file: file.into(),
            line,
            message,
        };
        for (line, c) in crate::kb::rows(text) {
            let field = |i: usize| c.get(i).copied().unwrap_or("");
            let name = field(0);
            if name.is_empty() {
                return Err(err(line, "field `name` is missing".into()));
            }
            let code = field(2);
            let sector = field(4);
            if sector.is_empty() || !sector.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(err(
                    line,
                    format!("field `sector`: {sector:?} is not a sector code (REB, CRM…)"),
                ));
            }
            let countries: Vec<String> = field(3)
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if let Some(bad) = countries.iter().find(|c| self.country(c).is_none()) {
                return Err(err(
                    line,
                    format!("field `country`: {bad:?} is not a known ISO3 country"),
                ));
            }
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(err(line, format!("field `code`: {code:?} is not a CAMEO-style code")));
            }
            if let [one] = countries.as_slice() {
                if !code.starts_with(one.as_str()) {
                    return Err(err(
                        line,
                        format!("field `code`: {code:?} does not start with its country {one}"),
                    ));
                }
            }
            let day = |i: usize, end: bool, what: &str| -> Result<Option<NaiveDate>, KbError> {
                match field(i) {
                    "" => Ok(None),
                    s => parse_day(s, end)
                        .map(Some)
                        .ok_or_else(|| err(line, format!("field `{what}`: {s:?} is not YYYY or YYYY-MM-DD"))),
                }
            };
            let (from, to) = (day(5, false, "from")?, day(6, true, "to")?);
            if field(7).is_empty() {
                return Err(err(line, "field `source` is missing".into()));
            }
            let i = self.groups.len();
            self.groups.push(ArmedGroup {
                name: name.into(),
                code: code.into(),
                countries,
                sector: sector.into(),
                from,
                to,
                source: field(7).into(),
            });
            phrases.push((name.into(), Entry::Group(i)));
            for a in field(1).split('|').map(str::trim).filter(|a| !a.is_empty()) {
                phrases.push((a.into(), Entry::Group(i)));
            }
        }
        Ok(())
    }

    /// Among candidate entries of one kind, the one whose dates fit `day` best (file order breaks ties).
    pub(crate) fn by_date(&self, a: Entry, b: Entry, day: Option<NaiveDate>) -> Entry {
        let dates = |e: Entry| match e {
            Entry::Person(i) => self.people.get(i).map(|p| (p.from, p.to)),
            Entry::Group(i) => self.groups.get(i).map(|g| (g.from, g.to)),
            _ => None,
        };
        match (dates(a), dates(b)) {
            (Some(x), Some(y)) if date_rank(y, day) < date_rank(x, day) => b,
            _ => a,
        }
    }
}

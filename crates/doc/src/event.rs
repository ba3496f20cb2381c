//! The public event record (schema version [`SCHEMA_VERSION`]); offsets here are character offsets.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Version of the event record schema: the major part changes on incompatible changes, the minor
/// part when fields are added (1.1: `arrested`, `location.precision`; 1.0 records still read).
pub const SCHEMA_VERSION: &str = "1.1";

/// The 16 PLOVER event types (2023 POLECAT set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum PloverType {
    Agree,
    Consult,
    Support,
    Concede,
    Cooperate,
    Aid,
    Retreat,
    Request,
    Accuse,
    Reject,
    Threaten,
    Protest,
    Sanction,
    Mobilize,
    Coerce,
    Assault,
}

impl PloverType {
    /// All types in PLOVER order.
    pub const ALL: [PloverType; 16] = [
        Self::Agree,
        Self::Consult,
        Self::Support,
        Self::Concede,
        Self::Cooperate,
        Self::Aid,
        Self::Retreat,
        Self::Request,
        Self::Accuse,
        Self::Reject,
        Self::Threaten,
        Self::Protest,
        Self::Sanction,
        Self::Mobilize,
        Self::Coerce,
        Self::Assault,
    ];

    /// The upper-case PLOVER name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agree => "AGREE",
            Self::Consult => "CONSULT",
            Self::Support => "SUPPORT",
            Self::Concede => "CONCEDE",
            Self::Cooperate => "COOPERATE",
            Self::Aid => "AID",
            Self::Retreat => "RETREAT",
            Self::Request => "REQUEST",
            Self::Accuse => "ACCUSE",
            Self::Reject => "REJECT",
            Self::Threaten => "THREATEN",
            Self::Protest => "PROTEST",
            Self::Sanction => "SANCTION",
            Self::Mobilize => "MOBILIZE",
            Self::Coerce => "COERCE",
            Self::Assault => "ASSAULT",
        }
    }
}

impl fmt::Display for PloverType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the PLOVER event types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a PLOVER event type")]
pub struct UnknownPloverType(pub String);

impl FromStr for PloverType {
    type Err = UnknownPloverType;

    /// Parses a PLOVER name, mapping the 2021 names (DEMAND, DISAPPROVE, INVESTIGATE, FIGHT).
    fn from_str(s: &str) -> Result<Self, UnknownPloverType> {
        let up = s.trim().to_ascii_uppercase();
        let mapped = match up.as_str() {
            "DEMAND" => "REQUEST",
            "DISAPPROVE" | "INVESTIGATE" => "ACCUSE",
            "FIGHT" => "ASSAULT",
            other => other,
        };
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == mapped)
            .ok_or_else(|| UnknownPloverType(s.to_string()))
    }
}

/// Whether the event is reported as happening, denied, claimed, demanded, planned or supposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Modality {
    #[default]
    Asserted,
    Denied,
    Claimed,
    Demanded,
    Future,
    Hypothetical,
}

impl Modality {
    /// The lower-case name used in the schema.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asserted => "asserted",
            Self::Denied => "denied",
            Self::Claimed => "claimed",
            Self::Demanded => "demanded",
            Self::Future => "future",
            Self::Hypothetical => "hypothetical",
        }
    }
}

/// How precise an event's date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// A specific day.
    #[default]
    Day,
    /// A month ("in September 2023"), dated to its first day.
    Month,
    /// A year ("in 1999"), dated to its first day.
    Year,
}

impl Precision {
    /// Lower-case name for the schema.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A CAMEO 2.0 event code: two to four ASCII digits ("01", "042", "1056"), serialised as a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CameoCode(String);

/// A string that is not a CAMEO code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a CAMEO code (two to four digits)")]
pub struct BadCameoCode(pub String);

impl CameoCode {
    /// Checks and wraps a code.
    pub fn new(code: impl Into<String>) -> Result<Self, BadCameoCode> {
        let code = code.into();
        if (2..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(CameoCode(code))
        } else {
            Err(BadCameoCode(code))
        }
    }

    /// The code as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit root ("19" for "193"), GDELT's EventRootCode.
    pub fn root(&self) -> &str {
        &self.0[..2]
    }

    /// The three-digit base code ("105" for "1056"; the code itself when shorter), GDELT's EventBaseCode.
    pub fn base(&self) -> &str {
        &self.0[..self.0.len().min(3)]
    }
}

impl fmt::Display for CameoCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CameoCode {
    type Err = BadCameoCode;

    fn from_str(s: &str) -> Result<Self, BadCameoCode> {
        CameoCode::new(s)
    }
}

impl TryFrom<String> for CameoCode {
    type Error = BadCameoCode;

    fn try_from(s: String) -> Result<Self, BadCameoCode> {
        CameoCode::new(s)
    }
}

impl From<CameoCode> for String {
    fn from(c: CameoCode) -> String {
        c.0
    }
}

impl PartialEq<str> for CameoCode {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for CameoCode {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl AsRef<str> for CameoCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A piece of text with character offsets into the article text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSpan {
    /// The text itself.
    pub text: String,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// An event participant as written in the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRef {
    /// The mention text.
    pub text: String,
    /// First character of the mention.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Canonical name.
    pub name: String,
    /// ISO 3166-1 alpha-3, or null for international organisations.
    pub country: Option<String>,
    /// Organisation acronym.
    pub org: Option<String>,
    /// Sector code.
    pub sector: Option<String>,
    /// CAMEO-style actor code.
    pub code: String,
}

/// Where the event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// The place phrase in the text.
    pub text: String,
    /// Canonical place name.
    pub name: String,
    /// ISO 3166-1 alpha-3 of the place.
    pub country: Option<String>,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// Whether the point is a populated place or only the country's centroid.
    #[serde(default)]
    pub precision: GeoPrecision,
}

/// How precise a location is (GDELT's Geo_Type 4 or 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GeoPrecision {
    /// A city, town or village.
    #[default]
    Place,
    /// The country as a whole (its centroid).
    Country,
}

impl GeoPrecision {
    /// The lower-case name used in records and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            GeoPrecision::Place => "place",
            GeoPrecision::Country => "country",
        }
    }
}

/// Another sentence of the same article reporting the same event (within-article dedup).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventMention {
    /// Sentence index.
    pub sentence: usize,
    /// The trigger in that sentence.
    pub trigger: TextSpan,
    /// That sentence.
    pub evidence: String,
}

/// One coded event: who did what to whom, when, where, according to whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Schema version of this record.
    pub schema_version: String,
    /// Stable id: same article text and trigger → same id.
    pub id: String,
    /// The article's id.
    pub article_id: String,
    /// Index of the sentence holding the trigger.
    pub sentence: usize,
    /// The sentence itself.
    pub evidence: String,
    /// The words that signal the event.
    pub trigger: TextSpan,
    /// PLOVER event type.
    pub event_type: PloverType,
    /// PLOVER mode, if any.
    pub mode: Option<String>,
    /// PLOVER contexts.
    pub context: Vec<String>,
    /// CAMEO 2.0 code ("042").
    pub cameo: CameoCode,
    /// Goldstein score of the CAMEO code (-10..10).
    pub goldstein: f32,
    /// CAMEO QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    /// Who acts.
    pub source: Option<ActorRef>,
    /// Who is acted upon.
    pub target: Option<ActorRef>,
    /// The event's own date (YYYY-MM-DD on the wire); null when neither the text nor the article gives one.
    pub date: Option<NaiveDate>,
    /// The phrase the date came from; null when it defaulted to the publication date.
    pub date_text: Option<String>,
    /// `day`, `month` or `year` ("in 1999" is dated 1999-01-01 with precision `year`).
    pub date_precision: Precision,
    /// Where it happened.
    pub location: Option<Location>,
    /// People killed.
    pub dead: Option<u32>,
    /// People injured.
    pub injured: Option<u32>,
    /// People arrested or detained.
    #[serde(default)]
    pub arrested: Option<u32>,
    /// Size of the acting group or force.
    pub size: Option<u32>,
    /// Asserted, denied, claimed, demanded, future or hypothetical.
    pub modality: Modality,
    /// Who reports the event (a news agency, a ministry), if named.
    pub attribution: Option<String>,
    /// The direct quotation, if the event is a quoted statement.
    pub quote: Option<String>,
    /// Coder confidence in [0, 1].
    pub confidence: f32,
    /// Further sentences reporting the same event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<EventMention>,
}

impl Event {
    /// The stable id of an event (16 hex digits): its article, the trigger's first character in the
    /// whole article and the lexicon's CAMEO code, and for the second and later actor pairs of one
    /// trigger ("France and Germany condemned …") the pair's codes. The only place ids are made.
    pub fn make_id(
        article_id: &str,
        trigger_start: usize,
        lexicon_cameo: &str,
        pair: Option<(Option<&str>, Option<&str>)>,
    ) -> String {
        match pair {
            None => crate::content_hash(&format!("{article_id}|{trigger_start}|{lexicon_cameo}")),
            Some((source, target)) => crate::content_hash(&format!(
                "{article_id}|{trigger_start}|{lexicon_cameo}|{source:?}|{target:?}"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_plover_names_map_to_2023_set() {
        assert_eq!("DEMAND".parse::<PloverType>(), Ok(PloverType::Request));
        assert_eq!("disapprove".parse::<PloverType>(), Ok(PloverType::Accuse));
        assert_eq!("INVESTIGATE".parse::<PloverType>(), Ok(PloverType::Accuse));
        assert_eq!("FIGHT".parse::<PloverType>(), Ok(PloverType::Assault));
        assert!("DOCUMENT".parse::<PloverType>().is_err());
    }

    #[test]
    fn cameo_codes_are_two_to_four_digits() {
        let c: CameoCode = "1056".parse().unwrap();
        assert_eq!((c.root(), c.base(), c.as_str()), ("10", "105", "1056"));
        assert_eq!(CameoCode::new("042").unwrap().base(), "042");
        for bad in ["", "1", "12345", "17K", "0€", " 042"] {
            assert!(CameoCode::new(bad).is_err(), "{bad:?}");
        }
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"1056\"");
        assert!(serde_json::from_str::<CameoCode>("\"abc\"").is_err());
    }

    #[test]
    fn dates_and_precision_keep_their_wire_form() {
        let d = NaiveDate::from_ymd_opt(2023, 9, 24).unwrap();
        assert_eq!(serde_json::to_string(&Some(d)).unwrap(), "\"2023-09-24\"");
        assert_eq!(serde_json::from_str::<NaiveDate>("\"2023-09-24\"").unwrap(), d);
        assert_eq!(serde_json::to_string(&Precision::Year).unwrap(), "\"year\"");
    }

    #[test]
    fn types_serialize_upper_case() {
        let s = serde_json::to_string(&PloverType::Mobilize).unwrap();
        assert_eq!(s, "\"MOBILIZE\"");
        assert_eq!(serde_json::to_string(&Modality::Denied).unwrap(), "\"denied\"");
    }
}

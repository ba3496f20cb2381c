//! The public event record (schema version [`SCHEMA_VERSION`]); offsets here are character offsets.

use std::fmt;
use std::str::FromStr;

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

impl FromStr for PloverType {
    type Err = String;

    /// Parses a PLOVER name, mapping the 2021 names (DEMAND, DISAPPROVE, INVESTIGATE, FIGHT).
    fn from_str(s: &str) -> Result<Self, String> {
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
            .ok_or_else(|| format!("{s:?} is not a PLOVER event type"))
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
    pub cameo: String,
    /// Goldstein score of the CAMEO code (-10..10).
    pub goldstein: f32,
    /// CAMEO QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    /// Who acts.
    pub source: Option<ActorRef>,
    /// Who is acted upon.
    pub target: Option<ActorRef>,
    /// The event's own date (YYYY-MM-DD); null when neither the text nor the article gives one.
    pub date: Option<String>,
    /// The phrase the date came from; null when it defaulted to the publication date.
    pub date_text: Option<String>,
    /// `day`, `month` or `year` ("in 1999" is dated 1999-01-01 with precision `year`).
    pub date_precision: String,
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
    fn types_serialize_upper_case() {
        let s = serde_json::to_string(&PloverType::Mobilize).unwrap();
        assert_eq!(s, "\"MOBILIZE\"");
        assert_eq!(serde_json::to_string(&Modality::Denied).unwrap(), "\"denied\"");
    }
}

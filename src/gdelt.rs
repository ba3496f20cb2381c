//! GDELT 2.0 event-table rows (61 tab-separated columns): export of stored events and import of
//! GDELT exports. Country fields hold ISO alpha-3 codes (GDELT's geo fields use FIPS 10-4).

use chrono::{Datelike, NaiveDate};
use tocsin_doc::{
    content_hash, ActorRef, CameoCode, Event, GeoPrecision, Location, Modality, Precision, SCHEMA_VERSION,
};
use tocsin_events::CameoTable;

/// GDELT 2.0 event table column names, in order.
pub const COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// A numeric GLOBALEVENTID derived from the event id (stable across exports).
pub fn numeric_id(id: &str) -> u64 {
    u64::from_str_radix(&content_hash(id)[..12], 16).unwrap_or(0)
}

/// One GDELT row for an event with its mention counts.
pub fn to_row(e: &Event, counts: (u32, u32, u32), url: Option<&str>) -> Vec<String> {
    let compact = e.date.map(|d| d.format("%Y%m%d").to_string()).unwrap_or_default();
    let year = e.date.map(|d| d.format("%Y").to_string()).unwrap_or_default();
    let month = e.date.map(|d| d.format("%Y%m").to_string()).unwrap_or_default();
    let fraction = e
        .date
        .map(|d| format!("{:.4}", f64::from(d.year()) + f64::from(d.ordinal()) / 365.0));
    let actor = |a: &Option<ActorRef>| -> Vec<String> {
        match a {
            Some(a) => vec![
                a.code.clone(),
                a.name.to_uppercase(),
                a.country.clone().unwrap_or_default(),
                a.org.clone().unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
                a.sector.clone().unwrap_or_default(),
                String::new(),
                String::new(),
            ],
            None => vec![String::new(); 10],
        }
    };
    let geo = |l: &Option<Location>| -> Vec<String> {
        match l {
            Some(l) => vec![
                match l.precision {
                    GeoPrecision::Country => "1".into(),
                    GeoPrecision::Place => "4".into(),
                },
                l.name.clone(),
                l.country.clone().unwrap_or_default(),
                String::new(),
                String::new(),
                l.lat.to_string(),
                l.lon.to_string(),
                String::new(),
            ],
            None => vec![
                "0".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
        }
    };
    let mut row = vec![
        numeric_id(&e.id).to_string(),
        compact.clone(),
        month,
        year,
        fraction.unwrap_or_default(),
    ];
    row.extend(actor(&e.source));
    row.extend(actor(&e.target));
    row.extend([
        "1".into(),
        e.cameo.to_string(),
        e.cameo.base().to_string(),
        e.cameo.root().to_string(),
        e.quad_class.to_string(),
        e.goldstein.to_string(),
        counts.0.to_string(),
        counts.1.to_string(),
        counts.2.to_string(),
        "0".into(),
    ]);
    row.extend(geo(&None));
    row.extend(geo(&None));
    row.extend(geo(&e.location));
    row.push(format!("{compact}000000"));
    row.push(url.unwrap_or("").to_string());
    row
}

/// Why a GDELT row could not be imported; names the column and its value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RowError {
    /// The row does not have the event table's columns.
    #[error("expected 61 tab-separated columns (GDELT 2.0 events), found {0}")]
    Columns(usize),
    /// A column holds a value that cannot be read.
    #[error("column {column}: {value:?} {problem}")]
    Value {
        /// The column's codebook name.
        column: &'static str,
        /// What it holds.
        value: String,
        /// What is wrong with it.
        problem: &'static str,
    },
}

/// Parses one GDELT 2.0 event row into (source URL, event). Every CAMEO 2.0 code imports, statements
/// (01x) and appeals (02x) too, with the types of `data/cameo/outside_plover.txt`: pass
/// [`CameoTable::complete`].
pub fn from_row(line: &str, cameo: &CameoTable) -> Result<(String, Event), RowError> {
    let c: Vec<&str> = line.split('\t').collect();
    if c.len() < 58 {
        return Err(RowError::Columns(c.len()));
    }
    let col = |i: usize| c.get(i).copied().unwrap_or("").trim();
    let bad = |i: usize, problem: &'static str| RowError::Value {
        column: COLUMNS[i],
        value: col(i).to_string(),
        problem,
    };
    let code = CameoCode::new(col(26)).map_err(|_| bad(26, "is not a CAMEO code (three or four digits)"))?;
    let info = cameo
        .get(code.as_str())
        .ok_or_else(|| bad(26, "is not a CAMEO 2.0 code (roots 01 to 20)"))?;
    let date = Some(col(1))
        .filter(|d| d.len() == 8)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok())
        .ok_or_else(|| bad(1, "is not a date (YYYYMMDD)"))?;
    let goldstein = col(30)
        .parse::<f32>()
        .ok()
        .filter(|g| (-10.0..=10.0).contains(g))
        .ok_or_else(|| bad(30, "is not a number from -10 to 10"))?;
    let quad_class = col(29)
        .parse::<u8>()
        .ok()
        .filter(|q| (1..=4).contains(q))
        .ok_or_else(|| bad(29, "is not a QuadClass (1 to 4)"))?;
    let actor = |base: usize| -> Option<ActorRef> {
        let code = col(base);
        (!code.is_empty()).then(|| ActorRef {
            text: col(base + 1).to_string(),
            start: 0,
            end: 0,
            name: col(base + 1).to_string(),
            country: Some(col(base + 2)).filter(|s| !s.is_empty()).map(str::to_string),
            org: Some(col(base + 3)).filter(|s| !s.is_empty()).map(str::to_string),
            sector: Some(col(base + 7)).filter(|s| !s.is_empty()).map(str::to_string),
            code: code.to_string(),
        })
    };
    let location = match (col(56).parse::<f64>(), col(57).parse::<f64>()) {
        (Ok(lat), Ok(lon)) => Some(Location {
            text: col(52).to_string(),
            name: col(52).to_string(),
            country: Some(col(53)).filter(|s| !s.is_empty()).map(str::to_string),
            lat,
            lon,
            // Geo_Type 1 is a country; 2-5 are states, cities and landmarks.
            precision: if col(51) == "1" {
                GeoPrecision::Country
            } else {
                GeoPrecision::Place
            },
        }),
        _ => None,
    };
    let url = col(60).to_string();
    let event = Event {
        schema_version: SCHEMA_VERSION.to_string(),
        id: format!("gdelt-{}", col(0)),
        article_id: content_hash(&url),
        sentence: 0,
        evidence: format!("GDELT event {} ({})", col(0), url),
        trigger: tocsin_doc::TextSpan {
            text: String::new(),
            start: 0,
            end: 0,
        },
        event_type: info.plover,
        mode: info.mode,
        context: info.context,
        cameo: code,
        goldstein,
        quad_class,
        source: actor(5),
        target: actor(15),
        date: Some(date),
        date_text: None,
        date_precision: Precision::Day,
        location,
        dead: None,
        injured: None,
        arrested: None,
        size: None,
        modality: Modality::Asserted,
        attribution: None,
        quote: None,
        confidence: 0.5,
        mentions: Vec::new(),
    };
    Ok((url, event))
}

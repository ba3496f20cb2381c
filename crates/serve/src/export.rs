//! The filtered events as CSV for the dashboard's export (JSON Lines is the stored record as is).

use tocsin_store::StoredEvent;

/// Columns of the CSV export.
pub const CSV_HEADER: &str = "id,date,event_type,cameo,goldstein,quad_class,source_code,source_name,source_country,\
target_code,target_name,target_country,place,lat,lon,dead,injured,modality,num_mentions,num_articles,num_sources,\
article_id,evidence\n";

/// One field, quoted when it holds a comma, quote or line break (RFC 4180).
fn field(out: &mut String, v: &str) {
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// Appends one event as a CSV row.
pub fn csv_row(out: &mut String, s: &StoredEvent) {
    let e = &s.event;
    let actor = |a: &Option<tocsin_doc::ActorRef>| match a {
        Some(a) => [a.code.clone(), a.name.clone(), a.country.clone().unwrap_or_default()],
        None => Default::default(),
    };
    let loc = e.location.as_ref();
    let opt = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut cols: Vec<String> = vec![
        e.id.clone(),
        e.date.map(|d| d.to_string()).unwrap_or_default(),
        e.event_type.to_string(),
        e.cameo.to_string(),
        e.goldstein.to_string(),
        e.quad_class.to_string(),
    ];
    cols.extend(actor(&e.source));
    cols.extend(actor(&e.target));
    cols.extend([
        loc.map(|l| l.name.clone()).unwrap_or_default(),
        loc.map(|l| l.lat.to_string()).unwrap_or_default(),
        loc.map(|l| l.lon.to_string()).unwrap_or_default(),
        opt(e.dead),
        opt(e.injured),
        e.modality.as_str().to_string(),
        s.num_mentions.to_string(),
        s.num_articles.to_string(),
        s.num_sources.to_string(),
        e.article_id.clone(),
        e.evidence.clone(),
    ]);
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, c);
    }
    out.push('\n');
}

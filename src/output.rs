//! Event output: JSON Lines (the schema), CSV (flattened) and a readable table.

use std::io::Write;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use tocsin_doc::Event;

/// Output formats of `tocsin code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per event (the versioned schema).
    Jsonl,
    /// Readable table, one event per row.
    Table,
    /// Flattened comma-separated values with a header row.
    Csv,
}

/// CSV column names, in order.
pub const CSV_HEADER: [&str; 35] = [
    "schema_version",
    "id",
    "article_id",
    "sentence",
    "event_type",
    "mode",
    "context",
    "cameo",
    "goldstein",
    "quad_class",
    "source_text",
    "source_name",
    "source_country",
    "source_org",
    "source_sector",
    "source_code",
    "target_text",
    "target_name",
    "target_country",
    "target_org",
    "target_sector",
    "target_code",
    "date",
    "date_text",
    "location",
    "location_country",
    "lat",
    "lon",
    "location_precision",
    "dead",
    "injured",
    "arrested",
    "size",
    "modality",
    "confidence",
];

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

/// Writes events as JSON Lines.
pub fn write_jsonl(out: &mut impl Write, events: &[Event]) -> std::io::Result<()> {
    for e in events {
        serde_json::to_writer(&mut *out, e)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A CSV writer that has written its header.
pub fn csv_writer<W: Write>(out: W) -> csv::Result<csv::Writer<W>> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    Ok(w)
}

/// Writes events as CSV rows (header written by [`csv_writer`]).
pub fn write_csv<W: Write>(w: &mut csv::Writer<W>, events: &[Event]) -> csv::Result<()> {
    for e in events {
        let actor = |a: &Option<tocsin_doc::ActorRef>| -> [String; 6] {
            match a {
                Some(a) => [
                    a.text.clone(),
                    a.name.clone(),
                    opt(&a.country),
                    opt(&a.org),
                    opt(&a.sector),
                    a.code.clone(),
                ],
                None => Default::default(),
            }
        };
        let [st, sn, sc, so, ss, scode] = actor(&e.source);
        let [tt, tn, tc, to, ts, tcode] = actor(&e.target);
        let loc = e.location.as_ref();
        w.write_record([
            e.schema_version.clone(),
            e.id.clone(),
            e.article_id.clone(),
            e.sentence.to_string(),
            e.event_type.to_string(),
            opt(&e.mode),
            e.context.join(";"),
            e.cameo.to_string(),
            e.goldstein.to_string(),
            e.quad_class.to_string(),
            st,
            sn,
            sc,
            so,
            ss,
            scode,
            tt,
            tn,
            tc,
            to,
            ts,
            tcode,
            opt(&e.date),
            opt(&e.date_text),
            loc.map(|l| l.name.clone()).unwrap_or_default(),
            loc.and_then(|l| l.country.clone()).unwrap_or_default(),
            loc.map(|l| l.lat.to_string()).unwrap_or_default(),
            loc.map(|l| l.lon.to_string()).unwrap_or_default(),
            loc.map(|l| l.precision.as_str().to_string()).unwrap_or_default(),
            opt(&e.dead),
            opt(&e.injured),
            opt(&e.arrested),
            opt(&e.size),
            e.modality.as_str().to_string(),
            format!("{:.2}", e.confidence),
        ])?;
    }
    Ok(())
}

/// Renders events as a readable table.
pub fn table(events: &[Event]) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header([
        "date", "type", "cameo", "source", "target", "place", "dead", "modality", "trigger",
    ]);
    for e in events {
        let actor = |a: &Option<tocsin_doc::ActorRef>| {
            a.as_ref()
                .map(|a| format!("{} ({})", a.code, a.text))
                .unwrap_or_else(|| "-".into())
        };
        t.add_row([
            e.date.map_or_else(|| "-".into(), |d| d.to_string()),
            e.event_type.to_string(),
            e.cameo.to_string(),
            actor(&e.source),
            actor(&e.target),
            e.location
                .as_ref()
                .map(|l| l.name.clone())
                .unwrap_or_else(|| "-".into()),
            e.dead.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            e.modality.as_str().to_string(),
            e.trigger.text.clone(),
        ]);
    }
    t.to_string()
}

/// Writes the analysis of a document as CoNLL-U: one block per sentence with its tokens, UPOS,
/// heads and relations (when the parse ran); MISC holds the actor code of the mention a token opens.
pub fn write_conllu(mut out: impl Write, doc: &tocsin_doc::Document) -> std::io::Result<()> {
    for (n, s) in doc.sentences.iter().enumerate() {
        writeln!(out, "# sent_id = {}-{n}", doc.article.id)?;
        writeln!(out, "# text = {}", doc.slice(s.span).replace('\n', " "))?;
        for i in s.tokens.clone() {
            let t = &doc.tokens[i];
            let head = match t.head {
                Some(h) if s.tokens.contains(&h) => (h - s.tokens.start + 1).to_string(),
                Some(_) => "_".to_string(),
                None if t.dep.is_some() => "0".to_string(),
                None => "_".to_string(),
            };
            let misc = doc
                .mentions
                .iter()
                .find(|m| m.tokens.start == i)
                .map_or("_".to_string(), |m| format!("Actor={}", m.actor.code));
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t_\t_\t{head}\t{}\t_\t{misc}",
                i - s.tokens.start + 1,
                doc.slice(t.span),
                if t.lemma.is_empty() { "_" } else { &t.lemma },
                format!("{:?}", t.pos).to_uppercase(),
                t.dep.as_deref().unwrap_or("_"),
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

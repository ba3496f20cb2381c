//! Parquet export of stored events (one row per event, flat columns, snappy-compressed).

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{Date32Builder, Float32Builder, Float64Builder, StringBuilder, UInt32Builder, UInt8Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use tocsin_doc::ActorRef;
use tocsin_store::StoredEvent;

/// Rows per record batch.
const BATCH: usize = 65_536;

fn schema() -> Schema {
    let s = |n: &str| Field::new(n, DataType::Utf8, true);
    let mut fields = vec![
        s("schema_version"),
        s("id"),
        s("article_id"),
        s("event_type"),
        s("mode"),
        s("context"),
        s("cameo"),
    ];
    fields.push(Field::new("goldstein", DataType::Float32, false));
    fields.push(Field::new("quad_class", DataType::UInt8, false));
    for side in ["source", "target"] {
        for f in ["text", "name", "country", "org", "sector", "code"] {
            fields.push(s(&format!("{side}_{f}")));
        }
    }
    fields.push(Field::new("date", DataType::Date32, true));
    fields.extend([
        s("date_text"),
        s("date_precision"),
        s("location_name"),
        s("location_country"),
    ]);
    fields.push(Field::new("lat", DataType::Float64, true));
    fields.push(Field::new("lon", DataType::Float64, true));
    fields.push(s("location_precision"));
    for n in ["dead", "injured", "arrested", "size"] {
        fields.push(Field::new(n, DataType::UInt32, true));
    }
    fields.extend([s("modality"), s("attribution"), s("quote")]);
    fields.push(Field::new("confidence", DataType::Float32, false));
    for n in [
        "num_mentions",
        "num_sources",
        "num_articles",
        "sentence",
        "trigger_start",
        "trigger_end",
    ] {
        fields.push(Field::new(n, DataType::UInt32, false));
    }
    fields.extend([s("trigger"), s("evidence")]);
    Schema::new(fields)
}

fn batch(schema: &Arc<Schema>, events: &[StoredEvent]) -> anyhow::Result<RecordBatch> {
    let text = |f: &dyn Fn(&StoredEvent) -> Option<String>| -> ArrayRef {
        let mut b = StringBuilder::new();
        for e in events {
            b.append_option(f(e));
        }
        Arc::new(b.finish())
    };
    let u32s = |f: &dyn Fn(&StoredEvent) -> Option<u32>| -> ArrayRef {
        let mut b = UInt32Builder::new();
        for e in events {
            b.append_option(f(e));
        }
        Arc::new(b.finish())
    };
    let actor = |a: &Option<ActorRef>, field: usize| -> Option<String> {
        a.as_ref().and_then(|a| match field {
            0 => Some(a.text.clone()),
            1 => Some(a.name.clone()),
            2 => a.country.clone(),
            3 => a.org.clone(),
            4 => a.sector.clone(),
            _ => Some(a.code.clone()),
        })
    };
    let mut cols: Vec<ArrayRef> = vec![
        text(&|e| Some(e.event.schema_version.clone())),
        text(&|e| Some(e.event.id.clone())),
        text(&|e| Some(e.event.article_id.clone())),
        text(&|e| Some(e.event.event_type.to_string())),
        text(&|e| e.event.mode.clone()),
        text(&|e| Some(e.event.context.join(";"))),
        text(&|e| Some(e.event.cameo.to_string())),
    ];
    let mut g = Float32Builder::new();
    let mut q = UInt8Builder::new();
    for e in events {
        g.append_value(e.event.goldstein);
        q.append_value(e.event.quad_class);
    }
    cols.push(Arc::new(g.finish()));
    cols.push(Arc::new(q.finish()));
    for side in 0..2 {
        for f in 0..6 {
            cols.push(text(&|e| {
                actor(if side == 0 { &e.event.source } else { &e.event.target }, f)
            }));
        }
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let mut d = Date32Builder::new();
    for e in events {
        d.append_option(e.event.date.map(|day| (day - epoch).num_days() as i32));
    }
    cols.push(Arc::new(d.finish()));
    cols.push(text(&|e| e.event.date_text.clone()));
    cols.push(text(&|e| Some(e.event.date_precision.to_string())));
    cols.push(text(&|e| e.event.location.as_ref().map(|l| l.name.clone())));
    cols.push(text(&|e| e.event.location.as_ref().and_then(|l| l.country.clone())));
    let (mut lat, mut lon) = (Float64Builder::new(), Float64Builder::new());
    for e in events {
        lat.append_option(e.event.location.as_ref().map(|l| l.lat));
        lon.append_option(e.event.location.as_ref().map(|l| l.lon));
    }
    cols.push(Arc::new(lat.finish()));
    cols.push(Arc::new(lon.finish()));
    cols.push(text(&|e| {
        e.event.location.as_ref().map(|l| l.precision.as_str().to_string())
    }));
    cols.push(u32s(&|e| e.event.dead));
    cols.push(u32s(&|e| e.event.injured));
    cols.push(u32s(&|e| e.event.arrested));
    cols.push(u32s(&|e| e.event.size));
    cols.push(text(&|e| Some(e.event.modality.as_str().to_string())));
    cols.push(text(&|e| e.event.attribution.clone()));
    cols.push(text(&|e| e.event.quote.clone()));
    let mut c = Float32Builder::new();
    for e in events {
        c.append_value(e.event.confidence);
    }
    cols.push(Arc::new(c.finish()));
    cols.push(u32s(&|e| Some(e.num_mentions)));
    cols.push(u32s(&|e| Some(e.num_sources)));
    cols.push(u32s(&|e| Some(e.num_articles)));
    cols.push(u32s(&|e| Some(e.event.sentence as u32)));
    cols.push(u32s(&|e| Some(e.event.trigger.start as u32)));
    cols.push(u32s(&|e| Some(e.event.trigger.end as u32)));
    cols.push(text(&|e| Some(e.event.trigger.text.clone())));
    cols.push(text(&|e| Some(e.event.evidence.clone())));
    Ok(RecordBatch::try_new(schema.clone(), cols)?)
}

/// Writes events as one Parquet file.
pub fn write_parquet<W: Write + Send>(events: &[StoredEvent], out: W) -> anyhow::Result<()> {
    let schema = Arc::new(schema());
    let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut w = ArrowWriter::try_new(out, schema.clone(), Some(props))?;
    for chunk in events.chunks(BATCH) {
        w.write(&batch(&schema, chunk)?)?;
    }
    w.close()?;
    Ok(())
}

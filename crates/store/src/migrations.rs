//! Versioned schema migrations, applied in order inside a transaction (`PRAGMA user_version`).

/// Migration SQL, index + 1 = the version it brings the store to.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    title TEXT, source TEXT, url TEXT, language TEXT, published TEXT,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, coalesce(new.title, ''), new.text);
END;
CREATE TABLE actors (
    code TEXT PRIMARY KEY,
    name TEXT, country TEXT, org TEXT, sector TEXT
);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL, mode TEXT, cameo TEXT NOT NULL, goldstein REAL NOT NULL, quad_class INTEGER NOT NULL,
    source_code TEXT, source_actor TEXT, target_code TEXT, target_actor TEXT,
    date TEXT, lat REAL, lon REAL, location_name TEXT,
    dead INTEGER, injured INTEGER, size INTEGER,
    num_mentions INTEGER NOT NULL, num_sources INTEGER NOT NULL, num_articles INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_dyad ON events(source_actor, target_actor, date);
CREATE INDEX events_type ON events(event_type, date);
CREATE TABLE mentions (
    event_id TEXT NOT NULL REFERENCES events(id),
    article_id TEXT NOT NULL REFERENCES articles(id),
    outlet TEXT,
    sentence INTEGER NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    record TEXT,
    PRIMARY KEY (event_id, article_id, sentence, trigger_start)
);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    source_actor TEXT NOT NULL,
    target_actor TEXT NOT NULL,
    date TEXT NOT NULL,
    score REAL NOT NULL,
    message TEXT NOT NULL,
    event_ids TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (rule, source_actor, target_actor, date)
);
"#,
    // v2: exact-match index for cross-article dedup (type, actors, date).
    r#"
CREATE INDEX events_dedup ON events(event_type, source_code, target_code, date);
"#,
    // v3: articles given up on by queue workers, with their errors.
    r#"
CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    article_id TEXT,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"#,
    // v4: the place's country and precision, so that a country-level place ("in northern Kosovo")
    // matches any place in that country when deduplicating across articles.
    r#"
ALTER TABLE events ADD COLUMN place_country TEXT;
ALTER TABLE events ADD COLUMN place_level TEXT;
"#,
    // v5: the publication date of an event's first report and whether the event is current news
    // (`after_report`, `historical` or NULL), computed for stored events too; alert explanations;
    // indexes for alert filters.
    r#"
ALTER TABLE events ADD COLUMN published TEXT;
ALTER TABLE events ADD COLUMN timing TEXT;
UPDATE events SET published = (SELECT min(a.published) FROM mentions m JOIN articles a ON a.id = m.article_id
                               WHERE m.event_id = events.id);
UPDATE events SET timing = CASE
    WHEN date IS NULL OR published IS NULL THEN NULL
    WHEN date > date(published, '+1 day') THEN 'after_report'
    WHEN date < date(published, '-45 days') THEN 'historical' END;
ALTER TABLE alerts ADD COLUMN explanation TEXT;
CREATE INDEX alerts_date ON alerts(date);
CREATE INDEX articles_published ON articles(published);
"#,
];

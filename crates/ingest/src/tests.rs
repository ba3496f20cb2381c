use super::*;

fn opts() -> ReadOptions {
    ReadOptions {
        published: NaiveDate::from_ymd_opt(2023, 9, 30),
        stdin_format: None,
    }
}

#[test]
fn plain_text_gets_hash_id_and_default_date() {
    let out = read_bytes("a.txt", b"Serbia rejected the plan.", Some(Format::Text), &opts());
    let a = out[0].as_ref().unwrap();
    assert_eq!(a.id, content_hash("Serbia rejected the plan."));
    assert_eq!(a.published, NaiveDate::from_ymd_opt(2023, 9, 30));
}

#[test]
fn broken_jsonl_line_is_reported_and_others_survive() {
    let input = b"{\"id\":\"a\",\"text\":\"One.\"}\n{\"id\": broken\n\n{\"id\":\"c\",\"text\":\"Three.\",\"published\":\"2020-01-02\"}\n";
    let out = read_bytes("batch.jsonl", input, Some(Format::JsonLines), &opts());
    assert_eq!(out.len(), 3);
    assert_eq!(out[0].as_ref().unwrap().id, "a");
    let e = out[1].as_ref().unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.to_string().starts_with("batch.jsonl:2: invalid JSON"), "{e}");
    let c = out[2].as_ref().unwrap();
    assert_eq!(c.published, NaiveDate::from_ymd_opt(2020, 1, 2));
}

#[test]
fn missing_and_mistyped_fields_are_named() {
    let out = read_bytes(
        "x.jsonl",
        b"{\"id\":\"a\"}\n{\"text\":5}\n{\"text\":\"t\",\"published\":\"soon\"}",
        Some(Format::JsonLines),
        &opts(),
    );
    let msgs: Vec<String> = out.iter().map(|r| r.as_ref().unwrap_err().to_string()).collect();
    assert!(msgs[0].contains("field `text` is missing"), "{}", msgs[0]);
    assert!(msgs[1].contains("field `text` must be a string"), "{}", msgs[1]);
    assert!(msgs[2].contains("field `published`"), "{}", msgs[2]);
}

#[test]
fn invalid_utf8_and_empty_inputs_are_clear_errors() {
    let e = read_bytes("bad.txt", b"ok line\nbad \xff byte", Some(Format::Text), &opts());
    let msg = e[0].as_ref().unwrap_err().to_string();
    assert!(msg.starts_with("bad.txt:2: not valid UTF-8"), "{msg}");
    let e = read_bytes("empty.txt", b"  \n", Some(Format::Text), &opts());
    assert!(e[0].as_ref().unwrap_err().to_string().contains("empty input"));
}

#[test]
fn unknown_extension_is_rejected_by_name() {
    let out = read_input("notes.docx", &opts());
    let msg = out[0].as_ref().unwrap_err().to_string();
    assert!(msg.contains("notes.docx") && msg.contains("unknown file type"), "{msg}");
}

#[test]
fn html_main_text_and_metadata_are_extracted() {
    let html = r#"<html><head><title>Clash in Banjska</title>
      <meta property="article:published_time" content="2023-09-25T08:00:00Z">
      <link rel="canonical" href="https://example.org/a"></head>
      <body><nav><p>Menu</p></nav><article><p>Police  were attacked.</p><p>Four died.</p></article>
      <script>var x = 1;</script></body></html>"#;
    let out = read_bytes("page.html", html.as_bytes(), Some(Format::Html), &opts());
    let a = out[0].as_ref().unwrap();
    assert_eq!(a.text, "Police were attacked.\n\nFour died.");
    assert_eq!(a.title.as_deref(), Some("Clash in Banjska"));
    assert_eq!(a.published, NaiveDate::from_ymd_opt(2023, 9, 25));
    assert_eq!(a.url.as_deref(), Some("https://example.org/a"));
}

#[test]
fn stdin_format_is_sniffed() {
    assert_eq!(Format::sniff("<html>"), Format::Html);
    assert_eq!(Format::sniff("{\"text\":\"a\"}"), Format::Json);
    assert_eq!(Format::sniff("{\"text\":\"a\"}\n{\"text\":\"b\"}"), Format::JsonLines);
    assert_eq!(Format::sniff("Plain words."), Format::Text);
}

#[test]
fn jsonl_files_stream_with_line_numbers_and_a_bad_line_loses_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("batch.jsonl");
    std::fs::write(
        &p,
        b"\xef\xbb\xbf{\"id\":\"a\",\"text\":\"One.\"}\n\n{\"id\":\"b\",\"text\":\"bad \xff byte\"}\r\n{\"id\":\"c\",\"text\":\"Three.\"}",
    )
    .unwrap();
    let name = p.display().to_string();
    let out: Vec<ReadItem> = articles(&name, &opts()).collect();
    assert_eq!(out.len(), 3);
    let (origin, a) = out[0].as_ref().unwrap();
    assert_eq!((a.id.as_str(), origin.line), ("a", Some(1)));
    let e = out[1].as_ref().unwrap_err();
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("not valid UTF-8"), "{e}");
    let (origin, c) = out[2].as_ref().unwrap();
    assert_eq!((c.id.as_str(), origin.to_string()), ("c", format!("{name}:4")));
}

#[test]
fn a_directory_reads_its_article_files_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("b.txt"), "Second text.").unwrap();
    std::fs::write(dir.path().join("a.jsonl"), "{\"id\":\"x\",\"text\":\"First.\"}\n").unwrap();
    std::fs::write(dir.path().join("sub/c.json"), "{\"id\":\"y\",\"text\":\"Third.\"}").unwrap();
    std::fs::write(dir.path().join("notes.docx"), "skipped").unwrap();
    std::fs::write(dir.path().join(".hidden.txt"), "skipped").unwrap();
    let texts: Vec<String> = articles(&dir.path().display().to_string(), &opts())
        .map(|r| r.unwrap().1.text)
        .collect();
    assert_eq!(texts, ["First.", "Second text.", "Third."]);
    let empty = tempfile::tempdir().unwrap();
    let e: Vec<ReadItem> = articles(&empty.path().display().to_string(), &opts()).collect();
    assert!(e[0].as_ref().unwrap_err().message.contains("no .txt"), "{e:?}");
}

#[test]
fn stdin_is_sniffed_from_its_first_line_without_reading_the_rest() {
    let mut input = std::io::Cursor::new(b"\n{\"text\":\"a\"}\n{\"text\":\"b\"}\n".to_vec());
    let (format, taken) = stream::sniff(&mut input, None).unwrap();
    assert_eq!(format, Format::JsonLines);
    assert_eq!(taken, b"\n{\"text\":\"a\"}\n");
    let one = |b: &[u8]| stream::sniff(&mut std::io::Cursor::new(b.to_vec()), None).unwrap().0;
    assert_eq!(one(b"{\"text\":\"a\"}\n"), Format::Json);
    assert_eq!(one(b"{\n \"text\": \"a\"\n}"), Format::Json);
    assert_eq!(one(b"<html><p>x</p>"), Format::Html);
    assert_eq!(one(b"Plain words.\nMore."), Format::Text);
}

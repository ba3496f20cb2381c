//! Language and script identification (the `whatlang` crate: trigram profiles of 70 languages and
//! the Unicode script of the letters), as BCP 47 tags: `en-Latn`, `ar-Arab`, `sr-Cyrl`.

use whatlang::{Lang, Script};

/// How much of an article is looked at: enough for a reliable guess, bounded for huge articles.
pub const SAMPLE_BYTES: usize = 4096;

/// An article's language and script.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    /// BCP 47 tag: ISO 639-1 language (639-3 where there is none; `und` when the guess is not
    /// reliable) and ISO 15924 script, e.g. `en-Latn`, `und-Latn`.
    pub tag: String,
    /// Whether the text is English, or too little text to tell in Latin script (tocsin codes it).
    pub english: bool,
    /// whatlang's confidence in the language, in [0, 1].
    pub confidence: f64,
}

/// Identifies the language and script of a text from its first [`SAMPLE_BYTES`]. A text in Latin
/// script whose language cannot be told reliably (a headline, a short sentence) counts as English,
/// tocsin's language, and is tagged `und-Latn`; another script is never English.
pub fn identify(text: &str) -> Identified {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let Some(info) = whatlang::detect(sample) else {
        // No letters at all (numbers, punctuation, emoji): nothing to tell, nothing lost by coding.
        return Identified {
            tag: "und".into(),
            english: true,
            confidence: 0.0,
        };
    };
    let script = script_code(info.script());
    let latin = info.script() == Script::Latin;
    // Trigram profiles are misled by news thick with foreign names ("São Tomé and Príncipe",
    // "České Budějovice"); English function words are not.
    let function_words = latin && english_function_words(sample) >= MIN_FUNCTION_WORDS;
    let (lang, confidence) = if function_words && info.lang() != Lang::Eng {
        (Lang::Eng, info.confidence().max(0.9))
    } else {
        (info.lang(), info.confidence())
    };
    let reliable = info.is_reliable() || !latin || function_words;
    let english = lang == Lang::Eng || (latin && !reliable);
    let lang = if reliable { language_code(lang) } else { "und" };
    Identified {
        tag: format!("{lang}-{script}"),
        english,
        confidence,
    }
}

/// Share of words that are frequent English words above which a Latin-script text is English
/// (running English prose has 30-45 %, a news summary 10-20 %, French, Spanish or German prose ~0).
const MIN_FUNCTION_WORDS: f64 = 0.05;

/// Frequent English words, function words and the commonest news words, that are rare as words of
/// other Latin-script languages ("in", "a", "die", "was", "on" are left out: they are German, French
/// or Spanish words too).
const ENGLISH_WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "is",
    "for",
    "that",
    "with",
    "by",
    "from",
    "his",
    "were",
    "are",
    "has",
    "have",
    "said",
    "which",
    "this",
    "after",
    "who",
    "been",
    "its",
    "their",
    "they",
    "would",
    "it",
    "at",
    "be",
    "as",
    "near",
    "including",
    "people",
    "least",
    "against",
    "over",
    "into",
    "during",
    "than",
    "more",
    "about",
    "killing",
    "killed",
    "injuring",
    "become",
    "becomes",
    "two",
    "three",
    "four",
    "five",
];

/// The share of a text's words that are English function words.
fn english_function_words(sample: &str) -> f64 {
    let (mut words, mut hits) = (0usize, 0usize);
    for w in sample.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        words += 1;
        if ENGLISH_WORDS.iter().any(|e| w.eq_ignore_ascii_case(e)) {
            hits += 1;
        }
    }
    if words == 0 {
        0.0
    } else {
        hits as f64 / words as f64
    }
}

/// Whether a language tag ("en", "EN-us", "eng", "en-Latn") names English.
pub fn is_english_tag(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    primary == "en" || primary == "eng"
}

/// A declared tag with the identified script added when it names none ("en" → "en-Latn").
pub fn with_script(declared: &str, identified: &Identified) -> String {
    let declared = declared.trim();
    let has_script = declared.split(['-', '_']).skip(1).any(|s| s.len() == 4);
    match identified.tag.split_once('-') {
        Some((_, script)) if !has_script && !declared.is_empty() => format!("{declared}-{script}"),
        _ => declared.to_string(),
    }
}

/// ISO 639-1 code of a whatlang language (ISO 639-3 where 639-1 has none).
fn language_code(l: Lang) -> &'static str {
    use Lang::*;
    match l {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Cym => "cy",
        #[allow(unreachable_patterns)]
        other => other.code(),
    }
}

/// ISO 15924 code of a whatlang script.
fn script_code(s: Script) -> &'static str {
    use Script::*;
    match s {
        Latin => "Latn",
        Cyrillic => "Cyrl",
        Arabic => "Arab",
        Devanagari => "Deva",
        Hiragana => "Hira",
        Katakana => "Kana",
        Ethiopic => "Ethi",
        Hebrew => "Hebr",
        Bengali => "Beng",
        Georgian => "Geor",
        Mandarin => "Hani",
        Hangul => "Hang",
        Greek => "Grek",
        Kannada => "Knda",
        Tamil => "Taml",
        Thai => "Thai",
        Gujarati => "Gujr",
        Gurmukhi => "Guru",
        Telugu => "Telu",
        Malayalam => "Mlym",
        Oriya => "Orya",
        Myanmar => "Mymr",
        Sinhala => "Sinh",
        Khmer => "Khmr",
        Armenian => "Armn",
        #[allow(unreachable_patterns)]
        _ => "Zyyy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_in_several_languages_and_scripts() {
        let en = identify("Serbia rejected the ultimatum on Friday, and NATO approved more troops for Kosovo.");
        assert_eq!((en.tag.as_str(), en.english), ("en-Latn", true));
        let fr = identify(
            "Le gouvernement serbe a rejeté vendredi l'ultimatum, et l'OTAN a approuvé l'envoi de troupes supplémentaires au Kosovo.",
        );
        assert_eq!((fr.tag.as_str(), fr.english), ("fr-Latn", false));
        let de = identify(
            "Die serbische Regierung hat das Ultimatum am Freitag abgelehnt, und die NATO billigte die Entsendung weiterer Truppen in den Kosovo.",
        );
        assert_eq!((de.tag.as_str(), de.english), ("de-Latn", false));
        let es = identify(
            "El gobierno serbio rechazó el ultimátum el viernes y la OTAN aprobó el envío de más tropas a Kosovo, según fuentes oficiales.",
        );
        assert_eq!((es.tag.as_str(), es.english), ("es-Latn", false));
        // A summary thick with foreign names is still English (trigrams alone say French here).
        let names = identify("Two trains collide near České Budějovice, Czech Republic, injuring at least 57 people, including five seriously.");
        assert_eq!((names.tag.as_str(), names.english), ("en-Latn", true));
        let ru =
            identify("Правительство Сербии в пятницу отвергло ультиматум, а НАТО одобрило отправку войск в Косово.");
        // Russian and Bulgarian are close in a sentence this short; the script is certain.
        assert!(ru.tag.ends_with("-Cyrl") && !ru.english, "{ru:?}");
        let ar = identify("رفضت الحكومة الصربية الإنذار يوم الجمعة، ووافق حلف الناتو على إرسال قوات إضافية إلى كوسوفو.");
        assert_eq!((ar.tag.as_str(), ar.english), ("ar-Arab", false));
        let zh = identify("塞尔维亚政府周五拒绝了最后通牒，北约批准向科索沃增派部队。");
        assert!(zh.tag.ends_with("-Hani") && !zh.english, "{zh:?}");
    }

    #[test]
    fn too_little_latin_text_counts_as_english_and_no_letters_as_undetermined() {
        let short = identify("Kosovo 2023");
        assert!(short.english, "{short:?}");
        assert!(short.tag.ends_with("-Latn"), "{short:?}");
        assert_eq!(identify("12 345 — 67").tag, "und");
        // English quoting names in other scripts stays English.
        let mixed = identify("The minister, Мирослав Лајчак, met Prime Minister Albin Kurti in Pristina on Monday to discuss the dialogue.");
        assert!(mixed.english, "{mixed:?}");
    }

    #[test]
    fn declared_tags() {
        assert!(is_english_tag("EN-us") && is_english_tag("eng") && !is_english_tag("fr"));
        let en = identify("Serbia rejected the ultimatum on Friday, and NATO approved more troops for Kosovo.");
        assert_eq!(with_script("en", &en), "en-Latn");
        assert_eq!(with_script("sr-Cyrl", &en), "sr-Cyrl");
    }
}

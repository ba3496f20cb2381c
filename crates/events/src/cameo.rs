//! CAMEO codes: PLOVER type/mode/context (from the CAMEO→PLOVER table), Goldstein weight, QuadClass.

use std::collections::HashMap;
use std::str::FromStr;

use tocsin_doc::PloverType;

/// What a CAMEO code means in PLOVER terms, plus its Goldstein weight and QuadClass.
#[derive(Debug, Clone, PartialEq)]
pub struct CameoInfo {
    /// PLOVER type.
    pub plover: PloverType,
    /// PLOVER mode, if the table gives one.
    pub mode: Option<String>,
    /// PLOVER contexts.
    pub context: Vec<String>,
    /// Goldstein weight (-10..10).
    pub goldstein: f32,
    /// QuadClass 1–4.
    pub quad_class: u8,
}

/// The CAMEO table.
#[derive(Debug, Clone, Default)]
pub struct CameoTable {
    plover: HashMap<String, (PloverType, Option<String>, Vec<String>)>,
    goldstein: HashMap<String, f32>,
}

/// QuadClass from the CAMEO root: 01–05 verbal cooperation, 06–09 material cooperation,
/// 10–14 verbal conflict, 15–20 material conflict.
pub fn quad_class(code: &str) -> u8 {
    match code.get(..2).and_then(|r| r.parse::<u8>().ok()).unwrap_or(0) {
        1..=5 => 1,
        6..=9 => 2,
        10..=14 => 3,
        _ => 4,
    }
}

impl CameoTable {
    /// The tables shipped in `data/cameo`.
    pub fn builtin() -> Self {
        Self::parse(
            include_str!("../../../data/cameo/cameo2plover.txt"),
            include_str!("../../../data/cameo/goldstein.tsv"),
        )
    }

    /// The built-in tables plus `data/cameo/outside_plover.txt`: a documented type for every CAMEO 2.0
    /// code the PLOVER table leaves out (statements 01x, appeals 02x), for importing events coded by
    /// others. The coder does not use it: its triggers with those codes code no event.
    pub fn complete() -> Self {
        let mut t = Self::builtin();
        t.add_plover_lines(include_str!("../../../data/cameo/outside_plover.txt"));
        t
    }

    /// Parses the CAMEO→PLOVER text table and the Goldstein TSV.
    pub fn parse(cameo2plover: &str, goldstein: &str) -> Self {
        let mut t = CameoTable::default();
        t.add_plover_lines(cameo2plover);
        for line in goldstein.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            if let (Some(code), Some(Ok(g))) = (cols.next(), cols.next().map(|g| g.trim().parse::<f32>())) {
                t.goldstein.insert(code.trim().to_string(), g);
            }
        }
        t
    }

    /// Adds `code: TYPE, mode, contexts` lines; a code already known keeps its first meaning.
    fn add_plover_lines(&mut self, cameo2plover: &str) {
        let t = self;
        for line in cameo2plover.lines() {
            let body = line.split('#').next().unwrap_or("");
            let Some((code, rest)) = body.split_once(':') else {
                continue;
            };
            let code = code.trim();
            if code.len() < 3 || !code.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let cols: Vec<&str> = rest.split(',').map(str::trim).collect();
            let Some(Ok(plover)) = cols.first().map(|p| PloverType::from_str(p)) else {
                continue;
            };
            let mode = cols.get(1).filter(|m| !m.is_empty()).map(|m| m.to_string());
            let context = cols.get(2).map_or(Vec::new(), |c| {
                c.split(';')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect()
            });
            t.plover.entry(code.to_string()).or_insert((plover, mode, context));
        }
    }

    /// Looks a code up, falling back to its parent code (0356 → 035 → 03x root "030").
    pub fn get(&self, code: &str) -> Option<CameoInfo> {
        if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // All ASCII digits from here on, so the byte slices below fall on characters.
        let parents = |c: &str| {
            let mut v = vec![c.to_string()];
            if c.len() == 4 {
                v.push(c[..3].to_string());
            }
            v.push(format!("{}0", &c[..2]));
            v
        };
        let (plover, mode, context) = parents(code).iter().find_map(|c| self.plover.get(c)).cloned()?;
        let goldstein = parents(code)
            .iter()
            .find_map(|c| self.goldstein.get(c))
            .copied()
            .unwrap_or(0.0);
        Some(CameoInfo {
            plover,
            mode,
            context,
            goldstein,
            quad_class: quad_class(code),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_maps_codes_with_parent_fallback() {
        let t = CameoTable::builtin();
        let phone = t.get("041").unwrap();
        assert_eq!(phone.plover, PloverType::Consult);
        assert_eq!(phone.mode.as_deref(), Some("phone"));
        assert_eq!(phone.goldstein, 1.0);
        assert_eq!(phone.quad_class, 1);
        let demand = t.get("1056").unwrap();
        assert_eq!(demand.plover, PloverType::Request);
        assert_eq!(demand.goldstein, -5.0);
        assert_eq!(demand.quad_class, 3);
        let fight = t.get("193").unwrap();
        assert_eq!(fight.plover, PloverType::Assault);
        assert_eq!(fight.quad_class, 4);
        assert_eq!(t.get("111").unwrap().plover, PloverType::Accuse);
        assert!(t.get("999").is_none());
        // Statements and appeals are outside PLOVER: the coder's table does not know them.
        assert!(t.get("010").is_none() && t.get("0231").is_none());
        for bad in ["", "0", "0€", "12345", "abc"] {
            assert!(t.get(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn the_complete_table_knows_every_cameo_code() {
        let t = CameoTable::complete();
        let appeal = t.get("0231").unwrap();
        assert_eq!(appeal.plover, PloverType::Request);
        assert_eq!(appeal.context, vec!["economic".to_string()]);
        assert_eq!(appeal.goldstein, 3.4);
        assert_eq!(appeal.quad_class, 1);
        let statement = t.get("012").unwrap();
        assert_eq!(
            (statement.plover, statement.mode.as_deref()),
            (PloverType::Accuse, Some("statement"))
        );
        assert_eq!(statement.goldstein, -0.4);
        // The PLOVER table still wins where it has the code.
        assert_eq!(t.get("041").unwrap().mode.as_deref(), Some("phone"));
        // Every code of the CAMEO 2.0 codebook's 20 roots resolves (three-digit codes 010-204).
        for root in 1..=20 {
            assert!(t.get(&format!("{root:02}0")).is_some(), "root {root:02}");
        }
    }
}

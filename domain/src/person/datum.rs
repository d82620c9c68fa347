//! Dates as the BRP holds them: complete, or with the day, the month or everything unknown.

use crate::time::format_day;
use chrono::{Datelike, NaiveDate};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A BRP date. Serialised as Haal Centraal's `AbstractDatum`: an object with `type`,
/// `langFormaat` and `datum`, `jaar`/`maand` or `onbekend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Datum {
    Volledig(NaiveDate),
    JaarMaand { jaar: i32, maand: u32 },
    Jaar(i32),
    Onbekend,
}

impl Datum {
    /// Reads the GBA form `JJJJMMDD`, where `00` stands for an unknown part
    /// (`19750700`, `19750000`, `00000000`).
    pub fn from_gba(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw.len() != 8 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let jaar: i32 = raw[0..4].parse().ok()?;
        let maand: u32 = raw[4..6].parse().ok()?;
        let dag: u32 = raw[6..8].parse().ok()?;
        Some(match (jaar, maand, dag) {
            (0, _, _) => Datum::Onbekend,
            (j, 0, _) => Datum::Jaar(j),
            (j, m, 0) if m <= 12 => Datum::JaarMaand { jaar: j, maand: m },
            (j, m, d) => Datum::Volledig(NaiveDate::from_ymd_opt(j, m, d)?),
        })
    }

    pub fn complete(self) -> Option<NaiveDate> {
        match self {
            Datum::Volledig(d) => Some(d),
            _ => None,
        }
    }

    /// Haal Centraal's `langFormaat`: "8 oktober 1993", "oktober 1993", "1993", "onbekend".
    pub fn long_format(self) -> String {
        match self {
            Datum::Volledig(d) => format_day(d),
            Datum::JaarMaand { jaar, maand } => {
                let name = MONTHS.get(maand.saturating_sub(1) as usize).unwrap_or(&"");
                format!("{name} {jaar}")
            }
            Datum::Jaar(j) => j.to_string(),
            Datum::Onbekend => "onbekend".to_owned(),
        }
    }

    /// Age in whole years on `today`; only for a complete date.
    pub fn age_on(self, today: NaiveDate) -> Option<u32> {
        let born = self.complete()?;
        let mut years = today.year() - born.year();
        if (today.month(), today.day()) < (born.month(), born.day()) {
            years -= 1;
        }
        u32::try_from(years).ok()
    }
}

impl Serialize for Datum {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        match *self {
            Datum::Volledig(d) => {
                map.serialize_entry("type", "Datum")?;
                map.serialize_entry("datum", &d.format("%Y-%m-%d").to_string())?;
            }
            Datum::JaarMaand { jaar, maand } => {
                map.serialize_entry("type", "JaarMaandDatum")?;
                map.serialize_entry("jaar", &jaar)?;
                map.serialize_entry("maand", &maand)?;
            }
            Datum::Jaar(jaar) => {
                map.serialize_entry("type", "JaarDatum")?;
                map.serialize_entry("jaar", &jaar)?;
            }
            Datum::Onbekend => {
                map.serialize_entry("type", "DatumOnbekend")?;
                map.serialize_entry("onbekend", &true)?;
            }
        }
        map.serialize_entry("langFormaat", &self.long_format())?;
        map.end()
    }
}

/// The wire form of a [`Datum`], as read back from stored JSON. `langFormaat` is derived
/// and therefore ignored.
#[derive(Deserialize)]
struct DatumWire {
    #[serde(rename = "type")]
    soort: String,
    datum: Option<String>,
    jaar: Option<i32>,
    maand: Option<u32>,
}

impl<'de> Deserialize<'de> for Datum {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = DatumWire::deserialize(d)?;
        let missing = |what: &str| D::Error::custom(format!("{} without {what}", w.soort));
        match w.soort.as_str() {
            "Datum" => {
                let raw = w.datum.as_deref().ok_or_else(|| missing("datum"))?;
                NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .map(Datum::Volledig)
                    .map_err(|e| D::Error::custom(format!("datum {raw}: {e}")))
            }
            "JaarMaandDatum" => {
                let jaar = w.jaar.ok_or_else(|| missing("jaar"))?;
                let maand = w.maand.filter(|m| (1..=12).contains(m));
                let maand = maand.ok_or_else(|| missing("maand"))?;
                Ok(Datum::JaarMaand { jaar, maand })
            }
            "JaarDatum" => Ok(Datum::Jaar(w.jaar.ok_or_else(|| missing("jaar"))?)),
            "DatumOnbekend" => Ok(Datum::Onbekend),
            other => Err(D::Error::custom(format!("unknown date type {other}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn gba_dates_with_unknown_parts() {
        let d = Datum::from_gba("19931008").unwrap();
        assert_eq!(d.long_format(), "8 oktober 1993");
        assert_eq!(
            serde_json::to_value(d).unwrap(),
            serde_json::json!({"type": "Datum", "datum": "1993-10-08", "langFormaat": "8 oktober 1993"})
        );
        assert_eq!(
            Datum::from_gba("19931000").unwrap().long_format(),
            "oktober 1993"
        );
        assert_eq!(Datum::from_gba("19930000").unwrap(), Datum::Jaar(1993));
        assert_eq!(Datum::from_gba("00000000").unwrap(), Datum::Onbekend);
        assert_eq!(Datum::from_gba("19930231"), None);
        assert_eq!(Datum::from_gba("1993-10-08"), None);
    }

    #[test]
    fn dates_read_back_what_they_wrote() {
        for d in [
            Datum::Volledig(NaiveDate::from_ymd_opt(1993, 10, 8).unwrap()),
            Datum::JaarMaand {
                jaar: 1993,
                maand: 10,
            },
            Datum::Jaar(1993),
            Datum::Onbekend,
        ] {
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(serde_json::from_str::<Datum>(&json).unwrap(), d, "{json}");
        }
        assert!(serde_json::from_str::<Datum>(r#"{"type":"Datum","datum":"1993-02-30"}"#).is_err());
        assert!(serde_json::from_str::<Datum>(r#"{"type":"Iets"}"#).is_err());
    }

    #[test]
    fn age_counts_whole_years() {
        let born = Datum::Volledig(NaiveDate::from_ymd_opt(2000, 11, 23).unwrap());
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(born.age_on(day(2026, 11, 22)), Some(25));
        assert_eq!(born.age_on(day(2026, 11, 23)), Some(26));
        assert_eq!(Datum::Jaar(2000).age_on(day(2026, 1, 1)), None);
    }
}

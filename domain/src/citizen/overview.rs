//! The overview of verstrekkingen for the citizen (Wet BRP 3.22): who received their data
//! in the twenty years before the request, for which doel, and what kinds of data, in
//! general terms. Afnemers marked under Besluit BRP art. 46 are left out.

use crate::catalogue::Catalogue;
use crate::protocol::Verstrekking;
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Protocol records are kept, and the overview reaches back, twenty years (Wet BRP 3.11,
/// 3.22).
pub const OVERVIEW_YEARS: u32 = 20;

/// One line of the overview: verstrekkingen on one day to one afnemer for one doel with the
/// same kinds of data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewRow {
    pub date: NaiveDate,
    pub afnemer: String,
    pub doel: String,
    /// The LO GBA categories provided, by their Dutch label, in catalogue order.
    pub categories: Vec<String>,
    pub count: u32,
}

/// The instants the overview covers: from twenty years before the request up to it.
pub fn window(requested_at: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = requested_at
        .checked_sub_months(Months::new(OVERVIEW_YEARS * 12))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    (start, requested_at)
}

/// The category labels of provided element paths, in catalogue order.
pub fn categories_of(fields: &[String]) -> Vec<String> {
    let catalogue = Catalogue::persoon();
    let codes: BTreeSet<&str> = fields
        .iter()
        .filter_map(|f| catalogue.get(f))
        .map(|e| e.category.code)
        .collect();
    Catalogue::categories()
        .iter()
        .filter(|c| codes.contains(c.code))
        .map(|c| c.label.to_owned())
        .collect()
}

/// Builds the overview from the person's protocol records: inside the window, without the
/// verstrekkingen recorded as hidden (art. 46, as the afnemer was flagged when each was
/// made), newest first, same day/afnemer/doel/data folded into one line with a count.
pub fn overview(records: &[Verstrekking], requested_at: DateTime<Utc>) -> Vec<OverviewRow> {
    let (start, end) = window(requested_at);
    let mut rows: Vec<OverviewRow> = Vec::new();
    let mut index: std::collections::HashMap<(NaiveDate, String, String, Vec<String>), usize> =
        std::collections::HashMap::new();
    let mut sorted: Vec<&Verstrekking> = records
        .iter()
        .filter(|v| v.at >= start && v.at <= end)
        .filter(|v| !v.hidden_from_citizen)
        .collect();
    sorted.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    for v in sorted {
        let row = OverviewRow {
            date: crate::time::dutch_local(v.at).date_naive(),
            afnemer: v.afnemer.name.clone(),
            doel: v.doel_name.clone(),
            categories: categories_of(&v.fields),
            count: 1,
        };
        let key = (
            row.date,
            row.afnemer.clone(),
            row.doel.clone(),
            row.categories.clone(),
        );
        match index.get(&key) {
            Some(&i) => rows[i].count += 1,
            None => {
                index.insert(key, rows.len());
                rows.push(row);
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::authorisation::SearchType;
    use crate::person::Bsn;
    use crate::protocol::Channel;
    use crate::AfnemerRef;
    use chrono::TimeZone;

    fn record(id: i64, at: DateTime<Utc>, afnemer: (i64, &str), fields: &[&str]) -> Verstrekking {
        Verstrekking {
            id,
            request_id: format!("r{id}"),
            bsn: Bsn::parse("999990019").unwrap(),
            at,
            user_id: 1,
            username: "medewerker".into(),
            grant_id: 1,
            profile_id: 1,
            profile_version: 1,
            afnemer: AfnemerRef {
                id: afnemer.0,
                name: afnemer.1.into(),
            },
            doel_id: 1,
            doel_name: "Beoordelen aanvraag bijstand".into(),
            zaak: String::new(),
            search_type: SearchType::RaadpleegMetBurgerservicenummer,
            channel: Channel::Portaal,
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            hidden_from_citizen: false,
            gebruiker: None,
            verwerking: None,
        }
    }

    #[test]
    fn twenty_years_back_without_art_46_afnemers_folded_per_day() {
        let asked = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
        let wiz = (1, "Team werk, inkomen en zorg");
        let politie = (2, "Politie (art. 46)");
        let records = vec![
            record(
                1,
                Utc.with_ymd_and_hms(2006, 11, 30, 10, 0, 0).unwrap(),
                wiz,
                &["naam.geslachtsnaam"],
            ),
            record(
                2,
                Utc.with_ymd_and_hms(2006, 12, 1, 10, 0, 0).unwrap(),
                wiz,
                &["naam.geslachtsnaam"],
            ),
            record(
                3,
                Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(),
                wiz,
                &[
                    "naam.geslachtsnaam",
                    "verblijfplaats.verblijfadres.postcode",
                ],
            ),
            record(
                4,
                Utc.with_ymd_and_hms(2026, 11, 30, 11, 0, 0).unwrap(),
                wiz,
                &["verblijfplaats.verblijfadres.postcode", "naam.voornamen"],
            ),
            record(
                5,
                Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap(),
                politie,
                &["naam.geslachtsnaam"],
            ),
            // After the request: not part of this overview.
            record(
                6,
                Utc.with_ymd_and_hms(2026, 12, 1, 11, 0, 0).unwrap(),
                wiz,
                &["naam.geslachtsnaam"],
            ),
        ];
        let mut records = records;
        records[4].hidden_from_citizen = true;
        let rows = overview(&records, asked);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0].date, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(rows[0].count, 2);
        assert_eq!(
            rows[0].categories,
            vec!["Persoon".to_owned(), "Verblijfplaats en adres".to_owned()]
        );
        assert!(rows.iter().all(|r| !r.afnemer.contains("Politie")));
        // Exactly twenty years back is in; a day more is out.
        assert_eq!(rows[1].date, NaiveDate::from_ymd_opt(2006, 12, 1).unwrap());
        assert_eq!(rows[1].count, 1);
        // A verstrekking recorded without the art. 46 flag shows.
        records[4].hidden_from_citizen = false;
        assert_eq!(overview(&records, asked).len(), 3);
    }
}

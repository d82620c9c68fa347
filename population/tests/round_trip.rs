//! The stored Persoon JSON reads back into the domain types unchanged: a granted correctie
//! or geheimhouding rewrites a person through those types, and must lose nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::person::Persoon;
use brp_population::generate::{generate, PopulationSpec};
use brp_population::mock_import::parse_mock;

fn round_trips(p: &Persoon) {
    let json = serde_json::to_value(p).unwrap();
    let back: Persoon = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("{}: {e}\n{json}", p.burgerservicenummer));
    assert_eq!(&back, p);
    assert_eq!(serde_json::to_value(&back).unwrap(), json);
}

#[test]
fn generated_persons_read_back_unchanged() {
    let spec = PopulationSpec {
        seed: 7,
        count: 3000,
        gemeente_code: "1998".into(),
        gemeente_naam: "Voorbeeld".into(),
        woonplaats: "Voorbeeld".into(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    };
    let mut n = 0;
    for p in generate(&spec) {
        round_trips(&p);
        n += 1;
    }
    assert_eq!(n, 3000);
}

#[test]
fn imported_mock_persons_read_back_unchanged() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/personen-mock-test-data.json"
    ))
    .unwrap();
    let parsed = parse_mock(&text).unwrap();
    assert!(parsed.persons.len() > 800);
    for p in &parsed.persons {
        round_trips(p);
    }
}

//! Unit tests of the authorisation model.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn content(fields: &[&str], types: &[SearchType], doelen: &[i64], own: bool) -> ProfileContent {
    ProfileContent {
        fields: fields.iter().map(|s| s.to_string()).collect(),
        search_types: types.iter().copied().collect(),
        doelen: doelen.iter().copied().collect(),
        own_residents_only: own,
        zaak_required: false,
    }
}

#[test]
fn periods_start_today_or_later_and_last_at_most_a_year() {
    let today = d("2026-11-22");
    assert!(Period::parse("2026-11-22", "2027-11-22", today).is_ok());
    let e = Period::parse("2026-11-22", "2027-11-23", today).unwrap_err();
    assert_eq!(e.field, "einddatum");
    assert_eq!(
        Period::parse("2026-11-21", "2027-01-01", today)
            .unwrap_err()
            .field,
        "begindatum"
    );
    assert_eq!(
        Period::parse("2026-12-01", "2026-11-30", today)
            .unwrap_err()
            .field,
        "einddatum"
    );
    assert_eq!(
        Period::parse("22-11-2026", "2027-01-01", today)
            .unwrap_err()
            .field,
        "begindatum"
    );
    assert_eq!(one_year_after(d("2028-02-29")), d("2029-02-28"));
}

#[test]
fn the_signature_is_the_account_name() {
    assert_eq!(
        check_signature(" mila  de Medewerker", "Mila de Medewerker").unwrap(),
        "mila de Medewerker"
    );
    assert!(check_signature("Mila", "Mila de Medewerker").is_err());
    assert!(check_signature("  ", "Mila de Medewerker").is_err());
}

#[test]
fn diff_tells_widening_from_narrowing() {
    use SearchType::*;
    let old = content(
        &["naam.voornamen", "geboorte.datum"],
        &[RaadpleegMetBurgerservicenummer],
        &[1],
        true,
    );
    let wider = content(
        &["naam.voornamen", "geboorte.datum", "burgerservicenummer"],
        &[RaadpleegMetBurgerservicenummer],
        &[1],
        true,
    );
    let narrower = content(
        &["naam.voornamen"],
        &[RaadpleegMetBurgerservicenummer],
        &[1],
        true,
    );
    let unrestricted = content(
        &["naam.voornamen", "geboorte.datum"],
        &[RaadpleegMetBurgerservicenummer],
        &[1],
        false,
    );
    assert!(old.diff(&wider).widens() && !old.diff(&wider).narrows());
    assert!(old.diff(&narrower).narrows() && !old.diff(&narrower).widens());
    assert!(old.diff(&unrestricted).widens());
    assert!(old.diff(&old).is_empty());
}

fn version(v: i32, status: VersionStatus, c: ProfileContent) -> ProfileVersion {
    ProfileVersion {
        profile_id: 1,
        version: v,
        content: c,
        status,
        note: String::new(),
        proposed_by_id: None,
        proposed_by: "a".into(),
        proposed_at: Utc::now(),
        decision: None,
        vrije_derde_basis: None,
    }
}

#[test]
fn old_grants_get_narrowings_at_once_and_widenings_only_after_reconfirmation() {
    use SearchType::*;
    let v1 = content(&["a", "b"], &[RaadpleegMetBurgerservicenummer], &[1], false);
    let v2 = content(&["a"], &[RaadpleegMetBurgerservicenummer], &[1], false); // narrows
    let v3 = content(
        &["a", "b", "c"],
        &[RaadpleegMetBurgerservicenummer, ZoekMetPostcodeEnHuisnummer],
        &[1],
        false,
    ); // widens
    let v4 = content(&["x"], &[RaadpleegMetBurgerservicenummer], &[1], false); // pending
    let profile = Profile {
        id: 1,
        name: "p".into(),
        description: String::new(),
        afnemer: AfnemerRef {
            id: 1,
            name: "a".into(),
        },
        versions: vec![
            version(1, VersionStatus::Approved, v1),
            version(2, VersionStatus::Approved, v2),
            version(3, VersionStatus::Approved, v3.clone()),
            version(4, VersionStatus::Pending, v4),
        ],
    };
    assert_eq!(profile.current().map(|v| v.version), Some(3));
    assert_eq!(profile.pending().map(|v| v.version), Some(4));
    // Confirmed on v1: b was removed in v2 and stays removed; c and the postcode search
    // came with v3 and need a re-confirmation.
    let on_v1 = profile.effective_for(1).unwrap();
    assert_eq!(on_v1.fields, ["a".to_string()].into());
    assert_eq!(on_v1.search_types, [RaadpleegMetBurgerservicenummer].into());
    // Re-confirmed on v3: everything of v3.
    assert_eq!(profile.effective_for(3).unwrap(), v3);
    assert_eq!(profile.effective_for(5), None);
}

#[test]
fn grants_have_a_state_by_date_and_a_review_moment() {
    let now = DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let mut g = Grant {
        id: 1,
        user: UserRef {
            id: 1,
            username: "m".into(),
            display_name: "M".into(),
            afnemer: None,
        },
        profile_id: 1,
        profile_name: "p".into(),
        afnemer: AfnemerRef {
            id: 1,
            name: "a".into(),
        },
        request_id: None,
        confirmed_version: 1,
        current_version: 1,
        start_date: d("2026-01-01"),
        end_date: d("2026-12-31"),
        last_confirmed_at: now - Duration::days(10),
        last_confirmed_by: "b".into(),
        revocation: None,
    };
    assert_eq!(g.state(d("2026-12-31")), GrantState::Active);
    assert_eq!(g.state(d("2027-01-01")), GrantState::Expired);
    assert_eq!(g.state(d("2025-12-31")), GrantState::NotYetStarted);
    assert!(!g.due_for_review(now)); // ends in 39 days, confirmed 10 days ago
    g.end_date = d("2026-12-22");
    assert!(g.due_for_review(now)); // ends within 30 days
    g.end_date = d("2027-06-01");
    g.last_confirmed_at = now - Duration::days(366);
    assert!(g.due_for_review(now)); // not confirmed for a year
    g.revocation = Some(Revocation {
        by: "b".into(),
        at: now,
        reason: "r".into(),
    });
    assert!(!g.due_for_review(now));
    assert_eq!(g.state(d("2026-11-22")), GrantState::Revoked);
}

#[test]
fn requiring_a_zaak_narrows_and_dropping_it_widens() {
    use SearchType::*;
    let free = content(&["a"], &[RaadpleegMetBurgerservicenummer], &[1], false);
    let mut strict = free.clone();
    strict.zaak_required = true;
    assert!(free.diff(&strict).narrows() && !free.diff(&strict).widens());
    assert!(strict.diff(&free).widens());
    // A grant confirmed before the requirement keeps it once it came in.
    assert!(free.intersect(&strict).zaak_required);
    // A version stored before the attribute existed reads as "not required".
    let old: ProfileContent = serde_json::from_str(
        r#"{"fields":["a"],"search_types":[],"doelen":[],"own_residents_only":false}"#,
    )
    .unwrap();
    assert!(!old.zaak_required);
}

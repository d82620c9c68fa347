//! Service-level tests of the autorisatiebeheer rules (four eyes, roles, signed requests,
//! grants, widening and narrowing, herbeoordeling, audit, letters, reglement), on both
//! databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::authorisation::{
    one_year_after, Profile, ProfileContent, RequestStatus, SearchType, VersionStatus, DECLARATION,
};
use brp_domain::messages::LetterKind;
use brp_domain::time::{dutch_local, format_day};
use brp_domain::{AuditAction, DisplayName, EmailAddress, NewPassword, Role, Username};
use brp_service::accounts::NewUser;
use brp_service::authorisation::{AfnemerInput, ProfileInput};
use brp_service::demo::DEMO_PASSWORD;
use brp_service::store::{DbPool, GrantFilter};
use brp_service::testing::TestDatabase;
use brp_service::{on_both_databases, Actor, Clock, Portal, ServiceError};
use chrono::{DateTime, Duration, NaiveDate, Utc};

const ADDR: &str = "192.0.2.20";
const ALGEMEEN: &str = "Profiel raadplegen algemeen";
const SOZA: &str = "Profiel raadplegen t.b.v. administraties Soza";
/// Two more profiles of the medewerker's own department (Team werk, inkomen en zorg), made
/// by [`demo`]: a medewerker asks only for profiles of their own afnemer.
const FINANCIEN: &str = "Profiel raadplegen schuldhulp";
const LEERPLICHT: &str = "Profiel raadplegen inburgering";
const PROEF: &str = "Profiel proef wijkteam";

macro_rules! assert_forbidden {
    ($call:expr) => {
        match $call {
            Err(ServiceError::Forbidden) => {}
            other => panic!(
                "{}: expected Forbidden, got {:?}",
                stringify!($call),
                other.map(|_| ())
            ),
        }
    };
}

macro_rules! assert_conflict {
    ($call:expr) => {
        match $call {
            Err(ServiceError::Conflict(_)) => {}
            other => panic!(
                "{}: expected Conflict, got {:?}",
                stringify!($call),
                other.map(|_| ())
            ),
        }
    };
}

macro_rules! assert_invalid {
    ($call:expr, $field:expr) => {
        match $call {
            Err(ServiceError::Invalid(v)) if v.field == $field => {}
            other => panic!(
                "{}: expected Invalid({}), got {:?}",
                stringify!($call),
                $field,
                other.map(|_| ())
            ),
        }
    };
}

macro_rules! assert_not_found {
    ($call:expr) => {
        match $call {
            Err(ServiceError::NotFound(_)) => {}
            other => panic!(
                "{}: expected NotFound, got {:?}",
                stringify!($call),
                other.map(|_| ())
            ),
        }
    };
}

async fn login(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"))
        .actor
}

/// The demo portal with its two beheerders, the medewerker and the toezichthouder.
struct Demo {
    portal: Portal,
    beheerder: Actor,
    beheerder2: Actor,
    medewerker: Actor,
    toezichthouder: Actor,
}

async fn demo(db: &TestDatabase) -> Demo {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let d = Demo {
        beheerder: login(&portal, "beheerder").await,
        beheerder2: login(&portal, "beheerder2").await,
        medewerker: login(&portal, "medewerker").await,
        toezichthouder: login(&portal, "toezichthouder").await,
        portal,
    };
    // Copies of "raadplegen algemeen" under other names, approved by four eyes.
    let algemeen = profile_named(&d.portal, &d.beheerder, ALGEMEEN).await;
    for name in [FINANCIEN, LEERPLICHT] {
        let id = d
            .portal
            .propose_profile(
                &d.beheerder,
                ProfileInput {
                    name: name.into(),
                    afnemer_id: algemeen.afnemer.id,
                    description: String::new(),
                    content: current_content(&algemeen),
                    note: String::new(),
                },
            )
            .await
            .unwrap();
        d.portal
            .decide_profile_version(&d.beheerder2, id, 1, true, "")
            .await
            .unwrap();
    }
    d
}

/// The date of today in the Netherlands, as the service counts days.
fn today(portal: &Portal) -> NaiveDate {
    dutch_local(portal.now()).date_naive()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Moves the test's clock forward to the instant `at`.
fn move_clock_to(db: &TestDatabase, at: DateTime<Utc>) {
    let now = db.clock.now();
    assert!(at >= now, "the clock only moves forward: {now} → {at}");
    db.clock.advance(at - now);
}

/// The instant `hour:minute` UTC on `day`.
fn utc(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, minute, 0).unwrap().and_utc()
}

async fn profile_named(portal: &Portal, actor: &Actor, name: &str) -> Profile {
    portal
        .list_profiles(actor)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("profile {name}"))
}

fn current_content(profile: &Profile) -> ProfileContent {
    profile
        .current()
        .expect("an approved version")
        .content
        .clone()
}

/// The demo grant of "raadplegen algemeen" the medewerker holds.
async fn demo_grant_id(d: &Demo) -> i64 {
    let grants = d.portal.my_grants(&d.medewerker).await.unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].grant.profile_name, ALGEMEEN);
    grants[0].grant.id
}

/// The medewerker signs a request for `profile` for the given days from today.
async fn request_for(d: &Demo, profile: &str, from: i64, to: i64) -> i64 {
    let profile = profile_named(&d.portal, &d.beheerder, profile).await;
    let today = today(&d.portal);
    d.portal
        .submit_request(
            &d.medewerker,
            profile.id,
            "Nodig voor de behandeling van aanvragen.",
            &iso(today + Duration::days(from)),
            &iso(today + Duration::days(to)),
            "Mila de Medewerker",
        )
        .await
        .unwrap()
}

/// A request the medewerker signed and the beheerder approved; the grant's id.
async fn granted(d: &Demo, profile: &str, from: i64, to: i64) -> i64 {
    let id = request_for(d, profile, from, to).await;
    d.portal
        .decide_request(&d.beheerder, id, true, "")
        .await
        .unwrap()
        .expect("approval makes a grant")
}

/// A small content for a new profile of the afnemer of "raadplegen algemeen".
async fn small_content(d: &Demo) -> (i64, ProfileContent) {
    let algemeen = profile_named(&d.portal, &d.beheerder, ALGEMEEN).await;
    let mut content = current_content(&algemeen);
    let first = content.fields.iter().next().unwrap().clone();
    content.fields = [first].into();
    content.search_types = [SearchType::RaadpleegMetBurgerservicenummer].into();
    (algemeen.afnemer.id, content)
}

async fn propose_new_profile(d: &Demo, by: &Actor) -> i64 {
    let (afnemer_id, content) = small_content(d).await;
    d.portal
        .propose_profile(
            by,
            ProfileInput {
                name: PROEF.into(),
                afnemer_id,
                description: "Alleen voor een proef.".into(),
                content,
                note: "Proef".into(),
            },
        )
        .await
        .unwrap()
}

/// "raadplegen algemeen" with fewer fields and one search type less.
fn narrowed(c: &ProfileContent) -> ProfileContent {
    let mut n = c.clone();
    let dropped: Vec<String> = n.fields.iter().take(2).cloned().collect();
    for f in &dropped {
        n.fields.remove(f);
    }
    assert!(n
        .search_types
        .remove(&SearchType::ZoekMetPostcodeEnHuisnummer));
    n
}

/// "raadplegen algemeen" with a field, a search type and a doel more (from the Soza profile
/// of the same afnemer).
fn widened(c: &ProfileContent, soza: &ProfileContent) -> ProfileContent {
    let mut w = c.clone();
    let extra = soza.fields.difference(&c.fields).next().unwrap().clone();
    w.fields.insert(extra);
    assert!(w
        .search_types
        .insert(SearchType::ZoekMetNaamEnGemeenteVanInschrijving));
    let doel = *soza.doelen.difference(&c.doelen).next().unwrap();
    w.doelen.insert(doel);
    w
}

async fn run_sql(db: &TestDatabase, sql: &str, id: i64) -> Result<u64, sqlx::Error> {
    match &db.pool {
        DbPool::Sqlite(p) => sqlx::query(sql)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
        DbPool::Postgres(p) => sqlx::query(sql)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
    }
}

// ---- four eyes --------------------------------------------------------------------------

async fn a_new_profile_takes_effect_only_when_another_beheerder_approves(db: TestDatabase) {
    let d = demo(&db).await;
    let id = propose_new_profile(&d, &d.beheerder).await;
    let profile = d.portal.profile(&d.beheerder, id).await.unwrap();
    assert_eq!(profile.versions.len(), 1);
    assert_eq!(profile.versions[0].status, VersionStatus::Pending);
    assert_eq!(profile.versions[0].proposed_by_id, Some(d.beheerder.id()));
    assert!(profile.current().is_none());

    // The proposer can neither approve nor reject their own proposal.
    assert_conflict!(
        d.portal
            .decide_profile_version(&d.beheerder, id, 1, true, "")
            .await
    );
    assert_conflict!(
        d.portal
            .decide_profile_version(&d.beheerder, id, 1, false, "toch niet")
            .await
    );
    let profile = d.portal.profile(&d.beheerder, id).await.unwrap();
    assert_eq!(profile.versions[0].status, VersionStatus::Pending);
    assert!(profile.versions[0].decision.is_none());
    // Nobody can ask for a profile that was not approved.
    assert_invalid!(
        d.portal
            .submit_request(
                &d.medewerker,
                id,
                "Voor de proef.",
                &iso(today(&d.portal)),
                &iso(today(&d.portal) + Duration::days(30)),
                "Mila de Medewerker",
            )
            .await,
        "profiel"
    );

    // Another beheerder can.
    d.portal
        .decide_profile_version(&d.beheerder2, id, 1, true, "Akkoord")
        .await
        .unwrap();
    let profile = d.portal.profile(&d.beheerder, id).await.unwrap();
    let current = profile.current().unwrap();
    assert_eq!(current.version, 1);
    let decision = current.decision.as_ref().unwrap();
    assert_eq!(decision.by, "Bart van den Beheer");
    assert_eq!(decision.reason, "Akkoord");
    // A decided version cannot be decided again.
    assert_conflict!(
        d.portal
            .decide_profile_version(&d.beheerder2, id, 1, false, "Bedacht")
            .await
    );
    assert_eq!(
        d.portal.profile(&d.beheerder, id).await.unwrap().versions[0].status,
        VersionStatus::Approved
    );
}

async fn a_profile_change_needs_another_beheerder_too(db: TestDatabase) {
    let d = demo(&db).await;
    let algemeen = profile_named(&d.portal, &d.beheerder, ALGEMEEN).await;
    let v1 = current_content(&algemeen);
    let v2 = narrowed(&v1);

    let number = d
        .portal
        .propose_profile_change(&d.beheerder2, algemeen.id, v2.clone(), "Minder gegevens")
        .await
        .unwrap();
    assert_eq!(number, 2);
    // Only one change waits at a time.
    assert_conflict!(
        d.portal
            .propose_profile_change(&d.beheerder, algemeen.id, v1.clone(), "Iets anders")
            .await
    );
    assert_conflict!(
        d.portal
            .decide_profile_version(&d.beheerder2, algemeen.id, 2, true, "")
            .await
    );
    let profile = d.portal.profile(&d.beheerder, algemeen.id).await.unwrap();
    assert_eq!(profile.current().unwrap().version, 1);
    assert_eq!(profile.pending().unwrap().version, 2);

    d.portal
        .decide_profile_version(&d.beheerder, algemeen.id, 2, true, "")
        .await
        .unwrap();
    let profile = d.portal.profile(&d.beheerder, algemeen.id).await.unwrap();
    assert_eq!(profile.current().unwrap().version, 2);
    assert_eq!(profile.current().unwrap().content, v2);
    assert!(profile.pending().is_none());
}

async fn a_rejected_version_never_takes_effect(db: TestDatabase) {
    let d = demo(&db).await;
    let grant_id = demo_grant_id(&d).await;
    let algemeen = profile_named(&d.portal, &d.beheerder, ALGEMEEN).await;
    let soza = profile_named(&d.portal, &d.beheerder, SOZA).await;
    let v1 = current_content(&algemeen);
    let wider = widened(&v1, &current_content(&soza));
    let narrower = narrowed(&v1);

    // A pending narrowing does not apply yet.
    d.portal
        .propose_profile_change(&d.beheerder, algemeen.id, narrower, "Minder")
        .await
        .unwrap();
    let effective = d
        .portal
        .effective_grant(&d.medewerker, grant_id)
        .await
        .unwrap();
    assert_eq!(effective.content, v1);
    // A rejection needs a reason.
    assert_invalid!(
        d.portal
            .decide_profile_version(&d.beheerder2, algemeen.id, 2, false, "  ")
            .await,
        "reden"
    );
    d.portal
        .decide_profile_version(&d.beheerder2, algemeen.id, 2, false, "Niet nodig")
        .await
        .unwrap();

    // A rejected widening does not reach anyone, not even after re-confirmation.
    let number = d
        .portal
        .propose_profile_change(&d.beheerder, algemeen.id, wider, "Meer")
        .await
        .unwrap();
    assert_eq!(number, 3);
    d.portal
        .decide_profile_version(&d.beheerder2, algemeen.id, 3, false, "Te ruim")
        .await
        .unwrap();
    d.portal
        .reconfirm_grant(&d.beheerder, grant_id)
        .await
        .unwrap();

    let profile = d.portal.profile(&d.beheerder, algemeen.id).await.unwrap();
    let statuses: Vec<_> = profile.versions.iter().map(|v| v.status).collect();
    assert_eq!(
        statuses,
        [
            VersionStatus::Approved,
            VersionStatus::Rejected,
            VersionStatus::Rejected
        ]
    );
    assert_eq!(profile.current().unwrap().version, 1);
    assert_eq!(
        profile.versions[1].decision.as_ref().unwrap().reason,
        "Niet nodig"
    );
    let effective = d
        .portal
        .effective_grant(&d.medewerker, grant_id)
        .await
        .unwrap();
    assert_eq!(effective.content, v1);
    assert_eq!(effective.grant.confirmed_version, 1);
    assert_eq!(effective.grant.current_version, 1);
    let reglement = d.portal.reglement().await.unwrap();
    let shown = reglement
        .afnemers
        .iter()
        .flat_map(|a| &a.profiles)
        .find(|p| p.name == ALGEMEEN)
        .unwrap();
    assert_eq!((shown.version, &shown.content), (1, &v1));
    // A rejected version cannot be approved afterwards.
    assert_conflict!(
        d.portal
            .decide_profile_version(&d.beheerder2, algemeen.id, 3, true, "")
            .await
    );
}

async fn nobody_decides_on_their_own_request_or_grant(db: TestDatabase) {
    let d = demo(&db).await;
    let balie = profile_named(
        &d.portal,
        &d.beheerder,
        "Profiel baliemedewerker Burgerzaken",
    )
    .await;
    let today = today(&d.portal);
    let request_id = d
        .portal
        .submit_request(
            &d.beheerder,
            balie.id,
            "Ik vervang aan de balie.",
            &iso(today),
            &iso(today + Duration::days(90)),
            "Bea Beheer",
        )
        .await
        .unwrap();
    let trail_before = d
        .portal
        .audit_trail(&d.beheerder, None, None, 500)
        .await
        .unwrap();

    assert_conflict!(
        d.portal
            .decide_request(&d.beheerder, request_id, true, "")
            .await
    );
    assert_conflict!(
        d.portal
            .decide_request(&d.beheerder, request_id, false, "Eigen aanvraag")
            .await
    );
    let request = d.portal.request(&d.beheerder, request_id).await.unwrap();
    assert_eq!(request.status, RequestStatus::Submitted);
    assert!(request.decision.is_none());
    assert!(d.portal.my_grants(&d.beheerder).await.unwrap().is_empty());
    assert_eq!(
        d.portal
            .audit_trail(&d.beheerder, None, None, 500)
            .await
            .unwrap(),
        trail_before
    );

    // The other beheerder decides; the holder cannot re-confirm or extend the grant.
    let grant_id = d
        .portal
        .decide_request(&d.beheerder2, request_id, true, "Akkoord")
        .await
        .unwrap()
        .unwrap();
    let grant = d.portal.my_grants(&d.beheerder).await.unwrap()[0].clone();
    assert_eq!(grant.grant.id, grant_id);
    assert_eq!(grant.grant.last_confirmed_by, "Bart van den Beheer");
    let new_end = iso(today + Duration::days(200));
    assert_conflict!(d.portal.reconfirm_grant(&d.beheerder, grant_id).await);
    assert_conflict!(
        d.portal
            .extend_grant(&d.beheerder, grant_id, &new_end)
            .await
    );
    let unchanged = d.portal.my_grants(&d.beheerder).await.unwrap()[0].clone();
    assert_eq!(unchanged.grant.end_date, today + Duration::days(90));
    assert_eq!(unchanged, grant);

    d.portal
        .extend_grant(&d.beheerder2, grant_id, &new_end)
        .await
        .unwrap();
    let extended = d.portal.my_grants(&d.beheerder).await.unwrap()[0].clone();
    assert_eq!(extended.grant.end_date, today + Duration::days(200));
    d.portal
        .reconfirm_grant(&d.beheerder2, grant_id)
        .await
        .unwrap();
}

// ---- roles --------------------------------------------------------------------------------

async fn medewerker_and_toezichthouder_cannot_manage_authorisations(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    let grant_id = demo_grant_id(&d).await;
    let algemeen = profile_named(p, &d.beheerder, ALGEMEEN).await;
    let v1 = current_content(&algemeen);
    p.propose_profile_change(&d.beheerder, algemeen.id, narrowed(&v1), "Minder")
        .await
        .unwrap();
    let request_id = request_for(&d, SOZA, 0, 100).await;
    let afnemer_id = algemeen.afnemer.id;
    let grondslag_id = p.list_grondslagen(&d.beheerder).await.unwrap()[0].id;
    let (_, content) = small_content(&d).await;

    let snapshot = || async {
        (
            p.list_afnemers(&d.beheerder).await.unwrap(),
            p.list_grondslagen(&d.beheerder).await.unwrap(),
            p.list_doelen(&d.beheerder).await.unwrap(),
            p.list_profiles(&d.beheerder).await.unwrap(),
            p.list_requests(&d.beheerder, None).await.unwrap(),
            p.list_grants(&d.beheerder, GrantFilter::default())
                .await
                .unwrap(),
            p.outbox(&d.beheerder).await.unwrap(),
            p.letters_of_user(&d.beheerder, d.medewerker.id())
                .await
                .unwrap(),
            p.audit_trail(&d.beheerder, None, None, 500).await.unwrap(),
        )
    };
    let before = snapshot().await;

    for other in [&d.medewerker, &d.toezichthouder] {
        let afnemer =
            || AfnemerInput::parse("Team indringers", "", "binnengemeentelijk", false, "").unwrap();
        assert_forbidden!(p.create_afnemer(other, afnemer()).await);
        assert_forbidden!(p.update_afnemer(other, afnemer_id, afnemer()).await);
        assert_forbidden!(p.create_grondslag(other, "Wet", "artikel 1", "").await);
        assert_forbidden!(
            p.create_doel(other, afnemer_id, grondslag_id, "Nieuw doel", "")
                .await
        );
        assert_forbidden!(
            p.propose_profile(
                other,
                ProfileInput {
                    name: "Profiel van een indringer".into(),
                    afnemer_id,
                    description: String::new(),
                    content: content.clone(),
                    note: String::new(),
                },
            )
            .await
        );
        assert_forbidden!(
            p.propose_profile_change(other, algemeen.id, content.clone(), "")
                .await
        );
        assert_forbidden!(
            p.decide_profile_version(other, algemeen.id, 2, true, "")
                .await
        );
        assert_forbidden!(
            p.decide_profile_version(other, algemeen.id, 2, false, "nee")
                .await
        );
        assert_forbidden!(p.decide_request(other, request_id, true, "").await);
        assert_forbidden!(p.decide_request(other, request_id, false, "nee").await);
        assert_forbidden!(p.revoke_grant(other, grant_id, "weg ermee").await);
        assert_forbidden!(p.reconfirm_grant(other, grant_id).await);
        assert_forbidden!(
            p.extend_grant(other, grant_id, &iso(today(p) + Duration::days(10)))
                .await
        );
    }
    // The medewerker does not read the register's decisions and mail either.
    let m = &d.medewerker;
    assert_forbidden!(p.list_requests(m, None).await);
    assert_forbidden!(p.list_grants(m, GrantFilter::default()).await);
    assert_forbidden!(p.review_list(m).await);
    assert_forbidden!(p.outbox(m).await);
    assert_forbidden!(p.letters_of_user(m, d.medewerker.id()).await);
    assert_forbidden!(p.audit_trail(m, None, None, 10).await);
    // A medewerker never uses someone else's grant.
    let balie_grant = {
        let today = today(p);
        let balie = profile_named(p, &d.beheerder, "Profiel baliemedewerker Burgerzaken").await;
        let id = p
            .submit_request(
                &d.beheerder,
                balie.id,
                "Balie",
                &iso(today),
                &iso(today + Duration::days(10)),
                "Bea Beheer",
            )
            .await
            .unwrap();
        p.decide_request(&d.beheerder2, id, true, "")
            .await
            .unwrap()
            .unwrap()
    };
    assert_forbidden!(p.effective_grant(m, balie_grant).await);
    assert_forbidden!(p.effective_grant(&d.beheerder, grant_id).await);
    // The toezichthouder reads, but does not ask for a profile or withdraw one.
    let t = &d.toezichthouder;
    assert_forbidden!(
        p.submit_request(
            t,
            algemeen.id,
            "Toezicht",
            &iso(today(p)),
            &iso(today(p) + Duration::days(10)),
            "Tom Toezicht",
        )
        .await
    );
    assert_forbidden!(p.withdraw_request(t, request_id).await);
    assert!(p.review_list(t).await.is_ok());
    assert!(p.list_requests(t, None).await.is_ok());

    // Nothing changed but the one grant the beheerders made themselves just now.
    let after = snapshot().await;
    assert_eq!(after.0, before.0);
    assert_eq!(after.1, before.1);
    assert_eq!(after.2, before.2);
    assert_eq!(after.3, before.3);
    assert_eq!(&after.4[1..], &before.4[..]);
    assert_eq!(after.4[0].requester.username, "beheerder");
    assert_eq!(after.5.len(), before.5.len() + 1);
    assert!(after
        .5
        .iter()
        .filter(|g| g.grant.id != balie_grant)
        .eq(before.5.iter()));
    assert_eq!(after.6.len(), before.6.len() + 1);
    assert_eq!(after.7, before.7);
    let new_events: Vec<_> = after.8[..after.8.len() - before.8.len()]
        .iter()
        .map(|e| (e.actor.as_str(), e.action))
        .collect();
    assert_eq!(
        new_events,
        [
            ("beheerder2", AuditAction::RequestApproved),
            ("beheerder", AuditAction::RequestSubmitted),
        ]
    );
    assert_eq!(&after.8[2..], &before.8[..]);
    let request = p.request(&d.beheerder, request_id).await.unwrap();
    assert_eq!(request.status, RequestStatus::Submitted);
}

// ---- requests -------------------------------------------------------------------------------

async fn a_request_is_signed_with_the_account_name_for_at_most_a_year(db: TestDatabase) {
    let d = demo(&db).await;
    let soza = profile_named(&d.portal, &d.beheerder, SOZA).await;
    let today = today(&d.portal);
    let year = iso(one_year_after(today));
    let submit = |motivation: &'static str, start: String, end: String, signature: &'static str| {
        let (portal, medewerker, profile) = (&d.portal, &d.medewerker, soza.id);
        async move {
            portal
                .submit_request(medewerker, profile, motivation, &start, &end, signature)
                .await
        }
    };

    let m = "Voor de Participatiewet.";
    assert_invalid!(
        submit(m, iso(today), year.clone(), "").await,
        "ondertekening"
    );
    assert_invalid!(
        submit(m, iso(today), year.clone(), "Mila").await,
        "ondertekening"
    );
    // Someone else's name is no signature either.
    assert_invalid!(
        submit(m, iso(today), year.clone(), "Bea Beheer").await,
        "ondertekening"
    );
    assert_invalid!(
        submit(
            m,
            iso(today),
            iso(one_year_after(today) + Duration::days(1)),
            "Mila de Medewerker"
        )
        .await,
        "einddatum"
    );
    assert_invalid!(
        submit(
            m,
            iso(today - Duration::days(1)),
            iso(today),
            "Mila de Medewerker"
        )
        .await,
        "begindatum"
    );
    assert_invalid!(
        submit(
            m,
            iso(today + Duration::days(5)),
            iso(today + Duration::days(4)),
            "Mila de Medewerker"
        )
        .await,
        "einddatum"
    );
    assert_invalid!(
        submit("  ", iso(today), year.clone(), "Mila de Medewerker").await,
        "motivering"
    );
    assert!(d
        .portal
        .my_requests(&d.medewerker)
        .await
        .unwrap()
        .is_empty());

    // Exactly one year, signed with the account name (case and spacing do not matter).
    let id = submit(m, iso(today), year.clone(), "  mila de  medewerker ")
        .await
        .unwrap();
    let request = d.portal.request(&d.medewerker, id).await.unwrap();
    assert_eq!(request.status, RequestStatus::Submitted);
    assert_eq!(request.signed_name, "mila de medewerker");
    assert_eq!(request.signed_at, d.portal.now());
    assert_eq!(
        (request.start_date, request.end_date),
        (today, one_year_after(today))
    );
    assert_eq!(request.profile_version, 1);
    assert_eq!(request.motivation, m);
    assert!(request.signed_text.starts_with(DECLARATION));
    assert!(request
        .signed_text
        .contains("mila de medewerker (gebruiker medewerker)"));
    assert!(request.signed_text.contains(SOZA));
    assert!(request.signed_text.contains(&format_day(today)));
    assert_eq!(
        d.portal.my_requests(&d.medewerker).await.unwrap(),
        [request]
    );

    // One open request per profile.
    assert_conflict!(submit(m, iso(today), year.clone(), "Mila de Medewerker").await);
    // The requester may withdraw it while it is open; then it is final too.
    d.portal.withdraw_request(&d.medewerker, id).await.unwrap();
    assert_eq!(
        d.portal.request(&d.medewerker, id).await.unwrap().status,
        RequestStatus::Withdrawn
    );
    assert_conflict!(d.portal.decide_request(&d.beheerder, id, true, "").await);
    assert_conflict!(d.portal.withdraw_request(&d.medewerker, id).await);
}

async fn a_decided_request_is_final(db: TestDatabase) {
    let d = demo(&db).await;
    let rejected = request_for(&d, SOZA, 0, 100).await;
    let approved = request_for(&d, FINANCIEN, 0, 100).await;

    assert_invalid!(
        d.portal
            .decide_request(&d.beheerder, rejected, false, " ")
            .await,
        "reden"
    );
    assert_eq!(
        d.portal
            .decide_request(
                &d.beheerder,
                rejected,
                false,
                "Geen taak in de Participatiewet"
            )
            .await
            .unwrap(),
        None
    );
    let grant_id = d
        .portal
        .decide_request(&d.beheerder, approved, true, "")
        .await
        .unwrap()
        .unwrap();

    let request = d.portal.request(&d.medewerker, rejected).await.unwrap();
    assert_eq!(request.status, RequestStatus::Rejected);
    let decision = request.decision.clone().unwrap();
    assert_eq!(decision.by, "Bea Beheer");
    assert_eq!(decision.reason, "Geen taak in de Participatiewet");
    assert_eq!(decision.at, d.portal.now());

    for id in [rejected, approved] {
        let before = d.portal.request(&d.medewerker, id).await.unwrap();
        assert_conflict!(d.portal.decide_request(&d.beheerder2, id, true, "").await);
        assert_conflict!(
            d.portal
                .decide_request(&d.beheerder2, id, false, "Toch niet")
                .await
        );
        assert_conflict!(d.portal.withdraw_request(&d.medewerker, id).await);

        // Not even the database lets anyone edit what was signed.
        for sql in [
            "UPDATE authorisation_requests SET motivation = 'iets anders' WHERE id = $1",
            "UPDATE authorisation_requests SET end_date = '2030-12-31' WHERE id = $1",
            "UPDATE authorisation_requests SET signed_name = 'Iemand Anders' WHERE id = $1",
        ] {
            let e = run_sql(&db, sql, id).await.unwrap_err();
            assert!(
                e.to_string()
                    .contains("cannot be edited after it is signed"),
                "{sql}: {e}"
            );
        }
        assert_eq!(d.portal.request(&d.medewerker, id).await.unwrap(), before);
    }

    // Two beheerders deciding at the same moment: one decision wins, the other is refused.
    let contested = request_for(&d, LEERPLICHT, 0, 100).await;
    let (first, second) = tokio::join!(
        d.portal.decide_request(&d.beheerder, contested, true, ""),
        d.portal.decide_request(&d.beheerder2, contested, true, ""),
    );
    let won: Vec<i64> = [&first, &second]
        .into_iter()
        .filter_map(|r| r.as_ref().ok().copied().flatten())
        .collect();
    assert_eq!(won.len(), 1, "{first:?} {second:?}");
    assert!(
        [&first, &second]
            .iter()
            .any(|r| matches!(r, Err(ServiceError::Conflict(_)))),
        "{first:?} {second:?}"
    );

    // One grant per approved request, and none for the rejected one.
    let grants = d.portal.my_grants(&d.medewerker).await.unwrap();
    let mut from_requests: Vec<_> = grants
        .iter()
        .filter_map(|g| g.grant.request_id.map(|r| (r, g.grant.id)))
        .collect();
    from_requests.sort_unstable();
    assert_eq!(from_requests, [(approved, grant_id), (contested, won[0])]);
    assert_eq!(d.portal.my_letters(&d.medewerker).await.unwrap().len(), 3);
}

// ---- grants ---------------------------------------------------------------------------------

async fn a_grant_gives_rights_only_between_its_dates_until_revoked(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    let demo_grant = demo_grant_id(&d).await;
    let algemeen = profile_named(p, &d.beheerder, ALGEMEEN).await;

    // Active: what its profile allows, with the doelen.
    let effective = p.effective_grant(&d.medewerker, demo_grant).await.unwrap();
    assert_eq!(effective.content, current_content(&algemeen));
    assert_eq!(effective.profile.id, algemeen.id);
    let doelen: Vec<_> = effective.doelen.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(doelen, ["Controle adres en samenstelling huishouden"]);

    let later = granted(&d, SOZA, 10, 100).await;
    let short = granted(&d, FINANCIEN, 0, 5).await;
    assert_forbidden!(p.effective_grant(&d.medewerker, later).await);
    assert!(p.effective_grant(&d.medewerker, short).await.is_ok());

    // Revoked: at once, and only once, with a reason.
    assert_invalid!(p.revoke_grant(&d.beheerder, demo_grant, " ").await, "reden");
    assert!(p.effective_grant(&d.medewerker, demo_grant).await.is_ok());
    p.revoke_grant(&d.beheerder, demo_grant, "Andere functie")
        .await
        .unwrap();
    assert_forbidden!(p.effective_grant(&d.medewerker, demo_grant).await);
    assert_conflict!(p.revoke_grant(&d.beheerder2, demo_grant, "Nogmaals").await);
    // A revoked grant cannot be brought back by re-confirming or extending it.
    assert_conflict!(p.reconfirm_grant(&d.beheerder2, demo_grant).await);
    assert_conflict!(
        p.extend_grant(
            &d.beheerder2,
            demo_grant,
            &iso(today(p) + Duration::days(30))
        )
        .await
    );
    assert_forbidden!(p.effective_grant(&d.medewerker, demo_grant).await);

    // Five days on, the short grant is still valid on its last day, the later one not yet.
    db.clock.advance(Duration::days(5));
    assert!(p.effective_grant(&d.medewerker, short).await.is_ok());
    assert_forbidden!(p.effective_grant(&d.medewerker, later).await);
    // The next day the short one has expired; at day 10 the later one has started.
    db.clock.advance(Duration::days(1));
    assert_forbidden!(p.effective_grant(&d.medewerker, short).await);
    db.clock.advance(Duration::days(4));
    let effective = p.effective_grant(&d.medewerker, later).await.unwrap();
    let soza = profile_named(p, &d.beheerder, SOZA).await;
    assert_eq!(effective.content, current_content(&soza));
    // And it ends after its end date.
    db.clock.advance(Duration::days(91));
    assert_forbidden!(p.effective_grant(&d.medewerker, later).await);

    use brp_domain::authorisation::GrantState;
    let states: Vec<_> = p
        .my_grants(&d.medewerker)
        .await
        .unwrap()
        .into_iter()
        .map(|g| (g.grant.id, g.state))
        .collect();
    for (id, state) in states {
        let expected = if id == demo_grant {
            GrantState::Revoked
        } else {
            GrantState::Expired
        };
        assert_eq!(state, expected, "grant {id}");
    }
}

async fn a_narrowing_reaches_grants_at_once_a_widening_only_after_reconfirmation(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    let grant_id = demo_grant_id(&d).await;
    let algemeen = profile_named(p, &d.beheerder, ALGEMEEN).await;
    let soza = profile_named(p, &d.beheerder, SOZA).await;
    let v1 = current_content(&algemeen);
    let v2 = narrowed(&v1);
    let v3 = widened(&v1, &current_content(&soza));

    // Narrowing: applies to the grant confirmed on version 1 at once.
    p.propose_profile_change(&d.beheerder, algemeen.id, v2.clone(), "Minder")
        .await
        .unwrap();
    p.decide_profile_version(&d.beheerder2, algemeen.id, 2, true, "")
        .await
        .unwrap();
    let effective = p.effective_grant(&d.medewerker, grant_id).await.unwrap();
    assert_eq!(effective.content, v2);
    assert_eq!(effective.grant.confirmed_version, 1);
    let view = p.my_grants(&d.medewerker).await.unwrap()[0].clone();
    assert_eq!(view.effective.as_ref(), Some(&v2));
    assert!(!view.awaiting_reconfirmation);

    // Widening (back to everything of version 1 and more): the grant keeps what it had.
    p.propose_profile_change(&d.beheerder2, algemeen.id, v3.clone(), "Meer")
        .await
        .unwrap();
    p.decide_profile_version(&d.beheerder, algemeen.id, 3, true, "")
        .await
        .unwrap();
    let effective = p.effective_grant(&d.medewerker, grant_id).await.unwrap();
    assert_eq!(effective.content, v2);
    assert_eq!(
        (
            effective.grant.confirmed_version,
            effective.grant.current_version
        ),
        (1, 3)
    );
    let added_doel = *v3.doelen.difference(&v1.doelen).next().unwrap();
    assert!(effective.doelen.iter().all(|x| x.id != added_doel));
    let view = p.my_grants(&d.medewerker).await.unwrap()[0].clone();
    assert!(view.awaiting_reconfirmation);
    assert!(view.grant.behind_profile());

    // Re-confirmed by a beheerder: the grant gets the new content.
    db.clock.advance(Duration::minutes(10));
    p.reconfirm_grant(&d.beheerder2, grant_id).await.unwrap();
    let effective = p.effective_grant(&d.medewerker, grant_id).await.unwrap();
    assert_eq!(effective.content, v3);
    assert_eq!(effective.grant.confirmed_version, 3);
    assert_eq!(effective.grant.last_confirmed_by, "Bart van den Beheer");
    assert_eq!(effective.grant.last_confirmed_at, p.now());
    assert!(effective.doelen.iter().any(|x| x.id == added_doel));
    let view = p.my_grants(&d.medewerker).await.unwrap()[0].clone();
    assert!(!view.awaiting_reconfirmation);
    assert_eq!(view.effective.as_ref(), Some(&v3));
}

async fn the_review_list_shows_grants_ending_soon_or_unconfirmed_for_a_year(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    let demo_grant = demo_grant_id(&d).await;
    let on_list = |ids: Vec<i64>| {
        let p = &d.portal;
        let b = &d.beheerder;
        async move {
            let list = p.review_list(b).await.unwrap();
            assert!(list.iter().all(|g| g.due_for_review));
            ids.into_iter()
                .map(|id| list.iter().any(|g| g.grant.id == id))
                .collect::<Vec<_>>()
        }
    };
    assert!(p.review_list(&d.beheerder).await.unwrap().is_empty());

    // Ends within 30 days.
    let ending = granted(&d, SOZA, 0, 30).await;
    // Starts in 60 days and runs a year: it only becomes due by not being confirmed.
    let long = granted(&d, FINANCIEN, 60, 425).await;
    assert_eq!(
        on_list(vec![demo_grant, ending, long]).await,
        [false, true, false]
    );
    let toezicht_list = p.review_list(&d.toezichthouder).await.unwrap();
    assert_eq!(toezicht_list.len(), 1);
    assert_eq!(toezicht_list[0].grant.id, ending);

    // Extension: at most a year from today, not in the past, a real date.
    let first_day = today(p);
    assert_invalid!(
        p.extend_grant(
            &d.beheerder,
            ending,
            &iso(one_year_after(first_day) + Duration::days(1))
        )
        .await,
        "einddatum"
    );
    assert_invalid!(
        p.extend_grant(&d.beheerder, ending, &iso(first_day - Duration::days(1)))
            .await,
        "einddatum"
    );
    assert_invalid!(
        p.extend_grant(&d.beheerder, ending, "31-12-2027").await,
        "einddatum"
    );
    assert_eq!(on_list(vec![ending]).await, [true]);
    p.extend_grant(&d.beheerder, ending, &iso(one_year_after(first_day)))
        .await
        .unwrap();
    assert_eq!(on_list(vec![ending]).await, [false]);
    let grant = p
        .list_grants(&d.beheerder, GrantFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.grant.id == ending)
        .unwrap();
    assert_eq!(grant.grant.end_date, one_year_after(first_day));

    // Almost twelve months later nothing is due for the long grant (ends in 61 days) ...
    db.clock.advance(Duration::days(364));
    assert_eq!(on_list(vec![long]).await, [false]);
    // ... and at twelve months it is, because nobody confirmed it for a year.
    db.clock.advance(Duration::days(1));
    let list = p.review_list(&d.beheerder).await.unwrap();
    let due = list.iter().find(|g| g.grant.id == long).unwrap();
    assert!(due.grant.end_date > today(p) + Duration::days(30));
    p.extend_grant(&d.beheerder2, long, &iso(today(p) + Duration::days(200)))
        .await
        .unwrap();
    assert_eq!(on_list(vec![long]).await, [false]);
    // A revoked grant is never due.
    let soon = granted(&d, SOZA, 0, 10).await;
    assert_eq!(on_list(vec![soon]).await, [true]);
    p.revoke_grant(&d.beheerder, soon, "Klaar").await.unwrap();
    assert_eq!(on_list(vec![soon]).await, [false]);
}

async fn a_grant_ends_and_comes_up_for_review_on_dutch_calendar_days(db: TestDatabase) {
    use brp_domain::authorisation::GrantState;
    let d = demo(&db).await;
    let p = &d.portal;
    // 10 December 2026 is in winter time (CET, UTC+1): at 22:30 UTC it is 23:30 that day in
    // the Netherlands, at 23:30 UTC it is already 00:30 on 11 December.
    let day = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    assert_eq!(dutch_local(utc(day, 22, 30)).date_naive(), day);
    assert_eq!(
        dutch_local(utc(day, 23, 30)).date_naive(),
        day + Duration::days(1)
    );
    let until = |end: NaiveDate| (end - today(p)).num_days();
    let ends_on_day = granted(&d, SOZA, 0, until(day)).await;
    let ends_30_later = granted(&d, FINANCIEN, 0, until(day + Duration::days(30))).await;
    let ends_31_later = granted(&d, LEERPLICHT, 0, until(day + Duration::days(31))).await;
    let on_list = || async {
        let list = p.review_list(&d.beheerder).await.unwrap();
        assert!(list.iter().all(|g| g.due_for_review));
        [ends_on_day, ends_30_later, ends_31_later].map(|id| list.iter().any(|g| g.grant.id == id))
    };

    // 23:30 on the last day in the Netherlands: still valid and still to be reviewed; the
    // grant ending 31 days later is not due yet.
    move_clock_to(&db, utc(day, 22, 30));
    assert_eq!(today(p), day);
    assert!(p.effective_grant(&d.medewerker, ends_on_day).await.is_ok());
    assert_eq!(on_list().await, [true, true, false]);

    // 00:30 the next day in the Netherlands (still the last day in UTC): the grant has ended,
    // so it gives no rights and is no longer on the list; the one ending 31 days after the
    // last day now ends within 30 days.
    move_clock_to(&db, utc(day, 23, 30));
    assert_eq!(today(p), day + Duration::days(1));
    assert_forbidden!(p.effective_grant(&d.medewerker, ends_on_day).await);
    assert_eq!(on_list().await, [false, true, true]);
    let ended = p
        .list_grants(&d.beheerder, GrantFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.grant.id == ends_on_day)
        .unwrap();
    assert_eq!(ended.state, GrantState::Expired);
    assert!(!ended.due_for_review);
}

async fn a_grant_unconfirmed_for_a_year_is_due_on_the_dutch_anniversary(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    // Approved at 23:30 UTC on 22 November 2026: 00:30 on 23 November in the Netherlands.
    let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    move_clock_to(&db, utc(day, 23, 30));
    // Starts in 60 days and runs a year: only the missing confirmation makes it due.
    let long = granted(&d, FINANCIEN, 60, 425).await;
    let confirmed_at = p
        .list_grants(&d.beheerder, GrantFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.grant.id == long)
        .unwrap()
        .grant
        .last_confirmed_at;
    assert_eq!(confirmed_at, utc(day, 23, 30));
    let due = || async {
        p.review_list(&d.beheerder)
            .await
            .unwrap()
            .iter()
            .any(|g| g.grant.id == long)
    };
    assert!(!due().await);

    // A year later, still winter time. At 23:30 on 22 November in the Netherlands it is
    // twelve months since the UTC day of the approval, but not since its Dutch day.
    let anniversary = NaiveDate::from_ymd_opt(2027, 11, 22).unwrap();
    move_clock_to(&db, utc(anniversary, 22, 30));
    assert_eq!(today(p), anniversary);
    assert!(!due().await);
    // An hour later it is 23 November in the Netherlands: twelve months unconfirmed.
    move_clock_to(&db, utc(anniversary, 23, 30));
    assert_eq!(today(p), anniversary + Duration::days(1));
    assert!(due().await);
}

async fn an_extension_neither_ends_before_the_start_nor_revives_an_expired_grant(db: TestDatabase) {
    use brp_domain::authorisation::GrantState;
    let d = demo(&db).await;
    let p = &d.portal;
    let later = granted(&d, SOZA, 10, 100).await;
    let short = granted(&d, FINANCIEN, 0, 5).await;
    let last_day = granted(&d, LEERPLICHT, 0, 5).await;
    let snapshot = || async {
        (
            p.list_grants(&d.beheerder, GrantFilter::default())
                .await
                .unwrap(),
            p.audit_trail(&d.beheerder, None, None, 500).await.unwrap(),
        )
    };

    // A grant that starts in 10 days cannot end before that, even though the date is
    // neither in the past nor more than a year away.
    let before = snapshot().await;
    for days in [0, 5, 9] {
        assert_invalid!(
            p.extend_grant(&d.beheerder, later, &iso(today(p) + Duration::days(days)))
                .await,
            "einddatum"
        );
    }
    let after = snapshot().await;
    assert_eq!(after.1.len(), before.1.len());
    assert_eq!(after, before);
    let grant = after.0.iter().find(|g| g.grant.id == later).unwrap();
    assert_eq!(
        (grant.grant.start_date, grant.grant.end_date),
        (
            today(p) + Duration::days(10),
            today(p) + Duration::days(100)
        )
    );
    assert_eq!(grant.state, GrantState::NotYetStarted);

    // On its last day a grant can still be extended ...
    db.clock.advance(Duration::days(5));
    p.extend_grant(&d.beheerder, last_day, &iso(today(p) + Duration::days(30)))
        .await
        .unwrap();
    // ... the day after, it has expired and stays so: that takes a new request.
    db.clock.advance(Duration::days(1));
    let before = snapshot().await;
    let expired = before.0.iter().find(|g| g.grant.id == short).unwrap();
    assert_eq!(expired.state, GrantState::Expired);
    assert_eq!(expired.grant.end_date, today(p) - Duration::days(1));
    for days in [0, 30, 200] {
        assert_conflict!(
            p.extend_grant(&d.beheerder2, short, &iso(today(p) + Duration::days(days)))
                .await
        );
    }
    let after = snapshot().await;
    assert_eq!(after.1.len(), before.1.len());
    assert_eq!(after, before);
    assert_forbidden!(p.effective_grant(&d.medewerker, short).await);
    assert!(p.effective_grant(&d.medewerker, last_day).await.is_ok());
    assert_eq!(
        after
            .0
            .iter()
            .find(|g| g.grant.id == last_day)
            .unwrap()
            .grant
            .end_date,
        today(p) + Duration::days(29)
    );
}

// ---- audit, letters, reglement ---------------------------------------------------------------

async fn authorisation_actions_are_in_the_audit_trail(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    db.clock.advance(Duration::minutes(3));
    let at = p.now();

    let afnemer = p
        .create_afnemer(
            &d.beheerder,
            AfnemerInput::parse(
                "Team handhaving buiten",
                "Gemeentewet",
                "binnengemeentelijk",
                false,
                "",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    p.update_afnemer(
        &d.beheerder2,
        afnemer.id,
        AfnemerInput::parse(
            "Team handhaving buiten",
            "Gemeentewet, artikel 125",
            "binnengemeentelijk",
            false,
            "",
        )
        .unwrap(),
    )
    .await
    .unwrap();
    let grondslag = p
        .create_grondslag(&d.beheerder, "Gemeentewet", "artikel 125", "Bestuursdwang")
        .await
        .unwrap();
    p.create_doel(
        &d.beheerder,
        afnemer.id,
        grondslag.id,
        "Toezicht buitenruimte",
        "",
    )
    .await
    .unwrap();
    let id = propose_new_profile(&d, &d.beheerder).await;
    p.decide_profile_version(&d.beheerder2, id, 1, true, "Akkoord")
        .await
        .unwrap();
    let request_id = request_for(&d, PROEF, 0, 60).await;
    let grant_id = p
        .decide_request(&d.beheerder, request_id, true, "")
        .await
        .unwrap()
        .unwrap();
    p.extend_grant(&d.beheerder2, grant_id, &iso(today(p) + Duration::days(90)))
        .await
        .unwrap();
    p.revoke_grant(&d.beheerder2, grant_id, "Proef afgelopen")
        .await
        .unwrap();

    // The toezichthouder reads it all.
    let trail = |subject: String| {
        let t = &d.toezichthouder;
        async move { p.audit_trail(t, Some(subject), None, 50).await.unwrap() }
    };
    let summary = |events: &[brp_domain::AuditEvent]| {
        events
            .iter()
            .map(|e| (e.actor.clone(), e.action))
            .collect::<Vec<_>>()
    };
    let s = |a: &str, action| (a.to_owned(), action);

    let events = trail("afnemer Team handhaving buiten".into()).await;
    assert_eq!(
        summary(&events),
        [
            s("beheerder2", AuditAction::AfnemerChanged),
            s("beheerder", AuditAction::AfnemerCreated)
        ]
    );
    assert_eq!(events[0].field.as_deref(), Some("wettelijk kader"));
    assert_eq!(events[0].old_value.as_deref(), Some("Gemeentewet"));
    assert_eq!(
        events[0].new_value.as_deref(),
        Some("Gemeentewet, artikel 125")
    );
    assert_eq!(
        summary(&trail("grondslag Gemeentewet, artikel 125".into()).await),
        [s("beheerder", AuditAction::GrondslagCreated)]
    );
    assert_eq!(
        summary(&trail("doel Toezicht buitenruimte".into()).await),
        [s("beheerder", AuditAction::DoelCreated)]
    );

    let events = trail(format!("profiel {PROEF}")).await;
    assert_eq!(
        summary(&events),
        [
            s("beheerder2", AuditAction::ProfileVersionApproved),
            s("beheerder", AuditAction::ProfileProposed)
        ]
    );
    assert_eq!(events[0].field.as_deref(), Some("versie 1"));
    assert_eq!(events[0].old_value.as_deref(), Some("Wacht op goedkeuring"));
    assert_eq!(events[0].new_value.as_deref(), Some("Goedgekeurd"));
    assert!(events.iter().all(|e| e.occurred_at == at));

    let events = trail(format!("aanvraag van medewerker voor {PROEF}")).await;
    assert_eq!(
        summary(&events),
        [s("medewerker", AuditAction::RequestSubmitted)]
    );
    let events = trail(format!("aanvraag {request_id} ({PROEF})")).await;
    assert_eq!(
        summary(&events),
        [s("beheerder", AuditAction::RequestApproved)]
    );
    assert_eq!(
        events[0].old_value.as_deref(),
        Some("Ingediend, wacht op besluit")
    );
    assert!(events[0]
        .new_value
        .as_deref()
        .unwrap()
        .starts_with("Toegekend"));

    let events = trail(format!("autorisatie {grant_id} van medewerker ({PROEF})")).await;
    assert_eq!(
        summary(&events),
        [
            s("beheerder2", AuditAction::GrantRevoked),
            s("beheerder2", AuditAction::GrantExtended)
        ]
    );
    assert_eq!(events[0].old_value.as_deref(), Some("Actief"));
    assert_eq!(
        events[0].new_value.as_deref(),
        Some("Ingetrokken: Proef afgelopen")
    );
    assert_eq!(events[1].field.as_deref(), Some("einddatum"));
    assert_eq!(
        events[1].old_value.as_deref(),
        Some(format_day(today(p) + Duration::days(60)).as_str())
    );
    assert_eq!(
        events[1].new_value.as_deref(),
        Some(format_day(today(p) + Duration::days(90)).as_str())
    );
}

async fn decisions_send_letters_to_the_requester_only(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    let approved = request_for(&d, SOZA, 0, 100).await;
    let rejected = request_for(&d, FINANCIEN, 0, 100).await;
    let grant_id = p
        .decide_request(&d.beheerder, approved, true, "")
        .await
        .unwrap()
        .unwrap();
    p.decide_request(&d.beheerder, rejected, false, "Geen belastingtaak")
        .await
        .unwrap();
    p.revoke_grant(&d.beheerder2, grant_id, "Overgeplaatst")
        .await
        .unwrap();

    let letters = p.my_letters(&d.medewerker).await.unwrap();
    let kinds: Vec<_> = letters.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            LetterKind::RevocationNotice,
            LetterKind::RejectionNotice,
            LetterKind::GrantNotice
        ]
    );
    assert!(letters.iter().all(|l| l.user_id == d.medewerker.id()));
    let (revocation, rejection, grant) = (&letters[0], &letters[1], &letters[2]);
    let today = format_day(today(p));
    assert_eq!(
        grant.subject,
        "Schriftelijk bericht van de toegekende autorisatie"
    );
    assert!(grant.body_html.contains(SOZA), "{}", grant.body_html);
    assert!(grant.body_html.contains("<strong>toegekend</strong>"));
    assert!(grant.body_html.contains(&today));
    assert!(grant.body_html.contains("Mila de Medewerker"));
    assert!(grant.body_html.contains("Bea Beheer"));
    assert!(rejection.body_html.contains(FINANCIEN));
    assert!(rejection.body_html.contains("<strong>afgewezen</strong>"));
    assert!(rejection.body_html.contains("Geen belastingtaak"));
    assert!(revocation.body_html.contains(SOZA));
    assert!(revocation
        .body_html
        .contains("<strong>ingetrokken</strong>"));
    assert!(revocation.body_html.contains("Overgeplaatst"));
    assert_eq!(&p.letter(&d.medewerker, grant.id).await.unwrap(), grant);

    // Each letter is announced by e-mail to the medewerker.
    let outbox = p.outbox(&d.beheerder).await.unwrap();
    assert_eq!(outbox.len(), 3);
    assert!(outbox
        .iter()
        .all(|m| m.to_address == "medewerker@voorbeeld.example"
            && m.to_name == "Mila de Medewerker"
            && m.sent_at.is_none()));
    let mail = outbox
        .iter()
        .find(|m| {
            m.body_text
                .contains(&format!("Kenmerk: BRP-AUT-{approved}\n"))
        })
        .unwrap();
    assert!(mail
        .subject
        .starts_with("Schriftelijk bericht van de toegekende autorisatie"));
    assert!(mail.body_text.contains(SOZA));
    let mail = outbox
        .iter()
        .find(|m| {
            m.body_text
                .contains(&format!("Kenmerk: BRP-AUT-{rejected}\n"))
        })
        .unwrap();
    assert!(mail.body_text.contains("Reden: Geen belastingtaak"));

    // Another medewerker cannot read these letters: to them they do not exist.
    let afnemer_id = d.medewerker.user().afnemer.as_ref().unwrap().id;
    p.create_user(
        &d.beheerder,
        NewUser {
            username: Username::parse("k.collega").unwrap(),
            display_name: DisplayName::parse("Kim Collega").unwrap(),
            email: Some(EmailAddress::parse("kim@voorbeeld.example").unwrap()),
            role: Role::Medewerker,
            afnemer_id: Some(afnemer_id),
            password: NewPassword::parse("een-lang-wachtwoord").unwrap(),
        },
    )
    .await
    .unwrap();
    let collega = p
        .login("k.collega", "een-lang-wachtwoord", ADDR)
        .await
        .unwrap()
        .actor;
    for letter in &letters {
        assert_not_found!(p.letter(&collega, letter.id).await);
    }
    assert_not_found!(p.letter(&collega, 999_999).await);
    assert!(p.my_letters(&collega).await.unwrap().is_empty());
    assert_not_found!(p.request(&collega, approved).await);
    assert_forbidden!(p.letters_of_user(&collega, d.medewerker.id()).await);
    // The toezichthouder and the beheerder may read them.
    assert_eq!(&p.letter(&d.toezichthouder, grant.id).await.unwrap(), grant);
    assert_eq!(
        p.letters_of_user(&d.toezichthouder, d.medewerker.id())
            .await
            .unwrap(),
        letters
    );
}

async fn the_grant_letter_names_the_doelen_of_the_profile(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    let soza_doelen = [
        "Beoordelen aanvraag bijstand",
        "Onderzoek maatwerkvoorziening Wmo",
    ];
    let soza = profile_named(p, &d.beheerder, SOZA).await;
    let named: Vec<String> = p
        .list_doelen(&d.beheerder)
        .await
        .unwrap()
        .into_iter()
        .filter(|x| current_content(&soza).doelen.contains(&x.id))
        .map(|x| x.name)
        .collect();
    assert_eq!(named.len(), 2);
    assert!(soza_doelen.iter().all(|x| named.iter().any(|n| n == x)));

    let grant_id = granted(&d, SOZA, 0, 100).await;
    let letters = p.my_letters(&d.medewerker).await.unwrap();
    assert_eq!(letters.len(), 1);
    let grant = &letters[0];
    assert_eq!(grant.kind, LetterKind::GrantNotice);
    let html = &grant.body_html;
    assert!(html.contains(SOZA), "{html}");
    assert!(html.contains("<h3>Doelen</h3>"), "{html}");
    for doel in soza_doelen {
        assert!(html.contains(&format!("<li>{doel}</li>")), "{doel}: {html}");
    }
    // Only the doelen of this profile: not the one of "raadplegen algemeen" of the same
    // afnemer.
    assert!(
        !html.contains("Controle adres en samenstelling huishouden"),
        "{html}"
    );

    // The revocation letter names the doelen that lapse with it.
    p.revoke_grant(&d.beheerder2, grant_id, "Overgeplaatst")
        .await
        .unwrap();
    let letters = p.my_letters(&d.medewerker).await.unwrap();
    let revocation = letters
        .iter()
        .find(|l| l.kind == LetterKind::RevocationNotice)
        .expect("a revocation letter");
    for doel in soza_doelen {
        assert!(
            revocation.body_html.contains(&format!("<li>{doel}</li>")),
            "{doel}: {}",
            revocation.body_html
        );
    }
}

async fn the_reglement_lists_only_approved_versions(db: TestDatabase) {
    let d = demo(&db).await;
    let p = &d.portal;
    let names = |r: &brp_domain::authorisation::Reglement| {
        r.afnemers
            .iter()
            .flat_map(|a| a.profiles.iter().map(|x| (x.name.clone(), x.version)))
            .collect::<Vec<_>>()
    };
    let before = p.reglement().await.unwrap();
    assert_eq!(before.afnemers.len(), 5);
    // The five demo profiles and the two this test's demo adds.
    assert_eq!(names(&before).len(), 7);
    assert!(names(&before).iter().all(|(_, v)| *v == 1));
    let burgerzaken = before
        .afnemers
        .iter()
        .find(|a| a.name == "Team Burgerzaken")
        .unwrap();
    assert!(burgerzaken.wettelijk_kader.starts_with("Wet BRP"));
    let algemeen_entry = before
        .afnemers
        .iter()
        .flat_map(|a| &a.profiles)
        .find(|x| x.name == ALGEMEEN)
        .unwrap();
    assert_eq!(
        algemeen_entry.doelen,
        ["Controle adres en samenstelling huishouden (Participatiewet, artikel 53a)"]
    );

    // Proposals are not published: neither a new profile nor a change.
    let algemeen = profile_named(p, &d.beheerder, ALGEMEEN).await;
    let v2 = narrowed(&current_content(&algemeen));
    let proef = propose_new_profile(&d, &d.beheerder).await;
    p.propose_profile_change(&d.beheerder, algemeen.id, v2.clone(), "Minder")
        .await
        .unwrap();
    let pending = p.reglement().await.unwrap();
    assert_eq!(names(&pending), names(&before));
    assert_eq!(pending.afnemers, before.afnemers);

    // A rejected profile stays out; an approved change is published with its content.
    p.decide_profile_version(&d.beheerder2, proef, 1, false, "Geen grondslag")
        .await
        .unwrap();
    p.decide_profile_version(&d.beheerder2, algemeen.id, 2, true, "")
        .await
        .unwrap();
    let after = p.reglement().await.unwrap();
    assert!(names(&after).iter().all(|(n, _)| n != PROEF));
    let entry = after
        .afnemers
        .iter()
        .flat_map(|a| &a.profiles)
        .find(|x| x.name == ALGEMEEN)
        .unwrap();
    assert_eq!((entry.version, &entry.content), (2, &v2));
    assert_eq!(names(&after).len(), 7);
}

on_both_databases!(
    a_new_profile_takes_effect_only_when_another_beheerder_approves,
    a_profile_change_needs_another_beheerder_too,
    a_rejected_version_never_takes_effect,
    nobody_decides_on_their_own_request_or_grant,
    medewerker_and_toezichthouder_cannot_manage_authorisations,
    a_request_is_signed_with_the_account_name_for_at_most_a_year,
    a_decided_request_is_final,
    a_grant_gives_rights_only_between_its_dates_until_revoked,
    a_narrowing_reaches_grants_at_once_a_widening_only_after_reconfirmation,
    the_review_list_shows_grants_ending_soon_or_unconfirmed_for_a_year,
    a_grant_ends_and_comes_up_for_review_on_dutch_calendar_days,
    a_grant_unconfirmed_for_a_year_is_due_on_the_dutch_anniversary,
    an_extension_neither_ends_before_the_start_nor_revives_an_expired_grant,
    authorisation_actions_are_in_the_audit_trail,
    decisions_send_letters_to_the_requester_only,
    the_grant_letter_names_the_doelen_of_the_profile,
    the_reglement_lists_only_approved_versions,
);

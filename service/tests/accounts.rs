//! Service-level tests of accounts, sessions and the audit trail, on both databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::{AuditAction, DisplayName, EmailAddress, NewPassword, Role, Username};
use brp_service::accounts::NewUser;
use brp_service::demo::DEMO_PASSWORD;
use brp_service::testing::TestDatabase;
use brp_service::{on_both_databases, Actor, Portal, ServiceError};
use chrono::Duration;

const ADDR: &str = "192.0.2.10";

async fn login(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"))
        .actor
}

fn new_user(username: &str, role: Role, afnemer_id: Option<i64>) -> NewUser {
    NewUser {
        username: Username::parse(username).unwrap(),
        display_name: DisplayName::parse("Nieuwe Collega").unwrap(),
        email: Some(EmailAddress::parse("nieuw@voorbeeld.example").unwrap()),
        role,
        afnemer_id,
        password: NewPassword::parse("een-lang-wachtwoord").unwrap(),
    }
}

async fn login_checks_the_password_and_remembers_the_previous_login(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();

    let first = portal
        .login("beheerder", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();
    assert_eq!(first.actor.role(), Role::Beheerder);
    assert_eq!(first.previous_login_at, None);
    assert_eq!(first.claims.authenticated_at, portal.now());

    db.clock.advance(Duration::hours(1));
    // User names are case-insensitive.
    let second = portal
        .login(" Beheerder ", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();
    assert_eq!(
        second.previous_login_at,
        Some(first.claims.authenticated_at)
    );
}

async fn every_failed_login_gives_the_same_error(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let medewerker = portal
        .login("medewerker", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();
    portal
        .set_user_active(&beheerder, medewerker.actor.id(), false)
        .await
        .unwrap();

    let unknown = portal
        .login("niemand", DEMO_PASSWORD, ADDR)
        .await
        .unwrap_err();
    let wrong = portal
        .login("beheerder2", "fout-wachtwoord", ADDR)
        .await
        .unwrap_err();
    let inactive = portal
        .login("medewerker", DEMO_PASSWORD, ADDR)
        .await
        .unwrap_err();
    let malformed = portal.login("x", DEMO_PASSWORD, ADDR).await.unwrap_err();
    for e in [&unknown, &wrong, &inactive, &malformed] {
        assert!(matches!(e, ServiceError::InvalidCredentials), "{e:?}");
    }
    assert_eq!(unknown.to_string(), wrong.to_string());
    assert_eq!(wrong.to_string(), inactive.to_string());
}

async fn failed_logins_are_throttled_per_account(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    for i in 0..5 {
        // From different addresses: the account limit holds regardless.
        let addr = format!("192.0.2.{i}");
        let e = portal.login("beheerder", "fout", &addr).await.unwrap_err();
        assert!(matches!(e, ServiceError::InvalidCredentials));
    }
    // Now even the right password is refused, without being checked.
    let e = portal
        .login("beheerder", DEMO_PASSWORD, ADDR)
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::Throttled), "{e:?}");
    // Another account from another address is not affected.
    portal
        .login("beheerder2", DEMO_PASSWORD, "198.51.100.1")
        .await
        .unwrap();
    // The lock lifts once the failures fall out of the 15-minute window.
    db.clock
        .advance(Duration::minutes(15) + Duration::seconds(1));
    portal
        .login("beheerder", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();
}

async fn failed_logins_are_throttled_per_address(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    for i in 0..20 {
        let name = format!("gok{i}");
        assert!(portal.login(&name, "fout", ADDR).await.is_err());
    }
    let e = portal
        .login("beheerder", DEMO_PASSWORD, ADDR)
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::Throttled), "{e:?}");
    portal
        .login("beheerder", DEMO_PASSWORD, "198.51.100.7")
        .await
        .unwrap();
}

async fn sessions_end_after_the_absolute_timeout(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let outcome = portal
        .login("medewerker", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();
    db.clock
        .advance(Duration::hours(11) + Duration::minutes(59));
    let actor = portal.resolve_session(&outcome.claims).await.unwrap();
    assert_eq!(actor.user().username.as_str(), "medewerker");
    db.clock.advance(Duration::minutes(1));
    let e = portal.resolve_session(&outcome.claims).await.unwrap_err();
    assert!(matches!(e, ServiceError::SessionExpired), "{e:?}");
}

async fn deactivation_and_password_reset_end_open_sessions(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let medewerker = portal
        .login("medewerker", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();
    let toezicht = portal
        .login("toezichthouder", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();
    db.clock.advance(Duration::seconds(1));

    portal
        .set_user_active(&beheerder, medewerker.actor.id(), false)
        .await
        .unwrap();
    assert!(portal.resolve_session(&medewerker.claims).await.is_err());
    // Re-activation does not bring the old session back; a new login works.
    portal
        .set_user_active(&beheerder, medewerker.actor.id(), true)
        .await
        .unwrap();
    assert!(portal.resolve_session(&medewerker.claims).await.is_err());
    db.clock.advance(Duration::seconds(1));
    portal
        .login("medewerker", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();

    // The toezichthouder's password: proposed, approved by a second beheerder, set by its
    // owner through the link (four eyes, issue #10).
    let beheerder2 = login(&portal, "beheerder2").await;
    brp_service::testing::propose_and_approve(
        &portal,
        &beheerder,
        &beheerder2,
        brp_domain::four_eyes::ProposedChange::ResetPassword {
            user_id: toezicht.actor.id(),
        },
    )
    .await;
    assert!(portal.resolve_session(&toezicht.claims).await.is_err());
    let token = brp_service::testing::password_link_token(&db, "toezichthouder@voorbeeld.example")
        .await
        .unwrap();
    portal
        .set_password_with_token(&token, NewPassword::parse("nieuw-wachtwoord-123").unwrap())
        .await
        .unwrap();
    assert!(portal
        .login("toezichthouder", DEMO_PASSWORD, ADDR)
        .await
        .is_err());
    db.clock.advance(Duration::seconds(1));
    portal
        .login("toezichthouder", "nieuw-wachtwoord-123", ADDR)
        .await
        .unwrap();
}

async fn only_a_beheerder_manages_users(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let outcome = portal
        .login("beheerder", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();
    let (beheerder, session) = (outcome.actor, outcome.claims);
    // Log everyone in first: a login itself changes the last-login time.
    let others = [
        login(&portal, "medewerker").await,
        login(&portal, "toezichthouder").await,
    ];
    let before = portal.list_users(&beheerder).await.unwrap();
    let audit_before = portal
        .audit_trail(&beheerder, None, None, 500)
        .await
        .unwrap();

    for other in &others {
        let forbidden = |r: Result<_, ServiceError>| matches!(r, Err(ServiceError::Forbidden));
        assert!(forbidden(portal.list_users(other).await.map(|_| ())));
        assert!(forbidden(
            portal.user(other, beheerder.id()).await.map(|_| ())
        ));
        assert!(forbidden(
            portal
                .create_user(other, new_user("indringer", Role::Beheerder, None))
                .await
                .map(|_| ())
        ));
        assert!(forbidden(
            portal
                .set_user_active(other, beheerder.id(), false)
                .await
                .map(|_| ())
        ));
        assert!(forbidden(
            portal
                .reset_password(
                    other,
                    beheerder.id(),
                    NewPassword::parse("overgenomen-account").unwrap()
                )
                .await
        ));
    }

    // Nothing changed: same users, same status, no new audit events, old password works.
    assert_eq!(portal.list_users(&beheerder).await.unwrap(), before);
    let audit_after = portal
        .audit_trail(&beheerder, None, None, 500)
        .await
        .unwrap();
    assert_eq!(audit_after.len(), audit_before.len());
    assert!(portal.resolve_session(&session).await.is_ok());
}

async fn a_medewerker_belongs_to_an_existing_afnemer(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;

    let e = portal
        .create_user(
            &beheerder,
            new_user("zonder.afdeling", Role::Medewerker, None),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, ServiceError::Invalid(v) if v.field == "afnemer"),
        "{e:?}"
    );
    let e = portal
        .create_user(
            &beheerder,
            new_user("verkeerde.afdeling", Role::Medewerker, Some(9999)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, ServiceError::Invalid(v) if v.field == "afnemer"),
        "{e:?}"
    );

    let afnemer = portal.list_afnemers(&beheerder).await.unwrap()[0].clone();
    let user = portal
        .create_user(
            &beheerder,
            new_user("j.jansen", Role::Medewerker, Some(afnemer.id)),
        )
        .await
        .unwrap();
    assert_eq!(user.afnemer.as_ref().map(|a| a.id), Some(afnemer.id));
    assert!(user.active);

    let e = portal
        .create_user(
            &beheerder,
            new_user("J.Jansen", Role::Medewerker, Some(afnemer.id)),
        )
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::Conflict(_)), "{e:?}");
    // The new account can log in with the password the beheerder set.
    portal
        .login("j.jansen", "een-lang-wachtwoord", ADDR)
        .await
        .unwrap();
}

async fn a_beheerder_cannot_lock_everyone_out(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let beheerder2 = login(&portal, "beheerder2").await;

    let e = portal
        .set_user_active(&beheerder, beheerder.id(), false)
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::Conflict(_)), "{e:?}");

    portal
        .set_user_active(&beheerder, beheerder2.id(), false)
        .await
        .unwrap();
    // beheerder is now the last active one; beheerder2 cannot act any more anyway, and a
    // new beheerder cannot deactivate the last one either.
    let users = portal.list_users(&beheerder).await.unwrap();
    assert_eq!(
        users
            .iter()
            .filter(|u| u.role == Role::Beheerder && u.active)
            .count(),
        1
    );
}

async fn the_audit_trail_records_who_when_what_old_and_new(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let medewerker = login(&portal, "medewerker").await;
    db.clock.advance(Duration::minutes(5));
    let at = portal.now();

    portal
        .set_user_active(&beheerder, medewerker.id(), false)
        .await
        .unwrap();
    portal
        .set_user_active(&beheerder, medewerker.id(), true)
        .await
        .unwrap();
    portal
        .reset_password(
            &beheerder,
            medewerker.id(),
            NewPassword::parse("geheim-geheim-geheim").unwrap(),
        )
        .await
        .unwrap();

    let toezicht = login(&portal, "toezichthouder").await;
    let events = portal
        .audit_trail(&toezicht, Some("gebruiker medewerker".into()), None, 10)
        .await
        .unwrap();
    let actions: Vec<_> = events.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::PasswordReset,
            AuditAction::UserReactivated,
            AuditAction::UserDeactivated,
            AuditAction::UserCreated,
        ]
    );
    let deactivated = &events[2];
    assert_eq!(deactivated.actor, "beheerder");
    assert_eq!(deactivated.occurred_at, at);
    assert_eq!(deactivated.field.as_deref(), Some("status"));
    assert_eq!(deactivated.old_value.as_deref(), Some("actief"));
    assert_eq!(deactivated.new_value.as_deref(), Some("niet actief"));
    // The password itself is never written to the trail.
    assert!(events
        .iter()
        .all(|e| !format!("{e:?}").contains("geheim-geheim-geheim")));
    assert_eq!(events[3].actor, "demo");

    let e = portal
        .audit_trail(&medewerker, None, None, 10)
        .await
        .unwrap_err();
    assert!(matches!(e, ServiceError::Forbidden));
}

async fn the_cli_creates_a_beheerder_and_the_trail_says_so(db: TestDatabase) {
    let portal = db.portal();
    let user = portal
        .create_beheerder_from_cli(
            Username::parse("eerste.beheerder").unwrap(),
            DisplayName::parse("Eerste Beheerder").unwrap(),
            None,
            NewPassword::parse("start-wachtwoord-1").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(user.role, Role::Beheerder);
    let actor = portal
        .login("eerste.beheerder", "start-wachtwoord-1", ADDR)
        .await
        .unwrap()
        .actor;
    let events = portal.audit_trail(&actor, None, None, 10).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor, "cli");
    assert_eq!(events[0].action, AuditAction::UserCreated);
    // No demo accounts exist on a real installation.
    assert!(portal
        .login("beheerder", DEMO_PASSWORD, ADDR)
        .await
        .is_err());
}

async fn demo_seeding_can_run_at_every_start(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let users = portal.list_users(&beheerder).await.unwrap();
    let names: Vec<_> = users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(
        names,
        ["beheerder", "beheerder2", "medewerker", "toezichthouder"]
    );
    assert_eq!(portal.list_afnemers(&beheerder).await.unwrap().len(), 5);
}

async fn health_answers_while_the_database_does(db: TestDatabase) {
    let portal = db.portal();
    portal.health().await.unwrap();
    match &db.pool {
        brp_service::store::DbPool::Sqlite(p) => p.close().await,
        brp_service::store::DbPool::Postgres(p) => p.close().await,
    }
    assert!(portal.health().await.is_err());
}

on_both_databases!(
    login_checks_the_password_and_remembers_the_previous_login,
    every_failed_login_gives_the_same_error,
    failed_logins_are_throttled_per_account,
    failed_logins_are_throttled_per_address,
    sessions_end_after_the_absolute_timeout,
    deactivation_and_password_reset_end_open_sessions,
    only_a_beheerder_manages_users,
    a_medewerker_belongs_to_an_existing_afnemer,
    a_beheerder_cannot_lock_everyone_out,
    the_audit_trail_records_who_when_what_old_and_new,
    the_cli_creates_a_beheerder_and_the_trail_says_so,
    demo_seeding_can_run_at_every_start,
    health_answers_while_the_database_does,
);

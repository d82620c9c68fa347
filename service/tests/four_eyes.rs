//! Four eyes on privileged accounts, roles and an afnemer's kind and art. 46 flag (issue
//! #10, "Separation of duties"), on both databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_domain::four_eyes::{ProposalStatus, ProposedChange};
use brp_domain::{
    AfnemerKind, AuditAction, DisplayName, EmailAddress, NewPassword, Role, User, Username,
};
use brp_service::accounts::NewUser;
use brp_service::authorisation::AfnemerInput;
use brp_service::demo::DEMO_PASSWORD;
use brp_service::testing::{password_link_token, privileged_account, TestDatabase};
use brp_service::{on_both_databases, Actor, Portal, ServiceError};
use chrono::Duration;

const ADDR: &str = "192.0.2.20";

async fn login(portal: &Portal, username: &str) -> Actor {
    portal
        .login(username, DEMO_PASSWORD, ADDR)
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"))
        .actor
}

async fn user(portal: &Portal, by: &Actor, username: &str) -> Option<User> {
    portal
        .list_users(by)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username.as_str() == username)
}

fn conflict<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> String {
    match r {
        Err(ServiceError::Conflict(m)) => m,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn new_user(username: &str, role: Role) -> NewUser {
    NewUser {
        username: Username::parse(username).unwrap(),
        display_name: DisplayName::parse("Nieuwe Collega").unwrap(),
        email: Some(EmailAddress::parse("nieuw@voorbeeld.example").unwrap()),
        role,
        afnemer_id: None,
        password: NewPassword::parse("door-beheerder-gekozen").unwrap(),
    }
}

/// The attack of the issue: one beheerder makes a second beheerder account with a password
/// they chose and approves their own work with it.
async fn one_beheerder_cannot_make_a_beheerder_and_approve_with_it(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;

    for role in [Role::Beheerder, Role::Toezichthouder] {
        let name = format!("stroman.{}", role.code());
        let m = conflict(portal.create_user(&beheerder, new_user(&name, role)).await);
        assert!(m.contains("vier ogen"), "{m}");
        assert!(user(&portal, &beheerder, &name).await.is_none());
        assert!(portal
            .login(&name, "door-beheerder-gekozen", ADDR)
            .await
            .is_err());
    }

    // The proposal exists, but its proposer cannot approve it.
    let id = portal
        .propose_new_account(
            &beheerder,
            Username::parse("stroman").unwrap(),
            DisplayName::parse("Stro Man").unwrap(),
            Some(EmailAddress::parse("stroman@voorbeeld.example").unwrap()),
            Role::Beheerder,
            None,
        )
        .await
        .unwrap();
    let m = conflict(portal.decide_change(&beheerder, id, true, "").await);
    assert!(m.contains("Vier ogen"), "{m}");
    assert!(user(&portal, &beheerder, "stroman").await.is_none());
    let pending = portal
        .list_change_proposals(&beheerder, true)
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].status, ProposalStatus::Pending);

    // An account for a privileged role needs an e-mail address for the link.
    let e = portal
        .propose_new_account(
            &beheerder,
            Username::parse("zonder.mail").unwrap(),
            DisplayName::parse("Zonder Mail").unwrap(),
            None,
            Role::Toezichthouder,
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, ServiceError::Invalid(v) if v.field == "email"),
        "{e:?}"
    );

    // Other roles cannot propose or decide at all.
    let medewerker = login(&portal, "medewerker").await;
    assert!(matches!(
        portal.decide_change(&medewerker, id, true, "").await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        portal
            .propose_change(
                &medewerker,
                ProposedChange::ResetPassword {
                    user_id: beheerder.id()
                }
            )
            .await,
        Err(ServiceError::Forbidden)
    ));
}

/// The second beheerder's approval makes the account; its owner sets the password with a
/// one-time link nobody else saw; before that nobody can log in to it.
async fn a_second_beheerder_approves_and_the_owner_sets_the_password(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let beheerder2 = login(&portal, "beheerder2").await;
    let id = portal
        .propose_new_account(
            &beheerder,
            Username::parse("b.nieuw").unwrap(),
            DisplayName::parse("Bea Nieuw").unwrap(),
            Some(EmailAddress::parse("bea@voorbeeld.example").unwrap()),
            Role::Beheerder,
            None,
        )
        .await
        .unwrap();
    portal
        .decide_change(&beheerder2, id, true, "Nieuwe collega Burgerzaken")
        .await
        .unwrap();
    let created = user(&portal, &beheerder, "b.nieuw").await.unwrap();
    assert_eq!(created.role, Role::Beheerder);
    // No password works yet: not the demo one, not an empty one, not the marker.
    for guess in [DEMO_PASSWORD, "", "!nog-geen-wachtwoord"] {
        assert!(portal.login("b.nieuw", guess, ADDR).await.is_err());
    }
    // Deciding twice is refused.
    conflict(portal.decide_change(&beheerder2, id, true, "").await);

    // The beheerder's outbox view shows the mail but not the token.
    let token = password_link_token(&db, "bea@voorbeeld.example")
        .await
        .expect("the owner got a link");
    let outbox = portal.outbox(&beheerder).await.unwrap();
    let mail = outbox
        .iter()
        .find(|m| m.to_address == "bea@voorbeeld.example")
        .unwrap();
    assert!(mail.body_text.contains("/wachtwoord-instellen/[verborgen]"));
    assert!(outbox.iter().all(|m| !m.body_text.contains(&token)));

    // A wrong token changes nothing; the right one works once.
    conflict(
        portal
            .set_password_with_token(
                &"0".repeat(64),
                NewPassword::parse("mijn-eigen-geheim").unwrap(),
            )
            .await,
    );
    let name = portal
        .set_password_with_token(&token, NewPassword::parse("mijn-eigen-geheim").unwrap())
        .await
        .unwrap();
    assert_eq!(name.as_str(), "b.nieuw");
    let bea = portal
        .login("b.nieuw", "mijn-eigen-geheim", ADDR)
        .await
        .unwrap()
        .actor;
    conflict(
        portal
            .set_password_with_token(
                &token,
                NewPassword::parse("overgenomen-wachtwoord").unwrap(),
            )
            .await,
    );
    assert!(portal
        .login("b.nieuw", "overgenomen-wachtwoord", ADDR)
        .await
        .is_err());
    // The new beheerder counts as a second pair of eyes now.
    assert_eq!(bea.role(), Role::Beheerder);

    let trail = portal
        .audit_trail(&beheerder, Some("gebruiker b.nieuw".into()), None, 20)
        .await
        .unwrap();
    let actions: Vec<_> = trail.iter().map(|e| (e.action, e.actor.as_str())).collect();
    assert_eq!(
        actions,
        [
            (AuditAction::PasswordSetByOwner, "b.nieuw"),
            (AuditAction::UserCreated, "beheerder2"),
            (AuditAction::ChangeApproved, "beheerder2"),
            (AuditAction::ChangeProposed, "beheerder"),
        ]
    );
    assert!(trail.iter().all(|e| !format!("{e:?}").contains(&token)));
}

async fn set_password_links_expire(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let beheerder2 = login(&portal, "beheerder2").await;
    let id = portal
        .propose_new_account(
            &beheerder,
            Username::parse("t.laat").unwrap(),
            DisplayName::parse("Tom Laat").unwrap(),
            Some(EmailAddress::parse("tom@voorbeeld.example").unwrap()),
            Role::Toezichthouder,
            None,
        )
        .await
        .unwrap();
    portal
        .decide_change(&beheerder2, id, true, "")
        .await
        .unwrap();
    let token = password_link_token(&db, "tom@voorbeeld.example")
        .await
        .unwrap();
    db.clock
        .advance(Duration::hours(brp_service::four_eyes::TOKEN_HOURS) + Duration::minutes(1));
    conflict(
        portal
            .set_password_with_token(&token, NewPassword::parse("te-laat-gekozen").unwrap())
            .await,
    );
    assert!(portal
        .login("t.laat", "te-laat-gekozen", ADDR)
        .await
        .is_err());
}

/// Taking over a colleague's account by resetting its password no longer works; the reset
/// takes a third beheerder (neither proposer nor subject) and goes to the owner's address.
async fn a_beheerder_cannot_take_over_another_beheerder(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let beheerder2_login = portal
        .login("beheerder2", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();
    let beheerder2 = beheerder2_login.actor.clone();

    let m = conflict(
        portal
            .reset_password(
                &beheerder,
                beheerder2.id(),
                NewPassword::parse("overgenomen-account").unwrap(),
            )
            .await,
    );
    assert!(m.contains("vier ogen"), "{m}");
    assert!(portal
        .login("beheerder2", "overgenomen-account", ADDR)
        .await
        .is_err());
    portal
        .login("beheerder2", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();

    let id = portal
        .propose_change(
            &beheerder,
            ProposedChange::ResetPassword {
                user_id: beheerder2.id(),
            },
        )
        .await
        .unwrap();
    // Neither the proposer nor the account's owner decides.
    conflict(portal.decide_change(&beheerder, id, true, "").await);
    let m = conflict(portal.decide_change(&beheerder2, id, true, "").await);
    assert!(m.contains("eigen account"), "{m}");

    let beheerder3 = privileged_account(
        &db,
        &portal,
        &beheerder,
        &beheerder2,
        "beheerder3",
        Role::Beheerder,
        "derde-beheerder-1",
    )
    .await;
    let beheerder3 = portal
        .login(beheerder3.username.as_str(), "derde-beheerder-1", ADDR)
        .await
        .unwrap()
        .actor;
    db.clock.advance(Duration::minutes(1));
    portal
        .decide_change(&beheerder3, id, true, "")
        .await
        .unwrap();
    // The old password and the open session are gone; the link went to the owner.
    assert!(portal
        .login("beheerder2", DEMO_PASSWORD, ADDR)
        .await
        .is_err());
    assert!(portal
        .resolve_session(&beheerder2_login.claims)
        .await
        .is_err());
    let token = password_link_token(&db, "beheerder2@voorbeeld.example")
        .await
        .expect("link to the owner's own address");
    portal
        .set_password_with_token(&token, NewPassword::parse("weer-van-mij-zelf").unwrap())
        .await
        .unwrap();
    portal
        .login("beheerder2", "weer-van-mij-zelf", ADDR)
        .await
        .unwrap();
}

/// The FG stays independent: no beheerder alone deactivates, demotes or resets them, and
/// they hear of every proposal and decision about their account.
async fn the_toezichthouder_is_independent_and_told(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let beheerder2 = login(&portal, "beheerder2").await;
    let fg = login(&portal, "toezichthouder").await;
    let fg_mail = "toezichthouder@voorbeeld.example";
    let mails_to_fg = || async {
        db.store
            .list_outbox(500)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.to_address == fg_mail)
            .count()
    };
    let before = mails_to_fg().await;

    conflict(portal.set_user_active(&beheerder, fg.id(), false).await);
    conflict(
        portal
            .reset_password(
                &beheerder,
                fg.id(),
                NewPassword::parse("overgenomen-fg-1").unwrap(),
            )
            .await,
    );
    // The FG's own password still works: nothing changed.
    portal
        .login("toezichthouder", DEMO_PASSWORD, ADDR)
        .await
        .unwrap();

    // Demotion: proposed, the FG is told, the proposer cannot approve it.
    let id = portal
        .propose_change(
            &beheerder,
            ProposedChange::ChangeRole {
                user_id: fg.id(),
                role: Role::Medewerker,
                afnemer_id: Some(portal.list_afnemers(&beheerder).await.unwrap()[0].id),
            },
        )
        .await
        .unwrap();
    assert_eq!(mails_to_fg().await, before + 1);
    let mine = portal.my_account_changes(&fg).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status, ProposalStatus::Pending);
    conflict(portal.decide_change(&beheerder, id, true, "").await);
    assert_eq!(
        user(&portal, &beheerder, "toezichthouder")
            .await
            .unwrap()
            .role,
        Role::Toezichthouder
    );

    // Rejected by the second beheerder: told again, with the reason.
    let e = portal
        .decide_change(&beheerder2, id, false, "")
        .await
        .unwrap_err();
    assert!(
        matches!(e, ServiceError::Invalid(_)),
        "a rejection needs a reason: {e:?}"
    );
    portal
        .decide_change(&beheerder2, id, false, "De FG blijft FG")
        .await
        .unwrap();
    assert_eq!(mails_to_fg().await, before + 2);
    let mine = portal.my_account_changes(&fg).await.unwrap();
    assert_eq!(mine[0].status, ProposalStatus::Rejected);
    assert_eq!(mine[0].reason.as_deref(), Some("De FG blijft FG"));

    // Deactivation with four eyes works, and is told as well.
    let id = portal
        .propose_change(&beheerder2, ProposedChange::Deactivate { user_id: fg.id() })
        .await
        .unwrap();
    portal
        .decide_change(&beheerder, id, true, "")
        .await
        .unwrap();
    assert!(
        !user(&portal, &beheerder, "toezichthouder")
            .await
            .unwrap()
            .active
    );
    assert_eq!(mails_to_fg().await, before + 4);
    assert!(portal
        .login("toezichthouder", DEMO_PASSWORD, ADDR)
        .await
        .is_err());
    // Reactivation of a privileged account takes four eyes too.
    conflict(portal.set_user_active(&beheerder, fg.id(), true).await);
    let id = portal
        .propose_change(&beheerder, ProposedChange::Reactivate { user_id: fg.id() })
        .await
        .unwrap();
    portal
        .decide_change(&beheerder2, id, true, "")
        .await
        .unwrap();
    let fg = login(&portal, "toezichthouder").await;
    assert_eq!(portal.my_account_changes(&fg).await.unwrap().len(), 3);
}

/// A role change is a proposal; a promotion also ends the password a beheerder once chose.
async fn a_role_change_takes_four_eyes_and_a_promotion_a_new_password(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let beheerder2 = login(&portal, "beheerder2").await;
    let medewerker = login(&portal, "medewerker").await;
    let id = portal
        .propose_change(
            &beheerder,
            ProposedChange::ChangeRole {
                user_id: medewerker.id(),
                role: Role::Beheerder,
                afnemer_id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        user(&portal, &beheerder, "medewerker").await.unwrap().role,
        Role::Medewerker
    );
    // The medewerker cannot approve their own promotion either (they are no beheerder).
    assert!(matches!(
        portal.decide_change(&medewerker, id, true, "").await,
        Err(ServiceError::Forbidden)
    ));
    portal
        .decide_change(&beheerder2, id, true, "")
        .await
        .unwrap();
    assert_eq!(
        user(&portal, &beheerder, "medewerker").await.unwrap().role,
        Role::Beheerder
    );
    // The demo password (known to beheerders) no longer works; the owner gets a link.
    assert!(portal
        .login("medewerker", DEMO_PASSWORD, ADDR)
        .await
        .is_err());
    assert!(password_link_token(&db, "medewerker@voorbeeld.example")
        .await
        .is_some());
}

/// Afnemers: the kind and the art. 46 flag take four eyes; only a derde holds the flag, on a
/// ground from the list.
async fn an_afnemers_kind_and_art_46_flag_take_four_eyes(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let beheerder2 = login(&portal, "beheerder2").await;

    // Free text is no ground.
    assert!(AfnemerInput::parse("Politie", "", "derde", true, "Besluit BRP art. 46").is_err());
    let politie = AfnemerInput::parse(
        "Politie Eenheid Noord",
        "Wet BRP 3.3",
        "derde",
        true,
        "politie",
    )
    .unwrap();
    conflict(portal.create_afnemer(&beheerder, politie.clone()).await);
    let vrij = AfnemerInput::parse("Stichting Reünie", "", "vrije_derde", false, "").unwrap();
    conflict(portal.create_afnemer(&beheerder, vrij).await);
    // A department of the municipality can never be flagged.
    let e = portal
        .propose_change(
            &beheerder,
            ProposedChange::CreateAfnemer {
                name: brp_domain::AfnemerName::parse("Team handhaving").unwrap(),
                wettelijk_kader: String::new(),
                kind: AfnemerKind::Binnengemeentelijk,
                ground: Some(brp_domain::art46::Art46Ground::Politie),
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, ServiceError::Invalid(v) if v.field == "grondslag_verborgen"),
        "{e:?}"
    );

    let id = portal
        .propose_change(
            &beheerder,
            ProposedChange::CreateAfnemer {
                name: politie.name.clone(),
                wettelijk_kader: politie.wettelijk_kader.clone(),
                kind: politie.kind,
                ground: politie.hidden_from_citizen_ground,
            },
        )
        .await
        .unwrap();
    let find = |name: &'static str| {
        let portal = portal.clone();
        let beheerder = beheerder.clone();
        async move {
            portal
                .list_afnemers(&beheerder)
                .await
                .unwrap()
                .into_iter()
                .find(|a| a.name.as_str() == name)
        }
    };
    assert!(find("Politie Eenheid Noord").await.is_none());
    conflict(portal.decide_change(&beheerder, id, true, "").await);
    portal
        .decide_change(&beheerder2, id, true, "")
        .await
        .unwrap();
    let created = find("Politie Eenheid Noord").await.unwrap();
    assert_eq!(created.kind, AfnemerKind::Derde);
    assert_eq!(
        created.hidden_from_citizen_ground.as_deref(),
        Some(brp_domain::art46::Art46Ground::Politie.label())
    );

    // Clearing the flag through the form: the name changes at once, the flag only after a
    // second beheerder approves.
    let cleared = portal
        .update_afnemer(
            &beheerder,
            created.id,
            AfnemerInput::parse("Politie Noord", "Wet BRP 3.3", "derde", false, "").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(cleared.name.as_str(), "Politie Noord");
    assert!(cleared.hidden_from_citizen_ground.is_some());
    let pending = portal
        .list_change_proposals(&beheerder, true)
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    conflict(
        portal
            .decide_change(&beheerder, pending[0].id, true, "")
            .await,
    );
    portal
        .decide_change(&beheerder2, pending[0].id, true, "")
        .await
        .unwrap();
    assert!(find("Politie Noord")
        .await
        .unwrap()
        .hidden_from_citizen_ground
        .is_none());

    // An existing department cannot be flagged, not even by proposal.
    let department = portal
        .list_afnemers(&beheerder)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.kind == AfnemerKind::Binnengemeentelijk)
        .unwrap();
    let e = portal
        .update_afnemer(
            &beheerder,
            department.id,
            AfnemerInput::parse(
                department.name.as_str(),
                &department.wettelijk_kader,
                "binnengemeentelijk",
                true,
                "aivd",
            )
            .unwrap(),
        )
        .await
        .unwrap_err();
    assert!(matches!(&e, ServiceError::Invalid(_)), "{e:?}");
    // Turning a department into a derde is a proposal, not a change.
    let after = portal
        .update_afnemer(
            &beheerder,
            department.id,
            AfnemerInput::parse(
                department.name.as_str(),
                &department.wettelijk_kader,
                "derde",
                false,
                "",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(after.kind, AfnemerKind::Binnengemeentelijk);
    assert_eq!(
        portal
            .list_change_proposals(&beheerder, true)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// A proposal is checked again when decided: one that no longer fits cannot be approved,
/// but can still be rejected.
async fn a_stale_proposal_is_not_approved_but_can_be_rejected(db: TestDatabase) {
    let portal = db.portal();
    portal.seed_demo().await.unwrap();
    let beheerder = login(&portal, "beheerder").await;
    let beheerder2 = login(&portal, "beheerder2").await;
    let id = portal
        .propose_new_account(
            &beheerder,
            Username::parse("dubbel").unwrap(),
            DisplayName::parse("Dubbel Naam").unwrap(),
            Some(EmailAddress::parse("dubbel@voorbeeld.example").unwrap()),
            Role::Beheerder,
            None,
        )
        .await
        .unwrap();
    let afnemer = portal.list_afnemers(&beheerder).await.unwrap()[0].id;
    let mut medewerker = new_user("dubbel", Role::Medewerker);
    medewerker.afnemer_id = Some(afnemer);
    portal.create_user(&beheerder, medewerker).await.unwrap();
    let m = conflict(portal.decide_change(&beheerder2, id, true, "").await);
    assert!(m.contains("bestaat al"), "{m}");
    assert_eq!(
        user(&portal, &beheerder, "dubbel").await.unwrap().role,
        Role::Medewerker
    );
    portal
        .decide_change(&beheerder2, id, false, "Naam al in gebruik")
        .await
        .unwrap();
    assert!(portal
        .list_change_proposals(&beheerder, true)
        .await
        .unwrap()
        .is_empty());
}

/// `brp-portaal create-beheerder` makes the first two beheerders and no more.
async fn the_cli_makes_only_the_first_two_beheerders(db: TestDatabase) {
    let portal = db.portal();
    let make = |name: &'static str| {
        let portal = portal.clone();
        async move {
            portal
                .create_beheerder_from_cli(
                    Username::parse(name).unwrap(),
                    DisplayName::parse("Eerste Beheerder").unwrap(),
                    None,
                    NewPassword::parse("start-wachtwoord-1").unwrap(),
                )
                .await
        }
    };
    make("eerste").await.unwrap();
    make("tweede").await.unwrap();
    let m = conflict(make("derde").await);
    assert!(m.contains("in het portaal"), "{m}");
    let eerste = portal
        .login("eerste", "start-wachtwoord-1", ADDR)
        .await
        .unwrap()
        .actor;
    assert!(user(&portal, &eerste, "derde").await.is_none());

    // The demo has two beheerders already.
    let demo = TestDatabase::sqlite().await;
    let demo_portal = demo.portal();
    demo_portal.seed_demo().await.unwrap();
    conflict(
        demo_portal
            .create_beheerder_from_cli(
                Username::parse("extra").unwrap(),
                DisplayName::parse("Extra").unwrap(),
                None,
                NewPassword::parse("start-wachtwoord-1").unwrap(),
            )
            .await,
    );
}

on_both_databases!(
    one_beheerder_cannot_make_a_beheerder_and_approve_with_it,
    a_second_beheerder_approves_and_the_owner_sets_the_password,
    set_password_links_expire,
    a_beheerder_cannot_take_over_another_beheerder,
    the_toezichthouder_is_independent_and_told,
    a_role_change_takes_four_eyes_and_a_promotion_a_new_password,
    an_afnemers_kind_and_art_46_flag_take_four_eyes,
    the_cli_makes_only_the_first_two_beheerders,
    a_stale_proposal_is_not_approved_but_can_be_rejected,
);

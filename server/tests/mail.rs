//! The outbox delivered over real SMTP to a small SMTP server in the test, on both
//! databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brp_server::mail::Smtp;
use brp_service::demo::DEMO_PASSWORD;
use brp_service::on_both_databases;
use brp_service::testing::TestDatabase;
use brp_service::Portal;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Accepts every message, except for recipients in `refuse`, and keeps what it received.
async fn smtp_server(refuse: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap_or_default());
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-test\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT") && line.contains(refuse) {
                        b"550 no such user\r\n"
                    } else if upper.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (url, received)
}

/// The demo medewerker asks for a profile and beheerder2 grants it: one letter, one mail.
async fn granted_request(portal: &Portal) {
    portal.seed_demo().await.unwrap();
    let medewerker = portal
        .login("medewerker", DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor;
    let beheerder2 = portal
        .login("beheerder2", DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor;
    let beheerder = portal
        .login("beheerder", DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor;
    let profile = portal
        .list_profiles(&beheerder)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Profiel raadplegen t.b.v. administraties Soza")
        .unwrap();
    let id = portal
        .submit_request(
            &medewerker,
            profile.id,
            "Belastingen",
            "2026-11-22",
            "2027-05-01",
            "Mila de Medewerker",
        )
        .await
        .unwrap();
    portal
        .decide_request(&beheerder2, id, true, "")
        .await
        .unwrap();
}

async fn the_outbox_is_delivered_over_smtp(db: TestDatabase) {
    let portal = db.portal();
    granted_request(&portal).await;
    let (url, received) = smtp_server("nobody@").await;
    let smtp = Smtp::new(&url, "BRP-portaal <brp@voorbeeld.example>").unwrap();

    let report = portal.deliver_outbox(&smtp, 10).await.unwrap();
    assert_eq!((report.sent, report.failed), (1, 0));
    let mails = received.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: \"Mila de Medewerker\" <medewerker@voorbeeld.example>"));
    assert!(mails[0].contains("Schriftelijk bericht van de toegekende autorisatie"));

    // Sent messages are not sent again, and the outbox says when it went out.
    let again = portal.deliver_outbox(&smtp, 10).await.unwrap();
    assert_eq!((again.sent, again.failed), (0, 0));
    let beheerder = portal
        .login("beheerder", DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor;
    let outbox = portal.outbox(&beheerder).await.unwrap();
    assert!(outbox[0].sent_at.is_some());
}

async fn a_refused_message_is_kept_with_its_error(db: TestDatabase) {
    let portal = db.portal();
    granted_request(&portal).await;
    let (url, received) = smtp_server("medewerker@").await;
    let smtp = Smtp::new(&url, "BRP-portaal <brp@voorbeeld.example>").unwrap();

    let report = portal.deliver_outbox(&smtp, 10).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    assert!(received.lock().unwrap().is_empty());
    let beheerder = portal
        .login("beheerder", DEMO_PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .actor;
    let outbox = portal.outbox(&beheerder).await.unwrap();
    assert_eq!(outbox[0].sent_at, None);
    assert_eq!(outbox[0].attempts, 1);
    assert!(outbox[0]
        .last_error
        .as_deref()
        .unwrap_or("")
        .contains("550"));
}

on_both_databases!(
    the_outbox_is_delivered_over_smtp,
    a_refused_message_is_kept_with_its_error,
);

//! Outbound messages (issue 12, the queue): claimed with a lease, sent
//! once by concurrent workers, retried with the same idempotency key.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::shared::outbound::{
    enqueue, Channel, NewMessage, Transport, Transports, Worker, WorkerSettings,
};
use axum::http::{HeaderMap, StatusCode};

use crate::helpers::TestApp;

/// A message gateway on port 0 that records every call (idempotency key,
/// bearer token) and fails the first `fail_first` calls for each message.
#[derive(Clone, Default)]
struct Gateway {
    calls: Arc<Mutex<Vec<(String, String)>>>,
    failures_left: Arc<Mutex<HashMap<String, u32>>>,
    fail_first: u32,
}

impl Gateway {
    async fn start(fail_first: u32) -> (Gateway, String) {
        let gateway = Gateway {
            fail_first,
            ..Gateway::default()
        };
        let g = gateway.clone();
        let app = axum::Router::new().route(
            "/send",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let g = g.clone();
                async move {
                    let key = headers["idempotency-key"].to_str().unwrap().to_string();
                    let auth = headers["authorization"].to_str().unwrap().to_string();
                    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
                    assert_eq!(json["id"].to_string(), key, "the body carries the id too");
                    g.calls.lock().unwrap().push((key.clone(), auth));
                    let mut left = g.failures_left.lock().unwrap();
                    let n = left.entry(key).or_insert(g.fail_first);
                    if *n > 0 {
                        *n -= 1;
                        StatusCode::BAD_GATEWAY
                    } else {
                        StatusCode::OK
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/send", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (gateway, url)
    }
}

fn worker(db: &app::shared::db::Db, url: &str, settings: WorkerSettings) -> Worker {
    Worker {
        db: db.clone(),
        transports: Transports::all(
            Transport::http(url, "rahasia-gateway", Duration::from_secs(5)).unwrap(),
        ),
        settings,
    }
}

async fn queue(app: &TestApp, n: usize) {
    for i in 0..n {
        enqueue(
            &app.db.pool,
            NewMessage {
                channel: Channel::Sms,
                destination: &format!("+62812000{i:05}"),
                locale: "id",
                kind: "test.hello",
                subject: "",
                body: "Kode Anda: 123456",
            },
        )
        .await
        .unwrap();
    }
}

async fn statuses(app: &TestApp) -> HashMap<String, i64> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("select status, count(*) from messages group by status")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    rows.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_one_database_send_each_message_once() {
    let app = TestApp::spawn_with(|c| c.message_workers = 0).await;
    // The second worker has a pool of its own, as on another app server.
    let other = server::db::connect(&server::Config::for_database(&app.database_url))
        .await
        .unwrap()
        .db;
    let (gateway, url) = Gateway::start(0).await;
    queue(&app, 30).await;
    let a = worker(&app.db, &url, WorkerSettings::default());
    let b = worker(&other, &url, WorkerSettings::default());
    let (sent_a, sent_b) = tokio::join!(a.drain(), b.drain());
    let (sent_a, sent_b) = (sent_a.unwrap(), sent_b.unwrap());
    assert_eq!(sent_a + sent_b, 30);
    let calls = gateway.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 30, "each message sent once");
    let mut keys: Vec<&String> = calls.iter().map(|(k, _)| k).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 30);
    assert!(calls
        .iter()
        .all(|(_, auth)| auth == "Bearer rahasia-gateway"));
    assert_eq!(statuses(&app).await.get("sent"), Some(&30));
}

#[tokio::test]
async fn a_failing_gateway_is_retried_with_the_same_key_then_given_up() {
    let app = TestApp::spawn_with(|c| c.message_workers = 0).await;
    let (gateway, url) = Gateway::start(2).await;
    queue(&app, 1).await;
    let quick = WorkerSettings {
        backoff_secs: 0,
        ..WorkerSettings::default()
    };
    let w = worker(&app.db, &url, quick.clone());
    assert!(w.run_once().await.unwrap());
    assert!(w.run_once().await.unwrap());
    assert_eq!(
        statuses(&app).await.get("queued"),
        Some(&1),
        "still queued after two failures"
    );
    assert!(w.run_once().await.unwrap());
    assert!(!w.run_once().await.unwrap(), "nothing left");
    let calls = gateway.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 3);
    assert!(
        calls.iter().all(|(k, _)| *k == calls[0].0),
        "same idempotency key"
    );
    assert_eq!(statuses(&app).await.get("sent"), Some(&1));

    // A gateway that never recovers: marked failed after max_attempts,
    // with the error kept for the administrators.
    let (_, url) = Gateway::start(u32::MAX).await;
    queue(&app, 1).await;
    let w = worker(
        &app.db,
        &url,
        WorkerSettings {
            max_attempts: 3,
            ..quick
        },
    );
    assert_eq!(w.drain().await.unwrap(), 3);
    assert_eq!(statuses(&app).await.get("failed"), Some(&1));
    let (error,): (String,) =
        sqlx::query_as("select last_error from messages where status = 'failed'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(error.contains("502"), "{error}");
}

#[tokio::test]
async fn an_expired_lease_lets_another_worker_send_and_a_message_queued_in_a_rolled_back_transaction_never_leaves(
) {
    let app = TestApp::spawn_with(|c| c.message_workers = 0).await;
    // Queued in a transaction that is rolled back: nothing to send.
    let mut tx = app.db.pool.begin().await.unwrap();
    enqueue(
        &mut *tx,
        NewMessage {
            channel: Channel::Email,
            destination: "sari@contoh.id",
            locale: "id",
            kind: "test.hello",
            subject: "Halo",
            body: "Halo",
        },
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    let (gateway, url) = Gateway::start(0).await;
    let w = worker(&app.db, &url, WorkerSettings::default());
    assert!(!w.run_once().await.unwrap());

    // A worker that died while sending: its lease runs out, then the
    // message is sent by another.
    queue(&app, 1).await;
    sqlx::query(
        "update messages set status = 'sending', lease_until = 0, lease_token = 'dead', attempts = 1",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    assert!(w.run_once().await.unwrap());
    assert_eq!(gateway.calls.lock().unwrap().len(), 1);
    assert_eq!(statuses(&app).await.get("sent"), Some(&1));
}

/// A minimal SMTP server on port 0 that accepts every message and keeps
/// what it was sent (the DATA section).
async fn smtp_server() -> (Arc<Mutex<Vec<String>>>, String) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let received = Arc::new(Mutex::new(Vec::new()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let kept = received.clone();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut in_data = false;
                let mut data = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            kept.lock().unwrap().push(std::mem::take(&mut data));
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 test\r\n",
                        "DATA" => {
                            in_data = true;
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (received, url)
}

#[tokio::test]
async fn email_goes_out_over_smtp_with_the_message_id() {
    let app = TestApp::spawn_with(|c| c.message_workers = 0).await;
    let (received, url) = smtp_server().await;
    let id = enqueue(
        &app.db.pool,
        NewMessage {
            channel: Channel::Email,
            destination: "sari@contoh.id",
            locale: "id",
            kind: "test.hello",
            subject: "Selamat datang",
            body: "Halo Sari",
        },
    )
    .await
    .unwrap();
    let worker = Worker {
        db: app.db.clone(),
        transports: Transports {
            email: Transport::smtp(
                &url,
                "Naik Kelas <noreply@naikkelas.id>",
                Duration::from_secs(5),
            )
            .unwrap(),
            sms: Transport::Outbox,
        },
        settings: WorkerSettings::default(),
    };
    assert_eq!(worker.drain().await.unwrap(), 1);
    let mails = received.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.contains("To: sari@contoh.id"), "{mail}");
    assert!(mail.contains("Subject: Selamat datang"), "{mail}");
    assert!(mail.contains("Halo Sari"), "{mail}");
    assert!(
        mail.contains(&format!("<naik-kelas-{id}@naikkelas.id>")),
        "{mail}"
    );
    assert_eq!(statuses(&app).await.get("sent"), Some(&1));
}

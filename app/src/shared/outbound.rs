//! Outbound messages (email, SMS or WhatsApp): the one place every feature
//! sends through.
//!
//! A feature calls [`enqueue`] with the executor of the transaction that
//! caused the message, so the message exists exactly when what caused it
//! does. A background [`Worker`] sends it: a slow gateway never slows a
//! page, and a restart loses nothing (queued rows stay queued).
//!
//! Claiming: one statement moves a due message to `sending` with a lease
//! (`lease_until`) and a random `lease_token`; on PostgreSQL the candidate
//! row is chosen `for update skip locked`, on SQLite the single writer makes
//! the statement atomic. Two workers, on one app server or two, never hold
//! the same message. A worker that dies mid-send leaves a lease that
//! expires, and the message is sent again: the gateway receives the
//! message id as an idempotency key, so it can drop the duplicate.
//! Failures are retried with exponential backoff and, after
//! `max_attempts`, marked `failed` (with the last error) for the
//! administrators.

use std::time::Duration;

use serde::Serialize;

use super::db::{now, Db, Engine};
use super::limits::{self, Limit};
use crate::error::{AppError, FieldCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    /// SMS or WhatsApp, through the HTTP gateway.
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// A message to queue. `kind` names what it is about (`accounts.verify`,
/// …); the text is already in the recipient's language (`locale`).
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub channel: Channel,
    pub destination: &'a str,
    pub locale: &'a str,
    pub kind: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Queues a message in the caller's transaction (or on the pool). Returns
/// its id.
pub async fn enqueue<'e, E>(executor: E, msg: NewMessage<'_>) -> Result<i64, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        r#"insert into messages (channel, destination, locale, kind, subject, body, status,
                                 attempts, next_attempt_at, created_at)
           values ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, $7)
           returning id"#,
    )
    .bind(msg.channel.as_str())
    .bind(msg.destination)
    .bind(msg.locale)
    .bind(msg.kind)
    .bind(msg.subject)
    .bind(msg.body)
    .bind(at)
    .fetch_one(executor)
    .await?;
    Ok(id)
}

/// A claimed message, as a transport sends it.
#[derive(Debug, Clone, Serialize)]
pub struct Outgoing {
    /// Also the idempotency key.
    pub id: i64,
    pub channel: String,
    pub destination: String,
    pub subject: String,
    pub body: String,
    #[serde(skip)]
    pub attempts: i64,
}

/// How messages leave the portal.
#[derive(Clone)]
pub enum Transport {
    /// The local try-out and the tests: the message stays in the table and
    /// is printed in the server's log (where a `.ci/start` user reads the
    /// code or link). Never configure it on a real deployment.
    Outbox,
    /// A generic HTTP gateway for SMS/WhatsApp (and email, until SMTP is
    /// configured): `POST url` with `Authorization: Bearer <token>`,
    /// `Idempotency-Key: <message id>` and the JSON body
    /// `{"id", "channel", "destination", "subject", "body"}`; any 2xx is
    /// success.
    Http {
        url: String,
        token: Secret,
        client: reqwest::Client,
    },
    /// Email over SMTP (lettre), from `SMTP_URL` (`smtps://user:pass@host`,
    /// `smtp://host:587?tls=required`, or plain `smtp://host:port` on a
    /// trusted network) and `MAIL_FROM`. The message id travels as the
    /// `Message-ID`, so a retried message is recognisable downstream.
    Smtp {
        mailer: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
        from: lettre::message::Mailbox,
        domain: String,
    },
}

/// A transport per channel: email and SMS/WhatsApp are configured apart.
#[derive(Debug, Clone)]
pub struct Transports {
    pub email: Transport,
    pub sms: Transport,
}

impl Transports {
    /// The same transport for every channel.
    pub fn all(transport: Transport) -> Transports {
        Transports {
            email: transport.clone(),
            sms: transport,
        }
    }

    fn for_channel(&self, channel: &str) -> &Transport {
        if channel == Channel::Email.as_str() {
            &self.email
        } else {
            &self.sms
        }
    }
}

/// A token that never appears in `Debug` output or logs.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Outbox => f.write_str("Outbox"),
            Transport::Http { url, .. } => f.debug_struct("Http").field("url", url).finish(),
            Transport::Smtp { from, .. } => f
                .debug_struct("Smtp")
                .field("from", &from.to_string())
                .finish_non_exhaustive(),
        }
    }
}

impl Transport {
    pub fn http(url: &str, token: &str, timeout: Duration) -> Result<Transport, String> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Transport::Http {
            url: url.to_string(),
            token: Secret(token.to_string()),
            client,
        })
    }

    /// An SMTP transport from a connection URL and a sender address.
    pub fn smtp(url: &str, from: &str, timeout: Duration) -> Result<Transport, String> {
        use lettre::AsyncSmtpTransport;
        let from: lettre::message::Mailbox = from
            .parse()
            .map_err(|e| format!("MAIL_FROM is not an address: {e}"))?;
        let domain = from.email.domain().to_string();
        let mailer = AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL is not valid: {e}"))?
            .timeout(Some(timeout))
            .build();
        Ok(Transport::Smtp {
            mailer,
            from,
            domain,
        })
    }

    async fn send(&self, msg: &Outgoing) -> Result<(), String> {
        match self {
            Transport::Outbox => {
                tracing::info!(
                    target: "outbox",
                    id = msg.id,
                    channel = %msg.channel,
                    to = %msg.destination,
                    subject = %msg.subject,
                    body = %msg.body,
                    "message (outbox transport: not sent anywhere)"
                );
                Ok(())
            }
            Transport::Http { url, token, client } => {
                let res = client
                    .post(url)
                    .bearer_auth(&token.0)
                    .header("idempotency-key", msg.id.to_string())
                    .json(msg)
                    .send()
                    .await
                    .map_err(|e| format!("gateway unreachable: {}", e.without_url()))?;
                if res.status().is_success() {
                    Ok(())
                } else {
                    Err(format!("gateway answered {}", res.status().as_u16()))
                }
            }
            Transport::Smtp {
                mailer,
                from,
                domain,
            } => {
                use lettre::AsyncTransport;
                let to: lettre::message::Mailbox = msg
                    .destination
                    .parse()
                    .map_err(|e| format!("not an email address: {e}"))?;
                let email = lettre::Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(msg.subject.clone())
                    .message_id(Some(format!("<naik-kelas-{}@{domain}>", msg.id)))
                    .header(lettre::message::header::ContentType::TEXT_PLAIN)
                    .body(msg.body.clone())
                    .map_err(|e| format!("could not build the email: {e}"))?;
                mailer
                    .send(email)
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("SMTP: {e}"))
            }
        }
    }
}

/// Worker settings.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// How long a claim holds a message before another worker may take it.
    pub lease_secs: i64,
    /// Attempts before a message is marked failed.
    pub max_attempts: i64,
    /// The first retry waits this long; each further one twice as long,
    /// at most an hour.
    pub backoff_secs: i64,
    /// How often an idle worker looks for due messages.
    pub poll: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            lease_secs: 120,
            max_attempts: 8,
            backoff_secs: 30,
            poll: Duration::from_secs(1),
        }
    }
}

/// The delay before attempt `attempts + 1`.
pub fn backoff(base_secs: i64, attempts: i64) -> i64 {
    let exp = (attempts - 1).clamp(0, 16) as u32;
    base_secs.saturating_mul(1_i64 << exp).min(3600)
}

/// Sends queued messages. Cheap to clone; run one or more per app server.
#[derive(Debug, Clone)]
pub struct Worker {
    pub db: Db,
    pub transports: Transports,
    pub settings: WorkerSettings,
}

/// id, channel, destination, subject, body, attempts.
type ClaimRow = (i64, String, String, String, String, i64);

impl Worker {
    /// Claims and sends one due message. `Ok(false)` when none was due.
    pub async fn run_once(&self) -> Result<bool, AppError> {
        let Some((msg, token)) = self.claim().await? else {
            return Ok(false);
        };
        let result = self.transports.for_channel(&msg.channel).send(&msg).await;
        let at = now();
        match result {
            Ok(()) => {
                sqlx::query(
                    r#"update messages set status = 'sent', sent_at = $1, lease_until = null,
                              last_error = null
                       where id = $2 and lease_token = $3"#,
                )
                .bind(at)
                .bind(msg.id)
                .bind(&token)
                .execute(&self.db.pool)
                .await?;
            }
            Err(error) => {
                let failed = msg.attempts >= self.settings.max_attempts;
                tracing::warn!(id = msg.id, attempts = msg.attempts, failed, %error, "message not sent");
                sqlx::query(
                    r#"update messages set status = $1, next_attempt_at = $2, lease_until = null,
                              last_error = $3
                       where id = $4 and lease_token = $5"#,
                )
                .bind(if failed { "failed" } else { "queued" })
                .bind(at + backoff(self.settings.backoff_secs, msg.attempts))
                .bind(error.chars().take(500).collect::<String>())
                .bind(msg.id)
                .bind(&token)
                .execute(&self.db.pool)
                .await?;
            }
        }
        Ok(true)
    }

    async fn claim(&self) -> Result<Option<(Outgoing, String)>, AppError> {
        let token = super::secret::random_hex();
        let at = now();
        let skip_locked = match self.db.engine {
            Engine::Postgres => " for update skip locked",
            Engine::Sqlite => "",
        };
        let row: Option<ClaimRow> = sqlx::query_as(&format!(
            r#"update messages
               set status = 'sending', lease_until = $1, lease_token = $2, attempts = attempts + 1
               where id = (select id from messages
                           where (status = 'queued' and next_attempt_at <= $3)
                              or (status = 'sending' and lease_until < $3)
                           order by id limit 1{skip_locked})
               returning id, channel, destination, subject, body, attempts"#
        ))
        .bind(at + self.settings.lease_secs)
        .bind(&token)
        .bind(at)
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(
            row.map(|(id, channel, destination, subject, body, attempts)| {
                (
                    Outgoing {
                        id,
                        channel,
                        destination,
                        subject,
                        body,
                        attempts,
                    },
                    token,
                )
            }),
        )
    }

    /// Sends until nothing is due (for tests and the shutdown path).
    pub async fn drain(&self) -> Result<usize, AppError> {
        let mut sent = 0;
        while self.run_once().await? {
            sent += 1;
        }
        Ok(sent)
    }

    /// Runs in the background for the life of the process.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                match self.run_once().await {
                    Ok(true) => continue,
                    Ok(false) => {}
                    Err(err) => tracing::warn!(error = %err, "message worker"),
                }
                tokio::time::sleep(self.settings.poll).await;
            }
        })
    }
}

/// Bounds on what sending can cost the portal (SMS pumping: a script
/// making the portal text premium or foreign numbers): per destination,
/// per client address, and per day for the whole portal, per channel, and
/// SMS only to the allowed country prefixes.
#[derive(Debug, Clone)]
pub struct Costs {
    /// Messages one address or number may receive per window.
    pub per_destination: Limit,
    /// Messages one client (IP address, IPv6 /64) may cause per window.
    pub per_client: Limit,
    /// Emails per UTC day, for the whole portal.
    pub email_per_day: i64,
    /// SMS/WhatsApp messages per UTC day, for the whole portal.
    pub sms_per_day: i64,
    /// Mobile numbers must start with one of these (default `+62`).
    pub sms_prefixes: Vec<String>,
}

impl Default for Costs {
    fn default() -> Self {
        Self {
            per_destination: Limit {
                max: 5,
                window_secs: 3600,
            },
            per_client: Limit {
                max: 20,
                window_secs: 3600,
            },
            email_per_day: 50_000,
            sms_per_day: 5_000,
            sms_prefixes: vec!["+62".to_string()],
        }
    }
}

/// Admits one message to `destination` caused by `client`, or refuses it:
/// a number outside the allowed prefixes is a field error on `field`;
/// over any limit, 429. Each limit is one atomic counter shared by every
/// app server; a refused message gives back what it had taken.
pub async fn admit(
    db: &Db,
    costs: &Costs,
    channel: Channel,
    destination: &str,
    client: &str,
    field: &str,
) -> Result<(), AppError> {
    if channel == Channel::Sms
        && !costs
            .sms_prefixes
            .iter()
            .any(|prefix| destination.starts_with(prefix.as_str()))
    {
        return Err(AppError::field(field, FieldCode::PhoneCountry));
    }
    let day = Limit {
        max: match channel {
            Channel::Email => costs.email_per_day,
            Channel::Sms => costs.sms_per_day,
        },
        window_secs: 86_400,
    };
    let keys = [
        (format!("msg-to:{destination}"), costs.per_destination),
        (format!("msg-from:{client}"), costs.per_client),
        (format!("msg-day:{}", channel.as_str()), day),
    ];
    let mut taken = Vec::with_capacity(keys.len());
    for (key, limit) in keys {
        match limits::take(db, &key, limit).await {
            Ok(ticket) => taken.push(ticket),
            Err(err) => {
                for ticket in taken {
                    limits::give_back(db, ticket).await?;
                }
                if key.starts_with("msg-day:") {
                    tracing::error!(channel = channel.as_str(), "daily message limit reached");
                }
                return Err(err);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(30, 1), 30);
        assert_eq!(backoff(30, 2), 60);
        assert_eq!(backoff(30, 5), 480);
        assert_eq!(backoff(30, 40), 3600);
        assert_eq!(backoff(0, 3), 0);
    }
}

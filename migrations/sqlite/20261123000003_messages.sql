-- Outbound messages (email, SMS/WhatsApp): queued in the same transaction
-- as what caused them, sent by a background worker that claims one with a
-- lease, retried with backoff, marked failed after too many attempts.
-- The id is the idempotency key sent to the gateway.
create table messages (
    id integer primary key autoincrement,
    channel text not null check (channel in ('email', 'sms')),
    destination text not null,
    locale text not null,
    kind text not null,
    subject text not null default '',
    body text not null,
    status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
    attempts bigint not null default 0,
    next_attempt_at bigint not null,
    lease_until bigint,
    lease_token text,
    last_error text,
    created_at bigint not null,
    sent_at bigint
);
create index messages_due on messages (status, next_attempt_at);

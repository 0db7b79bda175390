-- Accounts, the audit log and login attempts (SQLite).
-- Portable types only (see docs/ARCHITECTURE.md): integers, text.
create table users (
    id integer primary key autoincrement,
    display_name text not null,
    email text unique,
    phone text unique,
    password_hash text not null,
    role text not null default 'seller' check (role in ('seller', 'trainer', 'staff', 'admin')),
    session_epoch bigint not null default 0,
    created_at bigint not null,
    updated_at bigint not null,
    check (email is not null or phone is not null)
);

create table audit_log (
    id integer primary key autoincrement,
    at bigint not null,
    action text not null,
    actor_id bigint references users (id) on delete set null,
    subject_id bigint references users (id) on delete set null,
    ip text not null,
    detail text not null default ''
);
create index audit_log_at on audit_log (at);
create index audit_log_actor on audit_log (actor_id);

create table login_attempts (
    id integer primary key autoincrement,
    bucket text not null,
    at bigint not null
);
create index login_attempts_bucket_at on login_attempts (bucket, at);

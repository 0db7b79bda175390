-- Verified contacts, account recovery and deletion (SQLite).
--
-- Users get their language (messages are sent in it), the privacy-notice
-- version they agreed to, and `deleted_at`: a deleted account keeps its row
-- (so counts and audit events keep their subject) with every personal field
-- erased, which the old "email or phone" check forbade. SQLite cannot
-- change a check constraint in place, so the table is rebuilt. The
-- migration runs in a transaction, where foreign keys cannot be switched
-- off: dropping the old table sets every audit reference to it to null
-- (`on delete set null`), so the references are kept aside first and put
-- back once the new table has the old ids.
create table audit_refs_0004 as select id, actor_id, subject_id from audit_log;
create table users_new (
    id integer primary key autoincrement,
    display_name text not null,
    email text unique,
    phone text unique,
    password_hash text not null,
    role text not null default 'seller' check (role in ('seller', 'trainer', 'staff', 'admin')),
    session_epoch bigint not null default 0,
    created_at bigint not null,
    updated_at bigint not null,
    demo bigint not null default 0,
    locale text not null default 'id' check (locale in ('id', 'en')),
    privacy_version text,
    privacy_agreed_at bigint,
    deleted_at bigint,
    check (deleted_at is not null or email is not null or phone is not null)
);
insert into users_new (id, display_name, email, phone, password_hash, role, session_epoch,
                       created_at, updated_at, demo)
    select id, display_name, email, phone, password_hash, role, session_epoch,
           created_at, updated_at, demo
    from users;
drop table users;
alter table users_new rename to users;
update audit_log
set actor_id = (select r.actor_id from audit_refs_0004 r where r.id = audit_log.id),
    subject_id = (select r.subject_id from audit_refs_0004 r where r.id = audit_log.id);
drop table audit_refs_0004;

-- A code or link waiting to be used: a sign-up (no account exists until it
-- is verified, so nobody can squat an address they do not own), a password
-- reset, or a new contact for an existing account. `id` is a random handle
-- (it is in the page's URL); the code or link token is stored only as an
-- HMAC with SECRET_KEY. A decoy (`decoy = 1`) answers a registration with
-- an address that already has an account, or a reset for an unknown one,
-- exactly like a real one, but no code for it was ever sent.
create table verifications (
    id text primary key,
    purpose text not null check (purpose in ('signup', 'reset', 'contact')),
    channel text not null check (channel in ('email', 'sms')),
    destination text not null,
    user_id bigint references users (id) on delete cascade,
    display_name text,
    password_hash text,
    locale text not null,
    privacy_version text,
    secret_hash text not null,
    attempts bigint not null default 0,
    decoy bigint not null default 0,
    expires_at bigint not null,
    used_at bigint,
    created_at bigint not null
);
create index verifications_user on verifications (user_id);
create index verifications_destination on verifications (destination);
create index verifications_created on verifications (created_at);
create index messages_destination on messages (destination);

-- Verified contacts, account recovery and deletion (PostgreSQL).
-- See the SQLite migration of the same name for the reasons.
alter table users add column locale text not null default 'id' check (locale in ('id', 'en'));
alter table users add column privacy_version text;
alter table users add column privacy_agreed_at bigint;
alter table users add column deleted_at bigint;
alter table users drop constraint users_check;
alter table users add constraint users_contact_check
    check (deleted_at is not null or email is not null or phone is not null);

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

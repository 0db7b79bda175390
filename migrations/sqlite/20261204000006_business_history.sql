-- The history of a business record: every profile save (which fields
-- changed, never their personal values), NIB submission, claim, staff
-- decision with its reason, withdrawal and milestone reached, appended and
-- never rewritten. Decisions and reasons stay readable after the next one.
-- (SQLite)
create table business_events (
    id integer primary key autoincrement,
    business_id bigint not null references businesses (id) on delete cascade,
    at bigint not null,
    actor_id bigint references users (id) on delete set null,
    kind text not null,
    detail text not null default ''
);
create index business_events_business on business_events (business_id, id);

-- Rate limits as one counter row per key and fixed window, taken with one
-- atomic upsert (`insert … on conflict … do update set n = n + 1
-- returning n`) before the expensive work, so simultaneous attempts can
-- never all pass. Replaces the attempt log that was counted, then written.
drop table login_attempts;

create table rate_counters (
    key text not null,
    window_start bigint not null,
    n bigint not null,
    primary key (key, window_start)
);
create index rate_counters_window on rate_counters (window_start);

-- Demo accounts are marked, so `serve` can refuse to expose them.
alter table users add column demo bigint not null default 0;

-- Audit entries that could repeat without bound (a signed-in user opening
-- a forbidden page again and again) carry a key; a repeat within the same
-- minute is not written twice.
alter table audit_log add column dedupe_key text;
create unique index audit_log_dedupe on audit_log (dedupe_key);

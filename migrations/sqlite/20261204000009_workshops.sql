-- Workshops (bimtek): scheduled sessions of a course, online or at a
-- venue, with capacity, a registration deadline and a waiting list. Times
-- in UTC unix seconds; `zone` is the venue's (wib, wita, wit). (SQLite)
create table workshops (
    id integer primary key autoincrement,
    course_id bigint not null references courses (id) on delete cascade,
    trainer_id bigint references users (id) on delete set null,
    title text not null,
    online integer not null default 0,
    link text,
    address text,
    province_code text,
    regency_code text,
    zone text not null check (zone in ('wib', 'wita', 'wit')),
    starts_at bigint not null,
    ends_at bigint not null,
    closes_at bigint not null,
    capacity bigint not null check (capacity > 0),
    created_at bigint not null
);
create index workshops_upcoming on workshops (starts_at);

-- One row per person and workshop: a seat, a place on the waiting list
-- (`queue_no`, in order of arrival), or cancelled. Decided under the
-- workshop's row lock, so capacity holds however many arrive at once.
create table workshop_registrations (
    workshop_id bigint not null references workshops (id) on delete cascade,
    user_id bigint not null references users (id) on delete cascade,
    status text not null check (status in ('seated', 'waiting', 'cancelled')),
    queue_no bigint not null,
    registered_at bigint not null,
    promoted_at bigint,
    attended_at bigint,
    primary key (workshop_id, user_id),
    unique (workshop_id, queue_no)
);
create index workshop_registrations_user on workshop_registrations (user_id);

-- Training: courses -> modules -> lessons, an optional quiz per module,
-- enrolments, progress, quiz attempts and certificates. Every title and
-- text in both languages (an empty text: not written in that language).
-- Times in UTC unix seconds; booleans as 0/1. (SQLite)
create table courses (
    id integer primary key autoincrement,
    slug text not null unique,
    -- The trainer who owns it; null for the portal's own courses.
    owner_id bigint references users (id) on delete set null,
    core integer not null default 0,
    cluster text not null default 'all'
        check (cluster in ('all', 'textiles_fashion', 'food_beverages', 'handicrafts', 'other')),
    minutes bigint not null default 0,
    title_id text not null default '',
    title_en text not null default '',
    summary_id text not null default '',
    summary_en text not null default '',
    status text not null default 'draft' check (status in ('draft', 'published')),
    published_at bigint,
    requires_course_id bigint references courses (id) on delete set null,
    created_at bigint not null,
    updated_at bigint not null
);
create index courses_catalogue on courses (status, id);
-- At most one core onboarding course.
create unique index courses_one_core on courses (core) where core = 1;

-- Trainers an administrator allowed to edit a course they do not own
-- (the portal's own courses).
create table course_editors (
    course_id bigint not null references courses (id) on delete cascade,
    user_id bigint not null references users (id) on delete cascade,
    primary key (course_id, user_id)
);

create table course_modules (
    id integer primary key autoincrement,
    course_id bigint not null references courses (id) on delete cascade,
    position bigint not null,
    title_id text not null default '',
    title_en text not null default '',
    -- Requires the previous module to be complete.
    sequential integer not null default 0,
    unique (course_id, position)
);

create table lessons (
    id integer primary key autoincrement,
    module_id bigint not null references course_modules (id) on delete cascade,
    position bigint not null,
    title_id text not null default '',
    title_en text not null default '',
    body_id text not null default '',
    body_en text not null default '',
    video_url text,
    unique (module_id, position)
);

create table quizzes (
    id integer primary key autoincrement,
    module_id bigint not null unique references course_modules (id) on delete cascade,
    pass_percent bigint not null default 70,
    draw bigint not null default 5,
    max_attempts bigint not null default 3
);

create table quiz_questions (
    id integer primary key autoincrement,
    quiz_id bigint not null references quizzes (id) on delete cascade,
    position bigint not null,
    kind text not null check (kind in ('single', 'multiple')),
    text_id text not null default '',
    text_en text not null default '',
    explain_id text not null default '',
    explain_en text not null default ''
);
create index quiz_questions_quiz on quiz_questions (quiz_id, position);

create table quiz_choices (
    id integer primary key autoincrement,
    question_id bigint not null references quiz_questions (id) on delete cascade,
    position bigint not null,
    text_id text not null default '',
    text_en text not null default '',
    correct integer not null default 0
);
create index quiz_choices_question on quiz_choices (question_id, position);

create table enrolments (
    id integer primary key autoincrement,
    course_id bigint not null references courses (id) on delete cascade,
    user_id bigint not null references users (id) on delete cascade,
    enrolled_at bigint not null,
    last_lesson_id bigint references lessons (id) on delete set null,
    completed_at bigint,
    unique (course_id, user_id)
);
create index enrolments_user on enrolments (user_id);

create table lesson_progress (
    user_id bigint not null references users (id) on delete cascade,
    lesson_id bigint not null references lessons (id) on delete cascade,
    done_at bigint not null,
    primary key (user_id, lesson_id)
);

-- An attempt counts from the moment it starts (its questions are drawn
-- then), so the pool cannot be harvested by starting and abandoning.
create table quiz_attempts (
    id integer primary key autoincrement,
    quiz_id bigint not null references quizzes (id) on delete cascade,
    user_id bigint not null references users (id) on delete cascade,
    number bigint not null,
    started_at bigint not null,
    submitted_at bigint,
    correct bigint,
    total bigint not null,
    passed integer,
    unique (quiz_id, user_id, number)
);

create table attempt_questions (
    attempt_id bigint not null references quiz_attempts (id) on delete cascade,
    position bigint not null,
    question_id bigint not null references quiz_questions (id) on delete cascade,
    -- The choice ids picked, comma-separated, once submitted.
    answer text,
    correct integer,
    primary key (attempt_id, position)
);

create table module_completions (
    user_id bigint not null references users (id) on delete cascade,
    module_id bigint not null references course_modules (id) on delete cascade,
    completed_at bigint not null,
    primary key (user_id, module_id)
);

-- Issued once per holder and course (the unique key decides), with the
-- holder's name and the course's title as they were then. Kept when the
-- holder deletes their account (`holder_removed`, name erased).
create table certificates (
    id integer primary key autoincrement,
    code text not null unique,
    course_id bigint not null references courses (id),
    user_id bigint references users (id) on delete set null,
    holder_name text not null,
    holder_removed integer not null default 0,
    course_title_id text not null,
    course_title_en text not null,
    issuer_name text not null,
    issued_at bigint not null,
    unique (course_id, user_id)
);

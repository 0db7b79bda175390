-- Lesson images uploaded for a course: stored through the media store
-- under their content hash (`key`), re-encoded, without metadata. (SQLite)
create table course_images (
    key text not null,
    course_id bigint not null references courses (id) on delete cascade,
    width bigint not null,
    height bigint not null,
    bytes bigint not null,
    uploaded_by bigint references users (id) on delete set null,
    uploaded_at bigint not null,
    primary key (key, course_id)
);

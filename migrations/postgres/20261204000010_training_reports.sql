-- Trainers' reports at national scale: each enrolment carries where the
-- learner is (the first module not yet complete, `current_module_id`,
-- null once all are), how many modules are done, the last activity and
-- the sum and count of quiz scores (percent per submitted attempt). They
-- are kept in the transaction that records progress, so "who is stuck
-- where" is one indexed count, not a scan of every completion. Attendance
-- at a workshop can complete a module (`workshops.module_id`); such a
-- completion names the workshop. (postgres)
alter table enrolments add column current_module_id bigint references course_modules (id) on delete set null;
alter table enrolments add column modules_done bigint not null default 0;
alter table enrolments add column active_at bigint not null default 0;
alter table enrolments add column quiz_points bigint not null default 0;
alter table enrolments add column quiz_taken bigint not null default 0;

update enrolments set
    modules_done = (
        select count(*) from module_completions c join course_modules m on m.id = c.module_id
        where m.course_id = enrolments.course_id and c.user_id = enrolments.user_id),
    current_module_id = (
        select m.id from course_modules m
        where m.course_id = enrolments.course_id
          and not exists (select 1 from module_completions c
                          where c.module_id = m.id and c.user_id = enrolments.user_id)
        order by m.position limit 1),
    active_at = coalesce((
        select max(p.done_at) from lesson_progress p join lessons l on l.id = p.lesson_id
        join course_modules m on m.id = l.module_id
        where m.course_id = enrolments.course_id and p.user_id = enrolments.user_id), enrolled_at),
    quiz_points = coalesce((
        select sum(a.correct * 100 / a.total) from quiz_attempts a join quizzes q on q.id = a.quiz_id
        join course_modules m on m.id = q.module_id
        where m.course_id = enrolments.course_id and a.user_id = enrolments.user_id
          and a.submitted_at is not null and a.total > 0), 0),
    quiz_taken = (
        select count(*) from quiz_attempts a join quizzes q on q.id = a.quiz_id
        join course_modules m on m.id = q.module_id
        where m.course_id = enrolments.course_id and a.user_id = enrolments.user_id
          and a.submitted_at is not null and a.total > 0);

create index enrolments_stuck on enrolments (course_id, current_module_id, active_at)
    where completed_at is null;

alter table workshops add column module_id bigint references course_modules (id) on delete set null;
alter table module_completions add column workshop_id bigint references workshops (id) on delete set null;

//! The starter curriculum: real courses that ship with the portal, in
//! `app/data/curriculum/<NN>-<slug>/` (format in `FORMAT.md` there),
//! embedded in the binary so a deployment needs no source tree. Loaded by
//! `server seed-curriculum` (which `.ci/start` runs): each course is
//! created once, owned by the portal itself (no person's account) and
//! published; a course whose slug exists is left as administrators and
//! their trainers have edited it.

use include_dir::{include_dir, Dir};
use serde::Deserialize;

use super::domain::{valid_slug, QuestionKind};
use crate::shared::db::{now, Db};

static CURRICULUM: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/data/curriculum");

#[derive(Debug, Deserialize)]
struct Both {
    id: String,
    en: String,
}

#[derive(Debug, Deserialize)]
struct CourseFile {
    slug: String,
    #[serde(default)]
    core: bool,
    cluster: String,
    minutes: i64,
    #[serde(default)]
    requires: Vec<String>,
    title: Both,
    summary: Both,
    modules: Vec<ModuleFile>,
}

#[derive(Debug, Deserialize)]
struct ModuleFile {
    #[serde(default)]
    sequential: bool,
    title: Both,
    lessons: Vec<String>,
    quiz: Option<QuizFile>,
}

#[derive(Debug, Deserialize)]
struct QuizFile {
    pass_percent: i64,
    draw: i64,
    max_attempts: i64,
    questions: Vec<QuestionFile>,
}

#[derive(Debug, Deserialize)]
struct QuestionFile {
    kind: String,
    text: Both,
    explain: Both,
    choices: Vec<ChoiceFile>,
}

#[derive(Debug, Deserialize)]
struct ChoiceFile {
    correct: bool,
    id: String,
    en: String,
}

/// A lesson read from its two Markdown files: the title from the first
/// line (`# …`), the body after it.
struct LessonText {
    title: String,
    body: String,
}

fn lesson_text(folder: &str, name: &str, lang: &str) -> anyhow::Result<LessonText> {
    let path = format!("{folder}/lessons/{name}.{lang}.md");
    let source = CURRICULUM
        .get_file(&path)
        .and_then(|f| f.contents_utf8())
        .ok_or_else(|| anyhow::anyhow!("{path} is missing"))?;
    let (first, rest) = source.split_once('\n').unwrap_or((source, ""));
    let title = first
        .strip_prefix("# ")
        .ok_or_else(|| anyhow::anyhow!("{path} does not start with '# '"))?;
    Ok(LessonText {
        title: title.trim().to_string(),
        body: rest.trim().to_string(),
    })
}

/// A course of the curriculum, checked: the rules `FORMAT.md` states.
struct Course {
    file: CourseFile,
    lessons: Vec<Vec<(LessonText, LessonText)>>,
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Every course of the curriculum, in folder order, read and checked.
fn courses() -> anyhow::Result<Vec<Course>> {
    let mut folders: Vec<&Dir<'_>> = CURRICULUM.dirs().collect();
    folders.sort_by_key(|d| d.path().to_path_buf());
    let mut out = Vec::new();
    for dir in folders {
        let folder = dir.path().to_string_lossy().to_string();
        let path = format!("{folder}/course.toml");
        let source = CURRICULUM
            .get_file(&path)
            .and_then(|f| f.contents_utf8())
            .ok_or_else(|| anyhow::anyhow!("{path} is missing"))?;
        let file: CourseFile =
            toml::from_str(source).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
        anyhow::ensure!(valid_slug(&file.slug), "{path}: bad slug");
        let mut lessons = Vec::new();
        let mut count = 0;
        let mut questions = 0;
        for m in &file.modules {
            let mut these = Vec::new();
            for name in &m.lessons {
                let id = lesson_text(&folder, name, "id")?;
                let en = lesson_text(&folder, name, "en")?;
                anyhow::ensure!(
                    words(&id.body) >= 150 && words(&en.body) >= 150,
                    "{folder}/{name}: a lesson has at least 150 words per language"
                );
                these.push((id, en));
                count += 1;
            }
            if let Some(q) = &m.quiz {
                for question in &q.questions {
                    let kind = QuestionKind::parse(&question.kind)
                        .ok_or_else(|| anyhow::anyhow!("{path}: kind {}", question.kind))?;
                    let right = question.choices.iter().filter(|c| c.correct).count();
                    anyhow::ensure!(
                        match kind {
                            QuestionKind::Single => right == 1,
                            QuestionKind::Multiple => right >= 1,
                        },
                        "{path}: '{}' has {right} correct choices",
                        question.text.id
                    );
                }
                questions += q.questions.len();
            }
            lessons.push(these);
        }
        anyhow::ensure!(count >= 3, "{path}: at least 3 lessons");
        anyhow::ensure!(questions >= 5, "{path}: a quiz of at least 5 questions");
        out.push(Course { file, lessons });
    }
    Ok(out)
}

/// Loads the curriculum into the database: each course once (by slug).
/// Returns the slugs created.
pub async fn load(db: &Db) -> anyhow::Result<Vec<String>> {
    let courses = courses()?;
    let mut created = Vec::new();
    for c in &courses {
        let f = &c.file;
        let at = now();
        let mut tx = db.begin_locked().await?;
        let exists: Option<(i64,)> = sqlx::query_as("select id from courses where slug = $1")
            .bind(&f.slug)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            continue;
        }
        let requires = match f.requires.first() {
            Some(slug) => sqlx::query_as::<_, (i64,)>("select id from courses where slug = $1")
                .bind(slug)
                .fetch_optional(&mut *tx)
                .await?
                .map(|(id,)| id),
            None => None,
        };
        let (course,): (i64,) = sqlx::query_as(
            r#"insert into courses (slug, owner_id, core, cluster, minutes, title_id, title_en,
                   summary_id, summary_en, status, published_at, requires_course_id,
                   created_at, updated_at)
               values ($1, null, $2, $3, $4, $5, $6, $7, $8, 'published', $9, $10, $9, $9)
               returning id"#,
        )
        .bind(&f.slug)
        .bind(i64::from(f.core))
        .bind(&f.cluster)
        .bind(f.minutes)
        .bind(&f.title.id)
        .bind(&f.title.en)
        .bind(&f.summary.id)
        .bind(&f.summary.en)
        .bind(at)
        .bind(requires)
        .fetch_one(&mut *tx)
        .await?;
        for (mi, (m, lessons)) in f.modules.iter().zip(&c.lessons).enumerate() {
            let (module,): (i64,) = sqlx::query_as(
                r#"insert into course_modules (course_id, position, title_id, title_en, sequential)
                   values ($1, $2, $3, $4, $5) returning id"#,
            )
            .bind(course)
            .bind(mi as i64)
            .bind(&m.title.id)
            .bind(&m.title.en)
            .bind(i64::from(m.sequential && mi > 0))
            .fetch_one(&mut *tx)
            .await?;
            for (li, (id, en)) in lessons.iter().enumerate() {
                sqlx::query(
                    r#"insert into lessons (module_id, position, title_id, title_en, body_id, body_en)
                       values ($1, $2, $3, $4, $5, $6)"#,
                )
                .bind(module)
                .bind(li as i64)
                .bind(&id.title)
                .bind(&en.title)
                .bind(&id.body)
                .bind(&en.body)
                .execute(&mut *tx)
                .await?;
            }
            if let Some(q) = &m.quiz {
                let (quiz,): (i64,) = sqlx::query_as(
                    r#"insert into quizzes (module_id, pass_percent, draw, max_attempts)
                       values ($1, $2, $3, $4) returning id"#,
                )
                .bind(module)
                .bind(q.pass_percent)
                .bind(q.draw)
                .bind(q.max_attempts)
                .fetch_one(&mut *tx)
                .await?;
                for (qi, question) in q.questions.iter().enumerate() {
                    let (qid,): (i64,) = sqlx::query_as(
                        r#"insert into quiz_questions (quiz_id, position, kind, text_id, text_en,
                               explain_id, explain_en)
                           values ($1, $2, $3, $4, $5, $6, $7) returning id"#,
                    )
                    .bind(quiz)
                    .bind(qi as i64)
                    .bind(&question.kind)
                    .bind(&question.text.id)
                    .bind(&question.text.en)
                    .bind(&question.explain.id)
                    .bind(&question.explain.en)
                    .fetch_one(&mut *tx)
                    .await?;
                    for (ci, choice) in question.choices.iter().enumerate() {
                        sqlx::query(
                            r#"insert into quiz_choices (question_id, position, text_id, text_en, correct)
                               values ($1, $2, $3, $4, $5)"#,
                        )
                        .bind(qid)
                        .bind(ci as i64)
                        .bind(&choice.id)
                        .bind(&choice.en)
                        .bind(i64::from(choice.correct))
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
        }
        tx.commit().await?;
        created.push(f.slug.clone());
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_curriculum_meets_its_rules() {
        let courses = super::courses().expect("the curriculum reads and checks");
        assert!(courses.len() >= 6);
        assert_eq!(courses.iter().filter(|c| c.file.core).count(), 1);
        assert!(courses[0].file.core, "the first course is the core course");
    }
}

//! Pure rules of training: which language a text is shown in, how a quiz
//! answer is graded, when a module and a course are complete, and the
//! shape of a certificate code. No I/O, compiled for both targets, tested
//! here.

use serde::{Deserialize, Serialize};

/// A text written in Bahasa Indonesia and/or English, as shown to a reader
/// of `english`: their language if written, else the other one with a
/// marker naming the language it is only in.
pub fn pick<'a>(id: &'a str, en: &'a str, english: bool) -> (&'a str, Option<Lang>) {
    let (mine, other, other_lang) = if english {
        (en, id, Lang::Id)
    } else {
        (id, en, Lang::En)
    };
    if !mine.trim().is_empty() || other.trim().is_empty() {
        (mine, None)
    } else {
        (other, Some(other_lang))
    }
}

/// A content language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The kinds of quiz question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Exactly one choice is correct; one is picked.
    Single,
    /// One or more choices are correct; all of them, and only them, must
    /// be picked.
    Multiple,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionKind> {
        match s {
            "single" => Some(QuestionKind::Single),
            "multiple" => Some(QuestionKind::Multiple),
            _ => None,
        }
    }
}

/// Whether `picked` answers a question whose correct choices are
/// `correct`: the same set (a single-answer question takes one pick).
/// No partial credit: a multiple-answer question is right only when every
/// correct choice and no wrong one is picked.
pub fn is_right(kind: QuestionKind, correct: &[i64], picked: &[i64]) -> bool {
    if kind == QuestionKind::Single && picked.len() != 1 {
        return false;
    }
    let mut a: Vec<i64> = correct.to_vec();
    let mut b: Vec<i64> = picked.to_vec();
    a.sort_unstable();
    a.dedup();
    b.sort_unstable();
    b.dedup();
    !a.is_empty() && a == b
}

/// Whether `correct` of `total` questions reaches `pass_percent`
/// (computed in integers: 7 of 10 reaches 70 %, 2 of 3 does not reach 70).
pub fn passes(correct: i64, total: i64, pass_percent: i64) -> bool {
    total > 0 && correct * 100 >= pass_percent * total
}

/// A module is complete when every lesson is done and its quiz, if it has
/// one, is passed.
pub fn module_complete(lessons: usize, lessons_done: usize, quiz: Option<bool>) -> bool {
    lessons_done >= lessons && quiz.unwrap_or(true)
}

/// The characters of a certificate code: no 0/O, 1/I/L, so it can be read
/// aloud and typed from paper.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A certificate code as printed: `NK-XXXX-XXXX-XXXX-XXXX` (16 characters
/// from 31: about 79 bits, unguessable).
pub fn format_code(chars: &[u8; 16]) -> String {
    let s: String = chars
        .iter()
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect();
    format!("NK-{}-{}-{}-{}", &s[0..4], &s[4..8], &s[8..12], &s[12..16])
}

/// A code as someone typed it (any case, spaces or dashes), normalised, or
/// `None` if it cannot be one.
pub fn parse_code(input: &str) -> Option<String> {
    let s: String = input
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let s = s.strip_prefix("NK")?;
    if s.len() != 16 || !s.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        return None;
    }
    Some(format!(
        "NK-{}-{}-{}-{}",
        &s[0..4],
        &s[4..8],
        &s[8..12],
        &s[12..16]
    ))
}

/// The longest lesson text, per language, in characters.
pub const LESSON_MAX: usize = 20_000;

/// A course slug: 3 to 60 of `a-z`, `0-9` and single `-`, not at the ends.
pub fn valid_slug(s: &str) -> bool {
    (3..=60).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_falls_back_to_the_other_language_with_a_marker() {
        assert_eq!(pick("Halo", "Hello", true), ("Hello", None));
        assert_eq!(pick("Halo", "Hello", false), ("Halo", None));
        assert_eq!(pick("Halo", "", true), ("Halo", Some(Lang::Id)));
        assert_eq!(pick("", "Hello", false), ("Hello", Some(Lang::En)));
        assert_eq!(pick("", "", false), ("", None));
        assert_eq!(pick("  ", "Hello", false), ("Hello", Some(Lang::En)));
    }

    #[test]
    fn answers_are_right_only_as_a_whole() {
        use QuestionKind::*;
        assert!(is_right(Single, &[3], &[3]));
        assert!(!is_right(Single, &[3], &[3, 4]));
        assert!(!is_right(Single, &[3], &[]));
        assert!(is_right(Multiple, &[1, 2], &[2, 1]));
        assert!(!is_right(Multiple, &[1, 2], &[1]));
        assert!(!is_right(Multiple, &[1, 2], &[1, 2, 3]));
        assert!(is_right(Multiple, &[1, 2], &[1, 2, 2]));
        assert!(!is_right(Multiple, &[], &[]));
    }

    #[test]
    fn the_pass_mark_is_exact() {
        assert!(passes(7, 10, 70));
        assert!(!passes(6, 10, 70));
        assert!(!passes(2, 3, 70));
        assert!(passes(4, 5, 70));
        assert!(!passes(3, 5, 70));
        assert!(!passes(0, 0, 0));
    }

    #[test]
    fn modules_complete_with_every_lesson_and_the_quiz() {
        assert!(module_complete(3, 3, None));
        assert!(!module_complete(3, 2, None));
        assert!(!module_complete(3, 3, Some(false)));
        assert!(module_complete(3, 3, Some(true)));
    }

    #[test]
    fn codes_read_back_however_they_are_typed() {
        let code = format_code(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 30]);
        assert_eq!(code, "NK-2345-6789-ABCD-EFGZ");
        assert_eq!(parse_code("nk 2345 6789 abcd efgz"), Some(code.clone()));
        assert_eq!(parse_code(&code), Some(code));
        assert_eq!(parse_code("NK-2345-6789-ABCD-EFG0"), None);
        assert_eq!(parse_code("NK-2345"), None);
        assert_eq!(parse_code("<script>"), None);
    }

    #[test]
    fn slugs() {
        assert!(valid_slug("buka-toko-online"));
        assert!(!valid_slug("Buka"));
        assert!(!valid_slug("-a-b"));
        assert!(!valid_slug("a--b"));
        assert!(!valid_slug("ab"));
    }
}

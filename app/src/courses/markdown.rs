//! Lesson text: Markdown rendered on the server with pulldown-cmark, then
//! sanitised with ammonia. Raw HTML in the source is shown as text (never
//! passed through), and the sanitiser's allow-list removes anything else
//! that could run: scripts, event attributes, `javascript:` and `data:`
//! links. Links get `rel="noopener noreferrer nofollow"`.

use pulldown_cmark::{html, Event, Options, Parser};

/// The Markdown `source` as safe HTML.
pub fn render(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(source, options).map(|event| match event {
        // Raw HTML becomes visible text, never markup.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&out)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders_and_hostile_input_is_inert() {
        let html = render("# Judul\n\n**tebal** dan [OSS](https://oss.go.id)");
        assert!(html.contains("<h1>Judul</h1>"), "{html}");
        assert!(html.contains("<strong>tebal</strong>"));
        assert!(html.contains(r#"href="https://oss.go.id""#));
        assert!(html.contains("noopener"));

        for hostile in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[klik](javascript:alert(1))",
            "[klik](JaVaScRiPt:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<iframe src=https://evil.example></iframe>",
            "<div style=\"position:fixed\">x</div>",
        ] {
            let html = render(hostile);
            let lower = html.to_lowercase();
            assert!(!lower.contains("<script"), "{hostile} -> {html}");
            assert!(!lower.contains("<img"), "{hostile} -> {html}");
            assert!(!lower.contains("<iframe"), "{hostile} -> {html}");
            // What is left of a tag is text: escaped, so never markup.
            assert!(
                !lower.contains("<a href=\"javascript"),
                "{hostile} -> {html}"
            );
            assert!(!lower.contains("<a href=\"data:"), "{hostile} -> {html}");
            assert!(!lower.contains("<div"), "{hostile} -> {html}");
        }
    }
}

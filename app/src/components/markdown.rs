//! A section's Markdown shown on a page: parsed on the server into the same tree as the PDF's
//! (`domain::manual::markdown`), written out as HTML elements whose text Leptos escapes — HTML
//! typed in a section shows as text, never as markup. No Markdown parser reaches the WASM.

use domain::manual::markdown::{Block, Inline};
use leptos::prelude::*;

#[component]
pub fn MarkdownText(text: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let blocks = domain::manual::markdown::parse(&text);
    #[cfg(not(feature = "ssr"))]
    let blocks: Vec<Block> = {
        let _ = text;
        Vec::new()
    };
    if blocks.is_empty() {
        view! { <p class="aide">"(texte vide)"</p> }.into_any()
    } else {
        blocks_view(blocks)
    }
}

/// The preview of Markdown typed in an editor, as an HTML fragment (see `MarkdownInput`).
#[cfg(feature = "ssr")]
pub fn preview_html(text: &str) -> String {
    let blocks = domain::manual::markdown::parse(text);
    if blocks.is_empty() {
        return String::new();
    }
    // Leptos marks the places hydration would need with `<!>`; this fragment is never hydrated.
    // User text cannot produce the marker: its `<` arrives escaped.
    blocks_view(blocks).to_html().replace("<!>", "")
}

fn blocks_view(blocks: Vec<Block>) -> AnyView {
    blocks.into_iter().map(block_view).collect_view().into_any()
}

fn block_view(block: Block) -> AnyView {
    match block {
        Block::Paragraph(content) => view! { <p>{inlines(content)}</p> }.into_any(),
        // The page's own titles go down to h2: a section's headings come below them.
        Block::Heading { level, content } => match level {
            1 => view! { <h3>{inlines(content)}</h3> }.into_any(),
            2 => view! { <h4>{inlines(content)}</h4> }.into_any(),
            _ => view! { <h5>{inlines(content)}</h5> }.into_any(),
        },
        Block::List {
            ordered,
            start,
            items,
        } => {
            let items = items
                .into_iter()
                .map(|item| view! { <li>{blocks_view(item)}</li> })
                .collect_view();
            if ordered {
                view! { <ol start=start>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
        Block::Quote(content) => view! { <blockquote>{blocks_view(content)}</blockquote> }.into_any(),
        Block::Code { text } => view! { <pre><code>{text}</code></pre> }.into_any(),
        Block::Table { header, rows } => view! {
            <table>
                <thead><tr>{header.into_iter().map(|cell| view! { <th scope="col">{inlines(cell)}</th> }).collect_view()}</tr></thead>
                <tbody>{rows.into_iter().map(|row| view! {
                    <tr>{row.into_iter().map(|cell| view! { <td>{inlines(cell)}</td> }).collect_view()}</tr>
                }).collect_view()}</tbody>
            </table>
        }
        .into_any(),
        Block::Rule => view! { <hr/> }.into_any(),
    }
}

fn inlines(content: Vec<Inline>) -> AnyView {
    content
        .into_iter()
        .map(inline_view)
        .collect_view()
        .into_any()
}

fn inline_view(inline: Inline) -> AnyView {
    match inline {
        Inline::Text(text) => text.into_any(),
        Inline::Strong(content) => view! { <strong>{inlines(content)}</strong> }.into_any(),
        Inline::Emphasis(content) => view! { <em>{inlines(content)}</em> }.into_any(),
        Inline::Strike(content) => view! { <s>{inlines(content)}</s> }.into_any(),
        Inline::Code(text) => view! { <code>{text}</code> }.into_any(),
        // The tree keeps only http, https and mailto targets.
        Inline::Link { text, url } => {
            view! { <a href=url rel="noopener noreferrer">{inlines(text)}</a> }.into_any()
        }
        Inline::LineBreak => view! { <br/> }.into_any(),
    }
}

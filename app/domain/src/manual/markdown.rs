//! The Markdown of a manuel qualité section, turned into a data tree for the PDF.
//!
//! User text must never run as typst code, so the Markdown is not translated into typst markup:
//! [`parse`] reads it into [`Block`]s and [`Inline`]s, the server hands them to typst as JSON, and
//! `manual-templates/markdown.typ` walks the tree and writes every string with typst's content
//! functions, where `#read(..)`, `$x$`, `@ref`, `<label>` or a stray `]` are only characters.
//! Whatever has no place in the tree is shown as the text the user typed: HTML (block or
//! inline), footnote and task-list markers, math. Images are not loaded: their alternative text
//! is followed by their address. Links keep their target only for `http`, `https` and `mailto`;
//! any other target (`#ancre`, `page.html`, `javascript:`, empty) follows the link text in
//! parentheses.
//!
//! Every node is an object whose `t` names its kind in snake_case; its data, when it has any, is
//! in `c`. The template dispatches on `t`:
//!
//! ```text
//! [
//!   {"t": "heading", "c": {"level": 2, "content": [{"t": "text", "c": "Objectifs"}]}},
//!   {"t": "paragraph", "c": [
//!     {"t": "text", "c": "Voir "},
//!     {"t": "strong", "c": [{"t": "text", "c": "la charte"}]},
//!     {"t": "line_break"},
//!     {"t": "link", "c": {"text": [{"t": "text", "c": "le site"}], "url": "https://example.org"}},
//!     {"t": "code", "c": "#read()"}
//!   ]},
//!   {"t": "list", "c": {"ordered": true, "start": 3, "items": [[{"t": "paragraph", "c": [..]}]]}},
//!   {"t": "quote", "c": [..blocks]},
//!   {"t": "code", "c": {"text": "ligne 1\nligne 2"}},
//!   {"t": "table", "c": {"header": [[..inlines], ..], "rows": [[[..inlines], ..], ..]}},
//!   {"t": "rule"}
//! ]
//! ```
//!
//! Inlines are `text`, `strong`, `emphasis`, `strike`, `code`, `link` and `line_break`; adjacent
//! texts are merged. A block `code` carries `{"text": ..}`, an inline `code` the string itself.
//!
//! The tree is bounded, because a hostile section must not exhaust the server's stack (here, when
//! the tree is dropped or serialized, or in typst's recursive walk) nor its memory: see
//! [`MAX_DEPTH`] and [`MAX_NODES`].

use serde::{Deserialize, Serialize};

/// The deepest a node may sit, counting from the section's blocks (depth 1) down to the texts.
/// A block quote, list, emphasis or link that would go deeper loses its own formatting and its
/// content joins its parent, so that `>` typed ten thousand times gives 14 nested quotes and one
/// paragraph. Typst allows 80 nested function calls, and its walk of the tree makes two per level.
pub const MAX_DEPTH: usize = 16;

/// The most nodes (blocks and inlines) read from one section, give or take the few that close
/// the open containers. What follows is dropped and the section ends with [`TRUNCATED`]: ten
/// thousand paragraphs are no longer a manual, and the PDF must stay reasonable to build.
pub const MAX_NODES: usize = 20_000;

/// The longest link target kept as a link (typst refuses more than 8 000 bytes); longer ones
/// are shown as text.
pub const MAX_URL_LEN: usize = 2_000;

/// The last paragraph of a section cut at [`MAX_NODES`].
pub const TRUNCATED: &str = "[texte tronqué]";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", content = "c", rename_all = "snake_case")]
pub enum Block {
    Paragraph(Vec<Inline>),
    /// `level` is 1 to 4: Markdown's levels 5 and 6 read as 4.
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    /// `start` is the first number of an ordered list, 1 for a bulleted one.
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    /// A fenced or indented code block, shown verbatim.
    Code {
        text: String,
    },
    /// Rows have as many cells as the header: GitHub's tables pad short rows and drop the excess
    /// cells of long ones, text included.
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Rule,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", content = "c", rename_all = "snake_case")]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    /// `url` starts with `http://`, `https://` or `mailto:` and is at most [`MAX_URL_LEN`] long.
    Link {
        text: Vec<Inline>,
        url: String,
    },
    LineBreak,
}

/// The words a reader sees, in reading order: runs of characters between white space, as a PDF
/// text extractor gives them. List numbers, bullets, rules and link targets are not words; a
/// word split by formatting (`mot**gras**`) is one word, as on the page.
pub fn plain_words(blocks: &[Block]) -> Vec<String> {
    let mut text = String::new();
    write_blocks(blocks, &mut text);
    text.split_whitespace().map(str::to_string).collect()
}

/// Appends the text of `blocks`, each followed by a space.
fn write_blocks(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph(content) | Block::Heading { content, .. } => {
                write_inlines(content, out)
            }
            Block::List { items, .. } => items.iter().for_each(|item| write_blocks(item, out)),
            Block::Quote(blocks) => write_blocks(blocks, out),
            Block::Code { text } => out.push_str(text),
            Block::Table { header, rows } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    write_inlines(cell, out);
                    out.push(' ');
                }
            }
            Block::Rule => {}
        }
        out.push(' ');
    }
}

fn write_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(text) | Inline::Code(text) => out.push_str(text),
            Inline::Strong(content)
            | Inline::Emphasis(content)
            | Inline::Strike(content)
            | Inline::Link { text: content, .. } => write_inlines(content, out),
            Inline::LineBreak => out.push(' '),
        }
    }
}

#[cfg(feature = "parsers")]
pub use reader::parse;

/// The reading of Markdown, on the server only: the WASM build has no Markdown parser.
#[cfg(feature = "parsers")]
mod reader {
    use super::*;
    use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

    /// CommonMark with GitHub's tables and strikethrough. Footnotes, task lists, math, heading
    /// attributes and the like stay off, so their syntax is shown as typed.
    pub(super) fn options() -> Options {
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
    }

    /// The tree of a section's Markdown. Never fails: anything the tree cannot express is kept
    /// as text, and the limits above bound its depth and size whatever the input.
    pub fn parse(markdown: &str) -> Vec<Block> {
        let mut tree = Tree::default();
        let mut truncated = false;
        for event in Parser::new_ext(markdown, options()) {
            if tree.nodes >= MAX_NODES && !matches!(event, Event::End(_)) {
                truncated = true;
                break;
            }
            tree.event(event);
        }
        tree.finish(truncated)
    }

    /// The tree under construction. pulldown-cmark gives a flat sequence of events; the open
    /// containers are kept on a heap stack, so that no input, however nested, recurses.
    struct Tree {
        root: Frame,
        /// The containers being filled, innermost last.
        open: Vec<Frame>,
        /// One entry per `Start` event whose `End` has not come yet.
        tags: Vec<Opened>,
        /// Nodes created so far, merged texts included: slightly more than the tree holds.
        nodes: usize,
    }

    enum Opened {
        /// The tag is being built in the innermost open frame.
        Frame,
        /// The tag was dropped (too deep, or out of place); its content went to the frame below.
        Flat(Flat),
    }

    /// What a dropped tag leaves when it ends.
    enum Flat {
        /// Nothing: its content simply continues the text around it (emphasis, ...).
        Inline,
        /// A paragraph break, or a space inside text (quote, list item, table cell, ...).
        Block,
        /// This text, the target of a dropped link or image.
        Suffix(String),
    }

    struct Frame {
        /// The depth of the node this frame builds; a list item, table row or cell, which are no
        /// nodes of their own, has the depth of its list or table.
        level: usize,
        body: Body,
    }

    enum Body {
        /// The section itself, a block quote or a list item. `loose` holds inlines met outside
        /// any paragraph (the items of a tight list), wrapped in a paragraph when a block follows.
        Blocks {
            quote: bool,
            blocks: Vec<Block>,
            loose: Vec<Inline>,
        },
        List {
            ordered: bool,
            start: u64,
            items: Vec<Vec<Block>>,
        },
        Table {
            header: Vec<Vec<Inline>>,
            rows: Vec<Vec<Vec<Inline>>>,
        },
        Row {
            head: bool,
            cells: Vec<Vec<Inline>>,
        },
        Inlines {
            span: Span,
            inlines: Vec<Inline>,
        },
        Code {
            text: String,
        },
    }

    /// The containers of inlines.
    enum Span {
        /// A paragraph, or an HTML block shown as one.
        Paragraph,
        Heading(u8),
        Cell,
        Strong,
        Emphasis,
        Strike,
        Link(String),
        Image(String),
    }

    /// What a closed frame hands to the one below it.
    enum Node {
        Block(Block),
        Inlines(Vec<Inline>),
        Item(Vec<Block>),
        Row { head: bool, cells: Vec<Vec<Inline>> },
        Cell(Vec<Inline>),
    }

    impl Default for Tree {
        fn default() -> Self {
            Self {
                root: Frame {
                    level: 0,
                    body: Body::Blocks {
                        quote: false,
                        blocks: Vec::new(),
                        loose: Vec::new(),
                    },
                },
                open: Vec::new(),
                tags: Vec::new(),
                nodes: 0,
            }
        }
    }

    impl Tree {
        fn top(&mut self) -> &mut Frame {
            self.open.last_mut().unwrap_or(&mut self.root)
        }

        fn event(&mut self, event: Event) {
            match event {
                Event::Start(tag) => self.start(tag),
                Event::End(_) => self.end(),
                Event::Text(text) => self.text(&text),
                Event::Code(code) => self.leaf(Inline::Code(code.into_string())),
                // One line of an HTML block, with its line ending.
                Event::Html(html) => {
                    for (i, line) in html.split('\n').enumerate() {
                        if i > 0 {
                            self.leaf(Inline::LineBreak);
                        }
                        self.text(line.strip_suffix('\r').unwrap_or(line));
                    }
                }
                Event::InlineHtml(html) => {
                    self.text(&html.replace("\r\n", " ").replace(['\r', '\n'], " "))
                }
                // The events of extensions left off: never produced, shown as typed if they were.
                Event::InlineMath(math) => self.text(&format!("${math}$")),
                Event::DisplayMath(math) => self.text(&format!("$${math}$$")),
                Event::FootnoteReference(label) => self.text(&format!("[^{label}]")),
                Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
                Event::SoftBreak => self.text(" "),
                Event::HardBreak => self.leaf(Inline::LineBreak),
                Event::Rule => {
                    self.nodes += 1;
                    self.top().take(Node::Block(Block::Rule));
                }
            }
        }

        fn text(&mut self, text: &str) {
            if !text.is_empty() {
                self.leaf(Inline::Text(text.to_string()));
            }
        }

        fn leaf(&mut self, inline: Inline) {
            self.nodes += 1;
            self.top().take(Node::Inlines(vec![inline]));
        }

        fn start(&mut self, tag: Tag) {
            let top = self.top();
            let top_level = top.level;
            let (block_level, inline_level) = match top.body {
                // Loose inlines will sit in a paragraph: one level deeper than blocks.
                Body::Blocks { .. } | Body::List { .. } => (top_level + 1, top_level + 2),
                _ => (top_level + 1, top_level + 1),
            };
            let in_list = matches!(top.body, Body::List { .. });
            let in_table = matches!(top.body, Body::Table { .. });
            let in_row = matches!(top.body, Body::Row { .. });
            let inlines = |span| Body::Inlines {
                span,
                inlines: Vec::new(),
            };
            let row = |head| Body::Row {
                head,
                cells: Vec::new(),
            };
            // (depth of the new node, depth its content needs beyond it, frame, if dropped)
            let (level, reach, body, flat) = match tag {
                Tag::Paragraph | Tag::HtmlBlock => {
                    (block_level, 1, inlines(Span::Paragraph), Flat::Block)
                }
                Tag::Heading { level, .. } => {
                    let heading = Span::Heading((level as u8).min(4));
                    (block_level, 1, inlines(heading), Flat::Block)
                }
                Tag::BlockQuote(_) => {
                    let body = Body::Blocks {
                        quote: true,
                        blocks: Vec::new(),
                        loose: Vec::new(),
                    };
                    (block_level, 2, body, Flat::Block)
                }
                Tag::CodeBlock(_) => {
                    let body = Body::Code {
                        text: String::new(),
                    };
                    (block_level, 1, body, Flat::Block)
                }
                Tag::List(start) => {
                    let body = Body::List {
                        ordered: start.is_some(),
                        start: start.unwrap_or(1),
                        items: Vec::new(),
                    };
                    (block_level, 2, body, Flat::Block)
                }
                Tag::Item if in_list => {
                    let body = Body::Blocks {
                        quote: false,
                        blocks: Vec::new(),
                        loose: Vec::new(),
                    };
                    (top_level, 0, body, Flat::Block)
                }
                Tag::Table(_) => {
                    let body = Body::Table {
                        header: Vec::new(),
                        rows: Vec::new(),
                    };
                    (block_level, 1, body, Flat::Block)
                }
                Tag::TableHead if in_table => (top_level, 0, row(true), Flat::Block),
                Tag::TableRow if in_table => (top_level, 0, row(false), Flat::Block),
                Tag::TableCell if in_row => (top_level, 0, inlines(Span::Cell), Flat::Block),
                Tag::Emphasis => (inline_level, 1, inlines(Span::Emphasis), Flat::Inline),
                Tag::Strong => (inline_level, 1, inlines(Span::Strong), Flat::Inline),
                Tag::Strikethrough => (inline_level, 1, inlines(Span::Strike), Flat::Inline),
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                } => {
                    let url = match link_type {
                        LinkType::Email => format!("mailto:{dest_url}"),
                        _ => dest_url.into_string(),
                    };
                    let flat = Flat::Suffix(target_suffix(&url));
                    (inline_level, 1, inlines(Span::Link(url)), flat)
                }
                Tag::Image { dest_url, .. } => {
                    let url = dest_url.into_string();
                    let flat = Flat::Suffix(target_suffix(&url));
                    (inline_level, 1, inlines(Span::Image(url)), flat)
                }
                // Out of place (an item outside a list, ...), or an extension left off.
                Tag::Item
                | Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition
                | Tag::MetadataBlock(_) => {
                    self.tags.push(Opened::Flat(Flat::Block));
                    return;
                }
                Tag::Superscript | Tag::Subscript => {
                    self.tags.push(Opened::Flat(Flat::Inline));
                    return;
                }
            };
            if level + reach <= MAX_DEPTH {
                self.nodes += 1;
                self.open.push(Frame { level, body });
                self.tags.push(Opened::Frame);
            } else {
                self.tags.push(Opened::Flat(flat));
            }
        }

        fn end(&mut self) {
            match self.tags.pop() {
                Some(Opened::Frame) => self.close(),
                Some(Opened::Flat(Flat::Inline)) | None => {}
                Some(Opened::Flat(Flat::Block)) => self.top().separate(),
                Some(Opened::Flat(Flat::Suffix(suffix))) => self.text(&suffix),
            }
        }

        fn close(&mut self) {
            if let Some(frame) = self.open.pop() {
                let node = frame.into_node();
                self.top().take(node);
            }
        }

        fn finish(mut self, truncated: bool) -> Vec<Block> {
            while !self.open.is_empty() {
                self.close();
            }
            let mut blocks = self.root.into_node().into_blocks();
            if truncated {
                blocks.push(Block::Paragraph(vec![Inline::Text(TRUNCATED.to_string())]));
            }
            blocks
        }
    }

    impl Frame {
        /// Adds `node` to this frame. Content out of place (which pulldown-cmark does not produce
        /// but a dropped tag might bring) is adapted, never lost.
        fn take(&mut self, node: Node) {
            match &mut self.body {
                Body::Blocks { blocks, loose, .. } => match node {
                    Node::Inlines(inlines) | Node::Cell(inlines) => extend(loose, inlines),
                    node => {
                        flush(blocks, loose);
                        blocks.extend(node.into_blocks());
                    }
                },
                Body::List { items, .. } => items.push(node.into_blocks()),
                Body::Table { header, rows } => match node {
                    Node::Row { head: true, cells } if header.is_empty() => *header = cells,
                    Node::Row { cells, .. } => rows.push(cells),
                    node => rows.push(vec![node.into_inlines()]),
                },
                Body::Row { cells, .. } => cells.push(node.into_inlines()),
                Body::Inlines { inlines, .. } => extend(inlines, node.into_inlines()),
                Body::Code { text } => text.push_str(&node.into_text()),
            }
        }

        /// Marks the end of a dropped block, so that its text does not run into what follows.
        fn separate(&mut self) {
            match &mut self.body {
                Body::Blocks { blocks, loose, .. } => flush(blocks, loose),
                Body::List { .. } | Body::Table { .. } => {}
                _ => self.take(Node::Inlines(vec![Inline::Text(" ".to_string())])),
            }
        }

        fn into_node(self) -> Node {
            match self.body {
                Body::Blocks {
                    quote,
                    mut blocks,
                    mut loose,
                } => {
                    flush(&mut blocks, &mut loose);
                    if quote {
                        Node::Block(Block::Quote(blocks))
                    } else {
                        Node::Item(blocks)
                    }
                }
                Body::List {
                    ordered,
                    start,
                    items,
                } => Node::Block(Block::List {
                    ordered,
                    start,
                    items,
                }),
                Body::Table { header, rows } => Node::Block(Block::Table { header, rows }),
                Body::Row { head, cells } => Node::Row { head, cells },
                Body::Code { mut text } => {
                    text.truncate(text.trim_end_matches(['\r', '\n']).len());
                    Node::Block(Block::Code { text })
                }
                Body::Inlines { span, mut inlines } => match span {
                    Span::Paragraph => {
                        // The line ending of an HTML block's last line.
                        while inlines.last() == Some(&Inline::LineBreak) {
                            inlines.pop();
                        }
                        Node::Block(Block::Paragraph(inlines))
                    }
                    Span::Heading(level) => Node::Block(Block::Heading {
                        level,
                        content: inlines,
                    }),
                    Span::Cell => Node::Cell(inlines),
                    Span::Strong => Node::Inlines(vec![Inline::Strong(inlines)]),
                    Span::Emphasis => Node::Inlines(vec![Inline::Emphasis(inlines)]),
                    Span::Strike => Node::Inlines(vec![Inline::Strike(inlines)]),
                    Span::Link(url) => Node::Inlines(link(inlines, url)),
                    Span::Image(url) => {
                        let mut text = String::new();
                        write_inlines(&inlines, &mut text);
                        text.push_str(&target_suffix(&url));
                        Node::Inlines(vec![Inline::Text(text)])
                    }
                },
            }
        }
    }

    impl Node {
        fn into_text(self) -> String {
            let mut text = String::new();
            match self {
                Node::Block(block) => write_blocks(&[block], &mut text),
                Node::Item(blocks) => write_blocks(&blocks, &mut text),
                Node::Inlines(inlines) | Node::Cell(inlines) => write_inlines(&inlines, &mut text),
                Node::Row { cells, .. } => {
                    for cell in cells {
                        write_inlines(&cell, &mut text);
                        text.push(' ');
                    }
                }
            }
            text
        }

        fn into_inlines(self) -> Vec<Inline> {
            match self {
                Node::Inlines(inlines) | Node::Cell(inlines) => inlines,
                node => vec![Inline::Text(node.into_text())],
            }
        }

        fn into_blocks(self) -> Vec<Block> {
            match self {
                Node::Block(block) => vec![block],
                Node::Item(blocks) => blocks,
                node => vec![Block::Paragraph(node.into_inlines())],
            }
        }
    }

    /// A link to a web page or an address; any other target is shown after the text.
    fn link(mut text: Vec<Inline>, url: String) -> Vec<Inline> {
        let web = url.len() <= MAX_URL_LEN
            && ["http://", "https://", "mailto:"].iter().any(|scheme| {
                url.get(..scheme.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
            });
        if web {
            if text.is_empty() {
                text.push(Inline::Text(url.clone()));
            }
            return vec![Inline::Link { text, url }];
        }
        let mut shown = String::new();
        write_inlines(&text, &mut shown);
        // An autolink's text is its target already.
        if shown != url {
            extend(&mut text, vec![Inline::Text(target_suffix(&url))]);
        }
        text
    }

    /// ` (target)`, or nothing for an empty target.
    fn target_suffix(url: &str) -> String {
        if url.is_empty() {
            String::new()
        } else {
            format!(" ({url})")
        }
    }

    /// Appends `more`, merging adjacent texts and dropping empty ones.
    fn extend(inlines: &mut Vec<Inline>, more: Vec<Inline>) {
        for inline in more {
            match (inlines.last_mut(), inline) {
                (_, Inline::Text(text)) if text.is_empty() => {}
                (Some(Inline::Text(last)), Inline::Text(text)) => last.push_str(&text),
                (_, inline) => inlines.push(inline),
            }
        }
    }

    /// Wraps the loose inlines in a paragraph, if there are any.
    fn flush(blocks: &mut Vec<Block>, loose: &mut Vec<Inline>) {
        if !loose.is_empty() {
            blocks.push(Block::Paragraph(std::mem::take(loose)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    fn paragraph(s: &str) -> Block {
        Block::Paragraph(vec![text(s)])
    }

    #[test]
    fn plain_words_follow_the_reading_order() {
        let blocks = vec![
            Block::Heading {
                level: 1,
                content: vec![text("Le titre")],
            },
            Block::Paragraph(vec![
                text("un "),
                Inline::Strong(vec![text("gros")]),
                text("mot"),
                Inline::LineBreak,
                Inline::Link {
                    text: vec![text("lien")],
                    url: "https://example.org/cible".to_string(),
                },
                Inline::Code("x=1".to_string()),
            ]),
            Block::List {
                ordered: true,
                start: 1,
                items: vec![vec![paragraph("un")], vec![paragraph("deux")]],
            },
            Block::Rule,
            Block::Table {
                header: vec![vec![text("A")], vec![text("B")]],
                rows: vec![vec![vec![text("1")], vec![]]],
            },
            Block::Quote(vec![Block::Code {
                text: "a\nb".to_string(),
            }]),
        ];
        assert_eq!(
            plain_words(&blocks),
            ["Le", "titre", "un", "grosmot", "lienx=1", "un", "deux", "A", "B", "1", "a", "b"]
        );
    }

    #[test]
    fn the_json_is_tagged_by_t_with_data_in_c() {
        let blocks = vec![
            Block::Heading {
                level: 2,
                content: vec![text("Objectifs")],
            },
            Block::Paragraph(vec![
                Inline::Emphasis(vec![text("#read()")]),
                Inline::LineBreak,
                Inline::Code("$x$".to_string()),
            ]),
            Block::Code {
                text: "[".to_string(),
            },
            Block::Rule,
        ];
        let json = serde_json::to_value(&blocks).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"t": "heading", "c": {"level": 2, "content": [{"t": "text", "c": "Objectifs"}]}},
                {"t": "paragraph", "c": [
                    {"t": "emphasis", "c": [{"t": "text", "c": "#read()"}]},
                    {"t": "line_break"},
                    {"t": "code", "c": "$x$"}
                ]},
                {"t": "code", "c": {"text": "["}},
                {"t": "rule"}
            ])
        );
        assert_eq!(serde_json::from_value::<Vec<Block>>(json).unwrap(), blocks);
    }

    #[cfg(feature = "parsers")]
    mod parsing {
        use super::super::reader::options;
        use super::*;
        use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

        /// The depth of the deepest node, the blocks of the section being at depth 1.
        fn depth(blocks: &[Block]) -> usize {
            let inlines = |content: &[Inline]| content.iter().map(inline_depth).max().unwrap_or(0);
            let below = |block: &Block| match block {
                Block::Paragraph(content) | Block::Heading { content, .. } => inlines(content),
                Block::List { items, .. } => {
                    items.iter().map(|item| depth(item)).max().unwrap_or(0)
                }
                Block::Quote(blocks) => depth(blocks),
                Block::Table { header, rows } => header
                    .iter()
                    .chain(rows.iter().flatten())
                    .map(|cell| inlines(cell))
                    .max()
                    .unwrap_or(0),
                Block::Code { .. } | Block::Rule => 0,
            };
            blocks
                .iter()
                .map(|block| 1 + below(block))
                .max()
                .unwrap_or(0)
        }

        fn inline_depth(inline: &Inline) -> usize {
            match inline {
                Inline::Strong(content)
                | Inline::Emphasis(content)
                | Inline::Strike(content)
                | Inline::Link { text: content, .. } => {
                    1 + content.iter().map(inline_depth).max().unwrap_or(0)
                }
                Inline::Text(_) | Inline::Code(_) | Inline::LineBreak => 1,
            }
        }

        #[test]
        fn inline_formatting_and_breaks() {
            let blocks =
                parse("Du **gras**, de l'*italique*, du ~~barré~~ et du `code`.\nSuite  \nAprès");
            assert_eq!(
                blocks,
                [Block::Paragraph(vec![
                    text("Du "),
                    Inline::Strong(vec![text("gras")]),
                    text(", de l'"),
                    Inline::Emphasis(vec![text("italique")]),
                    text(", du "),
                    Inline::Strike(vec![text("barré")]),
                    text(" et du "),
                    Inline::Code("code".to_string()),
                    text(". Suite"),
                    Inline::LineBreak,
                    text("Après"),
                ])]
            );
        }

        #[test]
        fn headings_go_from_1_to_4() {
            let heading = |level, s: &str| Block::Heading {
                level,
                content: vec![text(s)],
            };
            assert_eq!(
                parse("# Un\n## Deux\n##### Cinq\n###### Six\nSoulignée\n---------"),
                [
                    heading(1, "Un"),
                    heading(2, "Deux"),
                    heading(4, "Cinq"),
                    heading(4, "Six"),
                    heading(2, "Soulignée"),
                ]
            );
        }

        #[test]
        fn lists_tight_loose_nested_and_numbered() {
            let numbered = Block::List {
                ordered: true,
                start: 1,
                items: vec![vec![paragraph("x")], vec![paragraph("y")]],
            };
            assert_eq!(
                parse("- a\n- b\n  1. x\n  2. y"),
                [Block::List {
                    ordered: false,
                    start: 1,
                    items: vec![vec![paragraph("a")], vec![paragraph("b"), numbered]],
                }]
            );
            assert_eq!(
                parse("3) trois\n\n   suite\n4) quatre"),
                [Block::List {
                    ordered: true,
                    start: 3,
                    items: vec![
                        vec![paragraph("trois"), paragraph("suite")],
                        vec![paragraph("quatre")]
                    ],
                }]
            );
        }

        #[test]
        fn quotes_code_blocks_and_rules() {
            assert_eq!(
                parse("> cité\n> > encore\n\n```rust\nfn x() {}\n#read(\"/\")\n```\n\n    indenté\n\n***"),
                [
                    Block::Quote(vec![paragraph("cité"), Block::Quote(vec![paragraph("encore")])]),
                    Block::Code {
                        text: "fn x() {}\n#read(\"/\")".to_string()
                    },
                    Block::Code {
                        text: "indenté".to_string()
                    },
                    Block::Rule,
                ]
            );
        }

        #[test]
        fn tables_have_as_many_cells_per_row_as_the_header() {
            assert_eq!(
                parse("| A | B |\n|---|:-:|\n| 1 | **2** |\n| 3 |\n| 4 | 5 | 6 |"),
                [Block::Table {
                    header: vec![vec![text("A")], vec![text("B")]],
                    rows: vec![
                        vec![vec![text("1")], vec![Inline::Strong(vec![text("2")])]],
                        vec![vec![text("3")], vec![]],
                        vec![vec![text("4")], vec![text("5")]],
                    ],
                }]
            );
        }

        #[test]
        fn only_web_and_mail_targets_are_links() {
            let link = |s: &str, url: &str| Inline::Link {
                text: vec![text(s)],
                url: url.to_string(),
            };
            assert_eq!(
                parse(
                    "[site](https://example.org) [ancre](#haut) [vide]() <https://a.fr> \
                     <moi@x.fr> [js](javascript:alert(1)) <ftp://f.fr> ![logo **gras**](logo.png)"
                ),
                [Block::Paragraph(vec![
                    link("site", "https://example.org"),
                    text(" ancre (#haut) vide "),
                    link("https://a.fr", "https://a.fr"),
                    text(" "),
                    link("moi@x.fr", "mailto:moi@x.fr"),
                    text(" js (javascript:alert(1)) ftp://f.fr logo gras (logo.png)"),
                ])]
            );
            let long = format!("https://a.fr/{}", "a".repeat(MAX_URL_LEN));
            assert_eq!(
                parse(&format!("[x]({long})")),
                [paragraph(&format!("x ({long})"))]
            );
        }

        #[test]
        fn html_is_shown_as_typed() {
            assert_eq!(
                parse(
                    "<script>alert(1)</script>\n\nDu <b>gras</b> ici.\n\n<div>\n*pas* lu\n</div>"
                ),
                [
                    paragraph("<script>alert(1)</script>"),
                    paragraph("Du <b>gras</b> ici."),
                    Block::Paragraph(vec![
                        text("<div>"),
                        Inline::LineBreak,
                        text("*pas* lu"),
                        Inline::LineBreak,
                        text("</div>"),
                    ]),
                ]
            );
            assert_eq!(
                parse("<div>\r\n<b\r\nclass=\"x\">\r\n</div>\r\n\r\n```\r\nc\r\n```\r\n"),
                [
                    Block::Paragraph(vec![
                        text("<div>"),
                        Inline::LineBreak,
                        text("<b"),
                        Inline::LineBreak,
                        text("class=\"x\">"),
                        Inline::LineBreak,
                        text("</div>"),
                    ]),
                    Block::Code {
                        text: "c".to_string()
                    },
                ]
            );
            assert_eq!(parse("a <b\r\nc> d"), [paragraph("a <b c> d")]);
        }

        /// Typst's markup, and Markdown syntax that is switched off, come back as text; the only
        /// changes are Markdown's own (backslash escapes, entities).
        #[test]
        fn hostile_text_stays_text() {
            let cases = [
                (r#"#read("/etc/passwd")"#, r#"#read("/etc/passwd")"#),
                (r#"#include "x.typ""#, r#"#include "x.typ""#),
                (
                    r#"#import "@preview/x:0.1.0": *"#,
                    r#"#import "@preview/x:0.1.0": *"#,
                ),
                (
                    "#set page(paper: \"a0\") #{ panic() }",
                    "#set page(paper: \"a0\") #{ panic() }",
                ),
                ("$x^2$ et $$y$$", "$x^2$ et $$y$$"),
                ("@ref <label> x", "@ref <label> x"),
                (r"\\ \ ] [ { } {{ }}", r"\ \ ] [ { } {{ }}"),
                (
                    "un * seul, un _ seul, un ` seul",
                    "un * seul, un _ seul, un ` seul",
                ),
                (
                    "= Titre typst /* c */ // fin",
                    "= Titre typst /* c */ // fin",
                ),
                ("x <script>alert(1)</script>", "x <script>alert(1)</script>"),
                ("&lt;script&gt; &#35;read &amp;", "<script> #read &"),
                ("note[^1] et [ ] case", "note[^1] et [ ] case"),
                ("#x # y", "#x # y"),
            ];
            for (markdown, shown) in cases {
                assert_eq!(parse(markdown), [paragraph(shown)], "{markdown}");
            }
            assert_eq!(
                parse("a `#eval(\"1\") ]` b"),
                [Block::Paragraph(vec![
                    text("a "),
                    Inline::Code("#eval(\"1\") ]".to_string()),
                    text(" b"),
                ])]
            );
        }

        /// Each input is read on a thread with a small stack, then dropped and serialized there:
        /// none of these steps may recurse once per level of the input.
        #[test]
        fn deep_nesting_is_flattened() {
            let n = 10_000;
            let inputs = [
                format!("{} fond", ">".repeat(n)),
                format!("{}fond", "- ".repeat(n)),
                format!("{}fond", "> 1. * ".repeat(n / 3)),
                format!("{}fond{}", "*".repeat(n), "*".repeat(n)),
                format!("{}fond{}", "_a ".repeat(n), " b_".repeat(n)),
                format!("{}fond{}", "![".repeat(n), "](u)".repeat(n)),
                format!(
                    "{}fond{}",
                    "[**~~".repeat(n / 3),
                    "~~**](https://a.fr)".repeat(n / 3)
                ),
            ];
            for input in inputs {
                std::thread::Builder::new()
                    .stack_size(256 * 1024)
                    .spawn(move || {
                        let blocks = parse(&input);
                        let d = depth(&blocks);
                        assert!(d <= MAX_DEPTH, "depth {d}: {}", &input[..20]);
                        assert!(plain_words(&blocks).iter().any(|w| w.contains("fond")));
                        let json = serde_json::to_string(&blocks).unwrap();
                        assert_eq!(serde_json::from_str::<Vec<Block>>(&json).unwrap(), blocks);
                    })
                    .unwrap()
                    .join()
                    .unwrap();
            }
            // The flattening keeps as much structure as the cap allows.
            assert_eq!(depth(&parse(&format!("{} fond", ">".repeat(n)))), MAX_DEPTH);
        }

        #[test]
        fn long_sections_are_truncated() {
            let truncated = Block::Paragraph(vec![text(TRUNCATED)]);
            for input in ["mot\n\n".repeat(MAX_NODES), "*a* ".repeat(MAX_NODES)] {
                let blocks = parse(&input);
                assert_eq!(blocks.last(), Some(&truncated));
                let words = plain_words(&blocks).len();
                assert!(words > MAX_NODES / 4 && words < MAX_NODES, "{words} words");
            }
            let fits = "mot\n\n".repeat(MAX_NODES / 4);
            assert!(!parse(&fits).contains(&truncated));
        }

        /// xorshift64: a fixed sequence, so that a failure can be replayed.
        struct Rng(u64);

        impl Rng {
            fn below(&mut self, n: usize) -> usize {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                (self.0 % n as u64) as usize
            }
        }

        /// Markdown and typst syntax, and some text, that random inputs are made of.
        const PIECES: &[&str] = &[
            " ",
            " ",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\t",
            "\r\n",
            "#",
            "=",
            "$",
            "$x^2$",
            "@ref",
            "#read(\"/etc/passwd\")",
            "#include \"x\"",
            "#import",
            "<label>",
            "\\",
            "[",
            "]",
            "(",
            ")",
            "{",
            "}",
            "{{",
            "*",
            "**",
            "_",
            "__",
            "~",
            "~~",
            "`",
            "``",
            "<",
            ">",
            "!",
            "![",
            "](",
            "]: ",
            "|",
            ":",
            "\"",
            "'",
            "/",
            "-",
            "&amp;",
            "&#35;",
            "&copy;",
            "&",
            ";",
            "http://",
            "https://a.fr/",
            "mailto:",
            "<!--",
            "-->",
            "<script>",
            "</script>",
            "<div>",
            "[^1]",
            "[ ] ",
            "^",
            "é",
            "«",
            "\u{0}",
            "](https://a.fr/",
            "](https://a.fr/) ",
            "<https://a.fr/",
            "\"titre\")",
            // Block syntax at the start of a line, so that blocks are frequent.
            "\n> ",
            "\n> > ",
            "\n- ",
            "\n  - ",
            "\n    - ",
            "\n1. ",
            "\n2) ",
            "\n# ",
            "\n### ",
            "\n```\n",
            "\n~~~\n",
            "\n    ",
            "\n---\n",
            "\n===\n",
            "\n| ",
            " | ",
            "\n|---|---|\n",
            "\n|:-|\n",
            "\n[",
            "\n<div>\n",
        ];

        /// Text of `input` that Markdown itself does not show: link and image targets and
        /// titles, code fence info strings, link reference definitions (label, target, title),
        /// and the cells beyond the header's count in a table row, which GitHub's tables drop.
        /// Returned as the strings that hold it, and as byte ranges of `input`.
        fn unshown(input: &str) -> (Vec<String>, Vec<std::ops::Range<usize>>) {
            let parser = Parser::new_ext(input, options());
            let mut strings = Vec::new();
            let mut ranges: Vec<_> = parser
                .reference_definitions()
                .iter()
                .map(|(_, definition)| definition.span.clone())
                .collect();
            let mut row: Option<(usize, usize)> = None;
            for (event, range) in parser.into_offset_iter() {
                match event {
                    Event::Start(Tag::Link {
                        dest_url, title, ..
                    })
                    | Event::Start(Tag::Image {
                        dest_url, title, ..
                    }) => strings.extend([dest_url.to_string(), title.to_string()]),
                    Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                        strings.push(info.to_string())
                    }
                    Event::Start(Tag::TableHead | Tag::TableRow) => {
                        row = Some((range.start, range.end))
                    }
                    Event::Start(Tag::TableCell) => {
                        row = row.map(|(start, end)| (start.max(range.end), end))
                    }
                    Event::End(
                        pulldown_cmark::TagEnd::TableHead | pulldown_cmark::TagEnd::TableRow,
                    ) => ranges.extend(row.take().map(|(start, end)| start..end)),
                    _ => {}
                }
            }
            (strings, ranges)
        }

        /// Random inputs never make `parse` panic, give a bounded tree that survives JSON, and
        /// lose no word of the input that Markdown shows. The words are unique (`mot17x`), so
        /// finding one in the output proves it came through; a word may be glued to its
        /// neighbours once the syntax between them is gone, so it is looked for as a substring.
        #[test]
        fn random_inputs_keep_their_words() {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
            let mut next_word = 0;
            for _ in 0..5_000 {
                let mut input = String::new();
                let mut words = Vec::new();
                for _ in 0..rng.below(80) {
                    if rng.below(3) == 0 {
                        let word = format!("mot{next_word}x");
                        next_word += 1;
                        words.push((input.len(), word.clone()));
                        input.push_str(&word);
                    } else {
                        input.push_str(PIECES[rng.below(PIECES.len())]);
                    }
                }
                let blocks = parse(&input);
                assert!(depth(&blocks) <= MAX_DEPTH, "{input:?}");
                let json = serde_json::to_string(&blocks).unwrap();
                assert_eq!(serde_json::from_str::<Vec<Block>>(&json).unwrap(), blocks);
                let shown = plain_words(&blocks).join(" ");
                let (strings, ranges) = unshown(&input);
                for (at, word) in words {
                    let hidden = strings.iter().any(|s| s.contains(&word))
                        || ranges.iter().any(|r| r.contains(&at));
                    assert!(
                        hidden || shown.contains(&word),
                        "{word} lost from {input:?}: {blocks:?}"
                    );
                }
            }
        }
    }
}

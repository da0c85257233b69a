//! Where each post of an organigramme is drawn: boxes and connecting lines in points, computed
//! once here so that the page's SVG and the PDF's drawing are the same picture.
//!
//! A post whose posts have none of their own stacks them in a column below it, slightly
//! indented; other posts spread theirs side by side. A 15-post SIAE chart then stays about as
//! wide as its number of teams rather than its number of posts, and fits a page.

use super::chart::{ChartNode, OrgChart};
use serde::{Deserialize, Serialize};

pub const BOX_WIDTH: i32 = 132;
const PADDING: i32 = 6;
pub const LINE_HEIGHT: i32 = 11;
/// Characters per line of a box, at the 8-point size both drawings use.
const LINE_CHARS: usize = 24;
const POST_LINES: usize = 3;
const HOLDER_LINES: usize = 2;
const GAP_X: i32 = 16;
const GAP_Y: i32 = 28;
const STACK_GAP: i32 = 10;
const STACK_INDENT: i32 = 18;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartLayout {
    pub width: i32,
    pub height: i32,
    pub boxes: Vec<PlacedPost>,
    pub links: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedPost {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
    pub post_lines: Vec<String>,
    pub holder_lines: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
}

/// `text` cut into lines of at most [`LINE_CHARS`] characters, at most `max` of them (the last
/// one ends with « … » when text was left out).
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > LINE_CHARS {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..LINE_CHARS).collect());
        }
        let word: String = word.into_iter().collect();
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > LINE_CHARS && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            let kept: String = last.chars().take(LINE_CHARS - 1).collect();
            *last = format!("{kept}…");
        }
    }
    lines
}

/// A subtree drawn from its own top-left corner.
struct Drawn {
    width: i32,
    height: i32,
    /// The horizontal middle of its root's box.
    root_middle: i32,
    boxes: Vec<PlacedPost>,
    links: Vec<Segment>,
}

impl Drawn {
    fn shifted(mut self, dx: i32, dy: i32) -> Self {
        for b in &mut self.boxes {
            b.x += dx;
            b.y += dy;
        }
        for s in &mut self.links {
            *s = Segment {
                x1: s.x1 + dx,
                y1: s.y1 + dy,
                x2: s.x2 + dx,
                y2: s.y2 + dy,
            };
        }
        self.root_middle += dx;
        self
    }
}

fn post_box(node: &ChartNode, x: i32, y: i32) -> PlacedPost {
    let post_lines = wrap(&node.post, POST_LINES);
    let holder_lines = wrap(&node.holder, HOLDER_LINES);
    let lines = (post_lines.len() + holder_lines.len()).max(1) as i32;
    PlacedPost {
        x,
        y,
        width: BOX_WIDTH,
        height: 2 * PADDING + lines * LINE_HEIGHT,
        post_lines,
        holder_lines,
    }
}

fn segment(x1: i32, y1: i32, x2: i32, y2: i32) -> Segment {
    Segment { x1, y1, x2, y2 }
}

fn draw(chart: &OrgChart, node: &ChartNode, depth: usize) -> Drawn {
    let root = post_box(node, 0, 0);
    let top = root.height;
    let children: Vec<&ChartNode> = chart.children(Some(node.id)).collect();
    // A chart deeper than this is drawn flat below it: no tree of SIAE posts gets there, and the
    // recursion stays bounded whatever a form sent.
    let leaves_only = depth > 40
        || children
            .iter()
            .all(|c| chart.children(Some(c.id)).next().is_none());
    if children.is_empty() {
        return Drawn {
            width: BOX_WIDTH,
            height: top,
            root_middle: BOX_WIDTH / 2,
            boxes: vec![root],
            links: Vec::new(),
        };
    }
    if leaves_only {
        let spine = STACK_INDENT / 2;
        let mut boxes = vec![root];
        let mut links = Vec::new();
        let mut y = top + STACK_GAP;
        let mut last_middle = y;
        for child in children {
            let placed = post_box(child, STACK_INDENT, y);
            last_middle = y + placed.height / 2;
            links.push(segment(spine, last_middle, STACK_INDENT, last_middle));
            y += placed.height + STACK_GAP;
            boxes.push(placed);
        }
        links.push(segment(spine, top, spine, last_middle));
        return Drawn {
            width: STACK_INDENT + BOX_WIDTH,
            height: y - STACK_GAP,
            root_middle: BOX_WIDTH / 2,
            boxes,
            links,
        };
    }
    let drawn: Vec<Drawn> = children.iter().map(|c| draw(chart, c, depth + 1)).collect();
    let row_width: i32 =
        drawn.iter().map(|d| d.width).sum::<i32>() + GAP_X * (drawn.len() as i32 - 1);
    let width = row_width.max(BOX_WIDTH);
    let row_y = top + GAP_Y;
    let bar_y = top + GAP_Y / 2;
    let mut x = (width - row_width) / 2;
    let mut boxes = Vec::new();
    let mut links = Vec::new();
    let mut middles = Vec::new();
    let mut height = top;
    for child in drawn {
        let child = child.shifted(x, row_y);
        x += child.width + GAP_X;
        middles.push(child.root_middle);
        links.push(segment(child.root_middle, bar_y, child.root_middle, row_y));
        height = height.max(row_y + child.height);
        boxes.extend(child.boxes);
        links.extend(child.links);
    }
    let root_x = (middles[0] + middles[middles.len() - 1]) / 2 - BOX_WIDTH / 2;
    let root_x = root_x.clamp(0, width - BOX_WIDTH);
    let root_middle = root_x + BOX_WIDTH / 2;
    links.push(segment(root_middle, top, root_middle, bar_y));
    links.push(segment(
        middles[0].min(root_middle),
        bar_y,
        middles[middles.len() - 1].max(root_middle),
        bar_y,
    ));
    boxes.insert(0, PlacedPost { x: root_x, ..root });
    Drawn {
        width,
        height,
        root_middle,
        boxes,
        links,
    }
}

/// The drawing of a chart; its roots side by side.
pub fn layout(chart: &OrgChart) -> ChartLayout {
    let mut out = ChartLayout::default();
    let mut x = 0;
    for root in chart.children(None) {
        let drawn = draw(chart, root, 0).shifted(x, 0);
        x += drawn.width + GAP_X;
        out.height = out.height.max(drawn.height);
        out.boxes.extend(drawn.boxes);
        out.links.extend(drawn.links);
    }
    out.width = (x - GAP_X).max(0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: u32, post: &str, parent: Option<u32>) -> ChartNode {
        ChartNode {
            id,
            post: post.into(),
            holder: String::new(),
            parent,
        }
    }

    #[test]
    fn long_labels_wrap_and_are_cut_with_an_ellipsis() {
        assert_eq!(
            wrap("Encadrant technique d'insertion", 3),
            vec!["Encadrant technique", "d'insertion"]
        );
        assert_eq!(wrap("", 3), Vec::<String>::new());
        let long = wrap(&"mot ".repeat(40), 2);
        assert_eq!(long.len(), 2);
        assert!(long[1].ends_with('…'));
        assert_eq!(
            wrap(&"x".repeat(30), 3),
            vec!["x".repeat(24), "x".repeat(6)]
        );
    }

    #[test]
    fn a_post_with_posts_of_its_own_spreads_them_and_leaves_stack() {
        // Direction → Encadrement (two posts below it) and Accompagnement (one).
        let chart = OrgChart {
            nodes: vec![
                node(1, "Direction", None),
                node(2, "Encadrement", Some(1)),
                node(3, "Accompagnement", Some(1)),
                node(4, "Chef d'équipe", Some(2)),
                node(5, "Encadrant", Some(2)),
                node(6, "Conseillère", Some(3)),
            ],
        };
        let drawn = layout(&chart);
        let one_line = 2 * PADDING + LINE_HEIGHT; // 23
        assert_eq!(drawn.boxes.len(), 6);
        // Two columns of width 18 + 132 = 150, 16 apart.
        assert_eq!(drawn.width, 316);
        let at = |post: &str| {
            let b = drawn
                .boxes
                .iter()
                .find(|b| b.post_lines == vec![post.to_string()])
                .unwrap();
            (b.x, b.y)
        };
        assert_eq!(at("Encadrement"), (0, one_line + GAP_Y));
        assert_eq!(at("Accompagnement"), (166, 51));
        assert_eq!(at("Chef d'équipe"), (18, 51 + 23 + 10));
        assert_eq!(at("Encadrant"), (18, 84 + 23 + 10));
        // The direction is centred above the middles of its two columns (66 and 232).
        assert_eq!(at("Direction"), (149 - 66, 0));
        assert_eq!(drawn.height, 117 + 23);
        // No box overlaps another.
        for (i, a) in drawn.boxes.iter().enumerate() {
            for b in &drawn.boxes[i + 1..] {
                let apart = a.x + a.width <= b.x
                    || b.x + b.width <= a.x
                    || a.y + a.height <= b.y
                    || b.y + b.height <= a.y;
                assert!(apart, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn an_empty_chart_has_no_drawing() {
        assert_eq!(layout(&OrgChart::default()), ChartLayout::default());
    }
}

//! A word-level comparison of two versions of a section, for a reader: what was removed, what
//! was added, what stayed. Words keep the spaces and line breaks that follow them, so that the
//! pieces put together give back each text exactly.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffPiece {
    Same(String),
    Removed(String),
    Added(String),
}

/// Beyond this many differing words on each side (after the common start and end are set
/// aside), the middle is shown as removed then added, rather than compared word by word: the
/// comparison costs the product of the two counts.
pub const MAX_COMPARED_WORDS: usize = 3000;

/// Splits a text into words, each with the whitespace that follows it.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            in_space = true;
        } else if in_space {
            out.push(&text[start..i]);
            start = i;
            in_space = false;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The pieces that turn `before` into `after`, neighbours of one kind merged.
pub fn word_diff(before: &str, after: &str) -> Vec<DiffPiece> {
    let a = words(before);
    let b = words(after);
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (middle_a, middle_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut pieces = Vec::new();
    push_all(&mut pieces, &a[..prefix], DiffPiece::Same);
    if middle_a.len() > MAX_COMPARED_WORDS || middle_b.len() > MAX_COMPARED_WORDS {
        push_all(&mut pieces, middle_a, DiffPiece::Removed);
        push_all(&mut pieces, middle_b, DiffPiece::Added);
    } else {
        compare(&mut pieces, middle_a, middle_b);
    }
    push_all(&mut pieces, &a[a.len() - suffix..], DiffPiece::Same);
    pieces
}

/// The longest common subsequence of words, walked back into pieces.
fn compare(pieces: &mut Vec<DiffPiece>, a: &[&str], b: &[&str]) {
    let width = b.len() + 1;
    // lcs[i * width + j]: the common length of a[i..] and b[j..].
    let mut lcs = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            push(pieces, DiffPiece::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if i < a.len()
            && (j == b.len() || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
        {
            // Removed words come before the added ones that replace them.
            push(pieces, DiffPiece::Removed(a[i].to_string()));
            i += 1;
        } else {
            push(pieces, DiffPiece::Added(b[j].to_string()));
            j += 1;
        }
    }
}

fn push_all(pieces: &mut Vec<DiffPiece>, words: &[&str], kind: fn(String) -> DiffPiece) {
    for word in words {
        push(pieces, kind(word.to_string()));
    }
}

/// Appends a piece, merged with the last one when they are of the same kind.
fn push(pieces: &mut Vec<DiffPiece>, piece: DiffPiece) {
    use DiffPiece::*;
    match (pieces.last_mut(), piece) {
        (Some(Same(last)), Same(text))
        | (Some(Removed(last)), Removed(text))
        | (Some(Added(last)), Added(text)) => last.push_str(&text),
        (_, piece) => pieces.push(piece),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DiffPiece::*;

    fn rebuild(pieces: &[DiffPiece], side: bool) -> String {
        pieces
            .iter()
            .filter_map(|p| match p {
                Same(t) => Some(t.as_str()),
                Removed(t) if side => Some(t.as_str()),
                Added(t) if !side => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn shows_the_words_that_changed() {
        let pieces = word_diff(
            "La réunion a lieu chaque mois avec l'équipe.",
            "La réunion a lieu chaque semaine avec toute l'équipe.",
        );
        assert_eq!(
            pieces,
            vec![
                Same("La réunion a lieu chaque ".into()),
                Removed("mois ".into()),
                Added("semaine ".into()),
                Same("avec ".into()),
                Added("toute ".into()),
                Same("l'équipe.".into()),
            ]
        );
    }

    #[test]
    fn the_pieces_give_back_both_texts() {
        let cases = [
            ("", ""),
            ("", "Un texte neuf"),
            ("Un texte retiré", ""),
            ("a b c d e", "a x c y e z"),
            (
                "ligne 1\nligne 2\n\nligne 3",
                "ligne 1\nligne 2 modifiée\n\nligne 3\n",
            ),
            ("  espaces  en tête", "espaces en tête  "),
        ];
        for (before, after) in cases {
            let pieces = word_diff(before, after);
            assert_eq!(rebuild(&pieces, true), before, "{pieces:?}");
            assert_eq!(rebuild(&pieces, false), after, "{pieces:?}");
        }
    }

    #[test]
    fn long_rewrites_are_shown_whole_rather_than_compared_slowly() {
        let before: String = (0..MAX_COMPARED_WORDS + 10)
            .map(|i| format!("a{i} "))
            .collect();
        let after: String = (0..MAX_COMPARED_WORDS + 10)
            .map(|i| format!("b{i} "))
            .collect();
        let pieces = word_diff(&before, &after);
        assert_eq!(pieces, vec![Removed(before.clone()), Added(after.clone())]);
    }
}

//! Organigrammes: posts (or people) and whom each one reports to, hierarchical or functional,
//! as a tree. The chart is edited by plain forms (every post with its fields, a few blank rows
//! for new ones), which this module reads back into a valid tree — or refuses, field by field.

use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub const MAX_POSTS: usize = 150;
pub const MAX_LABEL_CHARS: usize = 120;
/// Blank rows the form offers for new posts.
pub const NEW_ROWS: usize = 3;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgChart {
    /// In the order siblings are drawn.
    pub nodes: Vec<ChartNode>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartNode {
    /// Stable within the chart, across its versions: forms name their fields by it.
    pub id: u32,
    /// The post, or the function in a functional organigramme.
    pub post: String,
    /// Who holds it, if the SIAE names people.
    pub holder: String,
    /// The post it reports to (a root when `None`).
    pub parent: Option<u32>,
}

impl OrgChart {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node(&self, id: u32) -> Option<&ChartNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn children(&self, id: Option<u32>) -> impl Iterator<Item = &ChartNode> {
        self.nodes.iter().filter(move |n| n.parent == id)
    }

    /// Every post, parents before their children, with its depth (roots at 0).
    pub fn tree_order(&self) -> Vec<(usize, &ChartNode)> {
        fn walk<'a>(
            chart: &'a OrgChart,
            parent: Option<u32>,
            depth: usize,
            out: &mut Vec<(usize, &'a ChartNode)>,
        ) {
            for node in chart.children(parent) {
                out.push((depth, node));
                walk(chart, Some(node.id), depth + 1, out);
            }
        }
        let mut out = Vec::with_capacity(self.nodes.len());
        walk(self, None, 0, &mut out);
        out
    }

    /// The posts' names, in tree order: what a fiche de poste can report to.
    pub fn posts(&self) -> Vec<String> {
        self.tree_order()
            .into_iter()
            .map(|(_, n)| n.post.clone())
            .collect()
    }

    /// One line per post, indented by depth: what comparisons and searches read.
    pub fn plain_text(&self) -> String {
        self.tree_order()
            .into_iter()
            .map(|(depth, n)| {
                let holder = if n.holder.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", n.holder)
                };
                format!("{}{}{holder}\n", "  ".repeat(depth), n.post)
            })
            .collect()
    }

    /// The chart the form describes, from `previous` (the chart the form showed). Each existing
    /// post of id `N` has the fields `pN.poste`, `pN.titulaire`, `pN.rattachement` (its parent's
    /// id, empty for a root) and `pN.retirer`; new posts come as `nouveauK.…`, blank ones
    /// ignored. A removed post's own posts move up to its parent. (Names start with a letter:
    /// the forms' decoder reads a leading digit as a list index.)
    pub fn from_form(
        previous: &OrgChart,
        fields: &BTreeMap<String, String>,
    ) -> Result<OrgChart, FieldErrors> {
        let field = |key: String| fields.get(&key).map(|v| v.trim()).unwrap_or("");
        let mut errors = FieldErrors::new();
        let mut removed: BTreeMap<u32, Option<u32>> = BTreeMap::new();
        // (row key, node with its parent as typed: an id, a new row's key, or nothing)
        let mut rows: Vec<(String, ChartNode, String)> = Vec::new();
        for node in &previous.nodes {
            let key = format!("p{}", node.id);
            if !field(format!("{key}.retirer")).is_empty() {
                removed.insert(node.id, node.parent);
                continue;
            }
            let edited = ChartNode {
                id: node.id,
                post: field(format!("{key}.poste")).to_string(),
                holder: field(format!("{key}.titulaire")).to_string(),
                parent: None,
            };
            let parent = field(format!("{key}.rattachement")).to_string();
            rows.push((key, edited, parent));
        }
        let mut next_id = previous.nodes.iter().map(|n| n.id).max().unwrap_or(0) + 1;
        let mut new_keys: Vec<(u32, String)> = fields
            .keys()
            .filter_map(|k| k.strip_prefix("nouveau"))
            .filter_map(|k| k.split_once('.'))
            .filter_map(|(n, _)| n.parse::<u32>().ok())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|n| (n, format!("nouveau{n}")))
            .collect();
        new_keys.truncate(MAX_POSTS);
        let mut new_ids: BTreeMap<String, u32> = BTreeMap::new();
        for (_, key) in new_keys {
            let post = field(format!("{key}.poste"));
            let holder = field(format!("{key}.titulaire"));
            if post.is_empty() && holder.is_empty() {
                continue;
            }
            let node = ChartNode {
                id: next_id,
                post: post.to_string(),
                holder: holder.to_string(),
                parent: None,
            };
            new_ids.insert(key.clone(), next_id);
            next_id += 1;
            let parent = field(format!("{key}.rattachement")).to_string();
            rows.push((key, node, parent));
        }
        if rows.len() > MAX_POSTS {
            errors.add(
                "",
                format!("Un organigramme compte au plus {MAX_POSTS} postes."),
            );
        }
        let kept: BTreeSet<u32> = rows.iter().map(|(_, n, _)| n.id).collect();
        for (key, node, parent) in &mut rows {
            if node.post.is_empty() {
                errors.add(&format!("{key}.poste"), "Indiquez l'intitulé du poste.");
            } else if node.post.chars().count() > MAX_LABEL_CHARS {
                errors.add(
                    &format!("{key}.poste"),
                    format!("L'intitulé dépasse {MAX_LABEL_CHARS} caractères."),
                );
            }
            if node.holder.chars().count() > MAX_LABEL_CHARS {
                errors.add(
                    &format!("{key}.titulaire"),
                    format!("Le nom dépasse {MAX_LABEL_CHARS} caractères."),
                );
            }
            let mut resolved = match parent.as_str() {
                "" => None,
                typed => match typed
                    .parse::<u32>()
                    .ok()
                    .filter(|id| kept.contains(id) || removed.contains_key(id))
                    .or_else(|| new_ids.get(typed).copied())
                {
                    Some(id) => Some(id),
                    None => {
                        errors.add(
                            &format!("{key}.rattachement"),
                            "Choisissez le poste de rattachement dans la liste.",
                        );
                        None
                    }
                },
            };
            // A removed post hands its own posts to its parent.
            let mut hops = 0;
            while let Some(gone) = resolved.and_then(|id| removed.get(&id)) {
                resolved = *gone;
                hops += 1;
                if hops > removed.len() {
                    resolved = None;
                    break;
                }
            }
            if resolved == Some(node.id) {
                errors.add(
                    &format!("{key}.rattachement"),
                    "Un poste ne peut pas être rattaché à lui-même.",
                );
                resolved = None;
            }
            node.parent = resolved;
        }
        let chart = OrgChart {
            nodes: rows.iter().map(|(_, n, _)| n.clone()).collect(),
        };
        for (key, node, _) in &rows {
            if chart.reaches_itself(node.id) {
                errors.add(
                    &format!("{key}.rattachement"),
                    format!(
                        "« {} » ne peut pas être rattaché à un poste qui dépend de lui.",
                        node.post
                    ),
                );
            }
        }
        if errors.is_empty() {
            Ok(chart)
        } else {
            Err(errors)
        }
    }

    /// Going up from `id` through its parents comes back to it. (A post below a loop without
    /// being in it is not: the loop's own posts say it.)
    fn reaches_itself(&self, id: u32) -> bool {
        let mut current = self.node(id).and_then(|n| n.parent);
        for _ in 0..self.nodes.len() {
            match current {
                None => return false,
                Some(p) if p == id => return true,
                Some(p) => current = self.node(p).and_then(|n| n.parent),
            }
        }
        false
    }
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

    fn chart() -> OrgChart {
        OrgChart {
            nodes: vec![
                node(1, "Direction", None),
                node(2, "Encadrant technique", Some(1)),
                node(3, "Chef d'équipe", Some(2)),
                node(4, "Accompagnatrice", Some(1)),
            ],
        }
    }

    /// The fields a form showing `chart` sends unchanged.
    fn unchanged(chart: &OrgChart) -> BTreeMap<String, String> {
        let mut fields = BTreeMap::new();
        for n in &chart.nodes {
            fields.insert(format!("p{}.poste", n.id), n.post.clone());
            fields.insert(format!("p{}.titulaire", n.id), n.holder.clone());
            fields.insert(
                format!("p{}.rattachement", n.id),
                n.parent.map(|p| p.to_string()).unwrap_or_default(),
            );
        }
        for k in 1..=NEW_ROWS {
            for f in ["poste", "titulaire", "rattachement"] {
                fields.insert(format!("nouveau{k}.{f}"), String::new());
            }
        }
        fields
    }

    fn set(fields: &mut BTreeMap<String, String>, key: &str, value: &str) {
        fields.insert(key.into(), value.into());
    }

    #[test]
    fn an_unchanged_form_gives_the_same_chart() {
        let chart = chart();
        assert_eq!(OrgChart::from_form(&chart, &unchanged(&chart)), Ok(chart));
    }

    #[test]
    fn posts_are_added_renamed_moved_and_removed() {
        let chart = chart();
        let mut fields = unchanged(&chart);
        set(&mut fields, "nouveau1.poste", "Assistante administrative");
        set(&mut fields, "nouveau1.titulaire", "Julie Martin");
        set(&mut fields, "nouveau1.rattachement", "1");
        set(&mut fields, "nouveau2.poste", "Comptable");
        set(&mut fields, "nouveau2.rattachement", "nouveau1");
        set(&mut fields, "p4.poste", "Conseillère en insertion");
        set(&mut fields, "p3.rattachement", "4");
        set(&mut fields, "p2.retirer", "on");
        let edited = OrgChart::from_form(&chart, &fields).unwrap();
        assert_eq!(
            edited.nodes,
            vec![
                node(1, "Direction", None),
                node(3, "Chef d'équipe", Some(4)),
                node(4, "Conseillère en insertion", Some(1)),
                ChartNode {
                    id: 5,
                    post: "Assistante administrative".into(),
                    holder: "Julie Martin".into(),
                    parent: Some(1),
                },
                node(6, "Comptable", Some(5)),
            ]
        );
        assert_eq!(
            edited.plain_text(),
            "Direction\n  Conseillère en insertion\n    Chef d'équipe\n  Assistante administrative (Julie Martin)\n    Comptable\n"
        );
    }

    #[test]
    fn a_removed_post_hands_its_posts_to_its_parent() {
        let chart = chart();
        let mut fields = unchanged(&chart);
        set(&mut fields, "p2.retirer", "on");
        let edited = OrgChart::from_form(&chart, &fields).unwrap();
        assert_eq!(edited.node(3).unwrap().parent, Some(1));
    }

    #[test]
    fn a_cycle_is_refused_beside_the_field() {
        let chart = chart();
        let mut fields = unchanged(&chart);
        set(&mut fields, "p2.rattachement", "3");
        let errors = OrgChart::from_form(&chart, &fields).unwrap_err();
        assert_eq!(
            errors.message_for("p2.rattachement").as_deref(),
            Some("« Encadrant technique » ne peut pas être rattaché à un poste qui dépend de lui.")
        );
        assert_eq!(
            errors.message_for("p4.rattachement"),
            None,
            "below the loop, not in it"
        );
        set(&mut fields, "p2.rattachement", "2");
        let errors = OrgChart::from_form(&chart, &fields).unwrap_err();
        assert_eq!(
            errors.message_for("p2.rattachement").as_deref(),
            Some("Un poste ne peut pas être rattaché à lui-même.")
        );
    }

    #[test]
    fn blank_posts_and_unknown_parents_are_refused() {
        let chart = chart();
        let mut fields = unchanged(&chart);
        set(&mut fields, "p4.poste", "  ");
        set(&mut fields, "nouveau1.titulaire", "Sans poste");
        set(&mut fields, "p3.rattachement", "99");
        let errors = OrgChart::from_form(&chart, &fields).unwrap_err();
        assert_eq!(
            errors.message_for("p4.poste").as_deref(),
            Some("Indiquez l'intitulé du poste.")
        );
        assert!(errors.message_for("nouveau1.poste").is_some());
        assert_eq!(
            errors.message_for("p3.rattachement").as_deref(),
            Some("Choisissez le poste de rattachement dans la liste.")
        );
    }
}

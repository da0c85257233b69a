use domain::organisation::{Fte, SiaeType};
use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

/// The part of the seed document that holds the October 2004 référentiel, cut verbatim from
/// `../shared/seeds/000_5bc5d3ade52ad5f9.txt` (see `the_fixture_is_cut_from_the_seed`).
const SEED: &str = include_str!("../fixtures/seed-referentiel-2004.txt");
/// The seed document the fixture was cut from, and the SHA-256 of both.
const SEED_FILE: &str = "000_5bc5d3ade52ad5f9.txt";
const SEED_SHA256: &str = "b237299fc0a1fc79a529fdd202ac878ca12f069b359cf4a6282a411cc5aa395b";
const FIXTURE_SHA256: &str = "d3e17889a6f0b8f7db293651f2bddde973dccf99c8984912f27cd7a522392241";
/// Set (as CI should) to fail rather than skip when the seed documents are not beside the repository.
const REQUIRE_SEEDS: &str = "CEDRE_TEST_REQUIRE_SEEDS";

/// A section of the référentiel as the seed writes it.
#[derive(Debug, Default)]
struct SeedSection {
    code: String,
    /// The heading's title, and the specification's name in the table header when there is one.
    titles: Vec<String>,
    objective: Option<String>,
    quality_objectives: Vec<String>,
    requirements: Vec<SeedRequirement>,
    dispositions: Vec<String>,
    means: Vec<String>,
}

#[derive(Debug, Default)]
struct SeedRequirement {
    code: String,
    text: String,
    points: Vec<String>,
    /// The footnotes the requirement refers to, by number.
    footnotes: Vec<String>,
}

/// One paragraph (`<p>`) or list item (`<li>`) of an HTML cell, its text without markup and the
/// footnotes (`<sup>7</sup>`) it refers to.
#[derive(Debug)]
struct Block {
    item: bool,
    text: String,
    footnotes: Vec<String>,
}

fn clean(text: &str) -> String {
    text.replace("**", "")
        .replace(['▪', '\u{a0}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Paragraphs and list items of an HTML fragment, in order; text outside them is one paragraph.
fn blocks(html: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let (mut text, mut footnotes, mut in_sup, mut item) = (String::new(), Vec::new(), false, false);
    let mut flush = |text: &mut String, footnotes: &mut Vec<String>, item: bool| {
        let cleaned = clean(text);
        if !cleaned.is_empty() {
            blocks.push(Block {
                item,
                text: cleaned,
                footnotes: std::mem::take(footnotes),
            });
        }
        text.clear();
    };
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let (before, after) = rest.split_at(open);
        if in_sup {
            footnotes.push(before.trim().to_string());
        } else {
            text.push_str(before);
        }
        let close = after.find('>').expect("a closed tag");
        let tag = after[1..close].split_whitespace().next().unwrap_or("");
        match tag {
            "p" | "li" | "/p" | "/li" | "ul" | "/ul" => {
                flush(&mut text, &mut footnotes, item);
                item = tag == "li";
            }
            "sup" => in_sup = true,
            "/sup" => in_sup = false,
            // Emphasis and the like carry no structure.
            _ => text.push(' '),
        }
        rest = &after[close + 1..];
    }
    text.push_str(rest);
    flush(&mut text, &mut footnotes, item);
    blocks
}

/// `2.1` and the title from a heading such as `### → 2.1 - Spécifications de la mission accueil`.
fn section_heading(line: &str) -> Option<(String, String)> {
    if !line.contains('→') && !line.contains('➔') {
        return None;
    }
    let line = clean(line.trim_start_matches(['#', ' ', '→', '➔']));
    let code: String = line
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let title = line[code.len()..]
        .trim_start_matches([' ', '-'])
        .to_string();
    (code.contains('.')).then_some((code, title))
}

/// The référentiel as the seed writes it: headed sections, a table (quality objectives,
/// lettered requirements with their points, dispositions) and a list of indicative means.
fn parse_seed() -> (Vec<SeedSection>, std::collections::BTreeMap<String, String>) {
    let mut sections: Vec<SeedSection> = Vec::new();
    let mut footnotes = std::collections::BTreeMap::new();
    let mut lines = SEED.lines().peekable();
    let mut in_means = false;
    while let Some(line) = lines.next() {
        if let Some(number) = line
            .strip_prefix("<sup>")
            .and_then(|rest| rest.split_once("</sup>"))
        {
            footnotes.insert(number.0.to_string(), clean(number.1));
            continue;
        }
        if let Some((code, title)) = section_heading(line) {
            sections.push(SeedSection {
                code,
                titles: vec![title],
                ..Default::default()
            });
            in_means = false;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        let plain = clean(line);
        if plain.is_empty() {
            continue;
        }
        if plain.contains("moyens à mettre en œuvre") {
            in_means = true;
        } else if in_means {
            let item = line.trim_start().strip_prefix("- ").unwrap_or(line);
            section
                .means
                .extend(blocks(item).into_iter().map(|b| b.text));
        } else if line.contains('\t') && plain.contains("bjectifs qualit") {
            // The table: its header names the specification, the next row holds three cells.
            let header: Vec<&str> = line.split('\t').collect();
            section.titles.push(clean(header[1]));
            let row = lines.next().expect("the table's row");
            let cells: Vec<&str> = row.split('\t').collect();
            assert_eq!(cells.len(), 3, "section {}: three cells", section.code);
            section.quality_objectives = blocks(cells[0]).into_iter().map(|b| b.text).collect();
            for block in blocks(cells[1]) {
                let lettered = block
                    .text
                    .split_once(") ")
                    .filter(|(letter, _)| letter.len() == 1);
                match (block.item, lettered) {
                    (false, Some((letter, text))) => section.requirements.push(SeedRequirement {
                        code: letter.to_string(),
                        text: text.to_string(),
                        footnotes: block.footnotes,
                        ..Default::default()
                    }),
                    (true, _) => section
                        .requirements
                        .last_mut()
                        .expect("a point follows its requirement")
                        .points
                        .push(block.text),
                    (false, None) => panic!("section {}: unexpected {block:?}", section.code),
                }
            }
            section.dispositions = blocks(cells[2]).into_iter().map(|b| b.text).collect();
        } else if plain.starts_with("L'objectif") || plain.starts_with("Les objectifs") {
            section.objective = Some(plain);
        } else if section.requirements.is_empty() && !line.contains('\t') {
            // A section without a table (2.6) is one requirement: its paragraph.
            section.requirements.push(SeedRequirement {
                text: plain,
                ..Default::default()
            });
        } else {
            panic!("section {}: unexpected line {line:?}", section.code);
        }
    }
    (sections, footnotes)
}

/// Both ways: every item of a list of the seed is in the data file's list at the same place, and
/// every item of the data file's list is in the seed's; then the counts and the order.
fn same_items(place: &str, seed: &[String], data: &[String]) {
    for item in seed {
        assert!(
            data.contains(item),
            "{place}: the seed's « {item} » is not in the data file there (data file: {data:#?})"
        );
    }
    for item in data {
        assert!(
            seed.contains(item),
            "{place}: the data file's « {item} » is not in the seed there (seed: {seed:#?})"
        );
    }
    assert_eq!(seed.len(), data.len(), "{place}: as many items");
    assert_eq!(seed, data, "{place}: in the seed's order");
}

#[test]
fn the_2004_referentiel_is_the_seed_word_for_word() {
    let referentiel = backend::referentiels::builtin_2004();
    let (seed, footnotes) = parse_seed();
    let codes = |codes: Vec<&str>| codes.into_iter().map(String::from).collect::<Vec<_>>();
    same_items(
        "the sections",
        &codes(seed.iter().map(|s| s.code.as_str()).collect()),
        &codes(
            referentiel
                .sections
                .iter()
                .map(|s| s.code.as_str())
                .collect(),
        ),
    );
    // What the parse found, so that a parse that finds nothing cannot pass.
    let counts: Vec<(usize, usize, usize, usize)> = seed
        .iter()
        .map(|s| {
            (
                s.quality_objectives.len(),
                s.requirements.len(),
                s.requirements.iter().map(|r| r.points.len()).sum(),
                s.means.len(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            (5, 4, 4, 13),
            (5, 3, 5, 13),
            (5, 4, 4, 9),
            (4, 3, 3, 8),
            (3, 3, 1, 6),
            (0, 1, 0, 5)
        ],
        "(objectives, requirements, points, means) per section of the seed"
    );
    assert!(SEED.contains("(Version Octobre 2004)"));
    assert!(referentiel
        .label
        .eq_ignore_ascii_case("Version octobre 2004"));

    for (seed, data) in seed.iter().zip(&referentiel.sections) {
        let at = |what: &str| format!("section {} {what}", seed.code);
        assert!(
            seed.titles.last() == Some(&data.title),
            "{}: « {} » is not the seed's {:?}",
            at("title"),
            data.title,
            seed.titles
        );
        assert_eq!(seed.objective, data.objective, "{}", at("objective"));
        same_items(
            &at("quality objectives"),
            &seed.quality_objectives,
            &data.quality_objectives,
        );
        same_items(&at("dispositions"), &seed.dispositions, &data.dispositions);
        same_items(&at("means"), &seed.means, &data.means);
        same_items(
            &at("requirements"),
            &codes(seed.requirements.iter().map(|r| r.code.as_str()).collect()),
            &codes(data.requirements.iter().map(|r| r.code.as_str()).collect()),
        );
        for (seed_requirement, requirement) in seed.requirements.iter().zip(&data.requirements) {
            let key = requirement.key(data);
            assert_eq!(seed_requirement.text, requirement.text, "{key}: text");
            same_items(
                &format!("{key} points"),
                &seed_requirement.points,
                &requirement.points,
            );
            // A footnote of a requirement is its note (2.5 b: the annual survey).
            let notes: Vec<String> = seed_requirement
                .footnotes
                .iter()
                .map(|n| footnotes[n].clone())
                .collect();
            same_items(
                &format!("{key} note"),
                &notes,
                &requirement.note.iter().cloned().collect::<Vec<_>>(),
            );
        }
    }
    // Footnote 8 (« cf. Partie 2 – Fiche outil n°5 ») sends a mean to the tools of part 2: not the référentiel's text.
    assert_eq!(
        footnotes.keys().collect::<Vec<_>>(),
        ["7", "8"],
        "the seed's footnotes"
    );
}

/// The fixture is the seed's text, cut without a change. The seed documents live beside the
/// repository (`../shared/seeds`); when they are absent the check is skipped, unless
/// `CEDRE_TEST_REQUIRE_SEEDS` is set.
#[test]
fn the_fixture_is_cut_from_the_seed() {
    assert_eq!(
        tests::sha256_hex(SEED.as_bytes()),
        FIXTURE_SHA256,
        "tests/fixtures/seed-referentiel-2004.txt changed: it must stay a verbatim cut of the seed"
    );
    let dir = std::env::var_os("CEDRE_SEEDS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds")
        });
    let path = dir.join(SEED_FILE);
    let seed = match std::fs::read(&path) {
        Ok(seed) => seed,
        Err(error) => {
            assert!(
                std::env::var_os(REQUIRE_SEEDS).is_none(),
                "{REQUIRE_SEEDS} is set but the seed {} cannot be read ({error}): clone the \
                 repository next to `shared/` (the seeds are read from ../shared/seeds), or set \
                 CEDRE_SEEDS_DIR",
                path.display()
            );
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "Seed check skipped: {} is not there ({error}); set {REQUIRE_SEEDS}=1 to make this a failure",
                path.display()
            );
            return;
        }
    };
    assert_eq!(
        tests::sha256_hex(&seed),
        SEED_SHA256,
        "{} is not the seed the fixture was cut from",
        path.display()
    );
    let seed = String::from_utf8(seed).expect("the seed is UTF-8");
    let fixture = SEED.trim();
    let (first, last) = (
        fixture.lines().next().unwrap(),
        fixture.lines().last().unwrap(),
    );
    let start = seed
        .find(first)
        .expect("the fixture's first line is in the seed");
    let end = start
        + seed[start..]
            .find(last)
            .expect("the fixture's last line is in the seed")
        + last.len();
    assert_eq!(
        tests::sha256_hex(&seed.as_bytes()[start..end]),
        tests::sha256_hex(fixture.as_bytes()),
        "the seed between « {first} » and « {last} » differs from the fixture"
    );
}

#[test]
fn the_referentiel_data_refuses_unknown_keys() {
    let builtin = include_str!("../../server/backend/referentiels/cedre-2004-10.toml");
    let loaded: domain::referentiel::Referentiel = toml::from_str(builtin).unwrap();
    assert_eq!(loaded, backend::referentiels::builtin_2004());
    // The stored form (JSON in referentiel_versions) reads back too.
    let json = serde_json::to_string(&loaded).unwrap();
    assert_eq!(
        serde_json::from_str::<domain::referentiel::Referentiel>(&json).unwrap(),
        loaded
    );
    // A misspelt key at each level is refused, not dropped.
    for (level, from, to) in [
        (
            "référentiel",
            "scale = \"conformite\"",
            "scale = \"conformite\"\nversion = 2",
        ),
        (
            "section",
            "code = \"2.6\"",
            "code = \"2.6\"\nmoyens = [\"x\"]",
        ),
        (
            "requirement",
            "code = \"c\"\ntext = \"Evaluer",
            "code = \"c\"\npoint = [\"x\"]\ntext = \"Evaluer",
        ),
        (
            "applicability",
            "{ kind = \"aussi\", types = [\"ACI\", \"EI\"] }",
            "{ kind = \"aussi\", types = [\"ACI\", \"EI\"], seulement = true }",
        ),
        (
            "coverage rule",
            "{ types = [\"AI\"], coverage = \"un_tiers\" }",
            "{ types = [\"AI\"], coverage = \"un_tiers\", minimum = 1 }",
        ),
    ] {
        assert_eq!(builtin.matches(from).count(), 1, "{level}: {from}");
        let misspelt = builtin.replacen(from, to, 1);
        let error = toml::from_str::<domain::referentiel::Referentiel>(&misspelt)
            .expect_err(level)
            .to_string();
        assert!(error.contains("unknown field"), "{level}: {error}");
    }
    let mut stored: serde_json::Value = serde_json::from_str(&json).unwrap();
    stored["sections"][0]["requirements"][0]["point"] = serde_json::json!(["x"]);
    assert!(
        serde_json::from_value::<domain::referentiel::Referentiel>(stored)
            .unwrap_err()
            .to_string()
            .contains("unknown field"),
        "the stored form refuses unknown keys too"
    );
}

#[test]
fn applicability_follows_the_dispositions_particulieres() {
    let referentiel = backend::referentiels::builtin_2004();
    let (_, d) = referentiel.find("2.1 d").unwrap();
    assert!(d
        .applicability_for(SiaeType::Etti, None)
        .note
        .unwrap()
        .contains("dont votre structure"));
    assert!(!d
        .applicability_for(SiaeType::Aci, None)
        .note
        .unwrap()
        .contains("dont votre structure"));
    let (_, a) = referentiel.find("2.2 a").unwrap();
    assert!(a
        .applicability_for(SiaeType::Ei, None)
        .note
        .unwrap()
        .contains("chaque salarié"));
    assert!(a
        .applicability_for(SiaeType::Aci, None)
        .note
        .unwrap()
        .contains("chaque salarié"));
    assert!(a
        .applicability_for(SiaeType::Ai, None)
        .note
        .unwrap()
        .contains("un tiers"));
    assert!(a
        .applicability_for(SiaeType::Etti, Some(Fte(150)))
        .note
        .unwrap()
        .contains("au minimum à 2 salarié(s)"));
    let (_, b) = referentiel.find("2.2 b").unwrap();
    assert!(b
        .applicability_for(SiaeType::Ai, None)
        .note
        .unwrap()
        .contains("aussi aux ACI et EI"));
}

use app::url::requirement_page;

async fn assess(
    client: &mut tests::Client,
    siae: i64,
    key: &str,
    fields: &[(&str, &str)],
) -> tests::Response {
    let siae_text = siae.to_string();
    let mut form = vec![("siae_id", siae_text.as_str()), ("key", key)];
    form.extend_from_slice(fields);
    client
        .post_form(
            "/api/referentiel/evaluer",
            &requirement_page(siae, key),
            &form,
        )
        .await
}

async fn referent_assesses_with_history_and_rights(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let mut referent = app.signed_in("referent@cedre.demo").await;

    let dashboard = referent
        .get(&format!("/organisations/{rennes}/referentiel"))
        .await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard
        .body
        .contains("Concerne plus particulièrement les AI et ETTI, dont votre structure."));
    assert!(
        dashboard.body.contains("0 / 4"),
        "nothing conforme yet in 2.1"
    );

    // Non applicable without a justification is refused and nothing is written.
    let refused = assess(
        &mut referent,
        rennes,
        "2.2 b",
        &[("draft[status]", "non_applicable")],
    )
    .await;
    tests::assert_back_to(&refused, &requirement_page(rennes, "2.2 b"));
    assert!(referent
        .get(&requirement_page(rennes, "2.2 b"))
        .await
        .body
        .contains("doit être justifié"));
    assert_eq!(app.count("SELECT COUNT(*) FROM assessments").await, 0);

    let saved = assess(
        &mut referent,
        rennes,
        "2.1 a",
        &[
            ("draft[status]", "en_cours"),
            ("draft[comment]", "Plaquette en cours"),
            ("draft[responsible]", "Nadia"),
            ("draft[target_date]", "2020-01-31"),
        ],
    )
    .await;
    assert_eq!(
        saved.location(),
        Some(requirement_page(rennes, "2.1 a").as_str())
    );
    assess(
        &mut referent,
        rennes,
        "2.1 a",
        &[
            ("draft[status]", "conforme"),
            ("draft[comment]", "Plaquette diffusée"),
            ("draft[responsible]", "Nadia"),
            ("draft[target_date]", "2020-01-31"),
        ],
    )
    .await;
    let page = referent.get(&requirement_page(rennes, "2.1 a")).await.body;
    assert!(
        page.contains("En cours")
            && page.contains("Conforme")
            && page.contains("Plaquette diffusée")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM assessment_history WHERE requirement_key = '2.1 a'")
            .await,
        6
    );
    assert!(referent
        .get(&format!("/organisations/{rennes}/referentiel"))
        .await
        .body
        .contains("1 / 4"));

    // An overdue gap is highlighted.
    assess(
        &mut referent,
        rennes,
        "2.1 b",
        &[
            ("draft[status]", "non_conforme"),
            ("draft[target_date]", "2021-06-30"),
        ],
    )
    .await;
    assert!(referent
        .get(&format!("/organisations/{rennes}/referentiel"))
        .await
        .body
        .contains("(en retard)"));

    // The accompagnateur reads but may not change; the region reads; other regions and the auditor do not see it.
    let mut staff = app.signed_in("accompagnateur@cedre.demo").await;
    let read = staff.get(&requirement_page(rennes, "2.1 a")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(
        read.body.contains("Plaquette diffusée")
            && !read.body.contains("Enregistrer l&#39;évaluation")
            && !read.body.contains("Enregistrer l'évaluation")
    );
    let refused = staff
        .call(
            "/api/referentiel/evaluer",
            &[
                ("siae_id", &rennes.to_string()),
                ("key", "2.1 a"),
                ("draft[status]", "non_conforme"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    for (email, status) in [
        ("rq-region@cedre.demo", StatusCode::OK),
        ("rq-aura@cedre.demo", StatusCode::NOT_FOUND),
        ("auditeur@cedre.demo", StatusCode::NOT_FOUND),
    ] {
        let page = app
            .signed_in(email)
            .await
            .get(&format!("/organisations/{rennes}/referentiel"))
            .await;
        assert_eq!(page.status, status, "{email}");
    }
    let mut admin = app.signed_in("admin@cedre.demo").await;
    assert_eq!(
        admin
            .get(&format!("/organisations/{rennes}/referentiel"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        admin
            .call(
                "/api/referentiel/evaluer",
                &[
                    ("siae_id", &rennes.to_string()),
                    ("key", "2.1 a"),
                    ("draft[status]", "non_conforme")
                ]
            )
            .await
            .status,
        StatusCode::FORBIDDEN,
        "the administrator reads but does not assess"
    );

    // The regional overview shows the progress; another region does not list this SIAE.
    let overview = app
        .signed_in("rq-region@cedre.demo")
        .await
        .get("/suivi?tri=avancement")
        .await
        .body;
    assert!(
        overview.contains("Emploi Solidaire du Pays de Rennes") && overview.contains("25 %"),
        "{overview}"
    );
    assert!(!app
        .signed_in("rq-aura@cedre.demo")
        .await
        .get("/suivi")
        .await
        .body
        .contains("Emploi Solidaire"));
    app.finish().await;
}
on_both_engines!(referent_assesses_with_history_and_rights);

async fn evidence_is_checked_stored_and_served(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let page = requirement_page(rennes, "2.1 a");

    // Each message is one that only the refusal shows: the form itself says « 10 Mo au plus ».
    for (name, content, message) in [
        ("vide.pdf", Vec::new(), "Le fichier est vide."),
        (
            "programme.pdf",
            b"MZ\x90\x00 un executable renomme".to_vec(),
            "type de fichier n&#39;est pas accepté",
        ),
        (
            "enorme.pdf",
            [
                b"%PDF-1.4\n".to_vec(),
                vec![b'x'; domain::evidence::MAX_BYTES],
            ]
            .concat(),
            "dépasse la taille maximale de 10 Mo",
        ),
    ] {
        let shows =
            |body: &str| body.contains(message) || body.contains(&message.replace("&#39;", "'"));
        let before = referent.get(&page).await.body;
        assert!(
            !shows(&before),
            "{name}: the page shows « {message} » before any refusal"
        );
        let response = referent.upload(rennes, "2.1 a", name, &content).await;
        assert_eq!(
            response.location(),
            Some(page.as_str()),
            "{name}: back to the form"
        );
        let shown = referent.get(&page).await.body;
        assert!(shows(&shown), "{name}: {} {shown}", response.status);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM evidence_documents").await,
        0,
        "refused files are not stored"
    );

    let pdf = b"%PDF-1.4\n% plaquette de presentation\n%%EOF\n";
    let stored = referent
        .upload(rennes, "2.1 a", "../Plaquette d'accueil.pdf", pdf)
        .await;
    assert_eq!(stored.location(), Some(page.as_str()));
    let listed = referent.get(&page).await.body;
    assert!(listed.contains("Plaquette d") && listed.contains("Le document est déposé"));
    let id = app.count("SELECT id FROM evidence_documents").await;
    let download = referent
        .get(&format!("/organisations/{rennes}/preuves/{id}"))
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.bytes, pdf);
    assert_eq!(download.headers["content-type"], "application/pdf");
    let disposition = download.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("Plaquette"),
        "{disposition}"
    );
    // The recorded SHA-256 is the one of the bytes sent, in the table and in the audit trail.
    let (sha, size, event): (String, i64, String) = {
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT d.sha256, d.size_bytes, a.changes FROM evidence_documents AS d \
             JOIN audit_events AS a ON a.action = 'preuve.depot' AND a.entity_id = d.id",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        (
            row.try_get("sha256").unwrap(),
            row.try_get("size_bytes").unwrap(),
            row.try_get("changes").unwrap(),
        )
    };
    // `printf '%%PDF-1.4\n%% plaquette de presentation\n%%%%EOF\n' | sha256sum`
    let expected = "fa15915c345c4e3ca8c4077a97003d70731b5fa50dce5937ed7e84cc2dc3b597";
    assert_eq!(tests::sha256_hex(pdf), expected);
    assert_eq!(sha, expected);
    assert_eq!(size, pdf.len() as i64);
    assert!(
        event.contains(&format!("\"sha256\":\"{expected}\"")),
        "{event}"
    );

    // Another region cannot fetch it, even knowing its number; the accompagnateur cannot upload.
    assert_eq!(
        app.signed_in("rq-aura@cedre.demo")
            .await
            .get(&format!("/organisations/{rennes}/preuves/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut staff = app.signed_in("accompagnateur@cedre.demo").await;
    assert_eq!(
        staff.upload(rennes, "2.1 a", "x.pdf", pdf).await.status,
        StatusCode::FORBIDDEN
    );

    // The indicative means can be ticked with the document as proof.
    let response = referent
        .post_form(
            "/api/referentiel/moyen",
            &format!("/organisations/{rennes}/referentiel"),
            &[
                ("siae_id", &rennes.to_string()),
                ("section", "2.1"),
                ("mean", "Grille d'entretien"),
                ("checked", "true"),
                ("document_id", &id.to_string()),
            ],
        )
        .await;
    assert!(response
        .location()
        .unwrap()
        .starts_with(&format!("/organisations/{rennes}/referentiel")));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM means_checks WHERE mean = 'Grille d''entretien'")
            .await,
        1
    );
    app.finish().await;
}
on_both_engines!(evidence_is_checked_stored_and_served);

async fn a_new_version_is_drafted_validated_and_applied(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let mut referent = app.signed_in("referent@cedre.demo").await;
    assess(
        &mut referent,
        rennes,
        "2.1 a",
        &[("draft[status]", "conforme")],
    )
    .await;

    let mut quality = app.signed_in("rq-federal@cedre.demo").await;
    quality
        .post_form(
            "/api/referentiel/versions/creer",
            "/referentiel/versions",
            &[
                ("base_id", "1"),
                ("code", "CEDRE-2027"),
                ("label", "Version janvier 2027"),
            ],
        )
        .await;
    let version = app
        .id_of(("referentiel_versions", "code"), "CEDRE-2027")
        .await
        .to_string();
    let page = format!("/referentiel/versions/{version}");
    quality
        .post_form(
            "/api/referentiel/versions/exigence",
            &page,
            &[
                ("version_id", &version),
                ("key", "2.1 c"),
                (
                    "text",
                    "Evaluer et valoriser les capacités professionnelles.",
                ),
                ("points", ""),
            ],
        )
        .await;
    quality
        .post_form(
            "/api/referentiel/versions/ajouter",
            &page,
            &[
                ("version_id", &version),
                ("section", "2.6"),
                ("code", "b"),
                ("text", "Mesurer la satisfaction des salariés en insertion."),
                ("points", ""),
            ],
        )
        .await;
    quality
        .post_form(
            "/api/referentiel/versions/retirer",
            &page,
            &[("version_id", &version), ("key", "2.5 b")],
        )
        .await;
    // Not in force before the bureau validates it.
    quality
        .post_form(
            "/api/referentiel/versions/dates",
            &page,
            &[("version_id", &version), ("in_force_from", "2027-01-01")],
        )
        .await;
    assert!(quality
        .get(&page)
        .await
        .body
        .contains("après sa validation par le bureau"));
    quality
        .post_form(
            "/api/referentiel/versions/dates",
            &page,
            &[
                ("version_id", &version),
                ("validated_on", "2026-11-20"),
                ("in_force_from", "2027-01-01"),
            ],
        )
        .await;
    let shown = quality.get(&page).await.body;
    assert!(shown.contains("En vigueur depuis le 01/01/2027"), "{shown}");
    // Frozen once in force.
    quality
        .post_form(
            "/api/referentiel/versions/retirer",
            &page,
            &[("version_id", &version), ("key", "2.4 a")],
        )
        .await;
    assert!(quality.get(&page).await.body.contains("ne se modifie plus"));

    // A SIAE that entered in 2023 stays on 2004 until the federation moves it.
    assert!(referent
        .get(&format!("/organisations/{rennes}/referentiel"))
        .await
        .body
        .contains("CEDRE-2004-10"));
    quality
        .post_form(
            "/api/referentiel/affecter",
            &format!("/organisations/{rennes}/referentiel"),
            &[("siae_id", &rennes.to_string()), ("version_id", &version)],
        )
        .await;
    let moved = referent
        .get(&format!("/organisations/{rennes}/referentiel"))
        .await
        .body;
    assert!(moved.contains("CEDRE-2027"), "{moved}");
    assert!(
        moved.contains("Exigences ajoutées : 2.6 b")
            && moved.contains("Exigences modifiées : 2.1 c")
            && moved.contains("Exigences retirées : 2.5 b"),
        "{moved}"
    );
    assert!(
        moved.contains("1 / 4"),
        "the assessment of 2.1 a carries over"
    );
    // A SIAE entering the approach after the new version came into force is assessed against it.
    let grenoble = app
        .id_of(("organisations", "name"), "Chantier Nature Dauphiné")
        .await;
    sqlx::query("UPDATE organisations SET entry_date = '2027-02-01' WHERE id = $1")
        .bind(grenoble)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let newcomer = quality
        .get(&format!("/organisations/{grenoble}/referentiel"))
        .await
        .body;
    assert!(newcomer.contains("(CEDRE-2027)"), "{newcomer}");
    let older = app
        .id_of(("organisations", "name"), "Relais Emploi Lyonnais")
        .await;
    assert!(quality
        .get(&format!("/organisations/{older}/referentiel"))
        .await
        .body
        .contains("(CEDRE-2004-10)"));
    // The referent may not manage versions.
    assert_eq!(
        referent
            .call(
                "/api/referentiel/versions/creer",
                &[("base_id", "1"), ("code", "X"), ("label", "X")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    app.finish().await;
}
on_both_engines!(a_new_version_is_drafted_validated_and_applied);

async fn exports_carry_user_text_as_data(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let hostile = "#read(\"/etc/passwd\") ; =1+1 \"cité\"";
    assess(
        &mut referent,
        rennes,
        "2.1 a",
        &[
            ("draft[status]", "en_cours"),
            ("draft[comment]", hostile),
            ("draft[responsible]", "Nadia Benali"),
        ],
    )
    .await;

    let csv = referent
        .get(&format!("/organisations/{rennes}/referentiel.csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(csv.body.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.body.split("\r\n").collect();
    assert!(lines[0].starts_with("\u{feff}Section;Exigence;"));
    let line = lines.iter().find(|l| l.contains(";2.1 a;")).unwrap();
    assert!(
        line.contains("\"#read(\"\"/etc/passwd\"\") ; =1+1 \"\"cité\"\"\""),
        "{line}"
    );
    assert_eq!(
        lines.iter().filter(|l| !l.is_empty()).count(),
        1 + 18,
        "a header and 18 requirements"
    );

    let pdf = referent
        .get(&format!("/organisations/{rennes}/referentiel.pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF-"), "a PDF file");
    let text = tests::pdf_text(&pdf.bytes);
    assert!(
        text.contains("Auto-évaluation — Emploi Solidaire du Pays de Rennes"),
        "{text}"
    );
    assert!(
        text.contains("#read(\"/etc/passwd\")"),
        "the comment is printed literally: {text}"
    );
    assert!(!text.contains("root:x:0:0"), "no file is read");
    assert!(
        text.contains("Nadia Benali"),
        "the responsible person: {text}"
    );
    assert!(
        text.contains("Faire connaître aux demandeurs d’emploi")
            || text.contains("Faire connaître aux demandeurs d'emploi"),
        "the requirement's text: {text}"
    );
    app.finish().await;
}
on_both_engines!(exports_carry_user_text_as_data);

/// Another programme's référentiel, with unlettered requirements, loads the same way.
async fn another_referentiel_is_imported_as_a_draft(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let toml = r#"
code = "AUTRE-2030"
title = "Référentiel d'un autre programme"
label = "Version 2030"
scale = "conformite"

[[sections]]
code = "A"
title = "Gouvernance"
means = ["Charte"]

[[sections.requirements]]
code = ""
text = "La structure décrit sa gouvernance."
"#;
    let id = backend::referentiels::import(&app.db, toml).await.unwrap();
    let (version, referentiel) = backend::referentiels::get(&app.db, id).await.unwrap();
    assert!(version.is_draft());
    assert_eq!(
        referentiel.sections[0].requirements[0].key(&referentiel.sections[0]),
        "A"
    );
    assert_eq!(referentiel.scale, "conformite");
    let unknown_scale = toml
        .replace("AUTRE-2030", "AUTRE-2031")
        .replace("conformite", "maturite");
    let refused = backend::referentiels::import(&app.db, &unknown_scale)
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("« maturite » n'est pas prise en charge"),
        "{refused}"
    );
    let duplicate = backend::referentiels::import(&app.db, toml)
        .await
        .unwrap_err();
    assert!(
        duplicate.to_string().contains("déjà ce code"),
        "{duplicate}"
    );
    let misspelt = toml
        .replace("AUTRE-2030", "AUTRE-2032")
        .replace("text = ", "point = [\"x\"]\ntext = ");
    let refused = backend::referentiels::import(&app.db, &misspelt)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("n'est pas lisible") && refused.contains("unknown field `point`"),
        "{refused}"
    );
    let broken = backend::referentiels::import(&app.db, "code = \"X\"")
        .await
        .unwrap_err();
    assert!(broken.to_string().contains("n'est pas lisible"), "{broken}");
    let page = app
        .signed_in("rq-federal@cedre.demo")
        .await
        .get(&format!("/referentiel/versions/{id}"))
        .await
        .body;
    assert!(page.contains("La structure décrit sa gouvernance.") && page.contains("Brouillon"));
    app.finish().await;
}
on_both_engines!(another_referentiel_is_imported_as_a_draft);

/// Drafts belong to those who manage the référentiel; evidence links only a requirement of the
/// SIAE's version.
async fn drafts_and_links_stay_within_bounds(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut quality = app.signed_in("rq-federal@cedre.demo").await;
    quality
        .post_form(
            "/api/referentiel/versions/creer",
            "/referentiel/versions",
            &[
                ("base_id", "1"),
                ("code", "BROUILLON-2027"),
                ("label", "Projet confidentiel 2027"),
            ],
        )
        .await;
    let draft = app
        .id_of(("referentiel_versions", "code"), "BROUILLON-2027")
        .await;
    let page = format!("/referentiel/versions/{draft}");
    assert_eq!(quality.get(&page).await.status, StatusCode::OK);
    assert!(quality
        .get("/referentiel/versions")
        .await
        .body
        .contains("BROUILLON-2027"));
    for email in [
        "auditeur@cedre.demo",
        "referent@cedre.demo",
        "rq-region@cedre.demo",
    ] {
        let mut other = app.signed_in(email).await;
        let response = other.get(&page).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{email}");
        assert!(!response.body.contains("BROUILLON-2027"), "{email}");
        let list = other.get("/referentiel/versions").await;
        assert_eq!(list.status, StatusCode::OK, "{email}");
        assert!(!list.body.contains("BROUILLON-2027"), "{email}");
        assert!(
            list.body.contains("CEDRE-2004-10") || list.body.contains("2004"),
            "{email}"
        );
    }

    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let uploaded = referent
        .upload(rennes, "2.1 a", "p.pdf", b"%PDF-1.4\npreuve\n")
        .await;
    assert!(uploaded.status.is_redirection(), "{:?}", uploaded.status);
    let document = app
        .id_of(("evidence_documents", "file_name"), "p.pdf")
        .await
        .to_string();
    let links = app.count("SELECT COUNT(*) FROM assessment_evidence").await;
    let audit = app.count("SELECT COUNT(*) FROM audit_events").await;
    let refused = referent
        .post_form(
            "/api/referentiel/preuve",
            &requirement_page(rennes, "2.1 a"),
            &[
                ("siae_id", &rennes.to_string()),
                ("key", "9.9 z"),
                ("document_id", &document),
                ("linked", "true"),
            ],
        )
        .await;
    assert!(
        refused.status == StatusCode::NOT_FOUND || refused.status.is_redirection(),
        "{:?}",
        refused.status
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM assessment_evidence").await,
        links
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events").await, audit);

    // Only a SIAE is assessed against a version (here one put in force for the purpose).
    quality
        .post_form(
            "/api/referentiel/versions/dates",
            &page,
            &[
                ("version_id", &draft.to_string()),
                ("validated_on", "2026-06-01"),
                ("in_force_from", "2026-07-01"),
            ],
        )
        .await;
    let state: String = sqlx::query_scalar("SELECT state FROM referentiel_versions WHERE id = $1")
        .bind(draft)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(state, "en_vigueur");
    let audit = app.count("SELECT COUNT(*) FROM audit_events").await;
    let region = app
        .id_of(("organisations", "name"), "COORACE Bretagne")
        .await
        .to_string();
    let moved = quality
        .post_form(
            "/api/referentiel/affecter",
            "/referentiel/versions",
            &[("siae_id", &region), ("version_id", &draft.to_string())],
        )
        .await;
    assert!(
        moved.status == StatusCode::NOT_FOUND || moved.status.is_redirection(),
        "{:?}",
        moved.status
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM siae_referentiel").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events").await, audit);
    app.finish().await;
}
on_both_engines!(drafts_and_links_stay_within_bounds);

use domain::organisation::{Fte, SiaeType};
use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

const SEED: &str = include_str!("../fixtures/seed-referentiel-2004.txt");

/// The seed text without its markup: tags, bullets, emphasis and runs of spaces removed.
fn seed_text() -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in SEED.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace(['▪', '*'], " ").replace("\u{a0}", " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn normalised(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_2004_referentiel_is_the_seed_word_for_word() {
    let referentiel = backend::referentiels::builtin_2004();
    let seed = seed_text();
    let sections: Vec<&str> = referentiel
        .sections
        .iter()
        .map(|s| s.code.as_str())
        .collect();
    assert_eq!(sections, ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]);
    let letters: Vec<String> = referentiel
        .sections
        .iter()
        .map(|s| {
            s.requirements
                .iter()
                .map(|r| r.code.as_str())
                .collect::<Vec<_>>()
                .join("")
        })
        .collect();
    assert_eq!(letters, ["abcd", "abc", "abcd", "abc", "abc", ""]);
    for section in &referentiel.sections {
        let mut texts: Vec<&String> = section
            .quality_objectives
            .iter()
            .chain(&section.dispositions)
            .chain(&section.means)
            .collect();
        for requirement in &section.requirements {
            let lettered = if requirement.code.is_empty() {
                requirement.text.clone()
            } else {
                format!("{}) {}", requirement.code, requirement.text)
            };
            assert!(
                seed.contains(&normalised(&lettered)),
                "{} not in the seed: {lettered}",
                requirement.key(section)
            );
            texts.extend(&requirement.points);
        }
        for text in texts {
            assert!(
                seed.contains(&normalised(text)),
                "section {}: not in the seed: {text}",
                section.code
            );
        }
    }
    let first = &referentiel.sections[0];
    assert_eq!(
        first.requirements[0].text,
        "Faire connaître aux demandeurs d'emploi accueillis son offre d'insertion."
    );
    assert_eq!(first.means.len(), 13);
    assert_eq!(referentiel.sections[5].requirements.len(), 1);
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
    let text = pdf_text(&pdf.bytes);
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

/// The text of a PDF, read back with poppler's `pdftotext`.
fn pdf_text(bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("cedre-{}.pdf", rand::random::<u64>()));
    std::fs::write(&path, bytes).unwrap();
    let output = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

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
    let uploaded = upload(
        &mut referent,
        rennes,
        "2.1 a",
        "p.pdf",
        b"%PDF-1.4\npreuve\n",
    )
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

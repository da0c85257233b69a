//! The manuel qualité: the skeleton, a section's draft (and two people saving it at once), its
//! review and approval by someone other than its author, obsolete versions, immutability held
//! by the database, and who reads what.

use http::StatusCode;
use tests::{assert_back_to, on_both_engines, Client, Engine, TestApp};

const RENNES: &str = "Emploi Solidaire du Pays de Rennes";
const REGULATION: &str = "Procédure de régulation pédagogique";

pub(crate) struct Manual {
    pub siae: i64,
    pub section: i64,
}

pub(crate) async fn started(app: &TestApp, referent: &mut Client) -> Manual {
    let siae = app.id_of(("organisations", "name"), RENNES).await;
    let response = referent
        .post_form(
            "/api/manuel/commencer",
            &format!("/organisations/{siae}/manuel"),
            &[("siae_id", &siae.to_string())],
        )
        .await;
    assert_eq!(
        response.location(),
        Some(format!("/organisations/{siae}/manuel").as_str()),
        "{}",
        response.body
    );
    let section = app.id_of(("manual_sections", "title"), REGULATION).await;
    Manual { siae, section }
}

/// Saves a draft as the page's form does: `revision` is the one shown, empty when the section
/// had no open version (the field is then absent).
async fn save(client: &mut Client, section: i64, body: &str, revision: &str) -> tests::Response {
    let section_text = section.to_string();
    let mut fields = vec![
        ("section_id", section_text.as_str()),
        ("body", body),
        ("change_note", "Rythme mensuel"),
    ];
    if !revision.is_empty() {
        fields.push(("revision", revision));
    }
    client
        .post_form(
            "/api/manuel/brouillon",
            &format!("/manuel/sections/{section}"),
            &fields,
        )
        .await
}

pub(crate) async fn open_version(app: &TestApp, section: i64) -> i64 {
    app.count(&format!(
        "SELECT COALESCE(MAX(id), 0) FROM manual_section_versions WHERE section_id = {section} \
         AND state IN ('brouillon', 'en_relecture', 'renvoyee')"
    ))
    .await
}

pub(crate) async fn step(
    client: &mut Client,
    path: &str,
    section: i64,
    version: i64,
    extra: &[(&str, &str)],
) -> tests::Response {
    let section_text = section.to_string();
    let version_text = version.to_string();
    let mut fields = vec![
        ("section_id", section_text.as_str()),
        ("version_id", version_text.as_str()),
    ];
    fields.extend_from_slice(extra);
    client.call(path, &fields).await
}

async fn a_manual_starts_from_the_skeleton_and_its_readers_are_its_siae(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let manual = started(&app, &mut referent).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM manual_sections WHERE siae_id = {}",
            manual.siae
        ))
        .await,
        domain::manual::section::SKELETON.len() as i64
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM manual_section_requirements WHERE section_id = {} AND requirement_key = '2.3 a'",
            manual.section
        ))
        .await,
        1,
        "the régulation pédagogique procedure answers 2.3 a"
    );
    let page = referent
        .get(&format!("/organisations/{}/manuel", manual.siae))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for title in domain::manual::section::MINIMAL_PROCEDURES {
        assert!(page.body.contains(title), "{title}: {}", page.body);
    }
    // The editor's live preview: the server parses, the page renders the tree.
    let preview = referent
        .post_text("/manuel/apercu", "**gras** <script>x</script>")
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview.body.contains("<strong>gras</strong>")
            && preview.body.contains("&lt;script&gt;x&lt;/script&gt;")
            && !preview.body.contains("<script>"),
        "{}",
        preview.body
    );
    let anonymous = app.client().post_text("/manuel/apercu", "**gras**").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(!anonymous.body.contains("gras"));
    // Started once.
    let again = referent
        .call(
            "/api/manuel/commencer",
            &[("siae_id", &manual.siae.to_string())],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("déjà commencé"));

    // The accompagnateur reads it, and writes nothing.
    let mut accompagnateur = app.signed_in("accompagnateur@cedre.demo").await;
    assert_eq!(
        accompagnateur
            .get(&format!("/organisations/{}/manuel", manual.siae))
            .await
            .status,
        StatusCode::OK
    );
    let before = app.snapshot().await;
    let refused = save(
        &mut accompagnateur,
        manual.section,
        "Texte de l'accompagnateur",
        "",
    )
    .await;
    assert_eq!(refused.location(), Some("/interdit"));
    assert!(tests::snapshot_changes(&before, &app.snapshot().await).is_empty());
    // The region reads issued editions, not the manual being written.
    let mut region = app.signed_in("rq-region@cedre.demo").await;
    let refused = region
        .call(
            "/api/manuel/sommaire",
            &[("siae_id", &manual.siae.to_string())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains(REGULATION));
    app.finish().await;
}
on_both_engines!(a_manual_starts_from_the_skeleton_and_its_readers_are_its_siae);

async fn a_version_is_reviewed_approved_by_another_person_and_replaced(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let Manual { section, .. } = started(&app, &mut referent).await;
    let page = format!("/manuel/sections/{section}");

    let first = "La régulation pédagogique réunit l'équipe **chaque mois**.";
    assert_eq!(
        save(&mut referent, section, first, "").await.location(),
        Some(page.as_str())
    );
    let version = open_version(&app, section).await;
    // Two people on the same draft: the second save, started from revision 1 too, is refused and
    // its text comes back; the first one stays.
    let theirs = "La régulation pédagogique réunit l'équipe chaque semaine.";
    assert_eq!(
        save(&mut direction, section, theirs, "1").await.location(),
        Some(page.as_str())
    );
    let mine = "Ma version, écrite en même temps.";
    let refused = save(&mut referent, section, mine, "1").await;
    assert_back_to(&refused, &page);
    let shown = referent
        .get(
            refused
                .location()
                .unwrap()
                .trim_start_matches(tests::ORIGIN),
        )
        .await;
    assert!(
        shown.body.contains("Quelqu'un a enregistré ce brouillon"),
        "{}",
        shown.body
    );
    assert!(
        shown.body.contains(mine),
        "the text typed comes back: {}",
        shown.body
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM manual_section_versions WHERE id = {version} AND revision = 2 AND body = '{}'",
            theirs.replace('\'', "''")
        ))
        .await,
        1
    );

    // Submitted by its author, it is approved by someone else.
    let submitted = step(
        &mut referent,
        "/api/manuel/soumettre",
        section,
        version,
        &[],
    )
    .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    // It waits for the direction on its home page, not for its author.
    let home = direction.get("/").await.body;
    assert!(
        home.contains("À relire et approuver") && home.contains(REGULATION),
        "{home}"
    );
    assert!(!referent
        .get("/")
        .await
        .body
        .contains("À relire et approuver"));
    let own = step(
        &mut referent,
        "/api/manuel/approuver",
        section,
        version,
        &[],
    )
    .await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own.body.contains("une autre personne"), "{}", own.body);
    let frozen = save(&mut direction, section, "Modifié pendant la relecture", "2").await;
    assert_back_to(&frozen, &page);
    let approved = step(
        &mut direction,
        "/api/manuel/approuver",
        section,
        version,
        &[],
    )
    .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    // The self-assessment names it beside the requirement it answers.
    let rennes = app.id_of(("organisations", "name"), RENNES).await;
    let requirement = referent
        .get(&format!(
            "/organisations/{rennes}/referentiel/exigence?cle=2.3%20a"
        ))
        .await
        .body;
    assert!(
        requirement.contains("Sections du manuel qualité qui y répondent")
            && requirement.contains(REGULATION),
        "{requirement}"
    );
    let today = domain::time::today();
    let due = domain::manual::version::default_review_due(today);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM manual_section_versions WHERE id = {version} AND state = 'approuvee' \
             AND number = 1 AND approved_on = '{today}' AND review_due = '{due}'"
        ))
        .await,
        1
    );

    // A second version: sent back with a comment, corrected, approved; the first is obsolete.
    let second = "La régulation pédagogique réunit l'équipe chaque semaine, le mardi.";
    save(&mut direction, section, second, "").await;
    let version_2 = open_version(&app, section).await;
    assert_ne!(version_2, version);
    step(
        &mut direction,
        "/api/manuel/soumettre",
        section,
        version_2,
        &[],
    )
    .await;
    let empty = step(
        &mut referent,
        "/api/manuel/renvoyer",
        section,
        version_2,
        &[("comment", " ")],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sent_back = step(
        &mut referent,
        "/api/manuel/renvoyer",
        section,
        version_2,
        &[("comment", "Préciser qui anime la réunion")],
    )
    .await;
    assert_eq!(sent_back.status, StatusCode::OK, "{}", sent_back.body);
    let shown = direction.get(&page).await;
    assert!(
        shown.body.contains("Préciser qui anime la réunion"),
        "{}",
        shown.body
    );
    let corrected = "La régulation pédagogique, animée par la référente, réunit l'équipe chaque semaine, le mardi.";
    save(&mut direction, section, corrected, "1").await;
    step(
        &mut direction,
        "/api/manuel/soumettre",
        section,
        version_2,
        &[],
    )
    .await;
    let approved = step(
        &mut referent,
        "/api/manuel/approuver",
        section,
        version_2,
        &[("review_due", "2027-01-15")],
    )
    .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM manual_section_versions WHERE section_id = {section} AND \
             ((id = {version} AND state = 'obsolete' AND number = 1) OR (id = {version_2} AND state = 'approuvee' AND number = 2 AND review_due = '2027-01-15'))"
        ))
        .await,
        2
    );
    let shown = referent.get(&page).await;
    assert!(
        shown.body.contains("animée par la référente"),
        "{}",
        shown.body
    );
    assert!(
        shown.body.contains("Obsolète"),
        "the history marks the first version: {}",
        shown.body
    );

    // The comparison shows the words that changed.
    let compared = referent
        .get(&format!("{page}/comparer?de={version}&a={version_2}"))
        .await;
    assert_eq!(compared.status, StatusCode::OK);
    assert!(
        compared.body.contains("<del>") && compared.body.contains("<ins>"),
        "{}",
        compared.body
    );
    assert!(compared.body.contains("animée "), "{}", compared.body);

    // Every step is in the audit trail.
    for action in [
        "manuel.brouillon",
        "manuel.relecture",
        "manuel.approbation",
        "manuel.renvoi",
    ] {
        assert!(
            app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = '{action}' AND entity_id = {section}")).await >= 1,
            "{action}"
        );
    }

    // The database keeps approved versions as they were, whoever asks.
    for sql in [
        format!("UPDATE manual_section_versions SET body = 'falsifié' WHERE id = {version_2}"),
        format!("UPDATE manual_section_versions SET state = 'approuvee' WHERE id = {version}"),
        format!("UPDATE manual_section_versions SET change_note = 'x' WHERE id = {version}"),
        format!("DELETE FROM manual_section_versions WHERE id = {version}"),
    ] {
        assert!(
            sqlx::query(&sql).execute(&app.db.pool).await.is_err(),
            "{sql}"
        );
    }
    if engine == Engine::Sqlite {
        let replace = format!(
            "INSERT OR REPLACE INTO manual_section_versions (id, section_id, state, body, change_note, author_id, author_name, created_at, updated_at) \
             VALUES ({version_2}, {section}, 'brouillon', 'remplacé', '', 1, 'x', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')"
        );
        assert!(sqlx::query(&replace).execute(&app.db.pool).await.is_err());
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM manual_section_versions WHERE id = {version_2} AND body = '{}'",
            corrected.replace('\'', "''")
        ))
        .await,
        1
    );
    app.finish().await;
}
on_both_engines!(a_version_is_reviewed_approved_by_another_person_and_replaced);

async fn the_accompagnateur_reads_the_version_in_force_not_the_draft(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let Manual { section, siae } = started(&app, &mut referent).await;
    save(
        &mut referent,
        section,
        "Texte approuvé <script>alert(1)</script> #read(\"/etc/passwd\")",
        "",
    )
    .await;
    let version = open_version(&app, section).await;
    step(
        &mut referent,
        "/api/manuel/soumettre",
        section,
        version,
        &[],
    )
    .await;
    step(
        &mut direction,
        "/api/manuel/approuver",
        section,
        version,
        &[],
    )
    .await;
    save(&mut referent, section, "Brouillon pas encore relu", "").await;

    let mut accompagnateur = app.signed_in("accompagnateur@cedre.demo").await;
    let page = accompagnateur
        .get(&format!("/manuel/sections/{section}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Texte approuvé"), "{}", page.body);
    assert!(
        !page.body.contains("Brouillon pas encore relu"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("<script>alert"),
        "HTML typed in a section is shown as text"
    );
    assert!(
        page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        page.body
    );
    let summary = accompagnateur
        .call("/api/manuel/sommaire", &[("siae_id", &siae.to_string())])
        .await;
    assert_eq!(summary.status, StatusCode::OK);
    assert!(
        !summary.body.contains("Brouillon"),
        "no open state for a reader: {}",
        summary.body
    );
    app.finish().await;
}
on_both_engines!(the_accompagnateur_reads_the_version_in_force_not_the_draft);

/// Writes `body` as the next version of a section and has it approved: `author` writes and
/// submits, `reviewer` approves.
pub(crate) async fn approved_version(
    app: &TestApp,
    author: &mut Client,
    reviewer: &mut Client,
    section: i64,
    body: &str,
) {
    let open = open_version(app, section).await;
    let revision = if open == 0 {
        String::new()
    } else {
        app.count(&format!(
            "SELECT revision FROM manual_section_versions WHERE id = {open}"
        ))
        .await
        .to_string()
    };
    let saved = save(author, section, body, &revision).await;
    assert_eq!(
        saved.location(),
        Some(format!("/manuel/sections/{section}").as_str()),
        "{}",
        saved.body
    );
    let version = open_version(app, section).await;
    let submitted = step(author, "/api/manuel/soumettre", section, version, &[]).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let approved = step(reviewer, "/api/manuel/approuver", section, version, &[]).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
}

/// Issues the next edition, its gaps confirmed; its id and its PDF.
pub(crate) async fn issue_edition(app: &TestApp, client: &mut Client, siae: i64) -> (i64, Vec<u8>) {
    let editions = format!("/organisations/{siae}/manuel/editions");
    let issued = client
        .post_form(
            "/api/manuel/editions/emettre",
            &editions,
            &[("siae_id", &siae.to_string()), ("confirmer", "oui")],
        )
        .await;
    assert_eq!(
        issued.location(),
        Some(editions.as_str()),
        "{}",
        issued.body
    );
    let id = app
        .count(&format!(
            "SELECT MAX(id) FROM manual_editions WHERE siae_id = {siae}"
        ))
        .await;
    let pdf = client.get(&format!("{editions}/{id}")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    (id, pdf.bytes)
}

const HOSTILE: &str =
    "Réunion #read(\"/etc/passwd\") #include \"x\" $x^2$ @ref <label> \\\\ ] [ {{ <b>gras</b>";

async fn an_edition_freezes_the_versions_in_force_into_a_pdf_that_never_changes(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let Manual { section, siae } = started(&app, &mut referent).await;
    let editions = format!("/organisations/{siae}/manuel/editions");
    // Requirements are checked against the SIAE's référentiel.
    let unknown = referent
        .call(
            "/api/manuel/sections/exigences",
            &[
                ("section_id", &section.to_string()),
                ("answers", "2.3 a, 9.9 z"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("9.9 z"), "{}", unknown.body);
    let linked = referent
        .call(
            "/api/manuel/sections/exigences",
            &[
                ("section_id", &section.to_string()),
                ("answers", "2.3 a ; 2.1 b,2.3  a"),
            ],
        )
        .await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM manual_section_requirements WHERE section_id = {section}"
        ))
        .await,
        2
    );
    approved_version(
        &app,
        &mut referent,
        &mut direction,
        section,
        &format!("## Rythme\n\n{HOSTILE}\n\n- chaque mois"),
    )
    .await;

    // Incomplete: the page lists what is missing, and issuing needs the confirmation.
    let page = referent.get(&editions).await;
    assert!(
        page.body.contains("n&#39;a pas de version approuvée")
            || page.body.contains("n'a pas de version approuvée"),
        "{}",
        page.body
    );
    let refused = referent
        .post_form(
            "/api/manuel/editions/emettre",
            &editions,
            &[("siae_id", &siae.to_string())],
        )
        .await;
    assert_back_to(&refused, &editions);
    assert_eq!(app.count("SELECT COUNT(*) FROM manual_editions").await, 0);
    let (first, pdf) = issue_edition(&app, &mut referent, siae).await;
    let text = tests::pdf_text(&pdf);
    for expected in [
        "Manuel qualité",
        "Édition 1",
        REGULATION,
        "#read(\"/etc/passwd\")",
        "#include \"x\"",
        "$x^2$",
        "@ref <label>",
        "<b>gras</b>",
        "Émise incomplète",
        "Première édition du manuel",
    ] {
        assert!(
            text.contains(expected),
            "the PDF shows « {expected} »:\n{text}"
        );
    }
    // Its SHA-256 is the one recorded and shown.
    let sha = tests::sha256_hex(&pdf);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM manual_editions WHERE id = {first} AND pdf_sha256 = '{sha}'"
        ))
        .await,
        1
    );
    assert!(referent.get(&editions).await.body.contains(&sha));

    // A second version of the section: edition 2 lists it in « Modifications ».
    approved_version(
        &app,
        &mut direction,
        &mut referent,
        section,
        "La réunion a lieu chaque semaine.",
    )
    .await;
    referent
        .post_form(
            "/api/manuel/editions/emettre",
            &editions,
            &[("siae_id", &siae.to_string()), ("confirmer", "oui")],
        )
        .await;
    let second = app
        .count(&format!(
            "SELECT id FROM manual_editions WHERE siae_id = {siae} AND number = 2"
        ))
        .await;
    let text = tests::pdf_text(&referent.get(&format!("{editions}/{second}")).await.bytes);
    for expected in [
        "Édition 2",
        "Modifications depuis l’édition 1",
        // The versions, « 1 → 2 », come out of pdftotext without their spaces.
        "1→2",
        "Rythme mensuel",
        "chaque semaine",
    ] {
        let found = text.contains(expected) || text.contains(&expected.replace('’', "'"));
        assert!(found, "edition 2 shows « {expected} »:\n{text}");
    }
    assert!(
        !text.contains("#read"),
        "the old version is not in edition 2"
    );

    // Rendering edition 1 again from what it recorded gives the same bytes.
    let admin = app.identity("referent@cedre.demo").await;
    let (_, job) = backend::editions::content(&app.db, &admin, siae, first)
        .await
        .unwrap();
    let again = backend::pdf::Renderer::InProcess.render(job).unwrap();
    assert!(
        again == pdf,
        "the same bytes ({} and {})",
        again.len(),
        pdf.len()
    );

    // The region reads issued editions; another region does not; the database keeps them.
    let mut region = app.signed_in("rq-region@cedre.demo").await;
    let profile = region.get(&format!("/organisations/{siae}")).await.body;
    assert!(
        profile.contains(&format!("href=\"{editions}\"")),
        "the region finds the editions: {profile}"
    );
    assert_eq!(
        region.get(&format!("{editions}/{first}")).await.status,
        StatusCode::OK
    );
    let page = region.get(&editions).await;
    assert!(
        page.status == StatusCode::OK && !page.body.contains("Émettre"),
        "{}",
        page.body
    );
    let mut other = app.signed_in("rq-aura@cedre.demo").await;
    let refused = other.get(&format!("{editions}/{first}")).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(!refused.bytes.starts_with(b"%PDF-"));
    for sql in [
        format!("UPDATE manual_editions SET issuer_name = 'x' WHERE id = {first}"),
        format!("DELETE FROM manual_editions WHERE id = {first}"),
        format!("DELETE FROM manual_edition_sections WHERE edition_id = {first}"),
    ] {
        assert!(
            sqlx::query(&sql).execute(&app.db.pool).await.is_err(),
            "{sql}"
        );
    }
    assert!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'manuel.edition'")
            .await
            == 2
    );

    // Distribution: the référent gives edition 2 to two people of the SIAE, who acknowledge it.
    let accompagnateur_id = app
        .id_of(("accounts", "email"), "accompagnateur@cedre.demo")
        .await;
    let direction_id = app
        .id_of(("accounts", "email"), "direction@cedre.demo")
        .await;
    let outsider = app
        .id_of(("accounts", "email"), "rq-region@cedre.demo")
        .await;
    let give = |people: Vec<i64>| {
        let mut fields = vec![
            ("siae_id".to_string(), siae.to_string()),
            ("edition_id".to_string(), second.to_string()),
        ];
        fields.extend(
            people
                .into_iter()
                .map(|id| (format!("destinataires[{id}]"), "oui".to_string())),
        );
        fields
    };
    let fields = give(vec![outsider]);
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = referent.call("/api/manuel/editions/remettre", &refs).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM manual_edition_recipients")
            .await,
        0
    );
    let fields = give(vec![accompagnateur_id, direction_id]);
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let given = referent.call("/api/manuel/editions/remettre", &refs).await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.body);
    let mut accompagnateur = app.signed_in("accompagnateur@cedre.demo").await;
    assert!(accompagnateur
        .get("/")
        .await
        .body
        .contains("Édition(s) du manuel à lire : 2"));
    let ids = [
        ("siae_id", siae.to_string()),
        ("edition_id", second.to_string()),
    ];
    let ids: Vec<(&str, &str)> = ids.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let read = accompagnateur.call("/api/manuel/editions/lue", &ids).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let again = accompagnateur.call("/api/manuel/editions/lue", &ids).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!accompagnateur.get("/").await.body.contains("à lire"));
    let page = referent.get(&editions).await.body;
    assert!(
        page.contains("lue le") && page.contains("pas encore lue"),
        "{page}"
    );
    for sql in [
        format!("DELETE FROM manual_edition_recipients WHERE account_id = {direction_id}"),
        format!(
            "UPDATE manual_edition_recipients SET acknowledged_at = NULL WHERE account_id = {accompagnateur_id}"
        ),
    ] {
        assert!(sqlx::query(&sql).execute(&app.db.pool).await.is_err(), "{sql}");
    }
    app.finish().await;
}
on_both_engines!(an_edition_freezes_the_versions_in_force_into_a_pdf_that_never_changes);

/// Hostile Markdown, drawn at random from a fixed seed, through the edition's template: the
/// render never fails, and every word the tree shows is in the PDF's text, literally.
#[test]
fn hostile_markdown_comes_out_of_the_pdf_as_typed() {
    const PIECES: &[&str] = &[
        "#read(\"/etc/passwd\")",
        "#include \"x.typ\"",
        "#import \"@preview/x:0.1.0\"",
        "$x^2$",
        "@ref",
        "<label>",
        "\\",
        "]",
        "[",
        "{",
        "}",
        "*",
        "_",
        "`",
        "```",
        "~~",
        "#",
        "##",
        "> ",
        "- ",
        "1. ",
        "| a | b |\n|---|---|\n| c | d |",
        "<script>alert(1)</script>",
        "&amp;",
        "\n",
        "\n\n",
        " ",
        "  ",
        "#set page(width: 1cm)",
        "#let x = 1",
        "//",
        "/*",
        "*/",
        "=",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let mut word = 0;
    let sections: Vec<serde_json::Value> = (0..12)
        .map(|i| {
            let mut text = String::new();
            for _ in 0..80 {
                if next(3) == 0 {
                    word += 1;
                    text.push_str(&format!(" mot{word}x "));
                } else {
                    text.push_str(PIECES[next(PIECES.len())]);
                }
            }
            serde_json::json!({
                "titre": format!("Section {i}"), "type": "Section libre", "version": 1,
                "approuvee_le": "23/11/2026", "exigences": "",
                "contenu": {"forme": "texte", "blocs": domain::manual::markdown::parse(&text)},
            })
        })
        .collect();
    let expected: Vec<String> = sections
        .iter()
        .flat_map(|s| {
            let blocks: Vec<domain::manual::markdown::Block> =
                serde_json::from_value(s["contenu"]["blocs"].clone()).unwrap();
            domain::manual::markdown::plain_words(&blocks)
        })
        .flat_map(|w| {
            w.split(|c: char| !c.is_alphanumeric())
                .filter(|p| p.starts_with("mot") && p.ends_with('x'))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(expected.len() > 200, "{} words", expected.len());
    let data = serde_json::json!({
        "structure": {"nom": "Structure #read(\"x\")", "type": "EI", "region": ""},
        "edition": {"numero": 1, "date": "23/11/2026", "emetteur": "Nadia Benali"},
        "historique": [{"numero": 1, "date": "23/11/2026", "emetteur": "Nadia Benali"}],
        "sections": sections, "modifications": [], "manques": [],
    });
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let pdf = backend::pdf::render(backend::pdf::MANUAL_TEMPLATE, &data, today).unwrap();
    // Line ends may hyphenate a word: compare without spaces and without hyphens at line ends.
    let text: String = tests::pdf_text(&pdf)
        .replace("-\n", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("Structure#read(\"x\")"), "{text}");
    let missing: Vec<&String> = expected
        .iter()
        .filter(|w| !text.contains(w.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} words missing: {missing:?}",
        missing.len(),
        expected.len()
    );
}

/// `cedre manuel apercu` renders a Markdown file through the editions' conversion and template.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_previews_a_markdown_file_as_a_section() {
    let dir = std::env::temp_dir().join(format!("cedre-apercu-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let markdown = dir.join("Procédure d'accueil.md");
    std::fs::write(
        &markdown,
        format!("## Étapes\n\n1. Entretien\n2. {HOSTILE}\n"),
    )
    .unwrap();
    let output = dir.join("apercu.pdf");
    tests::cedre(&[
        "manuel",
        "apercu",
        markdown.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ])
    .await
    .unwrap();
    let text = tests::pdf_text(&std::fs::read(&output).unwrap());
    for expected in [
        "Procédure d'accueil",
        "Étapes",
        "Entretien",
        "#read(\"/etc/passwd\")",
        "<b>gras</b>",
    ] {
        assert!(text.contains(expected), "« {expected} »:\n{text}");
    }
    let missing = tests::cedre(&[
        "manuel",
        "apercu",
        "/nulle/part.md",
        "-o",
        output.to_str().unwrap(),
    ])
    .await;
    assert!(missing.unwrap_err().contains("lecture de /nulle/part.md"));
    std::fs::remove_dir_all(&dir).unwrap();
}

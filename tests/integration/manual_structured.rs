//! The structured sections of the manual: an organigramme edited as a tree by forms (added,
//! renamed, moved, removed posts; a loop refused beside its field and nothing stored), a fiche
//! de poste reporting to a post of that organigramme, the tools and indicators tables; each a
//! versioned section like the text ones, drawn on the page and laid out in the edition's PDF.

use crate::manual::{issue_edition, open_version, started, step, Manual};
use http::StatusCode;
use tests::{assert_back_to, on_both_engines, Client, Engine, TestApp};

const CHART: &str = "Organigramme hiérarchique";
const JOB: &str = "Fiche de poste — Accompagnateur socioprofessionnel";
const TOOLS: &str = "Référencement des outils";
const INDICATORS: &str = "Indicateurs quantitatifs et qualitatifs de l'activité";
const REGULATION: &str = "Procédure de régulation pédagogique";

/// Posts a structured form as the page does; `revision` empty when no version is open.
async fn save(
    client: &mut Client,
    section: i64,
    revision: &str,
    fields: &[(&str, &str)],
) -> tests::Response {
    let section_text = section.to_string();
    let named: Vec<(String, &str)> = fields
        .iter()
        .map(|(name, value)| (format!("champs[{name}]"), *value))
        .collect();
    let mut form = vec![
        ("section_id", section_text.as_str()),
        ("change_note", "Mise à jour"),
    ];
    if !revision.is_empty() {
        form.push(("revision", revision));
    }
    form.extend(named.iter().map(|(n, v)| (n.as_str(), *v)));
    client
        .post_form(
            "/api/manuel/brouillon-structure",
            &format!("/manuel/sections/{section}"),
            &form,
        )
        .await
}

fn saved(response: &tests::Response, section: i64) {
    assert_eq!(
        response.location(),
        Some(format!("/manuel/sections/{section}").as_str()),
        "{}",
        response.body
    );
}

async fn revision(app: &TestApp, section: i64) -> String {
    let open = open_version(app, section).await;
    app.count(&format!(
        "SELECT revision FROM manual_section_versions WHERE id = {open}"
    ))
    .await
    .to_string()
}

/// Submits the open version of `section` and has `reviewer` approve it.
async fn approve(app: &TestApp, author: &mut Client, reviewer: &mut Client, section: i64) -> i64 {
    let version = open_version(app, section).await;
    let submitted = step(author, "/api/manuel/soumettre", section, version, &[]).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let approved = step(reviewer, "/api/manuel/approuver", section, version, &[]).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    version
}

async fn body_is(app: &TestApp, version: i64, expected: &str) -> bool {
    app.count(&format!(
        "SELECT COUNT(*) FROM manual_section_versions WHERE id = {version} AND body = '{}'",
        expected.replace('\'', "''")
    ))
    .await
        == 1
}

async fn structured_sections_are_versioned_drawn_and_laid_out_in_the_edition(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let Manual { siae, .. } = started(&app, &mut referent).await;
    let chart = app.id_of(("manual_sections", "title"), CHART).await;
    let page = format!("/manuel/sections/{chart}");

    // A first chart, typed in the blank rows; a new post can report to another new one.
    let first = save(
        &mut referent,
        chart,
        "",
        &[
            ("nouveau1.poste", "Direction"),
            ("nouveau1.titulaire", "Claire Morel"),
            ("nouveau2.poste", "Encadrant technique"),
            ("nouveau2.rattachement", "nouveau1"),
            ("nouveau3.poste", "Accompagnatrice socioprofessionnelle"),
            ("nouveau3.titulaire", "Awa Diallo"),
            ("nouveau3.rattachement", "nouveau1"),
        ],
    )
    .await;
    saved(&first, chart);
    let draft = open_version(&app, chart).await;
    let stored = r#"{"organigramme":{"nodes":[{"id":1,"post":"Direction","holder":"Claire Morel","parent":null},{"id":2,"post":"Encadrant technique","holder":"","parent":1},{"id":3,"post":"Accompagnatrice socioprofessionnelle","holder":"Awa Diallo","parent":1}]}}"#;
    assert!(body_is(&app, draft, stored).await);

    // Placing the direction under its own encadrant is a loop: refused beside the field, what
    // was typed comes back, the draft is untouched.
    let loop_fields = [
        ("p1.poste", "Direction générale"),
        ("p1.titulaire", "Claire Morel"),
        ("p1.rattachement", "2"),
        ("p2.poste", "Encadrant technique"),
        ("p2.rattachement", "1"),
        ("p3.poste", "Accompagnatrice socioprofessionnelle"),
        ("p3.titulaire", "Awa Diallo"),
        ("p3.rattachement", "1"),
    ];
    let current = revision(&app, chart).await;
    let refused = save(&mut referent, chart, &current, &loop_fields).await;
    assert_back_to(&refused, &page);
    assert!(body_is(&app, draft, stored).await);
    let shown = referent.get(&page).await;
    assert!(
        shown.body.contains(
            "« Direction générale » ne peut pas être rattaché à un poste qui dépend de lui."
        ),
        "{}",
        shown.body
    );
    assert!(
        shown.body.contains(r#"value="Direction générale""#),
        "{}",
        shown.body
    );

    // A text save cannot replace a chart with Markdown.
    let text = referent
        .call(
            "/api/manuel/brouillon",
            &[
                ("section_id", &chart.to_string()),
                ("body", "Texte libre"),
                ("change_note", ""),
                ("revision", &current),
            ],
        )
        .await;
    assert_eq!(text.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_is(&app, draft, stored).await);

    approve(&app, &mut referent, &mut direction, chart).await;
    let drawn = direction.get(&page).await;
    assert_eq!(drawn.status, StatusCode::OK);
    assert!(drawn.body.contains("<svg"), "{}", drawn.body);
    assert!(drawn.body.contains(
        r#"aria-label="Organigramme hiérarchique : Direction ; — Encadrant technique ; — Accompagnatrice socioprofessionnelle""#
    ), "{}", drawn.body);
    assert!(drawn.body.contains(">Awa Diallo</text>"));

    // The fiche de poste reports to a post of that organigramme.
    let job = app.id_of(("manual_sections", "title"), JOB).await;
    let job_fields = |reports_to: &'static str| {
        [
            ("intitule", "Accompagnateur socioprofessionnel"),
            ("rattachement", reports_to),
            (
                "finalite",
                "Construire avec chaque salarié son parcours d'insertion.",
            ),
            (
                "missions",
                "- Contractualiser les engagements réciproques\n- Conduire les bilans",
            ),
            (
                "competences",
                "Conduite d'entretien\nConnaissance du territoire",
            ),
            ("conditions", "Temps plein, déplacements sur les chantiers."),
        ]
    };
    let wrong = save(&mut referent, job, "", &job_fields("Trésorier")).await;
    assert_back_to(&wrong, &format!("/manuel/sections/{job}"));
    assert_eq!(open_version(&app, job).await, 0, "nothing stored");
    saved(
        &save(&mut referent, job, "", &job_fields("Direction")).await,
        job,
    );
    approve(&app, &mut referent, &mut direction, job).await;

    let tools = app.id_of(("manual_sections", "title"), TOOLS).await;
    let unknown = save(
        &mut referent,
        tools,
        "",
        &[
            ("l0.outil", "Convention d'engagement"),
            ("l0.procedure", "Procédure inventée"),
        ],
    )
    .await;
    assert_back_to(&unknown, &format!("/manuel/sections/{tools}"));
    let tool_rows = [
        ("l0.outil", "Grille de régulation"),
        ("l0.phase", "Parcours"),
        ("l0.procedure", REGULATION),
        ("l1.outil", "Convention d'engagement réciproque"),
        ("l1.phase", "Contractualisation"),
    ];
    saved(&save(&mut referent, tools, "", &tool_rows).await, tools);
    approve(&app, &mut referent, &mut direction, tools).await;
    let indicators = app.id_of(("manual_sections", "title"), INDICATORS).await;
    let indicator_rows = [
        ("l0.indicateur", "Sorties positives"),
        ("l0.valeur", "54 %"),
        ("l0.periode", "2025"),
    ];
    saved(
        &save(&mut referent, indicators, "", &indicator_rows).await,
        indicators,
    );
    approve(&app, &mut referent, &mut direction, indicators).await;

    // A second version of the chart: the comparison shows the renamed post word by word.
    let renamed = [
        ("p1.poste", "Direction générale"),
        ("p1.titulaire", "Claire Morel #read(\"/etc/passwd\") $x$"),
        ("p2.poste", "Encadrant technique"),
        ("p2.rattachement", "1"),
        ("p3.poste", "Accompagnatrice socioprofessionnelle"),
        ("p3.titulaire", "Awa Diallo"),
        ("p3.rattachement", "1"),
        ("p3.retirer", "on"),
    ];
    saved(&save(&mut referent, chart, "", &renamed).await, chart);
    let second = approve(&app, &mut referent, &mut direction, chart).await;
    let compared = referent
        .get(&format!(
            "/manuel/sections/{chart}/comparer?de={draft}&a={second}"
        ))
        .await;
    assert_eq!(compared.status, StatusCode::OK);
    assert!(compared.body.contains("<ins>générale"), "{}", compared.body);
    let removed: Vec<&str> = compared
        .body
        .split("<del>")
        .skip(1)
        .filter_map(|d| d.split("</del>").next())
        .collect();
    assert!(
        removed
            .iter()
            .any(|d| d.contains("Accompagnatrice socioprofessionnelle (Awa Diallo)")),
        "the removed post is struck: {removed:?}"
    );

    // The edition lays every kind out in its PDF.
    let (_, pdf) = issue_edition(&app, &mut referent, siae).await;
    let text = tests::pdf_text(&pdf);
    for expected in [
        "Direction générale",
        "Claire Morel #read(\"/etc/passwd\") $x$",
        "Encadrant technique",
        "Rattachement hiérarchique",
        "Contractualiser les engagements réciproques",
        "Connaissance du territoire",
        "Convention d'engagement réciproque",
        "Procédure qui l'utilise",
        "Sorties positives",
        "54 %",
    ] {
        assert!(
            text.contains(expected),
            "the PDF shows « {expected} »:\n{text}"
        );
    }
    assert!(
        !text.contains("Awa Diallo"),
        "the removed post is not in the edition:\n{text}"
    );
    app.finish().await;
}
on_both_engines!(structured_sections_are_versioned_drawn_and_laid_out_in_the_edition);

//! The aid to choosing an engagement: the SIAE's staff answer fiche outil n°15's indicators
//! and read the six engagements ranked, with their definitions; the page stores nothing.

use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

/// The engagements' headings in the order the page shows them.
fn ranking(body: &str) -> Vec<&str> {
    body.split("<h3 id=\"engagement-")
        .skip(1)
        .filter_map(|part| part.split_once("\">"))
        .filter_map(|(_, rest)| rest.split_once("</h3>"))
        .map(|(label, _)| label)
        .collect()
}

async fn the_staff_see_the_engagements_ranked_for_the_person_s_situation(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut staff = app.signed_in("accompagnateur@cedre.demo").await;
    let home = staff.get("/").await;
    assert!(
        home.body
            .contains("href=\"/parcours/aide-au-choix\">Choix d'engagement</a>"),
        "{}",
        home.body
    );

    // Nothing answered: no ranking, the grid for reference.
    let blank = staff.get("/parcours/aide-au-choix").await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(ranking(&blank.body).is_empty(), "{}", blank.body);
    assert!(blank
        .body
        .contains("Indicateurs de repérage de l'engagement à proposer"));

    // Work first, a project, short horizon, cannot work right away.
    let page = staff
        .get("/parcours/aide-au-choix?priorite=emploi&echeance=courte&projet=oui&capacite=non")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        ranking(&page.body),
        [
            "Validation professionnelle",
            "Mobilisation et préparation professionnelle",
            "Découverte",
            "Coup de pouce",
            "Soutien actif",
            "Templus",
        ]
    );
    for expected in [
        "3 indicateur(s) sur 4 en commun.",
        "1 indicateur(s) sur 4 en commun ; la priorité de la personne n'est pas celle de cet engagement.",
        "Sortie de l'organisme ou vers un engagement validation professionnelle",
        "Conforter ou réacquérir des compétences et des savoirs directement utiles",
        // The answers are kept in the form.
        "<option value=\"emploi\" selected",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }

    // Obstacles first, for the long run.
    let page = staff
        .get(
            "/parcours/aide-au-choix?priorite=peripherique&echeance=longue&projet=non&capacite=non",
        )
        .await;
    assert_eq!(ranking(&page.body)[0], "Templus");
    assert!(page.body.contains("4 indicateur(s) sur 4 en commun."));
    app.finish().await;
}

on_both_engines!(the_staff_see_the_engagements_ranked_for_the_person_s_situation);

/// A person's file, as an accompagnateur keeps it: the first contact, then the accueil and
/// the inscription, an engagement réciproque with two actions and its bilan, the engagement
/// that follows it, the exit. Bad input changes nothing; every change is in the trail, which
/// never names the person; each opening of the file is recorded, and the direction sees who
/// opened it. No one outside the SIAE's staff reaches the person, not even by number.
async fn an_accompagnateur_keeps_a_person_s_file_that_no_one_outside_the_siae_reaches(
    engine: Engine,
) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let lucie = app
        .id_of(("accounts", "email"), "accompagnateur@cedre.demo")
        .await;
    let today = domain::time::today();
    let days_ago = |n: i64| (today - chrono::Duration::days(n)).to_string();
    let mut staff = app.signed_in("accompagnateur@cedre.demo").await;
    let list = format!("/organisations/{rennes}/personnes");
    let empty = staff.get(&list).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(
        empty
            .body
            .contains("Aucune personne n'est encore enregistrée"),
        "{}",
        empty.body
    );

    // A first contact without a name, dated tomorrow: refused, nothing written.
    let refused = staff
        .call(
            "/api/parcours/personnes/creer",
            &[
                ("siae_id", &rennes.to_string()),
                ("last_name", " "),
                (
                    "pre_accueil_on",
                    &(today + chrono::Duration::days(1)).to_string(),
                ),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Indiquez le nom de la personne."),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Cette date est à venir"),
        "{}",
        refused.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM persons").await, 0);

    let created = staff
        .call(
            "/api/parcours/personnes/creer",
            &[
                ("siae_id", &rennes.to_string()),
                ("last_name", "Durandal"),
                ("first_name", "Christian"),
                ("pre_accueil_on", &days_ago(40)),
                ("request", "Travailler vite : manutention ou peinture."),
                ("accompagnateur_id", &lucie.to_string()),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let person = app.id_of(("persons", "last_name"), "Durandal").await;
    let fields = |more: &[(&'static str, String)]| {
        let mut all = vec![("person_id", person.to_string())];
        all.extend(more.iter().cloned());
        all
    };
    let call = |pairs: &[(&'static str, String)]| {
        pairs
            .iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect::<Vec<(&str, String)>>()
    };
    async fn post(
        client: &mut tests::Client,
        path: &str,
        pairs: Vec<(&str, String)>,
    ) -> tests::Response {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        client.call(path, &pairs).await
    }

    // No engagement before the inscription.
    let engagement = |kind: &str, signed_on: String, due_on: String| {
        vec![
            ("kind", kind.to_string()),
            ("signed_on", signed_on),
            ("needs", "Urgence financière".to_string()),
            ("object", "Des missions de manutention".to_string()),
            (
                "means_structure",
                "Rechercher des mises à disposition".to_string(),
            ),
            ("means_person", "Être joignable".to_string()),
            ("due_on", due_on),
            ("form", "ecrit".to_string()),
            ("signed", "on".to_string()),
        ]
    };
    let early = post(
        &mut staff,
        "/api/parcours/engagement",
        call(&fields(&engagement(
            "coup_de_pouce",
            days_ago(30),
            days_ago(10),
        ))),
    )
    .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early.body.contains("Un engagement suit l'inscription"),
        "{}",
        early.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM engagements").await, 0);

    let file_form = |accueil: String, inscription: String| {
        fields(&[
            ("last_name", "Durandal".into()),
            ("first_name", "Christian".into()),
            ("pre_accueil_on", days_ago(40)),
            ("accueil_on", accueil),
            ("inscription_on", inscription),
            (
                "request",
                "Travailler vite : manutention ou peinture.".into(),
            ),
            ("accompagnateur_id", lucie.to_string()),
        ])
    };
    // An inscription before the accueil is refused; the file keeps what it had.
    let backwards = post(
        &mut staff,
        "/api/parcours/personne/modifier",
        call(&file_form(days_ago(32), days_ago(35))),
    )
    .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM persons WHERE accueil_on IS NULL")
            .await,
        1
    );
    let inscribed = post(
        &mut staff,
        "/api/parcours/personne/modifier",
        call(&file_form(days_ago(32), days_ago(32))),
    )
    .await;
    assert_eq!(inscribed.status, StatusCode::OK, "{}", inscribed.body);

    let signed = post(
        &mut staff,
        "/api/parcours/engagement",
        call(&fields(&engagement(
            "coup_de_pouce",
            days_ago(30),
            days_ago(10),
        ))),
    )
    .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    let first = app.id_of(("engagements", "kind"), "coup_de_pouce").await;
    for action in [
        vec![
            ("on", days_ago(30)),
            ("kind", "entretien".to_string()),
            ("label", "Entretien individuel".to_string()),
            ("engagement_id", first.to_string()),
            ("status", "realisee".to_string()),
            ("minutes", "45".to_string()),
        ],
        vec![
            ("on", days_ago(28)),
            ("kind", "mets".to_string()),
            ("label", "MAD manutention".to_string()),
            ("engagement_id", first.to_string()),
            ("status", "en_cours".to_string()),
            ("client", "Entreprise Durand".to_string()),
            ("rome_code", "N1105".to_string()),
            ("hours", "5".to_string()),
        ],
    ] {
        let done = post(&mut staff, "/api/parcours/action", call(&fields(&action))).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM parcours_actions WHERE kind = 'mets' AND placement_minutes = 300 AND rome_code = 'N1105'").await,
        1
    );
    // The échéance passed without bilan: the suivi a minima says so, on the file and the list.
    let file = staff.get(&format!("/personnes/{person}")).await;
    assert_eq!(file.status, StatusCode::OK);
    let due = domain::time::display_date(today - chrono::Duration::days(10));
    assert!(
        file.body.contains(&format!(
            "Échéance du {due} passée sans bilan (Coup de pouce)"
        )),
        "{}",
        file.body
    );
    assert!(
        !file.body.contains("Consultations de la fiche"),
        "the reads are the direction's to see"
    );

    let bilan = post(
        &mut staff,
        "/api/parcours/bilan",
        call(&fields(&[
            ("engagement_id", first.to_string()),
            ("held_on", days_ago(9)),
            ("achieved", "en_partie".into()),
            ("follow_up", "oui".into()),
            ("comments", "Deux missions réalisées".into()),
        ])),
    )
    .await;
    assert_eq!(bilan.status, StatusCode::OK, "{}", bilan.body);
    let next = post(
        &mut staff,
        "/api/parcours/engagement",
        call(&{
            let mut f = fields(&engagement(
                "validation_professionnelle",
                days_ago(8),
                (today + chrono::Duration::days(60)).to_string(),
            ));
            f.push(("follows_id", first.to_string()));
            f
        }),
    )
    .await;
    assert_eq!(next.status, StatusCode::OK, "{}", next.body);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM engagements WHERE follows_id = {first} AND kind = 'validation_professionnelle'")).await,
        1
    );
    let listed = staff.get(&format!("{list}?q=durandal")).await;
    assert!(listed.body.contains("En parcours"), "{}", listed.body);
    assert!(
        listed.body.contains("Validation professionnelle"),
        "{}",
        listed.body
    );
    let synthesis = staff.get(&format!("{list}/synthese")).await;
    assert_eq!(synthesis.status, StatusCode::OK);
    assert!(
        synthesis.body.contains("Durandal Christian"),
        "{}",
        synthesis.body
    );

    // The convention to print, sign and hand over, with its bilan; the fiche de suivi.
    let convention = staff
        .get(&format!(
            "/personnes/{person}/engagements/{first}/convention.pdf"
        ))
        .await;
    assert_eq!(convention.status, StatusCode::OK);
    let text = tests::pdf_text(&convention.bytes);
    for expected in [
        "ENGAGEMENT RÉCIPROQUE",
        "Réf. engagement : CP",
        "Durandal Christian",
        "Emploi Solidaire du Pays de Rennes",
        "Des missions de manutention",
        "Rechercher des mises à disposition",
        "Deux missions réalisées",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let fiche = staff
        .get(&format!("/personnes/{person}/fiche-de-suivi.pdf"))
        .await;
    assert_eq!(fiche.status, StatusCode::OK);
    let text = tests::pdf_text(&fiche.bytes);
    for expected in [
        "Fiche individuelle de suivi",
        "MAD manutention",
        "Entreprise Durand",
        "45 min",
        "Validation professionnelle",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }

    // The direction sees who opened the file.
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let seen = direction.get(&format!("/personnes/{person}")).await;
    assert!(
        seen.body.contains("Consultations de la fiche"),
        "{}",
        seen.body
    );
    assert!(seen.body.contains("Lucie Robert"), "{}", seen.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM person_reads WHERE person_id = {person} AND account_id = {lucie}"
        ))
        .await,
        3,
        "the page, the convention, the fiche de suivi"
    );
    assert!(seen.body.contains("convention (PDF)"), "{}", seen.body);

    // Outside the SIAE's staff, nothing of the person: the region that sees the SIAE is
    // refused its list, and no one finds the file; a change by another SIAE writes nothing.
    for email in [
        "rq-region@cedre.demo",
        "ca-region@cedre.demo",
        "rq-federal@cedre.demo",
        "comite@cedre.demo",
        "admin@cedre.demo",
        "auditeur@cedre.demo",
        "referent.forez@cedre.demo",
    ] {
        let mut outsider = app.signed_in(email).await;
        let page = outsider.get(&format!("/personnes/{person}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{email}");
        let listing = outsider.get(&list).await;
        assert!(
            matches!(
                listing.status,
                StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
            ),
            "{email}: {}",
            listing.status
        );
        let api = outsider
            .call(
                "/api/parcours/personne",
                &[("person_id", &person.to_string())],
            )
            .await;
        let pdf = outsider
            .get(&format!(
                "/personnes/{person}/engagements/{first}/convention.pdf"
            ))
            .await;
        assert_eq!(pdf.status, StatusCode::NOT_FOUND, "{email}");
        // Refused before the form is read: a blank name earns no « 422 » that would tell
        // the form reached the SIAE.
        let blank = outsider
            .call(
                "/api/parcours/personnes/creer",
                &[("siae_id", &rennes.to_string()), ("last_name", "")],
            )
            .await;
        assert!(
            matches!(blank.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{email}: {}",
            blank.status
        );
        assert_eq!(api.status, StatusCode::NOT_FOUND, "{email}");
        for body in [&page.body, &listing.body, &api.body] {
            assert!(!body.contains("Durandal"), "{email} reads the name");
        }
        let renamed = post(
            &mut outsider,
            "/api/parcours/personne/modifier",
            call(&{
                let mut f = file_form(days_ago(32), days_ago(32));
                f[1].1 = "Pirate".into();
                f
            }),
        )
        .await;
        assert_eq!(renamed.status, StatusCode::NOT_FOUND, "{email}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM persons WHERE last_name = 'Durandal'")
            .await,
        1
    );

    let exit = post(
        &mut staff,
        "/api/parcours/sortie",
        call(&fields(&[
            ("exit_on", days_ago(1)),
            ("exit_kind", "emploi_durable".into()),
        ])),
    )
    .await;
    assert_eq!(exit.status, StatusCode::OK, "{}", exit.body);
    let gone = staff.get(&format!("{list}?q=durandal")).await;
    assert!(gone.body.contains("Sorti"), "{}", gone.body);

    // The trail: each change, by number, never the name nor the texts.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'personne' AND entity_id = {person} AND organisation_id = {rennes}"
        ))
        .await,
        8,
        "registered, updated, engagement, two actions, bilan, engagement, exit — and nothing for the refusals"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE summary LIKE '%Durandal%' OR changes LIKE '%Durandal%' OR changes LIKE '%manutention%'").await,
        0
    );
    app.finish().await;
}
on_both_engines!(an_accompagnateur_keeps_a_person_s_file_that_no_one_outside_the_siae_reaches);

/// The tables whose rows point at one of `tables` by a foreign key.
async fn referencing(app: &TestApp, engine: Engine, table: &str) -> Vec<String> {
    use sqlx::Row;
    let sql = match engine {
        Engine::Sqlite => format!(
            "SELECT DISTINCT m.name AS t FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
             WHERE m.type = 'table' AND f.\"table\" = '{table}'"
        ),
        Engine::Postgres => format!(
            "SELECT DISTINCT tc.table_name::text AS t FROM information_schema.table_constraints tc \
             JOIN information_schema.constraint_column_usage ccu \
             ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
             WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() \
             AND ccu.table_name = '{table}'"
        ),
    };
    sqlx::query(&sql)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<String, _>("t"))
        .collect()
}

/// A person's right of access: everything recorded of them, as JSON. The test walks the
/// schema — every table that points at a person, directly or through another such table —
/// and fails when one is missing from the export.
async fn a_person_s_whole_file_is_exported_for_their_right_of_access(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let today = domain::time::today();
    let ago = |n: i64| (today - chrono::Duration::days(n)).to_string();
    let mut staff = app.signed_in("accompagnateur@cedre.demo").await;
    let opened = staff
        .call(
            "/api/parcours/personnes/creer",
            &[
                ("siae_id", &rennes.to_string()),
                ("last_name", "Accèsdroit"),
                ("pre_accueil_on", &ago(20)),
                ("accueil_on", &ago(18)),
                ("inscription_on", &ago(18)),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    let person = app.id_of(("persons", "last_name"), "Accèsdroit").await;
    let engaged = staff
        .call(
            "/api/parcours/engagement",
            &[
                ("person_id", &person.to_string()),
                ("kind", "decouverte"),
                ("signed_on", &ago(15)),
                ("object", "Découvrir deux métiers"),
                ("means_structure", "Missions tests"),
                ("means_person", "Dire ce qui plaît"),
                ("due_on", &ago(-30)),
                ("form", "oral"),
            ],
        )
        .await;
    assert_eq!(engaged.status, StatusCode::OK, "{}", engaged.body);
    let acted = staff
        .call(
            "/api/parcours/action",
            &[
                ("person_id", &person.to_string()),
                ("on", &ago(14)),
                ("kind", "atelier"),
                ("label", "Atelier CV du mardi"),
                ("status", "realisee"),
            ],
        )
        .await;
    assert_eq!(acted.status, StatusCode::OK, "{}", acted.body);

    let export = staff
        .get(&format!("/personnes/{person}/donnees.json"))
        .await;
    assert_eq!(export.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_slice(&export.bytes).expect("JSON");
    assert_eq!(json["persons"]["fiche"]["last_name"], "Accèsdroit");
    assert_eq!(json["engagements"][0]["object"], "Découvrir deux métiers");
    assert_eq!(json["parcours_actions"][0]["label"], "Atelier CV du mardi");
    assert_eq!(
        json["person_reads"][0]["what"], "export (droit d'accès)",
        "the export is itself a reading, listed with the others"
    );

    let mut linked = vec!["persons".to_string()];
    let mut next = 0;
    while next < linked.len() {
        for table in referencing(&app, engine, &linked[next].clone()).await {
            if !linked.contains(&table) {
                linked.push(table);
            }
        }
        next += 1;
    }
    assert!(linked.len() >= 4, "{linked:?}");
    for table in &linked {
        assert!(
            json.get(table).is_some(),
            "the table {table} holds rows of a person and is missing from the export"
        );
    }

    // Out of the SIAE, nothing.
    let mut region = app.signed_in("rq-region@cedre.demo").await;
    let refused = region
        .get(&format!("/personnes/{person}/donnees.json"))
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(!refused.body.contains("Accèsdroit"));
    app.finish().await;
}
on_both_engines!(a_person_s_whole_file_is_exported_for_their_right_of_access);

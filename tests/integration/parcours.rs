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

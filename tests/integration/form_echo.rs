//! A refused form comes back as it was typed, each message beside its field (the form echo),
//! once, and never with a password.

use app::url::requirement_page;
use tests::{on_both_engines, Engine, TestApp};

/// The `<p>` of the message of the field `id`, and the field's own tag.
fn message_and_field<'a>(page: &'a str, id: &str) -> (&'a str, &'a str) {
    let message_at = page
        .find(&format!("id=\"{id}-erreur\""))
        .unwrap_or_else(|| panic!("no message for {id}: {page}"));
    let message_end = message_at + page[message_at..].find("</p>").unwrap();
    let field_at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no field {id}"));
    let start = page[..field_at].rfind('<').unwrap();
    let end = field_at + page[field_at..].find('>').unwrap();
    (&page[message_at..message_end], &page[start..=end])
}

async fn refused_forms_come_back_as_typed(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let region = app
        .id_of(("organisations", "name"), "COORACE Bretagne")
        .await
        .to_string();
    let form = [
        ("draft[kind]", "siae"),
        ("draft[name]", "Ateliers du Léon"),
        ("draft[siret]", "123 456 789 01234"),
        ("draft[siae_type]", "ACI"),
        ("draft[region_id]", region.as_str()),
        ("draft[entry_date]", "2026-01-05"),
        ("draft[funded_fte]", "2,5"),
        ("draft[city]", "Morlaix <sud>"),
    ];
    let refused = admin
        .post_form("/api/organisations/creer", "/organisations/nouvelle", &form)
        .await;
    tests::assert_back_to(&refused, "/organisations/nouvelle");
    for cookie in refused.headers.get_all(http::header::SET_COOKIE) {
        let cookie = cookie.to_str().unwrap();
        assert!(
            !cookie.contains("Morlaix") && !cookie.contains("Ateliers"),
            "typed text in a cookie: {cookie}"
        );
    }
    let page = admin.get("/organisations/nouvelle").await.body;
    let (message, field) = message_and_field(&page, "org-siret");
    assert!(message.contains("clé de contrôle"), "{message}");
    assert!(field.contains("aria-invalid=\"true\""), "{field}");
    assert!(
        field.contains("aria-describedby=\"org-siret-aide org-siret-erreur\""),
        "{field}"
    );
    assert!(field.contains("value=\"123 456 789 01234\""), "{field}");
    assert!(page.contains("value=\"Ateliers du Léon\""));
    assert!(page.contains("value=\"Morlaix &lt;sud&gt;\""), "escaped");
    assert!(page.contains("value=\"2,5\""));
    assert!(page.contains(&format!("<option value=\"{region}\" selected")));
    assert!(page.contains("<option value=\"ACI\" selected"));
    assert_eq!(
        page.matches("role=\"alert\"").count(),
        1,
        "one alert, in the form: {page}"
    );
    assert!(page.contains("Rien n'a été enregistré"));
    // Shown once: the page comes back empty afterwards.
    let again = admin.get("/organisations/nouvelle").await.body;
    assert!(!again.contains("Ateliers du Léon") && !again.contains("erreur-champ"));

    // « Non applicable » without a justification: the message beside the justification.
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let page_path = requirement_page(rennes, "2.2 b");
    let rennes_text = rennes.to_string();
    referent
        .post_form(
            "/api/referentiel/evaluer",
            &page_path,
            &[
                ("siae_id", &rennes_text),
                ("key", "2.2 b"),
                ("draft[status]", "non_applicable"),
                ("draft[comment]", "Pas de salariés en parcours"),
                ("draft[justification]", ""),
                ("draft[responsible]", "Nadia"),
                ("draft[target_date]", "2027-03-31"),
            ],
        )
        .await;
    let page = referent.get(&page_path).await.body;
    let (message, field) = message_and_field(&page, "eval-justification");
    assert!(message.contains("doit être justifié"), "{message}");
    assert!(field.contains("aria-invalid=\"true\""), "{field}");
    assert!(page.contains("<option value=\"non_applicable\" selected"));
    assert!(page.contains("Pas de salariés en parcours</textarea>"));
    assert!(page.contains("value=\"Nadia\""));
    assert!(page.contains("value=\"2027-03-31\""));

    // Login: the address comes back, the password never does.
    let mut visitor = app.client();
    visitor
        .login("admin@cedre.demo", "ce n'est pas le bon mot de passe")
        .await;
    let page = visitor.get("/connexion").await.body;
    assert!(page.contains("value=\"admin@cedre.demo\""), "{page}");
    assert!(page.contains("incorrect"));
    assert!(!page.contains("ce n&#x27;est pas le bon") && !page.contains("pas le bon mot"));

    // A refusal whose form the page no longer offers is still said, at the top of the content.
    let id = app
        .id_of(("accounts", "email"), "admin@cedre.demo")
        .await
        .to_string();
    let path = format!("/administration/comptes/{id}");
    admin
        .post_form(
            "/api/comptes/roles/retirer",
            &path,
            &[("account_id", &id), ("membership_id", "999999")],
        )
        .await;
    let page = admin.get(&path).await.body;
    assert!(page.contains("erreurs-formulaire"), "{page}");
    app.finish().await;
}
on_both_engines!(refused_forms_come_back_as_typed);

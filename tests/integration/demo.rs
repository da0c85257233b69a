//! Demo accounts stay in the demo: the published password is refused outside a database loaded by
//! `cedre demo`, and a demonstration installation says so on every page.

use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

async fn a_demonstration_says_so_on_every_page(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut visitor = app.client();
    let login = visitor.get("/connexion").await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(
        login.body.contains("class=\"bandeau-demo\"") && login.body.contains("Démonstration"),
        "{}",
        login.body
    );
    let mut referent = app.signed_in("referent@cedre.demo").await;
    for path in ["/", "/organisations", "/page-inconnue"] {
        let page = referent.get(path).await;
        assert!(page.body.contains("class=\"bandeau-demo\""), "{path}");
    }
    app.finish().await;

    // An installation that `cedre demo` did not load shows no banner.
    let Some(app) = TestApp::start(engine).await else {
        return;
    };
    let login = app.client().get("/connexion").await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(!login.body.contains("bandeau-demo"));
    app.finish().await;
}
on_both_engines!(a_demonstration_says_so_on_every_page);

async fn the_published_password_is_closed_outside_a_demonstration(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    backend::accounts::create_administrator(
        &app.db,
        "vraie.admin@coorace.fr",
        "Vraie Administratrice",
        "un mot de passe bien à elle",
        false,
        "COORACE — Fédération nationale",
    )
    .await
    .unwrap();
    let active = "SELECT COUNT(*) FROM accounts WHERE active = 1";
    let demo_accounts = backend::demo::ACCOUNTS.len() as i64;
    assert_eq!(app.count(active).await, demo_accounts + 1);

    // In the demonstration the demo accounts are what it is for: nothing changes.
    assert!(backend::demo::disable_published_passwords(&app.db)
        .await
        .unwrap()
        .is_empty());
    let mut referent = app.signed_in("referent@cedre.demo").await;
    assert_eq!(referent.get("/").await.status, StatusCode::OK);

    // The same accounts in a database not loaded by `cedre demo` (a copy put in production,
    // or the demo password chosen by hand): `cedre serve` disables them before serving.
    sqlx::query("DELETE FROM instance_settings WHERE key = 'demo'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let disabled = backend::demo::disable_published_passwords(&app.db)
        .await
        .unwrap();
    assert_eq!(disabled.len() as i64, demo_accounts);
    assert!(disabled.contains(&"admin@cedre.demo".to_string()));
    assert_eq!(app.count(active).await, 1, "only the real account is left");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'compte.desactivation'")
            .await,
        demo_accounts
    );
    // Their sessions ended, and the published password no longer opens them.
    assert_eq!(referent.get("/").await.location(), Some("/connexion"));
    let mut visitor = app.client();
    assert_ne!(
        visitor
            .login("admin@cedre.demo", backend::demo::DEMO_PASSWORD)
            .await
            .location(),
        Some("/")
    );
    // A second start finds nothing more to do; the real administrator still signs in.
    assert!(backend::demo::disable_published_passwords(&app.db)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        app.client()
            .login("vraie.admin@coorace.fr", "un mot de passe bien à elle")
            .await
            .location(),
        Some("/")
    );
    app.finish().await;
}
on_both_engines!(the_published_password_is_closed_outside_a_demonstration);

/// The demo's cycles as `cedre demo` loads them after the federation.
async fn with_cycles(engine: Engine) -> Option<TestApp> {
    let app = TestApp::with_demo(engine).await?;
    let demande_page = |siae: i64| format!("http://cedre.test/organisations/{siae}/certification");
    let addresses = backend::demo::cycles::Addresses {
        site: "http://cedre.test",
        demande_page: &demande_page,
    };
    backend::demo::cycles::load(&app.db, &backend::pdf::Renderer::InProcess, &addresses)
        .await
        .expect("load the demo cycles");
    backend::demo::parcours::load(&app.db)
        .await
        .expect("load the demo parcours");
    Some(app)
}

async fn the_demo_has_a_siae_at_every_stage_of_the_cycle(engine: Engine) {
    let Some(app) = with_cycles(engine).await else {
        return;
    };
    use sqlx::Row;
    let states: Vec<(String, String)> = sqlx::query(
        "SELECT o.name, d.state FROM demandes d JOIN organisations o ON o.id = d.siae_id ORDER BY o.name",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    let expected = [
        ("Chantier Nature Dauphiné", "soumise"),
        ("Groupe Avenir Bretagne", "certifiee"),
        ("Les Jardins de l'Odet", "certifiee_sous_conditions"),
        ("Relais Emploi Lyonnais", "rapport_remis"),
        ("Tremplin Intérim Armor", "audit_en_cours"),
    ];
    assert_eq!(
        states,
        expected.map(|(n, s)| (n.to_string(), s.to_string())),
        "the guided tour's SIAE keep no demande"
    );

    // One certificate ends within three months, the other in more than two years.
    let today = domain::time::today();
    let validity = |name: &str| {
        let sql = format!(
            "SELECT c.valid_until, c.code FROM certificates c JOIN organisations o ON o.id = c.siae_id \
             WHERE o.name = '{}'",
            name.replace('\'', "''")
        );
        let pool = app.db.pool.clone();
        async move {
            let row = sqlx::query(&sql).fetch_one(&pool).await.unwrap();
            let until: String = row.get(0);
            let code: String = row.get(1);
            (until.parse::<chrono::NaiveDate>().unwrap(), code)
        }
    };
    let (avenir_until, avenir_code) = validity("Groupe Avenir Bretagne").await;
    assert!(
        avenir_until > today && avenir_until <= today + chrono::Months::new(3),
        "{avenir_until}"
    );
    let (odet_until, _) = validity("Les Jardins de l'Odet").await;
    assert!(odet_until > today + chrono::Months::new(24), "{odet_until}");
    let public = app
        .client()
        .get(&format!("/verification/{avenir_code}"))
        .await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Groupe Avenir Bretagne") && public.body.contains("alide"));

    // Each actor finds their part: the federation the certificate at risk first, the auditor
    // of the cycles the audit under way (and the guided tour's auditor nothing of it), the
    // region of the Dauphiné the demande awaiting its board.
    let mut federation = app.signed_in("rq-federal@cedre.demo").await;
    let home = federation.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let cycles = &home.body[home
        .body
        .find("Cycles de certification des SIAE")
        .expect("the table of cycles")..];
    let at_risk = cycles
        .find("Groupe Avenir Bretagne")
        .expect("Avenir listed");
    let later = cycles
        .find("Les Jardins de l&#x27;Odet")
        .or_else(|| cycles.find("Les Jardins de l'Odet"));
    assert!(
        later.is_some_and(|odet| at_risk < odet),
        "the one at risk comes first"
    );
    assert!(cycles.contains("À risque depuis le"), "{cycles}");
    let mut auditor = app.signed_in("auditrice@cedre.demo").await;
    assert!(auditor
        .get("/")
        .await
        .body
        .contains("Tremplin Intérim Armor"));
    let mut tour_auditor = app.signed_in("auditeur@cedre.demo").await;
    assert!(!tour_auditor
        .get("/")
        .await
        .body
        .contains("Tremplin Intérim Armor"));
    let mut region = app.signed_in("rq-aura@cedre.demo").await;
    assert!(region
        .get("/")
        .await
        .body
        .contains("Chantier Nature Dauphiné"));

    // The conditions of the Odet have their action, declared done and awaiting its check.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM corrective_actions a JOIN demandes d ON d.id = a.demande_id \
             JOIN organisations o ON o.id = d.siae_id \
             WHERE o.name = 'Les Jardins de l''Odet' AND a.finding_id IS NULL AND a.state = 'realisee'"
        )
        .await,
        1
    );

    // Lyon's audit blanc is over, funded by its region: the region reads its report, the
    // federation does not.
    let lyon = app
        .id_of(("organisations", "name"), "Relais Emploi Lyonnais")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM demandes WHERE siae_id = {lyon} AND kind = 'audit_blanc'"
        ))
        .await,
        1
    );
    let report = format!("/organisations/{lyon}/certification/audit");
    assert_eq!(region.get(&report).await.status, StatusCode::OK);
    assert_eq!(federation.get(&report).await.status, StatusCode::FORBIDDEN);

    // The audits were priced at assignment and invoiced by the auditor.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_costs WHERE invoiced_on IS NOT NULL")
            .await,
        3
    );

    // Every SIAE has a few dozen people, at every phase, with fictitious names.
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT siae_id) FROM persons")
            .await,
        7
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM persons").await, 7 * 24);
    let mut staff = app.signed_in("accompagnateur@cedre.demo").await;
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let all = staff
        .get(&format!(
            "/organisations/{rennes}/personnes?tri=phase&page=1"
        ))
        .await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("24 personnes"), "{}", all.body);
    for phase in ["Accueil", "Pré-embauche", "En parcours", "Sorti"] {
        assert!(all.body.contains(&format!("<td>{phase}</td>")), "{phase}");
    }
    // The suivi a minima has people to see again: échéances passed without bilan.
    assert!(all.body.contains("passée sans bilan"), "{}", all.body);
    let home = staff.get("/").await;
    assert!(home.body.contains("Suivi a minima"), "{}", home.body);
    assert!(
        app.count("SELECT COUNT(*) FROM engagements WHERE follows_id IS NOT NULL")
            .await
            > 0
    );
    app.finish().await;
}
on_both_engines!(the_demo_has_a_siae_at_every_stage_of_the_cycle);

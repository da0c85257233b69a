use app::api::{Access, SERVER_FN_POLICIES};
use domain::policy::Action;
use http::StatusCode;
use leptos::server_fn::axum::server_fn_paths;
use tests::{on_both_engines, Engine, TestApp};

/// Fails when a server function is added without a line in the policy table.
#[test]
fn every_registered_server_function_has_a_policy() {
    let registered: Vec<&str> = server_fn_paths().map(|(path, _)| path).collect();
    assert!(
        registered.len() >= SERVER_FN_POLICIES.len(),
        "server functions are registered"
    );
    for path in &registered {
        assert!(
            SERVER_FN_POLICIES.iter().any(|(p, _)| p == path),
            "the server function {path} has no entry in app::api::SERVER_FN_POLICIES"
        );
    }
    for (path, _) in SERVER_FN_POLICIES {
        assert!(
            registered.contains(path),
            "{path} is in the policy table but not registered"
        );
    }
}

/// Every server function but login refuses a caller without a session, and every one
/// reserved to an action refuses a signed-in account that the policy denies.
async fn server_functions_enforce_their_policy(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut anonymous = app.client();
    let mut staff = app.signed_in("accompagnateur@cedre.demo").await;
    let hidden_siae = app
        .id_of(("organisations", "name"), "Recyclerie du Forez")
        .await
        .to_string();
    for (path, access) in SERVER_FN_POLICIES {
        // Arguments that parse, so that only the policy can refuse.
        let fields: Vec<(&str, &str)> = vec![
            ("id", hidden_siae.as_str()),
            ("active", "false"),
            ("account_id", "1"),
            ("membership_id", "1"),
            ("organisation_id", "1"),
            ("role", "Administrateur"),
            ("email", "x@exemple.fr"),
            ("display_name", "X"),
            ("draft[kind]", "region"),
            ("draft[name]", "Région pirate"),
            ("actuel", "x"),
            ("nouveau", "x"),
            ("confirmation", "x"),
            ("password", "x"),
            ("siae_id", hidden_siae.as_str()),
            ("key", "2.1 a"),
            ("document_id", "1"),
            ("linked", "true"),
            ("section", "2.1"),
            ("mean", "Grille d'entretien"),
            ("checked", "true"),
            ("base_id", "1"),
            ("version_id", "1"),
            ("code", "X"),
            ("label", "X"),
            ("text", "X"),
            ("draft[status]", "conforme"),
        ];
        let response = anonymous.call(path, &fields).await;
        match access {
            Access::Public => assert_ne!(response.status, StatusCode::UNAUTHORIZED, "{path}"),
            _ => assert_eq!(
                response.status,
                StatusCode::UNAUTHORIZED,
                "{path} without a session: {}",
                response.body
            ),
        }
        if let Access::Requires(action) = access {
            let response = staff.call(path, &fields).await;
            // Lists answer with what the caller may see; anything else is refused, and a SIAE
            // outside one's reach answers 404: its existence is private too.
            let expected = match *path {
                "/api/organisations/liste" | "/api/referentiel/tableau" => vec![StatusCode::OK],
                _ if matches!(
                    action,
                    Action::ManageAccounts
                        | Action::ViewAuditTrail
                        | Action::ManageReferentiel
                        | Action::CreateOrganisation
                ) =>
                {
                    vec![StatusCode::FORBIDDEN]
                }
                _ => vec![StatusCode::FORBIDDEN, StatusCode::NOT_FOUND],
            };
            assert!(
                expected.contains(&response.status),
                "{path} as accompagnateur: {} {}",
                response.status,
                response.body
            );
        }
    }
    // Nothing was changed by the refused calls.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisations WHERE name = 'Région pirate'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE email = 'x@exemple.fr'")
            .await,
        0
    );
    app.finish().await;
}
on_both_engines!(server_functions_enforce_their_policy);

/// Organisation pages by role: own organisation, another of the same region, one of another region.
async fn organisation_pages_follow_the_policy(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let own_siae = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let same_region_siae = app
        .id_of(("organisations", "name"), "Tremplin Intérim Armor")
        .await;
    let other_region_siae = app
        .id_of(("organisations", "name"), "Recyclerie du Forez")
        .await;
    let region = app
        .id_of(("organisations", "name"), "COORACE Bretagne")
        .await;
    let cabinet = app.id_of(("organisations", "name"), "Qualis Audit").await;
    let ok = StatusCode::OK;
    let hidden = StatusCode::NOT_FOUND;
    let cases = [
        (
            "referent@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, hidden),
                (other_region_siae, hidden),
                (region, ok),
            ],
        ),
        (
            "accompagnateur@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, hidden),
                (other_region_siae, hidden),
                (cabinet, hidden),
            ],
        ),
        (
            "rq-region@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, ok),
                (other_region_siae, hidden),
                (region, ok),
            ],
        ),
        (
            "ca-region@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, ok),
                (other_region_siae, hidden),
                (cabinet, hidden),
            ],
        ),
        (
            "rq-federal@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, ok),
                (other_region_siae, ok),
                (cabinet, ok),
            ],
        ),
        (
            "comite@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, ok),
                (other_region_siae, ok),
                (region, ok),
            ],
        ),
        (
            "auditeur@cedre.demo",
            [
                (cabinet, ok),
                (own_siae, hidden),
                (other_region_siae, hidden),
                (region, hidden),
            ],
        ),
        (
            "admin@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, ok),
                (other_region_siae, ok),
                (cabinet, ok),
            ],
        ),
    ];
    for (email, expectations) in cases {
        let mut client = app.signed_in(email).await;
        for (id, status) in expectations {
            let page = client.get(&format!("/organisations/{id}")).await;
            assert_eq!(page.status, status, "{email} on organisation {id}");
        }
        // The directory lists exactly what the pages allow.
        let directory = client.get("/organisations").await.body;
        assert_eq!(
            directory.contains("Recyclerie du Forez"),
            [
                "rq-federal@cedre.demo",
                "comite@cedre.demo",
                "admin@cedre.demo"
            ]
            .contains(&email),
            "{email} directory"
        );
    }
    // Members (names, e-mail addresses) are shown to the organisation's own people, not to the committee.
    let mut committee = app.signed_in("comite@cedre.demo").await;
    assert!(!committee
        .get(&format!("/organisations/{own_siae}"))
        .await
        .body
        .contains("accompagnateur@cedre.demo"));
    let mut referent = app.signed_in("referent@cedre.demo").await;
    assert!(referent
        .get(&format!("/organisations/{own_siae}"))
        .await
        .body
        .contains("accompagnateur@cedre.demo"));
    app.finish().await;
}
on_both_engines!(organisation_pages_follow_the_policy);

/// Each role sees the navigation it may use; administration pages answer 403 to others.
async fn navigation_and_administration_pages_by_role(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    for account in backend::demo::ACCOUNTS {
        let mut client = app.signed_in(account.email).await;
        let home = client.get("/").await;
        assert_eq!(home.status, StatusCode::OK, "{}", account.email);
        let is_admin = account.role == domain::role::Role::Administrateur;
        assert_eq!(
            home.body.contains("href=\"/administration/comptes\""),
            is_admin,
            "{}",
            account.email
        );
        assert_eq!(
            home.body.contains("href=\"/administration/journal\""),
            is_admin,
            "{}",
            account.email
        );
        for page in [
            "/administration/comptes",
            "/administration/journal",
            "/organisations/nouvelle",
        ] {
            let status = client.get(page).await.status;
            assert_eq!(
                status == StatusCode::OK,
                is_admin,
                "{} on {page}: {status}",
                account.email
            );
            if !is_admin {
                assert_eq!(status, StatusCode::FORBIDDEN, "{} on {page}", account.email);
            }
        }
    }
    app.finish().await;
}
on_both_engines!(navigation_and_administration_pages_by_role);

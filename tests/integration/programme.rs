//! The programme's delays as data: the federation sets them (checked field by field, each
//! change in the trail), and from them come each certified SIAE's next deadline, the date from
//! which it is at risk (the federation's table sorts by it) and the reminders before its
//! certificate ends, written once each to the outbox.

use chrono::{Months, NaiveDate};
use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

const RENNES: &str = "Emploi Solidaire du Pays de Rennes";
const FOREZ: &str = "Recyclerie du Forez";

/// A certificate given by the committee on `decided_on` to the SIAE `siae`, ending
/// `valid_until` (set up in the database: the way there is the audit cycle's story).
async fn certified(app: &TestApp, siae: i64, decided_on: NaiveDate, valid_until: NaiveDate) {
    let committee = app.id_of(("accounts", "email"), "comite@cedre.demo").await;
    let now = "2026-01-05T10:00:00.000000Z";
    sqlx::query(
        "INSERT INTO demandes (siae_id, state, message, created_at, created_by) \
         VALUES ($1, 'certifiee', '', $2, $3)",
    )
    .bind(siae)
    .bind(now)
    .bind(committee)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let demande = app
        .count(&format!(
            "SELECT MAX(id) FROM demandes WHERE siae_id = {siae}"
        ))
        .await;
    sqlx::query(
        "INSERT INTO committee_decisions (demande_id, verdict, held_on, seats, reasons, conditions, \
         recorded_by, recorded_at) VALUES ($1, 'certifiee', $2, '[]', '', '', $3, $4)",
    )
    .bind(demande)
    .bind(decided_on.to_string())
    .bind(committee)
    .bind(now)
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO certificates (code, siae_id, demande_id, valid_from, valid_until, issued_at, pdf, sha256) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(format!("TEST-0000-0000-{siae:04}"))
    .bind(siae)
    .bind(demande)
    .bind(decided_on.to_string())
    .bind(valid_until.to_string())
    .bind(now)
    .bind(b"%PDF".to_vec())
    .bind("0".repeat(64))
    .execute(&app.db.pool)
    .await
    .unwrap();
}

fn display(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

async fn outbox(app: &TestApp) -> Vec<(String, String)> {
    use sqlx::Row;
    sqlx::query("SELECT to_address, subject FROM mail_outbox ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("to_address"), r.get("subject")))
        .collect()
}

async fn deadlines_and_reminders_follow_the_rules_the_federation_sets(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let today = domain::time::today();
    let months = |n: u32| today.checked_add_months(Months::new(n)).unwrap();
    let rennes = app.id_of(("organisations", "name"), RENNES).await;
    let forez = app.id_of(("organisations", "name"), FOREZ).await;
    // Rennes' certificate ends in two months and ten days; Forez's in eight months.
    let rennes_until = months(2) + chrono::Duration::days(10);
    let forez_until = months(8);
    certified(&app, rennes, rennes_until - Months::new(36), rennes_until).await;
    certified(&app, forez, forez_until - Months::new(36), forez_until).await;

    // The federation's table: Rennes, whose renewal should have started, first.
    let mut federation = app.signed_in("rq-federal@cedre.demo").await;
    let home = federation.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let rennes_at_risk = rennes_until - Months::new(6);
    let forez_at_risk = forez_until - Months::new(6);
    let rennes_row = home
        .body
        .find(&format!("À risque depuis le {}", display(rennes_at_risk)));
    let forez_row = home.body.find(&format!(
        "Prochaine échéance : début du renouvellement au plus tard le {}",
        display(forez_at_risk)
    ));
    assert!(rennes_row.is_some() && forez_row.is_some(), "{}", home.body);
    assert!(rennes_row < forez_row, "at risk first: {}", home.body);

    // Reminders: Rennes' three-month reminder is due, once; Forez's six-month one is not yet.
    let page_of = |id: i64| format!("https://cedre.exemple.org/organisations/{id}/certification");
    assert_eq!(
        backend::programme::remind_expiring(&app.db, today, &page_of)
            .await
            .unwrap(),
        1
    );
    let ends = format!(
        "Certification CEDRE — {RENNES} : le certificat prend fin le {}",
        display(rennes_until)
    );
    assert_eq!(
        outbox(&app).await,
        [
            ("referent@cedre.demo".to_string(), ends.clone()),
            ("direction@cedre.demo".to_string(), ends.clone()),
            ("rq-region@cedre.demo".to_string(), ends.clone()),
        ]
    );
    assert_eq!(
        backend::programme::remind_expiring(&app.db, today, &page_of)
            .await
            .unwrap(),
        0,
        "a reminder is written once"
    );
    // A month later, the one-month reminder.
    let later = rennes_until - Months::new(1);
    assert_eq!(
        backend::programme::remind_expiring(&app.db, later, &page_of)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM certificate_reminders r JOIN certificates c ON c.id = r.certificate_id \
             WHERE c.siae_id = {rennes}"
        ))
        .await,
        2
    );
    assert_eq!(outbox(&app).await.len(), 6);

    // The rules, refused field by field, change nothing.
    let form = |major: &str, reminders: &str, lead: &str| {
        vec![
            ("major_nc_months", major.to_string()),
            ("minor_nc_months", "6".to_string()),
            ("expiry_reminders", reminders.to_string()),
            ("renewal_lead_months", lead.to_string()),
        ]
    };
    let refused_form = form("8", "6, trois", "40");
    let pairs: Vec<(&str, &str)> = refused_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = federation
        .call("/api/programme/regles/enregistrer", &pairs)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Une non-conformité majeure ne peut avoir plus de temps qu'une mineure.",
        "« trois » n'est pas un nombre de mois entre 1 et 36 (ex. : 6, 3, 1).",
        "Indiquez un nombre de mois entre 1 et 36.",
    ] {
        assert!(
            refused.body.contains(message),
            "{message}: {}",
            refused.body
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM programme_rules").await, 1);
    // Nor can anyone but the federation's responsable qualité set them.
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let valid_form = form("2", "4, 2", "9");
    let pairs: Vec<(&str, &str)> = valid_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let forbidden = referent
        .call("/api/programme/regles/enregistrer", &pairs)
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM programme_rules").await, 1);

    // Set: a renewal to start nine months ahead moves Forez's date, in the trail.
    let set = federation
        .call("/api/programme/regles/enregistrer", &pairs)
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM programme_rules WHERE major_nc_months = 2 AND \
             expiry_reminders = '4,2' AND renewal_lead_months = 9"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'programme.regles'")
            .await,
        1
    );
    let page = federation.get("/programme").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("4, 2 mois avant"), "{}", page.body);
    let home = federation.get("/").await;
    assert!(
        home.body.contains(&format!(
            "À risque depuis le {}",
            display(forez_until - Months::new(9))
        )),
        "{}",
        home.body
    );
    app.finish().await;
}

on_both_engines!(deadlines_and_reminders_follow_the_rules_the_federation_sets);

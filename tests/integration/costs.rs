//! What an audit costs: the price in force the year the auditor is assigned (the seed's 2005
//! price until the federation sets a later one) is fixed on the demande; the assigned auditor
//! records their invoice, the federation the funding granted; the federation sees the totals
//! by year and region. Each record in the trail.

use crate::audit_cycle::{under_audit, UnderAudit};
use chrono::Datelike;
use http::StatusCode;
use tests::{on_both_engines, Client, Engine, Response, TestApp};

/// The narrow no-break space that groups thousands in French amounts.
const NNBSP: char = '\u{202f}';

async fn call(client: &mut Client, path: &str, pairs: &[(&str, String)]) -> Response {
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.call(path, &pairs).await
}

async fn an_audit_is_priced_at_assignment_invoiced_funded_and_totalled(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let UnderAudit {
        siae,
        demande,
        mut referent,
        mut federation,
        mut auditor,
    } = under_audit(&app).await;
    let year = domain::time::today().year();
    let page = format!("/organisations/{siae}/certification");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_costs WHERE demande_id = {demande} AND year = {year} \
             AND price_year = 2005 AND audit_cents = 140000 AND expenses_cents = 20000"
        ))
        .await,
        1,
        "the seed's price, in force since 2005, fixed at the assignment"
    );
    let seen = referent.get(&page).await;
    assert!(
        seen.body.contains(&format!(
            "1{NNBSP}600,00 € TTC (1{NNBSP}400,00 € d&#x27;audit"
        )) || seen
            .body
            .contains(&format!("1{NNBSP}600,00 € TTC (1{NNBSP}400,00 € d'audit")),
        "{}",
        seen.body
    );

    // The invoice is the assigned auditor's to record.
    let ids = |more: &[(&'static str, &str)]| {
        let mut all = vec![
            ("siae_id", siae.to_string()),
            ("demande_id", demande.to_string()),
        ];
        all.extend(more.iter().map(|(k, v)| (*k, v.to_string())));
        all
    };
    let invoice = "/api/certification/demande/facture";
    let tomorrow = (domain::time::today() + chrono::Duration::days(1)).to_string();
    let future = call(
        &mut auditor,
        invoice,
        &ids(&[("invoiced_on", &tomorrow), ("invoice_ref", "F-2026-118")]),
    )
    .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        future.body.contains("ne peut être à venir"),
        "{}",
        future.body
    );
    let today = domain::time::today().to_string();
    let by_siae = call(
        &mut referent,
        invoice,
        &ids(&[("invoiced_on", &today), ("invoice_ref", "F-2026-118")]),
    )
    .await;
    assert!(
        matches!(
            by_siae.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "{}",
        by_siae.status
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_costs WHERE invoiced_on IS NOT NULL")
            .await,
        0
    );
    let invoiced = call(
        &mut auditor,
        invoice,
        &ids(&[("invoiced_on", &today), ("invoice_ref", "F-2026-118")]),
    )
    .await;
    assert_eq!(invoiced.status, StatusCode::OK, "{}", invoiced.body);

    // The funding: the federation's to record, never above the cost.
    let funding = "/api/certification/demande/prise-en-charge";
    let too_much = call(
        &mut federation,
        funding,
        &ids(&[("funder", "region"), ("amount", "1 700")]),
    )
    .await;
    assert_eq!(too_much.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_much
            .body
            .contains("ne peut dépasser le coût de l'audit"),
        "{}",
        too_much.body
    );
    let by_siae = call(
        &mut referent,
        funding,
        &ids(&[("funder", "region"), ("amount", "800")]),
    )
    .await;
    assert_eq!(by_siae.status, StatusCode::FORBIDDEN);
    let funded = call(
        &mut federation,
        funding,
        &ids(&[("funder", "region"), ("amount", "800")]),
    )
    .await;
    assert_eq!(funded.status, StatusCode::OK, "{}", funded.body);
    let seen = referent.get(&page).await;
    for expected in [
        "n° F-2026-118".to_string(),
        "800,00 € par COORACE Bretagne".to_string(),
    ] {
        assert!(seen.body.contains(&expected), "{expected}: {}", seen.body);
    }

    // A later price applies to later assignments; the totals count this audit in its year.
    let price = "/api/programme/prix";
    let fields = |year: &str, audit: &str| {
        vec![
            ("year", year.to_string()),
            ("audit", audit.to_string()),
            ("expenses", "250".to_string()),
        ]
    };
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let refused = call(&mut admin, price, &fields(&year.to_string(), "1800")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let invalid = call(&mut federation, price, &fields("27", "mille")).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_prices").await, 1);
    let set = call(
        &mut federation,
        price,
        &fields(&(year + 1).to_string(), "1 800"),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let programme = federation.get("/programme").await;
    assert_eq!(programme.status, StatusCode::OK);
    for expected in [
        format!("<td>{}</td><td>1{NNBSP}800,00 €</td><td>250,00 €</td><td>2{NNBSP}050,00 €</td>", year + 1),
        format!(
            "<td>{year}</td><td>COORACE Bretagne</td><td>1</td><td>1</td><td>1{NNBSP}600,00 €</td><td>800,00 €</td><td>800,00 €</td>"
        ),
    ] {
        assert!(programme.body.contains(&expected), "{expected}: {}", programme.body);
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action IN ('cout.facture', 'cout.prise_en_charge', 'programme.prix')"
        )
        .await,
        3
    );
    app.finish().await;
}

on_both_engines!(an_audit_is_priced_at_assignment_invoiced_funded_and_totalled);

//! The logo on the cover of a manual's editions: an image checked before it is kept (its header,
//! then a real decode), put on the next editions' cover, recorded with each edition so that
//! rendering it again gives the same bytes, taken off without touching issued editions.

use crate::manual::{approved_version, issue_edition, started, Manual};
use http::StatusCode;
use tests::{on_both_engines, Client, Engine, TestApp, LOGO_PNG};

async fn upload(client: &mut Client, siae: i64, bytes: &[u8]) -> tests::Response {
    client
        .post_multipart(
            &format!("/organisations/{siae}/manuel/logo"),
            &[("logo", Some("logo.png"), bytes)],
        )
        .await
}

/// The images of a PDF, as `pdfimages -list` gives them: one line each, « width height ».
fn images(pdf: &[u8]) -> Vec<String> {
    let path = std::env::temp_dir().join(format!("cedre-logo-{}.pdf", rand::random::<u64>()));
    std::fs::write(&path, pdf).unwrap();
    let listed = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&path)
        .output()
        .expect("pdfimages (poppler-utils) is installed");
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&listed.stdout)
        .lines()
        .skip(2)
        .map(|l| {
            l.split_whitespace()
                .skip(3)
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

async fn the_cover_carries_the_logo_each_edition_was_issued_with(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let Manual { siae, section } = started(&app, &mut referent).await;
    let editions = format!("/organisations/{siae}/manuel/editions");
    let logos = || app.count("SELECT COUNT(*) FROM manual_logos");

    // Those who only read the manual do not change its cover; the body is not even read.
    let mut accompagnateur = app.signed_in("accompagnateur@cedre.demo").await;
    let refused = upload(&mut accompagnateur, siae, LOGO_PNG).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(logos().await, 0);

    // What is not a PNG or JPEG, claims too many pixels, or does not decode is refused, in
    // French, and nothing is kept.
    let mut huge = LOGO_PNG.to_vec();
    huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    let mut garbled = LOGO_PNG.to_vec();
    let middle = garbled.len() / 2;
    garbled[middle..middle + 40].fill(0xAB);
    for (bytes, message) in [
        (
            b"%PDF-1.7 pas une image".as_slice(),
            "Le logo doit être une image PNG ou JPEG.",
        ),
        (huge.as_slice(), "L'image mesure 100000 × 80 pixels"),
        (garbled.as_slice(), "Cette image est illisible."),
    ] {
        let response = upload(&mut referent, siae, bytes).await;
        assert_eq!(response.location(), Some(editions.as_str()));
        let page = referent.get(&editions).await;
        assert!(page.body.contains(message), "« {message} »: {}", page.body);
        assert_eq!(logos().await, 0);
    }

    let kept = upload(&mut referent, siae, LOGO_PNG).await;
    assert_eq!(kept.location(), Some(editions.as_str()));
    assert_eq!(logos().await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'manuel.logo'")
            .await,
        1
    );
    let shown = direction
        .get(&format!("/organisations/{siae}/manuel/logo"))
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.bytes, LOGO_PNG);

    approved_version(
        &app,
        &mut referent,
        &mut direction,
        section,
        "Chaque mardi.",
    )
    .await;
    let (first, pdf) = issue_edition(&app, &mut referent, siae).await;
    assert_eq!(
        images(&pdf),
        vec!["240 80".to_string()],
        "the logo is on the cover"
    );

    // Taken off: the next edition has no logo; the first one renders again as it was issued.
    let removed = referent
        .call(
            "/api/manuel/logo/retirer",
            &[("siae_id", &siae.to_string())],
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(
        direction
            .get(&format!("/organisations/{siae}/manuel/logo"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let (_, second) = issue_edition(&app, &mut referent, siae).await;
    assert!(images(&second).is_empty(), "no logo on the second cover");
    let reader = app.identity("referent@cedre.demo").await;
    let (_, job) = backend::editions::content(&app.db, &reader, siae, first)
        .await
        .unwrap();
    let again = backend::pdf::Renderer::InProcess.render(job).unwrap();
    assert!(
        again == pdf,
        "the first edition renders again to the same bytes"
    );
    app.finish().await;
}
on_both_engines!(the_cover_carries_the_logo_each_edition_was_issued_with);

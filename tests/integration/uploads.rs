//! Evidence uploads: the type read from the content decides the name and the `Content-Type`,
//! invisible format characters are dropped, macro-enabled Office files are refused, the right is
//! checked before the body is read, and the size limit cuts the body while it streams in.

use app::url::requirement_page;
use axum::body::{Body, Bytes};
use futures_util::StreamExt;
use http::StatusCode;
use std::time::Duration;
use tests::{on_both_engines, Engine, TestApp};

const BOUNDARY: &str = "----cedre-upload-boundary";

fn head(requirement: &str, file_name: &str) -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"exigence\"\r\n\r\n{requirement}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes()
}

fn tail() -> Vec<u8> {
    format!("\r\n--{BOUNDARY}--\r\n").into_bytes()
}

async fn send(client: &mut tests::Client, siae: i64, body: Body) -> tests::Response {
    let cookie = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let request = http::Request::post(format!("/organisations/{siae}/preuves"))
        .header("host", "cedre.test")
        .header("origin", tests::ORIGIN)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("cookie", cookie)
        .body(body)
        .unwrap();
    // A handler that waited for the end of a body that never ends would hang here.
    tokio::time::timeout(Duration::from_secs(20), client.send(request))
        .await
        .expect("the upload is answered without waiting for the rest of the body")
}

pub(crate) async fn upload(
    client: &mut tests::Client,
    siae: i64,
    file_name: &str,
    content: &[u8],
) -> tests::Response {
    let body = [head("2.1 a", file_name), content.to_vec(), tail()].concat();
    send(client, siae, Body::from(body)).await
}

/// A body that sends `first`, then nothing more, never ending.
fn endless(first: Vec<u8>) -> Body {
    let stream = futures_util::stream::iter(
        first
            .chunks(64 * 1024)
            .map(|c| Ok::<_, std::io::Error>(Bytes::copy_from_slice(c)))
            .collect::<Vec<_>>(),
    )
    .chain(futures_util::stream::pending());
    Body::from_stream(stream)
}

/// A ZIP archive of stored entries, enough for the type check.
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let fields = |c: &mut Vec<u8>| {
            c.extend_from_slice(&[20, 0, 0, 0, 0, 0]); // version, flags, stored
            c.extend_from_slice(&[0; 8]); // time, date, crc
            c.extend_from_slice(&(data.len() as u32).to_le_bytes());
            c.extend_from_slice(&(data.len() as u32).to_le_bytes());
            c.extend_from_slice(&(name.len() as u16).to_le_bytes());
            c.extend_from_slice(&[0, 0]);
        };
        out.extend_from_slice(b"PK\x03\x04");
        fields(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02\x14\x00");
        fields(&mut central);
        central.extend_from_slice(&[0; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let at = out.len() as u32;
    let count = (entries.len() as u16).to_le_bytes();
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&count);
    out.extend_from_slice(&count);
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

async fn flash_after(client: &mut tests::Client, response: &tests::Response) -> String {
    assert!(
        response.status.is_redirection(),
        "{} {}",
        response.status,
        response.body
    );
    let target = response.location().unwrap().to_string();
    client.get(&target).await.body.replace("&#39;", "'")
}

async fn uploads_follow_the_content(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let mut referent = app.signed_in("referent@cedre.demo").await;

    // A PDF named like a Windows script, with a right-to-left override hiding the real ending.
    let pdf = b"%PDF-1.4\n% procedure\n%%EOF\n";
    let stored = upload(&mut referent, rennes, "proc\u{202E}\u{200B}edure.cmd", pdf).await;
    assert_eq!(
        stored.location(),
        Some(requirement_page(rennes, "2.1 a").as_str())
    );
    let id = app.count("SELECT id FROM evidence_documents").await;
    let name: String = {
        use sqlx::Row;
        sqlx::query("SELECT file_name FROM evidence_documents")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .try_get("file_name")
            .unwrap()
    };
    assert_eq!(name, "procedure.pdf");
    let download = referent
        .get(&format!("/organisations/{rennes}/preuves/{id}"))
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.headers["content-type"], "application/pdf");
    let disposition = download.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("filename=\"procedure.pdf\"")
            && disposition.ends_with("''procedure.pdf")
            && !disposition.contains(".cmd"),
        "{disposition}"
    );

    // A document recorded under its given name before this rule is served as what it is.
    sqlx::query("UPDATE evidence_documents SET file_name = 'ancien.cmd', content_type = 'application/x-msdownload'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let old = referent
        .get(&format!("/organisations/{rennes}/preuves/{id}"))
        .await;
    assert_eq!(old.headers["content-type"], "application/pdf");
    assert!(old.headers["content-disposition"]
        .to_str()
        .unwrap()
        .ends_with("''ancien.pdf"));

    // Office documents with macros are refused, whatever their name says.
    let docm = zip(&[
        (
            "[Content_Types].xml",
            br#"<Types><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>"#,
        ),
        ("word/document.xml", b"<w:document/>"),
    ]);
    let xlsm = zip(&[
        (
            "[Content_Types].xml",
            br#"<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
        ),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub AutoOpen()"),
    ]);
    for (file_name, content) in [("rapport.docx", &docm), ("tableau.xlsx", &xlsm)] {
        let response = upload(&mut referent, rennes, file_name, content).await;
        let shown = flash_after(&mut referent, &response).await;
        assert!(
            shown.contains("contenant des macros (docm, xlsm, pptm"),
            "{file_name}: {shown}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM evidence_documents").await,
        1,
        "refused files are not stored"
    );
    app.finish().await;
}
on_both_engines!(uploads_follow_the_content);

async fn bodies_are_read_only_when_allowed_and_within_the_limit(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;

    // Someone who may not add evidence is refused before the body is read: the body never ends.
    let mut staff = app.signed_in("accompagnateur@cedre.demo").await;
    let mut first = head("2.1 a", "x.pdf");
    first.extend_from_slice(b"%PDF-1.4\n");
    let refused = send(&mut staff, rennes, endless(first)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // A file past the limit is refused as soon as the limit is crossed, not at the end of the
    // body (which here never comes): nothing past the limit is held.
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let mut first = head("2.1 a", "enorme.pdf");
    first.extend_from_slice(b"%PDF-1.4\n");
    first.resize(first.len() + domain::evidence::MAX_BYTES + 1024, b'x');
    let too_large = send(&mut referent, rennes, endless(first)).await;
    let shown = flash_after(&mut referent, &too_large).await;
    assert!(
        shown.contains("dépasse la taille maximale de 10 Mo"),
        "{shown}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM evidence_documents").await,
        0
    );
    app.finish().await;
}
on_both_engines!(bodies_are_read_only_when_allowed_and_within_the_limit);

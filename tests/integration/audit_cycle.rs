//! The external audit to the certificate: the dossier frozen when the audit starts (what the
//! SIAE changes afterwards is not in it), the auditor's appreciations and findings citing the
//! frozen evidence, the compte-rendu submitted once every requirement is appreciated and
//! rendered to PDF, its confidentiality (the SIAE and the federation, then the committee; never
//! the region, another SIAE; each reading recorded), the committee's decision (the auditor
//! never records it nor sits, a member with a tie is recused), the certificate and its public
//! verification, and the renewal a decided demande leaves open.

use crate::manual::{approved_version, issue_edition, started, Manual};
use http::StatusCode;
use tests::{on_both_engines, pdf_text, Client, Engine, TestApp};

fn fields<'a>(pairs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    pairs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn call(client: &mut Client, path: &str, pairs: &[(&str, String)]) -> tests::Response {
    client.call(&format!("/api/{path}"), &fields(pairs)).await
}

async fn state(app: &TestApp, demande: i64) -> String {
    use sqlx::Row;
    sqlx::query(&format!("SELECT state FROM demandes WHERE id = {demande}"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get::<String, _>(0)
}

async fn readings(app: &TestApp, demande: i64) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM report_readings WHERE demande_id = {demande}"
    ))
    .await
}

const PROCES_VERBAL: &[u8] = b"%PDF-1.4\n% proces-verbal du comite de pilotage\n%%EOF\n";

pub(crate) struct UnderAudit {
    pub siae: i64,
    pub demande: i64,
    pub referent: Client,
    pub federation: Client,
    pub auditor: Client,
}

/// Rennes' demande of `kind` (`certification`, `audit_blanc`), through the region, forwarded
/// to the federation. One evidence file is linked to 2.1 a before.
pub(crate) async fn forwarded(app: &TestApp, kind: &str) -> UnderAudit {
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let Manual { siae, section } = started(app, &mut referent).await;
    approved_version(app, &mut referent, &mut direction, section, "Chaque mardi.").await;
    let (edition, _) = issue_edition(app, &mut referent, siae).await;
    let uploaded = referent
        .upload(siae, "2.1 a", "proces-verbal.pdf", PROCES_VERBAL)
        .await;
    assert!(uploaded.status.is_redirection(), "{}", uploaded.body);
    let id = siae.to_string();
    let saved = call(
        &mut referent,
        "certification/demande/enregistrer",
        &[
            ("siae_id", id.clone()),
            ("edition_id", edition.to_string()),
            ("message", "Nous demandons l'audit.".into()),
            ("kind", kind.into()),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let demande = app
        .count(&format!("SELECT id FROM demandes WHERE siae_id = {siae}"))
        .await;
    let ids = vec![("siae_id", id.clone()), ("demande_id", demande.to_string())];
    let with = |extra: &[(&'static str, &str)]| {
        let mut all = ids.clone();
        all.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
        all
    };
    let mut board = app.signed_in("ca-region@cedre.demo").await;
    let mut region = app.signed_in("rq-region@cedre.demo").await;
    let federation = app.signed_in("rq-federal@cedre.demo").await;
    let auditor = app.signed_in("auditeur@cedre.demo").await;
    let steps = [
        (0, "soumettre", with(&[])),
        (
            1,
            "decision-region",
            with(&[
                ("held_on", "2026-11-20"),
                ("members_present", "Anne Le Bihan"),
                ("decision", "valider"),
            ]),
        ),
        (2, "transmettre", with(&[])),
    ];
    for (who, path, pairs) in steps {
        let client = [&mut referent, &mut board, &mut region]
            .into_iter()
            .nth(who)
            .unwrap();
        let done = call(client, &format!("certification/demande/{path}"), &pairs).await;
        assert_eq!(done.status, StatusCode::OK, "{path}: {}", done.body);
    }
    assert_eq!(state(app, demande).await, "transmise");
    UnderAudit {
        siae,
        demande,
        referent,
        federation,
        auditor,
    }
}

/// Rennes' demande de certification to the audit: the demo auditor assigned has declared on
/// their honour and set the dates.
pub(crate) async fn under_audit(app: &TestApp) -> UnderAudit {
    under_audit_of(app, "certification").await
}

/// Rennes' demande of `kind` to the audit.
async fn under_audit_of(app: &TestApp, kind: &str) -> UnderAudit {
    let mut audit = forwarded(app, kind).await;
    let auditor_id = app
        .id_of(("accounts", "email"), "auditeur@cedre.demo")
        .await
        .to_string();
    let ids = [
        ("siae_id", audit.siae.to_string()),
        ("demande_id", audit.demande.to_string()),
    ];
    let with = |extra: &[(&'static str, &str)]| {
        let mut all = ids.to_vec();
        all.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
        all
    };
    let steps = [
        (false, "designer", with(&[("auditor_id", &auditor_id)])),
        (true, "declarer-sur-l-honneur", with(&[])),
        (
            true,
            "dates",
            with(&[("starts_on", "2027-02-02"), ("ends_on", "2027-02-03")]),
        ),
    ];
    for (by_auditor, path, pairs) in steps {
        let client = if by_auditor {
            &mut audit.auditor
        } else {
            &mut audit.federation
        };
        let done = call(client, &format!("certification/demande/{path}"), &pairs).await;
        assert_eq!(done.status, StatusCode::OK, "{path}: {}", done.body);
    }
    assert_eq!(state(app, audit.demande).await, "audit_en_cours");
    audit
}

/// Rennes audited: a major non-conformity found on 2.1 a, every requirement appreciated, the
/// compte-rendu submitted to the SIAE and the federation.
pub(crate) async fn reported(app: &TestApp) -> UnderAudit {
    reported_of(app, "certification", &[]).await
}

/// Rennes' demande of `kind` audited and its compte-rendu submitted; besides the major
/// non-conformity on 2.1 a, the findings `more` (requirement, kind, text).
pub(crate) async fn reported_of(
    app: &TestApp,
    kind: &str,
    more: &[(&str, &str, &str)],
) -> UnderAudit {
    let mut audit = under_audit_of(app, kind).await;
    let id = audit.siae.to_string();
    let document = app
        .id_of(("evidence_documents", "file_name"), "proces-verbal.pdf")
        .await;
    let first = [(
        "2.1 a",
        "non_conformite_majeure",
        "Aucun entretien d'accueil n'est tracé.",
    )];
    for (key, finding, text) in first.iter().chain(more) {
        let found = call(
            &mut audit.auditor,
            "certification/audit/constat",
            &[
                ("siae_id", id.clone()),
                ("requirement_key", key.to_string()),
                ("kind", finding.to_string()),
                ("text", text.to_string()),
                ("preuves[d1]", document.to_string()),
            ],
        )
        .await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    }
    let (siae, demande) = (audit.siae, audit.demande);
    appreciated_and_submitted(&mut audit.auditor, siae, demande, "non_conforme").await;
    assert_eq!(state(app, audit.demande).await, "rapport_remis");
    audit
}

/// Every requirement appreciated (`conforme`, 2.1 a as `status_2_1_a`), the summary written
/// and the compte-rendu submitted by the demande's auditor.
async fn appreciated_and_submitted(
    auditor: &mut Client,
    siae: i64,
    demande: i64,
    status_2_1_a: &str,
) {
    let id = siae.to_string();
    for (section, requirement) in backend::referentiels::builtin_2004().requirements() {
        let key = requirement.key(section);
        let status = if key == "2.1 a" {
            status_2_1_a
        } else {
            "conforme"
        };
        let appreciated = call(
            auditor,
            "certification/audit/apprecier",
            &[
                ("siae_id", id.clone()),
                ("requirement_key", key.clone()),
                ("status", status.to_string()),
            ],
        )
        .await;
        assert_eq!(
            appreciated.status,
            StatusCode::OK,
            "{key}: {}",
            appreciated.body
        );
    }
    let summary = call(
        auditor,
        "certification/audit/synthese",
        &[
            ("siae_id", id.clone()),
            ("summary", "L'accueil est à tracer.".into()),
        ],
    )
    .await;
    assert_eq!(summary.status, StatusCode::OK, "{}", summary.body);
    let submitted = call(
        auditor,
        "certification/demande/remettre",
        &[("siae_id", id), ("demande_id", demande.to_string())],
    )
    .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
}

async fn an_audit_from_its_frozen_dossier_to_the_certificate(engine: Engine) {
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
    let id = siae.to_string();
    let audit_page = format!("/organisations/{siae}/certification/audit");
    let report_pdf = format!("/organisations/{siae}/certification/compte-rendu.pdf");
    let mut region = app.signed_in("rq-region@cedre.demo").await;
    let mut committee = app.signed_in("comite@cedre.demo").await;
    let mut forez = app.signed_in("referent.forez@cedre.demo").await;

    // The dossier was frozen when the auditor declared: one snapshot, its SHA-256 in the timeline.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_snapshots WHERE demande_id = {demande} AND length(sha256) = 64"
        ))
        .await,
        1
    );
    let frozen_document = app
        .id_of(("evidence_documents", "file_name"), "proces-verbal.pdf")
        .await;
    // The SIAE adds evidence afterwards: the auditor's dossier does not change.
    let later = referent
        .upload(
            siae,
            "2.1 a",
            "ajout-tardif.pdf",
            b"%PDF-1.4\n% tardif\n%%EOF\n",
        )
        .await;
    assert!(later.status.is_redirection(), "{}", later.body);
    let later_document = app
        .id_of(("evidence_documents", "file_name"), "ajout-tardif.pdf")
        .await;
    let grid = auditor.get(&audit_page).await;
    assert_eq!(grid.status, StatusCode::OK, "{}", grid.body);
    assert!(grid.body.contains("proces-verbal.pdf"), "{}", grid.body);
    assert!(!grid.body.contains("ajout-tardif.pdf"));
    let frozen = auditor
        .get(&format!(
            "/organisations/{siae}/certification/dossier/preuves/{frozen_document}"
        ))
        .await;
    assert_eq!(frozen.status, StatusCode::OK);
    assert_eq!(frozen.bytes, PROCES_VERBAL);
    let outside = auditor
        .get(&format!(
            "/organisations/{siae}/certification/dossier/preuves/{later_document}"
        ))
        .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    let edition = auditor
        .get(&format!(
            "/organisations/{siae}/certification/dossier/edition.pdf"
        ))
        .await;
    assert_eq!(edition.status, StatusCode::OK);
    assert!(edition.bytes.starts_with(b"%PDF-"));

    // Until the report is submitted, only its auditor reads the audit.
    for (who, client, status) in [
        ("the SIAE", &mut referent, StatusCode::FORBIDDEN),
        ("its region", &mut region, StatusCode::FORBIDDEN),
        ("the federation", &mut federation, StatusCode::FORBIDDEN),
        ("the committee", &mut committee, StatusCode::NOT_FOUND),
        ("another SIAE", &mut forez, StatusCode::NOT_FOUND),
    ] {
        let refused = client.get(&audit_page).await;
        assert_eq!(refused.status, status, "{who}");
        assert!(!refused.body.contains("proces-verbal.pdf"), "{who}");
    }

    // Findings cite the frozen evidence only.
    let finding = |text: &str, document: i64| {
        vec![
            ("siae_id", id.clone()),
            ("requirement_key", "2.1 a".to_string()),
            ("kind", "non_conformite_mineure".to_string()),
            ("text", text.to_string()),
            ("preuves[d1]", document.to_string()),
        ]
    };
    let late_evidence = call(
        &mut auditor,
        "certification/audit/constat",
        &finding("Grille non datée.", later_document),
    )
    .await;
    assert_eq!(late_evidence.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late_evidence.body.contains("pas dans le dossier audité"));
    let added = call(
        &mut auditor,
        "certification/audit/constat",
        &finding("La grille d'évaluation n'est pas datée.", frozen_document),
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let not_theirs = call(
        &mut federation,
        "certification/audit/constat",
        &finding("Intrusion.", frozen_document),
    )
    .await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);

    // No report before every requirement is appreciated and the summary written.
    let ids = vec![("siae_id", id.clone()), ("demande_id", demande.to_string())];
    let early = call(&mut auditor, "certification/demande/remettre", &ids).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("il en manque"), "{}", early.body);
    let referentiel = backend::referentiels::builtin_2004();
    for (section, requirement) in referentiel.requirements() {
        let key = requirement.key(section);
        let status = if key == "2.1 a" {
            "en_cours"
        } else {
            "conforme"
        };
        let appreciated = call(
            &mut auditor,
            "certification/audit/apprecier",
            &[
                ("siae_id", id.clone()),
                ("requirement_key", key.clone()),
                ("status", status.to_string()),
            ],
        )
        .await;
        assert_eq!(
            appreciated.status,
            StatusCode::OK,
            "{key}: {}",
            appreciated.body
        );
    }
    let unsummarised = call(&mut auditor, "certification/demande/remettre", &ids).await;
    assert_eq!(unsummarised.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unsummarised.body.contains("synthèse"),
        "{}",
        unsummarised.body
    );
    let summary = call(
        &mut auditor,
        "certification/audit/synthese",
        &[
            ("siae_id", id.clone()),
            ("summary", "Démarche solide ; une grille à dater.".into()),
        ],
    )
    .await;
    assert_eq!(summary.status, StatusCode::OK, "{}", summary.body);
    let submitted = call(&mut auditor, "certification/demande/remettre", &ids).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(state(&app, demande).await, "rapport_remis");
    let frozen_report = call(
        &mut auditor,
        "certification/audit/apprecier",
        &[
            ("siae_id", id.clone()),
            ("requirement_key", "2.1 a".into()),
            ("status", "conforme".into()),
        ],
    )
    .await;
    assert_eq!(frozen_report.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The report goes to the SIAE and the federation; each reading is recorded.
    assert_eq!(readings(&app, demande).await, 0);
    let pdf = referent.get(&report_pdf).await;
    assert_eq!(pdf.status, StatusCode::OK);
    let text = pdf_text(&pdf.bytes);
    for expected in [
        "Compte-rendu d'audit",
        "Emploi Solidaire du Pays de Rennes",
        "Démarche solide ; une grille à dater.",
        "Non-conformité mineure",
        "La grille d'évaluation n'est pas datée.",
        "proces-verbal.pdf",
    ] {
        assert!(
            text.contains(expected) || text.contains(&expected.replace('\'', "’")),
            "the report says « {expected} »: {text}"
        );
    }
    assert_eq!(readings(&app, demande).await, 1);
    let page = referent.get(&audit_page).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(readings(&app, demande).await, 2);
    for (who, client, status) in [
        ("its region", &mut region, StatusCode::FORBIDDEN),
        (
            "the committee, before the federation opens it",
            &mut committee,
            StatusCode::NOT_FOUND,
        ),
        ("another SIAE", &mut forez, StatusCode::NOT_FOUND),
    ] {
        for path in [&audit_page, &report_pdf] {
            let refused = client.get(path).await;
            assert_eq!(refused.status, status, "{who} {path}");
            assert!(!refused.body.contains("grille d"), "{who} {path}");
        }
    }
    assert_eq!(readings(&app, demande).await, 2, "a refusal is no reading");
    let followed = federation.get(&audit_page).await;
    assert_eq!(followed.status, StatusCode::OK);
    assert!(followed.body.contains("Lectures du compte-rendu"));
    let referent_name = app.identity("referent@cedre.demo").await.display_name;
    assert!(followed.body.contains(&referent_name), "{}", followed.body);

    // The federation opens it to the committee, whose members read it then.
    let opened = call(
        &mut federation,
        "certification/demande/ouvrir-au-comite",
        &ids,
    )
    .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert_eq!(state(&app, demande).await, "soumise_au_comite");
    let home = committee.get("/").await;
    assert!(
        home.body.contains(&format!(
            "<a href=\"/organisations/{siae}/certification\">Emploi Solidaire du Pays de Rennes</a> — Soumise au comité de certification."
        )),
        "the committee's home lists the decision to take: {}",
        home.body
    );
    let read = committee.get(&audit_page).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert!(
        read.body.contains("La grille d&#x27;évaluation")
            || read.body.contains("La grille d'évaluation")
    );

    // The committee decides. The auditor, even made a member of the committee, neither records
    // nor sits; a member with a recent tie to the SIAE is recused.
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let auditor_id = app
        .id_of(("accounts", "email"), "auditeur@cedre.demo")
        .await;
    let comite_id = app.id_of(("accounts", "email"), "comite@cedre.demo").await;
    let federation_id = app
        .id_of(("organisations", "name"), "COORACE — Fédération nationale")
        .await;
    let granted = call(
        &mut admin,
        "comptes/roles/ajouter",
        &[
            ("account_id", auditor_id.to_string()),
            ("organisation_id", federation_id.to_string()),
            ("role", "MembreComiteCertification".into()),
        ],
    )
    .await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    let mut auditor = app.signed_in("auditeur@cedre.demo").await;
    let decision = |present: &[i64], verdict: &str, conditions: &str, due: &str| {
        let mut pairs = ids.clone();
        pairs.push(("held_on", "2026-11-23".to_string()));
        pairs.push(("verdict", verdict.to_string()));
        pairs.push(("reasons", "Une non-conformité mineure à lever.".to_string()));
        pairs.push(("conditions", conditions.to_string()));
        pairs.push(("conditions_due_on", due.to_string()));
        for (i, member) in present.iter().enumerate() {
            let name: &'static str = ["presents[m1]", "presents[m2]"][i];
            pairs.push((name, member.to_string()));
        }
        pairs
    };
    let by_auditor = call(
        &mut auditor,
        "certification/demande/decision-comite",
        &decision(&[comite_id], "certifiee", "", ""),
    )
    .await;
    assert_eq!(by_auditor.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        by_auditor.body.contains("auditeur de cet audit"),
        "{}",
        by_auditor.body
    );
    let auditor_sits = call(
        &mut committee,
        "certification/demande/decision-comite",
        &decision(&[comite_id, auditor_id], "certifiee", "", ""),
    )
    .await;
    assert_eq!(auditor_sits.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        auditor_sits.body.contains("ne siège pas"),
        "{}",
        auditor_sits.body
    );
    let tie = call(
        &mut committee,
        "auditeur/liens/declarer",
        &[
            ("organisation_id", id.clone()),
            ("kind", "conseil".into()),
            ("started_on", "2025-01-01".into()),
        ],
    )
    .await;
    assert_eq!(tie.status, StatusCode::OK, "{}", tie.body);
    let certification = committee
        .get(&format!("/organisations/{siae}/certification"))
        .await;
    assert!(
        certification
            .body
            .contains("Récusé : lien déclaré avec Emploi Solidaire du Pays de Rennes"),
        "{}",
        certification.body
    );
    let recused = call(
        &mut committee,
        "certification/demande/decision-comite",
        &decision(&[comite_id], "certifiee", "", ""),
    )
    .await;
    assert_eq!(recused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(recused.body.contains("récusé"), "{}", recused.body);
    assert_eq!(state(&app, demande).await, "soumise_au_comite");
    let tie_id = app
        .count(&format!(
            "SELECT MAX(id) FROM auditor_ties WHERE account_id = {comite_id}"
        ))
        .await;
    let withdrawn = call(
        &mut committee,
        "auditeur/liens/retirer",
        &[("tie_id", tie_id.to_string())],
    )
    .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    let without_conditions = call(
        &mut committee,
        "certification/demande/decision-comite",
        &decision(&[comite_id], "certifiee_sous_conditions", "", ""),
    )
    .await;
    assert_eq!(without_conditions.status, StatusCode::UNPROCESSABLE_ENTITY);
    let decided = call(
        &mut committee,
        "certification/demande/decision-comite",
        &decision(
            &[comite_id],
            "certifiee_sous_conditions",
            "Dater et signer la grille d'évaluation.",
            "2027-02-23",
        ),
    )
    .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(state(&app, demande).await, "certifiee_sous_conditions");

    // The certificate: three years from the decision, a code, its PDF, its public page.
    use sqlx::Row;
    let row = sqlx::query(&format!(
        "SELECT code, valid_from, valid_until FROM certificates WHERE demande_id = {demande}"
    ))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let code: String = row.get(0);
    assert_eq!(
        (row.get::<String, _>(1), row.get::<String, _>(2)),
        ("2026-11-23".to_string(), "2029-11-22".to_string())
    );
    assert_eq!(code.len(), 19);
    let certificate = referent
        .get(&format!(
            "/organisations/{siae}/certification/certificat.pdf"
        ))
        .await;
    assert_eq!(certificate.status, StatusCode::OK);
    let text = pdf_text(&certificate.bytes);
    for expected in [
        "Emploi Solidaire du Pays de Rennes",
        code.as_str(),
        "22/11/2029",
        &format!("http://cedre.test/verification/{code}"),
    ] {
        assert!(
            text.contains(expected),
            "the certificate says « {expected} »: {text}"
        );
    }
    let mut visitor = app.client();
    let public = visitor.get(&format!("/verification/{code}")).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    for expected in [
        "Emploi Solidaire du Pays de Rennes",
        "Valide",
        "23/11/2026",
        "22/11/2029",
    ] {
        assert!(
            public.body.contains(expected),
            "{expected}: {}",
            public.body
        );
    }
    for hidden in [
        "82601815908302",
        "Nous demandons",
        "grille",
        "Jacques Petit",
    ] {
        assert!(
            !public.body.contains(hidden),
            "the public page hides « {hidden} »"
        );
    }
    let typed = visitor
        .get(&format!(
            "/verification/{}",
            code.to_lowercase().replace('-', "")
        ))
        .await;
    assert_eq!(typed.status, StatusCode::OK);
    let unknown = visitor.get("/verification/0000-0000-0000-0000").await;
    let malformed = visitor.get("/verification/pas-un-code").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(malformed.status, StatusCode::NOT_FOUND);
    for answer in [&unknown, &malformed] {
        assert!(!answer.body.contains("Rennes") && !answer.body.contains("Valide du"));
    }

    // Where Rennes stands shows on the SIAE's home, the federation's table of cycles, the
    // follow-up of the SIAE.
    let certified = "Certifiée jusqu&#x27;au 22/11/2029";
    let shows_certified =
        |body: &str| body.contains(certified) || body.contains(&certified.replace("&#x27;", "'"));
    assert!(shows_certified(&referent.get("/").await.body));
    let home = federation.get("/").await;
    assert!(home.body.contains("Cycles de certification"));
    assert!(shows_certified(&home.body), "{}", home.body);
    assert!(shows_certified(&federation.get("/suivi").await.body));
    assert!(shows_certified(&region.get("/").await.body));

    // The timeline and the trail tell it; a decided demande leaves the renewal open.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action IN ('audit.constat', 'certification.rapport_remis', \
             'certification.soumise_au_comite', 'certification.certifiee_sous_conditions')"
        )
        .await,
        4
    );
    // The committee may withdraw the certificate, with its reasons; the public page says so.
    let withdrawal =
        |reasons: &str| vec![("siae_id", id.clone()), ("reasons", reasons.to_string())];
    let by_siae = call(
        &mut referent,
        "certification/certificat/retirer",
        &withdrawal("Nous renonçons."),
    )
    .await;
    assert_eq!(by_siae.status, StatusCode::FORBIDDEN);
    let unexplained = call(
        &mut committee,
        "certification/certificat/retirer",
        &withdrawal(" "),
    )
    .await;
    assert_eq!(unexplained.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM certificates WHERE withdrawn_at IS NOT NULL")
            .await,
        0
    );
    let withdrawn = call(
        &mut committee,
        "certification/certificat/retirer",
        &withdrawal("Conditions non levées à l'échéance."),
    )
    .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    let public = visitor.get(&format!("/verification/{code}")).await;
    assert!(public.body.contains("Retiré"), "{}", public.body);
    assert!(
        !public.body.contains("Conditions non levées"),
        "the reasons stay private"
    );
    let again = call(
        &mut committee,
        "certification/certificat/retirer",
        &withdrawal("Encore."),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(referent.get("/").await.body.contains("Certificat retiré"));

    let renewal = call(
        &mut referent,
        "certification/demande/enregistrer",
        &[
            ("siae_id", id.clone()),
            ("message", "Renouvellement.".into()),
        ],
    )
    .await;
    assert_eq!(renewal.status, StatusCode::OK, "{}", renewal.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM demandes WHERE siae_id = {siae}"
        ))
        .await,
        2
    );
    app.finish().await;
}
on_both_engines!(an_audit_from_its_frozen_dossier_to_the_certificate);

/// The grid as a spreadsheet would save it after `edit` changed some cells of some lines
/// (`;`-separated, with its byte order mark).
fn filled(csv_text: &str, edit: impl Fn(&str, &mut Vec<String>)) -> Vec<u8> {
    let text = csv_text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    writer.write_record(&headers).unwrap();
    for record in reader.records() {
        let mut cells: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
        let key = cells[0].clone();
        edit(&key, &mut cells);
        writer.write_record(&cells).unwrap();
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(writer.into_inner().unwrap());
    bytes
}

const APPRECIATION: usize = 6;
const COMMENT: usize = 7;
const NEW_FINDINGS: usize = 9;

async fn the_offline_grid_goes_and_comes_back_whole_or_not_at_all(engine: Engine) {
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
    let id = siae.to_string();
    let grid_path = format!("/organisations/{siae}/certification/audit/grille.csv");
    let upload_path = format!("/organisations/{siae}/certification/audit/grille");
    let results = |key: &str| {
        format!(
            "SELECT COUNT(*) FROM audit_results WHERE demande_id = {demande} AND requirement_key = '{key}'"
        )
    };

    // Only the auditor downloads it.
    for client in [&mut referent, &mut federation] {
        let refused = client.get(&grid_path).await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&refused.status),
            "{}",
            refused.status
        );
    }
    let downloaded = auditor.get(&grid_path).await;
    assert_eq!(downloaded.status, StatusCode::OK);
    assert!(
        downloaded.body.starts_with("\u{feff}Exigence;Section;"),
        "{}",
        downloaded.body
    );
    assert!(downloaded.body.contains("proces-verbal.pdf"));
    let fill = |key: &str, cells: &mut Vec<String>| match key {
        "2.1 a" => {
            cells[APPRECIATION] = "Conforme".into();
            cells[COMMENT] = "Vu sur place, grille datée.".into();
            cells[NEW_FINDINGS] =
                "Point fort : accueil soigné\npiste de progrès : afficher la grille".into();
        }
        "2.1 b" => cells[APPRECIATION] = "En cours".into(),
        _ => {}
    };
    let file = filled(&downloaded.body, fill);

    // Meanwhile, 2.1 b is appreciated in the application: the upload is a conflict there.
    let online = auditor
        .call(
            "/api/certification/audit/apprecier",
            &[
                ("siae_id", id.as_str()),
                ("requirement_key", "2.1 b"),
                ("status", "non_conforme"),
            ],
        )
        .await;
    assert_eq!(online.status, StatusCode::OK, "{}", online.body);
    let uploaded = auditor
        .post_multipart(&upload_path, &[("grille", Some("grille.csv"), &file)])
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let preview_path = uploaded.location().unwrap().to_string();
    let upload_id = app.count("SELECT MAX(id) FROM grid_uploads").await;
    assert_eq!(
        preview_path,
        format!("/organisations/{siae}/certification/audit/import/{upload_id}")
    );
    let preview = auditor.get(&preview_path).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview
            .body
            .contains("La grille ne peut pas être appliquée"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("modifiée dans l"), "{}", preview.body);
    let apply = |upload: i64| vec![("siae_id", id.clone()), ("upload_id", upload.to_string())];
    let refused = call(
        &mut auditor,
        "certification/audit/import/appliquer",
        &apply(upload_id),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Rien n"), "{}", refused.body);
    // Nothing of the file applied: not even 2.1 a, whose line was fine.
    assert_eq!(app.count(&results("2.1 a")).await, 0);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_findings WHERE demande_id = {demande}"
        ))
        .await,
        0
    );

    // Downloaded again and filled the same way, it applies whole, once.
    let again = auditor.get(&grid_path).await;
    let file = filled(&again.body, fill);
    let uploaded = auditor
        .post_multipart(&upload_path, &[("grille", Some("grille.csv"), &file)])
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER);
    let upload_id = app.count("SELECT MAX(id) FROM grid_uploads").await;
    let preview = auditor.get(uploaded.location().unwrap()).await;
    assert!(
        preview.body.contains("2 exigence(s) modifiée(s)"),
        "{}",
        preview.body
    );
    assert!(
        preview.body.contains("Non conforme → En cours"),
        "{}",
        preview.body
    );
    let intruder = call(
        &mut federation,
        "certification/audit/import/appliquer",
        &apply(upload_id),
    )
    .await;
    assert_eq!(intruder.status, StatusCode::FORBIDDEN);
    let applied = call(
        &mut auditor,
        "certification/audit/import/appliquer",
        &apply(upload_id),
    )
    .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_results WHERE demande_id = {demande} AND \
             ((requirement_key = '2.1 a' AND status = 'conforme' AND comment = 'Vu sur place, grille datée.') \
             OR (requirement_key = '2.1 b' AND status = 'en_cours'))"
        ))
        .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_findings WHERE demande_id = {demande} AND requirement_key = '2.1 a' \
             AND kind IN ('point_fort', 'piste_de_progres')"
        ))
        .await,
        2
    );
    let twice = call(
        &mut auditor,
        "certification/audit/import/appliquer",
        &apply(upload_id),
    )
    .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A file that is not the grid is refused at once, beside the form; nothing is kept.
    let uploads = app.count("SELECT COUNT(*) FROM grid_uploads").await;
    let foreign = auditor
        .post_multipart(
            &upload_path,
            &[(
                "grille",
                Some("autre.csv"),
                b"Nom;Valeur\r\nx;y\r\n".as_slice(),
            )],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::SEE_OTHER);
    assert!(foreign
        .location()
        .is_some_and(|l| l.ends_with("/certification/audit#hors-ligne")));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM grid_uploads").await,
        uploads
    );
    app.finish().await;
}
on_both_engines!(the_offline_grid_goes_and_comes_back_whole_or_not_at_all);

async fn a_tie_with_the_ensemblier_of_a_siae_blocks_its_audit(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let bretagne = app
        .id_of(("organisations", "name"), "COORACE Bretagne")
        .await;
    let odet = app
        .id_of(("organisations", "name"), "Les Jardins de l'Odet")
        .await;
    let avenir = app
        .id_of(("organisations", "name"), "Groupe Avenir Bretagne")
        .await;
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let edit = |ensemblier: i64| {
        vec![
            ("id", rennes.to_string()),
            ("draft[name]", "Emploi Solidaire du Pays de Rennes".into()),
            ("draft[siret]", "82601815908302".into()),
            ("draft[siae_type]", "AI".into()),
            ("draft[region_id]", bretagne.to_string()),
            ("draft[ensemblier_id]", ensemblier.to_string()),
            ("draft[entry_date]", "2023-09-01".into()),
            ("draft[funded_fte]", "1,5".into()),
            ("draft[city]", "Rennes".into()),
        ]
    };
    let ensemblier_of_rennes =
        format!("SELECT COALESCE(ensemblier_id, 0) FROM organisations WHERE id = {rennes}");
    // Only an ensemblier can be one: the message is beside the field, nothing changes.
    let refused = call(&mut admin, "organisations/modifier", &edit(odet)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Choisissez l'ensemblier parmi les SIAE de type ensemblier."),
        "{}",
        refused.body
    );
    assert_eq!(app.count(&ensemblier_of_rennes).await, 0);
    let saved = call(&mut admin, "organisations/modifier", &edit(avenir)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(app.count(&ensemblier_of_rennes).await, avenir);
    let profile = admin.get(&format!("/organisations/{rennes}")).await;
    assert!(
        profile
            .body
            .contains("<dt>Ensemblier</dt><dd>Groupe Avenir Bretagne</dd>"),
        "{}",
        profile.body
    );

    // The auditor advised the ensemblier until last year: Rennes' audit is out of their reach.
    let mut audit = forwarded(&app, "certification").await;
    let declared = call(
        &mut audit.auditor,
        "auditeur/liens/declarer",
        &[
            ("organisation_id", avenir.to_string()),
            ("kind", "conseil".into()),
            ("started_on", "2022-01-01".into()),
            ("ended_on", "2025-06-30".into()),
        ],
    )
    .await;
    assert_eq!(declared.status, StatusCode::OK, "{}", declared.body);
    let page = audit
        .federation
        .get(&format!("/organisations/{rennes}/certification"))
        .await;
    assert!(
        page.body
            .contains("Exclu : lien de moins de trois ans avec Groupe Avenir Bretagne"),
        "{}",
        page.body
    );
    let auditor_id = app
        .id_of(("accounts", "email"), "auditeur@cedre.demo")
        .await;
    let blocked = call(
        &mut audit.federation,
        "certification/demande/designer",
        &[
            ("siae_id", rennes.to_string()),
            ("demande_id", audit.demande.to_string()),
            ("auditor_id", auditor_id.to_string()),
            ("justification", "Mission terminée.".into()),
        ],
    )
    .await;
    assert_eq!(blocked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        blocked.body.contains("moins de trois ans"),
        "{}",
        blocked.body
    );
    assert_eq!(state(&app, audit.demande).await, "transmise");
    app.finish().await;
}
on_both_engines!(a_tie_with_the_ensemblier_of_a_siae_blocks_its_audit);

async fn an_audit_blanc_stays_with_the_siae_and_never_reaches_the_committee(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let UnderAudit {
        siae,
        demande,
        mut referent,
        mut federation,
        mut auditor,
    } = reported_of(&app, "audit_blanc", &[]).await;
    let audit_page = format!("/organisations/{siae}/certification/audit");
    let summary = "accueil est à tracer.";
    let ids = vec![
        ("siae_id", siae.to_string()),
        ("demande_id", demande.to_string()),
    ];

    // The SIAE reads its compte-rendu; the federation, which did not fund it, does not, nor
    // does the region, the committee, or the auditor once it is submitted.
    let own = referent.get(&audit_page).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains(summary), "{}", own.body);
    let mut region = app.signed_in("rq-region@cedre.demo").await;
    let mut committee = app.signed_in("comite@cedre.demo").await;
    for (who, client, status) in [
        ("federation", &mut federation, StatusCode::FORBIDDEN),
        ("region", &mut region, StatusCode::FORBIDDEN),
        ("committee", &mut committee, StatusCode::NOT_FOUND),
        ("auditor", &mut auditor, StatusCode::NOT_FOUND),
    ] {
        let page = client.get(&audit_page).await;
        assert_eq!(page.status, status, "{who}");
        assert!(!page.body.contains(summary), "{who}");
    }
    assert_eq!(
        readings(&app, demande).await,
        1,
        "only the SIAE's reading is recorded"
    );

    // It never goes to the committee; the audit blanc is over.
    let to_committee = call(
        &mut federation,
        "certification/demande/ouvrir-au-comite",
        &ids,
    )
    .await;
    assert_eq!(to_committee.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        to_committee.body.contains("ne va pas au comité"),
        "{}",
        to_committee.body
    );
    assert_eq!(state(&app, demande).await, "rapport_remis");
    // The mail of its compte-rendu went to the SIAE, not to the federation.
    let federal = app
        .id_of(("accounts", "email"), "rq-federal@cedre.demo")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM mail_outbox WHERE demande_id = {demande} \
             AND account_id = {federal} AND subject LIKE '%compte-rendu%'"
        ))
        .await,
        0
    );
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) FROM mail_outbox WHERE demande_id = {demande} \
             AND subject = 'Audit blanc CEDRE — Emploi Solidaire du Pays de Rennes : compte-rendu d''audit remis'"
        ))
        .await
            >= 1
    );

    // The region funds it: its référent now reads it, the federation still does not.
    let mut funding = ids.clone();
    funding.extend([
        ("funder", "region".to_string()),
        ("amount", "800".to_string()),
    ]);
    let funded = call(
        &mut federation,
        "certification/demande/prise-en-charge",
        &funding,
    )
    .await;
    assert_eq!(funded.status, StatusCode::OK, "{}", funded.body);
    let funder = region.get(&audit_page).await;
    assert_eq!(funder.status, StatusCode::OK);
    assert!(funder.body.contains(summary));
    assert_eq!(
        federation.get(&audit_page).await.status,
        StatusCode::FORBIDDEN
    );

    // The SIAE then prepares its demande de certification.
    let home = referent
        .get(&format!("/organisations/{siae}/certification"))
        .await;
    assert!(home.body.contains("Audit blanc"), "{}", home.body);
    assert!(
        home.body.contains("L&#x27;audit blanc est terminé")
            || home.body.contains("L'audit blanc est terminé")
    );
    let edition = app
        .count(&format!(
            "SELECT MAX(id) FROM manual_editions WHERE siae_id = {siae}"
        ))
        .await;
    let opened = call(
        &mut referent,
        "certification/demande/enregistrer",
        &[
            ("siae_id", siae.to_string()),
            ("edition_id", edition.to_string()),
            ("message", "Après l'audit blanc, la certification.".into()),
        ],
    )
    .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    let certification = app
        .count(&format!(
            "SELECT id FROM demandes WHERE siae_id = {siae} AND kind = 'certification' AND state = 'brouillon'"
        ))
        .await;

    // Its certification audit: the audit blanc, not shared, is not beside the requirements.
    let auditor_id = app
        .id_of(("accounts", "email"), "auditeur@cedre.demo")
        .await
        .to_string();
    let with = |extra: &[(&'static str, &str)]| {
        let mut all = vec![
            ("siae_id", siae.to_string()),
            ("demande_id", certification.to_string()),
        ];
        all.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
        all
    };
    let mut board = app.signed_in("ca-region@cedre.demo").await;
    let steps = [
        (&mut referent, "soumettre", with(&[])),
        (
            &mut board,
            "decision-region",
            with(&[
                ("held_on", "2026-11-20"),
                ("members_present", "Anne Le Bihan"),
                ("decision", "valider"),
            ]),
        ),
        (&mut region, "transmettre", with(&[])),
        (
            &mut federation,
            "designer",
            with(&[("auditor_id", &auditor_id)]),
        ),
        (&mut auditor, "declarer-sur-l-honneur", with(&[])),
    ];
    for (client, path, pairs) in steps {
        let done = call(client, &format!("certification/demande/{path}"), &pairs).await;
        assert_eq!(done.status, StatusCode::OK, "{path}: {}", done.body);
    }
    let dates = with(&[("starts_on", "2027-03-02"), ("ends_on", "2027-03-03")]);
    let scheduled = call(&mut auditor, "certification/demande/dates", &dates).await;
    assert_eq!(scheduled.status, StatusCode::OK, "{}", scheduled.body);
    let previous = "Audit blanc partagé par la structure : Non conforme";
    let grid = auditor.get(&audit_page).await;
    assert_eq!(grid.status, StatusCode::OK);
    assert!(grid.body.contains("aucun audit précédent"), "{}", grid.body);
    assert!(!grid.body.contains(previous));
    // Its compte-rendu submitted: the SIAE sees its audit blanc beside it; the federation not.
    appreciated_and_submitted(&mut auditor, siae, certification, "conforme").await;
    let own = referent.get(&audit_page).await;
    assert!(
        own.body
            .contains("Votre audit blanc (non partagé) : Non conforme (non-conformité majeure)"),
        "{}",
        own.body
    );
    let federal_view = federation.get(&audit_page).await;
    assert_eq!(federal_view.status, StatusCode::OK);
    assert!(federal_view.body.contains("aucun audit précédent"));
    assert!(!federal_view.body.contains("audit blanc"));
    // Each audit keeps its own plan: the certification audit's does not hide the audit
    // blanc's, which the federation still does not read.
    let plans = referent
        .get(&format!("/organisations/{siae}/certification"))
        .await;
    for link in [
        format!("/organisations/{siae}/certification/actions\">Plan d'actions correctives"),
        format!(
            "/organisations/{siae}/certification/audit-blanc/actions\">Plan d'actions de l'audit blanc"
        ),
    ] {
        assert!(plans.body.contains(&link), "{link}: {}", plans.body);
    }
    let blanc_plan = format!("/organisations/{siae}/certification/audit-blanc/actions");
    let own_plan = referent.get(&blanc_plan).await;
    assert_eq!(own_plan.status, StatusCode::OK);
    assert!(own_plan
        .body
        .contains("Aucun entretien d'accueil n'est tracé."));
    let federal_plan = federation.get(&blanc_plan).await;
    assert_eq!(federal_plan.status, StatusCode::FORBIDDEN);
    let certification_plan = federation
        .get(&format!("/organisations/{siae}/certification/actions"))
        .await;
    assert_eq!(certification_plan.status, StatusCode::OK);
    assert!(!certification_plan.body.contains("audit blanc"));

    // Only the SIAE shares it, once, from its page though a later demande is open; then it
    // stands beside each requirement.
    let certification_page = format!("/organisations/{siae}/certification");
    let offered = referent.get(&certification_page).await;
    assert!(
        offered
            .body
            .contains("Partager les résultats avec le prochain audit de certification"),
        "{}",
        offered.body
    );
    let federal_page = federation.get(&certification_page).await;
    assert!(!federal_page.body.contains("Partager les résultats"));
    let share = "certification/audit-blanc/partager";
    let not_theirs = call(&mut federation, share, &ids).await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    let shared = call(&mut referent, share, &ids).await;
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.body);
    let again = call(&mut referent, share, &ids).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'certification.audit_blanc_partage'"
        )
        .await,
        1
    );
    let after = referent.get(&certification_page).await;
    assert!(
        !after.body.contains("Partager les résultats"),
        "{}",
        after.body
    );
    for client in [&mut auditor, &mut federation] {
        let grid = client.get(&audit_page).await;
        assert!(
            grid.body
                .contains(&format!("{previous} (non-conformité majeure)")),
            "{}",
            grid.body
        );
    }
    app.finish().await;
}
on_both_engines!(an_audit_blanc_stays_with_the_siae_and_never_reaches_the_committee);

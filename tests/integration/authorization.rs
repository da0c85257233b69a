//! The authorization sweep. Every registered server function, every plain HTTP route and every
//! page that names something is called by a visitor without a session and by every demo account
//! (one per role, and a second SIAE and region), aiming at REAL things of the demo that the
//! account must not reach: another SIAE, another region, the federation, the audit firm, real
//! accounts, real evidence documents of another SIAE, real référentiel versions. Each refused
//! call must answer 403 or 404 (401 or the login page without a session), show nothing of what
//! it aimed at, and change no row of the database. A hidden target must also answer exactly as
//! a target that does not exist, so that the answer does not tell that it exists.
//!
//! What each account may reach is written out below for the demo ([`REACH`]), not computed
//! from the policy under test; the policy itself is checked cell by cell in `policy.rs`.

use app::api::{Access, SERVER_FN_POLICIES};
use http::StatusCode;
use leptos::server_fn::axum::server_fn_paths;
use std::collections::{BTreeMap, BTreeSet};
use tests::{on_both_engines, Client, Engine, Response, Snapshot, TestApp};

const FEDERATION: &str = "COORACE — Fédération nationale";
const BRETAGNE: &str = "COORACE Bretagne";
const AURA: &str = "COORACE Auvergne-Rhône-Alpes";
const QUALIS: &str = "Qualis Audit";
// SIAE of Bretagne.
const RENNES: &str = "Emploi Solidaire du Pays de Rennes";
const TREMPLIN: &str = "Tremplin Intérim Armor";
const ODET: &str = "Les Jardins de l'Odet";
const AVENIR: &str = "Groupe Avenir Bretagne";
// SIAE of Auvergne-Rhône-Alpes.
const FOREZ: &str = "Recyclerie du Forez";
const DAUPHINE: &str = "Chantier Nature Dauphiné";
const LYON: &str = "Relais Emploi Lyonnais";

const ORGANISATIONS: &[&str] = &[
    FEDERATION, BRETAGNE, AURA, QUALIS, RENNES, TREMPLIN, ODET, AVENIR, FOREZ, DAUPHINE, LYON,
];
const ALL_SIAE: &[&str] = &[RENNES, TREMPLIN, ODET, AVENIR, FOREZ, DAUPHINE, LYON];
const BRETAGNE_AND_ITS_SIAE: &[&str] = &[BRETAGNE, RENNES, TREMPLIN, ODET, AVENIR];
const SIAE_OF_BRETAGNE: &[&str] = &[RENNES, TREMPLIN, ODET, AVENIR];
const AURA_AND_ITS_SIAE: &[&str] = &[AURA, FOREZ, DAUPHINE, LYON];
const SIAE_OF_AURA: &[&str] = &[FOREZ, DAUPHINE, LYON];

/// What a demo account may reach, by name of organisation.
struct Reach {
    email: &'static str,
    /// Organisations whose page it may open (`ViewOrganisation`).
    sees: &'static [&'static str],
    /// Organisations whose members (names, e-mail addresses) it may see (`ViewMembers`).
    members: &'static [&'static str],
    /// SIAE whose self-assessment and evidence it may read (`ViewAssessment`).
    reads: &'static [&'static str],
    /// SIAE whose self-assessment it may change (`EditAssessment`).
    edits: &'static [&'static str],
    /// Accounts, organisations, the audit trail (`ManageAccounts`, `EditOrganisation`, …).
    administers: bool,
    /// Référentiel versions and SIAE moves (`ManageReferentiel`).
    manages_referentiel: bool,
    /// SIAE whose manuel qualité in force it may read (`ViewManual`); it writes and approves
    /// the manuals of `edits` (`EditManual`, `ApproveManual`), drafts included.
    manual: &'static [&'static str],
    /// SIAE whose demande de certification it follows (`ViewDemande`); it prepares and submits
    /// those of `edits` (`EditDemande`).
    demande: &'static [&'static str],
    /// SIAE whose submitted demande it returns or forwards (`ReviewDemande`).
    reviews: &'static [&'static str],
    /// SIAE whose demande it decides on for the regional board (`DecideDemandeRegion`).
    decides: &'static [&'static str],
    /// SIAE whose forwarded demande it assigns an auditor to (`AssignAuditor`).
    assigns: &'static [&'static str],
    /// Keeps a declaration of ties (`DeclareTies`): the auditor and the committee's members.
    ties: bool,
    /// SIAE whose certification it decides as a member of the committee (`DecideCertification`).
    sits: &'static [&'static str],
    /// SIAE whose people it follows (`FollowParcours`): names, files, records.
    follows: &'static [&'static str],
}

#[rustfmt::skip]
const REACH: &[Reach] = &[
    Reach { email: "admin@cedre.demo", sees: ORGANISATIONS, members: ORGANISATIONS, reads: ALL_SIAE, edits: &[], administers: true, manages_referentiel: true, manual: &[], demande: ALL_SIAE, reviews: &[], decides: &[], assigns: &[], ties: false, sits: &[], follows: &[] },
    Reach { email: "rq-federal@cedre.demo", sees: ORGANISATIONS, members: ORGANISATIONS, reads: ALL_SIAE, edits: &[], administers: false, manages_referentiel: true, manual: &[], demande: ALL_SIAE, reviews: &[], decides: &[], assigns: ALL_SIAE, ties: false, sits: &[], follows: &[] },
    Reach { email: "comite@cedre.demo", sees: ORGANISATIONS, members: &[], reads: ALL_SIAE, edits: &[], administers: false, manages_referentiel: false, manual: &[], demande: &[], reviews: &[], decides: &[], assigns: &[], ties: true, sits: ALL_SIAE, follows: &[] },
    Reach { email: "rq-region@cedre.demo", sees: BRETAGNE_AND_ITS_SIAE, members: BRETAGNE_AND_ITS_SIAE, reads: SIAE_OF_BRETAGNE, edits: &[], administers: false, manages_referentiel: false, manual: &[], demande: SIAE_OF_BRETAGNE, reviews: SIAE_OF_BRETAGNE, decides: &[], assigns: &[], ties: false, sits: &[], follows: &[] },
    Reach { email: "ca-region@cedre.demo", sees: BRETAGNE_AND_ITS_SIAE, members: &[BRETAGNE], reads: SIAE_OF_BRETAGNE, edits: &[], administers: false, manages_referentiel: false, manual: &[], demande: SIAE_OF_BRETAGNE, reviews: &[], decides: SIAE_OF_BRETAGNE, assigns: &[], ties: false, sits: &[], follows: &[] },
    Reach { email: "referent@cedre.demo", sees: &[BRETAGNE, RENNES], members: &[RENNES], reads: &[RENNES], edits: &[RENNES], administers: false, manages_referentiel: false, manual: &[RENNES], demande: &[RENNES], reviews: &[], decides: &[], assigns: &[], ties: false, sits: &[], follows: &[RENNES] },
    Reach { email: "direction@cedre.demo", sees: &[BRETAGNE, RENNES], members: &[RENNES], reads: &[RENNES], edits: &[RENNES], administers: false, manages_referentiel: false, manual: &[RENNES], demande: &[RENNES], reviews: &[], decides: &[], assigns: &[], ties: false, sits: &[], follows: &[RENNES] },
    Reach { email: "accompagnateur@cedre.demo", sees: &[BRETAGNE, RENNES], members: &[RENNES], reads: &[RENNES], edits: &[], administers: false, manages_referentiel: false, manual: &[RENNES], demande: &[], reviews: &[], decides: &[], assigns: &[], ties: false, sits: &[], follows: &[RENNES] },
    Reach { email: "auditeur@cedre.demo", sees: &[QUALIS], members: &[QUALIS], reads: &[], edits: &[], administers: false, manages_referentiel: false, manual: &[], demande: &[], reviews: &[], decides: &[], assigns: &[], ties: true, sits: &[], follows: &[] },
    Reach { email: "referent.forez@cedre.demo", sees: &[AURA, FOREZ], members: &[FOREZ], reads: &[FOREZ], edits: &[FOREZ], administers: false, manages_referentiel: false, manual: &[FOREZ], demande: &[FOREZ], reviews: &[], decides: &[], assigns: &[], ties: false, sits: &[], follows: &[FOREZ] },
    Reach { email: "rq-aura@cedre.demo", sees: AURA_AND_ITS_SIAE, members: AURA_AND_ITS_SIAE, reads: SIAE_OF_AURA, edits: &[], administers: false, manages_referentiel: false, manual: &[], demande: SIAE_OF_AURA, reviews: SIAE_OF_AURA, decides: &[], assigns: &[], ties: false, sits: &[], follows: &[] },
];

/// The draft version the sweep creates: only those who manage the référentiel may read it.
const DRAFT_CODE: &str = "CEDRE-2031";
const DRAFT_LABEL: &str = "Brouillon 2031";

/// An id that names nothing: a hidden target must answer as this one does.
const GHOST: i64 = 999_999;

/// The plain HTTP routes (`server/src/http`), with the method they answer.
const HTTP_ROUTES: &[(&str, &str)] = &[
    ("POST", "/organisations/{id}/preuves"),
    ("GET", "/organisations/{id}/preuves/{document}"),
    ("GET", "/organisations/{id}/referentiel.csv"),
    ("GET", "/organisations/{id}/referentiel.pdf"),
    ("GET", "/organisations/{id}/manuel/editions/{edition}"),
    ("GET", "/organisations/{id}/manuel/logo"),
    ("POST", "/organisations/{id}/manuel/logo"),
    ("POST", "/manuel/apercu"),
    (
        "GET",
        "/organisations/{id}/certification/dossier/edition.pdf",
    ),
    (
        "GET",
        "/organisations/{id}/certification/dossier/preuves/{document}",
    ),
    ("GET", "/organisations/{id}/certification/compte-rendu.pdf"),
    ("GET", "/organisations/{id}/certification/certificat.pdf"),
    ("GET", "/organisations/{id}/certification/audit/grille.csv"),
    ("POST", "/organisations/{id}/certification/audit/grille"),
    (
        "GET",
        "/personnes/{id}/engagements/{engagement}/convention.pdf",
    ),
    ("GET", "/personnes/{id}/fiche-de-suivi.pdf"),
    ("GET", "/personnes/{id}/donnees.json"),
];

/// The demo as the sweep aims at it: real ids, and what must not show.
struct World {
    org: BTreeMap<&'static str, i64>,
    /// A valid form for each organisation, as its edit page would post it.
    draft: BTreeMap<&'static str, Vec<(String, String)>>,
    /// What shows that a body carries something of an organisation: its name and SIRET.
    org_marks: BTreeMap<&'static str, Vec<String>>,
    /// What shows that a body carries something of a SIAE's assessment: a comment, a document.
    assessment_marks: BTreeMap<&'static str, Vec<String>>,
    account: BTreeMap<&'static str, i64>,
    /// The e-mail address of each demo account, with the organisation of its role.
    account_org: BTreeMap<&'static str, &'static str>,
    admin_membership: i64,
    /// The evidence document of each SIAE that has one.
    document: BTreeMap<&'static str, i64>,
    in_force: i64,
    draft_version: i64,
    /// The public id of a session of [`VICTIM`], opened from [`VICTIM_ADDRESS`].
    victim_session: String,
    /// For the SIAE whose manual is started: a section, its draft, and the draft's text.
    manual: BTreeMap<&'static str, ManualDraft>,
    /// An issued edition of the manual of Rennes.
    edition: i64,
    /// The approved section version of Rennes that edition holds.
    approved_version: i64,
    /// Rennes' demande de certification on that edition, submitted to the region.
    demande: i64,
    /// A person each of Rennes and the Forez supports, and their name.
    person: BTreeMap<&'static str, (i64, String)>,
}

struct ManualDraft {
    section: i64,
    version: i64,
    text: String,
}

/// An account signed in elsewhere, whose session no one else may see or end.
const VICTIM: &str = "direction@cedre.demo";
const VICTIM_ADDRESS: &str = "203.0.113.77";

const DOCUMENT_CONTENT: &str = "contenu confidentiel";

impl World {
    /// Loads the demo and gives two SIAE an assessment, an evidence document and a ticked mean,
    /// and the référentiel a draft version, through the application as their people would.
    async fn prepare(app: &TestApp) -> Self {
        let mut org = BTreeMap::new();
        for name in ORGANISATIONS {
            org.insert(*name, app.id_of(("organisations", "name"), name).await);
        }
        let mut document = BTreeMap::new();
        let mut assessment_marks = BTreeMap::new();
        let mut manual = BTreeMap::new();
        for (email, siae, tag) in [
            ("referent@cedre.demo", RENNES, "Rennes"),
            ("referent.forez@cedre.demo", FOREZ, "Forez"),
        ] {
            let id = org[siae];
            let file_name = format!("preuve-{tag}-confidentielle.pdf");
            let comment = format!("Commentaire confidentiel {tag}");
            let content = format!("%PDF-1.4\n% {DOCUMENT_CONTENT} {tag}\n%%EOF\n");
            let mut person = app.signed_in(email).await;
            let uploaded = person
                .upload(id, "2.1 a", &file_name, content.as_bytes())
                .await;
            assert!(uploaded.status.is_redirection(), "{}", uploaded.body);
            let saved = person
                .call(
                    "/api/referentiel/evaluer",
                    &[
                        ("siae_id", &id.to_string()),
                        ("key", "2.1 b"),
                        ("draft[status]", "en_cours"),
                        ("draft[comment]", &comment),
                    ],
                )
                .await;
            assert!(saved.status.is_success(), "{}", saved.body);
            let doc = app
                .id_of(("evidence_documents", "file_name"), &file_name)
                .await;
            let ticked = person
                .call(
                    "/api/referentiel/moyen",
                    &[
                        ("siae_id", &id.to_string()),
                        ("section", "2.1"),
                        ("mean", "Grille d'entretien"),
                        ("checked", "true"),
                        ("document_id", &doc.to_string()),
                    ],
                )
                .await;
            assert!(ticked.status.is_success(), "{}", ticked.body);
            document.insert(siae, doc);
            assert_marks(&[
                file_name.clone(),
                comment.clone(),
                format!("{DOCUMENT_CONTENT} {tag}"),
            ]);
            assessment_marks.insert(
                siae,
                vec![file_name, comment, format!("{DOCUMENT_CONTENT} {tag}")],
            );
            let started = person
                .call("/api/manuel/commencer", &[("siae_id", &id.to_string())])
                .await;
            assert!(started.status.is_success(), "{}", started.body);
            let section = app
                .count(&format!(
                    "SELECT MIN(id) FROM manual_sections WHERE siae_id = {id}"
                ))
                .await;
            let text = format!("Brouillon confidentiel {tag}");
            let saved = person
                .call(
                    "/api/manuel/brouillon",
                    &[
                        ("section_id", &section.to_string()),
                        ("body", &text),
                        ("change_note", "Première rédaction"),
                    ],
                )
                .await;
            assert!(saved.status.is_success(), "{}", saved.body);
            let version = app
                .count(&format!(
                    "SELECT id FROM manual_section_versions WHERE section_id = {section}"
                ))
                .await;
            manual.insert(
                siae,
                ManualDraft {
                    section,
                    version,
                    text,
                },
            );
        }
        let (edition, approved_version) = issued_edition(app, org[RENNES]).await;
        let demande = submitted_demande(app, org[RENNES], edition).await;
        let in_force = app
            .id_of(("referentiel_versions", "code"), "CEDRE-2004-10")
            .await;
        let created = app
            .signed_in("rq-federal@cedre.demo")
            .await
            .call(
                "/api/referentiel/versions/creer",
                &[
                    ("base_id", &in_force.to_string()),
                    ("code", DRAFT_CODE),
                    ("label", DRAFT_LABEL),
                ],
            )
            .await;
        assert!(created.status.is_success(), "{}", created.body);
        let draft_version = app
            .id_of(("referentiel_versions", "code"), DRAFT_CODE)
            .await;

        let admin = app.id_of(("accounts", "email"), "admin@cedre.demo").await;
        let admin_identity = backend::Identity::load(&app.db, admin, String::new())
            .await
            .unwrap()
            .unwrap();
        let mut draft = BTreeMap::new();
        let mut org_marks = BTreeMap::new();
        for name in ORGANISATIONS {
            let found = backend::organisations::get(&app.db, &admin_identity, org[name])
                .await
                .unwrap();
            let d = found.to_draft();
            draft.insert(
                *name,
                [
                    ("draft[kind]", d.kind),
                    ("draft[name]", format!("{} piratée", d.name)),
                    ("draft[siret]", d.siret),
                    ("draft[siae_type]", d.siae_type),
                    ("draft[region_id]", d.region_id),
                    ("draft[entry_date]", d.entry_date),
                    ("draft[funded_fte]", d.funded_fte),
                    ("draft[city]", d.city),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            );
            let mut marks = vec![name.to_string()];
            if let Some(siret) = &found.siret {
                marks.push(siret.as_str().to_string());
                marks.push(siret.to_string());
            }
            org_marks.insert(*name, marks);
        }
        let mut account = BTreeMap::new();
        let mut account_org = BTreeMap::new();
        for demo in backend::demo::ACCOUNTS {
            account.insert(
                demo.email,
                app.id_of(("accounts", "email"), demo.email).await,
            );
            account_org.insert(demo.email, demo.organisation);
        }
        let mut victim = app.client().from_address(VICTIM_ADDRESS);
        let signed = victim.login(VICTIM, backend::demo::DEMO_PASSWORD).await;
        assert_eq!(signed.location(), Some("/"), "{}", signed.body);
        let victim_hash: String = {
            use sqlx::Row;
            sqlx::query("SELECT token_hash FROM sessions WHERE account_id = $1")
                .bind(account[VICTIM])
                .fetch_one(&app.db.pool)
                .await
                .unwrap()
                .try_get("token_hash")
                .unwrap()
        };
        let victim_session = app.ctx.sessions.public_id(&victim_hash);
        let admin_membership = app
            .count(&format!(
                "SELECT id FROM memberships WHERE account_id = {admin}"
            ))
            .await;
        let mut person = BTreeMap::new();
        for (email, siae, name) in [
            (
                "accompagnateur@cedre.demo",
                RENNES,
                "Personne-Confidentielle-Rennes",
            ),
            (
                "referent.forez@cedre.demo",
                FOREZ,
                "Personne-Confidentielle-Forez",
            ),
        ] {
            let mut staff = app.signed_in(email).await;
            let opened = staff
                .call(
                    "/api/parcours/personnes/creer",
                    &[
                        ("siae_id", &org[siae].to_string()),
                        ("last_name", name),
                        ("pre_accueil_on", &domain::time::today().to_string()),
                    ],
                )
                .await;
            assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
            person.insert(
                siae,
                (
                    app.id_of(("persons", "last_name"), name).await,
                    name.to_string(),
                ),
            );
        }
        World {
            person,
            org,
            draft,
            org_marks,
            assessment_marks,
            account,
            account_org,
            admin_membership,
            document,
            in_force,
            draft_version,
            victim_session,
            manual,
            edition,
            approved_version,
            demande,
        }
    }

    fn siae_with_document(&self, siae: &str) -> i64 {
        self.document
            .get(siae)
            .copied()
            .unwrap_or(self.document[RENNES])
    }

    /// Everything that a refusal must not show, whoever asks.
    fn all_marks(&self) -> Vec<String> {
        let mut marks: Vec<String> = self
            .org_marks
            .values()
            .chain(self.assessment_marks.values())
            .flatten()
            .cloned()
            .collect();
        marks.extend(self.account.keys().map(|e| e.to_string()));
        marks.extend(self.manual.values().map(|d| d.text.clone()));
        marks.extend(self.person.values().map(|(_, name)| name.clone()));
        marks
    }

    /// What `me` must never be shown, whatever it asks: the organisations it may not see, the
    /// assessments it may not read, the e-mail addresses of members it may not see.
    /// The names of the SIAE and regions: an auditor declares ties by choosing among them, so
    /// their declaration shows these names (and nothing else of those organisations).
    fn network_names(&self) -> Vec<String> {
        ORGANISATIONS
            .iter()
            .filter(|name| ![FEDERATION, QUALIS].contains(name))
            .map(|name| name.to_string())
            .collect()
    }

    fn hidden_marks(&self, me: &Reach) -> Vec<String> {
        let mut marks = Vec::new();
        for name in ORGANISATIONS {
            if !me.sees.contains(name) {
                marks.extend(self.org_marks[name].iter().cloned());
            }
            if !me.reads.contains(name) {
                marks.extend(
                    self.assessment_marks
                        .get(name)
                        .into_iter()
                        .flatten()
                        .cloned(),
                );
            }
        }
        for (email, organisation) in &self.account_org {
            if *email != me.email && !me.members.contains(organisation) {
                marks.push(email.to_string());
            }
        }
        // A person is known to the staff of their SIAE only.
        for (siae, (_, name)) in &self.person {
            if !me.follows.contains(siae) {
                marks.push(name.clone());
            }
        }
        // A manual's drafts are the work of those who write it.
        for (siae, draft) in &self.manual {
            if !me.edits.contains(siae) {
                marks.push(draft.text.clone());
            }
        }
        // Another account's session: where it is used from, and its id.
        if me.email != VICTIM {
            marks.extend([VICTIM_ADDRESS.to_string(), self.victim_session.clone()]);
        }
        // A draft version is the work of those who manage the référentiel.
        if !me.manages_referentiel {
            marks.extend([DRAFT_CODE.to_string(), DRAFT_LABEL.to_string()]);
        }
        marks
    }
}

/// Rennes's direction writes a section, its référent approves it, the référent issues edition 1.
/// An issued edition of the manual of Rennes, and the approved version it holds.
async fn issued_edition(app: &TestApp, rennes: i64) -> (i64, i64) {
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let section = app
        .count(&format!(
            "SELECT MAX(id) FROM manual_sections WHERE siae_id = {rennes}"
        ))
        .await
        .to_string();
    let saved = direction
        .call(
            "/api/manuel/brouillon",
            &[
                ("section_id", &section),
                ("body", "Texte en vigueur"),
                ("change_note", ""),
            ],
        )
        .await;
    assert!(saved.status.is_success(), "{}", saved.body);
    let version = app
        .count(&format!(
            "SELECT id FROM manual_section_versions WHERE section_id = {section}"
        ))
        .await
        .to_string();
    let fields = [
        ("section_id", section.as_str()),
        ("version_id", version.as_str()),
    ];
    for (who, path) in [
        (&mut direction, "/api/manuel/soumettre"),
        (&mut referent, "/api/manuel/approuver"),
    ] {
        let done = who.call(path, &fields).await;
        assert!(done.status.is_success(), "{path}: {}", done.body);
    }
    let issued = referent
        .call(
            "/api/manuel/editions/emettre",
            &[("siae_id", &rennes.to_string()), ("confirmer", "oui")],
        )
        .await;
    assert!(issued.status.is_success(), "{}", issued.body);
    let edition = app
        .count(&format!(
            "SELECT id FROM manual_editions WHERE siae_id = {rennes}"
        ))
        .await;
    (edition, version.parse().expect("an id"))
}

/// Rennes' demande de certification on `edition`, submitted to the region.
async fn submitted_demande(app: &TestApp, rennes: i64, edition: i64) -> i64 {
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let rennes = rennes.to_string();
    let saved = referent
        .call(
            "/api/certification/demande/enregistrer",
            &[
                ("siae_id", &rennes),
                ("edition_id", &edition.to_string()),
                ("message", "Demande de la structure"),
            ],
        )
        .await;
    assert!(saved.status.is_success(), "{}", saved.body);
    let demande = app
        .count(&format!("SELECT id FROM demandes WHERE siae_id = {rennes}"))
        .await;
    let submitted = referent
        .call(
            "/api/certification/demande/soumettre",
            &[("siae_id", &rennes), ("demande_id", &demande.to_string())],
        )
        .await;
    assert!(submitted.status.is_success(), "{}", submitted.body);
    demande
}

/// Marks must be long enough not to match by chance.
fn assert_marks(marks: &[String]) {
    for mark in marks {
        assert!(mark.len() >= 10, "{mark:?} is too short to be a mark");
    }
}

#[derive(Clone, Debug)]
enum Request {
    /// A server function called as a script does: the status tells the outcome.
    Call(String, Vec<(String, String)>),
    Get(String),
    Upload {
        siae_id: i64,
    },
    /// A real image as the logo of a SIAE's manual cover.
    Logo {
        siae_id: i64,
    },
    /// A filled audit grid, sent back to a SIAE's audit.
    Grid {
        siae_id: i64,
    },
}

impl Request {
    fn call(path: &str, fields: &[(&str, String)]) -> Self {
        Request::Call(
            path.to_string(),
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    async fn send(&self, client: &mut Client) -> Response {
        match self {
            Request::Call(path, fields) => {
                let fields: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                client.call(path, &fields).await
            }
            Request::Get(path) => client.get(path).await,
            Request::Upload { siae_id } => {
                client
                    .upload(
                        *siae_id,
                        "2.1 a",
                        "intrusion.pdf",
                        b"%PDF-1.4\n% intrusion\n%%EOF\n",
                    )
                    .await
            }
            Request::Grid { siae_id } => {
                client
                    .post_multipart(
                        &format!("/organisations/{siae_id}/certification/audit/grille"),
                        &[(
                            "grille",
                            Some("grille.csv"),
                            "Exigence;Appréciation;Commentaire;Nouveaux constats;Empreinte\r\n2.1 a;Conforme;;;0\r\n"
                                .as_bytes(),
                        )],
                    )
                    .await
            }
            Request::Logo { siae_id } => {
                client
                    .post_multipart(
                        &format!("/organisations/{siae_id}/manuel/logo"),
                        &[("logo", Some("logo.png"), tests::LOGO_PNG)],
                    )
                    .await
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// 403 or 404, nothing shown, nothing changed.
    Refused,
    /// 422: the call names something of another SIAE from one's own (a document); nothing
    /// shown, nothing changed.
    Invalid,
    /// 200 with what the caller may see only, and nothing changed.
    Shown,
}

struct Probe {
    what: String,
    request: Request,
    expect: Expect,
    /// The same request naming things that do not exist, when the target is hidden from the caller.
    ghost: Option<Request>,
    /// What the answer must show (a shown page or list that shows nothing would pass too easily).
    must_show: Vec<String>,
    /// Marks hidden from the caller elsewhere that this answer may show (a deliberate, narrow
    /// exception, named where the probe is made).
    may_show: Vec<String>,
}

impl Probe {
    fn new(what: impl Into<String>, request: Request, expect: Expect) -> Self {
        Self {
            what: what.into(),
            request,
            expect,
            ghost: None,
            must_show: Vec::new(),
            may_show: Vec::new(),
        }
    }

    fn allowing(mut self, may_show: Vec<String>) -> Self {
        self.may_show = may_show;
        self
    }

    fn ghost(mut self, ghost: Request) -> Self {
        self.ghost = Some(ghost);
        self
    }

    fn showing(mut self, must_show: Vec<String>) -> Self {
        self.must_show = must_show;
        self
    }
}

/// What the sweep does with one entry point for one account.
enum Plan {
    Probes(Vec<Probe>),
    /// Nothing this account must not reach goes through this entry point; the reason says why.
    Allowed(&'static str),
}

fn plan(probes: Vec<Probe>, otherwise: &'static str) -> Plan {
    if probes.is_empty() {
        Plan::Allowed(otherwise)
    } else {
        Plan::Probes(probes)
    }
}

fn not_in(list: &[&str], universe: &[&'static str]) -> Vec<&'static str> {
    universe
        .iter()
        .copied()
        .filter(|n| !list.contains(n))
        .collect()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|n| n.to_string()).collect()
}

/// For each organisation out of reach, a refused call; a ghost call when it is hidden.
fn refusals_on_organisations(
    w: &World,
    me: &Reach,
    out_of_reach: &[&'static str],
    what: &str,
    request: impl Fn(i64, &'static str) -> Request,
) -> Vec<Probe> {
    out_of_reach
        .iter()
        .map(|name| {
            let probe = Probe::new(
                format!("{what} of {name}"),
                request(w.org[name], name),
                Expect::Refused,
            );
            if me.sees.contains(name) {
                probe
            } else {
                probe.ghost(request(GHOST, name))
            }
        })
        .collect()
}

/// For each started manual out of `allowed`, a refused call naming its section and draft; a ghost
/// call (naming nothing) when its SIAE is hidden.
fn refusals_on_manuals(
    w: &World,
    me: &Reach,
    allowed: &[&str],
    what: &str,
    request: impl Fn(i64, i64, i64) -> Request,
) -> Vec<Probe> {
    w.manual
        .iter()
        .filter(|(siae, _)| !allowed.contains(siae))
        .map(|(siae, draft)| {
            let probe = Probe::new(
                format!("{what} of {siae}"),
                request(w.org[siae], draft.section, draft.version),
                Expect::Refused,
            );
            if me.sees.contains(siae) {
                probe
            } else {
                probe.ghost(request(GHOST, GHOST, GHOST))
            }
        })
        .collect()
}

fn server_function_plan(path: &str, me: &Reach, w: &World) -> Plan {
    let id = |name: &str| w.org[name].to_string();
    let cannot_see = not_in(me.sees, ORGANISATIONS);
    let cannot_read = not_in(me.reads, ORGANISATIONS);
    let cannot_edit_assessment = not_in(me.edits, ORGANISATIONS);
    let cannot_edit = if me.administers {
        Vec::new()
    } else {
        ORGANISATIONS.to_vec()
    };
    let account_targets = || {
        // The administrator's account (the prize), and the caller's own.
        ["admin@cedre.demo", me.email]
            .into_iter()
            .collect::<BTreeSet<_>>()
    };
    let admin_only = |probes: Vec<Probe>| {
        if me.administers {
            Plan::Allowed("the administrator manages accounts, organisations and the trail")
        } else {
            Plan::Probes(probes)
        }
    };
    let referentiel_managers_only = |probes: Vec<Probe>| {
        if me.manages_referentiel {
            Plan::Allowed("manages the référentiel")
        } else {
            Plan::Probes(probes)
        }
    };
    let lists = |path: &str, visible: &[&str]| {
        let mut probes = vec![
            Probe::new("everything", Request::call(path, &[]), Expect::Shown)
                .showing(names(visible)),
        ];
        for region in [BRETAGNE, AURA] {
            probes.push(Probe::new(
                format!("the SIAE of {region}"),
                Request::call(path, &[("region_id", id(region))]),
                Expect::Shown,
            ));
        }
        for name in not_in(visible, ORGANISATIONS) {
            probes.push(Probe::new(
                format!("a search for {name}"),
                Request::call(path, &[("search", name.to_string())]),
                Expect::Shown,
            ));
        }
        Plan::Probes(probes)
    };
    match path {
        "/api/connexion" => Plan::Allowed("public: the login form names no one but the caller"),
        "/api/deconnexion" => {
            Plan::Allowed("ends the caller's own session; checked last, for each account")
        }
        "/api/mot-de-passe" => Plan::Probes(vec![Probe::new(
            "own password, without the current one",
            Request::call(
                path,
                &[
                    ("actuel", "pas le mot de passe".into()),
                    ("nouveau", "une phrase de passe assez longue".into()),
                    ("confirmation", "une phrase de passe assez longue".into()),
                ],
            ),
            Expect::Invalid,
        )]),
        "/api/accueil" => Plan::Probes(vec![Probe::new(
            "the home page",
            Request::call(path, &[]),
            Expect::Shown,
        )]),
        "/api/organisations/liste" => lists(path, me.sees),
        "/api/referentiel/tableau" => {
            let visible: Vec<&str> = me.reads.to_vec();
            lists(path, &visible)
        }
        "/api/organisations/fiche" => {
            let mut probes =
                refusals_on_organisations(w, me, &cannot_see, "the page", |id, _| {
                    Request::call(path, &[("id", id.to_string())])
                });
            probes.extend(me.sees.iter().map(|name| {
                Probe::new(
                    format!("the page of {name}"),
                    Request::call(path, &[("id", id(name))]),
                    Expect::Shown,
                )
                .showing(vec![name.to_string()])
            }));
            Plan::Probes(probes)
        }
        "/api/organisations/formulaire" => admin_only(vec![Probe::new(
            "the regions for the organisation form",
            Request::call(path, &[]),
            Expect::Refused,
        )]),
        "/api/organisations/creer" => admin_only(vec![Probe::new(
            format!("a new SIAE in {AURA}"),
            Request::call(
                path,
                &[
                    ("draft[kind]", "siae".into()),
                    ("draft[name]", "Structure pirate".into()),
                    ("draft[siret]", "120 027 016 00019".into()),
                    ("draft[siae_type]", "ACI".into()),
                    ("draft[region_id]", id(AURA)),
                    ("draft[entry_date]", "2026-01-05".into()),
                    ("draft[funded_fte]", "2".into()),
                    ("draft[city]", "Roanne".into()),
                ],
            ),
            Expect::Refused,
        )]),
        "/api/organisations/modifier" => plan(
            refusals_on_organisations(w, me, &cannot_edit, "an edit", |id, name| {
                let mut fields = vec![("id".to_string(), id.to_string())];
                fields.extend(w.draft[name].iter().cloned());
                Request::Call(path.to_string(), fields)
            }),
            "may edit every organisation",
        ),
        "/api/organisations/activer" => plan(
            refusals_on_organisations(w, me, &cannot_edit, "a deactivation", |id, _| {
                Request::call(path, &[("id", id.to_string()), ("active", "false".into())])
            }),
            "may edit every organisation",
        ),
        "/api/comptes/liste" => admin_only(vec![Probe::new(
            "the accounts",
            Request::call(path, &[("search", "cedre.demo".into())]),
            Expect::Refused,
        )]),
        "/api/comptes/creer" => admin_only(vec![Probe::new(
            "a new account",
            Request::call(
                path,
                &[
                    ("email", "intrus@exemple.fr".into()),
                    ("display_name", "Intrus".into()),
                ],
            ),
            Expect::Refused,
        )]),
        "/api/comptes/fiche"
        | "/api/comptes/modifier"
        | "/api/comptes/activer"
        | "/api/comptes/reinitialiser"
        | "/api/comptes/double-authentification" => admin_only(
            account_targets()
                .into_iter()
                .map(|email| {
                    let fields = |id: i64| -> Vec<(&str, String)> {
                        let mut fields = vec![("id", id.to_string())];
                        match path {
                            "/api/comptes/modifier" => {
                                fields.push(("email", "intrus@exemple.fr".into()));
                                fields.push(("display_name", "Intrus".into()));
                            }
                            "/api/comptes/activer" => fields.push(("active", "false".into())),
                            _ => {}
                        }
                        fields
                    };
                    Probe::new(
                        format!("the account {email}"),
                        Request::call(path, &fields(w.account[email])),
                        Expect::Refused,
                    )
                    .ghost(Request::call(path, &fields(GHOST)))
                })
                .collect(),
        ),
        "/api/comptes/roles/ajouter" => admin_only(vec![Probe::new(
            format!("the administrator's role in {FEDERATION}, for oneself"),
            Request::call(
                path,
                &[
                    ("account_id", w.account[me.email].to_string()),
                    ("organisation_id", id(FEDERATION)),
                    ("role", "Administrateur".into()),
                ],
            ),
            Expect::Refused,
        )]),
        "/api/comptes/roles/retirer" => admin_only(vec![Probe::new(
            "the administrator's role",
            Request::call(
                path,
                &[
                    ("account_id", w.account["admin@cedre.demo"].to_string()),
                    ("membership_id", w.admin_membership.to_string()),
                ],
            ),
            Expect::Refused,
        )
        .ghost(Request::call(
            path,
            &[
                ("account_id", GHOST.to_string()),
                ("membership_id", GHOST.to_string()),
            ],
        ))]),
        "/api/journal" => admin_only(vec![Probe::new(
            "the audit trail",
            Request::call(path, &[]),
            Expect::Refused,
        )]),
        "/api/journal/securite" => admin_only(vec![Probe::new(
            "the security journal",
            Request::call(path, &[]),
            Expect::Refused,
        )]),
        "/api/programme/regles" => {
            Plan::Allowed("the programme's delays, the same for every SIAE, name no one")
        }
        "/api/programme/regles/enregistrer" if me.email == "rq-federal@cedre.demo" => {
            Plan::Allowed("sets the programme's rules (tests/integration/programme.rs)")
        }
        "/api/programme/regles/enregistrer" => Plan::Probes(vec![Probe::new(
            "the programme's rules",
            Request::call(
                path,
                &[
                    ("major_nc_months", "1".into()),
                    ("minor_nc_months", "1".into()),
                    ("expiry_reminders", "1".into()),
                    ("renewal_lead_months", "1".into()),
                ],
            ),
            Expect::Refused,
        )]),
        "/api/programme/prix" if me.email == "rq-federal@cedre.demo" => {
            Plan::Allowed("sets the price of an audit (tests/integration/costs.rs)")
        }
        "/api/programme/prix" => Plan::Probes(vec![Probe::new(
            "the price of an audit",
            Request::call(
                path,
                &[
                    ("year", "2030".into()),
                    ("audit", "1".into()),
                    ("expenses", "1".into()),
                ],
            ),
            Expect::Refused,
        )]),
        "/api/certification/demande/facture" => plan(
            // An audit's invoice is its assigned auditor's; no auditor is assigned in the sweep
            // (tests/integration/costs.rs walks one).
            refusals_on_organisations(w, me, ORGANISATIONS, "an audit's invoice", |id, _| {
                Request::call(
                    path,
                    &[
                        ("siae_id", id.to_string()),
                        ("demande_id", w.demande.to_string()),
                        ("invoiced_on", "2026-01-01".into()),
                        ("invoice_ref", "F-PIRATE".into()),
                    ],
                )
            }),
            "(never: no auditor is assigned in the sweep)",
        ),
        "/api/certification/demande/prise-en-charge" => plan(
            refusals_on_organisations(
                w,
                me,
                &not_in(me.assigns, ORGANISATIONS),
                "an audit's funding",
                |id, _| {
                    Request::call(
                        path,
                        &[
                            ("siae_id", id.to_string()),
                            ("demande_id", w.demande.to_string()),
                            ("funder", "federation".into()),
                            ("amount", "1".into()),
                        ],
                    )
                },
            ),
            "records the funding of the audits it steers (tests/integration/costs.rs)",
        ),
        "/api/courriels" => admin_only(vec![Probe::new(
            "the mail outbox",
            Request::call(path, &[]),
            Expect::Refused,
        )]),
        "/api/sessions/liste" => Plan::Probes(vec![Probe::new(
            "one's own sessions, not another account's",
            Request::call(path, &[]),
            Expect::Shown,
        )]),
        "/api/sessions/fermer" if me.email == VICTIM => {
            Plan::Allowed("the session is the caller's own (tests/integration/sessions.rs)")
        }
        "/api/sessions/fermer" => Plan::Probes(vec![Probe::new(
            format!("the session of {VICTIM}"),
            Request::call(path, &[("id", w.victim_session.clone())]),
            Expect::Invalid,
        )
        .ghost(Request::call(path, &[("id", "0".repeat(24))]))]),
        "/api/connexion/code" => Plan::Probes(vec![Probe::new(
            "a code without a ticket of one's own",
            Request::call(path, &[("verification", "123456".into())]),
            Expect::Invalid,
        )]),
        "/api/connexion/code/etat" => {
            Plan::Allowed("public: says only whether the caller's own login ticket is valid")
        }
        "/api/double-authentification/etat"
        | "/api/double-authentification/activer"
        | "/api/double-authentification/confirmer"
        | "/api/double-authentification/codes-de-secours"
        | "/api/double-authentification/retirer" => Plan::Allowed(
            "the caller's own second factor; takes no id (tests/integration/second_factor.rs)",
        ),
        "/api/manuel/sommaire" => plan(
            refusals_on_organisations(w, me, &not_in(me.manual, ORGANISATIONS), "the manual", |id, _| {
                Request::call(path, &[("siae_id", id.to_string())])
            }),
            "(never)",
        ),
        "/api/manuel/commencer" | "/api/manuel/sections/ajouter" => plan(
            refusals_on_organisations(w, me, &not_in(me.edits, ALL_SIAE), "a manual's start or new section", |id, _| {
                Request::call(
                    path,
                    &[
                        ("siae_id", id.to_string()),
                        ("kind", "libre".into()),
                        ("title", "Section pirate".into()),
                    ],
                )
            }),
            "writes every manual",
        ),
        "/api/manuel/section" | "/api/manuel/comparer" => {
            let mut probes = refusals_on_manuals(w, me, me.manual, "a section", |_, section, version| {
                Request::call(
                    path,
                    &[
                        ("section_id", section.to_string()),
                        ("from", version.to_string()),
                        ("to", version.to_string()),
                    ],
                )
            });
            // Those who read a manual without writing it see what is in force, not the drafts.
            for siae in me.manual.iter().filter(|s| !me.edits.contains(s)) {
                let draft = &w.manual[siae];
                probes.push(Probe::new(
                    format!("a section of {siae}, without its draft"),
                    Request::call(
                        path,
                        &[
                            ("section_id", draft.section.to_string()),
                            ("from", draft.version.to_string()),
                            ("to", draft.version.to_string()),
                        ],
                    ),
                    if path == "/api/manuel/section" {
                        Expect::Shown
                    } else {
                        Expect::Refused
                    },
                ));
            }
            plan(probes, "(never)")
        }
        "/api/manuel/editions" => plan(
            refusals_on_organisations(w, me, &not_in(me.reads, ORGANISATIONS), "the editions", |id, _| {
                Request::call(path, &[("siae_id", id.to_string())])
            }),
            "reads every SIAE's issued editions",
        ),
        "/api/manuel/editions/emettre" => plan(
            refusals_on_organisations(w, me, &not_in(me.edits, ALL_SIAE), "an edition", |id, _| {
                Request::call(path, &[("siae_id", id.to_string()), ("confirmer", "oui".into())])
            }),
            "issues its own SIAE's editions (tests/integration/manual.rs)",
        ),
        "/api/manuel/editions/remettre" => plan(
            refusals_on_organisations(w, me, &not_in(me.edits, ALL_SIAE), "giving an edition", |id, _| {
                Request::call(
                    path,
                    &[
                        ("siae_id", id.to_string()),
                        ("edition_id", w.edition.to_string()),
                        (&format!("destinataires[{}]", w.account[me.email]), "oui".into()),
                    ],
                )
            }),
            "gives its own SIAE's editions (tests/integration/manual.rs)",
        ),
        "/api/certification/demande" => plan(
            refusals_on_organisations(w, me, &not_in(me.demande, ORGANISATIONS), "a demande", |id, _| {
                Request::call(path, &[("siae_id", id.to_string())])
            }),
            "follows the demandes of the SIAE it follows (tests/integration/certification.rs)",
        ),
        "/api/certification/demande/declarer-sur-l-honneur" | "/api/certification/demande/dates" => plan(
            // The auditor's steps rest on an assignment, and Rennes' demande is assigned to no one.
            refusals_on_organisations(w, me, ORGANISATIONS, "an auditor's step", |id, _| {
                Request::call(
                    path,
                    &[
                        ("siae_id", id.to_string()),
                        ("demande_id", w.demande.to_string()),
                        ("starts_on", "2027-02-02".into()),
                        ("ends_on", "2027-02-03".into()),
                    ],
                )
            }),
            "(never: no demande is assigned in the sweep)",
        ),
        "/api/certification/audit"
        | "/api/certification/audit/apprecier"
        | "/api/certification/audit/constat"
        | "/api/certification/audit/constat/retirer"
        | "/api/certification/audit/synthese"
        | "/api/certification/audit/import"
        | "/api/certification/audit/import/appliquer"
        | "/api/certification/demande/remettre" => plan(
            // An audit's file opens to its auditor, then to the report's readers; no audit has
            // started in the sweep (tests/integration/audit_cycle.rs walks one, role by role).
            refusals_on_organisations(w, me, ORGANISATIONS, "an audit", |id, _| {
                Request::call(
                    path,
                    &[
                        ("siae_id", id.to_string()),
                        ("demande_id", w.demande.to_string()),
                        ("requirement_key", "2.1 a".into()),
                        ("status", "conforme".into()),
                        ("kind", "point_fort".into()),
                        ("text", "Constat pirate".into()),
                        ("finding_id", "1".into()),
                        ("summary", "Synthèse pirate".into()),
                        ("upload_id", "1".into()),
                    ],
                )
            }),
            "(never: no audit has started in the sweep)",
        ),
        "/api/certification/actions"
        | "/api/certification/actions/prevoir"
        | "/api/certification/actions/realiser"
        | "/api/certification/actions/verifier"
        | "/api/certification/actions/lever" => plan(
            // An action plan answers a submitted report, read as the report is; no audit has
            // started in the sweep (tests/integration/corrective.rs walks one, role by role).
            refusals_on_organisations(w, me, ORGANISATIONS, "an action plan", |id, _| {
                Request::call(
                    path,
                    &[
                        ("siae_id", id.to_string()),
                        ("item", "conditions".into()),
                        ("action_id", "1".into()),
                        ("description", "Action pirate".into()),
                        ("root_cause", "Cause pirate".into()),
                        ("due_on", "2027-01-01".into()),
                        ("evidence", "Preuve pirate".into()),
                        ("efficace", "oui".into()),
                        ("comment", "".into()),
                    ],
                )
            }),
            "(never: no audit has started in the sweep)",
        ),
        "/api/certification/demande/ouvrir-au-comite" | "/api/certification/demande/decision-comite" => {
            let allowed = if path.ends_with("ouvrir-au-comite") {
                me.assigns
            } else {
                me.sits
            };
            let request = |id: i64| {
                Request::call(
                    path,
                    &[
                        ("siae_id", id.to_string()),
                        ("demande_id", w.demande.to_string()),
                        ("held_on", "2026-11-20".into()),
                        ("verdict", "refusee".into()),
                        ("reasons", "Refus pirate".into()),
                        ("presents[m1]", w.account["comite@cedre.demo"].to_string()),
                    ],
                )
            };
            // Where the role allows it, Rennes' demande is not at that step: 422, nothing moves
            // (tests/integration/audit_cycle.rs takes both steps).
            plan(
                refusals_on_organisations(w, me, &not_in(allowed, ORGANISATIONS), "a step of the committee", |id, _| request(id)),
                "moves a demande at the federation or in the committee (tests/integration/audit_cycle.rs)",
            )
        }
        "/api/certification/certificat/retirer" => plan(
            refusals_on_organisations(w, me, &not_in(me.sits, ORGANISATIONS), "a certificate's withdrawal", |id, _| {
                Request::call(path, &[("siae_id", id.to_string()), ("reasons", "Retrait pirate".into())])
            }),
            "withdraws the certificates of the SIAE it decides on (tests/integration/audit_cycle.rs)",
        ),
        "/api/verification" => Plan::Allowed(
            "public: a certificate's SIAE name, validity and status, nothing else (tests/integration/audit_cycle.rs)",
        ),
        "/api/auditeur/liens" if me.ties => Plan::Probes(vec![Probe::new(
            "one's declaration of ties",
            Request::call(path, &[]),
            Expect::Shown,
        )
        .allowing(w.network_names())]),
        "/api/auditeur/liens" | "/api/auditeur/liens/declarer" | "/api/auditeur/liens/retirer" => {
            if me.ties {
                Plan::Allowed("keeps its own declaration of ties (tests/integration/certification.rs, audit_cycle.rs)")
            } else {
                Plan::Probes(vec![Probe::new(
                    "a declaration of ties",
                    Request::call(
                        path,
                        &[
                            ("organisation_id", w.org[RENNES].to_string()),
                            ("kind", "conseil".into()),
                            ("started_on", "2025-01-01".into()),
                            ("tie_id", "1".into()),
                        ],
                    ),
                    Expect::Refused,
                )])
            }
        }
        "/api/certification/demande/enregistrer"
        | "/api/certification/demande/soumettre"
        | "/api/certification/demande/renvoyer"
        | "/api/certification/demande/decision-region"
        | "/api/certification/demande/transmettre"
        | "/api/certification/demande/designer" => {
            let allowed = match path {
                "/api/certification/demande/designer" => me.assigns,
                "/api/certification/demande/renvoyer" | "/api/certification/demande/transmettre" => me.reviews,
                "/api/certification/demande/decision-region" => me.decides,
                _ => me.edits,
            };
            let request = |id: i64| {
                Request::call(
                    path,
                    &[
                        ("siae_id", id.to_string()),
                        ("demande_id", w.demande.to_string()),
                        ("edition_id", w.edition.to_string()),
                        ("message", "Demande pirate".into()),
                        ("comment", "Renvoi pirate".into()),
                        ("held_on", "2026-11-20".into()),
                        ("members_present", "Membre pirate".into()),
                        ("decision", "refuser".into()),
                        ("reasons", "Refus pirate".into()),
                        ("auditor_id", w.account["auditeur@cedre.demo"].to_string()),
                        ("justification", "Désignation pirate".into()),
                    ],
                )
            };
            plan(
                refusals_on_organisations(w, me, &not_in(allowed, ORGANISATIONS), "a step of a demande", |id, _| request(id)),
                "moves its SIAE's demande as its role allows (tests/integration/certification.rs)",
            )
        }
        "/api/certification/audit-blanc/plan" => plan(
            // No audit blanc has a report in the sweep (tests/integration/corrective.rs draws
            // one's plan, role by role).
            refusals_on_organisations(w, me, ORGANISATIONS, "an audit blanc's plan", |id, _| {
                Request::call(
                    path,
                    &[
                        ("siae_id", id.to_string()),
                        ("owner_id", w.account[me.email].to_string()),
                        ("champs[a1]", "Action pirate".into()),
                        ("champs[c1]", "Cause pirate".into()),
                        ("champs[e1]", "2027-01-01".into()),
                    ],
                )
            }),
            "(never: no audit blanc has a report in the sweep)",
        ),
        "/api/parcours/personnes" | "/api/parcours/synthese" => {
            let mut probes = refusals_on_organisations(w, me, &not_in(me.follows, ORGANISATIONS), "the people", |id, _| {
                Request::call(path, &[("siae_id", id.to_string())])
            });
            probes.extend(me.follows.iter().filter(|siae| w.person.contains_key(*siae)).map(|siae| {
                Probe::new(format!("the people of {siae}"), Request::call(path, &[("siae_id", w.org[siae].to_string())]), Expect::Shown)
                    // The synthesis lists people in parcours; the sweep's are in accueil.
                    .showing(if path == "/api/parcours/personnes" { vec![w.person[siae].1.clone()] } else { Vec::new() })
            }));
            Plan::Probes(probes)
        }
        "/api/parcours/personnes/creer" => plan(
            refusals_on_organisations(w, me, &not_in(me.follows, ORGANISATIONS), "a new person", |id, _| {
                Request::call(path, &[("siae_id", id.to_string()), ("last_name", "Pirate".into()), ("pre_accueil_on", domain::time::today().to_string())])
            }),
            "opens the files of its own SIAE's people (tests/integration/parcours.rs)",
        ),
        "/api/parcours/delai" => plan(
            refusals_on_organisations(w, me, &not_in(me.edits, ORGANISATIONS), "the delay of a first proposal", |id, _| {
                Request::call(path, &[("siae_id", id.to_string()), ("proposal_delay_days", "7".into())])
            }),
            "sets its own SIAE's delay (tests/integration/parcours.rs)",
        ),
        "/api/parcours/personne"
        | "/api/parcours/personne/modifier"
        | "/api/parcours/engagement"
        | "/api/parcours/bilan"
        | "/api/parcours/action"
        | "/api/parcours/action/etat"
        | "/api/parcours/sortie" => {
            let request = |person: i64| {
                let today = domain::time::today();
                Request::call(
                    path,
                    &[
                        ("person_id", person.to_string()),
                        ("engagement_id", GHOST.to_string()),
                        ("action_id", GHOST.to_string()),
                        ("last_name", "Pirate".into()),
                        ("pre_accueil_on", today.to_string()),
                        ("kind", "entretien".into()),
                        ("label", "Action pirate".into()),
                        ("on", today.to_string()),
                        ("status", "realisee".into()),
                        ("exit_on", today.to_string()),
                        ("exit_kind", "autre".into()),
                    ],
                )
            };
            plan(
                w.person
                    .iter()
                    .filter(|(siae, _)| !me.follows.contains(siae))
                    .map(|(siae, (id, _))| {
                        Probe::new(format!("a person of {siae}"), request(*id), Expect::Refused)
                            .ghost(request(GHOST))
                    })
                    .collect(),
                "keeps its own SIAE's people's files (tests/integration/parcours.rs)",
            )
        }
        "/api/certification/audit-blanc/partager" => plan(
            refusals_on_organisations(w, me, &not_in(me.edits, ORGANISATIONS), "sharing an audit blanc", |id, _| {
                Request::call(path, &[("siae_id", id.to_string()), ("demande_id", w.demande.to_string())])
            }),
            "shares its own SIAE's audit blanc (tests/integration/audit_cycle.rs)",
        ),
        "/api/manuel/logo/retirer" => plan(
            refusals_on_organisations(w, me, &not_in(me.edits, ORGANISATIONS), "a cover's logo", |id, _| {
                Request::call(path, &[("siae_id", id.to_string())])
            }),
            "takes its own SIAE's logo off (tests/integration/manual_logo.rs)",
        ),
        "/api/manuel/editions/lue" => {
            let mut probes = refusals_on_organisations(w, me, &cannot_read, "reading an edition", |id, _| {
                Request::call(path, &[("siae_id", id.to_string()), ("edition_id", w.edition.to_string())])
            });
            if me.reads.contains(&RENNES) {
                probes.push(Probe::new(
                    "reading an edition not given to one",
                    Request::call(path, &[("siae_id", w.org[RENNES].to_string()), ("edition_id", w.edition.to_string())]),
                    Expect::Invalid,
                ));
            }
            plan(probes, "(never)")
        }
        "/api/manuel/sections/deplacer"
        | "/api/manuel/sections/exigences"
        | "/api/manuel/brouillon"
        | "/api/manuel/brouillon-structure"
        | "/api/manuel/soumettre"
        | "/api/manuel/approuver"
        | "/api/manuel/renvoyer" => plan(
            refusals_on_manuals(w, me, me.edits, "a change of a section", |siae, section, version| {
                Request::call(
                    path,
                    &[
                        ("siae_id", siae.to_string()),
                        ("section_id", section.to_string()),
                        ("version_id", version.to_string()),
                        ("vers", "haut".into()),
                        ("body", "Texte pirate".into()),
                        ("change_note", "".into()),
                        ("comment", "Renvoi pirate".into()),
                        ("answers", "2.1 a".into()),
                        ("champs[nouveau1.poste]", "Poste pirate".into()),
                        ("champs[l0.outil]", "Outil pirate".into()),
                    ],
                )
            }),
            "writes and approves its own SIAE's manual (tests/integration/manual.rs)",
        ),
        "/api/referentiel/structure" | "/api/referentiel/historique" => {
            let request = |id: i64| Request::call(path, &[("siae_id", id.to_string()), ("key", "2.1 b".into())]);
            let mut probes =
                refusals_on_organisations(w, me, &cannot_read, "the assessment", |id, _| request(id));
            probes.extend(me.reads.iter().map(|name| {
                Probe::new(format!("the assessment of {name}"), request(w.org[name]), Expect::Shown)
                    .showing(
                        w.assessment_marks
                            .get(name)
                            .map(|m| vec![m[1].clone()])
                            .unwrap_or_default(),
                    )
            }));
            Plan::Probes(probes)
        }
        "/api/referentiel/evaluer" => plan(
            refusals_on_organisations(w, me, &cannot_edit_assessment, "an assessment", |id, _| {
                Request::call(
                    path,
                    &[
                        ("siae_id", id.to_string()),
                        ("key", "2.1 b".into()),
                        ("draft[status]", "conforme".into()),
                        ("draft[comment]", "Écrit par un intrus".into()),
                    ],
                )
            }),
            "(never: no account may change every SIAE's assessment)",
        ),
        "/api/referentiel/preuve" | "/api/referentiel/moyen" => {
            let request = |siae_id: i64, document_id: i64| {
                let (siae_id, document_id) = (siae_id.to_string(), document_id.to_string());
                if path == "/api/referentiel/preuve" {
                    Request::call(
                        path,
                        &[
                            ("siae_id", siae_id),
                            ("key", "2.2 a".into()),
                            ("document_id", document_id),
                            ("linked", "true".into()),
                        ],
                    )
                } else {
                    Request::call(
                        path,
                        &[
                            ("siae_id", siae_id),
                            ("section", "2.2".into()),
                            ("mean", "Fiche de suivi".into()),
                            ("checked", "true".into()),
                            ("document_id", document_id),
                        ],
                    )
                }
            };
            let mut probes = refusals_on_organisations(
                w,
                me,
                &cannot_edit_assessment,
                "evidence",
                |id, name| request(id, w.siae_with_document(name)),
            );
            // From one's own SIAE, a document of another SIAE is refused.
            for own in me.edits {
                for (other, document) in &w.document {
                    if other != own {
                        probes.push(
                            Probe::new(
                                format!("the document of {other}, from {own}"),
                                request(w.org[own], *document),
                                Expect::Invalid,
                            )
                            .ghost(request(w.org[own], GHOST)),
                        );
                    }
                }
            }
            Plan::Probes(probes)
        }
        "/api/referentiel/preuve-manuel" => {
            let request = |siae_id: i64, version_id: i64| {
                Request::call(
                    path,
                    &[
                        ("siae_id", siae_id.to_string()),
                        ("key", "2.3 a".into()),
                        ("version_id", version_id.to_string()),
                        ("cited", "true".into()),
                    ],
                )
            };
            let mut probes = refusals_on_organisations(
                w,
                me,
                &cannot_edit_assessment,
                "a citation of the manual",
                |id, _| request(id, w.approved_version),
            );
            // From one's own SIAE, an approved version of Rennes' manual is refused.
            for own in me.edits.iter().filter(|own| **own != RENNES) {
                probes.push(
                    Probe::new(
                        format!("an approved section version of {RENNES}, from {own}"),
                        request(w.org[own], w.approved_version),
                        Expect::Invalid,
                    )
                    .ghost(request(w.org[own], GHOST)),
                );
            }
            Plan::Probes(probes)
        }
        "/api/referentiel/versions" => Plan::Probes(vec![Probe::new(
            "the versions",
            Request::call(path, &[]),
            Expect::Shown,
        )
        .showing(vec![if me.manages_referentiel {
            DRAFT_CODE.into()
        } else {
            "CEDRE-2004-10".into()
        }])]),
        "/api/referentiel/version" => Plan::Probes(
            [(w.in_force, true), (w.draft_version, me.manages_referentiel)]
                .into_iter()
                .map(|(id, readable)| {
                    Probe::new(
                        format!("the version {id}"),
                        Request::call(path, &[("id", id.to_string())]),
                        if readable {
                            Expect::Shown
                        } else {
                            Expect::Refused
                        },
                    )
                })
                .collect(),
        ),
        "/api/referentiel/versions/creer" => referentiel_managers_only(vec![Probe::new(
            "a new version",
            Request::call(
                path,
                &[
                    ("base_id", w.in_force.to_string()),
                    ("code", "PIRATE".into()),
                    ("label", "Version pirate".into()),
                ],
            ),
            Expect::Refused,
        )]),
        "/api/referentiel/versions/exigence" => referentiel_managers_only(
            [w.in_force, w.draft_version]
                .into_iter()
                .map(|version| {
                    Probe::new(
                        format!("a requirement of the version {version}"),
                        Request::call(
                            path,
                            &[
                                ("version_id", version.to_string()),
                                ("key", "2.1 a".into()),
                                ("text", "Texte pirate".into()),
                                ("points", "".into()),
                            ],
                        ),
                        Expect::Refused,
                    )
                })
                .collect(),
        ),
        "/api/referentiel/versions/ajouter" => referentiel_managers_only(vec![Probe::new(
            "a new requirement of the draft",
            Request::call(
                path,
                &[
                    ("version_id", w.draft_version.to_string()),
                    ("section", "2.6".into()),
                    ("code", "b".into()),
                    ("text", "Exigence pirate".into()),
                    ("points", "".into()),
                ],
            ),
            Expect::Refused,
        )]),
        "/api/referentiel/versions/retirer" => referentiel_managers_only(vec![Probe::new(
            "a requirement of the draft",
            Request::call(
                path,
                &[
                    ("version_id", w.draft_version.to_string()),
                    ("key", "2.5 b".into()),
                ],
            ),
            Expect::Refused,
        )]),
        "/api/referentiel/versions/dates" => referentiel_managers_only(vec![Probe::new(
            "the bureau's validation of the draft",
            Request::call(
                path,
                &[
                    ("version_id", w.draft_version.to_string()),
                    ("validated_on", "2026-01-05".into()),
                    ("in_force_from", "".into()),
                ],
            ),
            Expect::Refused,
        )]),
        "/api/referentiel/affecter" => referentiel_managers_only(
            ALL_SIAE
                .iter()
                .map(|name| {
                    Probe::new(
                        format!("a move of {name}"),
                        Request::call(
                            path,
                            &[
                                ("siae_id", id(name)),
                                ("version_id", w.draft_version.to_string()),
                            ],
                        ),
                        Expect::Refused,
                    )
                })
                .collect(),
        ),
        other => panic!(
            "the server function {other} is not in the authorization sweep: add what it must refuse to tests/integration/authorization.rs"
        ),
    }
}

fn http_route_plan(method: &str, route: &str, me: &Reach, w: &World) -> Plan {
    let cannot_read = not_in(me.reads, ORGANISATIONS);
    let cannot_edit_assessment = not_in(me.edits, ORGANISATIONS);
    match (method, route) {
        ("GET", "/organisations/{id}/manuel/logo") => plan(
            refusals_on_organisations(w, me, &cannot_read, "a cover's logo", |id, _| {
                Request::Get(format!("/organisations/{id}/manuel/logo"))
            }),
            "(never)",
        ),
        ("POST", "/organisations/{id}/manuel/logo") => plan(
            refusals_on_organisations(w, me, &cannot_edit_assessment, "a logo upload", |id, _| {
                Request::Logo { siae_id: id }
            }),
            "(never)",
        ),
        (_, "/organisations/{id}/preuves") => plan(
            refusals_on_organisations(w, me, &cannot_edit_assessment, "an upload", |id, _| {
                Request::Upload { siae_id: id }
            }),
            "(never)",
        ),
        (_, "/organisations/{id}/preuves/{document}") => {
            let mut probes =
                refusals_on_organisations(w, me, &cannot_read, "a document", |id, name| {
                    Request::Get(format!(
                        "/organisations/{id}/preuves/{}",
                        w.siae_with_document(name)
                    ))
                });
            // From a SIAE one may read, the document of another SIAE is not served.
            for own in me.reads {
                for (other, document) in &w.document {
                    if other != own && !me.reads.contains(other) {
                        let own_id = w.org[own];
                        probes.push(
                            Probe::new(
                                format!("the document of {other}, through {own}"),
                                Request::Get(format!("/organisations/{own_id}/preuves/{document}")),
                                Expect::Refused,
                            )
                            .ghost(Request::Get(format!(
                                "/organisations/{own_id}/preuves/{GHOST}"
                            ))),
                        );
                    }
                }
            }
            plan(probes, "reads every SIAE's evidence")
        }
        (_, "/organisations/{id}/referentiel.csv" | "/organisations/{id}/referentiel.pdf") => {
            let extension = route.rsplit('.').next().unwrap();
            plan(
                refusals_on_organisations(w, me, &cannot_read, "an export", |id, _| {
                    Request::Get(format!("/organisations/{id}/referentiel.{extension}"))
                }),
                "reads every SIAE's assessment",
            )
        }
        (_, "/organisations/{id}/manuel/editions/{edition}") => {
            let mut probes =
                refusals_on_organisations(w, me, &cannot_read, "an edition", |id, _| {
                    Request::Get(format!("/organisations/{id}/manuel/editions/{}", w.edition))
                });
            // Through a SIAE one may read, another SIAE's edition is not served.
            for own in me.reads.iter().filter(|s| **s != RENNES) {
                probes.push(
                    Probe::new(
                        format!("the edition of {RENNES}, through {own}"),
                        Request::Get(format!(
                            "/organisations/{}/manuel/editions/{}",
                            w.org[own], w.edition
                        )),
                        Expect::Refused,
                    )
                    .ghost(Request::Get(format!(
                        "/organisations/{}/manuel/editions/{GHOST}",
                        w.org[own]
                    ))),
                );
            }
            plan(probes, "(never)")
        }
        (
            _,
            "/organisations/{id}/certification/dossier/edition.pdf"
            | "/organisations/{id}/certification/dossier/preuves/{document}"
            | "/organisations/{id}/certification/compte-rendu.pdf",
        ) => plan(
            refusals_on_organisations(w, me, ORGANISATIONS, "an audit's file", |id, _| {
                Request::Get(
                    route
                        .replace("{id}", &id.to_string())
                        .replace("{document}", &w.document[RENNES].to_string()),
                )
            }),
            "(never: no audit has started in the sweep)",
        ),
        ("GET", "/organisations/{id}/certification/audit/grille.csv") => plan(
            refusals_on_organisations(w, me, ORGANISATIONS, "an audit grid", |id, _| {
                Request::Get(format!(
                    "/organisations/{id}/certification/audit/grille.csv"
                ))
            }),
            "(never: no audit has started in the sweep)",
        ),
        ("POST", "/organisations/{id}/certification/audit/grille") => plan(
            refusals_on_organisations(w, me, ORGANISATIONS, "a filled audit grid", |id, _| {
                Request::Grid { siae_id: id }
            }),
            "(never: no audit has started in the sweep)",
        ),
        (_, "/organisations/{id}/certification/certificat.pdf") => plan(
            refusals_on_organisations(w, me, ORGANISATIONS, "a certificate", |id, _| {
                Request::Get(format!("/organisations/{id}/certification/certificat.pdf"))
            }),
            "(never: no certificate is issued in the sweep)",
        ),
        (
            _,
            "/personnes/{id}/engagements/{engagement}/convention.pdf"
            | "/personnes/{id}/fiche-de-suivi.pdf"
            | "/personnes/{id}/donnees.json",
        ) => plan(
            w.person
                .iter()
                .filter(|(siae, _)| !me.follows.contains(siae))
                .map(|(siae, (id, _))| {
                    let url = |person: i64| {
                        Request::Get(
                            route
                                .replace("{id}", &person.to_string())
                                .replace("{engagement}", &GHOST.to_string()),
                        )
                    };
                    Probe::new(
                        format!("a document of a person of {siae}"),
                        url(*id),
                        Expect::Refused,
                    )
                    .ghost(url(GHOST))
                })
                .collect(),
            "prints its own SIAE's people's documents (tests/integration/parcours.rs)",
        ),
        (_, "/manuel/apercu") => Plan::Allowed(
            "renders the text the caller posts, reads nothing stored (tests/integration/manual.rs)",
        ),
        (method, other) => {
            panic!("the HTTP route {method} {other} is not in the authorization sweep")
        }
    }
}

/// Pages that name something, or are reserved: what each account must not open.
fn page_plan(route: &str, me: &Reach, w: &World) -> Plan {
    let cannot_see = not_in(me.sees, ORGANISATIONS);
    let cannot_read = not_in(me.reads, ORGANISATIONS);
    let get = |pattern: &'static str| {
        move |id: i64, _: &str| Request::Get(pattern.replace("{id}", &id.to_string()))
    };
    let admin_only = |probes: Vec<Probe>| {
        if me.administers {
            Plan::Allowed("the administrator's pages")
        } else {
            Plan::Probes(probes)
        }
    };
    match route {
        "/connexion"
        | "/connexion/code"
        | "/mot-de-passe"
        | "/mes-sessions"
        | "/double-authentification"
        | "/interdit"
        | "/erreur" => Plan::Allowed("names nothing but the caller"),
        "/programme" => {
            Plan::Allowed("the programme's delays, the same for every SIAE, name no one")
        }
        "/organisations/{id}/personnes" | "/organisations/{id}/personnes/synthese" => plan(
            refusals_on_organisations(w, me, &not_in(me.follows, ORGANISATIONS), "the people", |id, _| {
                Request::Get(route.replace("{id}", &id.to_string()))
            }),
            "lists its own SIAE's people (tests/integration/parcours.rs)",
        ),
        "/personnes/{id}" => plan(
            w.person
                .iter()
                .filter(|(siae, _)| !me.follows.contains(siae))
                .map(|(siae, (id, _))| {
                    Probe::new(format!("a person of {siae}"), Request::Get(format!("/personnes/{id}")), Expect::Refused)
                        .ghost(Request::Get(format!("/personnes/{GHOST}")))
                })
                .collect(),
            "opens its own SIAE's people's files (tests/integration/parcours.rs)",
        ),
        "/parcours/aide-au-choix" => Plan::Allowed(
            "fiche outil n°15's grid and fiche n°14's definitions, the same for everyone, name no one",
        ),
        "/" | "/organisations" | "/suivi" | "/referentiel/versions" => {
            Plan::Probes(vec![Probe::new(
                route,
                Request::Get(route.into()),
                Expect::Shown,
            )])
        }
        "/organisations/nouvelle"
        | "/administration/comptes"
        | "/administration/journal"
        | "/administration/securite"
        | "/administration/courriels" => admin_only(vec![Probe::new(
            route,
            Request::Get(route.into()),
            Expect::Refused,
        )]),
        "/administration/comptes/{id}" => admin_only(vec![Probe::new(
            "the administrator's account page",
            Request::Get(format!(
                "/administration/comptes/{}",
                w.account["admin@cedre.demo"]
            )),
            Expect::Refused,
        )
        .ghost(Request::Get(format!("/administration/comptes/{GHOST}")))]),
        "/organisations/{id}" => plan(
            refusals_on_organisations(w, me, &cannot_see, "the page", get("/organisations/{id}")),
            "sees every organisation",
        ),
        "/organisations/{id}/modifier" => {
            let cannot_edit = if me.administers {
                Vec::new()
            } else {
                ORGANISATIONS.to_vec()
            };
            plan(
                refusals_on_organisations(
                    w,
                    me,
                    &cannot_edit,
                    "the edit page",
                    get("/organisations/{id}/modifier"),
                ),
                "edits every organisation",
            )
        }
        "/organisations/{id}/referentiel" => plan(
            refusals_on_organisations(
                w,
                me,
                &cannot_read,
                "the assessment page",
                get("/organisations/{id}/referentiel"),
            ),
            "reads every SIAE's assessment",
        ),
        "/organisations/{id}/referentiel/exigence" => plan(
            refusals_on_organisations(
                w,
                me,
                &cannot_read,
                "the requirement page",
                get("/organisations/{id}/referentiel/exigence?cle=2.1%20b"),
            ),
            "reads every SIAE's assessment",
        ),
        "/organisations/{id}/manuel" => {
            let mut probes = refusals_on_organisations(
                w,
                me,
                &not_in(me.manual, ORGANISATIONS),
                "the manual page",
                get("/organisations/{id}/manuel"),
            );
            for siae in me.manual {
                probes.push(Probe::new(
                    format!("the manual page of {siae}"),
                    Request::Get(format!("/organisations/{}/manuel", w.org[siae])),
                    Expect::Shown,
                ));
            }
            plan(probes, "(never)")
        }
        "/organisations/{id}/manuel/editions" => {
            let mut probes = refusals_on_organisations(
                w,
                me,
                &cannot_read,
                "the editions page",
                get("/organisations/{id}/manuel/editions"),
            );
            if me.reads.contains(&RENNES) {
                probes.push(Probe::new(
                    "the editions page of Rennes",
                    Request::Get(format!("/organisations/{}/manuel/editions", w.org[RENNES])),
                    Expect::Shown,
                ));
            }
            plan(probes, "(never)")
        }
        "/declaration-de-liens" => Plan::Probes(vec![Probe::new(
            "a declaration of ties",
            Request::Get("/declaration-de-liens".into()),
            if me.ties {
                Expect::Shown
            } else {
                Expect::Refused
            },
        )
        .allowing(if me.ties {
            w.network_names()
        } else {
            Vec::new()
        })]),
        "/organisations/{id}/certification/audit/import/{upload}" => plan(
            refusals_on_organisations(w, me, ORGANISATIONS, "a filled grid's page", |id, _| {
                Request::Get(format!("/organisations/{id}/certification/audit/import/1"))
            }),
            "(never: no audit has started in the sweep)",
        ),
        "/organisations/{id}/certification/audit" => plan(
            refusals_on_organisations(w, me, ORGANISATIONS, "an audit's page", |id, _| {
                Request::Get(format!("/organisations/{id}/certification/audit"))
            }),
            "(never: no audit has started in the sweep)",
        ),
        "/organisations/{id}/certification/actions" => plan(
            refusals_on_organisations(w, me, ORGANISATIONS, "an action plan's page", |id, _| {
                Request::Get(format!("/organisations/{id}/certification/actions"))
            }),
            "(never: no audit has started in the sweep)",
        ),
        "/organisations/{id}/certification/audit-blanc/actions" => plan(
            refusals_on_organisations(w, me, ORGANISATIONS, "an audit blanc's plan page", |id, _| {
                Request::Get(format!("/organisations/{id}/certification/audit-blanc/actions"))
            }),
            "(never: no audit has started in the sweep)",
        ),
        "/verification/{code}" => Plan::Allowed(
            "public: a certificate's SIAE name, validity and status, nothing else (tests/integration/audit_cycle.rs)",
        ),
        "/organisations/{id}/certification" => {
            let mut probes = refusals_on_organisations(
                w,
                me,
                &not_in(me.demande, ORGANISATIONS),
                "a demande's page",
                |id, _| Request::Get(format!("/organisations/{id}/certification")),
            );
            probes.extend(me.demande.iter().map(|siae| {
                Probe::new(
                    format!("the demande's page of {siae}"),
                    Request::Get(format!("/organisations/{}/certification", w.org[siae])),
                    Expect::Shown,
                )
            }));
            plan(probes, "(never)")
        }
        "/manuel/sections/{id}" | "/manuel/sections/{id}/comparer" => {
            let page = |section: i64, version: i64| {
                Request::Get(
                    route.replace("{id}", &section.to_string())
                        + &format!("?de={version}&a={version}"),
                )
            };
            let mut probes = refusals_on_manuals(
                w,
                me,
                me.manual,
                "a section's page",
                |_, section, version| page(section, version),
            );
            for siae in me.manual {
                let draft = &w.manual[siae];
                probes.push(Probe::new(
                    format!("a section's page of {siae}"),
                    page(draft.section, draft.version),
                    if route == "/manuel/sections/{id}" || me.edits.contains(siae) {
                        Expect::Shown
                    } else {
                        Expect::Refused
                    },
                ));
            }
            plan(probes, "(never)")
        }
        "/referentiel/versions/{id}" => Plan::Probes(vec![Probe::new(
            "the draft version's page",
            Request::Get(format!("/referentiel/versions/{}", w.draft_version)),
            if me.manages_referentiel {
                Expect::Shown
            } else {
                Expect::Refused
            },
        )]),
        other => panic!("the page {other} is not in the authorization sweep"),
    }
}

/// A body shows a mark when it holds it as text, or escaped in HTML.
fn shows(body: &str, mark: &str) -> bool {
    body.contains(mark) || body.contains(&mark.replace('\'', "&#39;"))
}

struct Sweep<'a> {
    app: &'a TestApp,
    /// Every row of the database before the calls; compared after each entry point.
    baseline: Snapshot,
    /// The length of the audit trail before the calls; compared after each call.
    trail: i64,
    calls: BTreeMap<u16, usize>,
    failures: Vec<String>,
}

impl Sweep<'_> {
    async fn trail_length(&self) -> i64 {
        self.app.count("SELECT COUNT(*) FROM audit_events").await
    }

    /// Sends a request; it must not write to the audit trail (every change of the application
    /// writes there, in the same transaction).
    async fn send(
        &mut self,
        who: &str,
        what: &str,
        client: &mut Client,
        request: &Request,
    ) -> Response {
        let response = request.send(client).await;
        *self.calls.entry(response.status.as_u16()).or_default() += 1;
        let trail = self.trail_length().await;
        if trail != self.trail {
            self.failures.push(format!(
                "{who}, {what} ({request:?}): {} wrote {} entries to the audit trail",
                response.status,
                trail - self.trail
            ));
            self.trail = trail;
        }
        response
    }

    /// After the calls of one entry point: no row of any table changed.
    async fn checkpoint(&mut self, who: &str, entry: &str) {
        let after = self.app.snapshot().await;
        let changes = tests::snapshot_changes(&self.baseline, &after);
        if !changes.is_empty() {
            self.failures.push(format!(
                "{who}, {entry}: the calls changed the database:\n    {}",
                changes.join("\n    ")
            ));
            self.baseline = after;
        }
    }

    async fn probe(
        &mut self,
        who: &str,
        client: &mut Client,
        probe: &Probe,
        never_shown: &[String],
    ) {
        let response = self.send(who, &probe.what, client, &probe.request).await;
        let status = response.status;
        let expected = match probe.expect {
            Expect::Refused => matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            Expect::Invalid => status == StatusCode::UNPROCESSABLE_ENTITY,
            Expect::Shown => status == StatusCode::OK,
        };
        if !expected {
            self.failures.push(format!(
                "{who}, {}: {status}, expected {:?} ({:?}): {}",
                probe.what,
                probe.expect,
                probe.request,
                response.body.chars().take(300).collect::<String>()
            ));
        }
        for mark in never_shown {
            if shows(&response.body, mark) {
                self.failures.push(format!(
                    "{who}, {}: the answer ({status}) shows « {mark} »",
                    probe.what
                ));
            }
        }
        for mark in &probe.must_show {
            if !shows(&response.body, mark) {
                self.failures.push(format!(
                    "{who}, {}: the answer ({status}) does not show « {mark} »",
                    probe.what
                ));
            }
        }
        if let Some(ghost) = &probe.ghost {
            let ghost_response = self.send(who, &probe.what, client, ghost).await;
            if ghost_response.status != status {
                self.failures.push(format!(
                    "{who}, {}: {status}, but {} for something that does not exist: the answer tells that it exists",
                    probe.what, ghost_response.status
                ));
            }
        }
    }
}

/// The plain HTTP routes of `server/src`, read from the source: a route added there and not
/// here fails the sweep.
fn routes_in_the_source() -> Vec<String> {
    fn walk(dir: &std::path::Path, routes: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, routes);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                for (at, _) in source.match_indices(".route(") {
                    let literal = source[at..].split('"').nth(1).unwrap();
                    routes.push(literal.to_string());
                }
            }
        }
    }
    let mut routes = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src"),
        &mut routes,
    );
    routes.sort();
    routes
}

async fn every_entry_point_refuses_what_the_policy_denies(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let world = World::prepare(&app).await;
    let registered: Vec<&str> = server_fn_paths().map(|(path, _)| path).collect();
    assert_eq!(registered.len(), SERVER_FN_POLICIES.len());
    let mut in_source = routes_in_the_source();
    let mut listed: Vec<String> = HTTP_ROUTES.iter().map(|(_, r)| r.to_string()).collect();
    listed.sort();
    listed.dedup();
    in_source.dedup();
    assert_eq!(
        in_source, listed,
        "the HTTP routes of server/src and of the sweep"
    );
    let pages: BTreeSet<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert!(pages.len() >= 15, "{pages:?}");
    let roles: BTreeSet<String> = backend::demo::ACCOUNTS
        .iter()
        .map(|a| format!("{:?}", a.role))
        .collect();
    assert_eq!(
        roles.len(),
        domain::role::Role::ALL.len(),
        "one demo account per role at least"
    );
    assert_eq!(
        REACH.iter().map(|r| r.email).collect::<Vec<_>>(),
        backend::demo::ACCOUNTS
            .iter()
            .map(|a| a.email)
            .collect::<Vec<_>>(),
        "the sweep covers every demo account"
    );

    let mut sweep = Sweep {
        app: &app,
        baseline: app.snapshot().await,
        trail: app.count("SELECT COUNT(*) FROM audit_events").await,
        calls: BTreeMap::new(),
        failures: Vec::new(),
    };
    let all_marks = world.all_marks();

    // Without a session: 401 for server functions and uploads, the login page for the rest.
    let mut visitor = app.client();
    let rennes = world.org[RENNES];
    let document = world.document[RENNES];
    for path in &registered {
        let access = SERVER_FN_POLICIES
            .iter()
            .find(|(p, _)| p == path)
            .unwrap()
            .1;
        if access == Access::Public {
            continue;
        }
        // Real ids, and arguments that parse for every function: only the session may refuse.
        let admin = world.account["admin@cedre.demo"].to_string();
        let mut fields: Vec<(&str, String)> = vec![
            ("id", rennes.to_string()),
            ("siae_id", rennes.to_string()),
            ("account_id", admin.clone()),
            ("membership_id", world.admin_membership.to_string()),
            ("organisation_id", world.org[FEDERATION].to_string()),
            ("role", "Administrateur".into()),
            ("active", "false".into()),
            ("email", "intrus@exemple.fr".into()),
            ("display_name", "Intrus".into()),
            ("actuel", "x".into()),
            ("nouveau", "x".into()),
            ("confirmation", "x".into()),
            ("verification", "123456".into()),
            ("section_id", "1".into()),
            ("from", "1".into()),
            ("to", "1".into()),
            // Parses both as an organisation kind (lists) and as text (a new section).
            ("kind", "Siae".into()),
            ("title", "Section pirate".into()),
            ("body", "Texte pirate".into()),
            ("change_note", "".into()),
            ("comment", "Renvoi pirate".into()),
            ("vers", "haut".into()),
            ("answers", "2.1 a".into()),
            ("confirmer", "oui".into()),
            ("edition_id", "1".into()),
            ("key", "2.1 b".into()),
            ("document_id", document.to_string()),
            ("linked", "true".into()),
            ("cited", "true".into()),
            ("auditor_id", "1".into()),
            ("justification", "Désignation pirate".into()),
            ("started_on", "2025-01-01".into()),
            ("starts_on", "2027-02-02".into()),
            ("ends_on", "2027-02-03".into()),
            ("tie_id", "1".into()),
            ("demande_id", "1".into()),
            ("held_on", "2026-11-20".into()),
            ("members_present", "Membre pirate".into()),
            ("decision", "refuser".into()),
            ("reasons", "Refus pirate".into()),
            ("message", "Demande pirate".into()),
            ("requirement_key", "2.1 a".into()),
            ("status", "conforme".into()),
            ("finding_id", "1".into()),
            ("upload_id", "1".into()),
            ("summary", "Synthèse pirate".into()),
            ("verdict", "refusee".into()),
            ("section", "2.1".into()),
            ("mean", "Grille d'entretien".into()),
            ("checked", "true".into()),
            ("base_id", world.in_force.to_string()),
            ("version_id", world.draft_version.to_string()),
            ("code", "PIRATE".into()),
            ("label", "Version pirate".into()),
            ("text", "Texte pirate".into()),
            ("draft[status]", "conforme".into()),
            ("major_nc_months", "1".into()),
            ("minor_nc_months", "1".into()),
            ("expiry_reminders", "1".into()),
            ("renewal_lead_months", "1".into()),
            ("item", "conditions".into()),
            ("action_id", "1".into()),
            ("description", "Action pirate".into()),
            ("root_cause", "Cause pirate".into()),
            ("due_on", "2027-01-01".into()),
            ("evidence", "Preuve pirate".into()),
            ("efficace", "oui".into()),
            ("year", "2030".into()),
            ("audit", "1".into()),
            ("expenses", "1".into()),
            ("invoiced_on", "2026-01-01".into()),
            ("invoice_ref", "F-PIRATE".into()),
            ("funder", "federation".into()),
            ("amount", "1".into()),
            ("person_id", world.person[RENNES].0.to_string()),
            ("engagement_id", "1".into()),
            ("proposal_delay_days", "7".into()),
        ];
        fields.extend(
            world.draft[RENNES]
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone())),
        );
        let request = Request::call(path, &fields);
        let response = sweep.send("a visitor", path, &mut visitor, &request).await;
        if response.status != StatusCode::UNAUTHORIZED {
            sweep.failures.push(format!(
                "a visitor, {path}: {}, expected 401",
                response.status
            ));
        }
        for mark in &all_marks {
            if shows(&response.body, mark) {
                sweep
                    .failures
                    .push(format!("a visitor, {path}: shows « {mark} »"));
            }
        }
    }
    let mut anonymous_gets: Vec<String> = vec![
        format!("/organisations/{rennes}/preuves/{document}"),
        format!("/organisations/{rennes}/referentiel.csv"),
        format!("/organisations/{rennes}/referentiel.pdf"),
        format!("/organisations/{rennes}/manuel/editions/{}", world.edition),
        format!("/organisations/{rennes}/certification/dossier/edition.pdf"),
        format!("/organisations/{rennes}/certification/dossier/preuves/{document}"),
        format!("/organisations/{rennes}/certification/compte-rendu.pdf"),
        format!("/organisations/{rennes}/certification/certificat.pdf"),
        format!("/organisations/{rennes}/certification/audit/grille.csv"),
    ];
    anonymous_gets.extend(
        pages
            .iter()
            .filter(|p| {
                *p != "/connexion" && *p != "/connexion/code" && !p.starts_with("/verification/")
            })
            .map(|p| p.replace("{id}", &rennes.to_string())),
    );
    for path in anonymous_gets {
        let response = sweep
            .send(
                "a visitor",
                &path,
                &mut visitor,
                &Request::Get(path.clone()),
            )
            .await;
        let to_login = response
            .location()
            .is_some_and(|l| l.starts_with("/connexion"));
        if response.status != StatusCode::SEE_OTHER || !to_login {
            sweep.failures.push(format!(
                "a visitor, {path}: {} {:?}, expected the login page",
                response.status,
                response.location()
            ));
        }
    }
    for (what, request) in [
        ("an upload", Request::Upload { siae_id: rennes }),
        ("a filled audit grid", Request::Grid { siae_id: rennes }),
    ] {
        let upload = sweep.send("a visitor", what, &mut visitor, &request).await;
        if upload.status != StatusCode::UNAUTHORIZED {
            sweep
                .failures
                .push(format!("a visitor, {what}: {}", upload.status));
        }
    }
    sweep.checkpoint("a visitor", "every entry point").await;

    // Every account, on every entry point.
    let mut allowed = Vec::new();
    for me in REACH {
        let mut client = app.signed_in(me.email).await;
        sweep.baseline = app.snapshot().await;
        let hidden = world.hidden_marks(me);
        let refusal_marks: Vec<String> = all_marks
            .iter()
            .filter(|m| *m != me.email)
            .cloned()
            .collect();
        let mut plans = Vec::new();
        for path in &registered {
            plans.push((
                path.to_string(),
                server_function_plan(path, me, &world),
                true,
            ));
        }
        for (method, route) in HTTP_ROUTES {
            let plan = http_route_plan(method, route, me, &world);
            plans.push((format!("{method} {route}"), plan, true));
        }
        for page in &pages {
            plans.push((page.clone(), page_plan(page, me, &world), false));
        }
        for (entry, plan, data_only) in plans {
            match plan {
                Plan::Allowed(reason) => allowed.push(format!("{} {entry}: {reason}", me.email)),
                Plan::Probes(probes) => {
                    for probe in &probes {
                        // A refusal from a server function or a route shows nothing at all; a
                        // page shows the caller's own menu, but nothing hidden from them.
                        let never_shown: Vec<String> = match (probe.expect, data_only) {
                            (Expect::Refused | Expect::Invalid, true) => &refusal_marks,
                            _ => &hidden,
                        }
                        .iter()
                        .filter(|m| !probe.may_show.contains(m))
                        .cloned()
                        .collect();
                        sweep
                            .probe(me.email, &mut client, probe, &never_shown)
                            .await;
                    }
                    sweep.checkpoint(me.email, &entry).await;
                }
            }
        }
        // Logging out ends this session and nothing else.
        let response = client.call("/api/deconnexion", &[]).await;
        *sweep.calls.entry(response.status.as_u16()).or_default() += 1;
        let after = app.snapshot().await;
        let changes = tests::snapshot_changes(&sweep.baseline, &after);
        let own = world.account[me.email];
        let expected_removal = changes.len() == 1
            && changes[0].starts_with("sessions: - ")
            && changes[0].contains(&format!("account_id=Some({own}) "));
        if !expected_removal {
            sweep
                .failures
                .push(format!("{}, logout: changed {changes:#?}", me.email));
        }
    }

    let total: usize = sweep.calls.values().sum();
    let by_status = sweep
        .calls
        .iter()
        .map(|(status, n)| format!("{status} × {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "authorization sweep on {engine:?}: {total} calls ({by_status}); {} entry points × accounts with nothing out of reach{}",
            allowed.len(),
            if std::env::var_os("CEDRE_SWEEP_VERBOSE").is_some() {
                format!(":\n  {}", allowed.join("\n  "))
            } else {
                " (CEDRE_SWEEP_VERBOSE=1 lists them)".to_string()
            }
        );
    }
    let shown: Vec<&String> = sweep.failures.iter().take(80).collect();
    assert!(
        sweep.failures.is_empty(),
        "{} failures (the first {} here):\n{}",
        sweep.failures.len(),
        shown.len(),
        shown
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(total > 1000, "{total} calls");
    app.finish().await;
}
on_both_engines!(every_entry_point_refuses_what_the_policy_denies);

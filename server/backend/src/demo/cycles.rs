//! The demo's certification cycles, loaded by `cedre demo` after the federation: SIAE at every
//! stage of the programme — one certified under conditions (its action plan under way), one
//! whose certificate ends within three months, one under audit, one whose demande awaits its
//! regional board — and one that had its audit blanc, funded by its region. Each is walked through the use
//! cases the users' own steps go through, as the accounts who take them, so that its timeline,
//! frozen dossier, report, certificate, costs, audit trail and mails are those the application
//! writes. Only the meeting and audit dates are set in the past, so that the certificates have
//! their age. The SIAE of the guided tour (Rennes) and the Forez keep no demande.

use super::{create_accounts, DemoAccount, AURA, CABINET, DEMO_PASSWORD};
use crate::db::{Author, Columns, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::pdf::Renderer;
use crate::services::committee::DecisionForm;
use crate::services::demandes::{Links, Step};
use crate::services::manual::{DraftContent, DraftSave, ReviewStep};
use crate::services::{
    assessments, audits, corrective, costs, demandes, editions, manual, referentiels,
};
use chrono::{Months, NaiveDate};
use domain::assessment::AssessmentDraft;
use domain::certification::committee::Verdict;
use domain::certification::corrective::ActionDraft;
use domain::certification::demande::{BoardMeeting, DemandeKind};
use domain::manual::section::SectionKind;
use domain::role::Role;
use std::collections::HashMap;

const TREMPLIN: &str = "Tremplin Intérim Armor";
const ODET: &str = "Les Jardins de l'Odet";
const AVENIR: &str = "Groupe Avenir Bretagne";
const DAUPHINE: &str = "Chantier Nature Dauphiné";
const LYON: &str = "Relais Emploi Lyonnais";

/// The staff of the SIAE in a cycle, and the auditor of their audits (the guided tour's
/// auditor keeps no assignment).
pub const CYCLE_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "referent.odet@cedre.demo",
        name: "Maëlle Guillou",
        role: Role::ReferentQualite,
        organisation: ODET,
    },
    DemoAccount {
        email: "direction.odet@cedre.demo",
        name: "Alain Kerjean",
        role: Role::Direction,
        organisation: ODET,
    },
    DemoAccount {
        email: "referent.avenir@cedre.demo",
        name: "Erwan Le Floch",
        role: Role::ReferentQualite,
        organisation: AVENIR,
    },
    DemoAccount {
        email: "direction.avenir@cedre.demo",
        name: "Catherine Jaouen",
        role: Role::Direction,
        organisation: AVENIR,
    },
    DemoAccount {
        email: "referent.tremplin@cedre.demo",
        name: "Gaëlle Riou",
        role: Role::ReferentQualite,
        organisation: TREMPLIN,
    },
    DemoAccount {
        email: "direction.tremplin@cedre.demo",
        name: "Thierry Cadiou",
        role: Role::Direction,
        organisation: TREMPLIN,
    },
    DemoAccount {
        email: "referent.dauphine@cedre.demo",
        name: "Julie Perrin",
        role: Role::ReferentQualite,
        organisation: DAUPHINE,
    },
    DemoAccount {
        email: "direction.dauphine@cedre.demo",
        name: "Bruno Vial",
        role: Role::Direction,
        organisation: DAUPHINE,
    },
    DemoAccount {
        email: "referent.lyon@cedre.demo",
        name: "Samia Boukhari",
        role: Role::ReferentQualite,
        organisation: LYON,
    },
    DemoAccount {
        email: "direction.lyon@cedre.demo",
        name: "Olivier Chabert",
        role: Role::Direction,
        organisation: LYON,
    },
    DemoAccount {
        email: "ca-aura@cedre.demo",
        name: "Martine Giraud",
        role: Role::MembreCaRegional,
        organisation: AURA,
    },
    DemoAccount {
        email: "auditrice@cedre.demo",
        name: "Claire Rousseau",
        role: Role::AuditeurExterne,
        organisation: CABINET,
    },
];

/// How far a SIAE's cycle goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    AwaitingBoard,
    UnderAudit,
    /// An audit blanc, its compte-rendu submitted, funded by the region.
    AuditBlancDone,
    Certified(Verdict),
}

/// The region's référent qualité and a member of its board, by e-mail.
struct Region {
    referent: &'static str,
    board_member: &'static str,
}

const IN_BRETAGNE: Region = Region {
    referent: "rq-region@cedre.demo",
    board_member: "ca-region@cedre.demo",
};

const IN_AURA: Region = Region {
    referent: "rq-aura@cedre.demo",
    board_member: "ca-aura@cedre.demo",
};

struct Cycle {
    siae: &'static str,
    region: Region,
    referent: &'static str,
    direction: &'static str,
    stage: Stage,
    /// For a certified SIAE, how many months ago the committee met.
    decided_months_ago: u32,
}

const CYCLES: &[Cycle] = &[
    Cycle {
        siae: ODET,
        region: IN_BRETAGNE,
        referent: "referent.odet@cedre.demo",
        direction: "direction.odet@cedre.demo",
        stage: Stage::Certified(Verdict::CertifieeSousConditions),
        decided_months_ago: 5,
    },
    Cycle {
        siae: AVENIR,
        region: IN_BRETAGNE,
        referent: "referent.avenir@cedre.demo",
        direction: "direction.avenir@cedre.demo",
        stage: Stage::Certified(Verdict::Certifiee),
        // Certified three years ago less two months: the certificate ends within three months.
        decided_months_ago: 34,
    },
    Cycle {
        siae: TREMPLIN,
        region: IN_BRETAGNE,
        referent: "referent.tremplin@cedre.demo",
        direction: "direction.tremplin@cedre.demo",
        stage: Stage::UnderAudit,
        decided_months_ago: 0,
    },
    Cycle {
        siae: DAUPHINE,
        region: IN_AURA,
        referent: "referent.dauphine@cedre.demo",
        direction: "direction.dauphine@cedre.demo",
        stage: Stage::AwaitingBoard,
        decided_months_ago: 0,
    },
    Cycle {
        siae: LYON,
        region: IN_AURA,
        referent: "referent.lyon@cedre.demo",
        direction: "direction.lyon@cedre.demo",
        stage: Stage::AuditBlancDone,
        // Its audit blanc ended a month ago.
        decided_months_ago: 0,
    },
];

/// The addresses the steps' mails and certificates point to, from a SIAE's id.
pub struct Addresses<'a> {
    pub site: &'a str,
    pub demande_page: &'a dyn Fn(i64) -> String,
}

/// Creates the cycles' accounts and walks each SIAE of `CYCLES` to its stage.
pub async fn load(db: &Db, renderer: &Renderer, addresses: &Addresses<'_>) -> BackendResult<()> {
    let organisations = organisation_ids(db).await?;
    let hash = crate::passwords::hash(DEMO_PASSWORD).await;
    let mut work = db.unit_of_work(Author::command_line("cedre demo")).await?;
    create_accounts(&mut work, CYCLE_ACCOUNTS, &organisations, &hash).await?;
    work.commit_recorded().await?;
    let staging = Staging {
        db,
        renderer,
        addresses,
        today: domain::time::today(),
    };
    for cycle in CYCLES {
        staging.walk(cycle, organisations[cycle.siae]).await?;
    }
    Ok(())
}

async fn organisation_ids(db: &Db) -> BackendResult<HashMap<String, i64>> {
    let rows = sqlx::query("SELECT id, name FROM organisations")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|row| {
            let columns = Columns::new(row, "organisations");
            Ok((columns.get::<String>("name")?, columns.get::<i64>("id")?))
        })
        .collect()
}

/// A demo account, as its sessions see it.
pub(super) async fn identity(db: &Db, email: &str) -> BackendResult<Identity> {
    let row = sqlx::query("SELECT id FROM accounts WHERE email = $1")
        .bind(email)
        .fetch_one(&db.pool)
        .await?;
    let id = Columns::new(&row, "accounts").get::<i64>("id")?;
    Identity::load(db, id, "cedre demo".into())
        .await?
        .ok_or_else(|| BackendError::Internal(format!("demo account {email} is not active")))
}

struct Staging<'a> {
    db: &'a Db,
    renderer: &'a Renderer,
    addresses: &'a Addresses<'a>,
    today: NaiveDate,
}

impl Staging<'_> {
    fn months_ago(&self, months: u32) -> NaiveDate {
        self.today - Months::new(months)
    }

    async fn step(&self, by: &Identity, siae: i64, demande: i64, step: Step) -> BackendResult<()> {
        let links = Links {
            site: self.addresses.site.to_string(),
            demande_page: (self.addresses.demande_page)(siae),
        };
        demandes::step(self.db, self.renderer, &links, by, siae, demande, step).await
    }

    async fn walk(&self, cycle: &Cycle, siae: i64) -> BackendResult<()> {
        let db = self.db;
        let referent = identity(db, cycle.referent).await?;
        let direction = identity(db, cycle.direction).await?;
        let edition = self.issued_manual(&referent, &direction, siae).await?;
        self.self_assessed(&referent, siae).await?;
        let (kind, message) = if cycle.stage == Stage::AuditBlancDone {
            (
                DemandeKind::AuditBlanc,
                "Nous souhaitons un audit blanc pour préparer notre certification.",
            )
        } else {
            (
                DemandeKind::Certification,
                "Nous sollicitons l'audit de certification CEDRE sur la base de notre manuel qualité.",
            )
        };
        let demande = demandes::save(db, &referent, siae, Some(edition), message, kind).await?;
        self.step(&referent, siae, demande, Step::Submit).await?;
        if cycle.stage == Stage::AwaitingBoard {
            return Ok(());
        }
        // The board met a month before the audit, which ended a month before the committee.
        let committee_on = self.months_ago(cycle.decided_months_ago);
        let audit_on = committee_on - Months::new(1);
        let board_on = if cycle.stage == Stage::UnderAudit {
            self.months_ago(1)
        } else {
            audit_on - Months::new(1)
        };
        let board = identity(db, cycle.region.board_member).await?;
        let meeting = BoardMeeting {
            held_on: board_on,
            members_present: vec![board.display_name.clone(), "Anne Le Bihan".into()],
        };
        let decision = Step::BoardDecision {
            meeting,
            validated: true,
            reasons: String::new(),
        };
        self.step(&board, siae, demande, decision).await?;
        let region = identity(db, cycle.region.referent).await?;
        self.step(&region, siae, demande, Step::Forward).await?;
        let federation = identity(db, "rq-federal@cedre.demo").await?;
        let auditor = identity(db, "auditrice@cedre.demo").await?;
        let assign = Step::Assign {
            auditor_id: auditor.account_id,
            justification: String::new(),
        };
        self.step(&federation, siae, demande, assign).await?;
        self.step(&auditor, siae, demande, Step::ConfirmNoConflict)
            .await?;
        let (starts_on, ends_on) = if cycle.stage == Stage::UnderAudit {
            (self.today + Months::new(1), self.today + Months::new(1))
        } else {
            (audit_on, audit_on.succ_opt().unwrap_or(audit_on))
        };
        let schedule = Step::Schedule {
            starts_on: starts_on.to_string(),
            ends_on: ends_on.to_string(),
        };
        self.step(&auditor, siae, demande, schedule).await?;
        self.audited(&auditor, siae, cycle.stage).await?;
        if cycle.stage == Stage::UnderAudit {
            return Ok(());
        }
        self.step(&auditor, siae, demande, Step::SubmitReport)
            .await?;
        costs::record_invoice(
            db,
            &auditor,
            siae,
            demande,
            &ends_on.to_string(),
            &format!("QA-{}-{siae:03}", ends_on.format("%Y")),
        )
        .await?;
        if cycle.stage == Stage::AuditBlancDone {
            return costs::record_funding(db, &federation, siae, demande, "region", "800").await;
        }
        self.step(&federation, siae, demande, Step::OpenToCommittee)
            .await?;
        let committee = identity(db, "comite@cedre.demo").await?;
        let Stage::Certified(verdict) = cycle.stage else {
            return Ok(());
        };
        let conditional = verdict == Verdict::CertifieeSousConditions;
        let form = DecisionForm {
            verdict,
            held_on: committee_on,
            present: vec![committee.account_id],
            abstaining: Vec::new(),
            reasons: "Le compte-rendu d'audit établit que le référentiel est respecté ; \
                      les pistes de progrès sont à suivre dans le plan d'amélioration."
                .into(),
            conditions: if conditional {
                "Tenir le suivi des décisions de la régulation pédagogique, d'une réunion à l'autre."
                    .into()
            } else {
                String::new()
            },
            conditions_due_on: conditional.then(|| committee_on + Months::new(6)),
        };
        self.step(&committee, siae, demande, Step::CommitteeDecision { form })
            .await?;
        if conditional {
            self.conditions_under_way(&referent, &direction, siae)
                .await?;
        }
        Ok(())
    }

    /// The action answering the committee's conditions: planned, its owner the direction, and
    /// declared done with its evidence, for the auditor or the federation to check.
    async fn conditions_under_way(
        &self,
        referent: &Identity,
        direction: &Identity,
        siae: i64,
    ) -> BackendResult<()> {
        let draft = ActionDraft {
            description: "Un tableau de suivi des décisions de la régulation pédagogique, \
                          relu en ouverture de chaque réunion."
                .into(),
            root_cause: "Les décisions figuraient dans les comptes rendus, sans responsable \
                         ni échéance."
                .into(),
            owner_id: Some(direction.account_id),
            due_on: (self.today + chrono::Days::new(21)).to_string(),
        };
        let kind = DemandeKind::Certification;
        let action = corrective::add(self.db, referent, siae, kind, None, &draft).await?;
        corrective::declare(
            self.db,
            direction,
            siae,
            kind,
            action,
            "Tableau de suivi tenu depuis la décision du comité ; comptes rendus des trois \
             dernières réunions joints.",
        )
        .await
    }

    /// The manual started from the skeleton, its presentation written and approved, and its
    /// first edition issued (the sections still empty confirmed); the edition's id.
    async fn issued_manual(
        &self,
        referent: &Identity,
        direction: &Identity,
        siae: i64,
    ) -> BackendResult<i64> {
        let db = self.db;
        manual::start(db, referent, siae).await?;
        let sections = {
            let mut conn = db.pool.acquire().await?;
            crate::db::manual::sections(&mut conn, siae).await?
        };
        let presentation = sections
            .iter()
            .find(|s| s.kind == SectionKind::Presentation)
            .ok_or_else(|| BackendError::Internal("the skeleton has a presentation".into()))?;
        let body = "Notre structure accompagne depuis plus de dix ans des personnes éloignées \
                    de l'emploi vers un emploi durable.\n\n\
                    - un accueil individuel pour chaque personne ;\n\
                    - des engagements réciproques suivis et évalués ;\n\
                    - une régulation pédagogique mensuelle.\n";
        let draft = DraftSave {
            content: DraftContent::Text(body),
            change_note: "Première rédaction",
            revision: None,
        };
        let version = manual::save_draft(db, referent, presentation.id, draft).await?;
        manual::review(db, referent, version, ReviewStep::Submit).await?;
        let approve = ReviewStep::Approve { review_due: None };
        manual::review(db, direction, version, approve).await?;
        let (edition, _) = editions::issue(db, referent, siae, true, self.renderer).await?;
        Ok(edition)
    }

    /// Every requirement self-assessed as met.
    async fn self_assessed(&self, referent: &Identity, siae: i64) -> BackendResult<()> {
        for key in requirement_keys() {
            let draft = AssessmentDraft {
                status: "conforme".into(),
                comment: "Pratique en place, décrite dans le manuel qualité.".into(),
                ..Default::default()
            };
            assessments::save(self.db, referent, siae, &key, &draft).await?;
        }
        Ok(())
    }

    /// The auditor's findings and, past the audit, an appreciation of every requirement and
    /// the summary of the compte-rendu.
    async fn audited(&self, auditor: &Identity, siae: i64, stage: Stage) -> BackendResult<()> {
        let db = self.db;
        let findings = [
            (
                "2.1 a",
                "point_fort",
                "Chaque accueil donne lieu à un entretien individuel tracé.",
            ),
            (
                "2.3 a",
                "piste_de_progres",
                "Les décisions de la régulation pédagogique gagneraient à être suivies d'une réunion à l'autre.",
            ),
        ];
        for (key, kind, text) in findings {
            audits::add_finding(db, auditor, siae, key, kind, text, &[]).await?;
        }
        if stage == Stage::UnderAudit {
            return Ok(());
        }
        for key in requirement_keys() {
            audits::appreciate(db, auditor, siae, &key, "conforme", "").await?;
        }
        audits::save_summary(
            db,
            auditor,
            siae,
            "Une démarche qualité vivante, portée par la direction et l'équipe.",
        )
        .await
    }
}

/// The keys of the requirements of the référentiel the demo SIAE answer (`2.1 a`…).
fn requirement_keys() -> Vec<String> {
    referentiels::builtin_2004()
        .requirements()
        .map(|(section, requirement)| requirement.key(section))
        .collect()
}

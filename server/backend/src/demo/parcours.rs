//! The demo's parcours, loaded by `cedre demo` after the cycles: for each demo SIAE, a few
//! dozen people with fictitious names at every phase — in accueil, in pré-embauche, in
//! parcours (engagements, actions, bilans, some échéances passed without bilan so that the
//! suivi a minima has something to show), gone with each kind of exit. Each record goes
//! through the use cases, as the SIAE's staff would write it, so that the trail is the one the
//! application writes.

use super::cycles::identity;
use crate::db::Db;
use crate::error::BackendResult;
use crate::identity::Identity;
use crate::services::parcours;
use chrono::{Duration, NaiveDate};
use domain::parcours::engagement::EngagementKind;
use domain::parcours::person::{ExitDraft, ExitKind, PersonDraft};
use domain::parcours::record::{ActionDraft, BilanDraft, EngagementDraft};

/// Who writes the parcours of each SIAE: its accompagnateur, else its référent qualité.
const WRITERS: &[&str] = &[
    "accompagnateur@cedre.demo",
    "referent.forez@cedre.demo",
    "referent.odet@cedre.demo",
    "referent.avenir@cedre.demo",
    "referent.tremplin@cedre.demo",
    "referent.dauphine@cedre.demo",
    "referent.lyon@cedre.demo",
];

/// People per SIAE.
const PEOPLE: usize = 24;

const LAST_NAMES: &[&str] = &[
    "Abadie",
    "Barbier",
    "Charpentier",
    "Da Silva",
    "Évrard",
    "Fontaine",
    "Guérin",
    "Hamon",
    "Izard",
    "Joly",
    "Kervella",
    "Lemoine",
    "Marchand",
    "Nguyen",
    "Ollivier",
    "Perrot",
    "Quéré",
    "Renaud",
    "Sanchez",
    "Tessier",
    "Urvoy",
    "Vidal",
    "Weber",
    "Yildiz",
    "Zerbib",
    "Benoît",
    "Carré",
    "Diallo",
    "Le Floch",
    "Mercier",
];

const FIRST_NAMES: &[&str] = &[
    "Amina",
    "Bruno",
    "Céline",
    "Dylan",
    "Estelle",
    "Farid",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Jordan",
    "Karima",
    "Loïc",
    "Maëva",
    "Nicolas",
    "Océane",
    "Patrice",
    "Rachida",
    "Sébastien",
    "Tiphaine",
    "Valentin",
    "Yasmine",
    "Zoé",
    "Mathis",
    "Léna",
    "Killian",
    "Sarah",
    "Mohamed",
    "Chloé",
];

/// For each engagement: the needs, the object, the structure's means, the person's means.
fn texts(kind: EngagementKind) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        EngagementKind::CoupDePouce => (
            "Retrouver rapidement un revenu ; situation financière difficile.",
            "Des missions de travail dans la semaine, manutention ou entretien.",
            "Rechercher des mises à disposition ; contact avec le partenaire budget.",
            "Être joignable ; venir au point après la première mission.",
        ),
        EngagementKind::Decouverte => (
            "Pas d'expérience professionnelle ni de projet précis ; envie de découvrir des métiers.",
            "Découvrir au moins deux types de missions dans le mois qui suit.",
            "Missions tests chez des particuliers puis en entreprise ; bilan de chaque mission.",
            "Accepter des missions différentes ; dire ce qui plaît ou non.",
        ),
        EngagementKind::MobilisationPreparation => (
            "Projet d'aide à domicile ; démarches de santé et de logement en cours.",
            "Préparer l'entrée en formation d'assistant de vie.",
            "Missions régulières chez des particuliers ; lien avec l'organisme de formation.",
            "Suivre les démarches de santé ; préparer le dossier d'inscription.",
        ),
        EngagementKind::ValidationProfessionnelle => (
            "Expérience en espaces verts ; souhaite un emploi durable dans ce métier.",
            "Valider les compétences en entretien d'espaces verts auprès d'employeurs.",
            "Missions longues chez deux entreprises clientes ; évaluation par le tuteur.",
            "Tenir les horaires ; constituer un dossier de compétences.",
        ),
        EngagementKind::SoutienActif => (
            "Recherche d'emploi en cours ; besoin d'un appui ponctuel.",
            "Candidatures ciblées et préparation aux entretiens d'embauche.",
            "Atelier de recherche d'emploi ; mise en relation avec les employeurs du territoire.",
            "Envoyer au moins cinq candidatures par semaine.",
        ),
        EngagementKind::Templus => (
            "Retraité ; souhaite compléter ses revenus par quelques heures de travail.",
            "Des missions ponctuelles compatibles avec sa santé.",
            "Proposer des missions courtes de jardinage ou de bricolage.",
            "Indiquer ses disponibilités chaque mois.",
        ),
    }
}

fn day(date: NaiveDate) -> String {
    date.to_string()
}

pub async fn load(db: &Db) -> BackendResult<()> {
    let today = domain::time::today();
    for (n, email) in WRITERS.iter().enumerate() {
        let writer = identity(db, email).await?;
        let siae_id = writer.memberships[0].organisation_id;
        for i in 0..PEOPLE {
            person(db, &writer, siae_id, n * PEOPLE + i, today).await?;
        }
    }
    Ok(())
}

/// The `k`-th person of the demo, in the phase `k` gives them.
async fn person(
    db: &Db,
    writer: &Identity,
    siae_id: i64,
    k: usize,
    today: NaiveDate,
) -> BackendResult<()> {
    let first_contact = today - Duration::days(10 + (k as i64 * 37) % 400);
    let phase = k % 8;
    let accueil = (phase > 0).then(|| first_contact + Duration::days(7));
    // Inscribed from phase 2 on; phase 2 just recently, within the delay.
    let inscription = match phase {
        0 | 1 => None,
        2 => Some(today - Duration::days(5)),
        _ => accueil,
    };
    let draft = PersonDraft {
        last_name: LAST_NAMES[k % LAST_NAMES.len()].to_string(),
        first_name: FIRST_NAMES[(k * 7) % FIRST_NAMES.len()].to_string(),
        phone: format!("06 00 00 {:02} {:02}", k / 100, k % 100),
        pre_accueil_on: day(first_contact.min(inscription.unwrap_or(first_contact))),
        accueil_on: accueil
            .map(|d| day(d.min(inscription.unwrap_or(d))))
            .unwrap_or_default(),
        inscription_on: inscription.map(day).unwrap_or_default(),
        request: "Trouver un emploi stable ; lever les freins de mobilité.".to_string(),
        accompagnateur_id: writer.account_id.to_string(),
        ..Default::default()
    };
    let id = parcours::register(db, writer, siae_id, &draft).await?;
    let Some(inscribed) = inscription.filter(|_| phase >= 3) else {
        return Ok(());
    };
    let kind = EngagementKind::ALL[k % EngagementKind::ALL.len()];
    let (needs, object, means_structure, means_person) = texts(kind);
    let signed_on = inscribed + Duration::days(3);
    // Phase 3: the échéance passed without bilan (suivi a minima); 4: in progress; 5 and up:
    // a bilan written, then (6, 7) a follow-up or an exit.
    let due_on = match phase {
        3 => today - Duration::days(4),
        4 => today + Duration::days(30),
        _ => signed_on + Duration::days(60),
    };
    let engagement = EngagementDraft {
        kind: kind.code().into(),
        signed_on: day(signed_on),
        accompagnateur_id: writer.account_id.to_string(),
        needs: needs.into(),
        object: object.into(),
        means_structure: means_structure.into(),
        means_person: means_person.into(),
        due_on: day(due_on.max(signed_on + Duration::days(1))),
        form: "ecrit".into(),
        signed: "on".into(),
        handed: if k.is_multiple_of(3) {
            String::new()
        } else {
            "on".into()
        },
    };
    let engagement_id = parcours::add_engagement(db, writer, id, &engagement, None).await?;
    let actions = [
        (
            "entretien",
            "Entretien individuel : point sur les besoins",
            "realisee",
            45,
        ),
        ("mets", "Mission de manutention", "realisee", 15),
        (
            "partenaire",
            "Contact avec le partenaire logement",
            "en_cours",
            20,
        ),
        ("atelier", "Atelier de recherche d'emploi", "a_proposer", 0),
    ];
    for (j, (action_kind, label, status, minutes)) in actions.iter().enumerate().take(1 + k % 4) {
        let on = (signed_on + Duration::days(j as i64 * 5)).min(today);
        let placement = *action_kind == "mets";
        parcours::add_action(
            db,
            writer,
            id,
            &ActionDraft {
                on: day(on),
                kind: action_kind.to_string(),
                label: label.to_string(),
                objective: object.into(),
                engagement_id: engagement_id.to_string(),
                status: status.to_string(),
                minutes: minutes.to_string(),
                client: if placement {
                    "Entreprise Le Goff".into()
                } else {
                    String::new()
                },
                rome_code: if placement {
                    "N1105".into()
                } else {
                    String::new()
                },
                hours: if placement {
                    "7,5".into()
                } else {
                    String::new()
                },
                ..Default::default()
            },
        )
        .await?;
    }
    if phase < 5 || signed_on + Duration::days(60) > today {
        return Ok(());
    }
    let follow_up = phase == 6;
    parcours::write_bilan(
        db,
        writer,
        id,
        engagement_id,
        &BilanDraft {
            held_on: day(signed_on + Duration::days(60)),
            achieved: ["totalement", "en_partie", "non"][k % 3].into(),
            follow_up: if follow_up { "oui" } else { "non" }.into(),
            comments: "Missions réalisées ; la personne a gagné en assurance.".into(),
        },
    )
    .await?;
    if follow_up {
        let next = EngagementKind::ValidationProfessionnelle;
        let (_, object, means_structure, means_person) = texts(next);
        let start = signed_on + Duration::days(61);
        parcours::add_engagement(
            db,
            writer,
            id,
            &EngagementDraft {
                kind: next.code().into(),
                signed_on: day(start.min(today)),
                needs: needs.into(),
                object: object.into(),
                means_structure: means_structure.into(),
                means_person: means_person.into(),
                due_on: day(today + Duration::days(45)),
                form: "ecrit".into(),
                signed: "on".into(),
                handed: "on".into(),
                ..Default::default()
            },
            Some(engagement_id),
        )
        .await?;
    } else if phase == 7 {
        let kind = ExitKind::ALL[k % ExitKind::ALL.len()];
        parcours::record_exit(
            db,
            writer,
            id,
            &ExitDraft {
                exit_on: day((signed_on + Duration::days(62)).min(today)),
                exit_kind: kind.code().into(),
            },
        )
        .await?;
    }
    Ok(())
}

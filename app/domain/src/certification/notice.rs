//! Who hears of a step of the cycle: after each move of a demande, the people who must act next
//! (and the SIAE, which follows its own demande) get a notice, by e-mail when the site sends
//! mail. What a notice says stays general — the SIAE, the new state, what comes next —: a mail
//! leaves the application, so the comments, the report and the reasons stay in it, behind a
//! session.

use super::demande::{DemandeKind, DemandeState};
use crate::role::Role;

/// Where the addressees of a notice are found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addressees {
    /// The accounts with one of these roles in the SIAE.
    Siae(&'static [Role]),
    /// The accounts with one of these roles in the SIAE's regional association.
    Region(&'static [Role]),
    /// The accounts with one of these roles in the federation.
    Federation(&'static [Role]),
    /// The auditor assigned to the demande.
    Auditor,
}

const SIAE_FOLLOWERS: &[Role] = &[Role::ReferentQualite, Role::Direction];

/// Who is told that a demande of `kind` reached `state`: first who acts next, then who
/// follows. An audit blanc's compte-rendu is the SIAE's alone.
pub fn addressees(kind: DemandeKind, state: DemandeState) -> Vec<Addressees> {
    use Addressees::*;
    use DemandeState as S;
    match state {
        S::RapportRemis if kind == DemandeKind::AuditBlanc => vec![Siae(SIAE_FOLLOWERS)],
        S::Brouillon => vec![],
        S::Soumise => vec![Region(&[
            Role::ReferentQualiteRegional,
            Role::MembreCaRegional,
        ])],
        S::ACompleter | S::RefuseeRegion | S::AuditEnCours => vec![Siae(SIAE_FOLLOWERS)],
        S::ValideeRegion => vec![
            Region(&[Role::ReferentQualiteRegional]),
            Siae(SIAE_FOLLOWERS),
        ],
        S::Transmise => vec![Federation(&[Role::ResponsableQualiteFederal])],
        S::AuditeurDesigne => vec![Auditor],
        S::RapportRemis => vec![
            Federation(&[Role::ResponsableQualiteFederal]),
            Siae(SIAE_FOLLOWERS),
        ],
        S::SoumiseAuComite => vec![Federation(&[Role::MembreComiteCertification])],
        S::Certifiee | S::CertifieeSousConditions | S::Ajournee | S::Refusee => vec![
            Siae(SIAE_FOLLOWERS),
            Region(&[Role::ReferentQualiteRegional]),
        ],
    }
}

/// A notice's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub subject: String,
    pub body: String,
}

/// What a notice says when the demande of `kind` of `siae_name` reaches `state`; `link` is
/// the address of the demande's page.
pub fn notice(siae_name: &str, kind: DemandeKind, state: DemandeState, link: &str) -> Notice {
    let (topic, what) = match kind {
        DemandeKind::Certification => ("Certification CEDRE", "La demande de certification"),
        DemandeKind::AuditBlanc => ("Audit blanc CEDRE", "L'audit blanc"),
    };
    Notice {
        subject: format!("{topic} — {siae_name} : {}", state.label().to_lowercase()),
        body: format!(
            "Bonjour,\n\n\
             {what} de la structure « {siae_name} » est désormais : {}.\n\
             {}\n\n\
             Pour la consulter : {link}\n\n\
             — Cedre, la démarche qualité CEDRE\n\
             (message automatique : merci de ne pas y répondre)\n",
            state.label().to_lowercase(),
            kind.next_step(state)
        ),
    }
}

/// Who is reminded that a certificate ends: the SIAE, and its region, which follows it.
pub const EXPIRY_ADDRESSEES: [Addressees; 2] = [
    Addressees::Siae(SIAE_FOLLOWERS),
    Addressees::Region(&[Role::ReferentQualiteRegional]),
];

/// The reminder, `months` before, that the certificate of `siae_name` ends on `valid_until`.
pub fn expiry_notice(
    siae_name: &str,
    valid_until: chrono::NaiveDate,
    months: u32,
    renewing: bool,
    link: &str,
) -> Notice {
    let date = crate::time::display_date(valid_until);
    let next = if renewing {
        "Le renouvellement est en cours : il doit aboutir avant cette date."
    } else {
        "Pour rester certifiée, la structure prépare dès maintenant sa demande de renouvellement."
    };
    Notice {
        subject: format!("Certification CEDRE — {siae_name} : le certificat prend fin le {date}"),
        body: format!(
            "Bonjour,\n\n\
             Le certificat CEDRE de la structure « {siae_name} » prend fin le {date}, dans \
             {months} mois au plus.\n\
             {next}\n\n\
             Pour la consulter : {link}\n\n\
             — Cedre, la démarche qualité CEDRE\n\
             (message automatique : merci de ne pas y répondre)\n"
        ),
    }
}

/// The reminder that an action of the plan of `siae_name` is due on `due_on`.
pub fn action_due_notice(siae_name: &str, due_on: chrono::NaiveDate, link: &str) -> Notice {
    let date = crate::time::display_date(due_on);
    Notice {
        subject: format!(
            "Certification CEDRE — {siae_name} : une action corrective arrive à échéance le {date}"
        ),
        body: format!(
            "Bonjour,\n\n\
             Une action corrective du plan d'actions de la structure « {siae_name} » arrive à \
             échéance le {date}. Une fois faite, déclarez-la réalisée avec sa preuve.\n\n\
             Pour la consulter : {link}\n\n\
             — Cedre, la démarche qualité CEDRE\n\
             (message automatique : merci de ne pas y répondre)\n"
        ),
    }
}

/// Who hears that an action of the plan answering an audit of `kind` is late: the SIAE, and
/// for a certification audit its region and the federation; an audit blanc stays the SIAE's.
pub fn action_late_addressees(kind: DemandeKind) -> &'static [Addressees] {
    match kind {
        DemandeKind::Certification => &[
            Addressees::Siae(SIAE_FOLLOWERS),
            Addressees::Region(&[Role::ReferentQualiteRegional]),
            Addressees::Federation(&[Role::ResponsableQualiteFederal]),
        ],
        DemandeKind::AuditBlanc => &[Addressees::Siae(SIAE_FOLLOWERS)],
    }
}

/// The escalation that an action of the plan of `siae_name`, answering an audit of `kind`, was
/// due on `due_on` and is not closed.
pub fn action_late_notice(
    siae_name: &str,
    kind: DemandeKind,
    due_on: chrono::NaiveDate,
    link: &str,
) -> Notice {
    let date = crate::time::display_date(due_on);
    let (plan, told) = match kind {
        DemandeKind::Certification => (
            "Une action corrective du plan d'actions",
            "La structure, son association régionale et la fédération en sont informées.",
        ),
        DemandeKind::AuditBlanc => (
            "Une action du plan que la structure a tiré de son audit blanc",
            "Sa direction et son référent qualité en sont informés ; ce plan reste celui de la structure.",
        ),
    };
    Notice {
        subject: format!("Certification CEDRE — {siae_name} : action corrective en retard"),
        body: format!(
            "Bonjour,\n\n\
             {plan} de la structure « {siae_name} » devait être close le {date} ; elle ne l'est \
             pas. {told}\n\n\
             Pour la consulter : {link}\n\n\
             — Cedre, la démarche qualité CEDRE\n\
             (message automatique : merci de ne pas y répondre)\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Addressees::*;
    use DemandeState as S;

    #[test]
    fn a_late_action_of_an_audit_blanc_plan_stays_with_the_siae() {
        let day = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(
            action_late_addressees(DemandeKind::AuditBlanc),
            [Siae(&[Role::ReferentQualite, Role::Direction])]
        );
        assert_eq!(
            action_late_addressees(DemandeKind::Certification),
            [
                Siae(&[Role::ReferentQualite, Role::Direction]),
                Region(&[Role::ReferentQualiteRegional]),
                Federation(&[Role::ResponsableQualiteFederal]),
            ]
        );
        let blanc = action_late_notice("Atelier", DemandeKind::AuditBlanc, day, "https://x/p");
        assert!(
            blanc.body.contains("tiré de son audit blanc"),
            "{}",
            blanc.body
        );
        assert!(!blanc.body.contains("régionale"), "{}", blanc.body);
        let real = action_late_notice("Atelier", DemandeKind::Certification, day, "https://x/p");
        assert!(
            real.body
                .contains("son association régionale et la fédération"),
            "{}",
            real.body
        );
    }

    /// Written out: who must act after each state, then who follows.
    #[test]
    fn each_state_reaches_who_acts_next() {
        let siae = Siae(&[Role::ReferentQualite, Role::Direction]);
        let expected: [(DemandeState, Vec<Addressees>); 14] = [
            (S::Brouillon, vec![]),
            (
                S::Soumise,
                vec![Region(&[
                    Role::ReferentQualiteRegional,
                    Role::MembreCaRegional,
                ])],
            ),
            (S::ACompleter, vec![siae]),
            (
                S::ValideeRegion,
                vec![Region(&[Role::ReferentQualiteRegional]), siae],
            ),
            (S::RefuseeRegion, vec![siae]),
            (
                S::Transmise,
                vec![Federation(&[Role::ResponsableQualiteFederal])],
            ),
            (S::AuditeurDesigne, vec![Auditor]),
            (S::AuditEnCours, vec![siae]),
            (
                S::RapportRemis,
                vec![Federation(&[Role::ResponsableQualiteFederal]), siae],
            ),
            (
                S::SoumiseAuComite,
                vec![Federation(&[Role::MembreComiteCertification])],
            ),
            (
                S::Certifiee,
                vec![siae, Region(&[Role::ReferentQualiteRegional])],
            ),
            (
                S::CertifieeSousConditions,
                vec![siae, Region(&[Role::ReferentQualiteRegional])],
            ),
            (
                S::Ajournee,
                vec![siae, Region(&[Role::ReferentQualiteRegional])],
            ),
            (
                S::Refusee,
                vec![siae, Region(&[Role::ReferentQualiteRegional])],
            ),
        ];
        for (state, addressees_of_state) in expected {
            assert_eq!(
                addressees(DemandeKind::Certification, state),
                addressees_of_state,
                "{state:?}"
            );
        }
        // An audit blanc's compte-rendu goes to the SIAE only; its other steps are the same.
        assert_eq!(
            addressees(DemandeKind::AuditBlanc, S::RapportRemis),
            vec![siae]
        );
        assert_eq!(
            addressees(DemandeKind::AuditBlanc, S::Transmise),
            vec![Federation(&[Role::ResponsableQualiteFederal])]
        );
    }

    #[test]
    fn an_audit_blanc_notice_says_so_and_that_it_ends_with_its_report() {
        let notice = notice(
            "Recyclerie du Forez",
            DemandeKind::AuditBlanc,
            S::RapportRemis,
            "https://cedre.exemple.org/organisations/4/certification",
        );
        assert_eq!(
            notice.subject,
            "Audit blanc CEDRE — Recyclerie du Forez : compte-rendu d'audit remis"
        );
        assert!(notice.body.starts_with(
            "Bonjour,\n\nL'audit blanc de la structure « Recyclerie du Forez » est désormais : \
             compte-rendu d'audit remis.\nL'audit blanc est terminé : la structure s'appuie sur \
             son compte-rendu pour préparer sa demande de certification.\n"
        ));
    }

    #[test]
    fn a_notice_names_the_siae_the_state_what_comes_next_and_the_link_only() {
        let notice = notice(
            "Recyclerie du Forez",
            DemandeKind::Certification,
            S::Transmise,
            "https://cedre.exemple.org/organisations/4/certification",
        );
        assert_eq!(
            notice.subject,
            "Certification CEDRE — Recyclerie du Forez : transmise à la fédération"
        );
        assert_eq!(
            notice.body,
            "Bonjour,\n\nLa demande de certification de la structure « Recyclerie du Forez » est \
             désormais : \
             transmise à la fédération.\nLe responsable qualité fédéral désigne un auditeur \
             externe.\n\nPour la consulter : https://cedre.exemple.org/organisations/4/certification\
             \n\n— Cedre, la démarche qualité CEDRE\n(message automatique : merci de ne pas y \
             répondre)\n"
        );
    }
}

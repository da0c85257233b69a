//! A SIAE's demande de certification: for the SIAE, preparing it on an issued edition of its
//! manual and submitting it; for the region, returning it, recording the board's decision and
//! forwarding it; for all who follow it, its timeline.

use super::id_param;
use crate::api::certification::{
    load_demande, AssignAuditor, ConfirmNoConflict, DecideCertification, DecideDemande,
    ForwardDemande, ReturnDemande, SaveDemande, ScheduleAudit, ShareAuditBlanc, SubmitDemande,
    WithdrawCertificate,
};
use crate::components::forms::{Form, SelectField, TextArea, TextField};
use crate::components::load::loaded;
use domain::certification::certificate::{Certificate, CertificateStatus};
use domain::certification::committee::{CommitteeDecision, Verdict};
use domain::certification::demande::{DemandeKind, DemandeState};
use domain::certification::view::{
    AuditorOption, CommitteeMember, Demande, DemandePage, DemandeStep,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CertificationPage() -> impl IntoView {
    loaded(
        load_demande(id_param()),
        |page| view! { <CertificationView page/> },
    )
}

#[component]
fn CertificationView(page: DemandePage) -> impl IntoView {
    let title = format!("Certification — {}", page.siae_name);
    let siae_id = page.siae_id;
    let open = page.current.clone().filter(|d| d.is_open());
    let editable = open.clone().filter(|d| d.state.is_editable());
    let can_open = page.can_edit && open.is_none();
    view! {
        <Title text=title.clone()/>
        <p><a href=format!("/organisations/{siae_id}")>"← "{page.siae_name.clone()}</a></p>
        <h1>{title}</h1>
        <p class="aide">"La demande de certification s'appuie sur une édition émise du manuel qualité et sur l'auto-évaluation. Elle est soumise au référent qualité régional ; le conseil d'administration régional la valide ou la refuse ; le référent régional la transmet alors à la fédération, qui désigne un auditeur externe."</p>
        {page.current.clone().map(|d| view! { <CurrentDemande demande=d auditor=page.auditor_name.clone() can_share=page.can_edit/> })}
        {page.unshared_audit_blanc.clone().map(|demande| view! { <UnsharedAuditBlanc demande/> })}
        {(page.can_edit && (can_open || editable.is_some())).then(|| {
            view! { <PrepareForm page=page.clone() demande=editable.clone()/> }
        })}
        {open.clone().filter(|d| d.state == DemandeState::Soumise).map(|d| view! {
            <RegionForms page=page.clone() demande_id=d.id/>
        })}
        {open.filter(|d| d.state == DemandeState::ValideeRegion && page.can_review).map(|d| view! {
            <section class="carte" aria-labelledby="titre-transmettre">
                <h2 id="titre-transmettre">"Transmettre à la fédération"</h2>
                <Form action={ServerAction::<ForwardDemande>::new()}>
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <input type="hidden" name="demande_id" value=d.id/>
                    <button type="submit" class="bouton-principal">"Transmettre au responsable qualité fédéral"</button>
                </Form>
            </section>
        })}
        {(!page.auditors.is_empty()).then(|| {
            let demande_id = page.current.as_ref().map(|d| d.id).unwrap_or_default();
            view! { <AssignForm siae_id demande_id auditors=page.auditors.clone()/> }
        })}
        {page.current.clone().filter(|d| page.caller_is_auditor && d.state == DemandeState::AuditeurDesigne).map(|d| view! {
            <section class="carte" aria-labelledby="titre-honneur">
                <h2 id="titre-honneur">"Déclaration sur l'honneur"</h2>
                <p>{format!("La fédération vous a désigné pour auditer {}. Avant d'ouvrir son dossier, déclarez n'avoir aucun lien avec elle, son ensemblier ni son association régionale depuis trois ans, ni aucun autre conflit d'intérêts.", page.siae_name)}</p>
                <Form action={ServerAction::<ConfirmNoConflict>::new()}>
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <input type="hidden" name="demande_id" value=d.id/>
                    <button type="submit" class="bouton-principal">"Je déclare sur l'honneur n'avoir aucun conflit d'intérêts"</button>
                </Form>
            </section>
        })}
        {page.current.clone().filter(|d| page.caller_is_auditor && d.state == DemandeState::AuditEnCours).map(|d| {
            let (starts, ends) = d.audit_dates.map(|(s, e)| (s.to_string(), e.to_string())).unwrap_or_default();
            view! {
                <section class="carte" aria-labelledby="titre-dates">
                    <h2 id="titre-dates">"Dates de l'audit"</h2>
                    <Form action={ServerAction::<ScheduleAudit>::new()} class="formulaire">
                        <input type="hidden" name="siae_id" value=siae_id/>
                        <input type="hidden" name="demande_id" value=d.id/>
                        <TextField id="audit-debut" name="starts_on" label="Premier jour" input_type="date" value=starts required=true/>
                        <TextField id="audit-fin" name="ends_on" label="Dernier jour" input_type="date" value=ends required=true/>
                        <button type="submit" class="bouton-principal">"Enregistrer les dates"</button>
                    </Form>
                </section>
            }
        })}
        {(page.reads_audit || !page.action_plans.is_empty()).then(|| view! {
            <section class="carte" aria-labelledby="titre-audit">
                <h2 id="titre-audit">"Audit"</h2>
                {page.reads_audit.then(|| view! {
                    <p><a href=crate::url::audit_page(siae_id)>{if page.caller_is_auditor {
                        "Grille d'audit et compte-rendu"
                    } else {
                        "Dossier audité et compte-rendu d'audit (confidentiel : chaque lecture est enregistrée)"
                    }}</a></p>
                })}
                {page.action_plans.iter().map(|kind| view! {
                    <p><a href=crate::url::action_plan(siae_id, *kind)>{match kind {
                        DemandeKind::Certification => "Plan d'actions correctives",
                        DemandeKind::AuditBlanc => "Plan d'actions de l'audit blanc",
                    }}</a></p>
                }).collect_view()}
            </section>
        })}
        {(!page.committee.is_empty()).then(|| {
            let demande_id = page.current.as_ref().map(|d| d.id).unwrap_or_default();
            view! { <CommitteeForm siae_id demande_id members=page.committee.clone()/> }
        })}
        {page.cost.clone().map(|cost| {
            let demande_id = page.current.as_ref().map(|d| d.id).unwrap_or_default();
            view! { <CostView siae_id demande_id cost can_invoice=page.can_invoice can_fund=page.can_fund/> }
        })}
        {page.decision.clone().map(|decision| view! { <DecisionView decision/> })}
        {page.certificate.clone().map(|certificate| view! { <CertificateView siae_id certificate can_withdraw=page.can_withdraw/> })}
        <Timeline steps=page.steps.clone()/>
    }
}

/// A committee member records the decision: who was present, who abstained; a member with a
/// declared tie is recused whatever the form says.
#[component]
fn CommitteeForm(siae_id: i64, demande_id: i64, members: Vec<CommitteeMember>) -> impl IntoView {
    let verdicts = Verdict::ALL
        .into_iter()
        .map(|v| (v.code().to_string(), v.label().to_string()))
        .collect();
    view! {
        <section class="carte" aria-labelledby="titre-decision-comite">
            <h2 id="titre-decision-comite">"Décision du comité de certification"</h2>
            <p class="aide">"L'auditeur de cet audit ne siège pas. Un membre qui a déclaré un lien de moins de trois ans avec la structure ou son association régionale est récusé."</p>
            <Form action={ServerAction::<DecideCertification>::new()} class="formulaire">
                <input type="hidden" name="siae_id" value=siae_id/>
                <input type="hidden" name="demande_id" value=demande_id/>
                <TextField id="comite-date" name="held_on" label="Date de la réunion" input_type="date" required=true/>
                <fieldset>
                    <legend>"Membres présents"</legend>
                    <table>
                        <caption class="visuellement-cache">"Membres du comité"</caption>
                        <thead><tr><th scope="col">"Membre"</th><th scope="col">"Présent"</th><th scope="col">"S'abstient"</th></tr></thead>
                        <tbody>
                            {members.into_iter().map(|m| {
                                let present = format!("comite-present-{}", m.account_id);
                                let abstains = format!("comite-abstention-{}", m.account_id);
                                view! {
                                    <tr>
                                        <td>{m.name.clone()}
                                            {(!m.recused_by.is_empty()).then(|| view! {
                                                <br/><span class="aide">{format!("Récusé : lien déclaré avec {}", m.recused_by.join(", "))}</span>
                                            })}</td>
                                        <td><input type="checkbox" id=present name=format!("presents[m{}]", m.account_id) value=m.account_id
                                            aria-label=format!("{} présent", m.name)/></td>
                                        <td><input type="checkbox" id=abstains name=format!("abstentions[m{}]", m.account_id) value=m.account_id
                                            aria-label=format!("{} s'abstient", m.name) disabled=!m.recused_by.is_empty()/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </fieldset>
                <SelectField id="comite-decision" name="verdict" label="Décision" options=verdicts required=true/>
                <TextArea id="comite-motifs" name="reasons" label="Motifs" hint="Obligatoires, sauf pour une certification sans réserve."/>
                <TextArea id="comite-conditions" name="conditions" label="Conditions" hint="Pour une certification sous conditions : ce que la structure doit faire."/>
                <TextField id="comite-echeance" name="conditions_due_on" label="Échéance des conditions" input_type="date"/>
                <button type="submit" class="bouton-principal">"Enregistrer la décision du comité"</button>
            </Form>
        </section>
    }
}

#[component]
fn DecisionView(decision: CommitteeDecision) -> impl IntoView {
    view! {
        <section class="carte" aria-labelledby="titre-decision-prise">
            <h2 id="titre-decision-prise">"Décision du comité de certification"</h2>
            <dl class="fiche">
                <dt>"Décision"</dt><dd>{decision.verdict.label()}</dd>
                <dt>"Réunion du"</dt><dd>{domain::time::display_date(decision.held_on)}</dd>
                <dt>"Membres présents"</dt>
                <dd><ul>{decision.seats.iter().map(|s| view! {
                    <li>{format!("{} : {}", s.name, s.participation.label())}</li>
                }).collect_view()}</ul></dd>
                {(!decision.reasons.is_empty()).then(|| view! { <dt>"Motifs"</dt><dd>{decision.reasons.clone()}</dd> })}
                {decision.conditions_due_on.map(|due| view! {
                    <dt>"Conditions"</dt>
                    <dd>{format!("{} (échéance : {})", decision.conditions, domain::time::display_date(due))}</dd>
                })}
            </dl>
        </section>
    }
}

#[component]
fn CertificateView(siae_id: i64, certificate: Certificate, can_withdraw: bool) -> impl IntoView {
    let valid = certificate.status == CertificateStatus::Valide;
    view! {
        <section class="carte" aria-labelledby="titre-certificat">
            <h2 id="titre-certificat">"Certificat"</h2>
            <dl class="fiche">
                <dt>"Statut"</dt><dd><strong>{certificate.status.label()}</strong></dd>
                <dt>"Valide du"</dt><dd>{domain::time::display_date(certificate.valid_from)}</dd>
                <dt>"au"</dt><dd>{domain::time::display_date(certificate.valid_until)}</dd>
                <dt>"Code de vérification"</dt>
                <dd><a href=crate::url::verification_page(&certificate.code)><code>{certificate.code.clone()}</code></a></dd>
            </dl>
            {(!valid).then(|| view! {
                <p class="avertissement" role="note">"Le certificat n'est plus valide : la structure ne peut plus se prévaloir de la certification CEDRE. Une nouvelle demande ouvre le renouvellement."</p>
            })}
            <p><a href=crate::url::certificate_pdf(siae_id)>"Télécharger le certificat (PDF)"</a></p>
            {(valid && can_withdraw).then(|| view! {
                <Form action={ServerAction::<WithdrawCertificate>::new()} class="formulaire">
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <TextArea id="retrait-motifs" name="reasons" label="Motifs du retrait" required=true
                        hint="Par exemple : conditions non levées à leur échéance. La vérification publique indiquera « Retiré »."/>
                    <button type="submit" class="bouton-secondaire">"Retirer le certificat"</button>
                </Form>
            })}
        </section>
    }
}

/// The federation assigns an auditor: each one with what the screening of their ties found.
#[component]
fn AssignForm(siae_id: i64, demande_id: i64, auditors: Vec<AuditorOption>) -> impl IntoView {
    let options = auditors
        .iter()
        .filter(|a| a.screening.blocking.is_empty())
        .map(|a| (a.account_id.to_string(), a.name.clone()))
        .collect();
    let ties = |ties: &[domain::certification::conflict::Tie]| {
        ties.iter()
            .map(|t| {
                format!(
                    "{} ({})",
                    t.organisation_name,
                    t.kind.label().to_lowercase()
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <section class="carte" aria-labelledby="titre-designer">
            <h2 id="titre-designer">"Désigner l'auditeur externe"</h2>
            <table>
                <caption class="visuellement-cache">"Auditeurs et conflits d'intérêts"</caption>
                <thead><tr><th scope="col">"Auditeur"</th><th scope="col">"Conflits d'intérêts"</th></tr></thead>
                <tbody>
                    {auditors.iter().map(|a| view! {
                        <tr>
                            <td>{a.name.clone()}</td>
                            <td>{if !a.screening.blocking.is_empty() {
                                format!("Exclu : lien de moins de trois ans avec {}", ties(&a.screening.blocking))
                            } else if !a.screening.looser.is_empty() {
                                format!("À justifier : {}", ties(&a.screening.looser))
                            } else {
                                "Aucun lien déclaré avec la structure ni sa région".to_string()
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <Form action={ServerAction::<AssignAuditor>::new()} class="formulaire">
                <input type="hidden" name="siae_id" value=siae_id/>
                <input type="hidden" name="demande_id" value=demande_id/>
                <SelectField id="designer-auditeur" name="auditor_id" label="Auditeur" options required=true/>
                <TextArea id="designer-justification" name="justification" label="Justification"
                    hint="Obligatoire si l'auditeur a déclaré un lien à justifier."/>
                <button type="submit" class="bouton-principal">"Désigner l'auditeur"</button>
            </Form>
        </section>
    }
}

/// Sharing an audit blanc's results with the certification audit.
#[component]
fn ShareForm(demande: Demande) -> impl IntoView {
    view! {
        <Form action={ServerAction::<ShareAuditBlanc>::new()}>
            <input type="hidden" name="siae_id" value=demande.siae_id/>
            <input type="hidden" name="demande_id" value=demande.id/>
            <p class="aide">"Les résultats de l'audit blanc restent à la structure (et à qui l'a financé). Partagés, ils figurent à côté de chaque exigence dans votre prochain audit de certification, pour l'auditeur et le comité. Le partage ne se retire pas."</p>
            <button type="submit" class="bouton-secondaire">"Partager les résultats avec le prochain audit de certification"</button>
        </Form>
    }
}

/// The SIAE's audit blanc, not shared, once a later demande is open: it may still share it.
#[component]
fn UnsharedAuditBlanc(demande: Demande) -> impl IntoView {
    let ended = format!(
        "Audit blanc ouvert le {}, compte-rendu remis : ses résultats ne sont pas partagés.",
        domain::time::display_datetime(demande.created_at)
    );
    view! {
        <section class="carte" aria-labelledby="titre-audit-blanc">
            <h2 id="titre-audit-blanc">"Votre audit blanc"</h2>
            <p>{ended}</p>
            <ShareForm demande/>
        </section>
    }
}

#[component]
fn CurrentDemande(demande: Demande, auditor: Option<String>, can_share: bool) -> impl IntoView {
    let finished_blanc =
        demande.kind == DemandeKind::AuditBlanc && demande.state == DemandeState::RapportRemis;
    let shared_at = demande.shared_at;
    let share = (finished_blanc && shared_at.is_none() && can_share)
        .then(|| view! { <ShareForm demande=demande.clone()/> });
    view! {
        <section class="carte" aria-labelledby="titre-demande">
            <h2 id="titre-demande">{demande.kind.label()}</h2>
            <dl class="fiche">
                <dt>"État"</dt><dd>{demande.state.label()}</dd>
                <dt>"Étape suivante"</dt><dd>{demande.kind.next_step(demande.state)}</dd>
                <dt>"Ouverte le"</dt><dd>{domain::time::display_datetime(demande.created_at)}</dd>
                <dt>"Message de la structure"</dt><dd>{demande.message.clone()}</dd>
                {auditor.map(|name| view! { <dt>"Auditeur"</dt><dd>{name}</dd> })}
                {demande.audit_dates.map(|(starts, ends)| view! {
                    <dt>"Audit"</dt>
                    <dd>{format!("du {} au {}", domain::time::display_date(starts), domain::time::display_date(ends))}</dd>
                })}
                {finished_blanc.then(|| view! {
                    <dt>"Partage"</dt>
                    <dd>{match shared_at {
                        Some(at) => format!("Partagé le {} avec le prochain audit de certification", domain::time::display_datetime(at)),
                        None => "Non partagé : les résultats restent à la structure".to_string(),
                    }}</dd>
                })}
            </dl>
            {share}
        </section>
    }
}

#[component]
fn PrepareForm(page: DemandePage, demande: Option<Demande>) -> impl IntoView {
    let siae_id = page.siae_id;
    let editions: Vec<(String, String)> = page
        .editions
        .iter()
        .map(|e| {
            (
                e.id.to_string(),
                format!(
                    "Édition {} du {}",
                    e.number,
                    domain::time::display_date(e.issued_on)
                ),
            )
        })
        .collect();
    let chosen = demande
        .as_ref()
        .and_then(|d| d.edition_id)
        .or(page.editions.first().map(|e| e.id))
        .map(|id| id.to_string())
        .unwrap_or_default();
    let message = demande
        .as_ref()
        .map(|d| d.message.clone())
        .unwrap_or_default();
    let no_edition = editions.is_empty();
    let kind = demande.as_ref().map(|d| d.kind);
    view! {
        <section class="carte" aria-labelledby="titre-preparer">
            <h2 id="titre-preparer">{if demande.is_some() { "Compléter la demande" } else { "Préparer une demande" }}</h2>
            {no_edition.then(|| view! {
                <p class="avertissement" role="note">"Aucune édition du manuel n'est émise : une demande s'appuie sur une édition. "
                    <a href=crate::url::editions_page(siae_id)>"Émettre une édition"</a></p>
            })}
            <Form action={ServerAction::<SaveDemande>::new()} class="formulaire">
                <input type="hidden" name="siae_id" value=siae_id/>
                {match kind {
                    Some(kind) => view! { <p>"Objet : "{kind.label()}</p> }.into_any(),
                    None => view! {
                        <SelectField id="demande-objet" name="kind" label="Objet" required=true
                            options=DemandeKind::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string())).collect()
                            selected=DemandeKind::Certification.code()
                            hint="L'audit blanc suit les mêmes étapes jusqu'au compte-rendu, qui reste à la structure (et à qui l'a financé) : il prépare la certification, le comité ne le voit pas."/>
                    }.into_any(),
                }}
                <SelectField id="demande-edition" name="edition_id" label="Édition du manuel qualité" options=editions
                    selected=chosen empty="(aucune)"/>
                <TextArea id="demande-message" name="message" label="Message au référent qualité régional" value=message/>
                <button type="submit" class="bouton-secondaire">"Enregistrer la demande"</button>
            </Form>
            {demande.map(|d| view! {
                <Form action={ServerAction::<SubmitDemande>::new()}>
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <input type="hidden" name="demande_id" value=d.id/>
                    <p class="aide">"À la soumission, l'auto-évaluation telle qu'elle est est jointe à la demande."</p>
                    <button type="submit" class="bouton-principal">"Soumettre la demande à la région"</button>
                </Form>
            })}
        </section>
    }
}

#[component]
fn RegionForms(page: DemandePage, demande_id: i64) -> impl IntoView {
    let siae_id = page.siae_id;
    let decisions = vec![
        ("valider".to_string(), "Validée".to_string()),
        ("refuser".to_string(), "Refusée".to_string()),
    ];
    view! {
        {page.can_review.then(|| view! {
            <section class="carte" aria-labelledby="titre-renvoyer">
                <h2 id="titre-renvoyer">"Renvoyer pour complément"</h2>
                <Form action={ServerAction::<ReturnDemande>::new()} class="formulaire">
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <input type="hidden" name="demande_id" value=demande_id/>
                    <TextArea id="renvoi-commentaire" name="comment" label="Ce qui manque à la demande" required=true/>
                    <button type="submit" class="bouton-secondaire">"Renvoyer à la structure"</button>
                </Form>
            </section>
        })}
        {page.can_decide.then(|| view! {
            <section class="carte" aria-labelledby="titre-decision">
                <h2 id="titre-decision">"Décision du conseil d'administration régional"</h2>
                <Form action={ServerAction::<DecideDemande>::new()} class="formulaire">
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <input type="hidden" name="demande_id" value=demande_id/>
                    <TextField id="decision-date" name="held_on" label="Date de la réunion" input_type="date" required=true/>
                    <TextArea id="decision-membres" name="members_present" label="Membres présents" required=true hint="Un nom par ligne."/>
                    <SelectField id="decision-choix" name="decision" label="Décision" options=decisions required=true/>
                    <TextArea id="decision-motifs" name="reasons" label="Motifs" hint="Obligatoires pour un refus."/>
                    <button type="submit" class="bouton-principal">"Enregistrer la décision"</button>
                </Form>
            </section>
        })}
    }
}

#[component]
fn Timeline(steps: Vec<DemandeStep>) -> impl IntoView {
    (!steps.is_empty()).then(|| view! {
        <section class="carte" aria-labelledby="titre-historique">
            <h2 id="titre-historique">"Historique de la demande"</h2>
            <ol class="chronologie">
                {steps.into_iter().map(|s| view! {
                    <li>
                        <p><time datetime=s.occurred_at.to_rfc3339()>{domain::time::display_datetime(s.occurred_at)}</time>
                            " — "{s.actor_name.clone()}" : "<strong>{match s.from {
                                None => "demande ouverte".to_string(),
                                Some(_) => s.to.label().to_lowercase(),
                            }}</strong></p>
                        {s.edition_number.map(|n| view! { <p>{format!("Sur l'édition {n} du manuel qualité.")}</p> })}
                        {s.assessment.clone().map(|a| view! {
                            <p>{format!("Auto-évaluation jointe : {} exigences conformes sur {} applicables.", a.conformes, a.applicables)}</p>
                        })}
                        {s.meeting.clone().map(|m| view! {
                            <p>{format!("Réunion du {} ; présents : {}.", domain::time::display_date(m.held_on), m.members_present.join(", "))}</p>
                        })}
                        {(!s.comment.is_empty()).then(|| view! { <p>{s.comment.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    })
}

/// What the audit costs: the price fixed at the assignment, the auditor's invoice, the funding.
#[component]
fn CostView(
    siae_id: i64,
    demande_id: i64,
    cost: domain::certification::cost::AuditCost,
    can_invoice: bool,
    can_fund: bool,
) -> impl IntoView {
    use crate::api::programme::{RecordFunding, RecordInvoice};
    use domain::certification::cost::euros;
    let date = domain::time::display_date;
    view! {
        <section class="carte" aria-labelledby="titre-cout">
            <h2 id="titre-cout">"Coût de l'audit"</h2>
            <dl class="fiche">
                <dt>"Prix"</dt>
                <dd>{format!("{} TTC ({} d'audit, {} de frais de mission ; prix fixé pour {})",
                    euros(cost.price.total_cents()), euros(cost.price.audit_cents), euros(cost.price.expenses_cents), cost.price.year)}</dd>
                <dt>"Facture de l'auditeur"</dt>
                <dd>{match &cost.invoice {
                    Some((on, reference)) => format!("n° {reference} du {}", date(*on)),
                    None => "Pas encore adressée à la structure.".to_string(),
                }}</dd>
                <dt>"Prise en charge"</dt>
                <dd>{match &cost.funding {
                    Some(f) => format!("{} par {}", euros(f.cents), f.funder_name),
                    None => "Aucune.".to_string(),
                }}</dd>
                <dt>"À la charge de la structure"</dt><dd>{euros(cost.paid_by_siae_cents())}</dd>
            </dl>
            {can_invoice.then(|| view! {
                <Form action={ServerAction::<RecordInvoice>::new()} class="formulaire">
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <input type="hidden" name="demande_id" value=demande_id/>
                    <TextField id="facture-date" name="invoiced_on" label="Date de la facture" input_type="date" required=true/>
                    <TextField id="facture-numero" name="invoice_ref" label="Numéro de la facture" required=true/>
                    <button type="submit" class="bouton-secondaire">"Enregistrer la facture"</button>
                </Form>
            })}
            {can_fund.then(|| view! {
                <Form action={ServerAction::<RecordFunding>::new()} class="formulaire">
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <input type="hidden" name="demande_id" value=demande_id/>
                    <SelectField id="prise-en-charge-financeur" name="funder" label="Financeur" required=true empty="Choisir"
                        options=vec![("federation".into(), "La fédération".into()), ("region".into(), "L'association régionale".into())]/>
                    <TextField id="prise-en-charge-montant" name="amount" label="Montant pris en charge (€ TTC)" required=true/>
                    <button type="submit" class="bouton-secondaire">"Enregistrer la prise en charge"</button>
                </Form>
            })}
        </section>
    }
}

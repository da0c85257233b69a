use super::overview::CertificationCell;
use crate::api::home::home;
use crate::components::load::loaded;
use crate::components::session::current_me;
use crate::components::table::Table;
use crate::types::{AssessmentSummary, HomeSection, RegionSummary};
use domain::assessment::SiaeProgress;
use domain::organisation::Organisation;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let name = current_me().map(|m| m.display_name).unwrap_or_default();
    view! {
        <Title text="Accueil"/>
        <h1>"Bonjour " {name}</h1>
        {loaded(home(), |sections| {
            if sections.is_empty() {
                view! {
                    <section class="carte">
                        <h2>"Aucun rôle attribué"</h2>
                        <p class="vide">"Votre compte n'a encore aucun rôle dans une organisation. L'administrateur de la fédération vous en attribuera un ; ce que vous aurez à suivre apparaîtra alors ici."</p>
                    </section>
                }.into_any()
            } else {
                sections.into_iter().map(section).collect_view().into_any()
            }
        })}
    }
}

fn section(section: HomeSection) -> AnyView {
    match section {
        HomeSection::Administration { accounts_awaiting_first_login, disabled_accounts, recent_changes } => view! {
            <section class="carte" aria-labelledby="accueil-admin">
                <h2 id="accueil-admin">"Administration"</h2>
                <h3>"Comptes en attente de première connexion"</h3>
                {if accounts_awaiting_first_login.is_empty() {
                    view! { <p class="vide">"Aucun compte n'attend sa première connexion. Les comptes créés avec un mot de passe temporaire apparaîtront ici tant que leur titulaire ne l'aura pas changé."</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {accounts_awaiting_first_login.into_iter().map(|a| view! {
                                <li><a href=format!("/administration/comptes/{}", a.id)>{a.display_name}</a>" — "{a.email}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <p>{format!("Comptes désactivés : {disabled_accounts}.")}" "<a href="/administration/comptes">"Gérer les comptes"</a></p>
                <h3>"Dernières modifications"</h3>
                {if recent_changes.is_empty() {
                    view! { <p class="vide">"Aucune modification enregistrée pour l'instant."</p> }.into_any()
                } else {
                    view! {
                        <ul class="journal-court">
                            {recent_changes.into_iter().map(|e| view! {
                                <li><time datetime=e.occurred_at.to_rfc3339()>{domain::time::display_datetime(e.occurred_at)}</time>" — "{e.summary}" ("{e.actor_name}")"</li>
                            }).collect_view()}
                        </ul>
                        <p><a href="/administration/journal">"Voir tout le journal d'audit"</a></p>
                    }.into_any()
                }}
            </section>
        }.into_any(),
        HomeSection::Federation { regions, awaiting, cycles, declares_ties } => view! {
            <section class="carte" aria-labelledby="accueil-federation">
                <h2 id="accueil-federation">"Fédération"</h2>
                <h3>"Demandes de certification qui vous attendent"</h3>
                {if awaiting.is_empty() {
                    view! { <p class="vide">"Aucune demande ne vous attend. Les demandes transmises par les régions, les comptes-rendus d'audit remis et les décisions à prendre par le comité apparaîtront ici."</p> }.into_any()
                } else {
                    view! {
                        <ul>{awaiting.into_iter().map(|d| view! {
                            <WaitingLine demande=d/>
                        }).collect_view()}</ul>
                    }.into_any()
                }}
                {declares_ties.then(|| view! {
                    <p><a href=crate::url::TIES_PAGE>"Ma déclaration de liens"</a>" : un membre lié à une structure est récusé pour la décision qui la concerne."</p>
                })}
                {(!cycles.is_empty()).then(|| view! { <Cycles cycles/> })}
                <h3>"Associations régionales"</h3>
                <Table rows=regions caption="Associations régionales et nombre de SIAE engagées"
                    headers=&["Association régionale", "SIAE engagées"]
                    empty="Aucune association régionale. Les associations régionales de la fédération apparaîtront ici."
                    row=|r: RegionSummary| view! {
                        <tr><td><a href=format!("/organisations/{}", r.region.id)>{r.region.name}</a></td><td>{r.siae_count}</td></tr>
                    }/>
            </section>
        }.into_any(),
        HomeSection::Region { region, siae, demandes } => view! {
            <section class="carte" aria-labelledby=format!("accueil-region-{}", region.id)>
                <h2 id=format!("accueil-region-{}", region.id)>{region.name.clone()}</h2>
                <h3>"Demandes de certification en attente de la région"</h3>
                {if demandes.is_empty() {
                    view! { <p class="vide">"Aucune demande en attente. Les demandes de certification soumises par les SIAE de la région apparaîtront ici, pour examen, décision du conseil d'administration puis transmission à la fédération."</p> }.into_any()
                } else {
                    view! {
                        <ul>{demandes.into_iter().map(|d| view! {
                            <WaitingLine demande=d/>
                        }).collect_view()}</ul>
                    }.into_any()
                }}
                <h3>"SIAE de la région"</h3>
                <RegionProgress siae/>
            </section>
        }.into_any(),
        HomeSection::Siae { siae, roles, assessment, manual, certification, suivi } => view! {
            <section class="carte" aria-labelledby=format!("accueil-siae-{}", siae.id)>
                <h2 id=format!("accueil-siae-{}", siae.id)>{siae.name.clone()}</h2>
                <p class="roles">"Votre rôle : "{roles.join(", ")}</p>
                <dl class="fiche">
                    <dt>"Type"</dt><dd>{siae.siae_type.map(|t| t.label()).unwrap_or("—")}</dd>
                    <dt>"Entrée dans la démarche"</dt><dd>{siae.entry_date.map(domain::time::display_date).unwrap_or_default()}</dd>
                    <dt>"Association régionale"</dt><dd>{siae.region_name.clone().unwrap_or_default()}</dd>
                </dl>
                <h3>"Auto-évaluation"</h3>
                {match assessment {
                    Some(summary) => view! { <AssessmentGlance siae_id=siae.id summary/> }.into_any(),
                    None => view! { <p class="vide">"L'auto-évaluation de la structure est suivie par sa direction et son référent qualité."</p> }.into_any(),
                }}
                {manual.map(|glance| view! { <ManualAtAGlance siae_id=siae.id glance/> })}
                {certification.map(|glance| view! {
                    <h3>"Certification"</h3>
                    {glance.certificate.clone().map(|c| view! { <p>{glance.label()}</p> {(c.status != domain::certification::certificate::CertificateStatus::Valide).then(|| view! {
                        <p class="avertissement" role="note">"La structure ne peut plus se prévaloir de la certification CEDRE : une nouvelle demande ouvre le renouvellement."</p>
                    })} })}
                    <p>{match glance.state.filter(|s| s.is_open() || glance.certificate.is_none()) {
                        Some(state) => format!("Demande de certification : {}. {}", state.label().to_lowercase(), state.next_step()),
                        None => "Aucune demande de certification n'est en cours.".to_string(),
                    }}" "<a href=crate::url::certification_page(siae.id)>"Voir la certification"</a></p>
                })}
                {suivi.map(|glance| view! { <SuiviAtAGlance glance=*glance/> })}
                <p><a href=format!("/organisations/{}", siae.id)>"Voir la fiche de la structure"</a></p>
            </section>
        }.into_any(),
        HomeSection::Cabinet { cabinet, assignments } => view! {
            <section class="carte" aria-labelledby="accueil-audit">
                <h2 id="accueil-audit">{cabinet.name}</h2>
                <h3>"Missions d'audit"</h3>
                {if assignments.is_empty() {
                    view! { <p class="vide">"Aucune mission d'audit ne vous est confiée. Quand la fédération vous désignera pour auditer une SIAE, elle apparaîtra ici."</p> }.into_any()
                } else {
                    view! {
                        <ul>{assignments.into_iter().map(|d| view! {
                            <WaitingLine demande=d/>
                        }).collect_view()}</ul>
                    }.into_any()
                }}
                <p><a href=crate::url::TIES_PAGE>"Ma déclaration de liens"</a>" : la fédération la consulte avant chaque désignation."</p>
            </section>
        }.into_any(),
    }
}

#[component]
fn AssessmentGlance(siae_id: i64, summary: AssessmentSummary) -> impl IntoView {
    view! {
        <p>
            {format!("{} % des exigences applicables sont conformes.", summary.overall)}" "
            {(summary.overdue > 0).then(|| view! { <span class="en-retard-texte">{format!("{} exigence(s) en retard.", summary.overdue)}</span> })}
        </p>
        {if summary.next.is_empty() {
            view! { <p class="vide">"Aucun écart à traiter : toutes les exigences applicables sont conformes."</p> }.into_any()
        } else {
            view! {
                <ul>
                    {summary.next.into_iter().map(|g| view! {
                        <li class:en-retard-texte=g.overdue>
                            <a href=crate::url::requirement_page(siae_id, &g.requirement_key)>{g.requirement_key.clone()}</a>
                            {format!(" — {} — {} — {}", g.text, g.status.label(), g.target_date.map(domain::time::display_date).unwrap_or_else(|| "sans date cible".into()))}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <p><a href=format!("/organisations/{siae_id}/referentiel")>"Ouvrir l'auto-évaluation"</a></p>
    }
}

#[component]
fn RegionProgress(siae: Vec<SiaeProgress>) -> impl IntoView {
    let any = !siae.is_empty();
    view! {
        <Table rows=siae caption="SIAE de la région et avancement de leur auto-évaluation"
            headers=&["Structure", "Type", "Entrée dans la démarche", "Certification", "Avancement"]
            empty=NO_SIAE
            row=|r: SiaeProgress| view! {
                <tr>
                    <td><a href=format!("/organisations/{}/referentiel", r.siae.id)>{r.siae.name.clone()}</a></td>
                    <td>{r.siae.siae_type.map(|t| t.code()).unwrap_or("—")}</td>
                    <td>{r.siae.entry_date.map(domain::time::display_date).unwrap_or_default()}</td>
                    <CertificationCell glance=r.certification.clone()/>
                    <td class="nombre">{format!("{} %", r.overall)}</td>
                </tr>
            }/>
        {any.then_some(view! { <p><a href="/suivi">"Voir le suivi détaillé des SIAE"</a></p> })}
    }
}

const NO_SIAE: &str =
    "Aucune SIAE. Les structures rattachées à cette association régionale apparaîtront ici.";

#[component]
pub fn SiaeTable(siae: Vec<Organisation>) -> impl IntoView {
    view! {
        <Table rows=siae caption="SIAE"
            headers=&["Structure", "Type", "Ville", "Entrée dans la démarche"]
            empty=NO_SIAE
            row=|s: Organisation| view! {
                <tr>
                    <td><a href=format!("/organisations/{}", s.id)>{s.name}</a>{(!s.active).then_some(" (désactivée)")}</td>
                    <td>{s.siae_type.map(|t| t.code()).unwrap_or("—")}</td>
                    <td>{s.city.unwrap_or_default()}</td>
                    <td>{s.entry_date.map(domain::time::display_date).unwrap_or_default()}</td>
                </tr>
            }/>
    }
}

#[component]
fn ManualAtAGlance(siae_id: i64, glance: domain::home::ManualGlance) -> impl IntoView {
    let list = |title: &'static str, sections: Vec<domain::home::SectionLink>| {
        (!sections.is_empty()).then(|| {
            view! {
                <p>{title}</p>
                <ul>{sections.into_iter().map(|s| view! {
                    <li><a href=crate::url::section_page(s.id)>{s.title}</a></li>
                }).collect_view()}</ul>
            }
        })
    };
    let nothing_waits = glance.to_review.is_empty()
        && glance.sent_back.is_empty()
        && glance.review_overdue.is_empty()
        && glance.editions_to_read.is_empty();
    let to_read = glance.editions_to_read.clone();
    view! {
        <h3>"Manuel qualité"</h3>
        {if glance.sections == 0 {
            view! { <p class="vide">"Le manuel qualité n'est pas commencé."</p> }.into_any()
        } else {
            view! { <p>{format!("{} section(s) en vigueur sur {}.", glance.in_force, glance.sections)}</p> }.into_any()
        }}
        {list("À relire et approuver :", glance.to_review)}
        {list("Vos versions renvoyées, à reprendre :", glance.sent_back)}
        {list("Date de révision dépassée :", glance.review_overdue)}
        {(!to_read.is_empty()).then(|| view! {
            <p>
                {format!("Édition(s) du manuel à lire : {}. ", to_read.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", "))}
                <a href=crate::url::editions_page(siae_id)>"Lire et en accuser lecture"</a>
            </p>
        })}
        {(nothing_waits && glance.sections > 0).then(|| view! { <p class="vide">"Aucune section ne vous attend."</p> })}
        <p><a href=crate::url::manual_page(siae_id)>"Ouvrir le manuel qualité"</a></p>
    }
}

/// Every SIAE's latest cycle, for the federation: state, auditor, dates, certificate.
#[component]
fn Cycles(cycles: Vec<domain::home::CycleRow>) -> impl IntoView {
    view! {
        <h3>"Cycles de certification"</h3>
        <Table rows=cycles caption="Cycles de certification des SIAE, les certifications à risque puis les certificats échéant le plus tôt d'abord"
            headers=&["Structure", "Association régionale", "Demande", "Auditeur", "Audit", "Coût", "Certification"]
            empty=""
            row=|c: domain::home::CycleRow| view! {
                <tr>
                    <td><a href=crate::url::certification_page(c.siae_id)>{c.siae_name.clone()}</a></td>
                    <td>{c.region_name.clone()}</td>
                    <td>{c.kind.stage(c.state)}</td>
                    <td>{c.auditor_name.clone().unwrap_or_else(|| "—".into())}</td>
                    <td>{c.audit_dates.map(|(s, e)| format!("du {} au {}", domain::time::display_date(s), domain::time::display_date(e))).unwrap_or_else(|| "—".into())}</td>
                    <td>{c.cost.as_ref().map(|cost| domain::certification::cost::euros(cost.price.total_cents())).unwrap_or_else(|| "—".into())}</td>
                    <CertificationCell glance=Some(c.certification.clone())/>
                </tr>
            }/>
    }
}

/// A demande waiting for the caller: its SIAE (a link to the demande), where it stands and
/// who acts next.
#[component]
fn WaitingLine(demande: domain::home::DemandeWaiting) -> impl IntoView {
    let described = demande.describe();
    view! {
        <li><a href=crate::url::certification_page(demande.siae_id)>{demande.siae_name}</a>{described}</li>
    }
}

/// The suivi a minima on the staff's home page: the caller's own people to see again, and the
/// count for the whole SIAE.
#[component]
fn SuiviAtAGlance(glance: domain::parcours::view::SuiviGlance) -> impl IntoView {
    let persons = crate::url::persons_page(glance.siae_id);
    view! {
        <h3>"Suivi a minima"</h3>
        <p>{format!(
            "Vous accompagnez {} personne{}. {} à revoir dans la structure.",
            glance.followed,
            if glance.followed > 1 { "s" } else { "" },
            match glance.all { 0 => "Aucune personne".to_string(), 1 => "1 personne".to_string(), n => format!("{n} personnes") },
        )}" "<a href=persons.clone()>"Personnes accompagnées"</a></p>
        {(!glance.mine.is_empty()).then(|| view! {
            <ul>{glance.mine.into_iter().map(|l| view! {
                <li><a href=crate::url::person_page(l.person_id)>{l.full_name}</a>" : "
                    {l.lapses.iter().map(|x| x.describe()).collect::<Vec<_>>().join(" ; ")}</li>
            }).collect_view()}</ul>
        })}
    }
}

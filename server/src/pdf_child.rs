//! `cedre pdf-enfant`: renders one PDF of the manual in a process of its own, for the server
//! (`backend::pdf::Renderer::ChildProcess`). It limits its own address space first, so that a
//! render that grows past the limit fails here instead of taking memory from the server; the
//! server kills it past its delay.

use anyhow::Context;
use backend::editions::PreviewSection;
use domain::manual::section::SectionKind;
use std::io::{Read, Write};

pub fn run(memory_mb: u64) -> anyhow::Result<()> {
    limit_memory(memory_mb)?;
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .context("lecture de la demande")?;
    let job: backend::pdf::RenderJob =
        serde_json::from_slice(&input).context("demande de rendu illisible")?;
    let pdf = backend::pdf::Renderer::InProcess
        .render(job)
        .map_err(|e| anyhow::anyhow!("rendu impossible : {e}"))?;
    std::io::stdout()
        .write_all(&pdf)
        .context("écriture du PDF")?;
    Ok(())
}

/// `cedre manuel apercu FICHIER.md -o SORTIE.pdf`: one Markdown file as a section of an edition
/// (or a JSON file: several sections of any kind); `data` also writes the template's data,
/// `renders` times that many renders in this process.
pub fn preview(
    input: &std::path::Path,
    output: &std::path::Path,
    data_file: Option<&std::path::Path>,
    renders: u32,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(input)
        .with_context(|| format!("lecture de {}", input.display()))?;
    let sections: Vec<PreviewSection> = if input.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text)
            .context("sections illisibles (une liste de {\"titre\", \"type\", \"corps\"})")?
    } else {
        vec![PreviewSection {
            titre: input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            r#type: SectionKind::Libre.code().to_string(),
            corps: text,
        }]
    };
    let today = domain::time::today();
    let data =
        backend::editions::preview_data(&sections, today).map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(path) = data_file {
        std::fs::write(path, data.to_string())
            .with_context(|| format!("écriture de {}", path.display()))?;
    }
    let render = |data: serde_json::Value| -> anyhow::Result<(Vec<u8>, f64)> {
        let started = std::time::Instant::now();
        let job = backend::pdf::RenderJob {
            template: backend::pdf::Template::Manual,
            date: today,
            data,
            images: Vec::new(),
        };
        let pdf = backend::pdf::Renderer::InProcess
            .render(job)
            .map_err(|e| anyhow::anyhow!("rendu impossible : {e}"))?;
        Ok((pdf, started.elapsed().as_secs_f64() * 1000.0))
    };
    let (pdf, first) = render(data.clone())?;
    if renders > 1 {
        // Typst memoizes what it laid out: the same content again costs little, so the other
        // renders change every heading, as a new edition would.
        let mut same = Vec::new();
        let mut changed = Vec::new();
        for i in 1..renders {
            same.push(render(data.clone())?.1);
            let revised: Vec<PreviewSection> = sections
                .iter()
                .map(|s| PreviewSection {
                    titre: format!("{} (révision {i})", s.titre),
                    ..s.clone()
                })
                .collect();
            let revised = backend::editions::preview_data(&revised, today)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            changed.push(render(revised)?.1);
        }
        let median = |mut times: Vec<f64>| {
            times.sort_by(f64::total_cmp);
            times[times.len() / 2]
        };
        println!(
            "rendus : premier {first:.0} ms (polices lues) ; ensuite, médianes sur {} rendus : même contenu {:.0} ms, titres changés {:.0} ms",
            renders - 1,
            median(same),
            median(changed)
        );
    }
    std::fs::write(output, &pdf).with_context(|| format!("écriture de {}", output.display()))?;
    println!("{} : {} octets.", output.display(), pdf.len());
    Ok(())
}

fn limit_memory(memory_mb: u64) -> anyhow::Result<()> {
    let bytes = memory_mb.saturating_mul(1024 * 1024) as libc::rlim_t;
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: bytes,
    };
    // SAFETY: setrlimit reads the struct passed by reference and changes only this process.
    let done = unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    anyhow::ensure!(
        done == 0,
        "limite de mémoire refusée : {}",
        std::io::Error::last_os_error()
    );
    Ok(())
}

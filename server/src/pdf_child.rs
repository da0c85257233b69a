//! `cedre pdf-enfant`: renders one PDF of the manual in a process of its own, for the server
//! (`backend::pdf::Renderer::ChildProcess`). It limits its own address space first, so that a
//! render that grows past the limit fails here instead of taking memory from the server; the
//! server kills it past its delay.

use anyhow::Context;
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
        .manual(job.data, job.date)
        .map_err(|e| anyhow::anyhow!("rendu impossible : {e}"))?;
    std::io::stdout()
        .write_all(&pdf)
        .context("écriture du PDF")?;
    Ok(())
}

/// `cedre manuel apercu FICHIER.md -o SORTIE.pdf`: one Markdown file as a section of an edition;
/// `data` also writes the template's data, `renders` times that many renders in this process.
pub fn preview(
    markdown: &std::path::Path,
    output: &std::path::Path,
    data_file: Option<&std::path::Path>,
    renders: u32,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(markdown)
        .with_context(|| format!("lecture de {}", markdown.display()))?;
    let title = markdown
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let today = domain::time::today();
    let data = backend::editions::preview_data(&title, &text, today);
    if let Some(path) = data_file {
        std::fs::write(path, data.to_string())
            .with_context(|| format!("écriture de {}", path.display()))?;
    }
    let mut times = Vec::new();
    let mut pdf = Vec::new();
    for _ in 0..renders.max(1) {
        let started = std::time::Instant::now();
        pdf = backend::pdf::Renderer::InProcess
            .manual(data.clone(), today)
            .map_err(|e| anyhow::anyhow!("rendu impossible : {e}"))?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    if times.len() > 1 {
        let mut warm = times[1..].to_vec();
        warm.sort_by(f64::total_cmp);
        println!(
            "rendus : premier {:.0} ms (polices lues), puis médiane {:.0} ms, min {:.0} ms, max {:.0} ms ({} rendus)",
            times[0],
            warm[warm.len() / 2],
            warm[0],
            warm[warm.len() - 1],
            warm.len()
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

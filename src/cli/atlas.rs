//! `phare atlas`: one map per région or per département in one run, with an index page.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use phare::atlas::{self, Atlas, Breaks, Format, Per};
use phare::values::Source;
use phare::{Error, Level};

use super::common::print_warnings;
use super::map::MapOptions;

/// Options of `phare atlas`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Pages are named <code>-<name without accents>.<format>
(84-auvergne-rhone-alpes.png); index.html, index.md and atlas.json list them. By default
every région (or département) gets a page, the five overseas ones included; --metropolitan
keeps the 13 régions (96 départements) of the mainland. A page that fails is reported and
the others are still written; the exit code then says the atlas is incomplete. Pages that
the previous atlas in the folder listed (its atlas.json) and this run does not draw are
removed, and said so; files phare did not list are never touched.

Examples:
  phare atlas --per region --level commune --value density -o output/atlas
  phare atlas --per region --level departement --value q4:oui --classes-across local
  phare atlas --per region --value density --breaks 0,20,50,100,500,30000 --palette -RdBu
  phare atlas --per departement --metropolitan --value population --format svg")]
pub struct Args {
    #[command(flatten)]
    map: MapOptions,
    /// One page per région or per département.
    #[arg(long, value_enum, default_value_t = Per::Region)]
    per: Per,
    /// Classes shared by all pages (colours compare between maps) or local to each page
    /// (--breaks gives manual bounds, as in `phare map`).
    #[arg(long, value_name = "SCOPE", value_enum, default_value_t = Breaks::Shared)]
    classes_across: Breaks,
    /// Metropolitan pages only (13 régions, 96 départements).
    #[arg(long)]
    metropolitan: bool,
    /// Only these pages, by code (repeat or comma-separate): --only 84,93 redraws two pages
    /// with the classes of the whole atlas and leaves the index as it is.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    only: Vec<String>,
    /// Page format.
    #[arg(long, value_enum, default_value_t = Format::Png)]
    format: Format,
    /// Output folder.
    #[arg(short, long, value_name = "DIR", default_value = "output/atlas")]
    output: PathBuf,
}

/// Runs `phare atlas`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let index = ["index.md", "index.html", "atlas.json"].map(|f| a.output.join(f));
    super::common::refuse_overwrite(a.map.input_files(), index.iter().map(|f| Some(f.as_path())))?;
    let style = a.map.style()?;
    let size = a.map.page_size(&style)?;
    // Survey answers are sparse: départements of each région, communes of each département.
    let source = a.map.source()?;
    let level = a.map.level.unwrap_or(match (&source, a.per) {
        (Source::Survey(_), Per::Region) => Level::Departement,
        _ => Level::Commune,
    });
    atlas::check_level(a.per, level)?;
    if a.output.is_file() {
        return Err(Error::usage(format!("{} is a file", a.output.display()))
            .hint("-o names the folder the pages go to, e.g. -o output/atlas")
            .into());
    }
    let b = a.map.boundaries.load(true)?;
    let mut data_warnings = Vec::new();
    let data = a.map.map_data(&b, level, &source, &mut data_warnings)?;
    let all = atlas::pages(&b, a.per, a.metropolitan);
    if let Some(code) = a.only.iter().find(|c| !all.iter().any(|p| p.code == **c)) {
        return Err(Error::usage(format!("no page with code '{code}'"))
            .hint("give région codes (11, 84, 04...) or, with --per departement, département codes (69, 2A, 974...)")
            .into());
    }
    let pages: Vec<atlas::Page> = all
        .iter()
        .filter(|p| a.only.is_empty() || a.only.contains(&p.code))
        .cloned()
        .collect();
    if pages.is_empty() {
        return Err(Error::input(
            &b.regions.source,
            "no région or département to make pages of",
        )
        .hint("check --regions and --departements")
        .into());
    }
    let atlas = Atlas {
        boundaries: &b,
        data: &data,
        style: &style,
        spec: a.map.spec(&style, level, size),
        breaks: a.classes_across,
        format: a.format,
        dir: a.output.clone(),
        keep_scenes: false,
    };
    let tty = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if tty {
            let bar = 30 * done / total.max(1);
            eprint!(
                "\ratlas [{}{}] {done}/{total} pages",
                "#".repeat(bar),
                " ".repeat(30 - bar)
            );
        }
    };
    // Read before the new index replaces it: the pages the last run wrote here.
    let previous = if a.only.is_empty() {
        atlas::previous_pages(&a.output).unwrap_or_else(|e| {
            eprintln!("warning: {e:#}; pages of an earlier run may remain in the folder");
            Vec::new()
        })
    } else {
        Vec::new()
    };
    let mut results = atlas.draw(&pages, &all, &progress)?;
    if tty {
        eprintln!();
    }
    for prov in results.iter_mut().filter_map(|r| r.outcome.as_mut().ok()) {
        prov.warnings.splice(0..0, data_warnings.iter().cloned());
    }
    print_page_warnings(&results, &data_warnings);
    let title = atlas.spec.title.clone().unwrap_or(data.title.clone());
    // Redrawing a few pages keeps the index of the whole atlas.
    if a.only.is_empty() {
        atlas::write_index(&a.output, &title, a.classes_across, &results)?;
        let removed = atlas::remove_stale_pages(&a.output, &previous, &results)?;
        if let Some(first) = removed.first() {
            eprintln!(
                "removed {} page(s) of the previous atlas in {} that this run does not draw ({first}{})",
                removed.len(),
                a.output.display(),
                if removed.len() > 1 { ", ..." } else { "" }
            );
        }
    }
    let failed: Vec<(&atlas::PageResult, &Error)> = results
        .iter()
        .filter_map(|r| r.outcome.as_ref().err().map(|e| (r, e)))
        .collect();
    for (r, e) in &failed {
        eprintln!("error: page {} {}: {e}", r.page.code, r.page.name);
    }
    eprintln!(
        "wrote {} of {} pages to {}{}",
        results.len() - failed.len(),
        results.len(),
        a.output.display(),
        if a.only.is_empty() {
            " (index.html, index.md, atlas.json)"
        } else {
            ""
        }
    );
    let Some((_, first)) = failed.first() else {
        return Ok(());
    };
    let list: Vec<String> = failed
        .iter()
        .map(|(r, _)| format!("{} {}", r.page.code, r.page.name))
        .collect();
    Err(Error {
        kind: first.kind,
        path: Some(a.output.clone()),
        location: None,
        message: format!(
            "{} of {} pages failed: {}",
            failed.len(),
            results.len(),
            list.join(", ")
        ),
        hint: Some("see the errors above; the other pages were written".into()),
        setting: None,
    }
    .into())
}

/// Prints the pages' warnings on stderr: those every page shares (the data's, the shared
/// classes') once, the others prefixed with their page; the data's alone when no page was
/// drawn.
fn print_page_warnings(results: &[atlas::PageResult], data_warnings: &[String]) {
    let provs: Vec<(&atlas::Page, &phare::compose::map::Provenance)> = results
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().map(|p| (&r.page, p)))
        .collect();
    let Some((_, first)) = provs.first() else {
        print_warnings(data_warnings);
        return;
    };
    let common: Vec<String> = first
        .warnings
        .iter()
        .filter(|w| provs.iter().all(|(_, p)| p.warnings.contains(w)))
        .cloned()
        .collect();
    print_warnings(&common);
    for (page, prov) in &provs {
        let own: Vec<String> = prov
            .warnings
            .iter()
            .filter(|w| !common.contains(w))
            .map(|w| format!("page {} {}: {w}", page.code, page.name))
            .collect();
        print_warnings(&own);
    }
}

//! Atlases: the same map drawn once per région or per département, in one run, for reports
//! that need « one figure per région ».
//!
//! Every page is a [`map::build_scene`] of one extent ([`Within`]); pages are drawn on all
//! cores and written through [`crate::output`], each under a stable name built from its code
//! and its name without accents (`84-auvergne-rhone-alpes.png`). Classes are either shared
//! by all pages ([`Breaks::Shared`]: one classification over the territories of every page,
//! so that a colour means the same value on every map) or computed per page
//! ([`Breaks::Local`]). A page that fails is reported in its [`PageResult`] and the others
//! are still written. [`write_index`] writes `index.md`, `index.html` (every map with its
//! title) and `atlas.json` (each page's provenance).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::boundaries::Boundaries;
use crate::classify::Classification;
use crate::compose::map::{self, MapSpec, Provenance, Within};
use crate::compose::multiples;
use crate::render::scene::Scene;
use crate::style::Style;
use crate::territory::is_overseas_departement;
use crate::values::MapData;
use crate::{Error, Level, Result, Territory};

/// Output formats of a map, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Raster, tiny-skia.
    Png,
    /// Vector, one `<path>` per territory.
    Svg,
    /// Vector, searchable text.
    Pdf,
}

impl Format {
    /// The format of an output file, from its extension.
    pub fn of(path: &Path) -> Result<Format> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("png") => Ok(Format::Png),
            Some("svg") => Ok(Format::Svg),
            Some("pdf") => Ok(Format::Pdf),
            _ => Err(
                Error::usage(format!("cannot tell the format of '{}'", path.display()))
                    .hint("end the output name with .png, .svg or .pdf"),
            ),
        }
    }

    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
        }
    }

    /// Draws `scene` into `path`, atomically, as it is encoded; `dpi` (scene px per inch)
    /// sets a PDF's physical size and a PNG's recorded resolution (pHYs).
    pub fn write(self, scene: &Scene, dpi: f32, path: &Path) -> Result<()> {
        crate::output::write_encoded(path, |out| match self {
            Format::Png => crate::render::raster::render_png_to(scene, 1.0, dpi, out),
            Format::Svg => crate::render::svg::write_svg(scene, out)
                .map_err(|e| Error::output(path, e.to_string())),
            Format::Pdf => out
                .write_all(&crate::render::pdf::render_pdf(scene, dpi)?)
                .map_err(|e| Error::output(path, e.to_string())),
        })
    }
}

/// What each page of an atlas covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    /// One page per région.
    Region,
    /// One page per département.
    Departement,
}

/// Whether the pages of an atlas share their classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Breaks {
    /// One classification over the territories of all pages: maps compare.
    Shared,
    /// Each page classified on its own territories: detail within each page.
    Local,
}

/// One page of an atlas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// Code of the région or département.
    pub code: String,
    /// Its name.
    pub name: String,
    /// File name without extension: code and slug, `84-auvergne-rhone-alpes`.
    pub stem: String,
    /// The extent drawn.
    #[serde(skip)]
    pub within: Within,
}

/// A name as it goes into a file name: lower case, no accents, words joined by hyphens
/// (`Provence-Alpes-Côte d'Azur` → `provence-alpes-cote-d-azur`).
pub fn slug(name: &str) -> String {
    crate::names::normalise_name(name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// True for the overseas régions and départements (codes 01-06 and 971-976).
fn is_overseas(t: &Territory) -> bool {
    match t.level {
        Level::Region => t.code.len() == 2 && t.code.as_str() < "10",
        _ => is_overseas_departement(&t.code),
    }
}

/// The pages of an atlas, in code order: every région (or département) of the boundaries,
/// the overseas ones included unless `metropolitan`.
pub fn pages(b: &Boundaries, per: Per, metropolitan: bool) -> Vec<Page> {
    let layer = match per {
        Per::Region => &b.regions,
        Per::Departement => &b.departements,
    };
    let mut out: Vec<Page> = layer
        .territories
        .iter()
        .filter(|t| !(metropolitan && is_overseas(t)))
        .map(|t| Page {
            code: t.code.clone(),
            name: t.name.clone(),
            stem: format!("{}-{}", t.code.to_ascii_lowercase(), slug(&t.name)),
            within: match per {
                Per::Region => Within::Region(t.code.clone()),
                Per::Departement => Within::Departement(t.code.clone()),
            },
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

/// Checks that `level` lies below the pages: communes or départements of each région,
/// communes of each département.
pub fn check_level(per: Per, level: Level) -> Result<()> {
    let ok = match per {
        Per::Region => level != Level::Region,
        Per::Departement => level == Level::Commune,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "an atlas per {} cannot map {}s",
            match per {
                Per::Region => "région",
                Per::Departement => "département",
            },
            level.as_str()
        ))
        .hint("map a lower level: communes or départements on pages per région, communes on pages per département")
        .about(crate::Setting::AtlasLevels))
    }
}

/// Everything an atlas draws, but the pages.
#[derive(Debug, Clone)]
pub struct Atlas<'a> {
    /// Boundaries.
    pub boundaries: &'a Boundaries,
    /// Values of the whole country at `spec.level`.
    pub data: &'a MapData,
    /// Style.
    pub style: &'a Style,
    /// Page specification; `within` is set per page, `subtitle` defaults per page.
    pub spec: MapSpec,
    /// Shared or local classes.
    pub breaks: Breaks,
    /// Page format.
    pub format: Format,
    /// Folder the pages go to.
    pub dir: PathBuf,
    /// Keep each page's scene in its result (for a multi-page document).
    pub keep_scenes: bool,
}

/// What became of one page.
#[derive(Debug)]
pub struct PageResult {
    /// The page.
    pub page: Page,
    /// Its file.
    pub file: PathBuf,
    /// Its provenance, or why it failed.
    pub outcome: Result<Provenance>,
    /// Its scene, when asked for.
    pub scene: Option<Scene>,
}

/// Where a territory of the mapped level lies, for the pages' extents.
fn in_page(t: &Territory, w: &Within) -> bool {
    match w {
        Within::Region(r) => t.region.as_deref() == Some(r.as_str()),
        Within::Departement(d) => t.departement.as_deref() == Some(d.as_str()),
    }
}

impl Atlas<'_> {
    /// The classes every page uses with [`Breaks::Shared`]: one classification of the
    /// values of all the pages' territories, whose method and breaks each page states; None
    /// with [`Breaks::Local`] (or without any value).
    pub fn shared_classes(&self, pages: &[Page]) -> Result<Option<Classification>> {
        if self.breaks == Breaks::Local {
            return Ok(None);
        }
        let layer = self.boundaries.layer(self.spec.level);
        let values: Vec<f64> = layer
            .territories
            .iter()
            .filter(|t| pages.iter().any(|p| in_page(t, &p.within)))
            .filter_map(|t| self.data.values.get(&t.code))
            .filter(|d| !d.insufficient)
            .filter_map(|d| d.value)
            .collect();
        multiples::shared_classes(&values, self.style, &self.spec)
    }

    /// Draws and writes `pages` on all cores, shared classes computed over the pages of
    /// `atlas` (all of them, when only a few are redrawn); `done(finished, total)` is called
    /// as each page ends (for a progress bar). Errors of one page stay in its result.
    pub fn draw(
        &self,
        pages: &[Page],
        atlas: &[Page],
        done: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Vec<PageResult>> {
        let shared = self.shared_classes(atlas)?;
        let finished = std::sync::atomic::AtomicUsize::new(0);
        let dpi = self.spec.resolved_px_per_pt(self.style) * 72.0;
        Ok(pages
            .par_iter()
            .map(|page| {
                let file = self
                    .dir
                    .join(format!("{}.{}", page.stem, self.format.extension()));
                let mut spec = self.spec.clone();
                spec.within = Some(page.within.clone());
                spec.classification = shared.clone();
                if spec.subtitle.is_none() {
                    spec.subtitle = Some(self.subtitle(page));
                }
                let drawn = map::build_scene(self.boundaries, self.data, self.style, &spec)
                    .and_then(|(scene, prov)| {
                        self.format.write(&scene, dpi, &file)?;
                        Ok((scene, prov))
                    });
                let n = finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                done(n, pages.len());
                let (outcome, scene) = match drawn {
                    Ok((scene, mut prov)) => {
                        // The shared classes' warnings hold for every page drawn with them.
                        let shared_warnings = shared.iter().flat_map(|c| &c.warnings);
                        prov.warnings.splice(
                            0..0,
                            shared_warnings.map(|w| format!("classes shared by the atlas: {w}")),
                        );
                        (Ok(prov), self.keep_scenes.then_some(scene))
                    }
                    Err(e) => (Err(e), None),
                };
                PageResult {
                    page: page.clone(),
                    file,
                    outcome,
                    scene,
                }
            })
            .collect())
    }

    /// `Par commune, Auvergne-Rhône-Alpes`, saying when the classes are the atlas's.
    fn subtitle(&self, page: &Page) -> String {
        let by = match self.spec.level {
            Level::Commune => "Par commune",
            Level::Departement => "Par département",
            Level::Region => "Par région",
        };
        let place = match page.within {
            Within::Region(_) => page.name.clone(),
            Within::Departement(_) => format!("{} ({})", page.name, page.code),
        };
        let method = self.spec.method.as_ref().unwrap_or(&self.style.method);
        match self.breaks {
            Breaks::Shared => format!(
                "{by}, {place} ; classes ({}) communes à toutes les cartes",
                method.name_fr()
            ),
            Breaks::Local => format!("{by}, {place}"),
        }
    }
}

/// One page in `atlas.json`.
#[derive(Debug, Serialize)]
struct IndexEntry<'a> {
    #[serde(flatten)]
    page: &'a Page,
    file: String,
    error: Option<String>,
    provenance: Option<&'a Provenance>,
}

/// Writes `index.md`, `index.html` and `atlas.json` in `dir`: every page with its title
/// (and its error, for a page that failed). `title` heads the index.
pub fn write_index(dir: &Path, title: &str, breaks: Breaks, results: &[PageResult]) -> Result<()> {
    let name = |r: &PageResult| {
        r.file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let classes = match breaks {
        Breaks::Shared => {
            "mêmes classes sur toutes les cartes : les couleurs se comparent d'une carte à l'autre"
        }
        Breaks::Local => {
            "classes propres à chaque carte : les couleurs ne se comparent pas d'une carte à l'autre"
        }
    };
    let mut md = format!("# {title}\n\n{} cartes, {classes}.\n", results.len());
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n\
         <style>body{{font-family:sans-serif;margin:2em}}figure{{display:inline-block;width:30em;margin:0 1em 2em 0;vertical-align:top}}\
         img{{width:100%;border:1px solid #ccc}}.error{{color:#b2182b}}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p>{} cartes, {}.</p>\n",
        results.len(),
        html_escape(classes),
        t = html_escape(title)
    );
    for r in results {
        let heading = format!("{} {}", r.page.code, r.page.name);
        let file = name(r);
        // Browsers show PNG and SVG inline; a PDF page is linked.
        let pdf = file.ends_with(".pdf");
        match &r.outcome {
            Ok(prov) => {
                let alt = format!("{} — {}", prov.title, r.page.name);
                let (code, f, h) = (
                    html_escape(&r.page.code),
                    html_escape(&file),
                    html_escape(&heading),
                );
                let (image, body) = if pdf {
                    (
                        "",
                        format!("<figcaption><a href=\"{f}\">{h}</a></figcaption>"),
                    )
                } else {
                    (
                        "!",
                        format!(
                            "<a href=\"{f}\"><img src=\"{f}\" alt=\"{}\"></a><figcaption>{h}</figcaption>",
                            html_escape(&alt)
                        ),
                    )
                };
                let _ = write!(md, "\n## {heading}\n\n{image}[{alt}]({file})\n");
                let _ = writeln!(html, "<figure id=\"p{code}\">{body}</figure>");
            }
            Err(e) => {
                let _ = write!(md, "\n## {heading}\n\nÉchec : {e}\n");
                let _ = writeln!(
                    html,
                    "<figure id=\"p{}\"><figcaption>{}</figcaption><p class=\"error\">Échec : {}</p></figure>",
                    html_escape(&r.page.code),
                    html_escape(&heading),
                    html_escape(&e.to_string())
                );
            }
        }
    }
    html.push_str("</body>\n</html>\n");
    let entries: Vec<IndexEntry> = results
        .iter()
        .map(|r| IndexEntry {
            page: &r.page,
            file: name(r),
            error: r.outcome.as_ref().err().map(|e| e.to_string()),
            provenance: r.outcome.as_ref().ok(),
        })
        .collect();
    let json = serde_json::to_string_pretty(&entries)
        .map_err(|e| Error::output(dir.join("atlas.json"), e.to_string()))?;
    crate::output::write_bytes(&dir.join("index.md"), md.as_bytes())?;
    crate::output::write_bytes(&dir.join("index.html"), html.as_bytes())?;
    crate::output::write_bytes(&dir.join("atlas.json"), format!("{json}\n").as_bytes())
}

/// The page files that the previous atlas in `dir` listed in its `atlas.json`: none when the
/// folder has no index. Only plain page names (`84-auvergne-rhone-alpes.png`, no folder, a
/// page format's extension) are taken, so that a hand-edited index cannot point elsewhere.
pub fn previous_pages(dir: &Path) -> Result<Vec<String>> {
    let index = dir.join("atlas.json");
    let text = match std::fs::read_to_string(&index) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::read(&index, e)),
    };
    #[derive(serde::Deserialize)]
    struct Listed {
        file: String,
    }
    let listed: Vec<Listed> = serde_json::from_str(&text).map_err(|e| {
        Error::input(&index, format!("not an atlas index: {e}"))
            .hint("remove the folder's old pages by hand, or write the atlas to a new folder")
    })?;
    Ok(listed
        .into_iter()
        .map(|l| l.file)
        .filter(|f| {
            let name = Path::new(f);
            name.file_name() == Some(name.as_os_str())
                && !f.starts_with('.')
                && Format::of(name).is_ok()
        })
        .collect())
}

/// Removes from `dir` the `previous` pages (see [`previous_pages`]) that this run's `results`
/// do not write again, so that the folder holds only what its new index lists. Returns the
/// names removed.
pub fn remove_stale_pages(
    dir: &Path,
    previous: &[String],
    results: &[PageResult],
) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    for name in previous {
        let path = dir.join(name);
        if results.iter().any(|r| r.file == path) || !path.is_file() {
            continue;
        }
        std::fs::remove_file(&path).map_err(|e| {
            Error::output(
                &path,
                format!("cannot remove this page of the previous atlas: {e}"),
            )
            .hint("remove it by hand: the new index does not list it")
        })?;
        removed.push(name.clone());
    }
    Ok(removed)
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::render::svg::escape(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_have_no_accents_nor_punctuation() {
        assert_eq!(slug("Auvergne-Rhône-Alpes"), "auvergne-rhone-alpes");
        assert_eq!(
            slug("Provence-Alpes-Côte d'Azur"),
            "provence-alpes-cote-d-azur"
        );
        assert_eq!(slug("Île-de-France"), "ile-de-france");
        assert_eq!(slug("La Réunion"), "la-reunion");
    }

    #[test]
    fn levels_below_the_pages_only() {
        assert!(check_level(Per::Region, Level::Commune).is_ok());
        assert!(check_level(Per::Region, Level::Departement).is_ok());
        assert!(check_level(Per::Region, Level::Region).is_err());
        assert!(check_level(Per::Departement, Level::Departement).is_err());
    }
}

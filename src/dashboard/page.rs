//! The HTML page: static frame, maps in `<template>`s (one level in the document at a time,
//! since région and département codes overlap), the data as JSON, phare's own style sheet and
//! script. Nothing is fetched: the file opens from disk, offline.

use super::{Dashboard, MapSvg};
use crate::render::svg::escape;
use crate::{Error, Result};

const SCRIPT: &str = include_str!("dashboard.js");
const STYLE: &str = include_str!("dashboard.css");
/// The static frame; the script fills the menus, legend, panel and table from the data.
const BODY: &str = include_str!("body.html");

/// The whole page.
pub fn page(d: &Dashboard, maps: &[MapSvg]) -> Result<String> {
    let json = serde_json::to_string(d)
        .map_err(|e| Error::output("dashboard.html", format!("cannot encode the data: {e}")))?;
    // `<` only occurs inside JSON strings, where \u003c reads the same: no `</script>` or
    // `<!--` can end the data block early.
    let json = json.replace('<', "\\u003c");
    let size: usize = maps.iter().map(|m| m.svg.len()).sum();
    let mut out = String::with_capacity(json.len() + size + SCRIPT.len() + STYLE.len() + 8192);
    out.push_str("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"phare dashboard\">\n<title>");
    escape(&mut out, &d.title);
    out.push_str("</title>\n<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    out.push_str(BODY);
    for m in maps {
        out.push_str(&format!("<template id=\"map-{}\">", m.level.as_str()));
        out.push_str(&m.svg);
        out.push_str("</template>\n");
    }
    out.push_str("<script type=\"application/json\" id=\"phare-data\">");
    out.push_str(&json);
    out.push_str("</script>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    Ok(out)
}

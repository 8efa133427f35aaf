//! The terminal view of a [`Profile`]: aligned French text, one section per part of the fiche.

use std::fmt::Write as _;

use super::{Place, Profile, Score};
use crate::aggregate::Flag;
use crate::format::{NBSP, fr_number};
use crate::lookup::Match;
use crate::survey::Actor;
use crate::survey::{ANSWER_LABELS, DOMAINS};

const BANNER: &str =
    "DONNÉES SIMULÉES : échantillon synthétique (synthetic=true), pas des réponses réelles";

/// « Rhône (69) ».
pub fn place_label(p: &Place) -> String {
    if p.level == "france" {
        p.name.clone()
    } else {
        format!("{} ({})", p.name, p.code)
    }
}

/// Plural French name of the respondents: « maires », « citoyens »...
pub fn actors_label(profile: &Profile) -> String {
    profile.survey.actor.plural().to_string()
}

/// A gap in points (percentage points for shares), signed, with `*` when significant and
/// `°` when the sample is too small.
pub fn gap_text(s: &Score) -> String {
    let Some(g) = s.gap else {
        return String::new();
    };
    let g = if g.abs() < 0.05 { 0.0 } else { g };
    let mut out = format!("{}{}", if g > 0.0 { "+" } else { "" }, fr_number(g, 1));
    if s.gap_significant == Some(true) {
        out.push_str(" *");
    }
    if s.flag == Flag::Insufficient {
        out.push_str(" °");
    }
    out
}

/// Value and interval of an estimate: means as is, shares (scale 100) in percent.
pub fn value_text(s: &Score, percent: bool) -> (String, String) {
    let scale = if percent { 100.0 } else { 1.0 };
    let unit = if percent {
        format!("{NBSP}%")
    } else {
        String::new()
    };
    let value = s.value.map_or_else(
        || "—".to_string(),
        |v| format!("{}{unit}", fr_number(v * scale, 1)),
    );
    let ci = match (s.ci_low, s.ci_high) {
        (Some(l), Some(h)) => format!(
            "[{} ; {}]",
            fr_number(l * scale, 1),
            fr_number(h * scale, 1)
        ),
        _ => String::new(),
    };
    (value, ci)
}

/// Cells aligned in columns: text columns left, numbers right (`right[i]`).
fn grid(rows: &[Vec<String>], right: &[bool]) -> (Vec<String>, Vec<usize>) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let lines = rows
        .iter()
        .map(|r| {
            let mut s = String::new();
            for (i, cell) in r.iter().enumerate() {
                let pad = " ".repeat(width[i] - cell.chars().count());
                if right.get(i).copied().unwrap_or(false) {
                    s.push_str(&pad);
                    s.push_str(cell);
                } else {
                    s.push_str(cell);
                    s.push_str(&pad);
                }
                s.push_str("  ");
            }
            s.trim_end().to_string()
        })
        .collect();
    (lines, width)
}

/// A header line placing each group's title over its first column.
fn group_header(first: &str, groups: &[String], width: &[usize], per_group: usize) -> String {
    let mut s = format!(
        "{first}{}",
        " ".repeat(width[0] - first.chars().count() + 2)
    );
    for (g, title) in groups.iter().enumerate() {
        let span: usize = width[1 + g * per_group..1 + (g + 1) * per_group]
            .iter()
            .map(|w| w + 2)
            .sum();
        let t: String = title.chars().take(span.saturating_sub(2)).collect();
        s.push_str(&t);
        s.push_str(&" ".repeat(span - t.chars().count()));
    }
    s.trim_end().to_string()
}

/// The whole terminal view.
pub fn render(p: &Profile) -> String {
    let mut out = String::new();
    let banner = format!(
        "{0}\n  {BANNER}\n{0}\n",
        "=".repeat(BANNER.chars().count() + 4)
    );
    if p.survey.synthetic {
        out.push_str(&banner);
    }
    identity(&mut out, p);
    own_answers(&mut out, p);
    domains(&mut out, p);
    priorities(&mut out, p);
    q4(&mut out, p);
    indicators(&mut out, p);
    let _ = writeln!(
        out,
        "\nSource : {} ({} {} répondants placés dans une commune).\n\
         Moyennes et parts pondérées ; IC 95 % : Student (moyennes) ou Wilson (parts) sur n eff. (Kish).\n\
         écart : territoire − France, en points ; * = significatif à 95 % (territoire contre le reste de la France) ;\n\
         ° = échantillon insuffisant (n eff. < {}) : à ne pas interpréter seul ; — = aucun répondant.",
        p.survey.source,
        p.survey.respondents,
        actors_label(p),
        p.survey.min_n
    );
    if p.survey.synthetic {
        out.push_str(&banner);
    }
    out
}

fn identity(out: &mut String, p: &Profile) {
    let id = &p.identity;
    let kind = match id.territory.level {
        "commune" => "commune",
        "departement" => "département",
        _ => "région",
    };
    let _ = writeln!(out, "\n{} — {kind}", place_label(&id.territory));
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |k: &str, v: String| rows.push(vec![format!("  {k}"), v]);
    if let Some(d) = &id.departement {
        row("département", format!("{} {}", d.code, d.name));
    }
    if let Some(r) = &id.region {
        row("région", format!("{} {}", r.code, r.name));
    }
    if let Some(e) = &id.epci {
        row("EPCI (SIREN)", e.clone());
    }
    if let Some(n) = id.communes {
        row("communes", fr_number(n as f64, 0));
    }
    if let Some(pop) = id.population {
        row(
            "population",
            format!("{}{NBSP}hab.", fr_number(pop as f64, 0)),
        );
    }
    if let Some(a) = id.area_km2 {
        row("superficie", format!("{}{NBSP}km²", fr_number(a, 1)));
    }
    if let Some(d) = id.density {
        row("densité", format!("{}{NBSP}hab./km²", fr_number(d, 1)));
    }
    if let Some(s) = id.size_stratum {
        row("strate", format!("{}{NBSP}hab.", s.label()));
    }
    if let Some(m) = &id.matched
        && let Some(how) = match_text(m)
    {
        row("trouvée par", how);
    }
    for l in grid(&rows, &[false, false]).0 {
        let _ = writeln!(out, "{l}");
    }
}

/// How a query reached its commune, when it was not the plain code.
pub fn match_text(m: &Match) -> Option<String> {
    match m {
        Match::Code | Match::Name | Match::Point { .. } => None,
        Match::LeadingZero { given } => Some(format!("code {given} (zéro initial rétabli)")),
        Match::Arrondissement { arrondissement } => {
            Some(format!("arrondissement municipal {arrondissement}"))
        }
        Match::FormerCode {
            former,
            former_name,
            year,
        } => Some(format!(
            "ancien code {former}{}{}",
            former_name
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default(),
            year.map(|y| format!(", fusionnée au 1er janvier {y}"))
                .unwrap_or_default()
        )),
    }
}

/// « de Lyon », « d'Ajaccio », « du Havre », « des Mureaux ».
pub fn of_name(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Le ") {
        format!("du {rest}")
    } else if let Some(rest) = name.strip_prefix("Les ") {
        format!("des {rest}")
    } else if name.starts_with(|c: char| "AEIOUYÂÀÉÈÊÎÏÔŒaeiouy".contains(c)) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// Respondents of a commune listed one by one; more are summed up.
const LISTED: usize = 3;

/// One sentence per respondent of the commune, a summary when there are more than
/// [`LISTED`], or why there is none.
pub fn own_answer_lines(p: &Profile) -> Vec<String> {
    let Some(own) = &p.own_answers else {
        return Vec::new();
    };
    let actor = p.survey.actor;
    let name = &p.identity.territory.name;
    if own.is_empty() {
        return vec![format!(
            "{} {} n'a répondu à l'enquête : ses valeurs ci-dessous sont celles de son département, de sa région et de la France.",
            capitalised(actor.none()),
            of_name(name)
        )];
    }
    let strongest = |scores: &[Option<f64>], decimals: usize| {
        let mut scored: Vec<(usize, f64)> = scores
            .iter()
            .enumerate()
            .filter_map(|(d, s)| s.map(|s| (d, s)))
            .collect();
        scored.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        scored
            .iter()
            .take(3)
            .map(|(d, s)| format!("{} ({}/10)", DOMAINS[*d].1, fr_number(*s, decimals)))
            .collect::<Vec<_>>()
            .join(" ; ")
    };
    if own.len() > LISTED {
        let means: Vec<Option<f64>> = super::own_means(own).into_iter().map(|(m, _)| m).collect();
        let answered: Vec<u8> = own
            .iter()
            .filter_map(|a| a.q_innovation.as_ref().map(|i| i.code))
            .filter(|&c| c != 9)
            .collect();
        let yes = answered.iter().filter(|&&c| c <= 2).count();
        return vec![format!(
            "{} {} de la commune ont répondu : innovation « oui » pour {yes} sur {} ; fragilités les plus fortes en moyenne : {}.",
            own.len(),
            actor.plural(),
            answered.len(),
            strongest(&means, 1)
        )];
    }
    own.iter()
        .map(|a| {
            let label = |x: &Option<super::Answer>| {
                x.as_ref()
                    .map_or_else(|| "sans réponse".into(), |a| format!("« {} »", a.label))
            };
            // Q4 was asked of mayors only.
            let q4 = if actor == Actor::Maire {
                format!("Q4 {} ; ", label(&a.q4))
            } else {
                String::new()
            };
            format!(
                "{} a répondu (réponse {}) : {q4}innovation {} ; ses trois fragilités les plus fortes : {}.",
                capitalised(actor.with_article()),
                a.respondent_id,
                label(&a.q_innovation),
                strongest(&a.scores, 0)
            )
        })
        .collect()
}

/// `s` with its first letter upper-case (« Aucune », « L'entreprise »).
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn own_answers(out: &mut String, p: &Profile) {
    let lines = own_answer_lines(p);
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nRéponses de la commune");
    for l in lines {
        let _ = writeln!(out, "  {l}");
    }
    let Some(own) = p.own_answers.as_ref().filter(|o| !o.is_empty()) else {
        return;
    };
    let cell = |s: Option<f64>, dont_know: bool, decimals| match s {
        Some(s) => fr_number(s, decimals),
        None if dont_know => "NSP".into(),
        None => "—".into(),
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    if own.len() > LISTED {
        rows.push(
            ["  domaine (note /10)", "moyenne", "réponses", "NSP"]
                .map(String::from)
                .to_vec(),
        );
        for ((code, label), (mean, n)) in DOMAINS.iter().zip(super::own_means(own)) {
            let dont_know = own.iter().filter(|a| a.dont_know.contains(code)).count();
            rows.push(vec![
                format!("  {label}"),
                cell(mean, false, 1),
                n.to_string(),
                dont_know.to_string(),
            ]);
        }
    } else {
        let mut header = vec!["  domaine (note /10)".to_string()];
        header.extend(own.iter().map(|a| a.respondent_id.clone()));
        rows.push(header);
        for (d, (code, label)) in DOMAINS.iter().enumerate() {
            let mut row = vec![format!("  {label}")];
            row.extend(
                own.iter()
                    .map(|a| cell(a.scores[d], a.dont_know.contains(code), 0)),
            );
            rows.push(row);
        }
    }
    let right: Vec<bool> = (0..rows[0].len()).map(|i| i > 0).collect();
    for l in grid(&rows, &right).0 {
        let _ = writeln!(out, "{l}");
    }
}

fn domains(out: &mut String, p: &Profile) {
    let _ = writeln!(
        out,
        "\nFragilités : moyenne pondérée /10 des {}, IC 95 %, n et n eff. (Kish) ; écart à la France en points",
        actors_label(p)
    );
    let per = 5;
    let mut rows: Vec<Vec<String>> = vec![{
        let mut h = vec![String::new()];
        for _ in &p.levels {
            h.extend(["moy.", "IC 95 %", "n", "n eff.", "écart"].map(String::from));
        }
        h
    }];
    for d in &p.domains {
        let mut row = vec![d.label.to_string()];
        for s in &d.scores {
            let (v, ci) = value_text(s, false);
            row.extend([v, ci, s.n.to_string(), fr_number(s.n_eff, 0), gap_text(s)]);
        }
        rows.push(row);
    }
    let right: Vec<bool> = std::iter::once(false)
        .chain(
            p.levels
                .iter()
                .flat_map(|_| [true, true, true, true, false]),
        )
        .collect();
    let (lines, width) = grid(&rows, &right);
    let groups: Vec<String> = p.levels.iter().map(place_label).collect();
    let _ = writeln!(out, "{}", group_header("domaine", &groups, &width, per));
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
}

/// « 1. Emploi, chômage, insertion professionnelle (6,5/10) », one per priority.
pub fn priority_list(pr: &super::Priorities) -> Vec<String> {
    pr.domains
        .iter()
        .enumerate()
        .map(|(i, d)| format!("{}. {} ({}/10)", i + 1, d.label, fr_number(d.value, 1)))
        .collect()
}

fn priorities(out: &mut String, p: &Profile) {
    match &p.priorities {
        Some(pr) => {
            let list = priority_list(pr);
            let _ = writeln!(
                out,
                "\nFragilités prioritaires, lues au niveau {} (n = {}) :\n  {}",
                place_label(&pr.place),
                pr.n,
                list.join("\n  ")
            );
        }
        None => {
            let _ = writeln!(
                out,
                "\nFragilités prioritaires : aucun niveau n'a un échantillon suffisant (n eff. ≥ {}).",
                p.survey.min_n
            );
        }
    }
}

fn q4(out: &mut String, p: &Profile) {
    let _ = writeln!(
        out,
        "\nQ4 : votre territoire est-il porteur d'une dynamique de co-construction ? ({})",
        actors_label(p)
    );
    if let Some(why) = p.q4_not_asked() {
        let _ = writeln!(out, "{why}");
        return;
    }
    let mut header: Vec<String> = [
        "territoire",
        "oui (1+2)",
        "IC 95 %",
        "n",
        "n eff.",
        "NSP",
        "écart",
    ]
    .map(String::from)
    .to_vec();
    header.extend(
        ANSWER_LABELS[..4]
            .iter()
            .map(|(c, l)| format!("{c} {}", l.to_lowercase())),
    );
    let mut rows = vec![header];
    for q in &p.q4 {
        let (v, ci) = value_text(&q.oui, true);
        let mut row = vec![
            place_label(&q.oui.place),
            v,
            ci,
            q.oui.n.to_string(),
            fr_number(q.oui.n_eff, 0),
            q.oui.dont_know.to_string(),
            gap_text(&q.oui),
        ];
        row.extend(q.answers.iter().map(|a| {
            a.map_or_else(
                || "—".to_string(),
                |a| format!("{}{NBSP}%", fr_number(a * 100.0, 0)),
            )
        }));
        rows.push(row);
    }
    let right = [
        false, true, true, true, true, true, false, true, true, true, true,
    ];
    for l in grid(&rows, &right).0 {
        let _ = writeln!(out, "{l}");
    }
}

fn indicators(out: &mut String, p: &Profile) {
    if p.indicators.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nIndicateurs : rang (1 = valeur la plus élevée) / nombre de territoires, centile (part des valeurs inférieures ou égales)"
    );
    let scopes: Vec<String> = p
        .indicators
        .iter()
        .find(|i| !i.ranks.is_empty())
        .map(|i| i.ranks.iter().map(|r| place_label(&r.scope)).collect())
        .unwrap_or_default();
    let mut header: Vec<String> = vec!["fichier".into(), "colonne".into(), "valeur".into()];
    header.extend(scopes.iter().map(|s| format!("dans {s}")));
    let mut rows = vec![header];
    for i in &p.indicators {
        let value = i.value.map_or_else(
            || "—".to_string(),
            |v| {
                let d = if v.fract() == 0.0 { 0 } else { 2 };
                let stat = match i.statistic {
                    "sum" => " (somme)",
                    "median" => " (médiane)",
                    _ => "",
                };
                format!("{}{stat}", fr_number(v, d))
            },
        );
        let mut row = vec![i.source.clone(), i.column.clone(), value];
        row.extend(i.ranks.iter().map(|r| {
            format!(
                "{} / {} ({}e centile)",
                r.rank,
                fr_number(r.of as f64, 0),
                fr_number(r.percentile, 0)
            )
        }));
        rows.push(row);
    }
    for l in grid(&rows, &[false, false, true, true, true, true]).0 {
        let _ = writeln!(out, "{l}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_elision_of_names() {
        assert_eq!(of_name("Lyon"), "de Lyon");
        assert_eq!(of_name("Ajaccio"), "d'Ajaccio");
        assert_eq!(of_name("Le Havre"), "du Havre");
        assert_eq!(of_name("Les Mureaux"), "des Mureaux");
        assert_eq!(of_name("La Rochelle"), "de La Rochelle");
        assert_eq!(of_name("Évry-Courcouronnes"), "d'Évry-Courcouronnes");
    }
}

//! The command line as users type it: the help's own examples, option names shared by `map`
//! and `atlas`, repaired arguments, suggestions for misspelt ones, and every subcommand's help.

use crate::common::phare_in;

/// Runs `phare args` in `dir`: exit code, stdout, stderr.
fn run(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = phare_in(dir, args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_reversed_palette_is_read_as_the_help_writes_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let args = [
        "map", "--level", "region", "--value", "density", "--size", "300", "-o", "m.png",
    ];
    let mut with = args.to_vec();
    with.extend(["--palette", "-RdBu"]);
    let (code, _, err) = run(dir.path(), &with);
    assert_eq!(code, Some(0), "{err}");
    let sidecar = std::fs::read_to_string(dir.path().join("m.png.json")).expect("sidecar");
    // RdBu reversed: the lowest class is blue (RdBu's last colour), the highest red.
    let colours: Vec<&str> = sidecar
        .split("\"color\": \"")
        .skip(1)
        .filter_map(|s| s.get(..7))
        .collect();
    let (first, last) = (colours[0], colours[colours.len() - 1]);
    let red = |c: &str| u8::from_str_radix(&c[1..3], 16).unwrap();
    let blue = |c: &str| u8::from_str_radix(&c[5..7], 16).unwrap();
    assert!(blue(first) > red(first), "lowest class {first} is blue");
    assert!(red(last) > blue(last), "highest class {last} is red");
}

#[test]
fn atlas_takes_manual_breaks_and_names_its_class_scope_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = run(
        dir.path(),
        &[
            "atlas",
            "--per",
            "region",
            "--level",
            "departement",
            "--value",
            "population",
            "--breaks",
            "0,500000,1000000,3000000",
            "--classes-across",
            "local",
            "--metropolitan",
            "--size",
            "200",
            "-o",
            "atlas",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let index = std::fs::read_to_string(dir.path().join("atlas/atlas.json")).expect("index");
    let manual = "\"method\": \"manual:0,500000,1000000,3000000\"";
    assert_eq!(index.matches(manual).count(), 13, "every page: {index}");
    let md = std::fs::read_to_string(dir.path().join("atlas/index.md")).expect("index.md");
    assert!(
        md.contains("13 cartes, classes propres à chaque carte"),
        "{md}"
    );
    // --breaks is the manual bounds in atlas as in map: `local` is not a list of numbers.
    let (code, _, err) = run(dir.path(), &["atlas", "--breaks", "local", "-o", "atlas"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn within_repairs_a_lost_leading_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = run(
        dir.path(),
        &[
            "map",
            "--level",
            "commune",
            "--value",
            "population",
            "--within",
            "dep:1",
            "--size",
            "300",
            "-o",
            "ain.svg",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("--within dep:1 read as dep:01"), "{err}");
    let sidecar = std::fs::read_to_string(dir.path().join("ain.svg.json")).expect("sidecar");
    assert!(sidecar.contains("\"within\": \"dep:01\""), "{sidecar}");
}

#[test]
fn departements_and_regions_are_found_by_name_without_accents() {
    let dir = tempfile::tempdir().expect("temp dir");
    let territory = |query: &str| {
        let (status, out, err) = run(dir.path(), &["profile", query, "--json"]);
        assert_eq!(status, Some(0), "{query}: {err}");
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON profile");
        let t = &json["identity"]["territory"];
        format!(
            "{} {}",
            t["level"].as_str().unwrap(),
            t["code"].as_str().unwrap()
        )
    };
    assert_eq!(territory("Rhone"), "departement 69");
    assert_eq!(territory("ile de france"), "region 11");
    assert_eq!(territory("CÔTES-D'ARMOR"), "departement 22");
    // A commune keeps its name: Paris is the commune, not the département.
    assert_eq!(territory("Paris"), "commune 75056");
}

#[test]
fn an_unknown_style_lists_the_builtin_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = run(dir.path(), &["map", "--style", "nope", "-o", "m.png"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("no builtin style 'nope'") && err.contains("default, print, presentation"),
        "{err}"
    );
    // A path stays a path: its absence is a missing file.
    let (code, _, err) = run(dir.path(), &["map", "--style", "mine.toml", "-o", "m.png"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("mine.toml"), "{err}");
}

#[test]
fn a_misspelt_value_is_told_the_boundary_indicators() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = run(dir.path(), &["map", "--value", "densite", "-o", "m.png"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("did you mean 'density'?")
            && err.contains("boundary indicators: density, population, area")
            && err.contains("q4:oui"),
        "{err}"
    );
}

#[test]
fn every_subcommand_help_has_examples_and_defaults() {
    let dir = tempfile::tempdir().expect("temp dir");
    let commands: [&[&str]; 10] = [
        &["lookup"],
        &["map"],
        &["profile"],
        &["atlas"],
        &["stats"],
        &["survey", "synth"],
        &["survey", "check"],
        &["geodata", "build"],
        &["geodata", "check"],
        &["dashboard"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let (code, help, err) = run(dir.path(), &args);
        assert_eq!(code, Some(0), "{command:?}: {err}");
        assert!(
            help.contains("Examples:\n  phare "),
            "{command:?} has no examples:\n{help}"
        );
        // `survey check` has flags and files only; the boundaries' default (the embedded
        // ones) is in their help, as for every command.
        if command != ["survey", "check"] {
            assert!(
                help.contains("[default: "),
                "{command:?} states no default:\n{help}"
            );
        }
        assert!(help.contains("instead of the embedded ones") || command[0] == "geodata");
        // Every file the help names is in the repository.
        for cited in help.split_whitespace().filter(|w| w.starts_with("docs/")) {
            let file = cited.trim_end_matches(|c: char| !c.is_alphanumeric());
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
            assert!(path.is_file(), "{command:?} cites {file}, which is absent");
        }
    }
    let (_, help, _) = run(dir.path(), &["stats", "--help"]);
    assert!(help.contains("docs/survey-schema.md"), "{help}");
}

#[test]
fn profile_with_a_figure_prints_no_text_fiche() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, out, err) = run(dir.path(), &["profile", "69123", "-o", "fiche.svg"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.is_empty(), "nothing on stdout: {out}");
    assert!(err.contains("wrote fiche.svg"), "{err}");
    let svg = std::fs::read_to_string(dir.path().join("fiche.svg")).expect("figure");
    assert!(svg.contains("Lyon"), "the figure is Lyon's");
    // Without -o the fiche is printed.
    let (_, out, _) = run(dir.path(), &["profile", "69123"]);
    assert!(out.contains("Lyon"), "{out}");
}

//! Style files: builtins parse and agree with styles/*.toml, typos name their line and the
//! valid keys, partial files inherit from a base, command-line overrides reach every key.

use phare::classify::{LabelStyle, Method};
use phare::style::{LegendPosition, MapLabels, Rgb, Style, palette};

#[test]
fn every_builtin_parses_and_matches_its_file() {
    for name in Style::builtin_names() {
        let s = Style::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/styles/").to_string() + name + ".toml";
        assert_eq!(Style::load(&file).unwrap(), s, "{name}");
        assert!(
            s.warnings(s.classes.unwrap_or(7)).is_empty(),
            "{name}: {:?}",
            s.warnings(7)
        );
        assert_eq!(
            s.small_sample_label(30),
            "Échantillon insuffisant (n eff. < 30)"
        );
        assert_eq!(s.answer_colours().unwrap().len(), 5);
        assert_eq!(s.category_colours(5).unwrap().len(), 5);
        // Borders in a hierarchy; commune lines thin out on crowded maps in every style.
        let b = &s.borders;
        assert!(b.commune.width < b.departement.width, "{name}");
        assert!(b.departement.width < b.region.width, "{name}");
        assert_eq!(b.commune.fade_below, Some(12.0), "{name}");
    }
    let d = Style::default();
    assert_eq!(d.palette, "YlOrRd");
    assert_eq!(d.method, Method::Quantile);
    assert_eq!(d.classes, None);
    assert_eq!(d.no_data.label, "Non renseigné");
    assert!(d.borders.commune.width < d.borders.departement.width);
    assert!(d.borders.departement.width < d.borders.region.width);
    assert_eq!(d.px(72.0), 150.0);
    assert!(Style::builtin("fancy").is_err());
    assert_eq!(
        Style::from_arg("Print").unwrap(),
        Style::builtin("print").unwrap()
    );
    let missing = Style::from_arg("no/such/style.toml").unwrap_err();
    assert_eq!(missing.kind, phare::ErrorKind::Input);
    assert!(missing.hint.is_some());
}

#[test]
fn print_style_survives_greyscale() {
    let p = Style::builtin("print").unwrap();
    let k = p.classes.unwrap();
    let greys: Vec<Rgb> = p
        .class_colours(k)
        .unwrap()
        .iter()
        .map(|c| c.grey())
        .collect();
    for w in greys.windows(2) {
        assert!(w[0].delta_e(w[1]) > 10.0, "{} vs {}", w[0], w[1]);
    }
    // The lightest class stays apart from white paper and white no-data.
    assert!(greys[0].delta_e(p.no_data.colour) > 10.0, "{}", greys[0]);
    let mut confused = p.clone();
    confused.set("no_data.colour", "#d9d9d9").unwrap();
    assert!(
        confused
            .warnings(k)
            .iter()
            .any(|w| w.contains("no_data.colour"))
    );
    assert!(p.small_sample.spacing < Style::default().small_sample.spacing);
    assert_eq!(
        (p.layout.width, p.layout.height, p.layout.dpi),
        (2480, 3508, 300.0)
    );
}

#[test]
fn partial_file_inherits_from_its_base() {
    let s = Style::parse_str(
        "base = \"print\"\npalette = \"Blues\"\n[layout]\ndpi = 200\n",
        "my.toml",
    )
    .unwrap();
    assert_eq!(s.palette, "Blues");
    assert_eq!(s.layout.dpi, 200.0);
    assert_eq!(s.layout.width, 2480); // from print
    assert_eq!(s.classes, Some(5)); // from print
    let s = Style::parse_str("classes = 4\n[borders.region]\nwidth = 2\n", "my.toml").unwrap();
    assert_eq!(s.classes, Some(4));
    assert_eq!(s.borders.region.width, 2.0);
    assert_eq!(
        s.borders.region.colour,
        Style::default().borders.region.colour
    );
}

#[test]
fn windows_files_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.toml");
    std::fs::write(
        &path,
        "\u{feff}palette = \"Blues\"\r\n[layout]\r\ndpi = 96\r\n",
    )
    .unwrap();
    let s = Style::load(&path).unwrap();
    assert_eq!((s.palette.as_str(), s.layout.dpi), ("Blues", 96.0));
    std::fs::write(
        &path,
        "\u{feff}palette = \"Blues\"\r\n[layout]\r\ndpii = 96\r\n",
    )
    .unwrap();
    let e = Style::load(&path).unwrap_err();
    assert_eq!(e.location.as_deref(), Some("line 3"), "{e}");
}

#[test]
fn typo_names_the_line_and_the_valid_keys() {
    let text = "palette = \"Blues\"\n\n[layout]\nwidht = 800\n";
    let e = Style::parse_str(text, "my.toml").unwrap_err();
    assert_eq!(e.location.as_deref(), Some("line 4"), "{e}");
    assert!(
        e.message.contains("widht")
            && e.message.contains("width")
            && e.message.contains("idf_zoom"),
        "{e}"
    );
    assert_eq!(e.path.as_deref(), Some(std::path::Path::new("my.toml")));

    let e = Style::parse_str("palete = \"Blues\"\n", "my.toml").unwrap_err();
    assert_eq!(e.location.as_deref(), Some("line 1"), "{e}");
    assert!(e.message.contains("palette"), "{e}");

    // Wrong type, bad colour, bad method, bad palette, bad range: each on its line.
    let cases = [
        ("[layout]\nwidth = \"big\"\n", "line 2"),
        ("[no_data]\ncolour = \"#12\"\n", "line 2"),
        ("\nmethod = \"kmeans\"\n", "line 2"),
        ("\n\npalette = \"Bleus\"\n", "line 3"),
        ("palette = \"Set2\"\n", "line 1"),
        ("\ncategories = \"Set9\"\n", "line 2"),
        ("[layout]\nlegend = \"middle\"\n", "line 2"),
        ("[fonts]\n\ntitle = -3\n", "line 3"),
        ("classes = 0\n", "line 1"),
        ("base = \"fancy\"\n", "line 1"),
        ("palette = \n", "line 1"),
    ];
    for (text, line) in cases {
        let e = Style::parse_str(text, "my.toml").unwrap_err();
        assert_eq!(e.location.as_deref(), Some(line), "{text:?}: {e}");
    }
}

#[test]
fn overrides_reach_every_key() {
    let mut s = Style::default();
    s.set("palette", "-Blues").unwrap();
    s.set("method", "jenks").unwrap();
    s.set("classes", "5").unwrap();
    s.set("borders.departement.width", "1.2").unwrap();
    s.set("borders.region.colour", "black").unwrap();
    s.set("no_data.label", "Sans réponse").unwrap();
    s.set("small_sample.label", "\"Moins de {n} réponses\"")
        .unwrap();
    s.set("layout.dpi", "300").unwrap();
    s.set("layout.legend", "bottom-left").unwrap();
    s.set("layout.labels", "name").unwrap();
    s.set("layout.idf_zoom", "false").unwrap();
    s.set("legend.labels", "brackets").unwrap();
    s.set("method", "manual:0,10,20").unwrap();
    assert_eq!(s.palette, "-Blues");
    assert_eq!(s.method, Method::Manual(vec![0.0, 10.0, 20.0]));
    assert_eq!(s.classes, Some(5));
    assert_eq!(s.borders.departement.width, 1.2);
    assert_eq!(s.borders.region.colour, Rgb(0, 0, 0));
    assert_eq!(s.no_data.label, "Sans réponse");
    assert_eq!(s.small_sample_label(20), "Moins de 20 réponses");
    assert_eq!(s.layout.dpi, 300.0);
    assert_eq!(s.layout.legend, LegendPosition::BottomLeft);
    assert_eq!(s.layout.labels, MapLabels::Name);
    assert!(!s.layout.idf_zoom);
    assert_eq!(s.legend.labels, LabelStyle::Brackets);
    s.set("classes", "auto").unwrap();
    assert_eq!(s.classes, None);
    s.set("classes", "none").unwrap(); // already absent: stays absent
    assert_eq!(s.classes, None);
    s.set("small_sample.background", "none").unwrap();
    assert_eq!(s.small_sample.background, None);
    s.set("small_sample.background", "#fff").unwrap();
    assert_eq!(s.small_sample.background, Some(Rgb(255, 255, 255)));
    s.set("layout.labels", "none").unwrap(); // a required key: "none" is its value
    assert_eq!(s.layout.labels, MapLabels::None);
    s.set("borders.commune.opacity", "0.5").unwrap();
    assert_eq!(s.borders.commune.opacity, 0.5);
    assert!(s.set("borders.commune.opacity", "2").is_err());
    s.set("borders.departement.fade_below", "20").unwrap();
    assert_eq!(s.borders.departement.fade_below, Some(20.0));
    assert!(s.set("borders.commune.fade_below", "0").is_err());
    assert!(s.set("borders.commune.fade_below", "-3").is_err());
    s.set("borders.commune.fade_below", "none").unwrap(); // a fixed width
    assert_eq!(s.borders.commune.fade_below, None);
    s.set("colours.context", "#dddddd").unwrap();
    assert_eq!(s.colours.context, Rgb(0xdd, 0xdd, 0xdd));
    // A text key keeps digits as text.
    s.set("no_data.label", "2024").unwrap();
    assert_eq!(s.no_data.label, "2024");

    let before = s.clone();
    for (k, v) in [
        ("borders.departement.widht", "1"),
        ("palette", "Nope"),
        ("layout.dpi", "high"),
        ("classes", "99"),
        ("palette.x", "1"),
        ("", "1"),
        ("colour", "#fff"),
        ("clases", "none"),
    ] {
        let e = s.set(k, v).unwrap_err();
        assert_eq!(e.kind, phare::ErrorKind::Usage);
        assert!(e.message.contains(&format!("`{k}`")), "{e}");
    }
    assert_eq!(s, before, "a failed override leaves the style unchanged");
    let e = Style::default()
        .set("borders.departement.widht", "1")
        .unwrap_err();
    assert!(e.message.contains("width"), "{e}");
}

#[test]
fn style_round_trips_through_toml() {
    let mut s = Style::builtin("presentation").unwrap();
    s.set("method", "manual:-inf,0,inf").unwrap();
    let text = s.to_toml().unwrap();
    assert_eq!(Style::parse_str(&text, "dump.toml").unwrap(), s);
}

#[test]
fn answer_colours_start_with_tout_a_fait() {
    let c = Style::default().answer_colours().unwrap();
    assert_eq!(c[0], palette("RdBu", 4).unwrap()[3]); // dark blue for « Oui, tout à fait »
    assert_eq!(c[4].to_hex(), "#bdbdbd");
}

/// Every leaf key of a TOML table, dotted, with its value as a command line would write it.
fn leaves(table: &toml::Table, prefix: &str, out: &mut Vec<(String, String)>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => leaves(t, &key, out),
            toml::Value::String(s) => out.push((key, s.clone())),
            other => out.push((key, other.to_string())),
        }
    }
}

#[test]
fn every_key_of_every_builtin_is_settable() {
    for name in Style::builtin_names() {
        let style = Style::builtin(name).unwrap();
        let table: toml::Table = toml::from_str(&style.to_toml().unwrap()).unwrap();
        let mut keys = Vec::new();
        leaves(&table, "", &mut keys);
        assert!(keys.len() >= 45, "{name}: only {} keys", keys.len());
        for (key, value) in keys {
            let mut s = style.clone();
            s.set(&key, &value)
                .unwrap_or_else(|e| panic!("{name}: {key}={value}: {e}"));
            assert_eq!(s, style, "{name}: {key}={value}");
        }
    }
}

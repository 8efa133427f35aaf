//! Survey and indicator readers (every CSV dialect, xlsx, bad input) and the commune join
//! (every repair, the report's counts).

use std::io::Write;
use std::path::{Path, PathBuf};

use geo_types::MultiPolygon;
use phare::history::CogHistory;
use phare::survey::{
    Actor, Combination, Encoding, Format, ReadOptions, RepairReason, join, join_indicators,
    join_named, read_indicators, read_indicators_keyed, read_survey,
};
use phare::{Layer, Level, Territory};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Writes `content` to a file named `name` in a fresh temporary folder.
fn temp_file(name: &str, content: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    (dir, path)
}

/// The error text of a read that must fail.
fn read_error(name: &str, content: &[u8], strict: bool) -> String {
    let (_dir, path) = temp_file(name, content);
    match read_survey(
        &path,
        &ReadOptions {
            strict,
            ..ReadOptions::default()
        },
    ) {
        Ok(f) => panic!(
            "{name} should fail, read {} respondents",
            f.respondents.len()
        ),
        Err(e) => e.to_string(),
    }
}

fn commune(code: &str, name: &str, dep: &str, reg: &str) -> Territory {
    Territory {
        code: code.into(),
        name: name.into(),
        level: Level::Commune,
        departement: Some(dep.into()),
        region: Some(reg.into()),
        epci: None,
        population: None,
        geometry: MultiPolygon(vec![]),
    }
}

/// Eleven real communes (COG 2026): enough for every repair.
fn tiny_layer() -> Layer {
    let communes = [
        ("01001", "L'Abergement-Clémenciat", "01", "84"),
        ("01002", "L'Abergement-de-Varey", "01", "84"),
        ("01004", "Ambérieu-en-Bugey", "01", "84"),
        ("01033", "Valserhône", "01", "84"),
        ("01138", "Culoz-Béon", "01", "84"),
        ("12218", "Conques-en-Rouergue", "12", "76"),
        ("13055", "Marseille", "13", "93"),
        ("2A004", "Ajaccio", "2A", "94"),
        ("69123", "Lyon", "69", "84"),
        ("75056", "Paris", "75", "11"),
        ("97411", "Saint-Denis", "974", "04"),
    ];
    Layer::new(
        communes
            .iter()
            .map(|(c, n, d, r)| commune(c, n, d, r))
            .collect(),
        "fixture",
    )
}

/// The three respondents every dialect fixture holds.
fn assert_reference_respondents(path: &Path) -> phare::survey::SurveyFile {
    let file = read_survey(path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(file.warnings.is_empty(), "{:?}", file.warnings);
    let r = &file.respondents;
    assert_eq!(r.len(), 3);
    assert_eq!(
        (r[0].id.as_str(), r[0].actor, r[0].insee_com.as_str()),
        ("R1", Actor::Maire, "01001")
    );
    assert_eq!(r[0].wave.as_deref(), Some("PHARE-Institutions-2016"));
    assert_eq!(
        (r[0].cog_year, r[0].weight, r[0].q4, r[0].q_innovation),
        (Some(2016), 1.25, Some(1), Some(2))
    );
    assert_eq!(
        (r[0].frag[0], r[0].frag[11], r[0].frag_dont_know[11]),
        (Some(6.5), None, true)
    );
    assert!(!r[0].synthetic);
    assert_eq!(
        (r[1].actor, r[1].wave.as_deref(), r[1].insee_com.as_str()),
        (Actor::Citoyen, None, "2A004")
    );
    assert_eq!(
        (r[1].cog_year, r[1].weight, r[1].q4, r[1].q_innovation),
        (None, 0.8, Some(4), Some(9))
    );
    assert_eq!(
        (r[1].frag[0], r[1].frag[11], r[1].frag_dont_know[11]),
        (Some(7.0), None, false)
    );
    assert!(r[1].synthetic);
    assert_eq!(
        (r[2].q4, r[2].q_innovation, r[2].frag[0], r[2].frag[11]),
        (Some(9), None, Some(10.0), Some(0.0))
    );
    assert!(file.synthetic, "one synthetic row makes the file synthetic");
    file
}

#[test]
fn semicolon_windows_1252_decimal_comma_and_labels() {
    let file = assert_reference_respondents(&fixture("survey-semicolon-cp1252.csv"));
    assert_eq!(file.dialect.delimiter, Some(';'));
    assert_eq!(file.dialect.encoding, Some(Encoding::Windows1252));
    assert!(file.dialect.decimal_comma);
    assert_eq!(file.respondents[2].line, 4);
}

#[test]
fn comma_utf8_bom_codes_and_quoted_decimal_comma() {
    let file = assert_reference_respondents(&fixture("survey-comma-bom.csv"));
    assert_eq!(file.dialect.delimiter, Some(','));
    assert_eq!(file.dialect.encoding, Some(Encoding::Utf8Bom));
    assert!(file.dialect.decimal_comma, "\"1,25\" is a decimal comma");
    assert_eq!(
        file.dialect.to_string(),
        "CSV, ','-separated, UTF-8 with BOM, decimal comma"
    );
}

#[test]
fn tab_utf8_header_case_and_label_variants() {
    let file = assert_reference_respondents(&fixture("survey-tab.tsv"));
    assert_eq!(file.dialect.delimiter, Some('\t'));
    assert_eq!(file.dialect.encoding, Some(Encoding::Utf8));
    assert!(!file.dialect.decimal_comma);
}

#[test]
fn quoted_fields_with_delimiter_and_newline_and_blank_trailing_lines() {
    let file = assert_reference_respondents(&fixture("survey-quoted.csv"));
    assert_eq!(file.dialect.delimiter, Some(';'));
    assert_eq!(
        file.respondents[2].line, 5,
        "R2's quoted name spans two lines"
    );
    assert_eq!(
        file.commune_names.get(&2).map(String::as_str),
        Some("L'Abergement; \"Clémenciat\"")
    );
    assert_eq!(
        file.commune_names.get(&3).map(String::as_str),
        Some("Ajaccio\n(Corse-du-Sud)")
    );
}

#[test]
fn utf16_tab_export_of_excel() {
    let text = "respondent_id\tinsee_com\tq4\r\nR1\t01001\tOui, plutôt\r\n";
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (_dir, path) = temp_file("export.txt", &bytes);
    let file = read_survey(&path, &ReadOptions::default()).unwrap();
    assert_eq!(file.dialect.encoding, Some(Encoding::Utf16));
    assert_eq!(file.respondents[0].q4, Some(2));
}

#[test]
fn blank_line_in_the_middle_is_a_warning_and_strict_refuses_it() {
    // Empty lines carry nothing; a line of bare delimiters is reported (unless trailing).
    let csv = b"respondent_id;insee_com;q4\nR1;01001;1\n\n;;\nR2;01002;2\n;;\n\n";
    let (_dir, path) = temp_file("gaps.csv", csv);
    let file = read_survey(&path, &ReadOptions::default()).unwrap();
    assert_eq!(file.respondents.len(), 2);
    let lines: Vec<usize> = file.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [4], "the trailing blank lines are not reported");
    assert_eq!(file.respondents[1].line, 5);
    let err = read_survey(
        &path,
        &ReadOptions {
            strict: true,
            ..ReadOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.setting, Some(phare::Setting::Strict));
    let err = err.to_string();
    assert!(
        err.contains("gaps.csv: line 4: empty line ignored"),
        "{err}"
    );
    assert!(err.contains("warnings are refused as errors"), "{err}");
}

// ---- spreadsheets --------------------------------------------------------------------------

/// A cell of a hand-written xlsx.
enum Cell<'a> {
    S(&'a str),
    N(f64),
    Date(f64),
    Err(&'a str),
}

/// Writes a minimal .xlsx (one sheet named `sheet`) with `rows`, starting at row `first_row`.
fn write_xlsx(path: &Path, sheet: &str, first_row: usize, rows: &[Vec<Cell>]) {
    let mut data = String::new();
    for (i, row) in rows.iter().enumerate() {
        let r = first_row + i;
        data.push_str(&format!("<row r=\"{r}\">"));
        for (j, cell) in row.iter().enumerate() {
            let at = format!("{}{r}", (b'A' + j as u8) as char);
            data.push_str(&match cell {
                Cell::S(s) => format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{s}</t></is></c>"),
                Cell::N(v) => format!("<c r=\"{at}\"><v>{v}</v></c>"),
                Cell::Date(v) => format!("<c r=\"{at}\" s=\"1\"><v>{v}</v></c>"),
                Cell::Err(e) => format!("<c r=\"{at}\" t=\"e\"><v>{e}</v></c>"),
            });
        }
        data.push_str("</row>");
    }
    let ns = "http://schemas.openxmlformats.org";
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                "<Types xmlns=\"{ns}/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>"
            ),
        ),
        (
            "_rels/.rels",
            format!(
                "<Relationships xmlns=\"{ns}/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{ns}/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                "<workbook xmlns=\"{ns}/spreadsheetml/2006/main\" xmlns:r=\"{ns}/officeDocument/2006/relationships\"><sheets><sheet name=\"{sheet}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                "<Relationships xmlns=\"{ns}/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{ns}/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"{ns}/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>"
            ),
        ),
        (
            "xl/styles.xml",
            format!(
                "<styleSheet xmlns=\"{ns}/spreadsheetml/2006/main\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>"
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                "<worksheet xmlns=\"{ns}/spreadsheetml/2006/main\"><sheetData>{data}</sheetData></worksheet>"
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, xml) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>")
            .unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

fn header_cells() -> Vec<Cell<'static>> {
    ["respondent_id", "insee_com", "weight", "q4", "frag_emploi"]
        .into_iter()
        .map(Cell::S)
        .collect()
}

#[test]
fn xlsx_numbers_labels_and_codes_that_lost_their_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("réponses.xlsx");
    // Header on row 3 (rows above left empty), codes stored as numbers.
    let rows = vec![
        header_cells(),
        vec![
            Cell::S("R1"),
            Cell::N(1001.0),
            Cell::N(1.25),
            Cell::S("Oui, plutôt"),
            Cell::N(6.5),
        ],
        vec![
            Cell::N(2.0),
            Cell::S("2A004"),
            Cell::N(1.0),
            Cell::N(3.0),
            Cell::N(99.0),
        ],
        vec![
            Cell::S("R3"),
            Cell::N(75056.0),
            Cell::S("0,5"),
            Cell::S("Ne sait pas"),
            Cell::S(""),
        ],
    ];
    write_xlsx(&path, "Réponses", 3, &rows);
    let file = read_survey(&path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        file.dialect.format,
        Format::Excel {
            sheet: "Réponses".into()
        }
    );
    assert!(file.dialect.decimal_comma, "the text cell '0,5'");
    let r = &file.respondents;
    assert_eq!(r.len(), 3);
    assert_eq!(
        (
            r[0].line,
            r[0].insee_com.as_str(),
            r[0].weight,
            r[0].q4,
            r[0].frag[0]
        ),
        (4, "1001", 1.25, Some(2), Some(6.5))
    );
    assert_eq!(
        (r[1].id.as_str(), r[1].q4, r[1].frag_dont_know[0]),
        ("2", Some(3), true)
    );
    assert_eq!(
        (r[2].insee_com.as_str(), r[2].weight, r[2].q4),
        ("75056", 0.5, Some(9))
    );
    // The join restores the zero and says so.
    let (joined, report) = join(file.respondents, &tiny_layer(), CogHistory::embedded());
    assert_eq!(joined[0].commune, "01001");
    assert_eq!(report.repaired.len(), 1);
    assert_eq!(
        (report.repaired[0].line, report.repaired[0].reason),
        (4, RepairReason::LeadingZero)
    );
    assert!(
        report.to_string().contains("line 4: 1001 → 01001"),
        "{report}"
    );
}

#[test]
fn xlsx_date_and_error_cells_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dates.xlsx");
    let rows = vec![
        header_cells(),
        vec![
            Cell::S("R1"),
            Cell::S("01001"),
            Cell::Date(45000.0),
            Cell::N(1.0),
            Cell::N(5.0),
        ],
        vec![
            Cell::S("R2"),
            Cell::S("01002"),
            Cell::N(1.0),
            Cell::Err("#N/A"),
            Cell::N(5.0),
        ],
    ];
    write_xlsx(&path, "Feuil1", 1, &rows);
    let err = read_survey(&path, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("dates.xlsx:2: column 'weight': value '2023-03-15"),
        "{err}"
    );
    assert!(err.contains("a date cell"), "{err}");
    assert!(
        err.contains("dates.xlsx:3: column 'q4': value '#N/A': a spreadsheet error cell"),
        "{err}"
    );
}

// ---- bad input ------------------------------------------------------------------------------

#[test]
fn answer_out_of_range_names_file_line_column_value_and_expectation() {
    let err = read_error(
        "bad.csv",
        b"respondent_id;insee_com;q4\nR1;01001;2\nR2;01002;7\n",
        false,
    );
    assert!(
        err.ends_with(
            "bad.csv: line 3: column 'q4': value '7': answer out of range (expected 1, 2, 3, 4, 9 or a label such as « Oui, plutôt ») (hint: fix the value and read the file again, or leave the invalid rows out)"
        ),
        "{err}"
    );
    let err = read_error(
        "bad.csv",
        b"respondent_id;insee_com;q_innovation\nR1;01001;Peut-etre\n",
        false,
    );
    assert!(
        err.contains("line 2: column 'q_innovation': value 'Peut-etre': unknown answer"),
        "{err}"
    );
    let err = read_error(
        "bad.csv",
        b"respondent_id;insee_com;frag_sante\nR1;01001;11\nR2;01001;beaucoup\n",
        false,
    );
    assert!(err.contains("bad.csv:2: column 'frag_sante': value '11': score out of range (expected a score from 0 to 10, or 99"), "{err}");
    assert!(
        err.contains("bad.csv:3: column 'frag_sante': value 'beaucoup': score is not a number"),
        "{err}"
    );
}

#[test]
fn weights_zero_negative_or_not_numbers_are_errors() {
    let csv = "respondent_id;insee_com;weight\nR1;01001;1,5\nR2;01001;0\nR3;01001;-2\nR4;01001;abc\nR5;01001;\nR6;01001;NaN\n";
    let err = read_error("w.csv", csv.as_bytes(), false);
    assert!(err.contains("5 problems"), "{err}");
    assert!(
        err.contains("w.csv:3: column 'weight': value '0': weight must be greater than 0"),
        "{err}"
    );
    assert!(
        err.contains("w.csv:4: column 'weight': value '-2': weight must be greater than 0"),
        "{err}"
    );
    assert!(err.contains("w.csv:5: column 'weight': value 'abc': weight is not a number (expected a number greater than 0"), "{err}");
    assert!(
        err.contains("w.csv:6: column 'weight': empty cell: missing weight"),
        "{err}"
    );
    assert!(
        err.contains("w.csv:7: column 'weight': value 'NaN': weight is not a number"),
        "{err}"
    );
}

#[test]
fn duplicate_respondent_ids_are_errors() {
    let err = read_error(
        "dup.csv",
        b"respondent_id,insee_com\nA,01001\nB,01002\nA,01004\n",
        false,
    );
    assert!(
        err.contains(
            "line 4: column 'respondent_id': value 'A': duplicate respondent id (first on line 2)"
        ),
        "{err}"
    );
}

#[test]
fn unknown_columns_warn_strict_refuses_and_frag_typos_fail() {
    let (_dir, path) = temp_file(
        "extra.csv",
        b"respondent_id;insee_com;q5;age\nR1;01001;1;40\n",
    );
    let file = read_survey(&path, &ReadOptions::default()).unwrap();
    let shown: Vec<String> = file.warnings.iter().map(ToString::to_string).collect();
    assert!(shown[0].ends_with("extra.csv:1: column 'q5': value 'q5': unknown column, ignored (expected a column of the survey schema; did you mean 'q4'?)"), "{shown:?}");
    assert!(
        shown.iter().any(|w| w.contains("column 'age'")),
        "{shown:?}"
    );
    assert!(shown[2].ends_with("extra.csv:1: no column 'q4': mayors' Q4 answers cannot be aggregated (expected a q4 column for mayors)"), "{shown:?}");
    let err = read_survey(
        &path,
        &ReadOptions {
            strict: true,
            ..ReadOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.setting, Some(phare::Setting::Strict));
    let err = err.to_string();
    assert!(
        err.contains("3 problems")
            && err.contains("column 'q5'")
            && err.contains("warnings are refused as errors"),
        "{err}"
    );
    let err = read_error(
        "typo.csv",
        b"respondent_id;insee_com;frag_emplois\nR1;01001;5\n",
        false,
    );
    assert!(
        err.contains("column 'frag_emplois': value 'frag_emplois': unknown fragility domain"),
        "{err}"
    );
    assert!(err.contains("did you mean 'frag_emploi'?"), "{err}");
}

#[test]
fn missing_required_column_hints_at_the_delimiter() {
    let err = read_error("one.csv", b"respondent_id:insee_com\nR1:01001\n", false);
    assert!(err.contains("no column 'respondent_id'"), "{err}");
    assert!(
        err.contains("single column 'respondent_id:insee_com'"),
        "{err}"
    );
    let err = read_error("nocode.csv", b"respondent_id;commune\nR1;Paris\n", false);
    assert!(
        err.contains("no column 'insee_com' (columns found: respondent_id, commune)"),
        "{err}"
    );
}

#[test]
fn empty_binary_and_header_only_files_are_refused() {
    assert!(read_error("empty.csv", b"", false).contains("empty.csv: the file is empty"));
    assert!(read_error("blank.csv", b"\xEF\xBB\xBF\r\n\r\n", false).contains("the file is empty"));
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    let err = read_error("image.csv", png, false);
    assert!(
        err.contains("image.csv: line 2: this is not a text CSV file"),
        "{err}"
    );
    let err = read_error("head.csv", b"respondent_id;insee_com\n", false);
    assert!(
        err.contains("head.csv: line 1: no respondent after the header"),
        "{err}"
    );
    let err = read_error("junk.xlsx", b"PK\x03\x04 not really a zip", false);
    assert!(
        err.contains("junk.xlsx: cannot read the spreadsheet"),
        "{err}"
    );
}

#[test]
fn wrong_field_count_points_at_the_decimal_comma() {
    let err = read_error(
        "commas.csv",
        b"respondent_id,insee_com,weight\nR1,01001,1,5\n",
        false,
    );
    assert!(
        err.contains("commas.csv: line 2: value 'R1,01001,1,5': 4 fields but the header has 3"),
        "{err}"
    );
    assert!(
        err.contains("quote values that contain the delimiter"),
        "{err}"
    );
}

#[test]
fn unknown_actor_and_bad_year_and_bad_flag() {
    let csv = b"respondent_id;insee_com;actor;cog_year;synthetic\nR1;01001;mairie;2016;true\nR2;01001;maire;16;x\n";
    let err = read_error("misc.csv", csv, false);
    assert!(err.contains("misc.csv:2: column 'actor': value 'mairie': unknown actor (expected maire, citoyen, entreprise or association)"), "{err}");
    assert!(
        err.contains("misc.csv:3: column 'cog_year': value '16': not a year"),
        "{err}"
    );
    assert!(
        err.contains("misc.csv:3: column 'synthetic': value 'x': not a yes/no value"),
        "{err}"
    );
}

// ---- join ----------------------------------------------------------------------------------

#[test]
fn every_repair_and_the_report_counts() {
    let file = read_survey(&fixture("survey-join.csv"), &ReadOptions::default()).unwrap();
    let (joined, report) = join_named(
        file.respondents,
        &file.commune_names,
        &tiny_layer(),
        CogHistory::embedded(),
    );
    assert_eq!(report.rows, 19);
    assert_eq!(report.matched, 14);
    assert_eq!(joined.len(), 14);
    assert_eq!(report.unmatched.len(), 5);
    assert!(report.duplicates.is_empty());
    assert_eq!(report.communes, 9);
    let count =
        |f: fn(&RepairReason) -> bool| report.repaired.iter().filter(|r| f(&r.reason)).count();
    assert_eq!(count(|r| *r == RepairReason::LeadingZero), 2);
    assert_eq!(count(|r| matches!(r, RepairReason::FormerCode { .. })), 5);
    assert_eq!(count(|r| *r == RepairReason::Arrondissement), 4);
    let repair = |line: usize| -> Vec<(String, String, RepairReason)> {
        report
            .repaired
            .iter()
            .filter(|r| r.line == line)
            .map(|r| (r.from.clone(), r.to.clone(), r.reason))
            .collect()
    };
    // R03: Béon merged into Culoz-Béon on 1 January 2023.
    assert_eq!(
        repair(4),
        [(
            "01039".into(),
            "01138".into(),
            RepairReason::FormerCode { year: Some(2023) }
        )]
    );
    // R09: a lost zero, then a former code of Valserhône.
    assert_eq!(
        repair(10),
        [
            ("1091".into(), "01091".into(), RepairReason::LeadingZero),
            (
                "01091".into(),
                "01033".into(),
                RepairReason::FormerCode { year: None }
            )
        ]
    );
    assert_eq!(
        repair(9),
        [("13216".into(), "13055".into(), RepairReason::Arrondissement)]
    );
    // R11: Corsica's 1976 recoding; R18: a chef-lieu change of 2025.
    assert_eq!(
        repair(12),
        [(
            "20004".into(),
            "2A004".into(),
            RepairReason::FormerCode { year: None }
        )]
    );
    assert_eq!(
        repair(19),
        [(
            "12076".into(),
            "12218".into(),
            RepairReason::FormerCode { year: Some(2025) }
        )]
    );
    assert!(
        repair(13).is_empty(),
        "2a004 is 2A004 in another case, not a repair"
    );

    let merged: Vec<(&str, Vec<&str>, usize)> = report
        .merged
        .iter()
        .map(|m| {
            (
                m.commune.as_str(),
                m.former_codes.iter().map(String::as_str).collect(),
                m.respondents,
            )
        })
        .collect();
    assert_eq!(
        merged,
        [
            ("01033", vec!["01091", "01205"], 2),
            ("01138", vec!["01039", "01138"], 2),
            ("2A004", vec!["20004", "2A004"], 2),
            ("75056", vec!["75105", "75120"], 2),
        ]
    );

    let unmatched: Vec<(usize, &str, Vec<&str>)> = report
        .unmatched
        .iter()
        .map(|u| {
            (
                u.line,
                u.code.as_str(),
                u.suggestions.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        unmatched[0],
        (14, "01999", vec!["01001 L'Abergement-Clémenciat"]),
        "by name"
    );
    assert_eq!(
        unmatched[1],
        (
            15,
            "01010",
            vec![
                "01001 L'Abergement-Clémenciat",
                "01002 L'Abergement-de-Varey",
                "01004 Ambérieu-en-Bugey"
            ]
        ),
        "by code in the same département"
    );
    assert_eq!((unmatched[2].1, unmatched[3].1), ("abc", ""));
    assert!(report.unmatched[2].reason.contains("not a commune code"));
    assert_eq!(report.unmatched[3].reason, "no commune code");
    assert_eq!(
        unmatched[4],
        (20, "99999", vec!["97411 Saint-Denis"]),
        "exact folded name, anywhere"
    );

    let r = joined.iter().find(|j| j.respondent.id == "R10").unwrap();
    assert_eq!(
        (
            r.commune.as_str(),
            r.departement.as_str(),
            r.region.as_str()
        ),
        ("01033", "01", "84")
    );
    assert_eq!(
        r.respondent.insee_com, "01205",
        "the respondent keeps the code as given"
    );

    let json = serde_json::to_value(&report).unwrap();
    for key in [
        "rows",
        "matched",
        "unmatched",
        "duplicates",
        "repaired",
        "merged",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["repaired"][1]["reason"]["kind"], "former_code");
    let text = report.to_string();
    assert!(
        text.contains("matched     14 (73.7 %) in 9 of 11 communes"),
        "{text}"
    );
    assert!(
        text.contains(
            "repaired    11 codes: 2 leading zeros restored, 5 former codes, 4 arrondissements"
        ),
        "{text}"
    );
    assert!(
        text.contains("75056 Paris: 2 rows from codes 75105, 75120"),
        "{text}"
    );
    assert!(
        text.contains(
            "line 15: code '01010': no commune with this code, today or formerly; nearest: 01001"
        ),
        "{text}"
    );
    assert_eq!(report.warnings(), 2 + 5);
    assert!(report.check_strict(Path::new("survey-join.csv")).is_err());
}

#[test]
fn the_report_is_written_as_json() {
    let file = read_survey(&fixture("survey-join.csv"), &ReadOptions::default()).unwrap();
    let (_, report) = join(file.respondents, &tiny_layer(), CogHistory::embedded());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    report.write_json(&out).unwrap();
    let back: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(
        (back["rows"].as_u64(), back["matched"].as_u64()),
        (Some(19), Some(14))
    );
    assert_eq!(back["unmatched"].as_array().map(Vec::len), Some(5));
}

#[test]
fn duplicate_respondents_across_files_keep_the_first() {
    let file = read_survey(&fixture("survey-comma-bom.csv"), &ReadOptions::default()).unwrap();
    let mut respondents = file.respondents.clone();
    respondents.extend(file.respondents);
    let (joined, report) = join(respondents, &tiny_layer(), CogHistory::embedded());
    assert_eq!((report.rows, report.matched, joined.len()), (6, 3, 3));
    assert_eq!(report.duplicates.len(), 3);
    assert_eq!(
        (
            report.duplicates[0].key.as_str(),
            &report.duplicates[0].lines[..]
        ),
        ("R1", &[2, 2][..])
    );
}

#[test]
fn join_against_the_embedded_communes() {
    let boundaries = phare::boundaries::embedded::boundaries_without_geometry().unwrap();
    let layer = &boundaries.communes;
    let file = read_survey(&fixture("survey-join.csv"), &ReadOptions::default()).unwrap();
    let (_, report) = join_named(
        file.respondents,
        &file.commune_names,
        layer,
        CogHistory::embedded(),
    );
    // 01010 (Ambérieux-en-Dombes) exists in the full commune list.
    assert_eq!(
        (
            report.rows,
            report.matched,
            report.unmatched.len(),
            report.repaired.len()
        ),
        (19, 15, 4, 11)
    );
    assert_eq!(report.communes_total, 34875);
    let near = &report
        .unmatched
        .iter()
        .find(|u| u.code == "99999")
        .unwrap()
        .suggestions;
    assert!(
        near.iter().any(|s| s == "93066 Saint-Denis")
            && near.iter().any(|s| s == "97411 Saint-Denis"),
        "{near:?}"
    );
}

// ---- indicators ----------------------------------------------------------------------------

const INDICATORS: &str = "\
CODGEO;LIBGEO;DEP;P21_POP;TX_PAUVRETE;NB_LOGEMENTS\r
01001;L'Abergement-Clémenciat;01;860;8,5;400\r
01001;L'Abergement-Clémenciat;01;860;8,5;400\r
01091;Châtillon-en-Michaille;01;3000;s;1 500\r
01205;Lancrans;01;1000;12,1;500\r
01138;Culoz-Béon;01;3453;10;1600\r
01039;Béon;01;500;9;250\r
75101;Paris 1er;75;16000;nd;9000\r
75102;Paris 2e;75;21000;13,5;12000\r
1004;Ambérieu-en-Bugey;01;15934;14,2;abc\r
99999;Nulle part;99;1;1;1\r
;;;;;\r
";

#[test]
fn indicators_read_french_numbers_markers_and_identifier_columns() {
    let (_dir, path) = temp_file("filosofi.csv", INDICATORS.as_bytes());
    let table = read_indicators(&path, &ReadOptions::default()).unwrap();
    assert_eq!(table.code_column, "CODGEO");
    assert_eq!(table.columns, ["P21_POP", "TX_PAUVRETE", "NB_LOGEMENTS"]);
    assert_eq!(table.additive, [true, false, true], "TX_ is a rate");
    assert_eq!(table.rows.len(), 10);
    assert_eq!(table.rows[2].values, [Some(3000.0), None, Some(1500.0)]);
    assert_eq!(table.rows[0].values[1], Some(8.5));
    assert!(table.dialect.decimal_comma);
    assert_eq!(table.warnings.len(), 1);
    assert_eq!(
        table.warnings[0].to_string(),
        format!(
            "{}:10: column 'NB_LOGEMENTS': value 'abc': not a number, read as missing (expected a number such as 12,5)",
            path.display()
        )
    );
    let notes: Vec<String> = table.notes.iter().map(|n| n.message.clone()).collect();
    assert!(
        notes.contains(&"identifier column, not an indicator: ignored".to_string()),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("2 values marked not available")),
        "{notes:?}"
    );
    assert_eq!(
        table.commune_names.get(&5).map(String::as_str),
        Some("Lancrans")
    );
    let err = read_indicators(
        &path,
        &ReadOptions {
            strict: true,
            ..ReadOptions::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("column 'NB_LOGEMENTS': value 'abc'"), "{err}");
    let keyed = read_indicators_keyed(&path, &ReadOptions::default(), Some("codgeo")).unwrap();
    assert_eq!(keyed.rows.len(), 10);
    let err = read_indicators_keyed(&path, &ReadOptions::default(), Some("insee"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no column 'insee' (columns found: CODGEO, LIBGEO"),
        "{err}"
    );
}

#[test]
fn indicators_join_sums_counts_and_flags_rates() {
    let (_dir, path) = temp_file("filosofi.csv", INDICATORS.as_bytes());
    let table = read_indicators(&path, &ReadOptions::default()).unwrap();
    let (joined, report) = join_indicators(&table, &tiny_layer(), CogHistory::embedded());
    assert_eq!(
        (report.rows, report.matched, report.unmatched.len()),
        (10, 9, 1)
    );
    let row = |code: &str| joined.rows.iter().find(|r| r.commune == code).unwrap();
    // Two former communes of Valserhône: population and dwellings summed (a missing value
    // makes the sum missing), the poverty rate left empty.
    assert_eq!(row("01033").values, [Some(4000.0), None, Some(2000.0)]);
    assert_eq!(row("01033").lines, [4, 5]);
    // Paris from two arrondissements.
    assert_eq!(row("75056").values, [Some(37000.0), None, Some(21000.0)]);
    // Culoz-Béon has today's row and its former code: today's row only.
    assert_eq!(
        row("01138").values,
        [Some(3453.0), Some(10.0), Some(1600.0)]
    );
    assert_eq!(row("01004").values, [Some(15934.0), Some(14.2), None]);
    assert_eq!(joined.rows.len(), 5);
    let dups: Vec<(&str, &[usize])> = report
        .duplicates
        .iter()
        .map(|d| (d.key.as_str(), &d.lines[..]))
        .collect();
    assert_eq!(dups, [("01001", &[2, 3][..]), ("01138", &[6, 7][..])]);
    assert!(report.duplicates[0].reason.contains("same values"));
    let merged: Vec<&str> = report.merged.iter().map(|m| m.commune.as_str()).collect();
    assert_eq!(merged, ["01033", "75056"]);
    let combined: Vec<(&str, Combination, usize)> = report
        .combined
        .iter()
        .map(|c| (c.column.as_str(), c.how, c.communes))
        .collect();
    assert_eq!(
        combined,
        [
            ("P21_POP", Combination::Summed, 2),
            ("TX_PAUVRETE", Combination::LeftEmpty, 2),
            ("NB_LOGEMENTS", Combination::Summed, 2)
        ]
    );
    assert_eq!(
        report.repaired.len(),
        1 + 2 + 2 + 1,
        "lz 1004, former 01091 01205, arr 75101 75102, former 01039"
    );
    let text = report.to_string();
    assert!(
        text.contains(
            "column 'TX_PAUVRETE': left empty (not a count, cannot be summed) in 2 merged communes"
        ),
        "{text}"
    );
    assert_eq!(joined.column_index("tx_pauvrete"), Some(1));
}

#[test]
fn old_mac_line_endings_count_lines() {
    let (_dir, path) = temp_file(
        "mac.csv",
        b"respondent_id;insee_com;q4\rR1;01001;1\rR2;01002;12\r",
    );
    let err = read_survey(&path, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("mac.csv: line 3: column 'q4': value '12'"),
        "{err}"
    );
}

/// A file big enough to be validated in parallel pieces, and the same rows with one quoted
/// field (read in one pass): the two paths must agree, line numbers included.
#[test]
fn large_files_read_in_parallel_agree_with_one_pass() {
    let mut plain = String::from("respondent_id;wave;insee_com;weight;q4;frag_emploi\n");
    for i in 0..30_000 {
        if i == 12_345 {
            plain.push_str(";;;;\n");
        }
        let (code, weight, q4, score) = (1001 + i % 50, 1 + i % 3, [1, 2, 3, 4, 9][i % 5], i % 11);
        plain.push_str(&format!(
            "R{i:06};PHARE-Institutions-2016;{code:05};{weight},5;{q4};{score}\n"
        ));
    }
    let quoted = plain.replacen("R000000;", "\"R000000\";", 1);
    assert!(plain.len() > 1 << 20, "big enough for the parallel path");
    let (_d1, p1) = temp_file("plain.csv", plain.as_bytes());
    let (_d2, p2) = temp_file("quoted.csv", quoted.as_bytes());
    let a = read_survey(&p1, &ReadOptions::default()).unwrap();
    let b = read_survey(&p2, &ReadOptions::default()).unwrap();
    assert_eq!(a.respondents.len(), 30_000);
    assert_eq!(a.respondents, b.respondents);
    assert_eq!(
        a.respondents[29_999].line, 30_002,
        "header + 30 000 rows + one blank line"
    );
    assert_eq!(
        a.warnings.iter().map(|w| w.line).collect::<Vec<_>>(),
        [12_347]
    );
    assert_eq!(
        a.warnings,
        b.warnings
            .iter()
            .map(|w| phare::survey::Issue {
                path: p1.clone(),
                ..w.clone()
            })
            .collect::<Vec<_>>()
    );
    assert!(a.dialect.decimal_comma);
    // An error late in the file is located exactly, and duplicates across pieces are found.
    let bad = plain.replace("R029998;", "R000001;").replace(
        "R020000;PHARE-Institutions-2016;01001;3,5;1;",
        "R020000;PHARE-Institutions-2016;01001;3,5;7;",
    );
    let (_d3, p3) = temp_file("bad.csv", bad.as_bytes());
    let err = read_survey(&p3, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bad.csv:20003: column 'q4': value '7': answer out of range"),
        "{err}"
    );
    assert!(err.contains("bad.csv:30001: column 'respondent_id': value 'R000001': duplicate respondent id (first on line 3)"), "{err}");
}

#[test]
fn mixed_utf8_and_windows_1252_is_read_with_a_warning() {
    let mut bytes = "respondent_id;insee_com;q4\nR1;01001;Oui, plutôt\nR0;01001;Oui, tout à fait\nR2;01002;Non, plut"
        .as_bytes()
        .to_vec();
    bytes.extend([0xF4, b't', b' ', b'p', b'a', b's', b'\n']);
    let (_dir, path) = temp_file("mixed.csv", &bytes);
    let file = read_survey(&path, &ReadOptions::default()).unwrap();
    assert_eq!(
        (file.respondents[0].q4, file.respondents[2].q4),
        (Some(2), Some(3))
    );
    assert_eq!(
        file.dialect.encoding,
        Some(Encoding::MixedUtf8Windows1252 {
            bytes: 1,
            first_line: 4
        })
    );
    assert!(file.warnings[0].to_string().ends_with("mixed.csv:4: 1 bytes are not valid UTF-8 in a UTF-8 file: read as Windows-1252 (expected one encoding for the whole file; save it again as CSV UTF-8)"), "{}", file.warnings[0]);
}

// --- Whose answers: actors are never pooled silently (issue 11 point 6) ---

/// Runs `phare` in a fresh folder on the mixed-actor fixture: 3 mayors scoring frag_emploi 8,
/// 3 citizens 2 (weight 2), 2 companies 4, 2 associations 6.
fn actors_run(args: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let survey = fixture("survey-actors.csv");
    let mut all = args.to_vec();
    all.extend(["--survey", survey.to_str().unwrap()]);
    let out = crate::common::phare_in(dir.path(), &all);
    (dir, out)
}

/// The France row of `phare stats --json` for frag_emploi:mean.
fn france_mean(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    rows.into_iter().find(|r| r["code"] == "FR").unwrap()
}

const STATS_EMPLOI: [&str; 5] = [
    "stats",
    "--measure",
    "frag_emploi:mean",
    "--json",
    "--level",
];

#[test]
fn stats_use_the_mayors_of_a_mixed_file_and_say_so() {
    let (_dir, out) = actors_run(&[&STATS_EMPLOI[..], &["region"]].concat());
    let fr = france_mean(&out);
    assert_eq!(fr["value"], 8.0, "mayors only: {fr}");
    assert_eq!(fr["n"], 3);
    assert_eq!(fr["actor"], "maire");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("survey-actors.csv: 3 of 3 rows joined")
            && stderr.contains(
                "actor: maires only (left out: 3 citoyens, 2 entreprises, 2 associations; --actor all pools them"
            ),
        "{stderr}"
    );
}

#[test]
fn stats_pool_actors_only_on_purpose_and_state_the_weights() {
    let (_dir, out) = actors_run(&[&STATS_EMPLOI[..], &["region", "--actor", "all"]].concat());
    let fr = france_mean(&out);
    // (3×8×1 + 3×2×2 + 2×4×1 + 2×6×1) / (3 + 6 + 2 + 2) = 56 / 13.
    let value = fr["value"].as_f64().unwrap();
    assert!((value - 56.0 / 13.0).abs() < 1e-9, "{fr}");
    assert_eq!(fr["n"], 10);
    assert_eq!(fr["actor"], serde_json::Value::Null);
    // The French table says so too.
    let (_dir, pooled) = actors_run(&["stats", "--measure", "frag_emploi:mean", "--actor", "all"]);
    let table = String::from_utf8_lossy(&pooled.stdout);
    assert!(
        table.contains("[frag_emploi:mean] — tous acteurs confondus"),
        "{table}"
    );
    let (_dir, mayors) = actors_run(&["stats", "--measure", "frag_emploi:mean"]);
    let table = String::from_utf8_lossy(&mayors.stdout);
    assert!(table.contains("[frag_emploi:mean] — maires"), "{table}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("actors pooled: 3 maires, 3 citoyens, 2 entreprises, 2 associations")
            && stderr.contains(
                "in proportion to their summed weights (maires 23 %, citoyens 46 %, entreprises 15 %, associations 15 %)"
            ),
        "{stderr}"
    );
}

#[test]
fn stats_name_the_actor_and_the_sample_really_read() {
    let (_dir, out) = actors_run(&[&STATS_EMPLOI[..], &["region", "--actor", "citoyens"]].concat());
    let fr = france_mean(&out);
    assert_eq!(
        (fr["value"].as_f64(), fr["actor"].as_str()),
        (Some(2.0), Some("citoyen"))
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("survey-actors.csv: 3 of 3 rows joined"),
        "{stderr}"
    );
    // Without --survey, the citizens are the default synthetic sample, named as such.
    let dir = tempfile::tempdir().unwrap();
    let out = crate::common::phare_in(
        dir.path(),
        &[
            "stats",
            "--actor",
            "citoyen",
            "--measure",
            "frag_emploi:mean",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr
            .starts_with("synthetic sample of 2000 citoyens (seed 2016): 2000 of 2000 rows joined")
            && !stderr.contains("sample-maires"),
        "{stderr}"
    );
}

#[test]
fn a_file_of_several_actors_without_mayors_asks_which() {
    let text = std::fs::read_to_string(fixture("survey-actors.csv")).unwrap();
    let no_mayors: String = text
        .lines()
        .filter(|l| !l.contains(",maire,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let (dir, path) = temp_file("others.csv", no_mayors.as_bytes());
    let survey = path.to_str().unwrap();
    let out = crate::common::phare_in(
        dir.path(),
        &["stats", "--survey", survey, "--measure", "frag_emploi:mean"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("several actors and no mayors (3 citoyens, 2 entreprises, 2 associations)")
            && stderr.contains("--actor all"),
        "{stderr}"
    );
    let out = crate::common::phare_in(
        dir.path(),
        &[
            "stats",
            "--survey",
            survey,
            "--measure",
            "frag_emploi:mean",
            "--actor",
            "entreprise",
            "--json",
        ],
    );
    assert_eq!(france_mean(&out)["value"], 4.0);
}

#[test]
fn map_and_profile_follow_the_same_rule_and_state_the_actor() {
    let (dir, out) = actors_run(&["map", "--value", "frag_emploi:mean", "-o", "m.svg"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("actor: maires only"), "{stderr}");
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("m.svg.json")).unwrap()).unwrap();
    assert_eq!(sidecar["n"], 3, "{sidecar}");
    let source = sidecar["source"].as_str().unwrap();
    assert!(
        source.contains("enquête PHARE (survey-actors.csv), maires"),
        "{source}"
    );
    let svg = std::fs::read_to_string(dir.path().join("m.svg")).unwrap();
    assert!(
        svg.contains("(survey-actors.csv), maires"),
        "the source line is drawn"
    );

    let (dir, out) = actors_run(&[
        "map",
        "--value",
        "frag_emploi:mean",
        "--actor",
        "all",
        "-o",
        "m.svg",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("m.svg.json")).unwrap()).unwrap();
    assert_eq!(sidecar["n"], 10);
    assert!(
        sidecar["source"]
            .as_str()
            .unwrap()
            .contains("tous acteurs confondus"),
        "{sidecar}"
    );

    let (_dir, out) = actors_run(&["profile", "69123", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("actor: maires only"), "{stderr}");
    let profile: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(profile["survey"]["actor"], "maire", "{}", profile["survey"]);
    assert_eq!(profile["survey"]["respondents"], 3);
}

/// `survey-bad-rows.csv`: 10 mayors, line 4 answers Q4 with code 7, line 9 has weight -1.
const BAD_ROWS: &str = "survey-bad-rows.csv";

/// Runs phare in a fresh folder with `--survey survey-bad-rows.csv` appended.
fn bad_rows_run(args: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let survey = fixture(BAD_ROWS);
    let mut all = args.to_vec();
    all.extend(["--survey", survey.to_str().unwrap()]);
    let out = crate::common::phare_in(dir.path(), &all);
    (dir, out)
}

#[test]
fn bad_survey_rows_refuse_the_file_in_every_command() {
    let commands: [&[&str]; 4] = [
        &["stats"],
        &["survey", "check"],
        &["map", "-o", "m.svg"],
        &["profile", "69123"],
    ];
    for args in commands {
        let (dir, out) = if args[0] == "survey" {
            let dir = tempfile::tempdir().unwrap();
            let path = fixture(BAD_ROWS);
            let out =
                crate::common::phare_in(dir.path(), &["survey", "check", path.to_str().unwrap()]);
            (dir, out)
        } else {
            bad_rows_run(args)
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        for part in [
            "survey-bad-rows.csv:4: column 'q4': value '7': answer out of range",
            "survey-bad-rows.csv:9: column 'weight': value '-1': weight must be greater than 0",
            "or leave the invalid rows out (command line: --skip-invalid)",
        ] {
            assert!(stderr.contains(part), "{args:?}: no «{part}» in {stderr}");
        }
        assert!(!dir.path().join("m.svg").exists(), "{args:?} drew a map");
    }
}

#[test]
fn skip_invalid_keeps_the_valid_rows_and_names_the_skipped_ones() {
    let stats = [
        "stats",
        "--json",
        "--level",
        "region",
        "--measure",
        "q4:oui,frag_emploi:mean",
    ];
    let (dir, out) =
        bad_rows_run(&[&stats[..], &["--skip-invalid", "--report", "r.json"]].concat());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: ")
            && stderr.contains("2 invalid rows skipped (--skip-invalid): lines 4, 9")
            && stderr.contains("survey-bad-rows.csv:4: column 'q4': value '7': row skipped")
            && stderr.contains("survey-bad-rows.csv:9: column 'weight': value '-1': row skipped")
            && stderr.contains("8 of 8 rows joined"),
        "{stderr}"
    );
    // The estimates are those of the file without lines 4 and 9.
    let text = std::fs::read_to_string(fixture(BAD_ROWS)).unwrap();
    let clean: String = (text.lines().enumerate())
        .filter(|(i, _)| ![3, 8].contains(i))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let (clean_dir, clean_path) = temp_file("clean.csv", clean.as_bytes());
    let clean_out = crate::common::phare_in(
        clean_dir.path(),
        &[&stats[..], &["--survey", clean_path.to_str().unwrap()]].concat(),
    );
    assert!(clean_out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let clean_rows: Vec<serde_json::Value> = serde_json::from_slice(&clean_out.stdout).unwrap();
    assert_eq!(rows, clean_rows);
    // Q4 « oui » among the 8 kept: weights 1,5 + 1 + 0,5 + 1 + 1,25 + 1 of 8,25.
    let fr = &rows[0];
    assert_eq!(
        (fr["code"].as_str(), fr["n"].as_u64()),
        (Some("FR"), Some(8))
    );
    assert!(
        (fr["value"].as_f64().unwrap() - 6.25 / 8.25).abs() < 1e-12,
        "{fr}"
    );
    // The join report lists each skipped row: line, column, reason.
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["rows"], 8);
    assert_eq!(report["skipped"]["rows"], 2);
    let problems: Vec<(u64, &str, &str)> = (report["skipped"]["problems"].as_array().unwrap())
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_str().unwrap(),
                p["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (4, "q4", "answer out of range"),
            (9, "weight", "weight must be greater than 0")
        ]
    );
}

#[test]
fn skip_invalid_is_stated_by_survey_check_and_in_the_map_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture(BAD_ROWS);
    let out = crate::common::phare_in(
        dir.path(),
        &["survey", "check", path.to_str().unwrap(), "--skip-invalid"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("rows read   8\nskipped     2 invalid rows (--skip-invalid)")
            && stdout.contains("survey-bad-rows.csv:9: column 'weight'"),
        "{stdout}"
    );
    // --strict counts a skipped row as a warning, hence an error.
    let out = crate::common::phare_in(
        dir.path(),
        &[
            "survey",
            "check",
            path.to_str().unwrap(),
            "--skip-invalid",
            "--strict",
        ],
    );
    assert_eq!(out.status.code(), Some(1));

    let (dir, out) = bad_rows_run(&["map", "--level", "region", "-o", "m.svg", "--skip-invalid"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("lines 4, 9"), "{stderr}");
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("m.svg.json")).unwrap()).unwrap();
    let input = sidecar["inputs"][0].as_str().unwrap();
    assert!(
        input
            .ends_with("survey-bad-rows.csv (2 invalid rows skipped (--skip-invalid): lines 4, 9)"),
        "{input}"
    );
    assert_eq!(sidecar["n"], 8);
}

#[test]
fn skip_invalid_still_refuses_a_file_without_one_valid_row() {
    let text = "respondent_id,insee_com,weight,q4\nA,01001,-1,1\nB,69123,1,8\n";
    let (dir, path) = temp_file("all-bad.csv", text.as_bytes());
    let out = crate::common::phare_in(
        dir.path(),
        &[
            "stats",
            "--survey",
            path.to_str().unwrap(),
            "--skip-invalid",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("all-bad.csv:2: column 'weight'")
            && stderr.contains("all-bad.csv:3: column 'q4'")
            && !stderr.contains("--skip-invalid"),
        "{stderr}"
    );
}

#[test]
fn skip_invalid_leaves_out_a_repeated_id_and_a_short_row_keeping_the_first() {
    let text = "respondent_id,insee_com,q4\nA,01001,1\nB,69123,2\nA,13055,3\nC,75056\nD,33063,4\n";
    let opts = ReadOptions {
        skip_invalid: true,
        ..ReadOptions::default()
    };
    let (_dir, path) = temp_file("repeated.csv", text.as_bytes());
    let file = read_survey(&path, &opts).unwrap();
    let ids: Vec<(&str, usize)> = (file.respondents.iter())
        .map(|r| (r.id.as_str(), r.line))
        .collect();
    assert_eq!(ids, [("A", 2), ("B", 3), ("D", 6)]);
    assert_eq!((file.skipped.rows, file.skipped.lines()), (2, vec![4, 5]));
    assert!(
        file.skipped.problems[0]
            .message
            .contains("duplicate respondent id (first on line 2)")
    );
    // Without the option, the same file is refused.
    assert!(read_survey(&path, &ReadOptions::default()).is_err());
}

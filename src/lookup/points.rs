//! Batch lookup of a CSV of points: each row comes out as it came in (its raw bytes, quoting
//! untouched) with `commune_code`, `commune_name`, `departement` and `region` appended.
//!
//! Three stages overlap: a reader thread cuts the file into blocks of whole records, a worker
//! parses the two coordinate columns and locates a block on all cores (Z-ordered, see
//! [`SpatialIndex::locate_many`]) and builds its output bytes, and the calling thread writes
//! the blocks in order. Rows are never parsed beyond their two coordinates, and at most a few
//! blocks are in flight, so memory stays bounded whatever the file size.

use std::borrow::Cow;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, sync_channel};

use rayon::prelude::*;

use crate::index::SpatialIndex;
use crate::{Error, Layer, Result, Setting};

/// Bytes read at a time: about 280,000 rows of `id,lon,lat`. Bigger blocks put the Z-ordered
/// points of a block closer together (fewer cache misses); 8 MB keeps the process under
/// 250 MB.
const BLOCK: usize = 1 << 23;

/// Names of the columns appended to every row.
pub const ADDED_COLUMNS: [&str; 4] = ["commune_code", "commune_name", "departement", "region"];

/// What a batch lookup did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchReport {
    /// Data rows read (the header and blank lines excluded).
    pub rows: usize,
    /// Rows found in a commune.
    pub located: usize,
    /// Rows whose coordinates could not be read (their commune columns are empty).
    pub unreadable: usize,
    /// Line of the first such row.
    pub first_unreadable_line: Option<usize>,
}

/// What a batch lookup needs of the communes: their index and the four values appended to a
/// row in each.
#[derive(Debug)]
pub struct Communes {
    index: SpatialIndex,
    /// Code, name, département, région.
    columns: Vec<[String; 4]>,
}

impl Communes {
    /// Indexes a commune layer.
    pub fn new(layer: &Layer) -> Communes {
        let columns = layer
            .territories
            .iter()
            .map(|t| {
                [
                    t.code.clone(),
                    t.name.clone(),
                    t.departement.clone().unwrap_or_default(),
                    t.region.clone().unwrap_or_default(),
                ]
            })
            .collect();
        Communes {
            index: SpatialIndex::new(layer),
            columns,
        }
    }
}

/// Locates every row of the CSV `input` (named `path` in errors) and writes it to `out`
/// (named `out_name` in errors) with the commune columns appended. The delimiter (`,`, `;` or
/// tab) is the most frequent one in the header; `lon_col`/`lat_col` name the coordinate
/// columns (case-insensitive); coordinates are WGS84 degrees, with a decimal point or comma.
///
/// `communes` loads and indexes the boundaries on its own thread, while the first blocks of
/// the file are read and their coordinates parsed.
pub fn locate_csv(
    input: impl Read + Send,
    path: &Path,
    out: &mut dyn Write,
    out_name: &Path,
    communes: impl FnOnce() -> Result<Communes> + Send,
    [lon_col, lat_col]: [&str; 2],
) -> Result<BatchReport> {
    let write_error = |e: std::io::Error| Error::output(out_name, format!("cannot write: {e}"));
    std::thread::scope(|s| {
        let (blocks_tx, blocks) = sync_channel::<Result<Block>>(2);
        let (outputs_tx, outputs) = sync_channel::<Result<(Vec<Vec<u8>>, BatchReport)>>(2);
        // Read buffers go back to the reader: 8 MB blocks are not mapped and zeroed anew.
        let (spare_tx, spare) = sync_channel::<Vec<u8>>(2);
        s.spawn(move || read_blocks(input, path, spare, |b| blocks_tx.send(b).is_ok()));
        let loader = s.spawn(communes);
        s.spawn(move || {
            let fail = |e: Error| drop(outputs_tx.send(Err(e)));
            let mut blocks = blocks.into_iter();
            let columns = match blocks.next() {
                Some(Ok(first)) => Columns::new(&first, path, lon_col, lat_col).map(|c| (c, first)),
                Some(Err(e)) => Err(e),
                None => Err(Error::input(path, "cannot read the file")),
            };
            let (columns, first) = match columns {
                Ok(started) => started,
                Err(e) => return fail(e),
            };
            // Parse ahead while the communes load (at most three blocks: memory stays bounded).
            let mut ready = vec![columns.parse(first)];
            while !loader.is_finished() && ready.len() < 3 {
                match blocks.next() {
                    Some(Ok(block)) => ready.push(columns.parse(block)),
                    Some(Err(e)) => return fail(e),
                    None => break,
                }
            }
            let communes = match loader.join() {
                Ok(Ok(communes)) => communes,
                Ok(Err(e)) => return fail(e),
                Err(panic) => std::panic::resume_unwind(panic),
            };
            let job = Job::new(columns, &communes);
            let rest = blocks.map(|b| b.map(|b| job.columns.parse(b)));
            for parsed in ready.into_iter().map(Ok).chain(rest) {
                let done = parsed.map(|p| {
                    let done = job.write(&p, &communes.index);
                    let _ = spare_tx.try_send(p.block.bytes);
                    done
                });
                if outputs_tx.send(done).is_err() {
                    return;
                }
            }
        });
        let mut report = BatchReport::default();
        for done in outputs {
            let (pieces, r) = done?;
            for piece in pieces {
                out.write_all(&piece).map_err(write_error)?;
            }
            report.add(&r);
        }
        out.flush().map_err(write_error)?;
        Ok(report)
    })
}

impl BatchReport {
    /// Adds the counts of a later part of the file.
    fn add(&mut self, later: &BatchReport) {
        self.rows += later.rows;
        self.located += later.located;
        self.unreadable += later.unreadable;
        self.first_unreadable_line = self.first_unreadable_line.or(later.first_unreadable_line);
    }
}

/// Whole records of the file: `bytes` ends with a complete record.
struct Block {
    bytes: Vec<u8>,
    /// Offset of each record's `\n` (or of the end, for a last record without one).
    ends: Vec<usize>,
    /// Line number of the block's first record.
    first_line: usize,
    /// True for the block holding the header.
    first: bool,
    /// Field delimiter, guessed from the header.
    delimiter: u8,
}

/// Reads `input` into blocks of whole records (in buffers from `spare` when there are) and
/// hands each to `send` (which returns false when nobody listens any more).
fn read_blocks(
    mut input: impl Read,
    path: &Path,
    spare: Receiver<Vec<u8>>,
    send: impl Fn(Result<Block>) -> bool,
) {
    let mut carry: Vec<u8> = Vec::new();
    let mut line = 1;
    let mut first = true;
    let mut delimiter = None;
    loop {
        let mut bytes = spare.try_recv().unwrap_or_default();
        bytes.clear();
        bytes.append(&mut carry);
        let start = bytes.len();
        bytes.resize(start + BLOCK, 0);
        let mut filled = start;
        while filled < bytes.len() {
            match input.read(&mut bytes[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    send(Err(Error::read(path, e)));
                    return;
                }
            }
        }
        bytes.truncate(filled);
        let at_end = filled < start + BLOCK;
        let delimiter = *delimiter.get_or_insert_with(|| {
            let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
            [b';', b'\t', b',']
                .into_iter()
                .max_by_key(|d| header.iter().filter(|c| *c == d).count())
                .unwrap_or(b',')
        });
        let mut ends = Vec::with_capacity(bytes.len() / 24);
        let complete = record_ends(&bytes, delimiter, &mut ends);
        if at_end && complete < bytes.len() {
            ends.push(bytes.len());
        } else {
            carry = bytes.split_off(complete);
        }
        if ends.is_empty() && !at_end {
            // A record longer than a block: read on until it ends.
            carry = bytes;
            continue;
        }
        let lines = if memchr::memchr(b'"', &bytes).is_none() {
            ends.len()
        } else {
            memchr::memchr_iter(b'\n', &bytes).count()
        };
        let block = Block {
            bytes,
            ends,
            first_line: line,
            first,
            delimiter,
        };
        line += lines;
        first = false;
        if !send(Ok(block)) || at_end {
            return;
        }
    }
}

/// Pushes the offset of every record-ending `\n` of `bytes` (which starts at a record) and
/// returns the length of the complete records. A `\n` inside a quoted field does not end a
/// record; a quote inside an unquoted field is an ordinary character (as the `csv` crate
/// reads them).
fn record_ends(bytes: &[u8], delimiter: u8, ends: &mut Vec<usize>) -> usize {
    if memchr::memchr(b'"', bytes).is_none() {
        ends.extend(memchr::memchr_iter(b'\n', bytes));
    } else {
        #[derive(PartialEq)]
        enum State {
            FieldStart,
            Unquoted,
            Quoted,
            QuoteInQuoted,
        }
        let mut state = State::FieldStart;
        for (i, &b) in bytes.iter().enumerate() {
            state = match (state, b) {
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => State::Quoted,
                (State::FieldStart | State::QuoteInQuoted, b'"') => State::Quoted,
                (_, b'\n') => {
                    ends.push(i);
                    State::FieldStart
                }
                (_, b) if b == delimiter => State::FieldStart,
                _ => State::Unquoted,
            };
        }
    }
    ends.last().map_or(0, |&e| e + 1)
}

/// The coordinate columns and the delimiter, from the header.
struct Columns {
    delimiter: u8,
    lon: usize,
    lat: usize,
}

/// A block with its records and their points (NaN where unreadable).
struct Parsed {
    block: Block,
    /// `(start, end)` of each record, the header included.
    records: Vec<(usize, usize)>,
    /// Point of each data row (the header excluded).
    points: Vec<[f64; 2]>,
}

impl Columns {
    fn new(first: &Block, path: &Path, lon_col: &str, lat_col: &str) -> Result<Columns> {
        let Some(&end) = first.ends.first() else {
            return Err(Error::input(path, "the file is empty")
                .hint("give a CSV with a header line naming the longitude and latitude columns"));
        };
        let header = record(&first.bytes, 0, end).0;
        let delimiter = first.delimiter;
        let names: Vec<String> = (0..)
            .map_while(|i| field(header, delimiter, i))
            .map(|f| {
                String::from_utf8_lossy(&f)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect();
        let column = |name: &str| {
            names
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    Error::input(path, format!("no column '{name}'"))
                        .at("line 1")
                        .hint(format!(
                            "choose the longitude and latitude columns among: {}",
                            names.join(", ")
                        ))
                        .about(Setting::PointColumns)
                })
        };
        Ok(Columns {
            delimiter,
            lon: column(lon_col)?,
            lat: column(lat_col)?,
        })
    }

    /// Finds the records of a block and reads their points, on all cores.
    fn parse(&self, block: Block) -> Parsed {
        let starts = std::iter::once(0).chain(block.ends.iter().map(|e| e + 1));
        let records: Vec<(usize, usize)> = starts.zip(block.ends.iter().copied()).collect();
        let skip = usize::from(block.first).min(records.len());
        let points = records[skip..]
            .par_iter()
            .with_min_len(4096)
            .map(|&(start, end)| {
                let line = record(&block.bytes, start, end).0;
                [
                    number(field(line, self.delimiter, self.lon)),
                    number(field(line, self.delimiter, self.lat)),
                ]
            })
            .collect();
        Parsed {
            block,
            records,
            points,
        }
    }
}

/// What every block needs once the communes are loaded: the appended bytes per commune.
struct Job {
    columns: Columns,
    /// `;69123;Lyon;69;84` for each commune, quoted as the delimiter requires.
    added: Vec<Vec<u8>>,
    /// `;;;;` for rows in no commune.
    empty: Vec<u8>,
    /// Length of the longest of `added`.
    widest: usize,
}

impl Job {
    fn new(columns: Columns, communes: &Communes) -> Job {
        let delimiter = columns.delimiter;
        let cell = |text: &String| -> Vec<u8> {
            let mut out = vec![delimiter];
            if text
                .bytes()
                .any(|b| b == delimiter || matches!(b, b'"' | b'\n' | b'\r'))
            {
                out.push(b'"');
                out.extend(text.replace('"', "\"\"").bytes());
                out.push(b'"');
            } else {
                out.extend(text.bytes());
            }
            out
        };
        let added: Vec<Vec<u8>> = communes
            .columns
            .iter()
            .map(|values| values.iter().flat_map(cell).collect())
            .collect();
        Job {
            columns,
            widest: added.iter().map(Vec::len).max().unwrap_or(0),
            added,
            empty: vec![delimiter; 4],
        }
    }

    /// Locates the rows of a parsed block and returns its output, in pieces to write in order.
    fn write(&self, parsed: &Parsed, index: &SpatialIndex) -> (Vec<Vec<u8>>, BatchReport) {
        let Parsed {
            block,
            records,
            points,
        } = parsed;
        let rows = &records[records.len() - points.len()..];
        let hits = index.locate_many(points);
        let delimiter = self.columns.delimiter;
        let mut pieces = Vec::new();
        if block.first
            && let Some(&(start, end)) = records.first()
        {
            let (line, terminator) = record(&block.bytes, start, end);
            let mut header = line.to_vec();
            for name in ADDED_COLUMNS {
                header.push(delimiter);
                header.extend_from_slice(name.as_bytes());
            }
            header.extend_from_slice(terminator);
            pieces.push((header, BatchReport::default()));
        }
        // Pieces of a fixed number of rows, each allocated once at its final size.
        const ROWS: usize = 16_384;
        pieces.par_extend(
            rows.par_chunks(ROWS)
                .zip(points.par_chunks(ROWS))
                .zip(hits.par_chunks(ROWS))
                .map(|((rows, points), hits)| {
                    let span = rows.last().map_or(0, |r| r.1 + 2) - rows.first().map_or(0, |r| r.0);
                    let mut out = Vec::with_capacity(span + rows.len() * self.widest);
                    let mut r = BatchReport::default();
                    for ((&(start, end), p), hit) in rows.iter().zip(points).zip(hits) {
                        let (line, terminator) = record(&block.bytes, start, end);
                        if line.is_empty() {
                            continue;
                        }
                        r.rows += 1;
                        out.extend_from_slice(line);
                        match hit {
                            Some(i) => {
                                r.located += 1;
                                out.extend_from_slice(&self.added[*i]);
                            }
                            None => out.extend_from_slice(&self.empty),
                        }
                        out.extend_from_slice(terminator);
                        if p.iter().any(|v| v.is_nan()) {
                            r.unreadable += 1;
                            if r.first_unreadable_line.is_none() {
                                let before = &block.bytes[..start];
                                r.first_unreadable_line = Some(
                                    block.first_line + memchr::memchr_iter(b'\n', before).count(),
                                );
                            }
                        }
                    }
                    (out, r)
                }),
        );
        let mut report = BatchReport::default();
        let bytes = pieces
            .into_iter()
            .map(|(piece, r)| {
                report.add(&r);
                piece
            })
            .collect();
        (bytes, report)
    }
}

/// The record between `start` and the `\n` at `end` (or the end of the bytes): its content
/// without the line terminator, and the terminator to write after it (`\r\n` kept, `\n`
/// added to a last line without one).
fn record(bytes: &[u8], start: usize, end: usize) -> (&[u8], &[u8]) {
    let end = end.min(bytes.len());
    let line = &bytes[start..end];
    if let Some(content) = line.strip_suffix(b"\r") {
        (content, b"\r\n")
    } else {
        (line, b"\n")
    }
}

/// Field `i` of a record, unquoted.
fn field(line: &[u8], delimiter: u8, i: usize) -> Option<Cow<'_, [u8]>> {
    if memchr::memchr(b'"', line).is_none() {
        return line.split(|&b| b == delimiter).nth(i).map(Cow::Borrowed);
    }
    let mut k = 0;
    let mut pos = 0;
    loop {
        let rest = &line[pos..];
        let (value, next) = if rest.first() == Some(&b'"') {
            let mut value = Vec::new();
            let mut j = 1;
            while j < rest.len() {
                match (rest[j], rest.get(j + 1)) {
                    (b'"', Some(b'"')) => {
                        value.push(b'"');
                        j += 2;
                    }
                    (b'"', _) => break,
                    (b, _) => {
                        value.push(b);
                        j += 1;
                    }
                }
            }
            // Anything between the closing quote and the delimiter belongs to the field.
            let tail = memchr::memchr(delimiter, &rest[j.min(rest.len())..]).map(|t| j + t);
            if let Some(t) = tail {
                value.extend_from_slice(&rest[(j + 1).min(t)..t]);
            }
            (Cow::Owned(value), tail)
        } else {
            let tail = memchr::memchr(delimiter, rest);
            (Cow::Borrowed(&rest[..tail.unwrap_or(rest.len())]), tail)
        };
        if k == i {
            return Some(value);
        }
        pos += next? + 1;
        k += 1;
    }
}

/// A coordinate, with a decimal point or comma; NaN when unreadable.
fn number(text: Option<Cow<'_, [u8]>>) -> f64 {
    let Some(text) = text else {
        return f64::NAN;
    };
    let Ok(s) = std::str::from_utf8(&text) else {
        return f64::NAN;
    };
    let s = s.trim();
    s.parse::<f64>()
        .or_else(|_| s.replacen(',', ".", 1).parse::<f64>())
        .unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Level, Territory};
    use geo_types::{MultiPolygon, polygon};

    fn square(code: &str, name: &str, x0: f64) -> Territory {
        Territory {
            code: code.into(),
            name: name.into(),
            level: Level::Commune,
            departement: Some("01".into()),
            region: Some("84".into()),
            epci: None,
            population: None,
            geometry: MultiPolygon(vec![polygon![
                (x: x0, y: 0.0), (x: x0 + 1.0, y: 0.0), (x: x0 + 1.0, y: 1.0), (x: x0, y: 1.0)
            ]]),
        }
    }

    fn run(input: &str) -> (String, BatchReport) {
        let layer = Layer::new(
            vec![
                square("01001", "Ouest", 0.0),
                square("01002", "Est, \"le\" bourg", 1.0),
            ],
            "test",
        );
        let mut out = Vec::new();
        let report = locate_csv(
            input.as_bytes(),
            Path::new("p.csv"),
            &mut out,
            Path::new("out.csv"),
            || Ok(Communes::new(&layer)),
            ["lon", "lat"],
        )
        .expect("locates");
        (String::from_utf8(out).expect("UTF-8"), report)
    }

    #[test]
    fn rows_keep_their_bytes_and_names_are_quoted() {
        let (out, report) = run(
            "id,\"note\",lon,lat\r\n1,\"a, \"\"b\"\"\nc\",0.5,0.5\r\n\r\n2,x,\"1,5\",0.5\r\n3,y,abc,1\r\n4,z,7,7",
        );
        assert_eq!(
            out,
            "id,\"note\",lon,lat,commune_code,commune_name,departement,region\r\n\
             1,\"a, \"\"b\"\"\nc\",0.5,0.5,01001,Ouest,01,84\r\n\
             2,x,\"1,5\",0.5,01002,\"Est, \"\"le\"\" bourg\",01,84\r\n\
             3,y,abc,1,,,,\r\n\
             4,z,7,7,,,,\n"
        );
        assert_eq!(
            report,
            BatchReport {
                rows: 4,
                located: 2,
                unreadable: 1,
                first_unreadable_line: Some(6),
            }
        );
    }

    #[test]
    fn semicolons_decimal_commas_and_a_missing_column() {
        let (out, report) = run("LON;Lat\n0,5;0,5\n");
        assert_eq!(
            out,
            "LON;Lat;commune_code;commune_name;departement;region\n0,5;0,5;01001;Ouest;01;84\n"
        );
        assert_eq!(report.located, 1);
        let layer = Layer::new(vec![square("01001", "Ouest", 0.0)], "t");
        let e = locate_csv(
            "x,y\n1,2\n".as_bytes(),
            Path::new("p.csv"),
            &mut Vec::new(),
            Path::new("out.csv"),
            || Ok(Communes::new(&layer)),
            ["lon", "lat"],
        )
        .expect_err("no lon column")
        .to_string();
        assert!(e.contains("no column 'lon'") && e.contains("x, y"), "{e}");
    }

    #[test]
    fn records_span_blocks_and_quoted_newlines() {
        let mut ends = Vec::new();
        assert_eq!(record_ends(b"a,\"x\ny\"\nb,c\"\nd", b',', &mut ends), 13);
        assert_eq!(
            ends,
            [7, 12],
            "a quote inside an unquoted field opens nothing"
        );
        // Many rows: several blocks, order kept.
        let mut input = String::from("lon,lat\n");
        let n = 400_000;
        for k in 0..n {
            input.push_str(if k % 3 == 0 {
                "0.5,0.5\n"
            } else {
                "1.5,0.25\n"
            });
        }
        let (out, report) = run(&input);
        assert_eq!((report.rows, report.located), (n, n));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), n + 1);
        assert!(lines[1].ends_with("01001,Ouest,01,84") && lines[n].ends_with("01,84"));
        assert!(lines[3].starts_with("1.5,0.25,01002"));
    }
}

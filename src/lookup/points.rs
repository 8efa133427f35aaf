//! Batch lookup of a CSV of points: each row comes out as it came in (its fields and quoting
//! untouched, its delimiter kept) with `commune_code`, `commune_name`, `departement` and
//! `region` appended, the whole file in one encoding ([`OutputEncoding`]): a Windows-1252
//! input is transcoded, so that its columns and the added names read alike.
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

/// Points of a block whose coordinates are tried the other way round when they fall outside
/// every commune: enough to tell swapped columns from a few points at sea.
const SWAP_SAMPLE: usize = 512;

/// Encoding of the CSV a batch lookup writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputEncoding {
    /// UTF-8, with a byte-order mark when the input had one.
    #[default]
    #[value(name = "utf-8")]
    Utf8,
    /// Windows-1252, for old Excel versions; a character it lacks is written `?` (counted).
    #[value(name = "windows-1252")]
    Windows1252,
}

/// How a batch lookup reads its points and writes its rows.
#[derive(Debug, Clone, Copy)]
pub struct BatchOptions<'a> {
    /// Longitude and latitude columns (case-insensitive).
    pub columns: [&'a str; 2],
    /// The longitude column holds latitudes and the latitude column longitudes.
    pub swapped: bool,
    /// Encoding of the output.
    pub encoding: OutputEncoding,
}

/// Rows of one kind, and the line of the first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rows {
    /// How many.
    pub n: usize,
    /// Line of the first (in the input file, header = line 1).
    pub first_line: Option<usize>,
}

impl Rows {
    /// Counts one more, at the line `line()` gives (computed for the first only).
    fn note(&mut self, line: impl FnOnce() -> usize) {
        self.n += 1;
        if self.first_line.is_none() {
            self.first_line = Some(line());
        }
    }

    fn add(&mut self, later: &Rows) {
        self.n += later.n;
        self.first_line = self.first_line.or(later.first_line);
    }
}

/// What a batch lookup did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchReport {
    /// Data rows read (the header and blank lines excluded).
    pub rows: usize,
    /// Rows found in a commune.
    pub located: usize,
    /// Rows with readable coordinates in no commune (sea, abroad, a gap in the boundaries).
    pub outside: usize,
    /// Rows whose coordinates could not be read, or are no longitude/latitude (beyond ±180 or
    /// ±90): their commune columns are empty.
    pub unreadable: Rows,
    /// Rows with fewer fields than the header: completed with empty fields, so that the
    /// added columns stay under their names.
    pub short: Rows,
    /// Rows with more fields than the header: their added columns come after the extra ones.
    pub long: Rows,
    /// The input was not UTF-8 and was read as Windows-1252.
    pub windows_1252: bool,
    /// Lines of a UTF-8 input holding bytes that are not UTF-8 (each read as Windows-1252).
    pub mixed_encoding: Rows,
    /// Rows with characters Windows-1252 lacks (written `?`), with
    /// [`OutputEncoding::Windows1252`].
    pub unencodable: Rows,
    /// Points outside every commune tried with longitude and latitude swapped.
    pub swap_tried: usize,
    /// Those then found in a commune.
    pub swap_located: usize,
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
/// tab) is the most frequent one in the header; the input is UTF-8 (a byte-order mark
/// allowed) or, when it is not, Windows-1252; `options` name the coordinate columns
/// (WGS84 degrees, with a decimal point or comma) and the output encoding.
///
/// `communes` loads and indexes the boundaries on its own thread, while the first blocks of
/// the file are read and their coordinates parsed.
pub fn locate_csv(
    input: impl Read + Send,
    path: &Path,
    out: &mut dyn Write,
    out_name: &Path,
    communes: impl FnOnce() -> Result<Communes> + Send,
    options: BatchOptions,
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
                Some(Ok(first)) => Columns::new(&first, path, options).map(|c| (c, first)),
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
            let job = Job::new(columns, &communes, options.encoding);
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
        self.outside += later.outside;
        self.unreadable.add(&later.unreadable);
        self.short.add(&later.short);
        self.long.add(&later.long);
        self.windows_1252 |= later.windows_1252;
        self.mixed_encoding.add(&later.mixed_encoding);
        self.unencodable.add(&later.unencodable);
        self.swap_tried += later.swap_tried;
        self.swap_located += later.swap_located;
    }

    /// True when most readable points fall outside France but those tried the other way
    /// round fall inside: the longitude and latitude columns look swapped.
    pub fn looks_swapped(&self) -> bool {
        let readable = self.rows - self.unreadable.n;
        self.outside * 2 > readable && self.swap_located * 2 > self.swap_tried
    }
}

/// The delimiter of a CSV, from its header line: the most frequent of `;`, tab and `,`.
pub fn delimiter_of(header: &[u8]) -> u8 {
    [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| header.iter().filter(|c| *c == d).count())
        .unwrap_or(b',')
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
    /// The first block started with a UTF-8 byte-order mark (removed from `bytes`).
    bom: bool,
    /// How its bytes were decoded to UTF-8.
    decoding: BatchReport,
}

/// What the reader knows of the input's encoding so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detected {
    /// Nothing but ASCII yet.
    Ascii,
    /// Valid UTF-8 with non-ASCII characters: bytes that are not UTF-8 later are the
    /// exception (read as Windows-1252, counted).
    Utf8,
    /// Not UTF-8 before any UTF-8 character: everything is read as Windows-1252.
    Windows1252,
}

impl Detected {
    /// Makes `bytes` (whole records, starting at line `first_line`) UTF-8, updating what is
    /// known, and says what was done; the records' `ends` are found again when bytes changed.
    fn decode(
        &mut self,
        bytes: &mut Vec<u8>,
        ends: &mut Vec<usize>,
        delimiter: u8,
        first_line: usize,
    ) -> BatchReport {
        let mut report = BatchReport::default();
        // A last record without a line end is marked by an end at the end of the bytes.
        let unterminated = ends.last() == Some(&bytes.len());
        if *self != Detected::Windows1252 {
            match std::str::from_utf8(bytes) {
                Ok(text) => {
                    if *self == Detected::Ascii && !text.is_ascii() {
                        *self = Detected::Utf8;
                    }
                    return report;
                }
                Err(_) if *self == Detected::Ascii => *self = Detected::Windows1252,
                Err(e) => {
                    let (text, bad, _) = crate::survey::dialect::utf8_with_fallback(bytes);
                    let before = &bytes[..e.valid_up_to()];
                    report.mixed_encoding = Rows {
                        n: bad,
                        first_line: Some(first_line + memchr::memchr_iter(b'\n', before).count()),
                    };
                    *bytes = text.into_bytes();
                }
            }
        }
        if *self == Detected::Windows1252 {
            report.windows_1252 = true;
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            if let Cow::Owned(text) = text {
                *bytes = text.into_bytes();
            }
        }
        ends.clear();
        record_ends(bytes, delimiter, ends);
        if unterminated {
            ends.push(bytes.len());
        }
        report
    }
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
    let mut detected = Detected::Ascii;
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
        let bom = first && bytes.starts_with(b"\xEF\xBB\xBF");
        if bom {
            bytes.drain(..3);
        }
        let delimiter = *delimiter.get_or_insert_with(|| {
            delimiter_of(bytes.split(|&b| b == b'\n').next().unwrap_or_default())
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
        let decoding = detected.decode(&mut bytes, &mut ends, delimiter, line);
        let block = Block {
            bytes,
            ends,
            first_line: line,
            first,
            delimiter,
            bom,
            decoding,
        };
        line += lines;
        first = false;
        if !send(Ok(block)) || at_end {
            return;
        }
    }
}

/// Pushes the offset of every record-ending `\n` of `bytes` (which starts at a record) and
/// returns the length of the complete records.
fn record_ends(bytes: &[u8], delimiter: u8, ends: &mut Vec<usize>) -> usize {
    if memchr::memchr(b'"', bytes).is_none() {
        ends.extend(memchr::memchr_iter(b'\n', bytes));
    } else {
        scan(bytes, delimiter, |i, b| {
            if b == b'\n' {
                ends.push(i);
            }
        });
    }
    ends.last().map_or(0, |&e| e + 1)
}

/// Number of fields of a record (without its line end).
fn field_count(line: &[u8], delimiter: u8) -> usize {
    let mut n = 1;
    if memchr::memchr(b'"', line).is_none() {
        n += memchr::memchr_iter(delimiter, line).count();
    } else {
        scan(line, delimiter, |_, b| n += usize::from(b == delimiter));
    }
    n
}

/// Calls `found(offset, byte)` for every delimiter and `\n` of `bytes` (which starts at a
/// record) that is not inside a quoted field. A quote inside an unquoted field is an ordinary
/// character (as the `csv` crate reads them).
fn scan(bytes: &[u8], delimiter: u8, mut found: impl FnMut(usize, u8)) {
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
            (_, b) if b == b'\n' || b == delimiter => {
                found(i, b);
                State::FieldStart
            }
            _ => State::Unquoted,
        };
    }
}

/// The coordinate columns and the delimiter, from the header.
struct Columns {
    delimiter: u8,
    lon: usize,
    lat: usize,
    /// Fields of the header: shorter rows are completed to it.
    fields: usize,
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
    fn new(first: &Block, path: &Path, options: BatchOptions) -> Result<Columns> {
        let [lon_col, lat_col] = options.columns;
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
        let (lon, lat) = (column(lon_col)?, column(lat_col)?);
        let (lon, lat) = if options.swapped {
            (lat, lon)
        } else {
            (lon, lat)
        };
        Ok(Columns {
            delimiter,
            lon,
            lat,
            fields: names.len(),
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
                let lon = number(field(line, self.delimiter, self.lon));
                let lat = number(field(line, self.delimiter, self.lat));
                if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) {
                    [lon, lat]
                } else {
                    [f64::NAN; 2]
                }
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
    encoding: OutputEncoding,
}

impl Job {
    fn new(columns: Columns, communes: &Communes, encoding: OutputEncoding) -> Job {
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
            encoding,
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
        let line_at = |start: usize| {
            block.first_line + memchr::memchr_iter(b'\n', &block.bytes[..start]).count()
        };
        let mut pieces = Vec::new();
        if block.first
            && let Some(&(start, end)) = records.first()
        {
            let (line, terminator) = record(&block.bytes, start, end);
            let mut header = Vec::new();
            if block.bom && self.encoding == OutputEncoding::Utf8 {
                header.extend_from_slice(b"\xEF\xBB\xBF");
            }
            header.extend_from_slice(line);
            for name in ADDED_COLUMNS {
                header.push(delimiter);
                header.extend_from_slice(name.as_bytes());
            }
            header.extend_from_slice(terminator);
            let mut r = BatchReport::default();
            self.encode(&mut header, 0, &mut r.unencodable, || 1);
            pieces.push((header, r));
        }
        let mut swap = BatchReport::default();
        let tries: Vec<[f64; 2]> = points
            .iter()
            .zip(&hits)
            .filter(|(p, hit)| hit.is_none() && p[0].abs() <= 90.0)
            .map(|(p, _)| [p[1], p[0]])
            .take(SWAP_SAMPLE)
            .collect();
        swap.swap_tried = tries.len();
        swap.swap_located = index.locate_many(&tries).iter().flatten().count();
        pieces.push((Vec::new(), swap));
        pieces.push((Vec::new(), block.decoding.clone()));
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
                        let row_start = out.len();
                        out.extend_from_slice(line);
                        let fields = field_count(line, delimiter);
                        if fields < self.columns.fields {
                            r.short.note(|| line_at(start));
                            out.resize(out.len() + self.columns.fields - fields, delimiter);
                        } else if fields > self.columns.fields {
                            r.long.note(|| line_at(start));
                        }
                        match hit {
                            Some(i) => {
                                r.located += 1;
                                out.extend_from_slice(&self.added[*i]);
                            }
                            None => out.extend_from_slice(&self.empty),
                        }
                        out.extend_from_slice(terminator);
                        if p.iter().any(|v| v.is_nan()) {
                            r.unreadable.note(|| line_at(start));
                        } else if hit.is_none() {
                            r.outside += 1;
                        }
                        self.encode(&mut out, row_start, &mut r.unencodable, || line_at(start));
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

impl Job {
    /// Re-encodes the UTF-8 bytes of `out` from `start` (one row) as the output requires,
    /// noting a row with characters the encoding lacks (written `?`).
    fn encode(
        &self,
        out: &mut Vec<u8>,
        start: usize,
        unencodable: &mut Rows,
        line: impl FnOnce() -> usize,
    ) {
        if self.encoding == OutputEncoding::Utf8 || out[start..].is_ascii() {
            return;
        }
        let text = String::from_utf8_lossy(&out[start..]).into_owned();
        let (bytes, _, lacking) = encoding_rs::WINDOWS_1252.encode(&text);
        let bytes = if lacking {
            unencodable.note(line);
            let mut buffer = [0; 4];
            text.chars()
                .flat_map(|c| {
                    let (b, _, lacks) =
                        encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buffer));
                    if lacks { vec![b'?'] } else { b.into_owned() }
                })
                .collect()
        } else {
            bytes.into_owned()
        };
        out.truncate(start);
        out.extend_from_slice(&bytes);
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

    const OPTIONS: BatchOptions = BatchOptions {
        columns: ["lon", "lat"],
        swapped: false,
        encoding: OutputEncoding::Utf8,
    };

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
            OPTIONS,
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
                outside: 1,
                unreadable: Rows {
                    n: 1,
                    first_line: Some(6),
                },
                swap_tried: 1,
                ..BatchReport::default()
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
            OPTIONS,
        )
        .expect_err("no lon column")
        .to_string();
        assert!(e.contains("no column 'lon'") && e.contains("x, y"), "{e}");
    }

    fn run_bytes(input: &[u8], options: BatchOptions) -> (Vec<u8>, BatchReport) {
        let layer = Layer::new(vec![square("01001", "Écoute-s'il-pleut", 0.0)], "t");
        let mut out = Vec::new();
        let report = locate_csv(
            input,
            Path::new("p.csv"),
            &mut out,
            Path::new("out.csv"),
            || Ok(Communes::new(&layer)),
            options,
        )
        .expect("locates");
        (out, report)
    }

    #[test]
    fn one_encoding_per_output_and_short_rows_completed() {
        // Windows-1252 in, `;`, a row missing its last field.
        let input = b"nom;lon;lat;note\nCaf\xE9;0,5;0,5;\xE0 voir\nB;0,5;0,5\n";
        let (out, report) = run_bytes(input, OPTIONS);
        assert_eq!(
            String::from_utf8(out).expect("all UTF-8"),
            "nom;lon;lat;note;commune_code;commune_name;departement;region\n\
             Café;0,5;0,5;à voir;01001;Écoute-s'il-pleut;01;84\n\
             B;0,5;0,5;;01001;Écoute-s'il-pleut;01;84\n"
        );
        assert!(report.windows_1252);
        assert_eq!(
            report.short,
            Rows {
                n: 1,
                first_line: Some(3)
            }
        );
        let cp1252 = BatchOptions {
            encoding: OutputEncoding::Windows1252,
            ..OPTIONS
        };
        let (out, report) = run_bytes("\u{FEFF}n,lon,lat\nŁódź é,0.5,0.5\n".as_bytes(), cp1252);
        assert_eq!(
            out,
            b"n,lon,lat,commune_code,commune_name,departement,region\n?\xF3d? \xE9,0.5,0.5,01001,\xC9coute-s'il-pleut,01,84\n"
        );
        assert_eq!(report.unencodable.first_line, Some(2));
        assert!(!report.windows_1252);
    }

    #[test]
    fn out_of_range_and_swapped_points() {
        let (_, report) = run_bytes(b"lon,lat\n0.5,95\n200,0.5\n0.5,0.5\n", OPTIONS);
        assert_eq!((report.located, report.unreadable.n), (1, 2));
        // Latitude first under the wrong names: all outside, all inside once swapped.
        let swapped_input = b"lon,lat\n0.5,0.25\n0.25,0.5\n0.75,0.5\n";
        let (_, report) = run_bytes(swapped_input, OPTIONS);
        assert_eq!(report.located, 3, "the square is symmetric: all inside");
        let (_, report) = run_bytes(b"lon,lat\n5,0.5\n6,0.5\n0.5,0.5\n", OPTIONS);
        assert_eq!((report.outside, report.swap_tried), (2, 2));
        assert_eq!(report.swap_located, 0);
        assert!(!report.looks_swapped());
        let layer = Layer::new(vec![square("01001", "Ouest", 4.0)], "t");
        let located = |options| {
            let mut out = Vec::new();
            locate_csv(
                &b"lon,lat\n0.5,4.5\n0.25,4.5\n"[..],
                Path::new("p.csv"),
                &mut out,
                Path::new("out.csv"),
                || Ok(Communes::new(&layer)),
                options,
            )
            .expect("locates")
        };
        let report = located(OPTIONS);
        assert_eq!((report.outside, report.swap_located), (2, 2));
        assert!(report.looks_swapped());
        let report = located(BatchOptions {
            swapped: true,
            ..OPTIONS
        });
        assert_eq!(report.located, 2);
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

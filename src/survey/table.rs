//! One row source for CSV and spreadsheets, so the survey and indicator readers validate
//! cells once, whatever the file format.
//!
//! CSV is decoded to UTF-8 up front (one pass), then streamed through `csv` into a reused
//! `StringRecord`: no allocation per field. Spreadsheet cells are turned into the same text a
//! CSV export would hold (whole numbers without `.0`), and odd cells (dates, `#N/A`) are
//! remembered so the reader can say what they are instead of "not a number".

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader};
use csv::StringRecord;

use super::dialect::{self, Dialect, Format};
use crate::{Error, Result};

/// A spreadsheet cell that has no faithful text form for our columns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OddCell {
    /// A date or time (Excel turned a code or answer into a date).
    Date(String),
    /// An Excel error value such as `#N/A` or `#DIV/0!`.
    Error(String),
}

/// An open table: header read, rows to come.
pub(crate) struct Table {
    pub dialect: Dialect,
    /// Field delimiter given to the CSV reader (unit separator when none was found).
    delimiter: u8,
    /// Header cells, trimmed.
    pub header: Vec<String>,
    /// Line (CSV) or row (spreadsheet) of the header, 1-based.
    pub header_line: usize,
    /// Odd cells of the current row: (column index, what it is).
    pub odd: Vec<(usize, OddCell)>,
    source: Source,
}

enum Source {
    Csv {
        reader: csv::Reader<Cursor<Vec<u8>>>,
        lines: LineCounter,
    },
    Sheet {
        range: Range<Data>,
        next: usize,
        first_row: usize,
    },
}

impl Table {
    /// Opens a CSV or spreadsheet file and reads its header. Blank lines before the header are
    /// skipped. Fails on an empty or binary file.
    pub fn open(path: &Path) -> Result<Table> {
        Table::from_bytes(crate::input::read(path, "CSV or spreadsheet file")?, path)
    }

    /// [`Table::open`] on bytes already in memory; `path` names them in messages.
    pub fn from_bytes(bytes: Vec<u8>, path: &Path) -> Result<Table> {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) || bytes == b"\xEF\xBB\xBF" {
            return Err(Error::input(path, "the file is empty")
                .hint("expected a header line then one row per respondent or commune"));
        }
        if dialect::is_spreadsheet(&bytes) {
            return Table::open_sheet(bytes, path);
        }
        let (text, start, encoding) = dialect::decode(bytes, path)?;
        let delimiter = dialect::sniff_delimiter(&text[start..]);
        let lines = LineCounter::new(&text, start);
        let mut cursor = Cursor::new(text);
        cursor.set_position(start as u64);
        let reader = csv_reader(delimiter.unwrap_or(b'\x1f'), cursor);
        let dialect = Dialect {
            format: Format::Csv,
            delimiter: delimiter.map(char::from),
            encoding: Some(encoding),
            decimal_comma: false,
        };
        let mut table = Table {
            dialect,
            delimiter: delimiter.unwrap_or(b'\x1f'),
            header: Vec::new(),
            header_line: 0,
            odd: Vec::new(),
            source: Source::Csv { reader, lines },
        };
        table.read_header(path)?;
        Ok(table)
    }

    fn open_sheet(bytes: Vec<u8>, path: &Path) -> Result<Table> {
        let bad = |e: calamine::Error| {
            Error::input(path, format!("cannot read the spreadsheet: {e}")).hint(
                "save it again from Excel or LibreOffice as .xlsx, or export the sheet as CSV",
            )
        };
        // The first sheet that holds anything: workbooks often start with a notes sheet left empty.
        let first_sheet = || -> Result<Option<(String, Range<Data>)>> {
            let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(bad)?;
            for name in book.sheet_names() {
                let range = book.worksheet_range(&name).map_err(bad)?;
                if range
                    .used_cells()
                    .any(|(_, _, c)| !matches!(c, Data::Empty))
                {
                    return Ok(Some((name, range)));
                }
            }
            Ok(None)
        };
        // calamine's arithmetic on cell references can overflow on a damaged file (found by
        // fuzzing: a panic in checked builds): a damaged workbook is bad input, not a crash.
        let chosen = std::panic::catch_unwind(std::panic::AssertUnwindSafe(first_sheet)).map_err(
            |_| {
                Error::input(
                    path,
                    "cannot read the spreadsheet: its cell references are damaged",
                )
                .hint(
                    "save it again from Excel or LibreOffice as .xlsx, or export the sheet as CSV",
                )
            },
        )??;
        let Some((sheet, range)) = chosen else {
            return Err(Error::input(path, "the workbook is empty").hint(
                "put a header row then one row per respondent or commune on the first sheet",
            ));
        };
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        let dialect = Dialect {
            format: Format::Excel { sheet },
            delimiter: None,
            encoding: None,
            decimal_comma: false,
        };
        let mut table = Table {
            dialect,
            delimiter: 0,
            header: Vec::new(),
            header_line: 0,
            odd: Vec::new(),
            source: Source::Sheet {
                range,
                next: 0,
                first_row,
            },
        };
        table.read_header(path)?;
        Ok(table)
    }

    fn read_header(&mut self, path: &Path) -> Result<()> {
        let mut record = StringRecord::new();
        while let Some(line) = self.next_row(&mut record, path)? {
            if is_blank(&record) {
                continue;
            }
            self.header = record
                .iter()
                .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
                .collect();
            self.header_line = line;
            return Ok(());
        }
        Err(Error::input(path, "the file is empty")
            .hint("expected a header line then one row per respondent or commune"))
    }

    /// Reads the next row into `record`; returns its line (CSV: where the record starts;
    /// spreadsheet: the row number Excel shows), or `None` at the end.
    pub fn next_row(&mut self, record: &mut StringRecord, path: &Path) -> Result<Option<usize>> {
        self.odd.clear();
        match &mut self.source {
            Source::Csv { reader, lines } => {
                if !reader
                    .read_record(record)
                    .map_err(|e| csv_error(e, path, lines, reader.get_ref().get_ref()))?
                {
                    return Ok(None);
                }
                let start = record.position().map_or(0, |p| p.byte() as usize);
                Ok(Some(lines.line_at(reader.get_ref().get_ref(), start)))
            }
            Source::Sheet {
                range,
                next,
                first_row,
            } => {
                if *next >= range.height() {
                    return Ok(None);
                }
                let line = *first_row + *next + 1;
                record.clear();
                for i in 0..range.width() {
                    match range.get((*next, i)).unwrap_or(&Data::Empty) {
                        Data::Empty => record.push_field(""),
                        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                            record.push_field(s)
                        }
                        Data::Int(v) => record.push_field(&v.to_string()),
                        Data::Float(v) => record.push_field(&format_float(*v)),
                        Data::Bool(b) => record.push_field(if *b { "true" } else { "false" }),
                        Data::DateTime(d) => {
                            let (y, m, day, h, min, sec, _) = d.to_ymd_hms_milli();
                            let text = if (h, min, sec) == (0, 0, 0) {
                                format!("{y:04}-{m:02}-{day:02}")
                            } else {
                                format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{sec:02}")
                            };
                            record.push_field(&text);
                            self.odd.push((i, OddCell::Date(text)));
                        }
                        Data::Error(e) => {
                            let text = e.to_string();
                            record.push_field(&text);
                            self.odd.push((i, OddCell::Error(text)));
                        }
                    }
                }
                *next += 1;
                Ok(Some(line))
            }
        }
    }

    /// The rows still to read cut into about `n` pieces at line ends, to validate them in
    /// parallel. `None` for spreadsheets, small files, and files with quotes (a quoted field
    /// may hold a line break, so a line end is not always a row end).
    pub fn plain_chunks(&self, n: usize) -> Option<Vec<Chunk<'_>>> {
        let Source::Csv { reader, lines } = &self.source else {
            return None;
        };
        let text = reader.get_ref().get_ref();
        let start = (lines.origin + reader.position().byte() as usize).min(text.len());
        let data = &text[start..];
        if n < 2 || data.len() < MIN_PARALLEL_BYTES || data.contains(&b'"') {
            return None;
        }
        let count = |t: &[u8]| t.iter().filter(|&&b| b == lines.terminator).count();
        let mut breaks = count(&text[..start]);
        let mut chunks = Vec::with_capacity(n);
        let mut from = 0;
        for k in 1..=n {
            let mut to = if k == n {
                data.len()
            } else {
                (data.len() * k / n).max(from)
            };
            if k < n {
                to = data[to..]
                    .iter()
                    .position(|&b| b == lines.terminator)
                    .map_or(data.len(), |p| to + p + 1);
            }
            if to > from {
                let text = &data[from..to];
                chunks.push(Chunk {
                    text,
                    breaks_before: breaks,
                    delimiter: self.delimiter,
                    terminator: lines.terminator,
                });
                breaks += count(text);
                from = to;
            }
        }
        Some(chunks)
    }

    /// Upper bound of the rows to come, to size vectors once (a million respondents are
    /// 400 MB of structs: growing by doubling would copy them again and again).
    pub fn rows_hint(&self) -> usize {
        match &self.source {
            Source::Csv { reader, lines } => {
                let text = reader.get_ref().get_ref();
                text.iter().filter(|&&b| b == lines.terminator).count() + 1
            }
            Source::Sheet { range, .. } => range.height(),
        }
    }
}

/// Line numbers of CSV records. The `csv` reader's own line count depends on the line
/// terminator (CRLF records report the previous line), so count line breaks ourselves, once
/// over the file: a record starts at its first byte that is not a line break.
struct LineCounter {
    /// Where the reader's byte offsets start (past a BOM).
    origin: usize,
    counted_to: usize,
    breaks: usize,
    /// `\n` ends lines (LF, CRLF); `\r` only in files that have no `\n` (old Mac exports).
    terminator: u8,
}

impl LineCounter {
    fn new(text: &[u8], origin: usize) -> Self {
        let terminator = if text.contains(&b'\n') { b'\n' } else { b'\r' };
        LineCounter {
            origin,
            counted_to: origin,
            breaks: 0,
            terminator,
        }
    }

    /// Line (1-based) of the record starting at reader offset `start`.
    fn line_at(&mut self, text: &[u8], start: usize) -> usize {
        let mut first = (self.origin + start).min(text.len());
        while first < text.len() && matches!(text[first], b'\r' | b'\n') {
            first += 1;
        }
        if first > self.counted_to {
            let span = &text[self.counted_to..first];
            self.breaks += span.iter().filter(|&&b| b == self.terminator).count();
            self.counted_to = first;
        }
        self.breaks + 1
    }
}

/// True when every field is blank (blank lines, or `;;;;` lines Excel leaves at the end).
pub(crate) fn is_blank(record: &StringRecord) -> bool {
    record.iter().all(|f| f.trim().is_empty())
}

/// Whole numbers without `.0`, as a CSV export writes them (codes stored as numbers).
fn format_float(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

fn csv_error(e: csv::Error, path: &Path, lines: &mut LineCounter, text: &[u8]) -> Error {
    let line = e.position().map(|p| lines.line_at(text, p.byte() as usize));
    let msg = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid text encoding".to_string(),
        _ => e.to_string(),
    };
    let err = Error::input(path, msg)
        .hint("check the quotes on that line: a field that opens a quote must close it");
    match line {
        Some(l) => err.at(format!("line {l}")),
        None => err,
    }
}

fn csv_reader<R: std::io::Read>(delimiter: u8, source: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(source)
}

/// Files smaller than this are read in one pass: threads would cost more than they save.
const MIN_PARALLEL_BYTES: usize = 1 << 20;

/// A piece of a CSV file that starts and ends at line ends, readable on its own.
pub(crate) struct Chunk<'a> {
    text: &'a [u8],
    /// Line breaks in the file before this piece.
    breaks_before: usize,
    delimiter: u8,
    terminator: u8,
}

impl Chunk<'_> {
    /// Upper bound of its rows.
    pub fn lines(&self) -> usize {
        self.text.iter().filter(|&&b| b == self.terminator).count() + 1
    }

    /// Calls `f` with each record and its line in the file.
    pub fn read(&self, path: &Path, mut f: impl FnMut(usize, &StringRecord)) -> Result<()> {
        let mut reader = csv_reader(self.delimiter, self.text);
        let mut lines = LineCounter {
            origin: 0,
            counted_to: 0,
            breaks: self.breaks_before,
            terminator: self.terminator,
        };
        let mut record = StringRecord::new();
        while reader
            .read_record(&mut record)
            .map_err(|e| csv_error(e, path, &mut lines, self.text))?
        {
            let start = record.position().map_or(0, |p| p.byte() as usize);
            f(lines.line_at(self.text, start), &record);
        }
        Ok(())
    }
}

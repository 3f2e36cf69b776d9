//! Reading a spreadsheet the importer was given: a workbook (xlsx, xls, ods, xlsb through
//! calamine) or a CSV file, into [`Table`]s. The file is read like every input the tool does not
//! trust (`files::read_regular`: a regular file, no symlink or FIFO, at most 64 MB); an xlsx
//! sheet is streamed cell by cell into a sparse table with a cap on its cells, so a sheet that
//! claims a million rows by a million columns costs only the cells it really has.

use crate::error::{Error, Result};
use crate::model::sheet::{Cell, Table};
use crate::msg::m;
use calamine::{Data, DataRef, Reader, Sheets};
use std::io::Cursor;
use std::path::Path;

/// At most this many non-empty cells per sheet (a million rows of a wide template is far less).
const MAX_CELLS: usize = 5_000_000;
/// Columns beyond this are not read (the template has about 30).
const MAX_COLUMNS: u32 = 512;

/// The tables of a file: one per sheet of a workbook (in the workbook's order; only `sheet`
/// when it is given), or the one table of a CSV file (named after the file). `shown` names the
/// file in errors, as the user gave it.
pub fn read_tables(path: &Path, shown: &Path, sheet: Option<&str>) -> Result<Vec<Table>> {
    let bytes = crate::io::store::read_input(path, shown)?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    match ext.as_str() {
        "csv" | "tsv" | "txt" => {
            if let Some(s) = sheet {
                return Err(m::IMP_CSV_HAS_ONE_TABLE
                    .with("sheet", s)
                    .with("file", name)
                    .into());
            }
            Ok(vec![read_csv(&bytes, name, shown)?])
        }
        "xlsx" | "xlsm" | "xls" | "xla" | "xlsb" | "ods" => read_workbook(bytes, sheet, shown),
        _ => Err(m::IMP_NOT_A_SPREADSHEET
            .with("file", shown.display())
            .into()),
    }
}

fn read_workbook(bytes: Vec<u8>, wanted: Option<&str>, path: &Path) -> Result<Vec<Table>> {
    let broken = |e: &dyn std::fmt::Display| Error::Io {
        path: path.to_path_buf(),
        message: m::E_NOT_A_WORKBOOK.with("detail", e),
    };
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| broken(&e))?;
    let names = book.sheet_names();
    let chosen: Vec<String> = match wanted {
        None => names.clone(),
        Some(w) => {
            let id = crate::model::names::identity(w);
            let found: Vec<String> = names
                .iter()
                .filter(|n| crate::model::names::identity(n) == id)
                .cloned()
                .collect();
            if found.is_empty() {
                return Err(m::IMP_NO_SUCH_SHEET
                    .with("file", path.display())
                    .with("sheet", w)
                    .with_list("sheets", &names)
                    .into());
            }
            found
        }
    };
    let mut tables = Vec::new();
    for name in chosen {
        let rows = match &mut book {
            Sheets::Xlsx(x) => {
                let mut reader = x.worksheet_cells_reader(&name).map_err(|e| broken(&e))?;
                let mut cells: Vec<(u32, u32, Cell)> = Vec::new();
                while let Some(cell) = reader.next_cell().map_err(|e| broken(&e))? {
                    let (row, col) = cell.get_position();
                    let value = from_ref(cell.get_value());
                    if col >= MAX_COLUMNS || value.is_empty() {
                        continue;
                    }
                    if cells.len() >= MAX_CELLS {
                        return Err(m::IMP_SHEET_TOO_BIG
                            .with("file", path.display())
                            .with("sheet", &name)
                            .with("max", MAX_CELLS)
                            .into());
                    }
                    cells.push((row, col, value));
                }
                rows_of(cells)
            }
            other => {
                let range = other.worksheet_range(&name).map_err(|e| broken(&e))?;
                let (top, left) = range.start().unwrap_or((0, 0));
                let mut cells = Vec::new();
                for (r, row) in range.rows().enumerate() {
                    for (c, data) in row.iter().enumerate() {
                        let value = from_data(data);
                        let col = left + c as u32;
                        if col < MAX_COLUMNS && !value.is_empty() {
                            cells.push((top + r as u32, col, value));
                        }
                    }
                }
                rows_of(cells)
            }
        };
        tables.push(Table { sheet: name, rows });
    }
    Ok(tables)
}

/// Sparse cells (0-based row, column) into rows with their 1-based number.
fn rows_of(mut cells: Vec<(u32, u32, Cell)>) -> Vec<(usize, Vec<Cell>)> {
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let mut rows: Vec<(usize, Vec<Cell>)> = Vec::new();
    for (r, c, value) in cells {
        let number = r as usize + 1;
        if rows.last().is_none_or(|(n, _)| *n != number) {
            rows.push((number, Vec::new()));
        }
        if let Some((_, row)) = rows.last_mut() {
            let c = c as usize;
            if row.len() <= c {
                row.resize(c + 1, Cell::Empty);
            }
            row[c] = value;
        }
    }
    rows
}

fn date_cell(dt: &calamine::ExcelDateTime) -> Cell {
    if !dt.is_datetime() {
        return Cell::Text(crate::model::sheet::number_text(dt.as_f64()));
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
        .map_or_else(|| Cell::Number(dt.as_f64()), Cell::Date)
}

fn iso_cell(text: &str) -> Cell {
    text.get(..10)
        .and_then(crate::model::dates::parse_iso)
        .map_or_else(|| Cell::Text(text.to_string()), Cell::Date)
}

fn from_ref(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => date_cell(dt),
        DataRef::DateTimeIso(s) => iso_cell(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(_) | DataRef::Empty => Cell::Empty,
    }
}

fn from_data(value: &Data) -> Cell {
    match value {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt),
        Data::DateTimeIso(s) => iso_cell(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(_) | Data::Empty => Cell::Empty,
    }
}

/// A CSV file as one table: UTF-8 (with or without a byte-order mark), else GB18030 — what
/// Excel and WPS in Chinese save as "CSV" — or UTF-16 with its mark ("Unicode text"). The
/// separator is the one of `,` `;` tab that the first lines use most.
fn read_csv(bytes: &[u8], name: String, path: &Path) -> Result<Table> {
    let text = decode(bytes);
    // The separator the first lines use most (a title line above the headers has none); a tie
    // goes to the comma.
    let count = |sep: u8| -> usize {
        text.lines()
            .take(10)
            .map(|l| l.matches(char::from(sep)).count())
            .max()
            .unwrap_or(0)
    };
    let sep = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|s| count(*s))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells = 0usize;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Error::Io {
            path: path.to_path_buf(),
            message: m::E_CSV_LINE.with("line", i + 1).with("detail", e),
        })?;
        let row: Vec<Cell> = record
            .iter()
            .take(MAX_COLUMNS as usize)
            .map(|c| {
                if c.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(c.to_string())
                }
            })
            .collect();
        cells += row.len();
        if cells > MAX_CELLS {
            return Err(m::IMP_CSV_TOO_BIG
                .with("file", path.display())
                .with("max", MAX_CELLS)
                .into());
        }
        if row.iter().any(|c| !c.is_empty()) {
            rows.push((i + 1, row));
        }
    }
    Ok(Table { sheet: name, rows })
}

fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_the_encodings_excel_writes() {
        let gbk = encoding_rs::GB18030
            .encode("客户名称,行业\n华东机械,制造\n")
            .0;
        let t = read_csv(&gbk, "a.csv".into(), Path::new("a.csv")).unwrap();
        assert_eq!(t.rows[1].1[0], Cell::Text("华东机械".into()));
        let bom = "\u{feff}客户名称;行业\n华东机械;制造\n".as_bytes();
        let t = read_csv(bom, "b.csv".into(), Path::new("b.csv")).unwrap();
        assert_eq!(t.rows[0].1[1], Cell::Text("行业".into()));
        assert_eq!(t.rows[1].0, 2);
    }

    #[test]
    fn sparse_cells_become_numbered_rows() {
        let rows = rows_of(vec![
            (4, 2, Cell::Text("b".into())),
            (0, 0, Cell::Text("a".into())),
        ]);
        assert_eq!(rows[0].0, 1);
        assert_eq!(rows[1].0, 5);
        assert_eq!(rows[1].1.len(), 3);
    }
}

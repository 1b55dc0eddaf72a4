//! Spreadsheets for people who work in them: an Office Open XML workbook (`.xlsx`) written by
//! hand (a ZIP of a few XML parts), with typed cells (numbers as numbers, not available as an
//! empty cell) and as many sheets as asked, such as the figures and a sheet of sources and notes.

use crate::zip::zip_deflated;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum XlsxCell {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// Not available: left empty.
    Empty,
}

/// One sheet: its name and rows, the first of which is the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name (cut to 31 characters, as Excel requires).
    pub name: String,
    /// The rows.
    pub rows: Vec<Vec<XlsxCell>>,
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold are left out rather than making the file unreadable.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The column letters of a 0-based index: A … Z, AA …
fn column(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn sheet_xml(sheet: &Sheet) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
    for (r, row) in sheet.rows.iter().enumerate() {
        out.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column(c), r + 1);
            match cell {
                XlsxCell::Text(t) => out.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                    xml(t)
                )),
                XlsxCell::Number(n) if n.is_finite() => {
                    out.push_str(&format!("<c r=\"{at}\"><v>{n}</v></c>"))
                }
                XlsxCell::Number(_) | XlsxCell::Empty => {}
            }
        }
        out.push_str("</row>");
    }
    out.push_str("</sheetData></worksheet>");
    out
}

/// A workbook of `sheets`.
pub fn workbook(sheets: &[Sheet]) -> Vec<u8> {
    let names: Vec<String> = sheets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let clean: String = s
                .name
                .chars()
                .filter(|c| !"[]:*?/\\".contains(*c))
                .take(31)
                .collect();
            if clean.is_empty() {
                format!("Sheet{}", i + 1)
            } else {
                clean
            }
        })
        .collect();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let overrides: String = (1..=sheets.len())
        .map(|i| format!("<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))
        .collect();
    files.push(("[Content_Types].xml".into(), format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>{overrides}</Types>").into_bytes()));
    files.push(("_rels/.rels".into(), b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_vec()));
    let sheet_list: String = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            format!(
                "<sheet name=\"{}\" sheetId=\"{}\" r:id=\"rId{}\"/>",
                xml(n),
                i + 1,
                i + 1
            )
        })
        .collect();
    files.push(("xl/workbook.xml".into(), format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>{sheet_list}</sheets></workbook>").into_bytes()));
    let rels: String = (1..=sheets.len())
        .map(|i| format!("<Relationship Id=\"rId{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"))
        .collect();
    files.push(("xl/_rels/workbook.xml.rels".into(), format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>").into_bytes()));
    for (i, s) in sheets.iter().enumerate() {
        files.push((
            format!("xl/worksheets/sheet{}.xml", i + 1),
            sheet_xml(s).into_bytes(),
        ));
    }
    zip_deflated(&files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column(0), "A");
        assert_eq!(column(25), "Z");
        assert_eq!(column(26), "AA");
        assert_eq!(column(701), "ZZ");
        assert_eq!(column(702), "AAA");
    }

    #[test]
    fn openpyxl_reads_typed_cells_and_every_sheet() {
        let book = workbook(&[
            Sheet {
                name: "Figures".into(),
                rows: vec![
                    vec![
                        XlsxCell::Text("year".into()),
                        XlsxCell::Text("refugees".into()),
                    ],
                    vec![XlsxCell::Number(2024.0), XlsxCell::Number(31_612_412.0)],
                    vec![XlsxCell::Number(2025.0), XlsxCell::Empty],
                ],
            },
            Sheet {
                name: "Sources & notes".into(),
                rows: vec![vec![XlsxCell::Text("UNHCR <Refugee Data Finder>".into())]],
            },
        ]);
        let printed = crate::python_reader::python_reads(
            "t.xlsx",
            &book,
            "import sys, openpyxl; b = openpyxl.load_workbook(sys.argv[1]); s = b['Figures']; print(b.sheetnames, s['B2'].value, type(s['B2'].value).__name__, s['B3'].value, b['Sources & notes']['A1'].value)",
        );
        assert_eq!(
            printed.trim(),
            "['Figures', 'Sources & notes'] 31612412 int None UNHCR <Refugee Data Finder>"
        );
    }
}

//! Writes workbooks from sheet descriptions and reads the parts back from the zip.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{Cursor, Read};

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

const SPEC: &str = r#"{"sheets":[
 {"name":"Tasks","filter":true,"columns":[
   {"header":"ID","kind":"number","link":true},
   {"header":"Title","kind":"text","link":true},
   {"header":"Due","kind":"date","offset":10800},
   {"header":"Spent","kind":"duration"}],
  "rows":[
   {"k":"g","c":["High (2)"]},
   {"l":"https://acme.example/view/7/","c":[7,"Say \"hi\"",0,5400]},
   {"l":"https://acme.example/view/9/","c":[9,"=1+2",null,null]},
   {"k":"s","c":["Total",null,null,5400]}]},
 {"name":"Pivot: a/b","columns":[{"header":"Status","kind":"text"},{"header":"Total","kind":"number"}],
  "rows":[{"c":["Done",2]}]}]}"#;

#[test]
fn typed_cells_links_frozen_bold_header_and_filter() {
    let mut seen = Vec::new();
    let bytes = task_report_exporter::export(SPEC, &mut |d, t| seen.push((d, t))).unwrap();
    assert_eq!(seen.last(), Some(&(5, 5)));
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    // The ID stays a number and links; the title's quotes are doubled in the formula.
    assert!(
        sheet.contains(r#"<f>HYPERLINK("https://acme.example/view/7/",7)</f><v>7</v>"#),
        "{sheet}"
    );
    assert!(
        sheet.contains(r#"<f>HYPERLINK("https://acme.example/view/7/","Say ""hi""")</f>"#),
        "{sheet}"
    );
    // A title that looks like a formula is a link with its text, never evaluated as =1+2.
    assert!(
        sheet.contains(r#"HYPERLINK("https://acme.example/view/9/","=1+2")"#),
        "{sheet}"
    );
    // Unix 0 at +03:00 is Excel day 25569.125; 5400 s is 0.0625 of a day.
    assert!(sheet.contains("<v>25569.125</v>"), "{sheet}");
    assert!(sheet.contains("<v>0.0625</v>"), "{sheet}");
    assert!(sheet.contains(r#"<autoFilter ref="A1:D5"/>"#), "{sheet}");
    assert!(sheet.contains(r#"ySplit="1""#), "{sheet}");
    assert!(sheet.contains("<cols>"), "column widths expected: {sheet}");
    let book = part(&bytes, "xl/workbook.xml");
    assert!(book.contains(r#"name="Tasks""#), "{book}");
    // '/' and ':' are not allowed in sheet names.
    assert!(book.contains(r#"name="Pivot  a b""#), "{book}");
    let styles = part(&bytes, "xl/styles.xml");
    assert!(
        styles.contains("yyyy-mm-dd hh:mm") && styles.contains("[h]:mm"),
        "{styles}"
    );
    assert!(styles.contains("<b/>"), "{styles}");
}

#[test]
fn bad_descriptions_are_errors_not_panics() {
    for bad in [
        "",
        "{",
        r#"{"sheets":[{"name":"x"}]}"#,
        r#"{"sheets":[{"name":"x","columns":[{"header":"a","kind":"colour"}],"rows":[]}]}"#,
    ] {
        let err = task_report_exporter::export(bad, &mut |_, _| {}).unwrap_err();
        assert!(err.starts_with("bad sheet description"), "{err}");
    }
}

#[test]
fn long_titles_lose_the_link_but_keep_the_text() {
    let title = "x".repeat(300);
    let spec = format!(
        r#"{{"sheets":[{{"name":"T","columns":[{{"header":"Title","kind":"text","link":true}}],"rows":[{{"l":"https://a/","c":["{title}"]}}]}}]}}"#
    );
    let bytes = task_report_exporter::export(&spec, &mut |_, _| {}).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("HYPERLINK"), "{sheet}");
    let strings = part(&bytes, "xl/sharedStrings.xml");
    assert!(strings.contains(&title));
}

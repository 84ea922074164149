//! The blank import template: the columns in the order Dangan writes them, dropdown lists where a
//! column has a fixed set of values (long lists on a hidden sheet), and a notes sheet.

use std::path::Path;

use rust_xlsxwriter::{Color, DataValidation, Format, Formula, Workbook, XlsxError};

use super::cells::{CATEGORIES, EDUCATIONS, ETHNICITIES};
use super::columns::{Field, columns};
use super::error::RosterError;
use super::export::{formats, write_file};
use crate::actor::Actor;
use crate::archive::Archive;
use crate::org;

/// Rows of the template that get dropdowns and formats.
const TEMPLATE_ROWS: u32 = 2000;
const LISTS_SHEET: &str = "选项";

/// Writes the template to `path`; the branch dropdown lists the archive's branches.
pub fn write_template(archive: &Archive, actor: &Actor, path: &Path) -> Result<usize, RosterError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Import)?;
    let branches: Vec<String> = org::list_branches(archive, actor)?
        .into_iter()
        .map(|b| format!("{}/{}", b.college, b.name))
        .collect();
    let err = |e: XlsxError| RosterError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let f = formats();
    let required_header = f.header.clone().set_font_color(Color::RGB(0xC00000));
    let mut workbook = Workbook::new();

    let specs = columns();
    let lists: [(Field, Vec<String>); 4] = [
        (
            Field::Ethnicity,
            ETHNICITIES.iter().map(|s| s.to_string()).collect(),
        ),
        (
            Field::Education,
            EDUCATIONS.iter().map(|s| s.to_string()).collect(),
        ),
        (
            Field::Category,
            CATEGORIES.iter().map(|s| s.to_string()).collect(),
        ),
        (Field::Branch, branches),
    ];

    let sheet = workbook.add_worksheet();
    sheet.set_name("党员名册").map_err(err)?;
    for (col, spec) in specs.iter().enumerate() {
        let col = col as u16;
        let header = if spec.required {
            &required_header
        } else {
            &f.header
        };
        sheet
            .write_string_with_format(0, col, &spec.label, header)
            .map_err(err)?;
        let width = match spec.field {
            Field::IdNumber => 21.0,
            Field::Branch => 34.0,
            Field::Address => 28.0,
            _ => 14.0,
        };
        sheet.set_column_width(col, width).map_err(err)?;
        // ID numbers, phones and student numbers typed as numbers would be rounded: text cells.
        if matches!(
            spec.field,
            Field::IdNumber | Field::Phone | Field::StudentNo
        ) {
            sheet.set_column_format(col, &f.text).map_err(err)?;
        }
        if spec.field.is_date() {
            sheet.set_column_format(col, &f.date).map_err(err)?;
        }
        let validation = match spec.field {
            Field::Sex => Some(
                DataValidation::new()
                    .allow_list_strings(&["男", "女"])
                    .map_err(err)?,
            ),
            Field::LostContact | Field::Mobile => Some(
                DataValidation::new()
                    .allow_list_strings(&["是", "否"])
                    .map_err(err)?,
            ),
            field => lists
                .iter()
                .position(|(f, values)| *f == field && !values.is_empty())
                .map(|i| {
                    let letter = (b'A' + i as u8) as char;
                    let formula = format!(
                        "='{LISTS_SHEET}'!${letter}$2:${letter}${}",
                        lists[i].1.len() + 1
                    );
                    DataValidation::new().allow_list_formula(Formula::new(formula))
                }),
        };
        if let Some(validation) = validation {
            sheet
                .add_data_validation(1, col, TEMPLATE_ROWS, col, &validation)
                .map_err(err)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;

    let notes = workbook.add_worksheet();
    notes.set_name("填写说明").map_err(err)?;
    let wrap = Format::new().set_text_wrap();
    for (col, (title, width)) in [
        ("列名", 16.0),
        ("必填", 6.0),
        ("全国系统字段", 12.0),
        ("说明", 80.0),
    ]
    .into_iter()
    .enumerate()
    {
        notes
            .write_string_with_format(0, col as u16, title, &f.header)
            .map_err(err)?;
        notes.set_column_width(col as u16, width).map_err(err)?;
    }
    for (i, spec) in specs.iter().enumerate() {
        let r = i as u32 + 1;
        notes.write_string(r, 0, &spec.label).map_err(err)?;
        notes
            .write_string(r, 1, if spec.required { "是" } else { "" })
            .map_err(err)?;
        let national = spec
            .national
            .map(|n| format!("第{n}项"))
            .unwrap_or_default();
        notes.write_string(r, 2, national).map_err(err)?;
        let mut note = spec.note.clone();
        if !spec.synonyms.is_empty() {
            note.push_str(&format!("（也可写作：{}）", spec.synonyms.join("、")));
        }
        notes
            .write_string_with_format(r, 3, &note, &wrap)
            .map_err(err)?;
    }
    let r = specs.len() as u32 + 2;
    let general = [
        "日期可写作 2019-06-01、2019.06.01、2019/6/1、2019年6月1日 或 20190601，也可使用 Excel 日期。",
        "同一公民身份号码或学号在文件中只能出现一次（跨工作表也算）；与档案中已有党员相同的行将更新该党员，导入前会列出每一处改动。",
        "任何一行有错误时，默认整个文件都不导入；错误清单列出每个有问题的单元格。",
    ];
    for (i, text) in general.iter().enumerate() {
        notes
            .write_string_with_format(r + i as u32, 3, *text, &wrap)
            .map_err(err)?;
    }

    let hidden = workbook.add_worksheet();
    hidden.set_name(LISTS_SHEET).map_err(err)?;
    for (col, (field, values)) in lists.iter().enumerate() {
        hidden
            .write_string(0, col as u16, field.label())
            .map_err(err)?;
        for (r, value) in values.iter().enumerate() {
            hidden
                .write_string(r as u32 + 1, col as u16, value)
                .map_err(err)?;
        }
    }
    hidden.set_hidden(true);

    write_file(path, &workbook.save_to_buffer().map_err(err)?)?;
    Ok(specs.len())
}

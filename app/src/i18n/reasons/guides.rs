//! Refusals of the catalogue (办事指南) and its import file.

use super::{Arg, Lang};
use serde::{Deserialize, Serialize};

texts! {
    /// Refusals of the catalogue (办事指南) and its import file.
    GuideReason {
        NotUtf8 => "文件不是UTF-8编码的CSV，请另存为“CSV UTF-8”格式后重试", "The file is not a UTF-8 CSV; save it as “CSV UTF-8” and try again";
        CsvMalformed { detail: String } => "CSV格式有误：{detail}", "The CSV file is malformed: {detail}";
        EmptyFile => "文件是空的", "The file is empty";
        MissingColumns { columns: Vec<String> } => "缺少列：{columns}", "Columns missing: {columns}";
        DuplicateCode { code: String } => "事项编码 {code} 与前面的行重复", "Item code {code} repeats an earlier row";
        BadCode => "事项编码应为1至32位字母、数字或“-”", "The item code (事项编码) must be 1 to 32 letters, digits or “-”";
        Required { column: String } => "{column}不能为空", "{column} cannot be empty";
        TooLong { column: String, max: usize } => "{column}不能超过{max}个字", "{column} may not be longer than {max} characters";
        BadLevel => "办理层级应为“中心”“服务站”或“中心和服务站”", "The level (办理层级) must be “中心”, “服务站” or “中心和服务站”";
        YesOrNo { column: String } => "{column}应填“是”或“否”", "{column} must be “是” (yes) or “否” (no)";
        BadDays { column: String } => "{column}应为1至365之间的整数", "{column} must be a whole number from 1 to 365";
        PromisedOverLegal => "承诺时限不能超过法定时限", "The promised time limit cannot be longer than the legal one";
        MaterialLayout { n: usize } => "申请材料第{n}项应写成“名称|份数|原件或复印件|备注”", "Material {n} must be written as “名称|份数|原件或复印件|备注” (name|copies|original or copy|note)";
        MaterialNoName { n: usize } => "申请材料第{n}项缺少材料名称", "Material {n} has no name";
        MaterialCopies { n: usize } => "申请材料第{n}项份数应为0至20的整数", "Material {n}: the number of copies must be a whole number from 0 to 20";
        MaterialKind { n: usize } => "申请材料第{n}项应注明“原件”或“复印件”", "Material {n} must say “原件” (original) or “复印件” (copy)";
        MaterialsRequired => "申请材料不能为空（无需材料请填“无|0|原件|”）", "The materials (申请材料) cannot be empty (write “无|0|原件|” when none are needed)";
        StepsRequired => "办理流程不能为空", "The steps (办理流程) cannot be empty";
        ExcelUnreadable { detail: String } => "无法读取Excel文件：{detail}", "The Excel file cannot be read: {detail}";
        NoWorksheet => "Excel文件中没有工作表", "The Excel file has no worksheet";
        SheetUnreadable { detail: String } => "无法读取第一个工作表：{detail}", "The first worksheet cannot be read: {detail}";
        NoItems => "文件中没有事项", "The file lists no items";
    }
}

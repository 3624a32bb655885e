//! Refusals of uploaded files (size, kind, broken or interrupted uploads).

use super::{Arg, Lang};
use serde::{Deserialize, Serialize};

texts! {
    /// Refusals of uploaded files (size, kind, broken or interrupted uploads).
    UploadReason {
        Empty => "文件是空的，请重新选择", "The file is empty; please choose another one";
        TooLarge { limit_mb: u64 } => "文件超过{limit_mb}MB，请压缩后再上传", "The file is larger than {limit_mb} MB; please compress it and upload it again";
        Unsupported { kinds: Vec<FileKindName> } => "不支持这种文件，请上传{kinds}", "This kind of file is not accepted; please upload {kinds}";
        BrokenImage => "图片已损坏，无法读取，请重新拍摄或选择", "The picture is damaged and cannot be read; please take or choose it again";
        Interrupted => "上传中断，文件不完整，请重新上传", "The upload broke off and the file is incomplete; please upload it again";
        Broken => "文件不完整或已损坏，请重新拍摄或选择", "The file is incomplete or damaged; please take or choose it again";
        TooLargeOrInterrupted { limit_mb: u64 } => "文件过大或上传中断，请重试（最大{limit_mb}MB）", "The file is too large or the upload broke off; please try again (at most {limit_mb} MB)";
        NoFileChosen => "请选择要上传的文件", "Please choose a file to upload";
        NoImportFile => "请选择要导入的文件", "Please choose a file to import";
        NoPowerOfAttorneyPhoto => "请选择委托书照片", "Please choose the photo of the signed authorisation form";
        NoCalendarFile => "请选择要导入的日历文件", "Please choose a calendar file to import";
        TooManyPhotos { max: usize } => "最多上传{max}张照片", "You can upload at most {max} photos";
        SubmitInterrupted => "提交中断，文件不完整，请重新提交", "The submission broke off and a file is incomplete; please submit again";
        SubmitTooLong => "提交中断或内容过长，请重新提交", "The submission broke off or is too long; please submit again";
    }
}

texts! {
    /// A kind of file a refusal names as allowed ([`UploadReason::Unsupported`]).
    FileKindName {
        Image => "图片（JPG、PNG）", "pictures (JPG, PNG)";
        Pdf => "PDF", "PDF";
        Word => "Word", "Word";
        Excel => "Excel", "Excel";
    }
}

/// The allowed kinds: 、 between them in Chinese, "a, b or c" in English.
impl Arg for Vec<FileKindName> {
    fn render(&self, lang: Lang) -> String {
        let names: Vec<String> = self.iter().map(|k| k.text(lang)).collect();
        match (lang, names.split_last()) {
            (Lang::Zh, _) => names.join("、"),
            (Lang::En, Some((last, rest))) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            (Lang::En, _) => names.join(""),
        }
    }
}

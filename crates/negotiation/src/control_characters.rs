//! Text a version may hold: no control characters but tab and line breaks. A NUL or an escape in a
//! draft is damage from a conversion, and Akoma Ntoso (XML 1.0) could not carry it, so the record
//! Passage writes would differ from what was read: such input is refused, naming its line.

use std::path::Path;

use crate::NegotiationError;

/// The first line holding a control character other than tab, carriage return or line feed, as
/// an error naming the file, the line and the character.
pub(crate) fn refuse_control_characters(file: &Path, text: &str) -> Result<(), NegotiationError> {
    for (index, line) in text.split('\n').enumerate() {
        if let Some(c) = line
            .chars()
            .find(|&c| c.is_control() && c != '\t' && c != '\r')
        {
            return Err(NegotiationError::Syntax {
                file: file.to_path_buf(),
                line: index + 1,
                message: format!(
                    "control character U+{:04X} in the text (a damaged conversion?)",
                    u32::from(c)
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_with_their_line() {
        let e =
            refuse_control_characters(Path::new("d.md"), "ok\tfine\r\nbad \u{18}x\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "d.md:2: control character U+0018 in the text (a damaged conversion?)"
        );
        assert!(refuse_control_characters(Path::new("d.md"), "plain\ttext\r\n").is_ok());
    }
}

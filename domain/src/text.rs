//! Free text as people type it. A textarea legitimately holds line breaks and tabs; any
//! other control character (NUL above all, which PostgreSQL cannot store in text) is no
//! text anybody typed, and is refused at the door rather than stored or passed on.

use crate::ValidationError;

/// Whether `c` is a control character that typed text never holds.
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// The message for text with such a character.
pub const CONTROL_MESSAGE: &str =
    "Deze tekst bevat een stuurteken (zoals een nulteken) dat niet is toegestaan.";

/// Refuses text holding a control character other than a line break or tab.
pub fn check_text(field: &str, value: &str) -> Result<(), ValidationError> {
    if value.chars().any(is_forbidden_control) {
        Err(ValidationError::new(field, CONTROL_MESSAGE))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_tabs_pass_other_control_characters_do_not() {
        assert!(check_text("t", "regel een\r\nregel\ttwee, één ✓").is_ok());
        for bad in ["a\0b", "\u{1b}[31m", "\u{7f}", "\u{85}", "x\u{8}"] {
            let e = check_text("toelichting", bad).unwrap_err();
            assert_eq!(e.field, "toelichting");
            assert_eq!(e.message, CONTROL_MESSAGE);
        }
    }
}

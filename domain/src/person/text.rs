//! Text as the search types compare it: folded (lower case, no diacritics, single spaces),
//! and names as Haal Centraal allows them, with their wildcards.

use crate::ValidationError;
use serde::{Deserialize, Serialize};

/// Lower case without diacritics, with runs of white space made one space: "Ötzi  Ünal" →
/// "otzi unal". Covers Latin-1 and Latin Extended-A, the letters the BRP holds.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        for l in c.to_lowercase() {
            match base_letter(l) {
                Some(b) => out.push_str(b),
                None => out.push(l),
            }
        }
    }
    out
}

fn base_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// A folded text to match exactly, or a prefix (typed with a trailing `*`) or a suffix
/// (leading `*`, only for a street).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextMatch {
    Exact(String),
    StartsWith(String),
    EndsWith(String),
}

impl TextMatch {
    pub fn matches(&self, folded: &str) -> bool {
        match self {
            TextMatch::Exact(t) => folded == t,
            TextMatch::StartsWith(t) => folded.starts_with(t.as_str()),
            TextMatch::EndsWith(t) => folded.ends_with(t.as_str()),
        }
    }
}

fn allowed_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '\'')
}

/// A name as Haal Centraal allows it: letters, digits, space, `.`, `-` and `'`, up to 200
/// characters, and a trailing `*` after at least `min_before_wildcard` characters.
pub(super) fn parse_text(
    field: &str,
    label: &str,
    raw: &str,
    max: usize,
    min_before_wildcard: usize,
    allow_leading_wildcard: bool,
) -> Result<TextMatch, ValidationError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ValidationError::new(field, format!("Vul {label} in.")));
    }
    let (body, kind) = if let Some(b) = raw.strip_suffix('*') {
        (b, 1)
    } else if let Some(b) = raw.strip_prefix('*').filter(|_| allow_leading_wildcard) {
        (b, 2)
    } else {
        (raw, 0)
    };
    if body.chars().count() > max || !body.chars().all(allowed_name_char) {
        return Err(ValidationError::new(
            field,
            format!(
                "{} mag alleen letters, cijfers, spaties, punten, koppeltekens en apostroffen \
                 bevatten (ten hoogste {max} tekens), met eventueel één * aan het eind.",
                capitalise(label)
            ),
        ));
    }
    if kind != 0 && body.trim().chars().count() < min_before_wildcard {
        return Err(ValidationError::new(
            field,
            format!(
                "Typ ten minste {min_before_wildcard} tekens voor of na het sterretje (*) bij {label}."
            ),
        ));
    }
    let folded = fold(body);
    Ok(match kind {
        1 => TextMatch::StartsWith(folded),
        2 => TextMatch::EndsWith(folded),
        _ => TextMatch::Exact(folded),
    })
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_diacritics_and_extra_spaces() {
        assert_eq!(fold("  Çelik  Öztürk "), "celik ozturk");
        assert_eq!(fold("Ĳsselmeer"), "ijsselmeer");
        assert_eq!(fold("DE VRIES"), "de vries");
    }
}

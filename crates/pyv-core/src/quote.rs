//! Echoing text that a user, a cloned repository or a server supplied (a version file's
//! words, `PYENV_VERSION`, an argument, an archive entry name) inside a message. Such text
//! may hold escape sequences that retitle or clear the terminal, NUL bytes, or megabytes
//! of one word; printed as it is, a message becomes an attack or a flood. Every message
//! that echoes such text goes through [`user_text`], so an ordinary name prints exactly as
//! written and anything else prints inert and short.

use std::fmt::{self, Write};

/// How many characters of the text a message shows before cutting it with `…`: enough
/// for any real version name, request or package entry worth reading.
pub const MAX_CHARS: usize = 100;

/// `text` for a message: control and invisible formatting characters escaped (`\0`,
/// `\x1b`, `\n`, `\u{202e}`) and cut after [`MAX_CHARS`] characters with `…`.
pub fn user_text(text: &str) -> UserText<'_> {
    UserText(text)
}

/// The text as [`user_text`] shows it.
#[derive(Debug, Clone, Copy)]
pub struct UserText<'a>(&'a str);

impl fmt::Display for UserText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.chars().enumerate() {
            if i == MAX_CHARS {
                return f.write_char('…');
            }
            match c {
                '\0' => f.write_str("\\0")?,
                '\t' => f.write_str("\\t")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                c if c.is_ascii_control() => write!(f, "\\x{:02x}", u32::from(c))?,
                c if c.is_control() || is_invisible_format(c) => {
                    write!(f, "\\u{{{:x}}}", u32::from(c))?
                }
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// Characters that change how the rest of the line looks without showing themselves:
/// bidirectional overrides and isolates (which can make a name read backwards) and
/// zero-width characters (which make two different names look alike).
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> String {
        user_text(s).to_string()
    }

    #[test]
    fn ordinary_names_print_as_written() {
        for s in [
            "3.12.1",
            "pypy3.10-v7.3.17-win64",
            "3.12:latest",
            "C:\\Python27",
            "../../etc",
            "naïve-日本",
            "",
        ] {
            assert_eq!(q(s), s);
        }
    }

    #[test]
    fn control_and_invisible_characters_are_escaped() {
        assert_eq!(q("a\0b"), "a\\0b");
        assert_eq!(q("\x1b]0;owned\x07"), "\\x1b]0;owned\\x07");
        assert_eq!(q("\x1b[2J3.12"), "\\x1b[2J3.12");
        assert_eq!(q("a\tb\r\nc"), "a\\tb\\r\\nc");
        assert_eq!(q("\x7f"), "\\x7f");
        assert_eq!(q("\u{9b}"), "\\u{9b}");
        assert_eq!(q("3.12\u{202e}1"), "3.12\\u{202e}1");
        assert_eq!(q("\u{feff}3.12"), "\\u{feff}3.12");
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        assert_eq!(q(&"a".repeat(100)), "a".repeat(100));
        assert_eq!(q(&"a".repeat(101)), format!("{}…", "a".repeat(100)));
        assert_eq!(q(&"é".repeat(10_000)), format!("{}…", "é".repeat(100)));
        // Escaping never splits: the cut counts characters of the original text.
        assert_eq!(q(&"\x1b".repeat(150)), format!("{}…", "\\x1b".repeat(100)));
    }
}

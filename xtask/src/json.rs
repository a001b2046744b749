//! Just enough JSON to read cargo's and rustc's messages
//! (`--message-format=json`): a parser into [`Json`] values and a lookup by
//! path. Numbers are kept as `f64`; nothing here writes JSON.
//!
//! A dependency (serde_json, and serde with it) would add more to every
//! learner's first build of xtask than these hundred lines do.
//!
//! ```text
//! let message = json::parse(r#"{"message":{"level":"warning"}}"#)?;
//! assert_eq!(message.get(&["message", "level"]).and_then(Json::as_str), Some("warning"));
//! ```

use std::collections::BTreeMap;

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object; its keys sorted.
    Object(BTreeMap<String, Json>),
}

impl Json {
    /// The value at a path of object keys, if there is one.
    pub fn get(&self, path: &[&str]) -> Option<&Json> {
        path.iter().try_fold(self, |value, key| match value {
            Json::Object(fields) => fields.get(*key),
            _ => None,
        })
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// The items of an array (none for anything else).
    pub fn items(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            _ => &[],
        }
    }

    /// A number, as a whole number if it is one.
    pub fn as_usize(&self) -> Option<usize> {
        match self {
            Json::Number(n) if *n >= 0.0 && n.fract() == 0.0 => Some(*n as usize),
            _ => None,
        }
    }

    /// Whether this is `true`.
    pub fn is_true(&self) -> bool {
        *self == Json::Bool(true)
    }
}

/// Parses one JSON text; `None` if it is not valid JSON.
pub fn parse(text: &str) -> Option<Json> {
    let mut parser = Parser {
        chars: text.char_indices().peekable(),
        text,
    };
    let value = parser.value()?;
    parser.skip_space();
    parser.chars.peek().is_none().then_some(value)
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
    }

    fn eat(&mut self, expected: char) -> Option<()> {
        self.skip_space();
        self.chars.next_if(|&(_, c)| c == expected).map(|_| ())
    }

    fn value(&mut self) -> Option<Json> {
        self.skip_space();
        let &(start, c) = self.chars.peek()?;
        match c {
            '{' => self.object(),
            '[' => self.array(),
            '"' => self.string().map(Json::String),
            't' => self.word("true", Json::Bool(true)),
            'f' => self.word("false", Json::Bool(false)),
            'n' => self.word("null", Json::Null),
            _ => self.number(start),
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Option<Json> {
        for expected in word.chars() {
            self.chars.next_if(|&(_, c)| c == expected)?;
        }
        Some(value)
    }

    fn number(&mut self, start: usize) -> Option<Json> {
        let mut end = start;
        while let Some((i, c)) = self
            .chars
            .next_if(|(_, c)| c.is_ascii_digit() || "+-.eE".contains(*c))
        {
            end = i + c.len_utf8();
        }
        self.text[start..end].parse().ok().map(Json::Number)
    }

    fn string(&mut self) -> Option<String> {
        self.eat('"')?;
        let mut text = String::new();
        loop {
            match self.chars.next()?.1 {
                '"' => return Some(text),
                '\\' => text.push(self.escape()?),
                c => text.push(c),
            }
        }
    }

    fn escape(&mut self) -> Option<char> {
        Some(match self.chars.next()?.1 {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'u' => return self.unicode_escape(),
            c => c, // \" \\ \/
        })
    }

    /// `\uXXXX`, with a surrogate pair read as one character.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high);
        }
        self.word("\\u", Json::Null)?;
        let low = self.hex4()?;
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low.checked_sub(0xDC00)?))
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut value = 0;
        for _ in 0..4 {
            value = value * 16 + self.chars.next()?.1.to_digit(16)?;
        }
        Some(value)
    }

    fn array(&mut self) -> Option<Json> {
        let items = self.sequence('[', ']', Self::value)?;
        Some(Json::Array(items))
    }

    fn object(&mut self) -> Option<Json> {
        let fields = self.sequence('{', '}', |parser| {
            parser.skip_space();
            let key = parser.string()?;
            parser.eat(':')?;
            Some((key, parser.value()?))
        })?;
        Some(Json::Object(fields.into_iter().collect()))
    }

    /// `open`, then items read by `item` and separated by commas, then
    /// `close`.
    fn sequence<T>(
        &mut self,
        open: char,
        close: char,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.eat(open)?;
        let mut items = Vec::new();
        if self.eat(close).is_some() {
            return Some(items);
        }
        loop {
            items.push(item(self)?);
            if self.eat(close).is_some() {
                return Some(items);
            }
            self.eat(',')?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compiler_message() {
        let text = r#"{"reason":"compiler-message","message":{"level":"warning",
            "spans":[{"file_name":"src/a.rs","line_start":12,"is_primary":true}],
            "code":null,"rendered":"warning: unused\n  --> \"x\"\u00e9\ud83e\udd80"}}"#;
        let json = parse(text).unwrap();
        assert_eq!(
            json.get(&["reason"]).and_then(Json::as_str),
            Some("compiler-message")
        );
        let span = &json.get(&["message", "spans"]).unwrap().items()[0];
        assert_eq!(span.get(&["line_start"]).and_then(Json::as_usize), Some(12));
        assert!(span.get(&["is_primary"]).unwrap().is_true());
        assert_eq!(json.get(&["message", "code"]), Some(&Json::Null));
        assert_eq!(
            json.get(&["message", "rendered"]).and_then(Json::as_str),
            Some("warning: unused\n  --> \"x\"é🦀")
        );
    }

    #[test]
    fn numbers_arrays_and_empty_things() {
        assert_eq!(
            parse(" [1, -2.5e1, {}, [], false] "),
            Some(Json::Array(vec![
                Json::Number(1.0),
                Json::Number(-25.0),
                Json::Object(BTreeMap::new()),
                Json::Array(vec![]),
                Json::Bool(false),
            ]))
        );
    }

    #[test]
    fn broken_json_is_refused() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "\"open", "nul", "[1] 2"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}

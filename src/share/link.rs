//! The share link's fragment: a scenario (models and console inputs) as versioned JSON,
//! deflated and base64url-encoded after `#share=`. Decoding checks everything and says what
//! is wrong with a damaged or cut-off link.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The fragment's prefix.
pub const SHARE_PREFIX: &str = "#share=";
/// The payload's format; bump it when it changes shape.
const FORMAT: u32 = 1;
/// A scenario larger than this when inflated is not one this app made.
const MAX_INFLATED: usize = 4 * 1024 * 1024;
const INCOMPLETE: &str = "the link is incomplete or damaged (was it cut off when it was copied?)";
/// The best deflate compression miniz offers.
const LEVEL: u8 = 10;

/// What a link carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub models: String,
    /// Console inputs, in the order they ran.
    pub inputs: Vec<String>,
    /// The environment variables (Settings); links made before they existed have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environment: Vec<(String, String)>,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    format: u32,
    #[serde(flatten)]
    scenario: Scenario,
}

/// The fragment (with its `#share=` prefix) for a scenario.
pub fn encode(scenario: &Scenario) -> String {
    let payload = Payload { format: FORMAT, scenario: scenario.clone() };
    // Strings and a number always serialise.
    let json = serde_json::to_vec(&payload).unwrap_or_default();
    let deflated = miniz_oxide::deflate::compress_to_vec(&json, LEVEL);
    format!("{SHARE_PREFIX}{}", URL_SAFE_NO_PAD.encode(deflated))
}

/// The scenario in a fragment that starts with `#share=`; the error says what is wrong.
pub fn decode(fragment: &str) -> Result<Scenario, String> {
    let data = fragment.strip_prefix(SHARE_PREFIX).ok_or("it is not a share link")?;
    // Mail and chat programs sometimes wrap long links.
    let data: String = data.chars().filter(|c| !c.is_whitespace()).collect();
    if data.is_empty() {
        return Err("the link has nothing after #share=".to_owned());
    }
    let deflated = URL_SAFE_NO_PAD.decode(data.as_bytes()).map_err(|error| match error {
        base64::DecodeError::InvalidByte(..) => "the link contains characters a share link never has: it may have been changed".to_owned(),
        // A length or last character that base64 cannot end on: the end is missing.
        _ => INCOMPLETE.to_owned(),
    })?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_INFLATED)
        .map_err(|_| INCOMPLETE.to_owned())?;
    #[derive(Deserialize)]
    struct Versioned {
        format: u32,
    }
    let version: Versioned = serde_json::from_slice(&json).map_err(|_| "the link does not hold a playground scenario".to_owned())?;
    if version.format != FORMAT {
        return Err(format!("the link was made by another version of the playground (format {}; this one reads format {FORMAT})", version.format));
    }
    let payload: Payload = serde_json::from_slice(&json).map_err(|_| "the link does not hold a playground scenario".to_owned())?;
    Ok(payload.scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        Scenario {
            models: "class Note(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    text = db.Column(db.String(80))\n".repeat(3),
            inputs: vec!["db.session.add(Note(text='ünïcode ✓ <b>'))".to_owned(), "db.session.commit()".to_owned(), "for n in Note.query:\n    print(n.text)\n".to_owned()],
            environment: vec![("SECRET_KEY".to_owned(), "dev ✓".to_owned())],
        }
    }

    #[test]
    fn a_scenario_round_trips_through_a_compact_url_safe_fragment() {
        let fragment = encode(&scenario());
        assert!(fragment.starts_with("#share="));
        assert!(fragment[SHARE_PREFIX.len()..].chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{fragment}");
        assert!(fragment.len() < serde_json::to_string(&scenario().models).map_or(0, |json| json.len()), "compressed: {}", fragment.len());
        assert_eq!(decode(&fragment), Ok(scenario()));
    }

    #[test]
    fn a_link_made_before_environment_variables_existed_opens_without_them() {
        let older = format!("{SHARE_PREFIX}{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(br#"{"format": 1, "models": "m", "inputs": ["i"]}"#, 6)));
        assert_eq!(decode(&older), Ok(Scenario { models: "m".to_owned(), inputs: vec!["i".to_owned()], environment: vec![] }));
    }

    #[test]
    fn a_wrapped_link_still_opens() {
        let fragment = encode(&scenario());
        let (head, tail) = fragment.split_at(30);
        assert_eq!(decode(&format!("{head}\n  {tail}")), Ok(scenario()));
    }

    #[test]
    fn damaged_links_say_what_is_wrong() {
        let fragment = encode(&scenario());
        for cut in [fragment.len() / 2, fragment.len() - 1, fragment.len() - 2, fragment.len() - 3] {
            assert_eq!(decode(&fragment[..cut]), Err(INCOMPLETE.to_owned()), "cut at {cut}");
        }
        assert!(decode("#share=abc$%^").is_err_and(|e| e.contains("characters a share link never has")));
        assert_eq!(decode("#share="), Err("the link has nothing after #share=".to_owned()));
        assert_eq!(decode("#other"), Err("it is not a share link".to_owned()));
        let not_ours = format!("{SHARE_PREFIX}{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"[1, 2]", 6)));
        assert_eq!(decode(&not_ours), Err("the link does not hold a playground scenario".to_owned()));
        let newer = format!("{SHARE_PREFIX}{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(br#"{"format": 2}"#, 6)));
        assert!(decode(&newer).is_err_and(|e| e.contains("format 2")));
    }
}

/// What the page's address brought.
#[derive(Clone, Debug, PartialEq)]
pub enum SharedLink {
    /// No share fragment: the kept work opens.
    Absent,
    /// A scenario waiting for the user's Run.
    Scenario(Scenario),
    /// A share fragment that cannot be read: what is wrong with it.
    Broken(String),
}

impl SharedLink {
    /// Reads the current page's fragment.
    pub fn from_location() -> SharedLink {
        let fragment = web_sys::window().and_then(|window| window.location().hash().ok()).unwrap_or_default();
        if !fragment.starts_with(SHARE_PREFIX) {
            return SharedLink::Absent;
        }
        match decode(&fragment) {
            Ok(scenario) => SharedLink::Scenario(scenario),
            Err(problem) => SharedLink::Broken(problem),
        }
    }
}

/// The page's address with `fragment` in place of its own.
pub fn page_url_with(fragment: &str) -> String {
    let location = web_sys::window().map(|window| window.location());
    let base = location.and_then(|location| Some(format!("{}{}{}", location.origin().ok()?, location.pathname().ok()?, location.search().ok()?)));
    format!("{}{fragment}", base.unwrap_or_default())
}

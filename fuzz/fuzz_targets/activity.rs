//! Any body a remote server may POST or serve: read as an activity, an actor, a note
//! and a FIRES page, as the inbox and the fetcher do. None may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tribune::federation::protocol::{activity::Envelope, actor::RemoteActorDoc, note::NoteDoc};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let _ = Envelope::parse(&value, data);
    let _ = RemoteActorDoc::parse(&value);
    let _ = NoteDoc::parse(&value);
    if let Some(object) = value.get("object") {
        let _ = NoteDoc::parse(object);
    }
    let _ = tribune::blocklists::fires::parse_page(&value);
});

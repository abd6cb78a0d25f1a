//! `Announce` (a boost). PeerTube names the video; WordPress and Lemmy wrap whole
//! activities, whose id is then the object's.

use crate::federation::protocol::lenient;
use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Announce {
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::actor")]
    pub actor: Url,
    /// What is boosted.
    #[serde(default, deserialize_with = "lenient::id")]
    pub object: Option<Url>,
}

#[cfg(test)]
mod tests {
    use super::super::{inbound, InboundActivity};

    #[test]
    fn boosts_of_objects_and_of_wrapped_activities() {
        for (path, object) in [
            (
                "peertube/activities/announce_video.json",
                "https://tilvids.com/videos/watch/e7946124-7b72-4ad7-9d22-844a84bb2de1",
            ),
            (
                "wordpress/activities/announce.json",
                "https://pfefferle.org/lemmy-part-4/#activity",
            ),
        ] {
            let InboundActivity::Announce(announce) = inbound(path) else {
                panic!("{path}: not an Announce");
            };
            assert_eq!(announce.object.unwrap().as_str(), object, "{path}");
        }
    }
}

//! Serde adapters for properties servers write in more than one shape, built on the
//! readers of `protocol` (`id_of`, `ids_of`, `many`): a value is read as a `Value`
//! first, then interpreted, so an unexpected shape is an absent property, never a
//! parse error. Use them with `#[serde(default, deserialize_with = "…")]`.

use super::{id_of, ids_of, many};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use url::Url;

/// An id named as a URL string, an object with `id` (or a Link with `href`), or a
/// list of those: the first usable one.
pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Url>, D::Error> {
    Ok(id_of(&Value::deserialize(d)?))
}

/// Every id a one-or-many property names.
pub fn ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    Ok(ids_of(&Value::deserialize(d)?))
}

/// A string, or `None` when it is anything else.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        _ => None,
    })
}

/// The items of a one-or-many property (`null` is none).
pub fn items<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(many(Some(&value)).into_iter().cloned().collect())
}

/// The actor of an activity, which it cannot do without.
pub fn actor<'de, D: Deserializer<'de>>(d: D) -> Result<Url, D::Error> {
    id_of(&Value::deserialize(d)?).ok_or_else(|| serde::de::Error::custom("no usable actor id"))
}

/// An activity's `object` as sent: embedded (a document), or only named by its id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectRef {
    /// Its id, wherever it was found (a string, the object's `id`, a list's first).
    pub id: Option<Url>,
    /// The document, when the object was sent inline as one.
    pub embedded: Option<Value>,
}

impl ObjectRef {
    pub fn read(value: Value) -> Self {
        Self {
            id: id_of(&value),
            embedded: value.is_object().then_some(value),
        }
    }
}

/// An `object` property: `Some` whenever the property is there, even `null` (then
/// without id), so that "no object" and "an object without id" stay apart.
pub fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ObjectRef>, D::Error> {
    Ok(Some(ObjectRef::read(Value::deserialize(d)?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "id")]
        one: Option<Url>,
        #[serde(default, deserialize_with = "ids")]
        many: Vec<Url>,
        #[serde(default, deserialize_with = "string")]
        text: Option<String>,
        #[serde(default, deserialize_with = "object")]
        object: Option<ObjectRef>,
    }

    fn probe(value: Value) -> Probe {
        Probe::deserialize(&value).expect("lenient fields never fail")
    }

    #[test]
    fn any_shape_is_read_or_absent_never_an_error() {
        for one in [
            json!("https://a.example/1"),
            json!({"id": "https://a.example/1", "type": "Note"}),
            json!({"type": "Link", "href": "https://a.example/1"}),
            json!([42, "https://a.example/1"]),
        ] {
            let p = probe(json!({"one": one}));
            assert_eq!(p.one.unwrap().as_str(), "https://a.example/1");
        }
        let p = probe(json!({"one": 7, "many": "https://a.example/2", "text": ["x"]}));
        assert_eq!(p.one, None);
        assert_eq!(p.many.len(), 1);
        assert_eq!(p.text, None);
        assert!(p.object.is_none());
    }

    #[test]
    fn an_object_is_embedded_or_named() {
        let embedded = probe(json!({"object": {"id": "https://a.example/n", "type": "Note"}}))
            .object
            .unwrap();
        assert_eq!(embedded.id.unwrap().as_str(), "https://a.example/n");
        assert!(embedded.embedded.is_some());
        let named = probe(json!({"object": "https://a.example/n"}))
            .object
            .unwrap();
        assert!(named.id.is_some() && named.embedded.is_none());
        let null = probe(json!({"object": null})).object.unwrap();
        assert_eq!(null, ObjectRef::default());
    }
}

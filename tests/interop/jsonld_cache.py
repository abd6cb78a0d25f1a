"""Seeds bovine's JSON-LD context cache (bovine/jsonld/cache.py: table `jsonld(url, context)`
in ./bovine_jsonld_cache.sqlite of the working directory) with the contexts the peers ask
for. Each gets the empty context `[]`, which is exactly what bovine itself caches when it
cannot load a context (bovine.jsonld.wrapper), so the peers behave as they do offline
without trying to reach the internet.

usage: python jsonld_cache.py PATH/bovine_jsonld_cache.sqlite
"""

import json
import sqlite3
import sys

CONTEXTS = [
    "https://w3id.org/security/v1",
    "https://w3id.org/security/v2",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/data-integrity/v1",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/identity/v1",
    "https://www.w3.org/ns/did/v1",
    "https://www.w3.org/ns/credentials/v2",
    "http://schema.org",
    "https://schema.org",
    "https://gotosocial.org/ns",
    "https://purl.archive.org/socialweb/webfinger",
]

connection = sqlite3.connect(sys.argv[1])
connection.execute("CREATE TABLE IF NOT EXISTS jsonld (url TEXT PRIMARY KEY, context TEXT)")
connection.executemany(
    "INSERT OR IGNORE INTO jsonld VALUES (?, ?)", [(url, json.dumps([])) for url in CONTEXTS]
)
connection.commit()
connection.close()

"""FediBlockHole (from PyPI, tests/interop/requirements.txt) pushing a merged blocklist
into Tribune through Mastodon's admin API, as it pushes to Mastodon: two local sources
(a CSV and a JSON file, naming one domain with different severities, so the merge
decides), Tribune as the destination with the admin token over http. FediBlockHole reads
the existing blocks (`GET /api/v1/admin/domain_blocks`, paged by `Link`), asks
`POST /api/v1/admin/measures` before raising a block to suspend, then POSTs new blocks
and PUTs changed ones. The result is read back through the admin API and the public
list; a second run changes nothing.

check.py calls `fediblockhole_checks(t)` with its own helpers in `t` (check, http,
admin_headers, followers_total, CheckFailed, short) and the addresses.
"""

import asyncio
import json
import os
import sys
from urllib.parse import urlsplit

# The sources: `both.example` is a silence in one and a suspend in the other.
SOURCE_CSV = """domain,severity,public_comment,reject_media
spam.example,silence,spam,false
both.example,silence,from a,false
bad.example,suspend,nazis,true
"""
SOURCE_JSON = [
    {"domain": "both.example", "severity": "suspend", "public_comment": "from b", "reject_media": True},
    {"domain": "quiet.example", "severity": "noop", "public_comment": "", "reject_media": False},
]
# What the merge (`mergeplan = "max"`) must leave in Tribune.
EXPECTED = {
    "spam.example": ("silence", "spam", False),
    "both.example": ("suspend", "from a, from b", True),
    "bad.example": ("suspend", "nazis", True),
    "quiet.example": ("noop", "", False),
}


def fediblock_sync():
    """The `fediblock-sync` script installed next to this interpreter."""
    return os.path.join(os.path.dirname(sys.executable), "fediblock-sync")


async def fediblockhole_checks(t):
    blocks_url = f"{t.TRIBUNE}/api/v1/admin/domain_blocks"
    work = os.path.abspath("fediblockhole")
    os.makedirs(work, exist_ok=True)
    state = {}

    async def read_blocks():
        """Every block, following `rel="next"` as FediBlockHole does."""
        found, url, pages = [], f"{blocks_url}?limit=2", 0
        while url:
            status, body, headers = await t.http("GET", url, headers=t.admin_headers())
            if status != 200 or not isinstance(body, list):
                raise t.CheckFailed(f"GET {url} answered {status}: {t.short(body)}")
            found.extend(body)
            pages += 1
            if pages > 50:
                raise t.CheckFailed("the pages do not end")
            url = None
            for part in (headers.get("Link") or "").split(", "):
                if part.endswith('rel="next"'):
                    url = part.split("; ")[0].strip("<>")
        return {b["domain"]: b for b in found}, pages

    async def audit_count():
        status, body, _ = await t.http("GET", f"{t.TRIBUNE}/api/v1/admin/audit", headers=t.admin_headers())
        if status != 200:
            raise t.CheckFailed(f"GET /api/v1/admin/audit answered {status}")
        return sum(1 for e in body if str(e.get("action", "")).startswith("domain."))

    async def run_sync():
        proc = await asyncio.create_subprocess_exec(
            fediblock_sync(), "-c", os.path.join(work, "config.toml"),
            cwd=work, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )
        try:
            out, _ = await asyncio.wait_for(proc.communicate(), timeout=180)
        except asyncio.TimeoutError:
            proc.kill()
            await proc.wait()
            raise t.CheckFailed("fediblock-sync did not finish within 180 s")
        text = out.decode("utf-8", "replace")
        if proc.returncode != 0:
            raise t.CheckFailed(f"fediblock-sync exited {proc.returncode}: {t.short(text, 2000)}")
        return text

    async def setup():
        # A block made in Tribune first: FediBlockHole must raise it (a PUT), not add one.
        status, body, _ = await t.http(
            "POST", blocks_url, headers=t.admin_headers(),
            json_body={"domain": "spam.example", "severity": "noop", "public_comment": "spam"},
        )
        if status != 200 or not isinstance(body, dict):
            raise t.CheckFailed(f"POST {blocks_url} answered {status}: {t.short(body)}")
        state["spam_id"] = body["id"]
        with open(os.path.join(work, "a.csv"), "w") as fp:
            fp.write(SOURCE_CSV)
        with open(os.path.join(work, "b.json"), "w") as fp:
            json.dump(SOURCE_JSON, fp)
        host = urlsplit(t.TRIBUNE).netloc
        scheme = urlsplit(t.TRIBUNE).scheme
        config = f"""
blocklist_url_sources = [
  {{ url = "file://{work}/a.csv", format = "csv" }},
  {{ url = "file://{work}/b.json", format = "json" }},
]
blocklist_instance_destinations = [
  {{ domain = "{host}", token = "{t.ADMIN_TOKEN}", scheme = "{scheme}", max_followed_severity = "silence" }},
]
no_fetch_instance = true
mergeplan = "max"
import_fields = ["public_comment", "reject_media"]
"""
        with open(os.path.join(work, "config.toml"), "w") as fp:
            fp.write(config)
        if not os.path.exists(fediblock_sync()):
            raise t.CheckFailed(f"no {fediblock_sync()} (is fediblockhole in tests/interop/requirements.txt installed?)")
        return f"spam.example noop as id {state['spam_id']}, two sources"

    if not await t.check("fediblockhole: setup: a block in Tribune, two local sources, the config", setup()):
        return

    async def first_run():
        state["audit_before"] = await audit_count()
        state["log1"] = await run_sync()
        return "fediblock-sync exited 0"

    if not await t.check("fediblockhole: fediblock-sync pushes the merged list to Tribune", first_run()):
        return

    async def merged():
        blocks, pages = await read_blocks()
        wrong = []
        for domain, (severity, comment, reject_media) in EXPECTED.items():
            b = blocks.get(domain)
            if b is None:
                wrong.append(f"{domain} missing")
                continue
            got = (b["severity"], b["public_comment"] or "", b["reject_media"])
            if got != (severity, comment, reject_media):
                wrong.append(f"{domain}: {got} != {(severity, comment, reject_media)}")
        if set(blocks) != set(EXPECTED):
            wrong.append(f"domains {sorted(blocks)}")
        if blocks.get("spam.example", {}).get("id") != state["spam_id"]:
            wrong.append("spam.example was replaced, not updated (its id changed)")
        if wrong:
            raise t.CheckFailed("; ".join(wrong) + f"\nfediblock-sync said: {t.short(state['log1'], 1500)}")
        state["blocks"] = blocks
        return f"{len(blocks)} blocks over {pages} pages of 2, both.example suspend with both comments"

    await t.check("fediblockhole: the admin API reads back the merged blocks (max severity, comments merged)", merged())

    async def public():
        # config/default.toml keeps the list to staff (`domain_blocks_visibility =
        # "authenticated"`): read it as FediBlockHole would with a token.
        status, body, _ = await t.http("GET", f"{t.TRIBUNE}/api/v1/instance/domain_blocks", headers=t.admin_headers())
        if status != 200 or not isinstance(body, list):
            raise t.CheckFailed(f"GET /api/v1/instance/domain_blocks answered {status}: {t.short(body)}")
        listed = {b["domain"]: (b["severity"], b.get("comment") or "") for b in body}
        want = {d: (s, c) for d, (s, c, _) in EXPECTED.items() if s != "noop"}
        missing = {d: v for d, v in want.items() if listed.get(d) != v}
        if missing:
            raise t.CheckFailed(f"not published as pushed: {missing}; public list {t.short(body)}")
        return f"{len(want)} published (noop entries are not)"

    await t.check("fediblockhole: Tribune's public list publishes the pushed blocks", public())

    async def second_run():
        before, _ = await read_blocks()
        log = await run_sync()
        after, _ = await read_blocks()
        if before != after:
            raise t.CheckFailed(f"the blocks changed: {t.short(before)} -> {t.short(after)}")
        for said in ("Adding new block", "Change detected"):
            if said in log:
                raise t.CheckFailed(f"fediblock-sync still wanted changes ({said}): {t.short(log, 1500)}")
        return "same blocks, nothing added or changed"

    await t.check("fediblockhole: a second fediblock-sync run changes nothing", second_run())

    async def audited():
        count = await audit_count() - state["audit_before"]
        # spam.example raised (1 PUT), three new blocks (POSTs); the second run none.
        if count != 4:
            raise t.CheckFailed(f"{count} domain entries in the audit log, expected 4")
        return "4 entries: 3 POSTs and 1 PUT"

    await t.check("fediblockhole: each change it pushed is in the audit log, once", audited())

    async def measures():
        followers = await t.followers_total()
        status, body, _ = await t.http(
            "POST", f"{t.TRIBUNE}/api/v1/admin/measures", headers=t.admin_headers(),
            json_body={"keys": ["instance_followers", "instance_follows"],
                       "instance_followers": {"domain": "127.0.0.1"},
                       "instance_follows": {"domain": "127.0.0.1"}},
        )
        if status != 200 or not isinstance(body, list) or len(body) != 2:
            raise t.CheckFailed(f"POST /api/v1/admin/measures answered {status}: {t.short(body)}")
        got = int(body[0]["total"])
        if body[0]["key"] != "instance_followers" or got != followers:
            raise t.CheckFailed(f"instance_followers of 127.0.0.1 is {got}, the site has {followers}: {t.short(body)}")
        if not body[1]["data"] or "date" not in body[1]["data"][0]:
            raise t.CheckFailed(f"instance_follows is not a well-formed measure: {t.short(body[1])}")
        return f"instance_followers of 127.0.0.1 = {got} (the peers that follow the site)"

    await t.check("fediblockhole: measures count the followers on a domain", measures())

    async def lift():
        block = state.get("blocks", {}).get("bad.example")
        if not block:
            raise t.CheckFailed("no bad.example block to lift")
        status, body, _ = await t.http("DELETE", f"{blocks_url}/{block['id']}", headers=t.admin_headers())
        if status != 200 or body != {}:
            raise t.CheckFailed(f"DELETE answered {status}: {t.short(body)}")
        status, body, _ = await t.http("GET", f"{blocks_url}/{block['id']}", headers=t.admin_headers())
        if status != 404 or body != {"error": "Record not found"}:
            raise t.CheckFailed(f"GET after DELETE answered {status}: {t.short(body)}")
        return "200 {} then 404 Record not found"

    await t.check("fediblockhole: a block lifted through the admin API is gone", lift())

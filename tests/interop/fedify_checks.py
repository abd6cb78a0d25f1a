"""Checks against the Fedify peer (tests/interop/fedify/peer.mjs, the @fedify/fedify
library from npm): what Fedify reads in Tribune's documents once it has expanded their
JSON-LD, and FEP-044f quotes end to end (QuoteRequest with Fedify's HTTP signature and
FEP-8b32 integrity proof → Accept → the QuoteAuthorization Fedify dereferences → the quote
in the thread → revoked by a moderator's hide), and an `EmojiReact` counted by its emoji.

check.py calls `fedify_checks(t)` with its own helpers in `t` (check, poll, http,
register_article, thread, admin_headers, CheckFailed, short) and the addresses.
"""

AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


async def fedify_checks(t):
    fedify = t.FEDIFY

    async def control(method, path, body=None):
        status, answer, _ = await t.http(method, f"{fedify}{path}", json_body=body, timeout=30)
        if status != 200 or not isinstance(answer, dict):
            raise t.CheckFailed(f"{method} {path} on the Fedify peer answered {status}: {t.short(answer)}")
        return answer

    state = {}

    async def register():
        state["article"] = await t.register_article("/interop/fedify", "Interop: quoted from Fedify")
        return state["article"]["ap_id"]

    if not await t.check("fedify: setup: register an article to quote", register()):
        return
    article = state["article"]["ap_id"]

    async def reads_policy():
        doc = await control("GET", f"/control/read?url={t.quote(article, safe='')}")
        if not doc.get("found") or doc.get("type") != "Article":
            raise t.CheckFailed(f"Fedify did not read an Article: {t.short(doc)}")
        policy = doc.get("interactionPolicy")
        if not policy:
            raise t.CheckFailed(f"interactionPolicy dropped by Fedify's JSON-LD processing: {t.short(doc)}")
        can_quote = (policy.get("canQuote") or {}).get("automaticApproval") or []
        if AS_PUBLIC not in can_quote:
            raise t.CheckFailed(f"canQuote.automaticApproval lacks as:Public: {t.short(policy)}")
        can_reply = (policy.get("canReply") or {}).get("automaticApproval") or []
        if AS_PUBLIC not in can_reply:
            raise t.CheckFailed(f"canReply.automaticApproval lacks as:Public: {t.short(policy)}")
        state["doc"] = doc
        return "canQuote and canReply public"

    await t.check("fedify: reads the Article's interactionPolicy after JSON-LD expansion", reads_policy())

    async def reads_preview():
        doc = state.get("doc") or await control("GET", f"/control/read?url={t.quote(article, safe='')}")
        preview = doc.get("preview")
        if not preview or preview.get("type") != "Note":
            raise t.CheckFailed(f"no preview Note (FEP-b2b8): {t.short(doc)}")
        if state["article"]["url"] not in (preview.get("content") or ""):
            raise t.CheckFailed(f"the preview does not link the page: {t.short(preview)}")
        return "preview Note with the link"

    await t.check("fedify: reads the Article's preview Note (FEP-b2b8)", reads_preview())

    async def quoted():
        sent = await control("POST", "/control/quote", {"target": article})
        state["note"] = sent["note"]
        state["request"] = sent["request"]

        async def accepted():
            answer = await control("GET", "/control/state")
            for item in answer["received"]:
                if item.get("type") == "Accept" and item.get("object") == state["request"]:
                    return True, item
            return False, answer["received"]

        accept = await t.poll(accepted, "an Accept of the QuoteRequest in the Fedify peer's inbox")
        result = accept.get("result") or {}
        if result.get("type") != "QuoteAuthorization":
            raise t.CheckFailed(f"the Accept's result is not a QuoteAuthorization as Fedify reads it: {t.short(accept)}")
        if result.get("interactionTarget") != article:
            raise t.CheckFailed(f"interactionTarget is not the article: {t.short(result)}")
        if result.get("interactingObject") != state["note"]:
            raise t.CheckFailed(f"interactingObject is not the quoting note: {t.short(result)}")
        if result.get("resolvedId") != result.get("id"):
            raise t.CheckFailed(f"the stamp's URL serves another id: {t.short(result)}")
        state["stamp"] = result["id"]
        return f"stamp {result['id']}"

    if not await t.check(
        "fedify: a signed QuoteRequest (with an integrity proof) is accepted with a QuoteAuthorization",
        quoted(),
    ):
        return

    async def in_thread():
        async def listed():
            body = await t.thread(state["article"]["url"])
            for q in body.get("quotes") or []:
                if q.get("ap_id") == state["note"]:
                    return True, q
            return False, body.get("quotes")

        node = await t.poll(listed, "the quote in the thread's `quotes`")
        if "quote-inline" in (node.get("content_html") or ""):
            raise t.CheckFailed(f"the .quote-inline fallback is shown: {t.short(node)}")
        state["quote_id"] = node["id"]
        return f"quote #{node['id']}"

    if not await t.check("fedify: the quote is listed in the thread's quotes", in_thread()):
        return

    async def reacted():
        await control("POST", "/control/react", {"target": article, "emoji": "🎉"})

        async def counted():
            body = await t.thread(state["article"]["url"])
            reactions = body["article"].get("reactions") or []
            done = any(r.get("emoji") == "🎉" and r.get("count", 0) >= 1 for r in reactions)
            return done, reactions

        await t.poll(counted, "the EmojiReact in the article's `reactions`")
        return "🎉 counted"

    await t.check("fedify: an EmojiReact keeps its emoji in the article's reactions", reacted())

    async def revoked():
        status, body, _ = await t.http(
            "POST",
            f"{t.TRIBUNE}/api/v1/admin/comments/{state['quote_id']}/hide",
            headers=t.admin_headers(),
            json_body={"reason": "off_topic"},
        )
        if status not in (200, 204):
            raise t.CheckFailed(f"hide answered {status}: {t.short(body)}")

        async def deleted():
            answer = await control("GET", "/control/state")
            for item in answer["received"]:
                if item.get("type") == "Delete" and item.get("object") == state["stamp"]:
                    return True, item
            return False, answer["received"]

        await t.poll(deleted, "a Delete of the stamp in the Fedify peer's inbox")
        status, _, _ = await t.http("GET", state["stamp"], headers={"Accept": "application/activity+json"})
        if status not in (404, 410):
            raise t.CheckFailed(f"the revoked stamp still answers {status}")
        return "Delete of the stamp; the stamp answers gone"

    await t.check("fedify: hiding the quote revokes its stamp", revoked())

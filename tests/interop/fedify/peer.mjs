// A Fedify peer for tests/interop/run.sh: a real ActivityPub server built with the
// @fedify/fedify library (the one Ghost, Hollo and others use), on loopback.
//
// It serves one actor, `dana` (RSA and Ed25519 keys: Fedify signs what it sends with
// HTTP signatures and adds an FEP-8b32 integrity proof when it holds an Ed25519 key),
// and a small control API that check.py drives:
//
//   GET  /control/read?url=U      Fedify's own reading of the document at U (JSON-LD
//                                 expanded with its preloaded contexts): type, name,
//                                 summary, preview, attribution, interactionPolicy
//   POST /control/quote {target}  dana posts a public Note quoting `target` and sends a
//                                 QuoteRequest (FEP-044f) to the target's author
//   POST /control/react {target, emoji}
//                                 dana reacts to `target` with an `EmojiReact`
//   GET  /control/state           what dana's inbox received (Accept/Reject/Delete), each
//                                 Accept's `result` as Fedify dereferenced and read it
//
//   node peer.mjs PORT
import {
  createFederation,
  generateCryptoKeyPair,
  MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept,
  Delete,
  EmojiReact,
  Endpoints,
  Note,
  Person,
  PUBLIC_COLLECTION,
  QuoteAuthorization,
  QuoteRequest,
  Reject,
} from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import http from "node:http";

const PORT = Number(process.argv[2] ?? 2940);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const USER = "dana";

// Fedify refuses to fetch loopback addresses unless told this is a test.
const federation = createFederation({
  kv: new MemoryKvStore(),
  allowPrivateAddress: true,
  origin: ORIGIN,
});

const keyPairs = [
  await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"),
  await generateCryptoKeyPair("Ed25519"),
];
const notes = new Map();
const received = [];

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== USER) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Dana (Fedify)",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) =>
    identifier === USER ? keyPairs : []
  );

federation.setObjectDispatcher(Note, "/notes/{id}", (_ctx, values) =>
  notes.get(values.id) ?? null
);

async function describeResult(ctx, activity) {
  const id = activity.resultId?.href ?? null;
  if (!id) return { id: null };
  try {
    const result = await activity.getResult({
      documentLoader: ctx.documentLoader,
    });
    if (!(result instanceof QuoteAuthorization)) {
      return { id, type: result?.constructor?.name ?? null };
    }
    return {
      id,
      type: "QuoteAuthorization",
      resolvedId: result.id?.href ?? null,
      attributedTo: result.attributionId?.href ?? null,
      interactingObject: result.interactingObjectId?.href ?? null,
      interactionTarget: result.interactionTargetId?.href ?? null,
    };
  } catch (e) {
    return { id, error: String(e) };
  }
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, async (ctx, accept) => {
    received.push({
      type: "Accept",
      id: accept.id?.href ?? null,
      actor: accept.actorId?.href ?? null,
      object: accept.objectId?.href ?? null,
      result: await describeResult(ctx, accept),
    });
  })
  .on(Reject, async (_ctx, reject) => {
    received.push({
      type: "Reject",
      id: reject.id?.href ?? null,
      actor: reject.actorId?.href ?? null,
      object: reject.objectId?.href ?? null,
    });
  })
  .on(Delete, async (_ctx, del) => {
    received.push({
      type: "Delete",
      id: del.id?.href ?? null,
      actor: del.actorId?.href ?? null,
      object: del.objectId?.href ?? null,
    });
  })
  .onError((_ctx, error) => {
    received.push({ type: "error", error: String(error) });
  });

function hrefs(list) {
  return (list ?? []).map((u) => u.href);
}

function rule(r) {
  if (!r) return null;
  return {
    automaticApproval: hrefs(r.automaticApprovals),
    manualApproval: hrefs(r.manualApprovals),
  };
}

// Fedify's reading of a document: what survives its JSON-LD processing.
async function read(ctx, url) {
  const object = await ctx.lookupObject(url);
  if (!object) return { found: false };
  const policy = object.interactionPolicy;
  const preview = await object.getPreview?.().catch(() => null);
  return {
    found: true,
    type: object.constructor.name,
    id: object.id?.href ?? null,
    name: object.name?.toString() ?? null,
    summary: object.summary?.toString() ?? null,
    attribution: hrefs(object.attributionIds),
    preview: preview
      ? { type: preview.constructor.name, content: preview.content?.toString() ?? null }
      : null,
    interactionPolicy: policy
      ? {
          canReply: rule(policy.canReply),
          canQuote: rule(policy.canQuote),
          canLike: rule(policy.canLike),
          canAnnounce: rule(policy.canAnnounce),
        }
      : null,
  };
}

// The author of `target` as Fedify finds it (the first `attributedTo`).
async function authorOf(ctx, target) {
  const object = await ctx.lookupObject(target);
  if (!object) throw new Error(`could not read ${target}`);
  const authorId = object.attributionIds?.[0];
  if (!authorId) throw new Error(`${target} names no author`);
  const author = await ctx.lookupObject(authorId);
  if (!author?.inboxId) throw new Error(`author ${authorId} has no inbox`);
  return author;
}

let counter = 0;
async function react(ctx, target, emoji) {
  const author = await authorOf(ctx, target);
  counter += 1;
  const reaction = new EmojiReact({
    id: new URL(`${ORIGIN}/activities/react/${counter}-${Date.now()}`),
    actor: ctx.getActorUri(USER),
    object: new URL(target),
    content: emoji,
  });
  await ctx.sendActivity({ identifier: USER }, author, reaction);
  return { reaction: reaction.id.href };
}

async function quote(ctx, target) {
  const author = await authorOf(ctx, target);
  counter += 1;
  const id = `q${counter}-${Date.now()}`;
  const actor = ctx.getActorUri(USER);
  const note = new Note({
    id: ctx.getObjectUri(Note, { id }),
    attribution: actor,
    to: PUBLIC_COLLECTION,
    content: `<p>Worth reading, quoted from Fedify (${id}).</p><p class="quote-inline">RE: <a href="${target}">${target}</a></p>`,
    quote: new URL(target),
    published: Temporal.Now.instant(),
  });
  notes.set(id, note);
  const request = new QuoteRequest({
    id: new URL(`${ORIGIN}/activities/quote-request/${id}`),
    actor,
    object: new URL(target),
    instrument: note,
  });
  await ctx.sendActivity({ identifier: USER }, author, request);
  return { note: note.id.href, request: request.id.href };
}

async function body(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res, status, value) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, ORIGIN);
  const ctx = federation.createContext(new URL(ORIGIN), undefined);
  try {
    if (url.pathname === "/control/read") {
      return send(res, 200, await read(ctx, url.searchParams.get("url")));
    }
    if (url.pathname === "/control/quote" && req.method === "POST") {
      const { target } = JSON.parse(await body(req));
      return send(res, 200, await quote(ctx, target));
    }
    if (url.pathname === "/control/react" && req.method === "POST") {
      const { target, emoji } = JSON.parse(await body(req));
      return send(res, 200, await react(ctx, target, emoji));
    }
    if (url.pathname === "/control/state") {
      return send(res, 200, { received });
    }
    const text = ["GET", "HEAD"].includes(req.method) ? undefined : await body(req);
    const request = new Request(url, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) =>
        Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]
      ),
      body: text,
    });
    const response = await federation.fetch(request, { contextData: undefined });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (e) {
    send(res, 500, { error: String(e?.stack ?? e) });
  }
});

server.listen(PORT, "127.0.0.1", () => {
  console.log(`fedify peer on ${ORIGIN} (actor ${ORIGIN}/users/${USER})`);
});

/* Inspector app service worker: keeps the app shell, its assets and the inspector's checklists for
   offline use, and is the one place that sends the outbox that inspect.js fills.

   On a shared tablet each inspector's pages live in a cache of their own, named after the opaque
   owner key (auth/tablet_owner.py), and a cached page is only ever served to the inspector whose
   login this browser holds now, read from the owner cookie without the network. Logout deletes
   the cookie, so from then on nobody's pages are served from the cache, and the pages are dropped. */
"use strict";

// Shared with inspect.js: change both together.
importScripts(new URL("../static/js/inspect-db.js", self.location).href);  // the IndexedDB schema
const SYNC_TAG = "inspect-outbox";

const CACHE = "surveyor-inspect-v2";                    // assets and manifest: the same for everyone
const PAGES_PREFIX = "surveyor-inspect-pages-";          // + owner key: one inspector's pages
const OWNER_COOKIE = "surveyor_inspector";               // auth/tablet_owner.py
const OWNER_HEADER = "Surveyor-Owner";                   // whose page an answer is (inspect/routes.py)
const SCOPE = new URL(self.registration.scope);            // http://host/inspect/
const SHELL_URL = SCOPE.href;
const ASSIGNMENTS_URL = new URL("assignments.json", SCOPE).href;
const NETWORK_WAIT_MS = 6000;     // a page slower than this on a weak signal is shown from the cache
const FULL_REFRESH_MS = 3600 * 1000;
const SENT_KEPT = 10;

self.addEventListener("install", function (event) {
  // Caching is best effort: a worker that installs without it still sends the outbox, and every
  // visit to the app shell fills in what is missing.
  event.waitUntil(precache().catch(function () {}).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("surveyor-inspect-") === 0 && name !== CACHE && name.indexOf(PAGES_PREFIX) !== 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(signedIn).then(forgetOthers).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname.indexOf(SCOPE.pathname) === 0) {
    event.respondWith(page(event, request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname === new URL("manifest.webmanifest", SCOPE).pathname) {
    event.respondWith(networkFirst(event, request, CACHE, null));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag !== SYNC_TAG) { return; }
  // Rejecting tells the browser to try again later, which it should only do while the network
  // (not the content) keeps the inspections from being delivered.
  event.waitUntil(flushOutbox({}).then(function (result) {
    if (result.retry) { throw new Error("the server could not take the inspections yet"); }
  }));
});

self.addEventListener("message", function (event) {
  const message = event.data || {};
  const reply = function (answer) { if (event.ports && event.ports[0]) { event.ports[0].postMessage(answer); } };
  if (message.type === "flush") {
    event.waitUntil(flushOutbox({retryRejected: Boolean(message.retryRejected)}).then(function (result) {
      // Also left to the browser, for when every page of the app has been closed.
      if (result.retry && self.registration.sync) { self.registration.sync.register(SYNC_TAG).catch(function () {}); }
      reply(result);
    }));
  } else if (message.type === "logout") {
    // Sent by the page once the server has logged this browser out: nobody's pages stay.
    event.waitUntil(forgetOthers(null).then(function () { reply({ok: true}); }));
  } else if (message.type === "precache") {
    event.waitUntil(precache().then(function () { reply({ok: true}); }, function (error) {
      reply({ok: false, error: String(error)});
    }));
  }
});

/* ---- whose pages ---- */

// The owner key of the login this browser holds now, or null: read from the owner cookie, which
// needs no network. Without the Cookie Store API, the one inspector whose pages are kept (the
// pages of everyone else are dropped as soon as an answer or a logout names someone else).
async function signedIn() {
  if (self.cookieStore) {
    try {
      const cookie = await self.cookieStore.get(OWNER_COOKIE);
      return cookie && cookie.value ? cookie.value : null;
    } catch (error) { /* fall back on the caches */ }
  }
  const owners = (await caches.keys()).filter(function (name) { return name.indexOf(PAGES_PREFIX) === 0; });
  return owners.length === 1 ? owners[0].slice(PAGES_PREFIX.length) : null;
}

// Drops the cached pages of everyone but ``owner`` (of everyone, for null).
async function forgetOthers(owner) {
  const names = await caches.keys();
  await Promise.all(names.filter(function (name) {
    return name.indexOf(PAGES_PREFIX) === 0 && name !== PAGES_PREFIX + owner;
  }).map(function (name) { return caches.delete(name); }));
}

function pagesOf(owner) {
  return PAGES_PREFIX + owner;
}

// A page of the app: from the network, else from the cache of the inspector logged in now, and
// only theirs; with nobody logged in, never from a cache.
async function page(event, request) {
  const owner = await signedIn();
  await forgetOthers(owner);
  return networkFirst(event, request, owner ? pagesOf(owner) : null, owner);
}

/* ---- caching ---- */

function cacheKey(url) {
  const parsed = new URL(url, SCOPE);
  parsed.hash = "";
  return parsed.href;
}

function worthKeeping(response, owner) {
  // A redirect (to the login page, say) must never stand in for the page that was asked for.
  const kept = response && response.ok && !response.redirected && response.type === "basic";
  return kept && (!owner || response.headers.get(OWNER_HEADER) === owner);
}

// ``owner``: the page must be that inspector's (the login may have changed since the fetch began).
async function fetchForCache(url, owner) {
  const response = await fetch(url, {credentials: "same-origin", cache: "no-cache"});
  if (!worthKeeping(response, owner)) { throw new Error(url + " answered " + response.status); }
  return response;
}

// Same-origin assets a page loads: stylesheet, scripts, font, manifest and icons.
function assetUrls(html) {
  const found = new Set();
  const pattern = /(?:href|src)="([^"]+)"|url\("?([^")]+)"?\)/g;
  let match;
  while ((match = pattern.exec(html)) !== null) {
    const raw = (match[1] || match[2]).replace(/&amp;/g, "&");
    const url = new URL(raw, SCOPE);
    if (url.origin === self.location.origin &&
        (url.pathname.indexOf("/static/") === 0 || url.pathname.slice(-12) === ".webmanifest")) {
      found.add(cacheKey(url.href));
    }
  }
  return found;
}

let precaching = null;
let lastFullRefresh = 0;

function precache() {
  if (!precaching) {
    const clear = function () { precaching = null; };
    precaching = fillCache().then(clear, function (error) { clear(); throw error; });
  }
  return precaching;
}

async function fillCache() {
  const owner = await signedIn();
  if (!owner) { throw new Error("nobody is logged in"); }
  const cache = await caches.open(CACHE);
  const pages = await caches.open(pagesOf(owner));
  const full = Date.now() - lastFullRefresh > FULL_REFRESH_MS;
  const assets = new Set();
  const shell = await fetchForCache(SHELL_URL, owner);
  assetUrls(await shell.clone().text()).forEach(function (url) { assets.add(url); });
  await pages.put(SHELL_URL, shell);

  const listing = await fetch(ASSIGNMENTS_URL, {credentials: "same-origin", cache: "no-store"});
  if (!worthKeeping(listing)) { throw new Error("assignments answered " + listing.status); }
  const forms = (await listing.json()).forms.map(cacheKey);
  for (const form of forms) {
    if (!full && await pages.match(form, {ignoreVary: true})) { continue; }
    const response = await fetchForCache(form, owner);
    assetUrls(await response.clone().text()).forEach(function (url) { assets.add(url); });
    await pages.put(form, response);
  }
  for (const asset of assets) {
    if (!await cache.match(asset, {ignoreVary: true})) { await cache.put(asset, await fetchForCache(asset, null)); }
  }
  await forgetOldForms(pages, new Set(forms), owner);
  if (full) {
    await forgetOldAssets(cache, assets);
    lastFullRefresh = Date.now();
  }
}

// Checklists no longer assigned are dropped, unless a draft of this inspector's for them is still open.
async function forgetOldForms(cache, assigned, owner) {
  const drafts = new Set((await getAll("drafts")).filter(function (draft) { return draft.user === owner; })
    .map(function (draft) { return cacheKey(draft.url); }));
  const formPath = new URL("form", SCOPE).pathname;
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (url.pathname === formPath && url.searchParams.has("assignment") && !assigned.has(request.url) && !drafts.has(request.url)) {
      await cache.delete(request);
    }
  }
}

// Static files of earlier versions (their ?v= changed) are dropped after a full refresh.
async function forgetOldAssets(cache, current) {
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname.indexOf("/static/") === 0 && !current.has(request.url)) { await cache.delete(request); }
  }
}

// ``cacheName``: where a copy is kept and looked for (null: nowhere); ``owner``: whose answer may be kept.
async function networkFirst(event, request, cacheName, owner) {
  const key = cacheKey(request.url);
  const fromCache = async function (url) {
    // caches.has first: opening a cache creates it, and an empty one would name an owner.
    return cacheName && await caches.has(cacheName) ? (await caches.open(cacheName)).match(url, {ignoreVary: true})
      : undefined;
  };
  // The page goes to the browser as soon as it arrives; its copy is stored meanwhile.
  let stored;
  event.waitUntil(new Promise(function (resolve) { stored = resolve; }));
  const network = fetch(request).then(function (response) {
    if (cacheName && worthKeeping(response, owner)) {
      const copy = response.clone();
      caches.open(cacheName).then(function (cache) { return cache.put(key, copy); }).then(stored, stored);
    } else {
      stored();
    }
    return response;
  }, function (error) { stored(); throw error; });
  network.catch(function () { /* answered from the cache below */ });
  const slow = new Promise(function (resolve) { setTimeout(resolve, NETWORK_WAIT_MS, null); });
  try {
    const response = await Promise.race([network, slow]);
    if (response && response.status < 500) { return response; }
    const cached = await fromCache(key);
    return cached || response || await network;
  } catch (error) {
    // A page never opened with the network (an unassigned checklist, say) gets the app shell,
    // which tells the inspector that this page is not available offline (inspect.js).
    const cached = await fromCache(key) || (request.mode === "navigate" ? await fromCache(SHELL_URL) : null);
    if (cached) { return cached; }
    throw error;
  }
}

async function cacheFirst(request) {
  const key = cacheKey(request.url);
  const cached = await (await caches.open(CACHE)).match(key, {ignoreVary: true});
  if (cached) { return cached; }
  const response = await fetch(request);
  // Only versioned URLs are kept: their content never changes under the same address.
  if (worthKeeping(response) && new URL(request.url).searchParams.has("v")) {
    const cache = await caches.open(CACHE);
    await cache.put(key, response.clone());
  }
  return response;
}

/* ---- IndexedDB ---- */

const openDatabase = self.InspectDB.open;  // static/js/inspect-db.js

let database = null;
async function transact(stores, mode, work) {
  database = database || await openDatabase();
  return self.InspectDB.transact(database, stores, mode, work);
}

const done = self.InspectDB.done;

function getAll(store) {
  return transact([store], "readonly", function (t) { return done(t.objectStore(store).getAll()); });
}

function getRecord(clientId) {
  return transact(["outbox"], "readonly", function (t) { return done(t.objectStore("outbox").get(clientId)); });
}

// Updates a record only if it is still in the outbox (it may have been reopened for correction).
function updateRecord(clientId, changes) {
  return transact(["outbox"], "readwrite", async function (t) {
    const store = t.objectStore("outbox");
    const record = await done(store.get(clientId));
    if (record) { store.put(Object.assign(record, changes)); }
  });
}

function markSent(record, answer) {
  return transact(["outbox", "sent"], "readwrite", async function (t) {
    t.objectStore("outbox").delete(record.client_id);
    const sent = t.objectStore("sent");
    sent.put({client_id: record.client_id, user: record.user || "", id: answer.id, form_url: record.form_url, title: record.title, site: record.site,
      created_at: record.created_at, sent_at: new Date().toISOString(), status: answer.status,
      score_percent: answer.score_percent, grade: answer.grade});
    const all = await done(sent.getAll());
    all.sort(function (a, b) { return a.sent_at < b.sent_at ? 1 : -1; }).slice(SENT_KEPT).forEach(function (old) {
      sent.delete(old.client_id);
    });
  });
}

async function tellPages() {
  const pages = await self.clients.matchAll({type: "window", includeUncontrolled: true});
  pages.forEach(function (page) { page.postMessage({type: "outbox-changed"}); });
}

/* ---- sending ---- */

let flushing = null;
let flushAgain = false;

// Sends every waiting inspection once. Calls made while a flush runs are folded into one more pass.
function flushOutbox(options) {
  if (flushing) {
    flushAgain = {retryRejected: Boolean((flushAgain && flushAgain.retryRejected) || options.retryRejected)};
    return flushing;
  }
  flushing = (async function () {
    let result = await sendAll(options);
    while (flushAgain) {
      const again = flushAgain;
      flushAgain = false;
      result = await sendAll(again);
    }
    return result;
  })().then(function (result) { flushing = null; return result; }, function (error) { flushing = null; throw error; });
  return flushing;
}

// ``retry``: some inspections could not be delivered for a reason that passes by itself (no
// network, a server in trouble), so the page and Background Sync try again; ``retryAfter``: the
// seconds the server asked to wait (Retry-After), or 0.
async function sendAll(options) {
  const result = {sent: 0, waiting: 0, unreachable: false, retry: false, retryAfter: 0};
  const records = (await getAll("outbox"))
    .filter(function (record) { return record.status !== "rejected" || options.retryRejected; })
    .sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
  if (!records.length) { return result; }
  let session;
  try {
    session = await currentSession();
  } catch (error) {
    result.unreachable = result.retry = true;  // no network
    return result;
  }
  if (session.login) {
    // Nobody is logged in: the records wait for their inspectors, and nobody's pages stay.
    await forgetOthers(null);
    for (const record of records) { await updateRecord(record.client_id, {status: "login"}); }
    await tellPages();
    return result;
  }
  if (session.failed) {
    // The server is in trouble: say so on the records of the inspector logged in, send nothing.
    const owner = await signedIn();
    for (const record of records) {
      if (record.user === owner) { await updateRecord(record.client_id, {status: "error"}); }
    }
    await tellPages();
    result.unreachable = result.retry = true;
    result.retryAfter = session.retryAfter;
    return result;
  }
  for (const record of records) {
    // On a shared tablet, an inspection waits for the inspector who made it to be logged in.
    if ((record.user || "") !== session.user) { continue; }
    const outcome = await withLock(record.client_id, function () { return sendOne(record.client_id, session.token); });
    if (!outcome) { continue; }
    if (outcome.result === "sent") { result.sent += 1; } else { result.waiting += 1; }
    if (outcome.result === "unreachable" || outcome.result === "error" || outcome.result === "session_changed") {
      result.retry = true;
      result.retryAfter = Math.max(result.retryAfter, outcome.retryAfter || 0);
    }
    if (outcome.result === "unreachable") { result.unreachable = true; break; }  // no network: try the rest later
    if (outcome.result === "session_changed") { break; }  // the rest waits too, for the next look at the session
  }
  return result;
}

// The seconds a Retry-After header asks for (a number of seconds or an HTTP date), or 0.
function retryAfter(response) {
  const value = response.headers.get("Retry-After");
  if (!value) { return 0; }
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return isFinite(seconds) && seconds > 0 ? seconds : 0;
}

// Who is logged in now, and the CSRF token of that session, read from the app shell (which is
// cached on the way). A token saved with the form may belong to a session that has since ended.
async function currentSession() {
  const response = await fetch(SHELL_URL, {credentials: "same-origin", redirect: "manual", cache: "no-store"});
  if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) { return {login: true}; }
  const user = response.headers.get(OWNER_HEADER) || "";
  if (!worthKeeping(response, user)) { return {failed: true, retryAfter: retryAfter(response)}; }
  const html = await response.clone().text();
  if (user === await signedIn()) { await (await caches.open(pagesOf(user))).put(SHELL_URL, response); }
  const token = html.match(/<input[^>]*name="csrf_token"[^>]*value="([^"]+)"/) ||
    html.match(/<input[^>]*value="([^"]+)"[^>]*name="csrf_token"/);
  return {user: user, token: token ? token[1] : null};
}

// One send per inspection at a time, across this worker, its successor and the pages (Web Locks).
const sendingNow = new Set();
async function withLock(clientId, work) {
  if (self.navigator.locks) {
    return self.navigator.locks.request("inspect-outbox:" + clientId, {ifAvailable: true}, function (lock) {
      return lock ? work() : null;
    });
  }
  if (sendingNow.has(clientId)) { return null; }
  sendingNow.add(clientId);
  try { return await work(); } finally { sendingNow.delete(clientId); }
}

async function sendOne(clientId, token) {
  const record = await getRecord(clientId);  // read again under the lock: it may be gone already
  if (!record) { return null; }
  await updateRecord(clientId, {status: "sending", attempts: (record.attempts || 0) + 1, tried_at: new Date().toISOString()});
  await tellPages();
  let outcome;
  try {
    outcome = await deliver(record, token);
  } catch (error) {
    outcome = {status: "waiting", result: "unreachable"};
  }
  if (outcome.answer) {
    await markSent(record, outcome.answer);
  } else {
    await updateRecord(clientId, {status: outcome.status, errors: outcome.errors || null});
  }
  await tellPages();
  return outcome;
}

// The form as filled, with the CSRF token of the session now and the owner of the record, which
// the server checks against the inspector logged in (auth/tablet_owner.py).
function formData(record, token) {
  const data = new FormData();
  record.entries.forEach(function (entry) {
    if (entry[1] instanceof Blob) {
      data.append(entry[0], entry[1], entry[2] || "photo.jpg");
    } else if (entry[0] !== "owner") {
      data.append(entry[0], entry[0] === "csrf_token" && token ? token : entry[1]);
    }
  });
  data.append("owner", record.user || "");
  return data;
}

// What the server said about one inspection: only a 200/201 JSON answer takes it out of the outbox.
async function deliver(record, token) {
  const response = await fetch(record.action, {method: "POST", body: formData(record, token), credentials: "same-origin",
    headers: {"Accept": "application/json"}, redirect: "manual", cache: "no-store"});
  const answer = await response.json().catch(function () { return null; });
  if ((response.status === 200 || response.status === 201) && answer && answer.id !== undefined) {
    return {answer: answer, result: "sent"};
  }
  if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
    return {status: "login", result: "login"};
  }
  if ((response.status === 409 && answer && answer.code === "owner_mismatch") ||
      (response.status === 400 && answer && answer.error && answer.error.code === "csrf")) {
    // The login changed while this was on its way (on a shared tablet, another inspector logged
    // in): nothing was stored, and the inspection waits for its own inspector's session
    // (inspect/routes.py, fault 1 of issue 12).
    return {status: "waiting", result: "session_changed"};
  }
  if (response.status === 400 || response.status === 409 || response.status === 413) {
    const errors = answer && answer.errors ? answer.errors
      : {form: (answer && answer.error && answer.error.message) || String(response.status)};
    return {status: "rejected", errors: errors, result: "rejected"};
  }
  // 5xx (a 503 while the server's disk or database is away) and the unexpected: kept, tried again later.
  return {status: "error", result: "error", retryAfter: retryAfter(response)};
}

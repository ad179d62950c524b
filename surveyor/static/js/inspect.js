/* Inspector app client: drafts kept in IndexedDB as they are typed, a durable outbox for finished
   inspections (photos included) and the list of what waits to be sent. The forms work without this
   script; with it and a service worker in control, a finished inspection goes to the outbox and the
   service worker (inspect-sw.js), the one place that sends, delivers it when the network allows. */
(function () {
  "use strict";

  // Shared with inspect-sw.js: change both together.
  const SYNC_TAG = "inspect-outbox";
  // Hidden fields that always come from the page being shown, never from a saved draft.
  const PAGE_FIELDS = new Set(["csrf_token", "owner", "version_id", "point_id", "assignment_id"]);
  // Retries after a network error or a server in trouble: 2 s, doubling, at most 15 s apart while
  // the app is open, so the outbox empties soon after the server is back; longer if it asks.
  const RETRY_FIRST_MS = 2000;
  const RETRY_MAX_MS = 15000;
  const RETRY_AFTER_MAX_MS = 600000;
  // English fallbacks; the page's own texts come from <script id="inspect-texts"> (inspect/_texts.html).
  const FALLBACK_TEXTS = {
    outbox_title: "Waiting to be sent",
    outbox_count: "{n} inspection(s) waiting",
    outbox_empty: "Nothing is waiting to be sent.",
    status_waiting: "waiting for the network",
    status_sending: "sending…",
    status_sent: "sent",
    status_attention: "needs your attention",
    status_login: "log in again to send",
    status_error: "the server had a problem; it will be tried again",
    open_to_correct: "Open and correct",
    send_now: "Send now",
    saved_offline: "Saved on this tablet. It will be sent when the network returns.",
    draft_restored: "Your unsent draft was restored.",
    draft_badge: "Draft",
    offline: "You are offline. Your work is kept on this tablet.",
    online: "Back online.",
    offline_ready: "Ready to work offline.",
    location_recorded: "Position recorded.",
    location_unavailable: "Position not available.",
    photo_kept: "Photo kept with the draft",
    page_unavailable_offline: "This page is not kept on this tablet for offline use: only your assignments and the forms you have opened with the network are. Choose from your assignments below, or open it again when the network returns.",
  };
  const STATUS_TEXT = {waiting: "status_waiting", sending: "status_sending", rejected: "status_attention",
    login: "status_login", error: "status_error"};

  const body = document.body;
  const lang = document.documentElement.lang || "fa";
  const texts = Object.assign({}, FALLBACK_TEXTS, readTexts());
  const shellUrl = body.dataset.shellUrl || "/inspect/";
  // Whose work this is: on a shared tablet each inspector sees and sends only their own.
  const user = body.dataset.user || "";
  const form = document.querySelector("form[data-inspection-form]");
  const outboxElement = document.querySelector("[data-outbox]");
  let db = null;

  function readTexts() {
    const block = document.getElementById("inspect-texts");
    try { return block ? JSON.parse(block.textContent) : {}; } catch (e) { return {}; }
  }

  function text(key, values) {
    return String(texts[key] || key).replace(/\{(\w+)\}/g, function (_, name) {
      const value = values && values[name];
      return typeof value === "number" ? new Intl.NumberFormat(lang).format(value) : String(value);
    });
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) { node.append(child); }
    });
    return node;
  }

  /* ---- IndexedDB ---- */

  const openDatabase = self.InspectDB.open;  // static/js/inspect-db.js
  const done = self.InspectDB.done;

  // Runs work(transaction) and resolves once the transaction has committed (inspect-db.js).
  function transact(stores, mode, work) {
    return self.InspectDB.transact(db, stores, mode, work);
  }

  function getAll(store) {
    return transact([store], "readonly", function (t) { return done(t.objectStore(store).getAll()); });
  }

  async function mine(store) {
    return (await getAll(store)).filter(function (row) { return (row.user || "") === user; });
  }

  /* ---- service worker ---- */

  function controller() {
    return navigator.serviceWorker && navigator.serviceWorker.controller;
  }

  async function startServiceWorker() {
    const url = body.dataset.swUrl;
    if (!url || !("serviceWorker" in navigator)) { return null; }
    try {
      await navigator.serviceWorker.register(url, {scope: body.dataset.swScope || shellUrl});
    } catch (e) {
      return null;  // not a secure origin, or private browsing: the forms post as plain HTML
    }
    const registration = await navigator.serviceWorker.ready;
    if (!controller()) {
      await new Promise(function (resolve) {
        navigator.serviceWorker.addEventListener("controllerchange", resolve, {once: true});
      });
    }
    return registration;
  }

  function onWorkerMessage(event) {
    const message = event.data || {};
    if (message.type === "outbox-changed") { renderOutbox(); markAssignments(); }
  }

  function askWorker(message) {
    return new Promise(function (resolve) {
      const channel = new MessageChannel();
      channel.port1.onmessage = function (event) { resolve(event.data); };
      controller().postMessage(message, [channel.port2]);
    });
  }

  let retryTimer = 0;
  let retryDelay = 0;

  // Asks the worker to send the outbox, and tries again by itself while the reason it could not
  // (no network, a 5xx or 503) may pass, honouring the server's Retry-After.
  async function requestFlush(options) {
    if (!controller()) { return; }
    clearTimeout(retryTimer);
    retryTimer = 0;
    const result = await askWorker(Object.assign({type: "flush"}, options || {}));
    if (!result || !result.retry) {
      retryDelay = 0;
      return;
    }
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : RETRY_FIRST_MS, RETRY_MAX_MS);
    const asked = Math.min((result.retryAfter || 0) * 1000, RETRY_AFTER_MAX_MS);
    const delay = Math.max(retryDelay, asked) * (0.9 + Math.random() * 0.2);  // tablets apart after an outage
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { requestFlush(); }, delay);
  }

  async function registerSync() {
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) { await registration.sync.register(SYNC_TAG); }
    } catch (e) { /* Background Sync missing or refused: online and focus events still flush */ }
  }

  /* ---- the outbox on screen ---- */

  function formatTime(iso) {
    try {
      return new Intl.DateTimeFormat(lang, {year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit"})
        .format(new Date(iso));
    } catch (e) { return iso; }
  }

  function errorList(errors, labels) {
    return element("ul", {"class": "outbox-errors"}, Object.keys(errors).map(function (key) {
      const label = labels && labels[key];
      return element("li", {}, [label ? label + ": " + errors[key] : errors[key]]);
    }));
  }

  // A badge that keeps its own width inside the column layout of a card.
  function badge(key, css, status) {
    const attributes = {"class": "badge " + (css || "")};
    if (status) { attributes["data-status"] = status; }
    return element("span", {"class": "outbox-state"}, [element("span", attributes, [text(key)])]);
  }

  function outboxItem(record) {
    const css = record.status === "rejected" || record.status === "login" ? "badge-critical" : "";
    const item = element("li", {"class": "assignment outbox-item", "data-outbox-item": record.client_id}, [
      element("strong", {}, [record.title || ""]),
      element("span", {"class": "due"}, [(record.site ? record.site + " • " : ""),
        element("time", {"datetime": record.created_at}, [formatTime(record.created_at)])]),
      badge(STATUS_TEXT[record.status] || "status_waiting", css, record.status),
      record.errors ? errorList(record.errors, record.labels) : null,
    ]);
    if (record.status === "rejected") {
      const button = element("button", {"type": "button", "class": "button button-secondary"}, [text("open_to_correct")]);
      button.addEventListener("click", function () { reopen(record.client_id); });
      item.append(element("span", {}, [button]));
    }
    return item;
  }

  function sentItem(record) {
    const title = record.title || "";
    return element("li", {"class": "assignment outbox-item", "data-sent-item": record.client_id}, [
      record.id ? element("a", {"href": shellUrl + "inspections/" + record.id}, [element("strong", {}, [title])])
        : element("strong", {}, [title]),
      element("span", {"class": "due"}, [(record.site ? record.site + " • " : ""),
        element("time", {"datetime": record.sent_at}, [formatTime(record.sent_at)])]),
      badge("status_sent", "badge-ok", "sent"),
    ]);
  }

  let rendering = null;
  function renderOutbox() {
    if (!outboxElement || !db) { return Promise.resolve(); }
    // One render after another: the worker's messages can arrive in bursts.
    rendering = (rendering || Promise.resolve()).then(async function () {
      const waiting = (await mine("outbox")).sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      const sent = form ? [] : (await mine("sent")).sort(function (a, b) { return a.sent_at < b.sent_at ? 1 : -1; });
      const children = [];
      if (waiting.length || sent.length || !form) {
        children.push(element("h2", {}, [text("outbox_title")]), element("p", {"class": "outbox-summary"},
          [waiting.length ? text("outbox_count", {n: waiting.length}) : text("outbox_empty")]));
      }
      if (waiting.length) {
        children.push(element("ul", {"class": "assignment-list outbox-list"}, waiting.map(outboxItem)));
        const send = element("button", {"type": "button", "class": "button", "data-outbox-send": ""}, [text("send_now")]);
        send.addEventListener("click", function () { requestFlush({retryRejected: true}); });
        children.push(send);
      }
      if (sent.length) {
        children.push(element("ul", {"class": "assignment-list outbox-list"}, sent.map(sentItem)));
      }
      if (!waiting.length) {
        const notice = document.querySelector("[data-inspect-notice='saved_offline']");
        if (notice) { notice.remove(); }
      }
      outboxElement.textContent = "";
      children.forEach(function (child) { outboxElement.append(child); });
      outboxElement.dataset.count = String(waiting.length);
    }).catch(function () { /* the database went away (storage cleared): nothing to show */ });
    return rendering;
  }

  let onlineTimer = 0;
  function showNetwork(event) {
    const status = document.querySelector("[data-network-status]");
    if (!status) { return; }
    clearTimeout(onlineTimer);
    if (!navigator.onLine) {
      status.textContent = text("offline");
    } else if (event && event.type === "online") {
      status.textContent = text("online");
      onlineTimer = setTimeout(function () { status.textContent = ""; }, 4000);
    } else {
      status.textContent = "";
    }
  }

  // Marks the assignments that have a draft or an inspection waiting to be sent.
  async function markAssignments() {
    const links = document.querySelectorAll("a[data-assignment-form]");
    if (!links.length || !db) { return; }
    const drafts = new Set((await mine("drafts")).map(function (d) { return d.url; }));
    const queued = {};
    (await mine("outbox")).forEach(function (r) { queued[r.form_url] = r.status; });
    const sent = new Set((await mine("sent")).map(function (r) { return r.form_url; }));
    links.forEach(function (link) {
      const url = new URL(link.href, location.href);
      const key = url.pathname + url.search;
      const old = link.querySelector("[data-draft-badge]");
      if (old) { old.remove(); }
      const label = key in queued ? STATUS_TEXT[queued[key]] || "status_waiting"
        : drafts.has(key) ? "draft_badge" : sent.has(key) ? "status_sent" : null;
      if (label) {
        const mark = badge(label, label === "status_sent" ? "badge-ok" : label === "status_attention" ? "badge-critical" : "");
        mark.setAttribute("data-draft-badge", label);
        link.append(mark);
      }
    });
  }

  // A rejected inspection goes back to being a draft of its form, with the server's messages.
  async function reopen(clientId) {
    const move = async function () {
      const record = await transact(["outbox", "drafts"], "readwrite", async function (t) {
        const found = await done(t.objectStore("outbox").get(clientId));
        if (!found) { return null; }
        t.objectStore("drafts").put(draftFromRecord(found));
        t.objectStore("outbox").delete(clientId);
        return found;
      });
      if (record) { location.assign(record.form_url); }
    };
    // The same lock the service worker takes while sending, so a send in progress finishes first.
    if (navigator.locks) { await navigator.locks.request("inspect-outbox:" + clientId, move); } else { await move(); }
  }

  function draftFromRecord(record) {
    const fields = [];
    const photos = {};
    record.entries.forEach(function (entry) {
      if (entry[1] instanceof Blob) { photos[entry[0]] = asFile(entry[1], entry[2]); } else if (!PAGE_FIELDS.has(entry[0])) { fields.push([entry[0], entry[1]]); }
    });
    return {key: draftKey(record.form_url), url: record.form_url, user: user, client_id: record.client_id,
      title: record.title, site: record.site,
      fields: fields, photos: photos, errors: record.errors, updated_at: new Date().toISOString()};
  }

  function asFile(blob, name) {
    return blob instanceof File ? blob : new File([blob], name || "photo.jpg", {type: blob.type});
  }

  /* ---- the checklist form ---- */

  function newClientId() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function formKey() {
    return form.dataset.formUrl || location.pathname + location.search;
  }

  // Drafts are kept per inspector and form URL.
  function draftKey(url) {
    return user + " " + (url || formKey());
  }

  function hidden(name) {
    return form.querySelector("input[name='" + name + "']");
  }

  function formTitle() {
    const heading = document.querySelector("h1");
    return form.dataset.checklist || (heading ? heading.textContent.trim() : document.title);
  }

  // Item code -> the item's text, so the outbox can name what the server refused.
  function itemLabels() {
    const labels = {};
    form.querySelectorAll("fieldset[id^='item-'] > legend").forEach(function (legend) {
      const first = legend.firstChild;
      labels[legend.parentNode.id.slice(5)] = (first ? first.textContent : legend.textContent).trim();
    });
    return labels;
  }

  function formSite() {
    const site = document.querySelector(".site-line strong");
    return form.dataset.site || (site ? site.textContent.trim() : "");
  }

  function showNotice(key, values, role) {
    const notice = element("p", {"class": "flash", "role": role || "status", "data-inspect-notice": key}, [text(key, values)]);
    form.before(notice);
    return notice;
  }

  function showPhoto(input, file) {
    let preview = input.parentNode.querySelector("img[data-photo-preview='" + input.name + "']");
    if (!file) { if (preview) { preview.remove(); } return; }
    if (!preview) {
      preview = element("img", {"data-photo-preview": input.name, "alt": text("photo_kept"), "class": "photo-preview"});
      preview.style.maxWidth = "10rem";
      preview.style.maxHeight = "10rem";
      preview.style.display = "block";
      preview.style.marginTop = ".5rem";
      input.after(preview);
    }
    if (preview.src) { URL.revokeObjectURL(preview.src); }
    preview.src = URL.createObjectURL(file);
  }

  // A failed item usually needs its photo (required where the checklist says so), note and
  // corrective action: its box opens as soon as the item fails, so the photo control is in view.
  function failed(input) {
    if (input.type !== "radio" || !input.checked) { return false; }
    return (/-result$/.test(input.name) && input.value === "fail") || (/-rating$/.test(input.name) && Number(input.value) <= 1);
  }

  function openExtras(box) {
    const extras = box && box.querySelector("details.extras");
    if (extras && !extras.open) { extras.open = true; }
  }

  function openFailedExtras() {
    form.querySelectorAll("fieldset input[type=radio]:checked").forEach(function (input) {
      if (failed(input)) { openExtras(input.closest("fieldset")); }
    });
    form.querySelectorAll("fieldset.has-error").forEach(openExtras);
  }

  function watchFailures() {
    form.addEventListener("change", function (event) {
      if (failed(event.target)) { openExtras(event.target.closest("fieldset")); }
    });
    openFailedExtras();
  }

  function startForm(draft) {
    const state = {draft: draft, saveTimer: 0, finished: false, saving: Promise.resolve()};
    if (draft) {
      restore(draft);
      showNotice("draft_restored");
    } else {
      // A page served from the offline cache carries the ids of an earlier render: a new draft gets
      // its own, or the server would take it for a re-send of an inspection already stored.
      hidden("client_id").value = newClientId();
      if (hidden("started_at")) { hidden("started_at").value = new Date().toISOString(); }
    }
    if (!hidden("latitude") || !hidden("latitude").value) { locate(state); }

    function save() {
      clearTimeout(state.saveTimer);
      if (state.finished) { return state.saving; }
      const current = collect(state.draft);
      state.draft = current;
      state.saving = state.saving.then(function () {
        if (state.finished) { return null; }
        return transact(["drafts"], "readwrite", function (t) { t.objectStore("drafts").put(current); });
      }).catch(function () { /* storage full: the form still posts */ });
      return state.saving;
    }
    state.save = save;
    form.addEventListener("input", function (event) {
      clearTimeout(state.saveTimer);
      state.saveTimer = setTimeout(save, event.target.type === "file" ? 0 : 250);
    });
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") { showPhoto(event.target, event.target.files[0] || (state.draft && state.draft.photos[event.target.name])); }
      save();
    });
    window.addEventListener("pagehide", function () { if (state.saveTimer) { save(); } });
    form.addEventListener("submit", function (event) { onSubmit(event, state); });
  }

  function collect(previous) {
    const fields = [];
    const photos = Object.assign({}, previous ? previous.photos : {});
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || PAGE_FIELDS.has(el.name) || el.type === "submit" || el.type === "button") { return; }
      if (el.type === "file") {
        if (el.files && el.files[0]) { photos[el.name] = el.files[0]; }
      } else if ((el.type !== "radio" && el.type !== "checkbox") || el.checked) {
        fields.push([el.name, el.value]);
      }
    });
    return {key: draftKey(), url: formKey(), user: user, client_id: hidden("client_id").value, title: formTitle(), site: formSite(),
      fields: fields, photos: photos, errors: previous ? previous.errors : null, updated_at: new Date().toISOString()};
  }

  function restore(draft) {
    const values = {};
    draft.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || PAGE_FIELDS.has(el.name) || el.type === "file" || !(el.name in values)) { return; }
      if (el.type === "radio" || el.type === "checkbox") { el.checked = values[el.name].indexOf(el.value) >= 0; } else { el.value = values[el.name][0]; }
    });
    hidden("client_id").value = draft.client_id;
    Object.keys(draft.photos || {}).forEach(function (name) {
      const input = form.querySelector("input[type=file][name='" + name + "']");
      if (!input) { return; }
      try {
        const transfer = new DataTransfer();
        transfer.items.add(asFile(draft.photos[name]));
        input.files = transfer.files;
      } catch (e) { /* no DataTransfer constructor: the photo is added from the draft on submit */ }
      showPhoto(input, draft.photos[name]);
    });
    if (draft.errors) { showErrors(draft.errors); }
    openFailedExtras();
  }

  function showErrors(errors) {
    const keys = Object.keys(errors);
    if (!keys.length) { return; }
    form.before(element("div", {"class": "form-error", "role": "alert"}, [
      element("p", {}, [text("status_attention")]), errorList(errors, itemLabels())]));
    keys.forEach(function (key) {
      const field = form.querySelector("[name='" + key + "'], [name^='item-" + key + "-']");
      const box = field && (field.closest("fieldset") || field.closest(".field"));
      if (box) { box.classList.add("has-error"); }
    });
  }

  function locate(state) {
    if (!navigator.geolocation || !hidden("latitude")) { return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      if (state.finished) { return; }
      hidden("latitude").value = position.coords.latitude.toFixed(6);
      hidden("longitude").value = position.coords.longitude.toFixed(6);
      if (hidden("accuracy")) { hidden("accuracy").value = Math.round(position.coords.accuracy); }
      showNotice("location_recorded");
      if (state.draft) { state.save(); }
    }, function () {
      // Refused or unavailable: the inspection is stored without a position.
      if (!state.finished) { showNotice("location_unavailable"); }
    },
    {enableHighAccuracy: true, timeout: 30000, maximumAge: 120000});
  }

  function onSubmit(event, state) {
    if (!controller() || !db) {
      // No service worker: the browser posts the form itself. The done page clears the draft.
      try { sessionStorage.setItem("inspect:posted", draftKey()); } catch (e) { /* private mode */ }
      return;
    }
    event.preventDefault();
    if (state.finished) { return; }
    state.finished = true;
    clearTimeout(state.saveTimer);
    const button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    queue(state).then(async function () {
      if (!navigator.onLine) {
        try { sessionStorage.setItem("inspect:queued", "1"); } catch (e) { /* private mode */ }
      }
      await registerSync();
      requestFlush();
      location.assign(shellUrl);
    }, function () {
      // The outbox could not be written (storage full): post the form the plain way instead.
      HTMLFormElement.prototype.submit.call(form);
    });
  }

  // Puts the finished inspection in the outbox and removes its draft, in one transaction.
  async function queue(state) {
    await state.saving;
    const data = new FormData(form);
    const entries = [];
    const photoInputs = new Set();
    data.forEach(function (value, name) {
      if (value instanceof Blob) {
        if (value.size) { entries.push([name, value, value.name]); photoInputs.add(name); }
      } else {
        entries.push([name, value]);
      }
    });
    const photos = (state.draft && state.draft.photos) || {};
    Object.keys(photos).forEach(function (name) {
      const input = form.querySelector("input[type=file][name='" + name + "']");
      if (input && !photoInputs.has(name)) { entries.push([name, photos[name], asFile(photos[name]).name]); }
    });
    const record = {client_id: hidden("client_id").value, user: user, form_url: formKey(), action: form.action,
      title: formTitle(), site: formSite(), labels: itemLabels(), created_at: new Date().toISOString(),
      entries: entries, status: "waiting", errors: null, attempts: 0};
    await transact(["outbox", "drafts"], "readwrite", function (t) {
      t.objectStore("outbox").put(record);
      t.objectStore("drafts").delete(draftKey());
    });
  }

  /* ---- start ---- */

  async function forgetPlainPost() {
    // After a plain (no service worker) post reached the done page, its draft is finished.
    let posted = null;
    try { posted = sessionStorage.getItem("inspect:posted"); } catch (e) { return; }
    if (!posted || location.pathname.indexOf(shellUrl + "inspections/") !== 0) { return; }
    sessionStorage.removeItem("inspect:posted");
    await transact(["drafts"], "readwrite", function (t) { t.objectStore("drafts").delete(posted); });
  }

  // Asks the browser not to evict this site's storage (drafts and the outbox live in IndexedDB)
  // when space runs short. Silent either way: a refusal changes nothing the inspector can act on.
  async function keepStorage() {
    if (!navigator.storage || !navigator.storage.persist) { return; }
    try {
      const kept = (await navigator.storage.persisted()) || (await navigator.storage.persist());
      body.dataset.storagePersisted = String(kept);
    } catch (e) { /* not offered here */ }
  }

  // Offline, the service worker answers a page it has no copy of with the app shell: say so
  // rather than leaving the inspector on the list as if the link had led there.
  function showUnavailable() {
    if (form || location.pathname === new URL(shellUrl, location.href).pathname || !outboxElement) { return; }
    const heading = document.querySelector("h1");
    const notice = element("p", {"class": "form-error", "role": "alert", "data-inspect-notice": "page_unavailable_offline"},
      [text("page_unavailable_offline")]);
    (heading || outboxElement).after(notice);
  }

  async function start() {
    showUnavailable();
    if (form) { watchFailures(); }
    if ("serviceWorker" in navigator) {
      // Listen before the first render: the worker may report a result while this page loads.
      navigator.serviceWorker.addEventListener("message", onWorkerMessage);
      navigator.serviceWorker.startMessages();
    }
    try { db = await openDatabase(); } catch (e) { db = null; }
    showNetwork();
    window.addEventListener("online", showNetwork);
    window.addEventListener("offline", showNetwork);
    if (db) {
      await forgetPlainPost().catch(function () {});
      if (form && hidden("client_id")) {
        const draft = await transact(["drafts"], "readonly", function (t) { return done(t.objectStore("drafts").get(draftKey())); });
        startForm(draft || null);
      }
      await renderOutbox();
      markAssignments();
      showQueuedNotice();
    }
    const registration = await startServiceWorker();
    if (!registration) { return; }
    keepStorage();
    if (db) { await renderOutbox(); markAssignments(); }  // anything that changed while registering
    ["online", "focus"].forEach(function (name) { window.addEventListener(name, function () { requestFlush(); }); });
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") { requestFlush(); } });
    requestFlush();
    if (!form && navigator.onLine) {
      // Keep the offline copies of the app and of this inspector's checklists up to date.
      const answer = await askWorker({type: "precache"});
      if (answer && answer.ok) {
        body.dataset.offlineReady = "true";
        if (outboxElement) {
          outboxElement.before(element("p", {"class": "flash", "role": "status", "data-inspect-notice": "offline_ready"}, [text("offline_ready")]));
        }
      }
    }
  }

  // Just after a checklist went to the outbox with no network: say where it is.
  function showQueuedNotice() {
    let queued = null;
    try { queued = sessionStorage.getItem("inspect:queued"); sessionStorage.removeItem("inspect:queued"); } catch (e) { return; }
    if (queued && outboxElement && outboxElement.dataset.count !== "0") {
      outboxElement.before(element("p", {"class": "flash", "role": "status", "data-inspect-notice": "saved_offline"}, [text("saved_offline")]));
    }
  }

  start();
})();

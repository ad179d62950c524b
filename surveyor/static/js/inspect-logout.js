/* Logging out of the inspector's pages on a shared tablet: offline, the inspector is told that
   logging out needs the network (instead of the browser's error page, with the session still
   open); online, the server is told how many of this inspector's inspections still wait in the
   outbox (the page after logout says so), and the service worker drops the inspector's pages. */
(function () {
  "use strict";

  const OWNER_COOKIE = "surveyor_inspector";  // auth/tablet_owner.py
  const form = document.querySelector("form[data-logout]");
  if (!form) { return; }
  let busy = false;

  // The owner key of this browser's login (the cookie carries nothing else).
  function owner() {
    const found = document.cookie.match(new RegExp("(?:^|;\\s*)" + OWNER_COOKIE + "=([^;]*)"));
    return found ? decodeURIComponent(found[1]) : "";
  }

  // How many inspections of this inspector wait in the outbox (inspect-db.js); 0 when unknown.
  async function waiting(user) {
    if (!self.InspectDB || !user) { return 0; }
    const database = await self.InspectDB.open();
    try {
      const records = await self.InspectDB.transact(database, ["outbox"], "readonly", function (t) {
        return self.InspectDB.done(t.objectStore("outbox").getAll());
      });
      return records.filter(function (record) { return record.user === user; }).length;
    } finally {
      database.close();
    }
  }

  // Tells the service worker that this browser is logged out; gives up after a second.
  async function tellWorker() {
    const registration = navigator.serviceWorker && await navigator.serviceWorker.getRegistration(form.dataset.scope);
    const worker = registration && registration.active;
    if (!worker) { return; }
    await new Promise(function (resolve) {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      worker.postMessage({type: "logout"}, [channel.port2]);
      setTimeout(resolve, 1000);
    });
  }

  function say(message) {
    let notice = document.querySelector("[data-logout-notice]");
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "form-error";
      notice.setAttribute("role", "alert");
      notice.setAttribute("data-logout-notice", "");
      const main = document.getElementById("main");
      main.prepend(notice);
    }
    notice.textContent = message;
    notice.scrollIntoView({block: "nearest"});
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (busy) { return; }
    if (!navigator.onLine) {
      say(form.dataset.offlineMessage);
      return;
    }
    busy = true;
    try {
      const data = new FormData(form);
      data.set("waiting", String(await waiting(owner()).catch(function () { return 0; })));
      let response;
      try {
        response = await fetch(form.action, {method: "POST", body: data, credentials: "same-origin",
          redirect: "manual", cache: "no-store"});
      } catch (error) {
        say(form.dataset.offlineMessage);  // the network looked present but was not
        return;
      }
      if (response.type !== "opaqueredirect") {
        HTMLFormElement.prototype.submit.call(form);  // an expired form, say: the server's own page explains
        return;
      }
      await tellWorker().catch(function () {});
      location.assign(form.dataset.next);
    } finally {
      busy = false;
    }
  });
})();

/* The inspector app's IndexedDB schema (drafts, outbox, sent), shared by the page (inspect.js)
   and the service worker (inspect-sw.js, through importScripts), so the two cannot disagree. */
self.InspectDB = (function () {
  "use strict";
  const NAME = "surveyor-inspect";
  const VERSION = 1;

  function open() {
    return new Promise(function (resolve, reject) {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = function () {
        const database = request.result;
        if (!database.objectStoreNames.contains("drafts")) { database.createObjectStore("drafts", {keyPath: "key"}); }
        if (!database.objectStoreNames.contains("outbox")) { database.createObjectStore("outbox", {keyPath: "client_id"}); }
        if (!database.objectStoreNames.contains("sent")) { database.createObjectStore("sent", {keyPath: "client_id"}); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // A request's result as a promise.
  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // Runs work(transaction) on database and resolves with its result once the transaction has
  // committed (durably); a failed work or request aborts it and rejects.
  function transact(database, stores, mode, work) {
    return new Promise(function (resolve, reject) {
      const transaction = database.transaction(stores, mode, {durability: "strict"});
      let result;
      transaction.oncomplete = function () { resolve(result); };
      transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      Promise.resolve(work(transaction)).then(function (value) { result = value; }, function (error) {
        try { transaction.abort(); } catch (e) { /* already finished */ }
        reject(error);
      });
    });
  }

  return {NAME: NAME, VERSION: VERSION, open: open, done: done, transact: transact};
})();

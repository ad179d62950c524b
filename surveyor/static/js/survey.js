/* Survey page helpers. The form works without this script; with it, answers are checked before
   sending (the first question that needs attention gets the focus, and the list at the top links
   to each), answers survive a reload (kept in this browser only, until sent) and the send button
   cannot be pressed twice. The server checks everything again. */
(function () {
  "use strict";
  var form = document.querySelector("[data-survey-form]");
  if (!form) { return; }
  var summary = document.getElementById("error-summary");

  function asciiDigits(text) {
    return text.replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
               .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); });
  }

  /* Each question that needs attention: {question, target (what gets the focus), message}. */
  function problems() {
    var found = [];
    Array.prototype.forEach.call(form.querySelectorAll("[data-question]"), function (q) {
      var code = q.getAttribute("data-question"), kind = q.getAttribute("data-kind");
      var required = q.hasAttribute("data-required");
      if (kind === "rating" || kind === "choice") {
        if (required && !form.querySelector("input[name='" + code + "']:checked")) {
          found.push({question: q, target: q.querySelector("input[name='" + code + "']"),
                      message: q.getAttribute("data-msg-required")});
        }
        return;
      }
      var input = form.elements[code];
      var value = input ? input.value.trim() : "";
      if (!value) {
        if (required) { found.push({question: q, target: input, message: q.getAttribute("data-msg-required")}); }
      } else if (kind === "number") {
        var digits = asciiDigits(value);
        var low = Number(q.getAttribute("data-low")), high = Number(q.getAttribute("data-high"));
        if (!/^[0-9]+$/.test(digits) || Number(digits) < low || Number(digits) > high) {
          found.push({question: q, target: input, message: q.getAttribute("data-msg-range")});
        }
      }
    });
    return found;
  }

  function clearMarks() {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error[data-by-script]"), function (el) { el.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll(".question.has-error"), function (q) { q.classList.remove("has-error"); });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
  }

  function show(found) {
    clearMarks();
    var list = summary.querySelector("ul");
    list.textContent = "";
    found.forEach(function (problem) {
      var q = problem.question;
      q.classList.add("has-error");
      if (!q.querySelector(".field-error")) {
        var note = document.createElement("p");
        note.className = "field-error";
        note.setAttribute("data-by-script", "");
        note.id = q.getAttribute("data-question") + "-error";
        note.textContent = problem.message;
        var after = q.querySelector("legend, label");
        after.parentNode.insertBefore(note, after.nextSibling);
      }
      if (problem.target.tagName !== "INPUT" || problem.target.type !== "radio") {
        problem.target.setAttribute("aria-invalid", "true");
      }
      var heading = (q.querySelector("legend, label") || q).textContent.replace(/\s+/g, " ").replace(/\s*\*\s*$/, "").trim();
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + problem.target.id;
      link.textContent = heading + " ";
      var why = document.createElement("span");
      why.textContent = problem.message;
      link.appendChild(why);
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.hidden = false;
    var first = found[0];
    first.question.scrollIntoView({block: "start"});
    first.target.focus({preventScroll: true});
  }

  var key = "surveyor:" + form.getAttribute("action").split("?")[0].split("#")[0];
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }
  var tokenInput = form.querySelector("input[name=form_token]");
  var token = tokenInput.value;
  // A kept page is forgotten once the server would no longer take it (SURVEYOR_SURVEY_PAGE_HOURS):
  // a visit the next day starts a new page rather than resending yesterday's.
  var keepMs = Number(form.getAttribute("data-keep-hours") || 6) * 3600 * 1000;
  var opened = Date.now();

  function save() {
    if (!storage) { return; }
    var answers = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "form_token" || el.name === "website") { return; }
      if ((el.type === "radio" && el.checked) || el.type === "text" || el.tagName === "TEXTAREA") {
        answers[el.name] = el.value;
      }
    });
    try { storage.setItem(key, JSON.stringify({token: token, opened: opened, answers: answers})); } catch (e) { /* full or private */ }
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(storage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.answers) { return; }
    if (!(saved.opened > Date.now() - keepMs)) { storage.removeItem(key); return; }
    Object.keys(saved.answers).forEach(function (name) {
      var value = saved.answers[name];
      Array.prototype.forEach.call(form.querySelectorAll("[name='" + name + "']"), function (el) {
        if (el.type === "radio") { if (el.value === value && !form.querySelector("[name='" + name + "']:checked")) { el.checked = true; } }
        else if (!el.value) { el.value = value; }
      });
    });
    // Keep the first page's token: a resend after a reload is then recognised as the same answer.
    if (saved.token) { tokenInput.value = saved.token; token = saved.token; opened = saved.opened; }
  }

  if (storage) { restore(); }
  form.addEventListener("change", save);
  form.addEventListener("input", save);
  form.addEventListener("submit", function (event) {
    save();
    var found = summary ? problems() : [];
    if (found.length) {
      event.preventDefault();
      show(found);
      return;
    }
    var button = form.querySelector("button[type=submit]");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
})();

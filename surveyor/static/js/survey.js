/* Survey page helpers. The form works without this script; with it, answers survive a reload
   (kept in this browser only, until sent) and the send button cannot be pressed twice. */
(function () {
  "use strict";
  var form = document.querySelector("[data-survey-form]");
  if (!form || !window.localStorage) { return; }
  var token = form.querySelector("input[name=form_token]").value;
  var key = "surveyor:" + form.getAttribute("action").split("?")[0];

  function save() {
    var answers = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "form_token" || el.name === "website") { return; }
      if ((el.type === "radio" && el.checked) || el.type === "text" || el.tagName === "TEXTAREA") {
        answers[el.name] = el.value;
      }
    });
    try { localStorage.setItem(key, JSON.stringify({token: token, answers: answers})); } catch (e) { /* full or private */ }
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.answers) { return; }
    Object.keys(saved.answers).forEach(function (name) {
      var value = saved.answers[name];
      Array.prototype.forEach.call(form.querySelectorAll("[name='" + name + "']"), function (el) {
        if (el.type === "radio") { if (el.value === value && !form.querySelector("[name='" + name + "']:checked")) { el.checked = true; } }
        else if (!el.value) { el.value = value; }
      });
    });
    // Keep the first page's token: a resend after a reload is then recognised as the same answer.
    if (saved.token) { form.querySelector("input[name=form_token]").value = saved.token; token = saved.token; }
  }

  restore();
  form.addEventListener("change", save);
  form.addEventListener("input", save);
  form.addEventListener("submit", function () {
    save();
    var button = form.querySelector("button[type=submit]");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
  if (document.querySelector(".survey-message")) { localStorage.removeItem(key); }
})();

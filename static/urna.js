/* urna: progressive enhancement only; every page works without it.
 * templates/layout.tpl loads it (deferred) on every page. It does three
 * things, each only where the page asks for it:
 *
 * - Copy buttons: every <button class="copy" data-copy-target="ID" hidden>
 *   is shown, and copies the value of the element with that id
 *   (navigator.clipboard; else select + document.execCommand("copy")). The
 *   result is said in a polite live region next to the button: the text of
 *   data-text-copied (or data-text-copy-failed, when copying did not work;
 *   the value is then left selected), looked up on the button, its
 *   ancestors, then anywhere in the page.
 * - Local times: every <time datetime="...Z"> (the server writes UTC) gets
 *   the visitor's local time after it, formatted by Intl.DateTimeFormat in
 *   the page's language (<html lang>), e.g. "18:00 UTC (2:00 PM your
 *   time)": the phrase is data-text-local-time ("({time} your time)") from
 *   the page; without it, the zone's short name ("(2:00 PM EDT)"). Only
 *   where local time differs from UTC at that instant; the date is added
 *   when the local day differs, the seconds when they are not :00.
 * - Error summaries: a refused form (.notice.errors / .form-errors with
 *   role="alert") gets the focus on load, and its links to a question
 *   (href="#q-1") focus that question's first control to correct.
 *
 * No words are written here: they come from data-text-* attributes that
 * templates render (translated with them), see docs/voting.md.
 */
(function () {
  "use strict";

  // The text of data-text-NAME: on `el` or an ancestor, else anywhere in
  // the page; "" when the page has none.
  function pageText(el, name) {
    var attr = "data-text-" + name;
    var holder = (el && el.closest("[" + attr + "]")) || document.querySelector("[" + attr + "]");
    return holder ? holder.getAttribute(attr) : "";
  }

  function announce(region, message) {
    if (!region || !message) return;
    region.textContent = region.textContent === message ? message + "\u00a0" : message;
  }

  // --- Copy buttons --------------------------------------------------------

  function copyWithSelection(target, value) {
    var field = target;
    var temporary = null;
    if (!("select" in target) || target.type === "password") {
      temporary = document.createElement("textarea");
      temporary.value = value;
      temporary.setAttribute("readonly", "");
      temporary.className = "visually-hidden";
      document.body.appendChild(temporary);
      field = temporary;
    }
    var ok = false;
    try {
      field.focus({ preventScroll: true });
      field.select();
      if (field.setSelectionRange) field.setSelectionRange(0, value.length);
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    if (temporary) temporary.parentNode.removeChild(temporary);
    return ok;
  }

  function initCopy(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) return;  // nothing to copy: the button stays hidden
    var region = document.createElement("span");
    region.className = "copy-status visually-hidden";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    button.parentNode.insertBefore(region, button.nextSibling);
    button.hidden = false;
    button.addEventListener("click", function () {
      var value = "value" in target ? String(target.value) : target.textContent;
      var done = function () {
        button.classList.remove("copy-failed");
        button.classList.add("copied");
        announce(region, pageText(button, "copied"));
      };
      var fallback = function () {
        var ok = copyWithSelection(target, value);
        // Focus back on the button: the voter goes on from where they were.
        button.focus({ preventScroll: true });
        if (ok) return done();
        button.classList.remove("copied");
        button.classList.add("copy-failed");
        if ("select" in target) target.select();  // ready for Ctrl+C
        announce(region, pageText(button, "copy-failed"));
      };
      if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext)
        navigator.clipboard.writeText(value).then(done, fallback);
      else fallback();
    });
  }

  // --- Local times ---------------------------------------------------------

  function formatter(lang, options) {
    try {
      return new Intl.DateTimeFormat(lang || undefined, options);
    } catch (e) {  // an unknown language tag
      return new Intl.DateTimeFormat(undefined, options);
    }
  }

  // "2:00 PM", or "Dec 31, 2035, 7:00 PM" when the local day is not the
  // UTC day (the year too when that differs).
  function localTime(date, lang, withZone) {
    var options = { hour: "numeric", minute: "2-digit" };
    if (date.getUTCSeconds() !== 0) options.second = "2-digit";
    var sameDay = date.getFullYear() === date.getUTCFullYear() &&
      date.getMonth() === date.getUTCMonth() && date.getDate() === date.getUTCDate();
    if (!sameDay) {
      options.month = "short";
      options.day = "numeric";
      if (date.getFullYear() !== date.getUTCFullYear()) options.year = "numeric";
    }
    if (withZone) options.timeZoneName = "short";
    return formatter(lang, options).format(date);
  }

  function initTime(el, lang) {
    var iso = el.getAttribute("datetime") || "";
    if (!/Z$/.test(iso)) return;
    var date = new Date(iso);
    if (isNaN(date.getTime()) || date.getTimezoneOffset() === 0) return;
    var next = el.nextElementSibling;
    if (next && next.classList.contains("local-time")) return;
    var phrase = pageText(el, "local-time");
    var text = phrase ? phrase.replace("{time}", localTime(date, lang, false))
                      : "(" + localTime(date, lang, true) + ")";
    var span = document.createElement("span");
    span.className = "local-time";
    span.textContent = text;
    el.parentNode.insertBefore(span, el.nextSibling);
    el.parentNode.insertBefore(document.createTextNode(" "), span);
  }

  // --- Error summaries -----------------------------------------------------

  function firstControl(container) {
    if (container.matches("input, select, textarea, button")) return container;
    return container.querySelector("select:invalid, input:invalid") ||
      container.querySelector('select, input:not([type="hidden"]), textarea, button');
  }

  function initErrorSummary(summary) {
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
    summary.addEventListener("click", function (ev) {
      var link = ev.target.closest('a[href^="#"]');
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      var control = target && firstControl(target);
      if (!control) return;  // the browser goes to the anchor as usual
      ev.preventDefault();
      var legend = target.querySelector("legend");
      (legend || target).scrollIntoView({ block: "start" });
      control.focus({ preventScroll: true });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("button.copy[data-copy-target]"),
                                 initCopy);
    var lang = document.documentElement.lang;
    Array.prototype.forEach.call(document.querySelectorAll("time[datetime]"), function (el) {
      initTime(el, lang);
    });
    var summary = document.querySelector(
      '.notice.errors[role="alert"], .notice.form-errors[role="alert"]');
    if (summary) initErrorSummary(summary);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

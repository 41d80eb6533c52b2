/* urna booth: drag-and-drop ranking on top of the plain form.
 *
 * Without JavaScript the booth is a list of rank <select>s and works as is.
 * With it, each ranked question gets two lists: "Your ranking" (top = 1) and
 * "Not ranked". Dragging a row by its handle (pointer events: mouse, pen,
 * touch) moves it; after a drop the ranking list is numbered 1, 2, 3, ...
 * into the same selects, and the unranked rows get "no opinion". Changing a
 * select by hand (keyboard) re-sorts the rows and keeps equal ranks. The
 * server checks everything again; this file only fills the form.
 */
(function () {
  "use strict";

  function rows(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.classList.contains("rank-row");
    });
  }

  // The select's values have a fixed width ("01".."10", "00" for no
  // opinion: every ballot the same length, docs/voting.md); choose the
  // option by its number. 0: no opinion (or the "choose" placeholder).
  function setRank(select, rank) {
    for (var i = 0; i < select.options.length; i++) {
      var v = select.options[i].value;
      if ((v === "" ? 0 : parseInt(v, 10)) === rank) {
        select.selectedIndex = i;
        return;
      }
    }
  }

  function rankOf(row) {
    var v = row.querySelector("select.rank").value;
    return v === "" ? 0 : parseInt(v, 10);
  }

  function Question(ol) {
    this.ranked = ol;
    this.fieldset = ol.closest("fieldset");
    this.pool = document.createElement("ul");
    this.pool.className = "ranking unranked";
    var head1 = document.createElement("p");
    head1.className = "list-title";
    head1.textContent = "Your ranking (first choice at the top)";
    var head2 = document.createElement("p");
    head2.className = "list-title";
    head2.textContent = ol.closest("fieldset").querySelector("select[required]")
      ? "Not ranked yet (rank everyone)"
      : "Not ranked (no opinion)";
    ol.parentNode.insertBefore(head1, ol);
    ol.parentNode.insertBefore(head2, ol.nextSibling);
    ol.parentNode.insertBefore(this.pool, head2.nextSibling);
    ol.classList.add("js-ranking");
    this.sortFromSelects();
    var self = this;
    rows(ol).concat(rows(this.pool)).forEach(function (row) { self.wire(row); });
  }

  // Rows by their selects: ranked ones in rank order (stable), others in
  // the pool.
  Question.prototype.sortFromSelects = function () {
    var all = rows(this.ranked).concat(rows(this.pool));
    var ranked = all.filter(function (r) { return rankOf(r) > 0; });
    ranked.sort(function (a, b) { return rankOf(a) - rankOf(b); });
    var self = this;
    ranked.forEach(function (r) { self.ranked.appendChild(r); });
    all.forEach(function (r) { if (rankOf(r) === 0) self.pool.appendChild(r); });
    this.markEmpty();
  };

  // After a drop: the ranking list numbered from the top.
  Question.prototype.numberFromOrder = function () {
    rows(this.ranked).forEach(function (r, i) {
      setRank(r.querySelector("select.rank"), i + 1);
    });
    rows(this.pool).forEach(function (r) {
      setRank(r.querySelector("select.rank"), 0);
    });
    this.markEmpty();
  };

  Question.prototype.markEmpty = function () {
    this.ranked.classList.toggle("is-empty", rows(this.ranked).length === 0);
    this.pool.classList.toggle("is-empty", rows(this.pool).length === 0);
  };

  Question.prototype.wire = function (row) {
    var self = this;
    var handle = row.querySelector(".handle");
    var select = row.querySelector("select.rank");
    select.addEventListener("change", function () { self.sortFromSelects(); });
    if (!handle) return;
    // The handle is also a keyboard control: arrow keys move the row one
    // place (across into / out of the ranking at the ends of the lists).
    handle.removeAttribute("aria-hidden");
    handle.setAttribute("tabindex", "0");
    handle.setAttribute("role", "button");
    handle.setAttribute("aria-label", "Move " + row.querySelector(".answer").textContent +
                        " (arrow keys up and down)");
    handle.addEventListener("keydown", function (ev) {
      if (ev.key !== "ArrowUp" && ev.key !== "ArrowDown") return;
      ev.preventDefault();
      self.step(row, ev.key === "ArrowUp" ? -1 : 1);
      handle.focus();
    });
    handle.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0 || self.dragging) return;
      ev.preventDefault();
      // Listen on the document, not the handle: moving the row in the DOM
      // would release a pointer capture on the handle.
      self.dragging = row;
      row.classList.add("dragging");
      self.fieldset.classList.add("drag-active");
      var id = ev.pointerId;
      var move = function (e) {
        if (e.pointerId === id) self.dragTo(row, e.clientX, e.clientY);
      };
      var finish = function (e) {
        if (e.pointerId !== id) return;
        if (e.type === "pointerup") self.dragTo(row, e.clientX, e.clientY);
        row.classList.remove("dragging");
        self.fieldset.classList.remove("drag-active");
        document.removeEventListener("pointermove", move);
        document.removeEventListener("pointerup", finish);
        document.removeEventListener("pointercancel", finish);
        self.dragging = null;
        self.numberFromOrder();
      };
      document.addEventListener("pointermove", move);
      document.addEventListener("pointerup", finish);
      document.addEventListener("pointercancel", finish);
    });
  };

  // Moves `row` one place up (-1) or down (+1): from the top of "Not
  // ranked" up to the end of the ranking, from the end of the ranking down
  // to the top of "Not ranked".
  Question.prototype.step = function (row, dir) {
    var list = row.parentNode;
    var sib = dir < 0 ? row.previousElementSibling : row.nextElementSibling;
    while (sib && !sib.classList.contains("rank-row"))
      sib = dir < 0 ? sib.previousElementSibling : sib.nextElementSibling;
    if (sib) list.insertBefore(row, dir < 0 ? sib : sib.nextSibling);
    else if (dir < 0 && list === this.pool) this.ranked.appendChild(row);
    else if (dir > 0 && list === this.ranked) this.pool.insertBefore(row, this.pool.firstChild);
    this.numberFromOrder();
  };

  // Moves `row` to where the pointer is: before or after the row under it,
  // or to the end of the (empty part of the) list under it.
  Question.prototype.dragTo = function (row, x, y) {
    var el = document.elementFromPoint(x, y);
    if (!el) return;
    var target = el.closest(".rank-row");
    if (target === row) return;
    if (target && (target.parentNode === this.ranked || target.parentNode === this.pool)) {
      var box = target.getBoundingClientRect();
      var after = y > box.top + box.height / 2;
      target.parentNode.insertBefore(row, after ? target.nextSibling : target);
      this.markEmpty();
      return;
    }
    var list = el.closest("ol.js-ranking, ul.unranked");
    if (list === this.ranked || list === this.pool) {
      list.appendChild(row);
      this.markEmpty();
    }
  };

  // The length of s as a form submission encodes it (WHATWG
  // application/x-www-form-urlencoded: A-Z a-z 0-9 * - . _ stay, space is
  // "+", every other UTF-8 byte is %XX).
  function encodedLength(s) {
    var n = 0;
    var bytes = new TextEncoder().encode(s);
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      var keep = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) ||
        b === 0x2a || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x20;
      n += keep ? 1 : 3;
    }
    return n;
  }

  // Before sending: '*'s in the "pad" field so that the answer fields and the
  // pad together have the election's fixed length (data-pad-to, computed by
  // the server): a ticked approval box adds a field, an unticked one none.
  // Ranks and radio buttons have fixed-width values already (docs/voting.md).
  function padForm(form) {
    var pad = form.querySelector('input[name="pad"]');
    if (!pad) return;
    var target = parseInt(pad.getAttribute("data-pad-to"), 10);
    var used = 0;
    new FormData(form).forEach(function (value, name) {
      if (name.indexOf("rank/") === 0 || name.indexOf("pick/") === 0)
        used += encodedLength(name) + 1 + encodedLength(String(value)) + 1;
    });
    pad.value = new Array(Math.max(0, target - used) + 1).join("*");
  }

  function init() {
    var form = document.querySelector("form.booth-form");
    if (!form) return;
    form.classList.add("js");
    form.addEventListener("submit", function () { padForm(form); });
    Array.prototype.forEach.call(form.querySelectorAll("ol.ranking"), function (ol) {
      new Question(ol);
    });
    // Approval: no more boxes than allowed (the server checks it too).
    Array.prototype.forEach.call(form.querySelectorAll("ul.choices[data-max]"), function (ul) {
      var max = parseInt(ul.getAttribute("data-max"), 10);
      var boxes = ul.querySelectorAll('input[type="checkbox"]');
      var update = function () {
        var n = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
        Array.prototype.forEach.call(boxes, function (b) { b.disabled = !b.checked && n >= max; });
      };
      Array.prototype.forEach.call(boxes, function (b) { b.addEventListener("change", update); });
      update();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

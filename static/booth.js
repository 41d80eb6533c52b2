/* urna booth: drag-and-drop ranking on top of the plain form.
 *
 * Without JavaScript the booth is a list of rank <select>s and works as is.
 * With it, each ranked question gets two lists: "Your ranking" (top = 1) and
 * "Not ranked". Dragging a row by its handle (pointer events: mouse, pen,
 * touch) moves it; after a drop the ranking list is numbered 1, 2, 3, ...
 * into the same selects, and the unranked rows get "no opinion". Changing a
 * select by hand (keyboard) re-sorts the rows and keeps equal ranks. The
 * server checks everything again; this file only fills the form.
 *
 * Keyboard and screen readers (docs/voting.md "Keyboard"): the selects stay
 * the control. A changed select moves its row at once (the lists always
 * show what the form holds, Tab order is the order on the screen) and keeps
 * the focus: after every move (select, handle arrow keys, drag) the moved
 * row's control has the focus again, and the polite live region
 * (.booth-status) says where the row went ("Ivan: rank 2 of 5").
 *
 * Every word shown or announced comes from the page: data-text-* on
 * .booth-texts (templates/vote.tpl), so that it is translated with the
 * templates. Placeholders: {name}, {rank}, {n}.
 */
(function () {
  "use strict";

  function rows(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.classList.contains("rank-row");
    });
  }

  // "{name}: rank {rank} of {n}" with the values filled in.
  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  // Says `message` in the live region, also when it is the same as the last
  // one (a non-breaking space makes it a change).
  function announce(region, message) {
    if (!region || !message) return;
    region.textContent = region.textContent === message ? message + "\u00a0" : message;
  }

  // Runs fn() (which may move rows in the DOM: a moved element loses the
  // focus) and gives the focus back to the element that had it.
  function keepingFocus(fn) {
    var active = document.activeElement;
    fn();
    if (active && active !== document.body && document.activeElement !== active &&
        document.documentElement.contains(active))
      active.focus();
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

  // Puts `wanted` (rows, in order) into `list` in that order, moving only
  // the rows that are not in place yet (a row that is already where it
  // belongs keeps its focus and its place for a screen reader's cursor).
  function place(list, wanted) {
    for (var i = 0; i < wanted.length; i++) {
      var now = rows(list);
      if (now[i] !== wanted[i]) list.insertBefore(wanted[i], now[i] || null);
    }
  }

  var lists = 0;

  function Question(ol, texts, status) {
    var self = this;
    this.ranked = ol;
    this.texts = texts;
    this.status = status;
    this.fieldset = ol.closest("fieldset");
    this.rankAll = !!this.fieldset.querySelector("select.rank[required]");
    this.n = parseInt(ol.getAttribute("data-n"), 10) || rows(ol).length;
    this.pool = document.createElement("ul");
    this.pool.className = "ranking unranked";
    var id = "booth-list-" + ++lists;
    var head1 = document.createElement("p");
    head1.className = "list-title";
    head1.id = id + "-ranked";
    head1.textContent = texts.textRankedTitle || "";
    var head2 = document.createElement("p");
    head2.className = "list-title";
    head2.id = id + "-pool";
    head2.textContent = (this.rankAll ? texts.textPoolTitleAll : texts.textPoolTitle) || "";
    ol.setAttribute("aria-labelledby", head1.id);
    this.pool.setAttribute("aria-labelledby", head2.id);
    // What an empty list says (CSS shows it: content: attr(data-empty)).
    ol.setAttribute("data-empty", texts.textRankedEmpty || "");
    this.pool.setAttribute("data-empty", texts.textPoolEmpty || "");
    ol.parentNode.insertBefore(head1, ol);
    ol.parentNode.insertBefore(head2, ol.nextSibling);
    ol.parentNode.insertBefore(this.pool, head2.nextSibling);
    ol.classList.add("js-ranking");
    this.sortFromSelects();
    rows(ol).concat(rows(this.pool)).forEach(function (row) { self.wire(row); });
  }

  // Rows by their selects: ranked ones in rank order (stable: equal ranks
  // keep their order), the others in the pool in their order.
  Question.prototype.sortFromSelects = function () {
    var all = rows(this.ranked).concat(rows(this.pool));
    var ranked = all.filter(function (r) { return rankOf(r) > 0; });
    var index = new Map(all.map(function (r, i) { return [r, i]; }));
    ranked.sort(function (a, b) { return rankOf(a) - rankOf(b) || index.get(a) - index.get(b); });
    var self = this;
    keepingFocus(function () {
      place(self.ranked, ranked);
      place(self.pool, all.filter(function (r) { return rankOf(r) === 0; }));
    });
    this.markEmpty();
  };

  // After a drop or a handle move: the ranking list numbered from the top.
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

  // "Ivan: rank 2 of 5", "Ivan: no opinion" (or "not ranked yet" when
  // everyone must be ranked).
  Question.prototype.say = function (row) {
    var t = this.texts;
    var rank = rankOf(row);
    var name = row.querySelector(".answer").textContent.trim();
    var template = rank > 0 ? t.textMovedRank : this.rankAll ? t.textMovedUnranked : t.textMovedNone;
    announce(this.status, fill(template, { name: name, rank: rank, n: this.n }));
  };

  Question.prototype.wire = function (row) {
    var self = this;
    var handle = row.querySelector(".handle");
    var select = row.querySelector("select.rank");
    // A rank chosen in the select (arrow keys, typing, the list): the row
    // moves to its place at once and the select keeps the focus.
    select.addEventListener("change", function () {
      self.sortFromSelects();
      self.say(row);
    });
    if (!handle) return;
    // The handle is also a keyboard control: arrow keys move the row one
    // place (across into / out of the ranking at the ends of the lists).
    var name = row.querySelector(".answer").textContent.trim();
    handle.removeAttribute("aria-hidden");
    handle.setAttribute("tabindex", "0");
    handle.setAttribute("role", "button");
    handle.setAttribute("aria-label", fill(this.texts.textHandleLabel, { name: name }));
    handle.addEventListener("keydown", function (ev) {
      if (ev.key !== "ArrowUp" && ev.key !== "ArrowDown") return;
      ev.preventDefault();
      keepingFocus(function () { self.step(row, ev.key === "ArrowUp" ? -1 : 1); });
      handle.focus();
      self.say(row);
    });
    handle.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0 || self.dragging) return;
      ev.preventDefault();
      // Listen on the document, not the handle: moving the row in the DOM
      // would release a pointer capture on the handle.
      self.dragging = row;
      var before = { list: row.parentNode, next: row.nextElementSibling, rank: rankOf(row) };
      row.classList.add("dragging");
      self.fieldset.classList.add("drag-active");
      var id = ev.pointerId;
      var move = function (e) {
        if (e.pointerId !== id) return;
        self.dragTo(row, e.clientX, e.clientY);
        // Near the top or bottom of the window (a phone): scroll on.
        var edge = 48;
        if (e.clientY < edge) window.scrollBy(0, -12);
        else if (e.clientY > window.innerHeight - edge) window.scrollBy(0, 12);
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
        // The dragged row's handle has the focus (as after its arrow keys).
        handle.focus({ preventScroll: true });
        if (row.parentNode !== before.list || row.nextElementSibling !== before.next ||
            rankOf(row) !== before.rank)
          self.say(row);
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
      var ref = after ? target.nextSibling : target;
      if (ref !== row && ref !== row.nextSibling) target.parentNode.insertBefore(row, ref);
      this.markEmpty();
      return;
    }
    var list = el.closest("ol.js-ranking, ul.unranked");
    if ((list === this.ranked || list === this.pool) && list.lastElementChild !== row) {
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
    var textsEl = form.querySelector(".booth-texts");
    var texts = textsEl ? textsEl.dataset : {};
    var status = form.querySelector(".booth-status");
    form.classList.add("js");
    form.addEventListener("submit", function () { padForm(form); });
    Array.prototype.forEach.call(form.querySelectorAll("ol.ranking"), function (ol) {
      new Question(ol, texts, status);
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

/* mkdocs-techplan: filter and sort plan listings in the browser.
 * Progressive enhancement: the full table is in the page without this script. It adds a text
 * filter, turns the status counts into toggle buttons and the column headers into sort
 * buttons. A listing's counts line and header cells share a `data-techplan-listing` number;
 * a row's status is `data-techplan-status` in its first cell; sort keys may be `data-sort`.
 * The first listing of a page keeps its state in the address (`?status=approved&q=billing
 * &sort=date&order=asc`), so a filtered view can be shared; opening that address restores it. */
(function () {
  "use strict";

  function enhance(root) {
    var counts = root.querySelectorAll(".techplan-counts[data-techplan-listing]");
    Array.prototype.forEach.call(counts, function (line) {
      if (line.hasAttribute("data-techplan-ready")) return;  // already enhanced
      var id = line.getAttribute("data-techplan-listing");
      var header = root.querySelector('[data-techplan-column][data-techplan-listing="' + id + '"]');
      var table = header && header.closest("table");
      if (!table) return;
      line.setAttribute("data-techplan-ready", "");
      setUp(line, table, id === "1");
    });
  }

  function setUp(counts, table, inAddress) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var shown = Object.create(null);
    var query = "";
    var sorted = null;  // {column: key, ascending: bool} once a reader sorts
    var toggles = Object.create(null);
    var sorters = Object.create(null);  // no inherited names: `?sort=__proto__` is no column

    var ranks = Object.create(null);  // status slug → its place in the site's workflow
    var status = document.createElement("span");
    status.className = "techplan-filter__status";
    status.setAttribute("aria-live", "polite");

    // A filter that matches nothing says so: an empty table under its header row (or no cards
    // at all on a phone) reads as a page that failed to load.
    var empty = document.createElement("p");
    empty.className = "techplan-filter__empty";
    empty.hidden = true;
    empty.textContent = "No plans match the filter.";
    var last = table.closest(".md-typeset__scrollwrap") || table;  // Material wraps tables
    last.parentNode.insertBefore(empty, last.nextSibling);

    function apply() {
      var active = Object.keys(shown).filter(function (slug) { return shown[slug]; });
      var visible = 0;
      rows.forEach(function (row) {
        var ok = (!active.length || active.indexOf(statusOf(row)) >= 0) &&
          (!query || row.textContent.toLowerCase().indexOf(query) >= 0);
        row.hidden = !ok;
        if (ok) visible++;
      });
      status.textContent = visible === rows.length ? "" : visible + " of " + rows.length + " shown";
      empty.hidden = visible > 0 || !rows.length;
      if (inAddress) remember(active);
    }

    function remember(active) {
      if (!window.history || !window.history.replaceState || !window.URLSearchParams) return;
      var params = new URLSearchParams(window.location.search);
      ["status", "q", "sort", "order"].forEach(function (name) { params.delete(name); });
      if (active.length) params.set("status", active.join(","));
      if (query) params.set("q", query);
      if (sorted) {
        params.set("sort", sorted.column);
        params.set("order", sorted.ascending ? "asc" : "desc");
      }
      var search = params.toString();
      var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, "", url);
      }
    }

    // Status counts become toggle buttons; none pressed shows every status.
    var badges = counts.querySelectorAll(".techplan-badge");
    Array.prototype.forEach.call(badges, function (badge) {
      var match = /techplan-badge--([\w-]+)/.exec(badge.className);
      if (!match) return;
      var slug = match[1];
      ranks[slug] = Object.keys(ranks).length;  // the buttons are in the configured order
      var button = document.createElement("button");
      button.type = "button";
      button.className = "techplan-filter__toggle";
      button.setAttribute("aria-pressed", "false");
      badge.parentNode.insertBefore(button, badge);
      button.appendChild(badge);
      button.setAttribute("aria-label", "Show only " + badge.textContent.replace(/\d+$/, "").trim() +
        " plans (press again to show all)");
      function toggle() {
        shown[slug] = !shown[slug];
        button.setAttribute("aria-pressed", String(shown[slug]));
      }
      toggles[slug] = toggle;
      button.addEventListener("click", function () {
        toggle();
        apply();
      });
    });

    var input = document.createElement("input");
    input.type = "search";
    input.className = "techplan-filter__text";
    input.placeholder = "Filter plans";
    input.setAttribute("aria-label", "Filter plans by text");
    input.addEventListener("input", function () {
      query = input.value.trim().toLowerCase();
      apply();
    });
    var bar = document.createElement("span");
    bar.className = "techplan-filter";
    bar.appendChild(input);
    bar.appendChild(status);
    counts.appendChild(bar);

    // Column headers sort the rows; a second click reverses; empty cells stay last.
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, column) {
      var label = th.querySelector("[data-techplan-column]");
      if (!label) return;
      var name = label.getAttribute("data-techplan-column");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "techplan-sort";
      button.setAttribute("aria-label", "Sort by " + label.textContent.trim());
      label.parentNode.insertBefore(button, label);
      button.appendChild(label);
      // Statuses sort in the order the site configures them (Draft, In Review, Approved...),
      // the order of the status buttons: alphabetically, Approved came before Draft. A row
      // sorts as the status it filters as (a superseded plan as Superseded).
      var keyOf = name === "status" ? statusRank : function (row) { return key(row, column); };
      function sortBy(ascending) {
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) { return compare(keyOf(a), keyOf(b), ascending); });
        rows.forEach(function (row) { body.appendChild(row); });
        sorted = { column: name, ascending: ascending };
      }
      sorters[name] = sortBy;
      button.addEventListener("click", function () {
        sortBy(th.getAttribute("aria-sort") !== "ascending");
        apply();
      });
      // The cell's padding is part of the target: a click there is a click on the button.
      th.addEventListener("click", function (event) {
        if (event.target === th) button.click();
      });
      // The page lists plans newest first: say so on the date column before any click.
      if (name === "date") th.setAttribute("aria-sort", "descending");
    });
    if (inAddress) restore(input);
    apply();

    function statusRank(row) {
      var slug = statusOf(row);
      return slug in ranks ? String(ranks[slug]) : "";  // a status with no button sorts last
    }

    function restore(field) {
      if (!window.URLSearchParams) return;
      var params = new URLSearchParams(window.location.search);
      (params.get("status") || "").split(",").forEach(function (slug) {
        if (typeof toggles[slug] === "function" && !shown[slug]) toggles[slug]();
      });
      var text = params.get("q");
      if (text) {
        field.value = text;
        query = text.trim().toLowerCase();
      }
      var column = params.get("sort");
      if (column && typeof sorters[column] === "function") sorters[column](params.get("order") !== "desc");
    }
  }

  function statusOf(row) {
    var marker = row.querySelector("[data-techplan-status]");
    return marker ? marker.getAttribute("data-techplan-status") : "";
  }

  function key(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    var given = cell.querySelector("[data-sort]");
    return (given ? given.getAttribute("data-sort") : cell.textContent).trim();
  }

  function compare(a, b, ascending) {
    if (a === "" || b === "") return a === b ? 0 : a === "" ? 1 : -1;
    var x = Number(a), y = Number(b);
    var order = !isNaN(x) && !isNaN(y) ? x - y : a.localeCompare(b, undefined, { numeric: true });
    return ascending ? order : -order;
  }

  // Material's instant navigation swaps the page without reloading scripts: re-attach on
  // every page it shows. Other themes load each page anew.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(function () { enhance(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();

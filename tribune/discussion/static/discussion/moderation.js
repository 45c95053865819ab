// The moderation queue from the keyboard: j/k move, a/s/d approve/spam/delete,
// b ban the author, u undo, x select, X select all by this author, ? help.
// Every action posts to the same views the buttons use, so it is logged the same way.
(function () {
  "use strict";
  var form = document.getElementById("bulk");
  if (!form) return;
  var help = document.getElementById("moderation-keys");
  var live = document.getElementById("moderation-live");
  // getAttribute: the form's <select name="action"> shadows form.action.
  var actUrl = form.getAttribute("action");
  var undoUrl = form.dataset.undoUrl;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var actions = { a: "approve", s: "spam", d: "delete" };
  var history = []; // lists of comment ids, newest last
  var busy = false;
  var current = null;

  if (help) help.hidden = false;

  function rows() {
    return Array.prototype.filter.call(
      form.querySelectorAll("tr.moderation__row"),
      function (row) { return !row.hidden; }
    );
  }

  function box(row) { return row.querySelector("input[name=ids]"); }

  function focusRow(row) {
    if (current) current.classList.remove("moderation__row--current");
    current = row || null;
    if (!current) return;
    current.classList.add("moderation__row--current");
    current.focus();
    current.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = rows();
    if (!list.length) return;
    var at = list.indexOf(current);
    var next = at < 0 ? 0 : Math.min(Math.max(at + step, 0), list.length - 1);
    focusRow(list[next]);
  }

  function markSelected(row) {
    row.classList.toggle("moderation__row--selected", box(row).checked);
  }

  function selected() {
    return rows().filter(function (row) { return box(row).checked; });
  }

  function say(text) { if (live) live.textContent = text; }

  function post(url, data) {
    data.append("csrfmiddlewaretoken", token);
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
        return body;
      });
    });
  }

  function act(action) {
    var targets = selected();
    if (!targets.length && current) targets = [current];
    if (!targets.length || busy) return;
    var data = new FormData();
    data.append("action", action);
    targets.forEach(function (row) { data.append("ids", row.dataset.comment); });
    // The next comment is the first one below the focused one that stays,
    // else the nearest one above it.
    var list = rows();
    var at = Math.max(list.indexOf(current), 0);
    var stays = function (row) { return targets.indexOf(row) < 0; };
    var after = list.slice(at + 1).filter(stays)[0] || list.slice(0, at).filter(stays).pop();
    busy = true;
    post(actUrl, data).then(function (body) {
      targets.forEach(function (row) {
        box(row).checked = false;
        markSelected(row);
        row.hidden = true;
      });
      history.push(targets.map(function (row) { return row.dataset.comment; }));
      say(body.message);
      if (after) {
        focusRow(after);
      } else {
        // The page is cleared: load the rest of the queue.
        window.location.reload();
      }
    }).catch(function (error) { say(error.message); }).then(function () { busy = false; });
  }

  function undo() {
    var ids = history.pop();
    if (!ids || busy) return;
    var data = new FormData();
    ids.forEach(function (id) { data.append("ids", id); });
    busy = true;
    post(undoUrl, data).then(function (body) {
      var back = ids.map(function (id) {
        return form.querySelector("tr.moderation__row[data-comment='" + id + "']");
      }).filter(Boolean);
      back.forEach(function (row) { row.hidden = false; });
      say(body.message);
      if (back.length) focusRow(back[0]);
    }).catch(function (error) { say(error.message); }).then(function () { busy = false; });
  }

  function selectAuthor() {
    if (!current) return;
    rows().forEach(function (row) {
      if (row.dataset.author === current.dataset.author) {
        box(row).checked = true;
        markSelected(row);
      }
    });
  }

  form.addEventListener("change", function (event) {
    var row = event.target.closest("tr.moderation__row");
    if (row) markSelected(row);
  });

  form.addEventListener("click", function (event) {
    var row = event.target.closest("tr.moderation__row");
    if (row && !event.target.closest("a, button, input")) focusRow(row);
  });

  // Capture on window so the admin's own shortcuts do not also act on these keys.
  window.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest && target.closest("input:not([type=checkbox]), textarea, select, [contenteditable]")) return;
    var key = event.key;
    if (key === "j" || key === "k") {
      move(key === "j" ? 1 : -1);
    } else if (actions[key]) {
      act(actions[key]);
    } else if (key === "b") {
      if (current) window.location.assign(current.dataset.banUrl);
    } else if (key === "u") {
      undo();
    } else if (key === "x") {
      if (!current) return;
      box(current).checked = !box(current).checked;
      markSelected(current);
    } else if (key === "X") {
      selectAuthor();
    } else if (key === "?") {
      if (help) help.hidden = !help.hidden;
    } else {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);

  focusRow(rows()[0]);
})();

// Old WordPress links end in "#comment-<WordPress id>"; the browser keeps that
// fragment through the redirect to the new report.  Tribune's own permalinks
// carry "?comment=<id>", so a "#comment-N" without it on a report is an old
// link: ask the server where WordPress comment N of this report went.
(function () {
  "use strict";
  var match = /^#comment-(\d{1,19})$/.exec(window.location.hash);
  if (!match || new URLSearchParams(window.location.search).has("comment")) {
    return;
  }
  function go() {
    var thread = document.querySelector("[data-discussion][data-page]");
    if (thread && /^\d+$/.test(thread.dataset.page)) {
      window.location.replace("/moved/comment/" + thread.dataset.page + "/" + match[1] + "/");
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", go);
  } else {
    go();
  }
})();

// The WordPress import's progress page: asks for the progress every second and
// moves the bar; reloads once the import is finished, to show its report.
(function () {
  "use strict";
  var root = document.querySelector("[data-import-run]");
  if (!root || root.dataset.finished === "true") {
    return;
  }
  var bar = root.querySelector("[data-import-bar]");
  var count = root.querySelector("[data-import-count]");

  function poll() {
    fetch(root.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.error) {
          return;
        }
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        count.textContent = data.done + " / " + data.total;
        if (data.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 500);
})();

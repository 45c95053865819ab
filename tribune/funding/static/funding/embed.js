// Puts the goal bar on another site: <script src=".../static/funding/embed.js" data-tribune-goal-bar async></script>
(function () {
  const scripts = document.querySelectorAll("script[data-tribune-goal-bar]");
  for (const script of scripts) {
    if (script.dataset.done) continue;
    script.dataset.done = "1";
    const frame = document.createElement("iframe");
    frame.src = new URL("/support/embed/", script.src).href;
    frame.title = script.dataset.title || "Reader funding";
    frame.loading = "lazy";
    frame.width = "100%";
    frame.height = script.dataset.height || "110";
    frame.style.border = "0";
    frame.style.maxWidth = "72rem";
    script.parentNode.insertBefore(frame, script.nextSibling);
  }
})();

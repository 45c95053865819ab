// Keeps the goal bar current: refetches its JSON every minute and when the tab returns.
const REFRESH_MS = 60000;

function update(bar, data) {
  if (!data || !data.bar) return;
  const figures = data.bar;
  const set = (selector, text) => {
    const node = bar.querySelector(selector);
    if (node) node.textContent = text;
  };
  set("[data-goal-raised]", figures.raised_display);
  set("[data-goal-percent]", figures.percent_display);
  set("[data-goal-countdown]", figures.countdown);
  const meter = bar.querySelector("[data-goal-meter]");
  if (meter) {
    meter.value = figures.fill_percent;
    meter.textContent = figures.percent_display;
  }
  bar.classList.toggle("goal-bar--over", figures.over_goal);
}

async function refresh(bar) {
  try {
    const response = await fetch(bar.dataset.endpoint, {
      headers: { Accept: "application/json" },
      credentials: "omit",
    });
    if (response.ok) update(bar, await response.json());
  } catch (error) {
    // Offline or a network hiccup: the server-rendered figure stays.
  }
}

for (const bar of document.querySelectorAll("[data-goal-bar]")) {
  if (bar.dataset.goalBarReady) continue;
  bar.dataset.goalBarReady = "1";
  setInterval(() => {
    if (document.visibilityState === "visible") refresh(bar);
  }, REFRESH_MS);
  // The live updates stream says when the bar changed (tribune/live).
  document.addEventListener("tribune:goal-changed", () => refresh(bar));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh(bar);
  });
}

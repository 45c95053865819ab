// Live updates on an article page (docs/decisions/0025-live-updates.md): new comments wait in
// a bubble, replies go under their parents, scores and the count change in place, the goal
// bar refetches. Server-Sent Events from `tribune live`; polling where a proxy buffers them.
const READY_MS = 5000;
const POLL_MS = 5000;
const KINDS = ["comment", "score", "goal"];

function start(root, section) {
  root.dataset.liveReady = "1";
  const bubble = root.querySelector("[data-live-bubble]");
  const status = section.querySelector("[data-discussion-count-status]");
  const pending = [];
  let last = Number(root.dataset.liveAfter) || 0;
  let polling = false;

  function parse(html) {
    const holder = document.createElement("template");
    holder.innerHTML = html; // the server's public rendering, escaped there
    const item = holder.content.firstElementChild;
    const token = section.querySelector("input[name=csrfmiddlewaretoken]");
    if (item && token) {
      for (const form of item.querySelectorAll("form[method=post]")) {
        if (!form.querySelector("input[name=csrfmiddlewaretoken]")) form.prepend(token.cloneNode());
      }
    }
    return item;
  }

  function setCount(payload) {
    const title = section.querySelector("#comments-title");
    if (title && payload.count_label) title.textContent = payload.count_label;
    const badge = document.querySelector(".discussion-bubble__count");
    if (badge) badge.textContent = String(payload.count);
    if (status && payload.count_label) status.textContent = payload.count_label;
  }

  function repliesOf(parent) {
    let list = parent.querySelector(":scope > .comment__replies, :scope > details > .comment__replies");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment__replies";
      parent.append(list);
    }
    return list;
  }

  function showBubble() {
    bubble.hidden = pending.length === 0;
    const text = pending.length === 1 ? root.dataset.textOne : root.dataset.textMany;
    bubble.textContent = text.replace("{n}", String(pending.length));
  }

  function showPending() {
    const list = section.querySelector("[data-discussion-comments]");
    const active = section.querySelector(".discussion__sort [aria-current]");
    const newestFirst = active && active.dataset.sort === "newest";
    let first = null;
    for (const payload of pending.splice(0)) {
      if (document.getElementById(`comment-${payload.id}`)) continue;
      const item = parse(payload.html);
      if (!item || !list) continue;
      if (newestFirst) list.prepend(item);
      else list.append(item);
      if (!first || newestFirst) first = item;
    }
    showBubble();
    if (first) {
      first.tabIndex = -1;
      first.focus({ preventScroll: true });
      first.scrollIntoView({ block: "nearest" });
      if (status) status.textContent = root.dataset.textShown;
    }
  }

  // A conversation sent without its replies ("View N replies", loaded on demand): a new
  // reply in it is counted into the link, in the page's language, and comes with the rest.
  function countIntoFold(payload) {
    const root = payload.root && document.getElementById(`comment-${payload.root}`);
    const link = root && root.querySelector(":scope > [data-more-replies]");
    if (!link) return false;
    const count = (Number(link.dataset.count) || 0) + 1;
    const forms = JSON.parse(section.dataset.textViewReplies || "{}");
    const category = new Intl.PluralRules(document.documentElement.lang || undefined).select(count);
    const text = forms[category] || forms.other;
    link.dataset.count = String(count);
    if (text) link.textContent = text.replace("%(counter)s", String(count));
    return true;
  }

  function onComment(payload) {
    setCount(payload);
    if (document.getElementById(`comment-${payload.id}`)) return;
    if (pending.some((p) => p.id === payload.id)) return;
    if (countIntoFold(payload)) return;
    const parent = payload.parent && document.getElementById(`comment-${payload.parent}`);
    if (parent) {
      const item = parse(payload.html);
      if (item) repliesOf(parent).append(item);
    } else if (!payload.parent) {
      pending.push(payload);
      showBubble();
    }
  }

  function onScore(payload) {
    const item = document.getElementById(`comment-${payload.id}`);
    const score = item && item.querySelector(":scope > .comment__box [data-score]");
    if (score) score.textContent = String(payload.score);
  }

  function handle(kind, payload, id) {
    if (id > last) last = id;
    if (kind === "comment") onComment(payload);
    else if (kind === "score") onScore(payload);
    else if (kind === "goal") document.dispatchEvent(new CustomEvent("tribune:goal-changed"));
  }

  async function pollOnce() {
    try {
      const response = await fetch(`${root.dataset.livePoll}?after=${last}`, {
        headers: { Accept: "application/json" },
        credentials: "omit",
      });
      if (response.ok) {
        const data = await response.json();
        for (const event of data.events) handle(event.kind, event.payload, event.id);
        if (data.last > last) last = data.last;
      }
    } catch (error) {
      // Offline: the next round asks again from the same id.
    }
    const wait = document.visibilityState === "visible" ? POLL_MS : POLL_MS * 6;
    setTimeout(pollOnce, wait);
  }

  function poll() {
    if (polling) return;
    polling = true;
    root.dataset.liveState = "polling";
    pollOnce();
  }

  function connect() {
    if (!window.EventSource) {
      poll();
      return;
    }
    const source = new EventSource(`${root.dataset.liveStream}?last=${last}`);
    let ready = false;
    // A proxy that buffers the stream never lets `ready` through: poll instead.
    const fallback = setTimeout(() => {
      if (ready) return;
      source.close();
      poll();
    }, READY_MS);
    source.addEventListener("ready", () => {
      ready = true;
      clearTimeout(fallback);
      root.dataset.liveState = "open";
    });
    for (const kind of KINDS) {
      source.addEventListener(kind, (event) => {
        handle(kind, JSON.parse(event.data), Number(event.lastEventId) || 0);
      });
    }
    source.addEventListener("error", () => {
      // The browser reconnects by itself with Last-Event-ID; a refusal (no live
      // process at this address, too many streams) closes it for good.
      if (source.readyState === EventSource.CLOSED) {
        clearTimeout(fallback);
        poll();
      } else {
        root.dataset.liveState = "reconnecting";
      }
    });
  }

  bubble.addEventListener("click", showPending);
  connect();
}

const root = document.querySelector("[data-live]");
const section = document.querySelector("[data-discussion]");
if (root && section && !root.dataset.liveReady) start(root, section);

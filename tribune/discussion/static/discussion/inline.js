// Inline feedback: select words of the report to comment on them; commented passages
// are highlighted with a count marker that opens their conversations in place.
// Reader text only ever enters the page as text (textContent, DOM nodes), never as HTML;
// the only HTML inserted is the server's own rendering of comments.

import { askToConfirm, commentPayload, enhanceQuestion, newKey, resetQuestion, sendJson, showError } from "./common.js";

const CONTEXT = 32;
const section = document.querySelector("[data-discussion]");
const texts = document.querySelector("[data-inline-texts]");

function say(name, count) {
  const raw = texts.dataset[name] || "";
  return count === undefined ? raw : raw.replace("%(n)s", String(count));
}

// Paragraph n of stream block B is "B.n", as the server counts (passages.py).
function labelParagraphs() {
  for (const root of document.querySelectorAll("[data-passage-root]")) {
    const holder = root.closest("[data-block-id]");
    if (!holder) continue;
    Array.from(root.children).forEach((el, n) => {
      el.dataset.passage = `${holder.dataset.blockId}.${n}`;
    });
  }
}

function passageOf(node) {
  const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return el ? el.closest("[data-passage]") : null;
}

// --- highlights -------------------------------------------------------------

function textNodes(el) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  return nodes;
}

function sharedTail(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n += 1;
  return n;
}

function sharedHead(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

// The occurrence of the quote whose surroundings best match the stored context.
function findQuote(text, passage) {
  let best = -1;
  let bestScore = -1;
  for (let at = text.indexOf(passage.exact); at !== -1; at = text.indexOf(passage.exact, at + 1)) {
    const score =
      sharedTail(text.slice(0, at), passage.prefix) +
      sharedHead(text.slice(at + passage.exact.length), passage.suffix);
    if (score > bestScore) {
      best = at;
      bestScore = score;
    }
  }
  return best;
}

function wrap(el, start, end, key) {
  const marks = [];
  let pos = 0;
  for (const node of textNodes(el)) {
    const from = pos;
    const to = pos + node.data.length;
    pos = to;
    if (to <= start || from >= end || node.parentElement.closest("[data-inline-ui]")) continue;
    let piece = node;
    if (start > from) piece = piece.splitText(start - from);
    if (end < to) piece.splitText(end - Math.max(start, from));
    const mark = document.createElement("mark");
    mark.className = "inline-mark";
    mark.dataset.inlineKey = key;
    piece.replaceWith(mark);
    mark.append(piece);
    marks.push(mark);
  }
  return marks;
}

function clearHighlights() {
  for (const ui of document.querySelectorAll(".inline-marker")) ui.remove();
  for (const mark of document.querySelectorAll("mark.inline-mark")) {
    const parent = mark.parentNode;
    mark.replaceWith(...mark.childNodes);
    parent.normalize();
  }
}

let passages = [];

async function loadPassages() {
  const response = await fetch(section.dataset.apiPassages, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) return;
  passages = (await response.json()).passages;
  clearHighlights();
  passages.forEach((passage, key) => {
    const el = document.querySelector(`[data-passage="${CSS.escape(passage.block)}"]`);
    if (!el) return;
    const at = findQuote(el.textContent, passage);
    if (at < 0) return;
    const marks = wrap(el, at, at + passage.exact.length, String(key));
    if (!marks.length) return;
    const marker = document.createElement("button");
    marker.type = "button";
    marker.className = "inline-marker";
    marker.dataset.inlineUi = "";
    marker.dataset.inlineKey = String(key);
    marker.dataset.count = String(passage.count);
    marker.setAttribute("aria-expanded", "false");
    marker.setAttribute("aria-label", say(passage.count === 1 ? "one" : "many", passage.count));
    marks[marks.length - 1].after(marker);
  });
}

// --- panels and forms -----------------------------------------------------------

function closePanel() {
  for (const panel of document.querySelectorAll(".inline-panel")) panel.remove();
  for (const marker of document.querySelectorAll(".inline-marker[aria-expanded=true]")) {
    marker.setAttribute("aria-expanded", "false");
  }
}

function openPanel(el, label) {
  closePanel();
  const panel = document.createElement("div");
  panel.className = "inline-panel";
  panel.dataset.inlineUi = "";
  panel.setAttribute("role", "region");
  panel.setAttribute("aria-label", label);
  const close = document.createElement("button");
  close.type = "button";
  close.className = "inline-panel__close";
  close.textContent = say("close");
  close.addEventListener("click", () => closePanel());
  panel.append(close);
  el.after(panel);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closePanel();
  });
  return panel;
}

function compactForm(quote, parentId) {
  const main = section.querySelector("[data-comment-form]");
  if (!main) return null;
  const form = main.cloneNode(true);
  form.removeAttribute("data-comment-form");
  form.removeAttribute("id");
  form.dataset.inlineForm = "";
  form.className = "comment-form comment-form--inline";
  for (const node of form.querySelectorAll("[data-replying], .comment-form__title, .comment-form__help")) node.remove();
  for (const node of form.querySelectorAll("[id]")) node.id = `inline-${node.id}`;
  for (const node of form.querySelectorAll("label[for]")) node.htmlFor = `inline-${node.htmlFor}`;
  for (const node of form.querySelectorAll("[aria-describedby]")) {
    node.setAttribute("aria-describedby", node.getAttribute("aria-describedby").split(" ").map((id) => `inline-${id}`).join(" "));
  }
  for (const span of form.querySelectorAll("[data-error-for]")) span.textContent = "";
  form.elements.body.value = "";
  form.elements.key.value = newKey();
  form.elements.parent.value = parentId ? String(parentId) : "";
  form.querySelector("button[type=submit]").textContent = parentId ? say("reply") : say("post");
  if (quote) {
    const shown = document.createElement("blockquote");
    shown.className = "comment-form__quote";
    shown.textContent = quote.exact;
    form.prepend(shown);
  }
  resetQuestion(form);
  enhanceQuestion(form);
  form.addEventListener("submit", (event) => submitCompact(event, form, quote));
  return form;
}

async function submitCompact(event, form, quote) {
  event.preventDefault();
  const payload = commentPayload(form);
  if (quote && !payload.parent) payload.passage = quote;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const { ok, status, data } = await sendJson(section, section.dataset.apiComments, "POST", payload, say("failed"));
    if (!ok) {
      const asked = status === 409 && askToConfirm(form, data.error);
      showError(form, asked ? null : data.error, false);
      return;
    }
    const detail = { id: data.comment.id, html: data.html, parent: payload.parent, count: data.count };
    section.dispatchEvent(new CustomEvent("tribune:comment-posted", { detail }));
    await loadPassages();
    const id = payload.parent || data.comment.id;
    const key = passages.findIndex((p) => p.comments.includes(id) || p.comments.includes(Number(payload.parent)));
    if (key >= 0) await showPassage(key);
    else closePanel();
  } finally {
    button.disabled = false;
  }
}

async function showPassage(key) {
  const passage = passages[key];
  const marker = document.querySelector(`.inline-marker[data-inline-key="${key}"]`);
  if (!passage || !marker) return;
  const el = marker.closest("[data-passage]");
  const panel = openPanel(el, marker.getAttribute("aria-label"));
  marker.setAttribute("aria-expanded", "true");
  const url = new URL(section.dataset.passageCommentsUrl, location.href);
  for (const id of passage.comments) url.searchParams.append("c", String(id));
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) return;
  const template = document.createElement("template");
  template.innerHTML = await response.text();
  panel.append(template.content);
  const more = document.createElement("button");
  more.type = "button";
  more.className = "inline-panel__more";
  more.textContent = say("add");
  more.addEventListener("click", () => {
    const form = compactForm(passage, null);
    if (!form) return;
    more.replaceWith(form);
    form.elements.body.focus();
  });
  if (section.querySelector("[data-comment-form]")) panel.append(more);
  panel.querySelector(".inline-panel__close").focus();
}

function openNewComment(el, quote) {
  const form = compactForm(quote, null);
  if (!form) return;
  const panel = openPanel(el, say("cta"));
  panel.append(form);
  form.elements.body.focus();
}

// --- selection ----------------------------------------------------------------------

const cta = document.createElement("button");
cta.type = "button";
cta.className = "inline-cta";
cta.dataset.inlineUi = "";
cta.hidden = true;
let chosen = null;

function currentSelection() {
  const selection = getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  const el = passageOf(range.startContainer);
  if (!el || el !== passageOf(range.endContainer)) return null;
  if (range.commonAncestorContainer.parentElement?.closest("[data-inline-ui]")) return null;
  const raw = range.toString();
  const exact = raw.trim();
  if (!exact) return null;
  const before = document.createRange();
  before.setStart(el, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const start = before.toString().length + (raw.length - raw.trimStart().length);
  const text = el.textContent;
  return {
    el,
    range,
    quote: {
      block: el.dataset.passage,
      exact,
      prefix: text.slice(Math.max(0, start - CONTEXT), start),
      suffix: text.slice(start + exact.length, start + exact.length + CONTEXT),
    },
  };
}

function placeCta() {
  const found = currentSelection();
  if (!found) {
    if (document.activeElement !== cta) cta.hidden = true;
    return;
  }
  chosen = found;
  found.el.after(cta);
  const box = found.range.getBoundingClientRect();
  const holder = cta.offsetParent || document.body;
  const origin = holder.getBoundingClientRect();
  cta.hidden = false;
  cta.style.top = `${box.bottom - origin.top + 4}px`;
  cta.style.left = `${Math.max(0, box.left - origin.left)}px`;
}

let pending = 0;
function schedule() {
  clearTimeout(pending);
  pending = setTimeout(placeCta, 120);
}

function init() {
  if (!section || !texts) return;
  labelParagraphs();
  cta.textContent = say("cta");
  // Keep the selection when the button is pressed with a pointer.
  cta.addEventListener("pointerdown", (event) => event.preventDefault());
  cta.addEventListener("click", () => {
    if (!chosen) return;
    cta.hidden = true;
    openNewComment(chosen.el, chosen.quote);
  });
  document.addEventListener("selectionchange", schedule);
  document.addEventListener("click", async (event) => {
    const target = event.target.closest("button, a");
    if (!target) return;
    if (target.matches(".inline-marker")) {
      if (target.getAttribute("aria-expanded") === "true") closePanel();
      else await showPassage(Number(target.dataset.inlineKey));
    } else if (target.matches("[data-show-passage]")) {
      const id = Number(target.dataset.showPassage);
      const key = passages.findIndex((p) => p.comments.includes(id));
      const marker = document.querySelector(`.inline-marker[data-inline-key="${key}"]`);
      if (!marker) return;
      event.preventDefault();
      for (const old of document.querySelectorAll(".inline-mark--focus")) old.classList.remove("inline-mark--focus");
      for (const mark of document.querySelectorAll(`mark[data-inline-key="${key}"]`)) mark.classList.add("inline-mark--focus");
      marker.scrollIntoView({ block: "center" });
      marker.focus();
    } else if (target.matches("[data-feedback-prompt]")) {
      const box = target.closest("[data-block-id]");
      const el = box && box.querySelector("[data-passage]");
      if (!el || !el.textContent.trim()) return;
      event.preventDefault();
      openNewComment(el, { block: el.dataset.passage, exact: el.textContent.trim(), prefix: "", suffix: "" });
    } else if (target.matches(".inline-panel [data-reply]")) {
      event.preventDefault();
      const item = target.closest("[data-comment]");
      const old = document.querySelector(".inline-panel [data-inline-form]");
      if (old) old.remove();
      const form = compactForm(null, Number(item.dataset.comment));
      if (!form) return;
      item.querySelector(":scope > .comment__box").after(form);
      form.elements.body.focus();
    }
  });
  loadPassages();
  document.body.dataset.inlineReady = "true";
}

init();

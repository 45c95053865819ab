// Enhances the server-rendered comment section: post, reply, vote, sort and load in place.
// Without this script every action still works as a plain form or link.

import {
  askToConfirm,
  commentPayload,
  enhanceQuestion,
  forId,
  fragment,
  newKey,
  resetQuestion,
  sendJson,
  showError,
} from "./common.js";
import { applyReaderState, pressVote, reapplyReaderState, rememberScript } from "./reader.js";

async function fetchList(section, params) {
  const url = new URL(section.dataset.listUrl, location.href);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`list ${response.status}`);
  return fragment(await response.text()).querySelector("[data-discussion-list]");
}

function currentSort(section) {
  const current = section.querySelector("[data-sort][aria-current]");
  return current ? current.dataset.sort : "oldest";
}

function moveFormTo(section, form, home, commentItem, name) {
  const parentInput = form.elements.parent;
  let note = form.querySelector("[data-replying]");
  if (!commentItem) {
    parentInput.value = "";
    if (note) note.remove();
    home.after(form);
    return;
  }
  parentInput.value = commentItem.dataset.comment;
  if (!note) {
    note = document.createElement("p");
    note.className = "comment-form__replying";
    note.dataset.replying = "";
    form.querySelector(".comment-form__title").after(note);
  }
  note.textContent = `${form.dataset.textReplying} ${name} `;
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.dataset.cancelReply = "";
  cancel.textContent = form.dataset.textCancel;
  note.append(cancel);
  commentItem.querySelector(":scope > .comment__box").after(form);
  form.elements.body.focus();
}

function insertComment(section, html, parentId) {
  const item = fragment(html).firstElementChild;
  if (parentId) {
    // In the list only: an open inline-feedback panel may hold a copy of the parent.
    const parent = section.querySelector(`#comment-${parentId}`);
    let list = parent && parent.querySelector(":scope > .comment__replies, :scope > details > .comment__replies");
    if (parent && !list) {
      list = document.createElement("ol");
      list.className = "comment__replies";
      parent.append(list);
    }
    if (list) list.append(item);
  } else {
    const list = section.querySelector("[data-discussion-comments]");
    if (currentSort(section) === "newest") list.prepend(item);
    else list.append(item);
  }
  return item;
}

function updateCount(section, count) {
  const bubble = document.querySelector("[data-discussion-bubble]");
  if (!bubble) return;
  let badge = bubble.querySelector(".discussion-bubble__count");
  if (!badge) {
    badge = document.createElement("span");
    badge.className = "discussion-bubble__count";
    bubble.prepend(badge, " ");
  }
  // Grouped as the page's language writes numbers ("1,455"), like the server.
  badge.textContent = count.toLocaleString(document.documentElement.lang || undefined);
  const text = bubble.querySelector(".discussion-bubble__text");
  // The word in the page language's plural category (1 comment, 3 коментарі, 5 коментарів).
  const forms = JSON.parse(bubble.dataset.textForms || "{}");
  const category = new Intl.PluralRules(document.documentElement.lang || undefined).select(count);
  const word = forms[category] || forms.other || "";
  if (text) text.textContent = word;
  // Screen readers hear the new count once; the bubble itself is not a live region.
  const status = section.querySelector("[data-discussion-count-status]");
  if (status) status.textContent = `${badge.textContent} ${word}`;
}

// Every copy of the comment: the list's, and an inline-feedback panel's.
function showVote(c) {
  for (const item of document.querySelectorAll(`[data-comment="${c.id}"]`)) {
    const form = item.querySelector(":scope > .comment__box [data-vote]");
    if (!form) continue;
    form.querySelector("[data-score]").textContent = String(c.score);
    pressVote(form, c.my_vote);
  }
}

async function onSubmit(section, home, event) {
  const form = event.target;
  if (form.matches("[data-vote]")) {
    event.preventDefault();
    const button = event.submitter;
    if (!button) return;
    const value = { up: 1, down: -1, none: 0 }[button.value];
    const id = form.closest("[data-comment]").dataset.comment;
    form.classList.add("is-busy");
    const url = forId(section.dataset.apiVote, id);
    const { ok, data } = await sendJson(section, url, "POST", { value }, section.dataset.textFailed);
    form.classList.remove("is-busy");
    if (!ok) {
      form.querySelector("[data-score]").title = data.error.message;
      return;
    }
    showVote(data.comment);
    return;
  }
  if (!form.matches("[data-comment-form]")) return;
  event.preventDefault();
  const payload = commentPayload(form);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  form.classList.add("is-busy");
  try {
    const { ok, status, data } = await sendJson(section, section.dataset.apiComments, "POST", payload, section.dataset.textFailed);
    if (!ok) {
      if (status === 409 && askToConfirm(form, data.error)) {
        showError(form, null, false);
        return;
      }
      showError(form, data.error);
      return;
    }
    showError(form, null);
    resetQuestion(form);
    const item = insertComment(section, data.html, payload.parent);
    if (typeof data.count === "number") updateCount(section, data.count);
    form.elements.body.value = "";
    form.elements.key.value = newKey();
    moveFormTo(section, form, home, null, "");
    if (item) {
      item.classList.add("comment--focus");
      item.scrollIntoView({ block: "center" });
    }
  } finally {
    button.disabled = false;
    form.classList.remove("is-busy");
  }
}

async function replaceList(section, params) {
  const list = section.querySelector("[data-discussion-list]");
  list.classList.add("is-busy");
  try {
    list.replaceWith(await fetchList(section, params));
  } catch {
    list.classList.remove("is-busy");
    return false;
  }
  return true;
}

async function onClick(section, form, home, event) {
  const target = event.target.closest("a, button");
  if (!target || !section.contains(target)) return;
  if (target.matches("[data-reply]") && form) {
    event.preventDefault();
    moveFormTo(section, form, home, target.closest("[data-comment]"), target.dataset.name);
  } else if (target.matches("[data-cancel-reply]") && form) {
    event.preventDefault();
    moveFormTo(section, form, home, null, "");
  } else if (target.matches("[data-sort]")) {
    event.preventDefault();
    const sort = target.dataset.sort;
    const { sortCookie, cookiePath } = section.dataset;
    document.cookie = `${sortCookie}=${sort}; path=${cookiePath}; max-age=31536000; samesite=lax`;
    if (await replaceList(section, { sort })) {
      const url = new URL(location.href);
      url.searchParams.set("sort", sort);
      url.searchParams.delete("cpage");
      history.replaceState(null, "", url);
    }
  } else if (target.matches("[data-load-more]")) {
    event.preventDefault();
    const pager = target.closest(".discussion__pager");
    pager.classList.add("is-busy");
    try {
      const next = await fetchList(section, { sort: currentSort(section), cpage: target.dataset.next });
      const list = section.querySelector("[data-discussion-comments]");
      const seen = new Set(Array.from(list.querySelectorAll("[data-comment]"), (li) => li.id));
      for (const item of Array.from(next.querySelector("[data-discussion-comments]").children)) {
        if (!seen.has(item.id)) list.append(item);
      }
      const newPager = next.querySelector(".discussion__pager");
      if (newPager) pager.replaceWith(newPager);
      else pager.remove();
    } catch {
      pager.classList.remove("is-busy");
    }
  } else if (target.matches("[data-more-replies]")) {
    event.preventDefault();
    await openReplies(section, target);
  } else if (target.matches("[data-view-all]")) {
    event.preventDefault();
    await replaceList(section, { sort: currentSort(section), call: "1" });
  }
}

// A folded conversation sent without its replies: its "View N replies" link becomes the
// fold, opened, with the replies fetched for this reader. If they cannot be fetched,
// the link's own address (the conversation's permalink) still shows them.
async function openReplies(section, link) {
  if (link.classList.contains("is-busy")) return;
  link.classList.add("is-busy");
  let list;
  try {
    const response = await fetch(forId(section.dataset.repliesUrl, link.dataset.moreReplies), {
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`replies ${response.status}`);
    list = fragment(await response.text()).querySelector("[data-replies-of]");
    if (!list) throw new Error("replies: no list");
  } catch {
    location.assign(link.href);
    return;
  }
  const item = link.closest("[data-comment]");
  // Replies placed while the fold was shut (live, or the reader's own) come again here.
  for (const early of item.querySelectorAll(":scope > .comment__replies")) early.remove();
  const fold = document.createElement("details");
  fold.className = "comment__more";
  fold.open = true;
  const summary = document.createElement("summary");
  summary.textContent = link.textContent;
  fold.append(summary, list);
  link.replaceWith(fold);
  summary.focus();
  reapplyReaderState(section);
}

// A permalink to a comment that is not on this page asks the server for its page;
// one that is here gets highlighted, with its folded replies opened.
function followPermalink() {
  const wanted = location.hash.match(/^#comment-(\d+)$/);
  if (!wanted) return false;
  const item = document.getElementById(`comment-${wanted[1]}`);
  if (!item) {
    const url = new URL(location.href);
    // Asked for already: it may be one's own held comment, placed once the state comes.
    if (url.searchParams.get("comment") === wanted[1]) return false;
    url.searchParams.set("comment", wanted[1]);
    location.replace(url.href);
    return true;
  }
  for (const old of document.querySelectorAll(".comment--focus")) old.classList.remove("comment--focus");
  item.classList.add("comment--focus");
  const folded = item.closest("details");
  if (folded) folded.open = true;
  item.scrollIntoView({ block: "center" });
  return false;
}

function init(section) {
  rememberScript(section);
  if (followPermalink()) return;
  window.addEventListener("hashchange", followPermalink);
  const form = section.querySelector("[data-comment-form]");
  const home = document.createElement("span");
  home.hidden = true;
  if (form) {
    form.before(home);
    enhanceQuestion(form);
  }
  section.addEventListener("click", (event) => onClick(section, form, home, event));
  section.addEventListener("submit", (event) => onSubmit(section, home, event));
  // Votes in an inline-feedback panel (in the report, outside the section) too.
  document.addEventListener("submit", (event) => {
    if (!section.contains(event.target) && event.target.matches("[data-vote]")) {
      onSubmit(section, home, event);
    }
  });
  // inline.js posts feedback from a panel in the report; the list shows it too.
  section.addEventListener("tribune:comment-posted", (event) => {
    const { id, html, parent, count } = event.detail;
    if (section.querySelector(`#comment-${id}`)) return;
    insertComment(section, html, parent);
    if (typeof count === "number") updateCount(section, count);
  });
  section.dataset.enhanced = "true";
  applyReaderState(section).then(() => {
    // A permalink to one's own held comment finds it once it is placed.
    if (location.hash.startsWith("#comment-")) followPermalink();
  });
}

const section = document.querySelector("[data-discussion]");
if (section) init(section);

// Applies the reader's own state to the page: the server sends every reader the same
// shared copy (no votes, no own comments, no tokens) and this reader's part as JSON
// from the section's data-api-me address (decision 0024). Pages the server rendered
// for this reader already show it all; applying it again changes nothing.

import { fragment, newKey } from "./common.js";

// Tells the server this browser runs the script, so it may get the shared copy.
export function rememberScript(section) {
  const { jsCookie, cookiePath } = section.dataset;
  if (jsCookie) document.cookie = `${jsCookie}=1; path=${cookiePath}; max-age=31536000; samesite=lax`;
}

function fillForms(me) {
  for (const input of document.querySelectorAll("input[name=csrfmiddlewaretoken]")) input.value = me.csrf_token;
  for (const form of document.querySelectorAll("[data-comment-form]")) {
    if (form.elements.started && !form.elements.started.value) form.elements.started.value = me.form_token;
    if (form.elements.key && !form.elements.key.value) form.elements.key.value = newKey();
  }
}

export function pressVote(form, myVote) {
  const up = form.querySelector(".vote__up");
  const down = form.querySelector(".vote__down");
  up.setAttribute("aria-pressed", String(myVote === 1));
  down.setAttribute("aria-pressed", String(myVote === -1));
  up.value = myVote === 1 ? "none" : "up";
  down.value = myVote === -1 ? "none" : "down";
}

function markVotes(me) {
  for (const { comment, value } of me.votes) {
    for (const item of document.querySelectorAll(`[data-comment="${comment}"]`)) {
      const form = item.querySelector(":scope > .comment__box [data-vote]");
      if (form) pressVote(form, value);
    }
  }
}

function showDeadline(section, item, until) {
  const edit = until && item.querySelector(':scope > .comment__box .comment__actions a[href$="/edit/"]');
  if (!edit || item.querySelector(":scope > .comment__box .comment__deadline")) return;
  const lang = document.documentElement.lang || undefined;
  const time = document.createElement("time");
  time.dateTime = until;
  time.textContent = new Date(until).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  const note = document.createElement("span");
  note.className = "comment__deadline";
  const [before, after] = (section.dataset.textUntil || "%(time)s").split("%(time)s");
  note.append(`(${before}`, time, `${after || ""})`);
  edit.nextElementSibling ? edit.nextElementSibling.after(" ", note) : edit.after(" ", note);
}

function placeComment(section, own, item) {
  if (own.parent) {
    const parent = section.querySelector(`#comment-${own.parent}`);
    if (!parent) return false;
    let replies = parent.querySelector(":scope > .comment__replies, :scope > details > .comment__replies");
    if (!replies) {
      replies = document.createElement("ol");
      replies.className = "comment__replies";
      parent.append(replies);
    }
    replies.append(item);
    return true;
  }
  const list = section.querySelector("[data-discussion-comments]");
  const current = section.querySelector("[data-sort][aria-current]");
  if (list && current && current.dataset.sort === "newest") list.prepend(item);
  else if (list && !section.querySelector(".discussion__pager")) list.append(item);
  else return false;
  return true;
}

// Own comments: the shared copy shows approved ones as anyone sees them and held
// ones not at all; each gets the box its author sees (edit, delete, "Awaiting
// moderation"), and a held one its place in the thread.
function placeOwn(section, me) {
  for (const own of [...me.comments].reverse()) {
    const item = fragment(own.html).firstElementChild;
    if (!item) continue;
    let shown = section.querySelector(`#comment-${own.id}`);
    if (shown) {
      const box = item.querySelector(":scope > .comment__box");
      if (box) shown.querySelector(":scope > .comment__box").replaceWith(box);
      shown.classList.toggle("comment--held", own.held);
    } else if (placeComment(section, own, item)) {
      shown = item;
    } else {
      continue;
    }
    showDeadline(section, shown, own.editable_until);
  }
}

function signedIn(section, me) {
  const account = section.querySelector("p.discussion__account");
  if (account && section.dataset.logoutUrl) {
    const form = document.createElement("form");
    form.className = "discussion__account";
    form.method = "post";
    form.action = section.dataset.logoutUrl;
    for (const [name, value] of [["csrfmiddlewaretoken", me.csrf_token], ["next", location.pathname]]) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    }
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = section.dataset.textSignOut;
    form.append(button);
    account.replaceWith(form);
  }
  const form = section.querySelector("[data-comment-form]");
  const guest = form && form.querySelector(".comment-form__guest");
  if (!guest) return;
  guest.hidden = true;
  for (const input of guest.querySelectorAll("input")) input.disabled = true;
  const as = document.createElement("p");
  as.className = "comment-form__as";
  as.textContent = (section.dataset.textCommentingAs || "%(name)s").replace("%(name)s", me.identity.name);
  guest.after(as);
}

function fillIdentity(section, me) {
  if (!me.identity) return;
  // The "notify me" bar above the section asks for the address too.
  const subscribe = document.querySelector("input#sub_email");
  if (subscribe && !subscribe.value && me.identity.email) subscribe.value = me.identity.email;
  if (me.signed_in) {
    signedIn(section, me);
    return;
  }
  const form = section.querySelector("[data-comment-form]");
  if (!form) return;
  for (const name of ["name", "email", "website"]) {
    const input = form.elements[name];
    if (input && !input.value && me.identity[name]) input.value = me.identity[name];
  }
}

// The "notify me" bar tells a subscribed reader so (the shared copy cannot).
function showSubscriptions(me) {
  const bar = document.querySelector(".subscribe-bar");
  const found = me.subscriptions || [];
  if (!bar || !found.length || bar.querySelector("[data-subscribed]")) return;
  const chosen = found.find((s) => s.scope === "thread") || found[0];
  const note = document.createElement("p");
  note.className = "subscribe-bar__status";
  note.dataset.subscribed = chosen.confirmed ? "confirmed" : "pending";
  note.setAttribute("role", "status");
  note.textContent = chosen.confirmed ? bar.dataset.textSubscribed : bar.dataset.textPending;
  bar.querySelector(".subscribe-bar__title").after(note);
}

// The state last applied, for rows the page gains later (an opened fold's replies).
let applied = null;

export function reapplyReaderState(section) {
  if (!applied) return;
  fillForms(applied);
  markVotes(applied);
  placeOwn(section, applied);
}

export async function applyReaderState(section) {
  if (!section.dataset.apiMe) return null;
  let me;
  try {
    const response = await fetch(section.dataset.apiMe, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return null;
    me = await response.json();
  } catch {
    return null;
  }
  fillForms(me);
  markVotes(me);
  placeOwn(section, me);
  fillIdentity(section, me);
  showSubscriptions(me);
  section.dataset.readerState = "applied";
  applied = me;
  return me;
}

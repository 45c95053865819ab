// Helpers shared by discussion.js and inline.js. Every address and cookie name comes
// from the server through data attributes on the comment section, so the scripts work
// under any script prefix and with any cookie names the settings choose.

// The CSRF token: the cookie the section names, else a form's hidden field.
export function csrfToken(section) {
  const name = section.dataset.csrfCookie || "csrftoken";
  for (const part of document.cookie.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

// A fresh idempotency key for one submission (the server ignores a repeated key).
export function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// The server's own HTML (a comment, a list) as nodes.
export function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

// An address the server rendered for the object with id 0, made for another id.
export function forId(address, id) {
  const at = address.lastIndexOf("/0");
  return at < 0 ? address : `${address.slice(0, at)}/${id}${address.slice(at + 2)}`;
}

// A JSON request with the CSRF token; answers { ok, status, data } and never throws
// on a body that is not JSON (data then carries an error with `failed` as message).
export async function sendJson(section, url, method, payload, failed) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-CSRFToken": csrfToken(section),
    },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = { error: { code: "bad_response", message: failed } };
  }
  return { ok: response.ok, status: response.status, data };
}

// A comment form's fields as the API takes them.
export function commentPayload(form) {
  const payload = Object.fromEntries(new FormData(form).entries());
  delete payload.csrfmiddlewaretoken;
  payload.parent = payload.parent ? Number(payload.parent) : null;
  // A ticked checkbox sends "on"; the API takes a boolean.
  payload.verify_email = payload.verify_email === "on";
  // Hidden: "1" when the server asked without JS, "true" when askToConfirm did.
  payload.confirm_offensive = ["1", "true", "True"].includes(payload.confirm_offensive);
  return payload;
}

// Show the API's error beside its field, or in the form's status line; null clears.
// `mark` also flags the field and moves the focus to it.
export function showError(form, error, mark = true) {
  for (const span of form.querySelectorAll("[data-error-for]")) span.textContent = "";
  if (mark) for (const field of form.querySelectorAll(".field--error")) field.classList.remove("field--error");
  const status = form.querySelector("[data-form-status]");
  status.textContent = "";
  if (!error) return;
  const span = error.field && form.querySelector(`[data-error-for="${error.field}"]`);
  if (!span) {
    status.textContent = error.message;
    return;
  }
  span.textContent = error.message;
  if (!mark) return;
  span.closest(".field").classList.add("field--error");
  const input = form.elements[error.field];
  if (input && input.focus) input.focus();
}

// The question asked once before posting text that may offend: the API answers 409
// with the field to send back in `error.confirm`. The form shows the question and
// from now on carries that field, so the next send goes ahead whether the reader
// posts anyway or edits first (the server then holds it if it still scores high).
// False when the form has no place for the question.
export function askToConfirm(form, error) {
  const box = form.querySelector("[data-offensive-question]");
  const input = error.confirm && form.elements[error.confirm];
  if (!box || !input) return false;
  input.value = "true";
  box.querySelector("[data-question-text]").textContent = error.message;
  box.hidden = false;
  box.querySelector("[data-post-anyway]").focus();
  return true;
}

// Wire the question's two answers: "Post anyway" sends the form (a plain button with
// the script, so the form keeps one submit button), "Edit my comment" hides the
// question and puts the focus in the text.
export function enhanceQuestion(form) {
  const box = form.querySelector("[data-offensive-question]");
  if (!box) return;
  const postAnyway = box.querySelector("[data-post-anyway]");
  postAnyway.type = "button";
  postAnyway.addEventListener("click", () => form.requestSubmit());
  box.querySelector("[data-edit-comment]").addEventListener("click", (event) => {
    event.preventDefault();
    box.hidden = true;
    form.elements.body.focus();
  });
}

// A posted comment: the next one starts unasked.
export function resetQuestion(form) {
  const box = form.querySelector("[data-offensive-question]");
  if (box) box.hidden = true;
  if (form.elements.confirm_offensive) form.elements.confirm_offensive.value = "";
}

() => {
  // Lists anything in the comment section that could run script.
  const problems = [];
  const forbidden = "script, img, iframe, svg, math, object, embed, style, link, meta, base, frame, frameset, video, audio, marquee, details, template, input, select, textarea, button, form";
  for (const box of document.querySelectorAll(".comment__box")) {
    for (const el of box.querySelectorAll(forbidden)) {
      if (!el.closest("form.vote")) problems.push("element " + el.outerHTML.slice(0, 80));
    }
  }
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.getAttributeNames()) {
      if (attr.startsWith("on")) problems.push("handler " + el.outerHTML.slice(0, 80));
    }
  }
  for (const a of document.querySelectorAll(".comment__box a[href]")) {
    const href = a.getAttribute("href");
    const ok = href.startsWith("?") || href.startsWith("/") || /^(https?|mailto):/i.test(href);
    if (!ok) problems.push("link " + href.slice(0, 80));
  }
  if (window.__xss) problems.push("window.__xss set");
  return problems;
}

async ([pageId, payloads]) => {
  // Posts each XSS payload as body, name and website through the JSON API.
  const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const started = document.querySelector("input[name=started]").value;
  const send = (body) => fetch(`/api/threads/${pageId}/comments`, {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-CSRFToken": token},
    body: JSON.stringify(body),
  });
  const results = [];
  for (const [i, payload] of payloads.entries()) {
    const body = {body: payload, name: payload.slice(0, 80) || "x", email: `x${i}@example.org`,
                  website: payload, started, key: `xss-${i}`};
    let response = await send(body);
    let data = await response.json();
    if (response.status === 400 && data.error.field === "website") {
      body.website = "";
      response = await send(body);
      data = await response.json();
    }
    results.push([response.status, data.error ? data.error.field || data.error.code : null]);
  }
  return results;
}

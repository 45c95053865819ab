// "Cover the fees": keep the quotes beside the checkbox in step with the amount.
// The server computes the same figures (tribune/funding/fees.py) for the first
// render and for every submission; this only updates them as the reader chooses.

function minorDigits(currency) {
  return new Intl.NumberFormat("en", { style: "currency", currency })
    .resolvedOptions().maximumFractionDigits;
}

function feeFor(grossMinor, percent, fixedMinor) {
  // Half up to the currency's unit, as fees.fee_for.
  return Math.round((grossMinor * percent) / 100 + fixedMinor);
}

function coverFor(giftMinor, percent, fixedMinor) {
  let gross = Math.ceil((giftMinor + fixedMinor) / (1 - percent / 100));
  while (gross - feeFor(gross, percent, fixedMinor) < giftMinor) gross += 1;
  while (gross - 1 - feeFor(gross - 1, percent, fixedMinor) >= giftMinor) gross -= 1;
  return gross - giftMinor;
}

function chosenAmount(form) {
  const picked = form.querySelector("input[name=amount]:checked");
  if (!picked) return null;
  const raw = picked.value === "custom"
    ? form.querySelector("input[name=custom_amount]").value.replace(",", ".")
    : picked.value;
  const value = Number.parseFloat(raw);
  return Number.isFinite(value) && value > 0 ? value : null;
}

function update(form) {
  const currency = form.dataset.currency;
  const digits = minorDigits(currency);
  const scale = 10 ** digits;
  const format = new Intl.NumberFormat(document.documentElement.lang || "en", {
    style: "currency", currency, minimumFractionDigits: digits,
  });
  const amount = chosenAmount(form);
  for (const quote of form.querySelectorAll("[data-fee-quote]")) {
    if (amount === null) continue;
    const gift = Math.round(amount * scale);
    const cover = coverFor(
      gift, Number(quote.dataset.feePercent), Math.round(Number(quote.dataset.feeFixed) * scale),
    );
    quote.querySelector("[data-fee-cover]").textContent = format.format(cover / scale);
    quote.querySelector("[data-fee-total]").textContent = format.format((gift + cover) / scale);
  }
}

for (const form of document.querySelectorAll("[data-donate-form]")) {
  form.addEventListener("input", () => update(form));
  form.addEventListener("change", () => update(form));
}

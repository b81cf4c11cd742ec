// Shows how long the running timer has been going (the page itself works without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  const spans = document.querySelectorAll("[data-elapsed-since]");
  if (!spans.length) return;
  const tick = () => {
    spans.forEach((span) => {
      const minutes = Math.max(0, Math.floor(Date.now() / 60000 - Number(span.dataset.elapsedSince) / 60));
      const hours = Math.floor(minutes / 60);
      span.textContent = "(" + (hours ? hours + " h " : "") + (minutes % 60) + " min)";
    });
  };
  tick();
  setInterval(tick, 30000);
});

// Settings: the progress of a base-currency change running in the background (the page reloads when it is done).
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-progress-url]");
  if (!box || !["queued", "running"].includes(box.dataset.status)) return;
  const poll = async () => {
    const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const change = await response.json();
    const bar = box.querySelector("[data-progress-bar]");
    const text = box.querySelector("[data-progress-text]");
    if (bar) bar.value = change.percent;
    if (text) text.textContent = change.done + " of " + change.total;
    if (change.status === "queued" || change.status === "running") setTimeout(poll, 2000);
    else window.location.reload();
  };
  setTimeout(poll, 2000);
});

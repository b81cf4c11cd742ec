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

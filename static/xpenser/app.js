// The web app's small enhancements. Every page works without JavaScript; this file (loaded with `defer`,
// no inline scripts anywhere: the Content-Security-Policy allows none) adds the menu button, the ticking
// timer, Copy buttons, select-all and the bulk bar, and inline edit of a list row.
"use strict";

const narrow = () => window.matchMedia("(max-width: 640px)").matches;

function setUpMenu() {
  const button = document.querySelector(".menu-button");
  const nav = document.getElementById("main-nav");
  if (!button || !nav) return;
  button.hidden = false;
  document.body.classList.add("has-menu-button");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
    if (open) nav.querySelector("a")?.focus();
  });
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.click();
      button.focus();
    }
  });
}

function pad(number) {
  return String(number).padStart(2, "0");
}

function setUpTimer() {
  const spans = document.querySelectorAll("[data-elapsed-since]");
  if (!spans.length) return;
  const tick = () => {
    spans.forEach((span) => {
      const seconds = Math.max(0, Math.floor(Date.now() / 1000 - Number(span.dataset.elapsedSince)));
      const hours = Math.floor(seconds / 3600);
      span.textContent = `${hours}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
      const rate = Number(span.dataset.hourlyRate || 0);
      const cost = span.parentElement.querySelector("[data-timer-cost]");
      if (rate && cost) {
        cost.textContent = `≈ ${(rate * seconds / 3600).toFixed(2)} ${span.dataset.currency} at ${rate.toFixed(2)}/h`;
      }
    });
  };
  tick();
  setInterval(tick, 1000);
}

function setUpCopyButtons() {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.copy);
    const status = document.querySelector(`[data-copy-status="${button.dataset.copy}"]`);
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        if (status) status.textContent = "Copied to the clipboard.";
      } catch (error) {
        const range = document.createRange();
        range.selectNodeContents(source);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        if (status) status.textContent = "Selected: press Ctrl+C (or ⌘C) to copy.";
      }
    });
  });
}

function setUpFilters() {
  // Filters fold away on phones; on wider screens they start open.
  document.querySelectorAll("details.filters-fold").forEach((details) => {
    details.open = !narrow();
  });
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.form.querySelector("[data-autosubmit-button]")?.classList.add("visually-hidden");
    select.addEventListener("change", () => select.form.requestSubmit());
  });
}

function setUpBulk() {
  const form = document.getElementById("bulk-form");
  if (!form) return;
  const boxes = () => [...document.querySelectorAll('input[name="ids"][form="bulk-form"]')];
  const all = document.querySelector('[data-select-all="bulk-form"]');
  const count = form.querySelector("[data-bulk-count]");
  const action = form.querySelector('[name="action"]');
  const report = form.querySelector('[name="report"]');
  const show = (name, visible) => {
    const input = form.querySelector(`[name="${name}"]`);
    input.hidden = !visible;
    form.querySelector(`label[for="${input.id}"]`).hidden = !visible;
  };
  const update = () => {
    const ticked = boxes().filter((box) => box.checked).length;
    count.textContent = ticked ? `${ticked} selected:` : "Tick expenses, then:";
    if (all) {
      all.checked = ticked > 0 && ticked === boxes().length;
      all.indeterminate = ticked > 0 && ticked < boxes().length;
    }
    show("report", action.value === "move");
    show("new_report", action.value === "move" && report.value === "new");
    show("tags", action.value === "tag");
  };
  if (all) {
    all.hidden = false;
    all.addEventListener("change", () => {
      boxes().forEach((box) => { box.checked = all.checked; });
      update();
    });
  }
  document.addEventListener("change", (event) => {
    if (event.target.matches('input[name="ids"]') || event.target === action || event.target === report) update();
  });
  update();
}

async function swapRow(row, response) {
  const template = document.createElement("template");
  template.innerHTML = (await response.text()).trim();
  const fresh = template.content.firstElementChild;
  const cell = fresh.querySelector(".row-form-cell");
  if (cell) cell.colSpan = row.children.length || cell.colSpan;
  row.replaceWith(fresh);
  return fresh;
}

function showRowProblem(form, message) {
  let problem = form.querySelector("[data-row-problem]");
  if (!problem) {
    problem = document.createElement("p");
    problem.className = "error";
    problem.setAttribute("role", "alert");
    problem.dataset.rowProblem = "";
    form.prepend(problem);
  }
  problem.textContent = message;
  problem.tabIndex = -1;
  problem.focus();
}

function setUpInlineEdit() {
  document.addEventListener("click", async (event) => {
    const link = event.target.closest("a[data-inline-edit]");
    const cancel = event.target.closest("[data-row-cancel]");
    if (!link && !cancel) return;
    event.preventDefault();
    const row = (link || cancel).closest("tr");
    const url = link ? link.dataset.inlineEdit : cancel.dataset.rowCancel;
    const response = await fetch(link ? url : `${url}?display=1`, { credentials: "same-origin" });
    // Not the row (an error, or the sign-in page after the session ended): the full page handles it.
    if (!response.ok || response.redirected) { window.location.href = link ? link.href : window.location.href; return; }
    const fresh = await swapRow(row, response);
    (link ? fresh.querySelector("input:not([type=hidden]), select, textarea") : fresh.querySelector("a[data-inline-edit]"))?.focus();
  });
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-row-form]");
    if (!form) return;
    event.preventDefault();
    const row = form.closest("tr");
    // The token of the session now (a sign-in in another tab gives a new one; the form holds the old one). The
    // cookie is Django's default CSRF_COOKIE_NAME, readable by scripts (settings keep it so).
    const token = document.cookie.split("; ").find((cookie) => cookie.startsWith("csrftoken="))?.slice(10);
    const tokenField = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (token && tokenField) tokenField.value = token;
    let response;
    try {
      response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    } catch (error) {
      showRowProblem(form, "Not saved: the server could not be reached. Your changes are still here; try again.");
      return;
    }
    // 200: the saved row; 400 and 409: the form again, with what to fix. Anything else saved nothing: keep the
    // form and say why (the sign-in page after the session ended, a 403 for an expired form, a server error).
    if (response.redirected || response.status === 403) {
      showRowProblem(form, "Not saved: you are signed out, or this page has expired. Sign in again in another tab, then Save.");
      return;
    }
    if (![200, 400, 409].includes(response.status)) {
      showRowProblem(form, `Not saved: the server answered ${response.status}. Your changes are still here; try again.`);
      return;
    }
    const fresh = await swapRow(row, response);
    if (response.ok) {
      fresh.querySelector("a[data-inline-edit]")?.focus();
    } else {
      (fresh.querySelector('[aria-invalid="true"]') || fresh.querySelector("input:not([type=hidden]), select"))?.focus();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const form = event.target.closest?.("form[data-row-form]");
    form?.querySelector("[data-row-cancel]")?.click();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpMenu();
  setUpTimer();
  setUpCopyButtons();
  setUpFilters();
  setUpBulk();
  setUpInlineEdit();
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

// Receipts by drag and drop (loaded with `defer`; no inline scripts: the Content-Security-Policy allows none).
// Without this file the same forms work with their file inputs. A form marked `data-dropzone` takes files
// dropped on it into its `data-drop-target` input; with `data-dropzone-submit` it uploads them at once.
// The camera input shows on touch screens only (elsewhere it would be a second file picker).
"use strict";

function fileNames(zone) {
  const names = [];
  zone.querySelectorAll('input[type="file"]').forEach((input) => {
    Array.from(input.files || []).forEach((file) => names.push(file.name));
  });
  return names;
}

function showChosen(zone) {
  const list = zone.querySelector("[data-file-names]");
  if (!list) return;
  const names = fileNames(zone);
  list.textContent = names.length ? `Chosen: ${names.join(", ")}` : "";
}

function hasFiles(event) {
  return Array.from(event.dataTransfer?.types || []).includes("Files");
}

function setUpDropzone(zone) {
  const target = zone.querySelector("input[data-drop-target]");
  if (!target) return;
  zone.querySelectorAll(".drop-hint").forEach((hint) => { hint.hidden = false; });
  zone.querySelectorAll('input[type="file"]').forEach((input) => {
    input.addEventListener("change", () => showChosen(zone));
  });
  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("dragging");
  }));
  zone.addEventListener("dragleave", (event) => {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove("dragging");
  });
  zone.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    zone.classList.remove("dragging");
    const files = new DataTransfer();
    Array.from(event.dataTransfer.files).forEach((file) => files.items.add(file));
    target.files = files.files;
    const details = target.closest("details");
    if (details) details.open = true;
    showChosen(zone);
    if (zone.hasAttribute("data-dropzone-submit") && files.files.length) zone.requestSubmit();
  });
}

function setUpCamera() {
  if (window.matchMedia("(pointer: coarse)").matches) return;
  document.querySelectorAll("[data-camera]").forEach((field) => {
    const input = field.querySelector("input");
    if (input && !input.files?.length) field.hidden = true;
  });
}

document.querySelectorAll("form[data-dropzone]").forEach(setUpDropzone);
setUpCamera();

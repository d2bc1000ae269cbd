"""The web page at ``/``: one self-contained document (no external assets, works offline).

It posts to ``/v1/translate`` and renders the JSON contract: summary, full translation, and the
Danish and English sentences side by side, segments with flags highlighted. All text goes in
through ``textContent``, never ``innerHTML``, so an article cannot inject markup.
"""

from __future__ import annotations

from translate_summarize.options import SUMMARY_LENGTHS, PipelineOptions

_LENGTH_OPTIONS = "".join(
    f'<option value="{name}"{" selected" if name == PipelineOptions().summary_length else ""}>{name}</option>'
    for name in SUMMARY_LENGTHS
)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tsum: Danish news in English</title>
<style>
  :root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #1f5fbf; --flag: #fff1c2; --bad: #b3261e; }
  * { box-sizing: border-box; }
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0; background: #f6f7f9; }
  header, main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem; }
  header h1 { margin: .5rem 0 0; font-size: 1.5rem; }
  header p { margin: .25rem 0 0; color: var(--muted); }
  form, section.card { background: #fff; border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; margin-bottom: 1rem; }
  textarea { width: 100%; min-height: 12rem; font: inherit; padding: .5rem; border: 1px solid var(--line); border-radius: .25rem; }
  .controls { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin-top: .75rem; }
  button { font: inherit; padding: .45rem 1rem; border-radius: .25rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: var(--accent); }
  button:disabled { opacity: .6; cursor: progress; }
  h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
  .translation { white-space: pre-wrap; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-top: 1px solid var(--line); width: 50%; }
  tr.new-paragraph td { border-top: 2px solid var(--muted); }
  tr.flagged td { background: var(--flag); }
  .flags { display: block; font-size: .8rem; color: var(--bad); }
  .error { color: var(--bad); font-weight: 600; }
  .muted { color: var(--muted); font-size: .9rem; }
</style>
</head>
<body>
<header>
  <h1>tsum</h1>
  <p>Paste a Danish news article (or choose a .txt or .html file) for an English translation and summary.</p>
</header>
<main>
<form id="article-form">
  <label for="text">Danish article</label>
  <textarea id="text" name="text" required placeholder="Indsæt en dansk artikel her..."></textarea>
  <div class="controls">
    <label>File <input type="file" id="file" accept=".txt,.html,.htm,text/plain,text/html"></label>
    <label><input type="checkbox" id="summary" name="summary" checked> Summary</label>
    <label>Length <select id="summary_length" name="summary_length">__LENGTHS__</select></label>
    <label>API key <input type="password" id="api_key" autocomplete="off" placeholder="only if the server needs one"></label>
    <button type="submit" id="submit">Translate</button>
  </div>
</form>
<div id="result" aria-live="polite"></div>
</main>
<script>
"use strict";
const form = document.getElementById("article-form");
const textBox = document.getElementById("text");
const result = document.getElementById("result");
let format = "text";
let lastJson = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value; else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

textBox.addEventListener("input", () => { format = "text"; });
document.getElementById("summary").addEventListener("change", (event) => {
  document.getElementById("summary_length").disabled = !event.target.checked;
});
document.getElementById("file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  textBox.value = await file.text();
  format = /\\.html?$/i.test(file.name) || file.type === "text/html" ? "html" : "text";
});

async function copyText(text, button) {
  try { await navigator.clipboard.writeText(text); }
  catch (error) {  // no clipboard API on plain http: fall back to a selection
    const area = el("textarea", {}); area.value = text; document.body.appendChild(area);
    area.select(); document.execCommand("copy"); area.remove();
  }
  button.textContent = "Copied";
  setTimeout(() => { button.textContent = "Copy translation"; }, 1500);
}

function download(data) {
  const blob = new Blob([JSON.stringify(data, null, 2) + "\\n"], {type: "application/json"});
  const link = el("a", {href: URL.createObjectURL(blob), download: "tsum-result.json"});
  document.body.appendChild(link); link.click(); link.remove();
}

function sideBySide(segments) {
  const body = el("tbody");
  let paragraph = null;
  for (const segment of segments) {
    const flags = segment.flags || [];
    const classes = [];
    if (paragraph !== null && segment.paragraph !== paragraph) classes.push("new-paragraph");
    if (flags.length) classes.push("flagged");
    paragraph = segment.paragraph;
    const prefix = segment.prefix || "";
    const english = el("td", {lang: "en", text: prefix + segment.translation});
    if (flags.length) english.appendChild(el("span", {class: "flags", text: "check: " + flags.join(", ")}));
    body.appendChild(el("tr", {class: classes.join(" ")}, el("td", {lang: "da", text: prefix + segment.source}), english));
  }
  return el("table", {class: "segments"}, el("thead", {}, el("tr", {}, el("th", {text: "Danish"}), el("th", {text: "English"}))), body);
}

function show(data) {
  lastJson = data;
  result.replaceChildren();
  const copy = el("button", {type: "button", class: "secondary", id: "copy", text: "Copy translation"});
  copy.addEventListener("click", () => copyText(data.translation, copy));
  const save = el("button", {type: "button", class: "secondary", id: "download", text: "Download JSON"});
  save.addEventListener("click", () => download(data));
  if (data.summary !== null && data.summary !== undefined) {
    result.appendChild(el("section", {class: "card", id: "summary-card"}, el("h2", {text: "Summary"}),
      el("p", {class: "summary", lang: "en", text: data.summary})));
  }
  result.appendChild(el("section", {class: "card", id: "translation-card"}, el("h2", {text: "Translation"}),
    el("div", {class: "translation", lang: "en", text: data.translation}),
    el("div", {class: "controls"}, copy, save)));
  const flagged = data.segments.filter((s) => (s.flags || []).length).length;
  const note = flagged ? flagged + " sentence(s) flagged for review." : "";
  result.appendChild(el("section", {class: "card"}, el("h2", {text: "Sentence by sentence"}),
    note ? el("p", {class: "muted", text: note}) : null, sideBySide(data.segments)));
  const models = data.models || {};
  const names = Object.entries(models).filter(([, m]) => m).map(([task, m]) => task + ": " + m.name + " @ " + m.revision);
  result.appendChild(el("p", {class: "muted", text: "tsum " + data.tsum_version + "; " + names.join("; ")}));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = document.getElementById("submit");
  const headers = {"Content-Type": "application/json"};
  const key = document.getElementById("api_key").value;
  if (key) headers["Authorization"] = "Bearer " + key;
  const body = {
    text: textBox.value,
    summary: document.getElementById("summary").checked,
    summary_length: document.getElementById("summary_length").value,
    format: format,
  };
  button.disabled = true;
  result.replaceChildren(el("p", {class: "muted", id: "working", text: "Translating..."}));
  try {
    const response = await fetch("v1/translate", {method: "POST", headers: headers, body: JSON.stringify(body)});
    const data = await response.json().catch(() => ({error: "the server sent no JSON (HTTP " + response.status + ")"}));
    if (!response.ok) throw new Error(data.error || ("HTTP " + response.status));
    show(data);
  } catch (error) {
    result.replaceChildren(el("p", {class: "error", role: "alert", text: "Error: " + error.message}));
  } finally {
    button.disabled = false;
  }
});
</script>
</body>
</html>
""".replace("__LENGTHS__", _LENGTH_OPTIONS)

"""The web page at ``/``: one self-contained document (no external assets, works offline).

It posts to ``/v1/translate`` and renders the JSON contract: summary, full translation, and the
Danish and English sentences side by side, segments with flags highlighted. It shows results
as the HTML review page does (review.py): the same stylesheet, markup, flag descriptions and
machine-translation note, built in the browser from the JSON. All text goes in through
``textContent``, never ``innerHTML``, so an article cannot inject markup.
"""

from __future__ import annotations

import json

from translate_summarize.core.quality import FLAG_DESCRIPTIONS
from translate_summarize.options import SUMMARY_LENGTHS, PipelineOptions
from translate_summarize.output.review import MT_NOTE, UNKNOWN_FLAG, review_css

_LENGTH_OPTIONS = "".join(
    f'<option value="{name}"{" selected" if name == PipelineOptions().summary_length else ""}>{name}</option>'
    for name in SUMMARY_LENGTHS
)

PAGE = (
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tsum: Danish news in English</title>
<style>
__REVIEW_CSS__  /* the form (the results use the review page's stylesheet above) */
  form.article { border: 1px solid #ddd; border-radius: .5rem; padding: 1rem; margin-bottom: 1rem; }
  form.article textarea { width: 100%; min-height: 12rem; font: inherit; padding: .5rem; box-sizing: border-box; }
  .controls { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin-top: .75rem; }
  button { font: inherit; padding: .4rem 1rem; border-radius: .25rem; border: 1px solid #4a78c2; background: #4a78c2; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #4a78c2; }
  button:disabled { opacity: .6; cursor: progress; }
  div.translation-text { white-space: pre-wrap; }
  .error { color: #a50e0e; font-weight: 600; }
  .muted { color: var(--muted); font-size: .9rem; }
</style>
</head>
<body>
<header>
  <h1>tsum</h1>
  <p class="muted">Paste a Danish news article (or choose a .txt or .html file) for an English translation and summary.</p>
</header>
<main>
<form id="article-form" class="article">
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
const FLAG_DESCRIPTIONS = __FLAG_DESCRIPTIONS__;
const MT_NOTE = __MT_NOTE__;
const UNKNOWN_FLAG = __UNKNOWN_FLAG__;
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

function flagReasons(flags) {  // as review._flag_reasons: each flag with its meaning, written out
  const reasons = el("span", {class: "flags"});
  for (const flag of flags) {
    reasons.appendChild(el("span", {class: "flag", "data-flag": flag}, el("strong", {text: flag}),
      document.createTextNode(": " + (FLAG_DESCRIPTIONS[flag] || UNKNOWN_FLAG))));
  }
  return reasons;
}

function sideBySide(segments) {  // as review.render_segments_html: one table, a tbody per paragraph
  const section = el("section", {class: "translation"}, el("h2", {text: "Sentence by sentence"}));
  const table = el("table", {class: "segments"},
    el("thead", {}, el("tr", {}, el("th", {scope: "col", text: "Danish"}), el("th", {scope: "col", text: "English"}))));
  let body = null;
  let paragraph = null;
  for (const segment of segments) {
    if (body === null || segment.paragraph !== paragraph) {
      body = table.appendChild(el("tbody"));
      paragraph = segment.paragraph;
    }
    const flags = segment.flags || [];
    const prefix = segment.prefix || "";
    const english = el("td", {lang: "en", text: prefix + segment.translation});
    if (flags.length) english.appendChild(flagReasons(flags));
    body.appendChild(el("tr", flags.length ? {class: "flagged"} : {}, el("td", {lang: "da", text: prefix + segment.source}), english));
  }
  section.appendChild(table);
  return section;
}

function summarySection(data) {  // as review.render_summary_html
  const section = el("section", {class: "summary"}, el("h2", {text: "Summary"}), el("p", {lang: "en", text: data.summary}));
  const check = data.summary_check || {};
  const items = [["unsupported_numbers", "Numbers"], ["unsupported_names", "Names"]]
    .filter(([key]) => (check[key] || []).length)
    .map(([key, label]) => el("li", {text: label + ": " + check[key].join(", ")}));
  if (items.length) {
    section.appendChild(el("div", {class: "check"}, el("strong", {text: "Check:"}),
      document.createTextNode(" the summary says things the translation does not contain."), el("ul", {}, ...items)));
  }
  return section;
}

function show(data) {
  lastJson = data;
  result.replaceChildren();
  const copy = el("button", {type: "button", class: "secondary", id: "copy", text: "Copy translation"});
  copy.addEventListener("click", () => copyText(data.translation, copy));
  const save = el("button", {type: "button", class: "secondary", id: "download", text: "Download JSON"});
  save.addEventListener("click", () => download(data));
  result.appendChild(el("p", {class: "mt-note", text: MT_NOTE}));
  if (data.summary !== null && data.summary !== undefined) result.appendChild(summarySection(data));
  result.appendChild(el("section", {class: "full-translation"}, el("h2", {text: "Translation"}),
    el("div", {class: "translation-text", lang: "en", text: data.translation}),
    el("div", {class: "controls"}, copy, save)));
  const flagged = data.segments.filter((s) => (s.flags || []).length).length;
  if (flagged) {
    result.appendChild(el("p", {class: "check", text: flagged + " of " + data.segments.length + " sentences flagged: check these."}));
  }
  result.appendChild(sideBySide(data.segments));
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
    .replace("__REVIEW_CSS__", review_css())
    # json.dumps of plain strings is a valid JavaScript literal; "</" is escaped so that no text
    # can end the <script> element early.
    .replace("__FLAG_DESCRIPTIONS__", json.dumps(FLAG_DESCRIPTIONS).replace("</", "<\\/"))
    .replace("__MT_NOTE__", json.dumps(MT_NOTE).replace("</", "<\\/"))
    .replace("__UNKNOWN_FLAG__", json.dumps(UNKNOWN_FLAG))
)

"""The web page at ``/``: one self-contained document (no external assets, works offline).

It posts to ``/v1/translate`` (text, a document upload or, when the server allows it, a URL) and
renders the JSON contract: the article's metadata lines, summary, full translation, and the
Danish and English sentences side by side, segments with flags highlighted. The server's limits,
whether it needs a key and its model names are filled in per server by :func:`render_page`. It shows results
as the HTML review page does (review.py): the same stylesheet, markup, flag descriptions and
machine-translation note, built in the browser from the JSON. All text goes in through
``textContent``, never ``innerHTML``, so an article cannot inject markup.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import PurePath

from translate_summarize import __version__
from translate_summarize.core.quality import FLAG_DESCRIPTIONS
from translate_summarize.options import SUMMARY_LENGTHS, PipelineOptions
from translate_summarize.output.review import MT_NOTE, UNKNOWN_FLAG, review_css
from translate_summarize.serve.options import ServeOptions

_LENGTH_OPTIONS = "".join(
    f'<option value="{name}"{" selected" if name == PipelineOptions().summary_length else ""}>{name}</option>'
    for name in SUMMARY_LENGTHS
)

_TEMPLATE = (
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
  input[type=url] { font: inherit; padding: .3rem; width: min(100%, 32rem); box-sizing: border-box; }
  footer { margin-top: 2rem; border-top: 1px solid #ddd; padding-top: .5rem; }
  .hint { font-size: .85rem; }
  /* Dark mode follows the system setting. */
  @media (prefers-color-scheme: dark) {
    :root { color-scheme: dark; --flag: #3d3312; --flag-edge: #c9a227; --muted: #a8adb4; }
    body { color: #e3e3e3; background: #17181a; }
    header, footer, form.article { border-color: #3a3b3e; }
    table.segments td { border-top-color: #333; }
    p.mt-note { background: #1d2a40; border-left-color: #6d9be0; }
    .flags { color: #e5c55a; }
    textarea, input, select { background: #222326; color: #e3e3e3; border: 1px solid #4a4b4e; }
    button.secondary { background: #17181a; color: #8fb3ea; }
    .error { color: #ff8a80; }
  }
</style>
</head>
<body data-max-bytes="__MAX_BYTES__" data-key-required="__KEY_REQUIRED__">
<header>
  <h1>tsum</h1>
  <p class="muted">Paste a Danish news article (or choose a .txt, .html, .docx, .odt or .pdf file) for an English translation and summary.</p>
</header>
<main>
<form id="article-form" class="article">
  <label for="text">Danish article</label>
  <textarea id="text" name="text" placeholder="Indsæt en dansk artikel her..."></textarea>
  __URL_FIELD__<p class="muted hint">Ctrl+Enter translates.</p>
  <div class="controls">
    <label>File <input type="file" id="file" accept=".txt,.md,.html,.htm,.docx,.odt,.pdf,text/plain,text/html"></label>
    <label><input type="checkbox" id="summary" name="summary" checked> Summary</label>
    <label>Length <select id="summary_length" name="summary_length">__LENGTHS__</select></label>
    <label>API key <input type="password" id="api_key" autocomplete="off" placeholder="only if the server needs one"></label>
    <button type="submit" id="submit">Translate</button>
  </div>
</form>
<div id="result" aria-live="polite"></div>
</main>
<footer><p class="muted" id="models">__MODELS__</p></footer>
<script>
"use strict";
const form = document.getElementById("article-form");
const textBox = document.getElementById("text");
const result = document.getElementById("result");
const FLAG_DESCRIPTIONS = __FLAG_DESCRIPTIONS__;
const MT_NOTE = __MT_NOTE__;
const UNKNOWN_FLAG = __UNKNOWN_FLAG__;
const MAX_BYTES = Number(document.body.dataset.maxBytes);
const KEY_REQUIRED = document.body.dataset.keyRequired === "true";
// The API sits beside the page: at /tsum (no slash) a relative "v1/translate" would miss the prefix.
const BASE = location.pathname.endsWith("/") ? "" : location.pathname.split("/").pop() + "/";
let format = "text";
let documentFile = null;  // a .docx, .odt or .pdf, uploaded as it is
let lastJson = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value; else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

textBox.addEventListener("input", () => { format = "text"; documentFile = null; });
textBox.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
});
document.getElementById("summary").addEventListener("change", (event) => {
  document.getElementById("summary_length").disabled = !event.target.checked;
});
document.getElementById("file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  if (/\\.(docx|odt|pdf)$/i.test(file.name)) {  // read on the server (text/documents.py)
    documentFile = file;
    textBox.value = "";
    textBox.placeholder = "The document " + file.name + " will be uploaded and translated.";
    return;
  }
  documentFile = null;
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
  const meta = Object.entries(data.metadata || {});
  if (meta.length) {  // the article's own lines (Dato, Kilde, title...), as the review page shows them
    const list = el("dl", {class: "meta"});
    for (const [key, value] of meta) {
      list.appendChild(el("dt", {text: key.charAt(0).toUpperCase() + key.slice(1)}));
      list.appendChild(el("dd", {text: value}));
    }
    result.appendChild(list);
  }
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
}

function megabytes(bytes) {  // "2.1 MB", "1 MB", "22 KB"
  const mb = bytes / (1024 * 1024);
  if (mb >= 0.95) return String(Number(mb.toFixed(1))) + " MB";
  return Math.max(1, Math.round(bytes / 1024)) + " KB";
}

// What went wrong, said to a reader (the server's own message where it is already one).
function readerMessage(status, data, sentBytes, key) {
  if (status === 413) return "The text is " + megabytes(sentBytes) + "; this server accepts up to " + megabytes(MAX_BYTES) + ".";
  if (status === 401) return key ? "The API key was not accepted: check it and try again." : "This server needs an API key: enter it above.";
  if (status === 408) return "The upload took too long: check your connection and try again.";
  if (status === 429 || (status === 503 && /busy/.test(data.error || ""))) return "The server is busy: try again in a moment.";
  if (status === 503) return "The server is not ready (" + (data.error || "loading the models") + "): try again in a moment.";
  if (status >= 500) return "The server failed to translate this text. Try again; if it keeps failing, tell the server's operator.";
  return data.error || ("The server refused the request (HTTP " + status + ").");
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = document.getElementById("submit");
  const key = document.getElementById("api_key").value;
  const headers = key ? {"Authorization": "Bearer " + key} : {};
  const urlBox = document.getElementById("url");
  const url = urlBox ? urlBox.value.trim() : "";
  const summary = document.getElementById("summary").checked;
  const length = document.getElementById("summary_length").value;
  let body;
  if (documentFile) {
    body = new FormData();
    body.append("file", documentFile, documentFile.name);
    body.append("summary", String(summary));
    body.append("summary_length", length);
  } else {
    if (!textBox.value.trim() && !url) {
      result.replaceChildren(el("p", {class: "error", role: "alert", text: "Paste an article, choose a file" + (urlBox ? " or give a link" : "") + " first."}));
      return;
    }
    headers["Content-Type"] = "application/json";
    const fields = {summary: summary, summary_length: length};
    if (url && !textBox.value.trim()) fields.url = url; else { fields.text = textBox.value; fields.format = format; }
    body = JSON.stringify(fields);
  }
  const sentBytes = documentFile ? documentFile.size : new TextEncoder().encode(body).length;
  if (KEY_REQUIRED && !key) {
    result.replaceChildren(el("p", {class: "error", role: "alert", text: "This server needs an API key: enter it above."}));
    return;
  }
  if (sentBytes > MAX_BYTES) {
    result.replaceChildren(el("p", {class: "error", role: "alert", text: readerMessage(413, {}, sentBytes, key)}));
    return;
  }
  button.disabled = true;
  result.replaceChildren(el("p", {class: "muted", id: "working", text: "Translating..."}));
  try {
    let response;
    try {
      response = await fetch(BASE + "v1/translate", {method: "POST", headers: headers, body: body});
    } catch (error) {
      throw new Error("Cannot reach the server: check your connection, or that the server is running, and try again.");
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(readerMessage(response.status, data, sentBytes, key));
    show(data);
  } catch (error) {
    result.replaceChildren(el("p", {class: "error", role: "alert", text: error.message}));
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


_URL_FIELD = (
    '<label for="url">or a link to the article</label> '
    '<input type="url" id="url" name="url" placeholder="https://..." autocomplete="off">\n  '
)


def _model_label(name: str) -> str:
    """A registry name as it is; a local folder by its last part (the page never shows server paths)."""
    if "/" in name or "\\" in name:
        return PurePath(name.replace("\\", "/")).name or "local model"
    return name


def render_page(serve_options: ServeOptions, translation_model: str, summary_model: str | None) -> str:
    """The page for one server: its body limit, whether it needs a key, a URL field if it fetches URLs."""
    models = f"Translation: {_model_label(translation_model)}"
    models += f" · Summary: {_model_label(summary_model)}" if summary_model else " · no summary"
    return (
        _TEMPLATE.replace("__MAX_BYTES__", str(serve_options.max_bytes))
        .replace("__KEY_REQUIRED__", "true" if serve_options.api_key else "false")
        .replace("__URL_FIELD__", _URL_FIELD if serve_options.allow_urls else "")
        .replace("__MODELS__", escape(f"tsum {__version__} · {models}"))
    )

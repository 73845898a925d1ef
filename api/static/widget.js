// MES AI chat widget: one dependency-free ES module that defines <mes-ai-chat>.
// Embed: <script type="module" src="https://HOST/widget.js" data-key="..." data-title="..."
//   data-color="#0b5fff" data-endpoint="https://HOST"></script>
// Everything lives in a shadow root. Replies arrive as server-sent events over fetch; the only
// HTML ever inserted is the server-sanitised `html` of a reply or draft, re-checked here against
// an allow-list inside an inert <template>. All other DOM is built with createElement/textContent.

const TAG = "mes-ai-chat";
const KEEP = 40; // messages kept in localStorage
const SAFE_TAGS = new Set(("p br hr strong em b i s del code pre blockquote ul ol li a " +
  "h1 h2 h3 h4 h5 h6 table thead tbody tr th td").split(" "));
const KINDS = {
  emergency: ["emergency", "Emergency"],
  clinical_advice: ["refusal", "Outside my scope"],
  prompt_injection: ["refusal", "Outside my scope"],
  off_topic: ["refusal", "Outside my scope"],
  clarify: ["clarify", "Needs more detail"],
  language: ["clarify", "English only"],
  error: ["error", "Something went wrong"],
};
const THUMB = "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 " +
  "6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z";
const BUBBLE = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z";

const CSS = `
:host{all:initial;--acc:#0b57d0;--acc-fg:#fff;--bg:#fff;--fg:#1b1e23;--mut:#4f5661;
--line:#c9ced6;--soft:#f1f3f6;--link:#0b57d0;--focus:#0b57d0;
--em-bg:#fdecea;--em-bd:#b42318;--em-fg:#7a1a10;--rf-bg:#fff4e0;--rf-bd:#b54708;--rf-fg:#6e2a06;
--cl-bg:#e9f1ff;--cl-bd:#1849a9;--cl-fg:#133a86;--er-bg:#f1f3f6;--er-bd:#5c6470;--er-fg:#2b3038;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg)}
@media (prefers-color-scheme:dark){:host{--bg:#1b1e23;--fg:#eceff3;--mut:#b9c0cb;--line:#444b55;
--soft:#262a31;--link:#9ec1ff;--focus:#9ec1ff;--em-bg:#3d1512;--em-bd:#f97066;--em-fg:#fecdca;
--rf-bg:#36260c;--rf-bd:#fdb022;--rf-fg:#fedf89;--cl-bg:#13254a;--cl-bd:#84adff;--cl-fg:#c7d9ff;
--er-bg:#262a31;--er-bd:#9aa3b0;--er-fg:#eceff3}}
*{box-sizing:border-box}
[hidden]{display:none!important}
button,textarea,input{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.launch{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:flex;align-items:center;
gap:8px;min-height:48px;padding:10px 18px;border:2px solid var(--bg);border-radius:999px;
background:var(--acc);color:var(--acc-fg);font-weight:600;box-shadow:0 4px 16px #0004}
.launch:focus-visible{outline-color:var(--acc);box-shadow:0 0 0 3px #fff,0 4px 16px #0004}
svg{width:20px;height:20px;fill:currentColor;flex:none}
.panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;display:flex;flex-direction:column;
width:min(400px,calc(100vw - 40px));height:min(640px,calc(100vh - 40px));background:var(--bg);
color:var(--fg);border:1px solid var(--line);border-radius:14px;box-shadow:0 12px 40px #0005;
overflow:hidden;animation:rise .18s ease-out}
@keyframes rise{from{opacity:0;transform:translateY(12px)}}
@media (max-width:480px){.panel{inset:0;width:auto;height:auto;border-radius:0;border:0}}
header{display:flex;align-items:center;gap:6px;padding:10px 10px 10px 16px;background:var(--acc);
color:var(--acc-fg)}
h2{flex:1;min-width:0;margin:0;font-size:1.05em;overflow:hidden;text-overflow:ellipsis;
white-space:nowrap}
header button{min-height:40px;min-width:40px;padding:6px 10px;border:1px solid currentColor;
border-radius:8px;background:transparent;color:inherit}
header button:focus-visible{outline-color:currentColor}
.x{font-size:1.3em;line-height:1}
.pin{max-height:55%;overflow:auto;flex:none;margin:8px 8px 0}
.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px}
.hint{margin:auto 8px;color:var(--mut);text-align:center}
.msg{max-width:92%;padding:9px 12px;border-radius:12px;overflow-wrap:anywhere}
.user{align-self:flex-end;background:var(--acc);color:var(--acc-fg);white-space:pre-wrap}
.bot{align-self:flex-start;background:var(--soft);border:1px solid var(--line)}
.bot:has(.draft){max-width:100%}
.bot p,.bot ul,.bot ol,.bot pre,.bot blockquote,.bot table{margin:.4em 0}
.bot ul,.bot ol{padding-left:1.3em}
.bot h1,.bot h2,.bot h3,.bot h4{font-size:1em;margin:.5em 0 .3em}
.bot pre{overflow-x:auto;white-space:pre-wrap}
.bot table{border-collapse:collapse;display:block;overflow-x:auto}
.bot th,.bot td{border:1px solid var(--line);padding:2px 6px;overflow-wrap:normal;
vertical-align:top}
.bot a{color:var(--link)}
.body.streaming{white-space:pre-wrap}
.emergency{background:var(--em-bg);border:2px solid var(--em-bd);color:var(--em-fg)}
.refusal{background:var(--rf-bg);border-left:5px solid var(--rf-bd);color:var(--rf-fg)}
.clarify{background:var(--cl-bg);border-left:5px solid var(--cl-bd);color:var(--cl-fg)}
.error{background:var(--er-bg);border-left:5px solid var(--er-bd);color:var(--er-fg)}
.emergency a,.refusal a,.clarify a{color:inherit}
.badge{display:inline-block;margin:0 0 4px;font-size:.8em;font-weight:700;text-transform:uppercase;
letter-spacing:.04em}
.pin .msg{max-width:none}
.dots::after{content:"…";animation:blink 1s steps(2) infinite}
@keyframes blink{50%{opacity:.2}}
.cites{margin:6px 0 0;padding:0;list-style:none;font-size:.9em}
.cites li{margin-top:4px}
summary{cursor:pointer;color:var(--link);padding:2px 0}
.emergency summary,.refusal summary,.clarify summary{color:inherit}
.cites blockquote{margin:4px 0;padding:4px 8px;border-left:3px solid var(--line);white-space:pre-wrap}
.src{margin:0;color:inherit;font-size:.85em;opacity:.9}
.draft{margin-top:8px;padding:10px;border:1px solid var(--line);border-radius:10px;background:var(--bg)}
.draft h3{margin:0 0 6px;font-size:1em}
.doc{max-height:220px;overflow:auto;padding:6px;border:1px dashed var(--line);border-radius:6px}
.warn{margin:4px 0;padding-left:1.2em;color:var(--rf-fg)}
.row{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px;align-items:center}
.btn{min-height:36px;padding:4px 9px;border:1px solid var(--line);border-radius:8px;
background:var(--bg);color:var(--fg)}
.btn[aria-pressed=true]{background:var(--acc);color:var(--acc-fg);border-color:var(--acc)}
.fb{font-size:.9em;color:var(--mut)}
.fb .btn svg{width:16px;height:16px}
.down svg{transform:rotate(180deg)}
.fb input{flex:1;min-width:140px;min-height:36px;padding:4px 8px;border:1px solid var(--line);
border-radius:8px;background:var(--bg)}
.note{margin:4px 0 0;font-size:.85em}
form{display:flex;gap:8px;align-items:flex-end;padding:10px;border-top:1px solid var(--line)}
textarea{flex:1;min-width:0;min-height:44px;max-height:140px;resize:none;padding:10px;
border:1px solid var(--mut);border-radius:10px;background:var(--bg)}
.send{min-height:44px;padding:8px 16px;border:1px solid var(--line);border-radius:10px;background:var(--acc);
color:var(--acc-fg);font-weight:600}
.foot{margin:0;padding:0 12px 8px;font-size:.78em;color:var(--mut)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`;

/** Build an element: attributes (class/text/on* handlers as functions) and children. */
function el(tag, props = {}, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids) if (kid != null) node.append(kid);
  return node;
}

function icon(path, cls) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  if (cls) svg.setAttribute("class", cls);
  const p = document.createElementNS(ns, "path");
  p.setAttribute("d", path);
  svg.append(p);
  return svg;
}

/** Server-sanitised HTML, parsed inertly and re-checked against the allow-list. */
function safeFragment(html) {
  const t = document.createElement("template");
  t.innerHTML = html || "";
  const walk = (parent) => {
    for (const node of [...parent.children]) {
      if (!SAFE_TAGS.has(node.localName)) {
        node.replaceWith(document.createTextNode(node.textContent));
        continue;
      }
      for (const { name, value } of [...node.attributes]) {
        const ok = (name === "href" && /^(https?:|mailto:)/i.test(value.trim())) ||
          name === "title" || (name === "start" && /^\d+$/.test(value));
        if (!ok) node.removeAttribute(name);
      }
      if (node.localName === "a" && !node.hasAttribute("href")) {
        node.replaceWith(document.createTextNode(node.textContent)); // e.g. a relative link
        continue;
      }
      if (node.localName === "a") {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      }
      walk(node);
    }
  };
  walk(t.content);
  return t.content;
}

/** Readable text colour (near-black or white) for a hex background: the better contrast wins. */
function textOn(hex) {
  const n = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c) : hex.slice(1).match(/../g);
  const lin = n.map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  return 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.0557 ? "#fff" : "#111";
}

/** Split a fetch body of server-sent events into {event, data} objects. */
async function* readEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value || new Uint8Array(), { stream: !done }).replace(/\r\n?/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) yield { event, data: JSON.parse(data.join("\n")) };
    }
    if (done) return;
  }
}

class MesAiChat extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const attr = (n) => (this.getAttribute("data-" + n) || this.getAttribute(n) || "").trim();
    const color = attr("color");
    this.key = attr("key");
    this.heading = attr("title") || "MES AI";
    this.endpoint = (attr("endpoint") || location.origin).replace(/\/+$/, "");
    this.storeKey = `${TAG}:${this.endpoint}:${this.key.slice(0, 12) || "local"}`;
    this.state = this.load();
    this.busy = false;
    const root = this.attachShadow({ mode: "open" });
    root.append(el("style", { text: CSS }));
    if (/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color)) {
      this.style.setProperty("--acc", color);
      this.style.setProperty("--acc-fg", textOn(color));
    }
    this.build(root);
    this.restore();
  }

  build(root) {
    this.launcher = el("button", {
      class: "launch", type: "button", "aria-haspopup": "dialog", "aria-expanded": "false",
      "aria-controls": "mes-panel", onclick: () => this.open(),
    }, icon(BUBBLE), el("span", { text: `Ask ${this.heading}` }));
    this.log = el("div", {
      class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0",
    });
    this.pin = el("div", {
      class: "pin", role: "region", "aria-label": "Emergency reply", tabindex: "0", hidden: true,
    });
    this.input = el("textarea", {
      id: "mes-input", rows: "1", maxlength: "4000", placeholder: "Ask a question…",
      oninput: () => this.fit(),
      onkeydown: (e) => {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          this.send();
        }
      },
    });
    const form = el("form", {
      onsubmit: (e) => {
        e.preventDefault();
        this.send();
      },
    }, el("label", { for: "mes-input", class: "sr", text: "Message" }), this.input,
    el("button", { class: "send", type: "submit", text: "Send" }));
    this.panel = el("div", {
      id: "mes-panel", class: "panel", role: "dialog", "aria-modal": "true",
      "aria-labelledby": "mes-title", hidden: true, onkeydown: (e) => this.trap(e),
    },
    el("header", {},
      el("h2", { id: "mes-title", text: this.heading }),
      el("button", { type: "button", text: "New chat", onclick: () => this.reset() }),
      el("button", {
        type: "button", class: "x", "aria-label": "Close chat", text: "×",
        onclick: () => this.close(),
      })),
    this.pin, this.log, form,
    el("p", {
      class: "foot",
      text: "Answers come from the MES framework. Not medical advice: in an emergency call 911.",
    }));
    root.append(this.launcher, this.panel);
  }

  /** Grow the message box with its text, up to the CSS max-height. */
  fit() {
    this.input.style.height = "auto";
    this.input.style.height = `${this.input.scrollHeight + 2}px`;
  }

  open() {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    this.log.scrollTop = this.log.scrollHeight;
    this.input.focus();
  }

  close() {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.focus();
  }

  /** Escape closes; Tab and Shift+Tab cycle inside the open panel. */
  trap(e) {
    if (e.key === "Escape") {
      e.preventDefault();
      this.close();
      return;
    }
    if (e.key !== "Tab") return;
    const items = [...this.panel.querySelectorAll(
      "button,textarea,input,summary,a[href],[tabindex]:not([tabindex='-1'])")]
      .filter((n) => !n.disabled && n.getClientRects().length);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const active = this.shadowRoot.activeElement;
    if (e.shiftKey && (active === first || !this.panel.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !this.panel.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  }

  load() {
    try {
      const saved = JSON.parse(localStorage.getItem(this.storeKey) || "null");
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch { /* unreadable or blocked storage: start afresh */ }
    return { conversation_id: null, messages: [] };
  }

  save() {
    this.state.messages = this.state.messages.slice(-KEEP);
    try {
      localStorage.setItem(this.storeKey, JSON.stringify(this.state));
    } catch { /* storage full or blocked: the conversation still works */ }
  }

  restore() {
    this.log.replaceChildren();
    this.pin.replaceChildren();
    this.pin.hidden = true;
    if (!this.state.messages.length) {
      this.log.append(el("p", {
        class: "hint",
        text: "Ask about the MES framework, draft a session log or referral letter, " +
          "or check what you still need for the next tier.",
      }));
    }
    for (const m of this.state.messages) {
      if (m.role === "user") this.addUser(m.text);
      else this.finish(this.addBot(), m);
    }
  }

  reset() {
    this.state = { conversation_id: null, messages: [] };
    this.save();
    this.restore();
    this.input.focus();
  }

  headers(extra) {
    const h = { "Content-Type": "application/json", ...extra };
    if (this.key) h.Authorization = `Bearer ${this.key}`;
    return h;
  }

  addUser(text) {
    this.log.querySelector(".hint")?.remove();
    this.log.append(el("div", { class: "msg user", text }));
  }

  addBot() {
    const body = el("div", { class: "body streaming" }, el("span", { class: "dots" }));
    const node = el("div", { class: "msg bot", "aria-busy": "true" }, body);
    this.log.append(node);
    this.log.scrollTop = this.log.scrollHeight;
    return node;
  }

  async send() {
    const message = this.input.value.trim();
    if (!message || this.busy) return;
    this.busy = true;
    this.input.value = "";
    this.fit();
    this.addUser(message);
    this.state.messages.push({ role: "user", text: message });
    this.save();
    const node = this.addBot();
    try {
      await this.ask(node, message, true);
    } catch (err) {
      this.finish(node, { category: "error", text: "The assistant could not be reached. " +
        "Check your connection and try again." });
    } finally {
      this.busy = false;
    }
  }

  async ask(node, message, retry) {
    const res = await fetch(`${this.endpoint}/v1/chat`, {
      method: "POST",
      headers: this.headers({ Accept: "text/event-stream" }),
      body: JSON.stringify({ message, conversation_id: this.state.conversation_id || undefined }),
    });
    if (res.status === 404 && this.state.conversation_id && retry) {
      this.state.conversation_id = null; // the server no longer knows it: start a new one
      return this.ask(node, message, false);
    }
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      const text = body?.error?.message || `The assistant answered with HTTP ${res.status}.`;
      this.remember(node, { category: "error", text });
      return;
    }
    if (!(res.headers.get("content-type") || "").includes("text/event-stream")) {
      this.remember(node, await res.json());
      return;
    }
    const body = node.querySelector(".body");
    let text = null;
    for await (const { event, data } of readEvents(res)) {
      if (event === "meta") {
        this.state.conversation_id = data.conversation_id;
        this.mark(node, data.category);
      } else if (event === "delta") {
        if (!text) {
          text = document.createTextNode("");
          body.replaceChildren(text);
        }
        text.appendData(data.text || "");
        this.log.scrollTop = this.log.scrollHeight;
      } else if (event === "done") {
        this.remember(node, data);
        return;
      } else if (event === "error") {
        const err = data.error || {};
        this.remember(node, { category: "error", text: err.message || "The reply failed." });
        return;
      }
    }
    this.remember(node, { category: "error", text: "The reply was cut off. Please try again." });
  }

  /** Keep a finished reply (only what re-rendering needs) and show it. */
  remember(node, reply) {
    if (reply.conversation_id) this.state.conversation_id = reply.conversation_id;
    const m = {
      role: "assistant", message_id: reply.message_id, category: reply.category,
      html: reply.html, text: reply.text, citations: reply.citations || [], draft: reply.draft,
    };
    this.state.messages.push(m);
    this.save();
    this.finish(node, m);
  }

  mark(node, category) {
    const kind = KINDS[category];
    if (!kind || node.querySelector(".badge")) return;
    node.classList.add(kind[0]);
    node.prepend(el("p", { class: "badge", text: kind[1] }));
  }

  finish(node, m) {
    this.mark(node, m.category);
    const body = node.querySelector(".body");
    body.classList.remove("streaming");
    body.replaceChildren(m.html ? safeFragment(m.html) : el("p", { text: m.text || "" }));
    if (m.citations?.length) {
      // the expandable list below replaces a plain "Sources:" list at the end of the reply
      const list = body.lastElementChild;
      const label = list?.previousElementSibling;
      if (list?.localName === "ul" && /^sources:?$/i.test(label?.textContent.trim() || "")) {
        list.remove();
        label.remove();
      }
      node.append(this.citations(m.citations));
    }
    if (m.draft) node.append(this.draftCard(m.draft));
    if (m.message_id && m.category !== "error") node.append(this.feedback(m));
    node.setAttribute("aria-busy", "false");
    if (m.category === "emergency") {
      const copy = el("div", { class: "msg bot emergency", role: "alert" },
        el("p", { class: "badge", text: "Emergency" }), safeFragment(m.html || ""));
      if (!m.html) copy.append(el("p", { text: m.text || "" }));
      this.pin.replaceChildren(copy);
      this.pin.hidden = false;
    }
    this.log.scrollTop = this.log.scrollHeight;
  }

  citations(list) {
    const ol = el("ol", { class: "cites", "aria-label": "Sources" });
    for (const c of list) {
      const label = `[${c.n}] ${c.title || c.source || "Source"}${c.section ? " — " + c.section : ""}`;
      ol.append(el("li", {}, el("details", {},
        el("summary", { text: label }),
        el("blockquote", { text: c.snippet || "" }),
        el("p", { class: "src", text: c.source || "" }))));
    }
    return ol;
  }

  draftCard(d) {
    const note = el("p", { class: "note", role: "status" });
    const row = el("div", { class: "row" }, el("button", {
      type: "button", class: "btn", text: "Copy", "aria-label": "Copy the draft as Markdown",
      onclick: () => navigator.clipboard.writeText(d.markdown || "").then(
        () => { note.textContent = "Copied to the clipboard."; },
        () => { note.textContent = "Copy failed: select the text and copy it."; }),
    }));
    if (d.downloads) row.append(el("span", { text: "Download" }));
    for (const fmt of ["md", "docx", "pdf"]) {
      const url = d.downloads?.[fmt];
      if (!url) continue;
      row.append(el("button", {
        type: "button", class: "btn", text: `.${fmt}`, "aria-label": `Download as .${fmt}`,
        onclick: () => this.download(new URL(url, this.endpoint + "/").href, d, fmt, note),
      }));
    }
    const card = el("section", { class: "draft", "aria-label": `Draft: ${d.title || d.kind}` },
      el("h3", { text: d.title || "Draft" }));
    const missing = d.missing_labels?.length ? d.missing_labels : d.missing_fields;
    if (missing?.length) {
      card.append(el("p", { class: "note", text: `Still needed: ${missing.join(", ")}` }));
    }
    if (d.warnings?.length) {
      card.append(el("ul", { class: "warn" }, ...d.warnings.map((w) => el("li", { text: w }))));
    }
    card.append(el("div", { class: "doc", tabindex: "0", "aria-label": "Draft text" },
      safeFragment(d.html || "")), row, note);
    return card;
  }

  async download(url, d, fmt, note) {
    note.textContent = "Downloading…";
    try {
      const res = await fetch(url, { headers: this.headers() });
      if (!res.ok) throw new Error(String(res.status));
      const blob = await res.blob();
      const name = /filename="?([^";]+)/.exec(res.headers.get("content-disposition") || "")?.[1] ||
        `${(d.title || d.kind || "draft").toLowerCase().replace(/[^a-z0-9]+/g, "-")}.${fmt}`;
      const a = el("a", { href: URL.createObjectURL(blob), download: name });
      this.shadowRoot.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      note.textContent = `Downloaded ${name}.`;
    } catch {
      note.textContent = "The download failed. Please try again.";
    }
  }

  feedback(m) {
    const box = el("div", { class: "row fb", role: "group", "aria-label": "Was this helpful?" });
    const note = el("p", { class: "note", role: "status" });
    const comment = el("input", { type: "text", maxlength: "2000", "aria-label": "Comment (optional)",
      placeholder: "Comment (optional)" });
    const form = el("div", { class: "row", hidden: true }, comment,
      el("button", { type: "button", class: "btn", text: "Send feedback", onclick: () => submit() }));
    comment.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        submit();
      }
    });
    let rating = null;
    const thumbs = [["up", "Helpful", ""], ["down", "Not helpful", "down"]].map(([r, label, cls]) =>
      el("button", { type: "button", class: `btn ${cls}`, "aria-label": label, "aria-pressed": "false",
        onclick: (e) => {
          rating = r;
          for (const b of thumbs) b.setAttribute("aria-pressed", String(b === e.currentTarget));
          form.hidden = false;
          comment.focus();
        } }, icon(THUMB)));
    const submit = async () => {
      const body = { conversation_id: this.state.conversation_id, message_id: m.message_id, rating };
      if (comment.value.trim()) body.comment = comment.value.trim();
      const res = await fetch(`${this.endpoint}/v1/feedback`, {
        method: "POST", headers: this.headers(), body: JSON.stringify(body),
      }).catch(() => null);
      note.textContent = res?.ok ? "Thanks for the feedback." : "Feedback could not be sent.";
      if (res?.ok) form.hidden = true;
    };
    box.append(el("span", { text: "Helpful?" }), ...thumbs);
    return el("div", {}, box, form, note);
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, MesAiChat);

// A module has no document.currentScript: find our own <script> tag by its src.
const script = document.currentScript ||
  [...document.querySelectorAll("script[src]")].find((s) => /\/widget\.js([?#]|$)/.test(s.src));
if (script && !document.querySelector(TAG)) {
  const widget = document.createElement(TAG);
  for (const name of ["key", "title", "color"]) {
    if (script.dataset[name]) widget.setAttribute(`data-${name}`, script.dataset[name]);
  }
  widget.setAttribute("data-endpoint", script.dataset.endpoint || new URL(script.src).origin);
  document.body.append(widget);
}

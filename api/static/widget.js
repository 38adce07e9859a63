/*
 * madoguchi web chat widget. One tag embeds it in any page:
 *
 *   <script src="https://HOST/widget.js" data-title="ひかり野市 AI窓口" data-color="#0b57d0" defer></script>
 *
 * data-title  panel title (default 「AI窓口 まどぐち」)
 * data-color  brand colour; a colour too light for white text falls back to #0b57d0
 * data-api    optional api base URL (default: the folder widget.js was loaded from)
 *
 * Plain JS, no dependencies, no build step. Everything lives in a shadow root, so the
 * page's styles and the widget's do not affect each other. Bot and resident text is only
 * ever inserted as text nodes (never as HTML); only http/https URLs become links.
 * The conversation (sender id, last 50 messages, open/closed, text size) is kept in
 * sessionStorage so it survives navigation within the site; the 「ふりがな」 choice is kept in
 * localStorage, so it also holds on the resident's next visit.
 *
 * ふりがな: with the switch on, the widget asks /api/chat with "furigana": true and the api gives
 * each bot message its segments ({text, reading}); they are drawn as <ruby>漢字<rt>かんじ</rt></ruby>
 * with DOM methods. Switched on, it asks /api/chat/furigana once for the messages already shown
 * without them (those that came while it was off, and the greeting). Screen readers read ruby badly (NVDA, VoiceOver and TalkBack read the kanji and
 * then the reading, and a word split around its okurigana is read in pieces), so the ruby drawing is
 * aria-hidden and the same text is there once, whole, as visually hidden text; links stay real
 * links between the two.
 */
(function () {
  "use strict";
  if (window.__madoguchiWidget) return;
  window.__madoguchiWidget = true;

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  var scriptSrc = script && script.src ? script.src : location.href;
  var attr = function (name) { return (script && script.getAttribute(name)) || ""; };
  var API = new URL(attr("data-api") || ".", scriptSrc).href.replace(/\/?$/, "/");
  var TITLE = attr("data-title").trim() || "AI窓口 まどぐち";
  var DEFAULT_COLOR = "#0b57d0";
  var STORE_KEY = "madoguchi-widget";
  var PREFS_KEY = "madoguchi-widget-prefs"; // localStorage: the resident's choices across visits
  var MAX_LOG = 50;
  var POLL_MS = 20000;
  var TIMEOUT_MS = 60000;
  var RUBY_MAX_TEXTS = 60, RUBY_MAX_CHARS = 20000; // what /api/chat/furigana reads in one call
  var SENDER_RE = /^web:[0-9a-f]{32}$/;
  var GREETING = {
    text: "こんにちは。AIがお答えする窓口です。手続きや市のサービスについて、24時間いつでもご質問ください。\n" +
      "火事・救急は119番、事件・事故は110番へお電話ください。",
    buttons: [
      { title: "住民票の写しを取りたい", text: "住民票の写しを取りたい" },
      { title: "粗大ごみの出し方", text: "粗大ごみの出し方" },
      { title: "職員と話したい", text: "職員と話したい" }
    ]
  };
  var T = {
    launcher: "AIに質問する",
    large: "文字を大きく",
    furigana: "ふりがな",
    close: "閉じる",
    closeLabel: "チャットを閉じる",
    inputLabel: "ご質問",
    placeholder: "例：住民票を取りたい",
    hint: "Enterで送信、Shift+Enterで改行",
    send: "送信",
    typing: "回答を準備しています…",
    retry: "もう一度送る",
    offline: "通信できませんでした。インターネット接続を確かめて、もう一度送ってください。",
    busy: "ただいま混み合っているか、一時的にご利用いただけません。しばらくしてからもう一度お試しください。",
    failed: "送信できませんでした。もう一度お試しください。",
    invalid: "送信された内容を読み取れませんでした。入力を確かめてください。",
    note: "マイナンバーや口座番号は入力しないでください。",
    you: "あなた：",
    bot: "AI窓口：",
    staff: "職員からの回答",
    replies: "返信の候補",
    feedback: "回答の評価",
    newTab: "（新しいタブで開きます）",
    helpful: "役に立った",
    notHelpful: "役に立たなかった"
  };

  // ---- colour: brand colour only when white text on it meets WCAG AA (4.5:1) ----
  function parseColor(value) {
    if (!value) return null;
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext && canvas.getContext("2d");
    if (!ctx) return null;
    ctx.fillStyle = "#000000"; ctx.fillStyle = value; var a = ctx.fillStyle;
    ctx.fillStyle = "#ffffff"; ctx.fillStyle = value; var b = ctx.fillStyle;
    if (a !== b) return null; // not a colour: the sentinel was kept
    var m = /^#([0-9a-f]{6})$/i.exec(a); // translucent colours come back as rgba(): refused
    if (!m) return null;
    return [0, 2, 4].map(function (i) { return parseInt(m[1].slice(i, i + 2), 16); });
  }
  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(x, y) {
    var a = luminance(x), b = luminance(y);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  function hex(rgb) {
    return "#" + rgb.map(function (v) { return ("0" + Math.round(v).toString(16)).slice(-2); }).join("");
  }
  var WHITE = [255, 255, 255];
  var BOT_BG = [240, 243, 247]; // #f0f3f7, the bot bubble
  var accentRgb = parseColor(attr("data-color").trim());
  if (!accentRgb || contrast(accentRgb, WHITE) < 4.5) accentRgb = parseColor(DEFAULT_COLOR) || [11, 87, 208];
  var linkRgb = accentRgb.slice();
  while (contrast(linkRgb, BOT_BG) < 4.5) linkRgb = linkRgb.map(function (v) { return v * 0.9; });
  var ACCENT = hex(accentRgb);
  var LINK = hex(linkRgb);
  var TINT = hex(accentRgb.map(function (v) { return 255 - (255 - v) * 0.1; })); // light background of the brand colour

  // ---- state kept across page loads (sessionStorage of the embedding site) ----
  var state = { sender: null, open: false, large: false, furigana: false, log: [], seq: 0 };
  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
      if (!saved || typeof saved !== "object") return;
      if (typeof saved.sender === "string" && SENDER_RE.test(saved.sender)) state.sender = saved.sender;
      state.open = saved.open === true;
      state.large = saved.large === true;
      state.live = saved.live === true; // a live chat with staff was open: polling resumes
      state.liveAfter = typeof saved.liveAfter === "number" && saved.liveAfter >= 0 ? saved.liveAfter : 0;
      if (Array.isArray(saved.log)) {
        state.log = saved.log.filter(function (e) {
          return e && (e.who === "user" || e.who === "bot") && typeof e.text === "string";
        }).slice(-MAX_LOG).map(function (e) {
          return { id: Number(e.id) || 0, who: e.who, text: e.text, buttons: cleanButtons(e.buttons),
                   chosen: typeof e.chosen === "string" ? e.chosen : null, staff: e.staff === true,
                   from: typeof e.from === "string" ? e.from.slice(0, 100) : null, system: e.system === true,
                   ruby: cleanRuby(e.ruby, e.text) };
        });
      }
      state.seq = state.log.reduce(function (n, e) { return Math.max(n, e.id); }, 0);
    } catch (e) { /* storage disabled or corrupt: start afresh */ }
    try {
      var prefs = JSON.parse(localStorage.getItem(PREFS_KEY) || "null");
      state.furigana = !!prefs && prefs.furigana === true;
    } catch (e) { /* storage disabled: ふりがな off */ }
  }
  function savePrefs() {
    try {
      localStorage.setItem(PREFS_KEY, JSON.stringify({ furigana: state.furigana }));
    } catch (e) { /* storage disabled: the choice holds on this page only */ }
  }
  function save() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify({
        sender: state.sender, open: state.open, large: state.large, log: state.log.slice(-MAX_LOG),
        live: state.live === true, liveAfter: state.liveAfter || 0
      }));
    } catch (e) { /* storage full or disabled: the chat still works on this page */ }
  }
  // The api's ふりがな segments of a message, or null: pieces that join back into its text, each
  // with a kana reading or none (sessionStorage is page-writable: checked like the api's reply).
  function cleanRuby(list, text) {
    if (!Array.isArray(list) || typeof text !== "string") return null;
    var ok = list.every(function (s) {
      return s && typeof s.text === "string" && (s.reading === null || typeof s.reading === "string");
    });
    if (!ok || list.map(function (s) { return s.text; }).join("") !== text) return null;
    return list.map(function (s) { return { text: s.text, reading: s.reading || null }; });
  }
  function cleanButtons(list) {
    if (!Array.isArray(list)) return [];
    return list.filter(function (b) {
      return b && typeof b.title === "string" && (typeof b.payload === "string" || typeof b.text === "string");
    }).map(function (b) {
      var out = typeof b.payload === "string" ? { title: b.title, payload: b.payload } : { title: b.title, text: b.text };
      var ruby = cleanRuby(b.ruby || b.furigana, b.title); // stored as ruby, from the api as furigana
      if (ruby) out.ruby = ruby;
      return out;
    });
  }
  load();

  // ---- DOM ----
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) Object.keys(props).forEach(function (k) {
      if (k === "text") node.textContent = props[k];
      else if (k === "class") node.className = props[k];
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), props[k]);
      else if (props[k] === true) node.setAttribute(k, "");
      else if (props[k] !== false && props[k] != null) node.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function svg(path, size) {
    var ns = "http://www.w3.org/2000/svg";
    var s = document.createElementNS(ns, "svg");
    s.setAttribute("viewBox", "0 0 24 24");
    s.setAttribute("width", size || 24); s.setAttribute("height", size || 24);
    s.setAttribute("aria-hidden", "true"); s.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path); p.setAttribute("fill", "currentColor");
    s.appendChild(p);
    return s;
  }
  var ICON_CHAT = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5A1.5 1.5 0 1 0 7 13.5 1.5 1.5 0 0 0 7 10.5zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z";
  var ICON_CLOSE = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z";
  var ICON_SEND = "M3 20.5V14l9-2-9-2V3.5L22 12z";

  var CSS = [
    ":host{all:initial!important}", // page styles (even !important ones) stay outside
    ".root{--accent:" + ACCENT + ";--link:" + LINK + ";--tint:" + TINT + ";",
    "font-family:system-ui,-apple-system,'Hiragino Sans','Hiragino Kaku Gothic ProN','Noto Sans JP','Noto Sans CJK JP','Yu Gothic UI',Meiryo,sans-serif;",
    "font-size:16px;line-height:1.7;color:#1b1f24;-webkit-text-size-adjust:100%}",
    ".root.large{font-size:20px}",
    ".root *,.root *::before,.root *::after{box-sizing:border-box}",
    "button,textarea{font:inherit;color:inherit;letter-spacing:inherit}",
    "button{cursor:pointer}",
    ".vh{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}",
    ":focus{outline:none}",
    ":focus-visible{outline:3px solid var(--accent);outline-offset:2px}",
    // launcher
    ".launcher{position:fixed;right:24px;bottom:24px;z-index:2147483000;display:inline-flex;align-items:center;gap:.5em;",
    "min-height:56px;padding:.75em 1.4em;border:0;border-radius:999px;background:var(--accent);color:#fff;font-weight:700;",
    "box-shadow:0 6px 20px rgba(0,0,0,.25)}",
    ".launcher:hover{filter:brightness(.92)}",
    ".launcher:focus-visible{outline:3px solid var(--accent);outline-offset:3px;box-shadow:0 0 0 3px #fff,0 6px 20px rgba(0,0,0,.25)}",
    // panel
    ".panel{position:fixed;right:24px;bottom:96px;z-index:2147483001;display:flex;flex-direction:column;",
    "width:min(440px,calc(100vw - 32px));height:min(680px,calc(100vh - 120px));background:#fff;border:1px solid #c4cad3;",
    "border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.28);overflow:hidden}",
    ".panel[hidden]{display:none}",
    // the title keeps room for a few words; the buttons wrap below it, together, when it would not
    ".header{display:flex;flex-wrap:wrap;align-items:center;gap:.4em;padding:.55em .6em .55em 1em;background:var(--accent);color:#fff;flex:none}",
    ".header .tools{display:flex;gap:.4em;margin-left:auto}",
    ".header h2{flex:1 1 9em;margin:0;font-size:1.05em;font-weight:700;line-height:1.35;min-width:0;overflow-wrap:anywhere;word-break:auto-phrase}",
    ".header button{display:inline-flex;align-items:center;gap:.3em;min-height:44px;padding:.3em .7em;border:2px solid rgba(255,255,255,.9);",
    "border-radius:8px;background:transparent;color:#fff;font-size:1em;white-space:nowrap}",
    ".header button:hover{background:rgba(255,255,255,.16)}",
    ".header button[aria-pressed=true]{background:#fff;color:var(--accent)}",
    ".bubble ruby,.replies ruby{ruby-position:over;ruby-align:center}",
    ".bubble rt,.replies rt{font-size:.6em;line-height:1.1}",
    ".msg.bot .bubble.ruby{line-height:2.1}", // room above each line for its readings
    ".header :focus-visible{outline-color:#fff}",
    ".header .close{justify-content:center;min-width:44px;padding:.2em}",
    ".scroller{position:relative;flex:1;overflow-y:auto;overscroll-behavior:contain;padding:1em .9em .5em;background:#fff}",
    ".log{display:flex;flex-direction:column;gap:.8em}",
    ".msg{display:flex;flex-direction:column;align-items:flex-start;max-width:100%}",
    ".msg.user{align-items:flex-end}",
    ".bubble{max-width:88%;padding:.6em .9em;border-radius:4px 16px 16px 16px;background:#f0f3f7;",
    "white-space:pre-wrap;overflow-wrap:anywhere}",
    ".msg.user .bubble{border-radius:16px 4px 16px 16px;background:var(--accent);color:#fff}",
    ".msg.staff .bubble{background:#fff8e1;border:2px solid #8a5a00}",
    ".tag{font-size:1em;font-weight:700;color:#6b4600;margin:0 0 .2em .2em}",
    ".msg.system .bubble{background:#fff;border:1px dashed #5b6470;color:#3d4550}",
    ".live{flex:none;display:flex;flex-wrap:wrap;align-items:center;gap:.5em;margin:0 .9em .5em;padding:.4em .8em;",
    "border-left:5px solid #8a5a00;border-radius:8px;background:#fff8e1;color:#4a3000}",
    ".live[hidden]{display:none}",
    ".live p{margin:0;flex:1 1 12em;font-weight:700}",
    ".live button{min-height:44px;padding:.3em 1em;border:2px solid currentColor;border-radius:8px;background:#fff;color:inherit;font-weight:700}",
    ".bubble a{color:var(--link);text-decoration:underline;text-underline-offset:2px}",
    ".bubble a:hover{text-decoration-thickness:2px}",
    ".replies{display:flex;flex-wrap:wrap;gap:.5em;margin-top:.55em;max-width:100%}",
    ".replies button{min-height:44px;padding:.4em 1em;border:2px solid var(--accent);border-radius:999px;background:#fff;color:var(--accent);",
    "text-align:left;line-height:1.4}",
    ".replies button:hover{background:var(--tint)}",
    ".feedback{display:flex;gap:.6em;margin-top:.5em}",
    ".feedback button{display:inline-flex;align-items:center;justify-content:center;min-width:52px;min-height:44px;padding:.2em .8em;",
    "border:2px solid #5b6470;border-radius:999px;background:#fff;font-size:1.15em;line-height:1}",
    ".feedback button:hover:not(:disabled){border-color:var(--accent);background:var(--tint)}",
    ".feedback button:disabled{cursor:default;opacity:.55}",
    ".feedback button[aria-pressed=true]{opacity:1;border-color:var(--accent);background:var(--accent);box-shadow:inset 0 0 0 2px #fff}",
    ".feedback .thanks{align-self:center;color:#3d4550}",
    ".typing{display:flex;align-items:center;gap:.6em;margin-top:.8em;color:#3d4550}",
    ".typing:empty{display:none}",
    ".dots{display:inline-flex;gap:4px;padding:.75em .9em;border-radius:4px 16px 16px 16px;background:#f0f3f7}",
    ".dots i{width:8px;height:8px;border-radius:50%;background:#5b6470;animation:blink 1.2s infinite both}",
    ".dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}",
    "@keyframes blink{0%,80%,100%{opacity:.25}40%{opacity:1}}",
    ".notice{flex:none;margin:0 .9em .5em;padding:.6em .8em;border-left:5px solid #b3261e;border-radius:8px;background:#fdecea;color:#5f1410;",
    "display:flex;flex-wrap:wrap;align-items:center;gap:.5em}",
    ".notice.busy{border-color:#8a5a00;background:#fff4e0;color:#4a3000}",
    ".notice[hidden]{display:none}",
    ".notice p{margin:0;flex:1 1 14em;white-space:pre-wrap}",
    ".notice button{min-height:44px;padding:.3em 1em;border:2px solid currentColor;border-radius:8px;background:#fff;font-weight:700}",
    ".form{flex:none;border-top:1px solid #d5dae1;padding:.6em .75em .5em;background:#fff}",
    ".row{display:flex;align-items:flex-end;gap:.5em}",
    "textarea{flex:1;min-height:48px;max-height:9em;resize:none;padding:.55em .75em;border:2px solid #6b7480;border-radius:10px;background:#fff;line-height:1.5}",
    "textarea::placeholder{color:#5f6670;opacity:1}",
    "textarea:focus-visible{outline-offset:1px;border-color:var(--accent)}",
    ".send{display:inline-flex;align-items:center;gap:.3em;min-height:48px;padding:.4em 1em;border:0;border-radius:10px;background:var(--accent);color:#fff;font-weight:700}",
    ".send:hover{filter:brightness(.92)}",
    ".send[aria-disabled=true]{cursor:progress}",
    ".note{margin:.35em .1em 0;color:#4a5360;font-size:1em;line-height:1.5;word-break:auto-phrase}",
    "@media (max-width:480px){",
    ".panel{inset:0;right:0;bottom:0;width:100%;height:100%;max-height:none;border:0;border-radius:0}",
    ".root.open .launcher{display:none}",
    ".bubble{max-width:94%}",
    ".launcher{right:16px;bottom:16px}",
        "}",
    "@media (prefers-reduced-motion:reduce){.dots i{animation:none;opacity:.6}}",
    "@media print{.root{display:none}}",
    "@media (forced-colors:active){.bubble,.replies button,.feedback button,.launcher,.send{border:2px solid CanvasText}}"
  ].join("");

  var host = el("div", { id: "madoguchi-widget", lang: "ja" });
  var shadow = host.attachShadow({ mode: "open" });
  shadow.appendChild(el("style", { text: CSS }));

  var launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "mw-panel" },
    [svg(ICON_CHAT, 26), el("span", { text: T.launcher })]);
  var largeBtn = el("button", { type: "button", class: "large-toggle", "aria-pressed": "false", text: T.large });
  var furiganaBtn = el("button", { type: "button", class: "furigana-toggle", "aria-pressed": "false", text: T.furigana });
  var closeBtn = el("button", { type: "button", class: "close", "aria-label": T.closeLabel, title: T.close }, [svg(ICON_CLOSE, 24)]);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "会話" });
  var typing = el("div", { class: "typing", role: "status", "aria-live": "polite" });
  var scroller = el("div", { class: "scroller" }, [log, typing]);
  var noticeText = el("p");
  var retryBtn = el("button", { type: "button", class: "retry", text: T.retry, hidden: true });
  var notice = el("div", { class: "notice", role: "alert", hidden: true }, [noticeText, retryBtn]);
  // live chat with staff (api/handover): what is happening, and the resident's way to end it
  var LIVE = { waiting: "職員におつなぎしています。このままお待ちください。", on: "職員とチャットしています",
               end: "職員とのチャットを終える", typing: "が入力しています…" };
  var liveText = el("p", { role: "status" });
  var liveEndBtn = el("button", { type: "button", text: LIVE.end });
  var liveBar = el("div", { class: "live", hidden: true }, [liveText, liveEndBtn]);
  var input = el("textarea", { id: "mw-input", rows: "1", maxlength: "1000", placeholder: T.placeholder,
    autocomplete: "off", "aria-describedby": "mw-hint mw-note", enterkeyhint: "send" });
  var sendBtn = el("button", { type: "submit", class: "send" }, [svg(ICON_SEND, 20), el("span", { text: T.send })]);
  var form = el("form", { class: "form", novalidate: true }, [
    el("label", { for: "mw-input", class: "vh", text: T.inputLabel }),
    el("div", { class: "row" }, [input, sendBtn]),
    el("p", { id: "mw-hint", class: "vh", text: T.hint }),
    el("p", { id: "mw-note", class: "note", text: T.note })
  ]);
  var panel = el("div", { id: "mw-panel", class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "mw-title", hidden: true }, [
    el("div", { class: "header" }, [
      el("h2", { id: "mw-title", text: TITLE }),
      el("div", { class: "tools" }, [largeBtn, furiganaBtn, closeBtn])
    ]),
    scroller, notice, liveBar, form
  ]);
  var root = el("div", { class: "root", lang: "ja", role: "region", "aria-label": TITLE }, [launcher, panel]);
  shadow.appendChild(root);

  // ---- rendering (text nodes only) ----
  // (the api keeps a URL that this finds in one plain ふりがな segment: api/furigana/reading.py _URL)
  var URL_RE = /https?:\/\/[^\s<>"'`「」『』（）()【】［］\[\]、。，．\u3000]+/g;
  // text → pieces: {text} and {url, raw} (http/https links only)
  function linkPieces(text) {
    var out = [], last = 0, m;
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text))) {
      var raw = m[0].replace(/[.,;:!?]+$/, "");
      var url = null;
      try { url = new URL(raw); } catch (e) { url = null; }
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) continue;
      out.push({ text: text.slice(last, m.index) });
      out.push({ url: url.href, raw: raw });
      last = m.index + raw.length;
      URL_RE.lastIndex = last;
    }
    out.push({ text: text.slice(last) });
    return out;
  }
  function link(piece) {
    var a = el("a", { href: piece.url, target: "_blank", rel: "noopener noreferrer" });
    a.appendChild(document.createTextNode(piece.raw));
    a.appendChild(el("span", { class: "vh", text: T.newTab }));
    return a;
  }
  function appendText(parent, text, links) {
    if (!links) { parent.appendChild(document.createTextNode(text)); return; }
    linkPieces(text).forEach(function (p) {
      parent.appendChild(p.url ? link(p) : document.createTextNode(p.text));
    });
  }
  // ふりがな: the ruby drawing for the eyes (aria-hidden), the text once and whole for screen
  // readers (visually hidden), links in between as they are
  function appendRuby(parent, segments, links) {
    var said = "", shown = null;
    function flush() {
      if (shown) {
        parent.appendChild(el("span", { class: "vh", text: said }));
        parent.appendChild(shown);
      }
      said = ""; shown = null;
    }
    function show(node, text) {
      shown = shown || el("span", { "aria-hidden": "true" });
      shown.appendChild(node);
      said += text;
    }
    segments.forEach(function (s) {
      if (s.reading) {
        show(el("ruby", null, [document.createTextNode(s.text), el("rt", { text: s.reading })]), s.text);
        return;
      }
      (links ? linkPieces(s.text) : [{ text: s.text }]).forEach(function (p) {
        if (p.url) { flush(); parent.appendChild(link(p)); }
        else if (p.text) show(document.createTextNode(p.text), p.text);
      });
    });
    flush();
  }
  function isFeedback(b) { return typeof b.payload === "string" && b.payload.indexOf("/feedback") === 0; }
  function feedbackFace(b) {
    var helpful = b.title.indexOf("👍") >= 0 ||
      (b.title.indexOf("👎") < 0 && /"helpful"\s*:\s*true/.test(b.payload));
    var label = b.title.replace(/[👍👎]\uFE0F?/g, "").trim() || (helpful ? T.helpful : T.notHelpful);
    return { icon: helpful ? "👍" : "👎", label: label };
  }

  function render(entry) {
    // lang on each message: the bot's texts are Japanese in every mode so far (issue 15 adds others)
    var node = el("div", { class: "msg " + entry.who + (entry.staff ? " staff" : "") + (entry.system ? " system" : ""),
      "data-id": String(entry.id), lang: "ja" });
    // a live chat's staff message is signed by the department (「ひかり野市 市民課」), never a person
    if (entry.staff) node.appendChild(el("p", { class: "tag", text: entry.from || T.staff }));
    if (entry.text) { // a bot message may be buttons only
      var ruby = state.furigana && entry.who === "bot" && entry.ruby;
      var bubble = el("div", { class: ruby ? "bubble ruby" : "bubble" },
        [el("span", { class: "vh", text: entry.who === "user" ? T.you : (entry.from ? entry.from + "：" : T.bot) })]);
      if (ruby) appendRuby(bubble, entry.ruby, true);
      else appendText(bubble, entry.text, entry.who === "bot");
      node.appendChild(bubble);
    }
    var buttons = entry.buttons || [];
    var fb = buttons.filter(isFeedback);
    var quick = buttons.filter(function (b) { return !isFeedback(b); });
    if (quick.length) {
      var box = el("div", { class: "replies", role: "group", "aria-label": T.replies });
      quick.forEach(function (b) {
        var btn = el("button", { type: "button", onclick: function () {
          if (busy) return;
          send(b.payload != null ? { payload: b.payload } : { text: b.text }, b.title);
        } });
        // its name stays the title: the ruby drawing is aria-hidden, the title visually hidden text
        if (state.furigana && b.ruby) appendRuby(btn, b.ruby, false); else btn.textContent = b.title;
        box.appendChild(btn);
      });
      node.appendChild(box);
    }
    if (fb.length) {
      var group = el("div", { class: "feedback", role: "group", "aria-label": T.feedback });
      var btns = fb.map(function (b) {
        var face = feedbackFace(b);
        var chosen = entry.chosen === b.payload;
        var btn = el("button", { type: "button", "aria-label": face.label, title: face.label,
          "aria-pressed": chosen ? "true" : "false", disabled: entry.chosen != null, text: face.icon });
        btn.addEventListener("click", function () {
          if (busy || entry.chosen != null) return;
          entry.chosen = b.payload;
          btns.forEach(function (x) { x.btn.disabled = true; x.btn.setAttribute("aria-pressed", x.b === b ? "true" : "false"); });
          save();
          input.focus(); // the pressed button is now disabled: keep keyboard users in the panel
          send({ payload: b.payload }, b.title);
        });
        group.appendChild(btn);
        return { b: b, btn: btn };
      });
      node.appendChild(group);
    }
    return node;
  }

  function addEntry(entry) {
    entry.id = ++state.seq;
    state.log.push(entry);
    var node = render(entry);
    log.appendChild(node);
    while (state.log.length > MAX_LOG) state.log.shift();
    while (log.children.length > MAX_LOG) log.removeChild(log.firstChild);
    save();
    return node;
  }

  function scrollTo(node) {
    if (!node) { scroller.scrollTop = scroller.scrollHeight; return; }
    // Show a long answer from its start; otherwise keep the newest at the bottom.
    var top = node.offsetTop - 12;
    scroller.scrollTop = Math.min(top, scroller.scrollHeight);
    if (scroller.scrollHeight - top <= scroller.clientHeight) scroller.scrollTop = scroller.scrollHeight;
  }

  // ---- talking to the api ----
  var busy = false;
  var pendingRetry = null;

  function request(method, path, body) {
    var ctrl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, TIMEOUT_MS) : null;
    var opts = { method: method, mode: "cors", credentials: "omit", cache: "no-store", signal: ctrl ? ctrl.signal : undefined };
    if (body !== undefined) {
      opts.headers = { "Content-Type": "application/json" };
      opts.body = JSON.stringify(body);
    }
    return fetch(API + path, opts).then(function (resp) {
      return resp.json().catch(function () { return null; }).then(function (data) {
        return { status: resp.status, data: data };
      });
    }, function () { return { status: 0, data: null, aborted: !!(ctrl && ctrl.signal.aborted) }; }).then(function (res) {
      if (timer) clearTimeout(timer);
      return res;
    });
  }

  function detailOf(data) {
    return data && typeof data.detail === "string" && data.detail.trim() ? data.detail : null;
  }

  function showNotice(kind, text, retry) {
    notice.className = "notice " + kind;
    noticeText.textContent = text;
    pendingRetry = retry || null;
    retryBtn.hidden = !retry;
    notice.hidden = false;
    scroller.scrollTop = scroller.scrollHeight;
  }
  function clearNotice() {
    notice.hidden = true;
    noticeText.textContent = "";
    retryBtn.hidden = true;
    pendingRetry = null;
  }

  function setBusy(on) {
    busy = on;
    sendBtn.setAttribute("aria-disabled", on ? "true" : "false");
    typing.textContent = "";
    if (on) {
      typing.appendChild(el("span", { class: "dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]));
      typing.appendChild(el("span", { text: T.typing }));
      scroller.scrollTop = scroller.scrollHeight;
    }
  }

  function send(req, shown) {
    if (busy) return;
    clearNotice();
    if (shown != null) { addEntry({ who: "user", text: shown }); scrollTo(); }
    post(req);
  }

  // A connection that failed before any answer (an api process that died, scaled mode) is
  // tried once more after a pause: the next connection reaches a live process. Never after our
  // own time-out: that message may still be being answered.
  var RETRY_AFTER_MS = 700;
  function retriable(res) { return (res.status === 0 && !res.aborted) || res.status === 502; }

  function messageId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function post(req, retried) {
    setBusy(true);
    if (!req.id) req.id = messageId(); // the same id when sent again: the bot answers it once
    var body = { message_id: req.id };
    if (state.sender) body.sender = state.sender;
    if (req.payload != null) body.payload = req.payload; else body.text = req.text;
    if (state.furigana) body.furigana = true;
    request("POST", "api/chat", body).then(function (res) {
      if (!retried && retriable(res)) {
        setTimeout(function () { post(req, true); }, RETRY_AFTER_MS);
        return;
      }
      setBusy(false);
      var data = res.data;
      if (res.status === 200 && data && Array.isArray(data.messages)) {
        if (typeof data.sender === "string" && SENDER_RE.test(data.sender)) state.sender = data.sender;
        var first = null;
        data.messages.forEach(function (m) {
          if (!m || typeof m !== "object") return;
          var text = typeof m.text === "string" ? m.text : "";
          var node = addEntry({ who: "bot", text: text, buttons: cleanButtons(m.buttons), ruby: cleanRuby(m.furigana, text) });
          first = first || node;
        });
        save();
        scrollTo(first);
        // a live chat opened (poll its messages) or ended (one last poll for the closing words)
        if (data.live === true) { if (!state.live) setLive(true, "waiting", null); pollLive(); } else if (state.live) pollLive();
      } else if (res.status === 503 || res.status === 429) { // down, or too many messages: the api says how long to wait
        showNotice("busy", detailOf(data) || T.busy, req);
      } else if (res.status === 422) {
        showNotice("error", detailOf(data) || T.invalid, null);
        if (req.text != null && !input.value) input.value = req.text; // let the resident fix it
      } else if (res.status === 0) {
        showNotice("offline", T.offline, req);
      } else {
        showNotice("error", detailOf(data) || T.failed, req);
      }
    });
  }

  // ---- inbox: staff answers to questions left for them ----
  var pollTimer = null;
  var polling = false;
  function pollInbox() {
    if (!state.sender || polling) return;
    polling = true;
    request("GET", "api/chat/inbox?sender=" + encodeURIComponent(state.sender)).then(function (res) {
      polling = false;
      if (res.status !== 200 || !res.data || !Array.isArray(res.data.messages)) return; // not there (yet): silent
      var first = null;
      res.data.messages.forEach(function (m) {
        if (!m || typeof m !== "object") return;
        var node = addEntry({ who: "bot", staff: true, text: typeof m.text === "string" ? m.text : "", buttons: cleanButtons(m.buttons) });
        first = first || node;
      });
      if (first) scrollTo(first);
      if (first && state.furigana) fetchRuby(); // staff answers come without readings
    });
  }
  function startPolling() {
    stopPolling();
    pollInbox();
    pollTimer = setInterval(pollInbox, POLL_MS);
  }
  function stopPolling() {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
  }

  // ---- live chat with staff: their messages as they come, typing, the end ----
  var LIVE_POLL_MS = 2500;
  var liveTimer = null;
  var livePolling = false;
  var liveStatus = "waiting"; // what the bar says until the next poll (a reopened panel keeps it)
  function pollLive() {
    if (!state.sender || livePolling) return;
    livePolling = true;
    request("GET", "api/chat/live?sender=" + encodeURIComponent(state.sender) + "&after=" + (state.liveAfter || 0)).then(function (res) {
      livePolling = false;
      var d = res.data;
      if (res.status !== 200 || !d || typeof d.status !== "string") return; // not there (yet): try again next time
      var first = null;
      (Array.isArray(d.messages) ? d.messages : []).forEach(function (m) {
        if (!m || typeof m.text !== "string" || typeof m.id !== "number") return;
        state.liveAfter = Math.max(state.liveAfter || 0, m.id);
        var node = addEntry(m.who === "staff" ? { who: "bot", staff: true, from: String(m.label || "").slice(0, 100), text: m.text }
          : { who: "bot", system: true, text: m.text });
        first = first || node;
      });
      var open = d.status === "waiting" || d.status === "active";
      setLive(open, d.status, open && d.typing === true ? String(d.label || "") : null);
      save();
      if (first) { scrollTo(first); if (state.furigana) fetchRuby(); }
    });
  }
  function setLive(on, status, typingLabel) {
    state.live = on;
    if (on) liveStatus = status;
    liveBar.hidden = !on;
    var text = on ? (status === "active" ? LIVE.on : LIVE.waiting) : "";
    if (liveText.textContent !== text) liveText.textContent = text;
    if (!busy) {
      var said = typingLabel ? typingLabel + LIVE.typing : "";
      if (typing.textContent !== said) {
        typing.textContent = "";
        if (said) {
          typing.appendChild(el("span", { class: "dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]));
          typing.appendChild(el("span", { text: said }));
        }
      }
    }
    if (on && !liveTimer && state.open) liveTimer = setInterval(pollLive, LIVE_POLL_MS);
    if ((!on || !state.open) && liveTimer) { clearInterval(liveTimer); liveTimer = null; }
  }
  liveEndBtn.addEventListener("click", function () {
    if (busy) return;
    input.focus();
    send({ payload: "/live_end" }, LIVE.end);
  });

  // ---- open / close, text size ----
  var fullScreen = window.matchMedia ? window.matchMedia("(max-width: 480px)") : { matches: false };
  function setLarge(on) {
    state.large = on;
    root.classList.toggle("large", on);
    largeBtn.setAttribute("aria-pressed", on ? "true" : "false");
  }
  // Switching redraws the bot messages that have readings, in place. The log is a live region:
  // it is quiet while they are redrawn, or a screen reader would read them all out again.
  function hasRuby(e) {
    return !!e.ruby || (e.buttons || []).some(function (b) { return b.ruby; });
  }
  function redraw(which) {
    var top = scroller.scrollTop;
    log.setAttribute("aria-live", "off");
    state.log.forEach(function (e) {
      if (!which(e)) return;
      var old = log.querySelector('[data-id="' + e.id + '"]');
      if (old) log.replaceChild(render(e), old);
    });
    scroller.scrollTop = top;
    setTimeout(function () { log.setAttribute("aria-live", "polite"); }, 0);
  }
  function setFurigana(on) {
    state.furigana = on;
    furiganaBtn.setAttribute("aria-pressed", on ? "true" : "false");
    redraw(hasRuby);
  }
  // Messages that came while ふりがな was off (and the greeting, written here) have no readings:
  // asked for once, the newest first when there are more than one call reads.
  function fetchRuby() {
    var wanted = [], chars = 0;
    state.log.forEach(function (e) {
      if (e.who !== "bot") return;
      if (e.text && !e.ruby) wanted.push({ e: e, text: e.text });
      (e.buttons || []).forEach(function (b) {
        if (!b.ruby && !isFeedback(b)) wanted.push({ e: e, b: b, text: b.title });
      });
    });
    wanted = wanted.reverse().filter(function (w, i) {
      chars += w.text.length;
      return i < RUBY_MAX_TEXTS && chars <= RUBY_MAX_CHARS;
    });
    if (!wanted.length) return;
    request("POST", "api/chat/furigana", { texts: wanted.map(function (w) { return w.text; }) }).then(function (res) {
      // not there: the messages stay as they are, readable without readings
      if (res.status !== 200 || !res.data || !Array.isArray(res.data.furigana) || !state.furigana) return;
      var changed = {};
      wanted.forEach(function (w, i) {
        var ruby = cleanRuby(res.data.furigana[i], w.text);
        if (!ruby) return;
        if (w.b) w.b.ruby = ruby; else w.e.ruby = ruby;
        changed[w.e.id] = true;
      });
      save();
      redraw(function (e) { return changed[e.id]; });
    });
  }
  function openPanel(focusInput) {
    panel.setAttribute("aria-modal", fullScreen.matches ? "true" : "false");
    panel.hidden = false;
    root.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    if (!state.log.length) {
      addEntry({ who: "bot", text: GREETING.text, buttons: cleanButtons(GREETING.buttons) }); // copies: readings are added to them
      if (state.furigana) fetchRuby();
    }
    save();
    scroller.scrollTop = scroller.scrollHeight;
    if (focusInput) input.focus();
    startPolling();
    if (state.live) { setLive(true, liveStatus, null); pollLive(); }
  }
  function closePanel(returnFocus) {
    panel.hidden = true;
    root.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    stopPolling();
    if (liveTimer) { clearInterval(liveTimer); liveTimer = null; } // the cursor keeps the rest for the next opening
    if (returnFocus) launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) openPanel(true); else closePanel(true);
  });
  closeBtn.addEventListener("click", function () { closePanel(true); });
  largeBtn.addEventListener("click", function () { setLarge(!state.large); save(); });
  furiganaBtn.addEventListener("click", function () {
    setFurigana(!state.furigana);
    savePrefs();
    if (state.furigana) fetchRuby();
  });
  retryBtn.addEventListener("click", function () {
    var req = pendingRetry;
    if (!req || busy) return;
    clearNotice();
    input.focus();
    post(req);
  });
  root.addEventListener("keydown", function (ev) {
    if (panel.hidden) return;
    if (ev.key === "Escape" && !ev.isComposing) {
      ev.preventDefault();
      ev.stopPropagation();
      closePanel(true);
    } else if (ev.key === "Tab" && fullScreen.matches) {
      // Full screen, the page behind is covered: keep Tab inside the panel.
      var items = Array.prototype.filter.call(
        panel.querySelectorAll("button, a[href], textarea"),
        function (x) { return !x.disabled && !x.hidden && x.getClientRects().length; });
      if (!items.length) return;
      var first = items[0], last = items[items.length - 1], now = shadow.activeElement;
      if (ev.shiftKey && now === first) { ev.preventDefault(); last.focus(); }
      else if (!ev.shiftKey && now === last) { ev.preventDefault(); first.focus(); }
    }
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (busy) return;
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    input.value = "";
    autosize();
    input.focus(); // ready for the next question, also after a click on 送信
    send({ text: text }, text);
  });
  input.addEventListener("keydown", function (ev) {
    // Enter sends; Shift+Enter is a new line; Enter that confirms Japanese IME conversion does nothing.
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 4, 200) + "px";
  }
  input.addEventListener("input", autosize);

  // ---- start ----
  function mount() {
    document.body.appendChild(host);
    state.log.forEach(function (e) { log.appendChild(render(e)); });
    setLarge(state.large);
    setFurigana(state.furigana);
    if (state.open) openPanel(false); // restored after navigation: do not steal the page's focus
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();

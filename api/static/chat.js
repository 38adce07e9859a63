// Minimal chat page for /api/chat: text is always inserted as text, never as HTML.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("text");
  const status = document.getElementById("status");
  let sender = sessionStorage.getItem("madoguchi-sender");

  function linkify(parent, text) {
    const re = /https?:\/\/[^\s　」）)]+/g;
    let last = 0, m;
    while ((m = re.exec(text))) {
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      const a = document.createElement("a");
      a.href = m[0]; a.textContent = m[0]; a.target = "_blank"; a.rel = "noopener noreferrer";
      parent.appendChild(a);
      last = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function add(who, text, buttons) {
    const div = document.createElement("div");
    div.className = "msg " + who;
    if (who === "bot") linkify(div, text); else div.textContent = text;
    log.appendChild(div);
    if (buttons && buttons.length) {
      const box = document.createElement("div");
      box.className = "buttons";
      buttons.forEach(function (b) {
        const btn = document.createElement("button");
        btn.type = "button"; btn.textContent = b.title;
        btn.addEventListener("click", function () { send({ payload: b.payload }, b.title); });
        box.appendChild(btn);
      });
      log.appendChild(box);
    }
    log.scrollTop = log.scrollHeight;
  }

  async function send(body, shown) {
    add("user", shown);
    status.textContent = "回答を準備しています…";
    if (sender) body.sender = sender;
    try {
      const resp = await fetch("/api/chat", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      const data = await resp.json();
      if (!resp.ok) { status.textContent = data.detail || "送信できませんでした。"; return; }
      sender = data.sender; sessionStorage.setItem("madoguchi-sender", sender);
      status.textContent = "";
      data.messages.forEach(function (m) { add("bot", m.text, m.buttons); });
    } catch (e) {
      status.textContent = "通信できませんでした。インターネット接続を確かめて、もう一度お試しください。";
    }
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text: text }, text);
  });
  add("bot", "こんにちは。ひかり野市のAI窓口です。ご質問を入力してください（例：住民票を取りたい、粗大ごみの出し方）。");
})();

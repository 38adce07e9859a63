/* まどぐち 職員チャット: polls /admin/live/poll, announces new waiting residents (aria-live),
   adds new messages of the open conversation, and sends the typing signal. Without this script
   the page still works (reload to see new messages). No inline code: the page's CSP allows this
   file and same-origin fetches only. */
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root || !window.fetch) return;
  var pollMs = Math.max(1, parseInt(root.getAttribute("data-poll"), 10) || 3) * 1000;
  var dept = root.getAttribute("data-dept") || "";
  var chat = root.getAttribute("data-chat") || "";
  var after = parseInt(root.getAttribute("data-after"), 10) || 0;
  var csrf = root.getAttribute("data-csrf") || "";
  var status = root.getAttribute("data-status") || "";
  var announce = document.getElementById("announce");
  var waitingList = document.getElementById("waiting");
  var waitingCount = document.getElementById("waiting-count");
  var messages = document.getElementById("messages");
  var known = null; // waiting chat ids already seen
  var WHO = { resident: "住民", staff: "職員", system: "お知らせ" };
  var CHANNELS = { web: "Webチャット", line: "LINE" };

  function mins(s) { return Math.floor(s / 60) + "分" + ("0" + (s % 60)).slice(-2) + "秒"; }
  function el(tag, text, cls) {
    var n = document.createElement(tag);
    if (text != null) n.textContent = text;
    if (cls) n.className = cls;
    return n;
  }
  function link(id) {
    var a = el("a", "会話 " + id);
    var q = new URLSearchParams();
    if (dept) q.set("dept", dept);
    q.set("chat", String(id));
    a.href = "/admin/live?" + q.toString();
    return a;
  }

  function drawWaiting(rows) {
    waitingCount.textContent = String(rows.length);
    waitingList.textContent = "";
    if (!rows.length) { waitingList.appendChild(el("li", "待っている住民はいません。", "empty")); return; }
    rows.forEach(function (r) {
      var li = el("li");
      li.appendChild(link(r.id));
      li.appendChild(document.createTextNode("・" + r.department + "・" + (CHANNELS[r.channel] || r.channel) +
        "・待ち時間 " + mins(r.waited)));
      if (r.for_me) { li.appendChild(document.createTextNode("・")); li.appendChild(el("strong", "あなたへの引き継ぎ")); }
      if (r.note) { li.appendChild(el("br")); li.appendChild(el("span", "引き継ぎメモ：" + r.note, "hint")); }
      waitingList.appendChild(li);
    });
  }

  function announceNew(rows) {
    var ids = rows.map(function (r) { return r.id; });
    if (known !== null) {
      var fresh = rows.filter(function (r) { return known.indexOf(r.id) < 0; });
      if (fresh.length) {
        announce.hidden = false;
        announce.textContent = "新しく" + fresh.length + "人の住民が職員を待っています（" +
          fresh.map(function (r) { return r.department; }).join("、") + "）。待っている住民は合わせて" + rows.length + "人です。";
      } else if (!rows.length) {
        announce.hidden = true;
        announce.textContent = "";
      }
    }
    known = ids;
  }

  // the staff member's own chats and offers: an accepted offer moves into "mine" and is announced
  var mineList = document.getElementById("mine");
  var offeredList = document.getElementById("offered");
  var offeredIds = null;
  function drawRows(list, rows, empty, describe) {
    if (!list) return;
    list.textContent = "";
    if (!rows.length) { list.appendChild(el("li", empty, "empty")); return; }
    rows.forEach(function (r) {
      var li = el("li");
      li.appendChild(link(r.id));
      li.appendChild(document.createTextNode(describe(r)));
      list.appendChild(li);
    });
  }
  function drawOwn(mine, offered) {
    drawRows(mineList, mine, "対応中の会話はありません。", function (r) {
      return "・" + r.department + "・" + (CHANNELS[r.channel] || r.channel);
    });
    drawRows(offeredList, offered, "応答待ちの申し出はありません。", function (r) {
      return "・問い合わせ " + r.ticket + "・" + r.department + "・" + (CHANNELS[r.channel] || r.channel) + "・申し出から " + mins(r.waited);
    });
    if (offeredIds !== null) {
      var accepted = mine.filter(function (r) { return offeredIds.indexOf(r.id) >= 0; });
      if (accepted.length) {
        announce.hidden = false;
        announce.textContent = "住民の方がチャットの申し出に応じました（" +
          accepted.map(function (r) { return "会話 " + r.id; }).join("、") + "）。";
      }
    }
    offeredIds = offered.map(function (r) { return r.id; });
  }

  function addMessages(list) {
    list.forEach(function (m) {
      var li = el("li", null, m.who);
      li.appendChild(el("span", WHO[m.who] || "", "who"));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", m.text, "said"));
      messages.appendChild(li);
      after = Math.max(after, m.id);
    });
  }

  var busy = false;
  function poll() {
    if (busy) return;
    busy = true;
    var q = new URLSearchParams({ dept: dept, after: String(after) });
    if (chat) q.set("chat", chat);
    fetch("/admin/live/poll?" + q.toString(), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        busy = false;
        if (!data) return;
        drawWaiting(data.waiting);
        announceNew(data.waiting);
        drawOwn(data.mine || [], data.offered || []);
        if (data.chat && messages) {
          addMessages(data.chat.messages);
          if (data.chat.status !== status) {
            // an offer taken up: the page shows the reply form (nothing typed here can be lost yet)
            if (status === "offered" && data.chat.status === "active") { location.reload(); return; }
            status = data.chat.status;
            var st = document.getElementById("chat-status");
            if (st) st.textContent = { waiting: "待っています", active: "対応中", ended: "終了", offered: "申し出て応答待ち" }[status] || status;
          }
        }
      }, function () { busy = false; });
  }
  setInterval(poll, pollMs);
  poll();

  // typing: at most one signal every 4 s while the staff member types a reply
  var reply = document.getElementById("reply");
  var lastTyping = 0;
  if (reply && root.getAttribute("data-typing") === "1") {
    reply.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTyping < 4000) return;
      lastTyping = now;
      var body = new FormData();
      body.append("csrf_token", csrf);
      fetch("/admin/live/" + encodeURIComponent(chat) + "/typing", { method: "POST", body: body, credentials: "same-origin" });
    });
    if (location.hash === "#reply") reply.focus();
  }
})();

/* Veivalg chat widget. Embed: <div id="veivalg-chat" data-server="https://..."></div>
   <script src="https://.../chat/widget.js" defer></script>
   Vanilla JS, no build step. Nothing is kept in cookies or browser storage: the conversation token
   lives in a variable only, so a reload or the idle timeout starts a new conversation. */
(function () {
  "use strict";

  var NB = {
    title: "Veivalg",
    sub: "Du snakker med en chatbot, ikke et menneske.",
    region: "Chat med Veivalg",
    log: "Samtalen",
    bot: "Veivalg (en chatbot)",
    choices: "Valg",
    intro: "Skriv hei for å begynne.",
    newTitle: "Ny samtale",
    start: "Si hei",
    inputLabel: "Skriv en melding",
    send: "Send",
    larger: "A+ Større tekst",
    read: "Les høyt",
    human: "Snakk med en veileder",
    restart: "Ny samtale",
    typing: "Veivalg skriver …",
    offline: "Får ikke kontakt med Veivalg. Prøv igjen om litt, eller si fra til en ansatt.",
    gone: "Samtalen er avsluttet. Trykk «Ny samtale» for å begynne på nytt.",
    reconnecting: "Mistet kontakten. Prøver igjen …",
    warn: "Er du der fortsatt? Samtalen slettes snart hvis ingen gjør noe. Trykk på en tast eller klikk for å fortsette.",
    wiped: "Samtalen ble slettet fordi ingen har skrevet på en stund.",
    nothingToRead: "Det er ingenting å lese opp ennå.",
    reading: "Leser opp …",
    speechFailed: "Opplesing virker ikke akkurat nå.",
    you: "Du",
    counsellor: "Karriereveileder"
  };
  /* The widget's own words follow the language the bot writes in: each bot message says which (hub.py). */
  var EN = {
    title: "Veivalg",
    sub: "You are talking to a chatbot, not a person.",
    region: "Chat with Veivalg",
    log: "The conversation",
    bot: "Veivalg (a chatbot)",
    choices: "Choices",
    intro: "Write hello to start.",
    newTitle: "New conversation",
    start: "Say hello",
    inputLabel: "Write a message",
    send: "Send",
    larger: "A+ Larger text",
    read: "Read aloud",
    human: "Talk to a counsellor",
    restart: "New conversation",
    typing: "Veivalg is writing …",
    offline: "Cannot reach Veivalg. Try again in a moment, or tell a member of staff.",
    gone: "The conversation has ended. Press “New conversation” to start again.",
    reconnecting: "Lost the connection. Trying again …",
    warn: "Are you still there? The conversation will soon be deleted if nothing happens. Press a key or click to go on.",
    wiped: "The conversation was deleted because nobody wrote for a while.",
    nothingToRead: "There is nothing to read aloud yet.",
    reading: "Reading aloud …",
    speechFailed: "Reading aloud does not work right now.",
    you: "You",
    counsellor: "Career counsellor"
  };
  var T = NB;
  var SPEAK_MAX = 600;
  var thisScript = document.currentScript;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function button(className, text, onClick) {
    var node = el("button", className, text);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  function scriptOrigin() {
    try { return thisScript && thisScript.src ? new URL(thisScript.src).origin : ""; } catch (e) { return ""; }
  }

  function Chat(root, server) {
    var token = null, session = null, events = null, reconnectTimer = null;
    var seen = {}, lastSeq = 0, dirty = false, lastActivity = Date.now(), warned = false;
    var queue = Promise.resolve(), audioUrl = null, maxChars = 5000, epoch = 0;
    var fixedIdle = parseInt(root.getAttribute("data-idle") || "", 10);
    var idleSeconds = fixedIdle > 0 ? Math.max(3, fixedIdle) : 600;
    var uid = "vv-" + Math.random().toString(36).slice(2, 8);

    root.classList.add("vv");
    root.setAttribute("lang", "nb");
    var box = el("section", "vv-box");
    box.setAttribute("aria-label", T.region);
    var regionBox = box;
    var head = el("div", "vv-head");
    var labelled = [];
    function labelled_(node, key, attribute) { labelled.push([node, key, attribute]); return node; }
    head.appendChild(el("h2", "vv-title", T.title));
    head.appendChild(labelled_(el("p", "vv-sub", T.sub), "sub"));
    var tools = el("div", "vv-tools");
    var larger = labelled_(button("vv-tool", T.larger, function () { setLarge(!root.classList.contains("vv-large")); }),
      "larger");
    larger.setAttribute("aria-pressed", "false");
    tools.appendChild(larger);
    tools.appendChild(labelled_(button("vv-tool", T.read, readAloud), "read"));
    tools.appendChild(labelled_(button("vv-tool", T.human, function () { send("/request_human", T.human); }), "human"));
    tools.appendChild(labelled_(button("vv-tool", T.restart, function () { wipe(""); input.focus(); }), "restart"));
    head.appendChild(tools);
    var log = el("div", "vv-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    labelled_(log, "log", "aria-label").setAttribute("aria-label", T.log);
    log.tabIndex = 0;
    var status = el("p", "vv-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var form = el("form", "vv-form");
    var label = labelled_(el("label", "vv-label", T.inputLabel), "inputLabel");
    label.htmlFor = uid + "-input";
    var input = el("input", "vv-input");
    input.id = uid + "-input";
    input.type = "text";
    input.autocomplete = "off";
    input.maxLength = maxChars;
    var sendButton = labelled_(el("button", "vv-send", T.send), "send");
    sendButton.type = "submit";
    form.appendChild(label);
    var row = el("div", "vv-row");
    row.appendChild(input);
    row.appendChild(sendButton);
    form.appendChild(row);
    var audio = el("audio", "vv-audio");
    audio.controls = true;
    audio.hidden = true;
    box.appendChild(head);
    box.appendChild(log);
    box.appendChild(status);
    box.appendChild(form);
    box.appendChild(audio);
    root.textContent = "";
    root.appendChild(box);
    showIntro();

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (text) send(text, "");
    });

    function say(text, kind) {
      status.textContent = text || "";
      status.className = "vv-status" + (kind ? " vv-" + kind : "");
    }

    function setLanguage(code) {
      var next = code === "en" ? EN : NB;
      if (next === T) return;
      T = next;
      root.setAttribute("lang", code);
      regionBox.setAttribute("aria-label", T.region);
      labelled.forEach(function (item) {
        if (item[2]) item[0].setAttribute(item[2], T[item[1]]);
        else item[0].textContent = T[item[1]];
      });
    }

    function setLarge(on) {
      root.classList.toggle("vv-large", on);
      larger.setAttribute("aria-pressed", on ? "true" : "false");
      log.scrollTop = log.scrollHeight;
    }

    function showIntro() {
      var intro = el("div", "vv-intro");
      intro.appendChild(el("p", "vv-intro-title", T.newTitle));
      intro.appendChild(el("p", "", T.intro));
      intro.appendChild(button("vv-choice vv-start", T.start, function () { send("hei", ""); }));
      log.appendChild(intro);
    }

    function request(path, body) {
      return fetch(server + path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "omit",
        cache: "no-store"
      });
    }

    function ensureSession() {
      if (token) return Promise.resolve(token);
      if (!session) {
        var mine = epoch;
        session = request("/chat/api/session", { client: "widget" }).then(function (response) {
          if (!response.ok) throw new Error("session " + response.status);
          return response.json();
        }).then(function (data) {
          if (mine !== epoch) { endOnServer(data.token); throw new Error("wiped"); }
          token = data.token;
          if (!(fixedIdle > 0)) idleSeconds = Math.max(3, data.idle_seconds || idleSeconds);
          maxChars = data.max_chars || maxChars;
          input.maxLength = maxChars;
          openEvents();
          return token;
        }).finally(function () { session = null; });
      }
      return session;
    }

    function send(text, shown) {
      activity();
      dirty = true;
      var intro = log.querySelector(".vv-intro");
      if (intro) intro.remove();
      if (!shown) input.value = "";
      say(T.typing, "");
      var mine = epoch;
      queue = queue.then(function () {
        if (mine !== epoch) return;
        return ensureSession().then(function (current) {
          return request("/chat/api/message", { token: current, text: text, label: shown || undefined });
        }).then(function (response) {
          return response.json().then(function (data) {
            if (mine !== epoch) return;
            if (response.status === 403) { forget(); say(T.gone, "alert"); return; }
            if (!response.ok) { restore(text, shown); say(data.message || T.offline, "alert"); return; }
            say("", "");
            render(data.messages || []);
          });
        }).catch(function () {
          if (mine !== epoch) return;
          restore(text, shown);
          say(T.offline, "alert");
        });
      });
      if (shown) input.focus();
    }

    function restore(text, shown) {
      if (!shown && !input.value) input.value = text;
    }

    function forget() {
      token = null;
      closeEvents();
    }

    function render(messages) {
      messages.forEach(function (message) {
        if (!message || typeof message.seq !== "number" || seen[message.seq]) return;
        var node = messageNode(message);
        seen[message.seq] = node;
        var next = null;
        var nodes = log.querySelectorAll(".vv-msg");
        for (var i = 0; i < nodes.length; i++) {
          if (Number(nodes[i].getAttribute("data-seq")) > message.seq) { next = nodes[i]; break; }
        }
        log.insertBefore(node, next);
        if (message.seq > lastSeq) lastSeq = message.seq;
      });
      log.scrollTop = log.scrollHeight;
    }

    function messageNode(message) {
      var author = ["user", "bot", "counsellor"].indexOf(message.author) >= 0 ? message.author : "bot";
      var node = el("div", "vv-msg vv-" + author);
      node.setAttribute("data-seq", String(message.seq));
      if (author === "bot" && (message.language === "en" || message.language === "nb")) setLanguage(message.language);
      var who = author === "bot" ? T.bot : (author === "user" ? T.you : (message.author_label || T.counsellor));
      node.appendChild(el("p", "vv-who", who));
      if (message.text) node.appendChild(el("p", "vv-text", message.text));
      var buttons = message.buttons || [];
      if (buttons.length) {
        var group = el("div", "vv-choices");
        group.setAttribute("role", "group");
        group.setAttribute("aria-label", T.choices);
        buttons.forEach(function (choice, index) {
          group.appendChild(button("vv-choice", (index + 1) + ". " + choice.title, function () {
            send(choice.payload || choice.title, choice.title);
          }));
        });
        node.appendChild(group);
      }
      return node;
    }

    function openEvents() {
      closeEvents();
      if (!token || typeof EventSource === "undefined") return;
      var current = token;
      // A single-use ticket goes in the stream's URL, never the token (proxies log URLs).
      request("/chat/api/ticket", { token: current }).then(function (response) {
        if (!response.ok) throw new Error("ticket " + response.status);
        return response.json();
      }).then(function (body) {
        if (current === token && !events) listen(body.ticket);
      }).catch(function () {
        if (current === token) reconnectTimer = setTimeout(checkConversation, 5000);
      });
    }

    function listen(ticket) {
      var url = server + "/chat/api/events?ticket=" + encodeURIComponent(ticket) + "&after=" + lastSeq;
      var source = new EventSource(url);
      events = source;
      source.onmessage = function (event) {
        try { render([JSON.parse(event.data)]); } catch (e) { /* a broken event is skipped */ }
        if (status.textContent === T.reconnecting) say("", "");
      };
      source.addEventListener("end", function () {
        if (events === source) { forget(); say(T.gone, "alert"); }
      });
      source.onerror = function () {
        if (events !== source || source.readyState !== 2) return;
        closeEvents();
        say(T.reconnecting, "");
        reconnectTimer = setTimeout(checkConversation, 3000);
      };
    }

    function checkConversation() {
      var current = token;
      if (!current) return;
      fetch(server + "/chat/api/poll?wait=0&after=" + lastSeq, {
        headers: { "X-Veivalg-Token": current }, credentials: "omit", cache: "no-store"
      }).then(function (response) {
        if (current !== token) return;
        if (response.status === 403) { forget(); say(T.gone, "alert"); return; }
        say("", "");
        openEvents();
      }).catch(function () {
        if (current === token) reconnectTimer = setTimeout(checkConversation, 5000);
      });
    }

    function closeEvents() {
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      if (events) events.close();
      events = null;
    }

    function endOnServer(old) {
      try {
        request("/chat/api/end", { token: old }).catch(function () { /* the server forgets it anyway */ });
      } catch (e) { /* ignore */ }
    }

    function stopAudio() {
      audio.pause();
      audio.removeAttribute("src");
      audio.hidden = true;
      if (audioUrl) URL.revokeObjectURL(audioUrl);
      audioUrl = null;
    }

    function wipe(reason) {
      var old = token;
      epoch += 1;
      forget();
      if (old) endOnServer(old);
      stopAudio();
      log.textContent = "";
      seen = {};
      lastSeq = 0;
      input.value = "";
      dirty = false;
      warned = false;
      setLarge(false);
      showIntro();
      say(reason, "");
    }

    function latestAnswer() {
      var nodes = log.querySelectorAll(".vv-msg"), parts = [];
      for (var i = nodes.length - 1; i >= 0; i--) {
        if (nodes[i].classList.contains("vv-user")) break;
        var text = nodes[i].querySelector(".vv-text");
        if (text) parts.unshift(text.textContent);
      }
      var all = parts.join(" ").replace(/\s+/g, " ").trim();
      if (all.length <= SPEAK_MAX) return all;
      var cut = all.slice(0, SPEAK_MAX), end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("? "), cut.lastIndexOf("! "));
      return end > 100 ? cut.slice(0, end + 1) : cut;
    }

    function readAloud() {
      activity();
      var text = latestAnswer();
      if (!token || !text) { say(T.nothingToRead, ""); return; }
      say(T.reading, "");
      request("/chat/api/speak", { token: token, text: text }).then(function (response) {
        if (!response.ok) throw new Error("speak " + response.status);
        return response.blob();
      }).then(function (blob) {
        stopAudio();
        audioUrl = URL.createObjectURL(blob);
        audio.src = audioUrl;
        audio.hidden = false;
        say("", "");
        var playing = audio.play();
        if (playing && playing.catch) playing.catch(function () { /* the user can press play */ });
      }).catch(function () { say(T.speechFailed, "alert"); });
    }

    function activity() {
      lastActivity = Date.now();
      if (warned) { warned = false; say("", ""); }
    }

    ["keydown", "pointerdown", "wheel", "touchstart", "input"].forEach(function (name) {
      document.addEventListener(name, activity, { passive: true, capture: true });
    });
    document.addEventListener("pointermove", function () {
      if (Date.now() - lastActivity > 1000) activity();
    }, { passive: true, capture: true });

    setInterval(function () {
      if (!dirty && !input.value) return;
      var idleFor = (Date.now() - lastActivity) / 1000;
      var warnBefore = Math.min(30, Math.floor(idleSeconds / 2));
      if (idleFor >= idleSeconds) {
        wipe(T.wiped);
      } else if (!warned && idleFor >= idleSeconds - warnBefore) {
        warned = true;
        say(T.warn, "warn");
      }
    }, 500);

    window.addEventListener("pagehide", function () {
      if (!token) return;
      var body = new Blob([JSON.stringify({ token: token })], { type: "text/plain" });
      if (navigator.sendBeacon) navigator.sendBeacon(server + "/chat/api/end", body);
      forget();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) wipe("");  // back from the browser's page cache: never show the last user's talk
    });
  }

  function start() {
    var root = document.getElementById("veivalg-chat");
    if (!root || root.classList.contains("vv")) return;
    var server = (root.getAttribute("data-server") || scriptOrigin() || window.location.origin).replace(/\/+$/, "");
    if (!document.querySelector("link[data-veivalg-css]")) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = server + "/chat/widget.css";
      css.setAttribute("data-veivalg-css", "");
      document.head.appendChild(css);
    }
    Chat(root, server);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

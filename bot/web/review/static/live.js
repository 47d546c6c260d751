// Keeps the live chat up to date without reloading the page (and without losing what is being typed).
(function () {
  "use strict";
  var log = document.getElementById("live-log");
  if (!log) { return; }
  var names = { user: "Brukeren", bot: "Veivalg (chatbot)", counsellor: "Veileder", system: "Merknad" };
  var shown = log.children.length;
  function refresh() {
    fetch(log.dataset.source, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.lines) { return; }
        for (var i = shown; i < data.lines.length; i++) {
          var line = data.lines[i];
          var item = document.createElement("li");
          item.className = "msg " + line.author;
          var who = document.createElement("span");
          who.className = "who";
          who.textContent = (names[line.author] || "") + ":";
          item.appendChild(who);
          item.appendChild(document.createTextNode(" " + line.text));
          log.appendChild(item);
        }
        shown = Math.max(shown, data.lines.length);
      })
      .catch(function () { /* try again at the next tick */ });
  }
  window.setInterval(refresh, 3000);
}());

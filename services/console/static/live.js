/* Live updates of the case page (no inline script, no build step). The console streams the
   case's events that the person's part covers (server-sent events from casework's WatchCase:
   a sequence and a kind, nothing else); on each one this script reads the case page again and
   replaces its parts marked data-live-part, so it shows exactly what a reload would show. */
(function () {
  "use strict";
  var root = document.getElementById("case-live");
  var status = document.getElementById("live-status");
  if (!root || !status || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var source = new EventSource(root.getAttribute("data-live-url"));
  var busy = false;
  var again = false;

  function say(attribute) {
    status.textContent = root.getAttribute(attribute) || "";
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(window.location.pathname, {
      credentials: "same-origin",
      redirect: "error",
      // Not the person's activity: the idle timeout keeps running (adapters/sessions.py).
      headers: { Accept: "text/html", "X-Console-Live": "1" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("not shown");
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var parts = root.querySelectorAll("[data-live-part]");
        for (var i = 0; i < parts.length; i++) {
          var part = fresh.getElementById(parts[i].id);
          if (part) {
            parts[i].replaceWith(document.importNode(part, true));
          }
        }
        say("data-updated-text");
      })
      .catch(function () {
        say("data-stale-text");
      })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  source.addEventListener("change", refresh);
  source.addEventListener("end", function () {
    source.close();
    say("data-ended-text");
  });
  source.addEventListener("error", function () {
    if (source.readyState === EventSource.CLOSED) {
      say("data-ended-text");
    }
  });
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();

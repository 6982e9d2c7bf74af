// Progressive enhancement only: every page works without it.
// 1. Remember the browser's time zone in a cookie, so that the next page shows
//    deadlines in the visitor's own time on the server side.
// 2. Where the server did not know it yet, show a deadline in local time here.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  if (document.cookie.indexOf("tz=" + zone) === -1) {
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var lang = document.documentElement.lang || "en";
    document.querySelectorAll("[data-local-time]").forEach(function (slot) {
      var moment = new Date(slot.getAttribute("data-local-time"));
      var text = new Intl.DateTimeFormat(lang, {
        dateStyle: "full", timeStyle: "short", timeZone: zone, timeZoneName: "short"
      }).format(moment);
      slot.querySelector("[data-local-time-value]").textContent = text + " (" + zone + ")";
      slot.hidden = false;
    });
  });
})();

// zoombridge booking pages: show times in the booker's own zone. Without
// this file the page shows the host's zone, with a chooser to change it.
(function () {
  "use strict";
  var root = document.querySelector("[data-tz-auto]");
  if (!root || !root.getAttribute("data-tz-auto")) return;
  var params = new URLSearchParams(window.location.search);
  if (params.has("tz")) return;
  var tz = "";
  try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
  if (!tz) return;
  params.set("tz", tz);
  window.location.replace(window.location.pathname + "?" + params.toString());
})();

// zoombridge admin: small enhancements. Every page works without this file.
(function () {
  "use strict";

  // Hover details on timeline blocks: show the block's card (the same one
  // its click opens) beside the pointer. Without script, the title
  // attribute and the click-to-open card still work.
  var tip = document.getElementById("tip");
  function place(e) {
    var pad = 14, w = tip.offsetWidth, h = tip.offsetHeight;
    var x = e.clientX + pad, y = e.clientY + pad;
    if (x + w > window.innerWidth - 8) x = Math.max(8, e.clientX - w - pad);
    if (y + h > window.innerHeight - 8) y = Math.max(8, e.clientY - h - pad);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  document.querySelectorAll(".act[data-tip]").forEach(function (b) {
    var card = document.getElementById(b.getAttribute("data-tip"));
    if (!card || !tip) return;
    b.dataset.title = b.title;
    b.removeAttribute("title");
    b.setAttribute("aria-describedby", card.id);
    b.addEventListener("pointerenter", function (e) {
      if (e.pointerType !== "mouse" || card.matches(":popover-open")) return;
      tip.innerHTML = "";
      var c = card.cloneNode(true);
      c.removeAttribute("popover");
      c.removeAttribute("id");
      tip.appendChild(c);
      tip.hidden = false;
      place(e);
    });
    b.addEventListener("pointermove", function (e) { if (!tip.hidden) place(e); });
    b.addEventListener("pointerleave", function () { tip.hidden = true; });
    b.addEventListener("click", function () { tip.hidden = true; });
  });

  // Ask before destructive actions (disconnect, deactivate).
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  // The organization menu closes when you click elsewhere or press Escape.
  var menu = document.querySelector("details.menu");
  if (menu) {
    document.addEventListener("click", function (e) { if (!menu.contains(e.target)) menu.open = false; });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") menu.open = false; });
  }

  // Filters apply as soon as they change.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
})();

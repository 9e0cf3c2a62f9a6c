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
  function enhanceBlocks(root) {
    root.querySelectorAll(".act[data-tip]").forEach(function (b) {
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
  }
  enhanceBlocks(document);

  // A day page that includes today redraws its live region when the
  // server's stamp for that day changes (a webhook brought a meeting or
  // call). It asks only while the tab is visible.
  var live = document.getElementById("live");
  if (live && live.dataset.liveUrl && window.fetch) {
    var every = parseInt(live.dataset.liveEvery, 10) || 5000;
    var busy = false;
    var poll = function () {
      if (busy || document.hidden) return;
      busy = true;
      fetch(live.dataset.liveUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (j) {
          if (j.stamp === live.dataset.liveStamp) return;
          return fetch(window.location.href, { credentials: "same-origin" })
            .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
            .then(function (html) {
              var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
              if (!fresh) return;
              live.innerHTML = fresh.innerHTML;
              live.dataset.liveStamp = fresh.dataset.liveStamp || j.stamp;
              enhanceBlocks(live);
            });
        })
        .catch(function () { /* the next poll tries again */ })
        .then(function () { busy = false; });
    };
    setInterval(poll, every);
    document.addEventListener("visibilitychange", poll);
  }

  // Copy buttons copy their target's text (an API key shown once). Without
  // script the button stays hidden and one click selects the whole text
  // (user-select: all) for copying by hand.
  document.querySelectorAll("button[data-copy-target]").forEach(function (b) {
    var src = document.getElementById(b.getAttribute("data-copy-target"));
    if (!src || !navigator.clipboard) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(src.textContent.trim()).then(function () {
        b.textContent = "Copied";
      }, function () {
        window.getSelection().selectAllChildren(src);
        b.textContent = "Press Ctrl+C";
      });
    });
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

/* The staff idle-timeout warning (templates/admin/includes/idle_warning.html).
 * The server ends a staff session after data-idle-seconds without a request; this shows a warning
 * two minutes before, offers to stay logged in (a POST to the keep-alive URL), and reloads the
 * page when the time is up so the server's logout shows. Served from /static/: no inline script. */
(function () {
  "use strict";
  var box = document.querySelector("[data-idle-warning]");
  if (!box) { return; }
  var idleMs = parseInt(box.getAttribute("data-idle-seconds"), 10) * 1000;
  if (!idleMs) { return; }
  var warnBeforeMs = Math.min(120000, idleMs / 2);
  var deadlineText = box.querySelector("[data-idle-deadline]");
  var stay = box.querySelector("[data-idle-stay]");
  var warnTimer = null;
  var endTimer = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function start() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    box.hidden = true;
    var deadline = new Date(Date.now() + idleMs);
    warnTimer = setTimeout(function () {
      deadlineText.textContent = deadline.toLocaleTimeString("en-US", {
        hour: "numeric", minute: "2-digit", timeZone: "America/Detroit"
      });
      box.hidden = false;
      stay.focus();
    }, idleMs - warnBeforeMs);
    endTimer = setTimeout(function () { window.location.reload(); }, idleMs + 1000);
  }

  stay.addEventListener("click", function () {
    fetch(box.getAttribute("data-keep-alive-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (response.ok) { start(); } else { window.location.reload(); }
    });
  });
  start();
})();
